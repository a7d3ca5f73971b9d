/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iovpf: Physical Function driver of the iovbench reference pair for the
 * Intel 82576 as QEMU's "igb" model emulates it.
 *
 * Layers:
 *   hw.c          register access: reset, PHY/link, filters, queues,
 *                 interrupt routing, VMDq switch, mailbox transport
 *   main.c        PCI probe/remove, MSI-X, debugfs knobs
 *   netdev.c      net_device ops, NAPI, interrupt handlers, qstats
 *   sriov.c       SR-IOV enable/disable, VF administration (ndo_*_vf_*)
 *   mbx_service.c the PF side of the VF mailbox protocol (policy)
 *   ethtool.c     ethtool ops
 */
#ifndef _IOVPF_H_
#define _IOVPF_H_

#include <linux/netdevice.h>
#include <linux/if_vlan.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "iov_regs.h"
#include "iov_mbx.h"
#include "iov_ring.h"
#include "iov_itr.h"
#include "iov_stats.h"

#define IOVPF_DRV_NAME		"iovpf"
#define IOVPF_MAX_QP		2	/* queue pairs: pool p owns p, p+8 */
#define IOVPF_VEC_OTHER		0	/* link + mailbox */
#define IOVPF_NAPI_BUDGET	64
#define IOVPF_VF_RAR(vf)	(IOV_NUM_RAR - 1 - (vf))	/* like igb */
/*
 * RAR layout: 0 = PF MAC, 1..7 = PF extra unicast addresses, 8..16 = extra
 * unicast filters VFs request (SET_MAC_ADDR|MAC_FILTER_ADD), 17..23 = VF
 * MACs (23 - vf, as igb).
 */
#define IOVPF_UC_RAR_FIRST	1
#define IOVPF_UC_RAR_LAST	7
#define IOVPF_VFMAC_RAR_FIRST	8
#define IOVPF_VFMAC_RAR_NUM	(IOVPF_VF_RAR(IOV_MAX_VFS - 1) - IOVPF_VFMAC_RAR_FIRST)
#define IOVPF_MBX_RATE		1000	/* default: messages per VF per second */
#define IOVPF_MBX_LOCK_HOLD_MS	20	/* a VF holding its buffer longer loses it */
#define IOVPF_PF_UC_NUM		(IOVPF_UC_RAR_LAST - IOVPF_UC_RAR_FIRST + 1)

struct iovpf;

/* causes of the "other" vector, as iovpf_hw_ops.irq_cause reports them */
#define IOVPF_CAUSE_MBX		BIT(0)	/* a VF mailbox event (or FLR) */
#define IOVPF_CAUSE_LINK	BIT(1)	/* link status change */

/* mailbox events per VF, iovpf_hw_ops.mbx_clear */
enum iovpf_mbx_event { IOVPF_MBX_REQ, IOVPF_MBX_ACK };

