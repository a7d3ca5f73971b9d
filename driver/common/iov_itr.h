/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iovbench: adaptive interrupt moderation (EITR) shared by iovpf's queue
 * vectors and iovvf's RX/TX vectors.
 *
 * Unit. QEMU's igb model (<= 10.0) delays a vector by
 * (EITR & 0x7FFE) x 1024 ns, about 4.1x what the 82576 does with the same
 * value (1 us per unit of bits 14:2). With IOV_QUIRK_QEMU_EITR_UNIT
 * (iov_quirks.h) rx-usecs and the classes below are converted with the
 * model's unit, else with the 82576's, in one place
 * (iov_itr_usecs_to_eitr). Bits 1:0 stay clear, as the hardware wants.
 *
 * Model defects that shape the policy: the first cause fires at once and
 * arms the timer; on expiry the timer notifies the vector even with no
 * cause pending (an extra, often empty, interrupt), and is not re-armed.
 * So any non-zero EITR costs a sparse flow one extra interrupt per packet
 * and delays every packet but the first of a burst: sparse traffic must
 * run at EITR 0. Under a flood the vector fires about twice per
 * (EITR delay + packet gap), so the delay must be long to batch.
 *
 * Policy. Once per window (~10 ms) at NAPI completion, the packets and
 * bytes the vector's rings moved in the window (read from the rings' own
 * counters: nothing is added to the per-packet path) are classified:
 *   lowest latency (EITR 0): under IOV_ITR_SPARSE_PPS packets/s, or a
 *     balanced small-packet exchange (request/response: RX ~ TX);
 *   bulk (EITR 0 too): the average frame of either direction above
 *     IOV_ITR_BULK_BYTES (a TCP receiver's data or a sender's segments,
 *     whatever its ACKs weigh); NAPI batches streams already, and a delay
 *     costs them their ACK clock;
 *   low latency (a delay of several packet gaps): small-frame floods.
 * The rate is a moving average over windows (1/8 each), not one window's
 * count: under TCG a steady flood's 10 ms windows range over several times
 * its mean, and a per-window choice rewrote EITR dozens of times a second.
 * A new class or a delay outside half to twice the one in force must be
 * proposed by IOV_ITR_CONFIRM windows in a row before it is written, also
 * the way down: beside a CPU hog one descheduled vCPU makes a window look
 * like a pause, and dropping to EITR 0 at once on it cost two writes per
 * hiccup (10 in a 6 s flood). Latency does not suffer from the wait: the
 * model fires the first cause after a pause at once, so a ping train meets
 * the old EITR only as one extra interrupt per packet for 3 packets. A
 * window of IOV_ITR_IDLE_MS or more restarts the rate average from its own
 * rate, so a pause is not averaged away.
 *
 * What the policy did is counted, not sampled: the changes it wrote, and
 * the time each class and a non-zero EITR were in force (ethtool -S).
 */
#ifndef _IOV_ITR_H_
#define _IOV_ITR_H_

#include <linux/types.h>
#include <linux/jiffies.h>
#include "iov_ring_stats.h"
#include "iov_quirks.h"

/* EITR interval field; bits 1:0 are reserved on the 82576 */
#define IOV_EITR_INTERVAL	0x7FFC
/* largest rx-usecs that fits the field in the model's unit */
#define IOV_ITR_MAX_USECS	33000

enum iov_itr_class {
	IOV_ITR_LOWEST,		/* EITR 0: no added latency */
	IOV_ITR_LOW,
	IOV_ITR_BULK,
	IOV_ITR_NCLASS
};

