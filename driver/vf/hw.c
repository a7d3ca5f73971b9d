// SPDX-License-Identifier: GPL-2.0
/*
 * iovvf hardware layer: every register access of the VF driver lives here,
 * behind struct iovvf_hw_ops, so the reset handshake, the mailbox request
 * protocol (mbx_client.c), NAPI and ethtool port to another VF by adding
 * one ops table. The mailbox *transport* (ownership, buffer, doorbell) is
 * here; the request/reply protocol stays in mbx_client.c.
 */
#include <linux/ethtool.h>
#include "iovvf.h"

static inline u32 vf_rd(struct iovvf *vf, u32 reg)
{
	return readl(vf->hw + reg);
}

static inline void vf_wr(struct iovvf *vf, u32 reg, u32 val)
{
	writel(val, vf->hw + reg);
}

static void iovvf_82576_reset(struct iovvf *vf)
{
	vf_wr(vf, IOV_VF_CTRL, IOV_VF_CTRL_RST);
}

static void iovvf_82576_set_itr(struct iovvf *vf, unsigned int vec, u32 itr)
{
	vf_wr(vf, IOV_VF_EITR(vec), itr);
}

/*
 * Interrupt routing. The model never resets IVAR/masks on CTRL.RST or FLR
 * and ORs IVAR0 into the PF's IVAR, so writing the same values again is
 * harmless; EIAC is mandatory (a cause left in EICR blocks its vector).
 */
static void iovvf_82576_irq_setup(struct iovvf *vf)
{
	vf_wr(vf, IOV_VF_IVAR0,
	      (IOVVF_VEC_QUEUE | IOV_IVAR_VALID) |
	      ((IOVVF_VEC_QUEUE | IOV_IVAR_VALID) << 8));
	/* the model shifts the number: 1 = vector 0 (IOVVF_VEC_MBX) there */
	vf_wr(vf, IOV_VF_IVAR_MISC,
	      ((vf->quirks & IOV_QUIRK_QEMU_VF_MBX_IVAR) ? 1 : IOVVF_VEC_MBX) |
	      IOV_IVAR_VALID);
	iovvf_82576_set_itr(vf, IOVVF_VEC_MBX, 0);
	iovvf_82576_set_itr(vf, IOVVF_VEC_QUEUE, vf->itr.eitr);
	vf_wr(vf, IOV_VF_EIAC, IOVVF_EIMS_ALL);
	/* auto-mask the queue vectors; the handler masks them without it */
	if (!(vf->quirks & IOV_QUIRK_QEMU_NO_EIAM))
		vf_wr(vf, IOV_VF_EIAM, IOVVF_EIMS_QUEUES);
	vf_wr(vf, IOV_VF_EIMS, IOVVF_EIMS_MBX);
}

static void iovvf_82576_irq_mask(struct iovvf *vf, u32 vecs)
{
	vf_wr(vf, IOV_VF_EIMC, vecs);
}

static void iovvf_82576_irq_unmask(struct iovvf *vf, u32 vecs)
{
	vf_wr(vf, IOV_VF_EIMS, vecs);
}

static void iovvf_82576_irq_clear(struct iovvf *vf, u32 vecs)
{
	vf_wr(vf, IOV_VF_EICR, vecs);
}

static void iovvf_82576_setup_tx(struct iovvf *vf, struct iov_ring *r)
{
	vf_wr(vf, IOV_VF_TXDCTL(0), 0);
	vf_wr(vf, IOV_VF_TDBAL(0), lower_32_bits(r->dma));
	vf_wr(vf, IOV_VF_TDBAH(0), upper_32_bits(r->dma));
	vf_wr(vf, IOV_VF_TDLEN(0), r->count * sizeof(union iov_adv_tx_desc));
	vf_wr(vf, IOV_VF_TDH(0), 0);
	vf_wr(vf, IOV_VF_TDT(0), 0);
	r->tail = vf->hw + IOV_VF_TDT(0);
	vf_wr(vf, IOV_VF_TXDCTL(0), IOV_XDCTL_ENABLE);
}

static void iovvf_82576_setup_rx(struct iovvf *vf, struct iov_ring *r)
{
	vf_wr(vf, IOV_VF_RXDCTL(0), 0);
	vf_wr(vf, IOV_VF_RDBAL(0), lower_32_bits(r->dma));
	vf_wr(vf, IOV_VF_RDBAH(0), upper_32_bits(r->dma));
	vf_wr(vf, IOV_VF_RDLEN(0), r->count * sizeof(union iov_adv_rx_desc));
	vf_wr(vf, IOV_VF_RDH(0), 0);
	vf_wr(vf, IOV_VF_RDT(0), 0);
	r->tail = vf->hw + IOV_VF_RDT(0);
	/* one 2 KiB buffer per descriptor; larger frames chain descriptors */
	vf_wr(vf, IOV_VF_SRRCTL(0),
	      (IOV_RX_BUF_LEN >> IOV_SRRCTL_BSIZEPKT_SHIFT) |
	      IOV_SRRCTL_DESCTYPE_ADV_ONEBUF | IOV_SRRCTL_DROP_EN);
	vf_wr(vf, IOV_VF_RXDCTL(0), IOV_XDCTL_ENABLE);
}

