/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iovpf: Physical Function driver of the iovbench reference pair for the
 * Intel 82576 as QEMU's "igb" model emulates it.
 *
 * Layers:
 *   hw.c          register access: reset, PHY/link, filters, queues,
 *                 interrupt routing, VMDq switch, mailbox transport
 *   main.c        PCI probe/remove, MSI-X, module parameters
 *   netdev.c      net_device ops, NAPI, interrupt handlers, qstats
 *   sriov.c       SR-IOV enable/disable, VF administration (ndo_*_vf_*)
 *   mbx_service.c the PF side of the VF mailbox protocol (policy)
 *   ethtool.c     ethtool ops
 */
#ifndef _IOVPF_H_
#define _IOVPF_H_

#include <linux/netdevice.h>
#include <linux/pci.h>
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
#define IOVPF_MBX_RATE		100	/* messages per VF per second */

struct iovpf;

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
	unsigned int nvlans;	/* VLVF entries owned */
	/* rate limiting: tokens refilled per second */
	unsigned long rate_stamp;
	unsigned int rate_used;
	unsigned long last_nack_log;
	u64 req_ns;		/* mailbox interrupt timestamp */
	/* pool counters: 32-bit registers widened by sampling (watchdog) */
	u32 st_last[IOVPF_VF_NSTATS];
	u64 st_total[IOVPF_VF_NSTATS];
};

struct iovpf {
	struct pci_dev *pdev;
	struct net_device *netdev;
	u8 __iomem *hw;
	struct iov_stats_dev *sd;

	int nvec;			/* MSI-X vectors allocated */
	unsigned int num_qp;		/* active queue pairs */
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
	u64 mbx_irq_ns;

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

static inline u32 iov_rd(struct iovpf *pf, u32 reg)
{
	return readl(pf->hw + reg);
}

static inline void iov_wr(struct iovpf *pf, u32 reg, u32 val)
{
	writel(val, pf->hw + reg);
}

static inline void iov_flush(struct iovpf *pf)
{
	iov_rd(pf, IOV_STATUS);
}

/* hw.c */
int iovpf_hw_reset(struct iovpf *pf);
void iovpf_hw_read_mac(struct iovpf *pf, u8 *mac);
void iovpf_hw_phy_autoneg(struct iovpf *pf);
bool iovpf_hw_link(struct iovpf *pf, unsigned int *speed);
void iovpf_hw_set_rar(struct iovpf *pf, unsigned int idx, const u8 *mac,
		      u32 pools);
void iovpf_hw_clear_rar(struct iovpf *pf, unsigned int idx);
void iovpf_hw_write_mta(struct iovpf *pf, const u32 *mta);
void iovpf_hw_irq_setup(struct iovpf *pf);
void iovpf_hw_irq_enable(struct iovpf *pf);
void iovpf_hw_irq_disable(struct iovpf *pf);
void iovpf_hw_setup_tx(struct iovpf *pf, struct iov_ring *r);
void iovpf_hw_setup_rx(struct iovpf *pf, struct iov_ring *r);
void iovpf_hw_stop_queue(struct iovpf *pf, struct iov_ring *r);
void iovpf_hw_setup_global(struct iovpf *pf);
void iovpf_hw_setup_vmdq(struct iovpf *pf);
void iovpf_hw_set_rctl(struct iovpf *pf, bool uc_promisc, bool mc_promisc);
void iovpf_hw_vf_enable(struct iovpf *pf, unsigned int vf, bool on);
void iovpf_hw_vf_vmolr(struct iovpf *pf, unsigned int vf, bool aupe,
		       bool mpme, bool strip, u32 max_frame);
void iovpf_hw_vf_vmvir(struct iovpf *pf, unsigned int vf, u16 vid, u8 qos);
int iovpf_hw_vlvf_set(struct iovpf *pf, u16 vid, unsigned int pool, bool on);
void iovpf_hw_vlvf_clear_pool(struct iovpf *pf, unsigned int pool);
void iovpf_hw_update_stats(struct iovpf *pf);
void iovpf_hw_vf_stats(struct iovpf *pf, unsigned int vf, u32 *st);
/* mailbox transport */
bool iovpf_mbx_lock(struct iovpf *pf, unsigned int vf);
void iovpf_mbx_read(struct iovpf *pf, unsigned int vf, u32 *msg,
		    unsigned int words);
void iovpf_mbx_read_from(struct iovpf *pf, unsigned int vf, u32 *msg,
			 unsigned int first, unsigned int words);
void iovpf_mbx_ack(struct iovpf *pf, unsigned int vf);
int iovpf_mbx_write(struct iovpf *pf, unsigned int vf, const u32 *msg,
		    unsigned int words, bool unsolicited);

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

/* mbx_service.c */
void iovpf_mbx_service(struct iovpf *pf);
void iovpf_ping_vfs(struct iovpf *pf);
int iovpf_ping_vf(struct iovpf *pf, unsigned int vf, u32 flags);

#endif /* _IOVPF_H_ */
