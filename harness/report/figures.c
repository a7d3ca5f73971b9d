// SPDX-License-Identifier: MIT
/* report/figures.c - the figures: a metric against the guests, bars per experiment, NAPI polls, mailbox CDF (internal.h). */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

static struct iov_figure fig_defaults(const struct report *r, const char *name, const char *title, const char *xl,
				      const char *yl)
{
	return (struct iov_figure){ .dir = r->fig_dir, .name = name, .title = title, .xlabel = xl, .ylabel = yl,
				    .ymin = NAN, .ymax = NAN };
}

static void series_name(const struct iov_an_exp *e, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", e->nic, e->id_repeats ? " @" : "", e->id_repeats ? e->run_id : "");
}

/* A metric against the number of guests, one line per NIC kind, one figure per pattern. */
struct guests_fig {
	const char *metric, *what, *file;
	const char *big_unit, *small_unit;
	double big, small; /* scale of each unit; big when the largest mean reaches it */
	const char *how;   /* how the experiment-wide figure is formed */
};

static const struct guests_fig guests_figs[] = {
	{ "throughput_bps", "throughput", "throughput", "Gbit/s", "Mbit/s", 1e9, 1e6, "sum over guests" },
	{ "pps", "UDP datagrams received", "pps", "Mpacket/s", "kpacket/s", 1e6, 1e3, "sum over guests" },
	{ "lat_p50_ns", "median latency", "latency-p50", "ms", "µs", 1e6, 1e3, "largest guest's" },
	{ "lat_p99_ns", "99th percentile latency", "latency-p99", "ms", "µs", 1e6, 1e3, "largest guest's" },
};

static void fig_vs_guests(struct report *r, const char *entry, const struct guests_fig *gf)
{
	struct iov_point *pts = calloc(r->an.nexps + 1, sizeof(*pts));
	char (*names)[160] = calloc(r->an.nexps + 1, sizeof(*names));
	char name[128], title[256], caption[768], ylabel[96];
	struct iov_err err;

	for (int pat = 0; pat < 2 && pts && names; pat++) {
		const char *pattern = pat ? "guest-to-domain" : "guest-to-guest";
		double maxv = 0, scale;
		size_t n = 0;

		for (size_t i = 0; i < r->an.nexps; i++) {
			struct iov_summary s;

			if (strcmp(r->an.exps[i].entry, entry) || strcmp(r->an.exps[i].pattern, pattern) ||
			    !rpt_summary_of(&r->an.exps[i], gf->metric, &s))
				continue;
			series_name(&r->an.exps[i], names[n], sizeof(names[n]));
			pts[n] = (struct iov_point){ names[n], r->an.exps[i].guests, s.mean, s.stddev };
			maxv = fmax(maxv, s.mean);
			n++;
		}
		if (!n)
			continue;
		scale = maxv >= gf->big ? gf->big : gf->small;
		snprintf(ylabel, sizeof(ylabel), "%s (%s, %s)", gf->what, scale == gf->big ? gf->big_unit : gf->small_unit,
			 gf->how);
		for (size_t i = 0; i < n; i++) {
			pts[i].y /= scale;
			pts[i].err /= scale;
		}
		snprintf(name, sizeof(name), "%s-%s-%s", gf->file, entry, iov_an_pattern_short(pattern));
		snprintf(title, sizeof(title), "%s, %s: %s against number of guests", entry, pattern, gf->what);
		struct iov_figure f = fig_defaults(r, name, title, "guests (network namespaces, one NIC each)", ylabel);

		if (iov_plot_lines(&f, pts, n, &err)) {
			rpt_plot_failed(r, title, &err);
			continue;
		}
		snprintf(caption, sizeof(caption),
			 "%c%s of %s (%s) against the number of guests, per NIC kind (%s): mean over the repetitions, "
			 "error bars one standard deviation.",
			 gf->what[0] - ('a' <= gf->what[0] && gf->what[0] <= 'z' ? 'a' - 'A' : 0), gf->what + 1, entry,
			 pattern, gf->metric);
		rpt_figure(r, name, title, caption);
	}
	free(pts);
	free(names);
}

