// SPDX-License-Identifier: GPL-2.0
/*
 * iovpf: PCI probe/remove, MSI-X allocation, the device's debugfs knobs.
 *
 * No module parameters: queue pairs are ethtool -L, rings ethtool -G,
 * interrupt moderation ethtool -C, VFs sysfs sriov_numvfs, and the mailbox
 * rate limit a per-device debugfs file (<bdf>/mbx_rate).
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/rtnetlink.h>
#include "iovpf.h"

static void iovpf_free_irq_other(struct iovpf *pf)
{
	free_irq(pci_irq_vector(pf->pdev, IOVPF_VEC_OTHER), pf);
	cancel_delayed_work_sync(&pf->mbx_retry);
}

DEFINE_SHOW_ATTRIBUTE(iovpf_vf_state);

/*
 * One vector for link + mailbox and one per queue pair asked for: vectors
 * that no handler serves would still show in msi_irqs (and shift the VFs'
 * interrupt numbers). Fewer granted: fewer queue pairs.
 */
static int iovpf_setup_msix(struct iovpf *pf)
{
	int want = 1 + pf->req_qp, got, err;

	got = pci_alloc_irq_vectors(pf->pdev, 2, want, PCI_IRQ_MSIX);
	if (got < 0) {
		dev_err(&pf->pdev->dev, "MSI-X required (%d)\n", got);
		return got;
	}
	pf->nvec = got;
	pf->req_qp = got - 1;
	pf->eims_other = BIT(IOVPF_VEC_OTHER);
	err = request_irq(pci_irq_vector(pf->pdev, IOVPF_VEC_OTHER),
			  iovpf_msix_other_handler, 0, pf->other_name, pf);
	if (err) {
		pci_free_irq_vectors(pf->pdev);
		return err;
	}
	return 0;
}

/*
 * ethtool -L: the vectors follow the queue pairs asked for. The interface
 * is down (RTNL held) and has no VFs, so nothing uses the "other" vector.
 * On failure the old count is restored.
 */
int iovpf_msix_reinit(struct iovpf *pf, unsigned int req_qp)
{
	unsigned int old = pf->req_qp;
	int err;

	iovpf_free_irq_other(pf);
	pci_free_irq_vectors(pf->pdev);
	pf->req_qp = req_qp;
	err = iovpf_setup_msix(pf);
	if (!err)
		return 0;
	pf->req_qp = old;
	if (iovpf_setup_msix(pf))
		netdev_err(pf->netdev, "no MSI-X vectors left: reload the driver\n");
	return err;
}

static int iovpf_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	const struct iovpf_hw_info *info = (const void *)id->driver_data;
	struct net_device *nd;
	struct iovpf *pf;
	int err, i;

	err = pci_enable_device_mem(pdev);
	if (err)
		return err;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err)
		goto err_disable;
	err = pci_request_mem_regions(pdev, IOVPF_DRV_NAME);
	if (err)
		goto err_disable;
	pci_set_master(pdev);

	nd = alloc_etherdev_mq(sizeof(*pf), IOVPF_MAX_QP);
	if (!nd) {
		err = -ENOMEM;
		goto err_regions;
	}
	pf = netdev_priv(nd);
	pf->pdev = pdev;
	pf->netdev = nd;
	pf->hw_ops = info->ops;
	pf->quirks = info->quirks;
	pci_set_drvdata(pdev, pf);
	spin_lock_init(&pf->vf_lock);
	INIT_DELAYED_WORK(&pf->mbx_retry, iovpf_mbx_retry);
	for (i = 0; i < IOVPF_VFMAC_RAR_NUM; i++)
		pf->vf_uc[i].vf = -1;
	spin_lock_init(&pf->stats_lock);
	pf->req_qp = 1;
	pf->max_qp = IOVPF_MAX_QP;
	pf->tx_count = IOV_RING_DEFAULT;
	pf->rx_count = IOV_RING_DEFAULT;
	pf->itr_adaptive = true;
	pf->mbx_rate = IOVPF_MBX_RATE;

	pf->hw = pci_iomap(pdev, 0, 0);
	if (!pf->hw) {
		err = -EIO;
		goto err_netdev;
	}
	pf->sd = iov_stats_register(pdev, IOVPF_DRV_NAME, true);
	if (!pf->sd) {
		err = -ENOMEM;
		goto err_iomap;
	}
	debugfs_create_x32("quirks", 0400, pf->sd->dir, &pf->quirks);
	/* mailbox requests served per VF per second, 0 = unlimited */
	debugfs_create_u32("mbx_rate", 0600, pf->sd->dir, &pf->mbx_rate);
	/* what each VF holds: filters, VLANs, trust, rate */
	debugfs_create_file("vf_state", 0400, pf->sd->dir, pf,
			    &iovpf_vf_state_fops);
	err = pf->hw_ops->reset(pf);
	if (err)
		goto err_stats;
	snprintf(pf->other_name, sizeof(pf->other_name), "%s-other",
		 pci_name(pdev));
	err = iovpf_setup_msix(pf);
	if (err)
		goto err_stats;
	err = iovpf_netdev_create(pf);
	if (err)
		goto err_msix;
	netif_set_real_num_tx_queues(nd, 1);
	netif_set_real_num_rx_queues(nd, 1);

	/* SR-IOV: cap at 7 so pool 7 always remains for the PF */
	pci_sriov_set_totalvfs(pdev, IOV_MAX_VFS);

	err = register_netdev(nd);
	if (err)
		goto err_msix;
	iov_stats_set_netdev(pf->sd, nd);
	netdev_info(nd, "%s PF %s, quirks %#x, MAC %pM, %d MSI-X vectors, up to %u queue pairs (ethtool -L)\n",
		    info->name, pci_name(pdev), pf->quirks, nd->dev_addr, pf->nvec,
		    pf->max_qp);
	return 0;

