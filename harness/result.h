/* SPDX-License-Identifier: MIT */
/*
 * result.h - the result document of one run (results-schema/result.schema.json), built in
 * memory with jansson and rewritten atomically after every step, so that a run interrupted at
 * any point leaves the last complete document, with what it measured and what it did not.
 *
 * Orchestrator's sequence:
 *   iov_run_dir_create -> iov_result_new -> iov_result_add_plan (every experiment "pending",
 *   every workload's parameters) -> per experiment: iov_result_experiment_begin, per repetition
 *   iov_result_add_values + iov_result_rep_done, iov_result_experiment_end (or _fail) ->
 *   iov_result_finish; iov_result_write after each step, iov_run_latest_point after the first.
 *
 * Per metric and experiment the document keeps the raw value of every repetition (null where a
 * repetition measured nothing) and the summary of stats.h, for the experiment-wide figure and
 * for each instance (per pair, CPU, vector, thread).
 */
#ifndef IOV_RESULT_H
#define IOV_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <jansson.h>

#include "metrics.h"
#include "suite.h"
#include "util.h"

#define IOV_RESULT_SCHEMA_VERSION 1
#define IOV_RESULT_FILE "result.json"

struct iov_env_driver {
	const char *name;    /* "iovpf", "iovvf", "igbvf", "e1000e", "virtio_net" */
	const char *version; /* modinfo version (or the kernel's for in-tree drivers) */
};

struct iov_env {
	const char *qemu_version;   /* "QEMU emulator version 10.0.2 (...)" */
	const char *accelerator;    /* "tcg" or "kvm" */
	const char *guest_kernel;   /* uname -r in the lab */
	const char *host_kernel;
	const char *host_cpu_model; /* /proc/cpuinfo "model name" */
	unsigned host_cores;
	const char *git_revision;   /* of this tree, "-dirty" when modified */
	const char *command_line;   /* optional */
	size_t ndrivers;
	const struct iov_env_driver *drivers;
	size_t ntools;
	const struct iov_env_driver *tools; /* traffic generators: "iperf3" -> "iperf 3.12", "fio" -> "fio-3.33" */
};

struct iov_result;

/* "20261122T023310Z-default": sortable, unique per second and suite. */
void iov_run_id_format(char *buf, size_t size, time_t when, const char *suite);
/* Create OUT/RUN_ID/; *result_path (malloc'ed) is OUT/RUN_ID/result.json. */
int iov_run_dir_create(const char *out_dir, const char *run_id, char **result_path, struct iov_err *err);
/*
 * Point OUT/latest at RUN_ID (a relative symlink, replaced atomically), once its result.json
 * is written: refused while it is not, so latest never leads to a run without a document.
 */
int iov_run_latest_point(const char *out_dir, const char *run_id, struct iov_err *err);

struct iov_result *iov_result_new(const char *run_id, const char *path, const struct iov_env *env,
				  struct iov_err *err);
/* A recorded document (iov_result_load), to be updated and rewritten at the same path. */
struct iov_result *iov_result_open(const char *path, struct iov_err *err);
void iov_result_free(struct iov_result *res);
/* The document (borrowed). */
json_t *iov_result_json(const struct iov_result *res);

/* Record the suite, every entry's workload parameters and every experiment as "pending". */
int iov_result_add_plan(struct iov_result *res, const struct iov_suite *suite, const struct iov_plan *plan,
			struct iov_err *err);

int iov_result_experiment_begin(struct iov_result *res, const char *exp_id, struct iov_err *err);
/* Record the values of one repetition (0-based); summaries are recomputed. */
int iov_result_add_values(struct iov_result *res, const char *exp_id, unsigned rep,
			  const struct iov_metric_set *set, struct iov_err *err);
/* The document's metric catalogue replaced by this program's (its metrics are about to be recomputed). */
int iov_result_refresh_catalogue(struct iov_result *res, struct iov_err *err);
/* Drop every value an experiment recorded (its metrics are about to be recomputed). */
int iov_result_clear_values(struct iov_result *res, const char *exp_id, struct iov_err *err);
/*
 * Where a repetition's wall time went, in seconds: the topology built for it (0 when it stood),
 * the counters before and after, the traffic, fetching the raw files, extracting the metrics.
 * A phase that did not run is negative and left out of the document.
 */
enum iov_rep_phase {
	IOV_PHASE_TOPOLOGY,
	IOV_PHASE_SNAPSHOT_BEFORE,
	IOV_PHASE_TRAFFIC,
	IOV_PHASE_SNAPSHOT_AFTER,
	IOV_PHASE_FETCH,
	IOV_PHASE_EXTRACT,
	IOV_PHASE_COUNT
};
struct iov_rep_wall {
	double s[IOV_PHASE_COUNT];
};
extern const char *const iov_rep_phase_names[IOV_PHASE_COUNT];
/* Every phase "did not run". */
void iov_rep_wall_init(struct iov_rep_wall *w);

/*
 * Close a repetition: ok, or failed with the reason (the values it did record are kept); wall
 * (NULL: not timed) is recorded as its "wall_s".
 */
int iov_result_rep_done(struct iov_result *res, const char *exp_id, unsigned rep, bool ok, const char *reason,
			const struct iov_rep_wall *wall, struct iov_err *err);
/* Close an experiment: "ok" if every planned repetition was ok, "partial" if some, else "failed". */
int iov_result_experiment_end(struct iov_result *res, const char *exp_id, struct iov_err *err);
/* An experiment that could not run at all (lab failed to boot, NIC unavailable...). */
int iov_result_experiment_fail(struct iov_result *res, const char *exp_id, const char *reason,
			       struct iov_err *err);
/* Close the run: "complete" if every experiment is ok, "failed" if none is, else "partial". */
int iov_result_finish(struct iov_result *res, struct iov_err *err);

/*
 * Free-form facts worth keeping with the numbers (command lines run, topology, lab settings):
 * stored under "notes" of the run (exp_id NULL) or of an experiment; value's reference is stolen.
 */
int iov_result_note(struct iov_result *res, const char *exp_id, const char *key, json_t *value,
		    struct iov_err *err);

/* Atomic rewrite of the document at its path. */
int iov_result_write(struct iov_result *res, struct iov_err *err);

/* The string member key of o; NULL when o lacks it or it is not a string. */
const char *iov_jstr(json_t *o, const char *key);

/* Load a document and check its structure (iov_result_check); NULL with a message on error. */
json_t *iov_result_load(const char *path, struct iov_err *err);
/*
 * Structural check in C of what the schema requires: version, required members and types,
 * experiments' status values, metric names present in the document's catalogue, summaries,
 * and the run id, experiment ids, entry, workload, NIC and pattern names plain names
 * (iov_plain_name), since they reach file names and gnuplot scripts.
 */
int iov_result_check(json_t *doc, struct iov_err *err);

#endif
