/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iovbench: register map of the Intel 82576 (PF BAR0 and VF BAR0) as the
 * QEMU "igb" model emulates it, plus the advanced descriptor layouts.
 * Hardware layer only: offsets and bits, no logic. A port to another
 * SR-IOV adapter replaces this file (and the ring/hw code that uses it).
 */
#ifndef _IOV_REGS_H_
#define _IOV_REGS_H_

#include <linux/bits.h>
#include <linux/types.h>

/* ---- PCI IDs ---------------------------------------------------------- */
#define IOV_PCI_VENDOR		0x8086
#define IOV_PCI_DEV_PF		0x10c9
#define IOV_PCI_DEV_VF		0x10ca

/* ---- Sizes ------------------------------------------------------------- */
#define IOV_NUM_QUEUES		16	/* RX and TX each; pool p: p and p+8 */
#define IOV_NUM_POOLS		8
#define IOV_MAX_VFS		7	/* pool 7 stays with the PF */
#define IOV_PF_MSIX_MAX		10	/* vectors the model gives the PF */
#define IOV_VF_MSIX_MAX		3
#define IOV_NUM_RAR		24	/* 16 RAL/RAH + 8 RA2 entries */
#define IOV_NUM_MTA		128
#define IOV_NUM_VFTA		128
#define IOV_NUM_VLVF		32
#define IOV_RETA_SIZE		128	/* entries, 4 per register */
#define IOV_RSSRK_WORDS		10

/* ---- General (PF BAR0) --------------------------------------------------*/
#define IOV_CTRL		0x00000
#define IOV_STATUS		0x00008
#define IOV_CTRL_EXT		0x00018
#define IOV_MDIC		0x00020
#define IOV_ICR			0x000C0
#define IOV_ICS			0x000C8
#define IOV_IMS			0x000D0
#define IOV_IMC			0x000D8
#define IOV_IAM			0x000E0
#define IOV_RCTL		0x00100
#define IOV_TCTL		0x00400
#define IOV_RXPBS		0x02404
#define IOV_QDE			0x02408
#define IOV_TXPBS		0x03404
#define IOV_DTXSWC		0x03500
#define IOV_DTXCTL		0x03590
#define IOV_VMVIR(p)		(0x03700 + 4 * (p))
#define IOV_RXCSUM		0x05000
#define IOV_RLPML		0x05004
#define IOV_RFCTL		0x05008
#define IOV_MTA(i)		(0x05200 + 4 * (i))
#define IOV_RAL(i)		iov_ral(i)
#define IOV_RAH(i)		(IOV_RAL(i) + 4)
#define IOV_VFTA(i)		(0x05600 + 4 * (i))
#define IOV_MRQC		0x05818
#define IOV_VT_CTL		0x0581C
#define IOV_VMOLR(p)		(0x05AD0 + 4 * (p))
#define IOV_IOVCTL		0x05BBC
#define IOV_RETA(i)		(0x05C00 + 4 * (i))
#define IOV_RSSRK(i)		(0x05C80 + 4 * (i))
#define IOV_VLVF(i)		(0x05D00 + 4 * (i))

/* Interrupts (MSI-X mode) */
#define IOV_GPIE		0x01514
#define IOV_EICS		0x01520
#define IOV_EIMS		0x01524
#define IOV_EIMC		0x01528
#define IOV_EIAC		0x0152C
#define IOV_EIAM		0x01530
#define IOV_EICR		0x01580	/* never read on the PF: clears VF causes */
#define IOV_EITR(v)		(0x01680 + 4 * (v))
#define IOV_IVAR0(i)		(0x01700 + 4 * (i))	/* i = 0..7 */
#define IOV_IVAR_MISC		0x01740

