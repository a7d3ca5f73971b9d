/* SPDX-License-Identifier: MIT */
/*
 * gate.h - CI gates over the history: the newest run against limits (ci/gates.conf) and
 * against a window of earlier runs of the same machine, and change points in a trend.
 *
 * Two kinds of gate, because they need different evidence:
 *   ratio     our VF driver against another NIC kind measured in the same run (vf/vf-inbox,
 *             vf/e1000e): both sides share the machine, so the gate holds on any machine.
 *   absolute  the newest run against earlier runs of the same machine: figures of one machine
 *             say nothing about another, so without enough history the gate is skipped, saying so.
 *             It fails when the run is worse than the window's pooled repetitions (compare.h's
 *             test, max-change as the minimum) and also outside the range of the earlier runs'
 *             means: runs vary more than repetitions of one run.
 *
 * gates.conf: one gate per line, "KIND NAME key=value...", preceded by comment lines that say
 * why the gate exists (the comment is shown when the gate fails). Gate lines right below one
 * another share the comment above the first (one gate per suite entry, one reason); a blank line
 * or a new comment ends it. Keys:
 *   ratio    metric=M num=NIC den=NIC (min=R | max=R) [entry=E] [pattern=guest-to-guest|guest-to-domain]
 *   absolute metric=M [nic=NIC] [entry=E] [max-change=PCT (5)] [window=N (5)] [min-runs=K (3)]
 *
 * A gate that finds nothing to judge in the run (no experiment of its entry, pattern and NIC
 * kinds with its metric) fails: a misspelt entry or a renamed suite entry would otherwise pass
 * every run unseen. Only an absolute gate that did find its experiments but lacks earlier runs
 * of this machine is skipped.
 */
#ifndef IOV_GATE_H
#define IOV_GATE_H

#include <stdio.h>
#include <jansson.h>

#include "compare.h"
#include "history.h"
#include "util.h"

enum iov_gate_kind { IOV_GATE_RATIO, IOV_GATE_ABSOLUTE };

struct iov_gate {
	enum iov_gate_kind kind;
	int line;
	char name[64];
	char metric[64];
	char num[16], den[16]; /* ratio */
	double min_ratio, max_ratio; /* ratio: one of them, the other NaN */
	char nic[16];		     /* absolute: "" = every NIC kind */
	char entry[64];		     /* "" = every workload */
	char pattern[32];	     /* "" = both */
	double max_change_pct;	     /* absolute */
	unsigned window, min_runs;   /* absolute */
	char why[1024];
};

struct iov_gate_config {
	size_t n;
	struct iov_gate *gates;
};

int iov_gate_config_parse(const char *text, const char *source, struct iov_gate_config *cfg, struct iov_err *err);
int iov_gate_config_load(const char *path, struct iov_gate_config *cfg, struct iov_err *err);
void iov_gate_config_free(struct iov_gate_config *cfg);

/* The values of one run for a change-point search. */
struct iov_run_values {
	const double *v;
	size_t n;
};

struct iov_change_point {
	size_t index; /* first run of the new level */
	double before_mean, after_mean, change_pct, p_value;
};

/*
 * Change points by binary segmentation: the split whose runs before and after differ with the
 * smallest U-test p-value, kept when p < alpha / (candidate splits) and the means differ by at
 * least min_change_pct, then searched again on both sides. Returns how many (at most max),
 * sorted by index.
 */
size_t iov_change_points(const struct iov_run_values *runs, size_t nruns, const struct iov_compare_params *p,
			 struct iov_change_point *out, size_t max);

enum iov_gate_status { IOV_GATE_PASS, IOV_GATE_WARN, IOV_GATE_SKIP, IOV_GATE_FAIL };
const char *iov_gate_status_name(enum iov_gate_status s);

/* An absolute gate's judgement of one experiment: what its outcome's status and detail say. */
struct iov_absolute_judgement {
	enum iov_gate_status status;
	size_t earlier;	    /* earlier runs of this machine with values in the window */
	size_t other;	    /* earlier runs left out: other workload parameters */
	bool short_history; /* fewer than min-runs: skipped */
	struct iov_sample_cmp cmp; /* the window's pooled repetitions against the run's */
	double lo, hi;		   /* the range of the earlier runs' means */
	bool outside;		   /* the run's mean is beyond that range, on the worse side */
	size_t ncp;		   /* change points over the earlier runs and this one */
	struct iov_change_point cps[8]; /* index == earlier: at this run */
};

/*
 * Judge a run's values (cur) against the earlier runs' (nearlier of them, oldest first) for
 * gate g: FAIL when the pooled test says regressed and the mean left the earlier runs' range,
 * WARN when only one of the two holds or a change point shows, else PASS. -1: out of memory.
 */
int iov_absolute_judge(const struct iov_gate *g, const struct iov_run_values *earlier, size_t nearlier,
		       const double *cur, size_t ncur, const struct iov_compare_params *p,
		       struct iov_absolute_judgement *j);

struct iov_gate_outcome {
	const struct iov_gate *gate;
	char experiment[128]; /* "" when the gate found nothing to look at */
	enum iov_gate_status status;
	bool judged_nothing; /* the run has nothing this gate selects: status is IOV_GATE_FAIL */
	struct iov_absolute_judgement absolute; /* an absolute gate's that found its experiment */
	char detail[768];
};

struct iov_gate_report {
	struct iov_history_run run; /* the run judged */
	size_t earlier_runs;	    /* of the same machine */
	size_t n;
	struct iov_gate_outcome *outcomes;
	size_t count[4];
};

/* Judge run_id (NULL: the newest run in the history) with every gate. */
int iov_gate_evaluate(struct iov_history *h, const char *run_id, const struct iov_gate_config *cfg,
		      const struct iov_compare_params *p, struct iov_gate_report *out, struct iov_err *err);
void iov_gate_report_free(struct iov_gate_report *r);
void iov_gate_report_print(FILE *f, const struct iov_gate_report *r);
json_t *iov_gate_report_json(const struct iov_gate_report *r);

/* One experiment's metric over the runs of a machine. */
struct iov_trend_point {
	size_t run; /* index in struct iov_trends' runs */
	struct iov_summary s;
	bool change_point; /* the first run of a new level */
	double change_pct, p_value;
};

struct iov_trend {
	char experiment[128];
	size_t other; /* runs left out: other workload parameters */
	size_t n;
	struct iov_trend_point *points;
};

struct iov_trends {
	char machine[256];
	struct iov_compare_params p;
	struct iov_history_run *runs; /* of the machine, oldest first */
	size_t nruns;
	size_t n; /* experiments of the newest run with values */
	struct iov_trend *t;
};

/*
 * A metric over time: per experiment of the machine's newest run (or only `experiment`), each
 * run's summary, change points marked. machine NULL: the machine of the newest run.
 */
int iov_trends_compute(struct iov_history *h, const char *machine, const char *metric, const char *experiment,
		       struct iov_trends *out, struct iov_err *err);
void iov_trends_free(struct iov_trends *t);
/* The same, as a table per experiment. */
int iov_trend_print(struct iov_history *h, FILE *f, const char *machine, const char *metric, const char *experiment,
		    struct iov_err *err);

#endif
