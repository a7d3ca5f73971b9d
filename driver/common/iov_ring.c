// SPDX-License-Identifier: GPL-2.0
/*
 * iovbench shared rings: 82576 advanced TX/RX descriptors, page_pool RX,
 * checksum/TSO offload, BQL. Used from NAPI context by iovpf and iovvf.
 */
#include <linux/module.h>
#include <linux/ethtool.h>
#include <linux/skbuff.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/sctp.h>
#include "iov_compat.h"
#if IOV_HAVE_QSTATS
#include <net/netdev_queues.h>
#endif
#include <net/checksum.h>
#include <net/ip6_checksum.h>
#if IOV_HAVE_PP_HELPERS
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif
#include "iov_ring.h"

#define IOV_RX_REFILL_BATCH	16

#define TX_DESC(r, i)	(&((union iov_adv_tx_desc *)(r)->desc)[i])
#define RX_DESC(r, i)	(&((union iov_adv_rx_desc *)(r)->desc)[i])

static int iov_rx_pool_create(struct iov_ring *r)
{
	struct page_pool_params pp = {
		.flags = PP_FLAG_DMA_MAP | PP_FLAG_DMA_SYNC_DEV,
		.order = 0,
		.pool_size = r->count,
		.nid = dev_to_node(r->dev),
		.dev = r->dev,
		.dma_dir = DMA_FROM_DEVICE,
		.offset = IOV_RX_HEADROOM,
		.max_len = IOV_RX_BUF_LEN,
#if IOV_HAVE_PP_HELPERS
		.napi = r->napi,
#endif
#if IOV_HAVE_PP_NETDEV
		.netdev = r->netdev,
		.queue_idx = r->queue_index,
#endif
	};

	r->pp = page_pool_create(&pp);
	if (IS_ERR(r->pp)) {
		int err = PTR_ERR(r->pp);

		r->pp = NULL;
		return err;
	}
	return 0;
}

int iov_ring_alloc(struct iov_ring *r)
{
	size_t bsz = r->is_rx ? sizeof(struct iov_rx_buf) :
				sizeof(struct iov_tx_buf);
	int err;

	r->size = ALIGN(r->count * 16, 4096);
	r->desc = dma_alloc_coherent(r->dev, r->size, &r->dma, GFP_KERNEL);
	if (!r->desc)
		return -ENOMEM;
	/* union member, either array works */
	r->tx_buf = kvcalloc(r->count, bsz, GFP_KERNEL);
	if (!r->tx_buf) {
		err = -ENOMEM;
		goto err_desc;
	}
	if (r->is_rx) {
		err = iov_rx_pool_create(r);
		if (err)
			goto err_buf;
	}
	r->next_to_use = 0;
	r->next_to_clean = 0;
	r->rx_skb = NULL;
	u64_stats_init(&r->syncp);
	return 0;

err_buf:
	kvfree(r->tx_buf);
	r->tx_buf = NULL;
err_desc:
	dma_free_coherent(r->dev, r->size, r->desc, r->dma);
	r->desc = NULL;
	return err;
}
EXPORT_SYMBOL_NS_GPL(iov_ring_alloc, IOV_NS);

void iov_ring_free(struct iov_ring *r)
{
	if (!r->desc)
		return;
	if (r->is_rx) {
		iov_rx_drop_all(r);
		page_pool_destroy(r->pp);
		r->pp = NULL;
	} else {
		iov_tx_drop_all(r);
	}
	kvfree(r->tx_buf);
	r->tx_buf = NULL;
	dma_free_coherent(r->dev, r->size, r->desc, r->dma);
	r->desc = NULL;
}
EXPORT_SYMBOL_NS_GPL(iov_ring_free, IOV_NS);

/* ---- RX ----------------------------------------------------------------- */