static void iovvf_82576_stop_queues(struct iovvf *vf)
{
	vf_wr(vf, IOV_VF_RXDCTL(0), 0);
	vf_wr(vf, IOV_VF_TXDCTL(0), 0);
	vf_rd(vf, IOV_VF_STATUS);	/* flush before freeing DMA memory */
}

/* The RX ring enable the driver set, still set (a reset clears it). */
static bool iovvf_82576_queues_enabled(struct iovvf *vf)
{
	return vf_rd(vf, IOV_VF_RXDCTL(0)) & IOV_XDCTL_ENABLE;
}

/* The VF sees the PF's STATUS: its link, speed and duplex. */
static bool iovvf_82576_link(struct iovvf *vf, int *speed, u8 *duplex)
{
	u32 status = vf_rd(vf, IOV_VF_STATUS);

	switch (status & IOV_STATUS_SPEED_MASK) {
	case IOV_STATUS_SPEED_1000:
		*speed = SPEED_1000;
		break;
	case IOV_STATUS_SPEED_100:
		*speed = SPEED_100;
		break;
	default:
		*speed = SPEED_10;
	}
	*duplex = (status & IOV_STATUS_FD) ? DUPLEX_FULL : DUPLEX_HALF;
	return status & IOV_STATUS_LU;
}

/* ---- mailbox transport (VF side) ---------------------------------------- */

/* VFMAILBOX; the read clears PFSTS/PFACK/RSTD (the caller latches them). */
static u32 iovvf_82576_mbx_status(struct iovvf *vf)
{
	return vf_rd(vf, IOV_VF_MAILBOX);
}

/* Ask for the buffer (VFU); granted only while the PF does not hold PFU. */
static void iovvf_82576_mbx_claim(struct iovvf *vf)
{
	vf_wr(vf, IOV_VF_MAILBOX, IOV_V2P_VFU);
}

/* Read a PF message and acknowledge it; releases the buffer. */
static void iovvf_82576_mbx_read(struct iovvf *vf, u32 *msg,
				 unsigned int words)
{
	unsigned int i;

	for (i = 0; i < words; i++)
		msg[i] = vf_rd(vf, IOV_VF_VMBMEM + 4 * i);
	/* ACK without VFU: acknowledges and releases the buffer */
	vf_wr(vf, IOV_VF_MAILBOX, IOV_V2P_ACK);
}

/* Write a request; @signal false releases the buffer without REQ. */
static void iovvf_82576_mbx_write(struct iovvf *vf, const u32 *msg,
				  unsigned int words, bool signal)
{
	unsigned int i;

	for (i = 0; i < words; i++)
		vf_wr(vf, IOV_VF_VMBMEM + 4 * i, msg[i]);
	/* REQ without VFU: signals the PF and releases the buffer */
	vf_wr(vf, IOV_VF_MAILBOX, signal ? IOV_V2P_REQ : 0);
}

static const struct iovvf_hw_ops iovvf_82576_ops = {
	.reset			= iovvf_82576_reset,
	.irq_setup		= iovvf_82576_irq_setup,
	.irq_mask		= iovvf_82576_irq_mask,
	.irq_unmask		= iovvf_82576_irq_unmask,
	.irq_clear		= iovvf_82576_irq_clear,
	.set_itr		= iovvf_82576_set_itr,
	.setup_tx		= iovvf_82576_setup_tx,
	.setup_rx		= iovvf_82576_setup_rx,
	.stop_queues		= iovvf_82576_stop_queues,
	.queues_enabled		= iovvf_82576_queues_enabled,
	.link			= iovvf_82576_link,
	.mbx_status		= iovvf_82576_mbx_status,
	.mbx_claim		= iovvf_82576_mbx_claim,
	.mbx_read		= iovvf_82576_mbx_read,
	.mbx_write		= iovvf_82576_mbx_write,
};

const struct iovvf_hw_info iovvf_82576_info = {
	.name	= "82576 VF",
	.ops	= &iovvf_82576_ops,
};

const struct iovvf_hw_info iovvf_82576_qemu_info = {
	.name	= "82576 VF (QEMU igbvf model)",
	.ops	= &iovvf_82576_ops,
	.quirks	= IOV_QUIRKS_QEMU_IGB,
};
