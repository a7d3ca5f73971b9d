/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iovbench instrumentation: counters behind one static key, exposed in
 * debugfs in the format of stats-format.md (version 1).
 *
 * Counters are per instance with a single writer each (one IRQ handler per
 * vector, one NAPI poller per instance, the mailbox service serialised by
 * its driver), so they are plain u64 with tear-free stores on 64-bit and no
 * atomics. With the key off the hot path pays one patched-out branch.
 */
#ifndef _IOV_STATS_H_
#define _IOV_STATS_H_

#include <linux/jump_label.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include "iov_mbx.h"
#include "iov_trace.h"

#define IOV_STATS_VERSION	1
#define IOV_STATS_MAX_VEC	10
#define IOV_STATS_MAX_NAPI	16
#define IOV_STATS_MAX_MBX	8	/* PF: one per VF; VF: [0] only */
#define IOV_WORK_BUCKETS	8	/* 0,1,2,4,8,16,32,budget */
#define IOV_LAT_BUCKETS		40	/* log2 ns, up to ~18 minutes */
#define IOV_STATS_NAME		32

DECLARE_STATIC_KEY_TRUE(iov_stats_key);

/* /sys/kernel/debug/iovbench, owned by iovcore */
extern struct dentry *iov_debugfs_root;

static __always_inline bool iov_stats_on(void)
{
	return static_branch_likely(&iov_stats_key);
}

/* single-writer increment; readers use READ_ONCE */
#define iov_ctr_add(ctr, v)					\
	do {							\
		typeof(ctr) *__ctr = &(ctr);			\
								\
		WRITE_ONCE(*__ctr, *__ctr + (v));		\
	} while (0)
#define iov_ctr_inc(ctr)	iov_ctr_add(ctr, 1)

struct iov_irq_stats {
	char name[IOV_STATS_NAME];
	bool used;
	u64 count;
};

struct iov_napi_stats {
	char name[IOV_STATS_NAME];
	bool used;
	u32 budget;
	u64 polls;
	u64 irqs;	/* written by the IRQ handler */
	u64 rearms;
	u64 work[IOV_WORK_BUCKETS];
};

struct iov_mbx_op_stats {
	u64 count;
	u64 ack;
	u64 nack;
	u64 timeout;
	u64 lat[IOV_LAT_BUCKETS];
};

struct iov_mbx_stats {
	struct iov_mbx_op_stats op[IOV_OP_NUM];
	u64 rejected[IOV_REJ_NUM];
};

struct iov_stats_dev {
	struct pci_dev *pdev;
	const char *driver;
	bool is_pf;
	struct net_device *netdev;	/* may be NULL (not yet registered) */
	struct dentry *dir;
	struct iov_irq_stats irq[IOV_STATS_MAX_VEC];
	struct iov_napi_stats napi[IOV_STATS_MAX_NAPI];
	struct iov_mbx_stats mbx[IOV_STATS_MAX_MBX];
};

/**
 * iov_stats_register() - a PCI function's instrumentation, at probe
 * @pdev: the function; its debugfs directory is iovbench/<bdf>/
 * @driver: driver name shown in the stats header
 * @is_pf: the function is a PF (the header shows num_vfs)
 *
 * Creates iovbench/<bdf>/stats (stats-format.md). The directory,
 * @sd->dir, also takes the driver's own knobs.
 *
 * Return: the stats device, or NULL without memory.
 */
struct iov_stats_dev *iov_stats_register(struct pci_dev *pdev,
					 const char *driver, bool is_pf);

/**
 * iov_stats_unregister() - at remove: the debugfs directory goes too
 * @sd: from iov_stats_register(), or NULL
 */
void iov_stats_unregister(struct iov_stats_dev *sd);

/**
 * iov_stats_set_netdev() - name the netdev in the stats header
 * @sd: the stats device
 * @nd: the registered netdev, or NULL before it goes away
 */
void iov_stats_set_netdev(struct iov_stats_dev *sd, struct net_device *nd);

/**
 * iov_stats_reset() - zero every counter of the function
 * @sd: the stats device (the layout is kept)
 */
void iov_stats_reset(struct iov_stats_dev *sd);

