// SPDX-License-Identifier: MIT
/* test_netdev.c - /proc/net/dev: header lines, counters glued to the colon, deltas. */
#include <stdlib.h>
#include <string.h>

#include "collect/netdev.h"
#include "tests/unit.h"

static int parse_file(const char *path, struct iov_netdev_table *t)
{
	struct iov_err err;
	char *text = iov_read_file(path, NULL, &err);
	int rc = text ? iov_netdev_parse(text, t, &err) : -1;

	free(text);
	return rc;
}

static void test_parse_delta(void)
{
	struct iov_netdev_table b, a, d;
	const struct iov_netdev_counters *c;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(parse_file("data/netdev-guest-before.txt", &b), 0);
	CU_ASSERT_EQUAL_FATAL(parse_file("data/netdev-guest-after.txt", &a), 0);
	CU_ASSERT_EQUAL(b.n, 2);
	c = iov_netdev_find(&a, "eth1");
	CU_ASSERT(c && c->rx_bytes == 9987654321ull && c->rx_packets == 4508000 && c->tx_packets == 96000);
	CU_ASSERT_EQUAL_FATAL(iov_netdev_delta(&b, &a, &d, &err), 0);
	c = iov_netdev_find(&d, "eth1");
	CU_ASSERT(c && c->rx_packets == 4500000 && c->tx_packets == 80000 && c->rx_drop == 3);
	CU_ASSERT_EQUAL(iov_netdev_find(&d, "lo")->tx_bytes, 560);
	iov_netdev_free(&d);
	CU_ASSERT_EQUAL(iov_netdev_delta(&a, &b, &d, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "lo: a counter went down"));
	iov_netdev_free(&a);
	iov_netdev_free(&b);
}

static void test_errors(void)
{
	struct iov_netdev_table t;
	struct iov_err err;

	CU_ASSERT_EQUAL(iov_netdev_parse("eth1: 1 2 3\n", &t, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "line 1: want NAME: and 16 counters"));
	CU_ASSERT_EQUAL(iov_netdev_parse("Inter-| x\n face |y\n", &t, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no interfaces"));
	CU_ASSERT_EQUAL(iov_netdev_parse("a: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
					 "a: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", &t, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "repeated interface 'a'"));
}

IOV_SUITE(netdev,
	  { "parse, glued counters, delta", test_parse_delta },
	  { "malformed lines", test_errors })
