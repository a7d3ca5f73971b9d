// SPDX-License-Identifier: MIT
/* report/comparisons.c - our VF driver side by side with the other NIC kinds, the driver pairs and the instrumentation's cost (internal.h). */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "metrics.h"
#include "toggles/toggles.h"
#include "workload.h"

/* The metrics a reader compares NIC kinds by, in this order. */
static const char *const side_metrics[] = { "throughput_bps", "pps", "lat_p50_ns", "lat_p99_ns", "irq_per_pkt",
					    "napi_pkts_per_poll", "cpu_guest_busy_pct", "qemu_cpu_s", "mbx_call_p50_ns" };

/* One row of an instrumentation cost table: experiment, [metric,] ratios, mean, CI, verdict. */
static void cost_row(struct report *r, const struct iov_an_exp *e, const char *metric_cell,
		     const struct iov_instr_cost *c, double bound_pct, bool with_nic)
{
	char cells[6][128], label[96];
	const char *row[6];
	size_t n = 0;

	iov_an_exp_label(e, label, sizeof(label), with_nic);
	snprintf(cells[n++], sizeof(cells[0]), "%s %s", e->entry, label);
	if (metric_cell)
		snprintf(cells[n++], sizeof(cells[0]), "%s", metric_cell);
	snprintf(cells[n++], sizeof(cells[0]), "%zu", c->pairs);
	snprintf(cells[n++], sizeof(cells[0]), "%.4f", c->ratio);
	snprintf(cells[n++], sizeof(cells[0]), "[%.4f, %.4f]", c->lo, c->hi);
	snprintf(cells[n++], sizeof(cells[0]), "%s %.0f%%", iov_cost_verdict_name(c->verdict), bound_pct);
	for (size_t k = 0; k < n; k++)
		row[k] = cells[k];
	rpt_table_row(r, row, n,
		  c->verdict == IOV_COST_EXCEEDED ? "regressed" : c->verdict == IOV_COST_WITHIN ? "improved" : "");
}

/* "throughput_bps (higher is better)" */
static void metric_cell(char *buf, size_t len, const char *metric)
{
	const struct iov_metric_def *def = iov_metric_find(metric);

	snprintf(buf, len, "%s (%s is better)", metric, def ? iov_better_name(def->better) : "?");
}

/*
 * vf experiments measured interleaved with their vf-noinstr twin (run.c): the cost of our
 * drivers' instrumentation from the paired repetitions, against its bound.
 */
static void instrumentation_cost_table(struct report *r)
{
	static const char *const head[] = { "experiment", "metric", "pairs", "on / off (mean)", "95% CI",
					    "verdict" };
	bool any = false;
	char text[768], cell[128];

	for (size_t i = 0; i < r->an.ncosts; i++) {
		const struct iov_an_cost *c = &r->an.costs[i];

		if (!c->twin || !c->decided)
			continue;
		if (!any) {
			snprintf(text, sizeof(text),
				 "Table %u: the cost of our drivers' instrumentation (counters, histograms, "
				 "tracepoints behind one static key). Each vf experiment ran interleaved with its "
				 "vf-noinstr twin on one topology, repetition k of both back to back (ABBA), so the "
				 "ratio of each pair cancels the drift of the host's load. The bound (%.0f%%) holds "
				 "when the whole %.0f%% CI of the mean paired ratio lies within it, is exceeded when "
				 "the whole CI lies beyond it, and is undecided otherwise.",
				 r->tables + 1, IOV_INSTR_COST_MAX_PCT, 100 * (1 - r->an.params.alpha));
			rpt_para(r, text);
			rpt_table_begin(r, "Instrumentation on over off, paired repetitions", head, IOV_ARRAY_SIZE(head));
			any = true;
		}
		metric_cell(cell, sizeof(cell), c->metric);
		cost_row(r, c->e, cell, &c->cost, IOV_INSTR_COST_MAX_PCT, false);
	}
	if (any)
		rpt_table_end(r);
}

/*
 * Driver against driver from interleaved groups (workload key interleave): one driver of the
 * pair swapped, the other fixed, ratios of repetition pairs run back to back.
 */