/* Mailbox and VF control (PF side) */
#define IOV_VMBMEM(vf)		(0x00800 + 0x40 * (vf))	/* 16 dwords */
#define IOV_P2VMAILBOX(vf)	(0x00C00 + 4 * (vf))
#define IOV_MBVFICR		0x00C80
#define IOV_MBVFIMR		0x00C84
#define IOV_VFLRE		0x00C88
#define IOV_VFRE		0x00C8C
#define IOV_VFTE		0x00C90

/* Per-queue registers, n = 0..15 */
#define IOV_RDBAL(n)		(0x0C000 + 0x40 * (n))
#define IOV_RDBAH(n)		(0x0C004 + 0x40 * (n))
#define IOV_RDLEN(n)		(0x0C008 + 0x40 * (n))
#define IOV_SRRCTL(n)		(0x0C00C + 0x40 * (n))
#define IOV_RDH(n)		(0x0C010 + 0x40 * (n))
#define IOV_RDT(n)		(0x0C018 + 0x40 * (n))
#define IOV_RXDCTL(n)		(0x0C028 + 0x40 * (n))
#define IOV_TDBAL(n)		(0x0E000 + 0x40 * (n))
#define IOV_TDBAH(n)		(0x0E004 + 0x40 * (n))
#define IOV_TDLEN(n)		(0x0E008 + 0x40 * (n))
#define IOV_TDH(n)		(0x0E010 + 0x40 * (n))
#define IOV_TDT(n)		(0x0E018 + 0x40 * (n))
#define IOV_TXDCTL(n)		(0x0E028 + 0x40 * (n))
#define IOV_TDWBAL(n)		(0x0E038 + 0x40 * (n))
#define IOV_TDWBAH(n)		(0x0E03C + 0x40 * (n))

/* Statistics (clear on read) */
#define IOV_CRCERRS		0x04000
#define IOV_MPC			0x04010
#define IOV_GPRC		0x04074
#define IOV_GPTC		0x04080
#define IOV_GORCL		0x04088
#define IOV_GORCH		0x0408C
#define IOV_GOTCL		0x04090
#define IOV_GOTCH		0x04094
#define IOV_RNBC		0x040A0
#define IOV_TPR			0x040D0
#define IOV_TPT			0x040D4

/* Per-pool (VF) statistics seen by the PF: 32-bit, cumulative, wrapping */
#define IOV_PFVFGPRC(p)		(0x10010 + 0x100 * (p))
#define IOV_PFVFGPTC(p)		(0x10014 + 0x100 * (p))
#define IOV_PFVFGORC(p)		(0x10018 + 0x100 * (p))
#define IOV_PFVFGOTC(p)		(0x10034 + 0x100 * (p))
#define IOV_PFVFMPRC(p)		(0x10038 + 0x100 * (p))

/* ---- Bits ------------------------------------------------------------- */
#define IOV_CTRL_FD		BIT(0)
#define IOV_CTRL_SLU		BIT(6)
#define IOV_CTRL_RST		BIT(26)
#define IOV_CTRL_VME		BIT(30)

#define IOV_STATUS_FD		BIT(0)
#define IOV_STATUS_LU		BIT(1)
#define IOV_STATUS_SPEED_MASK	0x000000C0
#define IOV_STATUS_SPEED_100	0x00000040
#define IOV_STATUS_SPEED_1000	0x00000080
#define IOV_STATUS_IOV_MODE	BIT(18)

#define IOV_CTRL_EXT_PFRSTD	BIT(14)
#define IOV_CTRL_EXT_DRV_LOAD	BIT(28)

#define IOV_MDIC_DATA_MASK	0x0000FFFF
#define IOV_MDIC_REG_SHIFT	16
#define IOV_MDIC_PHY_SHIFT	21
#define IOV_MDIC_OP_WRITE	BIT(26)
#define IOV_MDIC_OP_READ	BIT(27)
#define IOV_MDIC_READY		BIT(28)
#define IOV_MDIC_ERROR		BIT(30)
#define IOV_PHY_ADDR		1
#define IOV_PHY_BMCR		0x00
#define IOV_BMCR_ANRESTART	0x0200
#define IOV_BMCR_AUTOEN		0x1000

