// SPDX-License-Identifier: GPL-2.0
/*
 * iovpf mailbox service: the PF side of the igb/igbvf VF<->PF protocol.
 * Runs in the "other" vector's hard handler (and a retry work) with vf_lock
 * held; the service latency measured runs from the interrupt to the reply
 * written.
 *
 * Never trust a VF: every message counts against the VF's rate before it
 * is even read, and one over the rate waits for the next window (no NACK
 * storm); a VF that holds its buffer lock loses it; every request is
 * parsed and validated (opcode, reserved bits, payload, CTS state) and
 * rejects are NACKed and counted; no VF may claim an address another VF
 * or the PF receives on, nor more than its share of the shared MAC and
 * VLAN filters; nothing a VF asks for overrides the administrator.
 */
#include <linux/etherdevice.h>
#include <linux/module.h>
#include "iovpf.h"

/* A warning about VF @vf_, at most one per VF and second. */
#define iovpf_vf_warn(pf_, vf_, fmt, ...)				\
	do {								\
		struct iovpf *__pf = (pf_);				\
		unsigned int __vf = (vf_);				\
									\
		if (time_after(jiffies, __pf->vf[__vf].last_nack_log + HZ)) { \
			__pf->vf[__vf].last_nack_log = jiffies;		\
			netdev_warn(__pf->netdev, "VF %u: " fmt, __vf,	\
				    ##__VA_ARGS__);			\
		}							\
	} while (0)

int iovpf_ping_vf(struct iovpf *pf, unsigned int vf, u32 flags)
{
	u32 msg = IOV_MSG_PF_CONTROL | flags;
	int err;

	err = pf->hw_ops->mbx_write(pf, vf, &msg, 1, true);
	if (err == -EAGAIN)	/* a request is pending: its reply informs */
		return err;
	iov_stats_mbx_request(pf->sd, vf, IOV_OP_PF_CONTROL);
	if (err)
		iov_stats_mbx_timeout(pf->sd, vf, IOV_OP_PF_CONTROL);
	iov_trace_mbx(pf->sd, vf, true, &msg, 1, 0);
	return err;
}

/*
 * Link change: tell every VF. A VF that has CTS gets CTS; one that lost it
 * (PF reset, FLR) gets NACK, which igbvf reads as "reset and renegotiate"
 * (a plain ping would leave it waiting forever after a PF reset).
 */
void iovpf_ping_vfs(struct iovpf *pf)
{
	unsigned long flags;
	unsigned int vf;

	spin_lock_irqsave(&pf->vf_lock, flags);
	for (vf = 0; vf < pf->num_vfs; vf++)
		iovpf_ping_vf(pf, vf, pf->vf[vf].cts ? IOV_MSG_CTS :
						       IOV_MSG_NACK);
	spin_unlock_irqrestore(&pf->vf_lock, flags);
}

/* Does anyone but VF @vf receive on @a: the PF, another VF, its filters? */
static bool iovpf_mac_in_use(struct iovpf *pf, unsigned int vf, const u8 *a)
{
	unsigned int i;

	if (ether_addr_equal(a, pf->netdev->dev_addr))
		return true;
	for (i = 0; i < pf->pf_uc_num; i++)
		if (ether_addr_equal(a, pf->pf_uc[i]))
			return true;
	for (i = 0; i < pf->num_vfs; i++)
		if (i != vf && ether_addr_equal(a, pf->vf[i].mac))
			return true;
	for (i = 0; i < IOVPF_VFMAC_RAR_NUM; i++)
		if (pf->vf_uc[i].vf >= 0 && pf->vf_uc[i].vf != (int)vf &&
		    ether_addr_equal(a, pf->vf_uc[i].addr))
			return true;
	return false;
}

/*
 * Each VF's share of the shared filters, so that one VF cannot starve the
 * others (igb hands them out first come). VLANs: the entries left after one
 * per VF and one for the PF (port VLANs, the PF's own) are split evenly.
 */
static unsigned int iovpf_vf_mac_quota(const struct iovpf *pf)
{
	return max_t(unsigned int, 1, IOVPF_VFMAC_RAR_NUM / pf->num_vfs);
}

static unsigned int iovpf_vf_vlan_quota(const struct iovpf *pf)
{
	return max_t(unsigned int, 1,
		     (IOV_NUM_VLVF - pf->num_vfs - 1) / pf->num_vfs);
}

/* Extra unicast filter for a VF (macvlan on the VF, igbvf's uc list). */
static int iovpf_vf_uc_add(struct iovpf *pf, unsigned int vf, const u8 *addr)
{
	unsigned int owned = 0;
	int i, free = -1;

	/* like igb: a VF whose MAC the admin pinned needs trust for more */
	if (pf->vf[vf].pf_set_mac && !READ_ONCE(pf->vf[vf].trusted)) {
		iovpf_vf_warn(pf, vf, "extra MAC filters need 'trust on' (MAC is pinned)\n");
		return -EPERM;
	}
	if (!is_valid_ether_addr(addr) || iovpf_mac_in_use(pf, vf, addr))
		return -EINVAL;
	for (i = 0; i < IOVPF_VFMAC_RAR_NUM; i++) {
		if (pf->vf_uc[i].vf == (int)vf) {
			if (ether_addr_equal(pf->vf_uc[i].addr, addr))
				return 0;
			owned++;
		}
		if (pf->vf_uc[i].vf < 0 && free < 0)
			free = i;
	}
	if (owned >= iovpf_vf_mac_quota(pf)) {
		iovpf_vf_warn(pf, vf, "its share of MAC filters (%u) is used, refusing %pM\n",
			      iovpf_vf_mac_quota(pf), addr);
		return -ENOSPC;
	}
	if (free < 0) {
		iovpf_vf_warn(pf, vf, "no free MAC filter for %pM\n", addr);
		return -ENOSPC;
	}
	pf->vf_uc[free].vf = vf;
	ether_addr_copy(pf->vf_uc[free].addr, addr);
	pf->hw_ops->mac_filter_set(pf, IOVPF_VFMAC_RAR_FIRST + free, addr, BIT(vf));
	return 0;
}

/* VF_RESET: forget the VF's configuration, enable its pool, give it CTS. */
static unsigned int iovpf_msg_reset(struct iovpf *pf, unsigned int vf,
				    u32 *reply)
{
	struct iovpf_vf *v = &pf->vf[vf];

	iovpf_vf_reset(pf, vf);
	iovpf_vf_set_rar(pf, vf);
	pf->hw_ops->vf_enable(pf, vf, v->link_state != IFLA_VF_LINK_STATE_DISABLE);
	v->cts = true;
	/* igbvf compares word 0 exactly: no CTS flag in this reply */
	if (is_valid_ether_addr(v->mac)) {
		reply[0] = IOV_MSG_VF_RESET | IOV_MSG_ACK;
		reply[1] = 0;
		reply[2] = 0;
		memcpy(&reply[1], v->mac, ETH_ALEN);
	} else {
		reply[0] = IOV_MSG_VF_RESET | IOV_MSG_NACK;
		reply[1] = 0;
		reply[2] = 0;
	}
	return IOV_RESET_REPLY_WORDS;
}

static int iovpf_msg_set_mac(struct iovpf *pf, unsigned int vf,
			     const struct iov_mbx_req *req)
{
	struct iovpf_vf *v = &pf->vf[vf];

	if (req->mac.filter == IOV_MAC_FILTER_CLR) {
		iovpf_vf_uc_clear(pf, vf);
		return 0;
	}
	if (req->mac.filter == IOV_MAC_FILTER_ADD)
		return iovpf_vf_uc_add(pf, vf, req->mac.addr);
	if (!is_valid_ether_addr(req->mac.addr))
		return -EINVAL;
	if (ether_addr_equal(req->mac.addr, v->mac))
		return 0;
	if (v->pf_set_mac) {
		iovpf_vf_warn(pf, vf, "MAC is pinned by the administrator, refusing %pM\n",
			      req->mac.addr);
		return -EPERM;
	}
	if (iovpf_mac_in_use(pf, vf, req->mac.addr)) {
		iovpf_vf_warn(pf, vf, "MAC %pM already in use\n",
			      req->mac.addr);
		return -EADDRINUSE;
	}
	ether_addr_copy(v->mac, req->mac.addr);
	iovpf_vf_set_rar(pf, vf);
	return 0;
}

static int iovpf_msg_set_mc(struct iovpf *pf, unsigned int vf,
			    const struct iov_mbx_req *req)
{
	struct iovpf_vf *v = &pf->vf[vf];

	v->mc_count = req->mc.count;
	memcpy(v->mc_hash, req->mc.hash, req->mc.count * sizeof(u16));
	__iovpf_write_mta(pf);
	return 0;
}

static int iovpf_msg_set_vlan(struct iovpf *pf, unsigned int vf,
			      const struct iov_mbx_req *req)
{
	struct iovpf_vf *v = &pf->vf[vf];
	u16 vid = req->vlan.vid;
	int err;

	if (v->pf_vlan) {
		/* the port VLAN is the administrator's; VID 0 is harmless */
		return vid ? -EPERM : 0;
	}
	if (!vid)
		return 0;	/* priority tags need no filter */
	if (req->vlan.add == test_bit(vid, v->vlans))
		return 0;	/* already so: nothing to count twice */
	if (req->vlan.add && iovpf_vf_nvlans(v) >= iovpf_vf_vlan_quota(pf)) {
		iovpf_vf_warn(pf, vf, "its share of VLAN filters (%u) is used, refusing VLAN %u\n",
			      iovpf_vf_vlan_quota(pf), vid);
		return -ENOSPC;
	}
	err = pf->hw_ops->vlan_filter_set(pf, vid, vf, req->vlan.add);
	if (err)
		return err;
	if (req->vlan.add)
		set_bit(vid, v->vlans);
	else
		clear_bit(vid, v->vlans);
	/* VLAN stripping follows whether the VF uses VLANs (igb does too) */
	pf->hw_ops->vf_rx_mode(pf, vf, true, v->promisc_mc, iovpf_vf_nvlans(v),
			  v->max_frame);
	return 0;
}

static int iovpf_msg_set_lpe(struct iovpf *pf, unsigned int vf,
			     const struct iov_mbx_req *req)
{
	struct iovpf_vf *v = &pf->vf[vf];

	v->max_frame = req->max_frame;
	pf->hw_ops->vf_rx_mode(pf, vf, !v->pf_vlan, v->promisc_mc,
			  v->pf_vlan || iovpf_vf_nvlans(v), v->max_frame);
	return 0;
}

static int iovpf_msg_set_promisc(struct iovpf *pf, unsigned int vf,
				 const struct iov_mbx_req *req)
{
	struct iovpf_vf *v = &pf->vf[vf];
	bool mc = req->promisc & IOV_PROMISC_MULTICAST;

	if (mc && !READ_ONCE(v->trusted)) {
		iovpf_vf_warn(pf, vf, "multicast promiscuous needs 'trust on'\n");
		return -EPERM;
	}
	/* VMOLR.MPME is stored but not modelled in VMDq mode by QEMU */
	v->promisc_mc = mc;
	pf->hw_ops->vf_rx_mode(pf, vf, !v->pf_vlan, v->promisc_mc,
			  v->pf_vlan || iovpf_vf_nvlans(v), v->max_frame);
	return 0;
}

/*
 * Jiffies until VF @v may send its next message: 0 if a message of the
 * current window is left (mbx_rate per second, 0 = unlimited).
 */
static unsigned long iovpf_rate_wait(struct iovpf *pf, struct iovpf_vf *v)
{
	unsigned int limit = READ_ONCE(pf->mbx_rate);

	if (!limit)
		return 0;
	if (time_after_eq(jiffies, v->rate_stamp + HZ)) {
		v->rate_stamp = jiffies;
		v->rate_used = 0;
	}
	if (v->rate_used < limit)
		return 0;
	return v->rate_stamp + HZ - jiffies;
}

static void iovpf_reply(struct iovpf *pf, unsigned int vf, const u32 *msg,
			unsigned int words, int op, bool ack)
{
	u64 lat;

	if (pf->hw_ops->mbx_write(pf, vf, msg, words, false)) {
		if (op >= 0)
			iov_stats_mbx_timeout(pf->sd, vf, op);
		return;
	}
	lat = ktime_get_ns() - pf->mbx_irq_ns;
	if (op >= 0)
		iov_stats_mbx_reply(pf->sd, vf, op, ack, lat);
	iov_trace_mbx(pf->sd, vf, true, msg, words, lat);
}

static void iovpf_reject(struct iovpf *pf, unsigned int vf, u32 msg0,
			 int why)
{
	u32 r = (msg0 & ~IOV_MSG_FLAGS_MASK) | IOV_MSG_NACK;

	/* a VF without CTS must learn that it has to reset first */
	if (pf->vf[vf].cts)
		r |= IOV_MSG_CTS;
	iov_stats_mbx_reject(pf->sd, vf, why);
	iovpf_vf_warn(pf, vf, "rejected message 0x%08x (%s)\n", msg0,
		      iov_mbx_reject_name(why));
	iovpf_reply(pf, vf, &r, 1, -1, false);
}

/*
 * Serve VF @vf's pending request. Returns 0 when it is done with (served,
 * rejected or dropped), else the jiffies after which to look again: the
 * request stays pending (its REQ bit set) while the VF is over its rate or
 * holds the buffer lock, and costs the PF nothing meanwhile.
 */
static unsigned long iovpf_rcv_msg(struct iovpf *pf, unsigned int vf)
{
	const struct iovpf_hw_ops *ops = pf->hw_ops;
	struct iovpf_vf *v = &pf->vf[vf];
	u32 msg[IOV_MBX_WORDS], reply[IOV_RESET_REPLY_WORDS];
	struct iov_mbx_req req;
	unsigned long wait;
	unsigned int words;
	int err;

	wait = iovpf_rate_wait(pf, v);
	if (wait) {
		if (!v->rate_deferred) {
			v->rate_deferred = true;
			iov_stats_mbx_reject(pf->sd, vf, IOV_REJ_RATE);
			iovpf_vf_warn(pf, vf, "over %u mailbox messages/s: served in the next second\n",
				      READ_ONCE(pf->mbx_rate));
		}
		return wait;
	}
	v->rate_deferred = false;
	if (!ops->mbx_lock(pf, vf)) {
		unsigned long hold = msecs_to_jiffies(IOVPF_MBX_LOCK_HOLD_MS);

		if (!v->lock_since)
			v->lock_since = jiffies | 1;	/* 0 means "not held" */
		if (time_before(jiffies, v->lock_since + hold))
			return 1;
		/* the lock is held with a request posted: take it back */
		ops->mbx_reclaim(pf, vf);
		v->lock_since = 0;
		v->rate_used++;
		iov_stats_mbx_reject(pf->sd, vf, IOV_REJ_LOCK);
		iovpf_vf_warn(pf, vf, "held its mailbox lock over %u ms: taken back, request dropped\n",
			      IOVPF_MBX_LOCK_HOLD_MS);
		return 0;
	}
	v->lock_since = 0;
	v->rate_used++;		/* every message counts, rejects too */
	ops->mbx_clear(pf, vf, IOVPF_MBX_REQ);
	/* word 0 says how long the request is: read only that much */
	ops->mbx_read(pf, vf, msg, 0, 1);
	words = iov_mbx_req_words(msg[0]);
	if (words > 1)
		ops->mbx_read(pf, vf, msg, 1, words);
	ops->mbx_ack(pf, vf);
	iov_trace_mbx(pf->sd, vf, false, msg, words, 0);

	/* reply flags in a request (igbvf never sends them) are INVALID */
	err = iov_mbx_parse(msg, words, &req);
	if (err) {
		iovpf_reject(pf, vf, msg[0], iov_mbx_reject_of(err));
		return 0;
	}
	if (req.op != IOV_OP_VF_RESET && !v->cts) {
		iovpf_reject(pf, vf, msg[0], IOV_REJ_NOCTS);
		return 0;
	}
	iov_stats_mbx_request(pf->sd, vf, req.op);

	switch (req.op) {
	case IOV_OP_VF_RESET:
		words = iovpf_msg_reset(pf, vf, reply);
		iovpf_reply(pf, vf, reply, words, req.op,
			    reply[0] & IOV_MSG_ACK);
		return 0;
	case IOV_OP_SET_MAC:
		err = iovpf_msg_set_mac(pf, vf, &req);
		break;
	case IOV_OP_SET_MULTICAST:
		err = iovpf_msg_set_mc(pf, vf, &req);
		break;
	case IOV_OP_SET_VLAN:
		err = iovpf_msg_set_vlan(pf, vf, &req);
		break;
	case IOV_OP_SET_LPE:
		err = iovpf_msg_set_lpe(pf, vf, &req);
		break;
	case IOV_OP_SET_PROMISC:
		err = iovpf_msg_set_promisc(pf, vf, &req);
		break;
	default:
		err = -EINVAL;
	}
	reply[0] = (msg[0] & ~IOV_MSG_FLAGS_MASK) | IOV_MSG_CTS |
		   (err ? IOV_MSG_NACK : IOV_MSG_ACK);
	iovpf_reply(pf, vf, reply, 1, req.op, !err);
	return 0;
}

/* VMMB: function level resets, then requests, then acks. vf_lock held. */
static void __iovpf_mbx_service(struct iovpf *pf)
{
	const struct iovpf_hw_ops *ops = pf->hw_ops;
	unsigned long wait, next = 0;
	u32 flr, req, ack, mask;
	unsigned int vf;

	if (!pf->num_vfs)
		return;
	mask = GENMASK(pf->num_vfs - 1, 0);
	flr = ops->vflr_take(pf, mask);
	for (vf = 0; vf < pf->num_vfs; vf++)
		if (flr & BIT(vf))
			iovpf_vf_reset(pf, vf);
	ops->mbx_pending(pf, &req, &ack);
	for (vf = 0; vf < pf->num_vfs; vf++) {
		if (req & BIT(vf)) {
			wait = iovpf_rcv_msg(pf, vf);
			if (wait && (!next || wait < next))
				next = wait;
		}
		if (ack & BIT(vf))
			ops->mbx_clear(pf, vf, IOVPF_MBX_ACK);
	}
	if (next)
		mod_delayed_work(system_wq, &pf->mbx_retry, next);
}

void iovpf_mbx_service(struct iovpf *pf)
{
	unsigned long flags;

	spin_lock_irqsave(&pf->vf_lock, flags);
	__iovpf_mbx_service(pf);
	spin_unlock_irqrestore(&pf->vf_lock, flags);
}

/* Requests left pending for rate or lock reasons get their turn here. */
void iovpf_mbx_retry(struct work_struct *work)
{
	struct iovpf *pf = container_of(to_delayed_work(work), struct iovpf,
					mbx_retry);

	if (!test_bit(IOVPF_DOWN, &pf->state))
		iovpf_mbx_service(pf);
}
