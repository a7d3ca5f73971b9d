// SPDX-License-Identifier: GPL-2.0
/*
 * iovpf hardware layer: every register access of the PF driver that is
 * specific to the 82576 register map lives here, so the logic in the other
 * files (SR-IOV policy, mailbox protocol, netdev) ports to another adapter
 * by replacing this file and iov_regs.h.
 */
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/iopoll.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include "iovpf.h"

static inline u32 iov_rd(struct iovpf *pf, u32 reg)
{
	return readl(pf->hw + reg);
}

static inline void iov_wr(struct iovpf *pf, u32 reg, u32 val)
{
	writel(val, pf->hw + reg);
}

static void iovpf_82576_flush(struct iovpf *pf)
{
	iov_rd(pf, IOV_STATUS);
}

static int iovpf_82576_reset(struct iovpf *pf)
{
	unsigned int i;
	u32 ctrl;
	int err;

	/* quiesce DMA and interrupts before the global reset */
	iov_wr(pf, IOV_IMC, ~0u);
	iov_wr(pf, IOV_RCTL, 0);
	iov_wr(pf, IOV_TCTL, IOV_TCTL_PSP);
	iovpf_82576_flush(pf);
	usleep_range(1000, 2000);

	iov_wr(pf, IOV_CTRL, iov_rd(pf, IOV_CTRL) | IOV_CTRL_RST);
	err = readl_poll_timeout(pf->hw + IOV_CTRL, ctrl,
				 !(ctrl & IOV_CTRL_RST), 100, 20000);
	if (err) {
		dev_err(&pf->pdev->dev, "reset did not complete\n");
		return err;
	}
	iov_wr(pf, IOV_IMC, ~0u);
	/* known state for the MTA shadow, whatever the reset preserved */
	for (i = 0; i < IOV_NUM_MTA; i++)
		iov_wr(pf, IOV_MTA(i), 0);
	memset(pf->mta_hw, 0, sizeof(pf->mta_hw));
	for (i = 0; i < IOV_NUM_VLVF; i++)
		iov_wr(pf, IOV_VLVF(i), 0);
	memset(pf->vlvf_hw, 0, sizeof(pf->vlvf_hw));
	iov_wr(pf, IOV_CTRL_EXT,
	       iov_rd(pf, IOV_CTRL_EXT) | IOV_CTRL_EXT_DRV_LOAD);
	/* link: full duplex, set link up (the model ignores SLU) */
	iov_wr(pf, IOV_CTRL, iov_rd(pf, IOV_CTRL) | IOV_CTRL_SLU |
	       IOV_CTRL_FD);
	iovpf_82576_flush(pf);
	return 0;
}

static void iovpf_82576_release(struct iovpf *pf)
{
	iov_wr(pf, IOV_CTRL_EXT,
	       iov_rd(pf, IOV_CTRL_EXT) & ~IOV_CTRL_EXT_DRV_LOAD);
}

/* After reset the model (like NVM autoload on hardware) fills RAR0. */
static void iovpf_82576_read_mac(struct iovpf *pf, u8 *mac)
{
	u32 lo = iov_rd(pf, IOV_RAL(0)), hi = iov_rd(pf, IOV_RAH(0));

	mac[0] = lo;
	mac[1] = lo >> 8;
	mac[2] = lo >> 16;
	mac[3] = lo >> 24;
	mac[4] = hi;
	mac[5] = hi >> 8;
}

static int iovpf_82576_mdic_write(struct iovpf *pf, u32 reg, u16 val)
{
	u32 mdic;

	iov_wr(pf, IOV_MDIC, val | (reg << IOV_MDIC_REG_SHIFT) |
	       (IOV_PHY_ADDR << IOV_MDIC_PHY_SHIFT) | IOV_MDIC_OP_WRITE);
	if (readl_poll_timeout(pf->hw + IOV_MDIC, mdic,
			       mdic & IOV_MDIC_READY, 50, 10000))
		return -ETIMEDOUT;
	return (mdic & IOV_MDIC_ERROR) ? -EIO : 0;
}

