/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iovbench: advanced-descriptor TX/RX rings shared by iovpf and iovvf.
 * The 82576 PF and VF use the same descriptor formats; only the ring
 * register offsets differ, so the drivers program the registers and hand
 * the ring a tail pointer. RX buffers come from a page_pool (one page per
 * descriptor, 2 KiB buffer after NET_SKB_PAD headroom, build_skb).
 */
#ifndef _IOV_RING_H_
#define _IOV_RING_H_

#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <linux/dma-mapping.h>
#include "iov_compat.h"
#include "iov_regs.h"
#include "iov_quirks.h"

#define IOV_RING_DEFAULT	256
#define IOV_RING_MIN		64
#define IOV_RING_MAX		4096
#define IOV_RING_ALIGN		8	/* DLEN must be a multiple of 128 B */
#define IOV_RX_BUF_LEN		2048	/* SRRCTL.BSIZEPKT = 2 KiB */
#define IOV_RX_HEADROOM		(NET_SKB_PAD + NET_IP_ALIGN)
#define IOV_TX_MAX_PER_DESC	(32u * 1024)
/* worst case per skb: context + head + frags split at 32 KiB + gap */
#define IOV_TX_DESC_NEEDED	(MAX_SKB_FRAGS + 4)

struct page_pool;

struct iov_tx_buf {
	struct sk_buff *skb;		/* set on the first buffer of a packet */
	union iov_adv_tx_desc *eop;	/* last descriptor, polled for DD */
	unsigned int bytes;		/* wire bytes (TSO: all segments) */
	unsigned short segs;
	DEFINE_DMA_UNMAP_ADDR(dma);
	DEFINE_DMA_UNMAP_LEN(len);
	bool is_page;			/* frag mapping vs dma_map_single */
};

struct iov_rx_buf {
	struct page *page;
};

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

struct iov_ring {
	void *desc;			/* descriptor ring (coherent) */
	dma_addr_t dma;
	unsigned int size;		/* bytes */
	union {
		struct iov_tx_buf *tx_buf;
		struct iov_rx_buf *rx_buf;
	};
	struct device *dev;		/* DMA device */
	struct net_device *netdev;
	struct napi_struct *napi;
	struct page_pool *pp;		/* RX only */
	struct sk_buff *rx_skb;		/* frame spanning descriptors */
	void __iomem *tail;		/* RDT / TDT of this ring */
	u16 count;
	u16 next_to_use;
	u16 next_to_clean;
	u16 queue_index;		/* netdev queue */
	u16 reg_idx;			/* hardware queue */
	bool is_rx;
	u32 quirks;			/* IOV_QUIRK_* (iov_quirks.h) */
	struct u64_stats_sync syncp;
	struct iov_ring_stats stats;
};

static inline u16 iov_ring_unused(const struct iov_ring *r)
{
	u16 ntc = r->next_to_clean, ntu = r->next_to_use;

	return ((ntc > ntu) ? 0 : r->count) + ntc - ntu - 1;
}

/*
 * Allocate descriptors and buffer info (and the page pool for RX); the
 * caller fills dev, netdev, napi, count, queue_index, reg_idx, is_rx.
 */
int iov_ring_alloc(struct iov_ring *r);
void iov_ring_free(struct iov_ring *r);

/* RX: post buffers (at most count-1) and bump tail. Returns false on ENOMEM */
bool iov_rx_refill(struct iov_ring *r, u16 n);
/* Process up to @budget frames into napi_gro_receive(). Returns work. */
int iov_rx_clean(struct iov_ring *r, int budget);
/* Free all buffers (hardware queue must be disabled). */
void iov_rx_drop_all(struct iov_ring *r);

/* TX: queue one skb on @r (ndo_start_xmit body). */
netdev_tx_t iov_xmit(struct sk_buff *skb, struct iov_ring *r);
/* Reclaim completed descriptors; returns true if all work was done. */
bool iov_tx_clean(struct iov_ring *r, int budget);
void iov_tx_drop_all(struct iov_ring *r);

void iov_ring_read_stats(const struct iov_ring *r, struct iov_ring_stats *s);

struct ethtool_ringparam;
struct netlink_ext_ack;
void iov_ringparam_get(struct ethtool_ringparam *rp, u16 rx_count,
		       u16 tx_count);
int iov_ringparam_set(const struct ethtool_ringparam *rp, u16 *rx_count,
		      u16 *tx_count, struct netlink_ext_ack *ext);

#if IOV_HAVE_QSTATS
struct netdev_queue_stats_rx;
struct netdev_queue_stats_tx;
/* Ring counters as netdev netlink per-queue stats (qstats), for both drivers' stat_ops. */
void iov_ring_fill_qstats_rx(const struct iov_ring_stats *rs, struct netdev_queue_stats_rx *q);
void iov_ring_fill_qstats_tx(const struct iov_ring_stats *rs, struct netdev_queue_stats_tx *q);
#endif

#endif /* _IOV_RING_H_ */