bool iov_rx_refill(struct iov_ring *r, u16 n)
{
	u16 i = r->next_to_use;
	bool ok = true;

	while (n--) {
		union iov_adv_rx_desc *d = RX_DESC(r, i);
		struct iov_rx_buf *b = &r->rx_buf[i];

		if (!b->page) {
			b->page = page_pool_dev_alloc_pages(r->pp);
			if (unlikely(!b->page)) {
				u64_stats_update_begin(&r->syncp);
				r->stats.alloc_fail++;
				u64_stats_update_end(&r->syncp);
				ok = false;
				break;
			}
		}
		d->read.pkt_addr = cpu_to_le64(page_pool_get_dma_addr(b->page) +
					       IOV_RX_HEADROOM);
		/* clears wb.status_error (DD) which overlays hdr_addr */
		d->read.hdr_addr = 0;
		if (++i == r->count)
			i = 0;
	}
	if (r->next_to_use != i) {
		r->next_to_use = i;
		/* descriptors visible before the tail moves */
		wmb();
		writel(i, r->tail);
	}
	return ok;
}
EXPORT_SYMBOL_NS_GPL(iov_rx_refill, IOV_NS);

static void iov_rx_csum(struct iov_ring *r, struct sk_buff *skb, u32 staterr,
			struct iov_ring_stats *st)
{
	skb_checksum_none_assert(skb);
	if (!(r->netdev->features & NETIF_F_RXCSUM) ||
	    (staterr & IOV_RXD_STAT_IXSM))
		goto none;
	if (staterr & (IOV_RXDEXT_ERR_TCPE | IOV_RXDEXT_ERR_IPE)) {
		st->csum_bad++;
		return;
	}
	if (staterr & (IOV_RXD_STAT_L4CS | IOV_RXD_STAT_UDPCS)) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		st->csum_unnecessary++;
		return;
	}
none:
	st->csum_none++;
}

int iov_rx_clean(struct iov_ring *r, int budget)
{
	struct iov_ring_stats st = {};
	struct sk_buff *skb = r->rx_skb;
	u16 i = r->next_to_clean, cleaned = 0;
	int done = 0;

	/*
	 * Stop at next_to_use: descriptors past it were consumed earlier in
	 * this poll and still show DD until refilled (a jumbo frame takes
	 * several descriptors per unit of budget, so the walk can wrap).
	 */
	while (done < budget && i != r->next_to_use) {
		union iov_adv_rx_desc *d = RX_DESC(r, i);
		struct iov_rx_buf *b = &r->rx_buf[i];
		u32 staterr = le32_to_cpu(d->wb.status_error);
		unsigned int len;
		struct page *page;

		if (!(staterr & IOV_RXD_STAT_DD))
			break;
		/* read the rest of the descriptor only after DD */
		dma_rmb();
		len = le16_to_cpu(d->wb.length);
		page = b->page;
		b->page = NULL;
		cleaned++;
		if (++i == r->count)
			i = 0;

		if (unlikely(!page))	/* cannot happen with a sane device */
			continue;
		dma_sync_single_range_for_cpu(r->dev,
					      page_pool_get_dma_addr(page),
					      IOV_RX_HEADROOM, len,
					      DMA_FROM_DEVICE);
		if (unlikely(len > IOV_RX_BUF_LEN))
			len = IOV_RX_BUF_LEN;

		if (!skb) {
			skb = napi_build_skb(page_address(page), PAGE_SIZE);
			if (unlikely(!skb)) {
				page_pool_put_full_page(r->pp, page, true);
				st.alloc_fail++;
				continue;
			}
			skb_mark_for_recycle(skb);
			skb_reserve(skb, IOV_RX_HEADROOM);
			__skb_put(skb, len);
		} else if (skb_shinfo(skb)->nr_frags < MAX_SKB_FRAGS) {
			skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page,
					IOV_RX_HEADROOM, len, PAGE_SIZE);
		} else {
			page_pool_put_full_page(r->pp, page, true);
			staterr |= IOV_RXDEXT_ERR_FRAME;	/* force a drop */
		}

		if (!(staterr & IOV_RXD_STAT_EOP))
			continue;

		if (unlikely(staterr & IOV_RXDEXT_ERR_FRAME)) {
			st.hw_drops++;
			napi_consume_skb(skb, budget);
			skb = NULL;
			done++;
			continue;
		}
		iov_rx_csum(r, skb, staterr, &st);
		if (r->netdev->features & NETIF_F_RXHASH)
			skb_set_hash(skb, le32_to_cpu(d->wb.rss),
				     PKT_HASH_TYPE_L3);
		/*
		 * A pool with VLAN stripping (igb turns it on once a VF adds
		 * a VLAN) leaves the tag only in the descriptor: put it back.
		 */
		if (staterr & IOV_RXD_STAT_VP)
			__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q),
					       le16_to_cpu(d->wb.vlan));
		skb_record_rx_queue(skb, r->queue_index);
		skb->protocol = eth_type_trans(skb, r->netdev);
		st.packets++;
		st.bytes += skb->len + ETH_HLEN;
		napi_gro_receive(r->napi, skb);
		skb = NULL;
		done++;
	}
	r->next_to_clean = i;
	r->rx_skb = skb;

	u64_stats_update_begin(&r->syncp);
	r->stats.packets += st.packets;
	r->stats.bytes += st.bytes;
	r->stats.alloc_fail += st.alloc_fail;
	r->stats.csum_unnecessary += st.csum_unnecessary;
	r->stats.csum_none += st.csum_none;
	r->stats.csum_bad += st.csum_bad;
	r->stats.hw_drops += st.hw_drops;
	u64_stats_update_end(&r->syncp);

	/* batch tail writes: each one is an MMIO exit on an emulated NIC */
	if (iov_ring_unused(r) >= IOV_RX_REFILL_BATCH ||
	    (cleaned && iov_ring_unused(r) == r->count - 1))
		iov_rx_refill(r, iov_ring_unused(r));
	return done;
}
EXPORT_SYMBOL_NS_GPL(iov_rx_clean, IOV_NS);