/* The model raises STATUS.LU (and LSC) ~500 ms after autoneg restart. */
static void iovpf_82576_phy_autoneg(struct iovpf *pf)
{
	if (iovpf_82576_mdic_write(pf, IOV_PHY_BMCR,
				   IOV_BMCR_AUTOEN | IOV_BMCR_ANRESTART))
		dev_warn(&pf->pdev->dev, "PHY autoneg restart failed\n");
}

static bool iovpf_82576_link(struct iovpf *pf, unsigned int *speed)
{
	u32 st = iov_rd(pf, IOV_STATUS);

	switch (st & IOV_STATUS_SPEED_MASK) {
	case IOV_STATUS_SPEED_1000:
		*speed = SPEED_1000;
		break;
	case IOV_STATUS_SPEED_100:
		*speed = SPEED_100;
		break;
	default:
		*speed = SPEED_10;
	}
	return st & IOV_STATUS_LU;
}

static void iovpf_82576_mac_filter_set(struct iovpf *pf, unsigned int idx,
				       const u8 *mac, u32 pools)
{
	u32 lo = mac[0] | mac[1] << 8 | mac[2] << 16 | (u32)mac[3] << 24;
	u32 hi = mac[4] | mac[5] << 8;

	/* clear AV first so the entry never matches half-written */
	iov_wr(pf, IOV_RAH(idx), 0);
	iov_wr(pf, IOV_RAL(idx), lo);
	iov_wr(pf, IOV_RAH(idx), hi | IOV_RAH_AV |
	       ((pools << IOV_RAH_POOL_SHIFT) & IOV_RAH_POOL_MASK));
}

static void iovpf_82576_mac_filter_clear(struct iovpf *pf, unsigned int idx)
{
	iov_wr(pf, IOV_RAH(idx), 0);
	iov_wr(pf, IOV_RAL(idx), 0);
}

/* Write only the words that changed: 128 MMIO exits per update are slow */
static void iovpf_82576_mc_table_write(struct iovpf *pf, const u32 *mta)
{
	unsigned int i;

	for (i = 0; i < IOV_NUM_MTA; i++) {
		if (pf->mta_hw[i] == mta[i])
			continue;
		iov_wr(pf, IOV_MTA(i), mta[i]);
		pf->mta_hw[i] = mta[i];
	}
}

static void iovpf_82576_set_ivar(struct iovpf *pf, unsigned int q,
				 unsigned int vec)
{
	unsigned int reg = IOV_IVAR0(q & 7);
	unsigned int shift = q < 8 ? 0 : 16;	/* RX byte; TX is +8 */
	u32 v = iov_rd(pf, reg);

	v &= ~(0xFFFFu << shift);
	v |= ((vec | IOV_IVAR_VALID) | (vec | IOV_IVAR_VALID) << 8) << shift;
	iov_wr(pf, reg, v);
}

/* MSI-X routing: vector 0 = other causes, vector 1+i = queue pair i. */
static void iovpf_82576_irq_setup(struct iovpf *pf)
{
	unsigned int i;

	iov_wr(pf, IOV_GPIE, IOV_GPIE_MSIX_MODE | IOV_GPIE_NSICR |
	       IOV_GPIE_EIAME | IOV_GPIE_PBA);
	iov_wr(pf, IOV_IVAR_MISC, (IOVPF_VEC_OTHER | IOV_IVAR_VALID) << 8);
	for (i = 0; i < pf->num_qp; i++) {
		struct iovpf_qvec *qv = pf->qv[i];

		iovpf_82576_set_ivar(pf, qv->rx.reg_idx, qv->vec);
		iov_wr(pf, IOV_EITR(qv->vec),
		       iov_itr_config(&qv->itr, pf->itr_adaptive,
				      pf->itr_usecs));
	}
	iov_wr(pf, IOV_EITR(IOVPF_VEC_OTHER), 0);
	/* EIAC auto-clears EICR so vectors re-fire */
	iov_wr(pf, IOV_EIAC, pf->eims_other | pf->eims_queues);
	/* auto-mask as igb does; the handlers mask by hand without it */
	if (!(pf->quirks & IOV_QUIRK_QEMU_NO_EIAM))
		iov_wr(pf, IOV_EIAM, pf->eims_other | pf->eims_queues);
}

