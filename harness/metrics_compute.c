// SPDX-License-Identifier: MIT
/* metrics_compute.c - collectors' deltas to metric values. */
#include "metrics_compute.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADD(metric, instance, value)                                             \
	do {                                                                     \
		if (iov_metric_set_add(set, metric, instance, value, err))       \
			return -1;                                               \
	} while (0)

static int check_window(double seconds, struct iov_err *err)
{
	if (!(seconds > 0)) {
		iov_err_set(err, "metrics: measured window of %g s", seconds);
		return -1;
	}
	return 0;
}

int iov_metrics_iperf3(struct iov_metric_set *set, const struct iov_iperf3_result *r, const char *const *instances,
		       size_t n, struct iov_err *err)
{
	double bps = 0, sent_bps = 0, pps = 0, sent_pps = 0, jitter = 0, cpu_host = 0, cpu_remote = 0;
	uint64_t expected = 0, lost = 0, retrans = 0;
	bool udp = n && r[0].udp, have_retrans = true;

	if (!n) {
		iov_err_set(err, "metrics: no iperf3 results");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const char *inst = n > 1 ? instances[i] : NULL;
		double inst_pps;

		if (r[i].udp != udp) {
			iov_err_set(err, "metrics: iperf3 instances mix TCP and UDP");
			return -1;
		}
		bps += r[i].received_bps;
		sent_bps += r[i].sent_bps;
		cpu_host += r[i].cpu_host_total_pct;
		cpu_remote += r[i].cpu_remote_total_pct;
		if (inst) {
			ADD("throughput_bps", inst, r[i].received_bps);
			ADD("throughput_sent_bps", inst, r[i].sent_bps);
			ADD("iperf3_cpu_host_pct", inst, r[i].cpu_host_total_pct);
			ADD("iperf3_cpu_remote_pct", inst, r[i].cpu_remote_total_pct);
		}
		if (udp) {
			if (!(r[i].received_seconds > 0)) {
				iov_err_set(err, "metrics: iperf3 %s: receiver time is zero", inst ? inst : "");
				return -1;
			}
			inst_pps = (double)r[i].udp_packets_received / r[i].received_seconds;
			pps += inst_pps;
			if (r[i].sent_seconds > 0)
				sent_pps += (double)r[i].udp_packets_sent / r[i].sent_seconds;
			expected += r[i].udp_packets_expected;
			lost += r[i].udp_packets_lost;
			jitter = fmax(jitter, r[i].udp_jitter_ms);
			if (inst) {
				ADD("pps", inst, inst_pps);
				if (r[i].udp_packets_expected)
					ADD("loss_pct", inst,
					    100.0 * (double)r[i].udp_packets_lost / (double)r[i].udp_packets_expected);
				ADD("udp_jitter_ms", inst, r[i].udp_jitter_ms);
			}
		} else if (r[i].retransmits >= 0) {
			retrans += (uint64_t)r[i].retransmits;
			if (inst)
				ADD("tcp_retransmits_count", inst, (double)r[i].retransmits);
		} else {
			have_retrans = false;
		}
	}
	ADD("throughput_bps", NULL, bps);
	ADD("throughput_sent_bps", NULL, sent_bps);
	ADD("iperf3_cpu_host_pct", NULL, cpu_host / (double)n);
	ADD("iperf3_cpu_remote_pct", NULL, cpu_remote / (double)n);
	if (udp) {
		ADD("pps", NULL, pps);
		ADD("udp_sent_pps", NULL, sent_pps);
		if (expected)
			ADD("loss_pct", NULL, 100.0 * (double)lost / (double)expected);
		ADD("udp_jitter_ms", NULL, jitter);
	} else if (have_retrans) {
		ADD("tcp_retransmits_count", NULL, (double)retrans);
	}
	return 0;
}

/* The direction that carried the I/O (pingpong writers: write). */
static const struct iov_fio_dir *busy_dir(const struct iov_fio_job *j)
{
	return j->read.total_ios > j->write.total_ios ? &j->read : &j->write;
}

static const struct { double pct; const char *metric; } fio_pcts[] = {
	{ 50, "lat_p50_ns" }, { 90, "lat_p90_ns" }, { 99, "lat_p99_ns" }, { 99.9, "lat_p999_ns" },
};
#define NPCT IOV_ARRAY_SIZE(fio_pcts)

/*
 * Latency figures of a set of completion latencies taken together: one latency as fio reports
 * it; several only when they carry json+ histograms (the mean weighted by sample counts, the
 * percentiles over the merged histogram). NaN where not available.
 */