/* Bars of one metric (or of a per-repetition ratio of two) for the experiments of an entry. */
static int fig_bars(struct report *r, const char *entry, const char *name, const char *title, const char *ylabel,
		    const char *metric, const char *per_metric, double per_scale, const char *caption)
{
	struct iov_bar *bars = calloc(r->an.nexps + 1, sizeof(*bars));
	char (*cats)[96] = calloc(r->an.nexps + 1, sizeof(*cats)), (*sers)[160] = calloc(r->an.nexps + 1, sizeof(*sers));
	struct iov_err err;
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; bars && cats && sers && i < r->an.nexps; i++) {
		struct iov_summary s;
		size_t na, nb = 0;
		double *a, *b = NULL;

		if (strcmp(r->an.exps[i].entry, entry))
			continue;
		a = rpt_values(&r->an.exps[i], metric, &na);
		if (per_metric) {
			b = rpt_values(&r->an.exps[i], per_metric, &nb);
			/* Ratio per repetition, then summarized: both were measured in the same repetition. */
			for (size_t k = 0; a && k < na; k++)
				a[k] = k < nb && b[k] > 0 ? a[k] / (b[k] / per_scale) : NAN;
		}
		iov_summarize(a, na, &s);
		free(a);
		free(b);
		if (!s.n)
			continue;
		iov_an_exp_label(&r->an.exps[i], cats[n], sizeof(cats[n]), false);
		series_name(&r->an.exps[i], sers[n], sizeof(sers[n]));
		bars[n] = (struct iov_bar){ cats[n], sers[n], s.mean, s.stddev };
		n++;
	}
	if (!n) {
		free(bars);
		free(cats);
		free(sers);
		return 1;
	}
	struct iov_figure f = fig_defaults(r, name, title, "experiment (pattern, guests)", ylabel);

	if (iov_plot_bars(&f, bars, n, &err)) {
		rpt_plot_failed(r, title, &err);
		rc = -1;
	} else {
		rpt_figure(r, name, title, caption);
	}
	free(bars);
	free(cats);
	free(sers);
	return rc;
}

static void fig_napi(struct report *r, const char *entry)
{
	static const char *const parts[] = { "empty (no work)", "work below the budget", "whole budget used" };
	const char **cats = calloc(r->an.nexps + 1, sizeof(*cats));
	char (*labels)[128] = calloc(r->an.nexps + 1, sizeof(*labels));
	double *v = calloc(3 * (r->an.nexps + 1), sizeof(*v));
	char name[128], title[256], caption[768];
	struct iov_err err;
	size_t n = 0;

	for (size_t i = 0; cats && labels && v && i < r->an.nexps; i++) {
		struct iov_summary empty, full;

		if (strcmp(r->an.exps[i].entry, entry) || !rpt_summary_of(&r->an.exps[i], "napi_empty_polls_pct", &empty) ||
		    !rpt_summary_of(&r->an.exps[i], "napi_budget_polls_pct", &full))
			continue;
		iov_an_exp_label(&r->an.exps[i], labels[n], sizeof(labels[n]), true);
		cats[n] = labels[n];
		v[3 * n] = empty.mean;
		v[3 * n + 2] = full.mean;
		v[3 * n + 1] = fmax(0, 100 - empty.mean - full.mean);
		n++;
	}
	snprintf(name, sizeof(name), "napi-polls-%s", entry);
	snprintf(title, sizeof(title), "%s: distribution of NAPI polls by work done", entry);
	if (!n) {
		rpt_no_figure(r, title, "no experiment of this workload has napi_poll trace metrics");
	} else {
		struct iov_figure f = fig_defaults(r, name, title, "experiment", "share of NAPI polls (%)");

		if (iov_plot_stacked(&f, cats, n, parts, 3, v, &err)) {
			rpt_plot_failed(r, title, &err);
		} else {
			snprintf(caption, sizeof(caption),
				 "Distribution of packets per NAPI poll for %s, from the napi:napi_poll tracepoint: share "
				 "of polls that found no work, that did some, and that used the whole budget (mean over "
				 "the repetitions). The result holds these shares, not a finer histogram.",
				 entry);
			rpt_figure(r, name, title, caption);
		}
	}
	free(cats);
	free(labels);
	free(v);
	snprintf(name, sizeof(name), "napi-pkts-per-poll-%s", entry);
	snprintf(title, sizeof(title), "%s: packets per NAPI poll", entry);
	snprintf(caption, sizeof(caption),
		 "Mean packets per NAPI poll for %s (sum of work / polls from the tracepoint), per NIC kind; error "
		 "bars one standard deviation over the repetitions. Higher means more batching per softirq pass.",
		 entry);
	if (fig_bars(r, entry, name, title, "packets per poll", "napi_pkts_per_poll", NULL, 1, caption) == 1)
		rpt_no_figure(r, title, "no experiment of this workload has napi_pkts_per_poll");
}

