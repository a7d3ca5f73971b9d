/* SPDX-License-Identifier: MIT */
/*
 * snapshot.h - one instant of every counter source in the target, as guest-lib's iov_snapshot
 * and iov_qstats print it: sections "=== NAME [ARG [ARG2]]" followed by the source's own text
 * (uptime, interrupts, stat, netdev NS, snmp NS, drv BDF, qstats NS DEV; a VM guest's own kernel
 * adds interrupts GUEST and drv GUEST/BDF, the driver domain kvm GUEST). A section may be empty;
 * the same section (NAME and ARGs) twice is refused.
 */
#ifndef IOV_COLLECT_SNAPSHOT_H
#define IOV_COLLECT_SNAPSHOT_H

#include "collect/driver_stats.h"
#include "collect/interrupts.h"
#include "collect/kvm.h"
#include "collect/perf_counts.h"
#include "collect/netdev.h"
#include "collect/procstat.h"
#include "collect/qstats.h"
#include "collect/snmp.h"
#include "util.h"

#define SNAPSHOT_MAX_NS 16  /* namespaces: 7 guests, 7 peers, the root, one spare */
#define SNAPSHOT_MAX_DRV 16 /* PCI functions with our drivers' statistics */
#define SNAPSHOT_MAX_GUESTS 8 /* guests running their own kernel (VM guests) */
#define SNAPSHOT_MAX_SECTIONS 256 /* well above the ~90 of 16 namespaces, functions and guests */

/* One instant of every counter source (guest-lib iov_snapshot). */
struct snapshot {
	double uptime_s;
	struct iov_irq_table irq;
	struct iov_procstat stat;
	size_t nnetdev;
	struct {
		char ns[16];
		struct iov_netdev_table t;
	} netdev[SNAPSHOT_MAX_NS];
	size_t nsnmp;
	struct {
		char ns[16];
		struct iov_udp_mib udp;
	} snmp[SNAPSHOT_MAX_NS];
	/*
	 * A guest running its own kernel (VM): "interrupts GUEST", its own; "kvm GUEST", what the
	 * hypervisor did for it, counted in the driver domain.
	 */
	size_t nguest;
	struct snapshot_guest {
		char name[16];
		bool has_irq, has_kvm;
		struct iov_irq_table irq;
		struct iov_kvm_counts kvm;
	} guest[SNAPSHOT_MAX_GUESTS];
	size_t ndrv;
	struct {
		char bdf[32]; /* "0000:01:10.0"; "vm1/0000:00:03.0" inside a VM guest */
		struct iov_drv_stats s;
	} drv[SNAPSHOT_MAX_DRV];
	struct iov_qstats qstats; /* every tested netdev's queues, where the driver reports them */
	struct iov_perf_counts *perf; /* "perf": the driver domain's perf-event counts (iovperf), or NULL */
};

/* Parse text (modified while parsing, restored when it succeeds). Needs uptime, interrupts, stat. */
int snapshot_parse(char *text, struct snapshot *s, struct iov_err *err);
void snapshot_free(struct snapshot *s);
/* The guest's own counters, or NULL. */
const struct snapshot_guest *snapshot_guest(const struct snapshot *s, const char *name);
/* The /proc/net/dev table of namespace ns ("-": root), or NULL. */
const struct iov_netdev_table *snapshot_netdev(const struct snapshot *s, const char *ns);

#endif
