// SPDX-License-Identifier: MIT
/* gate.c - CI gates, change points and trends over the history (gate.h). */
#include "gate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "metrics.h"
#include "result.h"
#include "stats.h"
#include "workload.h"

const char *iov_gate_status_name(enum iov_gate_status s)
{
	static const char *const names[] = { "pass", "warn", "skip", "FAIL" };

	return names[s];
}

static bool known_nic(const char *nic)
{
	return iov_nic_lookup(nic) >= 0;
}

static int parse_gate_line(char *line, struct iov_gate *g, struct iov_err *err)
{
	char *save = NULL, *tok = strtok_r(line, " \t", &save);

	if (!strcmp(tok, "ratio")) {
		g->kind = IOV_GATE_RATIO;
	} else if (!strcmp(tok, "absolute")) {
		g->kind = IOV_GATE_ABSOLUTE;
	} else {
		iov_err_set(err, "unknown gate kind '%s' (ratio or absolute)", tok);
		return -1;
	}
	tok = strtok_r(NULL, " \t", &save);
	if (!tok || strchr(tok, '=') || !iov_strlcpy(g->name, tok, sizeof(g->name))) {
		iov_err_set(err, "the gate needs a name after its kind");
		return -1;
	}
	g->min_ratio = g->max_ratio = NAN;
	g->max_change_pct = 5;
	g->window = 5;
	g->min_runs = 3;
	while ((tok = strtok_r(NULL, " \t", &save))) {
		char *eq = strchr(tok, '='), *val;
		uint64_t u;
		bool ok = true;

		if (!eq) {
			iov_err_set(err, "'%s' is not KEY=VALUE", tok);
			return -1;
		}
		*eq = '\0';
		val = eq + 1;
		if (!strcmp(tok, "metric"))
			ok = iov_strlcpy(g->metric, val, sizeof(g->metric)) && iov_metric_find(val);
		else if (!strcmp(tok, "num") && g->kind == IOV_GATE_RATIO)
			ok = iov_strlcpy(g->num, val, sizeof(g->num)) && known_nic(val);
		else if (!strcmp(tok, "den") && g->kind == IOV_GATE_RATIO)
			ok = iov_strlcpy(g->den, val, sizeof(g->den)) && known_nic(val);
		else if (!strcmp(tok, "min") && g->kind == IOV_GATE_RATIO)
			ok = !iov_parse_double(val, &g->min_ratio) && g->min_ratio > 0;
		else if (!strcmp(tok, "max") && g->kind == IOV_GATE_RATIO)
			ok = !iov_parse_double(val, &g->max_ratio) && g->max_ratio > 0;
		else if (!strcmp(tok, "nic") && g->kind == IOV_GATE_ABSOLUTE)
			ok = iov_strlcpy(g->nic, val, sizeof(g->nic)) && known_nic(val);
		else if (!strcmp(tok, "entry"))
			ok = iov_strlcpy(g->entry, val, sizeof(g->entry));
		else if (!strcmp(tok, "pattern"))
			ok = iov_strlcpy(g->pattern, val, sizeof(g->pattern)) &&
			     (!strcmp(val, "guest-to-guest") || !strcmp(val, "guest-to-domain"));
		else if (!strcmp(tok, "max-change") && g->kind == IOV_GATE_ABSOLUTE)
			ok = !iov_parse_double(val, &g->max_change_pct) && g->max_change_pct >= 0;
		else if (!strcmp(tok, "window") && g->kind == IOV_GATE_ABSOLUTE)
			ok = !iov_parse_u64(val, &u) && u >= 1 && u <= 1000 && (g->window = (unsigned)u);
		else if (!strcmp(tok, "min-runs") && g->kind == IOV_GATE_ABSOLUTE)
			ok = !iov_parse_u64(val, &u) && u >= 1 && u <= 1000 && (g->min_runs = (unsigned)u);
		else {
			iov_err_set(err, "key '%s' is not known for a %s gate", tok,
				    g->kind == IOV_GATE_RATIO ? "ratio" : "absolute");
			return -1;
		}
		if (!ok) {
			iov_err_set(err, "bad value '%s' for %s", val, tok);
			return -1;
		}
	}
	if (!g->metric[0]) {
		iov_err_set(err, "gate %s: metric= is required", g->name);
		return -1;
	}
	if (g->kind == IOV_GATE_RATIO &&
	    (!g->num[0] || !g->den[0] || isnan(g->min_ratio) == isnan(g->max_ratio) || !strcmp(g->num, g->den))) {
		iov_err_set(err, "ratio gate %s: needs num=NIC den=NIC (different kinds) and one of min= or max=",
			    g->name);
		return -1;
	}
	if (g->kind == IOV_GATE_ABSOLUTE && g->min_runs > g->window) {
		iov_err_set(err, "absolute gate %s: min-runs %u is larger than window %u", g->name, g->min_runs,
			    g->window);
		return -1;
	}
	return 0;
}

