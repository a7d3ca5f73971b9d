// SPDX-License-Identifier: GPL-2.0
/*
 * iovpf ethtool: link, rings, coalescing, channels and statistics
 * (per-queue software counters plus the iovbench instrumentation).
 */
#include <linux/ethtool.h>
#include <linux/linkmode.h>
#include <linux/rtnetlink.h>
#include "iovpf.h"

struct iovpf_ring_stat {
	char name[ETH_GSTRING_LEN];
	size_t off;
};

#define RS(n, f) { n, offsetof(struct iov_ring_stats, f) }
static const struct iovpf_ring_stat iovpf_rx_stats[] = {
	RS("packets", packets), RS("bytes", bytes),
	RS("alloc_fail", alloc_fail), RS("csum_unnecessary", csum_unnecessary),
	RS("csum_none", csum_none), RS("csum_bad", csum_bad),
	RS("hw_drops", hw_drops),
};

static const struct iovpf_ring_stat iovpf_tx_stats[] = {
	RS("packets", packets), RS("bytes", bytes),
	RS("needs_csum", needs_csum), RS("tso_packets", tso_packets),
	RS("tso_bytes", tso_bytes), RS("stops", stops), RS("wakes", wakes),
	RS("dma_err", dma_err),
};

/* instrumentation counters, per vector / NAPI / total mailbox */
#define IOVPF_NAPI_STATS	3	/* polls, irqs, rearms */
#define IOVPF_GLOBAL_STATS	6

static const char iovpf_global_names[IOVPF_GLOBAL_STATS][ETH_GSTRING_LEN] = {
	"rx_crc_errors", "rx_missed", "rx_no_buffer", "irq_other",
	"mbx_requests", "mbx_rejected",
};

/* the queue pairs ethtool -S shows: as many as configured (RTNL held) */
static unsigned int iovpf_stats_qp(const struct iovpf *pf)
{
	return min(pf->req_qp, pf->max_qp);
}

static int iovpf_sset_count(struct net_device *nd, int sset)
{
	struct iovpf *pf = netdev_priv(nd);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return IOVPF_GLOBAL_STATS + iovpf_stats_qp(pf) *
	       (ARRAY_SIZE(iovpf_rx_stats) + ARRAY_SIZE(iovpf_tx_stats) +
		1 + IOVPF_NAPI_STATS + IOV_ITR_NSTATS);
}

static void iovpf_get_strings(struct net_device *nd, u32 sset, u8 *data)
{
	struct iovpf *pf = netdev_priv(nd);
	unsigned int q, i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < IOVPF_GLOBAL_STATS; i++)
		ethtool_puts(&data, iovpf_global_names[i]);
	for (q = 0; q < iovpf_stats_qp(pf); q++) {
		for (i = 0; i < ARRAY_SIZE(iovpf_rx_stats); i++)
			ethtool_sprintf(&data, "rx%u_%s", q,
					iovpf_rx_stats[i].name);
		for (i = 0; i < ARRAY_SIZE(iovpf_tx_stats); i++)
			ethtool_sprintf(&data, "tx%u_%s", q,
					iovpf_tx_stats[i].name);
		ethtool_sprintf(&data, "q%u_irqs", q);
		ethtool_sprintf(&data, "q%u_napi_polls", q);
		ethtool_sprintf(&data, "q%u_napi_irqs", q);
		ethtool_sprintf(&data, "q%u_napi_rearms", q);
		for (i = 0; i < IOV_ITR_NSTATS; i++)
			ethtool_sprintf(&data, "q%u_%s", q,
					iov_itr_stat_names[i]);
	}
}

static void iovpf_get_ethtool_stats(struct net_device *nd,
				    struct ethtool_stats *es, u64 *data)
{
	struct iovpf *pf = netdev_priv(nd);
	u64 req = 0, rej = 0;
	unsigned int q, i, v, o;