err_msix:
	iovpf_free_irq_other(pf);
	pci_free_irq_vectors(pdev);
err_stats:
	iov_stats_unregister(pf->sd);
err_iomap:
	pci_iounmap(pdev, pf->hw);
err_netdev:
	free_netdev(nd);
err_regions:
	pci_release_mem_regions(pdev);
err_disable:
	pci_disable_device(pdev);
	return err;
}

static void iovpf_remove(struct pci_dev *pdev)
{
	struct iovpf *pf = pci_get_drvdata(pdev);

	set_bit(IOVPF_REMOVING, &pf->state);
	/* VF drivers unbind while the PF still answers their mailbox */
	iovpf_sriov_remove(pf);
	unregister_netdev(pf->netdev);
	cancel_work_sync(&pf->reset_work);
	cancel_delayed_work_sync(&pf->watchdog);
	iov_stats_set_netdev(pf->sd, NULL);
	pf->hw_ops->release(pf);
	iovpf_free_irq_other(pf);
	pci_free_irq_vectors(pdev);
	iov_stats_unregister(pf->sd);
	pci_iounmap(pdev, pf->hw);
	kfree(pf->vf);
	free_netdev(pf->netdev);
	pci_release_mem_regions(pdev);
	pci_disable_device(pdev);
}

static void iovpf_shutdown(struct pci_dev *pdev)
{
	struct iovpf *pf = pci_get_drvdata(pdev);

	rtnl_lock();
	if (netif_running(pf->netdev))
		dev_close(pf->netdev);
	rtnl_unlock();
	pci_disable_device(pdev);
}

/* first match wins: QEMU's model (its default subsystem IDs) before the 82576 */
static const struct pci_device_id iovpf_ids[] = {
	{ PCI_DEVICE_SUB(IOV_PCI_VENDOR, IOV_PCI_DEV_PF,
			 PCI_SUBVENDOR_ID_REDHAT_QUMRANET, PCI_SUBDEVICE_ID_QEMU),
	  .driver_data = (kernel_ulong_t)&iovpf_82576_qemu_info },
	{ PCI_DEVICE(IOV_PCI_VENDOR, IOV_PCI_DEV_PF),
	  .driver_data = (kernel_ulong_t)&iovpf_82576_info },
	{ }
};
MODULE_DEVICE_TABLE(pci, iovpf_ids);

static struct pci_driver iovpf_driver = {
	.name = IOVPF_DRV_NAME,
	.id_table = iovpf_ids,
	.probe = iovpf_probe,
	.remove = iovpf_remove,
	.shutdown = iovpf_shutdown,
	.sriov_configure = iovpf_sriov_configure,
};
module_pci_driver(iovpf_driver);

MODULE_DESCRIPTION("iovbench reference PF driver for the Intel 82576 (QEMU igb)");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(IOV_NS);
MODULE_VERSION(IOV_VERSION);
