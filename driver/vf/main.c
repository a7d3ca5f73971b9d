// SPDX-License-Identifier: GPL-2.0
/*
 * iovvf: PCI probe/remove, MSI-X, the reset handshake with the PF and the
 * recovery paths (PF reset, PF link down/up, VF FLR, mailbox failures).
 *
 * Every recovery funnels into one place, iovvf_reset_task(): take the
 * netdev down, CTRL.RST, wait for the PF to leave reset (RSTI clear),
 * VF_RESET handshake, replay MAC/MTU/VLAN/multicast state, bring it back
 * up. While the PF stays in reset the watchdog retries once a second.
 *
 * No module parameters: moderation is ethtool -C, rings ethtool -G, the
 * mailbox timeout, retries and fault hook are debugfs files of the device
 * (<bdf>/mbx_timeout_ms, mbx_retries, mbx_fault_drop; mbx_client.c).
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include "iovvf.h"

#define IOVVF_WATCHDOG_PERIOD	HZ
#define IOVVF_RSTI_WAIT_MS	100

/* first match wins: QEMU's model (its default subsystem IDs) before the 82576 */
static const struct pci_device_id iovvf_pci_tbl[] = {
	{ PCI_DEVICE_SUB(PCI_VENDOR_ID_INTEL, IOV_PCI_DEV_VF,
			 PCI_SUBVENDOR_ID_REDHAT_QUMRANET, PCI_SUBDEVICE_ID_QEMU),
	  .driver_data = (kernel_ulong_t)&iovvf_82576_qemu_info },
	{ PCI_VDEVICE(INTEL, IOV_PCI_DEV_VF),
	  .driver_data = (kernel_ulong_t)&iovvf_82576_info },
	{ }
};
MODULE_DEVICE_TABLE(pci, iovvf_pci_tbl);

/*
 * Reset handshake: CTRL.RST, wait for the PF to be out of reset, VF_RESET.
 * On success the PF has given us CTS and (maybe) a MAC in vf->pf_mac.
 */
int iovvf_hw_init(struct iovvf *vf)
{
	u32 msg[IOV_RESET_REPLY_WORDS] = {};
	bool acked = false;
	int i, err;

	clear_bit(IOVVF_HW_READY, &vf->state);
	vf->hw_ops->reset(vf);
	vf->hw_ops->irq_setup(vf);

	for (i = 0; i < IOVVF_RSTI_WAIT_MS; i++) {
		if (!iovvf_mbx_pf_in_reset(vf))
			break;
		usleep_range(1000, 2000);
	}
	if (i == IOVVF_RSTI_WAIT_MS) {
		if (!test_and_set_bit(IOVVF_RESET_RETRY_LOG, &vf->state))
			dev_warn(&vf->pdev->dev,
				 "PF still in reset (RSTI set); is the PF interface up? Retrying every second\n");
		return -EAGAIN;
	}
	iovvf_mbx_flush(vf);

	iov_mbx_build_reset(msg);
	err = iovvf_mbx_request(vf, msg, 1, IOV_RESET_REPLY_WORDS, &acked);
	if (err) {
		if (!test_and_set_bit(IOVVF_RESET_RETRY_LOG, &vf->state))
			dev_warn(&vf->pdev->dev,
				 "VF_RESET handshake failed (%d); retrying every second\n",
				 err);
		return err;
	}
	if (acked && is_valid_ether_addr((u8 *)&msg[1]))
		ether_addr_copy(vf->pf_mac, (u8 *)&msg[1]);
	else
		eth_zero_addr(vf->pf_mac);
	clear_bit(IOVVF_RESET_RETRY_LOG, &vf->state);
	set_bit(IOVVF_HW_READY, &vf->state);
	vf->vf_resets++;
	return 0;
}

void iovvf_schedule_reset(struct iovvf *vf, const char *why)
{
	if (test_and_set_bit(IOVVF_NEED_RESET, &vf->state))
		return;
	netif_carrier_off(vf->netdev);
	netdev_info(vf->netdev, "renegotiating with the PF: %s\n", why);
	/* inside the reset task the flag alone makes the watchdog retry */
	if (!test_bit(IOVVF_RESETTING, &vf->state) &&
	    !test_bit(IOVVF_REMOVING, &vf->state))
		schedule_work(&vf->reset_task);
}

void iovvf_kick_watchdog(struct iovvf *vf)
{
	if (!test_bit(IOVVF_REMOVING, &vf->state))
		mod_delayed_work(system_wq, &vf->watchdog, 0);
}

/* Adopt the PF's MAC if it set one, else keep ours (random or user-set). */
static void iovvf_apply_pf_mac(struct iovvf *vf)
{
	struct net_device *nd = vf->netdev;

	if (is_valid_ether_addr(vf->pf_mac) &&
	    !ether_addr_equal(nd->dev_addr, vf->pf_mac)) {
		netdev_info(nd, "MAC %pM assigned by the PF\n", vf->pf_mac);
		eth_hw_addr_set(nd, vf->pf_mac);
	}
}

