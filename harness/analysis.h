/* SPDX-License-Identifier: MIT */
/*
 * analysis.h - the decisions drawn from result documents, made once for every output: which
 * experiments ran, which were measured interleaved with which (our drivers against the in-tree
 * ones, instrumentation on against off), and the paired ratios, CIs and verdicts of each. The
 * terminal summary (summary.h) and the report (report.h) only format this; neither selects
 * pairs or picks a significance level of its own.
 */
#ifndef IOV_ANALYSIS_H
#define IOV_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "compare.h"
#include "util.h"

/* One experiment of one of the documents. */
struct iov_an_exp {
	json_t *x, *doc, *workload; /* workload: as run, from the experiment's own document */
	const char *run_id, *id, *entry, *nic, *pattern, *status;
	const char *guest_kind; /* "netns" (also for results older than guest kinds) or "vm" */
	int guests;
	bool id_repeats; /* the same experiment id in several documents: label with the run */
	json_t *base_x;	 /* the baseline's experiment with this id, or NULL */
	const char *headline; /* the workload tool's headline metric */
};

struct iov_toggle_ops;

/* Driver against driver: experiment e of kind pair->a interleaved with partner of kind pair->b. */
struct iov_an_pair {
	const struct iov_an_exp *e, *partner;
	const struct iov_driver_pair *pair;
	const char *metric;
	bool headline; /* the workload's headline metric: the summary shows only these */
	bool decided;  /* two or more complete pairs: ratio holds the figures */
	struct iov_paired_ratio ratio;
};

/*
 * A cost on experiment e: the instrumentation's against its interleaved vf-noinstr twin (twin
 * set), or a toggle's from the segments inside its repetitions (toggle set: the
 * instrumentation's or a hostile VF's; metric the receivers' throughput).
 */
struct iov_an_cost {
	const struct iov_an_exp *e, *twin;
	const struct iov_toggle_ops *toggle;
	const char *metric;
	bool primary; /* the one metric the summary shows for e */
	bool decided; /* enough pairs (or segment triples) for cost */
	struct iov_instr_cost cost;
};

struct iov_analysis {
	struct iov_compare_params params;
	struct iov_an_exp *exps;
	size_t nexps;
	struct iov_an_pair *pairs;
	size_t npairs;
	struct iov_an_cost *costs;
	size_t ncosts;
};

/* Experiments of docs (and base, NULL for none), their pairs and costs. */
int iov_analysis_build(json_t *const *docs, size_t ndocs, json_t *base, struct iov_analysis *a, struct iov_err *err);
void iov_analysis_free(struct iov_analysis *a);

/* "g2g" / "g2d" */
const char *iov_an_pattern_short(const char *pattern);

/* "vf-inbox g2g 2 guests" (with the run when the id repeats across documents) */
void iov_an_exp_label(const struct iov_an_exp *e, char *buf, size_t len, bool with_nic);

#endif
