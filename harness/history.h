/* SPDX-License-Identifier: MIT */
/*
 * history.h - every run's raw per-repetition values in an embedded SQLite database
 * (results/history.db), so that a run can be judged against earlier runs of the same machine.
 *
 * The database schema is versioned: table schema_version holds the version, and opening applies
 * the migration steps from that version up to IOV_HISTORY_SCHEMA_VERSION, in order, each in
 * one transaction. A database of a newer version, or one with tables but no version, is
 * refused: history is never silently rebuilt.
 *
 *   v1: runs (one row per run_id, machine, times, status, git revision, suite, result path);
 *       samples (run, experiment, metric, repetition, value).
 *   v2: runs.accelerator; experiments (entry, NIC kind, pattern, guests, status), backfilled
 *       for v1 runs from their experiment ids (status and accelerator unknown: NULL).
 *   v3: experiments.workload, the workload's signature (compare.h), so that runs of the same
 *       experiment id with other parameters (another duration...) are not compared; NULL
 *       (unknown) for runs recorded before.
 */
#ifndef IOV_HISTORY_H
#define IOV_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

#include "util.h"

#define IOV_HISTORY_SCHEMA_VERSION 3
#define IOV_HISTORY_FILE "history.db"

struct iov_history;

/* Open (creating if needed) and migrate to the current version. */
struct iov_history *iov_history_open(const char *path, struct iov_err *err);
/* Open and migrate only up to version (tests of the migrations build old databases with it). */
struct iov_history *iov_history_open_version(const char *path, int version, struct iov_err *err);
void iov_history_close(struct iov_history *h);
int iov_history_version(struct iov_history *h);

/*
 * The machine a run belongs to: "HOST (CPU MODEL, N cores, ACCEL)". host is the recording
 * host's name unless given; runs are only compared with runs of the same machine.
 */
char *iov_history_machine(json_t *doc, const char *host);

/*
 * Record a result document (experiments, every repetition's experiment-wide value). A run
 * already recorded under the same run_id is refused, naming it and the database, unless
 * replace. A database another process keeps locked for more than the busy timeout (10 s) is
 * an error: the run is not recorded, and the message says so.
 */
int iov_history_add(struct iov_history *h, json_t *doc, const char *result_path, const char *machine, bool replace,
		    struct iov_err *err);

/* What iovbench run calls at its end: OUT_DIR/history.db, this host's machine name. */
int iov_history_record(const char *out_dir, json_t *doc, struct iov_err *err);

struct iov_history_run {
	long long id;
	char run_id[128];
	char machine[256];
	char started_at[32];
	char status[16];
	char git_revision[64];
	char suite[64];
	char accelerator[16]; /* "" when unknown */
	char result_path[512];
};

/* Runs oldest first (by start time, then run id), of one machine or all (machine NULL). */
int iov_history_runs(struct iov_history *h, const char *machine, struct iov_history_run **runs, size_t *n,
		     struct iov_err *err);
int iov_history_find_run(struct iov_history *h, const char *run_id, struct iov_history_run *run,
			 struct iov_err *err);

struct iov_history_experiment {
	char id[128];
	char entry[64];
	char nic[16];
	char pattern[32];
	int guests;
};

int iov_history_experiments(struct iov_history *h, long long run, struct iov_history_experiment **x, size_t *n,
			    struct iov_err *err);
/* The repetitions' values (NaN for a repetition that measured nothing); NULL, *n 0 if none. */
double *iov_history_values(struct iov_history *h, long long run, const char *experiment, const char *metric,
			   size_t *n);
/* The workload signature of an experiment of a run (malloc'ed), NULL when unknown. */
char *iov_history_workload(struct iov_history *h, long long run, const char *experiment);
/* Metrics recorded for an experiment of a run, sorted; free with iov_history_strings_free. */
char **iov_history_metrics(struct iov_history *h, long long run, const char *experiment, size_t *n);
void iov_history_strings_free(char **s, size_t n);
/*
 * The calls above without an error argument return "no data" when the database cannot be read
 * (a dropped table, a corrupted page): this says whether any read failed since the open, with
 * the file and SQLite's message. Everything that judges data must check it before trusting "none".
 */
int iov_history_check(struct iov_history *h, struct iov_err *err);

/* Table of runs, newest last, with the number of experiments and values of each. */
int iov_history_print_runs(struct iov_history *h, FILE *f, const char *machine, struct iov_err *err);

#endif