static void lat_figures(const struct iov_fio_lat *const *lats, size_t n, double *mean, double pct[NPCT])
{
	double sum = 0;
	uint64_t samples = 0, ns;

	*mean = NAN;
	for (size_t p = 0; p < NPCT; p++)
		pct[p] = NAN;
	if (n == 1) {
		*mean = lats[0]->mean_ns;
		for (size_t p = 0; p < NPCT; p++)
			if (!iov_fio_lat_pct(lats[0], fio_pcts[p].pct, &ns))
				pct[p] = (double)ns;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (!lats[i]->nbins)
			return;
		sum += lats[i]->mean_ns * (double)lats[i]->n;
		samples += lats[i]->n;
	}
	if (!samples)
		return;
	*mean = sum / (double)samples;
	for (size_t p = 0; p < NPCT; p++)
		if (!iov_fio_bins_pct(lats, n, fio_pcts[p].pct, &ns))
			pct[p] = (double)ns;
}

static int add_lat(struct iov_metric_set *set, const char *inst, double mean, const double pct[NPCT],
		   struct iov_err *err)
{
	if (!isnan(mean))
		ADD("lat_mean_ns", inst, mean);
	for (size_t p = 0; p < NPCT; p++)
		if (!isnan(pct[p]))
			ADD(fio_pcts[p].metric, inst, pct[p]);
	return 0;
}

