// SPDX-License-Identifier: MIT
/* report/hypervisor.c - the hypervisor's cost per packet in VM guests, NIC kind by NIC kind (internal.h). */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "workload.h"

/* Per packet, the figures of a VM guest's I/O path the hypervisor pays for; then what it buys. */
static const char *const cost_metrics[] = { "kvm_exits_per_pkt", "kvm_injections_per_pkt",
					    "kvm_userspace_exits_per_pkt", "vf_irq_delivered_pct" };

static bool is_vm(const struct iov_an_exp *e)
{
	return !strcmp(e->guest_kind, "vm");
}

/* The first VM experiment of e's group (entry, pattern, guests), so each group is written once. */
static bool first_of_group(const struct report *r, size_t i)
{
	const struct iov_an_exp *e = &r->an.exps[i];

	for (size_t j = 0; j < i; j++) {
		const struct iov_an_exp *y = &r->an.exps[j];

		if (is_vm(y) && !strcmp(y->entry, e->entry) && !strcmp(y->pattern, e->pattern) && y->guests == e->guests)
			return false;
	}
	return true;
}

/* Per-packet figures are small: three significant digits, not SI prefixes. */
static void mean_cell(char *buf, size_t len, const struct iov_an_exp *e, const char *metric)
{
	struct iov_summary s;

	if (!rpt_summary_of(e, metric, &s))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.3g", s.mean);
}

/* "463M bit/s (throughput_bps)" */
static void headline_cell(char *buf, size_t len, const struct iov_an_exp *e)
{
	const struct iov_metric_def *def = iov_metric_find(e->headline);
	struct iov_summary s;
	char v[32];

	if (!rpt_summary_of(e, e->headline, &s)) {
		snprintf(buf, len, "-");
		return;
	}
	iov_fmt_si(v, sizeof(v), s.mean);
	snprintf(buf, len, "%s %s (%s)", v, def ? def->unit : "", e->headline);
}

/*
 * The same NIC kind, workload, pattern and number of guests with namespace guests (an entry of
 * its own, e.g. tcp-g2g beside vm-tcp-g2g): what the VM costs the path itself.
 */
static void over_netns_cell(char *buf, size_t len, const struct report *r, const struct iov_an_exp *e)
{
	const char *workload = rpt_jstr(e->x, "workload");
	struct iov_summary a, b;

	for (size_t i = 0; i < r->an.nexps; i++) {
		const struct iov_an_exp *y = &r->an.exps[i];

		if (is_vm(y) || strcmp(y->nic, e->nic) || strcmp(y->pattern, e->pattern) || y->guests != e->guests ||
		    strcmp(rpt_jstr(y->x, "workload"), workload) || !rpt_summary_of(y, e->headline, &b) ||
		    b.mean == 0 || !rpt_summary_of(e, e->headline, &a))
			continue;
		snprintf(buf, len, "%.2f (%s%s%s)", a.mean / b.mean, y->entry, y->id_repeats ? " @" : "",
			 y->id_repeats ? y->run_id : "");
		return;
	}
	snprintf(buf, len, "-");
}

