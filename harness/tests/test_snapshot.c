// SPDX-License-Identifier: MIT
/* Unit tests of the snapshot splitter on snapshots recorded in the lab. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/collector.h"
#include "collect/driver_stats.h"
#include "collect/netdev.h"
#include "collect/procstat.h"
#include "collect/qstats.h"
#include "collect/snapshot.h"
#include "metrics.h"
#include "tests/unit.h"
#include "toggles/toggles.h"
#include "tools/tools.h"

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
	CU_ASSERT(snapshot_uptime(&s) > 0);
	CU_ASSERT(((const struct iov_irq_table *)snapshot_state(&s, "interrupts"))->n > 10);
	CU_ASSERT_EQUAL(((const struct iov_procstat *)snapshot_state(&s, "procstat"))->ncpus, 2);
	CU_ASSERT_PTR_NOT_NULL(iov_netdev_snapshot_ns(snapshot_state(&s, "netdev"), "g1"));
	CU_ASSERT_PTR_NOT_NULL(iov_netdev_snapshot_ns(snapshot_state(&s, "netdev"), "g2"));
	CU_ASSERT_PTR_NOT_NULL(iov_netdev_snapshot_ns(snapshot_state(&s, "netdev"), "-"));
	CU_ASSERT_PTR_NULL(iov_netdev_snapshot_ns(snapshot_state(&s, "netdev"), "g9"));
	CU_ASSERT_EQUAL(iov_drv_snapshot_count(snapshot_state(&s, "driver_stats")), 0);
	CU_ASSERT_EQUAL(((const struct iov_qstats *)snapshot_state(&s, "qstats"))->n, 0);
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
	const void *drv = snapshot_state(&s, "driver_stats");
	const struct iov_qstats *q = snapshot_state(&s, "qstats");
	const char *bdf = NULL;

	CU_ASSERT_EQUAL(iov_drv_snapshot_count(drv), 3);
	CU_ASSERT_STRING_EQUAL(iov_drv_snapshot_at(drv, 0, &bdf)->role, "pf");
	CU_ASSERT_STRING_EQUAL(bdf, "0000:01:00.0");
	CU_ASSERT_STRING_EQUAL(iov_drv_snapshot_at(drv, 2, NULL)->role, "vf");
	CU_ASSERT_PTR_NULL(iov_drv_snapshot_at(drv, 3, NULL));
	/* one rx and one tx queue on each of the PF and two VFs */
	CU_ASSERT_EQUAL(q->n, 6);
	CU_ASSERT_STRING_EQUAL(q->q[0].dev, "eth1");
	CU_ASSERT_TRUE(q->q[0].has_packets);
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
	CU_ASSERT_PTR_NOT_NULL(iov_irq_snapshot_guest(snapshot_state(&s, "interrupts"), "vm1"));
	CU_ASSERT_PTR_NULL(iov_irq_snapshot_guest(snapshot_state(&s, "interrupts"), "vm2"));
	snapshot_free(&s);
	for (size_t i = 0; i < IOV_ARRAY_SIZE(again); i++) {
		snprintf(text, sizeof(text), "%s%s", base, again[i]);
		CU_ASSERT_EQUAL(snapshot_parse(text, &s, &err), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "twice"));
	}
}