void iov_rx_drop_all(struct iov_ring *r)
{
	u16 i;

	if (r->rx_skb) {
		dev_kfree_skb_any(r->rx_skb);
		r->rx_skb = NULL;
	}
	for (i = 0; i < r->count; i++) {
		struct iov_rx_buf *b = &r->rx_buf[i];

		if (b->page) {
			page_pool_put_full_page(r->pp, b->page, false);
			b->page = NULL;
		}
	}
	r->next_to_use = 0;
	r->next_to_clean = 0;
}
EXPORT_SYMBOL_NS_GPL(iov_rx_drop_all, IOV_NS);

/* ---- TX ----------------------------------------------------------------- */

static void iov_tx_ctx(struct iov_ring *r, u32 vlan_macip_lens,
		       u32 type_tucmd, u32 mss_l4len_idx)
{
	struct iov_adv_tx_ctx_desc *c =
		(struct iov_adv_tx_ctx_desc *)TX_DESC(r, r->next_to_use);

	c->vlan_macip_lens = cpu_to_le32(vlan_macip_lens);
	c->seqnum_seed = 0;
	c->type_tucmd_mlhl = cpu_to_le32(type_tucmd | IOV_TXD_CMD_DEXT |
					 IOV_TXD_DTYP_CTXT);
	c->mss_l4len_idx = cpu_to_le32(mss_l4len_idx);
	if (++r->next_to_use == r->count)
		r->next_to_use = 0;
}

/*
 * TSO: the model segments in software; give it what igb gives real
 * hardware: IP length/checksum zeroed, TCP checksum seeded with the
 * pseudo header without length. Returns header length, 0 if not TSO.
 */
static int iov_tso(struct iov_ring *r, struct sk_buff *skb, u32 *cmd,
		   u32 *olinfo)
{
	unsigned int l4len, hdr_len, paylen;
	u32 tucmd = IOV_TXD_TUCMD_L4T_TCP;
	struct tcphdr *th;
	int err;

	if (!skb_is_gso(skb))
		return 0;
	if (!(skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)))
		return -EINVAL;
	err = skb_cow_head(skb, 0);
	if (err < 0)
		return err;

	th = tcp_hdr(skb);
	l4len = tcp_hdrlen(skb);
	hdr_len = skb_transport_offset(skb) + l4len;
	paylen = skb->len - skb_transport_offset(skb);
	csum_replace_by_diff(&th->check, (__force __wsum)htonl(paylen));
	if (ip_hdr(skb)->version == 4) {
		ip_hdr(skb)->check = 0;
		ip_hdr(skb)->tot_len = 0;
		tucmd |= IOV_TXD_TUCMD_IPV4;
		*olinfo |= IOV_TXD_POPTS_IXSM;
	} else {
		ipv6_hdr(skb)->payload_len = 0;
	}
	iov_tx_ctx(r, skb_network_header_len(skb) |
		      (skb_network_offset(skb) << IOV_TXD_MACLEN_SHIFT),
		   tucmd, (l4len << IOV_TXD_L4LEN_SHIFT) |
		   ((u32)skb_shinfo(skb)->gso_size << IOV_TXD_MSS_SHIFT));
	*cmd |= IOV_TXD_CMD_TSE;
	*olinfo |= IOV_TXD_POPTS_TXSM;
	return hdr_len;
}

