/* SPDX-License-Identifier: MIT */
/*
 * metrics_compute.h - from the collectors' deltas of one repetition to catalogued metric
 * values (metrics.h). Every figure is a ratio of counted quantities over the repetition's
 * measured window; a figure whose denominator is zero is left out rather than made up.
 *
 * Several instances (guest pairs, guests) combine as documented in the catalogue: sums of
 * counts and rates, ratios of summed counts (loss), the largest instance for latency and
 * jitter (per-instance percentiles cannot be merged exactly). Instances are recorded too
 * when there is more than one.
 */
#ifndef IOV_METRICS_COMPUTE_H
#define IOV_METRICS_COMPUTE_H

#include <stddef.h>
#include <stdint.h>

#include "collect/cpu_time.h"
#include "collect/driver_stats.h"
#include "collect/fgraph.h"
#include "collect/fio.h"
#include "collect/interrupts.h"
#include "collect/kvm.h"
#include "collect/perf_counts.h"
#include "collect/iperf3.h"
#include "collect/napi_trace.h"
#include "collect/netdev.h"
#include "collect/procstat.h"
#include "collect/qstats.h"
#include "collect/snmp.h"
#include "collect/snapshot.h"
#include "metrics.h"

/* One iperf3 client result per instance ("g1-g2", "g3-domain" ...). */
int iov_metrics_iperf3(struct iov_metric_set *set, const struct iov_iperf3_result *r, const char *const *instances,
		       size_t n, struct iov_err *err);

/* One fio result (client side) per instance; every job of a result counts toward its instance. */
int iov_metrics_fio(struct iov_metric_set *set, const struct iov_fio_result *r, const char *const *instances,
		    size_t n, struct iov_err *err);

/* Guest CPU: the aggregate and one instance per CPU ("cpu3"). */
int iov_metrics_procstat(struct iov_metric_set *set, const struct iov_cpu_pct *all, const struct iov_cpu_pct *cpus,
			 size_t ncpus, struct iov_err *err);

/* QEMU host CPU: the process, and per thread name (threads of the same name summed). */
int iov_metrics_cpu_time(struct iov_metric_set *set, const struct iov_cpu_time_delta *d, struct iov_err *err);

/*
 * Where UDP datagrams were dropped inside the guests' stacks: the UDP counters of every
 * namespace of the topology, summed (/proc/net/snmp deltas). Nothing is added for a window
 * without UDP datagrams (TCP runs).
 */
int iov_metrics_udp_drops(struct iov_metric_set *set, const struct iov_udp_mib *sum, double seconds,
			  struct iov_err *err);

/*
 * Packets of the tested NICs: the counters of each (already looked up in its namespace's
 * delta); *packets (optional) receives rx + tx packets, the denominator of irq_per_pkt.
 */
int iov_metrics_netdev(struct iov_metric_set *set, const struct iov_netdev_counters *const *devs, size_t n,
		       double seconds, uint64_t *packets, struct iov_err *err);

/*
 * Interrupts of the rows matching any of the patterns (netdevs, PCI addresses; see
 * iov_irq_row_matches): irq_per_s, and irq_per_pkt when packets > 0; instances per vector name.
 * *irqs (optional) receives the total, the denominator of napi_polls_per_irq.
 */
int iov_metrics_interrupts(struct iov_metric_set *set, const struct iov_irq_table *delta, const char *const *patterns,
			   size_t npatterns, double seconds, uint64_t packets, uint64_t *irqs, struct iov_err *err);

/* One VM guest's KVM counts over the repetition, and its assigned VF's interrupts as the guest counted them. */
struct iov_kvm_guest {
	const char *name;
	const struct iov_kvm_counts *delta;
	uint64_t guest_vf_irqs; /* meaningful when delta->has_host_irq */
};

/*
 * The hypervisor's cost: kvm_exits_per_s and kvm_injections_per_s per guest and in all,
 * kvm_exit_reason_per_s per reason, per packet when packets > 0, and vf_irq_delivered_pct
 * where guests have an assigned VF that raised interrupts.
 */
int iov_metrics_kvm(struct iov_metric_set *set, const struct iov_kvm_guest *g, size_t n, double seconds,
		    uint64_t packets, struct iov_err *err);

