// SPDX-License-Identifier: MIT
/* report/report.c - HTML, Markdown and PDF evaluation reports with gnuplot figures: load the results, write the sections in order (internal.h). */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "compare.h"
#include "plot.h"
#include "result.h"

/* ---- experiments and values ---- */

double *rpt_values(const struct iov_an_exp *e, const char *metric, size_t *n)
{
	return iov_experiment_values(e->x, metric, n);
}

bool rpt_summary_of(const struct iov_an_exp *e, const char *metric, struct iov_summary *s)
{
	size_t n;
	double *v = rpt_values(e, metric, &n);

	iov_summarize(v, n, s);
	free(v);
	return s->n > 0;
}

bool rpt_has_metric(const struct report *r, const char *metric)
{
	for (size_t i = 0; i < r->an.nexps; i++)
		if (json_object_get(json_object_get(r->an.exps[i].x, "metrics"), metric))
			return true;
	return false;
}

json_t *rpt_metric_def(const struct report *r, const char *metric)
{
	for (size_t i = 0; i < r->ndocs; i++) {
		json_t *d = json_object_get(json_object_get(r->docs[i], "metrics"), metric);

		if (d)
			return d;
	}
	return NULL;
}

/* Distinct entries (workloads) in order of appearance. */
size_t rpt_entries(const struct report *r, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < r->an.nexps; i++) {
		size_t k = 0;

		while (k < n && strcmp(out[k], r->an.exps[i].entry))
			k++;
		if (k == n && n < max)
			out[n++] = r->an.exps[i].entry;
	}
	return n;
}

const struct iov_an_exp *rpt_find_peer(const struct report *r, const struct iov_an_exp *e, const char *nic)
{
	for (size_t i = 0; i < r->an.nexps; i++)
		if (!strcmp(r->an.exps[i].nic, nic) && !strcmp(r->an.exps[i].entry, e->entry) &&
		    !strcmp(r->an.exps[i].pattern, e->pattern) && r->an.exps[i].guests == e->guests &&
		    !strcmp(r->an.exps[i].guest_kind, e->guest_kind))
			return &r->an.exps[i];
	return NULL;
}

/* ---- driver ---- */

static const char css[] =
	"body{font-family:'DejaVu Serif',Georgia,serif;max-width:64em;margin:2em auto;padding:0 1em;"
	"line-height:1.45;color:#222}"
	"h1,h2,h3{font-family:'DejaVu Sans',Helvetica,sans-serif}"
	"table{border-collapse:collapse;margin:1em 0 1.5em;font-size:0.9em}"
	"caption{caption-side:top;text-align:left;font-weight:bold;padding-bottom:0.3em}"
	"th,td{border-top:1px solid #999;border-bottom:1px solid #999;padding:0.2em 0.6em;text-align:right}"
	"th:first-child,td:first-child{text-align:left}#table-1 td,#table-2 td{text-align:left}"
	"thead th{border-bottom:2px solid #333}"
	"td.regressed{color:#b00020;font-weight:bold}td.improved{color:#006b3c;font-weight:bold}"
	"figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #eee}"
	"figcaption{font-style:italic;margin-top:0.3em}.nodata{color:#8a5a00;font-style:italic}"
	"@media print{body{max-width:none;margin:0}figure,tr{break-inside:avoid}h2,h3,caption{break-after:avoid}}";

static json_t *load(const char *arg, const char *role, struct iov_err *err)
{
	char path[PATH_MAX + 32];
	struct stat st;
	json_t *doc;

	snprintf(path, sizeof(path), "%s", arg);
	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(path, sizeof(path), "%s/" IOV_RESULT_FILE, arg);
	doc = iov_result_load(path, err);
	if (!doc)
		iov_err_prefix(err, "%s", role);
	return doc;
}

/* The baseline must have measured the same things: compare's checks refuse what it did not. */
static int check_baseline(const struct report *r, struct iov_err *err)
{
	struct iov_compare_params params;
	size_t common_docs = 0;

	iov_compare_params_default(&params);
	for (size_t i = 0; i < r->ndocs; i++) {
		struct iov_comparison c;
		size_t k, common = 0;
		json_t *x;

		/* A result may hold other experiments only: its rows say "not in baseline". */
		json_array_foreach(json_object_get(r->docs[i], "experiments"), k, x)
			common += iov_doc_experiment(r->base, rpt_jstr(x, "id")) != NULL;
		if (!common)
			continue;
		common_docs++;
		if (iov_compare_docs(r->base, r->docs[i], &params, NULL, 0, &c, err)) {
			iov_err_prefix(err, "baseline %s against %s", rpt_jstr(r->base, "run_id"),
				       rpt_jstr(r->docs[i], "run_id"));
			return -1;
		}
		iov_comparison_free(&c);
	}
	if (!common_docs) {
		iov_err_set(err, "mismatched workloads: baseline %s has no experiment in common with the results",
			    rpt_jstr(r->base, "run_id"));
		return -1;
	}
	return 0;
}

