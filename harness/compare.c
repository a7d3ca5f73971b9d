// SPDX-License-Identifier: MIT
/* compare.c - per-metric regression decisions between two result documents (compare.h). */
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "toggles/toggles.h"
#include "workload.h"

const char *iov_verdict_name(enum iov_verdict v)
{
	switch (v) {
	case IOV_VERDICT_SAME: return "same";
	case IOV_VERDICT_IMPROVED: return "improved";
	case IOV_VERDICT_REGRESSED: return "regressed";
	default: return "no-data";
	}
}

void iov_compare_params_default(struct iov_compare_params *p)
{
	p->alpha = 0.05;
	p->min_change_pct = 5.0;
}

void iov_fmt_si(char *buf, size_t len, double v)
{
	static const struct { double scale; const char *sfx; } pre[] = {
		{ 1e12, "T" }, { 1e9, "G" }, { 1e6, "M" }, { 1e3, "k" },
	};
	const char *sfx = "";
	double a = fabs(v);

	if (isnan(v)) {
		snprintf(buf, len, "-");
		return;
	}
	for (size_t i = 0; i < IOV_ARRAY_SIZE(pre); i++) {
		if (a >= pre[i].scale) {
			v /= pre[i].scale;
			sfx = pre[i].sfx;
			break;
		}
	}
	a = fabs(v);
	snprintf(buf, len, "%.*f%s", a >= 100 || a == 0 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3, v, sfx);
}

/* The smallest two-sided U-test p-value n against m values can reach: 2 / C(n + m, n). */
static double min_attainable_p(size_t n, size_t m)
{
	double c = 1;

	for (size_t i = 1; i <= n; i++)
		c = c * (double)(m + i) / (double)i;
	return fmin(1.0, 2.0 / c);
}

void iov_compare_samples(const double *base, size_t nbase, const double *cur, size_t ncur, enum iov_better better,
			 const struct iov_compare_params *p, struct iov_sample_cmp *out)
{
	struct iov_mwu mwu;
	bool large, worse;

	memset(out, 0, sizeof(*out));
	iov_summarize(base, nbase, &out->base);
	iov_summarize(cur, ncur, &out->cur);
	out->change_pct = out->p_value = NAN;
	out->base_ci[0] = out->base_ci[1] = out->cur_ci[0] = out->cur_ci[1] = NAN;
	if (!out->base.n || !out->cur.n) {
		out->verdict = IOV_VERDICT_NO_DATA;
		snprintf(out->why, sizeof(out->why), "no value in %s", !out->base.n ? "BASE" : "NEW");
		return;
	}
	if (out->base.mean != 0)
		out->change_pct = 100.0 * (out->cur.mean - out->base.mean) / fabs(out->base.mean);
	if (iov_mann_whitney(base, nbase, cur, ncur, &mwu) == 0)
		out->p_value = mwu.p_two_sided;
	if (iov_mean_ci(base, nbase, 1 - p->alpha, &out->base_ci[0], &out->base_ci[1]) == 0 &&
	    iov_mean_ci(cur, ncur, 1 - p->alpha, &out->cur_ci[0], &out->cur_ci[1]) == 0)
		out->ci_disjoint = out->base_ci[1] < out->cur_ci[0] || out->cur_ci[1] < out->base_ci[0];
	out->significant = (out->p_value < p->alpha) || out->ci_disjoint;
	/* A base mean of 0 makes any change infinitely large in relative terms. */
	large = isnan(out->change_pct) ? out->cur.mean != out->base.mean
				       : fabs(out->change_pct) >= p->min_change_pct;
	worse = better == IOV_BETTER_HIGHER ? out->cur.mean < out->base.mean : out->cur.mean > out->base.mean;
	if (out->significant && large) {
		out->verdict = worse ? IOV_VERDICT_REGRESSED : IOV_VERDICT_IMPROVED;
		snprintf(out->why, sizeof(out->why), "%s", out->p_value < p->alpha ? "U test" : "CIs disjoint");
		if (out->p_value < p->alpha && out->ci_disjoint)
			snprintf(out->why, sizeof(out->why), "U test and CIs disjoint");
	} else if (out->significant) {
		out->verdict = IOV_VERDICT_SAME;
		snprintf(out->why, sizeof(out->why), "significant but below the %.3g%% minimum", p->min_change_pct);
	} else {
		const char *ci = !isnan(out->base_ci[0]) && !isnan(out->cur_ci[0]) ? "CIs overlap"
				 : out->base.n < 2 || out->cur.n < 2	       ? "no CI from one repetition"
									       : "no CI";

		out->verdict = IOV_VERDICT_SAME;
		if (min_attainable_p(out->base.n, out->cur.n) >= p->alpha)
			snprintf(out->why, sizeof(out->why),
				 "not significant: %s; %zu vs %zu repetitions are too few for the U test", ci,
				 out->base.n, out->cur.n);
		else
			snprintf(out->why, sizeof(out->why), "not significant (%s)", ci);
	}
}

