/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iovvf: Virtual Function driver of the iovbench reference pair for the
 * Intel 82576 VF (8086:10ca) as QEMU's "igb" model emulates it.
 *
 *   main.c        PCI probe/remove, MSI-X, reset handshake, PF reset and
 *                 FLR recovery, watchdog (link, RSTI)
 *   mbx_client.c  VF side of the mailbox: interrupt-driven request/reply,
 *                 timeouts, retries, CTS, unsolicited PF messages
 *   netdev.c      net_device ops, NAPI, queue setup, filters -> requests,
 *                 qstats
 *   ethtool.c     ethtool ops and ethtool -S
 *   hw.c          every register access: reset, interrupts, queues, link,
 *                 mailbox transport (struct iovvf_hw_ops)
 *
 * Rings, descriptors, the message set and the instrumentation come from
 * iovcore (driver/common), shared with iovpf.
 */
#ifndef _IOVVF_H_
#define _IOVVF_H_

#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/if_vlan.h>
#include "iov_regs.h"
#include "iov_mbx.h"
#include "iov_ring.h"
#include "iov_itr.h"
#include "iov_stats.h"

#define IOVVF_DRV_NAME		"iovvf"
#define IOVVF_NAPI_BUDGET	64

/*
 * MSI-X layout. The model routes a VF's mailbox interrupt to vector
 * (IVAR_MISC & 3) << base, i.e. it shifts the vector *number* instead of
 * BIT(number) (QEMU mailbox_interrupt_to_vf). IVAR_MISC = 1 is the one
 * value that lands on a single vector there: vector 0. The queue causes use IVAR0,
 * which the model maps correctly.
 */
/*
 * The queue pair's RX and TX causes share one vector, as igb's TxRx
 * vectors do: a poll then cleans both for one interrupt. With a vector
 * each (igbvf's layout) every TX completion took an interrupt and a
 * NAPI poll of its own that found no RX work, half of a sender's polls.
 */
enum {
	IOVVF_VEC_MBX,
	IOVVF_VEC_QUEUE,
	IOVVF_NVEC
};

#define IOVVF_EIMS_MBX		BIT(IOVVF_VEC_MBX)
#define IOVVF_EIMS_QUEUES	BIT(IOVVF_VEC_QUEUE)
#define IOVVF_EIMS_ALL		(IOVVF_EIMS_MBX | IOVVF_EIMS_QUEUES)

struct iovvf;

/**
 * struct iovvf_hw_ops - the VF's hardware verbs
 *
 * Every register access of iovvf goes through these. One table per VF
 * kind, picked at probe from the PCI device table (&struct iovvf_hw_info
 * in driver_data). Vectors are EIMS bit masks (IOVVF_EIMS_*).
 *
 * @reset: reset the function (the PF sees it and expects VF_RESET)
 * @irq_setup: route the mailbox and queue causes to their vectors, set
 *	moderation, auto-clear, unmask the mailbox vector
 * @irq_mask: mask vectors @vecs
 * @irq_unmask: unmask vectors @vecs
 * @irq_clear: clear latched causes of @vecs
 * @set_itr: moderation value of vector @vec
 * @setup_tx: program and enable the TX ring (sets its tail)
 * @setup_rx: program and enable the RX ring (sets its tail)
 * @stop_queues: disable both rings and flush, before their memory goes
 * @queues_enabled: the RX ring enable is still set (false after a reset
 *	behind the driver's back)
 * @link: the PF's link state; *speed in SPEED_*, *duplex DUPLEX_*
 * @mbx_status: read the mailbox control word (IOV_V2P_*); the read clears
 *	the PF's STS/ACK and RSTD, the caller latches them
 * @mbx_claim: ask for the buffer; mbx_status() shows whether it was granted
 * @mbx_read: read @words of a PF message, acknowledge it, release the buffer
 * @mbx_write: write @words of a request and release the buffer, signalling
 *	the PF if @signal (false only for the fault-injection hook)
 */
struct iovvf_hw_ops {
	void (*reset)(struct iovvf *vf);
	void (*irq_setup)(struct iovvf *vf);
	void (*irq_mask)(struct iovvf *vf, u32 vecs);
	void (*irq_unmask)(struct iovvf *vf, u32 vecs);
	void (*irq_clear)(struct iovvf *vf, u32 vecs);
	void (*set_itr)(struct iovvf *vf, unsigned int vec, u32 itr);
	void (*setup_tx)(struct iovvf *vf, struct iov_ring *r);
	void (*setup_rx)(struct iovvf *vf, struct iov_ring *r);
	void (*stop_queues)(struct iovvf *vf);
	bool (*queues_enabled)(struct iovvf *vf);
	bool (*link)(struct iovvf *vf, int *speed, u8 *duplex);
	u32 (*mbx_status)(struct iovvf *vf);
	void (*mbx_claim)(struct iovvf *vf);
	void (*mbx_read)(struct iovvf *vf, u32 *msg, unsigned int words);
	void (*mbx_write)(struct iovvf *vf, const u32 *msg, unsigned int words,
			  bool signal);
};

