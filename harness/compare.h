/* SPDX-License-Identifier: MIT */
/*
 * compare.h - did NEW get worse than BASE? One decision per experiment and metric, from the
 * raw per-repetition values the result documents hold.
 *
 * A change counts only when it is both significant and large enough:
 *   significant: the two-sided Mann-Whitney U test rejects at alpha (exact for few values), or
 *                the (1 - alpha) confidence intervals of the two means do not overlap
 *                (mmtests' and LKP's rules for few repetitions);
 *   large:       |change of the mean| >= min_change_pct of the base mean.
 * Its direction comes from the document's metric catalogue ("better": higher or lower).
 * With too few repetitions nothing is significant, and the verdict says so.
 */
#ifndef IOV_COMPARE_H
#define IOV_COMPARE_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "metrics.h"
#include "stats.h"
#include "util.h"

enum iov_verdict {
	IOV_VERDICT_SAME,	/* no significant change of at least the minimum */
	IOV_VERDICT_IMPROVED,
	IOV_VERDICT_REGRESSED,
	IOV_VERDICT_NO_DATA,	/* a side has no value */
};

const char *iov_verdict_name(enum iov_verdict v);

struct iov_compare_params {
	double alpha;	       /* test level, 0.05 */
	double min_change_pct; /* smallest change of the mean that matters, 5 % */
};

void iov_compare_params_default(struct iov_compare_params *p);

struct iov_sample_cmp {
	struct iov_summary base, cur;
	double change_pct; /* 100 (cur - base) / |base| of the means; NaN if undefined */
	double p_value;	   /* Mann-Whitney two-sided; NaN if a side is empty */
	double base_ci[2], cur_ci[2]; /* NaN when fewer than 2 values */
	bool ci_disjoint;
	bool significant;
	enum iov_verdict verdict;
	char why[128]; /* the reason for the verdict, in words */
};

/* Decide from two samples (NaNs skipped). */
void iov_compare_samples(const double *base, size_t nbase, const double *cur, size_t ncur, enum iov_better better,
			 const struct iov_compare_params *p, struct iov_sample_cmp *out);

struct iov_compare_row {
	char *experiment; /* experiment id */
	char *metric;	  /* metric name, or "status" when NEW's experiment did not run */
	char *unit;
	enum iov_better better;
	struct iov_sample_cmp cmp;
};

struct iov_comparison {
	char *base_run, *new_run;
	struct iov_compare_params params;
	size_t n;
	struct iov_compare_row *rows;
	size_t count[4]; /* rows per verdict */
	size_t nnotes;
	char **notes; /* what was not compared and why */
};

/*
 * Compare every experiment the two documents have in common (matched by id), every metric
 * (or only the nmetrics named). Refused with a message (-1): documents of another schema
 * version, no experiment in common, a common workload run with other parameters, a completed
 * experiment of NEW without any metric, a named metric that BASE measured and NEW lacks or
 * that no common experiment measured. A metric BASE had and NEW lacks, unnamed, is a no-data
 * row: some metrics only exist when their events happened (mailbox latency, queue counters).
 */
int iov_compare_docs(json_t *base, json_t *cur, const struct iov_compare_params *p, const char *const *metrics,
		     size_t nmetrics, struct iov_comparison *out, struct iov_err *err);
void iov_comparison_free(struct iov_comparison *c);

/* Terminal table: changed rows (all rows with all), then the counts. */
void iov_comparison_print(FILE *f, const struct iov_comparison *c, bool all);
/* Machine-readable form (new reference). */
json_t *iov_comparison_json(const struct iov_comparison *c);

/*
 * The experiment-wide values of metric in an experiment object, nulls as NaN; malloc'ed array
 * (NULL with *n == 0 when the metric is absent).
 */
double *iov_experiment_values(json_t *experiment, const char *metric, size_t *n);
/*
 * The parameters of a workload that change what it measures (every one but the plan's axes:
 * repetitions, NIC kinds, guests, patterns), as canonical JSON (malloc'ed; NULL if the document
 * does not describe entry). Equal signatures: comparable experiments.
 */
