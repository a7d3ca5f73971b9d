// SPDX-License-Identifier: MIT
/* summary.c - side-by-side table of a result with ratios between NIC kinds (summary.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "compare.h"
#include "result.h"
#include "summary.h"
#include "toggles/toggles.h"
#include "tools/tools.h"
#include "workload.h"

/*
 * The tool of a result's workload. A name this program does not know (or none) reads as iperf3,
 * as it did before the tools had ops.
 */
static const struct iov_tool_ops *tool_of(json_t *wl)
{
	const char *name = json_string_value(json_object_get(wl, "tool"));
	const struct iov_tool_ops *tool = name ? iov_tool_lookup(name) : NULL;

	return tool ? tool : iov_tool_lookup("iperf3");
}

static const char *headline(json_t *wl)
{
	return tool_of(wl)->headline(wl);
}

/* 1.23G / 456.7k / 12.3 */
static void fmt_value(char *buf, size_t len, double v)
{
	const char *sfx = "";
	double a = fabs(v);

	if (a >= 1e9) {
		v /= 1e9;
		sfx = "G";
	} else if (a >= 1e6) {
		v /= 1e6;
		sfx = "M";
	} else if (a >= 1e4) {
		v /= 1e3;
		sfx = "k";
	}
	snprintf(buf, len, "%.*f%s", fabs(v) >= 100 ? 0 : fabs(v) >= 10 ? 1 : 2, v, sfx);
}

static bool metric_mean(json_t *x, const char *metric, double *mean, double *cov)
{
	json_t *s = json_object_get(json_object_get(json_object_get(x, "metrics"), metric), "summary");
	json_t *m = json_object_get(s, "mean"), *c = json_object_get(s, "cov_pct");

	if (!json_is_number(m))
		return false;
	*mean = json_number_value(m);
	*cov = json_is_number(c) ? json_number_value(c) : NAN;
	return true;
}

/*
 * Rows group experiments by suite entry, pattern and guests: one measurement (an entry fixes the
 * workload's parameters) on every NIC kind it ran on.
 */
static json_t *find_exp(json_t *exps, const char *entry, const char *pattern, json_int_t guests,
			const char *nic)
{
	size_t i;
	json_t *x;

	json_array_foreach(exps, i, x) {
		if (!strcmp(json_string_value(json_object_get(x, "entry")), entry) &&
		    !strcmp(json_string_value(json_object_get(x, "pattern")), pattern) &&
		    json_integer_value(json_object_get(x, "guests")) == guests &&
		    !strcmp(json_string_value(json_object_get(x, "nic")), nic))
			return x;
	}
	return NULL;
}

/* NIC kinds present in the result, in the order of enum iov_nic. */
struct columns {
	int n;
	enum iov_nic nic[IOV_NIC_COUNT];
	bool has_vf;
};

static void find_columns(json_t *exps, struct columns *c)
{
	bool seen[IOV_NIC_COUNT] = { false };
	size_t i;
	json_t *x;

	json_array_foreach(exps, i, x) {
		int nic = iov_nic_lookup(json_string_value(json_object_get(x, "nic")) ?: "");

		if (nic >= 0)
			seen[nic] = true;
	}
	c->n = 0;
	for (int n = 0; n < IOV_NIC_COUNT; n++)
		if (seen[n])
			c->nic[c->n++] = n;
	c->has_vf = seen[IOV_NIC_VF];
}

static void print_row(FILE *f, const struct columns *cols, const char *label, const char *metric,
		      json_t *exps, const char *entry, const char *pattern, json_int_t guests)
{
	double mean[IOV_NIC_COUNT], vf_mean = 0, cov;
	bool have[IOV_NIC_COUNT], have_vf = false;
	char cell[48], val[24];

	fprintf(f, "%-26s %-27s", label, metric);
	for (int c = 0; c < cols->n; c++) {
		json_t *x = find_exp(exps, entry, pattern, guests, iov_nic_name(cols->nic[c]));

		have[c] = x && metric_mean(x, metric, &mean[c], &cov);
		if (have[c] && cols->nic[c] == IOV_NIC_VF) {
			have_vf = true;
			vf_mean = mean[c];
		}
		if (!have[c]) {
			fprintf(f, " %15s", x ? "-" : "");
			continue;
		}
		fmt_value(val, sizeof(val), mean[c]);
		if (isnan(cov))
			snprintf(cell, sizeof(cell), "%s", val);
		else
			snprintf(cell, sizeof(cell), "%s ±%.0f%%", val, cov);
		fprintf(f, " %15s", cell);
	}
	/* Ratios of our VF driver pair against each other kind. */
	for (int c = 0; cols->has_vf && c < cols->n; c++) {
		if (cols->nic[c] == IOV_NIC_VF)
			continue;
		if (have_vf && have[c] && mean[c] != 0)
			fprintf(f, " %15.2f", vf_mean / mean[c]);
		else
			fprintf(f, " %15s", "-");
	}
	fputc('\n', f);
}