double *iov_experiment_values(json_t *experiment, const char *metric, size_t *n)
{
	json_t *vals = json_object_get(json_object_get(json_object_get(experiment, "metrics"), metric), "values");
	double *v;
	size_t i;
	json_t *x;

	*n = 0;
	if (!json_is_array(vals) || !json_array_size(vals))
		return NULL;
	v = malloc(json_array_size(vals) * sizeof(*v));
	if (!v)
		return NULL;
	json_array_foreach(vals, i, x)
		v[i] = json_is_number(x) ? json_number_value(x) : NAN;
	*n = json_array_size(vals);
	return v;
}

/* Mean, CI and median of independent ratios. */
static int ratio_summary(const double *ratio, size_t n, double alpha, struct iov_paired_ratio *out)
{
	struct iov_summary s;

	out->pairs = n;
	if (n < 2 || iov_mean_ci(ratio, n, 1 - alpha, &out->lo, &out->hi))
		return -1;
	iov_summarize(ratio, n, &s);
	out->ratio = s.mean;
	out->median = iov_percentile(ratio, n, 50);
	return 0;
}

/* Mean on/off ratio, its CI and the verdict against the bound, from independent ratios. */
static int cost_from_ratios(const double *ratio, size_t n, enum iov_better better, double alpha,
			    double max_cost_pct, struct iov_instr_cost *out)
{
	double bound = max_cost_pct / 100;
	struct iov_paired_ratio r;
	int rc = ratio_summary(ratio, n, alpha, &r);

	out->pairs = r.pairs;
	if (rc)
		return -1;
	out->ratio = r.ratio;
	out->lo = r.lo;
	out->hi = r.hi;
	if (better == IOV_BETTER_HIGHER)
		out->verdict = out->lo >= 1 - bound ? IOV_COST_WITHIN
			       : out->hi < 1 - bound ? IOV_COST_EXCEEDED
						     : IOV_COST_UNDECIDED;
	else
		out->verdict = out->hi <= 1 + bound ? IOV_COST_WITHIN
			       : out->lo > 1 + bound ? IOV_COST_EXCEEDED
						     : IOV_COST_UNDECIDED;
	return 0;
}

/* a[k] / b[k] for every repetition k both completed; NULL on no memory. */
static double *paired_ratios(json_t *xa, json_t *xb, const char *metric, size_t *pairs)
{
	size_t na, nb, n;
	double *va = iov_experiment_values(xa, metric, &na);
	double *vb = iov_experiment_values(xb, metric, &nb);
	double *ratio = malloc((na ? na : 1) * sizeof(*ratio));

	*pairs = 0;
	n = na < nb ? na : nb;
	for (size_t k = 0; ratio && va && vb && k < n; k++)
		/* a repetition that failed on either side leaves its pair out */
		if (!isnan(va[k]) && !isnan(vb[k]) && vb[k] != 0)
			ratio[(*pairs)++] = va[k] / vb[k];
	free(va);
	free(vb);
	return ratio;
}

