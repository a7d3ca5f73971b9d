// SPDX-License-Identifier: MIT
/* metrics.c - the metric catalogue and the per-repetition value container. */
#include "metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define H IOV_BETTER_HIGHER
#define L IOV_BETTER_LOWER

static const struct iov_metric_def catalogue[] = {
	/* Traffic, from the generators' own counts. */
	{ "throughput_bps", "bit/s", H, "iperf3, fio",
	  "Goodput received: iperf3 end.sum_received.bits_per_second; fio bw_bytes x 8 (read + write). "
	  "Experiment-wide: sum over guest pairs or guests." },
	{ "throughput_sent_bps", "bit/s", H, "iperf3", "Sender's rate: iperf3 end.sum_sent.bits_per_second." },
	{ "pps", "packet/s", H, "iperf3",
	  "UDP datagrams received per second: (packets - lost_packets) / receiver seconds." },
	{ "udp_sent_pps", "packet/s", H, "iperf3", "UDP datagrams sent per second: sum_sent.packets / sender seconds "
						  "(the offered load pps is measured against)." },
	{ "loss_pct", "%", L, "iperf3",
	  "UDP datagrams lost: lost_packets / packets x 100; experiment-wide over all streams' counts." },
	{ "udp_jitter_ms", "ms", L, "iperf3", "UDP jitter (RFC 1889) as iperf3 reports it; experiment-wide: the "
					      "largest instance's." },
	{ "tcp_retransmits_count", "segments", L, "iperf3", "TCP retransmissions counted by the sender." },
	{ "iperf3_cpu_host_pct", "%", L, "iperf3", "iperf3 client's CPU use (end.cpu_utilization_percent.host_total); "
						   "experiment-wide: mean over instances." },
	{ "iperf3_cpu_remote_pct", "%", L, "iperf3", "iperf3 server's CPU use (remote_total); experiment-wide: mean." },
	{ "fio_io_per_s", "I/O/s", H, "fio",
	  "fio iops, read + write; with pingpong one I/O is one request/response transaction. Sum over instances." },
	{ "lat_mean_ns", "ns", L, "fio", "fio completion latency mean (clat_ns.mean); with pingpong the round trip. "
					 "Experiment-wide: over every transaction of every instance when fio wrote "
					 "json+ histograms, else the largest instance's." },
	{ "lat_p50_ns", "ns", L, "fio", "fio completion latency 50th percentile; experiment-wide as lat_mean_ns." },
	{ "lat_p90_ns", "ns", L, "fio", "fio completion latency 90th percentile; experiment-wide as lat_mean_ns." },
	{ "lat_p99_ns", "ns", L, "fio", "fio completion latency 99th percentile; experiment-wide as lat_mean_ns." },
	{ "lat_p999_ns", "ns", L, "fio", "fio completion latency 99.9th percentile; experiment-wide as lat_mean_ns." },
	/* Guest CPU, /proc/stat deltas. */
	{ "cpu_guest_user_pct", "%", L, "procstat", "Guest CPU time in user mode (incl. nice) / elapsed; instances per CPU." },
	{ "cpu_guest_system_pct", "%", L, "procstat", "Guest CPU time in kernel mode, excluding irq and softirq." },
	{ "cpu_guest_irq_pct", "%", L, "procstat", "Guest CPU time in hard interrupt handlers." },
	{ "cpu_guest_softirq_pct", "%", L, "procstat", "Guest CPU time in softirq (NAPI polling, protocol processing)." },
	{ "cpu_guest_steal_pct", "%", L, "procstat", "Guest CPU time stolen by the host." },
	{ "cpu_guest_busy_pct", "%", L, "procstat", "Guest CPU time not idle and not in iowait." },
	/* Host CPU of QEMU. */
	{ "qemu_cpu_s", "s", L, "cpu_time", "Host CPU seconds (user + system) of the QEMU process over the "
					    "repetition, exited threads included; instances per thread." },
	{ "qemu_cpu_user_s", "s", L, "cpu_time", "Host user-mode CPU seconds of the QEMU process." },
	{ "qemu_cpu_system_s", "s", L, "cpu_time", "Host kernel-mode CPU seconds of the QEMU process." },
	/* The same process by perf events on its threads (collect/perf_qemu.c): a cross-check and a split. */
	{ "qemu_perf_vcpu_cpu_pct", "%", L, "perf_qemu",
	  "CPU of the lab QEMU's vCPU threads (perf task-clock, % of one CPU over the repetition): the driver "
	  "domain's CPUs, emulated." },
	{ "qemu_perf_io_cpu_pct", "%", L, "perf_qemu",
	  "CPU of the lab QEMU's other threads: its main loop (the device models: igb, e1000e, virtio, the IOMMU) "
	  "and helpers." },
	{ "qemu_perf_cpu_pct", "%", L, "perf_qemu", "CPU of every thread of the lab QEMU counted, % of one CPU." },
	{ "qemu_perf_cpu_ns_per_pkt", "ns/packet", L, "perf_qemu, netdev",
	  "The lab QEMU's CPU (perf task-clock) per packet the tested NICs moved." },
	{ "qemu_perf_context_switches_per_pkt", "switch/packet", L, "perf_qemu, netdev",
	  "Context switches of the lab QEMU's threads per packet moved." },
	{ "qemu_perf_cpu_mismatch_pct", "%", L, "perf_qemu",
	  "Cross-check of the lab QEMU's CPU: |perf's task clock - the scheduler's run time of the same threads "
	  "(schedstat)| / the latter, in %." },
	{ "qemu_perf_cycles_per_pkt", "cycle/packet", L, "perf_qemu, netdev",
	  "CPU cycles of every thread of the lab QEMU per packet moved, where a PMU answers (none under TCG: "
	  "absent then, never 0)." },
	{ "qemu_perf_instructions_per_pkt", "instruction/packet", L, "perf_qemu, netdev",
	  "Instructions of every thread of the lab QEMU per packet moved, where a PMU answers." },
	{ "qemu_perf_threads_uncounted_count", "thread", L, "perf_qemu",
	  "Threads of the lab QEMU that appeared during the repetition, which no counter follows (their CPU is in "
	  "qemu_cpu_s, not in the qemu_perf figures)." },
	/* Perf events of the driver domain's kernel, counted by iovperf (libperf). */
	{ "perf_napi_polls_per_s", "poll/s", L, "perf", "napi:napi_poll events per second, every CPU and device of the "
						     "driver domain's kernel." },
	{ "perf_napi_polls_mismatch_pct", "%", L, "perf, napi_trace",
	  "Cross-check of the two NAPI counts of one kernel: |perf's napi:napi_poll count - the ftrace "
	  "trace's napi_poll events| / the trace's x 100 (namespace guests)." },
	{ "perf_irqs_per_s", "interrupt/s", L, "perf", "irq:irq_handler_entry events per second, all vectors." },
	{ "perf_irqs_per_pkt", "interrupt/packet", L, "perf, netdev", "irq:irq_handler_entry events per packet the tested "
								      "NICs moved (all vectors of the kernel)." },
	{ "perf_net_rx_softirqs_per_s", "softirq/s", L, "perf", "NET_RX softirqs entered per second." },
	{ "perf_context_switches_per_s", "switch/s", L, "perf", "Context switches per second, every CPU." },
	{ "perf_context_switches_per_pkt", "switch/packet", L, "perf, netdev", "Context switches per packet moved." },
	{ "perf_cpu_clock_ns_per_pkt", "ns/packet", L, "perf, netdev", "CPU time (cpu-clock, every CPU) per packet moved." },
	{ "perf_cycles_per_pkt", "cycle/packet", L, "perf, netdev",
	  "CPU cycles per packet moved; only where a PMU counts them (not under TCG: absent, never 0)." },
	{ "perf_instructions_per_pkt", "instruction/packet", L, "perf, netdev",
	  "Instructions retired per packet moved; only where a PMU counts them." },
	/* The hypervisor's work for VM guests: KVM tracepoints counted in the driver domain. */
	{ "kvm_exits_per_s", "exit/s", L, "kvm", "VM exits of the guests' vCPUs per second (kvm:kvm_exit, counted "
						  "by a hist trigger); instances per guest." },
	{ "kvm_exit_reason_per_s", "exit/s", L, "kvm", "VM exits per second by exit reason (hlt, npf, io, msr, ...), "
						       "summed over the guests; instances per reason." },
	{ "kvm_exits_per_pkt", "exit/packet", L, "kvm, netdev",
	  "VM exits / packets the tested NICs moved (the guests' own rx + tx counters)." },
	{ "kvm_injections_per_s", "interrupt/s", L, "kvm", "Interrupts KVM injected into the guests (kvm:kvm_inj_virq); "
							   "instances per guest. Posted interrupts (APICv, AVIC) "
							   "bypass this event." },
	{ "kvm_injections_per_pkt", "interrupt/packet", L, "kvm, netdev", "Injected interrupts / packets moved." },
	{ "kvm_userspace_exits_per_pkt", "exit/packet", L, "kvm, netdev",
	  "Exits to QEMU, the device model (kvm:kvm_userspace_exit: emulated MMIO and port I/O), per packet." },
	/* The same KVM events counted by perf events on each guest's vCPU threads (iovperf --vm). */
	{ "perf_kvm_exits_per_s", "exit/s", L, "perf_kvm",
	  "VM exits per second (kvm:kvm_exit counted by perf events on the guest's vCPU threads); "
	  "instances per guest." },
	{ "perf_kvm_exits_per_pkt", "exit/packet", L, "perf_kvm, netdev", "perf-counted VM exits / packets moved." },
	{ "perf_kvm_injections_per_s", "interrupt/s", L, "perf_kvm",
	  "Interrupts injected (kvm:kvm_inj_virq on the vCPU threads) per second; instances per guest." },
	{ "perf_kvm_injections_per_pkt", "interrupt/packet", L, "perf_kvm, netdev",
	  "perf-counted injected interrupts / packets moved." },
	{ "perf_kvm_userspace_exits_per_pkt", "exit/packet", L, "perf_kvm, netdev",
	  "perf-counted exits to QEMU (kvm:kvm_userspace_exit) / packets moved." },
	{ "perf_kvm_entries_per_pkt", "entry/packet", L, "perf_kvm, netdev",
	  "VM entries (kvm:kvm_entry on the vCPU threads) per packet moved; one per exit the guest returns from." },
	{ "perf_kvm_mmio_per_pkt", "access/packet", L, "perf_kvm, netdev",
	  "MMIO accesses KVM emulated or handed to QEMU (kvm:kvm_mmio on the vCPU threads) per packet moved." },
	{ "perf_kvm_halt_poll_changes_per_s", "change/s", L, "perf_kvm",
	  "Changes of a vCPU's halt-polling interval (kvm:kvm_halt_poll_ns) per second; instances per guest." },
	{ "perf_kvm_msis_per_s", "interrupt/s", L, "perf_kvm",
	  "MSIs KVM set into every VM guest together (kvm:kvm_msi_set_irq on every CPU: an irqfd's MSI is set "
	  "where it is signalled, not on a vCPU thread)." },
	{ "perf_kvm_msis_per_pkt", "interrupt/packet", L, "perf_kvm, netdev", "Every guest's MSIs / packets moved." },
	{ "vm_qemu_vcpu_cpu_pct", "%", L, "perf_kvm",
	  "CPU of the VM guests' vCPU threads (perf task-clock, % of one CPU over the repetition); instances per guest." },
	{ "vm_qemu_io_cpu_pct", "%", L, "perf_kvm",
	  "CPU of the VM guests' other QEMU threads: the device model's main loop, iothreads and workers." },
	{ "vm_qemu_vhost_cpu_pct", "%", L, "perf_kvm", "CPU of the VM guests' vhost workers (vhost-PID threads of QEMU)." },
	{ "vm_qemu_cpu_pct", "%", L, "perf_kvm", "CPU of every thread of every VM guest's QEMU, % of one CPU." },
	{ "vm_boot_s", "s", L, "vm_boot",
	  "A VM guest's boot: its QEMU's start to its agent's first answer, by the driver domain's clock; in the "
	  "repetition whose topology booted it only; instances per guest." },
	{ "vm_boot_kernel_s", "s", L, "vm_boot",
	  "The guest kernel's own uptime in its agent's first answer (its clock starts after QEMU's setup and the "
	  "firmware); instances per guest." },
	{ "vm_boot_before_kernel_s", "s", L, "vm_boot",
	  "vm_boot_s - vm_boot_kernel_s: QEMU's setup (VFIO pins the guest's memory) and the firmware, before the "
	  "guest's kernel ran." },
	{ "vm_qemu_cpu_ns_per_pkt", "ns/packet", L, "perf_kvm, netdev",
	  "The VM guests' QEMU threads' CPU (vCPUs, device model, vhost) per packet moved: the hypervisor's "
	  "and the guests' cost together." },
	{ "vm_qemu_context_switches_per_pkt", "switch/packet", L, "perf_kvm, netdev",
	  "Context switches of the VM guests' QEMU threads per packet moved." },
	{ "vm_qemu_cpu_mismatch_pct", "%", L, "perf_kvm",
	  "Cross-check of the QEMU threads' CPU: |perf's task clock - the scheduler's run time of the same "
	  "threads (schedstat)| / the latter, in %." },
	{ "vm_qemu_cycles_per_pkt", "cycle/packet", L, "perf_kvm, netdev",
	  "CPU cycles of every VM guest's QEMU threads per packet moved, where a PMU answers (none when the "
	  "driver domain runs under TCG: absent then, never 0)." },
	{ "vm_qemu_instructions_per_pkt", "instruction/packet", L, "perf_kvm, netdev",
	  "Instructions of every VM guest's QEMU threads per packet moved, where a PMU answers." },
	{ "perf_kvm_exit_reason_per_s", "exit/s", L, "perf_kvm",
	  "VM exits per second of each reason the I/O path explains (interrupt, interrupt window, halt, port "
	  "I/O, MSR, nested page fault, APIC), kvm:kvm_exit filtered on its exit_reason on the vCPU threads, "
	  "every guest together; instances per reason, as kvm_exit_reason_per_s names them." },
	{ "perf_kvm_exit_reason_per_pkt", "exit/packet", L, "perf_kvm, netdev",
	  "perf-counted VM exits of each reason / packets moved; instances per reason." },
	{ "vm_qemu_threads_uncounted_count", "thread", L, "perf_kvm",
	  "QEMU threads that appeared during the repetition, which no counter follows (their CPU is not in the "
	  "vm_qemu figures); instances per guest." },
	{ "perf_kvm_exits_mismatch_pct", "%", L, "perf_kvm, kvm",
	  "Cross-check of the two counts of the guests' VM exits: |perf's kvm:kvm_exit count - the hist "
	  "trigger's| / the hist trigger's x 100; the two readers read a moment apart in each snapshot." },
	{ "perf_kvm_injections_mismatch_pct", "%", L, "perf_kvm, kvm",
	  "Cross-check of the injected interrupts: |perf's kvm:kvm_inj_virq count - the hist trigger's| / "
	  "the hist trigger's x 100." },
	{ "vf_irq_delivered_pct", "%", H, "kvm, interrupts",
	  "Cross-check of the interrupt path of an assigned VF: the guest's own count of its VF vectors "
	  "(its /proc/interrupts) / the interrupts the VF raised in the driver domain (vfio-msix) x 100. "
	  "Under 100: interrupts merged while one was still pending." },
	/* Interrupts, /proc/interrupts deltas of the NICs under test. */
	{ "irq_per_s", "interrupt/s", L, "interrupts", "Interrupts of the tested NICs' vectors per second; "
						       "instances per vector." },
	{ "irq_per_pkt", "interrupt/packet", L, "interrupts, netdev",
	  "Interrupts of the tested NICs / packets they moved (rx + tx, from the netdev counters)." },
	/* Network device counters, /proc/net/dev deltas. */
	{ "netdev_rx_pps", "packet/s", H, "netdev", "Packets received by the tested NICs per second." },
	{ "netdev_tx_pps", "packet/s", H, "netdev", "Packets sent by the tested NICs per second." },
	{ "udp_sndbuf_errors_pps", "packet/s", L, "snmp",
	  "UDP datagrams the sending stacks dropped (socket buffer or qdisc full: UDP hides ENOBUFS from "
	  "sendto), per second: SndbufErrors of /proc/net/snmp summed over the topology's namespaces. "
	  "Only in windows with UDP traffic." },
	{ "udp_rcvbuf_errors_pps", "packet/s", L, "snmp",
	  "UDP datagrams the receiving sockets had no room for, per second: RcvbufErrors of /proc/net/snmp "
	  "summed over the topology's namespaces. Only in windows with UDP traffic." },
	{ "netdev_rx_drop_count", "packets", L, "netdev", "Receive drops counted by the tested NICs." },
	/* NAPI from the napi:napi_poll tracepoint: the same for every driver. */
	{ "napi_polls_per_s", "poll/s", L, "napi_trace", "NAPI polls of the tested NICs per second." },
	{ "napi_pkts_per_poll", "packet/poll", H, "napi_trace", "Work done per poll: sum of work / polls." },
	{ "napi_empty_polls_pct", "%", L, "napi_trace", "Polls that found no work." },
	{ "napi_budget_polls_pct", "%", H, "napi_trace",
	  "Polls that used their whole budget: batching at its limit (and the softirq polls again)." },
	{ "napi_polls_per_irq", "poll/interrupt", H, "napi_trace, interrupts",
	  "Polls per interrupt of the same NICs: how much work one interrupt triggers." },
	/* Our drivers' own instrumentation (debugfs stats v1), to cross-check the trace. */
	{ "drv_irq_per_s", "interrupt/s", L, "driver_stats", "Interrupts handled by our driver per second." },
	{ "drv_napi_empty_polls_pct", "%", L, "driver_stats", "Driver-counted polls with no work." },
	{ "drv_napi_budget_polls_pct", "%", H, "driver_stats", "Driver-counted polls that used the whole budget." },
	{ "drv_napi_polls_per_irq", "poll/interrupt", H, "driver_stats", "Driver-counted polls / NAPI-scheduling interrupts." },
	{ "drv_napi_polls_mismatch_pct", "%", L, "driver_stats, napi_trace",
	  "Cross-check: abs(driver polls - traced polls) / traced polls for the same netdev; should be 0." },
	/* Mailbox, from our drivers' histograms: bucket lower bounds, never interpolated. */
	{ "mbx_rtt_p50_ns", "ns", L, "driver_stats", "VF mailbox round trip, median: lower bound of its log2 bucket." },
	{ "mbx_rtt_p99_ns", "ns", L, "driver_stats", "VF mailbox round trip, 99th percentile (bucket lower bound)." },
	{ "mbx_rtt_max_ns", "ns", L, "driver_stats", "VF mailbox round trip, largest bucket's lower bound." },
	{ "mbx_service_p50_ns", "ns", L, "driver_stats", "PF mailbox service time, median (bucket lower bound)." },
	{ "mbx_service_p99_ns", "ns", L, "driver_stats", "PF mailbox service time, 99th percentile (bucket lower bound)." },
	{ "mbx_requests_count", "messages", L, "driver_stats", "Mailbox requests sent by the VFs." },
	{ "mbx_nack_count", "messages", L, "driver_stats", "Mailbox requests answered with NACK." },
	{ "mbx_timeout_count", "messages", L, "driver_stats", "Mailbox requests that timed out." },
	{ "mbx_rejected_count", "messages", L, "driver_stats", "Messages the PF dropped in validation." },
	{ "qstats_rx_pps", "packet/s", H, "qstats",
	  "Packets received per second by the tested NICs' queues, from netdev netlink per-queue stats "
	  "(only drivers that report qstats: iovpf, iovvf, virtio_net). Instances per queue (DEV:rxN)." },
	{ "qstats_tx_pps", "packet/s", H, "qstats", "Packets sent per second, per queue as qstats_rx_pps." },
	{ "mbx_call_p50_ns", "ns", L, "fgraph",
	  "VF driver's mailbox request, median wall time from entry to return of its request function "
	  "(igbvf: e1000_update_mc_addr_list_vf, iovvf: iovvf_mbx_request), timed by ftrace "
	  "function_graph: one method for both drivers. Instances per function." },
	{ "mbx_call_p90_ns", "ns", L, "fgraph", "VF driver's mailbox request, 90th percentile (as mbx_call_p50_ns)." },
	{ "mbx_call_p99_ns", "ns", L, "fgraph", "VF driver's mailbox request, 99th percentile (as mbx_call_p50_ns)." },
	/* Faults under traffic (fault toggles: vf_flr_toggle_s, pf_link_toggle_s). */
	{ "fault_count", "faults", H, "fault",
	  "Faults of the repetition: VF function level resets of the victim, or PF link flaps." },
	{ "fault_unrecovered_count", "faults", L, "fault",
	  "Faults after which the victim's received bytes did not grow again within 30 s: its driver did "
	  "not bring its VF back." },
	{ "fault_recovery_p50_s", "s", L, "fault",
	  "Median time from a fault's start until the victim's received bytes grew again, over the "
	  "recovered faults of the repetition." },
	{ "fault_recovery_max_s", "s", L, "fault", "The longest recovery of the repetition (as fault_recovery_p50_s)." },
	/* The driver domain's kernel log over the repetition. */
	{ "kernel_warnings_count", "lines", L, "kernel_log",
	  "Lines of the driver domain's kernel log printed during the repetition (between its two "
	  "snapshots) that report a warning, BUG, oops, general protection fault, UBSAN or refcount "
	  "error, list corruption, soft lockup, hung task, RCU stall, an OOM kill or a process's segfault "
	  "(a VM guest's QEMU killed): 0 on a healthy run. The snapshot "
	  "keeps them, and the whole log of the window when one warned, in raw/." },
	/* A hostile VF beside the guests (workload key hostile_vf_toggle_s), from its tool and the PF. */
	{ "hostile_vf_messages_count", "messages", H, "hostile_vf",
	  "Mailbox messages the hostile VF posted during the repetition (iovmbx fuzz: malformed, unknown, "
	  "oversized and out-of-state, with VF resets and kept locks), summed over its attack segments." },
	{ "hostile_vf_unanswered_count", "messages", L, "hostile_vf",
	  "Hostile messages the PF read (its ACK seen) but did not answer within the 100 ms the attacker "
	  "waits, or answered with neither ACK nor NACK. igb reads a VF without CTS and replies one NACK "
	  "per 2 s; a late reply (a loaded TCG lab) counts here too." },
	{ "hostile_vf_unread_count", "messages", L, "hostile_vf",
	  "Hostile messages the PF had not read within the 100 ms, when the attacker wrote its next one "
	  "over them (iovpf defers a VF over its rate limit to the next second): never seen by the PF." },
	{ "hostile_vf_pf_counted_count", "messages", H, "hostile_vf",
	  "The hostile VF's messages the PF read, as it counted them (iovpf debugfs: served and rejected; "
	  "its own PF_CONTROL, rate deferrals and requests dropped with a kept lock left out), after minus "
	  "before: equals hostile_vf_messages_count minus hostile_vf_unread_count when every message the "
	  "PF read is accounted for. Absent with PF drivers that count nothing per VF (igb)." },
	{ "mbx_calls_count", "requests", L, "fgraph",
	  "Mailbox request calls timed; fewer than the workload's changes when a driver merges them." },
};

