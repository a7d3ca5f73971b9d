// SPDX-License-Identifier: MIT
/* test_kvm.c - per-guest KVM counts: parse, deltas, exit reason names, the hypervisor-cost metrics. */
#include <string.h>

#include "collect/kvm.h"
#include "metrics_compute.h"
#include "tests/unit.h"

static const char *before = "exit 2 120 1000\nexit 2 1024 50\ninj 300\nuserspace 7\nhost_irq 200\n";
static const char *after = "exit 2 120 1600\nexit 2 1024 80\nexit 2 123 10\ninj 700\nuserspace 9\nhost_irq 600\n";

static void test_parse_delta(void)
{
	struct iov_kvm_counts b, a, d;
	struct iov_err err;
	char buf[32];

	CU_ASSERT_EQUAL_FATAL(iov_kvm_parse(before, &b, &err), 0);
	CU_ASSERT(b.nreasons == 2 && b.exits == 1050 && b.inj == 300 && b.userspace == 7);
	CU_ASSERT(b.has_host_irq && b.host_irq == 200);
	CU_ASSERT_EQUAL_FATAL(iov_kvm_parse(after, &a, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_kvm_delta(&b, &a, &d, &err), 0);
	/* a reason first seen in `after` counts from zero */
	CU_ASSERT(d.nreasons == 3 && d.exits == 600 + 30 + 10);
	CU_ASSERT(d.inj == 400 && d.userspace == 2 && d.host_irq == 400 && d.has_host_irq);
	CU_ASSERT_STRING_EQUAL(iov_kvm_reason_name(2, 120, buf, sizeof(buf)), "hlt");
	CU_ASSERT_STRING_EQUAL(iov_kvm_reason_name(2, 1024, buf, sizeof(buf)), "npf");
	CU_ASSERT_STRING_EQUAL(iov_kvm_reason_name(1, 48, buf, sizeof(buf)), "ept_violation");
	CU_ASSERT_STRING_EQUAL(iov_kvm_reason_name(2, 0x99, buf, sizeof(buf)), "svm_0x99");
	CU_ASSERT_STRING_EQUAL(iov_kvm_reason_name(2, 0x14, buf, sizeof(buf)), "cr_write4");
	CU_ASSERT_STRING_EQUAL(iov_kvm_reason_name(2, 0x4e, buf, sizeof(buf)), "exception14");
	/* a restarted QEMU: counts go down, a reason vanishes */
	CU_ASSERT_EQUAL(iov_kvm_delta(&a, &b, &d, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "restarted"));
	/* no host_irq line (a baseline NIC): no cross-check */
	CU_ASSERT_EQUAL_FATAL(iov_kvm_parse("exit 2 120 5\ninj 1\nuserspace 0\n", &b, &err), 0);
	CU_ASSERT_FALSE(b.has_host_irq);
	CU_ASSERT_EQUAL(iov_kvm_parse("exit 2 120\n", &b, &err), -1);
	CU_ASSERT_EQUAL(iov_kvm_parse("inj x\n", &b, &err), -1);
	CU_ASSERT_EQUAL(iov_kvm_parse("halts 5\n", &b, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unknown count 'halts'"));
}

static void test_metrics(void)
{
	struct iov_kvm_counts b, a, d1, d2;
	struct iov_kvm_guest g[2];
	struct iov_metric_set set = { 0 };
	struct iov_err err;
	const struct iov_metric_value *v;

	CU_ASSERT_EQUAL_FATAL(iov_kvm_parse(before, &b, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_kvm_parse(after, &a, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_kvm_delta(&b, &a, &d1, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_kvm_parse("exit 2 120 100\ninj 50\nuserspace 40\n", &d2, &err), 0);
	g[0] = (struct iov_kvm_guest){ .name = "vm1", .delta = &d1, .guest_vf_irqs = 380 };
	g[1] = (struct iov_kvm_guest){ .name = "vm2", .delta = &d2 };
	CU_ASSERT_EQUAL_FATAL(iov_metrics_kvm(&set, g, 2, 2.0, 1000, &err), 0);
	v = iov_metric_set_get(&set, "kvm_exits_per_s", "vm1");
	CU_ASSERT(v && v->value == 320);
	v = iov_metric_set_get(&set, "kvm_exits_per_s", NULL);
	CU_ASSERT(v && v->value == 370);
	v = iov_metric_set_get(&set, "kvm_exit_reason_per_s", "hlt"); /* both guests */
	CU_ASSERT(v && v->value == 350);
	v = iov_metric_set_get(&set, "kvm_exits_per_pkt", NULL);
	CU_ASSERT(v && v->value == 0.74);
	v = iov_metric_set_get(&set, "kvm_injections_per_pkt", NULL);
	CU_ASSERT(v && v->value == 0.45);
	v = iov_metric_set_get(&set, "kvm_userspace_exits_per_pkt", NULL);
	CU_ASSERT(v && v->value == 0.042);
	/* only the guest with an assigned VF: 380 of the 400 its VF raised */
	v = iov_metric_set_get(&set, "vf_irq_delivered_pct", NULL);
	CU_ASSERT(v && v->value == 95);
	iov_metric_set_free(&set);
}

/* The reasons iovperf counts one by one: each named as the hist triggers' are, the list ends. */
static void test_io_reasons(void)
{
	const char *name;
	unsigned code;
	char buf[32];
	size_t i;

	for (i = 0; iov_kvm_io_reason(IOV_KVM_ISA_SVM, i, &code, &name); i++)
		CU_ASSERT_STRING_EQUAL(iov_kvm_reason_name(IOV_KVM_ISA_SVM, code, buf, sizeof(buf)), name);
	CU_ASSERT(i >= 6 && i <= 16); /* iovperf's MAX_REASONS */
	CU_ASSERT(iov_kvm_io_reason(IOV_KVM_ISA_VMX, 0, &code, &name));
	CU_ASSERT_FALSE(iov_kvm_io_reason(7, 0, &code, &name));
}

IOV_SUITE(kvm, { "parse, deltas, reason names", test_parse_delta },
	  { "the exit reasons counted one by one", test_io_reasons },
	  { "exits and injections per second, per packet, VF delivery", test_metrics })