int iov_metrics_fio(struct iov_metric_set *set, const struct iov_fio_result *r, const char *const *instances,
		    size_t n, struct iov_err *err)
{
	const struct iov_fio_lat **all;
	double bps = 0, iops = 0, mean, pct[NPCT], worst_mean = NAN, worst_pct[NPCT];
	size_t nall = 0, total_jobs = 0;
	int rc = -1;

	if (!n) {
		iov_err_set(err, "metrics: no fio results");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		total_jobs += r[i].njobs;
	all = calloc(total_jobs ? total_jobs : 1, sizeof(*all));
	if (!all) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	for (size_t p = 0; p < NPCT; p++)
		worst_pct[p] = NAN;
	for (size_t i = 0; i < n; i++) {
		const char *inst = n > 1 ? instances[i] : NULL;
		const struct iov_fio_lat **mine = all + nall;
		double inst_bps = 0, inst_iops = 0;
		size_t nmine = 0;

		for (size_t k = 0; k < r[i].njobs; k++) {
			const struct iov_fio_job *j = &r[i].jobs[k];

			inst_bps += 8.0 * (double)(j->read.bw_bytes + j->write.bw_bytes);
			inst_iops += j->read.iops + j->write.iops;
			if (busy_dir(j)->clat.n)
				mine[nmine++] = &busy_dir(j)->clat;
		}
		nall += nmine;
		bps += inst_bps;
		iops += inst_iops;
		if (!nmine)
			continue;
		lat_figures(mine, nmine, &mean, pct);
		/* Fallback for the experiment-wide figure without histograms: the largest instance's. */
		worst_mean = isnan(worst_mean) ? mean : fmax(worst_mean, mean);
		for (size_t p = 0; p < NPCT; p++)
			worst_pct[p] = isnan(worst_pct[p]) ? pct[p] : fmax(worst_pct[p], pct[p]);
		if (inst && (iov_metric_set_add(set, "throughput_bps", inst, inst_bps, err) ||
			     iov_metric_set_add(set, "fio_io_per_s", inst, inst_iops, err) ||
			     add_lat(set, inst, mean, pct, err)))
			goto out;
	}
	if (iov_metric_set_add(set, "throughput_bps", NULL, bps, err) ||
	    iov_metric_set_add(set, "fio_io_per_s", NULL, iops, err))
		goto out;
	if (nall) {
		lat_figures(all, nall, &mean, pct);
		if (isnan(mean)) { /* no histograms to merge */
			mean = worst_mean;
			memcpy(pct, worst_pct, sizeof(pct));
		}
		if (add_lat(set, NULL, mean, pct, err))
			goto out;
	}
	rc = 0;
out:
	free(all);
	return rc;
}

static int add_cpu_pct(struct iov_metric_set *set, const struct iov_cpu_pct *c, const char *inst, struct iov_err *err)
{
	ADD("cpu_guest_user_pct", inst, c->user + c->nice);
	ADD("cpu_guest_system_pct", inst, c->system);
	ADD("cpu_guest_irq_pct", inst, c->irq);
	ADD("cpu_guest_softirq_pct", inst, c->softirq);
	ADD("cpu_guest_steal_pct", inst, c->steal);
	ADD("cpu_guest_busy_pct", inst, c->busy);
	return 0;
}

int iov_metrics_procstat(struct iov_metric_set *set, const struct iov_cpu_pct *all, const struct iov_cpu_pct *cpus,
			 size_t ncpus, struct iov_err *err)
{
	char inst[32];

	if (!all->elapsed_ticks) {
		iov_err_set(err, "metrics: /proc/stat shows no elapsed time");
		return -1;
	}
	if (add_cpu_pct(set, all, NULL, err))
		return -1;
	for (size_t i = 0; i < ncpus; i++) {
		snprintf(inst, sizeof(inst), "cpu%d", cpus[i].cpu);
		if (add_cpu_pct(set, &cpus[i], inst, err))
			return -1;
	}
	return 0;
}

int iov_metrics_cpu_time(struct iov_metric_set *set, const struct iov_cpu_time_delta *d, struct iov_err *err)
{
	ADD("qemu_cpu_s", NULL, d->total_s);
	ADD("qemu_cpu_user_s", NULL, d->user_s);
	ADD("qemu_cpu_system_s", NULL, d->system_s);
	/* Per thread name: tids differ between runs, names ("CPU 0/TCG", "worker") do not. */
	for (size_t i = 0; i < d->nthreads; i++) {
		double sum = 0;
		bool first = true;

		for (size_t j = 0; j < d->nthreads && first; j++)
			if (!strcmp(d->threads[j].comm, d->threads[i].comm))
				first = j == i;
		if (!first)
			continue;
		for (size_t j = i; j < d->nthreads; j++)
			if (!strcmp(d->threads[j].comm, d->threads[i].comm))
				sum += d->threads[j].user_s + d->threads[j].system_s;
		ADD("qemu_cpu_s", d->threads[i].comm, sum);
	}
	return 0;
}

int iov_metrics_udp_drops(struct iov_metric_set *set, const struct iov_udp_mib *sum, double seconds,
			  struct iov_err *err)
{
	if (check_window(seconds, err))
		return -1;
	if (!sum->in_datagrams && !sum->out_datagrams)
		return 0;
	ADD("udp_sndbuf_errors_pps", NULL, (double)sum->sndbuf_errors / seconds);
	ADD("udp_rcvbuf_errors_pps", NULL, (double)sum->rcvbuf_errors / seconds);
	return 0;
}

int iov_metrics_netdev(struct iov_metric_set *set, const struct iov_netdev_counters *const *devs, size_t n,
		       double seconds, uint64_t *packets, struct iov_err *err)
{
	uint64_t rx = 0, tx = 0, drops = 0;

	if (check_window(seconds, err))
		return -1;
	for (size_t i = 0; i < n; i++) {
		rx += devs[i]->rx_packets;
		tx += devs[i]->tx_packets;
		drops += devs[i]->rx_drop;
		if (n > 1) {
			ADD("netdev_rx_pps", devs[i]->name, (double)devs[i]->rx_packets / seconds);
			ADD("netdev_tx_pps", devs[i]->name, (double)devs[i]->tx_packets / seconds);
		}
	}
	ADD("netdev_rx_pps", NULL, (double)rx / seconds);
	ADD("netdev_tx_pps", NULL, (double)tx / seconds);
	ADD("netdev_rx_drop_count", NULL, (double)drops);
	if (packets)
		*packets = rx + tx;
	return 0;
}

static bool irq_row_selected(const struct iov_irq_row *row, const char *const *patterns, size_t npatterns)
{
	for (size_t p = 0; p < npatterns; p++)
		if (iov_irq_row_matches(row, patterns[p]))
			return true;
	return false;
}

int iov_metrics_interrupts(struct iov_metric_set *set, const struct iov_irq_table *delta, const char *const *patterns,
			   size_t npatterns, double seconds, uint64_t packets, uint64_t *irqs, struct iov_err *err)
{
	uint64_t total = 0;
	size_t matched = 0;

	if (check_window(seconds, err))
		return -1;
	for (size_t i = 0; i < delta->n; i++) {
		const struct iov_irq_row *row = &delta->rows[i];
		uint64_t same_name = 0;

		if (!irq_row_selected(row, patterns, npatterns))
			continue;
		total += row->total;
		matched++;
		/*
		 * Instances by vector name (eth1-rx-0), which is stable across runs where the IRQ
		 * number is not; rows sharing a name are summed, once, at the first of them.
		 */
		if (iov_metric_set_get(set, "irq_per_s", row->name))
			continue;
		for (size_t j = i; j < delta->n; j++)
			if (!strcmp(delta->rows[j].name, row->name) &&
			    irq_row_selected(&delta->rows[j], patterns, npatterns))
				same_name += delta->rows[j].total;
		ADD("irq_per_s", row->name, (double)same_name / seconds);
	}
	if (!matched) {
		iov_err_set(err, "metrics: no /proc/interrupts row matches the tested NICs");
		return -1;
	}
	ADD("irq_per_s", NULL, (double)total / seconds);
	if (packets)
		ADD("irq_per_pkt", NULL, (double)total / (double)packets);
	if (irqs)
		*irqs = total;
	return 0;
}

int iov_metrics_kvm(struct iov_metric_set *set, const struct iov_kvm_guest *g, size_t n, double seconds,
		    uint64_t packets, struct iov_err *err)
{
	uint64_t exits = 0, inj = 0, userspace = 0, host_irq = 0, guest_irq = 0;
	bool vf = false;

	if (!n)
		return 0;
	if (check_window(seconds, err))
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct iov_kvm_counts *d = g[i].delta;

		ADD("kvm_exits_per_s", g[i].name, (double)d->exits / seconds);
		ADD("kvm_injections_per_s", g[i].name, (double)d->inj / seconds);
		exits += d->exits;
		inj += d->inj;
		userspace += d->userspace;
		if (d->has_host_irq) {
			vf = true;
			host_irq += d->host_irq;
			guest_irq += g[i].guest_vf_irqs;
		}
		for (size_t r = 0; r < d->nreasons; r++) {
			char buf[32];
			const char *name = iov_kvm_reason_name(d->reason[r].isa, d->reason[r].code, buf, sizeof(buf));
			const struct iov_metric_value *v = iov_metric_set_get(set, "kvm_exit_reason_per_s", name);
			double sum = 0;

			if (v)
				continue; /* summed over every guest at its first appearance */
			for (size_t j = i; j < n; j++)
				for (size_t k = 0; k < g[j].delta->nreasons; k++)
					if (g[j].delta->reason[k].isa == d->reason[r].isa &&
					    g[j].delta->reason[k].code == d->reason[r].code)
						sum += (double)g[j].delta->reason[k].n;
			ADD("kvm_exit_reason_per_s", name, sum / seconds);
		}
	}
	ADD("kvm_exits_per_s", NULL, (double)exits / seconds);
	ADD("kvm_injections_per_s", NULL, (double)inj / seconds);
	if (packets) {
		ADD("kvm_exits_per_pkt", NULL, (double)exits / (double)packets);
		ADD("kvm_injections_per_pkt", NULL, (double)inj / (double)packets);
		ADD("kvm_userspace_exits_per_pkt", NULL, (double)userspace / (double)packets);
	}
	if (vf && host_irq)
		ADD("vf_irq_delivered_pct", NULL, 100.0 * (double)guest_irq / (double)host_irq);
	return 0;
}