int iov_paired_ratio(json_t *xa, json_t *xb, const char *metric, double alpha, struct iov_paired_ratio *out)
{
	size_t n, k = 0;
	double *ratio = paired_ratios(xa, xb, metric, &n);
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!ratio)
		return -1;
	/*
	 * On the log scale: a/b and b/a then read alike, and one repetition that halved (a TCG
	 * dip) weighs as much as one that doubled.
	 */
	for (size_t i = 0; i < n; i++)
		if (ratio[i] > 0)
			ratio[k++] = log(ratio[i]);
	if (!ratio_summary(ratio, k, alpha, out)) {
		out->ratio = exp(out->ratio);
		out->lo = exp(out->lo);
		out->hi = exp(out->hi);
		out->median = exp(out->median);
		rc = 0;
	}
	free(ratio);
	return rc;
}

const char *iov_paired_ratio_verdict(const struct iov_paired_ratio *r)
{
	return r->lo > 1 ? "higher" : r->hi < 1 ? "lower" : "no difference shown";
}

const struct iov_driver_pair iov_driver_pairs[IOV_DRIVER_PAIRS] = {
	{ "vf", "vf-igb-iovvf", "PF iovpf over igb, VF iovvf" },
	{ "vf-iovpf-igbvf", "vf-inbox", "PF iovpf over igb, VF igbvf" },
	{ "vf", "vf-iovpf-igbvf", "VF iovvf over igbvf, PF iovpf" },
	{ "vf-igb-iovvf", "vf-inbox", "VF iovvf over igbvf, PF igb" },
};

int iov_instr_cost(json_t *x_on, json_t *x_off, const char *metric, enum iov_better better, double alpha,
		   double max_cost_pct, struct iov_instr_cost *out)
{
	size_t n;
	double *ratio = paired_ratios(x_on, x_off, metric, &n);
	int rc;

	memset(out, 0, sizeof(*out));
	rc = ratio ? cost_from_ratios(ratio, n, better, alpha, max_cost_pct, out) : -1;
	free(ratio);
	return rc;
}

json_t *iov_doc_interleaved(json_t *doc, json_t *x, const char *nic)
{
	json_t *with = json_object_get(json_object_get(x, "notes"), IOV_NOTE_INTERLEAVED_WITH), *id;
	size_t i;

	/* results before interleaved groups name their one twin as a string */
	if (json_is_string(with)) {
		json_t *y = iov_doc_experiment(doc, json_string_value(with));
		const char *kind = json_string_value(json_object_get(y, "nic"));

		return kind && !strcmp(kind, nic) ? y : NULL;
	}
	json_array_foreach(with, i, id) {
		json_t *y = iov_doc_experiment(doc, json_string_value(id) ?: "");
		const char *kind = json_string_value(json_object_get(y, "nic"));

		if (kind && !strcmp(kind, nic))
			return y;
	}
	return NULL;
}

int iov_toggle_cost(json_t *x, const struct iov_toggle_ops *toggle, double alpha, struct iov_instr_cost *out)
{
	json_t *arr = json_object_get(json_object_get(x, "notes"), toggle->note), *v;
	size_t n = json_array_size(arr), i, k = 0;
	double *ratio = malloc((n ? n : 1) * sizeof(*ratio));
	int rc;

	memset(out, 0, sizeof(*out));
	if (!ratio)
		return -1;
	json_array_foreach(arr, i, v)
		if (json_is_number(v) && json_number_value(v) > 0)
			ratio[k++] = json_number_value(v);
	rc = cost_from_ratios(ratio, k, IOV_BETTER_HIGHER, alpha, toggle->max_cost_pct, out);
	free(ratio);
	return rc;
}

bool iov_metric_fixed_by_workload(json_t *workload, const char *metric)
{
	json_t *rate = json_object_get(workload, "bitrate");

	return json_is_integer(rate) && json_integer_value(rate) > 0 &&
	       (!strcmp(metric, "throughput_bps") || !strcmp(metric, "throughput_sent_bps") ||
		!strcmp(metric, "pps") || !strcmp(metric, "udp_sent_pps"));
}

