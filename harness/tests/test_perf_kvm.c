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

/*
 * The events beside the hist triggers' (entries, MMIO, halt polling, every guest's MSIs) and the
 * QEMU threads by class: per guest, a class a guest has no thread of counting nothing in the
 * sum, and perf's task clock against the scheduler's run time.
 */
static void test_more_events_and_threads(void)
{
	static const char b[] = "# iovperf 1 cpus=2\n"
				"kvm:kvm_exit/vm1 100\nkvm:kvm_entry/vm1 99\nkvm:kvm_mmio/vm1 10\n"
				"kvm:kvm_halt_poll_ns/vm1 0\n"
				"qemu:task-clock/vm1:vcpu 1000000000\nqemu:context-switches/vm1:vcpu 10\n"
				"qemu:sched-runtime-ns/vm1:vcpu 1000000000\n"
				"qemu:task-clock/vm1:io 0\nqemu:context-switches/vm1:io 0\nqemu:sched-runtime-ns/vm1:io 0\n"
				"qemu:task-clock/vm1:vhost not-supported no-threads\n"
				"qemu:context-switches/vm1:vhost not-supported no-threads\n"
				"qemu:sched-runtime-ns/vm1:vhost not-supported no-threads\n"
				"qemu:threads-uncounted/vm1 0\n"
				"qemu:task-clock/vm2:vcpu 0\nqemu:context-switches/vm2:vcpu 0\n"
				"qemu:sched-runtime-ns/vm2:vcpu 0\n"
				"qemu:task-clock/vm2:io 0\nqemu:context-switches/vm2:io 0\nqemu:sched-runtime-ns/vm2:io 0\n"
				"qemu:task-clock/vm2:vhost 0\nqemu:context-switches/vm2:vhost 0\n"
				"qemu:sched-runtime-ns/vm2:vhost 0\n"
				"qemu:threads-uncounted/vm2 0\n"
				"kvm:kvm_msi_set_irq 40 cpu0=30 cpu1=10\n";
	static const char a[] = "# iovperf 1 cpus=2\n"
				"kvm:kvm_exit/vm1 2100\nkvm:kvm_entry/vm1 2100\nkvm:kvm_mmio/vm1 510\n"
				"kvm:kvm_halt_poll_ns/vm1 4\n"
				"qemu:task-clock/vm1:vcpu 2000000000\nqemu:context-switches/vm1:vcpu 510\n"
				"qemu:sched-runtime-ns/vm1:vcpu 2100000000\n"
				"qemu:task-clock/vm1:io 100000000\nqemu:context-switches/vm1:io 100\n"
				"qemu:sched-runtime-ns/vm1:io 100000000\n"
				"qemu:task-clock/vm1:vhost not-supported no-threads\n"
				"qemu:context-switches/vm1:vhost not-supported no-threads\n"
				"qemu:sched-runtime-ns/vm1:vhost not-supported no-threads\n"
				"qemu:threads-uncounted/vm1 1\n"
				"qemu:task-clock/vm2:vcpu 500000000\nqemu:context-switches/vm2:vcpu 90\n"
				"qemu:sched-runtime-ns/vm2:vcpu 500000000\n"
				"qemu:task-clock/vm2:io 0\nqemu:context-switches/vm2:io 0\nqemu:sched-runtime-ns/vm2:io 0\n"
				"qemu:task-clock/vm2:vhost 400000000\nqemu:context-switches/vm2:vhost 300\n"
				"qemu:sched-runtime-ns/vm2:vhost 400000000\n"
				"qemu:threads-uncounted/vm2 0\n"
				"kvm:kvm_msi_set_irq 240 cpu0=130 cpu1=110\n";
	struct iov_collect_rep rep = { .seconds = 2.0, .packets = 1000 };
	struct iov_metric_set set = { 0 };
	struct iov_err err;
	struct states s;

	CU_ASSERT_EQUAL_FATAL(load(&s, b, a), 0);
	CU_ASSERT_EQUAL_FATAL(s.ops->metrics(s.before, s.after, &rep, &set, &err), 0);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_entries_per_pkt", NULL), 2.001, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_mmio_per_pkt", NULL), 0.5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_halt_poll_changes_per_s", "vm1"), 2, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_msis_per_s", NULL), 100, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_msis_per_pkt", NULL), 0.2, 1e-12);
	/* 1 s of vCPU in 2 s is 50 % of a CPU */
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "vm_qemu_vcpu_cpu_pct", "vm1"), 50, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "vm_qemu_vcpu_cpu_pct", "vm2"), 25, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "vm_qemu_vcpu_cpu_pct", NULL), 75, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "vm_qemu_io_cpu_pct", NULL), 5, 1e-9);
	/* vm1 has no vhost worker: vm2's alone is the sum, and vm1 has no figure of its own */
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "vm_qemu_vhost_cpu_pct", NULL), 20, 1e-9);
	CU_ASSERT(isnan(get(&set, "vm_qemu_vhost_cpu_pct", "vm1")));
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "vm_qemu_cpu_pct", NULL), 100, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "vm_qemu_cpu_ns_per_pkt", NULL), 2e6, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "vm_qemu_context_switches_per_pkt", NULL), 0.99, 1e-12);
	/* perf's 2.0 s against the scheduler's 2.1 s */
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "vm_qemu_cpu_mismatch_pct", NULL), 100.0 * 0.1 / 2.1, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "vm_qemu_threads_uncounted_count", "vm1"), 1, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "vm_qemu_threads_uncounted_count", NULL), 1, 1e-12);
	iov_metric_set_free(&set);
	unload(&s);
}

