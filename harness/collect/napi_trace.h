/* SPDX-License-Identifier: MIT */
/*
 * napi_trace.h - NAPI poll efficiency from the napi:napi_poll tracepoint, the same way for
 * every driver (ours, in-tree igb/igbvf, e1000e, virtio-net). ftrace text, one event per line:
 *
 *   <idle>-0  [001] ..s1.  52.861203: napi_poll: napi poll on napi struct 00000000c4f5d1a2 for device eth1 work 1 budget 64
 *
 * (TP_printk of include/trace/events/napi.h since 4.8: "napi poll on napi struct %p for device
 * %s work %d budget %d".) Other events and comment lines are skipped. Lost events make the
 * counts incomplete, so they are an error rather than a silent undercount: trace_pipe's
 * "CPU:N [LOST M EVENTS]" lines and the trace file's header
 * "# entries-in-buffer/entries-written: A/B" with A < B (the ring buffer overwrote events).
 *
 * Device names are those of each event's netdev; the lab must keep them unique across the
 * guests' namespaces for per-device figures to mean one NIC.
 */
#ifndef IOV_COLLECT_NAPI_TRACE_H
#define IOV_COLLECT_NAPI_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"
#include "util.h"

#define IOV_NAPI_MAX_DEVS 32

struct iov_napi_dev {
	char dev[32];
	uint64_t polls;
	uint64_t work_total;   /* packets processed: sum of work */
	uint64_t empty_polls;  /* work == 0 */
	uint64_t budget_polls; /* work >= budget: the poll used its whole budget */
	unsigned budget;       /* largest budget seen */
	struct iov_hist work;  /* bucketed like the drivers' own histogram (stats-format.md) */
};

struct iov_napi_trace {
	uint64_t events;      /* napi_poll events counted */
	uint64_t other_lines; /* non-comment lines that were not napi_poll events */
	size_t ndevs;
	struct iov_napi_dev devs[IOV_NAPI_MAX_DEVS];
};

void iov_napi_trace_init(struct iov_napi_trace *t);
/* Add whole lines of trace text (may be called again with the next chunk). */
int iov_napi_trace_add(struct iov_napi_trace *t, const char *text, struct iov_err *err);
/* init + add */
int iov_napi_trace_parse(const char *text, struct iov_napi_trace *t, struct iov_err *err);
const struct iov_napi_dev *iov_napi_trace_find(const struct iov_napi_trace *t, const char *dev);

#endif