static void iov_tx_csum(struct iov_ring *r, struct sk_buff *skb, u32 *olinfo)
{
	u32 tucmd = 0;

	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return;
	switch (skb->csum_offset) {
	case offsetof(struct tcphdr, check):
		tucmd = IOV_TXD_TUCMD_L4T_TCP;
		break;
	case offsetof(struct udphdr, check):
		break;
	case offsetof(struct sctphdr, checksum):
		if (skb_csum_is_sctp(skb)) {
			tucmd = IOV_TXD_TUCMD_L4T_SCTP;
			break;
		}
		fallthrough;
	default:
		skb_checksum_help(skb);
		return;
	}
	iov_tx_ctx(r, (skb_checksum_start_offset(skb) -
		       skb_network_offset(skb)) |
		      (skb_network_offset(skb) << IOV_TXD_MACLEN_SHIFT),
		   tucmd, 0);
	*olinfo |= IOV_TXD_POPTS_TXSM;
	u64_stats_update_begin(&r->syncp);
	r->stats.needs_csum++;
	u64_stats_update_end(&r->syncp);
}

static void iov_tx_unmap(struct iov_ring *r, struct iov_tx_buf *b)
{
	if (!dma_unmap_len(b, len))
		return;
	if (b->is_page)
		dma_unmap_page(r->dev, dma_unmap_addr(b, dma),
			       dma_unmap_len(b, len), DMA_TO_DEVICE);
	else
		dma_unmap_single(r->dev, dma_unmap_addr(b, dma),
				 dma_unmap_len(b, len), DMA_TO_DEVICE);
	dma_unmap_len_set(b, len, 0);
}

static void iov_tx_maybe_stop(struct iov_ring *r, struct netdev_queue *txq)
{
	if (likely(iov_ring_unused(r) >= IOV_TX_DESC_NEEDED))
		return;
	netif_tx_stop_queue(txq);
	u64_stats_update_begin(&r->syncp);
	r->stats.stops++;
	u64_stats_update_end(&r->syncp);
	/* pairs with the barrier in iov_tx_clean() */
	smp_mb();
	if (iov_ring_unused(r) >= IOV_TX_DESC_NEEDED)
		netif_tx_start_queue(txq);
}

