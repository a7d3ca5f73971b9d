/* SPDX-License-Identifier: MIT */
/*
 * procstat.h - CPU time from /proc/stat: per-CPU lines ("cpu0 ...") and the aggregate ("cpu ..."),
 * in USER_HZ ticks, and their deltas as percentages of the elapsed ticks of that CPU.
 *
 * Fields: user nice system idle iowait irq softirq steal [guest guest_nice]. Kernel user time
 * already includes guest time, so guest and guest_nice are kept but not added to the total.
 */
#ifndef IOV_COLLECT_PROCSTAT_H
#define IOV_COLLECT_PROCSTAT_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define IOV_CPU_ALL (-1)

struct iov_cpu_ticks {
	int cpu; /* IOV_CPU_ALL for the aggregate line */
	uint64_t user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice;
};

struct iov_procstat {
	struct iov_cpu_ticks all;
	size_t ncpus;
	struct iov_cpu_ticks *cpus; /* in file order */
};

struct iov_cpu_pct {
	int cpu;
	uint64_t elapsed_ticks; /* sum of the eight time fields' deltas */
	double user, nice, system, idle, iowait, irq, softirq, steal;
	double busy; /* 100 - idle - iowait */
};

int iov_procstat_parse(const char *text, struct iov_procstat *st, struct iov_err *err);
void iov_procstat_free(struct iov_procstat *st);

/*
 * Percentages between two snapshots: out->all for the aggregate, *cpus (malloc'ed, *ncpus of
 * them) per CPU present in both. A CPU with zero elapsed ticks (offline all along) is omitted;
 * a counter going down is an error.
 */
int iov_procstat_delta_pct(const struct iov_procstat *before, const struct iov_procstat *after,
			   struct iov_cpu_pct *all, struct iov_cpu_pct **cpus, size_t *ncpus, struct iov_err *err);

#endif
