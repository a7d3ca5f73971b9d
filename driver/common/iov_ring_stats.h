/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iovbench: a ring's software counters, apart from the ring itself so the
 * pure code that reads them (the interrupt moderation policy, iov_itr.c)
 * builds without the networking headers, in user space too (make unit).
 */
#ifndef _IOV_RING_STATS_H_
#define _IOV_RING_STATS_H_

#include <linux/types.h>

/* Per-ring software counters, read under syncp (netlink qstats, ethtool) */
struct iov_ring_stats {
	u64 packets;
	u64 bytes;
	/* RX */
	u64 alloc_fail;
	u64 csum_unnecessary;
	u64 csum_none;
	u64 csum_bad;
	u64 hw_drops;		/* frames with error bits or oversize */
	/* TX */
	u64 needs_csum;
	u64 tso_packets;
	u64 tso_bytes;
	u64 stops;
	u64 wakes;
	u64 dma_err;
};

#endif /* _IOV_RING_STATS_H_ */
