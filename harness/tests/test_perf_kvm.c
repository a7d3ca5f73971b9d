// SPDX-License-Identifier: MIT
/*
 * test_perf_kvm.c - the perf_kvm collector: iovperf --vm readings of two VM guests, their
 * per-packet figures, and the cross-check against the hist triggers' counts handed on by kvm.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collect/collector.h"
#include "tests/unit.h"

/* iovperf read with --vm vm1=.. --vm vm2=.. before and after a repetition, as the lab prints */
static const char before_text[] = "# iovperf 1 cpus=2\n"
				  "kvm:kvm_exit/vm1 1000\n"
				  "kvm:kvm_inj_virq/vm1 300\n"
				  "kvm:kvm_userspace_exit/vm1 40\n"
				  "kvm:kvm_exit/vm2 2000\n"
				  "kvm:kvm_inj_virq/vm2 500\n"
				  "kvm:kvm_userspace_exit/vm2 60\n";
static const char after_text[] = "# iovperf 1 cpus=2\n"
				 "kvm:kvm_exit/vm1 31000\n"
				 "kvm:kvm_inj_virq/vm1 10300\n"
				 "kvm:kvm_userspace_exit/vm1 140\n"
				 "kvm:kvm_exit/vm2 22000\n"
				 "kvm:kvm_inj_virq/vm2 8500\n"
				 "kvm:kvm_userspace_exit/vm2 160\n";

struct states {
	void *before, *after;
	const struct iov_collector_ops *ops;
};

static int load(struct states *s, const char *b, const char *a)
{
	struct iov_err err;

	s->ops = iov_collector_of_section("perf_kvm", NULL);
	if (!s->ops)
		return -1;
	s->before = calloc(1, s->ops->state_size);
	s->after = calloc(1, s->ops->state_size);
	return s->ops->parse(s->before, "", "", b, &err) || s->ops->parse(s->after, "", "", a, &err) ? -1 : 0;
}

static void unload(struct states *s)
{
	s->ops->free(s->before);
	s->ops->free(s->after);
	free(s->before);
	free(s->after);
}

static double get(const struct iov_metric_set *set, const char *m, const char *inst)
{
	const struct iov_metric_value *v = iov_metric_set_get(set, m, inst);

	return v ? v->value : NAN;
}

static void test_per_packet_and_cross_check(void)
{
	struct iov_collect_rep rep = { .seconds = 2.0, .packets = 10000 };
	struct iov_metric_set set = { 0 };
	struct iov_err err;
	struct states s;
	size_t kvm, perf_kvm;

	/* kvm runs first and hands its counts on */
	CU_ASSERT_PTR_NOT_NULL_FATAL(iov_collector_lookup("kvm", &kvm));
	CU_ASSERT_PTR_NOT_NULL_FATAL(iov_collector_lookup("perf_kvm", &perf_kvm));
	CU_ASSERT(kvm < perf_kvm);
	CU_ASSERT_EQUAL_FATAL(load(&s, before_text, after_text), 0);
	rep.kvm_exits = 50500; /* perf's 50000 is 0.99 % under it */
	rep.kvm_injections = 18000;
	CU_ASSERT_EQUAL_FATAL(s.ops->metrics(s.before, s.after, &rep, &set, &err), 0);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_exits_per_s", "vm1"), 15000, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_exits_per_s", "vm2"), 10000, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_exits_per_s", NULL), 25000, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_exits_per_pkt", NULL), 5.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_injections_per_pkt", NULL), 1.8, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_userspace_exits_per_pkt", NULL), 0.02, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_exits_mismatch_pct", NULL), 100.0 * 500 / 50500, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_injections_mismatch_pct", NULL), 0.0, 1e-12);
	iov_metric_set_free(&set);

	/* no hist trigger counts (kvm had no guests): no cross-check, the counts still */
	memset(&set, 0, sizeof(set));
	rep.kvm_exits = rep.kvm_injections = 0;
	rep.packets = 0;
	CU_ASSERT_EQUAL(s.ops->metrics(s.before, s.after, &rep, &set, &err), 0);
	CU_ASSERT(isnan(get(&set, "perf_kvm_exits_mismatch_pct", NULL)));
	CU_ASSERT(isnan(get(&set, "perf_kvm_exits_per_pkt", NULL))); /* no packets: no per-packet figure */
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_exits_per_s", NULL), 25000, 1e-9);
	iov_metric_set_free(&set);
	unload(&s);
}

/* An event one guest's kernel lacks has no value, and the total leaves no guest out. */
static void test_not_supported(void)
{
	static const char b[] = "# iovperf 1 cpus=2\nkvm:kvm_exit/vm1 10\nkvm:kvm_inj_virq/vm1 not-supported "
				"no-such-event\nkvm:kvm_exit/vm2 10\nkvm:kvm_inj_virq/vm2 5\n";
	static const char a[] = "# iovperf 1 cpus=2\nkvm:kvm_exit/vm1 110\nkvm:kvm_inj_virq/vm1 not-supported "
				"no-such-event\nkvm:kvm_exit/vm2 60\nkvm:kvm_inj_virq/vm2 45\n";
	struct iov_collect_rep rep = { .seconds = 1.0, .packets = 100, .kvm_exits = 150, .kvm_injections = 40 };
	struct iov_metric_set set = { 0 };
	struct iov_err err;
	struct states s;

	CU_ASSERT_EQUAL_FATAL(load(&s, b, a), 0);
	CU_ASSERT_EQUAL_FATAL(s.ops->metrics(s.before, s.after, &rep, &set, &err), 0);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_exits_per_pkt", NULL), 1.5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_exits_mismatch_pct", NULL), 0.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_injections_per_s", "vm2"), 40, 1e-12);
	CU_ASSERT(isnan(get(&set, "perf_kvm_injections_per_s", "vm1")));
	CU_ASSERT(isnan(get(&set, "perf_kvm_injections_per_s", NULL)));
	CU_ASSERT(isnan(get(&set, "perf_kvm_injections_per_pkt", NULL)));
	CU_ASSERT(isnan(get(&set, "perf_kvm_injections_mismatch_pct", NULL)));
	iov_metric_set_free(&set);
	unload(&s);
}

/* A count going down (QEMU restarted, iovperf restarted) is refused, not a negative figure. */
static void test_went_down(void)
{
	struct iov_collect_rep rep = { .seconds = 2.0, .packets = 10000 };
	struct iov_metric_set set = { 0 };
	struct iov_err err;
	struct states s;

	CU_ASSERT_EQUAL_FATAL(load(&s, after_text, before_text), 0);
	CU_ASSERT_EQUAL(s.ops->metrics(s.before, s.after, &rep, &set, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "went down"));
	iov_metric_set_free(&set);
	unload(&s);
}

IOV_SUITE(perf_kvm, { "per guest, per packet, and against the hist triggers", test_per_packet_and_cross_check },
	  { "an event a guest lacks: no value, no partial total", test_not_supported },
	  { "a count going down is refused", test_went_down })
