// SPDX-License-Identifier: GPL-2.0
/*
 * iovpf netdev: open/close, queue pairs under NAPI, interrupt handlers,
 * RX filters, statistics (rtnl stats64 and netdev netlink qstats).
 */
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>
#include "iov_compat.h"
#if IOV_HAVE_QSTATS
#include <net/netdev_queues.h>
#endif
#include "iovpf.h"

/* ---- interrupts --------------------------------------------------------- */

static irqreturn_t iovpf_msix_queue(int irq, void *data)
{
	struct iovpf_qvec *qv = data;

	iov_stats_irq(qv->irq_st);
	iov_stats_napi_irq(qv->napi_st);
	/* without EIAM: mask our vector until NAPI re-arms it */
	if (qv->pf->quirks & IOV_QUIRK_QEMU_NO_EIAM)
		qv->pf->hw_ops->irq_mask(qv->pf, qv->eims);
	napi_schedule_irqoff(&qv->napi);
	return IRQ_HANDLED;
}

irqreturn_t iovpf_msix_other_handler(int irq, void *data)
{
	struct iovpf *pf = data;
	u32 cause;

	iov_stats_irq(pf->other_irq_st);
	cause = pf->hw_ops->irq_cause(pf);	/* reading clears them */
	if ((cause & IOVPF_CAUSE_LINK) && !test_bit(IOVPF_DOWN, &pf->state))
		mod_delayed_work(system_wq, &pf->watchdog, 0);
	if (cause & IOVPF_CAUSE_MBX) {
		/*
		 * Served here, not in a thread: a VF driver in this kernel
		 * (igbvf) busy-waits for its reply and would starve a thread
		 * on its CPU. The time is bounded: one message per VF, no
		 * spinning on a VF's lock, and a VF over its rate waits for
		 * mbx_retry.
		 */
		pf->mbx_irq_ns = ktime_get_ns();
		iovpf_mbx_service(pf);
	}
	if (!test_bit(IOVPF_DOWN, &pf->state))
		pf->hw_ops->irq_unmask(pf, pf->eims_other);
	return IRQ_HANDLED;
}

static int iovpf_poll(struct napi_struct *napi, int budget)
{
	struct iovpf_qvec *qv = container_of(napi, struct iovpf_qvec, napi);
	const struct iovpf_hw_ops *ops = qv->pf->hw_ops;
	bool tx_done, rearmed = false;
	int work;

	tx_done = iov_tx_clean(&qv->tx, budget);
	if (unlikely(!budget))	/* netpoll: TX completions only, no complete */
		return 0;
	work = iov_rx_clean(&qv->rx, budget);
	if (!tx_done || work >= budget) {
		iov_stats_napi_poll(qv->napi_st, budget, budget, false);
		return budget;
	}
	if (napi_complete_done(napi, work)) {
		rearmed = true;
		if (!test_bit(IOVPF_DOWN, &qv->pf->state)) {
			/* a new moderation value goes in while masked */
			if (iov_itr_update(&qv->itr, &qv->rx.stats,
					   &qv->tx.stats))
				ops->set_itr(qv->pf, qv->vec, qv->itr.eitr);
			ops->irq_unmask(qv->pf, qv->eims);
		}
	}
	iov_stats_napi_poll(qv->napi_st, work, budget, rearmed);
	return work;
}

/* ---- queue pairs -------------------------------------------------------- */

static unsigned int iovpf_reg_idx(struct iovpf *pf, unsigned int i)
{
	/* with VFs the PF owns pool queues p and p+8 */
	return pf->num_vfs ? pf->pool + 8 * i : i;
}

void iovpf_set_num_qp(struct iovpf *pf)
{
	/* the model does no RSS in VMDq mode: one RX queue with VFs */
	pf->num_qp = pf->num_vfs ? 1 : min(pf->req_qp, pf->max_qp);
}

static void iovpf_stats_accumulate(struct iov_ring_stats *sum,
				   const struct iov_ring_stats *add)
{
	u64 *d = (u64 *)sum;
	const u64 *a = (const u64 *)add;
	unsigned int i;

	for (i = 0; i < sizeof(*sum) / sizeof(u64); i++)
		d[i] += a[i];
}

