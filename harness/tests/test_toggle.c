// SPDX-License-Identifier: MIT
/* test_toggle.c - on/off ratios from a toggle's segments, bad input; the hostile VF's messages file. */
#include <stdlib.h>
#include <string.h>

#include "collect/toggle.h"
#include "compare.h"
#include "tests/unit.h"
#include "toggles/toggles.h"
#include "workload.h"

/* A real 13 s lab repetition, TCP VF to VF: 9 segments, so 3 disjoint triples. */
static void test_lab_repetition(void)
{
	struct iov_err err;
	char *text = iov_read_file("data/instr-toggle-g2g.txt", NULL, &err);
	double *r = NULL;
	size_t n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(iov_toggle_ratios(text, &r, &n, &err), 0);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	/* middle segment off: (mean of its on neighbours) / off; middle on: on / (mean of off) */
	CU_ASSERT_DOUBLE_EQUAL(r[0], 0.917386, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(r[1], 1.029682, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(r[2], 0.964848, 1e-6);
	/* a second repetition appends */
	CU_ASSERT_EQUAL_FATAL(iov_toggle_ratios(text, &r, &n, &err), 0);
	CU_ASSERT_EQUAL(n, 6);
	CU_ASSERT_DOUBLE_EQUAL(r[3], r[0], 1e-12);
	free(r);
	free(text);
}

/* Exact rates: a cost of 10 % on every on segment reads 0.9 whatever the middle's state. */
static void test_known_cost(void)
{
	const char *text = "1 0 0\n0 1 90\n1 2 190\n0 3 280\n1 4 380\n0 5 470\nend 6 570\n";
	struct iov_err err;
	double *r = NULL;
	size_t n = 0;

	CU_ASSERT_EQUAL_FATAL(iov_toggle_ratios(text, &r, &n, &err), 0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_DOUBLE_EQUAL(r[0], 0.9, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r[1], 0.9, 1e-12);
	free(r);
	/* two segments make no triple: no ratio, no error */
	r = NULL;
	n = 0;
	CU_ASSERT_EQUAL(iov_toggle_ratios("1 0 0\n0 1 90\nend 2 190\n", &r, &n, &err), 0);
	CU_ASSERT_EQUAL(n, 0);
	free(r);
}

static void expect_error(const char *text, const char *why)
{
	struct iov_err err = { "" };
	double *r = NULL;
	size_t n = 0;

	CU_ASSERT_EQUAL(iov_toggle_ratios(text, &r, &n, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, why));
	CU_ASSERT_EQUAL(n, 0);
	free(r);
}

static void test_bad_input(void)
{
	expect_error("", "no \"end\"");
	expect_error("1 0 0\n0 1 90\n", "no \"end\"");
	expect_error("1 0 0\n1 1 90\nend 2 100\n", "twice in a row");
	expect_error("1 0 0\n0 1 90\nend 1 100\n", "backwards");
	expect_error("1 0 100\n0 1 90\nend 2 100\n", "backwards");
	expect_error("1 0 0\nx 1 90\nend 2 100\n", "malformed");
	expect_error("1 0 0\n0 1 90 7\nend 2 100\n", "malformed");
	expect_error("1 0 0\n0 1 90\nend 2 100\n1 3 110\n", "after \"end\"");
	/* the traffic stopped: a segment without bytes is no measurement */
	expect_error("1 0 0\n0 1 90\n1 2 90\nend 3 100\n", "without traffic");
}

/* The verdict from the notes of a result: the instrumentation's bound 2 %, CI of the pooled ratios. */
static void test_verdict(void)
{
	json_t *x = json_pack("{s:{s:[f,f,f,f,f,f]}}", "notes", "instr_toggle_ratios", 0.995, 1.001, 0.998,
			      1.003, 0.997, 0.999);
	const struct iov_toggle_ops *t = iov_toggle_of_notes(json_object_get(x, "notes"));
	struct iov_instr_cost c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_STRING_EQUAL(t->name, "instrumentation");

	CU_ASSERT_EQUAL_FATAL(iov_toggle_cost(x, t, 0.05, &c), 0);
	CU_ASSERT_EQUAL(c.pairs, 6);
	CU_ASSERT_DOUBLE_EQUAL(c.ratio, 0.9988333, 1e-6);
	CU_ASSERT(c.lo > 0.98 && c.hi < 1.01);
	CU_ASSERT_EQUAL(c.verdict, IOV_COST_WITHIN);
	json_decref(x);
	x = json_pack("{s:{s:[f,f,f,f]}}", "notes", "instr_toggle_ratios", 0.90, 0.91, 0.89, 0.90);
	CU_ASSERT_EQUAL_FATAL(iov_toggle_cost(x, t, 0.05, &c), 0);
	CU_ASSERT_EQUAL(c.verdict, IOV_COST_EXCEEDED);
	json_decref(x);
	x = json_pack("{s:{s:[f,f,f]}}", "notes", "instr_toggle_ratios", 0.90, 1.10, 1.0);
	CU_ASSERT_EQUAL_FATAL(iov_toggle_cost(x, t, 0.05, &c), 0);
	CU_ASSERT_EQUAL(c.verdict, IOV_COST_UNDECIDED);
	json_decref(x);
	/* one ratio, or none (an experiment that did not toggle), decides nothing */
	x = json_pack("{s:{s:[f]}}", "notes", "instr_toggle_ratios", 1.0);
	CU_ASSERT_EQUAL(iov_toggle_cost(x, t, 0.05, &c), -1);
	json_decref(x);
	x = json_pack("{s:{}}", "notes");
	CU_ASSERT_EQUAL(iov_toggle_cost(x, t, 0.05, &c), -1);
	json_decref(x);
}

static const struct iov_toggle_ops *hostile_vf(void)
{
	for (size_t i = 0; i < iov_toggle_count(); i++)
		if (iov_toggle_at(i)->extra_metrics)
			return iov_toggle_at(i);
	CU_FAIL("no toggle with a messages file");
	return NULL;
}

/* The hostile VF's messages file: sums over the attack segments, and the PF's count beside them. */
static void test_hostile_vf_messages(void)
{
	const struct iov_toggle_ops *t = hostile_vf();
	const char *text = "vf=2 bdf=0000:01:10.4\npf_counted_before=17\nseed=123\n"
			   "pf_control=0x40000100 before the reply\n"
			   "fuzz sent=300 ack=20 nack=277 unanswered=1 unread=2 lockfail=0 rst=4\nseed=456\n"
			   "fuzz sent=200 ack=10 nack=190 unanswered=0 unread=0 lockfail=1 rst=3\npf_counted_after=515\n";
	struct iov_metric_set set = { 0 };
	struct iov_err err = { "" };

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_STRING_EQUAL(t->extra_file, "hostile-vf-messages.txt");
	CU_ASSERT_EQUAL_FATAL(t->extra_metrics(text, &set, &err), 0);
	CU_ASSERT_DOUBLE_EQUAL(iov_metric_set_get(&set, "hostile_vf_messages_count", "")->value, 500, 0);
	CU_ASSERT_DOUBLE_EQUAL(iov_metric_set_get(&set, "hostile_vf_unanswered_count", "")->value, 1, 0);
	CU_ASSERT_DOUBLE_EQUAL(iov_metric_set_get(&set, "hostile_vf_unread_count", "")->value, 2, 0);
	CU_ASSERT_DOUBLE_EQUAL(iov_metric_set_get(&set, "hostile_vf_pf_counted_count", "")->value, 498, 0);
	iov_metric_set_free(&set);
	/* igb counts nothing per VF: no PF figure, never a zero */
	CU_ASSERT_EQUAL_FATAL(t->extra_metrics("vf=2 bdf=b\npf_counted_before=\nseed=1\n"
					      "fuzz sent=5 ack=0 nack=5 unanswered=0 unread=0 lockfail=0 rst=0\npf_counted_after=\n",
					      &set, &err),
			      0);
	CU_ASSERT_PTR_NULL(iov_metric_set_get(&set, "hostile_vf_pf_counted_count", ""));
	CU_ASSERT_DOUBLE_EQUAL(iov_metric_set_get(&set, "hostile_vf_messages_count", "")->value, 5, 0);
	iov_metric_set_free(&set);
	/* a segment whose tool never printed its counts (it died), replies that do not add up, noise */
	CU_ASSERT_EQUAL(t->extra_metrics("seed=1\nfuzz sent=5 ack=0 nack=5 unanswered=0 unread=0 lockfail=0 rst=0\nseed=2\n", &set, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "2 attack segments started, 1 ended"));
	CU_ASSERT_EQUAL(t->extra_metrics("", &set, &err), -1);
	CU_ASSERT_EQUAL(t->extra_metrics("seed=1\nfuzz sent=5 ack=1 nack=5 unanswered=0 unread=0 lockfail=0 rst=0\n", &set, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "do not add up"));
	CU_ASSERT_EQUAL(t->extra_metrics("seed=1\nSegmentation fault\n", &set, &err), -1);
	iov_metric_set_free(&set);
	/* a real repetition's file (iovpf, 31 s): 4 attack segments */
	{
		char *real = iov_read_file("data/hostile-vf-messages.txt", NULL, &err);

		CU_ASSERT_PTR_NOT_NULL_FATAL(real);
		CU_ASSERT_EQUAL_FATAL(t->extra_metrics(real, &set, &err), 0);
		CU_ASSERT(iov_metric_set_get(&set, "hostile_vf_messages_count", "")->value > 1000);
		CU_ASSERT_PTR_NOT_NULL(iov_metric_set_get(&set, "hostile_vf_pf_counted_count", ""));
		free(real);
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unexpected line 'Segmentation fault'"));
	iov_metric_set_free(&set);
}

static const struct iov_toggle_ops *toggle_named(const char *name)
{
	for (size_t i = 0; i < iov_toggle_count(); i++)
		if (!strcmp(iov_toggle_at(i)->name, name))
			return iov_toggle_at(i);
	CU_FAIL("no such toggle");
	return NULL;
}

/* The VF FLR's faults file: recovery times of the recovered resets, the others counted apart. */
static void test_vf_flr_faults(void)
{
	const struct iov_toggle_ops *t = toggle_named("VF FLR");
	struct iov_metric_set set = { 0 };
	struct iov_err err = { "" };

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT(t->no_ratios && t->freezes_driver_counters);
	CU_ASSERT_EQUAL_FATAL(t->extra_metrics("fault 10.5 recovered 2.250\nfault 16.5 recovered 0.750\n"
					      "fault 22.5 recovered 1.000\nfault 28.5 unrecovered\n",
					      &set, &err),
			      0);
	CU_ASSERT_DOUBLE_EQUAL(iov_metric_set_get(&set, "fault_count", "")->value, 4, 0);
	CU_ASSERT_DOUBLE_EQUAL(iov_metric_set_get(&set, "fault_unrecovered_count", "")->value, 1, 0);
	CU_ASSERT_DOUBLE_EQUAL(iov_metric_set_get(&set, "fault_recovery_p50_s", "")->value, 1.0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(iov_metric_set_get(&set, "fault_recovery_max_s", "")->value, 2.25, 1e-9);
	iov_metric_set_free(&set);
	/* never recovered: no recovery time at all, not a zero */
	CU_ASSERT_EQUAL_FATAL(t->extra_metrics("fault 1 unrecovered\n", &set, &err), 0);
	CU_ASSERT_PTR_NULL(iov_metric_set_get(&set, "fault_recovery_p50_s", ""));
	iov_metric_set_free(&set);
	CU_ASSERT_EQUAL(t->extra_metrics("", &set, &err), -1);
	CU_ASSERT_EQUAL(t->extra_metrics("fault 1 recovered -2\n", &set, &err), -1);
	iov_metric_set_free(&set);
	/* the PF's link flap shares the file and its figures */
	CU_ASSERT_PTR_EQUAL(toggle_named("PF link down/up")->extra_metrics, t->extra_metrics);
}

/* Each toggle's key switches it on: a whole-number key, read through the key table. */
static void test_keys_switch_on(void)
{
	for (size_t i = 0; i < iov_toggle_count(); i++) {
		const struct iov_toggle_ops *t = iov_toggle_at(i);
		struct iov_workload wl;
		struct iov_err err = { "" };

		iov_workload_init(&wl, "k", "t.workload", 1);
		CU_ASSERT_PTR_NULL(iov_toggle_of(IOV_NIC_VF, &wl));
		CU_ASSERT_EQUAL_FATAL(iov_workload_set(&wl, iov_workload_key_name(t->key), "2", "t.workload", 2, &err), 0);
		CU_ASSERT_EQUAL(iov_workload_uint(&wl, t->key), 2);
		CU_ASSERT_PTR_EQUAL(iov_toggle_of(IOV_NIC_VF, &wl), t);
	}
}

IOV_SUITE(toggle, { "a lab repetition's segments give disjoint-triple ratios", test_lab_repetition },
	  { "a known cost reads the same with either state in the middle", test_known_cost },
	  { "malformed or cut segment files refused", test_bad_input },
	  { "within, exceeded and undecided from pooled ratios", test_verdict },
	  { "the hostile VF's messages file: sums, the PF's count, refusals", test_hostile_vf_messages },
	  { "the VF FLR's faults file: recovery times, unrecovered resets", test_vf_flr_faults },
	  { "each toggle's key switches it on", test_keys_switch_on })