/* How many times the VF's exits per packet this kind's are. */
static void exits_vs_vf_cell(char *buf, size_t len, const struct report *r, const struct iov_an_exp *e)
{
	const struct iov_an_exp *vf = rpt_find_peer(r, e, "vf");
	struct iov_summary a, b;

	if (!vf || vf == e || !rpt_summary_of(e, "kvm_exits_per_pkt", &a) ||
	    !rpt_summary_of(vf, "kvm_exits_per_pkt", &b) || b.mean <= 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f", a.mean / b.mean);
}

/* A CPU figure (%) per Gbit/s, per repetition then averaged: both from the same repetition. */
static void cpu_per_gbps_cell(char *buf, size_t len, const struct iov_an_exp *e, const char *cpu_metric)
{
	size_t nc, nt, n = 0;
	double *c = rpt_values(e, cpu_metric, &nc), *t = rpt_values(e, "throughput_bps", &nt);
	double sum = 0;

	for (size_t k = 0; c && t && k < nc && k < nt; k++)
		if (isfinite(c[k]) && isfinite(t[k]) && t[k] > 0) {
			sum += c[k] / (t[k] / 1e9);
			n++;
		}
	free(c);
	free(t);
	if (n)
		snprintf(buf, len, "%.1f", sum / n);
	else
		snprintf(buf, len, "-");
}

/* The QEMU threads' CPU by class, % of one CPU: "vCPU 52 / I/O 31 / vhost 17" (means). */
static void thread_split_cell(char *buf, size_t len, const struct iov_an_exp *e)
{
	static const char *const metric[] = { "vm_qemu_vcpu_cpu_pct", "vm_qemu_io_cpu_pct", "vm_qemu_vhost_cpu_pct" };
	static const char *const label[] = { "vCPU", "I/O", "vhost" };
	size_t used = 0;

	buf[0] = '\0';
	for (size_t c = 0; c < IOV_ARRAY_SIZE(metric) && used < len; c++) {
		struct iov_summary s;

		if (rpt_summary_of(e, metric[c], &s))
			used += (size_t)snprintf(buf + used, len - used, "%s%s %.0f", used ? " / " : "", label[c], s.mean);
	}
	if (!used)
		snprintf(buf, len, "-");
}

/* The three exit reasons with the most exits per second, "npf 440, intr 171, vintr 137". */
static void top_reasons_cell(char *buf, size_t len, const struct iov_an_exp *e)
{
	json_t *inst = json_object_get(json_object_get(json_object_get(e->x, "metrics"), "kvm_exit_reason_per_s"),
				       "instances");
	const char *top[3] = { NULL };
	double topv[3] = { 0 };
	size_t used = 0;
	const char *key;
	json_t *v;

	json_object_foreach(inst, key, v) {
		double m = json_number_value(json_object_get(json_object_get(v, "summary"), "mean"));

		for (int k = 0; k < 3; k++) {
			if (m <= topv[k])
				continue;
			memmove(&top[k + 1], &top[k], (size_t)(2 - k) * sizeof(top[0]));
			memmove(&topv[k + 1], &topv[k], (size_t)(2 - k) * sizeof(topv[0]));
			top[k] = key;
			topv[k] = m;
			break;
		}
	}
	buf[0] = '\0';
	for (int k = 0; k < 3 && top[k] && used < len; k++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s %.0f", k ? ", " : "", top[k], topv[k]);
	if (!top[0])
		snprintf(buf, len, "-");
}

static void group_rows(struct report *r, const struct iov_an_exp *g)
{
	for (int k = 0; k < IOV_NIC_COUNT; k++) {
		const struct iov_an_exp *e = rpt_find_peer(r, g, iov_nic_name(k));
		char cells[13][128], label[96];
		const char *row[13];

		if (!e || !is_vm(e))
			continue;
		iov_an_exp_label(e, label, sizeof(label), false);
		snprintf(cells[0], sizeof(cells[0]), "%s %s", e->entry, label);
		snprintf(cells[1], sizeof(cells[1]), "%s%s%s", e->nic, strcmp(e->status, "ok") ? " " : "",
			 strcmp(e->status, "ok") ? e->status : "");
		headline_cell(cells[2], sizeof(cells[2]), e);
		over_netns_cell(cells[10], sizeof(cells[10]), r, e);
		for (size_t m = 0; m < IOV_ARRAY_SIZE(cost_metrics); m++)
			mean_cell(cells[3 + m], sizeof(cells[0]), e, cost_metrics[m]);
		exits_vs_vf_cell(cells[7], sizeof(cells[7]), r, e);
		cpu_per_gbps_cell(cells[8], sizeof(cells[8]), e, "cpu_guest_busy_pct");
		top_reasons_cell(cells[9], sizeof(cells[9]), e);
		cpu_per_gbps_cell(cells[11], sizeof(cells[11]), e, "vm_qemu_cpu_pct");
		thread_split_cell(cells[12], sizeof(cells[12]), e);
		for (size_t c = 0; c < 13; c++)
			row[c] = cells[c];
		rpt_table_row(r, row, 13, NULL);
	}
}

/* Every boot of a VM guest with NIC kind nic in the run: each guest's value in each repetition that booted it. */
static size_t boot_samples(const struct report *r, const char *nic, const char *metric, double *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < r->an.nexps; i++) {
		const struct iov_an_exp *e = &r->an.exps[i];
		json_t *inst = json_object_get(json_object_get(json_object_get(e->x, "metrics"), metric), "instances");
		const char *key;
		json_t *series, *v;
		size_t k;

		if (!is_vm(e) || strcmp(e->nic, nic))
			continue;
		json_object_foreach(inst, key, series)
			json_array_foreach(json_object_get(series, "values"), k, v)
				if (json_is_number(v) && n < max)
					out[n++] = json_number_value(v);
	}
	return n;
}

/* "21.3 (12 %)": the mean boot and its CoV over every boot of the kind. */
static void boot_cell(char *buf, size_t len, const struct report *r, const char *nic, const char *metric,
		      size_t *nboots)
{
	double v[256];
	struct iov_summary s;

	iov_summarize(v, boot_samples(r, nic, metric, v, IOV_ARRAY_SIZE(v)), &s);
	if (nboots)
		*nboots = s.n;
	if (!s.n)
		snprintf(buf, len, "-");
	else if (isnan(s.cov_pct))
		snprintf(buf, len, "%.1f", s.mean);
	else
		snprintf(buf, len, "%.1f (%.0f %%)", s.mean, s.cov_pct);
}

/* How long a VM guest of each NIC kind took to boot, over all its boots in the run. */
static void boot_table(struct report *r)
{
	static const char *const head[] = { "NIC kind", "boots", "boot, s (CoV)", "kernel uptime at the agent, s (CoV)",
					    "before the kernel, s (CoV)" };
	char text[1024];

	if (!rpt_has_metric(r, "vm_boot_s"))
		return;
	snprintf(text, sizeof(text),
		 "Table %u gives how long a VM guest took to boot, from its QEMU's start to its agent's first answer, "
		 "by the driver domain's clock, over every boot of the run (each guest of each topology the run "
		 "built: an interleaved entry rebuilds its topologies every repetition). The guest kernel's own "
		 "uptime in that answer is a second clock; the difference is what ran before the kernel: QEMU's "
		 "setup (for an assigned VF, VFIO pins all of the guest's memory) and the firmware.",
		 r->tables + 1);
	rpt_para(r, text);
	rpt_table_begin(r, "VM guest boot time by NIC kind, mean over every boot", head, IOV_ARRAY_SIZE(head));
	for (int k = 0; k < IOV_NIC_COUNT; k++) {
		char cells[5][64];
		const char *row[5];
		size_t n;

		boot_cell(cells[2], sizeof(cells[2]), r, iov_nic_name(k), "vm_boot_s", &n);
		if (!n)
			continue;
		snprintf(cells[0], sizeof(cells[0]), "%s", iov_nic_name(k));
		snprintf(cells[1], sizeof(cells[1]), "%zu", n);
		boot_cell(cells[3], sizeof(cells[3]), r, iov_nic_name(k), "vm_boot_kernel_s", NULL);
		boot_cell(cells[4], sizeof(cells[4]), r, iov_nic_name(k), "vm_boot_before_kernel_s", NULL);
		for (size_t c = 0; c < 5; c++)
			row[c] = cells[c];
		rpt_table_row(r, row, 5, NULL);
	}
	rpt_table_end(r);
}

void rpt_hypervisor_section(struct report *r)
{
	static const char *const head[] = { "experiment", "NIC kind", "headline (mean)", "VM exits / packet",
					    "injected interrupts / packet", "exits to QEMU / packet",
					    "VF interrupts delivered (%)", "exits / packet over vf's",
					    "guest CPU % per Gbit/s",
					    "top exit reasons (exits/s)", "headline over a namespace guest's",
					    "QEMU CPU % per Gbit/s", "QEMU threads, % of a CPU" };
	bool any = false;
	char text[2048];

	for (size_t i = 0; i < r->an.nexps && !any; i++)
		any = is_vm(&r->an.exps[i]);
	if (!any)
		return;
	rpt_heading(r, 3, "The hypervisor's cost: SR-IOV against paravirtual and emulated NICs", "hypervisor");
	snprintf(text, sizeof(text),
		 "Table %u sets, for the experiments whose guests were virtual machines (KVM guests in the driver "
		 "domain, a VF assigned to each through the IOMMU and vfio-pci, or a virtio-net or e1000e NIC that "
		 "the guest's QEMU emulates), what the hypervisor did per packet moved: VM exits of the guests' "
		 "vCPUs (kvm:kvm_exit), interrupts KVM injected (kvm:kvm_inj_virq), exits to QEMU, the device model "
		 "(kvm:kvm_userspace_exit), and for an assigned VF the share of its interrupts in the driver domain "
		 "that the guest's driver saw. Counts are KVM's tracepoints in the driver domain, per guest, over "
		 "each repetition; packets are the guests' own netdev counters. The headline is the workload's "
		 "(%s for most). Guest CPU per Gbit/s is the driver domain's busy CPU, which holds the guests' "
		 "vCPU threads, over the throughput, per repetition. The last column divides the headline by the "
		 "same NIC kind's with namespace guests (same workload, pattern and guests), where the results "
		 "hold one: what the VM itself costs the path. The last two count the guests' QEMU processes by "
		 "perf events on each thread (task clock): their CPU per Gbit/s, vCPUs, device model and vhost "
		 "workers together (what the guest and its hypervisor spend, per byte: a NIC with segmentation "
		 "offload counts a 64 KiB send as one packet, so per-packet figures of different kinds count "
		 "different packets), and its split into the vCPU threads, the device model's other threads (I/O) "
		 "and the vhost workers, in %% of one CPU.",
		 r->tables + 1, "throughput_bps");
	rpt_para(r, text);
	rpt_table_begin(r, "Hypervisor cost per packet, VM guests, mean over the repetitions", head,
			IOV_ARRAY_SIZE(head));
	for (size_t i = 0; i < r->an.nexps; i++)
		if (is_vm(&r->an.exps[i]) && first_of_group(r, i))
			group_rows(r, &r->an.exps[i]);
	rpt_table_end(r);
	boot_table(r);
}