int iov_gate_config_parse(const char *text, const char *source, struct iov_gate_config *cfg, struct iov_err *err)
{
	const char *cursor = text, *line;
	struct iov_buf why = { 0 };
	bool why_taken = false; /* by the gate line above: the next one shares it, a comment starts anew */
	size_t len;
	int lineno = 0;

	memset(cfg, 0, sizeof(*cfg));
	while ((line = iov_next_line(&cursor, &len))) {
		char buf[1024], *s;
		struct iov_gate *gates;

		lineno++;
		if (!iov_strlcpy_n(buf, sizeof(buf), line, len)) {
			iov_err_set(err, "%s:%d: line too long", source, lineno);
			goto fail;
		}
		s = iov_trim(buf);
		if (*s == '#') {
			if (why_taken)
				iov_buf_free(&why);
			why_taken = false;
			s = iov_trim(s + 1);
			if (*s)
				iov_buf_printf(&why, "%s%s", why.len ? " " : "", s);
			continue;
		}
		if (!*s) {
			iov_buf_free(&why); /* a blank line ends a gate's explanation */
			why_taken = false;
			continue;
		}
		gates = realloc(cfg->gates, (cfg->n + 1) * sizeof(*gates));
		if (!gates) {
			iov_err_set(err, "out of memory");
			goto fail;
		}
		cfg->gates = gates;
		memset(&gates[cfg->n], 0, sizeof(gates[0]));
		gates[cfg->n].line = lineno;
		if (parse_gate_line(s, &gates[cfg->n], err)) {
			iov_err_prefix(err, "%s:%d", source, lineno);
			goto fail;
		}
		if (iov_buf_ok(&why, err))
			goto fail;
		if (!why.len) {
			iov_err_set(err, "%s:%d: gate %s has no comment line saying why it exists", source, lineno,
				    gates[cfg->n].name);
			goto fail;
		}
		if (!iov_strlcpy(gates[cfg->n].why, why.data, sizeof(gates[cfg->n].why))) {
			iov_err_set(err, "%s:%d: the comment of gate %s is longer than %zu characters", source, lineno,
				    gates[cfg->n].name, sizeof(gates[cfg->n].why) - 1);
			goto fail;
		}
		why_taken = true;
		for (size_t i = 0; i < cfg->n; i++) {
			if (!strcmp(cfg->gates[i].name, gates[cfg->n].name)) {
				iov_err_set(err, "%s:%d: gate name %s used twice", source, lineno, gates[cfg->n].name);
				goto fail;
			}
		}
		cfg->n++;
	}
	iov_buf_free(&why);
	if (!cfg->n) {
		iov_err_set(err, "%s: no gates", source);
		goto fail;
	}
	return 0;
fail:
	iov_buf_free(&why);
	iov_gate_config_free(cfg);
	return -1;
}

int iov_gate_config_load(const char *path, struct iov_gate_config *cfg, struct iov_err *err)
{
	char *text = iov_read_input(path, IOV_INPUT_MAX_TEXT, NULL, err);
	int rc;

	if (!text)
		return -1;
	rc = iov_gate_config_parse(text, path, cfg, err);
	free(text);
	return rc;
}

void iov_gate_config_free(struct iov_gate_config *cfg)
{
	free(cfg->gates);
	memset(cfg, 0, sizeof(*cfg));
}

/* Runs [from, to) pooled into one sample (caller frees). */
static double *pool(const struct iov_run_values *runs, size_t from, size_t to, size_t *n)
{
	size_t total = 0, k = 0;
	double *v;

	for (size_t i = from; i < to; i++)
		total += runs[i].n;
	v = malloc((total ? total : 1) * sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = from; i < to; i++)
		for (size_t j = 0; j < runs[i].n; j++)
			v[k++] = runs[i].v[j];
	*n = total;
	return v;
}

static size_t segment(const struct iov_run_values *runs, size_t from, size_t to, const struct iov_compare_params *p,
		      struct iov_change_point *out, size_t max, size_t found)
{
	struct iov_change_point best = { .p_value = 2 };
	size_t splits = to - from - 1;

