/* SPDX-License-Identifier: MIT */
/*
 * driver_stats.h - our drivers' debugfs statistics, format v1 (driver/common/stats-format.md):
 * /sys/kernel/debug/iovbench/<bdf>/stats, a "# iovbench-stats 1" header, then records
 * "KIND key=value ...". Unknown kinds and keys are skipped (forward compatible within a version);
 * another version is an error.
 */
#ifndef IOV_COLLECT_DRIVER_STATS_H
#define IOV_COLLECT_DRIVER_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stats.h"
#include "util.h"

#define IOV_DRV_STATS_VERSION 1

struct iov_drv_irq {
	unsigned vec;
	char name[32];
	uint64_t count; /* hard interrupts handled */
};

struct iov_drv_napi {
	unsigned id;
	char name[32];
	unsigned budget;
	uint64_t polls, irqs, rearms;
	struct iov_hist work; /* sums to polls */
};

struct iov_drv_mbx {
	int vf;		/* -1 on the VF side */
	char dir[16];	/* service, rtt, rejected */
	char op[24];
	uint64_t count, ack, nack, timeout; /* rejected records carry count only */
	struct iov_hist lat_ns;
};

struct iov_drv_stats {
	char driver[16], bdf[16], netdev[32], role[8];
	int num_vfs; /* -1 when not given (VF) */
	int enabled; /* instrumentation static key; with 0 no counter moves */
	size_t nirq, nnapi, nmbx;
	struct iov_drv_irq *irq;
	struct iov_drv_napi *napi;
	struct iov_drv_mbx *mbx;
};

int iov_drv_stats_parse(const char *text, struct iov_drv_stats *s, struct iov_err *err);
void iov_drv_stats_free(struct iov_drv_stats *s);
/* In the driver_stats collector's snapshot state (collector.h): the functions, in section order. */
size_t iov_drv_snapshot_count(const void *state);
const struct iov_drv_stats *iov_drv_snapshot_at(const void *state, size_t i, const char **bdf);

/*
 * delta = after - before: irq by vec, napi by id, mbx by (vf, dir, op); identity fields and
 * budgets from `after`; records new in `after` count from zero; a counter going down (reset
 * in between) or another device is an error.
 */
int iov_drv_stats_delta(const struct iov_drv_stats *before, const struct iov_drv_stats *after,
			struct iov_drv_stats *delta, struct iov_err *err);

/* The format's invariants: each napi work histogram sums to polls. */
int iov_drv_stats_check(const struct iov_drv_stats *s, struct iov_err *err);

const struct iov_drv_mbx *iov_drv_stats_find_mbx(const struct iov_drv_stats *s, int vf, const char *dir,
						 const char *op);

#endif