const char *iov_cost_verdict_name(enum iov_cost_verdict v)
{
	return v == IOV_COST_WITHIN ? "within" : v == IOV_COST_EXCEEDED ? "exceeded" : "undecided";
}

json_t *iov_doc_experiment(json_t *doc, const char *id)
{
	size_t i;
	json_t *x;

	json_array_foreach(json_object_get(doc, "experiments"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "id")) ?: "", id))
			return x;
	return NULL;
}

static const char *str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key)) ?: "";
}

static bool experiment_ran(json_t *x)
{
	const char *st = str(x, "status");

	return !strcmp(st, "ok") || !strcmp(st, "partial");
}

/* Parameters of the workload that change what is measured (the plan's axes excluded). */
char *iov_workload_signature(json_t *doc, const char *entry)
{
	json_t *w = json_object_get(json_object_get(doc, "workloads"), entry), *sig, *v;
	const char *key;
	char *out;

	if (!json_is_object(w))
		return NULL;
	sig = json_object();
	json_object_foreach(w, key, v)
		if (iov_workload_key_measured(key))
			json_object_set(sig, key, v);
	out = json_dumps(sig, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(sig);
	return out;
}

static int check_workloads(json_t *base, json_t *cur, const char *entry, struct iov_err *err)
{
	json_t *wb = json_object_get(json_object_get(base, "workloads"), entry);
	json_t *wc = json_object_get(json_object_get(cur, "workloads"), entry);
	const char *key;
	json_t *v;

	if (!wb || !wc) {
		iov_err_set(err, "workload '%s' is not described in %s", entry, !wb ? "BASE" : "NEW");
		return -1;
	}
	json_object_foreach(wb, key, v) {
		json_t *o = json_object_get(wc, key);

		if (!iov_workload_key_measured(key) || json_equal(v, o))
			continue;
		char *a = json_dumps(v, JSON_ENCODE_ANY), *b = o ? json_dumps(o, JSON_ENCODE_ANY) : NULL;

		iov_err_set(err, "mismatched workloads: '%s' has %s = %s in BASE but %s in NEW: the runs measured "
				 "different things", entry, key, a ?: "?", b ?: "nothing");
		free(a);
		free(b);
		return -1;
	}
	return 0;
}

static int add_row(struct iov_comparison *c, const char *exp, const char *metric, const char *unit,
		   enum iov_better better, const struct iov_sample_cmp *cmp)
{
	struct iov_compare_row *rows = realloc(c->rows, (c->n + 1) * sizeof(*rows));

	if (!rows)
		return -1;
	c->rows = rows;
	rows[c->n] = (struct iov_compare_row){ strdup(exp), strdup(metric), strdup(unit), better, *cmp };
	c->count[cmp->verdict]++;
	c->n++;
	return 0;
}

static void add_note(struct iov_comparison *c, const char *fmt, const char *a, const char *b)
{
	char **notes = realloc(c->notes, (c->nnotes + 1) * sizeof(*notes));
	char buf[512];

	if (!notes)
		return;
	c->notes = notes;
	snprintf(buf, sizeof(buf), fmt, a, b);
	notes[c->nnotes++] = strdup(buf);
}

static bool metric_wanted(const char *name, const char *const *metrics, size_t nmetrics)
{
	if (!nmetrics)
		return true;
	for (size_t i = 0; i < nmetrics; i++)
		if (!strcmp(metrics[i], name))
			return true;
	return false;
}

static int compare_experiment(json_t *base, json_t *cur, json_t *xb, json_t *xc, const struct iov_compare_params *p,
			      const char *const *metrics, size_t nmetrics, struct iov_comparison *out,
			      struct iov_err *err)
{
	const char *id = str(xc, "id"), *name;
	json_t *m;

	if (!experiment_ran(xc)) {
		struct iov_sample_cmp cmp = { .verdict = experiment_ran(xb) ? IOV_VERDICT_REGRESSED : IOV_VERDICT_NO_DATA,
					      .change_pct = NAN, .p_value = NAN };

		snprintf(cmp.why, sizeof(cmp.why), "%s in NEW: %s", str(xc, "status"), str(xc, "reason"));
		return add_row(out, id, "status", "", IOV_BETTER_HIGHER, &cmp);
	}
	if (!experiment_ran(xb)) {
		add_note(out, "%s: not compared, BASE's experiment %s", id, str(xb, "status"));
		return 0;
	}
	if (json_object_size(json_object_get(xb, "metrics")) && !json_object_size(json_object_get(xc, "metrics"))) {
		iov_err_set(err, "missing metrics: experiment %s of NEW completed without recording any metric", id);
		return -1;
	}
	json_object_foreach(json_object_get(xb, "metrics"), name, m) {
		struct iov_sample_cmp cmp = { .verdict = IOV_VERDICT_NO_DATA, .change_pct = NAN, .p_value = NAN };
		json_t *def = json_object_get(json_object_get(base, "metrics"), name);

		if (!metric_wanted(name, metrics, nmetrics) || json_object_get(json_object_get(xc, "metrics"), name))
			continue;
		/* Asked for by name: the comparison cannot be made. */
		if (nmetrics) {
			iov_err_set(err, "missing metric: experiment %s measured %s in BASE but not in NEW", id, name);
			return -1;
		}
		/* Some metrics exist only when their events happened (mailbox traffic, per-queue counters). */
		snprintf(cmp.why, sizeof(cmp.why), "BASE measured it, NEW did not");
		if (add_row(out, id, name, str(def, "unit"),
			    !strcmp(str(def, "better"), "lower") ? IOV_BETTER_LOWER : IOV_BETTER_HIGHER, &cmp))
			return -1;
	}
	json_object_foreach(json_object_get(xc, "metrics"), name, m) {
		json_t *defb = json_object_get(json_object_get(base, "metrics"), name);
		json_t *defc = json_object_get(json_object_get(cur, "metrics"), name);
		const char *better = str(defc, "better");
		struct iov_sample_cmp cmp;
		double *vb, *vc;
		size_t nb, nc;

		if (!metric_wanted(name, metrics, nmetrics))
			continue;
		if (!json_object_get(json_object_get(xb, "metrics"), name)) {
			add_note(out, "%s: %s is new (not in BASE)", id, name);
			continue;
		}
		if (!defc || !defb || strcmp(better, str(defb, "better")) ||
		    (strcmp(better, "higher") && strcmp(better, "lower"))) {
			iov_err_set(err, "metric %s: the documents' catalogues disagree on or lack its direction", name);
			return -1;
		}
		vb = iov_experiment_values(xb, name, &nb);
		vc = iov_experiment_values(xc, name, &nc);
		iov_compare_samples(vb, nb, vc, nc, !strcmp(better, "higher") ? IOV_BETTER_HIGHER : IOV_BETTER_LOWER, p,
				    &cmp);
		free(vb);
		free(vc);
		if (add_row(out, id, name, str(defc, "unit"), !strcmp(better, "higher") ? IOV_BETTER_HIGHER
											: IOV_BETTER_LOWER, &cmp))
			return -1;
	}
	return 0;
}

int iov_compare_docs(json_t *base, json_t *cur, const struct iov_compare_params *p, const char *const *metrics,
		     size_t nmetrics, struct iov_comparison *out, struct iov_err *err)
{
	size_t i, common = 0;
	json_t *xc;

	memset(out, 0, sizeof(*out));
	out->params = *p;
	for (int side = 0; side < 2; side++) {
		json_t *v = json_object_get(side ? cur : base, "schema_version");

		if (!json_is_integer(v) || json_integer_value(v) != IOV_RESULT_SCHEMA_VERSION) {
			iov_err_set(err, "%s: schema_version %s, this iovbench reads version %d", side ? "NEW" : "BASE",
				    json_is_integer(v) ? "is not 1" : "missing", IOV_RESULT_SCHEMA_VERSION);
			return -1;
		}
	}
	for (size_t k = 0; k < nmetrics; k++) {
		if (!json_object_get(json_object_get(cur, "metrics"), metrics[k])) {
			iov_err_set(err, "missing metrics: '%s' is not a metric of NEW's catalogue", metrics[k]);
			return -1;
		}
	}
	out->base_run = strdup(str(base, "run_id"));
	out->new_run = strdup(str(cur, "run_id"));
	json_array_foreach(json_object_get(cur, "experiments"), i, xc) {
		json_t *xb = iov_doc_experiment(base, str(xc, "id"));

		if (!xb) {
			add_note(out, "%s: only in NEW%s", str(xc, "id"), "");
			continue;
		}
		common++;
		if (check_workloads(base, cur, str(xc, "entry"), err) ||
		    compare_experiment(base, cur, xb, xc, p, metrics, nmetrics, out, err))
			goto fail;
	}
	json_array_foreach(json_object_get(base, "experiments"), i, xc)
		if (!iov_doc_experiment(cur, str(xc, "id")))
			add_note(out, "%s: only in BASE%s", str(xc, "id"), "");
	if (!common) {
		iov_err_set(err, "mismatched workloads: no experiment in common between BASE %s and NEW %s",
			    out->base_run, out->new_run);
		goto fail;
	}
	if (nmetrics && !out->n) {
		iov_err_set(err, "missing metrics: no common experiment measured %s%s", metrics[0],
			    nmetrics > 1 ? " or the other named metrics" : "");
		goto fail;
	}
	/* Rows all "without data" for want of NEW's values would read as "nothing regressed". */
	for (i = 0; i < out->n && !out->rows[i].cmp.cur.n && out->rows[i].cmp.verdict == IOV_VERDICT_NO_DATA; i++)
		;
	if (out->n && i == out->n) {
		iov_err_set(err, "nothing to compare: every value of NEW (%s) is null", out->new_run);
		goto fail;
	}
	/* Finite values whose mean or spread overflow a double (1e308...) make every statistic meaningless. */
	for (i = 0; i < out->n; i++) {
		const struct iov_compare_row *r = &out->rows[i];
		const struct iov_summary *sides[2] = { &r->cmp.base, &r->cmp.cur };

		for (int side = 0; side < 2; side++)
			if (sides[side]->n && (!isfinite(sides[side]->mean) ||
					       (sides[side]->n > 1 && !isfinite(sides[side]->stddev)))) {
				iov_err_set(err, "%s %s of %s: values too large for the statistics (their mean or spread "
					    "overflows)", side ? "NEW" : "BASE", r->metric, r->experiment);
				goto fail;
			}
	}
	return 0;
fail:
	iov_comparison_free(out);
	return -1;
}

void iov_comparison_free(struct iov_comparison *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->rows[i].experiment);
		free(c->rows[i].metric);
		free(c->rows[i].unit);
	}
	for (size_t i = 0; i < c->nnotes; i++)
		free(c->notes[i]);
	free(c->rows);
	free(c->notes);
	free(c->base_run);
	free(c->new_run);
	memset(c, 0, sizeof(*c));
}

