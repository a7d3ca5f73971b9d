// SPDX-License-Identifier: GPL-2.0
/*
 * iovvf net_device: one queue pair, one NAPI instance fed by one MSI-X
 * vector (RX and TX causes), and the netdev operations that become mailbox
 * requests (MAC, multicast list, promiscuous, VLAN filter, MTU/LPE).
 */
#include <linux/module.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <linux/version.h>
#include <net/netdev_queues.h>
#include "iovvf.h"

#define IOVVF_MAX_MTU	(IOV_MAX_FRAME - ETH_HLEN - ETH_FCS_LEN - VLAN_HLEN)

/* ---- interrupts and NAPI ------------------------------------------------ */

/*
 * The queue vector feeds the NAPI. Without EIAM (the model's) the handler
 * masks it itself; NAPI unmasks it when done.
 */
irqreturn_t iovvf_queue_isr(int irq, void *data)
{
	struct iovvf *vf = data;

	iov_stats_irq(vf->irq_st[IOVVF_VEC_QUEUE]);
	if (vf->quirks & IOV_QUIRK_QEMU_NO_EIAM)
		vf->hw_ops->irq_mask(vf, IOVVF_EIMS_QUEUES);
	if (napi_schedule_prep(&vf->napi)) {
		iov_stats_napi_irq(vf->napi_st);
		__napi_schedule_irqoff(&vf->napi);
	}
	return IRQ_HANDLED;
}

void iovvf_write_eitr(struct iovvf *vf)
{
	vf->hw_ops->set_itr(vf, IOVVF_VEC_QUEUE, vf->itr.eitr);
}

/* Work the device finished that no poll has taken yet (memory reads only). */
static bool iovvf_ring_pending(struct iovvf *vf)
{
	union iov_adv_rx_desc *rxd = vf->rx.desc;
	struct iov_tx_buf *tb;
	union iov_adv_tx_desc *eop;

	if (vf->rx.next_to_clean != vf->rx.next_to_use &&
	    (rxd[vf->rx.next_to_clean].wb.status_error &
	     cpu_to_le32(IOV_RXD_STAT_DD)))
		return true;
	if (vf->tx.next_to_clean == vf->tx.next_to_use)
		return false;
	tb = &vf->tx.tx_buf[vf->tx.next_to_clean];
	eop = READ_ONCE(tb->eop);
	return eop && (eop->wb.status & cpu_to_le32(IOV_TXD_STAT_DD));
}

static int iovvf_poll(struct napi_struct *napi, int budget)
{
	struct iovvf *vf = container_of(napi, struct iovvf, napi);
	bool rearmed = false;
	int work;

	work = iov_tx_clean(&vf->tx, budget) ? 0 : budget;
	if (budget)
		work = max(work, iov_rx_clean(&vf->rx, budget));
	if (work < budget && napi_complete_done(napi, work)) {
		if (!test_bit(IOVVF_DOWN, &vf->state)) {
			/*
			 * Causes latched while masked would fire at once on
			 * unmask for work this poll already did: clear them,
			 * unmask, then look at the rings for anything that
			 * raced in between. A new moderation value goes in
			 * while the vectors are still masked.
			 */
			if (iov_itr_update(&vf->itr, &vf->rx.stats,
					   &vf->tx.stats))
				iovvf_write_eitr(vf);
			vf->hw_ops->irq_clear(vf, IOVVF_EIMS_QUEUES);
			vf->hw_ops->irq_unmask(vf, IOVVF_EIMS_QUEUES);
			rearmed = true;
			if (iovvf_ring_pending(vf) && napi_schedule_prep(napi)) {
				vf->hw_ops->irq_mask(vf, IOVVF_EIMS_QUEUES);
				__napi_schedule(napi);
			}
		}
	}
	iov_stats_napi_poll(vf->napi_st, work, budget, rearmed);
	return min(work, budget);
}

/* ---- queues --------------------------------------------------------------- */

static void iovvf_ring_init(struct iovvf *vf, struct iov_ring *r, bool rx)
{
	r->dev = &vf->pdev->dev;
	r->netdev = vf->netdev;
	r->napi = &vf->napi;
	r->count = rx ? vf->rx_count : vf->tx_count;
	r->queue_index = 0;
	r->reg_idx = 0;
	r->is_rx = rx;
	r->quirks = vf->quirks;
}

