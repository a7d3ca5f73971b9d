// SPDX-License-Identifier: MIT
/*
 * perf_qemu.c - the driver domain's hypervisor (the lab's QEMU, on the host) by thread class:
 * perf events on its threads over the repetition (agent/perf_threads.h, read on the host around
 * it, no snapshot section), beside cpu_time's /proc reading of the same process.
 */
#include "collect/collector.h"
#include "metrics_compute.h"

static int perf_qemu_metrics(const void *before, const void *after, struct iov_collect_rep *rep,
			     struct iov_metric_set *set, struct iov_err *err)
{
	(void)before;
	(void)after;
	if (!rep->qemu_perf)
		return 0;
	return iov_metrics_qemu_threads(set, rep->qemu_perf, rep->seconds, rep->packets, IOV_QEMU_OF_HYPERVISOR, err);
}

const struct iov_collector_ops iov_collector_perf_qemu = {
	.name = "perf_qemu",
	.metrics = perf_qemu_metrics,
};
