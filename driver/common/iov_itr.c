// SPDX-License-Identifier: GPL-2.0
/*
 * iovbench adaptive interrupt moderation: classify a vector's traffic once
 * per window and pick its EITR (see iov_itr.h for the model's unit and
 * defects, which the numbers below are chosen against).
 */
#include <linux/module.h>
#include <linux/math64.h>
#include "iov_compat.h"
#include "iov_itr.h"

/* the model: delay = (EITR & 0x7FFE) x 1024 ns (IOV_QUIRK_QEMU_EITR_UNIT) */
#define IOV_EITR_NS		1024
/* the 82576: 1 us per unit of bits 14:2 */
#define IOV_EITR_HW_SHIFT	2

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
/* the rate average: each window weighs 1/8 (~80 ms memory) */
#define IOV_ITR_AVG_WEIGHT	8
/* windows in a row that must propose a change before it is written */
#define IOV_ITR_CONFIRM		3
/* a window this long held a pause: the rate average restarts from it */
#define IOV_ITR_IDLE_MS		50

u32 iov_itr_usecs_to_eitr(u32 usecs, u32 quirks)
{
	u32 eitr;

	if (!usecs)
		return 0;
	usecs = min_t(u32, usecs, IOV_ITR_MAX_USECS);
	if (quirks & IOV_QUIRK_QEMU_EITR_UNIT)
		eitr = DIV_ROUND_CLOSEST(usecs * 1000, IOV_EITR_NS);
	else
		eitr = min_t(u32, usecs << IOV_EITR_HW_SHIFT, IOV_EITR_INTERVAL);
	eitr &= IOV_EITR_INTERVAL;
	/* a non-zero request never means "off" */
	return eitr ? eitr : 4;
}
EXPORT_SYMBOL_NS_GPL(iov_itr_usecs_to_eitr, IOV_NS);

u32 iov_itr_eitr_to_usecs(u32 eitr, u32 quirks)
{
	eitr &= IOV_EITR_INTERVAL;
	if (quirks & IOV_QUIRK_QEMU_EITR_UNIT)
		return DIV_ROUND_CLOSEST(eitr * IOV_EITR_NS, 1000);
	return eitr >> IOV_EITR_HW_SHIFT;
}
EXPORT_SYMBOL_NS_GPL(iov_itr_eitr_to_usecs, IOV_NS);

u32 iov_itr_config(struct iov_itr *itr, bool adaptive, u32 usecs)
{
	itr->adaptive = adaptive;
	itr->fixed_eitr = iov_itr_usecs_to_eitr(usecs, itr->quirks);
	/* adaptive starts at EITR 0 with a fresh window */
	itr->eitr = adaptive ? 0 : itr->fixed_eitr;
	itr->class = IOV_ITR_LOWEST;
	itr->pending_windows = 0;
	itr->avg_pps = 0;
	itr->win_start = jiffies;
	/* the rings may have counted for long: the first update only looks */
	itr->win_valid = false;
	itr->win_rx_packets = 0;
	itr->win_rx_bytes = 0;
	itr->win_tx_packets = 0;
	itr->win_tx_bytes = 0;
	return itr->eitr;
}
EXPORT_SYMBOL_NS_GPL(iov_itr_config, IOV_NS);

const char * const iov_itr_stat_names[IOV_ITR_NSTATS] = {
	"itr_eitr", "itr_usecs", "itr_class", "itr_changes",
	"itr_moderated_ms", "itr_lowest_ms", "itr_low_ms", "itr_bulk_ms",
};
EXPORT_SYMBOL_NS_GPL(iov_itr_stat_names, IOV_NS);

u64 *iov_itr_read_stats(const struct iov_itr *itr, u64 *data)
{
	u32 eitr = READ_ONCE(itr->eitr);
	unsigned int c;

	*data++ = eitr;
	*data++ = iov_itr_eitr_to_usecs(eitr, itr->quirks);
	*data++ = READ_ONCE(itr->class);
	*data++ = READ_ONCE(itr->changes);
	*data++ = READ_ONCE(itr->moderated_ms);
	for (c = 0; c < IOV_ITR_NCLASS; c++)
		*data++ = READ_ONCE(itr->class_ms[c]);
	return data;
}
EXPORT_SYMBOL_NS_GPL(iov_itr_read_stats, IOV_NS);

/* Packets and bytes one direction moved in a window. */
struct iov_itr_dir {
	u64 packets, bytes;
};

static bool iov_itr_large_frames(const struct iov_itr_dir *d)
{
	return d->packets && div64_u64(d->bytes, d->packets) > IOV_ITR_BULK_BYTES;
}