static void iovpf_free_qvecs(struct iovpf *pf)
{
	struct iov_ring_stats rs;
	unsigned int i;

	for (i = 0; i < IOVPF_MAX_QP; i++) {
		struct iovpf_qvec *qv = pf->qv[i];

		if (!qv)
			continue;
		/* unpublish under stats_lock so get_stats64 never sees it */
		spin_lock_bh(&pf->stats_lock);
		pf->qv[i] = NULL;
		iov_ring_read_stats(&qv->rx, &rs);
		iovpf_stats_accumulate(&pf->base_rx, &rs);
		iov_ring_read_stats(&qv->tx, &rs);
		iovpf_stats_accumulate(&pf->base_tx, &rs);
		spin_unlock_bh(&pf->stats_lock);
		free_irq(pci_irq_vector(pf->pdev, qv->vec), qv);
		netif_napi_del(&qv->napi);
		iov_ring_free(&qv->tx);
		iov_ring_free(&qv->rx);
		kfree(qv);
	}
	pf->eims_queues = 0;
}

static int iovpf_alloc_qvecs(struct iovpf *pf)
{
	struct net_device *nd = pf->netdev;
	unsigned int i;
	int err;

	iov_stats_clear_layout(pf->sd);
	snprintf(pf->other_name, sizeof(pf->other_name), "%s-other",
		 nd->name);
	iov_stats_irq_setup(pf->sd, IOVPF_VEC_OTHER, pf->other_name);
	pf->other_irq_st = &pf->sd->irq[IOVPF_VEC_OTHER];

	for (i = 0; i < pf->num_qp; i++) {
		struct iovpf_qvec *qv = kzalloc(sizeof(*qv), GFP_KERNEL);

		if (!qv) {
			err = -ENOMEM;
			goto err;
		}
		qv->pf = pf;
		qv->idx = i;
		qv->vec = 1 + i;
		qv->eims = BIT(qv->vec);
		snprintf(qv->name, sizeof(qv->name), "%s-q%u", nd->name, i);
		qv->irq_st = &pf->sd->irq[qv->vec];
		qv->napi_st = &pf->sd->napi[i];
		iov_stats_irq_setup(pf->sd, qv->vec, qv->name);
		iov_stats_napi_setup(pf->sd, i, qv->name, IOVPF_NAPI_BUDGET);
		netif_napi_add(nd, &qv->napi, iovpf_poll);

		qv->itr.quirks = pf->quirks;
		qv->tx.quirks = pf->quirks;
		qv->tx.dev = &pf->pdev->dev;
		qv->tx.netdev = nd;
		qv->tx.napi = &qv->napi;
		qv->tx.count = pf->tx_count;
		qv->tx.queue_index = i;
		qv->tx.reg_idx = iovpf_reg_idx(pf, i);
		qv->rx = qv->tx;
		qv->rx.is_rx = true;
		qv->rx.count = pf->rx_count;
		err = iov_ring_alloc(&qv->tx);
		if (!err)
			err = iov_ring_alloc(&qv->rx);
		if (err) {
			netif_napi_del(&qv->napi);
			iov_ring_free(&qv->tx);
			kfree(qv);
			goto err;
		}
		err = request_irq(pci_irq_vector(pf->pdev, qv->vec),
				  iovpf_msix_queue, 0, qv->name, qv);
		if (err) {
			netif_napi_del(&qv->napi);
			iov_ring_free(&qv->tx);
			iov_ring_free(&qv->rx);
			kfree(qv);
			goto err;
		}
		spin_lock_bh(&pf->stats_lock);
		pf->qv[i] = qv;
		spin_unlock_bh(&pf->stats_lock);
		pf->eims_queues |= qv->eims;
#if IOV_HAVE_NAPI_LINKS
		netif_napi_set_irq(&qv->napi,
				   pci_irq_vector(pf->pdev, qv->vec));
#endif
	}
	return 0;
err:
	iovpf_free_qvecs(pf);
	return err;
}