/* Caller holds RTNL. */
static void iovvf_reinit_locked(struct iovvf *vf)
{
	struct net_device *nd = vf->netdev;
	bool running = netif_running(nd);
	int err;

	set_bit(IOVVF_RESETTING, &vf->state);
	clear_bit(IOVVF_NEED_RESET, &vf->state);
	netif_carrier_off(nd);
	if (running)
		iovvf_down(vf);

	err = iovvf_hw_init(vf);
	if (!err) {
		iovvf_apply_pf_mac(vf);
		err = iovvf_restore_filters(vf);
	}
	if (err) {
		set_bit(IOVVF_NEED_RESET, &vf->state);
	} else if (running) {
		err = iovvf_up(vf);
		if (err)
			netdev_err(nd, "cannot restart queues after reset: %d\n",
				   err);
	}
	clear_bit(IOVVF_RESETTING, &vf->state);
	if (!err) {
		vf->link_up = false;	/* let the watchdog report the link */
		iovvf_kick_watchdog(vf);
	}
}

static void iovvf_reset_task(struct work_struct *work)
{
	struct iovvf *vf = container_of(work, struct iovvf, reset_task);

	rtnl_lock();
	/* RESETTING here means an FLR is between prepare and done */
	if (!test_bit(IOVVF_REMOVING, &vf->state) &&
	    !test_bit(IOVVF_RESETTING, &vf->state) &&
	    test_bit(IOVVF_NEED_RESET, &vf->state))
		iovvf_reinit_locked(vf);
	rtnl_unlock();
}

static void iovvf_watchdog(struct work_struct *work)
{
	struct iovvf *vf = container_of(to_delayed_work(work), struct iovvf,
					watchdog);
	struct net_device *nd = vf->netdev;
	bool link;
	int speed;
	u8 duplex;
	u32 mbx;

	if (test_bit(IOVVF_REMOVING, &vf->state))
		return;

	mbx = iovvf_mbx_poll(vf);
	/* RSTI: PF resetting now; RSTD: it reset since we last looked */
	if (test_bit(IOVVF_HW_READY, &vf->state) &&
	    ((mbx & IOV_V2P_RSTI) || (vf->mbx.events & IOV_V2P_RSTD))) {
		spin_lock_irq(&vf->mbx.ev_lock);
		vf->mbx.events &= ~IOV_V2P_RSTD;
		spin_unlock_irq(&vf->mbx.ev_lock);
		vf->pf_resets++;
		clear_bit(IOVVF_HW_READY, &vf->state);
		iovvf_schedule_reset(vf, (mbx & IOV_V2P_RSTI) ?
				     "PF reset in progress (RSTI)" :
				     "PF was reset (RSTD)");
	} else if (test_bit(IOVVF_HW_READY, &vf->state) &&
		   !test_bit(IOVVF_DOWN, &vf->state) &&
		   !test_bit(IOVVF_RESETTING, &vf->state) &&
		   !vf->hw_ops->queues_enabled(vf)) {
		/*
		 * The ring enable we set is gone: the function was reset
		 * behind the driver. An FLR by the host of a VF assigned
		 * to a VM sends neither a mailbox event nor reset_prepare
		 * to the guest; igbvf does not recover from it.
		 */
		vf->flrs++;
		clear_bit(IOVVF_HW_READY, &vf->state);
		iovvf_schedule_reset(vf, "the function was reset behind the driver (host FLR)");
	} else if (test_bit(IOVVF_NEED_RESET, &vf->state) &&
		   !test_bit(IOVVF_RESETTING, &vf->state) &&
		   !(mbx & IOV_V2P_RSTI)) {
		schedule_work(&vf->reset_task);
	}

	link = test_bit(IOVVF_HW_READY, &vf->state) &&
	       !test_bit(IOVVF_NEED_RESET, &vf->state) &&
	       !test_bit(IOVVF_DOWN, &vf->state) &&
	       vf->hw_ops->link(vf, &speed, &duplex);
	if (link != vf->link_up) {
		vf->link_up = link;
		vf->link_changes++;
		if (link) {
			netdev_info(nd, "link up (PF link)\n");
			netif_carrier_on(nd);
		} else {
			if (netif_running(nd))
				netdev_info(nd, "link down\n");
			netif_carrier_off(nd);
		}
	}
	if (!test_bit(IOVVF_REMOVING, &vf->state))
		schedule_delayed_work(&vf->watchdog, IOVVF_WATCHDOG_PERIOD);
}