	if (to - from < 2 || found >= max)
		return found;
	for (size_t k = from + 1; k < to; k++) {
		size_t na, nb;
		double *a = pool(runs, from, k, &na), *b = pool(runs, k, to, &nb);
		struct iov_summary sa, sb;
		struct iov_mwu u;

		if (a && b && iov_mann_whitney(a, na, b, nb, &u) == 0) {
			iov_summarize(a, na, &sa);
			iov_summarize(b, nb, &sb);
			double change = sa.mean != 0 ? 100 * (sb.mean - sa.mean) / fabs(sa.mean) : NAN;

			if (u.p_two_sided < best.p_value ||
			    (u.p_two_sided == best.p_value && fabs(change) > fabs(best.change_pct)))
				best = (struct iov_change_point){ k, sa.mean, sb.mean, change, u.p_two_sided };
		}
		free(a);
		free(b);
	}
	if (best.p_value >= p->alpha / (double)splits ||
	    !(isnan(best.change_pct) ? best.after_mean != best.before_mean
				     : fabs(best.change_pct) >= p->min_change_pct))
		return found;
	found = segment(runs, from, best.index, p, out, max, found);
	if (found < max) {
		/* Keep the output sorted: this split comes after everything found on its left. */
		out[found++] = best;
	}
	return segment(runs, best.index, to, p, out, max, found);
}

size_t iov_change_points(const struct iov_run_values *runs, size_t nruns, const struct iov_compare_params *p,
			 struct iov_change_point *out, size_t max)
{
	return segment(runs, 0, nruns, p, out, max, 0);
}

static int add_outcome(struct iov_gate_report *r, const struct iov_gate *g, const char *exp,
		       enum iov_gate_status st, const char *detail)
{
	struct iov_gate_outcome *o = realloc(r->outcomes, (r->n + 1) * sizeof(*o));

	if (!o)
		return -1;
	r->outcomes = o;
	memset(&o[r->n], 0, sizeof(o[0]));
	o[r->n].gate = g;
	o[r->n].status = st;
	iov_strlcpy(o[r->n].experiment, exp, sizeof(o[r->n].experiment));
	iov_strlcpy(o[r->n].detail, detail, sizeof(o[r->n].detail));
	r->count[st]++;
	r->n++;
	return 0;
}

/*
 * The gate selected nothing in this run. That fails, it is not skipped: a gate whose entry the
 * suite renamed, or whose NIC kinds it no longer runs, would otherwise pass every run without
 * judging one. The detail says what the gate looked for and lists the run's entries, so that a
 * misspelt name is seen at once.
 */
static int fail_judged_nothing(struct iov_gate_report *r, const struct iov_gate *g,
			       const struct iov_history_experiment *xs, size_t nx)
{
	struct iov_buf msg = { 0 };
	int rc = 0;

	if (g->kind == IOV_GATE_RATIO)
		iov_buf_printf(&msg,
			       "judged nothing: the run has no pair of %s and %s experiments (same entry, pattern and "
			       "guests)", g->num, g->den);
	else
		iov_buf_printf(&msg, "judged nothing: the run has no %s%sexperiment", g->nic, g->nic[0] ? " " : "");
	iov_buf_printf(&msg, " in %s%s%s%s with %s; the run's entries:", g->entry[0] ? "entry " : "any entry",
		       g->entry, g->pattern[0] ? ", pattern " : "", g->pattern, g->metric);
	for (size_t i = 0; i < nx; i++) {
		bool listed = false;

		for (size_t j = 0; j < i && !listed; j++)
			listed = !strcmp(xs[j].entry, xs[i].entry);
		if (!listed)
			iov_buf_printf(&msg, "%s %s", i ? "," : "", xs[i].entry);
	}
	if (!nx)
		iov_buf_printf(&msg, " none");
	if (iov_buf_ok(&msg, NULL) || add_outcome(r, g, "", IOV_GATE_FAIL, msg.data))
		rc = -1;
	else
		r->outcomes[r->n - 1].judged_nothing = true;
	iov_buf_free(&msg);
	return rc;
}

static bool experiment_selected(const struct iov_gate *g, const struct iov_history_experiment *x)
{
	return (!g->entry[0] || !strcmp(g->entry, x->entry)) && (!g->pattern[0] || !strcmp(g->pattern, x->pattern));
}

/*
 * NUM against DEN when the run measured them interleaved (repetition k of one beside
 * repetition k of the other): the paired ratio's CI decides, so the drift between two blocks of
 * repetitions minutes apart cannot flip the gate. 1 if judged, 0 if the pair is not interleaved
 * (or has fewer than 2 complete pairs), -1 on no memory.
 */
static int ratio_paired(const struct iov_gate *g, json_t *doc, const struct iov_history_experiment *xn,
			const struct iov_history_experiment *xd, const struct iov_compare_params *p,
			struct iov_gate_report *r)
{
	bool higher_ok = !isnan(g->min_ratio);
	double bound = higher_ok ? g->min_ratio : g->max_ratio;
	json_t *jn = doc ? iov_doc_experiment(doc, xn->id) : NULL;
	json_t *jd = jn ? iov_doc_interleaved(doc, jn, g->den) : NULL;
	struct iov_paired_ratio pr;
	enum iov_gate_status st;
	char detail[768];