int iov_metrics_perf(struct iov_metric_set *set, const struct iov_perf_counts *delta, double seconds,
		     uint64_t packets, int64_t trace_polls, struct iov_err *err)
{
	static const struct {
		const char *event, *per_s, *per_pkt;
	} rows[] = {
		{ "napi:napi_poll", "perf_napi_polls_per_s", NULL },
		{ "irq:irq_handler_entry", "perf_irqs_per_s", "perf_irqs_per_pkt" },
		{ "irq:softirq_entry/NET_RX", "perf_net_rx_softirqs_per_s", NULL },
		{ "context-switches", "perf_context_switches_per_s", "perf_context_switches_per_pkt" },
		{ "cpu-clock", NULL, "perf_cpu_clock_ns_per_pkt" },
		{ "cycles", NULL, "perf_cycles_per_pkt" },
		{ "instructions", NULL, "perf_instructions_per_pkt" },
	};
	uint64_t v;

	if (check_window(seconds, err))
		return -1;
	for (size_t i = 0; i < IOV_ARRAY_SIZE(rows); i++) {
		if (iov_perf_value(delta, rows[i].event, &v))
			continue; /* not counted here (no PMU, no such event): no value, never 0 */
		if (rows[i].per_s)
			ADD(rows[i].per_s, NULL, (double)v / seconds);
		if (rows[i].per_pkt && packets)
			ADD(rows[i].per_pkt, NULL, (double)v / (double)packets);
	}
	if (trace_polls > 0 && !iov_perf_value(delta, "napi:napi_poll", &v))
		ADD("perf_napi_polls_mismatch_pct", NULL,
		    100.0 * fabs((double)v - (double)trace_polls) / (double)trace_polls);
	return 0;
}

/* |a - b| / b x 100 */
static double mismatch_pct(uint64_t a, int64_t b)
{
	return 100.0 * fabs((double)a - (double)b) / (double)b;
}

/* A QEMU's threads by class ("qemu:EVENT/NAME:CLASS", agent/perf_threads.h), per figure set. */
static const char *const qemu_classes[] = { "vcpu", "io", "vhost" };
struct qemu_metric_names {
	const char *cls[3], *all, *per_pkt, *switches_per_pkt, *mismatch, *uncounted, *cycles_per_pkt,
		*instructions_per_pkt;
};
static const struct qemu_metric_names qemu_names[] = {
	[IOV_QEMU_OF_VM_GUESTS] = {
		.cls = { "vm_qemu_vcpu_cpu_pct", "vm_qemu_io_cpu_pct", "vm_qemu_vhost_cpu_pct" },
		.all = "vm_qemu_cpu_pct",
		.per_pkt = "vm_qemu_cpu_ns_per_pkt",
		.switches_per_pkt = "vm_qemu_context_switches_per_pkt",
		.mismatch = "vm_qemu_cpu_mismatch_pct",
		.uncounted = "vm_qemu_threads_uncounted_count",
		.cycles_per_pkt = "vm_qemu_cycles_per_pkt",
		.instructions_per_pkt = "vm_qemu_instructions_per_pkt",
	},
	[IOV_QEMU_OF_HYPERVISOR] = {
		.cls = { "qemu_perf_vcpu_cpu_pct", "qemu_perf_io_cpu_pct", NULL },
		.all = "qemu_perf_cpu_pct",
		.per_pkt = "qemu_perf_cpu_ns_per_pkt",
		.switches_per_pkt = "qemu_perf_context_switches_per_pkt",
		.mismatch = "qemu_perf_cpu_mismatch_pct",
		.uncounted = "qemu_perf_threads_uncounted_count",
		.cycles_per_pkt = "qemu_perf_cycles_per_pkt",
		.instructions_per_pkt = "qemu_perf_instructions_per_pkt",
	},
};

