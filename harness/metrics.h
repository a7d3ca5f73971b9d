/* SPDX-License-Identifier: MIT */
/*
 * metrics.h - the catalogue of every metric a result may hold (name with its unit, unit,
 * whether higher or lower is better, where it comes from), and a small container of computed
 * values that the per-source functions of metrics_compute.h fill and result.h records.
 *
 * Names end in their unit: _bps (bit/s), pps (packet/s), _pct, _ns, _ms, _s, _per_s,
 * _per_pkt, _per_poll, _per_irq, _count. A result may only record catalogued metrics.
 */
#ifndef IOV_METRICS_H
#define IOV_METRICS_H

#include <stddef.h>

#include "util.h"

enum iov_better { IOV_BETTER_HIGHER, IOV_BETTER_LOWER };

struct iov_metric_def {
	const char *name;
	const char *unit;
	enum iov_better better;
	const char *source; /* iperf3, fio, procstat, interrupts, napi_trace, driver_stats, cpu_time, netdev */
	const char *description;
};

const struct iov_metric_def *iov_metric_catalogue(size_t *n);
const struct iov_metric_def *iov_metric_find(const char *name);
const char *iov_better_name(enum iov_better better);
/* Markdown table of the catalogue: the content of results-schema/METRICS.md. */
int iov_metric_reference(struct iov_buf *out);

/*
 * Values computed for one repetition of one experiment. instance "" is the experiment-wide
 * figure; others break it down (a guest pair "g1-g2", a CPU "cpu3", an IRQ "eth1-rx-0", a
 * QEMU thread "CPU 0/TCG").
 */
#define IOV_METRIC_INSTANCE_MAX 64

struct iov_metric_value {
	const struct iov_metric_def *def;
	char instance[IOV_METRIC_INSTANCE_MAX];
	double value;
};

struct iov_metric_set {
	size_t n, cap;
	struct iov_metric_value *v;
};

/* Add a value; unknown metric names, non-finite values and duplicates are errors. */
int iov_metric_set_add(struct iov_metric_set *set, const char *metric, const char *instance, double value,
		       struct iov_err *err);
const struct iov_metric_value *iov_metric_set_get(const struct iov_metric_set *set, const char *metric,
						  const char *instance);
void iov_metric_set_free(struct iov_metric_set *set);

#endif