static void iovpf_82576_irq_enable(struct iovpf *pf)
{
	/* RXDW/TXDW stay out of IMS: they would fire "other" per packet */
	iov_wr(pf, IOV_IMS, IOV_ICR_LSC | IOV_ICR_VMMB | IOV_ICR_DOUTSYNC);
	iov_wr(pf, IOV_EIMS, pf->eims_other | pf->eims_queues);
	iovpf_82576_flush(pf);
}

static void iovpf_82576_irq_disable(struct iovpf *pf)
{
	/* only our bits: VF vectors share EIMC/EIMS with the PF */
	iov_wr(pf, IOV_EIMC, pf->eims_other | pf->eims_queues);
	iov_wr(pf, IOV_IMC, ~0u);
	iovpf_82576_flush(pf);
}

/* ICR clears on read (GPIE.NSICR); never read EICR (VF causes) */
static u32 iovpf_82576_irq_cause(struct iovpf *pf)
{
	u32 icr = iov_rd(pf, IOV_ICR), cause = 0;

	if (icr & IOV_ICR_VMMB)
		cause |= IOVPF_CAUSE_MBX;
	if (icr & IOV_ICR_LSC)
		cause |= IOVPF_CAUSE_LINK;
	return cause;
}

static void iovpf_82576_irq_mask(struct iovpf *pf, u32 vecs)
{
	iov_wr(pf, IOV_EIMC, vecs);
}

static void iovpf_82576_irq_unmask(struct iovpf *pf, u32 vecs)
{
	iov_wr(pf, IOV_EIMS, vecs);
}

static void iovpf_82576_set_itr(struct iovpf *pf, unsigned int vec, u32 itr)
{
	iov_wr(pf, IOV_EITR(vec), itr);
}

static void iovpf_82576_setup_tx(struct iovpf *pf, struct iov_ring *r)
{
	unsigned int q = r->reg_idx;

	iov_wr(pf, IOV_TXDCTL(q), 0);
	iovpf_82576_flush(pf);
	iov_wr(pf, IOV_TDBAL(q), lower_32_bits(r->dma));
	iov_wr(pf, IOV_TDBAH(q), upper_32_bits(r->dma));
	iov_wr(pf, IOV_TDLEN(q), r->count * sizeof(union iov_adv_tx_desc));
	iov_wr(pf, IOV_TDH(q), 0);
	iov_wr(pf, IOV_TDT(q), 0);
	r->tail = pf->hw + IOV_TDT(q);
	iov_wr(pf, IOV_TXDCTL(q), IOV_XDCTL_ENABLE | IOV_XDCTL_PTHRESH(8) |
	       IOV_XDCTL_HTHRESH(1) | IOV_XDCTL_WTHRESH(16));
}

static void iovpf_82576_setup_rx(struct iovpf *pf, struct iov_ring *r)
{
	unsigned int q = r->reg_idx;

	iov_wr(pf, IOV_RXDCTL(q), 0);
	iovpf_82576_flush(pf);
	iov_wr(pf, IOV_RDBAL(q), lower_32_bits(r->dma));
	iov_wr(pf, IOV_RDBAH(q), upper_32_bits(r->dma));
	iov_wr(pf, IOV_RDLEN(q), r->count * sizeof(union iov_adv_rx_desc));
	iov_wr(pf, IOV_SRRCTL(q), (IOV_RX_BUF_LEN >> IOV_SRRCTL_BSIZEPKT_SHIFT) |
	       IOV_SRRCTL_DESCTYPE_ADV_ONEBUF |
	       (pf->num_vfs ? IOV_SRRCTL_DROP_EN : 0));
	iov_wr(pf, IOV_RDH(q), 0);
	iov_wr(pf, IOV_RDT(q), 0);
	r->tail = pf->hw + IOV_RDT(q);
	iov_wr(pf, IOV_RXDCTL(q), IOV_XDCTL_ENABLE | IOV_XDCTL_PTHRESH(8) |
	       IOV_XDCTL_HTHRESH(8) | IOV_XDCTL_WTHRESH(4));
}