/* "qemu:EVENT/GUEST:CLASS" of the event: its guest (into guest) and class index, or -1. */
static int qemu_class_of(const char *name, const char *event, char *guest, size_t len)
{
	size_t n = strlen(event);
	const char *colon;

	if (strncmp(name, event, n) || name[n] != '/')
		return -1;
	name += n + 1;
	colon = strrchr(name, ':');
	if (!colon || colon == name || (size_t)(colon - name) >= len)
		return -1;
	for (size_t c = 0; c < IOV_ARRAY_SIZE(qemu_classes); c++)
		if (!strcmp(colon + 1, qemu_classes[c])) {
			snprintf(guest, len, "%.*s", (int)(colon - name), name);
			return (int)c;
		}
	return -1;
}

/*
 * The sum of a hardware event over every class of every guest into *sum: false when one class
 * that has threads has no count (no PMU), so a figure is absent rather than short, or 0.
 */
static bool qemu_hw_sum(const struct iov_perf_counts *d, const char *event, uint64_t *sum)
{
	char guest[64];
	bool any = false;

	*sum = 0;
	for (size_t i = 0; i < d->n; i++) {
		const struct iov_perf_count *e = &d->ev[i];

		if (qemu_class_of(e->name, event, guest, sizeof(guest)) < 0)
			continue;
		if (!e->supported) {
			if (strcmp(e->why, "no-threads"))
				return false;
			continue;
		}
		any = true;
		*sum += e->total;
	}
	return any;
}

/*
 * Per class, each guest's share and the sum over the guests, a guest without a thread of the
 * class counting nothing (it has none to spend CPU in); no sum when one guest's count failed.
 */
int iov_metrics_qemu_threads(struct iov_metric_set *set, const struct iov_perf_counts *d, double seconds,
			     uint64_t packets, enum iov_qemu_of of, struct iov_err *err)
{
	const struct qemu_metric_names *m = &qemu_names[of];
	uint64_t clock_all = 0, stat_all = 0, cs_all = 0, fresh = 0, hw;
	bool every = true, any = false;
	char guest[64];

	for (size_t c = 0; c < IOV_ARRAY_SIZE(qemu_classes); c++) {
		uint64_t sum = 0;
		bool have = false, whole = true;

		for (size_t i = 0; i < d->n; i++) {
			const struct iov_perf_count *e = &d->ev[i];

			if (qemu_class_of(e->name, "qemu:task-clock", guest, sizeof(guest)) != (int)c || !m->cls[c])
				continue;
			if (!e->supported) {
				whole = whole && !strcmp(e->why, "no-threads");
				continue;
			}
			have = true;
			sum += e->total;
			ADD(m->cls[c], guest, 100.0 * (double)e->total / (seconds * 1e9));
		}
		if (have && whole)
			ADD(m->cls[c], NULL, 100.0 * (double)sum / (seconds * 1e9));
		any = any || have;
		every = every && whole;
		clock_all += sum;
	}
	if (!any)
		return 0;
	for (size_t i = 0; i < d->n; i++) {
		const struct iov_perf_count *e = &d->ev[i];

		if (!strncmp(e->name, "qemu:threads-uncounted/", 23) && e->supported) {
			ADD(m->uncounted, e->name + 23, (double)e->total);
			fresh += e->total;
		}
		if (!e->supported)
			continue;
		if (qemu_class_of(e->name, "qemu:sched-runtime-ns", guest, sizeof(guest)) >= 0)
			stat_all += e->total;
		if (qemu_class_of(e->name, "qemu:context-switches", guest, sizeof(guest)) >= 0)
			cs_all += e->total;
	}
	ADD(m->uncounted, NULL, (double)fresh);
	if (!every)
		return 0; /* no total that would leave a guest's threads out */
	ADD(m->all, NULL, 100.0 * (double)clock_all / (seconds * 1e9));
	if (packets) {
		ADD(m->per_pkt, NULL, (double)clock_all / (double)packets);
		ADD(m->switches_per_pkt, NULL, (double)cs_all / (double)packets);
	}
	if (stat_all > 0)
		ADD(m->mismatch, NULL, mismatch_pct(clock_all, (int64_t)stat_all));
	if (packets && qemu_hw_sum(d, "qemu:cycles", &hw))
		ADD(m->cycles_per_pkt, NULL, (double)hw / (double)packets);
	if (packets && qemu_hw_sum(d, "qemu:instructions", &hw))
		ADD(m->instructions_per_pkt, NULL, (double)hw / (double)packets);
	return 0;
}