	if (!jd || jd != iov_doc_experiment(doc, xd->id) || iov_paired_ratio(jn, jd, g->metric, p->alpha, &pr) ||
	    pr.pairs < 2)
		return 0;
	st = (higher_ok ? pr.ratio >= bound : pr.ratio <= bound) ? IOV_GATE_PASS
	     : (higher_ok ? pr.hi < bound : pr.lo > bound)	  ? IOV_GATE_FAIL
								  : IOV_GATE_WARN;
	snprintf(detail, sizeof(detail),
		 "%s/%s = %.3f paired, %.0f%% CI [%.3f, %.3f] over %zu interleaved repetitions (limit %s %.3f; "
		 "%s %s vs %s)%s",
		 g->num, g->den, pr.ratio, 100 * (1 - p->alpha), pr.lo, pr.hi, pr.pairs, higher_ok ? ">=" : "<=",
		 bound, g->metric, xn->id, xd->id,
		 st == IOV_GATE_FAIL   ? ": the whole CI is beyond the limit"
		 : st == IOV_GATE_WARN ? ": beyond the limit, but the CI reaches it"
				       : "");
	return add_outcome(r, g, xn->id, st, detail) ? -1 : 1;
}

static int ratio_gate(struct iov_history *h, const struct iov_gate *g, const struct iov_history_experiment *xs,
		      size_t nx, json_t *doc, const struct iov_compare_params *p, struct iov_gate_report *r)
{
	bool higher_ok = !isnan(g->min_ratio);
	double bound = higher_ok ? g->min_ratio : g->max_ratio;
	size_t pairs = 0;
	char detail[768];
	int rc = 0;

	for (size_t i = 0; i < nx && !rc; i++) {
		const struct iov_history_experiment *xn = &xs[i], *xd = NULL;
		struct iov_compare_params tp = *p;
		struct iov_sample_cmp cmp;
		size_t nn, nd;
		double *vn, *vd, ratio;

		if (strcmp(xn->nic, g->num) || !experiment_selected(g, xn))
			continue;
		for (size_t j = 0; j < nx; j++)
			if (!strcmp(xs[j].nic, g->den) && !strcmp(xs[j].entry, xn->entry) &&
			    !strcmp(xs[j].pattern, xn->pattern) && xs[j].guests == xn->guests)
				xd = &xs[j];
		if (!xd)
			continue;
		rc = ratio_paired(g, doc, xn, xd, p, r);
		if (rc) {
			pairs++;
			rc = rc < 0 ? -1 : 0;
			continue;
		}
		vn = iov_history_values(h, r->run.id, xn->id, g->metric, &nn);
		vd = iov_history_values(h, r->run.id, xd->id, g->metric, &nd);
		if (!vn || !vd) {
			free(vn);
			free(vd);
			continue;
		}
		pairs++;
		/* Test NUM against DEN scaled by the bound: is NUM significantly beyond the limit? */
		for (size_t k = 0; k < nd; k++)
			vd[k] *= bound;
		tp.min_change_pct = 0;
		iov_compare_samples(vd, nd, vn, nn, higher_ok ? IOV_BETTER_HIGHER : IOV_BETTER_LOWER, &tp, &cmp);
		ratio = cmp.base.mean != 0 ? cmp.cur.mean / (cmp.base.mean / bound) : NAN;
		snprintf(detail, sizeof(detail), "%s/%s = %.3f (limit %s %.3f; %s %s vs %s)", g->num, g->den, ratio,
			 higher_ok ? ">=" : "<=", bound, g->metric, xn->id, xd->id);
		free(vn);
		free(vd);
		if (isnan(ratio)) {
			rc = add_outcome(r, g, xn->id, IOV_GATE_SKIP, "ratio undefined: the denominator's mean is 0");
		} else if (higher_ok ? ratio >= bound : ratio <= bound) {
			rc = add_outcome(r, g, xn->id, IOV_GATE_PASS, detail);
		} else if (cmp.verdict == IOV_VERDICT_REGRESSED) {
			strncat(detail, ": beyond the limit, significant", sizeof(detail) - strlen(detail) - 1);
			rc = add_outcome(r, g, xn->id, IOV_GATE_FAIL, detail);
		} else {
			strncat(detail, ": beyond the limit but ", sizeof(detail) - strlen(detail) - 1);
			strncat(detail, cmp.why, sizeof(detail) - strlen(detail) - 1);
			rc = add_outcome(r, g, xn->id, IOV_GATE_WARN, detail);
		}
	}
	if (!rc && !pairs)
		return fail_judged_nothing(r, g, xs, nx);
	return rc;
}