char *iov_workload_signature(json_t *doc, const char *entry);
/* The experiment with this id, or NULL. */
json_t *iov_doc_experiment(json_t *doc, const char *id);

/*
 * Experiments measured interleaved (workload key interleave, run.c): the note names the other
 * members of the group. iov_doc_interleaved returns x's partner of NIC kind nic, or NULL.
 */
#define IOV_NOTE_INTERLEAVED_WITH "interleaved_with"
/* the run lost its target during this experiment: one line per loss, the target rebooted after it */
#define IOV_NOTE_TARGET_LOST "target_lost"
json_t *iov_doc_interleaved(json_t *doc, json_t *x, const char *nic);

/*
 * Ratio a/b of two experiments measured interleaved, pair k being repetition k of each (run
 * back to back, so a drift of the host cancels): the geometric mean of the per-pair ratios, its
 * (1 - alpha) CI (Student t on the logs) and the median. Pairs with a failed side are left out.
 * Fails (-1) with fewer than two pairs.
 */
struct iov_paired_ratio {
	size_t pairs;
	double ratio, lo, hi, median;
};

int iov_paired_ratio(json_t *xa, json_t *xb, const char *metric, double alpha, struct iov_paired_ratio *out);
/* Its reading: "higher" or "lower" when the whole CI lies on one side of 1, else "no difference shown". */
const char *iov_paired_ratio_verdict(const struct iov_paired_ratio *r);

/*
 * The driver comparisons an interleaved group of SR-IOV kinds allows: one driver of the pair
 * swapped, the other fixed. a/b is ours over the in-tree driver.
 */
struct iov_driver_pair {
	const char *a, *b; /* NIC kinds */
	const char *what;  /* "PF iovpf over igb, VF iovvf" */
};

#define IOV_DRIVER_PAIRS 4
extern const struct iov_driver_pair iov_driver_pairs[IOV_DRIVER_PAIRS];

/*
 * Cost of our drivers' instrumentation, from a vf experiment and its vf-noinstr twin measured
 * interleaved (run.c): repetition k of both ran back to back, so the ratio on/off of each pair
 * cancels the host's drift, which a 2 % bound could not absorb across whole experiments. The
 * bound holds ("within") when the whole (1 - alpha) CI of the mean paired ratio lies within
 * max_cost_pct of 1 in the metric's bad direction, is exceeded when the whole CI lies beyond
 * it, and is undecided otherwise. Fails (-1) with fewer than two complete pairs.
 */
#define IOV_INSTR_COST_MAX_PCT 2.0

enum iov_cost_verdict { IOV_COST_UNDECIDED, IOV_COST_WITHIN, IOV_COST_EXCEEDED };

struct iov_instr_cost {
	size_t pairs; /* ratios the verdict rests on: repetition pairs, or toggle triples */
	double ratio, lo, hi; /* mean of on/off per pair and its CI */
	enum iov_cost_verdict verdict;
};

int iov_instr_cost(json_t *x_on, json_t *x_off, const char *metric, enum iov_better better, double alpha,
		   double max_cost_pct, struct iov_instr_cost *out);
/*
 * The same verdict from one experiment that ran a toggle inside every repetition
 * (toggles/toggles.h: the instrumentation, a hostile VF): its note toggle->note holds the
 * throughput ratios on/off of disjoint segment triples (collect/toggle.h), pooled over
 * repetitions, held against toggle->max_cost_pct. Fails (-1) with fewer than two ratios.
 */
struct iov_toggle_ops;
int iov_toggle_cost(json_t *x, const struct iov_toggle_ops *toggle, double alpha, struct iov_instr_cost *out);
const char *iov_cost_verdict_name(enum iov_cost_verdict v);
/*
 * A rate the traffic generator fixes (throughput or packet rate of a workload with a bitrate):
 * it is the same with any cost, so a cost verdict on it would hold whatever the driver did.
 */
bool iov_metric_fixed_by_workload(json_t *workload, const char *metric);
/* 1.23G, 456.7k, 12.3: three significant digits with an SI prefix. */
void iov_fmt_si(char *buf, size_t len, double v);

#endif
