/* SPDX-License-Identifier: MIT */
/*
 * ethtool_stats.h - `ethtool -S DEV` output: the driver's own named counters, including the
 * per-queue packet counters where the driver provides them there (igb: "rx_queue_0_packets";
 * other drivers "rx0_packets" or "rx-0.packets"; igbvf and e1000e: none). virtio_net since
 * 6.10 reports per-queue packets only through the netdev netlink family (qstats-get), which
 * needs a netlink client in the guest; this collector does not cover it.
 *
 *   NIC statistics:
 *        rx_packets: 1234
 *        rx_queue_0_packets: 1000
 */
#ifndef IOV_COLLECT_ETHTOOL_STATS_H
#define IOV_COLLECT_ETHTOOL_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct iov_ethtool_counter {
	char name[64];
	uint64_t value;
};

struct iov_ethtool_stats {
	size_t n;
	struct iov_ethtool_counter *c;
};

int iov_ethtool_parse(const char *text, struct iov_ethtool_stats *s, struct iov_err *err);
/* after - before by name; a counter new in `after` counts from zero; going down is an error. */
int iov_ethtool_delta(const struct iov_ethtool_stats *before, const struct iov_ethtool_stats *after,
		      struct iov_ethtool_stats *delta, struct iov_err *err);
/* -1 if absent */
int iov_ethtool_get(const struct iov_ethtool_stats *s, const char *name, uint64_t *value);

#define IOV_MAX_QUEUES 64

/*
 * Packets per queue in one direction ('r' or 't'), from "rx_queue_N_packets", "rxN_packets"
 * or "rx-N.packets" counters: packets[N] for N < max; returns the number of queues found (highest N + 1), 0 when
 * the driver has no per-queue counters.
 */
size_t iov_ethtool_queue_packets(const struct iov_ethtool_stats *s, char dir, uint64_t *packets, size_t max);

void iov_ethtool_free(struct iov_ethtool_stats *s);

#endif