/*
 * "kvm:kvm_exit:REASON/GUEST" (iovperf --vm): each reason's exits, every guest together, as the
 * hist triggers' kvm_exit_reason_per_s are; none for a reason one guest could not count.
 */
static int exit_reasons(struct iov_metric_set *set, const struct iov_perf_counts *d, double seconds,
			uint64_t packets, struct iov_err *err)
{
	static const char prefix[] = "kvm:kvm_exit:";
	const size_t plen = sizeof(prefix) - 1;

	for (size_t i = 0; i < d->n; i++) {
		const char *name = d->ev[i].name, *slash = strchr(name, '/');
		char reason[48];
		uint64_t sum = 0;
		bool every = true;

		if (strncmp(name, prefix, plen) || !slash || (size_t)(slash - name) - plen >= sizeof(reason))
			continue;
		snprintf(reason, sizeof(reason), "%.*s", (int)((size_t)(slash - name) - plen), name + plen);
		if (iov_metric_set_get(set, "perf_kvm_exit_reason_per_s", reason))
			continue; /* summed at its first guest */
		for (size_t j = i; j < d->n; j++) {
			const struct iov_perf_count *e = &d->ev[j];

			if (strncmp(e->name, name, (size_t)(slash - name) + 1))
				continue;
			every = every && e->supported;
			sum += e->total;
		}
		if (!every)
			continue;
		ADD("perf_kvm_exit_reason_per_s", reason, (double)sum / seconds);
		if (packets)
			ADD("perf_kvm_exit_reason_per_pkt", reason, (double)sum / (double)packets);
	}
	return 0;
}

int iov_metrics_perf_kvm(struct iov_metric_set *set, const struct iov_perf_counts *delta, double seconds,
			 uint64_t packets, int64_t hist_exits, int64_t hist_injections, struct iov_err *err)
{
	static const struct {
		const char *event, *per_s, *per_pkt, *mismatch;
	} rows[] = {
		{ "kvm:kvm_exit/", "perf_kvm_exits_per_s", "perf_kvm_exits_per_pkt", "perf_kvm_exits_mismatch_pct" },
		{ "kvm:kvm_entry/", NULL, "perf_kvm_entries_per_pkt", NULL },
		{ "kvm:kvm_inj_virq/", "perf_kvm_injections_per_s", "perf_kvm_injections_per_pkt",
		  "perf_kvm_injections_mismatch_pct" },
		{ "kvm:kvm_userspace_exit/", NULL, "perf_kvm_userspace_exits_per_pkt", NULL },
		{ "kvm:kvm_mmio/", NULL, "perf_kvm_mmio_per_pkt", NULL },
		{ "kvm:kvm_halt_poll_ns/", "perf_kvm_halt_poll_changes_per_s", NULL, NULL },
	};
	const int64_t hist[] = { hist_exits, -1, hist_injections, -1, -1, -1 };
	uint64_t msi;

	if (check_window(seconds, err))
		return -1;
	for (size_t r = 0; r < IOV_ARRAY_SIZE(rows); r++) {
		size_t len = strlen(rows[r].event), guests = 0;
		bool every = true;
		uint64_t sum = 0;

		for (size_t i = 0; i < delta->n; i++) {
			const struct iov_perf_count *e = &delta->ev[i];

			if (strncmp(e->name, rows[r].event, len) || !e->name[len])
				continue;
			guests++;
			if (!e->supported) {
				every = false; /* no value for it, and no total that would leave it out */
				continue;
			}
			sum += e->total;
			if (rows[r].per_s)
				ADD(rows[r].per_s, e->name + len, (double)e->total / seconds);
		}
		if (!guests || !every)
			continue;
		if (rows[r].per_s)
			ADD(rows[r].per_s, NULL, (double)sum / seconds);
		if (packets && rows[r].per_pkt)
			ADD(rows[r].per_pkt, NULL, (double)sum / (double)packets);
		if (rows[r].mismatch && hist[r] > 0)
			ADD(rows[r].mismatch, NULL, mismatch_pct(sum, hist[r]));
	}
	if (exit_reasons(set, delta, seconds, packets, err))
		return -1;
	/* every guest's MSIs together: they are set outside the vCPU threads (iovperf.c) */
	if (!iov_perf_value(delta, "kvm:kvm_msi_set_irq", &msi)) {
		ADD("perf_kvm_msis_per_s", NULL, (double)msi / seconds);
		if (packets)
			ADD("perf_kvm_msis_per_pkt", NULL, (double)msi / (double)packets);
	}
	return iov_metrics_qemu_threads(set, delta, seconds, packets, IOV_QEMU_OF_VM_GUESTS, err);
}

struct napi_totals {
	uint64_t polls, work, empty, budget;
};