/**
 * iov_stats_irq_setup() - declare an interrupt vector
 * @sd: the stats device
 * @vec: MSI-X entry, < IOV_STATS_MAX_VEC (others are ignored)
 * @name: its name in debugfs (the request_irq name)
 */
void iov_stats_irq_setup(struct iov_stats_dev *sd, unsigned int vec,
			 const char *name);

/**
 * iov_stats_napi_setup() - declare a NAPI instance
 * @sd: the stats device
 * @id: index, < IOV_STATS_MAX_NAPI (others are ignored)
 * @name: its name in debugfs and in the iov_napi_poll tracepoint
 * @budget: its NAPI budget (the last work bucket)
 */
void iov_stats_napi_setup(struct iov_stats_dev *sd, unsigned int id,
			  const char *name, u32 budget);

/**
 * iov_stats_clear_layout() - forget every vector and NAPI instance
 * @sd: the stats device, before the driver declares them again
 */
void iov_stats_clear_layout(struct iov_stats_dev *sd);

/* ---- hot path hooks ----------------------------------------------------- */
static __always_inline void iov_stats_irq(struct iov_irq_stats *s)
{
	if (iov_stats_on())
		iov_ctr_inc(s->count);
}

static __always_inline void iov_stats_napi_irq(struct iov_napi_stats *s)
{
	if (iov_stats_on())
		iov_ctr_inc(s->irqs);
}

static __always_inline unsigned int iov_work_bucket(int work, int budget)
{
	if (work >= budget)
		return IOV_WORK_BUCKETS - 1;
	if (work <= 0)
		return 0;
	if (work >= 32)
		return 6;
	return fls(work);	/* 1->1, 2-3->2, 4-7->3, 8-15->4, 16-31->5 */
}

/* Call once per poll, after napi_complete_done() if the poll completed. */
static __always_inline void iov_stats_napi_poll(struct iov_napi_stats *s,
						int work, int budget,
						bool rearmed)
{
	if (iov_stats_on()) {
		iov_ctr_inc(s->polls);
		iov_ctr_inc(s->work[iov_work_bucket(work, budget)]);
		if (rearmed)
			iov_ctr_inc(s->rearms);
	}
	trace_iov_napi_poll(s->name, work, budget);
}

/* ---- mailbox hooks (slow path) ------------------------------------------ */

/**
 * iov_stats_mbx_request() - count a mailbox request
 * @sd: the stats device
 * @vf: VF number on the PF, 0 on the VF; out of range is ignored
 * @op: enum iov_mbx_op; out of range is ignored
 */
void iov_stats_mbx_request(struct iov_stats_dev *sd, int vf, int op);

/**
 * iov_stats_mbx_reply() - count a reply and its round trip
 * @sd: the stats device
 * @vf: as for iov_stats_mbx_request()
 * @op: as for iov_stats_mbx_request()
 * @ack: ACK (else NACK)
 * @lat_ns: request to reply, into the log2 histogram
 */
void iov_stats_mbx_reply(struct iov_stats_dev *sd, int vf, int op,
			 bool ack, u64 lat_ns);

/**
 * iov_stats_mbx_timeout() - count a request that got no reply
 * @sd: the stats device
 * @vf: as for iov_stats_mbx_request()
 * @op: as for iov_stats_mbx_request()
 */
void iov_stats_mbx_timeout(struct iov_stats_dev *sd, int vf, int op);

/**
 * iov_stats_mbx_reject() - count a request refused before dispatch
 * @sd: the stats device
 * @vf: as for iov_stats_mbx_request()
 * @why: enum iov_mbx_reject; out of range is ignored
 */
void iov_stats_mbx_reject(struct iov_stats_dev *sd, int vf, int why);

/**
 * iov_trace_mbx() - the iovbench:iov_mbx_msg tracepoint for one message
 * @sd: the stats device (names the device)
 * @vf: VF number, -1 on the VF side
 * @to_vf: direction (PF to VF)
 * @msg: the message
 * @words: its length
 * @lat_ns: round trip of a reply, else 0
 */
void iov_trace_mbx(const struct iov_stats_dev *sd, int vf, bool to_vf,
		   const u32 *msg, unsigned int words, u64 lat_ns);

#endif /* _IOV_STATS_H_ */
