// SPDX-License-Identifier: MIT
/* test_instr_toggle.c - on/off ratios from the instrumentation toggler's segments, bad input. */
#include <stdlib.h>
#include <string.h>

#include "collect/instr_toggle.h"
#include "compare.h"
#include "tests/unit.h"

/* A real 13 s lab repetition, TCP VF to VF: 9 segments, so 3 disjoint triples. */
static void test_lab_repetition(void)
{
	struct iov_err err;
	char *text = iov_read_file("data/instr-toggle-g2g.txt", NULL, &err);
	double *r = NULL;
	size_t n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(iov_instr_toggle_ratios(text, &r, &n, &err), 0);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	/* middle segment off: (mean of its on neighbours) / off; middle on: on / (mean of off) */
	CU_ASSERT_DOUBLE_EQUAL(r[0], 0.917386, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(r[1], 1.029682, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(r[2], 0.964848, 1e-6);
	/* a second repetition appends */
	CU_ASSERT_EQUAL_FATAL(iov_instr_toggle_ratios(text, &r, &n, &err), 0);
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

	CU_ASSERT_EQUAL_FATAL(iov_instr_toggle_ratios(text, &r, &n, &err), 0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_DOUBLE_EQUAL(r[0], 0.9, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r[1], 0.9, 1e-12);
	free(r);
	/* two segments make no triple: no ratio, no error */
	r = NULL;
	n = 0;
	CU_ASSERT_EQUAL(iov_instr_toggle_ratios("1 0 0\n0 1 90\nend 2 190\n", &r, &n, &err), 0);
	CU_ASSERT_EQUAL(n, 0);
	free(r);
}

static void expect_error(const char *text, const char *why)
{
	struct iov_err err = { "" };
	double *r = NULL;
	size_t n = 0;

	CU_ASSERT_EQUAL(iov_instr_toggle_ratios(text, &r, &n, &err), -1);
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

/* The verdict from the notes of a result: bound 2 %, CI of the pooled ratios. */
static void test_verdict(void)
{
	json_t *x = json_pack("{s:{s:[f,f,f,f,f,f]}}", "notes", IOV_NOTE_INSTR_TOGGLE, 0.995, 1.001, 0.998,
			      1.003, 0.997, 0.999);
	struct iov_instr_cost c;

	CU_ASSERT_EQUAL_FATAL(iov_instr_toggle_cost(x, 0.05, IOV_INSTR_COST_MAX_PCT, &c), 0);
	CU_ASSERT_EQUAL(c.pairs, 6);
	CU_ASSERT_DOUBLE_EQUAL(c.ratio, 0.9988333, 1e-6);
	CU_ASSERT(c.lo > 0.98 && c.hi < 1.01);
	CU_ASSERT_EQUAL(c.verdict, IOV_COST_WITHIN);
	json_decref(x);
	x = json_pack("{s:{s:[f,f,f,f]}}", "notes", IOV_NOTE_INSTR_TOGGLE, 0.90, 0.91, 0.89, 0.90);
	CU_ASSERT_EQUAL_FATAL(iov_instr_toggle_cost(x, 0.05, IOV_INSTR_COST_MAX_PCT, &c), 0);
	CU_ASSERT_EQUAL(c.verdict, IOV_COST_EXCEEDED);
	json_decref(x);
	x = json_pack("{s:{s:[f,f,f]}}", "notes", IOV_NOTE_INSTR_TOGGLE, 0.90, 1.10, 1.0);
	CU_ASSERT_EQUAL_FATAL(iov_instr_toggle_cost(x, 0.05, IOV_INSTR_COST_MAX_PCT, &c), 0);
	CU_ASSERT_EQUAL(c.verdict, IOV_COST_UNDECIDED);
	json_decref(x);
	/* one ratio, or none (an experiment that did not toggle), decides nothing */
	x = json_pack("{s:{s:[f]}}", "notes", IOV_NOTE_INSTR_TOGGLE, 1.0);
	CU_ASSERT_EQUAL(iov_instr_toggle_cost(x, 0.05, IOV_INSTR_COST_MAX_PCT, &c), -1);
	json_decref(x);
	x = json_pack("{s:{}}", "notes");
	CU_ASSERT_EQUAL(iov_instr_toggle_cost(x, 0.05, IOV_INSTR_COST_MAX_PCT, &c), -1);
	json_decref(x);
}

IOV_SUITE(instr_toggle, { "a lab repetition's segments give disjoint-triple ratios", test_lab_repetition },
	  { "a known cost reads the same with either state in the middle", test_known_cost },
	  { "malformed or cut segment files refused", test_bad_input },
	  { "within, exceeded and undecided from pooled ratios", test_verdict })
