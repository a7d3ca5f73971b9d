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
	IOV_REJ_RATE,		/* VF exceeded the rate limit: served later */
	IOV_REJ_LOCK,		/* VF held the buffer lock: taken back, dropped */
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

/**
 * iov_mbx_op_index() - the dense operation index of a message
 * @msg0: word 0 (flags and MSGINFO are ignored)
 *
 * Return: an enum iov_mbx_op, or -1 for an unknown opcode.
 */
int iov_mbx_op_index(u32 msg0);

/**
 * iov_mbx_op_name() - name of an operation, for logs and statistics
 * @op: an enum iov_mbx_op, or anything else
 *
 * Return: a static string; "UNKNOWN" out of range.
 */
const char *iov_mbx_op_name(int op);

/**
 * iov_mbx_reject_name() - name of a reject reason
 * @why: an enum iov_mbx_reject, or anything else
 *
 * Return: a static string; "UNKNOWN" out of range.
 */
const char *iov_mbx_reject_name(int why);

/**
 * iov_mbx_parse() - parse and validate a VF->PF request
 * @msg: the words read from the VF's buffer, never trusted
 * @words: how many of them were read (1..IOV_MBX_WORDS)
 * @req: filled on success; only the member of @req->op is valid
 *
 * Stateless checks only: opcode, reply flags and reserved bits, payload
 * consistent with MSGINFO and @words. The CTS state and the rate limit
 * are the PF's.
 *
 * Return: 0, or a negative value whose reason iov_mbx_reject_of() gives
 * (-(enum iov_mbx_reject) - 1).
 */
int iov_mbx_parse(const u32 *msg, unsigned int words, struct iov_mbx_req *req);

/**
 * iov_mbx_reject_of() - the reject reason of an iov_mbx_parse() error
 * @err: a negative return of iov_mbx_parse()
 *
 * Return: an enum iov_mbx_reject.
 */
static inline int iov_mbx_reject_of(int err) { return -err - 1; }

/**
 * iov_mbx_req_words() - the words a request carries
 * @msg0: word 0 of the request, never trusted
 *
 * So the PF reads only those (each read is an MMIO access).
 *
 * Return: 1..IOV_MBX_WORDS; 1 for unknown opcodes.
 */
unsigned int iov_mbx_req_words(u32 msg0);

/**
 * iov_mbx_build_reset() - build a VF_RESET request
 * @msg: room for IOV_MBX_WORDS words
 *
 * The VF side's builders (this one and the iov_mbx_build_set_*() below)
 * write a request iov_mbx_parse() accepts.
 *
 * Return: the words to send.
 */
unsigned int iov_mbx_build_reset(u32 *msg);

/**
 * iov_mbx_build_set_mac() - build a SET_MAC_ADDR request
 * @msg: room for IOV_MBX_WORDS words
 * @filter: 0 (the VF's MAC), IOV_MAC_FILTER_ADD or IOV_MAC_FILTER_CLR
 * @addr: the address (unused for IOV_MAC_FILTER_CLR)
 *
 * Return: the words to send.
 */
unsigned int iov_mbx_build_set_mac(u32 *msg, u32 filter, const u8 *addr);

/**
 * iov_mbx_build_set_mc() - build a SET_MULTICAST request
 * @msg: room for IOV_MBX_WORDS words
 * @hash: multicast hashes (iov_mc_hash())
 * @count: how many; more than IOV_MC_MAX_HASHES are cut to that
 *
 * Return: the words to send.
 */
unsigned int iov_mbx_build_set_mc(u32 *msg, const u16 *hash,
				  unsigned int count);

/**
 * iov_mbx_build_set_vlan() - build a SET_VLAN request
 * @msg: room for IOV_MBX_WORDS words
 * @vid: the VLAN id
 * @add: add (true) or remove the filter
 *
 * Return: the words to send.
 */
unsigned int iov_mbx_build_set_vlan(u32 *msg, u16 vid, bool add);

/**
 * iov_mbx_build_set_lpe() - build a SET_LPE (maximum frame) request
 * @msg: room for IOV_MBX_WORDS words
 * @max_frame: the largest frame, FCS included
 *
 * Return: the words to send.
 */
unsigned int iov_mbx_build_set_lpe(u32 *msg, u32 max_frame);

/**
 * iov_mbx_build_set_promisc() - build a SET_PROMISC request
 * @msg: room for IOV_MBX_WORDS words
 * @flags: MSGINFO flags (IOV_PROMISC_MULTICAST or 0)
 *
 * Return: the words to send.
 */
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