/**
 * struct iovvf_hw_info - what a PCI device table entry stands for
 * @name: VF kind for the probe message
 * @ops: its hardware verbs
 * @quirks: IOV_QUIRK_* workarounds the device needs (iov_quirks.h)
 */
struct iovvf_hw_info {
	const char *name;
	const struct iovvf_hw_ops *ops;
	u32 quirks;
};

/* state bits */
enum {
	IOVVF_DOWN,		/* queues/NAPI not running */
	IOVVF_RESETTING,	/* reset handshake or recovery in progress */
	IOVVF_REMOVING,
	IOVVF_NEED_RESET,	/* PF reset / FLR / NOCTS seen: renegotiate */
	IOVVF_HW_READY,		/* VF_RESET handshake done (CTS) */
	IOVVF_RESET_RETRY_LOG,	/* "PF not ready" already logged */
};

struct iovvf_mbx {
	struct mutex lock;		/* one request at a time */
	spinlock_t ev_lock;		/* events vs the mailbox ISR */
	u32 events;			/* PFSTS/PFACK/RSTD latched from reads */
	u32 last;			/* last VFMAILBOX value read */
	bool waiting;			/* a requester sleeps on @done */
	struct completion done;
	struct work_struct msg_task;	/* unsolicited PF message */
	/* debugfs knobs (iovvf_mbx_debugfs) */
	u32 timeout_ms;			/* per attempt */
	u32 retries;			/* after a timeout */
	atomic_t fault_drop;		/* test hook: requests not signalled */
	/* counters for ethtool -S (the histograms live in iov_stats) */
	u64 requests, retried, irq_missed, unsolicited, lock_fail;
	u64 stray_replies;
};

struct iovvf {
	struct pci_dev *pdev;
	struct net_device *netdev;
	const struct iovvf_hw_ops *hw_ops;
	u32 quirks;			/* IOV_QUIRK_* */
	u8 __iomem *hw;			/* BAR 0: only hw.c touches it */
	struct iov_stats_dev *sd;
	u32 msg_enable;

	/* one queue pair: the model wires interrupts only for VF queue 0 */
	struct napi_struct napi;
	struct iov_ring tx;
	struct iov_ring rx;
	u16 tx_count;
	u16 rx_count;
	struct iov_itr itr;		/* EITR of both queue vectors */

	int nvec;
	char irq_name[IOVVF_NVEC][IFNAMSIZ + 8];
	struct iov_irq_stats *irq_st[IOVVF_NVEC];
	struct iov_napi_stats *napi_st;
	bool irq_requested[IOVVF_NVEC];

	struct iovvf_mbx mbx;

	/* what the PF should know about us; replayed after every reset */
	u8 pf_mac[ETH_ALEN];		/* MAC from the reset reply, or zero */
	u32 max_frame;
	bool promisc_mc;		/* last SET_PROMISC sent */
	bool promisc_refused;		/* PF NACKed it: don't ask again */
	unsigned int mc_count;		/* last SET_MULTICAST sent */
	u16 mc_hash[IOV_MC_MAX_HASHES];
	unsigned long active_vlans[BITS_TO_LONGS(VLAN_N_VID)];
	struct work_struct rx_mode_task;

	struct work_struct reset_task;
	struct delayed_work watchdog;
	bool link_up;

	/* recovery counters, ethtool -S */
	u64 pf_resets, vf_resets, flrs, link_changes, tx_timeouts;

	unsigned long state;
};

/* hw.c */
extern const struct iovvf_hw_info iovvf_82576_info;
extern const struct iovvf_hw_info iovvf_82576_qemu_info;

/* main.c */
int iovvf_hw_init(struct iovvf *vf);
void iovvf_schedule_reset(struct iovvf *vf, const char *why);
void iovvf_kick_watchdog(struct iovvf *vf);

/* mbx_client.c */
void iovvf_mbx_init(struct iovvf *vf);
void iovvf_mbx_debugfs(struct iovvf *vf, struct dentry *dir);
irqreturn_t iovvf_mbx_isr(int irq, void *data);
int iovvf_mbx_request(struct iovvf *vf, u32 *msg, unsigned int words,
		      unsigned int reply_words, bool *acked);
u32 iovvf_mbx_poll(struct iovvf *vf);
bool iovvf_mbx_pf_in_reset(struct iovvf *vf);
void iovvf_mbx_flush(struct iovvf *vf);

/* netdev.c */
int iovvf_netdev_setup(struct iovvf *vf);
int iovvf_up(struct iovvf *vf);
void iovvf_down(struct iovvf *vf);
int iovvf_restore_filters(struct iovvf *vf);
void iovvf_write_eitr(struct iovvf *vf);
irqreturn_t iovvf_queue_isr(int irq, void *data);

/* ethtool.c */
void iovvf_set_ethtool_ops(struct net_device *nd);

#endif /* _IOVVF_H_ */
