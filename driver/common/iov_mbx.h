/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iovbench: PF<->VF mailbox message set, wire-compatible with the Linux
 * igb/igbvf drivers (e1000_mbx.h), plus parsing/validation shared by the
 * PF (iovpf, validates requests) and the VF (iovvf, builds requests and
 * checks replies). Protocol only: register access lives in the drivers.
 */
#ifndef _IOV_MBX_H_
#define _IOV_MBX_H_

#include <linux/types.h>
#include <linux/if_ether.h>

#define IOV_MBX_WORDS		16	/* 64-byte buffer, one per VF */

/* Word 0 layout: opcode in 15:0, MSGINFO in 23:16, flags in 31:29 */
#define IOV_MSG_ACK		0x80000000u
#define IOV_MSG_NACK		0x40000000u
#define IOV_MSG_CTS		0x20000000u
#define IOV_MSG_FLAGS_MASK	(IOV_MSG_ACK | IOV_MSG_NACK | IOV_MSG_CTS)
#define IOV_MSGINFO_SHIFT	16
#define IOV_MSGINFO_MASK	(0xFFu << IOV_MSGINFO_SHIFT)
#define IOV_MSG_OPCODE_MASK	0x0000FFFFu
#define IOV_MSG_RSVD_MASK	0x1F000000u	/* must be zero in requests */

/* Opcodes VF -> PF */
#define IOV_MSG_VF_RESET	0x01
#define IOV_MSG_SET_MAC_ADDR	0x02
#define IOV_MSG_SET_MULTICAST	0x03
#define IOV_MSG_SET_VLAN	0x04
#define IOV_MSG_SET_LPE		0x05
#define IOV_MSG_SET_PROMISC	0x06
/* PF -> VF */
#define IOV_MSG_PF_CONTROL	0x0100	/* link change / reset ping */

/* MSGINFO values */
#define IOV_MAC_FILTER_CLR	(0x01u << IOV_MSGINFO_SHIFT)
#define IOV_MAC_FILTER_ADD	(0x02u << IOV_MSGINFO_SHIFT)
#define IOV_PROMISC_MULTICAST	(0x02u << IOV_MSGINFO_SHIFT)

#define IOV_MC_MAX_HASHES	30	/* u16 hashes in words 1..15 */
#define IOV_RESET_REPLY_WORDS	3	/* word0 + 6-byte MAC in words 1-2 */
#define IOV_MAX_FRAME		9728	/* what the PF accepts for SET_LPE */
#define IOV_MIN_FRAME		(ETH_ZLEN + ETH_FCS_LEN)

/* Dense operation index used by statistics and tracepoints */
enum iov_mbx_op {
	IOV_OP_VF_RESET,
	IOV_OP_SET_MAC,
	IOV_OP_SET_MULTICAST,
	IOV_OP_SET_VLAN,
	IOV_OP_SET_LPE,
	IOV_OP_SET_PROMISC,
	IOV_OP_PF_CONTROL,
	IOV_OP_NUM
};

/* Why a request was dropped before dispatch (stats "dir=rejected") */
enum iov_mbx_reject {
	IOV_REJ_INVALID,	/* unknown opcode or reserved bits set */
	IOV_REJ_BADLEN,		/* payload inconsistent with MSGINFO */
	IOV_REJ_NOCTS,		/* request before a VF_RESET handshake */
	IOV_REJ_RATE,		/* VF exceeded the message rate limit */
	IOV_REJ_NUM
};

/* A request after parsing; only the member matching op is valid. */
struct iov_mbx_req {
	enum iov_mbx_op op;
	u32 msg0;
	union {
		struct {
			u32 filter;	/* 0, IOV_MAC_FILTER_CLR/ADD */
			u8 addr[ETH_ALEN];
		} mac;
		struct {
			unsigned int count;
			u16 hash[IOV_MC_MAX_HASHES];
		} mc;
		struct {
			bool add;
			u16 vid;
		} vlan;
		u32 max_frame;
		u32 promisc;	/* MSGINFO flags */
	};
};

int iov_mbx_op_index(u32 msg0);		/* -1 if unknown */
const char *iov_mbx_op_name(int op);
const char *iov_mbx_reject_name(int why);

/*
 * Parse and validate a VF->PF request (stateless checks only: opcode,
 * reserved bits, payload consistency). Returns 0 or -(enum iov_mbx_reject)-1
 * i.e. a negative value; use iov_mbx_reject_of() to get the reason.
 */
int iov_mbx_parse(const u32 *msg, unsigned int words, struct iov_mbx_req *req);
static inline int iov_mbx_reject_of(int err) { return -err - 1; }

/*
 * Words a request with this word 0 carries (1..IOV_MBX_WORDS), so the PF
 * reads only those (each read is an MMIO access). Unknown opcodes: 1.
 */
unsigned int iov_mbx_req_words(u32 msg0);

/* Request builders for the VF side; return the number of words to send. */
unsigned int iov_mbx_build_reset(u32 *msg);
unsigned int iov_mbx_build_set_mac(u32 *msg, u32 filter, const u8 *addr);
unsigned int iov_mbx_build_set_mc(u32 *msg, const u16 *hash,
				  unsigned int count);
unsigned int iov_mbx_build_set_vlan(u32 *msg, u16 vid, bool add);
unsigned int iov_mbx_build_set_lpe(u32 *msg, u32 max_frame);
unsigned int iov_mbx_build_set_promisc(u32 *msg, u32 flags);

/* Multicast hash as the 82576 MTA uses it (MO = 0): 12 bits. */
static inline u16 iov_mc_hash(const u8 *addr)
{
	return ((addr[4] >> 4) | ((u16)addr[5] << 4)) & 0xFFF;
}

/* Is @reply a well-formed reply to @req_msg0 (same opcode, ACK or NACK)? */
static inline bool iov_mbx_is_reply_to(u32 reply0, u32 req_msg0)
{
	return (reply0 & IOV_MSG_OPCODE_MASK) ==
	       (req_msg0 & IOV_MSG_OPCODE_MASK) &&
	       (reply0 & (IOV_MSG_ACK | IOV_MSG_NACK));
}

#endif /* _IOV_MBX_H_ */