/*
 * A run's values of one experiment and metric, or NULL. The same experiment id run with another
 * duration, protocol...: not comparable, counted in *other and left out.
 */
static double *comparable_values(struct iov_history *h, long long run_id, const char *exp_id,
				 const char *metric, const char *cur_sig, size_t *n, size_t *other)
{
	char *sig = iov_history_workload(h, run_id, exp_id);
	bool differs = cur_sig && sig && strcmp(cur_sig, sig);

	free(sig);
	if (differs) {
		(*other)++;
		return NULL;
	}
	return iov_history_values(h, run_id, exp_id, metric, n);
}

/* The earlier runs of this machine an absolute gate compares one experiment with. */
struct earlier_window {
	const struct iov_history_run *runs; /* all earlier runs of the machine, oldest first */
	struct iov_run_values series[1000]; /* per run with values */
	size_t from[1000];		    /* each series' index in runs */
	size_t n;			    /* series found */
	size_t other;			    /* runs left out: other workload parameters */
};

static void window_collect(struct iov_history *h, const struct iov_gate *g, long long run_id, const char *exp_id,
			   size_t nearlier, struct earlier_window *w)
{
	char *cur_sig = iov_history_workload(h, run_id, exp_id);

	w->n = w->other = 0;
	for (size_t k = nearlier > g->window ? nearlier - g->window : 0; k < nearlier; k++) {
		size_t n;
		double *v = comparable_values(h, w->runs[k].id, exp_id, g->metric, cur_sig, &n, &w->other);

		if (!v)
			continue;
		w->from[w->n] = k;
		w->series[w->n++] = (struct iov_run_values){ v, n };
	}
	free(cur_sig);
}

static void window_free(struct earlier_window *w)
{
	for (size_t k = 0; k < w->n; k++)
		free((double *)w->series[k].v);
	w->n = 0;
}

int iov_absolute_judge(const struct iov_gate *g, const struct iov_run_values *earlier, size_t nearlier,
		       const double *cur, size_t ncur, const struct iov_compare_params *p,
		       struct iov_absolute_judgement *j)
{
	const struct iov_metric_def *def = iov_metric_find(g->metric);
	struct iov_run_values *series = calloc(nearlier + 1, sizeof(*series));
	struct iov_compare_params tp = *p;
	size_t nbase;
	double *base = pool(earlier, 0, nearlier, &nbase);
	bool regressed;

	memset(j, 0, sizeof(*j));
	if (!base || !series || !def) {
		free(base);
		free(series);
		return -1;
	}
	j->earlier = nearlier;
	tp.min_change_pct = g->max_change_pct;
	iov_compare_samples(base, nbase, cur, ncur, def->better, &tp, &j->cmp);
	free(base);
	j->lo = INFINITY;
	j->hi = -INFINITY;
	for (size_t k = 0; k < nearlier; k++) {
		struct iov_summary s;

		iov_summarize(earlier[k].v, earlier[k].n, &s);
		if (s.n) {
			j->lo = fmin(j->lo, s.mean);
			j->hi = fmax(j->hi, s.mean);
		}
		series[k] = earlier[k];
	}
	j->outside = def->better == IOV_BETTER_HIGHER ? j->cmp.cur.mean < j->lo : j->cmp.cur.mean > j->hi;
	/* the judged run joins the series for the change-point search */
	series[nearlier] = (struct iov_run_values){ cur, ncur };
	j->ncp = iov_change_points(series, nearlier + 1, &tp, j->cps, IOV_ARRAY_SIZE(j->cps));
	free(series);
	regressed = j->cmp.verdict == IOV_VERDICT_REGRESSED;
	j->status = regressed && j->outside ? IOV_GATE_FAIL : regressed || j->ncp ? IOV_GATE_WARN : IOV_GATE_PASS;
	return 0;
}

/* The judgement in words, the change points named by their runs. */
static void absolute_detail(const struct iov_gate *g, const struct iov_absolute_judgement *j,
			    const struct earlier_window *w, const char *other_note, char *out, size_t size)
{
	char cpt[256] = "", lo_s[32], hi_s[32];

	if (j->short_history) {
		/* Found and measured, only the history is short: a skip, unlike judging nothing. */
		snprintf(out, size, "needs history from this machine: %zu earlier run(s) of it have %s, %u required "
				    "(window %u)%s",
			 j->earlier, g->metric, g->min_runs, g->window, other_note);
		return;
	}
	for (size_t c = 0; c < j->ncp; c++) {
		size_t used = strlen(cpt);
		const char *at = j->cps[c].index == j->earlier ? "this run" : w->runs[w->from[j->cps[c].index]].run_id;

		snprintf(cpt + used, sizeof(cpt) - used, "%s%s (%+.1f%%)", c ? ", " : "; change point at ", at,
			 j->cps[c].change_pct);
	}
	iov_fmt_si(lo_s, sizeof(lo_s), j->lo);
	iov_fmt_si(hi_s, sizeof(hi_s), j->hi);
	snprintf(out, size, "%s %+.1f%% against %zu earlier runs (%s, limit %.3g%%; their means %s..%s)%s%s%s",
		 g->metric, j->cmp.change_pct, j->earlier, j->cmp.why, g->max_change_pct, lo_s, hi_s,
		 j->cmp.verdict == IOV_VERDICT_REGRESSED && !j->outside ? "; within the earlier runs' range" : "", cpt,
		 other_note);
}

