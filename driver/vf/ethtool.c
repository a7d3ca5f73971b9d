// SPDX-License-Identifier: GPL-2.0
/*
 * iovvf ethtool: driver info, link, rings, coalescing (EITR) and ethtool -S
 * (ring counters, interrupts, NAPI, mailbox outcomes, recovery events).
 */
#include <linux/module.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include "iovvf.h"

enum iovvf_stat_src { SRC_RX, SRC_TX, SRC_VF, SRC_MBX };

struct iovvf_stat {
	char name[ETH_GSTRING_LEN];
	enum iovvf_stat_src src;
	size_t off;
};

#define RX_STAT(n, f) { n, SRC_RX, offsetof(struct iov_ring_stats, f) }
#define TX_STAT(n, f) { n, SRC_TX, offsetof(struct iov_ring_stats, f) }
#define VF_STAT(n, f) { n, SRC_VF, offsetof(struct iovvf, f) }
#define MBX_STAT(n, f) { n, SRC_MBX, offsetof(struct iovvf_mbx, f) }

static const struct iovvf_stat iovvf_stats[] = {
	RX_STAT("rx_packets", packets),
	RX_STAT("rx_bytes", bytes),
	RX_STAT("rx_alloc_fail", alloc_fail),
	RX_STAT("rx_csum_unnecessary", csum_unnecessary),
	RX_STAT("rx_csum_none", csum_none),
	RX_STAT("rx_csum_bad", csum_bad),
	RX_STAT("rx_hw_drops", hw_drops),
	TX_STAT("tx_packets", packets),
	TX_STAT("tx_bytes", bytes),
	TX_STAT("tx_needs_csum", needs_csum),
	TX_STAT("tx_tso_packets", tso_packets),
	TX_STAT("tx_tso_bytes", tso_bytes),
	TX_STAT("tx_stops", stops),
	TX_STAT("tx_wakes", wakes),
	TX_STAT("tx_dma_err", dma_err),
	MBX_STAT("mbx_requests", requests),
	MBX_STAT("mbx_retries", retried),
	MBX_STAT("mbx_irq_missed", irq_missed),
	MBX_STAT("mbx_pf_messages", unsolicited),
	MBX_STAT("mbx_stray_replies", stray_replies),
	MBX_STAT("mbx_lock_fail", lock_fail),
	VF_STAT("pf_resets", pf_resets),
	VF_STAT("vf_resets", vf_resets),
	VF_STAT("flr", flrs),
	VF_STAT("link_changes", link_changes),
	VF_STAT("tx_timeouts", tx_timeouts),
};

/*
 * instrumentation counters (move only while iovbench/enable is 1), then
 * the moderation state and its counters (iov_itr_stat_names)
 */
static const char * const iovvf_inst_names[] = {
	"irq_mbx", "irq_queue", "napi_polls", "napi_irqs",
	"napi_rearms", "mbx_acks", "mbx_nacks", "mbx_timeouts",
};

#define IOVVF_NSTATS	(ARRAY_SIZE(iovvf_stats) + ARRAY_SIZE(iovvf_inst_names) + \
			 IOV_ITR_NSTATS)

static void iovvf_get_drvinfo(struct net_device *nd,
			      struct ethtool_drvinfo *info)
{
	struct iovvf *vf = netdev_priv(nd);

	strscpy(info->driver, IOVVF_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(vf->pdev), sizeof(info->bus_info));
}

static int iovvf_get_link_ksettings(struct net_device *nd,
				    struct ethtool_link_ksettings *ks)
{
	struct iovvf *vf = netdev_priv(nd);
	int speed;
	u8 duplex;
	bool up = vf->hw_ops->link(vf, &speed, &duplex);