int iovvf_up(struct iovvf *vf)
{
	int err;

	if (!test_bit(IOVVF_DOWN, &vf->state))
		return 0;
	iovvf_ring_init(vf, &vf->tx, false);
	iovvf_ring_init(vf, &vf->rx, true);
	err = iov_ring_alloc(&vf->tx);
	if (err)
		return err;
	err = iov_ring_alloc(&vf->rx);
	if (err) {
		iov_ring_free(&vf->tx);
		return err;
	}
	vf->hw_ops->setup_tx(vf, &vf->tx);
	vf->hw_ops->setup_rx(vf, &vf->rx);
	iov_rx_refill(&vf->rx, iov_ring_unused(&vf->rx));

	clear_bit(IOVVF_DOWN, &vf->state);
	napi_enable(&vf->napi);
	vf->hw_ops->irq_clear(vf, IOVVF_EIMS_QUEUES);
	vf->hw_ops->irq_unmask(vf, IOVVF_EIMS_ALL);
	netif_tx_start_all_queues(vf->netdev);
	iovvf_kick_watchdog(vf);
	return 0;
}

void iovvf_down(struct iovvf *vf)
{
	if (test_and_set_bit(IOVVF_DOWN, &vf->state))
		return;
	netif_carrier_off(vf->netdev);
	vf->link_up = false;
	netif_tx_disable(vf->netdev);
	/* mailbox vector stays on: the PF may still talk to us */
	vf->hw_ops->irq_mask(vf, IOVVF_EIMS_QUEUES);
	synchronize_irq(pci_irq_vector(vf->pdev, IOVVF_VEC_QUEUE));
	napi_disable(&vf->napi);

	vf->hw_ops->stop_queues(vf);
	iov_ring_free(&vf->rx);
	iov_ring_free(&vf->tx);
}

static int iovvf_open(struct net_device *nd)
{
	struct iovvf *vf = netdev_priv(nd);

	netif_carrier_off(nd);
	return iovvf_up(vf);
}

static int iovvf_stop(struct net_device *nd)
{
	iovvf_down(netdev_priv(nd));
	return 0;
}

static netdev_tx_t iovvf_xmit(struct sk_buff *skb, struct net_device *nd)
{
	struct iovvf *vf = netdev_priv(nd);

	if (unlikely(test_bit(IOVVF_DOWN, &vf->state))) {
		dev_kfree_skb_any(skb);
		nd->stats.tx_dropped++;
		return NETDEV_TX_OK;
	}
	return iov_xmit(skb, &vf->tx);
}

static void iovvf_tx_timeout(struct net_device *nd, unsigned int txq)
{
	struct iovvf *vf = netdev_priv(nd);

	vf->tx_timeouts++;
	iovvf_schedule_reset(vf, "TX timeout");
}

static void iovvf_get_stats64(struct net_device *nd,
			      struct rtnl_link_stats64 *s)
{
	struct iovvf *vf = netdev_priv(nd);
	struct iov_ring_stats rx, tx;

	iov_ring_read_stats(&vf->rx, &rx);
	iov_ring_read_stats(&vf->tx, &tx);
	s->rx_packets = rx.packets;
	s->rx_bytes = rx.bytes;
	s->rx_errors = rx.hw_drops + rx.csum_bad;
	s->rx_dropped = rx.alloc_fail + nd->stats.rx_dropped;
	s->tx_packets = tx.packets;
	s->tx_bytes = tx.bytes;
	s->tx_errors = tx.dma_err;
	s->tx_dropped = nd->stats.tx_dropped;
}

/* ---- filters: netdev state -> mailbox requests ---------------------------- */

/* Map a failed request to an errno for the stack; NACK = refused. */
static int iovvf_req_err(int err)
{
	return err == -EPERM ? -EADDRNOTAVAIL : err;
}

static int iovvf_send_mac(struct iovvf *vf, const u8 *addr)
{
	u32 msg[3];

	iov_mbx_build_set_mac(msg, 0, addr);
	return iovvf_mbx_request(vf, msg, 3, 1, NULL);
}

static int iovvf_send_lpe(struct iovvf *vf, u32 max_frame)
{
	u32 msg[2];

	iov_mbx_build_set_lpe(msg, max_frame);
	return iovvf_mbx_request(vf, msg, 2, 1, NULL);
}

static int iovvf_send_vlan(struct iovvf *vf, u16 vid, bool add)
{
	u32 msg[2];

	iov_mbx_build_set_vlan(msg, vid, add);
	return iovvf_mbx_request(vf, msg, 2, 1, NULL);
}