/* One experiment of the run against the gate's window of earlier runs: its outcome added. */
static int absolute_experiment(struct iov_history *h, const struct iov_gate *g, const char *exp_id,
			       size_t nearlier, struct earlier_window *w, const struct iov_compare_params *p,
			       struct iov_gate_report *r, bool *looked)
{
	struct iov_absolute_judgement j = { .status = IOV_GATE_SKIP, .short_history = true };
	char other_note[96] = "", detail[768];
	size_t ncur;
	double *cur = iov_history_values(h, r->run.id, exp_id, g->metric, &ncur);
	int rc = 0;

	if (!cur)
		return 0;
	*looked = true;
	window_collect(h, g, r->run.id, exp_id, nearlier, w);
	if (w->other)
		snprintf(other_note, sizeof(other_note), "; %zu earlier run(s) with other workload parameters left out",
			 w->other);
	if (w->n >= g->min_runs)
		rc = iov_absolute_judge(g, w->series, w->n, cur, ncur, p, &j);
	j.earlier = w->n;
	j.other = w->other;
	if (!rc) {
		absolute_detail(g, &j, w, other_note, detail, sizeof(detail));
		rc = add_outcome(r, g, exp_id, j.status, detail);
	}
	if (!rc)
		r->outcomes[r->n - 1].absolute = j;
	window_free(w);
	free(cur);
	return rc;
}

static int absolute_gate(struct iov_history *h, const struct iov_gate *g, const struct iov_history_experiment *xs,
			 size_t nx, const struct iov_history_run *earlier, size_t nearlier,
			 const struct iov_compare_params *p, struct iov_gate_report *r)
{
	struct earlier_window *w = calloc(1, sizeof(*w));
	bool looked = false;
	int rc = 0;

	if (!w || g->window > 1000) {
		free(w);
		return -1;
	}
	w->runs = earlier;
	for (size_t i = 0; i < nx && !rc; i++)
		if ((!g->nic[0] || !strcmp(xs[i].nic, g->nic)) && experiment_selected(g, &xs[i]))
			rc = absolute_experiment(h, g, xs[i].id, nearlier, w, p, r, &looked);
	free(w);
	if (!rc && !looked)
		return fail_judged_nothing(r, g, xs, nx);
	return rc;
}

int iov_gate_evaluate(struct iov_history *h, const char *run_id, const struct iov_gate_config *cfg,
		      const struct iov_compare_params *p, struct iov_gate_report *out, struct iov_err *err)
{
	struct iov_history_run *all = NULL, *mine = NULL;
	struct iov_history_experiment *xs = NULL;
	size_t nall, nmine, nx, pos = 0;
	struct iov_err doc_err = { "" };
	json_t *doc = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (iov_history_runs(h, NULL, &all, &nall, err))
		return -1;
	if (!nall) {
		iov_err_set(err, "the history holds no run yet (iovbench run records each run)");
		goto out;
	}
	if (!run_id)
		out->run = all[nall - 1];
	else if (iov_history_find_run(h, run_id, &out->run, err))
		goto out;
	if (iov_history_runs(h, out->run.machine, &mine, &nmine, err) ||
	    iov_history_experiments(h, out->run.id, &xs, &nx, err))
		goto out;
	while (pos < nmine && mine[pos].id != out->run.id)
		pos++;
	out->earlier_runs = pos; /* runs of this machine before the judged one */
	/* which experiments were interleaved is in the run's result; without it, unpaired */
	doc = out->run.result_path[0] ? iov_result_load(out->run.result_path, &doc_err) : NULL;
	for (size_t i = 0; i < cfg->n; i++) {
		const struct iov_gate *g = &cfg->gates[i];

		if ((g->kind == IOV_GATE_RATIO ? ratio_gate(h, g, xs, nx, doc, p, out)
					       : absolute_gate(h, g, xs, nx, mine, pos, p, out))) {
			iov_err_set(err, "out of memory");
			goto out;
		}
	}
	/* A gate that found "no data" because the database could not be read must not pass or skip. */
	if (iov_history_check(h, err))
		goto out;
	rc = 0;
out:
	json_decref(doc);
	free(all);
	free(mine);
	free(xs);
	if (rc)
		iov_gate_report_free(out);
	return rc;
}