static void fmt_mean_cov(char *buf, size_t len, const struct iov_summary *s)
{
	char v[32];

	iov_fmt_si(v, sizeof(v), s->mean);
	if (isnan(s->cov_pct))
		snprintf(buf, len, "%s", v);
	else
		snprintf(buf, len, "%s ±%.1f%%", v, s->cov_pct);
}

void iov_comparison_print(FILE *f, const struct iov_comparison *c, bool all)
{
	size_t shown = 0;

	fprintf(f, "compare %s (BASE) -> %s (NEW): Mann-Whitney U two-sided at alpha %.3g or disjoint %.0f%% CIs, "
		   "and a change of at least %.3g%%\n",
		c->base_run, c->new_run, c->params.alpha, 100 * (1 - c->params.alpha), c->params.min_change_pct);
	fprintf(f, "%-30s %-24s %8s %16s %16s %8s %7s  %s\n", "experiment", "metric", "better", "BASE mean ±CoV",
		"NEW mean ±CoV", "change", "p", "verdict");
	for (size_t i = 0; i < c->n; i++) {
		const struct iov_compare_row *r = &c->rows[i];
		char b[48], n[48], ch[24], pv[16];

		if (!all && r->cmp.verdict == IOV_VERDICT_SAME)
			continue;
		shown++;
		fmt_mean_cov(b, sizeof(b), &r->cmp.base);
		fmt_mean_cov(n, sizeof(n), &r->cmp.cur);
		if (isnan(r->cmp.change_pct))
			snprintf(ch, sizeof(ch), "-");
		else
			snprintf(ch, sizeof(ch), "%+.1f%%", r->cmp.change_pct);
		if (isnan(r->cmp.p_value))
			snprintf(pv, sizeof(pv), "-");
		else
			snprintf(pv, sizeof(pv), "%.3f", r->cmp.p_value);
		fprintf(f, "%-30s %-24s %8s %16s %16s %8s %7s  %s (%s)\n", r->experiment, r->metric,
			iov_better_name(r->better), b, n, ch, pv,
			r->cmp.verdict == IOV_VERDICT_REGRESSED ? "REGRESSED" : iov_verdict_name(r->cmp.verdict),
			r->cmp.why);
	}
	if (!all && shown < c->n)
		fprintf(f, "(%zu unchanged rows not shown; --all shows them)\n", c->n - shown);
	for (size_t i = 0; i < c->nnotes; i++)
		fprintf(f, "note: %s\n", c->notes[i]);
	fprintf(f, "%zu compared: %zu regressed, %zu improved, %zu same, %zu without data\n", c->n,
		c->count[IOV_VERDICT_REGRESSED], c->count[IOV_VERDICT_IMPROVED], c->count[IOV_VERDICT_SAME],
		c->count[IOV_VERDICT_NO_DATA]);
}

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *summary_json(const struct iov_summary *s)
{
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o}", "n", (json_int_t)s->n, "min", num_or_null(s->min), "mean",
			 num_or_null(s->mean), "stddev", num_or_null(s->stddev), "cov_pct", num_or_null(s->cov_pct),
			 "max", num_or_null(s->max));
}