static void iovpf_82576_stop_queue(struct iovpf *pf, struct iov_ring *r)
{
	if (r->is_rx)
		iov_wr(pf, IOV_RXDCTL(r->reg_idx), 0);
	else
		iov_wr(pf, IOV_TXDCTL(r->reg_idx), 0);
}

static void iovpf_82576_rx_disable(struct iovpf *pf)
{
	iov_wr(pf, IOV_RCTL, iov_rd(pf, IOV_RCTL) & ~IOV_RCTL_EN);
}

static u32 iovpf_max_frame(struct iovpf *pf)
{
	return pf->netdev->mtu + ETH_HLEN + ETH_FCS_LEN + VLAN_HLEN;
}

/*
 * The largest frame the port accepts. With VFs any pool may ask for jumbo frames (SET_LPE) and
 * the model drops a frame over RLPML/RCTL.LPE before a pool's own limit is looked at: open the
 * port to the largest frame a VF may ask for and let each pool's VMOLR.RLPML enforce its own
 * size, as igb does.
 */
static u32 iovpf_port_max_frame(struct iovpf *pf)
{
	return pf->num_vfs ? max_t(u32, IOV_MAX_FRAME, iovpf_max_frame(pf)) : iovpf_max_frame(pf);
}

/* TX/RX global control, checksum offload, RSS when there are no VFs. */
static void iovpf_82576_setup_global(struct iovpf *pf)
{
	u32 mf = iovpf_port_max_frame(pf);
	unsigned int i;

	iov_wr(pf, IOV_TCTL, IOV_TCTL_EN | IOV_TCTL_PSP | IOV_TCTL_RTLC |
	       (15 << IOV_TCTL_CT_SHIFT) | (64 << IOV_TCTL_COLD_SHIFT));
	iov_wr(pf, IOV_RLPML, mf);

	if (!pf->num_vfs && pf->num_qp > 1) {
		u32 key[IOV_RSSRK_WORDS];

		netdev_rss_key_fill(key, sizeof(key));
		for (i = 0; i < IOV_RSSRK_WORDS; i++)
			iov_wr(pf, IOV_RSSRK(i), key[i]);
		for (i = 0; i < IOV_RETA_SIZE / 4; i++) {
			u32 v = 0;
			unsigned int j;

			for (j = 0; j < 4; j++)
				v |= (u32)((i * 4 + j) % pf->num_qp) << (8 * j);
			iov_wr(pf, IOV_RETA(i), v);
		}
		iov_wr(pf, IOV_MRQC, IOV_MRQC_RSS | IOV_MRQC_RSS_IPV4 |
		       IOV_MRQC_RSS_IPV4_TCP | IOV_MRQC_RSS_IPV6 |
		       IOV_MRQC_RSS_IPV6_TCP);
		/* the model hashes only with PCSD, and then checks nothing */
		if (pf->quirks & IOV_QUIRK_QEMU_RSS_NO_RXCSUM) {
			iov_wr(pf, IOV_RXCSUM, IOV_RXCSUM_PCSD);
			pf->rx_csum_on = 0;
			return;
		}
		iov_wr(pf, IOV_RXCSUM, IOV_RXCSUM_PCSD | IOV_RXCSUM_IPOFL |
		       IOV_RXCSUM_TUOFL | IOV_RXCSUM_CRCOFL);
		pf->rx_csum_on = 1;
	} else {
		iov_wr(pf, IOV_RXCSUM, IOV_RXCSUM_IPOFL | IOV_RXCSUM_TUOFL |
		       IOV_RXCSUM_CRCOFL);
		iov_wr(pf, IOV_MRQC, pf->num_vfs ? IOV_MRQC_VMDQ : 0);
		pf->rx_csum_on = 1;
	}
}