/* Sync multicast list and multicast promiscuity; @force after a reset. */
static int iovvf_sync_rx_mode(struct iovvf *vf, bool force)
{
	struct net_device *nd = vf->netdev;
	u16 hash[IOV_MC_MAX_HASHES];
	u32 msg[IOV_MBX_WORDS];
	struct netdev_hw_addr *ha;
	unsigned int n = 0;
	bool allmulti;
	int err = 0;

	netif_addr_lock_bh(nd);
	allmulti = (nd->flags & (IFF_ALLMULTI | IFF_PROMISC)) ||
		   netdev_mc_count(nd) > IOV_MC_MAX_HASHES;
	netdev_for_each_mc_addr(ha, nd) {
		if (n == IOV_MC_MAX_HASHES)
			break;
		hash[n++] = iov_mc_hash(ha->addr);
	}
	netif_addr_unlock_bh(nd);

	if (force || n != vf->mc_count ||
	    memcmp(hash, vf->mc_hash, n * sizeof(u16))) {
		unsigned int words = iov_mbx_build_set_mc(msg, hash, n);

		err = iovvf_mbx_request(vf, msg, words, 1, NULL);
		if (!err) {
			vf->mc_count = n;
			memcpy(vf->mc_hash, hash, n * sizeof(u16));
		} else if (err != -EPERM) {
			return err;
		}
	}
	/*
	 * The model and igb offer multicast promiscuity only (no UPE). A
	 * refusal (iovpf wants the VF trusted) is remembered until the wish
	 * changes or a reset, so rx_mode updates don't repeat the request.
	 */
	if (!allmulti)
		vf->promisc_refused = false;
	if (force || (allmulti != vf->promisc_mc && !vf->promisc_refused)) {
		iov_mbx_build_set_promisc(msg, allmulti ?
					  IOV_PROMISC_MULTICAST : 0);
		err = iovvf_mbx_request(vf, msg, 1, 1, NULL);
		if (!err) {
			vf->promisc_mc = allmulti;
		} else if (err == -EPERM && allmulti) {
			vf->promisc_refused = true;
			netdev_info(nd, "PF refused multicast promiscuous mode\n");
		}
	}
	return err == -EPERM ? 0 : err;
}

static void iovvf_rx_mode_task(struct work_struct *work)
{
	struct iovvf *vf = container_of(work, struct iovvf, rx_mode_task);

	rtnl_lock();
	if (test_bit(IOVVF_HW_READY, &vf->state) &&
	    !test_bit(IOVVF_REMOVING, &vf->state))
		iovvf_sync_rx_mode(vf, false);
	rtnl_unlock();
}

/* Called in atomic context: requests sleep, so defer them. */
static void iovvf_set_rx_mode(struct net_device *nd)
{
	struct iovvf *vf = netdev_priv(nd);

	if (!test_bit(IOVVF_REMOVING, &vf->state))
		schedule_work(&vf->rx_mode_task);
}

/*
 * Replay everything the PF forgets on a VF reset. Returns an error only if
 * the mailbox itself failed (the caller then retries the whole reset).
 */
int iovvf_restore_filters(struct iovvf *vf)
{
	struct net_device *nd = vf->netdev;
	u16 vid;
	int err;

	if (!ether_addr_equal(nd->dev_addr, vf->pf_mac)) {
		err = iovvf_send_mac(vf, nd->dev_addr);
		if (err == -EPERM)
			netdev_warn(nd, "PF refused MAC %pM\n", nd->dev_addr);
		else if (err)
			return err;
	}
	err = iovvf_send_lpe(vf, vf->max_frame);
	if (err && err != -EPERM)
		return err;
	for_each_set_bit(vid, vf->active_vlans, VLAN_N_VID) {
		err = iovvf_send_vlan(vf, vid, true);
		if (err && err != -EPERM)
			return err;
	}
	return iovvf_sync_rx_mode(vf, true);
}

static int iovvf_set_mac(struct net_device *nd, void *p)
{
	struct iovvf *vf = netdev_priv(nd);
	struct sockaddr *sa = p;
	int err;

	if (!is_valid_ether_addr(sa->sa_data))
		return -EADDRNOTAVAIL;
	if (ether_addr_equal(nd->dev_addr, sa->sa_data))
		return 0;
	if (test_bit(IOVVF_HW_READY, &vf->state)) {
		err = iovvf_send_mac(vf, sa->sa_data);
		if (err)
			return iovvf_req_err(err);
	}
	eth_hw_addr_set(nd, sa->sa_data);
	return 0;
}

static int iovvf_change_mtu(struct net_device *nd, int mtu)
{
	struct iovvf *vf = netdev_priv(nd);
	u32 max_frame = mtu + ETH_HLEN + ETH_FCS_LEN + VLAN_HLEN;
	int err;

	if (test_bit(IOVVF_HW_READY, &vf->state)) {
		err = iovvf_send_lpe(vf, max_frame);
		if (err)
			return err == -EPERM ? -EINVAL : err;
	}
	vf->max_frame = max_frame;
	WRITE_ONCE(nd->mtu, mtu);
	return 0;
}