const struct iov_metric_def *iov_metric_catalogue(size_t *n)
{
	*n = IOV_ARRAY_SIZE(catalogue);
	return catalogue;
}

const struct iov_metric_def *iov_metric_find(const char *name)
{
	for (size_t i = 0; i < IOV_ARRAY_SIZE(catalogue); i++)
		if (!strcmp(catalogue[i].name, name))
			return &catalogue[i];
	return NULL;
}

const char *iov_better_name(enum iov_better better)
{
	return better == IOV_BETTER_HIGHER ? "higher" : "lower";
}

int iov_metric_reference(struct iov_buf *out)
{
	int rc = iov_buf_printf(out,
		"<!-- Generated by iov_metric_reference() in harness/metrics.c: edit the catalogue there.\n"
		"     The unit test 'metrics: METRICS.md is current' fails when they differ;\n"
		"     regenerate with: IOV_UPDATE_REFERENCE=1 make unit -->\n"
		"# Metrics\n\n"
		"Every metric a result may hold. Names end in their unit; `better` says which direction is an\n"
		"improvement. Every value is computed from counted data (harness/metrics_compute.c); a figure\n"
		"whose denominator is zero is left out. See README.md for how instances combine.\n\n"
		"| metric | unit | better | source | description |\n"
		"|--------|------|--------|--------|-------------|\n");

	for (size_t i = 0; i < IOV_ARRAY_SIZE(catalogue); i++)
		rc |= iov_buf_printf(out, "| `%s` | %s | %s | %s | %s |\n", catalogue[i].name, catalogue[i].unit,
				     iov_better_name(catalogue[i].better), catalogue[i].source,
				     catalogue[i].description);
	return rc ? -1 : 0;
}