static int add_napi(struct iov_metric_set *set, const struct napi_totals *t, const char *inst, double seconds,
		    uint64_t irqs, struct iov_err *err)
{
	ADD("napi_polls_per_s", inst, (double)t->polls / seconds);
	if (!t->polls)
		return 0;
	ADD("napi_pkts_per_poll", inst, (double)t->work / (double)t->polls);
	ADD("napi_empty_polls_pct", inst, 100.0 * (double)t->empty / (double)t->polls);
	ADD("napi_budget_polls_pct", inst, 100.0 * (double)t->budget / (double)t->polls);
	if (irqs)
		ADD("napi_polls_per_irq", inst, (double)t->polls / (double)irqs);
	return 0;
}

int iov_metrics_napi_trace(struct iov_metric_set *set, const struct iov_napi_trace *t, const char *const *devs,
			   size_t ndevs, double seconds, uint64_t irqs, struct iov_err *err)
{
	struct napi_totals all = { 0 };

	if (check_window(seconds, err))
		return -1;
	for (size_t i = 0; i < ndevs; i++) {
		const struct iov_napi_dev *d = iov_napi_trace_find(t, devs[i]);
		struct napi_totals one = { 0 };

		if (d)
			one = (struct napi_totals){ d->polls, d->work_total, d->empty_polls, d->budget_polls };
		all.polls += one.polls;
		all.work += one.work;
		all.empty += one.empty;
		all.budget += one.budget;
		/* A device with no traced poll is a valid observation: zero polls. */
		if (ndevs > 1 && add_napi(set, &one, devs[i], seconds, 0, err))
			return -1;
	}
	return add_napi(set, &all, NULL, seconds, irqs, err);
}

/* Merge every mailbox histogram of one direction across functions. */
static int merge_mbx(const struct iov_drv_stats *deltas, size_t n, const char *dir, struct iov_hist *h,
		     uint64_t *count, uint64_t *nack, uint64_t *timeout, struct iov_err *err)
{
	memset(h, 0, sizeof(*h));
	*count = *nack = *timeout = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t m = 0; m < deltas[i].nmbx; m++) {
			const struct iov_drv_mbx *mb = &deltas[i].mbx[m];

			if (strcmp(mb->dir, dir))
				continue;
			*count += mb->count;
			*nack += mb->nack;
			*timeout += mb->timeout;
			for (size_t b = 0; b < mb->lat_ns.n; b++)
				if (iov_hist_add(h, mb->lat_ns.b[b].lower, mb->lat_ns.b[b].count)) {
					iov_err_set(err, "metrics: mailbox histogram too wide");
					return -1;
				}
		}
	return 0;
}

static int add_hist_pct(struct iov_metric_set *set, const struct iov_hist *h, double pct, const char *metric,
			struct iov_err *err)
{
	uint64_t lower, upper;

	if (!iov_hist_total(h) || iov_hist_percentile(h, pct, &lower, &upper))
		return 0; /* no message measured: no latency figure */
	ADD(metric, NULL, (double)lower);
	return 0;
}

int iov_metrics_driver_stats(struct iov_metric_set *set, const struct iov_drv_stats *deltas, size_t n,
			     double seconds, const struct iov_napi_trace *trace, struct iov_err *err)
{
	uint64_t irqs = 0, polls = 0, napi_irqs = 0, empty = 0, at_budget = 0, rejected = 0;
	uint64_t count, nack, timeout, vcount, vnack, vtimeout, traced = 0, driver = 0;
	bool matched_trace = false, have_vf = false;
	struct iov_hist rtt, service;

	if (check_window(seconds, err))
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct iov_drv_stats *s = &deltas[i];
		uint64_t fn_polls = 0;

		have_vf |= !strcmp(s->role, "vf");
		for (size_t k = 0; k < s->nirq; k++)
			irqs += s->irq[k].count;
		for (size_t k = 0; k < s->nnapi; k++) {
			const struct iov_drv_napi *np = &s->napi[k];

			fn_polls += np->polls;
			napi_irqs += np->irqs;
			empty += iov_hist_count(&np->work, 0);
			if (np->budget)
				at_budget += iov_hist_count(&np->work, np->budget);
		}
		polls += fn_polls;
		for (size_t m = 0; m < s->nmbx; m++)
			if (!strcmp(s->mbx[m].dir, "rejected"))
				rejected += s->mbx[m].count;
		if (trace && s->netdev[0]) {
			const struct iov_napi_dev *d = iov_napi_trace_find(trace, s->netdev);
			uint64_t t = d ? d->polls : 0;

			if (t) {
				/* Functions sharing a netdev name (other namespaces) get no instance of their own. */
				if (!iov_metric_set_get(set, "drv_napi_polls_mismatch_pct", s->netdev))
					ADD("drv_napi_polls_mismatch_pct", s->netdev,
					    100.0 * fabs((double)fn_polls - (double)t) / (double)t);
				traced += t;
				driver += fn_polls;
				matched_trace = true;
			}
		}
	}
	ADD("drv_irq_per_s", NULL, (double)irqs / seconds);
	if (polls) {
		ADD("drv_napi_empty_polls_pct", NULL, 100.0 * (double)empty / (double)polls);
		ADD("drv_napi_budget_polls_pct", NULL, 100.0 * (double)at_budget / (double)polls);
		if (napi_irqs)
			ADD("drv_napi_polls_per_irq", NULL, (double)polls / (double)napi_irqs);
	}
	if (matched_trace)
		ADD("drv_napi_polls_mismatch_pct", NULL, 100.0 * fabs((double)driver - (double)traced) / (double)traced);
	if (merge_mbx(deltas, n, "rtt", &rtt, &vcount, &vnack, &vtimeout, err) ||
	    merge_mbx(deltas, n, "service", &service, &count, &nack, &timeout, err))
		return -1;
	if (add_hist_pct(set, &rtt, 50, "mbx_rtt_p50_ns", err) || add_hist_pct(set, &rtt, 99, "mbx_rtt_p99_ns", err) ||
	    add_hist_pct(set, &rtt, 100, "mbx_rtt_max_ns", err) ||
	    add_hist_pct(set, &service, 50, "mbx_service_p50_ns", err) ||
	    add_hist_pct(set, &service, 99, "mbx_service_p99_ns", err))
		return -1;
	/* Counts from the requesters (VFs) when we have them, else from the PF's service side. */
	ADD("mbx_requests_count", NULL, (double)(have_vf ? vcount : count));
	ADD("mbx_nack_count", NULL, (double)(have_vf ? vnack : nack));
	ADD("mbx_timeout_count", NULL, (double)(have_vf ? vtimeout : timeout));
	ADD("mbx_rejected_count", NULL, (double)rejected);
	return 0;
}

