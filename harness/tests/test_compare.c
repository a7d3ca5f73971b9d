// SPDX-License-Identifier: MIT
/* test_compare.c - regression decisions: synthetic shifts, directions, refused inputs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "result.h"
#include "tests/unit.h"

/* Deterministic samples of mean m and CoV about cov_pct: m (1 + cov z_i) with fixed z of sd 1. */
static void noisy(double *v, size_t n, double m, double cov_pct)
{
	static const double z[] = { -1.1, 0.3, 1.2, -0.4, 0.0, 0.9, -0.9, 0.5, -0.6, 0.1 };

	for (size_t i = 0; i < n; i++)
		v[i] = m * (1 + cov_pct / 100 * z[i % IOV_ARRAY_SIZE(z)]);
}

static void test_ten_percent_shift_flagged(void)
{
	struct iov_compare_params p;
	struct iov_sample_cmp r;
	double base[5], cur[5];

	iov_compare_params_default(&p);
	noisy(base, 5, 1000, 2);
	noisy(cur, 5, 900, 2); /* throughput down 10 % */
	iov_compare_samples(base, 5, cur, 5, IOV_BETTER_HIGHER, &p, &r);
	CU_ASSERT_EQUAL(r.verdict, IOV_VERDICT_REGRESSED);
	CU_ASSERT(r.significant && r.p_value < 0.05);
	CU_ASSERT(fabs(r.change_pct + 10) < 1e-9);
	/* The same shift of a lower-is-better metric is an improvement. */
	iov_compare_samples(base, 5, cur, 5, IOV_BETTER_LOWER, &p, &r);
	CU_ASSERT_EQUAL(r.verdict, IOV_VERDICT_IMPROVED);
	/* Upwards for lower-is-better: regression. */
	noisy(cur, 5, 1100, 2);
	iov_compare_samples(base, 5, cur, 5, IOV_BETTER_LOWER, &p, &r);
	CU_ASSERT_EQUAL(r.verdict, IOV_VERDICT_REGRESSED);
}

static void test_noise_not_flagged(void)
{
	static const double z2[] = { 0.8, -1.0, 0.2, 1.1, -0.7 }; /* another draw of the same noise */
	struct iov_compare_params p;
	struct iov_sample_cmp r;
	double base[5], cur[5];

	iov_compare_params_default(&p);
	noisy(base, 5, 1000, 2);
	for (int i = 0; i < 5; i++)
		cur[i] = 990 * (1 + 0.02 * z2[i]); /* -1 %, inside 2 % CoV */
	iov_compare_samples(base, 5, cur, 5, IOV_BETTER_HIGHER, &p, &r);
	CU_ASSERT_EQUAL(r.verdict, IOV_VERDICT_SAME);
	CU_ASSERT(!r.significant);
	/* Noisy runs (20 % CoV): a 10 % shift is not distinguishable from noise. */
	noisy(base, 5, 1000, 20);
	for (int i = 0; i < 5; i++)
		cur[i] = 900 * (1 + 0.20 * z2[i]);
	iov_compare_samples(base, 5, cur, 5, IOV_BETTER_HIGHER, &p, &r);
	CU_ASSERT_EQUAL(r.verdict, IOV_VERDICT_SAME);
	/* Very quiet runs: a 2 % shift is significant but below the 5 % minimum. */
	noisy(base, 5, 1000, 0.2);
	noisy(cur, 5, 980, 0.2);
	iov_compare_samples(base, 5, cur, 5, IOV_BETTER_HIGHER, &p, &r);
	CU_ASSERT(r.significant);
	CU_ASSERT_EQUAL(r.verdict, IOV_VERDICT_SAME);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "minimum"));
}

static void test_few_repetitions(void)
{
	/* 2 against 2 with 10 % CoV and a 10 % shift: the U test cannot decide and says why. */
	const double base[] = { 1000, 1100 }, cur[] = { 900, 1000 }, none[] = { NAN, NAN };
	struct iov_compare_params p;
	struct iov_sample_cmp r;

	iov_compare_params_default(&p);
	iov_compare_samples(base, 2, cur, 2, IOV_BETTER_HIGHER, &p, &r);
	CU_ASSERT_EQUAL(r.verdict, IOV_VERDICT_SAME);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "too few"));
	iov_compare_samples(base, 2, none, 2, IOV_BETTER_HIGHER, &p, &r);
	CU_ASSERT_EQUAL(r.verdict, IOV_VERDICT_NO_DATA);
}