	pf->hw_ops->update_stats(pf);
	for (v = 0; v < IOV_STATS_MAX_MBX; v++) {
		for (o = 0; o < IOV_OP_NUM; o++)
			req += READ_ONCE(pf->sd->mbx[v].op[o].count);
		for (o = 0; o < IOV_REJ_NUM; o++)
			rej += READ_ONCE(pf->sd->mbx[v].rejected[o]);
	}
	spin_lock_bh(&pf->stats_lock);
	*data++ = pf->hw_crcerrs;
	*data++ = pf->hw_mpc;
	*data++ = pf->hw_rnbc;
	*data++ = READ_ONCE(pf->sd->irq[IOVPF_VEC_OTHER].count);
	*data++ = req;
	*data++ = rej;
	for (q = 0; q < iovpf_stats_qp(pf); q++) {
		struct iovpf_qvec *qv = pf->qv[q];
		struct iov_napi_stats *ns = &pf->sd->napi[q];
		struct iov_ring_stats rs = {};

		if (qv)
			iov_ring_read_stats(&qv->rx, &rs);
		for (i = 0; i < ARRAY_SIZE(iovpf_rx_stats); i++)
			*data++ = *(u64 *)((u8 *)&rs + iovpf_rx_stats[i].off);
		memset(&rs, 0, sizeof(rs));
		if (qv)
			iov_ring_read_stats(&qv->tx, &rs);
		for (i = 0; i < ARRAY_SIZE(iovpf_tx_stats); i++)
			*data++ = *(u64 *)((u8 *)&rs + iovpf_tx_stats[i].off);
		*data++ = READ_ONCE(pf->sd->irq[1 + q].count);
		*data++ = READ_ONCE(ns->polls);
		*data++ = READ_ONCE(ns->irqs);
		*data++ = READ_ONCE(ns->rearms);
		if (qv) {
			data = iov_itr_read_stats(&qv->itr, data);
		} else {
			memset(data, 0, IOV_ITR_NSTATS * sizeof(*data));
			data += IOV_ITR_NSTATS;
		}
	}
	spin_unlock_bh(&pf->stats_lock);
}

static void iovpf_get_drvinfo(struct net_device *nd,
			      struct ethtool_drvinfo *info)
{
	struct iovpf *pf = netdev_priv(nd);

	strscpy(info->driver, IOVPF_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(pf->pdev), sizeof(info->bus_info));
}

static int iovpf_get_link_ksettings(struct net_device *nd,
				    struct ethtool_link_ksettings *ks)
{
	struct iovpf *pf = netdev_priv(nd);