/* ICR/IMS causes */
#define IOV_ICR_TXDW		BIT(0)
#define IOV_ICR_LSC		BIT(2)
#define IOV_ICR_RXDMT0		BIT(4)
#define IOV_ICR_RXO		BIT(6)
#define IOV_ICR_VMMB		BIT(8)	/* VF mailbox / VFLR */
#define IOV_ICR_DOUTSYNC	BIT(28)
#define IOV_ICR_DRSTA		BIT(30)

#define IOV_GPIE_NSICR		BIT(0)
#define IOV_GPIE_MSIX_MODE	BIT(4)
#define IOV_GPIE_EIAME		BIT(30)
#define IOV_GPIE_PBA		BIT(31)

#define IOV_IVAR_VALID		0x80

#define IOV_RCTL_EN		BIT(1)
#define IOV_RCTL_UPE		BIT(3)
#define IOV_RCTL_MPE		BIT(4)
#define IOV_RCTL_LPE		BIT(5)
#define IOV_RCTL_BAM		BIT(15)
#define IOV_RCTL_VFE		BIT(18)
#define IOV_RCTL_SECRC		BIT(26)

#define IOV_TCTL_EN		BIT(1)
#define IOV_TCTL_PSP		BIT(3)
#define IOV_TCTL_CT_SHIFT	4
#define IOV_TCTL_COLD_SHIFT	12
#define IOV_TCTL_RTLC		BIT(24)

#define IOV_XDCTL_ENABLE	BIT(25)	/* RXDCTL and TXDCTL */
#define IOV_XDCTL_PTHRESH(x)	((x) & 0x1F)
#define IOV_XDCTL_HTHRESH(x)	(((x) & 0x1F) << 8)
#define IOV_XDCTL_WTHRESH(x)	(((x) & 0x1F) << 16)

#define IOV_SRRCTL_BSIZEPKT_SHIFT	10	/* bytes >> 10 (1 KiB units) */
#define IOV_SRRCTL_BSIZEHDR_SHIFT	2	/* bytes >> 6 into bits 11:8 */
#define IOV_SRRCTL_DESCTYPE_ADV_ONEBUF	0x02000000
#define IOV_SRRCTL_DROP_EN	BIT(31)

#define IOV_RXCSUM_IPOFL	BIT(8)
#define IOV_RXCSUM_TUOFL	BIT(9)
#define IOV_RXCSUM_CRCOFL	BIT(11)
#define IOV_RXCSUM_PCSD		BIT(13)

#define IOV_RAH_AV		BIT(31)
#define IOV_RAH_POOL_SHIFT	18
#define IOV_RAH_POOL(p)		BIT(IOV_RAH_POOL_SHIFT + (p))
#define IOV_RAH_POOL_MASK	(0xFFu << IOV_RAH_POOL_SHIFT)

#define IOV_MRQC_RSS		0x00000002
#define IOV_MRQC_VMDQ		0x00000003
#define IOV_MRQC_RSS_IPV4_TCP	BIT(16)
#define IOV_MRQC_RSS_IPV4	BIT(17)
#define IOV_MRQC_RSS_IPV6	BIT(20)
#define IOV_MRQC_RSS_IPV6_TCP	BIT(21)

#define IOV_VT_CTL_DEF_POOL_SHIFT	7
#define IOV_VT_CTL_DIS_DEF_POOL	BIT(29)
#define IOV_VT_CTL_VM_REPL_EN	BIT(30)

#define IOV_DTXSWC_LOOPBACK_EN	BIT(31)

#define IOV_VMOLR_RLPML_MASK	0x3FFF
#define IOV_VMOLR_LPE		BIT(16)
#define IOV_VMOLR_RSSE		BIT(17)
#define IOV_VMOLR_AUPE		BIT(24)
#define IOV_VMOLR_ROMPE		BIT(25)
#define IOV_VMOLR_ROPE		BIT(26)
#define IOV_VMOLR_BAM		BIT(27)
#define IOV_VMOLR_MPME		BIT(28)
#define IOV_VMOLR_STRVLAN	BIT(30)

