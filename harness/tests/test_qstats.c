// SPDX-License-Identifier: MIT
/* Unit tests of the qstats parser and delta, on iovqstats output recorded in the lab (iovpf). */
#include <string.h>

#include "collect/qstats.h"
#include "tests/unit.h"

static const char *const before_txt =
	"queue-type=rx queue-id=0 rx-packets=100 rx-bytes=150000 rx-csum-unnecessary=98\n"
	"queue-type=tx queue-id=0 tx-packets=80 tx-bytes=9000 tx-stop=0 tx-wake=0\n";
static const char *const after_txt =
	"queue-type=rx queue-id=0 rx-packets=61773 rx-bytes=92004667 rx-alloc-fail=0 rx-csum-unnecessary=61770\n"
	"queue-type=tx queue-id=0 tx-packets=59419 tx-bytes=88320083 tx-hw-gso-packets=1328\n"
	"queue-type=rx queue-id=1 rx-packets=7 rx-bytes=700\n";

static void test_parse_and_delta(void)
{
	struct iov_qstats b = { 0 }, a = { 0 }, d;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(iov_qstats_add(&b, "eth0", before_txt, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_qstats_add(&a, "eth0", after_txt, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_qstats_add(&a, "eth1", "", &err), 0); /* a driver without qstats */
	CU_ASSERT_EQUAL(b.n, 2);
	CU_ASSERT_EQUAL_FATAL(a.n, 3);
	CU_ASSERT_EQUAL_FATAL(iov_qstats_delta(&b, &a, &d, &err), 0);
	CU_ASSERT_EQUAL_FATAL(d.n, 3);
	CU_ASSERT_FALSE(d.q[0].tx);
	CU_ASSERT_EQUAL(d.q[0].packets, 61673);
	CU_ASSERT_EQUAL(d.q[0].bytes, 92004667 - 150000);
	CU_ASSERT_TRUE(d.q[1].tx);
	CU_ASSERT_EQUAL(d.q[1].packets, 59339);
	CU_ASSERT_EQUAL(d.q[2].id, 1);
	CU_ASSERT_EQUAL(d.q[2].packets, 7); /* a queue that appeared counts from zero */
}

static void test_rejects(void)
{
	struct iov_qstats s = { 0 }, b = { 0 }, d;
	struct iov_err err;

	CU_ASSERT_EQUAL(iov_qstats_add(&s, "eth0", "queue-id=0 rx-packets=1\n", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "eth0"));
	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL(iov_qstats_add(&s, "eth0", "queue-type=rx queue-id=0 rx-packets=x\n", &err), -1);
	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL_FATAL(iov_qstats_add(&b, "eth0", after_txt, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_qstats_add(&s, "eth0", before_txt, &err), 0);
	CU_ASSERT_EQUAL(iov_qstats_delta(&b, &s, &d, &err), -1); /* counters reset in between */
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "backwards"));
}

IOV_SUITE(qstats, { "parse per-queue lines and take deltas", test_parse_and_delta },
	  { "malformed lines and counters going backwards", test_rejects })