/**
 * struct iovpf_hw_ops - the PF's hardware verbs
 *
 * Every register access of iovpf goes through these; the policy in the
 * other files (SR-IOV, the mailbox protocol, netdev, ethtool) never sees a
 * register. One table per adapter family, picked at probe from the PCI
 * device table (&struct iovpf_hw_info in driver_data). Vectors are EIMS
 * bit masks; "pool" is a VMDq pool (VF n = pool n, the PF's is num_vfs).
 *
 * @reset: global reset, then the known state the other verbs assume
 * @release: tell the device the driver lets go of it (remove)
 * @read_mac: the permanent MAC address
 * @phy_autoneg: restart autonegotiation (the link comes up later)
 * @link: link state now; *speed in SPEED_*
 * @mac_filter_set: unicast filter @idx = @mac, delivered to @pools
 * @mac_filter_clear: free unicast filter @idx
 * @mc_table_write: the multicast hash table (IOV_NUM_MTA words)
 * @rx_mode: port receive control, unicast/multicast promiscuity
 * @rx_disable: stop the port's receiver (before the queues)
 * @vlan_filter_set: add/remove @pool to/from VLAN @vid; -ENOSPC if full
 * @vlan_filter_clear_pool: remove @pool from every VLAN filter
 * @irq_setup: MSI-X routing and moderation of the PF's vectors
 * @irq_enable: unmask the PF's vectors and causes
 * @irq_disable: mask them (VF vectors are left alone)
 * @irq_cause: read and clear the "other" causes (IOVPF_CAUSE_*)
 * @irq_mask: mask vectors @vecs
 * @irq_unmask: unmask vectors @vecs
 * @set_itr: moderation value of vector @vec
 * @setup_global: TX/RX control, frame size, checksum offload, RSS
 * @setup_vmdq: pools and the internal switch for num_vfs VFs
 * @setup_tx: program and enable a TX ring (sets its tail)
 * @setup_rx: program and enable an RX ring (sets its tail)
 * @stop_queue: disable a ring
 * @flush: flush posted writes
 * @vf_enable: VF's RX and TX on or off
 * @vfs_stop: every VF's RX and TX off
 * @vfs_reset_done: the PF finished its reset: VFs may renegotiate
 * @vf_rx_mode: a VF pool's receive options: untagged frames accepted,
 *	multicast promiscuous, VLAN strip, max frame (0 = standard)
 * @vf_port_vlan: VLAN inserted on a VF's TX (0 = none)
 * @update_stats: add the clear-on-read MAC counters into @pf
 * @vf_stats: a VF pool's 32-bit counters (IOVPF_VF_*)
 * @vflr_take: the VFs in @mask that had a function level reset; clears
 * @mbx_pending: VFs with a request (@req) and with an ack (@ack) pending
 * @mbx_clear: clear a VF's pending mailbox event
 * @mbx_lock: take a VF's buffer, one attempt; false if the VF holds it
 * @mbx_reclaim: take the buffer back from a VF that holds it; the VF's
 *	pending request and ack are dropped
 * @mbx_read: read words @first..@words-1 of a VF's buffer
 * @mbx_ack: ack the VF's message, keeping the buffer for the reply
 * @mbx_write: send @msg to a VF and release the buffer; -EBUSY if it
 *	cannot be taken, -EAGAIN if @unsolicited and a request is unread
 */
struct iovpf_hw_ops {
	int (*reset)(struct iovpf *pf);
	void (*release)(struct iovpf *pf);
	void (*read_mac)(struct iovpf *pf, u8 *mac);
	void (*phy_autoneg)(struct iovpf *pf);
	bool (*link)(struct iovpf *pf, unsigned int *speed);

	void (*mac_filter_set)(struct iovpf *pf, unsigned int idx,
			       const u8 *mac, u32 pools);
	void (*mac_filter_clear)(struct iovpf *pf, unsigned int idx);
	void (*mc_table_write)(struct iovpf *pf, const u32 *mta);
	void (*rx_mode)(struct iovpf *pf, bool uc_promisc, bool mc_promisc);
	void (*rx_disable)(struct iovpf *pf);
	int (*vlan_filter_set)(struct iovpf *pf, u16 vid, unsigned int pool,
			       bool on);
	void (*vlan_filter_clear_pool)(struct iovpf *pf, unsigned int pool);

	void (*irq_setup)(struct iovpf *pf);
	void (*irq_enable)(struct iovpf *pf);
	void (*irq_disable)(struct iovpf *pf);
	u32 (*irq_cause)(struct iovpf *pf);
	void (*irq_mask)(struct iovpf *pf, u32 vecs);
	void (*irq_unmask)(struct iovpf *pf, u32 vecs);
	void (*set_itr)(struct iovpf *pf, unsigned int vec, u32 itr);

	void (*setup_global)(struct iovpf *pf);
	void (*setup_vmdq)(struct iovpf *pf);
	void (*setup_tx)(struct iovpf *pf, struct iov_ring *r);
	void (*setup_rx)(struct iovpf *pf, struct iov_ring *r);
	void (*stop_queue)(struct iovpf *pf, struct iov_ring *r);
	void (*flush)(struct iovpf *pf);

	void (*vf_enable)(struct iovpf *pf, unsigned int vf, bool on);
	void (*vfs_stop)(struct iovpf *pf);
	void (*vfs_reset_done)(struct iovpf *pf);
	void (*vf_rx_mode)(struct iovpf *pf, unsigned int vf, bool aupe,
			   bool mpme, bool strip, u32 max_frame);
	void (*vf_port_vlan)(struct iovpf *pf, unsigned int vf, u16 vid,
			     u8 qos);

	void (*update_stats)(struct iovpf *pf);
	void (*vf_stats)(struct iovpf *pf, unsigned int vf, u32 *st);