/* A minimal document: one workload, experiments of nic kinds with throughput values. */
static json_t *doc(const char *run_id, int duration, const double *vf, size_t n)
{
	json_t *vals = json_array(), *d;

	for (size_t i = 0; i < n; i++)
		json_array_append_new(vals, json_real(vf[i]));
	d = json_pack("{s:i,s:s,s:{s:{s:s,s:s,s:s,s:s},s:{s:s,s:s,s:s,s:s}},s:{s:{s:s,s:i,s:i}},s:[{s:s,s:s,s:s,"
		      "s:s,s:i,s:s,s:{s:{s:o},s:{s:[f,f,f,f,f]}}}]}",
		      "schema_version", 1, "run_id", run_id, "metrics", "throughput_bps", "unit", "bit/s", "better",
		      "higher", "source", "iperf3", "description", "", "irq_per_pkt", "unit", "interrupt/packet", "better",
		      "lower", "source", "interrupts", "description", "", "workloads", "tcp-stream", "protocol", "tcp",
		      "duration_s", duration, "reps", (int)n, "experiments", "id", "tcp-stream.vf.g2g.2g", "entry",
		      "tcp-stream", "nic", "vf", "status", "ok", "guests", 2, "pattern", "guest-to-guest", "metrics",
		      "throughput_bps", "values", vals, "irq_per_pkt", "values", 0.5, 0.5, 0.5, 0.5, 0.5);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	return d;
}

static void test_docs(void)
{
	struct iov_compare_params p;
	struct iov_comparison c;
	struct iov_err err = { "" };
	double base[5], cur[5];
	json_t *b, *n, *j;

	iov_compare_params_default(&p);
	noisy(base, 5, 1e9, 2);
	noisy(cur, 5, 0.9e9, 2);
	b = doc("base", 10, base, 5);
	n = doc("new", 10, cur, 5);
	CU_ASSERT_EQUAL_FATAL(iov_compare_docs(b, n, &p, NULL, 0, &c, &err), 0);
	CU_ASSERT_EQUAL(c.n, 2);
	CU_ASSERT_EQUAL(c.count[IOV_VERDICT_REGRESSED], 1);
	CU_ASSERT_EQUAL(c.count[IOV_VERDICT_SAME], 1); /* irq_per_pkt identical */
	j = iov_comparison_json(&c);
	CU_ASSERT(json_is_true(json_object_get(j, "regression")));
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(json_object_get(j, "rows"), 0),
								  "verdict")), "regressed");
	json_decref(j);
	iov_comparison_free(&c);
	/* Only the named metric. */
	const char *only[] = { "irq_per_pkt" };
	CU_ASSERT_EQUAL_FATAL(iov_compare_docs(b, n, &p, only, 1, &c, &err), 0);
	CU_ASSERT(c.n == 1 && c.count[IOV_VERDICT_REGRESSED] == 0);
	iov_comparison_free(&c);
	json_decref(b);
	json_decref(n);
}