#define IOV_VMVIR_VLANA_DEFAULT	BIT(30)	/* always insert default VLAN */

#define IOV_VLVF_VLANID_MASK	0x00000FFF
#define IOV_VLVF_POOLSEL_SHIFT	12
#define IOV_VLVF_POOLSEL_MASK	(0xFFu << IOV_VLVF_POOLSEL_SHIFT)
#define IOV_VLVF_VLANID_ENABLE	BIT(31)

#define IOV_IOVCTL_REUSE_VFQ	BIT(0)

/* P2VMAILBOX (PF view) */
#define IOV_P2V_STS		BIT(0)	/* send to VF (and release PFU) */
#define IOV_P2V_ACK		BIT(1)	/* ack message read from VF */
#define IOV_P2V_VFU		BIT(2)
#define IOV_P2V_PFU		BIT(3)
#define IOV_P2V_RVFU		BIT(4)
#define IOV_MBVFICR_VFREQ(vf)	BIT(vf)
#define IOV_MBVFICR_VFACK(vf)	BIT(16 + (vf))

/* ---- VF BAR0 (VF view) ------------------------------------------------- */
#define IOV_VF_CTRL		0x0000
#define IOV_VF_STATUS		0x0008	/* read-only copy of the PF's */
#define IOV_VF_RDBAL(n)		(0x2800 + 0x100 * (n))
#define IOV_VF_RDBAH(n)		(0x2804 + 0x100 * (n))
#define IOV_VF_RDLEN(n)		(0x2808 + 0x100 * (n))
#define IOV_VF_SRRCTL(n)	(0x280C + 0x100 * (n))
#define IOV_VF_RDH(n)		(0x2810 + 0x100 * (n))
#define IOV_VF_RDT(n)		(0x2818 + 0x100 * (n))
#define IOV_VF_RXDCTL(n)	(0x2828 + 0x100 * (n))
#define IOV_VF_TDBAL(n)		(0x3800 + 0x100 * (n))
#define IOV_VF_TDBAH(n)		(0x3804 + 0x100 * (n))
#define IOV_VF_TDLEN(n)		(0x3808 + 0x100 * (n))
#define IOV_VF_TDH(n)		(0x3810 + 0x100 * (n))
#define IOV_VF_TDT(n)		(0x3818 + 0x100 * (n))
#define IOV_VF_TXDCTL(n)	(0x3828 + 0x100 * (n))
#define IOV_VF_TDWBAL(n)	(0x3838 + 0x100 * (n))
#define IOV_VF_TDWBAH(n)	(0x383C + 0x100 * (n))
#define IOV_VF_EICS		0x1520
#define IOV_VF_EIMS		0x1524
#define IOV_VF_EIMC		0x1528
#define IOV_VF_EIAC		0x152C
#define IOV_VF_EIAM		0x1530
#define IOV_VF_EICR		0x1580	/* reads return last write: useless */
#define IOV_VF_EITR(v)		(0x1680 + 4 * (v))
#define IOV_VF_IVAR0		0x1700
#define IOV_VF_IVAR_MISC	0x1740
#define IOV_VF_VMBMEM		0x0800	/* 16 dwords */
#define IOV_VF_MAILBOX		0x0C40
#define IOV_VF_GPRC		0x0F10
#define IOV_VF_GORC		0x0F18
#define IOV_VF_GPRLBC		0x0F40
#define IOV_VF_GORLBC		0x0F48
#define IOV_VF_GPTC		0x0F14
#define IOV_VF_GOTC		0x0F34
#define IOV_VF_GOTLBC		0x0F50
#define IOV_VF_GPTLBC		0x0F44
#define IOV_VF_MPRC		0x0F3C

#define IOV_VF_CTRL_RST		BIT(26)