/* More namespaces than a topology has (7 guests, 7 peers, the root) are kept, none dropped. */
static void test_many_namespaces(void)
{
	static const char base[] = "=== uptime\n12.5 20.1\n=== interrupts\n           CPU0\n  1:   5   IO-APIC   1-edge   i8042\n"
				   "=== stat\ncpu  1 2 3 4 5 6 7 0 0 0\ncpu0 1 2 3 4 5 6 7 0 0 0\n";
	static const char dev[] = "Inter-|   Receive                            |  Transmit\n"
				  " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
				  "  eth1: 100 2 0 0 0 0 0 0 200 3 0 0 0 0 0 0\n";
	struct iov_buf text = { 0 };
	struct snapshot s;
	struct iov_err err;
	char ns[16];

	iov_buf_printf(&text, "%s", base);
	for (int i = 0; i < 40; i++)
		iov_buf_printf(&text, "=== netdev g%d\n%s", i, dev);
	CU_ASSERT_EQUAL_FATAL(iov_buf_ok(&text, &err), 0);
	CU_ASSERT_EQUAL_FATAL(snapshot_parse(text.data, &s, &err), 0);
	for (int i = 0; i < 40; i++) {
		snprintf(ns, sizeof(ns), "g%d", i);
		CU_ASSERT_PTR_NOT_NULL(iov_netdev_snapshot_ns(snapshot_state(&s, "netdev"), ns));
	}
	snapshot_free(&s);
	/* a name longer than the collector keeps is refused, not cut short */
	iov_buf_printf(&text, "=== netdev a-namespace-name-too-long\n%s", dev);
	CU_ASSERT_EQUAL(snapshot_parse(text.data, &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "longer than"));
	iov_buf_free(&text);
}

/* The table: one collector per section, and every catalogued metric comes from a collector or a tool. */
static void test_collector_table(void)
{
	size_t ncat, idx;
	const struct iov_metric_def *cat = iov_metric_catalogue(&ncat);

	for (size_t i = 0; i < iov_collector_count(); i++) {
		const struct iov_collector_ops *c = iov_collector_at(i);

		CU_ASSERT_PTR_NOT_NULL(c->name);
		CU_ASSERT(iov_collector_lookup(c->name, &idx) == c && idx == i);
		if (c->section) {
			CU_ASSERT_PTR_NOT_NULL(c->parse);
			CU_ASSERT(iov_collector_of_section(c->section, NULL) == c);
		}
		CU_ASSERT(c->section || c->metrics);
	}
	for (size_t m = 0; m < ncat; m++) {
		char sources[128], *save = NULL;

		/* a metric some tools share names them all: "iperf3, fio" */
		snprintf(sources, sizeof(sources), "%s", cat[m].source);
		for (char *src = strtok_r(sources, ", ", &save); src; src = strtok_r(NULL, ", ", &save)) {
			/* fgraph: the mailbox tool's function_graph trace, extracted with its clients' output */
			bool known = iov_collector_lookup(src, NULL) || iov_tool_lookup(src) || !strcmp(src, "fgraph");

			/* a toggle's own file (toggles/toggles.h) */
			for (size_t t = 0; t < iov_toggle_count(); t++)
				known = known || (iov_toggle_at(t)->metrics_source &&
						  !strcmp(src, iov_toggle_at(t)->metrics_source));

			if (!known)
				fprintf(stderr, "metric %s: source %s is neither a collector, a tool nor a toggle\n",
					cat[m].name, src);
			CU_ASSERT(known);
		}
	}
}

/* The kernel log's section: the count of the window after the repetition, its lines kept. */
static void test_kernel_log(void)
{
	const struct iov_collector_ops *c = iov_collector_lookup("kernel_log", NULL);
	char before[64] = { 0 }, after[64] = { 0 };
	struct iov_collect_rep rep = { .seconds = 1 };
	struct iov_metric_set set = { 0 };
	struct iov_err err = { "" };

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_FATAL(c->state_size <= sizeof(before));
	CU_ASSERT_EQUAL_FATAL(c->parse(before, "", "", "warnings 0\n", &err), 0);
	CU_ASSERT_EQUAL_FATAL(c->parse(after, "", "", "line 12.5 WARNING: CPU: 1 PID: 7 at x.c:3 f+0x1\n"
						     "log 12.4 iovpf 0000:01:00.0: VF 2 reset\n"
						     "log 12.5 WARNING: CPU: 1 PID: 7 at x.c:3 f+0x1\nwarnings 1\n", &err), 0);
	CU_ASSERT_EQUAL_FATAL(c->metrics(before, after, &rep, &set, &err), 0);
	CU_ASSERT_DOUBLE_EQUAL(iov_metric_set_get(&set, "kernel_warnings_count", "")->value, 1, 0);
	iov_metric_set_free(&set);
	/* a section without its count, or with noise, is refused; none at all is no figure */
	CU_ASSERT_EQUAL(c->parse(after, "", "", "line 1 BUG: x\n", &err), -1);
	CU_ASSERT_EQUAL(c->parse(after, "", "", "warnings 1\nwarnings 2\n", &err), -1);
	CU_ASSERT_EQUAL(c->parse(after, "", "", "dmesg: not found\nwarnings 0\n", &err), -1);
	CU_ASSERT_EQUAL_FATAL(c->metrics(NULL, NULL, &rep, &set, &err), 0);
	CU_ASSERT_EQUAL(set.n, 0);
}

