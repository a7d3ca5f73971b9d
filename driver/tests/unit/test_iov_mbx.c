// SPDX-License-Identifier: GPL-2.0
/*
 * test_iov_mbx.c - the mailbox parser and builders (driver/common/iov_mbx.c)
 * as pure code: what the VF builds the PF accepts, and what a hostile VF
 * writes is refused with the right reason, without reading past the words
 * the PF read (each message lives in a heap block of exactly that size, so
 * AddressSanitizer catches an over-read).
 */
#include <stdlib.h>
#include "unit.h"
#include "iov_mbx.h"

/* Parse @words words copied into a block of exactly that size. */
static int parse_exact(const u32 *msg, unsigned int words, struct iov_mbx_req *req)
{
	u32 *copy = malloc(sizeof(u32) * (words ? words : 1));
	int err;

	CU_ASSERT_FATAL(copy != NULL);
	memcpy(copy, msg, sizeof(u32) * (words ? words : 1));
	err = iov_mbx_parse(copy, words, req);
	free(copy);
	return err;
}

/* The reject reason of a parse, or -1 when it was accepted. */
static int reject_of(const u32 *msg, unsigned int words)
{
	struct iov_mbx_req req;
	int err = parse_exact(msg, words, &req);

	return err ? iov_mbx_reject_of(err) : -1;
}

static void test_builders_parse_back(void)
{
	static const u8 mac[ETH_ALEN] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	u32 msg[IOV_MBX_WORDS];
	struct iov_mbx_req req;
	unsigned int n;

	n = iov_mbx_build_reset(msg);
	CU_ASSERT_EQUAL(parse_exact(msg, n, &req), 0);
	CU_ASSERT_EQUAL(req.op, IOV_OP_VF_RESET);

	n = iov_mbx_build_set_mac(msg, IOV_MAC_FILTER_ADD, mac);
	CU_ASSERT_EQUAL(n, iov_mbx_req_words(msg[0]));
	CU_ASSERT_EQUAL(parse_exact(msg, n, &req), 0);
	CU_ASSERT_EQUAL(req.op, IOV_OP_SET_MAC);
	CU_ASSERT_EQUAL(req.mac.filter, IOV_MAC_FILTER_ADD);
	CU_ASSERT_EQUAL(memcmp(req.mac.addr, mac, ETH_ALEN), 0);

	n = iov_mbx_build_set_mac(msg, IOV_MAC_FILTER_CLR, NULL);
	CU_ASSERT_EQUAL(parse_exact(msg, n, &req), 0);
	CU_ASSERT_EQUAL(req.mac.filter, IOV_MAC_FILTER_CLR);

	n = iov_mbx_build_set_vlan(msg, 4095, true);
	CU_ASSERT_EQUAL(n, iov_mbx_req_words(msg[0]));
	CU_ASSERT_EQUAL(parse_exact(msg, n, &req), 0);
	CU_ASSERT(req.vlan.add);
	CU_ASSERT_EQUAL(req.vlan.vid, 4095);
	n = iov_mbx_build_set_vlan(msg, 10, false);
	CU_ASSERT_EQUAL(parse_exact(msg, n, &req), 0);
	CU_ASSERT(!req.vlan.add);

	n = iov_mbx_build_set_lpe(msg, IOV_MAX_FRAME);
	CU_ASSERT_EQUAL(parse_exact(msg, n, &req), 0);
	CU_ASSERT_EQUAL(req.max_frame, IOV_MAX_FRAME);

	n = iov_mbx_build_set_promisc(msg, IOV_PROMISC_MULTICAST);
	CU_ASSERT_EQUAL(parse_exact(msg, n, &req), 0);
	CU_ASSERT_EQUAL(req.promisc, IOV_PROMISC_MULTICAST);
}