static void driver_pairs_table(struct report *r)
{
	static const char *const head[] = { "experiment", "comparison", "metric", "pairs", "ratio (geomean)",
					    "95% CI", "median", "reading" };
	bool any = false;
	char text[768];

	for (size_t i = 0; i < r->an.npairs; i++) {
		const struct iov_an_pair *p = &r->an.pairs[i];
		char cells[8][128], label[96];
		const char *row[8];

		if (!p->decided)
			continue;
		if (!any) {
			snprintf(text, sizeof(text),
				 "Table %u: our drivers against the in-tree ones, one driver of the pair swapped and "
				 "the other fixed. The kinds of each experiment ran interleaved, repetition k of every "
				 "kind back to back (ABBA order, the topology rebuilt between them), so each pair of "
				 "repetitions shares the host's state; the table gives the geometric mean of the "
				 "per-pair ratios, its %.0f%% CI and the median. Higher or lower is read only when the "
				 "whole CI lies on one side of 1; whether that is better depends on the metric's "
				 "direction.",
				 r->tables + 1, 100 * (1 - r->an.params.alpha));
			rpt_para(r, text);
			rpt_table_begin(r, "Driver against driver, paired repetitions", head, IOV_ARRAY_SIZE(head));
			any = true;
		}
		iov_an_exp_label(p->e, label, sizeof(label), false);
		snprintf(cells[0], sizeof(cells[0]), "%s %s", p->e->entry, label);
		snprintf(cells[1], sizeof(cells[1]), "%s (%s / %s)", p->pair->what, p->pair->a, p->pair->b);
		metric_cell(cells[2], sizeof(cells[2]), p->metric);
		snprintf(cells[3], sizeof(cells[3]), "%zu", p->ratio.pairs);
		snprintf(cells[4], sizeof(cells[4]), "%.3f", p->ratio.ratio);
		snprintf(cells[5], sizeof(cells[5]), "[%.3f, %.3f]", p->ratio.lo, p->ratio.hi);
		snprintf(cells[6], sizeof(cells[6]), "%.3f", p->ratio.median);
		snprintf(cells[7], sizeof(cells[7]), "%s", iov_paired_ratio_verdict(&p->ratio));
		for (size_t c = 0; c < 8; c++)
			row[c] = cells[c];
		rpt_table_row(r, row, 8, NULL);
	}
	if (any)
		rpt_table_end(r);
}

/* Each toggle's experiments (the instrumentation's, a hostile VF's): its ratios inside the repetitions. */
static void toggle_table(struct report *r, const struct iov_toggle_ops *toggle)
{
	static const char *const head[] = { "experiment", "segment triples", "on / off (mean)", "95% CI",
					    "verdict" };
	bool any = false;
	char text[1024];

	for (size_t i = 0; i < r->an.ncosts; i++) {
		const struct iov_an_cost *c = &r->an.costs[i];

		if (c->toggle != toggle || !c->decided)
			continue;
		if (!any) {
			snprintf(text, sizeof(text),
				 "Table %u: %s Every three neighbouring segments give one throughput ratio "
				 "on/off (the middle one against its two neighbours), free of the changes between "
				 "repetitions. The bound (%.0f%%) holds when the whole %.0f%% CI of the mean ratio "
				 "lies within it.",
				 r->tables + 1, toggle->report_text, toggle->max_cost_pct,
				 100 * (1 - r->an.params.alpha));
			rpt_para(r, text);
			rpt_table_begin(r, toggle->title, head, IOV_ARRAY_SIZE(head));
			any = true;
		}
		/* a toggle may run on several kinds of one entry */
		cost_row(r, c->e, NULL, &c->cost, toggle->max_cost_pct, true);
	}
	if (any)
		rpt_table_end(r);
}

/* A metric's values over an experiment's repetitions: their sum, or their largest. */
static double values_fold(json_t *x, const char *metric, bool largest, size_t *n)
{
	json_t *vals = json_object_get(json_object_get(json_object_get(x, "metrics"), metric), "values"), *v;
	double acc = 0;
	size_t i;

	*n = 0;
	json_array_foreach(vals, i, v) {
		if (!json_is_number(v))
			continue;
		acc = largest ? (*n && acc > json_number_value(v) ? acc : json_number_value(v)) : acc + json_number_value(v);
		(*n)++;
	}
	return acc;
}