/* VM guests' boots: in the snapshot that reported them only, each guest and their mean. */
static void test_vm_boot(void)
{
	const struct iov_collector_ops *c = iov_collector_lookup("vm_boot", NULL);
	struct iov_collect_rep rep = { .seconds = 1 };
	struct iov_metric_set set = { 0 };
	struct iov_err err = { "" };
	char *before, *after;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	before = calloc(1, c->state_size);
	after = calloc(1, c->state_size);
	CU_ASSERT_FATAL(before && after);
	CU_ASSERT_EQUAL_FATAL(c->parse(before, "vm1", "", "boot_s 21.5\nkernel_s 12.5\n", &err), 0);
	CU_ASSERT_EQUAL_FATAL(c->parse(before, "vm2", "", "boot_s 30.5\nkernel_s 14.5\n", &err), 0);
	CU_ASSERT_EQUAL_FATAL(c->metrics(before, after, &rep, &set, &err), 0);
	CU_ASSERT_DOUBLE_EQUAL(iov_metric_set_get(&set, "vm_boot_s", "vm2")->value, 30.5, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(iov_metric_set_get(&set, "vm_boot_s", "")->value, 26, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(iov_metric_set_get(&set, "vm_boot_kernel_s", "")->value, 13.5, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(iov_metric_set_get(&set, "vm_boot_before_kernel_s", "vm1")->value, 9, 1e-9);
	iov_metric_set_free(&set);
	/* a kernel older than its VM, a missing clock, noise or a name too long are refused */
	CU_ASSERT_EQUAL(c->parse(after, "vm3", "", "boot_s 10\nkernel_s 11\n", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "longer than its VM"));
	CU_ASSERT_EQUAL(c->parse(after, "vm3", "", "boot_s 10\n", &err), -1);
	CU_ASSERT_EQUAL(c->parse(after, "vm3", "", "boot_s 10\nkernel_s 5\ncat: x: No such file\n", &err), -1);
	CU_ASSERT_EQUAL(c->parse(after, "a-guest-name-too-long", "", "boot_s 10\nkernel_s 5\n", &err), -1);
	/* repetitions on a standing topology report no boot: no figure, not zero */
	CU_ASSERT_EQUAL_FATAL(c->metrics(after, NULL, &rep, &set, &err), 0);
	CU_ASSERT_EQUAL(set.n, 0);
	c->free(before);
	c->free(after);
	free(before);
	free(after);
}

IOV_SUITE(snapshot, { "empty sections (a driver without qstats)", test_empty_sections },
	  { "driver statistics and qstats sections", test_driver_stats_and_qstats },
	  { "a snapshot without interrupts or stat is refused", test_incomplete },
	  { "a repeated section is refused, without a leak", test_repeated_section },
	  { "every namespace is kept; a name too long is refused", test_many_namespaces },
	  { "the collector table and the catalogue's sources agree", test_collector_table },
	  { "the kernel log's warnings of the repetition", test_kernel_log },
	  { "VM guests' boot times, in the repetition that booted them", test_vm_boot })