	u32 (*vflr_take)(struct iovpf *pf, u32 mask);
	void (*mbx_pending)(struct iovpf *pf, u32 *req, u32 *ack);
	void (*mbx_clear)(struct iovpf *pf, unsigned int vf,
			  enum iovpf_mbx_event ev);
	bool (*mbx_lock)(struct iovpf *pf, unsigned int vf);
	void (*mbx_reclaim)(struct iovpf *pf, unsigned int vf);
	void (*mbx_read)(struct iovpf *pf, unsigned int vf, u32 *msg,
			 unsigned int first, unsigned int words);
	void (*mbx_ack)(struct iovpf *pf, unsigned int vf);
	int (*mbx_write)(struct iovpf *pf, unsigned int vf, const u32 *msg,
			 unsigned int words, bool unsolicited);
};

/**
 * struct iovpf_hw_info - what a PCI device table entry stands for
 * @name: adapter name for the probe message
 * @ops: its hardware verbs
 * @quirks: IOV_QUIRK_* workarounds the device needs (iov_quirks.h)
 */
struct iovpf_hw_info {
	const char *name;
	const struct iovpf_hw_ops *ops;
	u32 quirks;
};

/* per-VF pool statistics: rx pkts, tx pkts, rx bytes, tx bytes, rx mcast */
enum {
	IOVPF_VF_RXP, IOVPF_VF_TXP, IOVPF_VF_RXB, IOVPF_VF_TXB,
	IOVPF_VF_MC, IOVPF_VF_NSTATS
};

struct iovpf_qvec {
	struct iovpf *pf;
	struct napi_struct napi;
	struct iov_ring tx;
	struct iov_ring rx;
	unsigned int idx;		/* queue pair index */
	unsigned int vec;		/* MSI-X entry == EICR bit */
	u32 eims;
	char name[IFNAMSIZ + 8];
	struct iov_irq_stats *irq_st;
	struct iov_napi_stats *napi_st;
	struct iov_itr itr;		/* moderation of this vector */
};

struct iovpf_vf {
	u8 mac[ETH_ALEN];
	u8 default_mac[ETH_ALEN];
	bool pf_set_mac;	/* administrator pinned the MAC */
	bool trusted;
	bool spoofchk;
	int link_state;		/* IFLA_VF_LINK_STATE_* */
	u16 pf_vlan;		/* administrator VLAN (port VLAN), 0 = none */
	u8 pf_qos;
	bool cts;		/* VF completed the VF_RESET handshake */
	bool promisc_mc;
	u32 max_frame;
	unsigned int mc_count;
	u16 mc_hash[IOV_MC_MAX_HASHES];
	DECLARE_BITMAP(vlans, VLAN_N_VID);	/* VLANs the VF asked for */
	/* rate limiting: mbx_rate messages per window of a second */
	unsigned long rate_stamp;
	unsigned int rate_used;
	bool rate_deferred;	/* a request waits for the next window */
	unsigned long lock_since;	/* jiffies the VF first held its lock, 0 */
	unsigned long last_nack_log;
	u64 req_ns;		/* mailbox interrupt timestamp */
	/* pool counters: 32-bit registers widened by sampling (watchdog) */
	u32 st_last[IOVPF_VF_NSTATS];
	u64 st_total[IOVPF_VF_NSTATS];
};

struct iovpf {
	struct pci_dev *pdev;
	struct net_device *netdev;
	const struct iovpf_hw_ops *hw_ops;
	u32 quirks;			/* IOV_QUIRK_* */
	u8 __iomem *hw;			/* BAR 0: only hw.c touches it */
	struct iov_stats_dev *sd;

	int nvec;			/* MSI-X vectors allocated */
	unsigned int num_qp;		/* active queue pairs */
	unsigned int req_qp;		/* ethtool -L combined: vectors, pairs */
	unsigned int max_qp;
	struct iovpf_qvec *qv[IOVPF_MAX_QP];
	u32 eims_other;
	u32 eims_queues;
	struct iov_irq_stats *other_irq_st;
	char other_name[IFNAMSIZ + 8];

	u16 tx_count;
	u16 rx_count;
	bool itr_adaptive;		/* ethtool adaptive-rx */
	u32 itr_usecs;			/* ethtool rx-usecs (when not adaptive) */
	u32 rx_csum_on;

	/* SR-IOV */
	unsigned int num_vfs;
	unsigned int pool;		/* PF's VMDq pool, == num_vfs */
	struct iovpf_vf *vf;
	spinlock_t vf_lock;		/* mailbox service vs admin */
	u32 mbx_rate;			/* debugfs mbx_rate, 0 = unlimited */
	u64 mbx_irq_ns;
	/* requests left pending (rate, lock) are served again from here */
	struct delayed_work mbx_retry;

