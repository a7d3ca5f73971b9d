// SPDX-License-Identifier: MIT
/* test_perf_counts.c - iovperf readings: counts, deltas, "not supported" never read as 0. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collect/perf_counts.h"
#include "metrics_compute.h"
#include "tests/unit.h"

static int parse_file(const char *path, struct iov_perf_counts *c)
{
	struct iov_err err;
	char *text = iov_read_file(path, NULL, &err);
	int rc = text ? iov_perf_parse(text, c, &err) : -1;

	free(text);
	return rc;
}

/* Two readings of the TCG lab, 1 s apart, our pair up with two VFs. */
static void test_lab_window(void)
{
	static struct iov_perf_counts b, a, d;
	const struct iov_perf_count *e;
	struct iov_err err;
	uint64_t v = 12345;

	CU_ASSERT_EQUAL_FATAL(parse_file("data/perf-lab-before.txt", &b), 0);
	CU_ASSERT_EQUAL_FATAL(parse_file("data/perf-lab-after.txt", &a), 0);
	CU_ASSERT_EQUAL(a.ncpus, 2);
	CU_ASSERT_EQUAL(a.n, 15);
	e = iov_perf_find(&a, "napi:napi_poll");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT(e->supported && e->total == 16 && e->ncpu == 2 && e->cpu_id[1] == 1 && e->cpu[1] == 10);
	CU_ASSERT_EQUAL_FATAL(iov_perf_delta(&b, &a, &d, &err), 0);
	CU_ASSERT_EQUAL(iov_perf_value(&d, "napi:napi_poll", &v), 0);
	CU_ASSERT_EQUAL(v, 5);
	CU_ASSERT_EQUAL(iov_perf_value(&d, "iovbench:iov_napi_poll", &v), 0);
	CU_ASSERT_EQUAL(v, 5);
	CU_ASSERT_EQUAL(iov_perf_value(&d, "irq:softirq_entry/NET_RX", &v), 0);
	CU_ASSERT_EQUAL(v, 5);
	/* a counted zero is a value */
	CU_ASSERT_EQUAL(iov_perf_value(&d, "irq:softirq_entry/NET_TX", &v), 0);
	CU_ASSERT_EQUAL(v, 0);
	e = iov_perf_find(&d, "context-switches");
	CU_ASSERT(e && e->supported && e->total == 75 && e->ncpu == 2 && e->cpu[0] == 23 && e->cpu[1] == 52);
	/* TCG has no PMU: the hardware events have no value, in a reading and in the delta */
	v = 12345;
	CU_ASSERT_EQUAL(iov_perf_value(&a, "cycles", &v), -1);
	CU_ASSERT_EQUAL(iov_perf_value(&d, "instructions", &v), -1);
	CU_ASSERT_EQUAL(v, 12345);
	e = iov_perf_find(&d, "cycles");
	CU_ASSERT(e && !e->supported && !strcmp(e->why, "no-pmu") && e->total == 0 && e->ncpu == 0);
	/* an event no reading lists has no value either */
	CU_ASSERT_PTR_NULL(iov_perf_find(&d, "kvm:kvm_exit"));
	CU_ASSERT_EQUAL(iov_perf_value(&d, "kvm:kvm_exit", &v), -1);
	/* backwards: the counters were restarted between the readings */
	iov_perf_counts_free(&d);
	CU_ASSERT_EQUAL(iov_perf_delta(&a, &b, &d, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "went down"));
	iov_perf_counts_free(&a);
	iov_perf_counts_free(&b);
}

