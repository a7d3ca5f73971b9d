// SPDX-License-Identifier: MIT
/* test_ethtool_stats.c - `ethtool -S`: virtio_net (real), igb-style per-queue counters, deltas. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collect/ethtool_stats.h"
#include "metrics_compute.h"
#include "tests/unit.h"

static int parse_file(const char *path, struct iov_ethtool_stats *s)
{
	struct iov_err err;
	char *text = iov_read_file(path, NULL, &err);
	int rc = text ? iov_ethtool_parse(text, s, &err) : -1;

	free(text);
	return rc;
}

static void test_virtio(void)
{
	struct iov_ethtool_stats s;
	uint64_t v, q[IOV_MAX_QUEUES];

	CU_ASSERT_EQUAL_FATAL(parse_file("data/ethtool-virtio-after.txt", &s), 0);
	CU_ASSERT_EQUAL(s.n, 20);
	CU_ASSERT(iov_ethtool_get(&s, "rx0_kicks", &v) == 0 && v == 1455);
	CU_ASSERT_EQUAL(iov_ethtool_get(&s, "nope", &v), -1);
	/* This virtio_net has no per-queue packet counters in ethtool (they are in netlink qstats). */
	CU_ASSERT_EQUAL(iov_ethtool_queue_packets(&s, 'r', q, IOV_MAX_QUEUES), 0);
	iov_ethtool_free(&s);
}

static void test_igb_queues(void)
{
	struct iov_ethtool_stats b, a, d;
	struct iov_metric_set set = { 0 };
	struct iov_err err;
	uint64_t q[IOV_MAX_QUEUES];

	CU_ASSERT_EQUAL_FATAL(parse_file("data/ethtool-igb-before.txt", &b), 0);
	CU_ASSERT_EQUAL_FATAL(parse_file("data/ethtool-igb-after.txt", &a), 0);
	CU_ASSERT_EQUAL_FATAL(iov_ethtool_delta(&b, &a, &d, &err), 0);
	CU_ASSERT_EQUAL(iov_ethtool_queue_packets(&d, 'r', q, IOV_MAX_QUEUES), 2);
	CU_ASSERT(q[0] == 12000 && q[1] == 8000);
	CU_ASSERT_EQUAL(iov_ethtool_queue_packets(&d, 't', q, IOV_MAX_QUEUES), 2);
	CU_ASSERT(q[0] == 0 && q[1] == 2000);
	CU_ASSERT_EQUAL_FATAL(iov_metrics_ethtool_queues(&set, &d, "eth0", 2.0, &err), 0);
	CU_ASSERT(fabs(iov_metric_set_get(&set, "queue_rx_pps", "eth0/rxq1")->value - 4000) < 1e-9);
	CU_ASSERT(fabs(iov_metric_set_get(&set, "queue_tx_pps", "eth0/txq1")->value - 1000) < 1e-9);
	iov_metric_set_free(&set);
	iov_ethtool_free(&d);
	CU_ASSERT_EQUAL(iov_ethtool_delta(&a, &b, &d, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "went down"));
	iov_ethtool_free(&a);
	iov_ethtool_free(&b);
}

static void test_errors(void)
{
	struct iov_ethtool_stats s;
	struct iov_err err;

	CU_ASSERT_EQUAL(iov_ethtool_parse("no stats available\n", &s, &err), -1);
	CU_ASSERT_EQUAL(iov_ethtool_parse("NIC statistics:\n", &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no counters"));
	CU_ASSERT_EQUAL(iov_ethtool_parse("NIC statistics:\n  a: 1\n  b: x\n", &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "line 3"));
	CU_ASSERT_EQUAL(iov_ethtool_parse("NIC statistics:\n  a: 1\n  a: 2\n", &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "a listed twice"));
}

IOV_SUITE(ethtool_stats,
	  { "virtio_net (6.18): counters, no per-queue packets", test_virtio },
	  { "igb-style per-queue packets and rates", test_igb_queues },
	  { "errors", test_errors })
