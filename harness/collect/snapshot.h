/* SPDX-License-Identifier: MIT */
/*
 * snapshot.h - one instant of every counter source in the target, as guest-lib's iov_snapshot
 * and iov_qstats print it: sections "=== NAME [ARG [ARG2]]" followed by the source's own text
 * (uptime, interrupts, stat, netdev NS, snmp NS, drv BDF, qstats NS DEV, perf; a VM guest's own
 * kernel adds interrupts GUEST and drv GUEST/BDF, the driver domain kvm GUEST). Each section
 * goes to the collector that reads it (collector.h), into that collector's state; a section no
 * collector reads is skipped. A section may be empty; the same section (NAME and ARGs) twice is
 * refused, and so is a snapshot without a required one (uptime, interrupts, stat).
 */
#ifndef IOV_COLLECT_SNAPSHOT_H
#define IOV_COLLECT_SNAPSHOT_H

#include "collect/collector.h"
#include "util.h"

#define SNAPSHOT_MAX_SECTIONS 256 /* well above the ~90 of 16 namespaces, functions and guests */

/* One instant of every counter source (guest-lib iov_snapshot). */
struct snapshot {
	size_t n;     /* iov_collector_count() */
	void **state; /* each collector's, in table order */
};

/* Parse text (modified while parsing, restored when it succeeds). */
int snapshot_parse(char *text, struct snapshot *s, struct iov_err *err);
void snapshot_free(struct snapshot *s);
/* The state of the collector named `name` (collector.h), or NULL. */
const void *snapshot_state(const struct snapshot *s, const char *name);
/* The target's uptime (the "uptime" section): the clock of every rate. */
double snapshot_uptime(const struct snapshot *s);

#endif