static void test_bad_inputs(void)
{
	struct iov_compare_params p;
	struct iov_comparison c;
	struct iov_err err = { "" };
	double v[5];
	json_t *b, *n;

	iov_compare_params_default(&p);
	noisy(v, 5, 1e9, 2);
	b = doc("base", 10, v, 5);
	/* Mismatched workloads: another duration. */
	n = doc("new", 30, v, 5);
	CU_ASSERT_EQUAL(iov_compare_docs(b, n, &p, NULL, 0, &c, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "mismatched workloads"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "duration_s"));
	json_decref(n);
	/* Wrong schema version. */
	n = doc("new", 10, v, 5);
	json_object_set_new(n, "schema_version", json_integer(2));
	CU_ASSERT_EQUAL(iov_compare_docs(b, n, &p, NULL, 0, &c, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "schema_version"));
	json_object_set_new(n, "schema_version", json_integer(1));
	/* A metric missing in NEW: refused when asked for by name, else a no-data row. */
	json_t *nm = json_object_get(json_array_get(json_object_get(n, "experiments"), 0), "metrics");
	const char *irq[] = { "irq_per_pkt" };

	json_object_del(nm, "irq_per_pkt");
	CU_ASSERT_EQUAL(iov_compare_docs(b, n, &p, irq, 1, &c, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "irq_per_pkt"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "missing"));
	CU_ASSERT_EQUAL_FATAL(iov_compare_docs(b, n, &p, NULL, 0, &c, &err), 0);
	CU_ASSERT_EQUAL(c.count[IOV_VERDICT_NO_DATA], 1);
	iov_comparison_free(&c);
	/* A completed experiment without any metric. */
	json_object_clear(nm);
	CU_ASSERT_EQUAL(iov_compare_docs(b, n, &p, NULL, 0, &c, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "without recording any metric"));
	/* A named metric nobody catalogued. */
	const char *bogus[] = { "bogus_bps" };
	CU_ASSERT_EQUAL(iov_compare_docs(b, b, &p, bogus, 1, &c, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "bogus_bps"));
	/* No experiment in common. */
	json_object_set_new(json_array_get(json_object_get(n, "experiments"), 0), "id", json_string("other"));
	CU_ASSERT_EQUAL(iov_compare_docs(b, n, &p, NULL, 0, &c, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no experiment in common"));
	json_decref(n);
	json_decref(b);
}

static void test_failed_experiment(void)
{
	struct iov_compare_params p;
	struct iov_comparison c;
	struct iov_err err = { "" };
	double v[5];
	json_t *b, *n, *x;

	iov_compare_params_default(&p);
	noisy(v, 5, 1e9, 2);
	b = doc("base", 10, v, 5);
	n = doc("new", 10, v, 5);
	x = json_array_get(json_object_get(n, "experiments"), 0);
	json_object_set_new(x, "status", json_string("failed"));
	json_object_set_new(x, "reason", json_string("lab did not boot"));
	CU_ASSERT_EQUAL_FATAL(iov_compare_docs(b, n, &p, NULL, 0, &c, &err), 0);
	CU_ASSERT(c.n == 1 && c.count[IOV_VERDICT_REGRESSED] == 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.rows[0].cmp.why, "lab did not boot"));
	iov_comparison_free(&c);
	json_decref(b);
	json_decref(n);
}

static void test_recorded_result(void)
{
	/* A real result against itself: nothing changes; the wrong-version copy is refused on load. */
	struct iov_compare_params p;
	struct iov_comparison c;
	struct iov_err err = { "" };
	json_t *d = iov_result_load("data/result-lab-tcp.json", &err);

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	iov_compare_params_default(&p);
	CU_ASSERT_EQUAL_FATAL(iov_compare_docs(d, d, &p, NULL, 0, &c, &err), 0);
	CU_ASSERT(c.n > 20);
	CU_ASSERT_EQUAL(c.count[IOV_VERDICT_REGRESSED], 0);
	CU_ASSERT_EQUAL(c.count[IOV_VERDICT_IMPROVED], 0);
	iov_comparison_free(&c);
	json_object_set_new(d, "schema_version", json_integer(99));
	CU_ASSERT_EQUAL(iov_result_check(d, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "schema_version"));
	json_decref(d);
}

static json_t *experiment_with(const char *metric, const double *v, size_t n)
{
	json_t *vals = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(vals, isnan(v[i]) ? json_null() : json_real(v[i]));
	return json_pack("{s:{s:{s:o}}}", "metrics", metric, "values", vals);
}

static void check_cost(const double *on, const double *off, size_t n, enum iov_better better,
		       enum iov_cost_verdict want, size_t want_pairs)
{
	json_t *a = experiment_with("m", on, n), *b = experiment_with("m", off, n);
	struct iov_instr_cost c;

	CU_ASSERT_EQUAL_FATAL(iov_instr_cost(a, b, "m", better, 0.05, IOV_INSTR_COST_MAX_PCT, &c), 0);
	CU_ASSERT_EQUAL(c.pairs, want_pairs);
	CU_ASSERT(c.lo <= c.ratio && c.ratio <= c.hi);
	if (c.verdict != want)
		fprintf(stderr, "\n  ratio %.4f [%.4f, %.4f]: %s\n", c.ratio, c.lo, c.hi, iov_cost_verdict_name(c.verdict));
	CU_ASSERT_EQUAL(c.verdict, want);
	json_decref(a);
	json_decref(b);
}

static void test_instrumentation_cost(void)
{
	/*
	 * Ten interleaved pairs whose level drifts by 30 % over the run (a host getting busier):
	 * every pair costs 0.5 % +- 0.2 %, so the paired CI is narrow and inside the 2 % bound,
	 * although the two samples, compared as wholes, overlap over most of their range.
	 */
	double off[10], on[10], slow[10], late[10], lat_on[10], few[3] = { 1, NAN, NAN };

	for (size_t k = 0; k < 10; k++) {
		off[k] = 1000 * (1 - 0.03 * k);
		on[k] = off[k] * (0.995 + ((int)(k % 3) - 1) * 0.002);
		slow[k] = off[k] * (0.95 + ((int)(k % 3) - 1) * 0.002);  /* 5 % cost: exceeded */
		late[k] = off[k] * (0.985 + ((k % 2) ? 0.03 : -0.03)); /* noisy around 1.5 %: undecided */
		lat_on[k] = off[k] * 1.01;			      /* latency 1 % higher: within */
	}
	check_cost(on, off, 10, IOV_BETTER_HIGHER, IOV_COST_WITHIN, 10);
	check_cost(slow, off, 10, IOV_BETTER_HIGHER, IOV_COST_EXCEEDED, 10);
	check_cost(late, off, 10, IOV_BETTER_HIGHER, IOV_COST_UNDECIDED, 10);
	check_cost(lat_on, off, 10, IOV_BETTER_LOWER, IOV_COST_WITHIN, 10);
	check_cost(slow, off, 10, IOV_BETTER_LOWER, IOV_COST_WITHIN, 10); /* lower is better: a gain */
	{
		/* Paced traffic fixes its own rate: no cost verdict may rest on it. */
		json_t *paced = json_pack("{s:i}", "bitrate", 300000000), *free_run = json_pack("{s:i}", "bitrate", 0);

		CU_ASSERT(iov_metric_fixed_by_workload(paced, "throughput_bps") && iov_metric_fixed_by_workload(paced, "pps"));
		CU_ASSERT(!iov_metric_fixed_by_workload(paced, "cpu_guest_busy_pct"));
		CU_ASSERT(!iov_metric_fixed_by_workload(free_run, "throughput_bps"));
		json_decref(paced);
		json_decref(free_run);
	}
	{
		/* A failed repetition drops its pair; fewer than two pairs decide nothing. */
		json_t *a = experiment_with("m", few, 3), *b = experiment_with("m", few, 3);
		struct iov_instr_cost c;

		CU_ASSERT_EQUAL(iov_instr_cost(a, b, "m", IOV_BETTER_HIGHER, 0.05, 2, &c), -1);
		CU_ASSERT_EQUAL(iov_instr_cost(a, b, "absent", IOV_BETTER_HIGHER, 0.05, 2, &c), -1);
		json_decref(a);
		json_decref(b);
	}
}

/* Driver against driver from interleaved repetitions: the pair's ratio, not the samples' spread. */
static void test_paired_ratio(void)
{
	double b[8], a[8], noisy[8], failed[8];
	struct iov_paired_ratio r;
	json_t *xa, *xb, *xn, *xf;

	for (size_t k = 0; k < 8; k++) {
		/* a TCG host: whole repetitions jump between modes 40 % apart */
		b[k] = 800e6 * (k % 4 == 3 ? 0.6 : 1.0) * (1 + 0.01 * (double)k);
		a[k] = b[k] * (1.03 + ((int)(k % 3) - 1) * 0.005);
		noisy[k] = b[k] * (1.0 + ((k % 2) ? 0.06 : -0.05));
		failed[k] = k == 2 ? NAN : a[k];
	}
	xa = experiment_with("throughput_bps", a, 8);
	xb = experiment_with("throughput_bps", b, 8);
	xn = experiment_with("throughput_bps", noisy, 8);
	xf = experiment_with("throughput_bps", failed, 8);
	CU_ASSERT_EQUAL_FATAL(iov_paired_ratio(xa, xb, "throughput_bps", 0.05, &r), 0);
	CU_ASSERT(r.pairs == 8 && fabs(r.ratio - 1.03) < 0.002 && r.lo > 1.02 && r.hi < 1.04);
	CU_ASSERT(fabs(r.median - 1.03) < 0.006);
	CU_ASSERT_STRING_EQUAL(iov_paired_ratio_verdict(&r), "higher");
	CU_ASSERT_EQUAL_FATAL(iov_paired_ratio(xb, xa, "throughput_bps", 0.05, &r), 0);
	CU_ASSERT_STRING_EQUAL(iov_paired_ratio_verdict(&r), "lower");
	CU_ASSERT_EQUAL_FATAL(iov_paired_ratio(xn, xb, "throughput_bps", 0.05, &r), 0);
	CU_ASSERT(r.lo < 1 && r.hi > 1);
	CU_ASSERT_STRING_EQUAL(iov_paired_ratio_verdict(&r), "no difference shown");
	/* a failed repetition drops its pair */
	CU_ASSERT_EQUAL_FATAL(iov_paired_ratio(xf, xb, "throughput_bps", 0.05, &r), 0);
	CU_ASSERT_EQUAL(r.pairs, 7);
	CU_ASSERT_EQUAL(iov_paired_ratio(xa, xb, "absent", 0.05, &r), -1);
	json_decref(xa);
	json_decref(xb);
	json_decref(xn);
	json_decref(xf);
}

/* A group member's partners by kind; results before groups name one twin as a string. */
static void test_doc_interleaved(void)
{
	json_t *doc = json_pack("{s:[{s:s, s:s, s:{s:[s, s]}}, {s:s, s:s, s:{}}, {s:s, s:s, s:{}},"
				" {s:s, s:s, s:{s:s}}]}",
				"experiments", "id", "a.vf", "nic", "vf", "notes", "interleaved_with", "a.vf-inbox",
				"a.vf-noinstr", "id", "a.vf-inbox", "nic", "vf-inbox", "notes", "id", "a.vf-noinstr",
				"nic", "vf-noinstr", "notes", "id", "old.vf", "nic", "vf", "notes", "interleaved_with",
				"a.vf-noinstr");
	json_t *x = json_array_get(json_object_get(doc, "experiments"), 0);
	json_t *old = json_array_get(json_object_get(doc, "experiments"), 3);

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_PTR_EQUAL(iov_doc_interleaved(doc, x, "vf-inbox"), iov_doc_experiment(doc, "a.vf-inbox"));
	CU_ASSERT_PTR_EQUAL(iov_doc_interleaved(doc, x, "vf-noinstr"), iov_doc_experiment(doc, "a.vf-noinstr"));
	CU_ASSERT_PTR_NULL(iov_doc_interleaved(doc, x, "e1000e"));
	CU_ASSERT_PTR_NULL(iov_doc_interleaved(doc, iov_doc_experiment(doc, "a.vf-inbox"), "vf"));
	CU_ASSERT_PTR_EQUAL(iov_doc_interleaved(doc, old, "vf-noinstr"), iov_doc_experiment(doc, "a.vf-noinstr"));
	CU_ASSERT_PTR_NULL(iov_doc_interleaved(doc, old, "vf-inbox"));
	json_decref(doc);
}

/* Three repetitions whose spread overflows have no CI, but not for want of repetitions. */
static void test_ci_message_overflow(void)
{
	static const double huge[] = { 1e308, 1e308, -1e308 };
	struct iov_compare_params p;
	struct iov_sample_cmp c;

	iov_compare_params_default(&p);
	iov_compare_samples(huge, 3, huge, 3, IOV_BETTER_HIGHER, &p, &c);
	CU_ASSERT_PTR_NULL(strstr(c.why, "one repetition"));
}

IOV_SUITE(compare, { "10% shift, 5 reps, 2% CoV: flagged, direction from the catalogue", test_ten_percent_shift_flagged },
	  { "shifts inside the noise or below the minimum: not flagged", test_noise_not_flagged },
	  { "too few repetitions and missing values said so", test_few_repetitions },
	  { "instrumentation cost from interleaved pairs against the 2% bound", test_instrumentation_cost },
	  { "paired ratio of interleaved kinds: mean, CI, median, reading", test_paired_ratio },
	  { "interleaved partners by kind, old twin notes too", test_doc_interleaved },
	  { "documents compared per experiment and metric, JSON output", test_docs },
	  { "bad inputs refused: mismatched workloads, schema version, missing metrics", test_bad_inputs },
	  { "an experiment that failed in NEW is a regression", test_failed_experiment },
	  { "recorded lab result against itself", test_recorded_result },
	  { "no CI from overflowing values is not blamed on one repetition", test_ci_message_overflow })