/*
 * VMDq pools and the internal switch. Pool p (VF p) owns queues p, p+8;
 * the PF uses pool num_vfs. Frames between pools are looped back inside
 * the device when DTXSWC.LOOPBACK_EN is set.
 */
static void iovpf_82576_setup_vmdq(struct iovpf *pf)
{
	u32 en;

	if (!pf->num_vfs) {
		iov_wr(pf, IOV_VT_CTL, 0);
		iov_wr(pf, IOV_DTXSWC, 0);
		iov_wr(pf, IOV_VFRE, 0xFF);
		iov_wr(pf, IOV_VFTE, 0xFF);
		return;
	}
	iov_wr(pf, IOV_VT_CTL, (pf->pool << IOV_VT_CTL_DEF_POOL_SHIFT) |
	       IOV_VT_CTL_VM_REPL_EN);
	iov_wr(pf, IOV_DTXSWC, IOV_DTXSWC_LOOPBACK_EN);
	iov_wr(pf, IOV_QDE, 0xFFFF);
	iov_wr(pf, IOV_MBVFIMR, 0xFF);
	iov_wr(pf, IOV_VMOLR(pf->pool), IOV_VMOLR_AUPE | IOV_VMOLR_BAM |
	       IOV_VMOLR_ROMPE | IOV_VMOLR_LPE |
	       (iovpf_max_frame(pf) & IOV_VMOLR_RLPML_MASK));
	/* PF pool on; VF pools come on with their VF_RESET handshake */
	en = BIT(pf->pool);
	iov_wr(pf, IOV_VFRE, en);
	iov_wr(pf, IOV_VFTE, en);
	iov_wr(pf, IOV_VFLRE, 0xFF);	/* W1C stale FLR events */
}

static void iovpf_82576_rx_mode(struct iovpf *pf, bool uc_promisc, bool mc_promisc)
{
	u32 rctl = IOV_RCTL_EN | IOV_RCTL_BAM | IOV_RCTL_SECRC;

	if (iovpf_port_max_frame(pf) > ETH_FRAME_LEN + ETH_FCS_LEN + VLAN_HLEN)
		rctl |= IOV_RCTL_LPE;
	if (uc_promisc)
		rctl |= IOV_RCTL_UPE;
	if (mc_promisc)
		rctl |= IOV_RCTL_MPE;
	iov_wr(pf, IOV_RCTL, rctl);
	if (pf->num_vfs) {
		u32 vmolr = iov_rd(pf, IOV_VMOLR(pf->pool));

		vmolr &= ~(IOV_VMOLR_MPME | IOV_VMOLR_ROPE);
		if (mc_promisc)
			vmolr |= IOV_VMOLR_MPME;
		if (uc_promisc)
			vmolr |= IOV_VMOLR_ROPE;
		iov_wr(pf, IOV_VMOLR(pf->pool), vmolr);
	}
}

static void iovpf_82576_vf_enable(struct iovpf *pf, unsigned int vf, bool on)
{
	u32 re = iov_rd(pf, IOV_VFRE), te = iov_rd(pf, IOV_VFTE);

	if (on) {
		re |= BIT(vf);
		te |= BIT(vf);
	} else {
		re &= ~BIT(vf);
		te &= ~BIT(vf);
	}
	iov_wr(pf, IOV_VFRE, re);
	iov_wr(pf, IOV_VFTE, te);
}

static void iovpf_82576_vfs_stop(struct iovpf *pf)
{
	iov_wr(pf, IOV_VFRE, 0);
	iov_wr(pf, IOV_VFTE, 0);
}