/* 0..31 hashes: the PF gets each back, odd counts and the cut to 30 included. */
static void test_multicast_counts(void)
{
	u16 hash[IOV_MC_MAX_HASHES + 1];
	u32 msg[IOV_MBX_WORDS];
	struct iov_mbx_req req;
	unsigned int count, i, n;

	for (i = 0; i <= IOV_MC_MAX_HASHES; i++)
		hash[i] = (u16)(0xF00 + i * 3);
	for (count = 0; count <= IOV_MC_MAX_HASHES + 1; count++) {
		unsigned int want = count > IOV_MC_MAX_HASHES ? IOV_MC_MAX_HASHES : count;

		n = iov_mbx_build_set_mc(msg, hash, count);
		CU_ASSERT_EQUAL(n, iov_mbx_req_words(msg[0]));
		CU_ASSERT_FATAL(n <= IOV_MBX_WORDS);
		CU_ASSERT_EQUAL_FATAL(parse_exact(msg, n, &req), 0);
		CU_ASSERT_EQUAL(req.mc.count, want);
		for (i = 0; i < want; i++)
			CU_ASSERT_EQUAL(req.mc.hash[i], hash[i]);
	}
}

static void test_rejects_unknown_and_flags(void)
{
	static const u32 bad[] = {
		0x07, 0xFF, 0xFFFF, 0x0000,			/* unknown opcodes */
		IOV_MSG_PF_CONTROL,				/* PF to VF only */
		IOV_MSG_VF_RESET | IOV_MSG_ACK,			/* reply flags */
		IOV_MSG_VF_RESET | IOV_MSG_NACK,
		IOV_MSG_SET_LPE | IOV_MSG_CTS,
		IOV_MSG_VF_RESET | 0x01000000,			/* reserved bits */
		IOV_MSG_SET_PROMISC | 0x10000000,
		IOV_MSG_VF_RESET | (1u << IOV_MSGINFO_SHIFT),	/* MSGINFO on reset */
		IOV_MSG_SET_MAC_ADDR | (3u << IOV_MSGINFO_SHIFT), /* filter 3 */
		IOV_MSG_SET_PROMISC | (1u << IOV_MSGINFO_SHIFT),  /* unicast */
		0xFFFFFFFF,
	};
	u32 msg[IOV_MBX_WORDS] = { 0 };
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg[0] = bad[i];
		CU_ASSERT_EQUAL(reject_of(msg, IOV_MBX_WORDS), IOV_REJ_INVALID);
	}
}

static void test_rejects_bad_lengths(void)
{
	u32 msg[IOV_MBX_WORDS + 1] = { 0 };	/* one word past the buffer, for words = 17 */
	u16 hash[IOV_MC_MAX_HASHES] = { 0 };
	unsigned int n;

	/* no words at all, or more than the buffer */
	msg[0] = IOV_MSG_VF_RESET;
	CU_ASSERT_EQUAL(reject_of(msg, 0), IOV_REJ_BADLEN);
	CU_ASSERT_EQUAL(reject_of(msg, IOV_MBX_WORDS + 1), IOV_REJ_BADLEN);
	/* payload shorter than the opcode needs */
	msg[0] = IOV_MSG_SET_MAC_ADDR;
	CU_ASSERT_EQUAL(reject_of(msg, 2), IOV_REJ_BADLEN);
	msg[0] = IOV_MSG_SET_VLAN;
	CU_ASSERT_EQUAL(reject_of(msg, 1), IOV_REJ_BADLEN);
	msg[0] = IOV_MSG_SET_LPE;
	CU_ASSERT_EQUAL(reject_of(msg, 1), IOV_REJ_BADLEN);
	/* 30 hashes announced, fewer words read */
	n = iov_mbx_build_set_mc(msg, hash, IOV_MC_MAX_HASHES);
	CU_ASSERT_EQUAL(reject_of(msg, n - 1), IOV_REJ_BADLEN);
	/* more hashes announced than the buffer holds */
	msg[0] = IOV_MSG_SET_MULTICAST | (31u << IOV_MSGINFO_SHIFT);
	CU_ASSERT_EQUAL(reject_of(msg, IOV_MBX_WORDS), IOV_REJ_BADLEN);
	msg[0] = IOV_MSG_SET_MULTICAST | IOV_MSGINFO_MASK;
	CU_ASSERT_EQUAL(reject_of(msg, IOV_MBX_WORDS), IOV_REJ_BADLEN);
	CU_ASSERT_EQUAL(iov_mbx_req_words(msg[0]), IOV_MBX_WORDS);
}

