// SPDX-License-Identifier: GPL-2.0
/*
 * iovvf mailbox client: the VF side of the PF<->VF mailbox.
 *
 * A request is written to VMBMEM and signalled with REQ; the requester then
 * sleeps on a completion that the mailbox MSI-X vector fires when the PF
 * writes STS (its reply). This replaces the in-tree igbvf's 500 us polling
 * loop. Reads of VFMAILBOX clear PFSTS/PFACK/RSTD, so every read goes
 * through iovvf_mbx_status(), which latches those bits for whoever needs
 * them (requester, unsolicited-message task, watchdog).
 *
 * Failure policy: a wait is sliced so a lost interrupt costs one slice, not
 * the request; a timed-out request is retried; a PF in reset (RSTI) or a
 * NACK without CTS ends the request at once and schedules a renegotiation.
 */
#include <linux/module.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/debugfs.h>
#include "iovvf.h"

#define IOVVF_MBX_SLICE_MS	20	/* re-read VFMAILBOX this often */
#define IOVVF_MBX_LOCK_TRIES	50

#define IOVVF_MBX_TIMEOUT_MS	100	/* per attempt, debugfs mbx_timeout_ms */
#define IOVVF_MBX_RETRIES	2	/* after a timeout, debugfs mbx_retries */

/* Read VFMAILBOX and latch its read-to-clear bits. */
static u32 iovvf_mbx_status(struct iovvf *vf)
{
	unsigned long flags;
	u32 v = vf->hw_ops->mbx_status(vf);

	spin_lock_irqsave(&vf->mbx.ev_lock, flags);
	vf->mbx.events |= v & IOV_V2P_R2C_BITS;
	vf->mbx.last = v;
	spin_unlock_irqrestore(&vf->mbx.ev_lock, flags);
	return v;
}

/* Take latched events in @mask; returns the ones that were set. */
static u32 iovvf_mbx_take(struct iovvf *vf, u32 mask)
{
	unsigned long flags;
	u32 v;

	spin_lock_irqsave(&vf->mbx.ev_lock, flags);
	v = vf->mbx.events & mask;
	vf->mbx.events &= ~mask;
	spin_unlock_irqrestore(&vf->mbx.ev_lock, flags);
	return v;
}

static u32 iovvf_mbx_peek(struct iovvf *vf)
{
	unsigned long flags;
	u32 v;

	spin_lock_irqsave(&vf->mbx.ev_lock, flags);
	v = vf->mbx.events;
	spin_unlock_irqrestore(&vf->mbx.ev_lock, flags);
	return v;
}

/* Poll the mailbox from process context (watchdog); returns the raw value. */
u32 iovvf_mbx_poll(struct iovvf *vf)
{
	return iovvf_mbx_status(vf);
}

bool iovvf_mbx_pf_in_reset(struct iovvf *vf)
{
	return iovvf_mbx_status(vf) & IOV_V2P_RSTI;
}

/* Forget stale events (before a VF_RESET handshake). */
void iovvf_mbx_flush(struct iovvf *vf)
{
	iovvf_mbx_status(vf);
	iovvf_mbx_take(vf, IOV_V2P_PFSTS | IOV_V2P_PFACK);
}

/* Buffer ownership: VFU is granted only while the PF does not hold PFU. */
static bool iovvf_mbx_lock(struct iovvf *vf)
{
	int i;

	for (i = 0; i < IOVVF_MBX_LOCK_TRIES; i++) {
		vf->hw_ops->mbx_claim(vf);
		if (iovvf_mbx_status(vf) & IOV_V2P_VFU)
			return true;
		usleep_range(20, 40);
	}
	vf->mbx.lock_fail++;
	return false;
}

/* Read a PF message (PFSTS seen) and acknowledge it; releases VFU. */
static int iovvf_mbx_read(struct iovvf *vf, u32 *msg, unsigned int words)
{
	if (!iovvf_mbx_lock(vf))
		return -EBUSY;
	vf->hw_ops->mbx_read(vf, msg, words);
	return 0;
}

static void iovvf_mbx_handle_pf_msg(struct iovvf *vf, u32 msg0)
{
	iov_stats_mbx_request(vf->sd, 0, IOV_OP_PF_CONTROL);
	iov_trace_mbx(vf->sd, -1, true, &msg0, 1, 0);
	vf->mbx.unsolicited++;

	if ((msg0 & IOV_MSG_OPCODE_MASK) != IOV_MSG_PF_CONTROL)
		return;		/* e.g. a late NACK of a dropped request */
	if (!(msg0 & IOV_MSG_CTS)) {
		/* the PF reset our function state: renegotiate */
		iovvf_schedule_reset(vf, "PF control message without CTS");
		return;
	}
	/* link change ping: look at STATUS.LU now, not at the next tick */
	iovvf_kick_watchdog(vf);
}