const struct iov_metric_value *iov_metric_set_get(const struct iov_metric_set *set, const char *metric,
						  const char *instance)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->v[i].def->name, metric) && !strcmp(set->v[i].instance, instance ? instance : ""))
			return &set->v[i];
	return NULL;
}

int iov_metric_set_add(struct iov_metric_set *set, const char *metric, const char *instance, double value,
		       struct iov_err *err)
{
	const struct iov_metric_def *def = iov_metric_find(metric);
	struct iov_metric_value *v;

	if (!instance)
		instance = "";
	if (!def) {
		iov_err_set(err, "metric %s is not in the catalogue (harness/metrics.c)", metric);
		return -1;
	}
	if (!isfinite(value)) {
		iov_err_set(err, "metric %s[%s]: value is not finite", metric, instance);
		return -1;
	}
	if (strlen(instance) >= IOV_METRIC_INSTANCE_MAX) {
		iov_err_set(err, "metric %s: instance name '%s' too long", metric, instance);
		return -1;
	}
	if (iov_metric_set_get(set, metric, instance)) {
		iov_err_set(err, "metric %s[%s] computed twice", metric, instance);
		return -1;
	}
	if (iov_grow(&set->v, set->n, &set->cap, sizeof(*set->v))) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	v = &set->v[set->n++];
	v->def = def;
	iov_strlcpy(v->instance, instance, sizeof(v->instance));
	v->value = value;
	return 0;
}

void iov_metric_set_free(struct iov_metric_set *set)
{
	free(set->v);
	memset(set, 0, sizeof(*set));
}