/* Where guests were VMs: the hypervisor's work per packet, and what reached an assigned VF's driver. */
static const char *const hypervisor_rows[] = { "kvm_exits_per_pkt", "kvm_injections_per_pkt",
					       "kvm_userspace_exits_per_pkt", "vf_irq_delivered_pct", NULL };

static bool group_has(json_t *exps, const char *entry, const char *pattern, json_int_t guests, const char *metric)
{
	size_t i;
	json_t *x;

	json_array_foreach(exps, i, x)
		if (!strcmp(json_string_value(json_object_get(x, "entry")), entry) &&
		    !strcmp(json_string_value(json_object_get(x, "pattern")), pattern) &&
		    json_integer_value(json_object_get(x, "guests")) == guests &&
		    json_object_get(json_object_get(x, "metrics"), metric))
			return true;
	return false;
}

/* What a cost verdict means, in words. */
static const char *cost_words(enum iov_cost_verdict v)
{
	return v == IOV_COST_WITHIN	? "cost within the bound"
	       : v == IOV_COST_EXCEEDED ? "cost above the bound"
					: "undecided: the CI spans the bound, more repetitions needed";
}

/*
 * The instrumentation's cost on each experiment's one metric: vf experiments measured
 * interleaved with their vf-noinstr twin. A toggle's (toggle_s keys) are print_toggle_cost's.
 */
static void print_instr_cost(FILE *f, const struct iov_analysis *a)
{
	bool header = false;

	for (size_t i = 0; i < a->ncosts; i++) {
		const struct iov_an_cost *c = &a->costs[i];
		const struct iov_instr_cost *k = &c->cost;

		if (!c->primary || !c->twin)
			continue;
		if (!header)
			fprintf(f, "\ninstrumentation cost: vf over vf-noinstr, repetitions interleaved in pairs "
				   "(bound %.0f%%):\n",
				IOV_INSTR_COST_MAX_PCT);
		header = true;
		if (!c->decided)
			fprintf(f, "  %s %s: fewer than two complete pairs\n", c->e->id, c->metric);
		else
			fprintf(f, "  %s %s: on/off %.4f, %.0f%% CI [%.4f, %.4f], %zu pairs: %s\n", c->e->id,
				c->metric, k->ratio, 100 * (1 - a->params.alpha), k->lo, k->hi, k->pairs,
				cost_words(k->verdict));
	}
}

/* Each toggle's cost (instrumentation, hostile VF) from the segments inside the repetitions. */
static void print_toggle_cost(FILE *f, const struct iov_analysis *a)
{
	for (size_t t = 0; t < iov_toggle_count(); t++) {
		const struct iov_toggle_ops *toggle = iov_toggle_at(t);
		bool header = false;

		for (size_t i = 0; i < a->ncosts; i++) {
			const struct iov_an_cost *c = &a->costs[i];
			const struct iov_instr_cost *k = &c->cost;

			if (c->toggle != toggle)
				continue;
			if (!header)
				fprintf(f, "\n%s toggled inside repetitions, %s (bound %.0f%%):\n", toggle->name,
					toggle->ratio_words, toggle->max_cost_pct);
			header = true;
			if (!c->decided)
				fprintf(f, "  %s: fewer than two on/off ratios\n", c->e->id);
			else
				fprintf(f, "  %s: %.4f, %.0f%% CI [%.4f, %.4f], %zu segment triples: %s\n", c->e->id,
					k->ratio, 100 * (1 - a->params.alpha), k->lo, k->hi, k->pairs,
					cost_words(k->verdict));
		}
	}
}

/*
 * Driver against driver from interleaved groups: the geometric mean of the per-pair ratios of the
 * headline metric, its CI and median, for each comparison the group allows.
 */