/* Percentile metrics of one mailbox latency, as points of its CDF. */
struct cdf_point {
	const char *metric;
	double p;
};

static const struct {
	const char *what;
	struct cdf_point pts[3];
} mbx_cdfs[] = {
	/* Our drivers' own log2 histograms (bucket lower bounds). */
	{ "VF round trip", { { "mbx_rtt_p50_ns", 0.50 }, { "mbx_rtt_p99_ns", 0.99 }, { "mbx_rtt_max_ns", 1.0 } } },
	{ "PF service", { { "mbx_service_p50_ns", 0.50 }, { "mbx_service_p99_ns", 0.99 }, { NULL, 0 } } },
	/* ftrace function_graph around the VF driver's request function: igbvf and iovvf alike. */
	{ "VF request call (ftrace)",
	  { { "mbx_call_p50_ns", 0.50 }, { "mbx_call_p90_ns", 0.90 }, { "mbx_call_p99_ns", 0.99 } } },
};

static void fig_mailbox(struct report *r)
{
	size_t nk = IOV_ARRAY_SIZE(mbx_cdfs);
	struct iov_point *pts = calloc(3 * nk * (r->an.nexps + 1), sizeof(*pts));
	char (*names)[192] = calloc(nk * (r->an.nexps + 1), sizeof(*names));
	struct iov_err err;
	size_t n = 0, ns = 0;

	for (size_t i = 0; pts && names && i < r->an.nexps; i++) {
		for (size_t kind = 0; kind < nk; kind++) {
			size_t added = 0;
			char label[128];

			iov_an_exp_label(&r->an.exps[i], label, sizeof(label), true);
			snprintf(names[ns], sizeof(names[ns]), "%s %s", label, mbx_cdfs[kind].what);
			for (size_t k = 0; k < 3 && mbx_cdfs[kind].pts[k].metric; k++) {
				struct iov_summary s;

				if (!rpt_summary_of(&r->an.exps[i], mbx_cdfs[kind].pts[k].metric, &s) || s.mean <= 0)
					continue;
				pts[n++] = (struct iov_point){ names[ns], s.mean / 1e3, mbx_cdfs[kind].pts[k].p, NAN };
				added++;
			}
			if (added)
				ns++;
		}
	}
	if (!n) {
		rpt_no_figure(r, "mailbox latency (CDF)",
			  "no data: none of the results holds mailbox latency percentiles (mbx_rtt_*_ns and "
			  "mbx_service_*_ns from our drivers' histograms, mbx_call_*_ns from ftrace); they are recorded "
			  "when VFs exchanged mailbox messages during the measurement");
	} else {
		struct iov_figure f = fig_defaults(r, "mailbox-latency-cdf", "Mailbox latency: cumulative distribution",
						   "latency (µs, log scale)",
						   "cumulative fraction of messages");

		f.logx = true;
		f.steps = true;
		f.ymin = 0;
		f.ymax = 1.05;
		if (iov_plot_lines(&f, pts, n, &err))
			rpt_plot_failed(r, "mailbox latency", &err);
		else
			rpt_figure(r, "mailbox-latency-cdf", "mailbox latency as a CDF",
			       "Mailbox latency as a CDF: VF request round trip and PF service time at the 50th, 99th "
			       "percentile and maximum as our drivers' log2 histograms give them (bucket lower bounds), and "
			       "the VF driver's request call timed by ftrace at the 50th, 90th and 99th percentile (mean "
			       "over the repetitions).");
	}
	free(pts);
	free(names);
}