/* PF reset done: RSTI -> RSTD in every VF mailbox */
static void iovpf_82576_vfs_reset_done(struct iovpf *pf)
{
	iov_wr(pf, IOV_CTRL_EXT, iov_rd(pf, IOV_CTRL_EXT) |
	       IOV_CTRL_EXT_PFRSTD);
}

static void iovpf_82576_vf_rx_mode(struct iovpf *pf, unsigned int vf, bool aupe,
				   bool mpme, bool strip, u32 max_frame)
{
	u32 v = IOV_VMOLR_BAM | IOV_VMOLR_ROMPE;

	/* strip only for VLAN users: a VF without VLANs must see tags */
	if (strip)
		v |= IOV_VMOLR_STRVLAN;

	if (aupe)
		v |= IOV_VMOLR_AUPE;
	if (mpme)
		v |= IOV_VMOLR_MPME;
	if (max_frame) {
		v |= IOV_VMOLR_LPE;
		v |= max_frame & IOV_VMOLR_RLPML_MASK;
	}
	iov_wr(pf, IOV_VMOLR(vf), v);
}

static void iovpf_82576_vf_port_vlan(struct iovpf *pf, unsigned int vf, u16 vid, u8 qos)
{
	iov_wr(pf, IOV_VMVIR(vf), vid ? (vid | (u32)qos << VLAN_PRIO_SHIFT |
					  IOV_VMVIR_VLANA_DEFAULT) : 0);
}

static void iovpf_82576_vlvf_write(struct iovpf *pf, int i, u32 v)
{
	pf->vlvf_hw[i] = v;
	iov_wr(pf, IOV_VLVF(i), v);
}

/* VLVF: one entry per VID, pool bitmap. Returns 0 or -ENOSPC. */
static int iovpf_82576_vlan_filter_set(struct iovpf *pf, u16 vid, unsigned int pool, bool on)
{
	int i, free = -1;

	for (i = 0; i < IOV_NUM_VLVF; i++) {
		u32 v = pf->vlvf_hw[i];

		if (!(v & IOV_VLVF_VLANID_ENABLE)) {
			if (free < 0)
				free = i;
			continue;
		}
		if ((v & IOV_VLVF_VLANID_MASK) != vid)
			continue;
		if (on)
			v |= BIT(IOV_VLVF_POOLSEL_SHIFT + pool);
		else
			v &= ~BIT(IOV_VLVF_POOLSEL_SHIFT + pool);
		if (!(v & IOV_VLVF_POOLSEL_MASK))
			v = 0;
		iovpf_82576_vlvf_write(pf, i, v);
		return 0;
	}
	if (!on)
		return 0;
	if (free < 0)
		return -ENOSPC;
	iovpf_82576_vlvf_write(pf, free, IOV_VLVF_VLANID_ENABLE | vid |
			 BIT(IOV_VLVF_POOLSEL_SHIFT + pool));
	iov_wr(pf, IOV_VFTA(vid >> 5), iov_rd(pf, IOV_VFTA(vid >> 5)) |
	       BIT(vid & 31));
	return 0;
}

static void iovpf_82576_vlan_filter_clear_pool(struct iovpf *pf, unsigned int pool)
{
	int i;

	for (i = 0; i < IOV_NUM_VLVF; i++) {
		u32 v = pf->vlvf_hw[i];

		if (!(v & BIT(IOV_VLVF_POOLSEL_SHIFT + pool)))
			continue;
		v &= ~BIT(IOV_VLVF_POOLSEL_SHIFT + pool);
		if (!(v & IOV_VLVF_POOLSEL_MASK))
			v = 0;
		iovpf_82576_vlvf_write(pf, i, v);
	}
}

static void iovpf_82576_update_stats(struct iovpf *pf)
{
	spin_lock_bh(&pf->stats_lock);
	pf->hw_crcerrs += iov_rd(pf, IOV_CRCERRS);
	pf->hw_mpc += iov_rd(pf, IOV_MPC);
	pf->hw_rnbc += iov_rd(pf, IOV_RNBC);
	pf->hw_gprc += iov_rd(pf, IOV_GPRC);
	pf->hw_gptc += iov_rd(pf, IOV_GPTC);
	spin_unlock_bh(&pf->stats_lock);
}