/* VFMAILBOX (VF view) */
#define IOV_V2P_REQ		BIT(0)
#define IOV_V2P_ACK		BIT(1)
#define IOV_V2P_VFU		BIT(2)
#define IOV_V2P_PFU		BIT(3)
#define IOV_V2P_PFSTS		BIT(4)
#define IOV_V2P_PFACK		BIT(5)
#define IOV_V2P_RSTI		BIT(6)
#define IOV_V2P_RSTD		BIT(7)
#define IOV_V2P_R2C_BITS	0x000000B0	/* cleared by a read */

/* ---- Advanced descriptors ---------------------------------------------- */
union iov_adv_rx_desc {
	struct {
		__le64 pkt_addr;
		__le64 hdr_addr;
	} read;
	struct {
		__le16 pkt_info;	/* RSS type, packet type */
		__le16 hdr_info;
		__le32 rss;		/* RSS hash or ip_id/csum */
		__le32 status_error;
		__le16 length;
		__le16 vlan;
	} wb;
};

#define IOV_RXD_STAT_DD		BIT(0)
#define IOV_RXD_STAT_EOP	BIT(1)
#define IOV_RXD_STAT_IXSM	BIT(2)	/* ignore checksum indication */
#define IOV_RXD_STAT_VP		BIT(3)
#define IOV_RXD_STAT_UDPCS	BIT(4)
#define IOV_RXD_STAT_L4CS	BIT(5)
#define IOV_RXD_STAT_IPCS	BIT(6)
#define IOV_RXDEXT_ERR_TCPE	BIT(29)
#define IOV_RXDEXT_ERR_IPE	BIT(30)
#define IOV_RXDEXT_ERR_FRAME	0x97000000	/* CE|SE|SEQ|CXE|RXE */
#define IOV_RXD_RSSTYPE_MASK	0x000F

union iov_adv_tx_desc {
	struct {
		__le64 buffer_addr;
		__le32 cmd_type_len;
		__le32 olinfo_status;
	} read;
	struct {
		__le64 rsvd;
		__le32 nxtseq_seed;
		__le32 status;
	} wb;
};

struct iov_adv_tx_ctx_desc {
	__le32 vlan_macip_lens;
	__le32 seqnum_seed;
	__le32 type_tucmd_mlhl;
	__le32 mss_l4len_idx;
};

#define IOV_TXD_DTYP_CTXT	0x00200000
#define IOV_TXD_DTYP_DATA	0x00300000
#define IOV_TXD_CMD_EOP		BIT(24)
#define IOV_TXD_CMD_IFCS	BIT(25)
#define IOV_TXD_CMD_RS		BIT(27)
#define IOV_TXD_CMD_DEXT	BIT(29)
#define IOV_TXD_CMD_VLE		BIT(30)
#define IOV_TXD_CMD_TSE		BIT(31)
#define IOV_TXD_STAT_DD		BIT(0)
#define IOV_TXD_POPTS_IXSM	BIT(8)
#define IOV_TXD_POPTS_TXSM	BIT(9)
#define IOV_TXD_PAYLEN_SHIFT	14
#define IOV_TXD_IDX_SHIFT	4
#define IOV_TXD_MACLEN_SHIFT	9
#define IOV_TXD_VLAN_SHIFT	16
#define IOV_TXD_TUCMD_IPV4	BIT(10)
#define IOV_TXD_TUCMD_L4T_TCP	BIT(11)
#define IOV_TXD_TUCMD_L4T_SCTP	BIT(12)
#define IOV_TXD_L4LEN_SHIFT	8
#define IOV_TXD_MSS_SHIFT	16

/* IOV_RAL(i): receive address low register i, in two banks (0..15, 16..23) */
static inline u32 iov_ral(unsigned int i)
{
	return i < 16 ? 0x05400 + 8 * i : 0x054E0 + 8 * (i - 16);
}

#endif /* _IOV_REGS_H_ */