static void iovpf_link_queues(struct iovpf *pf, bool on)
{
#if IOV_HAVE_NAPI_LINKS
	unsigned int i;

	for (i = 0; i < pf->num_qp; i++) {
		struct napi_struct *n = on ? &pf->qv[i]->napi : NULL;

		netif_queue_set_napi(pf->netdev, i, NETDEV_QUEUE_TYPE_RX, n);
		netif_queue_set_napi(pf->netdev, i, NETDEV_QUEUE_TYPE_TX, n);
	}
#endif
}

/* ---- RX filters --------------------------------------------------------- */

/* The MTA is shared: PF hashes | every VF's hashes. vf_lock held. */
void __iovpf_write_mta(struct iovpf *pf)
{
	u32 mta[IOV_NUM_MTA];
	unsigned int v, i;

	memcpy(mta, pf->mta_pf, sizeof(mta));
	for (v = 0; v < pf->num_vfs; v++)
		for (i = 0; i < pf->vf[v].mc_count; i++) {
			u16 h = pf->vf[v].mc_hash[i];

			mta[h >> 5] |= BIT(h & 31);
		}
	pf->hw_ops->mc_table_write(pf, mta);
}

static void iovpf_set_rx_mode(struct net_device *nd)
{
	struct iovpf *pf = netdev_priv(nd);
	bool uc_promisc = nd->flags & IFF_PROMISC;
	bool mc_promisc = nd->flags & (IFF_PROMISC | IFF_ALLMULTI);
	u32 pools = BIT(pf->pool);
	struct netdev_hw_addr *ha;
	unsigned int rar = IOVPF_UC_RAR_FIRST;
	unsigned long flags;

	if (test_bit(IOVPF_DOWN, &pf->state))
		return;
	spin_lock_irqsave(&pf->vf_lock, flags);
	/*
	 * Extra unicast addresses in the RAR entries between PF and VFs,
	 * remembered so that no VF may claim one (mbx_service.c).
	 */
	netdev_for_each_uc_addr(ha, nd) {
		if (rar > IOVPF_UC_RAR_LAST) {
			uc_promisc = true;
			break;
		}
		ether_addr_copy(pf->pf_uc[rar - IOVPF_UC_RAR_FIRST], ha->addr);
		pf->hw_ops->mac_filter_set(pf, rar++, ha->addr, pools);
	}
	pf->pf_uc_num = rar - IOVPF_UC_RAR_FIRST;
	for (; rar <= IOVPF_UC_RAR_LAST; rar++)
		pf->hw_ops->mac_filter_clear(pf, rar);

	memset(pf->mta_pf, 0, sizeof(pf->mta_pf));
	netdev_for_each_mc_addr(ha, nd) {
		u16 h = iov_mc_hash(ha->addr);

		pf->mta_pf[h >> 5] |= BIT(h & 31);
	}
	__iovpf_write_mta(pf);
	spin_unlock_irqrestore(&pf->vf_lock, flags);
	pf->hw_ops->rx_mode(pf, uc_promisc, mc_promisc);
}

void iovpf_restore_filters(struct iovpf *pf)
{
	pf->hw_ops->mac_filter_set(pf, 0, pf->netdev->dev_addr, BIT(pf->pool));
	netif_addr_lock_bh(pf->netdev);
	iovpf_set_rx_mode(pf->netdev);
	netif_addr_unlock_bh(pf->netdev);
}

/* ---- up / down ---------------------------------------------------------- */

