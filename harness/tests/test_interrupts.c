// SPDX-License-Identifier: MIT
/* test_interrupts.c - /proc/interrupts with 63 online of 64 CPUs, short rows, MSI-X rows, deltas. */
#include <stdlib.h>
#include <string.h>

#include "collect/interrupts.h"
#include "tests/unit.h"

static int load(const char *path, struct iov_irq_table *t)
{
	struct iov_err err = { "" };
	char *text = iov_read_file(path, NULL, &err);
	int rc;

	if (!text)
		return -1;
	rc = iov_irq_parse(text, t, &err);
	free(text);
	return rc;
}

static void test_parse_64cpu(void)
{
	const struct iov_irq_row *r;
	struct iov_irq_table t;

	CU_ASSERT_EQUAL_FATAL(load("data/interrupts-64cpu-before.txt", &t), 0);
	CU_ASSERT_EQUAL(t.ncpus, 63); /* CPU17 is offline: columns are not CPU numbers */
	CU_ASSERT_EQUAL(t.cpu_ids[16], 16);
	CU_ASSERT_EQUAL(t.cpu_ids[17], 18);
	CU_ASSERT_EQUAL(t.cpu_ids[62], 63);
	r = iov_irq_find(&t, "45");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->ncounts, 63);
	CU_ASSERT(r->counts[0] == 246 && r->counts[1] == 912 && r->total == 1158);
	CU_ASSERT_STRING_EQUAL(r->desc, "PCI-MSIX-0000:01:10.0 0-edge eth1-rx-0");
	CU_ASSERT_STRING_EQUAL(r->name, "eth1-rx-0");
	r = iov_irq_find(&t, "16"); /* shared line, two actions */
	CU_ASSERT_STRING_EQUAL(r->desc, "IR-IO-APIC 16-fasteoi ehci_hcd:usb1, i801_smbus");
	r = iov_irq_find(&t, "ERR"); /* one column only */
	CU_ASSERT(r && r->ncounts == 1 && r->total == 0 && !r->desc[0]);
	r = iov_irq_find(&t, "LOC");
	CU_ASSERT(r && r->ncounts == 63);
	CU_ASSERT_STRING_EQUAL(r->desc, "Local timer interrupts");
	CU_ASSERT_EQUAL(r->counts[62], 250000 + 63 * 13); /* CPU63 in the last column */
	CU_ASSERT_PTR_NOT_NULL(iov_irq_find(&t, "PIW"));
	CU_ASSERT_PTR_NULL(iov_irq_find(&t, "54"));
	iov_irq_free(&t);
}

static void test_delta_and_select(void)
{
	struct iov_irq_table before, after, d;
	struct iov_err err;
	size_t nrows;

	CU_ASSERT_EQUAL_FATAL(load("data/interrupts-64cpu-before.txt", &before), 0);
	CU_ASSERT_EQUAL_FATAL(load("data/interrupts-64cpu-after.txt", &after), 0);
	CU_ASSERT_EQUAL_FATAL(iov_irq_delta(&before, &after, &d, &err), 0);
	CU_ASSERT_EQUAL(iov_irq_find(&d, "45")->total, 123 + 456);
	CU_ASSERT_EQUAL(iov_irq_find(&d, "45")->counts[1], 456);
	/* eth1 = vectors 45, 46, 47, not eth10's 48..50 */
	CU_ASSERT_EQUAL(iov_irq_sum_matching(&d, "eth1", &nrows), 123 + 456 + 77);
	CU_ASSERT_EQUAL(nrows, 3);
	CU_ASSERT_EQUAL(iov_irq_sum_matching(&d, "eth10", &nrows), 5000 + 600);
	CU_ASSERT_EQUAL(iov_irq_sum_matching(&d, "0000:01:10.0", &nrows), 123 + 456 + 77);
	CU_ASSERT_EQUAL(iov_irq_sum_matching(&d, "eth1-rx-0", &nrows), 579);
	CU_ASSERT_EQUAL(iov_irq_sum_matching(&d, "virtio0", &nrows), 17);
	CU_ASSERT_EQUAL(iov_irq_sum_matching(&d, "eth", &nrows), 0);
	/* a vector allocated in between counts from zero */
	CU_ASSERT_EQUAL(iov_irq_find(&d, "54")->total, 31);
	CU_ASSERT_EQUAL(d.rows_vanished, 0);
	iov_irq_free(&d);
	/* reversed: counters go down */
	CU_ASSERT_EQUAL(iov_irq_delta(&after, &before, &d, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "went down"));
	iov_irq_free(&before);
	iov_irq_free(&after);
}

