/* SPDX-License-Identifier: MIT */
/*
 * perf_counts.h - perf-event counts as iovperf read prints them (harness/agent/iovperf.c), and
 * their deltas over a window (a snapshot section "=== perf" when the harness takes it):
 *
 *   # iovperf 1 cpus=2
 *   napi:napi_poll 1234 cpu0=1000 cpu1=234
 *   irq:irq_handler_entry/30 57 cpu0=57 cpu1=0
 *   cycles 987654 cpu0=500000 cpu1=487654 scaled=1500/2000
 *   cycles not-supported no-pmu
 *   napi:napi_poll/work 1230 lost=4 hist=0:10,1:900,2:200,4:100,8:15,16:3,32:1,64:1
 *
 * The last is iovperf's sample ring on napi:napi_poll (--napi-hist): TOTAL is the polls it
 * decoded, lost those the ring dropped, hist the per-poll work histogram (harness/collect/
 * napi_samples.h buckets: lower bounds, the last key the budget).
 *
 * An event that is "not-supported" (no PMU under TCG, a tracepoint this kernel lacks) has no
 * value at all: it is never read as 0, and neither is an event a reading does not list.
 */
#ifndef IOV_COLLECT_PERF_COUNTS_H
#define IOV_COLLECT_PERF_COUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define IOV_PERF_MAX_EVENTS 512 /* 7 VM guests read with --vm print 40 lines each */

struct iov_perf_count {
	char name[64];	 /* EVENT[/INSTANCE] */
	bool supported;	 /* false: no value (why says so) */
	char why[48];	 /* iovperf's reason, e.g. "no-pmu", "no-such-event" */
	bool scaled;	 /* a multiplexed hardware count, extrapolated to its enabled time */
	uint64_t total;	 /* summed over the CPUs */
	size_t ncpu;
	int *cpu_id;	 /* per CPU: its number and count (heap, ncpu entries) */
	uint64_t *cpu;
	bool has_hist;	 /* a sample ring's line: lost and hist[] are set */
	uint64_t lost;
	int hist_key[8];
	uint64_t hist[8];
};

struct iov_perf_counts {
	int ncpus; /* from the header */
	size_t n;
	struct iov_perf_count ev[IOV_PERF_MAX_EVENTS];
};

/* Parse one reading; the header line is required, events may repeat nowhere. */
int iov_perf_parse(const char *text, struct iov_perf_counts *c, struct iov_err *err);
void iov_perf_counts_free(struct iov_perf_counts *c);

/* A collector's snapshot of one iovperf reading (the perf and perf_kvm sections). */
struct iov_perf_snap {
	bool present;
	struct iov_perf_counts c;
};

/* The section body into s; present when it parsed. */
int iov_perf_snap_parse(struct iov_perf_snap *s, const char *body, struct iov_err *err);
void iov_perf_snap_free(void *state);
/* The event named exactly NAME, or NULL when the reading does not list it. */
const struct iov_perf_count *iov_perf_find(const struct iov_perf_counts *c, const char *name);
/*
 * after - before, event by event of after: supported only where both readings counted it (else
 * not supported, why "absent before" or the reading's reason). A count going down (the counters
 * were restarted) is an error.
 */
int iov_perf_delta(const struct iov_perf_counts *before, const struct iov_perf_counts *after,
		   struct iov_perf_counts *delta, struct iov_err *err);
/* The total of NAME: 0 and *v, or -1 when it is absent or not supported (never a 0 then). */
int iov_perf_value(const struct iov_perf_counts *c, const char *name, uint64_t *v);

#endif
