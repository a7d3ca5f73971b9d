// SPDX-License-Identifier: MIT
/* test_analysis.c - the decisions the summary and the report share, on recorded lab results. */
#include <string.h>

#include <jansson.h>

#include "analysis.h"
#include "tests/unit.h"

static json_t *load(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "data/%s", name);
	return json_load_file(path, 0, NULL);
}

/* The driver anchor: five kinds interleaved; four driver pairs and one instrumentation twin. */
static void test_analysis_interleaved(void)
{
	json_t *doc = load("result-lab-interleaved.json");
	struct iov_analysis a;
	struct iov_err err;
	size_t headline = 0, irq = 0, primary = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_EQUAL_FATAL(iov_analysis_build(&doc, 1, NULL, &a, &err), 0);
	CU_ASSERT_EQUAL(a.nexps, 5);
	CU_ASSERT_DOUBLE_EQUAL(a.params.alpha, 0.05, 1e-12);
	for (size_t i = 0; i < a.npairs; i++) {
		const struct iov_an_pair *p = &a.pairs[i];

		CU_ASSERT_STRING_EQUAL(p->e->nic, p->pair->a);
		CU_ASSERT_STRING_EQUAL(p->partner->nic, p->pair->b);
		if (p->headline) {
			headline++;
			CU_ASSERT_STRING_EQUAL(p->metric, "throughput_bps");
			CU_ASSERT(p->decided);
			CU_ASSERT_EQUAL(p->ratio.pairs, 6);
			CU_ASSERT(p->ratio.lo <= p->ratio.ratio && p->ratio.ratio <= p->ratio.hi);
		}
		irq += !strcmp(p->metric, "irq_per_pkt") && p->decided;
	}
	CU_ASSERT_EQUAL(headline, 4); /* one per driver pair */
	CU_ASSERT_EQUAL(irq, 4);
	for (size_t i = 0; i < a.ncosts; i++) {
		const struct iov_an_cost *c = &a.costs[i];

		CU_ASSERT_STRING_EQUAL(c->e->nic, "vf");
		CU_ASSERT_PTR_NOT_NULL_FATAL(c->twin);
		CU_ASSERT_STRING_EQUAL(c->twin->nic, "vf-noinstr");
		if (c->primary) {
			primary++;
			CU_ASSERT_STRING_EQUAL(c->metric, "throughput_bps");
			CU_ASSERT_EQUAL(c->cost.verdict, IOV_COST_UNDECIDED); /* CI [0.71, 1.15] spans the bound */
		}
	}
	CU_ASSERT_EQUAL(primary, 1);
	iov_analysis_free(&a);
	json_decref(doc);
}

/* Toggled instrumentation: a cost without a twin; no pairs. */
static void test_analysis_toggle(void)
{
	json_t *doc = load("result-lab-instr-toggle.json");
	struct iov_analysis a;
	struct iov_err err;

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_EQUAL_FATAL(iov_analysis_build(&doc, 1, NULL, &a, &err), 0);
	CU_ASSERT_EQUAL(a.npairs, 0);
	CU_ASSERT_EQUAL_FATAL(a.ncosts, 1);
	CU_ASSERT_PTR_NULL(a.costs[0].twin);
	CU_ASSERT(a.costs[0].primary && a.costs[0].decided);
	CU_ASSERT(a.costs[0].cost.pairs >= 2);
	iov_analysis_free(&a);
	json_decref(doc);
}

/* The same id in two documents is labelled with its run; the baseline's twin is found. */
static void test_analysis_repeated_ids(void)
{
	json_t *docs[2] = { load("result-lab-mailbox.json"), load("result-lab-mailbox.json") };
	struct iov_analysis a;
	struct iov_err err;
	char label[128];

	CU_ASSERT_PTR_NOT_NULL_FATAL(docs[0]);
	CU_ASSERT_EQUAL_FATAL(iov_analysis_build(docs, 2, docs[0], &a, &err), 0);
	CU_ASSERT_FATAL(a.nexps >= 2);
	CU_ASSERT(a.exps[0].id_repeats);
	CU_ASSERT_PTR_NOT_NULL(a.exps[0].base_x);
	iov_an_exp_label(&a.exps[0], label, sizeof(label), true);
	CU_ASSERT_PTR_NOT_NULL(strstr(label, " @"));
	iov_analysis_free(&a);
	json_decref(docs[0]);
	json_decref(docs[1]);
}

IOV_SUITE(analysis, { "recorded driver anchor: pairs per driver pair, one primary cost", test_analysis_interleaved },
	  { "recorded toggle run: a cost without a twin", test_analysis_toggle },
	  { "ids repeated across documents, baseline experiments", test_analysis_repeated_ids })