/* A class whose count failed for one guest gives that guest no figure and the sum none either. */
static void test_thread_count_failed(void)
{
	static const char b[] = "# iovperf 1 cpus=2\nqemu:task-clock/vm1:vcpu 0\n"
				"qemu:task-clock/vm2:vcpu not-supported read-failed:No such process\n";
	static const char a[] = "# iovperf 1 cpus=2\nqemu:task-clock/vm1:vcpu 1000000000\n"
				"qemu:task-clock/vm2:vcpu not-supported read-failed:No such process\n";
	struct iov_collect_rep rep = { .seconds = 1.0, .packets = 10 };
	struct iov_metric_set set = { 0 };
	struct iov_err err;
	struct states s;

	CU_ASSERT_EQUAL_FATAL(load(&s, b, a), 0);
	CU_ASSERT_EQUAL_FATAL(s.ops->metrics(s.before, s.after, &rep, &set, &err), 0);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "vm_qemu_vcpu_cpu_pct", "vm1"), 100, 1e-9);
	CU_ASSERT(isnan(get(&set, "vm_qemu_vcpu_cpu_pct", NULL)));
	CU_ASSERT(isnan(get(&set, "vm_qemu_cpu_pct", NULL)));
	CU_ASSERT(isnan(get(&set, "vm_qemu_cpu_ns_per_pkt", NULL)));
	iov_metric_set_free(&set);
	unload(&s);
}

