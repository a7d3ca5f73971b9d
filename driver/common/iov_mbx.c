// SPDX-License-Identifier: GPL-2.0
/*
 * iovbench mailbox message set: parsing/validation of VF requests and
 * request builders. Pure protocol, no register access.
 */
#include <linux/module.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/string.h>
#include "iov_compat.h"
#include "iov_mbx.h"

static const char * const iov_op_names[IOV_OP_NUM] = {
	[IOV_OP_VF_RESET]	= "VF_RESET",
	[IOV_OP_SET_MAC]	= "SET_MAC",
	[IOV_OP_SET_MULTICAST]	= "SET_MULTICAST",
	[IOV_OP_SET_VLAN]	= "SET_VLAN",
	[IOV_OP_SET_LPE]	= "SET_LPE",
	[IOV_OP_SET_PROMISC]	= "SET_PROMISC",
	[IOV_OP_PF_CONTROL]	= "PF_CONTROL",
};

static const char * const iov_rej_names[IOV_REJ_NUM] = {
	[IOV_REJ_INVALID]	= "INVALID",
	[IOV_REJ_BADLEN]	= "BADLEN",
	[IOV_REJ_NOCTS]		= "NOCTS",
	[IOV_REJ_RATE]		= "RATE",
	[IOV_REJ_LOCK]		= "LOCK",
};

int iov_mbx_op_index(u32 msg0)
{
	switch (msg0 & IOV_MSG_OPCODE_MASK) {
	case IOV_MSG_VF_RESET:		return IOV_OP_VF_RESET;
	case IOV_MSG_SET_MAC_ADDR:	return IOV_OP_SET_MAC;
	case IOV_MSG_SET_MULTICAST:	return IOV_OP_SET_MULTICAST;
	case IOV_MSG_SET_VLAN:		return IOV_OP_SET_VLAN;
	case IOV_MSG_SET_LPE:		return IOV_OP_SET_LPE;
	case IOV_MSG_SET_PROMISC:	return IOV_OP_SET_PROMISC;
	case IOV_MSG_PF_CONTROL:	return IOV_OP_PF_CONTROL;
	default:			return -1;
	}
}
EXPORT_SYMBOL_NS_GPL(iov_mbx_op_index, IOV_NS);

const char *iov_mbx_op_name(int op)
{
	if (op < 0 || op >= IOV_OP_NUM)
		return "UNKNOWN";
	return iov_op_names[op];
}
EXPORT_SYMBOL_NS_GPL(iov_mbx_op_name, IOV_NS);

const char *iov_mbx_reject_name(int why)
{
	if (why < 0 || why >= IOV_REJ_NUM)
		return "UNKNOWN";
	return iov_rej_names[why];
}
EXPORT_SYMBOL_NS_GPL(iov_mbx_reject_name, IOV_NS);

unsigned int iov_mbx_req_words(u32 msg0)
{
	unsigned int n;

	switch (msg0 & IOV_MSG_OPCODE_MASK) {
	case IOV_MSG_SET_MAC_ADDR:
		return 3;
	case IOV_MSG_SET_VLAN:
	case IOV_MSG_SET_LPE:
		return 2;
	case IOV_MSG_SET_MULTICAST:
		n = (msg0 & IOV_MSGINFO_MASK) >> IOV_MSGINFO_SHIFT;
		/* too many hashes: read all, parse reports BADLEN */
		return min_t(unsigned int, 1 + DIV_ROUND_UP(n, 2), IOV_MBX_WORDS);
	default:
		return 1;
	}
}
EXPORT_SYMBOL_NS_GPL(iov_mbx_req_words, IOV_NS);

#define REJECT(why)	(-(int)(why) - 1)