static int iovvf_vlan_add(struct net_device *nd, __be16 proto, u16 vid)
{
	struct iovvf *vf = netdev_priv(nd);
	int err;

	if (test_bit(IOVVF_HW_READY, &vf->state)) {
		err = iovvf_send_vlan(vf, vid, true);
		if (err)
			return err == -EPERM ? -EINVAL : err;
	}
	set_bit(vid, vf->active_vlans);
	return 0;
}

static int iovvf_vlan_kill(struct net_device *nd, __be16 proto, u16 vid)
{
	struct iovvf *vf = netdev_priv(nd);
	int err = 0;

	clear_bit(vid, vf->active_vlans);
	if (test_bit(IOVVF_HW_READY, &vf->state) &&
	    !test_bit(IOVVF_REMOVING, &vf->state))
		err = iovvf_send_vlan(vf, vid, false);
	/* the filter is gone from our side either way */
	return err == -EPERM ? 0 : err;
}

static const struct net_device_ops iovvf_netdev_ops = {
	.ndo_open = iovvf_open,
	.ndo_stop = iovvf_stop,
	.ndo_start_xmit = iovvf_xmit,
	.ndo_tx_timeout = iovvf_tx_timeout,
	.ndo_get_stats64 = iovvf_get_stats64,
	.ndo_set_rx_mode = iovvf_set_rx_mode,
	.ndo_set_mac_address = iovvf_set_mac,
	.ndo_validate_addr = eth_validate_addr,
	.ndo_change_mtu = iovvf_change_mtu,
	.ndo_vlan_rx_add_vid = iovvf_vlan_add,
	.ndo_vlan_rx_kill_vid = iovvf_vlan_kill,
};

/* ---- per-queue statistics (netlink qstats) -------------------------------- */

static void iovvf_qstats_rx(struct net_device *nd, int idx,
			    struct netdev_queue_stats_rx *q)
{
	struct iovvf *vf = netdev_priv(nd);
	struct iov_ring_stats s;

	iov_ring_read_stats(&vf->rx, &s);
	iov_ring_fill_qstats_rx(&s, q);
}

static void iovvf_qstats_tx(struct net_device *nd, int idx,
			    struct netdev_queue_stats_tx *q)
{
	struct iovvf *vf = netdev_priv(nd);
	struct iov_ring_stats s;

	iov_ring_read_stats(&vf->tx, &s);
	iov_ring_fill_qstats_tx(&s, q);
}

/* Ring counters survive down/up (the rings are embedded): the base is zero. */
static void iovvf_qstats_base(struct net_device *nd,
			      struct netdev_queue_stats_rx *rx,
			      struct netdev_queue_stats_tx *tx)
{
	static const struct iov_ring_stats zero;

	iov_ring_fill_qstats_rx(&zero, rx);
	iov_ring_fill_qstats_tx(&zero, tx);
}

static const struct netdev_stat_ops iovvf_stat_ops = {
	.get_queue_stats_rx = iovvf_qstats_rx,
	.get_queue_stats_tx = iovvf_qstats_tx,
	.get_base_stats = iovvf_qstats_base,
};

int iovvf_netdev_setup(struct iovvf *vf)
{
	struct net_device *nd = vf->netdev;
	char name[IOV_STATS_NAME];

	nd->netdev_ops = &iovvf_netdev_ops;
	nd->stat_ops = &iovvf_stat_ops;
	iovvf_set_ethtool_ops(nd);
	nd->watchdog_timeo = 5 * HZ;
	nd->min_mtu = ETH_MIN_MTU;
	nd->max_mtu = IOVVF_MAX_MTU;
	vf->max_frame = ETH_DATA_LEN + ETH_HLEN + ETH_FCS_LEN + VLAN_HLEN;

	/* what the model honours on VF queues: csum and TSO, not VLAN tags */
	nd->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			  NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_RXCSUM |
			  NETIF_F_SCTP_CRC;
	nd->features = nd->hw_features | NETIF_F_HW_VLAN_CTAG_FILTER;
	nd->vlan_features = nd->hw_features;

	INIT_WORK(&vf->rx_mode_task, iovvf_rx_mode_task);
	netif_napi_add(nd, &vf->napi, iovvf_poll);
	snprintf(name, sizeof(name), "%s-q0", nd->name);
	iov_stats_napi_setup(vf->sd, 0, name, IOVVF_NAPI_BUDGET);
	vf->napi_st = &vf->sd->napi[0];
	return 0;
}