json_t *iov_comparison_json(const struct iov_comparison *c)
{
	json_t *rows = json_array(), *notes = json_array();

	for (size_t i = 0; i < c->n; i++) {
		const struct iov_compare_row *r = &c->rows[i];

		json_array_append_new(
			rows, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:[o,o],s:[o,o],s:b,s:b,s:s,s:s}", "experiment",
					r->experiment, "metric", r->metric, "unit", r->unit, "better",
					iov_better_name(r->better), "base", summary_json(&r->cmp.base), "new",
					summary_json(&r->cmp.cur), "change_pct", num_or_null(r->cmp.change_pct),
					"p_value", num_or_null(r->cmp.p_value), "base_ci", num_or_null(r->cmp.base_ci[0]),
					num_or_null(r->cmp.base_ci[1]), "new_ci", num_or_null(r->cmp.cur_ci[0]),
					num_or_null(r->cmp.cur_ci[1]), "ci_disjoint", r->cmp.ci_disjoint, "significant",
					r->cmp.significant, "verdict", iov_verdict_name(r->cmp.verdict), "why",
					r->cmp.why));
	}
	for (size_t i = 0; i < c->nnotes; i++)
		json_array_append_new(notes, json_string(c->notes[i]));
	return json_pack("{s:s,s:s,s:{s:s,s:f,s:f},s:o,s:o,s:{s:I,s:I,s:I,s:I},s:b}", "base_run", c->base_run,
			 "new_run", c->new_run, "method", "test", "Mann-Whitney U two-sided or disjoint CIs", "alpha",
			 c->params.alpha, "min_change_pct", c->params.min_change_pct, "rows", rows, "notes", notes,
			 "counts", "regressed", (json_int_t)c->count[IOV_VERDICT_REGRESSED], "improved",
			 (json_int_t)c->count[IOV_VERDICT_IMPROVED], "same", (json_int_t)c->count[IOV_VERDICT_SAME],
			 "no_data", (json_int_t)c->count[IOV_VERDICT_NO_DATA], "regression",
			 c->count[IOV_VERDICT_REGRESSED] > 0);
}