/* The faults the experiments survived (fault toggles: VF FLR, PF link): counts and recoveries. */
static void faults_table(struct report *r)
{
	static const char *const head[] = { "experiment", "fault", "faults", "unrecovered",
					    "median recovery, mean over reps (s)", "longest recovery (s)",
					    "kernel warnings" };
	bool any = false;
	char text[768];

	for (size_t i = 0; i < r->an.nexps; i++) {
		const struct iov_an_exp *e = &r->an.exps[i];
		int nic = iov_nic_lookup(e->nic);
		const struct iov_toggle_ops *t = nic >= 0 ? iov_toggle_of_doc(nic, e->workload) : NULL;
		char cells[7][224], label[96];
		const char *row[7];
		size_t n, nw, nr, nm;
		double faults = values_fold(e->x, "fault_count", false, &n), lost, warn, worst, median_sum;

		if (!t || !n)
			continue;
		if (!any) {
			snprintf(text, sizeof(text),
				 "Table %u: faults under traffic, summed over each experiment's repetitions. A fault is "
				 "recovered from when the victim's received bytes grow again (30 s at most); the "
				 "recovery is timed from the fault's start. Kernel warnings are the driver domain's "
				 "kernel log lines of a warning, BUG or oops during the repetitions.",
				 r->tables + 1);
			rpt_para(r, text);
			rpt_table_begin(r, "Faults survived under traffic", head, IOV_ARRAY_SIZE(head));
			any = true;
		}
		lost = values_fold(e->x, "fault_unrecovered_count", false, &n);
		warn = values_fold(e->x, "kernel_warnings_count", false, &nw);
		worst = values_fold(e->x, "fault_recovery_max_s", true, &nr);
		iov_an_exp_label(e, label, sizeof(label), true);
		snprintf(cells[0], sizeof(cells[0]), "%s %s", e->entry, label);
		snprintf(cells[1], sizeof(cells[1]), "%s", t->name);
		snprintf(cells[2], sizeof(cells[2]), "%.0f", faults);
		snprintf(cells[3], sizeof(cells[3]), "%.0f", lost);
		median_sum = values_fold(e->x, "fault_recovery_p50_s", false, &nm);
		if (nm)
			snprintf(cells[4], sizeof(cells[4]), "%.2f", median_sum / (double)nm);
		else
			snprintf(cells[4], sizeof(cells[4]), "-");
		if (nr)
			snprintf(cells[5], sizeof(cells[5]), "%.2f", worst);
		else
			snprintf(cells[5], sizeof(cells[5]), "-");
		if (nw)
			snprintf(cells[6], sizeof(cells[6]), "%.0f", warn);
		else
			snprintf(cells[6], sizeof(cells[6]), "not read");
		for (size_t k = 0; k < IOV_ARRAY_SIZE(row); k++)
			row[k] = cells[k];
		rpt_table_row(r, row, IOV_ARRAY_SIZE(row), lost > 0 || warn > 0 ? "regressed" : "");
	}
	if (any)
		rpt_table_end(r);
}

