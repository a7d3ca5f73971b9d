/* SPDX-License-Identifier: MIT */
/*
 * netdev.h - per-interface packet counters from /proc/net/dev (per network namespace: the
 * agent reads it inside each guest), and their deltas. The packet counts are what irq_per_pkt
 * divides by, so every driver is measured against the same kernel counters.
 *
 *   Inter-|   Receive                                  |  Transmit
 *    face |bytes packets errs drop fifo frame compressed multicast|bytes packets errs drop fifo colls carrier compressed
 *     eth1: 98765 432 0 0 0 0 0 0 12345 210 0 0 0 0 0 0
 *
 * The kernel pads the name to 6 columns and the receive bytes to 8, so a long counter is glued
 * to the colon ("eth1:123456789"); names cannot contain ':'.
 */
#ifndef IOV_COLLECT_NETDEV_H
#define IOV_COLLECT_NETDEV_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct iov_netdev_counters {
	char name[32];
	uint64_t rx_bytes, rx_packets, rx_errs, rx_drop;
	uint64_t tx_bytes, tx_packets, tx_errs, tx_drop;
};

struct iov_netdev_table {
	size_t n;
	struct iov_netdev_counters *devs;
};

int iov_netdev_parse(const char *text, struct iov_netdev_table *t, struct iov_err *err);
/* after - before per interface; an interface new in `after` counts from zero; going down is an error. */
int iov_netdev_delta(const struct iov_netdev_table *before, const struct iov_netdev_table *after,
		     struct iov_netdev_table *delta, struct iov_err *err);
const struct iov_netdev_counters *iov_netdev_find(const struct iov_netdev_table *t, const char *name);
void iov_netdev_free(struct iov_netdev_table *t);
/* In the netdev collector's snapshot state (collector.h): namespace ns's table ("-": root), or NULL. */
const struct iov_netdev_table *iov_netdev_snapshot_ns(const void *state, const char *ns);

#endif