/* Unsolicited PF message (no request outstanding): read it here. */
static void iovvf_mbx_msg_task(struct work_struct *work)
{
	struct iovvf *vf = container_of(work, struct iovvf, mbx.msg_task);
	u32 msg0;

	mutex_lock(&vf->mbx.lock);
	if (iovvf_mbx_take(vf, IOV_V2P_PFSTS) && !iovvf_mbx_read(vf, &msg0, 1))
		iovvf_mbx_handle_pf_msg(vf, msg0);
	mutex_unlock(&vf->mbx.lock);
}

irqreturn_t iovvf_mbx_isr(int irq, void *data)
{
	struct iovvf *vf = data;
	bool waiting;
	u32 v;

	iov_stats_irq(vf->irq_st[IOVVF_VEC_MBX]);
	v = iovvf_mbx_status(vf);

	spin_lock(&vf->mbx.ev_lock);
	waiting = vf->mbx.waiting;
	spin_unlock(&vf->mbx.ev_lock);

	if (v & (IOV_V2P_RSTI | IOV_V2P_RSTD))
		iovvf_kick_watchdog(vf);
	if (waiting) {
		/* only STS (the reply) or a reset ends a wait; ACK does not */
		if (v & (IOV_V2P_PFSTS | IOV_V2P_RSTI))
			complete(&vf->mbx.done);
	} else if (v & IOV_V2P_PFSTS) {
		if (!test_bit(IOVVF_REMOVING, &vf->state))
			schedule_work(&vf->mbx.msg_task);
	}
	return IRQ_HANDLED;
}

/*
 * Wait for the PF's STS. Returns 0 when a message is there, -ETIMEDOUT,
 * or -ENODEV if the PF went into reset meanwhile.
 */
static int iovvf_mbx_wait(struct iovvf *vf, unsigned long deadline)
{
	/*
	 * One look before sleeping: when the PF's mailbox interrupt runs on
	 * this CPU it has usually answered inside our REQ write already.
	 */
	iovvf_mbx_status(vf);
	for (;;) {
		long left = (long)(deadline - jiffies);
		unsigned long slice = msecs_to_jiffies(IOVVF_MBX_SLICE_MS);

		if (iovvf_mbx_take(vf, IOV_V2P_PFSTS))
			return 0;
		if (vf->mbx.last & IOV_V2P_RSTI)
			return -ENODEV;
		if (left <= 0)
			break;
		if (!wait_for_completion_timeout(&vf->mbx.done,
						 min_t(unsigned long, slice,
						       left))) {
			/* no interrupt this slice: look ourselves */
			if (iovvf_mbx_status(vf) & IOV_V2P_PFSTS)
				vf->mbx.irq_missed++;
		}
	}
	/* last look: the reply may have raced with the deadline */
	iovvf_mbx_status(vf);
	if (iovvf_mbx_take(vf, IOV_V2P_PFSTS))
		return 0;
	return -ETIMEDOUT;
}

/* One attempt: send @msg, wait for and read the reply into @msg. */
static int iovvf_mbx_xfer(struct iovvf *vf, u32 *msg, unsigned int words,
			  unsigned int reply_words, int op, u64 *lat)
{
	u32 req0 = msg[0];
	unsigned long deadline;
	u64 t0;
	int err;

	/* the round trip includes taking the buffer, as a caller sees it */
	t0 = ktime_get_ns();
	if (!iovvf_mbx_lock(vf))
		return -EBUSY;

	spin_lock_irq(&vf->mbx.ev_lock);
	reinit_completion(&vf->mbx.done);
	vf->mbx.waiting = true;
	spin_unlock_irq(&vf->mbx.ev_lock);

	/* a request the fault hook drops is written but never signalled */
	vf->hw_ops->mbx_write(vf, msg, words,
			      likely(!atomic_add_unless(&vf->mbx.fault_drop, -1,
							0)));
	iov_stats_mbx_request(vf->sd, 0, op);
	iov_trace_mbx(vf->sd, -1, false, msg, words, 0);

	deadline = jiffies +
		   msecs_to_jiffies(max(READ_ONCE(vf->mbx.timeout_ms), 1u));
	for (;;) {
		err = iovvf_mbx_wait(vf, deadline);
		if (err)
			break;
		err = iovvf_mbx_read(vf, msg, reply_words);
		if (err)
			break;
		if (iov_mbx_is_reply_to(msg[0], req0)) {
			*lat = ktime_get_ns() - t0;
			break;
		}
		/* a PF-initiated message crossed our request */
		iovvf_mbx_handle_pf_msg(vf, msg[0]);
		vf->mbx.stray_replies++;
	}

	spin_lock_irq(&vf->mbx.ev_lock);
	vf->mbx.waiting = false;
	spin_unlock_irq(&vf->mbx.ev_lock);
	if (err)
		msg[0] = req0;
	return err;
}

/*
 * Send a request and wait for its reply (overwrites @msg with it; @msg must
 * hold max(words, reply_words)). Returns 0 on ACK, -EPERM on NACK with CTS,
 * -ECONNRESET on NACK without CTS (renegotiation scheduled), -ETIMEDOUT,
 * -ENODEV while the PF is in reset, -EBUSY if the buffer stayed locked.
 * VF_RESET is accepted without CTS; everything else needs the handshake.
 */