/* The lab QEMU's threads (perf_qemu, read on the host): the same arithmetic, its own figures. */
static void test_hypervisor_threads(void)
{
	static const char b[] = "# iovperf 1 cpus=2\nqemu:task-clock/hypervisor:vcpu 0\n"
				"qemu:context-switches/hypervisor:vcpu 0\nqemu:sched-runtime-ns/hypervisor:vcpu 5000000000\n"
				"qemu:task-clock/hypervisor:io 0\nqemu:context-switches/hypervisor:io 0\n"
				"qemu:sched-runtime-ns/hypervisor:io 1000000000\n"
				"qemu:task-clock/hypervisor:vhost not-supported no-threads\n"
				"qemu:threads-uncounted/hypervisor 0\n";
	static const char a[] = "# iovperf 1 cpus=2\nqemu:task-clock/hypervisor:vcpu 3000000000\n"
				"qemu:context-switches/hypervisor:vcpu 100\nqemu:sched-runtime-ns/hypervisor:vcpu 8000000000\n"
				"qemu:task-clock/hypervisor:io 1000000000\nqemu:context-switches/hypervisor:io 300\n"
				"qemu:sched-runtime-ns/hypervisor:io 2000000000\n"
				"qemu:task-clock/hypervisor:vhost not-supported no-threads\n"
				"qemu:threads-uncounted/hypervisor 2\n";
	const struct iov_collector_ops *ops = iov_collector_lookup("perf_qemu", NULL);
	struct iov_perf_counts pb = { 0 }, pa = { 0 }, d = { 0 };
	struct iov_collect_rep rep = { .seconds = 4.0, .packets = 2000 };
	struct iov_metric_set set = { 0 };
	struct iov_err err;
	size_t netdev, perf_qemu;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ops);
	CU_ASSERT_PTR_NOT_NULL_FATAL(iov_collector_lookup("netdev", &netdev));
	CU_ASSERT_PTR_NOT_NULL_FATAL(iov_collector_lookup("perf_qemu", &perf_qemu));
	CU_ASSERT(netdev < perf_qemu); /* it needs the packet count */
	/* no perf reading of the hypervisor (a host target, an old run): no figure */
	CU_ASSERT_EQUAL(ops->metrics(NULL, NULL, &rep, &set, &err), 0);
	CU_ASSERT_EQUAL(set.n, 0);
	CU_ASSERT_EQUAL_FATAL(iov_perf_parse(b, &pb, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_perf_parse(a, &pa, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_perf_delta(&pb, &pa, &d, &err), 0);
	rep.qemu_perf = &d;
	CU_ASSERT_EQUAL_FATAL(ops->metrics(NULL, NULL, &rep, &set, &err), 0);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "qemu_perf_vcpu_cpu_pct", NULL), 75, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "qemu_perf_io_cpu_pct", NULL), 25, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "qemu_perf_cpu_pct", NULL), 100, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "qemu_perf_cpu_ns_per_pkt", NULL), 2e6, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "qemu_perf_context_switches_per_pkt", NULL), 0.2, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "qemu_perf_cpu_mismatch_pct", NULL), 0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "qemu_perf_threads_uncounted_count", NULL), 2, 1e-12);
	CU_ASSERT(isnan(get(&set, "vm_qemu_cpu_pct", NULL))); /* not a VM guest's figure */
	iov_metric_set_free(&set);
	iov_perf_counts_free(&pb);
	iov_perf_counts_free(&pa);
	iov_perf_counts_free(&d);
}

/*
 * Exits by reason (kvm:kvm_exit filtered on exit_reason): every guest together per reason, as
 * the hist triggers name them; a reason one guest could not count has no figure.
 */
static void test_exit_reasons(void)
{
	static const char b[] = "# iovperf 1 cpus=2\n"
				"kvm:kvm_exit/vm1 100\nkvm:kvm_exit:hlt/vm1 10\nkvm:kvm_exit:npf/vm1 20\n"
				"kvm:kvm_exit/vm2 100\nkvm:kvm_exit:hlt/vm2 30\n"
				"kvm:kvm_exit:npf/vm2 not-supported no-exit-reason-field\n";
	static const char a[] = "# iovperf 1 cpus=2\n"
				"kvm:kvm_exit/vm1 1100\nkvm:kvm_exit:hlt/vm1 410\nkvm:kvm_exit:npf/vm1 220\n"
				"kvm:kvm_exit/vm2 600\nkvm:kvm_exit:hlt/vm2 230\n"
				"kvm:kvm_exit:npf/vm2 not-supported no-exit-reason-field\n";
	struct iov_collect_rep rep = { .seconds = 2.0, .packets = 300 };
	struct iov_metric_set set = { 0 };
	struct iov_err err;
	struct states s;

	CU_ASSERT_EQUAL_FATAL(load(&s, b, a), 0);
	CU_ASSERT_EQUAL_FATAL(s.ops->metrics(s.before, s.after, &rep, &set, &err), 0);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_exit_reason_per_s", "hlt"), 300, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_exit_reason_per_pkt", "hlt"), 2, 1e-12);
	CU_ASSERT(isnan(get(&set, "perf_kvm_exit_reason_per_s", "npf")));
	/* a reason is no guest: the exits per guest are the unfiltered counts' alone */
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "perf_kvm_exits_per_s", NULL), 750, 1e-9);
	CU_ASSERT(isnan(get(&set, "perf_kvm_exits_per_s", "vm1:hlt")));
	CU_ASSERT(isnan(get(&set, "perf_kvm_exit_reason_per_s", "hlt/vm1")));
	iov_metric_set_free(&set);
	unload(&s);
}