int iovpf_up(struct iovpf *pf)
{
	unsigned int i;
	int err;

	err = pf->hw_ops->reset(pf);
	if (err)
		return err;
	err = iovpf_alloc_qvecs(pf);
	if (err)
		return err;

	pf->hw_ops->irq_setup(pf);
	pf->hw_ops->setup_global(pf);
	pf->hw_ops->setup_vmdq(pf);
	for (i = 0; i < pf->num_qp; i++) {
		pf->hw_ops->setup_tx(pf, &pf->qv[i]->tx);
		pf->hw_ops->setup_rx(pf, &pf->qv[i]->rx);
	}
	clear_bit(IOVPF_DOWN, &pf->state);
	iovpf_restore_filters(pf);
	for (i = 0; i < pf->num_qp; i++) {
		iov_rx_refill(&pf->qv[i]->rx,
			      iov_ring_unused(&pf->qv[i]->rx));
		napi_enable(&pf->qv[i]->napi);
	}
	iovpf_link_queues(pf, true);
	iovpf_sriov_restore(pf);
	pf->hw_ops->irq_enable(pf);
	netif_tx_start_all_queues(pf->netdev);

	/* link comes up asynchronously after autoneg (LSC + watchdog) */
	pf->link_up = false;
	netif_carrier_off(pf->netdev);
	pf->hw_ops->phy_autoneg(pf);
	mod_delayed_work(system_wq, &pf->watchdog, HZ / 10);
	return 0;
}

void iovpf_down(struct iovpf *pf)
{
	struct net_device *nd = pf->netdev;
	unsigned int i;

	iovpf_sriov_pf_down(pf);
	set_bit(IOVPF_DOWN, &pf->state);
	netif_carrier_off(nd);
	netif_tx_disable(nd);
	pf->hw_ops->irq_disable(pf);
	pf->hw_ops->rx_disable(pf);
	for (i = 0; i < pf->num_qp; i++) {
		pf->hw_ops->stop_queue(pf, &pf->qv[i]->rx);
		pf->hw_ops->stop_queue(pf, &pf->qv[i]->tx);
	}
	pf->hw_ops->flush(pf);
	for (i = 0; i < pf->num_qp; i++) {
		synchronize_irq(pci_irq_vector(pf->pdev, pf->qv[i]->vec));
		napi_disable(&pf->qv[i]->napi);
	}
	synchronize_irq(pci_irq_vector(pf->pdev, IOVPF_VEC_OTHER));
	cancel_delayed_work_sync(&pf->watchdog);
	iovpf_link_queues(pf, false);
	pf->hw_ops->update_stats(pf);
	/* reset drops in-flight DMA; VFs see RSTI until PFRSTD on next up */
	pf->hw_ops->reset(pf);
	iovpf_free_qvecs(pf);
	pf->link_up = false;
}

void iovpf_reinit_locked(struct iovpf *pf)
{
	ASSERT_RTNL();
	if (!netif_running(pf->netdev))
		return;
	iovpf_down(pf);
	if (iovpf_up(pf))
		netdev_err(pf->netdev, "reinit failed, interface stays down\n");
}

int iovpf_open(struct net_device *nd)
{
	struct iovpf *pf = netdev_priv(nd);
	int err;

	iovpf_set_num_qp(pf);
	err = netif_set_real_num_tx_queues(nd, pf->num_qp);
	if (!err)
		err = netif_set_real_num_rx_queues(nd, pf->num_qp);
	if (err)
		return err;
	err = iovpf_up(pf);
	if (err)
		set_bit(IOVPF_DOWN, &pf->state);
	return err;
}

int iovpf_close(struct net_device *nd)
{
	struct iovpf *pf = netdev_priv(nd);

	if (!test_bit(IOVPF_DOWN, &pf->state))
		iovpf_down(pf);
	return 0;
}