static int iovvf_request_irqs(struct iovvf *vf)
{
	static const char * const suffix[IOVVF_NVEC] = {
		[IOVVF_VEC_MBX] = "mbx",
		[IOVVF_VEC_QUEUE] = "TxRx-0",
	};
	static const irq_handler_t handler[IOVVF_NVEC] = {
		[IOVVF_VEC_MBX] = iovvf_mbx_isr,
		[IOVVF_VEC_QUEUE] = iovvf_queue_isr,
	};
	int v, err;

	for (v = 0; v < IOVVF_NVEC; v++) {
		snprintf(vf->irq_name[v], sizeof(vf->irq_name[v]), "%s-%s",
			 vf->netdev->name, suffix[v]);
		iov_stats_irq_setup(vf->sd, v, vf->irq_name[v]);
		vf->irq_st[v] = &vf->sd->irq[v];
		err = request_irq(pci_irq_vector(vf->pdev, v), handler[v], 0,
				  vf->irq_name[v], vf);
		if (err) {
			dev_err(&vf->pdev->dev, "request_irq %s: %d\n",
				vf->irq_name[v], err);
			return err;
		}
		vf->irq_requested[v] = true;
	}
	return 0;
}

static void iovvf_free_irqs(struct iovvf *vf)
{
	int v;

	vf->hw_ops->irq_mask(vf, IOVVF_EIMS_ALL);
	for (v = IOVVF_NVEC - 1; v >= 0; v--) {
		if (!vf->irq_requested[v])
			continue;
		free_irq(pci_irq_vector(vf->pdev, v), vf);
		vf->irq_requested[v] = false;
	}
}

static int iovvf_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	const struct iovvf_hw_info *info = (const void *)id->driver_data;
	struct net_device *nd;
	struct iovvf *vf;
	int err;

	err = pci_enable_device_mem(pdev);
	if (err)
		return err;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err) {
		dev_err(&pdev->dev, "no usable DMA configuration\n");
		goto err_disable;
	}
	err = pci_request_mem_regions(pdev, IOVVF_DRV_NAME);
	if (err)
		goto err_disable;
	pci_set_master(pdev);

	nd = alloc_etherdev(sizeof(*vf));
	if (!nd) {
		err = -ENOMEM;
		goto err_regions;
	}
	SET_NETDEV_DEV(nd, &pdev->dev);
	pci_set_drvdata(pdev, nd);
	vf = netdev_priv(nd);
	vf->pdev = pdev;
	vf->netdev = nd;
	vf->hw_ops = info->ops;
	vf->quirks = info->quirks;
	vf->msg_enable = netif_msg_init(-1, NETIF_MSG_DRV | NETIF_MSG_PROBE |
					NETIF_MSG_LINK);
	vf->itr.quirks = vf->quirks;
	iov_itr_config(&vf->itr, true, 0);	/* ethtool -C changes it */
	vf->tx_count = IOV_RING_DEFAULT;
	vf->rx_count = IOV_RING_DEFAULT;
	set_bit(IOVVF_DOWN, &vf->state);
	iovvf_mbx_init(vf);
	INIT_WORK(&vf->reset_task, iovvf_reset_task);
	INIT_DELAYED_WORK(&vf->watchdog, iovvf_watchdog);

	vf->hw = pci_iomap(pdev, 0, 0);
	if (!vf->hw) {
		err = -EIO;
		goto err_free_nd;
	}
	vf->sd = iov_stats_register(pdev, IOVVF_DRV_NAME, false);
	if (!vf->sd) {
		err = -ENOMEM;
		goto err_unmap;
	}
	debugfs_create_x32("quirks", 0400, vf->sd->dir, &vf->quirks);
	iovvf_mbx_debugfs(vf, vf->sd->dir);

	err = pci_alloc_irq_vectors(pdev, IOVVF_NVEC, IOVVF_NVEC,
				    PCI_IRQ_MSIX);
	if (err < 0) {
		dev_err(&pdev->dev, "MSI-X (%d vectors) unavailable: %d\n",
			IOVVF_NVEC, err);
		goto err_stats;
	}
	vf->nvec = err;

	/* reserve the name now: it labels our vectors in /proc/interrupts */
	rtnl_lock();
	err = dev_alloc_name(nd, "eth%d");
	rtnl_unlock();
	if (err < 0)
		goto err_vectors;

	err = iovvf_netdev_setup(vf);
	if (err)
		goto err_vectors;
	err = iovvf_request_irqs(vf);
	if (err)
		goto err_irqs;

	/* a PF that is not up yet is not fatal: the watchdog retries */
	err = iovvf_hw_init(vf);
	if (err)
		set_bit(IOVVF_NEED_RESET, &vf->state);
	if (is_valid_ether_addr(vf->pf_mac)) {
		eth_hw_addr_set(nd, vf->pf_mac);
		dev_info(&pdev->dev, "MAC %pM from the PF\n", vf->pf_mac);
	} else {
		eth_hw_addr_random(nd);
		dev_info(&pdev->dev, "PF assigned no MAC: using random %pM\n",
			 nd->dev_addr);
	}
	if (!err)
		iovvf_restore_filters(vf);

	err = register_netdev(nd);
	if (err)
		goto err_irqs;
	iov_stats_set_netdev(vf->sd, nd);
	netif_carrier_off(nd);
	schedule_delayed_work(&vf->watchdog, IOVVF_WATCHDOG_PERIOD);
	netdev_info(nd, "iovvf (%s, quirks %#x) at %s, MSI-X %d, %s\n",
		    info->name, vf->quirks, pci_name(pdev), vf->nvec,
		    test_bit(IOVVF_HW_READY, &vf->state) ?
		    "PF handshake done" : "waiting for the PF");
	return 0;