	/* the PF's own extra unicast addresses (RAR 1..7), for uniqueness */
	u8 pf_uc[IOVPF_PF_UC_NUM][ETH_ALEN];
	unsigned int pf_uc_num;

	/* extra VF unicast filters: owner VF or -1, address */
	struct {
		int vf;
		u8 addr[ETH_ALEN];
	} vf_uc[IOVPF_VFMAC_RAR_NUM];

	/* PF's own multicast hashes; the MTA is these | every VF's */
	u32 mta_pf[IOV_NUM_MTA];
	u32 mta_hw[IOV_NUM_MTA];	/* what the MTA holds (fewer MMIO writes) */
	u32 vlvf_hw[IOV_NUM_VLVF];	/* what VLVF holds (no MMIO reads) */

	/* link */
	bool link_up;
	unsigned int link_speed;
	struct delayed_work watchdog;
	struct work_struct reset_work;

	/* MAC statistics accumulated from clear-on-read registers */
	spinlock_t stats_lock;
	u64 hw_crcerrs, hw_mpc, hw_rnbc, hw_gprc, hw_gptc;
	/* totals of rings already freed (down/reinit), for monotonic stats */
	struct iov_ring_stats base_rx;
	struct iov_ring_stats base_tx;

	unsigned long state;
#define IOVPF_DOWN		0
#define IOVPF_RESETTING		1
#define IOVPF_REMOVING		2
};

/* main.c */
int iovpf_msix_reinit(struct iovpf *pf, unsigned int req_qp);

/* hw.c */
extern const struct iovpf_hw_info iovpf_82576_info;
extern const struct iovpf_hw_info iovpf_82576_qemu_info;

/* netdev.c */
irqreturn_t iovpf_msix_other_handler(int irq, void *data);
int iovpf_netdev_create(struct iovpf *pf);
int iovpf_open(struct net_device *nd);
int iovpf_close(struct net_device *nd);
int iovpf_up(struct iovpf *pf);
void iovpf_down(struct iovpf *pf);
void iovpf_reinit_locked(struct iovpf *pf);
void iovpf_set_num_qp(struct iovpf *pf);
void iovpf_restore_filters(struct iovpf *pf);
extern const struct net_device_ops iovpf_netdev_ops;

/* ethtool.c */
void iovpf_set_ethtool_ops(struct net_device *nd);

/* sriov.c */
int iovpf_sriov_configure(struct pci_dev *pdev, int num_vfs);
void iovpf_sriov_restore(struct iovpf *pf);
void iovpf_sriov_remove(struct iovpf *pf);
int iovpf_ndo_set_vf_mac(struct net_device *nd, int vf, u8 *mac);
int iovpf_ndo_set_vf_vlan(struct net_device *nd, int vf, u16 vlan, u8 qos,
			  __be16 proto);
int iovpf_ndo_set_vf_trust(struct net_device *nd, int vf, bool on);
int iovpf_ndo_set_vf_spoofchk(struct net_device *nd, int vf, bool on);
int iovpf_ndo_set_vf_link_state(struct net_device *nd, int vf, int state);
int iovpf_ndo_get_vf_config(struct net_device *nd, int vf,
			    struct ifla_vf_info *ivi);
int iovpf_ndo_get_vf_stats(struct net_device *nd, int vf,
			   struct ifla_vf_stats *vs);
void iovpf_vf_stats_update(struct iovpf *pf, bool rebase);
void iovpf_vf_reset(struct iovpf *pf, unsigned int vf);
void iovpf_vf_uc_clear(struct iovpf *pf, unsigned int vf);
void iovpf_vf_set_rar(struct iovpf *pf, unsigned int vf);
void __iovpf_write_mta(struct iovpf *pf);
void iovpf_sriov_pf_down(struct iovpf *pf);
int iovpf_vf_state_show(struct seq_file *m, void *unused);

static inline unsigned int iovpf_vf_nvlans(const struct iovpf_vf *v)
{
	return bitmap_weight(v->vlans, VLAN_N_VID);
}

/* mbx_service.c */
void iovpf_mbx_service(struct iovpf *pf);
void iovpf_mbx_retry(struct work_struct *work);
void iovpf_ping_vfs(struct iovpf *pf);
int iovpf_ping_vf(struct iovpf *pf, unsigned int vf, u32 flags);

#endif /* _IOVPF_H_ */
