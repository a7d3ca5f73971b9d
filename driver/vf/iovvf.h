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
 * value that lands on a single vector there: vector 0. RX/TX use IVAR0,
 * which the model maps correctly.
 */
enum {
	IOVVF_VEC_MBX,
	IOVVF_VEC_RX,
	IOVVF_VEC_TX,
	IOVVF_NVEC
};

#define IOVVF_EIMS_MBX		BIT(IOVVF_VEC_MBX)
#define IOVVF_EIMS_RX		BIT(IOVVF_VEC_RX)
#define IOVVF_EIMS_TX		BIT(IOVVF_VEC_TX)
#define IOVVF_EIMS_QUEUES	(IOVVF_EIMS_RX | IOVVF_EIMS_TX)
#define IOVVF_EIMS_ALL		(IOVVF_EIMS_MBX | IOVVF_EIMS_QUEUES)

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
	/* counters for ethtool -S (the histograms live in iov_stats) */
	u64 requests, retried, irq_missed, unsolicited, lock_fail;
	u64 stray_replies;
};

struct iovvf {
	struct pci_dev *pdev;
	struct net_device *netdev;
	u8 __iomem *hw;
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

static inline u32 vf_rd(struct iovvf *vf, u32 reg)
{
	return readl(vf->hw + reg);
}

static inline void vf_wr(struct iovvf *vf, u32 reg, u32 val)
{
	writel(val, vf->hw + reg);
}

/* main.c */
int iovvf_hw_init(struct iovvf *vf);
void iovvf_schedule_reset(struct iovvf *vf, const char *why);
void iovvf_kick_watchdog(struct iovvf *vf);

/* mbx_client.c */
void iovvf_mbx_init(struct iovvf *vf);
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
void iovvf_irq_config(struct iovvf *vf);
void iovvf_write_eitr(struct iovvf *vf);
irqreturn_t iovvf_rx_isr(int irq, void *data);
irqreturn_t iovvf_tx_isr(int irq, void *data);

/* ethtool.c */
void iovvf_set_ethtool_ops(struct net_device *nd);

#endif /* _IOVVF_H_ */