/*
 * The driver domain's perf-event counts over the repetition (iovperf): per second and per
 * packet for the software and tracepoint events it counted, per packet for hardware events
 * where a PMU answered (absent otherwise, never 0), and perf_napi_polls_mismatch_pct against
 * the ftrace NAPI trace's poll count when trace_polls >= 0 (the same kernel's polls).
 */
int iov_metrics_perf(struct iov_metric_set *set, const struct iov_perf_counts *delta, double seconds,
		     uint64_t packets, int64_t trace_polls, struct iov_err *err);

/*
 * A QEMU's threads by class, counted by perf events (lines "qemu:task-clock/NAME:CLASS",
 * agent/perf_threads.h): each class's CPU in % of one CPU (per NAME and in all), their CPU and
 * context switches per packet, perf's task clock against the scheduler's run time of the same
 * threads, and the threads no counter followed. The figures of the VM guests' QEMUs (vm_qemu_*)
 * or of the driver domain's hypervisor, the lab's QEMU on the host (qemu_perf_*).
 */
enum iov_qemu_of { IOV_QEMU_OF_VM_GUESTS, IOV_QEMU_OF_HYPERVISOR };
int iov_metrics_qemu_threads(struct iov_metric_set *set, const struct iov_perf_counts *delta, double seconds,
			     uint64_t packets, enum iov_qemu_of of, struct iov_err *err);

/*
 * KVM's events on the VM guests' vCPU threads, counted by iovperf --vm (lines
 * "kvm:kvm_exit/GUEST"): perf_kvm_exits_per_s and perf_kvm_injections_per_s per guest and in
 * all, per packet when packets > 0 (and entries, exits to QEMU, MMIO); a total only where every
 * guest's event was counted. The cross-checks perf_kvm_exits_mismatch_pct and
 * perf_kvm_injections_mismatch_pct against the hist triggers' counts of the same threads, where
 * those are > 0 (see collect/kvm.h). Every guest's MSIs together (kvm:kvm_msi_set_irq). The
 * guests' QEMU threads by class: iov_metrics_qemu_threads's vm_qemu_* figures.
 */
int iov_metrics_perf_kvm(struct iov_metric_set *set, const struct iov_perf_counts *delta, double seconds,
			 uint64_t packets, int64_t hist_exits, int64_t hist_injections, struct iov_err *err);

/* NAPI polls of the named devices from the trace; napi_polls_per_irq when irqs > 0. */
int iov_metrics_napi_trace(struct iov_metric_set *set, const struct iov_napi_trace *t, const char *const *devs,
			   size_t ndevs, double seconds, uint64_t irqs, struct iov_err *err);

/*
 * Our drivers' deltas (any mix of PF and VFs): interrupts, NAPI histograms, mailbox latency
 * (bucket lower bounds) and counts. With a trace, drv_napi_polls_mismatch_pct cross-checks the
 * polls of each function's netdev against the tracepoint's.
 */
int iov_metrics_driver_stats(struct iov_metric_set *set, const struct iov_drv_stats *deltas, size_t n,
			     double seconds, const struct iov_napi_trace *trace, struct iov_err *err);

/*
 * Mailbox request calls timed with function_graph: percentiles over every call of every traced
 * function (nearest rank: an observed duration), and per function as instances.
 */
int iov_metrics_fgraph(struct iov_metric_set *set, const struct iov_fgraph *g, struct iov_err *err);

/* Per-queue packet rates from qstats deltas; nothing when no queue reported packets. */
int iov_metrics_qstats(struct iov_metric_set *set, const struct iov_qstats *delta, double seconds,
		       struct iov_err *err);

/*
 * Every collector's metrics over one repetition, in the table's order (collector.h): the
 * snapshots before and after it, and what the repetition adds (endpoints, trace, QEMU ticks).
 * rep->seconds is set from the snapshots' uptime; what collectors hand on is released.
 */
int iov_metrics_counters(const struct snapshot *before, const struct snapshot *after, struct iov_collect_rep *rep,
			 struct iov_metric_set *set, struct iov_err *err);

#endif
