// SPDX-License-Identifier: MIT
/* test_driver_stats.c - debugfs stats format v1 of iovpf/iovvf: parse, delta, invariants. */
#include <stdlib.h>
#include <string.h>

#include "collect/driver_stats.h"
#include "tests/unit.h"

static int parse_file(const char *path, struct iov_drv_stats *s, struct iov_err *err)
{
	char *text = iov_read_file(path, NULL, err);
	int rc;

	if (!text)
		return -2;
	rc = iov_drv_stats_parse(text, s, err);
	free(text);
	return rc;
}

static void test_vf(void)
{
	struct iov_drv_stats s;
	const struct iov_drv_mbx *m;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(parse_file("data/drvstats-vf.txt", &s, &err), 0);
	CU_ASSERT_STRING_EQUAL(s.driver, "iovvf");
	CU_ASSERT_STRING_EQUAL(s.bdf, "0000:01:10.0");
	CU_ASSERT_STRING_EQUAL(s.netdev, "eth1");
	CU_ASSERT_STRING_EQUAL(s.role, "vf");
	CU_ASSERT(s.num_vfs == -1 && s.enabled == 1);
	CU_ASSERT(s.nirq == 2 && s.irq[1].count == 6);
	CU_ASSERT_STRING_EQUAL(s.irq[1].name, "eth1-mbx");
	CU_ASSERT(s.nnapi == 2 && s.napi[0].polls == 5000 && s.napi[0].budget == 64);
	CU_ASSERT(iov_hist_count(&s.napi[0].work, 64) == 8 && iov_hist_count(&s.napi[0].work, 0) == 12);
	CU_ASSERT(s.napi[1].polls == 0 && s.napi[1].work.n == 0); /* "work=" with nothing after */
	m = iov_drv_stats_find_mbx(&s, -1, "rtt", "SET_MULTICAST");
	CU_ASSERT(m && m->count == 4 && iov_hist_total(&m->lat_ns) == 4);
	m = iov_drv_stats_find_mbx(&s, -1, "rtt", "SET_MAC");
	CU_ASSERT(m && m->timeout == 1 && m->lat_ns.n == 0);
	CU_ASSERT_EQUAL(iov_drv_stats_check(&s, &err), 0);
	iov_drv_stats_free(&s);
}

static void test_pf_delta(void)
{
	struct iov_drv_stats b, a, d;
	const struct iov_drv_mbx *m;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(parse_file("data/drvstats-pf-before.txt", &b, &err), 0);
	CU_ASSERT_EQUAL_FATAL(parse_file("data/drvstats-pf-after.txt", &a, &err), 0); /* has an unknown qstat kind */
	CU_ASSERT(a.num_vfs == 2 && a.nmbx == 5);
	CU_ASSERT_EQUAL_FATAL(iov_drv_stats_delta(&b, &a, &d, &err), 0);
	CU_ASSERT(d.irq[0].count == 1000 && d.irq[1].count == 4);
	CU_ASSERT(d.napi[0].polls == 1200 && d.napi[0].irqs == 1000 && d.napi[0].rearms == 970);
	CU_ASSERT(iov_hist_count(&d.napi[0].work, 1) == 600 && iov_hist_count(&d.napi[0].work, 64) == 65 &&
		  iov_hist_count(&d.napi[0].work, 0) == 100);
	CU_ASSERT_EQUAL(iov_drv_stats_check(&d, &err), 0);
	m = iov_drv_stats_find_mbx(&d, 0, "service", "SET_MAC");
	CU_ASSERT(m && m->count == 0 && iov_hist_total(&m->lat_ns) == 0);
	m = iov_drv_stats_find_mbx(&d, 1, "service", "SET_MULTICAST"); /* new VF: counts from zero */
	CU_ASSERT(m && m->count == 4 && iov_hist_count(&m->lat_ns, 8192) == 2);
	m = iov_drv_stats_find_mbx(&d, 0, "rejected", "INVALID");
	CU_ASSERT(m && m->count == 2);
	iov_drv_stats_free(&d);
	CU_ASSERT_EQUAL(iov_drv_stats_delta(&a, &b, &d, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "went down"));
	CU_ASSERT_PTR_NULL(d.irq);
	iov_drv_stats_free(&a);
	iov_drv_stats_free(&b);
}

static void test_errors(void)
{
	struct iov_drv_stats s;
	struct iov_err err;

	CU_ASSERT_EQUAL(parse_file("data/drvstats-v2.txt", &s, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "driver stats: line 1: format version 2, this harness reads version 1");
	CU_ASSERT_EQUAL(iov_drv_stats_parse("dev driver=iovpf\n", &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not an iovbench stats file"));
	CU_ASSERT_EQUAL(iov_drv_stats_parse("# iovbench-stats 1\n", &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no dev record"));
	CU_ASSERT_EQUAL(iov_drv_stats_parse("", &s, &err), -1);
	CU_ASSERT_EQUAL(iov_drv_stats_parse("# iovbench-stats 1\ndev driver=iovvf bdf=x role=vf\nirq vec=0 count=-3\n",
					    &s, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "driver stats: line 3: irq: count='-3' is not a counter");
	CU_ASSERT_EQUAL(iov_drv_stats_parse("# iovbench-stats 1\ndev driver=iovvf bdf=x role=vf\nnapi id=0 polls=3 "
					    "work=1:2,1:1\n", &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "line 3: napi: work: duplicate"));
	CU_ASSERT_EQUAL(iov_drv_stats_parse("# iovbench-stats 1\ndev driver=iovvf bdf=x role=vf\nnapi id=0 polls=3 "
					    "work=1:2\n", &s, &err), 0);
	CU_ASSERT_EQUAL(iov_drv_stats_check(&s, &err), -1); /* 2 in the histogram, 3 polls */
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "work histogram sums to 2, polls=3"));
	iov_drv_stats_free(&s);
	CU_ASSERT_EQUAL(iov_drv_stats_parse("# iovbench-stats 1\ndev driver=iovvf role=vf\n", &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "dev record without bdf="));
}

IOV_SUITE(driver_stats,
	  { "VF file: records, empty histograms, mailbox", test_vf },
	  { "PF delta: new VF, rejected, unknown kind", test_pf_delta },
	  { "version mismatch, malformed records, invariants", test_errors })