	ethtool_link_ksettings_zero_link_mode(ks, supported);
	ethtool_link_ksettings_zero_link_mode(ks, advertising);
	ks->base.port = PORT_NONE;
	ks->base.autoneg = AUTONEG_DISABLE;
	if (netif_carrier_ok(nd) && up) {
		ks->base.speed = speed;
		ks->base.duplex = duplex;
	} else {
		ks->base.speed = SPEED_UNKNOWN;
		ks->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

static u32 iovvf_get_msglevel(struct net_device *nd)
{
	return ((struct iovvf *)netdev_priv(nd))->msg_enable;
}

static void iovvf_set_msglevel(struct net_device *nd, u32 v)
{
	((struct iovvf *)netdev_priv(nd))->msg_enable = v;
}

static void iovvf_get_ringparam(struct net_device *nd,
				struct ethtool_ringparam *rp,
				struct kernel_ethtool_ringparam *krp,
				struct netlink_ext_ack *ext)
{
	struct iovvf *vf = netdev_priv(nd);

	iov_ringparam_get(rp, vf->rx_count, vf->tx_count);
}

static int iovvf_set_ringparam(struct net_device *nd,
			       struct ethtool_ringparam *rp,
			       struct kernel_ethtool_ringparam *krp,
			       struct netlink_ext_ack *ext)
{
	struct iovvf *vf = netdev_priv(nd);
	bool running = netif_running(nd);
	u16 rx = vf->rx_count, tx = vf->tx_count;
	int changed = iov_ringparam_set(rp, &rx, &tx, ext);

	if (changed <= 0)
		return changed;
	/* the rings are sized at up: take them down with the old counts */
	if (running)
		iovvf_down(vf);
	vf->rx_count = rx;
	vf->tx_count = tx;
	return running ? iovvf_up(vf) : 0;
}

/*
 * adaptive-rx (default on): the EITR follows the traffic (iov_itr.c);
 * rx-usecs is the fixed delay used when adaptive-rx is off (0 = none).
 * The queue vector's EITR serves RX and TX, so rx-usecs covers TX too.
 */
static int iovvf_get_coalesce(struct net_device *nd,
			      struct ethtool_coalesce *ec,
			      struct kernel_ethtool_coalesce *kec,
			      struct netlink_ext_ack *ext)
{
	struct iovvf *vf = netdev_priv(nd);

	ec->use_adaptive_rx_coalesce = vf->itr.adaptive;
	ec->rx_coalesce_usecs = iov_itr_eitr_to_usecs(vf->itr.fixed_eitr,
						      vf->quirks);
	return 0;
}

static int iovvf_set_coalesce(struct net_device *nd,
			      struct ethtool_coalesce *ec,
			      struct kernel_ethtool_coalesce *kec,
			      struct netlink_ext_ack *ext)
{
	struct iovvf *vf = netdev_priv(nd);
	bool running = !test_bit(IOVVF_DOWN, &vf->state);
	bool adaptive = ec->use_adaptive_rx_coalesce;

	if (ec->rx_coalesce_usecs > IOV_ITR_MAX_USECS) {
		NL_SET_ERR_MSG(ext, "rx-usecs above 33000");
		return -EINVAL;
	}
	if (adaptive && ec->rx_coalesce_usecs !=
	    iov_itr_eitr_to_usecs(vf->itr.fixed_eitr, vf->quirks)) {
		NL_SET_ERR_MSG(ext, "rx-usecs is fixed moderation: turn adaptive-rx off");
		return -EINVAL;
	}
	/* the poll updates the state: keep it out while we replace it */
	if (running)
		napi_disable(&vf->napi);
	iov_itr_config(&vf->itr, adaptive, ec->rx_coalesce_usecs);
	iovvf_write_eitr(vf);
	if (running)
		napi_enable(&vf->napi);
	return 0;
}

static int iovvf_get_sset_count(struct net_device *nd, int sset)
{
	return sset == ETH_SS_STATS ? IOVVF_NSTATS : -EOPNOTSUPP;
}

static void iovvf_get_strings(struct net_device *nd, u32 sset, u8 *data)
{
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(iovvf_stats); i++)
		ethtool_puts(&data, iovvf_stats[i].name);
	for (i = 0; i < ARRAY_SIZE(iovvf_inst_names); i++)
		ethtool_puts(&data, iovvf_inst_names[i]);
	for (i = 0; i < IOV_ITR_NSTATS; i++)
		ethtool_puts(&data, iov_itr_stat_names[i]);
}

static void iovvf_get_ethtool_stats(struct net_device *nd,
				    struct ethtool_stats *es, u64 *data)
{
	struct iovvf *vf = netdev_priv(nd);
	struct iov_ring_stats rx, tx;
	u64 ack = 0, nack = 0, tmo = 0;
	unsigned int i;

	iov_ring_read_stats(&vf->rx, &rx);
	iov_ring_read_stats(&vf->tx, &tx);
	for (i = 0; i < ARRAY_SIZE(iovvf_stats); i++) {
		const struct iovvf_stat *s = &iovvf_stats[i];
		const void *base;

		switch (s->src) {
		case SRC_RX:
			base = &rx;
			break;
		case SRC_TX:
			base = &tx;
			break;
		case SRC_MBX:
			base = &vf->mbx;
			break;
		default:
			base = vf;
		}
		*data++ = READ_ONCE(*(const u64 *)(base + s->off));
	}
	for (i = 0; i < IOV_OP_NUM; i++) {
		ack += READ_ONCE(vf->sd->mbx[0].op[i].ack);
		nack += READ_ONCE(vf->sd->mbx[0].op[i].nack);
		tmo += READ_ONCE(vf->sd->mbx[0].op[i].timeout);
	}
	for (i = 0; i < IOVVF_NVEC; i++)
		*data++ = READ_ONCE(vf->sd->irq[i].count);
	*data++ = READ_ONCE(vf->napi_st->polls);
	*data++ = READ_ONCE(vf->napi_st->irqs);
	*data++ = READ_ONCE(vf->napi_st->rearms);
	*data++ = ack;
	*data++ = nack;
	*data++ = tmo;
	iov_itr_read_stats(&vf->itr, data);
}

static const struct ethtool_ops iovvf_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_RX_USECS |
				     ETHTOOL_COALESCE_USE_ADAPTIVE_RX,
	.get_drvinfo = iovvf_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_link_ksettings = iovvf_get_link_ksettings,
	.get_msglevel = iovvf_get_msglevel,
	.set_msglevel = iovvf_set_msglevel,
	.get_ringparam = iovvf_get_ringparam,
	.set_ringparam = iovvf_set_ringparam,
	.get_coalesce = iovvf_get_coalesce,
	.set_coalesce = iovvf_set_coalesce,
	.get_sset_count = iovvf_get_sset_count,
	.get_strings = iovvf_get_strings,
	.get_ethtool_stats = iovvf_get_ethtool_stats,
};

void iovvf_set_ethtool_ops(struct net_device *nd)
{
	nd->ethtool_ops = &iovvf_ethtool_ops;
}
