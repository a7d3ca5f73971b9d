// SPDX-License-Identifier: MIT
/* Unit tests of the snapshot splitter on snapshots recorded in the lab. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/snapshot.h"
#include "tests/unit.h"

static char *load(const char *path)
{
	struct iov_err err;
	char *text = iov_read_file(path, NULL, &err);

	CU_ASSERT_PTR_NOT_NULL(text);
	return text;
}

/* In-tree igbvf reports no qstats: its sections are empty and must not swallow the next. */
static void test_empty_sections(void)
{
	char *text = load("data/snapshot-igbvf.txt"), *copy;
	struct snapshot s;
	struct iov_err err;

	if (!text)
		return;
	copy = strdup(text);
	CU_ASSERT_EQUAL_FATAL(snapshot_parse(text, &s, &err), 0);
	CU_ASSERT(s.uptime_s > 0);
	CU_ASSERT(s.irq.n > 10);
	CU_ASSERT_EQUAL(s.stat.ncpus, 2);
	CU_ASSERT_EQUAL(s.nnetdev, 3);
	CU_ASSERT_PTR_NOT_NULL(snapshot_netdev(&s, "g1"));
	CU_ASSERT_PTR_NOT_NULL(snapshot_netdev(&s, "-"));
	CU_ASSERT_PTR_NULL(snapshot_netdev(&s, "g9"));
	CU_ASSERT_EQUAL(s.ndrv, 0);
	CU_ASSERT_EQUAL(s.qstats.n, 0);
	CU_ASSERT_STRING_EQUAL(text, copy); /* restored after parsing */
	snapshot_free(&s);
	free(copy);
	free(text);
}

static void test_driver_stats_and_qstats(void)
{
	char *text = load("data/snapshot-iovvf.txt");
	struct snapshot s;
	struct iov_err err;

	if (!text)
		return;
	CU_ASSERT_EQUAL_FATAL(snapshot_parse(text, &s, &err), 0);
	CU_ASSERT_EQUAL(s.ndrv, 3);
	CU_ASSERT_STRING_EQUAL(s.drv[0].bdf, "0000:01:00.0");
	CU_ASSERT_STRING_EQUAL(s.drv[0].s.role, "pf");
	CU_ASSERT_STRING_EQUAL(s.drv[2].s.role, "vf");
	/* one rx and one tx queue on each of the PF and two VFs */
	CU_ASSERT_EQUAL(s.qstats.n, 6);
	CU_ASSERT_STRING_EQUAL(s.qstats.q[0].dev, "eth1");
	CU_ASSERT_TRUE(s.qstats.q[0].has_packets);
	snapshot_free(&s);
	free(text);
}

static void test_incomplete(void)
{
	char text[] = "=== uptime\n12.5 20.1\n";
	struct snapshot s;
	struct iov_err err;

	CU_ASSERT_EQUAL(snapshot_parse(text, &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "incomplete"));
}

/*
 * A section given twice is refused, whatever its kind (fuzzing found a leak on a repeated one);
 * the VM guest's own sections, once each, are accepted.
 */
static void test_repeated_section(void)
{
	static const char base[] = "=== uptime\n12.5 20.1\n=== interrupts\n           CPU0\n  1:   5   IO-APIC   1-edge   i8042\n"
				   "=== stat\ncpu  1 2 3 4 5 6 7 0 0 0\ncpu0 1 2 3 4 5 6 7 0 0 0\n"
				   "=== interrupts vm1\n           CPU0\n  1:   5   IO-APIC   1-edge   i8042\n=== kvm vm1\n";
	static const char *const again[] = { "=== interrupts\n           CPU0\n  1:   6   IO-APIC   1-edge   i8042\n",
					     "=== stat\ncpu  1 2 3 4 5 6 7 0 0 0\ncpu0 1 2 3 4 5 6 7 0 0 0\n",
					     "=== uptime\n13.5 20.1\n",
					     "=== interrupts vm1\n           CPU0\n  1:   5   IO-APIC   1-edge   i8042\n",
					     "=== kvm vm1\n",
					     "=== qstats g1 eth1\n=== qstats g1 eth1\n" };
	struct snapshot s;
	struct iov_err err;
	char text[4096];

	snprintf(text, sizeof(text), "%s", base);
	CU_ASSERT_EQUAL_FATAL(snapshot_parse(text, &s, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(snapshot_guest(&s, "vm1"));
	snapshot_free(&s);
	for (size_t i = 0; i < IOV_ARRAY_SIZE(again); i++) {
		snprintf(text, sizeof(text), "%s%s", base, again[i]);
		CU_ASSERT_EQUAL(snapshot_parse(text, &s, &err), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "twice"));
	}
}

IOV_SUITE(snapshot, { "empty sections (a driver without qstats)", test_empty_sections },
	  { "driver statistics and qstats sections", test_driver_stats_and_qstats },
	  { "a snapshot without interrupts or stat is refused", test_incomplete },
	  { "a repeated section is refused, without a leak", test_repeated_section })