err_irqs:
	set_bit(IOVVF_REMOVING, &vf->state);
	iovvf_free_irqs(vf);
	cancel_work_sync(&vf->mbx.msg_task);
	cancel_work_sync(&vf->reset_task);
	netif_napi_del(&vf->napi);
err_vectors:
	pci_free_irq_vectors(pdev);
err_stats:
	iov_stats_unregister(vf->sd);
err_unmap:
	pci_iounmap(pdev, vf->hw);
err_free_nd:
	free_netdev(nd);
err_regions:
	pci_release_mem_regions(pdev);
err_disable:
	pci_disable_device(pdev);
	return err;
}

static void iovvf_remove(struct pci_dev *pdev)
{
	struct net_device *nd = pci_get_drvdata(pdev);
	struct iovvf *vf = netdev_priv(nd);

	set_bit(IOVVF_REMOVING, &vf->state);
	cancel_delayed_work_sync(&vf->watchdog);
	cancel_work_sync(&vf->reset_task);
	cancel_work_sync(&vf->mbx.msg_task);

	unregister_netdev(nd);
	cancel_work_sync(&vf->rx_mode_task);
	iovvf_free_irqs(vf);
	netif_napi_del(&vf->napi);
	pci_free_irq_vectors(pdev);
	iov_stats_unregister(vf->sd);
	pci_iounmap(pdev, vf->hw);
	free_netdev(nd);
	pci_release_mem_regions(pdev);
	pci_disable_device(pdev);
}

/* VF FLR (sysfs reset, VFIO): quiesce before, renegotiate after. */
static void iovvf_reset_prepare(struct pci_dev *pdev)
{
	struct iovvf *vf = netdev_priv(pci_get_drvdata(pdev));

	set_bit(IOVVF_RESETTING, &vf->state);
	cancel_work_sync(&vf->reset_task);
	rtnl_lock();
	/* a reset task that was running clears the bit when it finishes */
	set_bit(IOVVF_RESETTING, &vf->state);
	netif_carrier_off(vf->netdev);
	if (netif_running(vf->netdev))
		iovvf_down(vf);
	clear_bit(IOVVF_HW_READY, &vf->state);
	rtnl_unlock();
	/* no mailbox traffic may cross the FLR */
	mutex_lock(&vf->mbx.lock);
	mutex_unlock(&vf->mbx.lock);
}

static void iovvf_reset_done(struct pci_dev *pdev)
{
	struct iovvf *vf = netdev_priv(pci_get_drvdata(pdev));

	vf->flrs++;
	netdev_info(vf->netdev, "function level reset done: renegotiating with the PF\n");
	rtnl_lock();
	clear_bit(IOVVF_RESETTING, &vf->state);
	set_bit(IOVVF_NEED_RESET, &vf->state);
	iovvf_reinit_locked(vf);
	rtnl_unlock();
}

static const struct pci_error_handlers iovvf_err_handler = {
	.reset_prepare = iovvf_reset_prepare,
	.reset_done = iovvf_reset_done,
};

static void iovvf_shutdown(struct pci_dev *pdev)
{
	struct iovvf *vf = netdev_priv(pci_get_drvdata(pdev));

	set_bit(IOVVF_REMOVING, &vf->state);
	rtnl_lock();
	netif_device_detach(vf->netdev);
	if (netif_running(vf->netdev))
		iovvf_down(vf);
	rtnl_unlock();
	vf->hw_ops->irq_mask(vf, IOVVF_EIMS_ALL);
	pci_disable_device(pdev);
}

static struct pci_driver iovvf_driver = {
	.name = IOVVF_DRV_NAME,
	.id_table = iovvf_pci_tbl,
	.probe = iovvf_probe,
	.remove = iovvf_remove,
	.shutdown = iovvf_shutdown,
	.err_handler = &iovvf_err_handler,
};
module_pci_driver(iovvf_driver);

MODULE_DESCRIPTION("iovbench reference VF driver (Intel 82576 VF, QEMU igb)");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(IOV_NS);
MODULE_VERSION(IOV_VERSION);