/* Our drivers loaded after the first reading: their events count only from the second on. */
static void test_support_changes(void)
{
	static struct iov_perf_counts b, a, d;
	struct iov_err err;
	uint64_t v;

	CU_ASSERT_EQUAL_FATAL(iov_perf_parse("# iovperf 1 cpus=1\n"
					     "iovbench:iov_napi_poll not-supported no-such-event\n"
					     "cycles 100 cpu0=100 scaled=50/100\n",
					     &b, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_perf_parse("# iovperf 1 cpus=1\n"
					     "iovbench:iov_napi_poll 7 cpu0=7\n"
					     "cycles 90 cpu0=90 scaled=60/200\n"
					     "napi:napi_poll 3 cpu0=3\n",
					     &a, &err), 0);
	CU_ASSERT(iov_perf_find(&b, "cycles")->scaled);
	CU_ASSERT_EQUAL_FATAL(iov_perf_delta(&b, &a, &d, &err), -1); /* a total went down */
	iov_perf_counts_free(&a);
	CU_ASSERT_EQUAL_FATAL(iov_perf_parse("# iovperf 1 cpus=1\n"
					     "iovbench:iov_napi_poll 7 cpu0=7\n"
					     "cycles 300 cpu0=300 scaled=60/200\n"
					     "napi:napi_poll 3 cpu0=3\n",
					     &a, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_perf_delta(&b, &a, &d, &err), 0);
	CU_ASSERT_EQUAL(iov_perf_value(&d, "iovbench:iov_napi_poll", &v), -1);
	CU_ASSERT_STRING_EQUAL(iov_perf_find(&d, "iovbench:iov_napi_poll")->why, "no-such-event");
	CU_ASSERT_EQUAL(iov_perf_value(&d, "napi:napi_poll", &v), -1);
	CU_ASSERT_STRING_EQUAL(iov_perf_find(&d, "napi:napi_poll")->why, "absent before");
	CU_ASSERT_EQUAL(iov_perf_value(&d, "cycles", &v), 0);
	CU_ASSERT_EQUAL(v, 200);
	CU_ASSERT(iov_perf_find(&d, "cycles")->scaled);
	iov_perf_counts_free(&d);
	iov_perf_counts_free(&a);
	iov_perf_counts_free(&b);
}

static void test_bad_input(void)
{
	static struct iov_perf_counts c;
	struct iov_err err;

	CU_ASSERT_EQUAL(iov_perf_parse("", &c, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no '# iovperf 1' header"));
	CU_ASSERT_EQUAL(iov_perf_parse("napi:napi_poll 1\n", &c, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cpus=N"));
	CU_ASSERT_EQUAL(iov_perf_parse("# iovperf 1 cpus=2\nnapi:napi_poll\n", &c, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no count"));
	CU_ASSERT_EQUAL(iov_perf_parse("# iovperf 1 cpus=2\nnapi:napi_poll -1\n", &c, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "bad count"));
	CU_ASSERT_EQUAL(iov_perf_parse("# iovperf 1 cpus=2\nnapi:napi_poll 0 zero\n", &c, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "bad field"));
	CU_ASSERT_EQUAL(iov_perf_parse("# iovperf 1 cpus=2\nnapi:napi_poll 5 cpu0=1 cpu1=1\n", &c, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not the sum"));
	CU_ASSERT_EQUAL(iov_perf_parse("# iovperf 1 cpus=1\ncycles 1 cpu0=1\ncycles 2 cpu0=2\n", &c, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "listed twice"));
	/* a bare "not-supported" keeps a reason */
	CU_ASSERT_EQUAL_FATAL(iov_perf_parse("# iovperf 1 cpus=1\ncycles not-supported\n", &c, &err), 0);
	CU_ASSERT(!c.ev[0].supported && c.ev[0].why[0]);
	iov_perf_counts_free(&c);
}

/* The sample ring's line: a histogram whose budget key appears with the first full poll. */
static void test_ring_line(void)
{
	static struct iov_perf_counts b, a, d;
	const struct iov_perf_count *e;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(iov_perf_parse("# iovperf 1 cpus=2\n"
					     "napi:napi_poll/work 3 lost=0 hist=0:3,1:0,2:0,4:0,8:0,16:0,32:0,0:0\n",
					     &b, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_perf_parse("# iovperf 1 cpus=2\n"
					     "napi:napi_poll/work 2193 lost=5 "
					     "hist=0:921,1:449,2:12,4:15,8:30,16:50,32:284,64:432\n",
					     &a, &err), 0);
	e = iov_perf_find(&a, "napi:napi_poll/work");
	CU_ASSERT(e && e->has_hist && e->lost == 5 && e->hist_key[7] == 64 && e->hist[7] == 432);
	CU_ASSERT_EQUAL_FATAL(iov_perf_delta(&b, &a, &d, &err), 0);
	e = iov_perf_find(&d, "napi:napi_poll/work");
	CU_ASSERT(e && e->total == 2190 && e->lost == 5 && e->hist[0] == 918 && e->hist[7] == 432);
	iov_perf_counts_free(&d);
	iov_perf_counts_free(&a);
	iov_perf_counts_free(&b);
	/* buckets must add up to the samples */
	CU_ASSERT_EQUAL(iov_perf_parse("# iovperf 1 cpus=2\nnapi:napi_poll/work 4 lost=0 hist=0:3\n", &a, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "bad histogram"));
}

/* Metrics from a delta: per second and per packet, the trace cross-check, no hardware figure without a PMU. */
static void test_metrics(void)
{
	const char *b = "# iovperf 1 cpus=2\nnapi:napi_poll 100 cpu0=50 cpu1=50\ncontext-switches 10 cpu0=5 cpu1=5\n"
			"cycles not-supported no-pmu\ninstructions 1000 cpu0=500 cpu1=500\n";
	const char *a = "# iovperf 1 cpus=2\nnapi:napi_poll 1100 cpu0=550 cpu1=550\ncontext-switches 30 cpu0=15 cpu1=15\n"
			"cycles not-supported no-pmu\ninstructions 5000 cpu0=2500 cpu1=2500\n";
	struct iov_perf_counts pb, pa, d;
	struct iov_metric_set set = { 0 };
	const struct iov_metric_value *v;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(iov_perf_parse(b, &pb, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_perf_parse(a, &pa, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_perf_delta(&pb, &pa, &d, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_metrics_perf(&set, &d, 2.0, 400, 980, &err), 0);
	v = iov_metric_set_get(&set, "perf_napi_polls_per_s", NULL);
	CU_ASSERT(v && v->value == 500);
	v = iov_metric_set_get(&set, "perf_context_switches_per_pkt", NULL);
	CU_ASSERT(v && v->value == 0.05);
	v = iov_metric_set_get(&set, "perf_instructions_per_pkt", NULL);
	CU_ASSERT(v && v->value == 10);
	CU_ASSERT_PTR_NULL(iov_metric_set_get(&set, "perf_cycles_per_pkt", NULL)); /* no PMU: absent */
	CU_ASSERT_PTR_NULL(iov_metric_set_get(&set, "perf_irqs_per_s", NULL));	    /* not in the reading */
	v = iov_metric_set_get(&set, "perf_napi_polls_mismatch_pct", NULL);
	CU_ASSERT(v && fabs(v->value - 2.0408163265) < 1e-6); /* |1000 - 980| / 980 */
	iov_metric_set_free(&set);
	iov_perf_counts_free(&d);
	iov_perf_counts_free(&pa);
	iov_perf_counts_free(&pb);
}

IOV_SUITE(perf_counts, { "sample ring line: lost and the work histogram", test_ring_line },
	  { "counts and deltas of a lab window, hardware not supported", test_lab_window },
	  { "events appearing, absent or scaled between readings", test_support_changes },
	  { "bad readings", test_bad_input }, { "metrics from a window", test_metrics })