/*
 * The QEMU threads' cycles and instructions: per packet where every class with threads has a
 * count; none at all where the PMU does not answer (TCG), never a zero.
 */
static void test_thread_hardware_events(void)
{
	static const char b[] = "# iovperf 1 cpus=2\n"
				"qemu:task-clock/vm1:vcpu 0\nqemu:cycles/vm1:vcpu 1000\nqemu:instructions/vm1:vcpu 500\n"
				"qemu:task-clock/vm1:io 0\nqemu:cycles/vm1:io 0\nqemu:instructions/vm1:io 0\n"
				"qemu:task-clock/vm1:vhost not-supported no-threads\n"
				"qemu:cycles/vm1:vhost not-supported no-threads\n"
				"qemu:instructions/vm1:vhost not-supported no-threads\n";
	static const char a[] = "# iovperf 1 cpus=2\n"
				"qemu:task-clock/vm1:vcpu 1000000\nqemu:cycles/vm1:vcpu 301000\n"
				"qemu:instructions/vm1:vcpu 100500\n"
				"qemu:task-clock/vm1:io 1000000\nqemu:cycles/vm1:io 100000\nqemu:instructions/vm1:io 50000\n"
				"qemu:task-clock/vm1:vhost not-supported no-threads\n"
				"qemu:cycles/vm1:vhost not-supported no-threads\n"
				"qemu:instructions/vm1:vhost not-supported no-threads\n";
	static const char tcg[] = "# iovperf 1 cpus=2\n"
				  "qemu:task-clock/vm1:vcpu 1000000\nqemu:cycles/vm1:vcpu not-supported no-pmu\n"
				  "qemu:task-clock/vm1:io 1000000\nqemu:cycles/vm1:io not-supported no-pmu\n";
	struct iov_collect_rep rep = { .seconds = 1.0, .packets = 100 };
	struct iov_metric_set set = { 0 };
	struct iov_err err;
	struct states s;

	CU_ASSERT_EQUAL_FATAL(load(&s, b, a), 0);
	CU_ASSERT_EQUAL_FATAL(s.ops->metrics(s.before, s.after, &rep, &set, &err), 0);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "vm_qemu_cycles_per_pkt", NULL), 4000, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(get(&set, "vm_qemu_instructions_per_pkt", NULL), 1500, 1e-9);
	iov_metric_set_free(&set);
	unload(&s);

	memset(&set, 0, sizeof(set));
	CU_ASSERT_EQUAL_FATAL(load(&s, tcg, tcg), 0);
	CU_ASSERT_EQUAL_FATAL(s.ops->metrics(s.before, s.after, &rep, &set, &err), 0);
	CU_ASSERT(isnan(get(&set, "vm_qemu_cycles_per_pkt", NULL)));
	CU_ASSERT(isnan(get(&set, "vm_qemu_instructions_per_pkt", NULL)));
	CU_ASSERT_PTR_NOT_NULL(iov_metric_set_get(&set, "vm_qemu_vcpu_cpu_pct", NULL)); /* the rest stands */
	iov_metric_set_free(&set);
	unload(&s);
}

IOV_SUITE(perf_kvm, { "per guest, per packet, and against the hist triggers", test_per_packet_and_cross_check },
	  { "an event a guest lacks: no value, no partial total", test_not_supported },
	  { "a count going down is refused", test_went_down },
	  { "entries, MMIO, halt polling, MSIs and the QEMU threads by class", test_more_events_and_threads },
	  { "a thread class whose count failed: no sum", test_thread_count_failed },
	  { "the hypervisor's threads (perf_qemu)", test_hypervisor_threads },
	  { "exits by reason, a reason one guest lacks", test_exit_reasons },
	  { "the threads' cycles and instructions, or none without a PMU", test_thread_hardware_events })