static void test_awkward(void)
{
	const char *reused_a = "    CPU0 CPU1\n 30: 1 2 PCI-MSIX-0000:01:10.0 0-edge eth1-rx-0\n";
	const char *reused_b = "    CPU0 CPU1\n 30: 5 6 PCI-MSI-0000:00:03.0 1-edge virtio0-input.0\n";
	const char *hotplug = "    CPU0 CPU2\n 30: 5 6 PCI-MSIX-0000:01:10.0 0-edge eth1-rx-0\n";
	const char *gone = "    CPU0 CPU1\n";
	const char *arm = "           CPU0\n 11:    1234     GICv3  27 Level     arch_timer\nIPI0:  55  Rescheduling interrupts\n";
	struct iov_irq_table a, b, d;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(iov_irq_parse(reused_a, &a, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_irq_parse(reused_b, &b, &err), 0);
	CU_ASSERT_EQUAL(iov_irq_delta(&a, &b, &d, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "IRQ 30 changed from"));
	iov_irq_free(&b);
	CU_ASSERT_EQUAL_FATAL(iov_irq_parse(hotplug, &b, &err), 0);
	CU_ASSERT_EQUAL(iov_irq_delta(&a, &b, &d, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "online CPUs changed"));
	iov_irq_free(&b);
	CU_ASSERT_EQUAL_FATAL(iov_irq_parse(gone, &b, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_irq_delta(&a, &b, &d, &err), 0);
	CU_ASSERT(d.n == 0 && d.rows_vanished == 1);
	iov_irq_free(&d);
	iov_irq_free(&b);
	iov_irq_free(&a);
	/* One CPU: the hwirq "27" after the chip must not be read as a count. */
	CU_ASSERT_EQUAL_FATAL(iov_irq_parse(arm, &a, &err), 0);
	CU_ASSERT(a.n == 2 && a.rows[0].total == 1234 && a.rows[0].ncounts == 1);
	CU_ASSERT_STRING_EQUAL(a.rows[0].desc, "GICv3 27 Level arch_timer");
	CU_ASSERT_STRING_EQUAL(a.rows[1].id, "IPI0");
	iov_irq_free(&a);
	CU_ASSERT_EQUAL(iov_irq_parse("", &a, &err), -1);
	CU_ASSERT_EQUAL(iov_irq_parse("CPU0\n 1 2 3\n", &a, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/proc/interrupts: line 2"));
	CU_ASSERT_EQUAL(iov_irq_parse("CPU0 CPU1\n 5: x y\n", &a, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "IRQ 5: no counts"));
	CU_ASSERT_EQUAL(iov_irq_parse("cpu0\n", &a, &err), -1);
	CU_ASSERT_EQUAL(iov_irq_parse("CPU0\n 5: 1 a\n 5: 2 a\n", &a, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "listed twice"));
}

/* A VM guest's own rows join the driver domain's in its scope; a PCI address both share stays apart. */
static void test_guest_scope(void)
{
	const char *l1 = "           CPU0       CPU1\n"
			 " 24:         10         20  PCI-MSIX-0000:00:03.0   0-edge      virtio0-input.0\n"
			 " 30:          5          7  PCI-MSIX-0000:01:00.0   0-edge      enp1s0-TxRx-0\n";
	const char *vm = "           CPU0\n"
			 " 25:        100  PCI-MSIX-0000:00:03.0   0-edge      eth0-rx-0\n"
			 " 26:         40  PCI-MSIX-0000:00:03.0   1-edge      eth0-tx-0\n";
	struct iov_irq_table t, g;
	struct iov_err err;
	const struct iov_irq_row *r;

	CU_ASSERT_EQUAL_FATAL(iov_irq_parse(l1, &t, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_irq_parse(vm, &g, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_irq_append_scoped(&t, &g, "vm1", &err), 0);
	CU_ASSERT_EQUAL(t.n, 4);
	r = iov_irq_find(&t, "vm1/25");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(r->name, "vm1/eth0-rx-0");
	CU_ASSERT(r->ncounts == 1 && r->counts[0] == 100 && r->total == 100);
	/* the same address in the driver domain and in the guest: the scope decides */
	CU_ASSERT_EQUAL(iov_irq_sum_matching(&t, "0000:00:03.0", NULL), 30);
	CU_ASSERT_EQUAL(iov_irq_sum_matching(&t, "vm1/0000:00:03.0", NULL), 140);
	CU_ASSERT_EQUAL(iov_irq_sum_matching(&t, "vm2/0000:00:03.0", NULL), 0);
	CU_ASSERT_EQUAL(iov_irq_sum_matching(&t, "vm1/eth0-tx-0", NULL), 40);
	CU_ASSERT_EQUAL(iov_irq_sum_matching(&t, "vm1/", NULL), 0);
	CU_ASSERT_EQUAL(iov_irq_sum_matching(&t, "0000:01:00.0", NULL), 12);
	iov_irq_free(&g);
	iov_irq_free(&t);
}

IOV_SUITE(interrupts,
	  { "64-CPU /proc/interrupts with an offline CPU", test_parse_64cpu },
	  { "deltas and device selection", test_delta_and_select },
	  { "reused IRQ, hotplug, vanished rows, arm64, garbage", test_awkward },
	  { "a VM guest's rows in its own scope", test_guest_scope })