void iov_gate_report_free(struct iov_gate_report *r)
{
	free(r->outcomes);
	r->outcomes = NULL;
	r->n = 0;
}

void iov_gate_report_print(FILE *f, const struct iov_gate_report *r)
{
	fprintf(f, "gate: run %s on %s; %zu earlier runs of this machine in the history\n", r->run.run_id,
		r->run.machine, r->earlier_runs);
	int name_width = 24; /* widened to the longest name: one gate per suite entry makes long ones */
	size_t judged_nothing = 0;

	fprintf(f, "  ratio gates compare NIC kinds inside this run and hold on any machine; absolute gates\n"
		   "  need earlier runs of the same machine.\n");
	for (size_t i = 0; i < r->n; i++)
		name_width = (int)fmax(name_width, (double)strlen(r->outcomes[i].gate->name));
	for (size_t i = 0; i < r->n; i++) {
		const struct iov_gate_outcome *o = &r->outcomes[i];

		fprintf(f, "%-5s %-8s %-*s %-28s %s\n", iov_gate_status_name(o->status),
			o->gate->kind == IOV_GATE_RATIO ? "ratio" : "absolute", name_width, o->gate->name,
			o->experiment[0] ? o->experiment : "-", o->detail);
		if (o->status == IOV_GATE_FAIL)
			fprintf(f, "      why this gate exists: %s\n", o->gate->why);
		judged_nothing += o->judged_nothing;
	}
	fprintf(f, "%zu checks: %zu failed", r->n, r->count[IOV_GATE_FAIL]);
	if (judged_nothing)
		fprintf(f, " (%zu of them judged nothing)", judged_nothing);
	fprintf(f, ", %zu warned, %zu skipped, %zu passed\n", r->count[IOV_GATE_WARN], r->count[IOV_GATE_SKIP],
		r->count[IOV_GATE_PASS]);
}

json_t *iov_gate_report_json(const struct iov_gate_report *r)
{
	json_t *rows = json_array();

	for (size_t i = 0; i < r->n; i++) {
		const struct iov_gate_outcome *o = &r->outcomes[i];

		json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:s,s:b,s:s,s:s}", "gate", o->gate->name, "kind",
						      o->gate->kind == IOV_GATE_RATIO ? "ratio" : "absolute",
						      "experiment", o->experiment, "status",
						      o->status == IOV_GATE_FAIL ? "fail" : iov_gate_status_name(o->status),
						      "judged_nothing", o->judged_nothing, "detail", o->detail, "why",
						      o->gate->why));
	}
	return json_pack("{s:s,s:s,s:I,s:o,s:{s:I,s:I,s:I,s:I},s:b}", "run_id", r->run.run_id, "machine",
			 r->run.machine, "earlier_runs", (json_int_t)r->earlier_runs, "checks", rows, "counts", "fail",
			 (json_int_t)r->count[IOV_GATE_FAIL], "warn", (json_int_t)r->count[IOV_GATE_WARN], "skip",
			 (json_int_t)r->count[IOV_GATE_SKIP], "pass", (json_int_t)r->count[IOV_GATE_PASS], "failed",
			 r->count[IOV_GATE_FAIL] > 0);
}

void iov_trends_free(struct iov_trends *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->t[i].points);
	free(t->t);
	free(t->runs);
	memset(t, 0, sizeof(*t));
}

/* One experiment over the runs: its points, change points marked; none when no run has values. */
static int trend_of(struct iov_history *h, struct iov_trends *ts, const char *exp_id, const char *metric,
		    struct iov_trend *t)
{
	struct iov_run_values *series = calloc(ts->nruns ? ts->nruns : 1, sizeof(*series));
	struct iov_change_point cps[16];
	char *cur_sig = iov_history_workload(h, ts->runs[ts->nruns - 1].id, exp_id);
	size_t ncp;

