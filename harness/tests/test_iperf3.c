// SPDX-License-Identifier: MIT
/* test_iperf3.c - real iperf3 3.12 -J output: TCP, 4 streams, UDP 64 B, refused, truncated. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collect/iperf3.h"
#include "tests/unit.h"

static int parse_file(const char *path, struct iov_iperf3_result *r, struct iov_err *err)
{
	size_t len;
	char *text = iov_read_file(path, &len, err);
	int rc;

	if (!text)
		return -2;
	rc = iov_iperf3_parse(text, len, r, err);
	free(text);
	return rc;
}

static void test_tcp(void)
{
	struct iov_iperf3_result r;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(parse_file("data/iperf3-tcp-1stream.json", &r, &err), 0);
	CU_ASSERT_STRING_EQUAL(r.version, "iperf 3.12");
	CU_ASSERT(!r.udp && r.num_streams == 1 && r.duration_s == 2);
	CU_ASSERT_EQUAL(r.sent_bytes, 4793303040ull);
	CU_ASSERT_EQUAL(r.received_bytes, 4793303040ull);
	CU_ASSERT(fabs(r.received_bps - 19164348648.749954) < 1e-3);
	CU_ASSERT(fabs(r.received_seconds - 2.000925) < 1e-9);
	CU_ASSERT_EQUAL(r.retransmits, 21);
	CU_ASSERT(fabs(r.cpu_host_total_pct - 98.60534041604963) < 1e-9);
	CU_ASSERT_EQUAL_FATAL(parse_file("data/iperf3-tcp-4streams-omit.json", &r, &err), 0);
	CU_ASSERT(r.num_streams == 4 && r.omit_s == 1 && r.retransmits == 14);
	CU_ASSERT_EQUAL(r.received_bytes, 4901371851ull);
}

static void test_udp(void)
{
	struct iov_iperf3_result r;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(parse_file("data/iperf3-udp-64.json", &r, &err), 0);
	CU_ASSERT_TRUE(r.udp);
	CU_ASSERT_EQUAL(r.udp_packets_sent, 1356670);
	CU_ASSERT_EQUAL(r.udp_packets_expected, 1356670);
	CU_ASSERT_EQUAL(r.udp_packets_lost, 893216);
	CU_ASSERT_EQUAL(r.udp_packets_received, 1356670 - 893216);
	CU_ASSERT_EQUAL(r.udp_packets_received * 64, r.received_bytes); /* 64-byte datagrams */
	CU_ASSERT(fabs(r.udp_lost_pct - 65.83885543278764) < 1e-9);
	CU_ASSERT(fabs(r.udp_jitter_ms - 0.0585856878731086) < 1e-12);
	CU_ASSERT_EQUAL(r.retransmits, -1);
	CU_ASSERT_EQUAL(r.udp_out_of_order, -1); /* not in end.sum of 3.12: unknown, not zero */
}

static void test_errors(void)
{
	struct iov_iperf3_result r;
	struct iov_err err;

	CU_ASSERT_EQUAL(parse_file("data/iperf3-error-refused.json", &r, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "iperf3 JSON: iperf3 reported: unable to connect to server: Connection refused");
	CU_ASSERT_EQUAL(parse_file("data/iperf3-truncated.json", &r, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a complete document (truncated output?)"));
	CU_ASSERT_EQUAL(iov_iperf3_parse("", 0, &r, &err), -1);
	CU_ASSERT_EQUAL(iov_iperf3_parse("[1]", 3, &r, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "top level is not an object"));
	CU_ASSERT_EQUAL(iov_iperf3_parse("{\"start\":{},\"end\":{}}", 21, &r, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "protocol missing"));
}

IOV_SUITE(iperf3,
	  { "TCP, 1 and 4 streams", test_tcp },
	  { "UDP 64-byte datagrams: packets and loss", test_udp },
	  { "iperf3 error, truncated JSON, garbage", test_errors })