static void iovpf_82576_vf_stats(struct iovpf *pf, unsigned int vf, u32 *st)
{
	st[IOVPF_VF_RXP] = iov_rd(pf, IOV_PFVFGPRC(vf));
	st[IOVPF_VF_TXP] = iov_rd(pf, IOV_PFVFGPTC(vf));
	st[IOVPF_VF_RXB] = iov_rd(pf, IOV_PFVFGORC(vf));
	st[IOVPF_VF_TXB] = iov_rd(pf, IOV_PFVFGOTC(vf));
	st[IOVPF_VF_MC] = iov_rd(pf, IOV_PFVFMPRC(vf));
}

/* ---- mailbox transport (PF side) ---------------------------------------- */

/*
 * Between tries a busy-wait, not a sleep: callers hold the pf->vf_lock
 * spinlock (the mailbox is served from the interrupt handler).
 */
#define IOVPF_MBX_LOCK_RETRY_US	20
#define IOVPF_MBX_LOCK_TRIES	10

static u32 iovpf_82576_vflr_take(struct iovpf *pf, u32 mask)
{
	u32 flr = iov_rd(pf, IOV_VFLRE) & mask;

	if (flr)
		iov_wr(pf, IOV_VFLRE, flr);	/* W1C */
	return flr;
}

static void iovpf_82576_mbx_pending(struct iovpf *pf, u32 *req, u32 *ack)
{
	u32 icr = iov_rd(pf, IOV_MBVFICR);

	/* VFREQ is bit vf, VFACK bit 16 + vf */
	*req = icr & 0xFFFF;
	*ack = icr >> 16;
}

static void iovpf_82576_mbx_clear(struct iovpf *pf, unsigned int vf,
				  enum iovpf_mbx_event ev)
{
	iov_wr(pf, IOV_MBVFICR, ev == IOVPF_MBX_REQ ? IOV_MBVFICR_VFREQ(vf) :
						     IOV_MBVFICR_VFACK(vf));
}

/* Take the buffer: write PFU, read back; the model grants it if !VFU. */
static bool iovpf_82576_mbx_lock(struct iovpf *pf, unsigned int vf)
{
	iov_wr(pf, IOV_P2VMAILBOX(vf), IOV_P2V_PFU);
	return iov_rd(pf, IOV_P2VMAILBOX(vf)) & IOV_P2V_PFU;
}

/* RVFU clears the VF's VFU and its pending REQ/ACK in MBVFICR. */
static void iovpf_82576_mbx_reclaim(struct iovpf *pf, unsigned int vf)
{
	iov_wr(pf, IOV_P2VMAILBOX(vf), IOV_P2V_RVFU);
}

static void iovpf_82576_mbx_read(struct iovpf *pf, unsigned int vf, u32 *msg,
				 unsigned int first, unsigned int words)
{
	unsigned int i;

	for (i = first; i < words; i++)
		msg[i] = iov_rd(pf, IOV_VMBMEM(vf) + 4 * i);
}

/* Ack the VF's message but keep PFU: the reply follows. */
static void iovpf_82576_mbx_ack(struct iovpf *pf, unsigned int vf)
{
	iov_wr(pf, IOV_P2VMAILBOX(vf), IOV_P2V_ACK | IOV_P2V_PFU);
}