static void print_paired_ratios(FILE *f, const struct iov_analysis *a)
{
	bool header = false;

	for (size_t i = 0; i < a->npairs; i++) {
		const struct iov_an_pair *p = &a->pairs[i];
		const struct iov_paired_ratio *r = &p->ratio;
		char head[160];

		if (!p->headline)
			continue;
		if (!header)
			fprintf(f, "\npaired ratios (repetitions interleaved; geometric mean of the per-pair "
				   "ratios, %.0f%% CI, median):\n",
				100 * (1 - a->params.alpha));
		header = true;
		snprintf(head, sizeof(head), "  %s %s %dg %s, %s (%s / %s):", p->e->entry,
			 iov_an_pattern_short(p->e->pattern), p->e->guests, p->metric, p->pair->what, p->pair->a,
			 p->pair->b);
		if (!p->decided)
			fprintf(f, "%s fewer than two complete pairs\n", head);
		else
			fprintf(f, "%s %.3f [%.3f, %.3f], median %.3f, %zu pairs: %s\n", head, r->ratio, r->lo, r->hi,
				r->median, r->pairs, iov_paired_ratio_verdict(r));
	}
}

/* Sum of each phase over an experiment's timed repetitions into w; their count. */
static size_t wall_add(json_t *x, double *w)
{
	size_t i, n = 0;
	json_t *r;

	json_array_foreach(json_object_get(x, "repetitions"), i, r) {
		json_t *ws = json_object_get(r, "wall_s");

		if (!ws)
			continue;
		n++;
		for (int p = 0; p < IOV_PHASE_COUNT; p++)
			w[p] += json_number_value(json_object_get(ws, iov_rep_phase_names[p]));
	}
	return n;
}

static void print_wall_row(FILE *f, const char *label, size_t reps, const double *w)
{
	double total = 0;

	for (int p = 0; p < IOV_PHASE_COUNT; p++)
		total += w[p];
	fprintf(f, "%-26s %5zu %8.0f %8.0f %8.0f %8.0f %7.0f%%\n", label, reps, total, w[IOV_PHASE_TOPOLOGY],
		w[IOV_PHASE_SNAPSHOT_BEFORE] + w[IOV_PHASE_SNAPSHOT_AFTER] + w[IOV_PHASE_FETCH] + w[IOV_PHASE_EXTRACT],
		w[IOV_PHASE_TRAFFIC], total > 0 ? 100 * w[IOV_PHASE_TRAFFIC] / total : 0);
}

/*
 * Where the run's time went, per entry: what a suite's budget is made of (target boots and
 * failed topologies are outside the repetitions).
 */
/* Repetitions whose driver-domain kernel log warned (collect/kernel_log.c): never a quiet pass. */
static void print_kernel_warnings(FILE *f, json_t *exps)
{
	bool header = false;
	size_t i, r;
	json_t *x, *v;

	json_array_foreach(exps, i, x) {
		json_t *vals = json_object_get(json_object_get(json_object_get(x, "metrics"), "kernel_warnings_count"),
					       "values");

		json_array_foreach(vals, r, v) {
			if (!json_is_number(v) || json_number_value(v) <= 0)
				continue;
			if (!header)
				fprintf(f, "\nkernel log: warnings during repetitions (their lines are in the raw "
					   "snapshot-after.txt, section kernel_log):\n");
			header = true;
			fprintf(f, "  %s rep %zu: %.0f lines\n", json_string_value(json_object_get(x, "id")), r + 1,
				json_number_value(v));
		}
	}
}

static void print_wall(FILE *f, json_t *exps)
{
	double all[IOV_PHASE_COUNT] = { 0 };
	size_t i, nall = 0;
	json_t *x;

	json_array_foreach(exps, i, x) {
		const char *entry = json_string_value(json_object_get(x, "entry"));
		double w[IOV_PHASE_COUNT] = { 0 };
		size_t j, n = 0;
		json_t *y;
		bool seen = false;

		json_array_foreach(exps, j, y) {
			if (j < i && !strcmp(json_string_value(json_object_get(y, "entry")), entry))
				seen = true;
			else if (j >= i && !strcmp(json_string_value(json_object_get(y, "entry")), entry))
				n += wall_add(y, w);
		}
		if (seen || !n)
			continue;
		if (!nall)
			fprintf(f, "\nwall time, s (repetitions only)\n%-26s %5s %8s %8s %8s %8s %8s\n", "entry", "reps",
				"total", "topology", "collect", "traffic", "share");
		print_wall_row(f, entry, n, w);
		for (int p = 0; p < IOV_PHASE_COUNT; p++)
			all[p] += w[p];
		nall += n;
	}
	if (nall)
		print_wall_row(f, "all", nall, all);
}

