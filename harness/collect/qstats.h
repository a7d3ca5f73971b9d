/* SPDX-License-Identifier: MIT */
/*
 * qstats.h - per-queue statistics from netdev netlink (qstats-get), as harness/agent/iovqstats
 * prints them, one queue per line:
 *   queue-type=rx queue-id=0 rx-packets=61773 rx-bytes=92004667 rx-csum-unnecessary=61770 ...
 * Drivers without qstats (igb, igbvf, e1000e) print nothing; the counters are only what a
 * driver reports (the netlink spec leaves unsupported ones undefined), so absent keys stay 0
 * and are marked absent.
 */
#ifndef IOV_COLLECT_QSTATS_H
#define IOV_COLLECT_QSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define IOV_QSTATS_MAX_QUEUES 64

struct iov_qstats_queue {
	char dev[32];
	bool tx;             /* queue-type */
	unsigned id;         /* queue-id */
	uint64_t packets, bytes;
	bool has_packets;
};

struct iov_qstats {
	size_t n;
	struct iov_qstats_queue q[IOV_QSTATS_MAX_QUEUES];
};

/* Add the queues of one netdev (the tool's output for it). */
int iov_qstats_add(struct iov_qstats *s, const char *dev, const char *text, struct iov_err *err);
/* after - before per (dev, type, id); queues missing before count from zero. */
int iov_qstats_delta(const struct iov_qstats *before, const struct iov_qstats *after,
		     struct iov_qstats *delta, struct iov_err *err);

#endif
