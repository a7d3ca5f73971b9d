/* SPDX-License-Identifier: MIT */
/*
 * suite.h - the workload catalogue (every .workload file of a directory), suites
 * and the plan: the list of experiments a run performs.
 *
 * A suite file (format in workloads/REFERENCE.md) has one [suite NAME] section, whose workload
 * keys override every entry, and [entry NAME] sections naming a workload plus overrides. An
 * experiment is one (entry, nic, guests, pattern) combination, run `reps` times.
 *
 * The orchestrator's path: iov_catalogue_load -> iov_suite_load (or iov_suite_from_workloads for
 * `iovbench run WORKLOAD...`) with the command line's overrides -> iov_plan_build -> run each
 * experiment.
 */
#ifndef IOV_SUITE_H
#define IOV_SUITE_H

#include <stddef.h>

#include "util.h"
#include "workload.h"

struct iov_toggle_ops;

struct iov_catalogue {
	size_t n;
	struct iov_workload *workloads; /* sorted by file name, then file order */
};

/* Load every DIR/ *.workload file; a workload name defined twice is an error naming both places. */
int iov_catalogue_load(const char *dir, struct iov_catalogue *cat, struct iov_err *err);
const struct iov_workload *iov_catalogue_find(const struct iov_catalogue *cat, const char *name);
void iov_catalogue_free(struct iov_catalogue *cat);

/* A key = value from the command line (or any other source), applied after the files. */
struct iov_override {
	const char *key;   /* a workload key, e.g. "reps", "duration_s", "guests", "nic" */
	const char *value; /* in file syntax, e.g. "2, 6" or "all" */
};

#define IOV_OVERRIDE_ORIGIN "command line"

struct iov_suite_entry {
	char name[IOV_WORKLOAD_NAME_MAX];
	struct iov_workload workload; /* resolved: catalogue + suite + entry + overrides, validated */
};

struct iov_suite {
	char name[IOV_WORKLOAD_NAME_MAX];
	char description[256];
	size_t n;
	struct iov_suite_entry *entries;
};

int iov_suite_load(const char *path, const struct iov_catalogue *cat, const struct iov_override *ov, size_t nov,
		   struct iov_suite *suite, struct iov_err *err);
/* The same from text; file names the text in messages. */
int iov_suite_parse(const char *file, const char *text, const struct iov_catalogue *cat,
		    const struct iov_override *ov, size_t nov, struct iov_suite *suite, struct iov_err *err);
/* DIR/suite-NAME.suite */
int iov_suite_load_named(const char *dir, const char *name, const struct iov_catalogue *cat,
			 const struct iov_override *ov, size_t nov, struct iov_suite *suite, struct iov_err *err);
/* An ad-hoc suite "command-line" with one entry per named workload (entry name = workload name). */
int iov_suite_from_workloads(const struct iov_catalogue *cat, const char *const *names, size_t n,
			     const struct iov_override *ov, size_t nov, struct iov_suite *suite, struct iov_err *err);
void iov_suite_free(struct iov_suite *suite);
/* Names of the suites in DIR (from suite-NAME.suite), sorted; free with iov_suite_list_free. */
int iov_suite_list(const char *dir, char ***names, size_t *n, struct iov_err *err);
void iov_suite_list_free(char **names, size_t n);

struct iov_experiment {
	char id[160]; /* ENTRY.NIC.g2g|g2d.Ng, unique in a plan */
	const struct iov_suite_entry *entry;
	const struct iov_workload *workload; /* &entry->workload */
	enum iov_nic nic;
	enum iov_pattern pattern;
	unsigned guests;
};

struct iov_plan {
	size_t n;
	struct iov_experiment *experiments;
};

/*
 * Expand a suite into experiments: those whose guest kind needs a VM host first (a lab boots
 * as one kind of host at a time), then ordered nic, then guests, then pattern, then entry: a lab
 * configuration (NIC kind and guest count) stays the same for as long as possible. The plan
 * points into the suite, which must outlive it.
 */
int iov_plan_build(const struct iov_suite *suite, struct iov_plan *plan, struct iov_err *err);
/*
 * The experiments measured interleaved with experiment i, repetition by repetition (workload
 * key interleave): i's entry, guest count and pattern on every kind the entry interleaves. Fills
 * member (room for IOV_NIC_COUNT) in the order of the first repetition: by topology, so kinds
 * that share one (vf, vf-noinstr) run back to back. Returns the count, 1 (i alone) when i's kind
 * is not interleaved.
 */
size_t iov_plan_group(const struct iov_plan *plan, size_t i, size_t *member);
/* Position k of the group's run order in repetition rep (0-based): ABBA, reversed every other. */
size_t iov_group_order(size_t n, unsigned rep, size_t k);
/* The toggle this experiment runs inside its repetitions (toggles/toggles.h); NULL: none. */
const struct iov_toggle_ops *iov_experiment_toggle(const struct iov_experiment *x);
/* Sum of reps * duration_s over the plan: the measured time, without boot and setup. */
unsigned long long iov_plan_measured_seconds(const struct iov_plan *plan);
void iov_plan_free(struct iov_plan *plan);

#endif