	memset(t, 0, sizeof(*t));
	t->points = calloc(ts->nruns ? ts->nruns : 1, sizeof(*t->points));
	if (!series || !t->points) {
		free(series);
		free(cur_sig);
		free(t->points);
		return -1;
	}
	iov_strlcpy(t->experiment, exp_id, sizeof(t->experiment));
	for (size_t k = 0; k < ts->nruns; k++) {
		size_t n;
		double *v = comparable_values(h, ts->runs[k].id, exp_id, metric, cur_sig, &n, &t->other);

		if (v) {
			t->points[t->n].run = k;
			iov_summarize(v, n, &t->points[t->n].s);
			series[t->n++] = (struct iov_run_values){ v, n };
		}
	}
	free(cur_sig);
	ncp = iov_change_points(series, t->n, &ts->p, cps, IOV_ARRAY_SIZE(cps));
	for (size_t c = 0; c < ncp; c++) {
		struct iov_trend_point *pt = &t->points[cps[c].index];

		pt->change_point = true;
		pt->change_pct = cps[c].change_pct;
		pt->p_value = cps[c].p_value;
	}
	for (size_t k = 0; k < t->n; k++)
		free((double *)series[k].v);
	free(series);
	return 0;
}

/* The machine's runs, the newest's experiments: what a reader follows over time. */
static int trends_runs(struct iov_history *h, const char *machine, struct iov_trends *out,
		       struct iov_history_experiment **xs, size_t *nx, struct iov_err *err)
{
	*nx = 0;
	if (!machine) {
		if (iov_history_runs(h, NULL, &out->runs, &out->nruns, err))
			return -1;
		if (!out->nruns) {
			iov_err_set(err, "the history holds no run yet");
			return -1;
		}
		iov_strlcpy(out->machine, out->runs[out->nruns - 1].machine, sizeof(out->machine));
		free(out->runs);
		out->runs = NULL;
	} else {
		iov_strlcpy(out->machine, machine, sizeof(out->machine));
	}
	if (iov_history_runs(h, out->machine, &out->runs, &out->nruns, err))
		return -1;
	return out->nruns ? iov_history_experiments(h, out->runs[out->nruns - 1].id, xs, nx, err) : 0;
}

int iov_trends_compute(struct iov_history *h, const char *machine, const char *metric, const char *experiment,
		       struct iov_trends *out, struct iov_err *err)
{
	struct iov_history_experiment *xs = NULL;
	size_t nx = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	iov_compare_params_default(&out->p);
	if (!iov_metric_find(metric)) {
		iov_err_set(err, "unknown metric '%s'", metric);
		return -1;
	}
	if (trends_runs(h, machine, out, &xs, &nx, err))
		goto out;
	out->t = calloc(nx ? nx : 1, sizeof(*out->t));
	if (!out->t) {
		iov_err_set(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nx; i++) {
		if (experiment && strcmp(experiment, xs[i].id))
			continue;
		if (trend_of(h, out, xs[i].id, metric, &out->t[out->n])) {
			iov_err_set(err, "out of memory");
			goto out;
		}
		if (out->t[out->n].n)
			out->n++;
		else
			free(out->t[out->n].points);
	}
	/* "no data" because the database could not be read is an error, not an empty trend */
	rc = iov_history_check(h, err);
out:
	free(xs);
	if (rc)
		iov_trends_free(out);
	return rc;
}

static void trend_table(FILE *f, const struct iov_trends *ts, const struct iov_trend *t)
{
	fprintf(f, "\n%s", t->experiment);
	if (t->other)
		fprintf(f, " (%zu run(s) with other workload parameters left out)", t->other);
	fprintf(f, "\n  %-36s %-20s %3s %12s %8s\n", "run", "started", "n", "mean", "CoV");
	for (size_t k = 0; k < t->n; k++) {
		const struct iov_trend_point *pt = &t->points[k];
		const struct iov_history_run *run = &ts->runs[pt->run];
		char mean[32], cov[16];

		iov_fmt_si(mean, sizeof(mean), pt->s.mean);
		snprintf(cov, sizeof(cov), isnan(pt->s.cov_pct) ? "-" : "%.1f%%", pt->s.cov_pct);
		fprintf(f, "  %-36s %-20s %3zu %12s %8s", run->run_id, run->started_at, pt->s.n, mean, cov);
		if (pt->change_point)
			fprintf(f, "  <- change point: %+.1f%% (p %.4f)", pt->change_pct, pt->p_value);
		fputc('\n', f);
	}
}

int iov_trend_print(struct iov_history *h, FILE *f, const char *machine, const char *metric, const char *experiment,
		    struct iov_err *err)
{
	struct iov_trends ts;

	if (iov_trends_compute(h, machine, metric, experiment, &ts, err))
		return -1;
	fprintf(f, "%s on %s (%zu runs); change points: U test at alpha %.3g / splits and >= %.3g%% change\n", metric,
		ts.machine, ts.nruns, ts.p.alpha, ts.p.min_change_pct);
	for (size_t i = 0; i < ts.n; i++)
		trend_table(f, &ts, &ts.t[i]);
	if (!ts.n)
		fprintf(f, "no run of this machine recorded %s%s%s\n", metric, experiment ? " for " : "",
			experiment ? experiment : "");
	iov_trends_free(&ts);
	return 0;
}