	ethtool_link_ksettings_zero_link_mode(ks, supported);
	linkmode_set_bit(ETHTOOL_LINK_MODE_1000baseT_Full_BIT, ks->link_modes.supported);
	linkmode_set_bit(ETHTOOL_LINK_MODE_Autoneg_BIT, ks->link_modes.supported);
	linkmode_set_bit(ETHTOOL_LINK_MODE_1000baseT_Full_BIT, ks->link_modes.advertising);
	ks->base.port = PORT_TP;
	ks->base.autoneg = AUTONEG_ENABLE;
	if (netif_carrier_ok(nd)) {
		ks->base.speed = pf->link_speed;
		ks->base.duplex = DUPLEX_FULL;
	} else {
		ks->base.speed = SPEED_UNKNOWN;
		ks->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

static void iovpf_get_ringparam(struct net_device *nd,
				struct ethtool_ringparam *r,
				struct kernel_ethtool_ringparam *kr,
				struct netlink_ext_ack *ext)
{
	struct iovpf *pf = netdev_priv(nd);

	iov_ringparam_get(r, pf->rx_count, pf->tx_count);
}

static int iovpf_set_ringparam(struct net_device *nd,
			       struct ethtool_ringparam *r,
			       struct kernel_ethtool_ringparam *kr,
			       struct netlink_ext_ack *ext)
{
	struct iovpf *pf = netdev_priv(nd);
	int changed = iov_ringparam_set(r, &pf->rx_count, &pf->tx_count, ext);

	if (changed > 0)
		iovpf_reinit_locked(pf);
	return min(changed, 0);
}

/*
 * adaptive-rx (default on): each queue vector's EITR follows its traffic
 * (iov_itr.c); rx-usecs is the fixed delay used when adaptive-rx is off
 * (0 = none), converted with the model's unit in iov_itr_usecs_to_eitr().
 */
static int iovpf_get_coalesce(struct net_device *nd,
			      struct ethtool_coalesce *ec,
			      struct kernel_ethtool_coalesce *kec,
			      struct netlink_ext_ack *ext)
{
	struct iovpf *pf = netdev_priv(nd);

	ec->use_adaptive_rx_coalesce = pf->itr_adaptive;
	ec->rx_coalesce_usecs = pf->itr_usecs;
	return 0;
}

static int iovpf_set_coalesce(struct net_device *nd,
			      struct ethtool_coalesce *ec,
			      struct kernel_ethtool_coalesce *kec,
			      struct netlink_ext_ack *ext)
{
	struct iovpf *pf = netdev_priv(nd);
	bool up = !test_bit(IOVPF_DOWN, &pf->state);
	bool adaptive = ec->use_adaptive_rx_coalesce;
	unsigned int i;

	if (ec->rx_coalesce_usecs > IOV_ITR_MAX_USECS) {
		NL_SET_ERR_MSG(ext, "rx-usecs above 33000");
		return -EINVAL;
	}
	if (adaptive && ec->rx_coalesce_usecs != pf->itr_usecs) {
		NL_SET_ERR_MSG(ext, "rx-usecs is fixed moderation: turn adaptive-rx off");
		return -EINVAL;
	}
	pf->itr_adaptive = adaptive;
	pf->itr_usecs = ec->rx_coalesce_usecs;
	pf->itr_usecs = iov_itr_eitr_to_usecs(iov_itr_usecs_to_eitr(pf->itr_usecs, pf->quirks),
					      pf->quirks);
	if (!up)
		return 0;
	for (i = 0; i < pf->num_qp; i++) {
		struct iovpf_qvec *qv = pf->qv[i];

		/* the poll updates the state: keep it out while we replace it */
		napi_disable(&qv->napi);
		pf->hw_ops->set_itr(pf, qv->vec,
				    iov_itr_config(&qv->itr, adaptive,
						   pf->itr_usecs));
		napi_enable(&qv->napi);
	}
	return 0;
}

static void iovpf_get_channels(struct net_device *nd,
			       struct ethtool_channels *ch)
{
	struct iovpf *pf = netdev_priv(nd);

	ch->max_combined = pf->max_qp;	/* ethtool -L reallocates vectors */
	ch->max_other = 1;
	ch->other_count = 1;
	ch->combined_count = pf->num_qp ? pf->num_qp : 1;
}

/*
 * ethtool -L combined N: queue pairs without VFs (N > 1 spreads RX with
 * RSS); the MSI-X vectors are allocated again to match. With VFs the PF's
 * pool has one pair and the mailbox needs the "other" vector: refused.
 */
static int iovpf_set_channels(struct net_device *nd,
			      struct ethtool_channels *ch)
{
	struct iovpf *pf = netdev_priv(nd);
	bool running = netif_running(nd);
	int err;

	if (!ch->combined_count || ch->combined_count > pf->max_qp ||
	    ch->other_count != 1 || ch->rx_count || ch->tx_count)
		return -EINVAL;
	if (ch->combined_count == pf->req_qp)
		return 0;
	if (pf->num_vfs) {
		netdev_info(nd, "with VFs the PF has one queue pair; disable SR-IOV first\n");
		return -EBUSY;
	}
	if (running)
		iovpf_close(nd);
	err = iovpf_msix_reinit(pf, ch->combined_count);
	if (running) {
		int up = iovpf_open(nd);

		err = err ?: up;
	}
	return err;
}

static const struct ethtool_ops iovpf_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_RX_USECS |
				  ETHTOOL_COALESCE_USE_ADAPTIVE_RX,
	.get_drvinfo		= iovpf_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= iovpf_get_link_ksettings,
	.get_ringparam		= iovpf_get_ringparam,
	.set_ringparam		= iovpf_set_ringparam,
	.get_coalesce		= iovpf_get_coalesce,
	.set_coalesce		= iovpf_set_coalesce,
	.get_channels		= iovpf_get_channels,
	.set_channels		= iovpf_set_channels,
	.get_sset_count		= iovpf_sset_count,
	.get_strings		= iovpf_get_strings,
	.get_ethtool_stats	= iovpf_get_ethtool_stats,
};

void iovpf_set_ethtool_ops(struct net_device *nd)
{
	nd->ethtool_ops = &iovpf_ethtool_ops;
}