static int iovpf_82576_mbx_write(struct iovpf *pf, unsigned int vf, const u32 *msg,
				 unsigned int words, bool unsolicited)
{
	unsigned int i;

	/*
	 * A reply holds PFU already. A ping waits a little for a VF that is
	 * reading or writing its buffer (admin and link paths only: requests
	 * never spin on a VF's lock, see iovpf_rcv_msg()).
	 */
	for (i = 0; !iovpf_82576_mbx_lock(pf, vf); i++) {
		if (!unsolicited || i == IOVPF_MBX_LOCK_TRIES)
			return -EBUSY;
		udelay(IOVPF_MBX_LOCK_RETRY_US);
	}
	/*
	 * The buffer is shared by both directions: an unsolicited message
	 * (ping) must not overwrite a request the service has not read yet.
	 * With PFU held the VF cannot post a new one (it takes VFU first).
	 */
	if (unsolicited &&
	    (iov_rd(pf, IOV_MBVFICR) & IOV_MBVFICR_VFREQ(vf))) {
		iov_wr(pf, IOV_P2VMAILBOX(vf), 0);	/* release PFU */
		return -EAGAIN;
	}
	iov_wr(pf, IOV_MBVFICR, IOV_MBVFICR_VFACK(vf));
	for (i = 0; i < words; i++)
		iov_wr(pf, IOV_VMBMEM(vf) + 4 * i, msg[i]);
	/* STS without PFU: interrupt the VF and release the buffer */
	iov_wr(pf, IOV_P2VMAILBOX(vf), IOV_P2V_STS);
	return 0;
}

static const struct iovpf_hw_ops iovpf_82576_ops = {
	.reset			= iovpf_82576_reset,
	.release		= iovpf_82576_release,
	.read_mac		= iovpf_82576_read_mac,
	.phy_autoneg		= iovpf_82576_phy_autoneg,
	.link			= iovpf_82576_link,
	.mac_filter_set		= iovpf_82576_mac_filter_set,
	.mac_filter_clear	= iovpf_82576_mac_filter_clear,
	.mc_table_write		= iovpf_82576_mc_table_write,
	.rx_mode		= iovpf_82576_rx_mode,
	.rx_disable		= iovpf_82576_rx_disable,
	.vlan_filter_set	= iovpf_82576_vlan_filter_set,
	.vlan_filter_clear_pool	= iovpf_82576_vlan_filter_clear_pool,
	.irq_setup		= iovpf_82576_irq_setup,
	.irq_enable		= iovpf_82576_irq_enable,
	.irq_disable		= iovpf_82576_irq_disable,
	.irq_cause		= iovpf_82576_irq_cause,
	.irq_mask		= iovpf_82576_irq_mask,
	.irq_unmask		= iovpf_82576_irq_unmask,
	.set_itr		= iovpf_82576_set_itr,
	.setup_global		= iovpf_82576_setup_global,
	.setup_vmdq		= iovpf_82576_setup_vmdq,
	.setup_tx		= iovpf_82576_setup_tx,
	.setup_rx		= iovpf_82576_setup_rx,
	.stop_queue		= iovpf_82576_stop_queue,
	.flush			= iovpf_82576_flush,
	.vf_enable		= iovpf_82576_vf_enable,
	.vfs_stop		= iovpf_82576_vfs_stop,
	.vfs_reset_done		= iovpf_82576_vfs_reset_done,
	.vf_rx_mode		= iovpf_82576_vf_rx_mode,
	.vf_port_vlan		= iovpf_82576_vf_port_vlan,
	.update_stats		= iovpf_82576_update_stats,
	.vf_stats		= iovpf_82576_vf_stats,
	.vflr_take		= iovpf_82576_vflr_take,
	.mbx_pending		= iovpf_82576_mbx_pending,
	.mbx_clear		= iovpf_82576_mbx_clear,
	.mbx_lock		= iovpf_82576_mbx_lock,
	.mbx_reclaim		= iovpf_82576_mbx_reclaim,
	.mbx_read		= iovpf_82576_mbx_read,
	.mbx_ack		= iovpf_82576_mbx_ack,
	.mbx_write		= iovpf_82576_mbx_write,
};

const struct iovpf_hw_info iovpf_82576_info = {
	.name	= "82576",
	.ops	= &iovpf_82576_ops,
};

const struct iovpf_hw_info iovpf_82576_qemu_info = {
	.name	= "82576 (QEMU igb model)",
	.ops	= &iovpf_82576_ops,
	.quirks	= IOV_QUIRKS_QEMU_IGB,
};