void rpt_side_by_side_section(struct report *r)
{
	const char *others[IOV_NIC_COUNT], *head[3 + IOV_NIC_COUNT];
	char heads[IOV_NIC_COUNT][48], text[1024];
	size_t nothers = 0, ncol;
	bool any = false;

	/* Every other kind the results ran, in the catalogue's order. */
	for (int k = 0; k < IOV_NIC_COUNT; k++) {
		const char *nic = iov_nic_name(k);
		bool ran = false;

		for (size_t i = 0; i < r->an.nexps && !ran; i++)
			ran = !strcmp(r->an.exps[i].nic, nic);
		if (ran && strcmp(nic, "vf")) {
			snprintf(heads[nothers], sizeof(heads[0]), "vf / %s", nic);
			others[nothers++] = nic;
		}
	}
	head[0] = "experiment";
	head[1] = "metric";
	head[2] = "vf mean";
	for (size_t o = 0; o < nothers; o++)
		head[3 + o] = heads[o];
	ncol = 3 + nothers;

	rpt_heading(r, 2, "3 Our VF driver side by side", "side-by-side");
	for (size_t i = 0; i < r->an.nexps && !any; i++)
		any = !strcmp(r->an.exps[i].nic, "vf");
	if (!any) {
		rpt_para(r, "No experiment of the results ran the vf kind (iovpf/iovvf), so there is nothing to set side by "
			"side; the figures and tables below still compare the kinds that ran.");
		return;
	}
	snprintf(text, sizeof(text),
		 "Table %u gives, for each experiment of the vf kind, the ratio of its mean to the mean of the same "
		 "experiment on the other NIC kinds (same workload, pattern and guests). Whether the ratio is better "
		 "or worse depends on the metric's direction; it is called better or worse only when the two "
		 "samples differ significantly (U test or disjoint %.0f%% CIs) by at least %.3g%%, otherwise n.s. "
		 "Ratios marked (other run) compare experiments of different runs, each with its own lab boot: "
		 "ratios within one run are the sounder ones.",
		 r->tables + 1, 100 * (1 - r->an.params.alpha), r->an.params.min_change_pct);
	rpt_para(r, text);
	rpt_table_begin(r, "vf against the other NIC kinds: ratio of means, significance", head, ncol);
	for (size_t i = 0; i < r->an.nexps; i++) {
		const struct iov_an_exp *e = &r->an.exps[i];

		if (strcmp(e->nic, "vf"))
			continue;
		for (size_t m = 0; m < IOV_ARRAY_SIZE(side_metrics); m++) {
			json_t *def = rpt_metric_def(r, side_metrics[m]);
			enum iov_better better =
				!strcmp(rpt_jstr(def, "better"), "lower") ? IOV_BETTER_LOWER : IOV_BETTER_HIGHER;
			char cells[3 + IOV_NIC_COUNT][128];
			const char *row[3 + IOV_NIC_COUNT];
			struct iov_summary s;
			size_t nv;
			double *v;

			if (!rpt_summary_of(e, side_metrics[m], &s))
				continue;
			char label[96];

			iov_an_exp_label(e, label, sizeof(label), false);
			snprintf(cells[0], sizeof(cells[0]), "%s %s", e->entry, label);
			snprintf(cells[1], sizeof(cells[1]), "%s (%s is better)", side_metrics[m], rpt_jstr(def, "better"));
			iov_fmt_si(cells[2], sizeof(cells[2]), s.mean);
			v = rpt_values(e, side_metrics[m], &nv);
			for (size_t o = 0; o < nothers; o++) {
				const struct iov_an_exp *peer = rpt_find_peer(r, e, others[o]);
				struct iov_sample_cmp cmp;
				size_t npv;
				double *pv = peer ? rpt_values(peer, side_metrics[m], &npv) : NULL;

				if (!pv) {
					snprintf(cells[3 + o], sizeof(cells[3 + o]), "-");
					continue;
				}
				/* The other kind is the base: "improved" means vf is better. */
				iov_compare_samples(pv, npv, v, nv, better, &r->an.params, &cmp);
				free(pv);
				if (cmp.verdict == IOV_VERDICT_NO_DATA || cmp.base.mean == 0)
					snprintf(cells[3 + o], sizeof(cells[3 + o]), "-");
				else
					snprintf(cells[3 + o], sizeof(cells[3 + o]), "%.2f %s%s", cmp.cur.mean / cmp.base.mean,
						 cmp.verdict == IOV_VERDICT_IMPROVED    ? "better"
						 : cmp.verdict == IOV_VERDICT_REGRESSED ? "worse"
											: "n.s.",
						 strcmp(peer->run_id, e->run_id) ? " (other run)" : "");
			}
			free(v);
			for (size_t c = 0; c < ncol; c++)
				row[c] = cells[c];
			rpt_table_row(r, row, ncol, NULL);
		}
	}
	rpt_table_end(r);
	driver_pairs_table(r);
	instrumentation_cost_table(r);
	for (size_t t = 0; t < iov_toggle_count(); t++)
		toggle_table(r, iov_toggle_at(t));
	faults_table(r);
}