/* The class and EITR the window's traffic and the average rate ask for. */
static u32 iov_itr_propose(const struct iov_itr *itr,
			   const struct iov_itr_dir *rx,
			   const struct iov_itr_dir *tx, u8 *class)
{
	u64 pkts = rx->packets + tx->packets;
	u32 avg, usecs;
	/*
	 * Hysteresis on the class boundary: a moderated flood stays so down
	 * to half the rate that starts moderation (beside a CPU hog a 9.8k
	 * packets/s flood arrived at 2-3k and flipped across one threshold).
	 */
	u32 sparse = itr->class == IOV_ITR_LOW ? IOV_ITR_SPARSE_PPS / 2 :
						 IOV_ITR_SPARSE_PPS;

	*class = IOV_ITR_LOWEST;
	if (!pkts || itr->avg_pps < sparse)
		return 0;
	avg = div64_u64(rx->bytes + tx->bytes, pkts);
	if (rx->packets && tx->packets && avg <= IOV_ITR_RR_BYTES &&
	    max(rx->packets, tx->packets) <=
	    IOV_ITR_RR_RATIO * min(rx->packets, tx->packets))
		return 0;
	if (iov_itr_large_frames(rx) || iov_itr_large_frames(tx)) {
		/*
		 * Streams stay unmoderated: NAPI already batches them (about
		 * 0.05 irq/pkt), and a 60-110 us delay broke their ACK clock:
		 * TCP VF to VF fell 11% (786 vs 884 Mbit/s, 8 interleaved
		 * pairs of 5 s on the lab).
		 */
		*class = IOV_ITR_BULK;
		return 0;
	}
	*class = IOV_ITR_LOW;
	usecs = IOV_ITR_LOW_GAPS * USEC_PER_SEC / itr->avg_pps;
	usecs = min(usecs, IOV_ITR_LOW_MAX_USECS);
	return iov_itr_usecs_to_eitr(max(usecs, IOV_ITR_MIN_USECS), itr->quirks);
}

/*
 * A delay within half to twice the one in force is noise: keep it (the
 * irq/pkt of a flood moves little over that range, 2 / (N + 1) for N gaps).
 */
static bool iov_itr_in_band(u32 cur, u32 target)
{
	return cur && target && target <= 2 * cur && 2 * target >= cur;
}

static bool iov_itr_commit(struct iov_itr *itr, u8 class, u32 eitr)
{
	itr->class = class;
	itr->pending_windows = 0;
	if (eitr == itr->eitr)
		return false;
	itr->eitr = eitr;
	itr->changes++;
	return true;
}

/* Charge the window's time to the state that was in force during it. */
static void iov_itr_account(struct iov_itr *itr, unsigned long elapsed)
{
	u32 ms = jiffies_to_msecs(elapsed);

	itr->class_ms[itr->class] += ms;
	if (itr->eitr)
		itr->moderated_ms += ms;
}

bool __iov_itr_update(struct iov_itr *itr, const struct iov_ring_stats *rx,
		      const struct iov_ring_stats *tx)
{
	/* both rings' counters are written only from this NAPI context */
	struct iov_itr_dir drx = {
		.packets = rx->packets - itr->win_rx_packets,
		.bytes = rx->bytes - itr->win_rx_bytes,
	};
	struct iov_itr_dir dtx = {
		.packets = tx->packets - itr->win_tx_packets,
		.bytes = tx->bytes - itr->win_tx_bytes,
	};
	unsigned long now = jiffies;
	unsigned long elapsed = max(now - itr->win_start, 1UL);
	bool long_window = elapsed >= msecs_to_jiffies(IOV_ITR_IDLE_MS);
	u32 pps, target;
	u8 class;

	iov_itr_account(itr, elapsed);
	itr->win_start = now;
	itr->win_rx_packets = rx->packets;
	itr->win_rx_bytes = rx->bytes;
	itr->win_tx_packets = tx->packets;
	itr->win_tx_bytes = tx->bytes;
	if (!itr->win_valid) {
		itr->win_valid = true;
		return false;
	}

	pps = min_t(u64, div64_u64((drx.packets + dtx.packets) * HZ, elapsed),
		    U32_MAX / 2);
	if (long_window || !itr->avg_pps)
		itr->avg_pps = pps;
	else
		itr->avg_pps = itr->avg_pps - itr->avg_pps / IOV_ITR_AVG_WEIGHT +
			       pps / IOV_ITR_AVG_WEIGHT;

	target = iov_itr_propose(itr, &drx, &dtx, &class);
	if (class == itr->class &&
	    (target == itr->eitr || iov_itr_in_band(itr->eitr, target))) {
		itr->pending_windows = 0;
		return false;
	}
	if (class != itr->pending_class)
		itr->pending_windows = 0;
	itr->pending_class = class;
	if (++itr->pending_windows < IOV_ITR_CONFIRM)
		return false;
	return iov_itr_commit(itr, class, target);
}
EXPORT_SYMBOL_NS_GPL(__iov_itr_update, IOV_NS);
