// SPDX-License-Identifier: MIT
/* test_snmp.c - UDP counters of /proc/net/snmp from a guest namespace, deltas, bad input. */
#include <stdlib.h>
#include <string.h>

#include "collect/snmp.h"
#include "metrics_compute.h"
#include "tests/unit.h"

static int parse_file(const char *path, struct iov_udp_mib *u)
{
	struct iov_err err;
	char *text = iov_read_file(path, NULL, &err);
	int rc = text ? iov_snmp_parse(text, u, &err) : -1;

	free(text);
	return rc;
}

/* The receiver of a 50 Mbit/s flood of 64-byte datagrams whose socket buffer was shrunk. */
static void test_guest_receiver(void)
{
	struct iov_udp_mib b, a, d;
	struct iov_metric_set set = { 0 };
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(parse_file("data/snmp-guest-before.txt", &b), 0);
	CU_ASSERT_EQUAL_FATAL(parse_file("data/snmp-guest-after.txt", &a), 0);
	CU_ASSERT(b.in_datagrams == 0 && b.rcvbuf_errors == 0);
	CU_ASSERT(a.in_datagrams == 47636 && a.in_errors == 392 && a.out_datagrams == 1 && a.rcvbuf_errors == 392 &&
		  a.sndbuf_errors == 0 && a.no_ports == 0);
	CU_ASSERT_EQUAL_FATAL(iov_udp_mib_delta(&b, &a, &d, &err), 0);
	CU_ASSERT_EQUAL(d.rcvbuf_errors, 392);
	CU_ASSERT_EQUAL(iov_udp_mib_delta(&a, &b, &d, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "InDatagrams went down"));
	/* 392 drops in 2 s; no UDP at all (a TCP window) adds no metric. */
	CU_ASSERT_EQUAL_FATAL(iov_metrics_udp_drops(&set, &a, 2.0, &err), 0);
	CU_ASSERT_EQUAL(set.n, 2);
	for (size_t i = 0; i < set.n; i++)
		CU_ASSERT_DOUBLE_EQUAL(set.v[i].value, !strcmp(set.v[i].def->name, "udp_rcvbuf_errors_pps") ? 196 : 0,
				       1e-9);
	iov_metric_set_free(&set);
	CU_ASSERT_EQUAL_FATAL(iov_metrics_udp_drops(&set, &b, 2.0, &err), 0);
	CU_ASSERT_EQUAL(set.n, 0);
	iov_metric_set_free(&set);
}

static void test_bad_input(void)
{
	struct iov_udp_mib u;
	struct iov_err err;

	CU_ASSERT_EQUAL(iov_snmp_parse("Ip: Forwarding\nIp: 1\n", &u, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no 'Udp:'"));
	CU_ASSERT_EQUAL(iov_snmp_parse("Udp: InDatagrams NoPorts\n", &u, &err), -1);
	CU_ASSERT_EQUAL(iov_snmp_parse("Udp: InDatagrams NoPorts InErrors\nUdp: 1 2\n", &u, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "more names than values"));
	CU_ASSERT_EQUAL(iov_snmp_parse("Udp: InDatagrams NoPorts\nUdp: 1 x\n", &u, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "NoPorts: bad value"));
	CU_ASSERT_EQUAL(iov_snmp_parse("Udp: InDatagrams NoPorts\nUdp: 1 2\n", &u, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "lacks a column"));
	/* UdpLite is another table: it must not be taken for Udp */
	CU_ASSERT_EQUAL(iov_snmp_parse("UdpLite: InDatagrams\nUdpLite: 5\n", &u, &err), -1);
}

IOV_SUITE(snmp, { "a guest receiver's UDP counters, delta and metrics", test_guest_receiver },
	  { "missing or malformed Udp lines refused", test_bad_input })