/* Values out of their range: VLAN id, hash width, frame size, add flag. */
static void test_rejects_out_of_range_values(void)
{
	u32 msg[IOV_MBX_WORDS] = { 0 };

	msg[0] = IOV_MSG_SET_VLAN | (1u << IOV_MSGINFO_SHIFT);
	msg[1] = VLAN_N_VID;
	CU_ASSERT_EQUAL(reject_of(msg, 2), IOV_REJ_BADLEN);
	msg[1] = 0xFFFFFFFF;
	CU_ASSERT_EQUAL(reject_of(msg, 2), IOV_REJ_BADLEN);
	msg[0] = IOV_MSG_SET_VLAN | (2u << IOV_MSGINFO_SHIFT);
	msg[1] = 10;
	CU_ASSERT_EQUAL(reject_of(msg, 2), IOV_REJ_BADLEN);

	msg[0] = IOV_MSG_SET_MULTICAST | (2u << IOV_MSGINFO_SHIFT);
	msg[1] = 0x0FFF | (0x1000u << 16);	/* second hash is 13 bits */
	CU_ASSERT_EQUAL(reject_of(msg, 2), IOV_REJ_BADLEN);

	msg[0] = IOV_MSG_SET_LPE;
	msg[1] = IOV_MIN_FRAME - 1;
	CU_ASSERT_EQUAL(reject_of(msg, 2), IOV_REJ_BADLEN);
	msg[1] = IOV_MAX_FRAME + 1;
	CU_ASSERT_EQUAL(reject_of(msg, 2), IOV_REJ_BADLEN);
	msg[1] = 0xFFFFFFFF;
	CU_ASSERT_EQUAL(reject_of(msg, 2), IOV_REJ_BADLEN);
	msg[0] = IOV_MSG_SET_LPE | (1u << IOV_MSGINFO_SHIFT);
	msg[1] = 1518;
	CU_ASSERT_EQUAL(reject_of(msg, 2), IOV_REJ_BADLEN);
}