int iov_metrics_fgraph(struct iov_metric_set *set, const struct iov_fgraph *g, struct iov_err *err)
{
	static const struct {
		const char *metric;
		double pct;
	} pcts[] = { { "mbx_call_p50_ns", 50 }, { "mbx_call_p90_ns", 90 }, { "mbx_call_p99_ns", 99 } };
	size_t total = 0, k = 0;
	double *all;

	for (size_t f = 0; f < g->nfuncs; f++)
		total += g->funcs[f].n;
	if (!total)
		return 0; /* nothing was called: no figure rather than a made-up one */
	all = malloc(total * sizeof(*all));
	if (!all) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	for (size_t f = 0; f < g->nfuncs; f++)
		for (size_t i = 0; i < g->funcs[f].n; i++)
			all[k++] = g->funcs[f].ns[i];
	for (size_t p = 0; p < IOV_ARRAY_SIZE(pcts); p++) {
		if (iov_metric_set_add(set, pcts[p].metric, "", iov_percentile(all, total, pcts[p].pct), err))
			goto fail;
		for (size_t f = 0; g->nfuncs > 1 && f < g->nfuncs; f++)
			if (g->funcs[f].n &&
			    iov_metric_set_add(set, pcts[p].metric, g->funcs[f].name,
					       iov_percentile(g->funcs[f].ns, g->funcs[f].n, pcts[p].pct), err))
				goto fail;
	}
	if (iov_metric_set_add(set, "mbx_calls_count", "", (double)total, err))
		goto fail;
	free(all);
	return 0;
fail:
	free(all);
	return -1;
}

int iov_metrics_qstats(struct iov_metric_set *set, const struct iov_qstats *delta, double seconds,
		       struct iov_err *err)
{
	uint64_t sum[2] = { 0, 0 };
	bool have[2] = { false, false };

	for (size_t i = 0; i < delta->n; i++) {
		const struct iov_qstats_queue *q = &delta->q[i];
		char inst[IOV_METRIC_INSTANCE_MAX];

		if (!q->has_packets)
			continue;
		sum[q->tx] += q->packets;
		have[q->tx] = true;
		snprintf(inst, sizeof(inst), "%s:%s%u", q->dev, q->tx ? "tx" : "rx", q->id);
		ADD(q->tx ? "qstats_tx_pps" : "qstats_rx_pps", inst, (double)q->packets / seconds);
	}
	if (have[0])
		ADD("qstats_rx_pps", "", (double)sum[0] / seconds);
	if (have[1])
		ADD("qstats_tx_pps", "", (double)sum[1] / seconds);
	return 0;
}

int iov_metrics_counters(const struct snapshot *before, const struct snapshot *after, struct iov_collect_rep *rep,
			 struct iov_metric_set *set, struct iov_err *err)
{
	int rc = 0;

	rep->seconds = snapshot_uptime(after) - snapshot_uptime(before);
	if (rep->seconds <= 0) {
		iov_err_set(err, "guest clock did not advance over the repetition");
		return -1;
	}
	for (size_t i = 0; i < iov_collector_count() && !rc; i++) {
		const struct iov_collector_ops *c = iov_collector_at(i);

		if (c->metrics)
			rc = c->metrics(c->section ? before->state[i] : NULL, c->section ? after->state[i] : NULL, rep,
					set, err);
	}
	iov_irq_free(&rep->irq);
	return rc;
}