netdev_tx_t iov_xmit(struct sk_buff *skb, struct iov_ring *r)
{
	struct netdev_queue *txq = netdev_get_tx_queue(r->netdev,
						       r->queue_index);
	u32 cmd = IOV_TXD_DTYP_DATA | IOV_TXD_CMD_DEXT | IOV_TXD_CMD_IFCS;
	u16 first_idx = r->next_to_use, i;
	unsigned int f, nfrags, size;
	union iov_adv_tx_desc *d = NULL;
	struct iov_tx_buf *first;
	u32 olinfo = 0;
	int hdr_len;
	dma_addr_t dma;
	void *data;

	if (unlikely(iov_ring_unused(r) < IOV_TX_DESC_NEEDED)) {
		netif_tx_stop_queue(txq);
		return NETDEV_TX_BUSY;
	}
	/*
	 * The model checksums everything past the L4 header, padding included:
	 * finish the checksum of a short frame in software before padding it.
	 */
	if ((r->quirks & IOV_QUIRK_QEMU_TX_CSUM_PAD) && skb->len < ETH_ZLEN &&
	    skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	if (eth_skb_pad(skb))	/* frees skb on failure */
		return NETDEV_TX_OK;

	first = &r->tx_buf[first_idx];
	first->skb = skb;
	first->bytes = skb->len;
	first->segs = 1;

	hdr_len = iov_tso(r, skb, &cmd, &olinfo);
	if (hdr_len < 0)
		goto drop;
	if (hdr_len) {
		first->segs = skb_shinfo(skb)->gso_segs;
		first->bytes += (first->segs - 1) * hdr_len;
		olinfo |= (skb->len - hdr_len) << IOV_TXD_PAYLEN_SHIFT;
		u64_stats_update_begin(&r->syncp);
		r->stats.tso_packets++;
		r->stats.tso_bytes += first->bytes;
		u64_stats_update_end(&r->syncp);
	} else {
		iov_tx_csum(r, skb, &olinfo);
		olinfo |= skb->len << IOV_TXD_PAYLEN_SHIFT;
	}

	i = r->next_to_use;
	nfrags = skb_shinfo(skb)->nr_frags;
	size = skb_headlen(skb);
	data = skb->data;
	dma = dma_map_single(r->dev, data, size, DMA_TO_DEVICE);
	for (f = 0;; f++) {
		struct iov_tx_buf *b = &r->tx_buf[i];

		if (dma_mapping_error(r->dev, dma))
			goto unmap;
		b->is_page = f > 0;
		dma_unmap_len_set(b, len, size);
		dma_unmap_addr_set(b, dma, dma);

		/* descriptors carry at most 32 KiB */
		for (;;) {
			unsigned int chunk = min(size, IOV_TX_MAX_PER_DESC);

			d = TX_DESC(r, i);
			d->read.buffer_addr = cpu_to_le64(dma);
			d->read.cmd_type_len = cpu_to_le32(cmd | chunk);
			d->read.olinfo_status = cpu_to_le32(olinfo);
			olinfo = 0;	/* only the first data descriptor */
			dma += chunk;
			size -= chunk;
			if (++i == r->count)
				i = 0;
			if (!size)
				break;
			r->tx_buf[i].skb = NULL;
			dma_unmap_len_set(&r->tx_buf[i], len, 0);
		}
		if (f == nfrags)
			break;
		size = skb_frag_size(&skb_shinfo(skb)->frags[f]);
		dma = skb_frag_dma_map(r->dev, &skb_shinfo(skb)->frags[f], 0,
				       size, DMA_TO_DEVICE);
		if (&r->tx_buf[i] != first)
			r->tx_buf[i].skb = NULL;
	}
	d->read.cmd_type_len |= cpu_to_le32(IOV_TXD_CMD_EOP | IOV_TXD_CMD_RS);

	skb_tx_timestamp(skb);
	/* descriptors written before eop is published to the cleaner */
	wmb();
	first->eop = d;
	r->next_to_use = i;

	iov_tx_maybe_stop(r, txq);
	if (__netdev_tx_sent_queue(txq, first->bytes, netdev_xmit_more()))
		writel(i, r->tail);
	return NETDEV_TX_OK;

unmap:
	for (;;) {
		iov_tx_unmap(r, &r->tx_buf[i]);
		if (i == first_idx)
			break;
		i = i ? i - 1 : r->count - 1;
	}
	u64_stats_update_begin(&r->syncp);
	r->stats.dma_err++;
	u64_stats_update_end(&r->syncp);
drop:
	first->skb = NULL;
	first->eop = NULL;
	r->next_to_use = first_idx;
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}
EXPORT_SYMBOL_NS_GPL(iov_xmit, IOV_NS);

bool iov_tx_clean(struct iov_ring *r, int budget)
{
	struct netdev_queue *txq = netdev_get_tx_queue(r->netdev,
						       r->queue_index);
	unsigned int pkts = 0, bytes = 0, n = 0;
	u16 i = r->next_to_clean;
	bool all = true;

	while (i != r->next_to_use) {
		struct iov_tx_buf *b = &r->tx_buf[i];
		union iov_adv_tx_desc *eop = READ_ONCE(b->eop);
		u16 last;

		if (!eop)
			break;
		/* eop read before its status */
		smp_rmb();
		if (!(eop->wb.status & cpu_to_le32(IOV_TXD_STAT_DD)))
			break;
		if (n++ >= 256) {	/* bound work in one poll */
			all = false;
			break;
		}
		b->eop = NULL;
		pkts += b->segs;
		bytes += b->bytes;
		napi_consume_skb(b->skb, budget);
		b->skb = NULL;
		last = eop - TX_DESC(r, 0);
		for (;;) {
			iov_tx_unmap(r, &r->tx_buf[i]);
			if (i == last)
				break;
			if (++i == r->count)
				i = 0;
		}
		if (++i == r->count)
			i = 0;
	}
	r->next_to_clean = i;
	if (!pkts)
		return all;

	u64_stats_update_begin(&r->syncp);
	r->stats.packets += pkts;
	r->stats.bytes += bytes;
	u64_stats_update_end(&r->syncp);
	netdev_tx_completed_queue(txq, pkts, bytes);

	if (unlikely(netif_carrier_ok(r->netdev) &&
		     iov_ring_unused(r) >= 2 * IOV_TX_DESC_NEEDED)) {
		/* pairs with the barrier in iov_tx_maybe_stop() */
		smp_mb();
		if (netif_tx_queue_stopped(txq)) {
			netif_tx_wake_queue(txq);
			u64_stats_update_begin(&r->syncp);
			r->stats.wakes++;
			u64_stats_update_end(&r->syncp);
		}
	}
	return all;
}
EXPORT_SYMBOL_NS_GPL(iov_tx_clean, IOV_NS);

void iov_tx_drop_all(struct iov_ring *r)
{
	u16 i;

	for (i = 0; i < r->count; i++) {
		struct iov_tx_buf *b = &r->tx_buf[i];

		iov_tx_unmap(r, b);
		if (b->skb)
			dev_kfree_skb_any(b->skb);
		b->skb = NULL;
		b->eop = NULL;
	}
	r->next_to_use = 0;
	r->next_to_clean = 0;
	if (r->netdev)
		netdev_tx_reset_queue(netdev_get_tx_queue(r->netdev,
							  r->queue_index));
}
EXPORT_SYMBOL_NS_GPL(iov_tx_drop_all, IOV_NS);

void iov_ring_read_stats(const struct iov_ring *r, struct iov_ring_stats *s)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&r->syncp);
		*s = r->stats;
	} while (u64_stats_fetch_retry(&r->syncp, start));
}
EXPORT_SYMBOL_NS_GPL(iov_ring_read_stats, IOV_NS);