/* Indexes from outside (an opcode, a stats slot) never index past a table. */
static void test_out_of_range_indexes(void)
{
	CU_ASSERT_EQUAL(iov_mbx_op_index(0x07), -1);
	CU_ASSERT_EQUAL(iov_mbx_op_index(IOV_MSG_SET_LPE | IOV_MSG_ACK), IOV_OP_SET_LPE);
	CU_ASSERT_STRING_EQUAL(iov_mbx_op_name(-1), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(iov_mbx_op_name(IOV_OP_NUM), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(iov_mbx_op_name(0x7FFFFFFF), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(iov_mbx_op_name(IOV_OP_SET_VLAN), "SET_VLAN");
	CU_ASSERT_STRING_EQUAL(iov_mbx_reject_name(-5), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(iov_mbx_reject_name(IOV_REJ_NUM), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(iov_mbx_reject_name(IOV_REJ_RATE), "RATE");
	CU_ASSERT_EQUAL(iov_mbx_req_words(0xFFFF), 1);
}

static void test_reply_matching(void)
{
	CU_ASSERT(iov_mbx_is_reply_to(IOV_MSG_SET_MAC_ADDR | IOV_MSG_ACK | IOV_MSG_CTS,
				      IOV_MSG_SET_MAC_ADDR));
	CU_ASSERT(iov_mbx_is_reply_to(IOV_MSG_SET_LPE | IOV_MSG_NACK, IOV_MSG_SET_LPE));
	/* no ACK/NACK: the VF's own request still in the buffer */
	CU_ASSERT(!iov_mbx_is_reply_to(IOV_MSG_SET_LPE, IOV_MSG_SET_LPE));
	/* another opcode: a PF message crossing the request */
	CU_ASSERT(!iov_mbx_is_reply_to(IOV_MSG_PF_CONTROL | IOV_MSG_CTS | IOV_MSG_ACK,
				       IOV_MSG_SET_LPE));
}

/* Deterministic xorshift: the same hostile messages on every run. */
static u32 next_rand(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static bool accepted_request_in_range(const struct iov_mbx_req *req)
{
	switch (req->op) {
	case IOV_OP_VF_RESET:
		return true;
	case IOV_OP_SET_MAC:
		return !req->mac.filter || req->mac.filter == IOV_MAC_FILTER_ADD ||
		       req->mac.filter == IOV_MAC_FILTER_CLR;
	case IOV_OP_SET_MULTICAST:
		for (unsigned int i = 0; i < req->mc.count && i < IOV_MC_MAX_HASHES; i++)
			if (req->mc.hash[i] > 0xFFF)
				return false;
		return req->mc.count <= IOV_MC_MAX_HASHES;
	case IOV_OP_SET_VLAN:
		return req->vlan.vid < VLAN_N_VID;
	case IOV_OP_SET_LPE:
		return req->max_frame >= IOV_MIN_FRAME && req->max_frame <= IOV_MAX_FRAME;
	case IOV_OP_SET_PROMISC:
		return !(req->promisc & ~IOV_PROMISC_MULTICAST);
	default:
		return false;
	}
}

/*
 * 200000 random messages, biased towards known opcodes, at every length
 * the PF could have read (iov_mbx_req_words() of word 0, as iovpf reads):
 * accepted ones are in range, rejected ones carry a known reason.
 */
static void test_random_hostile_messages(void)
{
	static const u32 ops[] = { IOV_MSG_VF_RESET, IOV_MSG_SET_MAC_ADDR, IOV_MSG_SET_MULTICAST,
				   IOV_MSG_SET_VLAN, IOV_MSG_SET_LPE, IOV_MSG_SET_PROMISC };
	unsigned int i, w, accepted = 0, bad = 0;
	u32 seed = 0x1234567u, msg[IOV_MBX_WORDS + 1];	/* lengths up to 17 */

	for (i = 0; i < 200000; i++) {
		struct iov_mbx_req req;
		unsigned int words;
		int err;

		for (w = 0; w <= IOV_MBX_WORDS; w++)
			msg[w] = next_rand(&seed);
		if (i % 4) {	/* a known opcode, MSGINFO mostly small, flags mostly clear */
			u32 info = i % 2 ? (msg[4] % 33) << IOV_MSGINFO_SHIFT :
					   msg[1] & IOV_MSGINFO_MASK;

			msg[0] = ops[msg[0] % 6] | info | (i % 16 ? 0 : (msg[2] & 0xFF000000));
			if (i % 3 == 0)
				msg[1] %= 10000;	/* VLAN ids and frame sizes near range */
		}
		words = i % 5 ? iov_mbx_req_words(msg[0]) : msg[3] % (IOV_MBX_WORDS + 2);
		if (!words)
			words = 1;	/* the PF always has word 0 */
		err = parse_exact(msg, words, &req);
		if (!err) {
			accepted++;
			if (!accepted_request_in_range(&req))
				bad++;
		} else if (iov_mbx_reject_of(err) != IOV_REJ_INVALID &&
			   iov_mbx_reject_of(err) != IOV_REJ_BADLEN) {
			bad++;
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* the generator reaches the accepting paths too, not only rejects */
	CU_ASSERT(accepted > 1000);
}

IOV_SUITE(iov_mbx,
	  { "what the VF builds, the PF parses back", test_builders_parse_back },
	  { "multicast lists of 0 to 31 hashes", test_multicast_counts },
	  { "unknown opcodes, reply flags and reserved bits are INVALID", test_rejects_unknown_and_flags },
	  { "payloads shorter or longer than MSGINFO says are BADLEN", test_rejects_bad_lengths },
	  { "VLAN ids, hashes and frame sizes out of range are refused", test_rejects_out_of_range_values },
	  { "out-of-range opcode and reason indexes name UNKNOWN", test_out_of_range_indexes },
	  { "a reply matches its request's opcode and carries ACK or NACK", test_reply_matching },
	  { "random hostile messages: accepted ones in range, no over-read", test_random_hostile_messages })
