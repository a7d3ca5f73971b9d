// SPDX-License-Identifier: MIT
/*
 * perf_kvm.c - the collector of "=== perf_kvm": KVM's events counted by perf events (libperf)
 * on each VM guest's vCPU threads in the driver domain (iovperf start DIR --vm NAME=PID, lines
 * "kvm:kvm_exit/GUEST TOTAL"), read in iovperf's format (perf_counts.h). The kvm collector
 * counts the same events on the same threads with hist triggers and hands its totals on:
 * both are recorded, and their difference is a metric of its own.
 */
#include <stdbool.h>

#include "collect/collector.h"
#include "collect/perf_counts.h"
#include "metrics_compute.h"

static int perf_kvm_parse(void *state, const char *arg, const char *arg2, const char *body, struct iov_err *err)
{
	(void)arg;
	(void)arg2;
	if (iov_perf_snap_parse(state, body, err)) {
		iov_err_prefix(err, "perf_kvm");
		return -1;
	}
	return 0;
}

static int perf_kvm_metrics(const void *before, const void *after, struct iov_collect_rep *rep,
			    struct iov_metric_set *set, struct iov_err *err)
{
	const struct iov_perf_snap *b = before, *a = after;
	struct iov_perf_counts d;
	int rc;

	if (!b->present || !a->present)
		return 0; /* no VM guests, or iovperf did not count them */
	rc = iov_perf_delta(&b->c, &a->c, &d, err) ||
	     iov_metrics_perf_kvm(set, &d, rep->seconds, rep->packets, rep->kvm_exits, rep->kvm_injections, err);
	iov_perf_counts_free(&d);
	return rc ? -1 : 0;
}

const struct iov_collector_ops iov_collector_perf_kvm = {
	.name = "perf_kvm",
	.section = "perf_kvm",
	.state_size = sizeof(struct iov_perf_snap),
	.parse = perf_kvm_parse,
	.free = iov_perf_snap_free,
	.metrics = perf_kvm_metrics,
};