int iov_mbx_parse(const u32 *msg, unsigned int words, struct iov_mbx_req *req)
{
	u32 m0 = msg[0], info = m0 & IOV_MSGINFO_MASK;
	int op = iov_mbx_op_index(m0);
	unsigned int i;

	memset(req, 0, sizeof(*req));
	req->msg0 = m0;
	/* a request carries no reply flags; PF_CONTROL only goes PF->VF */
	if (op < 0 || op == IOV_OP_PF_CONTROL ||
	    (m0 & (IOV_MSG_FLAGS_MASK | IOV_MSG_RSVD_MASK)))
		return REJECT(IOV_REJ_INVALID);
	if (words < 1 || words > IOV_MBX_WORDS)
		return REJECT(IOV_REJ_BADLEN);
	req->op = op;

	switch (op) {
	case IOV_OP_VF_RESET:
		if (info)
			return REJECT(IOV_REJ_INVALID);
		break;
	case IOV_OP_SET_MAC:
		if (info && info != IOV_MAC_FILTER_CLR &&
		    info != IOV_MAC_FILTER_ADD)
			return REJECT(IOV_REJ_INVALID);
		if (words < 3)
			return REJECT(IOV_REJ_BADLEN);
		req->mac.filter = info;
		memcpy(req->mac.addr, &msg[1], ETH_ALEN);
		break;
	case IOV_OP_SET_MULTICAST:
		req->mc.count = info >> IOV_MSGINFO_SHIFT;
		if (req->mc.count > IOV_MC_MAX_HASHES ||
		    words < 1 + DIV_ROUND_UP(req->mc.count, 2))
			return REJECT(IOV_REJ_BADLEN);
		for (i = 0; i < req->mc.count; i++) {
			u32 w = msg[1 + i / 2];

			/* little-endian u16 pairs, as igbvf packs them */
			req->mc.hash[i] = (i & 1) ? w >> 16 : w & 0xFFFF;
			if (req->mc.hash[i] > 0xFFF)
				return REJECT(IOV_REJ_BADLEN);
		}
		break;
	case IOV_OP_SET_VLAN:
		if (words < 2 || info > (1u << IOV_MSGINFO_SHIFT) ||
		    msg[1] >= VLAN_N_VID)
			return REJECT(IOV_REJ_BADLEN);
		req->vlan.add = !!info;
		req->vlan.vid = msg[1];
		break;
	case IOV_OP_SET_LPE:
		if (words < 2 || info)
			return REJECT(IOV_REJ_BADLEN);
		req->max_frame = msg[1];
		if (req->max_frame < IOV_MIN_FRAME ||
		    req->max_frame > IOV_MAX_FRAME)
			return REJECT(IOV_REJ_BADLEN);
		break;
	case IOV_OP_SET_PROMISC:
		if (info & ~IOV_PROMISC_MULTICAST)
			return REJECT(IOV_REJ_INVALID);
		req->promisc = info;
		break;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(iov_mbx_parse, IOV_NS);

unsigned int iov_mbx_build_reset(u32 *msg)
{
	msg[0] = IOV_MSG_VF_RESET;
	return 1;
}
EXPORT_SYMBOL_NS_GPL(iov_mbx_build_reset, IOV_NS);

unsigned int iov_mbx_build_set_mac(u32 *msg, u32 filter, const u8 *addr)
{
	msg[0] = IOV_MSG_SET_MAC_ADDR | filter;
	msg[1] = 0;
	msg[2] = 0;
	if (addr)
		memcpy(&msg[1], addr, ETH_ALEN);
	return 3;
}
EXPORT_SYMBOL_NS_GPL(iov_mbx_build_set_mac, IOV_NS);

unsigned int iov_mbx_build_set_mc(u32 *msg, const u16 *hash,
				  unsigned int count)
{
	unsigned int i;

	count = min_t(unsigned int, count, IOV_MC_MAX_HASHES);
	msg[0] = IOV_MSG_SET_MULTICAST | (count << IOV_MSGINFO_SHIFT);
	for (i = 0; i < DIV_ROUND_UP(count, 2); i++)
		msg[1 + i] = 0;
	for (i = 0; i < count; i++)
		msg[1 + i / 2] |= (u32)(hash[i] & 0xFFF) << ((i & 1) * 16);
	return 1 + DIV_ROUND_UP(count, 2);
}
EXPORT_SYMBOL_NS_GPL(iov_mbx_build_set_mc, IOV_NS);

unsigned int iov_mbx_build_set_vlan(u32 *msg, u16 vid, bool add)
{
	msg[0] = IOV_MSG_SET_VLAN | (add ? 1u << IOV_MSGINFO_SHIFT : 0);
	msg[1] = vid;
	return 2;
}
EXPORT_SYMBOL_NS_GPL(iov_mbx_build_set_vlan, IOV_NS);

unsigned int iov_mbx_build_set_lpe(u32 *msg, u32 max_frame)
{
	msg[0] = IOV_MSG_SET_LPE;
	msg[1] = max_frame;
	return 2;
}
EXPORT_SYMBOL_NS_GPL(iov_mbx_build_set_lpe, IOV_NS);

unsigned int iov_mbx_build_set_promisc(u32 *msg, u32 flags)
{
	msg[0] = IOV_MSG_SET_PROMISC | (flags & IOV_MSGINFO_MASK);
	return 1;
}
EXPORT_SYMBOL_NS_GPL(iov_mbx_build_set_promisc, IOV_NS);