int iovvf_mbx_request(struct iovvf *vf, u32 *msg, unsigned int words,
		      unsigned int reply_words, bool *acked)
{
	int op = iov_mbx_op_index(msg[0]);
	bool reset = op == IOV_OP_VF_RESET;
	u32 req[IOV_MBX_WORDS];
	unsigned int attempt;
	u64 lat = 0;
	int err;

	if (WARN_ON_ONCE(words > IOV_MBX_WORDS || reply_words > IOV_MBX_WORDS ||
			 !words || !reply_words))
		return -EINVAL;
	if (!reset && !test_bit(IOVVF_HW_READY, &vf->state))
		return -ENETDOWN;
	memcpy(req, msg, words * sizeof(u32));

	mutex_lock(&vf->mbx.lock);
	vf->mbx.requests++;
	/* an unsolicited message waiting in the buffer goes first */
	if (iovvf_mbx_peek(vf) & IOV_V2P_PFSTS) {
		u32 m0;

		if (iovvf_mbx_take(vf, IOV_V2P_PFSTS) &&
		    !iovvf_mbx_read(vf, &m0, 1) && !reset)
			iovvf_mbx_handle_pf_msg(vf, m0);
	}
	iovvf_mbx_take(vf, IOV_V2P_PFACK);

	for (attempt = 0;; attempt++) {
		memcpy(msg, req, words * sizeof(u32));
		err = iovvf_mbx_xfer(vf, msg, words, reply_words, op, &lat);
		if (err != -ETIMEDOUT && err != -EBUSY)
			break;
		if (err == -ETIMEDOUT)
			iov_stats_mbx_timeout(vf->sd, 0, op);
		if (attempt >= READ_ONCE(vf->mbx.retries))
			break;
		vf->mbx.retried++;
	}
	mutex_unlock(&vf->mbx.lock);

	if (err) {
		if (net_ratelimit())
			netdev_warn(vf->netdev, "mailbox %s: %s (%d)\n",
				    iov_mbx_op_name(op),
				    err == -ETIMEDOUT ? "no reply from PF" :
				    err == -ENODEV ? "PF in reset" :
				    "mailbox busy", err);
		if (err == -ENODEV || (err == -ETIMEDOUT && !reset))
			iovvf_schedule_reset(vf, "mailbox failure");
		return err;
	}

	iov_stats_mbx_reply(vf->sd, 0, op, msg[0] & IOV_MSG_ACK, lat);
	iov_trace_mbx(vf->sd, -1, true, msg, reply_words, lat);
	if (acked)
		*acked = msg[0] & IOV_MSG_ACK;
	if (msg[0] & IOV_MSG_ACK)
		return 0;
	/* NACK: a VF_RESET NACK only means "no MAC assigned" */
	if (reset)
		return 0;
	if (!(msg[0] & IOV_MSG_CTS)) {
		iovvf_schedule_reset(vf, "NACK without CTS");
		return -ECONNRESET;
	}
	return -EPERM;
}

void iovvf_mbx_init(struct iovvf *vf)
{
	vf->mbx.timeout_ms = IOVVF_MBX_TIMEOUT_MS;
	vf->mbx.retries = IOVVF_MBX_RETRIES;
	atomic_set(&vf->mbx.fault_drop, 0);
	mutex_init(&vf->mbx.lock);
	spin_lock_init(&vf->mbx.ev_lock);
	init_completion(&vf->mbx.done);
	INIT_WORK(&vf->mbx.msg_task, iovvf_mbx_msg_task);
}

/* ---- debugfs knobs ---------------------------------------------------- */

static int iovvf_fault_drop_get(void *data, u64 *val)
{
	*val = atomic_read(data);
	return 0;
}

/* unsigned: a negative count would drop every request from then on */
static int iovvf_fault_drop_set(void *data, u64 val)
{
	if (val > INT_MAX)
		return -EINVAL;
	atomic_set(data, val);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(iovvf_fault_drop_fops, iovvf_fault_drop_get,
			 iovvf_fault_drop_set, "%llu\n");

/*
 * Test and tuning knobs of the mailbox client, in the device's debugfs
 * directory (netdevsim style): no standard interface carries them.
 *   mbx_timeout_ms  reply timeout per attempt (default 100), 0 = 1 ms
 *   mbx_retries     retries after a timeout (default 2)
 *   mbx_fault_drop  test hook: the next N requests are written but not
 *                   signalled (no REQ), so they time out
 */
void iovvf_mbx_debugfs(struct iovvf *vf, struct dentry *dir)
{
	debugfs_create_u32("mbx_timeout_ms", 0600, dir, &vf->mbx.timeout_ms);
	debugfs_create_u32("mbx_retries", 0600, dir, &vf->mbx.retries);
	debugfs_create_file_unsafe("mbx_fault_drop", 0600, dir,
				   &vf->mbx.fault_drop, &iovvf_fault_drop_fops);
}