struct iov_itr {
	u32 quirks;		/* IOV_QUIRK_*, set once by the driver */
	/* configuration (ethtool -C) */
	bool adaptive;
	u16 fixed_eitr;		/* used when !adaptive; 0 = off */
	/* state, touched only at NAPI completion */
	u16 eitr;		/* value in the vector's EITR register(s) */
	u8 class;
	u8 pending_class;	/* proposal waiting for confirmation */
	u8 pending_windows;	/* windows in a row that proposed it */
	u32 avg_pps;		/* moving average of the packet rate */
	bool win_valid;		/* win_* hold the rings' counters */
	unsigned long win_start;	/* jiffies */
	u64 win_rx_packets;	/* ring counters at the window's start */
	u64 win_rx_bytes;
	u64 win_tx_packets;
	u64 win_tx_bytes;
	/* counters (ethtool -S) */
	u64 changes;		/* EITR writes made by the adaptive policy */
	u64 moderated_ms;	/* time a non-zero EITR was in force */
	u64 class_ms[IOV_ITR_NCLASS];	/* time each class was in force */
};

/* ethtool -S names of iov_itr_read_stats(), in its order, without prefix */
#define IOV_ITR_NSTATS	8
extern const char * const iov_itr_stat_names[IOV_ITR_NSTATS];

/**
 * iov_itr_read_stats() - the policy's ethtool -S values
 * @itr: a vector's moderation state
 * @data: room for IOV_ITR_NSTATS values, in iov_itr_stat_names order
 *
 * Return: @data past the values written.
 */
u64 *iov_itr_read_stats(const struct iov_itr *itr, u64 *data);

/**
 * iov_itr_usecs_to_eitr() - an interrupt delay as an EITR value
 * @usecs: delay in microseconds, 0 = no throttling; clamped to
 *	IOV_ITR_MAX_USECS and to the field
 * @quirks: IOV_QUIRK_QEMU_EITR_UNIT selects the model's unit
 *
 * Return: the EITR interval value (bits 1:0 clear); non-zero for any
 * non-zero @usecs.
 */
u32 iov_itr_usecs_to_eitr(u32 usecs, u32 quirks);

/**
 * iov_itr_eitr_to_usecs() - the delay an EITR value gives
 * @eitr: EITR register value (bits outside the interval are ignored)
 * @quirks: IOV_QUIRK_QEMU_EITR_UNIT selects the model's unit
 *
 * Return: the delay in microseconds, rounded to the closest.
 */
u32 iov_itr_eitr_to_usecs(u32 eitr, u32 quirks);

/**
 * iov_itr_config() - set a vector's moderation mode (ethtool -C)
 * @itr: the vector's state; @itr->quirks set beforehand
 * @adaptive: the policy picks the EITR (adaptive-rx on)
 * @usecs: the fixed delay used when not @adaptive
 *
 * Restarts the policy's window and class; the counters are kept.
 *
 * Return: the EITR value the caller programs now.
 */
u32 iov_itr_config(struct iov_itr *itr, bool adaptive, u32 usecs);

/**
 * __iov_itr_update() - one window of the adaptive policy
 * @itr: the vector's state
 * @rx: the counters of the RX ring the vector serves
 * @tx: the counters of the TX ring the vector serves
 *
 * Classifies the window's traffic and proposes an EITR; a change is made
 * only when IOV_ITR_CONFIRM windows in a row ask for it. Call through
 * iov_itr_update().
 *
 * Return: true when @itr->eitr changed.
 */
bool __iov_itr_update(struct iov_itr *itr, const struct iov_ring_stats *rx,
		      const struct iov_ring_stats *tx);

/**
 * iov_itr_update() - at NAPI completion, before unmasking the vector
 * @itr: the vector's state
 * @rx: the counters of the RX ring the vector serves (written only from
 *	this NAPI context, so read without the ring's syncp)
 * @tx: the counters of the TX ring the vector serves
 *
 * Costs one jiffies compare except once per window (~10 ms).
 *
 * Return: true when @itr->eitr changed and the caller must write it to
 * the vector's EITR register(s).
 */
static inline bool iov_itr_update(struct iov_itr *itr,
				  const struct iov_ring_stats *rx,
				  const struct iov_ring_stats *tx)
{
	if (!itr->adaptive)
		return false;
	if (time_before(jiffies, itr->win_start + msecs_to_jiffies(10)))
		return false;
	return __iov_itr_update(itr, rx, tx);
}

#endif /* _IOV_ITR_H_ */