#if IOV_HAVE_QSTATS
void iov_ring_fill_qstats_rx(const struct iov_ring_stats *rs, struct netdev_queue_stats_rx *q)
{
	q->packets = rs->packets;
	q->bytes = rs->bytes;
	q->alloc_fail = rs->alloc_fail;
#if IOV_HAVE_QSTATS_DETAIL
	q->csum_unnecessary = rs->csum_unnecessary;
	q->csum_none = rs->csum_none;
	q->csum_bad = rs->csum_bad;
	q->hw_drops = rs->hw_drops;
#endif
}
EXPORT_SYMBOL_NS_GPL(iov_ring_fill_qstats_rx, IOV_NS);

void iov_ring_fill_qstats_tx(const struct iov_ring_stats *rs, struct netdev_queue_stats_tx *q)
{
	q->packets = rs->packets;
	q->bytes = rs->bytes;
#if IOV_HAVE_QSTATS_DETAIL
	q->needs_csum = rs->needs_csum;
	q->hw_gso_packets = rs->tso_packets;
	q->hw_gso_bytes = rs->tso_bytes;
	q->stop = rs->stops;
	q->wake = rs->wakes;
	q->hw_drop_errors = rs->dma_err;
#endif
}
EXPORT_SYMBOL_NS_GPL(iov_ring_fill_qstats_tx, IOV_NS);
#endif

/* ---- ethtool -G: one policy for both drivers ---------------------------- */

void iov_ringparam_get(struct ethtool_ringparam *rp, u16 rx_count,
		       u16 tx_count)
{
	rp->rx_max_pending = IOV_RING_MAX;
	rp->tx_max_pending = IOV_RING_MAX;
	rp->rx_pending = rx_count;
	rp->tx_pending = tx_count;
}
EXPORT_SYMBOL_NS_GPL(iov_ringparam_get, IOV_NS);

int iov_ringparam_set(const struct ethtool_ringparam *rp, u16 *rx_count,
		      u16 *tx_count, struct netlink_ext_ack *ext)
{
	u16 rx, tx;

	/* the ethtool core has refused anything above the maxima already */
	if (rp->rx_pending < IOV_RING_MIN || rp->tx_pending < IOV_RING_MIN) {
		NL_SET_ERR_MSG_MOD(ext, "rings need at least 64 descriptors");
		return -EINVAL;
	}
	rx = ALIGN(min_t(u32, rp->rx_pending, IOV_RING_MAX), IOV_RING_ALIGN);
	tx = ALIGN(min_t(u32, rp->tx_pending, IOV_RING_MAX), IOV_RING_ALIGN);
	if (rx == *rx_count && tx == *tx_count)
		return 0;
	*rx_count = rx;
	*tx_count = tx;
	return 1;
}
EXPORT_SYMBOL_NS_GPL(iov_ringparam_set, IOV_NS);