/* Every result (and the baseline), checked, and the analysis of them. */
static int load_results(struct report *r, struct iov_err *err)
{
	const struct iov_report_options *o = r->o;

	if (!o->nresults) {
		iov_err_set(err, "report: no result given");
		return -1;
	}
	r->docs = calloc(o->nresults, sizeof(*r->docs));
	if (!r->docs) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < o->nresults; i++) {
		if (!(r->docs[r->ndocs] = load(o->results[i], o->results[i], err)))
			return -1;
		r->ndocs++;
	}
	if (o->baseline && (!(r->base = load(o->baseline, "baseline", err)) || check_baseline(r, err)))
		return -1;
	return iov_analysis_build(r->docs, r->ndocs, r->base, &r->an, err);
}

static void write_document(struct report *r)
{
	char title[512], stamp[32], text[1024];
	time_t now = time(NULL);
	struct tm tm;

	snprintf(title, sizeof(title), "Evaluation: %s", rpt_jstr(r->docs[0], "run_id"));
	for (size_t d = 1; d < r->ndocs && strlen(title) < 400; d++)
		snprintf(title + strlen(title), sizeof(title) - strlen(title), ", %s", rpt_jstr(r->docs[d], "run_id"));
	iov_buf_printf(&r->html, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	rpt_html_esc(&r->html, title);
	iov_buf_printf(&r->html, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
	rpt_heading(r, 1, title, "top");
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(text, sizeof(text),
		 "Written by iovbench report on %s from %zu result document%s%s%s. Section 1 describes the "
		 "environment, section 2 the method, section 3 sets our VF driver side by side with the other "
		 "NIC kinds, section 4 shows the figures and section 5 gives every metric in a table.",
		 stamp, r->ndocs, r->ndocs > 1 ? "s" : "", r->base ? ", against the baseline run " : "",
		 r->base ? rpt_jstr(r->base, "run_id") : "");
	rpt_para(r, text);
	rpt_environment_section(r);
	rpt_method_section(r);
	rpt_side_by_side_section(r);
	rpt_hypervisor_section(r);
	rpt_figures_section(r);
	rpt_tables_section(r);
	rpt_failures_section(r);
	iov_buf_printf(&r->html, "</body>\n</html>\n");
}

/* report.pdf beside report.html, both by absolute path for the browser. */
static void write_pdf_beside(const char *out_dir, struct iov_report_summary *sum)
{
	char path[PATH_MAX + 32], abs_html[PATH_MAX], abs_pdf[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/report.html", out_dir);
	if (!realpath(path, abs_html)) {
		snprintf(sum->pdf_note, sizeof(sum->pdf_note), "no PDF: %.160s: %s", path, strerror(errno));
		return;
	}
	snprintf(abs_pdf, sizeof(abs_pdf), "%.*s/report.pdf", (int)(strrchr(abs_html, '/') - abs_html), abs_html);
	rpt_write_pdf(abs_html, abs_pdf, sum);
}

int iov_report_write(const struct iov_report_options *o, struct iov_report_summary *sum, struct iov_err *err)
{
	struct report r = { .o = o };
	char path[PATH_MAX + 32];
	int rc = -1;

	memset(sum, 0, sizeof(*sum));
	if (load_results(&r, err))
		goto out;
	snprintf(r.fig_dir, sizeof(r.fig_dir), "%s/figures", o->out_dir);
	if (iov_mkdir_p(r.fig_dir)) {
		iov_err_set(err, "report: cannot create %s: %s", r.fig_dir, strerror(errno));
		goto out;
	}
	r.plots = iov_plot_available();
	write_document(&r);
	snprintf(path, sizeof(path), "%s/report.html", o->out_dir);
	if (iov_write_file_atomic(path, r.html.data, r.html.len, err))
		goto out;
	snprintf(path, sizeof(path), "%s/report.md", o->out_dir);
	if (iov_write_file_atomic(path, r.md.data, r.md.len, err))
		goto out;
	sum->figures = r.figures;
	sum->tables = r.tables;
	if (o->pdf)
		write_pdf_beside(o->out_dir, sum);
	else
		snprintf(sum->pdf_note, sizeof(sum->pdf_note), "no PDF: not asked for");
	rc = 0;
out:
	for (size_t i = 0; i < r.ndocs; i++)
		json_decref(r.docs[i]);
	free(r.docs);
	json_decref(r.base);
	iov_analysis_free(&r.an);
	iov_buf_free(&r.html);
	iov_buf_free(&r.md);
	return rc;
}