void iov_summary_print(FILE *f, json_t *doc)
{
	json_t *exps = json_object_get(doc, "experiments"), *workloads = json_object_get(doc, "workloads");
	struct iov_analysis an;
	struct iov_err err;
	struct columns cols;
	json_t *x;
	size_t i, failed = 0;

	find_columns(exps, &cols);
	fprintf(f, "\nrun %s (%s): mean ±CoV over repetitions%s\n",
		json_string_value(json_object_get(doc, "run_id")),
		json_string_value(json_object_get(doc, "status")),
		cols.has_vf ? "; vf/X = the vf mean over X's" : "");
	fprintf(f, "%-26s %-27s", "experiment", "metric");
	for (int c = 0; c < cols.n; c++)
		fprintf(f, " %15s", iov_nic_name(cols.nic[c]));
	for (int c = 0; cols.has_vf && c < cols.n; c++) {
		char h[40];

		if (cols.nic[c] == IOV_NIC_VF)
			continue;
		snprintf(h, sizeof(h), "vf/%s", iov_nic_name(cols.nic[c]));
		fprintf(f, " %15s", h);
	}
	fputc('\n', f);
	json_array_foreach(exps, i, x) {
		const char *entry = json_string_value(json_object_get(x, "entry"));
		const char *pattern = json_string_value(json_object_get(x, "pattern"));
		json_int_t guests = json_integer_value(json_object_get(x, "guests"));
		const char *status = json_string_value(json_object_get(x, "status"));
		char label[64];
		bool first = true;
		size_t j;
		json_t *y;

		if (status && strcmp(status, "ok"))
			failed++;
		/* Print each group once, at its first experiment. */
		json_array_foreach(exps, j, y) {
			if (j >= i)
				break;
			if (!strcmp(json_string_value(json_object_get(y, "entry")), entry) &&
			    !strcmp(json_string_value(json_object_get(y, "pattern")), pattern) &&
			    json_integer_value(json_object_get(y, "guests")) == guests)
				first = false;
		}
		if (!first)
			continue;
		snprintf(label, sizeof(label), "%s %s %dg", entry,
			 !strcmp(pattern, "guest-to-guest") ? "g2g" : "g2d", (int)guests);
		print_row(f, &cols, label, headline(json_object_get(workloads, entry)), exps, entry,
			  pattern, guests);
		for (const char *const *row = tool_of(json_object_get(workloads, entry))->summary_rows; *row; row++)
			print_row(f, &cols, "", *row, exps, entry, pattern, guests);
		for (const char *const *row = hypervisor_rows; *row; row++)
			if (group_has(exps, entry, pattern, guests, *row))
				print_row(f, &cols, "", *row, exps, entry, pattern, guests);
		for (size_t t = 0; t < iov_toggle_count(); t++) {
			const char *const *rows = iov_toggle_at(t)->summary_rows;
			bool shown = false;

			/* toggles of one family (the faults) share their rows: once */
			for (size_t u = 0; u < t && !shown; u++)
				shown = iov_toggle_at(u)->summary_rows == rows;
			for (const char *const *row = rows; !shown && row && *row; row++)
				if (group_has(exps, entry, pattern, guests, *row))
					print_row(f, &cols, "", *row, exps, entry, pattern, guests);
		}
	}
	print_wall(f, exps);
	print_kernel_warnings(f, exps);
	if (!iov_analysis_build(&doc, 1, NULL, &an, &err)) {
		print_paired_ratios(f, &an);
		print_instr_cost(f, &an);
		print_toggle_cost(f, &an);
		iov_analysis_free(&an);
	} else {
		fprintf(f, "\nno paired ratios: %s\n", err.msg);
	}
	if (failed) {
		fprintf(f, "\n%zu experiment(s) did not complete every repetition:\n", failed);
		json_array_foreach(exps, i, x) {
			const char *status = json_string_value(json_object_get(x, "status"));

			if (status && strcmp(status, "ok"))
				fprintf(f, "  %s: %s: %s\n", json_string_value(json_object_get(x, "id")), status,
					json_string_value(json_object_get(x, "reason")) ?: "");
		}
	}
}
