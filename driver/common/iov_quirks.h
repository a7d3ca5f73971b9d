/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iovbench: the workarounds for QEMU's igb (82576) model, one bit each.
 *
 * This is the one place they are named and described. A device gets them
 * from its PCI device table entry (driver_data, struct iovpf_hw_info /
 * iovvf_hw_info): QEMU's PF and VF carry QEMU's default subsystem IDs
 * (PCI_SUBVENDOR_ID_REDHAT_QUMRANET:PCI_SUBDEVICE_ID_QEMU), matched before
 * the plain 82576 entries, which carry none. The mask in force is in
 * debugfs, /sys/kernel/debug/iovbench/<bdf>/quirks, and in the probe
 * message. Model behaviour the driver only reports (no anti-spoofing, no
 * RX VLAN filtering, no rate limiting, MPME ignored in VMDq mode) is not a
 * quirk: those features are refused or said not to be enforced either way.
 * Details and QEMU function names: ../../../shared/reference/qemu-igb-model.md.
 *
 * IOV_QUIRK_QEMU_NO_EIAM
 *	EIAM auto-mask is not emulated (igb_set_eiam), so a queue vector
 *	would fire again while NAPI runs: the queue interrupt handlers mask
 *	their vectors (EIMC) themselves. Without it EIAM auto-masks them.
 *	PF netdev.c and VF netdev.c (handlers), pf/hw.c and vf/hw.c (EIAM).
 * IOV_QUIRK_QEMU_EITR_UNIT
 *	The model delays a vector by (EITR & 0x7FFE) x 1024 ns (QEMU <= 10.0)
 *	where the 82576 counts 1 us per unit of bits 14:2: rx-usecs and the
 *	adaptive policy's delays are converted with the model's unit.
 *	common/iov_itr.c.
 * IOV_QUIRK_QEMU_VF_MBX_IVAR
 *	The model raises a VF's mailbox cause (IVAR_MISC & 3) << base, i.e.
 *	it shifts the vector number instead of BIT(number); IVAR_MISC = 1 is
 *	the only value landing on one vector (vector 0, iovvf's mailbox
 *	vector). Without it IVAR_MISC names the vector. vf/hw.c.
 * IOV_QUIRK_QEMU_RSS_NO_RXCSUM
 *	The model computes the RSS hash only with RXCSUM.PCSD and then gives
 *	no RX checksum status: with RSS (several queue pairs, no VFs) RX
 *	checksum offload is off. Without it PCSD and checksum offload
 *	coexist, as on the 82576. pf/hw.c.
 * IOV_QUIRK_QEMU_TX_CSUM_PAD
 *	The model checksums everything past the L4 header, padding included:
 *	a frame shorter than ETH_ZLEN that asks for checksum offload is
 *	checksummed in software before it is padded. common/iov_ring.c.
 */
#ifndef _IOV_QUIRKS_H_
#define _IOV_QUIRKS_H_

#include <linux/bits.h>

#define IOV_QUIRK_QEMU_NO_EIAM		BIT(0)
#define IOV_QUIRK_QEMU_EITR_UNIT	BIT(1)
#define IOV_QUIRK_QEMU_VF_MBX_IVAR	BIT(2)
#define IOV_QUIRK_QEMU_RSS_NO_RXCSUM	BIT(3)
#define IOV_QUIRK_QEMU_TX_CSUM_PAD	BIT(4)

/* what QEMU's igb PF and igbvf VF need (QEMU <= 10.0) */
#define IOV_QUIRKS_QEMU_IGB	(IOV_QUIRK_QEMU_NO_EIAM |		\
				 IOV_QUIRK_QEMU_EITR_UNIT |		\
				 IOV_QUIRK_QEMU_VF_MBX_IVAR |		\
				 IOV_QUIRK_QEMU_RSS_NO_RXCSUM |		\
				 IOV_QUIRK_QEMU_TX_CSUM_PAD)

#endif /* _IOV_QUIRKS_H_ */