void rpt_figures_section(struct report *r)
{
	const char *ents[32];
	size_t ne = rpt_entries(r, ents, 32);
	unsigned first = r->figures + 1;
	char text[1024];

	rpt_heading(r, 2, "4 Results in figures", "figures");
	if (!r->plots) {
		rpt_para(r, "No figures: gnuplot is not installed (apt-get install gnuplot-nox); the tables of section 5 "
			"hold every number.");
		return;
	}
	snprintf(text, sizeof(text),
		 "The figures start with Figure %u. For each workload they show throughput (and packet rate or "
		 "latency where the workload measures them) against the number of guests per NIC kind, the guest "
		 "CPU spent per Gbit/s moved, interrupts per second and per packet, how NAPI polls were spent and, "
		 "where guests were VMs, the VM exits per packet; last the mailbox latency of our VF driver as a "
		 "CDF. Every point is the mean over the repetitions; error bars are one sample standard deviation.",
		 first);
	rpt_para(r, text);
	for (size_t e = 0; e < ne; e++) {
		char name[128], title[256], caption[768];
		size_t html_at, md_at;
		unsigned first_fig;

		snprintf(title, sizeof(title), "Workload %s", ents[e]);
		rpt_heading(r, 3, title, ents[e]);
		html_at = r->html.len;
		md_at = r->md.len;
		first_fig = r->figures + 1;
		for (size_t g = 0; g < IOV_ARRAY_SIZE(guests_figs); g++)
			if (rpt_has_metric(r, guests_figs[g].metric))
				fig_vs_guests(r, ents[e], &guests_figs[g]);
		snprintf(name, sizeof(name), "cpu-per-gbps-%s", ents[e]);
		snprintf(title, sizeof(title), "%s: guest CPU per Gbit/s", ents[e]);
		snprintf(caption, sizeof(caption),
			 "Guest CPU cost of the traffic of %s: busy CPU (%% of the lab guest's CPUs, not idle nor "
			 "iowait) divided by the throughput in Gbit/s, computed per repetition; lower is cheaper.",
			 ents[e]);
		if (fig_bars(r, ents[e], name, title, "guest CPU busy (%) per Gbit/s", "cpu_guest_busy_pct",
			     "throughput_bps", 1e9, caption) == 1)
			rpt_no_figure(r, title, "no experiment measured both cpu_guest_busy_pct and throughput_bps");
		snprintf(name, sizeof(name), "irq-per-s-%s", ents[e]);
		snprintf(title, sizeof(title), "%s: interrupts per second", ents[e]);
		snprintf(caption, sizeof(caption),
			 "Interrupts per second of the tested NICs' vectors (/proc/interrupts deltas) for %s.", ents[e]);
		if (fig_bars(r, ents[e], name, title, "interrupts per second", "irq_per_s", NULL, 1, caption) == 1)
			rpt_no_figure(r, title, "no experiment measured irq_per_s");
		snprintf(name, sizeof(name), "irq-per-pkt-%s", ents[e]);
		snprintf(title, sizeof(title), "%s: interrupts per packet", ents[e]);
		snprintf(caption, sizeof(caption),
			 "Interrupts per packet moved (rx + tx from the netdev counters) for %s: interrupt "
			 "moderation and NAPI at work; lower is better.",
			 ents[e]);
		if (fig_bars(r, ents[e], name, title, "interrupts per packet", "irq_per_pkt", NULL, 1, caption) == 1)
			rpt_no_figure(r, title, "no experiment measured irq_per_pkt");
		fig_napi(r, ents[e]);
		/* VM guests only: an entry run in namespaces has no hypervisor of its own to count. */
		snprintf(name, sizeof(name), "kvm-exits-per-pkt-%s", ents[e]);
		snprintf(title, sizeof(title), "%s: VM exits per packet", ents[e]);
		snprintf(caption, sizeof(caption),
			 "VM exits of the guests' vCPUs per packet moved (kvm:kvm_exit in the driver domain over "
			 "the guests' netdev packets) for %s, VM guests only: the hypervisor's work per packet for "
			 "an assigned VF, a paravirtual and an emulated NIC; lower is better.",
			 ents[e]);
		if (rpt_has_metric(r, "kvm_exits_per_pkt"))
			fig_bars(r, ents[e], name, title, "VM exits per packet", "kvm_exits_per_pkt", NULL, 1, caption);
		snprintf(name, sizeof(name), "vm-qemu-cpu-per-gbps-%s", ents[e]);
		snprintf(title, sizeof(title), "%s: guest and hypervisor CPU per Gbit/s", ents[e]);
		snprintf(caption, sizeof(caption),
			 "CPU of the VM guests' QEMU processes (perf task-clock on every thread: the vCPUs, the "
			 "device model and any vhost worker; %% of one CPU) per Gbit/s moved, per repetition, for %s, "
			 "VM guests only: what the traffic costs the guest and its hypervisor together, per byte "
			 "rather than per packet (a NIC with segmentation offload counts a 64 KiB send as one "
			 "packet); lower is cheaper.",
			 ents[e]);
		if (rpt_has_metric(r, "vm_qemu_cpu_pct"))
			fig_bars(r, ents[e], name, title, "QEMU CPU (%) per Gbit/s", "vm_qemu_cpu_pct", "throughput_bps",
				 1e9, caption);
		rpt_refer_to_figures(r, ents[e], first_fig, html_at, md_at);
	}
	rpt_heading(r, 3, "Mailbox", "mailbox");
	fig_mailbox(r);
}
