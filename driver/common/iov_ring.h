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
#include "iov_ring_stats.h"

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

/**
 * iov_ring_alloc() - allocate a ring's descriptors and buffer info
 * @r: the ring; the caller has filled dev, netdev, napi, count,
 *	queue_index, reg_idx, is_rx (and quirks)
 *
 * An RX ring also gets its page pool. The hardware is not touched.
 *
 * Return: 0 or -ENOMEM (nothing left allocated).
 */
int iov_ring_alloc(struct iov_ring *r);

/**
 * iov_ring_free() - free what iov_ring_alloc() allocated, and the buffers
 * @r: the ring, its hardware queue disabled; may be freed already
 */
void iov_ring_free(struct iov_ring *r);

/**
 * iov_rx_refill() - post RX buffers and move the tail
 * @r: an RX ring with its tail set (the hardware layer's setup_rx)
 * @n: buffers to post; at most count - 1 are ever outstanding
 *
 * Return: false if a buffer could not be allocated (counted as alloc_fail;
 * the next poll retries).
 */
bool iov_rx_refill(struct iov_ring *r, u16 n);

/**
 * iov_rx_clean() - receive up to @budget frames into napi_gro_receive()
 * @r: an RX ring, from its NAPI poll
 * @budget: NAPI budget
 *
 * Frames spanning descriptors are chained, checksum status and VLAN tags
 * are applied, frames with error bits are dropped and counted, and the
 * ring is refilled.
 *
 * Return: the frames received (the NAPI work done).
 */
int iov_rx_clean(struct iov_ring *r, int budget);

/**
 * iov_rx_drop_all() - free every posted RX buffer
 * @r: an RX ring whose hardware queue is disabled
 */
void iov_rx_drop_all(struct iov_ring *r);

/**
 * iov_xmit() - queue one skb (the body of ndo_start_xmit)
 * @skb: the frame; checksum offload and TSO are applied as requested
 * @r: the TX ring of the skb's queue
 *
 * Return: NETDEV_TX_OK (sent or dropped and counted) or NETDEV_TX_BUSY
 * (ring full; the queue is stopped until iov_tx_clean() wakes it).
 */
netdev_tx_t iov_xmit(struct sk_buff *skb, struct iov_ring *r);

/**
 * iov_tx_clean() - reclaim completed TX descriptors
 * @r: a TX ring, from its NAPI poll
 * @budget: NAPI budget (0 from netpoll: completions only)
 *
 * Return: true when every completed descriptor was reclaimed.
 */
bool iov_tx_clean(struct iov_ring *r, int budget);

/**
 * iov_tx_drop_all() - free every queued TX buffer
 * @r: a TX ring whose hardware queue is disabled
 */
void iov_tx_drop_all(struct iov_ring *r);

/**
 * iov_ring_read_stats() - a consistent copy of a ring's counters
 * @r: the ring
 * @s: filled with its counters (u64_stats retry loop)
 */
void iov_ring_read_stats(const struct iov_ring *r, struct iov_ring_stats *s);

struct ethtool_ringparam;
struct netlink_ext_ack;

/**
 * iov_ringparam_get() - ethtool -g for both drivers
 * @rp: filled with the limits and the current sizes
 * @rx_count: RX descriptors per ring
 * @tx_count: TX descriptors per ring
 */
void iov_ringparam_get(struct ethtool_ringparam *rp, u16 rx_count,
		       u16 tx_count);

/**
 * iov_ringparam_set() - ethtool -G policy for both drivers
 * @rp: the request
 * @rx_count: in: the current RX size; out: the new one
 * @tx_count: in: the current TX size; out: the new one
 * @ext: extack for the reason of a refusal
 *
 * Sizes are IOV_RING_MIN..IOV_RING_MAX descriptors, rounded up to
 * IOV_RING_ALIGN; below the minimum is refused.
 *
 * Return: 1 if a size changed (the caller rebuilds its rings), 0 if not,
 * -EINVAL if refused (the counts are left alone).
 */
int iov_ringparam_set(const struct ethtool_ringparam *rp, u16 *rx_count,
		      u16 *tx_count, struct netlink_ext_ack *ext);

#if IOV_HAVE_QSTATS
struct netdev_queue_stats_rx;
struct netdev_queue_stats_tx;

/**
 * iov_ring_fill_qstats_rx() - RX ring counters as netdev netlink qstats
 * @rs: the counters (iov_ring_read_stats())
 * @q: the per-queue stats of a stat_ops callback
 */
void iov_ring_fill_qstats_rx(const struct iov_ring_stats *rs, struct netdev_queue_stats_rx *q);

/**
 * iov_ring_fill_qstats_tx() - TX ring counters as netdev netlink qstats
 * @rs: the counters (iov_ring_read_stats())
 * @q: the per-queue stats of a stat_ops callback
 */
void iov_ring_fill_qstats_tx(const struct iov_ring_stats *rs, struct netdev_queue_stats_tx *q);
#endif

#endif /* _IOV_RING_H_ */