static netdev_tx_t iovpf_xmit(struct sk_buff *skb, struct net_device *nd)
{
	struct iovpf *pf = netdev_priv(nd);
	unsigned int q = skb_get_queue_mapping(skb);

	if (unlikely(q >= pf->num_qp || !pf->qv[q])) {
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	return iov_xmit(skb, &pf->qv[q]->tx);
}

static int iovpf_set_mac(struct net_device *nd, void *p)
{
	struct iovpf *pf = netdev_priv(nd);
	struct sockaddr *sa = p;

	if (!is_valid_ether_addr(sa->sa_data))
		return -EADDRNOTAVAIL;
	eth_hw_addr_set(nd, sa->sa_data);
	if (!test_bit(IOVPF_DOWN, &pf->state))
		pf->hw_ops->mac_filter_set(pf, 0, nd->dev_addr, BIT(pf->pool));
	return 0;
}

static int iovpf_change_mtu(struct net_device *nd, int mtu)
{
	struct iovpf *pf = netdev_priv(nd);

	/* one 2 KiB buffer per frame up to 1500; jumbo spans descriptors */
	WRITE_ONCE(nd->mtu, mtu);
	if (netif_running(nd))
		iovpf_reinit_locked(pf);
	return 0;
}

static void iovpf_get_stats64(struct net_device *nd,
			      struct rtnl_link_stats64 *s)
{
	struct iovpf *pf = netdev_priv(nd);
	struct iov_ring_stats rs;
	unsigned int i;

	spin_lock_bh(&pf->stats_lock);
	for (i = 0; i < IOVPF_MAX_QP; i++) {
		struct iovpf_qvec *qv = pf->qv[i];

		if (!qv)
			continue;
		iov_ring_read_stats(&qv->rx, &rs);
		s->rx_packets += rs.packets;
		s->rx_bytes += rs.bytes;
		s->rx_errors += rs.hw_drops + rs.csum_bad;
		s->rx_dropped += rs.alloc_fail;
		iov_ring_read_stats(&qv->tx, &rs);
		s->tx_packets += rs.packets;
		s->tx_bytes += rs.bytes;
		s->tx_dropped += rs.dma_err;
	}
	s->rx_packets += pf->base_rx.packets;
	s->rx_bytes += pf->base_rx.bytes;
	s->rx_errors += pf->base_rx.hw_drops + pf->base_rx.csum_bad;
	s->rx_dropped += pf->base_rx.alloc_fail;
	s->tx_packets += pf->base_tx.packets;
	s->tx_bytes += pf->base_tx.bytes;
	s->tx_dropped += pf->base_tx.dma_err;
	s->rx_crc_errors = pf->hw_crcerrs;
	s->rx_missed_errors = pf->hw_mpc;
	spin_unlock_bh(&pf->stats_lock);
}

/* A stuck TX queue: reset the function from process context. */
static void iovpf_tx_timeout(struct net_device *nd, unsigned int q)
{
	struct iovpf *pf = netdev_priv(nd);

	netdev_warn(nd, "TX queue %u timed out, resetting\n", q);
	schedule_work(&pf->reset_work);
}

static void iovpf_reset_task(struct work_struct *w)
{
	struct iovpf *pf = container_of(w, struct iovpf, reset_work);

	rtnl_lock();
	if (!test_bit(IOVPF_REMOVING, &pf->state))
		iovpf_reinit_locked(pf);
	rtnl_unlock();
}

const struct net_device_ops iovpf_netdev_ops = {
	.ndo_tx_timeout		= iovpf_tx_timeout,
	.ndo_open		= iovpf_open,
	.ndo_stop		= iovpf_close,
	.ndo_start_xmit		= iovpf_xmit,
	.ndo_set_rx_mode	= iovpf_set_rx_mode,
	.ndo_set_mac_address	= iovpf_set_mac,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_change_mtu		= iovpf_change_mtu,
	.ndo_get_stats64	= iovpf_get_stats64,
	.ndo_set_vf_mac		= iovpf_ndo_set_vf_mac,
	.ndo_set_vf_vlan	= iovpf_ndo_set_vf_vlan,
	.ndo_set_vf_trust	= iovpf_ndo_set_vf_trust,
	.ndo_set_vf_spoofchk	= iovpf_ndo_set_vf_spoofchk,
	.ndo_set_vf_link_state	= iovpf_ndo_set_vf_link_state,
	.ndo_get_vf_config	= iovpf_ndo_get_vf_config,
	.ndo_get_vf_stats	= iovpf_ndo_get_vf_stats,
};

/* ---- netdev netlink per-queue statistics ------------------------------- */
#if IOV_HAVE_QSTATS
static void iovpf_qstats_rx(struct net_device *nd, int idx,
			    struct netdev_queue_stats_rx *s)
{
	struct iovpf *pf = netdev_priv(nd);
	struct iovpf_qvec *qv = idx < IOVPF_MAX_QP ? pf->qv[idx] : NULL;
	struct iov_ring_stats rs;

	if (!qv)
		return;
	iov_ring_read_stats(&qv->rx, &rs);
	iov_ring_fill_qstats_rx(&rs, s);
}

static void iovpf_qstats_tx(struct net_device *nd, int idx,
			    struct netdev_queue_stats_tx *s)
{
	struct iovpf *pf = netdev_priv(nd);
	struct iovpf_qvec *qv = idx < IOVPF_MAX_QP ? pf->qv[idx] : NULL;
	struct iov_ring_stats rs;

	if (!qv)
		return;
	iov_ring_read_stats(&qv->tx, &rs);
	iov_ring_fill_qstats_tx(&rs, s);
}

/* Counters of rings freed by down/reinit, so device totals stay monotonic */
static void iovpf_qstats_base(struct net_device *nd,
			      struct netdev_queue_stats_rx *rx,
			      struct netdev_queue_stats_tx *tx)
{
	struct iovpf *pf = netdev_priv(nd);

	/* every field the queues report must be set here too */
	spin_lock_bh(&pf->stats_lock);
	iov_ring_fill_qstats_rx(&pf->base_rx, rx);
	iov_ring_fill_qstats_tx(&pf->base_tx, tx);
	spin_unlock_bh(&pf->stats_lock);
}

static const struct netdev_stat_ops iovpf_stat_ops = {
	.get_queue_stats_rx	= iovpf_qstats_rx,
	.get_queue_stats_tx	= iovpf_qstats_tx,
	.get_base_stats		= iovpf_qstats_base,
};
#endif

static void iovpf_watchdog(struct work_struct *w)
{
	struct iovpf *pf = container_of(to_delayed_work(w), struct iovpf,
					watchdog);
	unsigned int speed;
	bool up;

	if (test_bit(IOVPF_DOWN, &pf->state))
		return;
	up = pf->hw_ops->link(pf, &speed);
	if (up != pf->link_up) {
		pf->link_up = up;
		pf->link_speed = speed;
		if (up) {
			netdev_info(pf->netdev, "link up, %u Mbps full duplex\n",
				    speed);
			netif_carrier_on(pf->netdev);
		} else {
			netdev_info(pf->netdev, "link down\n");
			netif_carrier_off(pf->netdev);
		}
		iovpf_ping_vfs(pf);
	}
	pf->hw_ops->update_stats(pf);
	iovpf_vf_stats_update(pf, false);
	schedule_delayed_work(&pf->watchdog, up ? 2 * HZ : HZ / 5);
}

int iovpf_netdev_create(struct iovpf *pf)
{
	struct net_device *nd = pf->netdev;
	u8 mac[ETH_ALEN];

	nd->netdev_ops = &iovpf_netdev_ops;
	iovpf_set_ethtool_ops(nd);
#if IOV_HAVE_QSTATS
	nd->stat_ops = &iovpf_stat_ops;
#endif
	nd->watchdog_timeo = 5 * HZ;
	nd->features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
		       NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_RXCSUM |
		       NETIF_F_HIGHDMA | NETIF_F_SCTP_CRC;
	nd->hw_features = nd->features | NETIF_F_RXHASH;
	nd->vlan_features = nd->features;
	nd->priv_flags |= IFF_UNICAST_FLT;
	nd->min_mtu = ETH_MIN_MTU;
	nd->max_mtu = IOV_MAX_FRAME - ETH_HLEN - ETH_FCS_LEN - VLAN_HLEN;
	SET_NETDEV_DEV(nd, &pf->pdev->dev);

	pf->hw_ops->read_mac(pf, mac);
	if (!is_valid_ether_addr(mac)) {
		dev_warn(&pf->pdev->dev, "no valid MAC, using a random one\n");
		eth_random_addr(mac);
	}
	eth_hw_addr_set(nd, mac);
	INIT_DELAYED_WORK(&pf->watchdog, iovpf_watchdog);
	INIT_WORK(&pf->reset_work, iovpf_reset_task);
	set_bit(IOVPF_DOWN, &pf->state);
	netif_carrier_off(nd);
	return 0;
}
