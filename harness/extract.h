/* SPDX-License-Identifier: MIT */
/*
 * extract.h - the metrics of one repetition from its raw inputs, the files RUN/raw/EXP/rep-N/
 * keeps: the snapshots before and after, the kernel trace, each client's output and exit
 * status, a toggle's segments (and its extra file) and the hypervisor's CPU ticks.
 *
 * `iovbench run` captures them from the target, saves them (iov_rep_raw_save) and extracts
 * (iov_extract_rep) after every repetition; `iovbench extract RUN` reads them back
 * (iov_rep_raw_load) and recomputes every metric of the result with the same code
 * (iov_extract_run), so a result is always what its raw files say.
 */
#ifndef IOV_EXTRACT_H
#define IOV_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "metrics.h"
#include "toggles/toggles.h"
#include "tools/tools.h"
#include "traffic.h"
#include "util.h"
#include "workload.h"

/* Raw file names in a repetition's directory (client files: client-INSTANCE.{json,stderr,rc}). */
#define IOV_RAW_SNAPSHOT_BEFORE "snapshot-before.txt"
#define IOV_RAW_SNAPSHOT_AFTER "snapshot-after.txt"
#define IOV_RAW_NAPI_TRACE "napi.trace"
#define IOV_RAW_MAILBOX_TRACE "mailbox-fgraph.trace"
#define IOV_RAW_QEMU_BEFORE "qemu-ticks-before.txt"
#define IOV_RAW_QEMU_AFTER "qemu-ticks-after.txt"
#define IOV_RAW_QEMU_PERF_BEFORE "qemu-perf-before.txt"
#define IOV_RAW_QEMU_PERF_AFTER "qemu-perf-after.txt"

/* What an experiment is, as far as its metrics go. */
struct iov_rep_setup {
	const struct iov_tool_ops *tool;
	enum iov_nic nic;
	bool own_kernel;    /* its guests run their own kernel (VM guests) */
	const struct iov_toggle_ops *toggle; /* iov_experiment_toggle; NULL: none */
	size_t nlinks;
	const struct traffic_link *links;
};

struct iov_rep_client {
	char *out; /* its stdout, the tool's output; NULL: none (why says so) */
	size_t out_len;
	char *err_text; /* its stderr, kept when it failed; NULL: none */
	int status;	/* exit status; -1: unknown */
	struct iov_err why;
};

/* One repetition's raw inputs; NULL where it has none. */
struct iov_rep_raw {
	char *snap_before, *snap_after;
	char *trace;
	size_t trace_len;
	char *toggle; /* the toggle's segment file: when the experiment runs one */
	size_t toggle_len;
	char *toggle_extra; /* its extra_file, when it has one */
	size_t toggle_extra_len;
	char *qemu_before, *qemu_after; /* iov_proc_ticks_format; NULL: no hypervisor process measured */
	/* its threads by class through perf events (iov_qemu_threads_print); NULL: not measured */
	char *qemu_perf_before, *qemu_perf_after;
	size_t nclients;		/* the setup's links, in order */
	struct iov_rep_client clients[TRAFFIC_MAX_LINKS];
};

/* Each endpoint of the links, once: namespace ("-": root), netdev, PCI function; returns the count. */
size_t iov_rep_endpoints(const struct traffic_link *links, size_t n, const char **ns, const char **dev,
			 const char **bdf);

/* Write what raw holds into dir (existing); a file that cannot be written is a warning on stderr. */
void iov_rep_raw_save(const struct iov_rep_raw *raw, const struct iov_rep_setup *x, const char *dir);
/* Read dir back; -1 when it lacks the snapshots or the trace (the repetition never got that far). */
int iov_rep_raw_load(const char *dir, const struct iov_rep_setup *x, struct iov_rep_raw *raw, struct iov_err *err);
void iov_rep_raw_free(struct iov_rep_raw *raw);

/*
 * The repetition's metrics into set. 0, or -1 with the reason in err: a failed client (the
 * others' figures and the counters' are still computed) or raw data that cannot be read (set
 * keeps what came before). toggle_ratios (the experiment toggles): this repetition's on/off
 * ratios are appended. The snapshots' text is modified while parsing and restored.
 */
int iov_extract_rep(const struct iov_rep_setup *x, struct iov_rep_raw *raw, json_t *toggle_ratios,
		    struct iov_metric_set *set, struct iov_err *err);

/*
 * `iovbench extract RUN`: every metric of RUN/result.json recomputed from RUN/raw/, the
 * document rewritten atomically with this program's metric catalogue (a metric added since the
 * run is recorded, one removed is gone); repetitions' statuses and everything else are kept. A
 * repetition whose raw files do not extract is reported on stderr and keeps no values.
 */
int iov_extract_run(const char *run_dir, struct iov_err *err);

#endif
