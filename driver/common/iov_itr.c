// SPDX-License-Identifier: GPL-2.0
/*
 * iovbench adaptive interrupt moderation: classify a vector's traffic once
 * per window and pick its EITR (see iov_itr.h for the model's unit and
 * defects, which the numbers below are chosen against).
 */
#include <linux/module.h>
#include <linux/math64.h>
#include "iov_itr.h"

/* the model: delay = (EITR & 0x7FFE) x 1024 ns */
#define IOV_EITR_NS		1024

/* below this rate (packets/s, RX + TX) nothing is moderated */
#define IOV_ITR_SPARSE_PPS	2000
/* request/response: RX and TX within 4:1 of each other, small frames */
#define IOV_ITR_RR_RATIO	4
#define IOV_ITR_RR_BYTES	512
/* average frame above this: bulk (stream) traffic */
#define IOV_ITR_BULK_BYTES	1024
/*
 * Delay = this many packet gaps at the measured rate. A vector fires about
 * twice per (delay + gap) in the model, so a delay of N gaps gives about
 * 2 / (N + 1) interrupts per packet. Small frames batch 8 (~0.2 irq/pkt).
 */
#define IOV_ITR_LOW_GAPS	8
#define IOV_ITR_MIN_USECS	64
#define IOV_ITR_LOW_MAX_USECS	1000

u32 iov_itr_usecs_to_eitr(u32 usecs)
{
	u32 eitr;

	if (!usecs)
		return 0;
	usecs = min_t(u32, usecs, IOV_ITR_MAX_USECS);
	eitr = DIV_ROUND_CLOSEST(usecs * 1000, IOV_EITR_NS) & IOV_EITR_INTERVAL;
	/* a non-zero request never means "off" */
	return eitr ? eitr : 4;
}
EXPORT_SYMBOL_GPL(iov_itr_usecs_to_eitr);

u32 iov_itr_eitr_to_usecs(u32 eitr)
{
	return DIV_ROUND_CLOSEST((eitr & IOV_EITR_INTERVAL) * IOV_EITR_NS, 1000);
}
EXPORT_SYMBOL_GPL(iov_itr_eitr_to_usecs);

u32 iov_itr_config(struct iov_itr *itr, bool adaptive, u32 usecs)
{
	itr->adaptive = adaptive;
	itr->fixed_eitr = iov_itr_usecs_to_eitr(usecs);
	/* adaptive starts at EITR 0 with a fresh window */
	itr->eitr = adaptive ? 0 : itr->fixed_eitr;
	itr->class = IOV_ITR_LOWEST;
	itr->win_start = jiffies;
	itr->win_rx_packets = 0;
	itr->win_rx_bytes = 0;
	itr->win_tx_packets = 0;
	itr->win_tx_bytes = 0;
	return itr->eitr;
}
EXPORT_SYMBOL_GPL(iov_itr_config);

/* Packets and bytes one direction moved in a window. */
struct iov_itr_dir {
	u64 packets, bytes;
};

static bool iov_itr_large_frames(const struct iov_itr_dir *d)
{
	return d->packets && div64_u64(d->bytes, d->packets) > IOV_ITR_BULK_BYTES;
}

static u32 iov_itr_target(struct iov_itr *itr, const struct iov_itr_dir *rx,
			  const struct iov_itr_dir *tx, unsigned long elapsed)
{
	u64 pkts = rx->packets + tx->packets;
	u32 pps, avg, usecs;

	if (!pkts)
		goto lowest;
	pps = div64_u64(pkts * HZ, elapsed);
	avg = div64_u64(rx->bytes + tx->bytes, pkts);
	if (pps < IOV_ITR_SPARSE_PPS)
		goto lowest;
	if (rx->packets && tx->packets && avg <= IOV_ITR_RR_BYTES &&
	    max(rx->packets, tx->packets) <=
	    IOV_ITR_RR_RATIO * min(rx->packets, tx->packets))
		goto lowest;
	if (iov_itr_large_frames(rx) || iov_itr_large_frames(tx)) {
		/*
		 * Streams stay unmoderated: NAPI already batches them (about
		 * 0.05 irq/pkt), and a 60-110 us delay broke their ACK clock:
		 * TCP VF to VF fell 11% (786 vs 884 Mbit/s, 8 interleaved
		 * pairs of 5 s on the lab).
		 */
		itr->class = IOV_ITR_BULK;
		return 0;
	}
	itr->class = IOV_ITR_LOW;
	usecs = IOV_ITR_LOW_GAPS * USEC_PER_SEC / pps;
	usecs = min(usecs, IOV_ITR_LOW_MAX_USECS);
	return iov_itr_usecs_to_eitr(max(usecs, IOV_ITR_MIN_USECS));
lowest:
	itr->class = IOV_ITR_LOWEST;
	return 0;
}

bool __iov_itr_update(struct iov_itr *itr, const struct iov_ring *rx,
		      const struct iov_ring *tx)
{
	/* both rings' counters are written only from this NAPI context */
	struct iov_itr_dir drx = {
		.packets = rx->stats.packets - itr->win_rx_packets,
		.bytes = rx->stats.bytes - itr->win_rx_bytes,
	};
	struct iov_itr_dir dtx = {
		.packets = tx->stats.packets - itr->win_tx_packets,
		.bytes = tx->stats.bytes - itr->win_tx_bytes,
	};
	unsigned long now = jiffies;
	u32 target, cur = itr->eitr, next;

	target = iov_itr_target(itr, &drx, &dtx,
				max(now - itr->win_start, 1UL));
	itr->win_start = now;
	itr->win_rx_packets = rx->stats.packets;
	itr->win_rx_bytes = rx->stats.bytes;
	itr->win_tx_packets = tx->stats.packets;
	itr->win_tx_bytes = tx->stats.bytes;

	if (target < cur) {
		/* down at once (latency first), unless within 1/4 */
		if (target && cur - target <= cur / 4)
			return false;
		next = target;
	} else {
		/* up half way per window; small differences are noise */
		if (target - cur <= target / 4)
			return false;
		next = cur + (target - cur) / 2;
		if (target - next <= target / 4)
			next = target;
		next &= IOV_EITR_INTERVAL;
		if (!next)
			next = 4;
	}
	if (next == cur)
		return false;
	itr->eitr = next;
	itr->changes++;
	return true;
}
EXPORT_SYMBOL_GPL(__iov_itr_update);
