// SPDX-License-Identifier: MIT
/* report.c - HTML, Markdown and PDF evaluation reports with gnuplot figures (report.h). */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"
#include "plot.h"
#include "result.h"
#include "workload.h"

/* One experiment of one of the results. */
struct rexp {
	json_t *x;
	const char *run_id, *id, *entry, *nic, *pattern, *status;
	int guests;
	bool id_repeats; /* the same experiment id in several results: label with the run */
	json_t *base_x;	 /* the baseline's experiment with this id */
};

struct report {
	const struct iov_report_options *o;
	json_t **docs;
	size_t ndocs;
	json_t *base;
	struct rexp *x;
	size_t nx;
	struct iov_buf html, md;
	char fig_dir[PATH_MAX];
	bool plots;
	unsigned figures, tables;
	char fig_title[256][160]; /* what each figure shows, for the text that refers to it */
	struct iov_compare_params params;
};

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key)) ?: "";
}

/* ---- text helpers ---- */

static void html_esc(struct iov_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': iov_buf_printf(b, "&lt;"); break;
		case '>': iov_buf_printf(b, "&gt;"); break;
		case '&': iov_buf_printf(b, "&amp;"); break;
		case '"': iov_buf_printf(b, "&quot;"); break;
		default: iov_buf_append(b, s, 1);
		}
	}
}

static void md_esc(struct iov_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\n' || *s == '\r') { /* a line break would end a table row */
			iov_buf_append(b, " ", 1);
			continue;
		}
		if (strchr("|*_`<>[]\\", *s))
			iov_buf_append(b, "\\", 1);
		iov_buf_append(b, s, 1);
	}
}

/* A paragraph in both outputs; text is plain (escaped for each). */
static void para(struct report *r, const char *text)
{
	iov_buf_printf(&r->html, "<p>");
	html_esc(&r->html, text);
	iov_buf_printf(&r->html, "</p>\n");
	md_esc(&r->md, text);
	iov_buf_printf(&r->md, "\n\n");
}

static void heading(struct report *r, int level, const char *text, const char *anchor)
{
	iov_buf_printf(&r->html, "<h%d id=\"%s\">", level, anchor);
	html_esc(&r->html, text);
	iov_buf_printf(&r->html, "</h%d>\n", level);
	iov_buf_printf(&r->md, "%.*s ", level, "######");
	md_esc(&r->md, text);
	iov_buf_printf(&r->md, "\n\n");
}

/* Tables: header then rows of cells; the caption goes above, as in a thesis. */
static void table_begin(struct report *r, const char *caption, const char *const *head, size_t ncol)
{
	char cap[512];

	r->tables++;
	snprintf(cap, sizeof(cap), "Table %u: %s", r->tables, caption);
	iov_buf_printf(&r->html, "<table id=\"table-%u\">\n<caption>", r->tables);
	html_esc(&r->html, cap);
	iov_buf_printf(&r->html, "</caption>\n<thead><tr>");
	for (size_t i = 0; i < ncol; i++) {
		iov_buf_printf(&r->html, "<th>");
		html_esc(&r->html, head[i]);
		iov_buf_printf(&r->html, "</th>");
	}
	iov_buf_printf(&r->html, "</tr></thead>\n<tbody>\n");
	iov_buf_printf(&r->md, "**");
	md_esc(&r->md, cap);
	iov_buf_printf(&r->md, "**\n\n|");
	for (size_t i = 0; i < ncol; i++) {
		iov_buf_printf(&r->md, " ");
		md_esc(&r->md, head[i]);
		iov_buf_printf(&r->md, " |");
	}
	iov_buf_printf(&r->md, "\n|");
	for (size_t i = 0; i < ncol; i++)
		iov_buf_printf(&r->md, "%s|", i ? "---:" : "---");
	iov_buf_printf(&r->md, "\n");
}

/* cls: CSS class of the row's last cell ("" for none): "regressed", "improved". */
static void table_row(struct report *r, const char *const *cells, size_t ncol, const char *cls)
{
	iov_buf_printf(&r->html, "<tr>");
	for (size_t i = 0; i < ncol; i++) {
		if (i == ncol - 1 && cls && *cls)
			iov_buf_printf(&r->html, "<td class=\"%s\">", cls);
		else
			iov_buf_printf(&r->html, "<td>");
		html_esc(&r->html, cells[i]);
		iov_buf_printf(&r->html, "</td>");
	}
	iov_buf_printf(&r->html, "</tr>\n");
	iov_buf_printf(&r->md, "|");
	for (size_t i = 0; i < ncol; i++) {
		iov_buf_printf(&r->md, " ");
		md_esc(&r->md, cells[i]);
		iov_buf_printf(&r->md, " |");
	}
	iov_buf_printf(&r->md, "\n");
}

static void table_end(struct report *r)
{
	iov_buf_printf(&r->html, "</tbody>\n</table>\n");
	iov_buf_printf(&r->md, "\n");
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(struct iov_buf *b, const unsigned char *d, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0) | (i + 2 < n ? d[i + 2] : 0);
		char out[4] = { b64[v >> 18 & 63], b64[v >> 12 & 63], i + 1 < n ? b64[v >> 6 & 63] : '=',
				i + 2 < n ? b64[v & 63] : '=' };

		iov_buf_append(b, out, 4);
	}
}

/* ---- experiments and values ---- */

static const char *short_pattern(const char *pattern)
{
	return !strcmp(pattern, "guest-to-guest") ? "g2g" : "g2d";
}

/* "vf-inbox g2g 2 guests" (with the run when the id repeats across results) */
static void exp_label(const struct rexp *e, char *buf, size_t len, bool with_nic)
{
	snprintf(buf, len, "%s%s%s %d guest%s%s%s", with_nic ? e->nic : "", with_nic ? " " : "",
		 short_pattern(e->pattern), e->guests, e->guests == 1 ? "" : "s", e->id_repeats ? " @" : "",
		 e->id_repeats ? e->run_id : "");
}

static double *values(const struct rexp *e, const char *metric, size_t *n)
{
	return iov_experiment_values(e->x, metric, n);
}

static bool summary_of(const struct rexp *e, const char *metric, struct iov_summary *s)
{
	size_t n;
	double *v = values(e, metric, &n);

	iov_summarize(v, n, s);
	free(v);
	return s->n > 0;
}

static bool has_metric(const struct report *r, const char *metric)
{
	for (size_t i = 0; i < r->nx; i++)
		if (json_object_get(json_object_get(r->x[i].x, "metrics"), metric))
			return true;
	return false;
}

static json_t *metric_def(const struct report *r, const char *metric)
{
	for (size_t i = 0; i < r->ndocs; i++) {
		json_t *d = json_object_get(json_object_get(r->docs[i], "metrics"), metric);

		if (d)
			return d;
	}
	return NULL;
}

/* Distinct entries (workloads) in order of appearance. */
static size_t entries(const struct report *r, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nx; i++) {
		size_t k = 0;

		while (k < n && strcmp(out[k], r->x[i].entry))
			k++;
		if (k == n && n < max)
			out[n++] = r->x[i].entry;
	}
	return n;
}

/* ---- figures ---- */

static void figure(struct report *r, const char *name, const char *title, const char *caption)
{
	char path[PATH_MAX + 64], text[1024];
	size_t len;
	char *svg;

	r->figures++;
	if (r->figures < IOV_ARRAY_SIZE(r->fig_title))
		iov_strlcpy(r->fig_title[r->figures], title, sizeof(r->fig_title[0]));
	snprintf(text, sizeof(text), "Figure %u: %s", r->figures, caption);
	snprintf(path, sizeof(path), "%s/%s.svg", r->fig_dir, name);
	svg = iov_read_file(path, &len, NULL);
	iov_buf_printf(&r->html, "<figure id=\"figure-%u\">\n<img alt=\"", r->figures);
	html_esc(&r->html, text);
	iov_buf_printf(&r->html, "\" src=\"data:image/svg+xml;base64,");
	if (svg)
		base64(&r->html, (const unsigned char *)svg, len);
	iov_buf_printf(&r->html, "\">\n<figcaption>");
	html_esc(&r->html, text);
	iov_buf_printf(&r->html, "</figcaption>\n</figure>\n");
	free(svg);
	iov_buf_printf(&r->md, "![");
	md_esc(&r->md, text);
	iov_buf_printf(&r->md, "](figures/%s.png)\n\n*", name);
	md_esc(&r->md, text);
	iov_buf_printf(&r->md, "* (figures/%s.svg)\n\n", name);
}

static void no_figure(struct report *r, const char *what, const char *why)
{
	char text[768];

	snprintf(text, sizeof(text), "No figure for %s: %s", what, why);
	iov_buf_printf(&r->html, "<p class=\"nodata\">");
	html_esc(&r->html, text);
	iov_buf_printf(&r->html, "</p>\n");
	iov_buf_printf(&r->md, "> ");
	md_esc(&r->md, text);
	iov_buf_printf(&r->md, "\n\n");
}

static void plot_failed(struct report *r, const char *what, const struct iov_err *err)
{
	no_figure(r, what, err->msg);
}

static struct iov_figure fig_defaults(const struct report *r, const char *name, const char *title, const char *xl,
				      const char *yl)
{
	return (struct iov_figure){ .dir = r->fig_dir, .name = name, .title = title, .xlabel = xl, .ylabel = yl,
				    .ymin = NAN, .ymax = NAN };
}

static void series_name(const struct rexp *e, char *buf, size_t len)
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
	struct iov_point *pts = calloc(r->nx + 1, sizeof(*pts));
	char (*names)[160] = calloc(r->nx + 1, sizeof(*names));
	char name[128], title[256], caption[768], ylabel[96];
	struct iov_err err;

	for (int pat = 0; pat < 2 && pts && names; pat++) {
		const char *pattern = pat ? "guest-to-domain" : "guest-to-guest";
		double maxv = 0, scale;
		size_t n = 0;

		for (size_t i = 0; i < r->nx; i++) {
			struct iov_summary s;

			if (strcmp(r->x[i].entry, entry) || strcmp(r->x[i].pattern, pattern) ||
			    !summary_of(&r->x[i], gf->metric, &s))
				continue;
			series_name(&r->x[i], names[n], sizeof(names[n]));
			pts[n] = (struct iov_point){ names[n], r->x[i].guests, s.mean, s.stddev };
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
		snprintf(name, sizeof(name), "%s-%s-%s", gf->file, entry, short_pattern(pattern));
		snprintf(title, sizeof(title), "%s, %s: %s against number of guests", entry, pattern, gf->what);
		struct iov_figure f = fig_defaults(r, name, title, "guests (network namespaces, one NIC each)", ylabel);

		if (iov_plot_lines(&f, pts, n, &err)) {
			plot_failed(r, title, &err);
			continue;
		}
		snprintf(caption, sizeof(caption),
			 "%c%s of %s (%s) against the number of guests, per NIC kind (%s): mean over the repetitions, "
			 "error bars one standard deviation.",
			 gf->what[0] - ('a' <= gf->what[0] && gf->what[0] <= 'z' ? 'a' - 'A' : 0), gf->what + 1, entry,
			 pattern, gf->metric);
		figure(r, name, title, caption);
	}
	free(pts);
	free(names);
}

/* Bars of one metric (or of a per-repetition ratio of two) for the experiments of an entry. */
static int fig_bars(struct report *r, const char *entry, const char *name, const char *title, const char *ylabel,
		    const char *metric, const char *per_metric, double per_scale, const char *caption)
{
	struct iov_bar *bars = calloc(r->nx + 1, sizeof(*bars));
	char (*cats)[96] = calloc(r->nx + 1, sizeof(*cats)), (*sers)[160] = calloc(r->nx + 1, sizeof(*sers));
	struct iov_err err;
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; bars && cats && sers && i < r->nx; i++) {
		struct iov_summary s;
		size_t na, nb = 0;
		double *a, *b = NULL;

		if (strcmp(r->x[i].entry, entry))
			continue;
		a = values(&r->x[i], metric, &na);
		if (per_metric) {
			b = values(&r->x[i], per_metric, &nb);
			/* Ratio per repetition, then summarized: both were measured in the same repetition. */
			for (size_t k = 0; a && k < na; k++)
				a[k] = k < nb && b[k] > 0 ? a[k] / (b[k] / per_scale) : NAN;
		}
		iov_summarize(a, na, &s);
		free(a);
		free(b);
		if (!s.n)
			continue;
		exp_label(&r->x[i], cats[n], sizeof(cats[n]), false);
		series_name(&r->x[i], sers[n], sizeof(sers[n]));
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
		plot_failed(r, title, &err);
		rc = -1;
	} else {
		figure(r, name, title, caption);
	}
	free(bars);
	free(cats);
	free(sers);
	return rc;
}

static void fig_napi(struct report *r, const char *entry)
{
	static const char *const parts[] = { "empty (no work)", "work below the budget", "whole budget used" };
	const char **cats = calloc(r->nx + 1, sizeof(*cats));
	char (*labels)[128] = calloc(r->nx + 1, sizeof(*labels));
	double *v = calloc(3 * (r->nx + 1), sizeof(*v));
	char name[128], title[256], caption[768];
	struct iov_err err;
	size_t n = 0;

	for (size_t i = 0; cats && labels && v && i < r->nx; i++) {
		struct iov_summary empty, full;

		if (strcmp(r->x[i].entry, entry) || !summary_of(&r->x[i], "napi_empty_polls_pct", &empty) ||
		    !summary_of(&r->x[i], "napi_budget_polls_pct", &full))
			continue;
		exp_label(&r->x[i], labels[n], sizeof(labels[n]), true);
		cats[n] = labels[n];
		v[3 * n] = empty.mean;
		v[3 * n + 2] = full.mean;
		v[3 * n + 1] = fmax(0, 100 - empty.mean - full.mean);
		n++;
	}
	snprintf(name, sizeof(name), "napi-polls-%s", entry);
	snprintf(title, sizeof(title), "%s: distribution of NAPI polls by work done", entry);
	if (!n) {
		no_figure(r, title, "no experiment of this workload has napi_poll trace metrics");
	} else {
		struct iov_figure f = fig_defaults(r, name, title, "experiment", "share of NAPI polls (%)");

		if (iov_plot_stacked(&f, cats, n, parts, 3, v, &err)) {
			plot_failed(r, title, &err);
		} else {
			snprintf(caption, sizeof(caption),
				 "Distribution of packets per NAPI poll for %s, from the napi:napi_poll tracepoint: share "
				 "of polls that found no work, that did some, and that used the whole budget (mean over "
				 "the repetitions). The result holds these shares, not a finer histogram.",
				 entry);
			figure(r, name, title, caption);
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
		no_figure(r, title, "no experiment of this workload has napi_pkts_per_poll");
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
	struct iov_point *pts = calloc(3 * nk * (r->nx + 1), sizeof(*pts));
	char (*names)[192] = calloc(nk * (r->nx + 1), sizeof(*names));
	struct iov_err err;
	size_t n = 0, ns = 0;

	for (size_t i = 0; pts && names && i < r->nx; i++) {
		for (size_t kind = 0; kind < nk; kind++) {
			size_t added = 0;
			char label[128];

			exp_label(&r->x[i], label, sizeof(label), true);
			snprintf(names[ns], sizeof(names[ns]), "%s %s", label, mbx_cdfs[kind].what);
			for (size_t k = 0; k < 3 && mbx_cdfs[kind].pts[k].metric; k++) {
				struct iov_summary s;

				if (!summary_of(&r->x[i], mbx_cdfs[kind].pts[k].metric, &s) || s.mean <= 0)
					continue;
				pts[n++] = (struct iov_point){ names[ns], s.mean / 1e3, mbx_cdfs[kind].pts[k].p, NAN };
				added++;
			}
			if (added)
				ns++;
		}
	}
	if (!n) {
		no_figure(r, "mailbox latency (CDF)",
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
			plot_failed(r, "mailbox latency", &err);
		else
			figure(r, "mailbox-latency-cdf", "mailbox latency as a CDF",
			       "Mailbox latency as a CDF: VF request round trip and PF service time at the 50th, 99th "
			       "percentile and maximum as our drivers' log2 histograms give them (bucket lower bounds), and "
			       "the VF driver's request call timed by ftrace at the 50th, 90th and 99th percentile (mean "
			       "over the repetitions).");
	}
	free(pts);
	free(names);
}

/* Put a paragraph that names the entry's figures before them (known only once drawn). */
static void refer_to_figures(struct report *r, const char *entry, unsigned first, size_t html_at, size_t md_at)
{
	struct iov_buf text = { 0 }, html_tail = { 0 }, md_tail = { 0 };

	if (first > r->figures)
		return;
	iov_buf_printf(&text, "For %s, ", entry);
	for (unsigned f = first; f <= r->figures && f < IOV_ARRAY_SIZE(r->fig_title); f++) {
		/* Titles are "ENTRY: what" or "ENTRY, PATTERN: what": say "what (PATTERN)". */
		const char *t = r->fig_title[f], *what = strstr(t, ": ");
		size_t elen = strlen(entry);

		iov_buf_printf(&text, "%sFigure %u shows ", f == first ? "" : f == r->figures ? " and " : ", ", f);
		if (what && !strncmp(t, entry, elen) && t[elen] == ',')
			iov_buf_printf(&text, "%s (%.*s)", what + 2, (int)(what - t - elen - 2), t + elen + 2);
		else
			iov_buf_printf(&text, "%s", what ? what + 2 : t);
	}
	iov_buf_printf(&text, ".");
	iov_buf_append(&html_tail, r->html.data + html_at, r->html.len - html_at);
	iov_buf_append(&md_tail, r->md.data + md_at, r->md.len - md_at);
	r->html.len = html_at;
	r->html.data[html_at] = '\0';
	r->md.len = md_at;
	r->md.data[md_at] = '\0';
	para(r, text.data);
	iov_buf_append(&r->html, html_tail.data ?: "", html_tail.len);
	iov_buf_append(&r->md, md_tail.data ?: "", md_tail.len);
	iov_buf_free(&text);
	iov_buf_free(&html_tail);
	iov_buf_free(&md_tail);
}

/* The metrics a reader compares NIC kinds by, in this order. */
static const char *const side_metrics[] = { "throughput_bps", "pps", "lat_p50_ns", "lat_p99_ns", "irq_per_pkt",
					    "napi_pkts_per_poll", "cpu_guest_busy_pct", "qemu_cpu_s", "mbx_call_p50_ns" };

static const struct rexp *find_peer(const struct report *r, const struct rexp *e, const char *nic)
{
	for (size_t i = 0; i < r->nx; i++)
		if (!strcmp(r->x[i].nic, nic) && !strcmp(r->x[i].entry, e->entry) &&
		    !strcmp(r->x[i].pattern, e->pattern) && r->x[i].guests == e->guests)
			return &r->x[i];
	return NULL;
}

/* The workload (as run) of an experiment, from its own result document. */
static json_t *workload_of(const struct report *r, const struct rexp *e)
{
	for (size_t d = 0; d < r->ndocs; d++)
		if (!strcmp(jstr(r->docs[d], "run_id"), e->run_id))
			return json_object_get(json_object_get(r->docs[d], "workloads"), e->entry);
	return NULL;
}

/* The experiment of kind nic that e was measured interleaved with (run.c), or NULL. */
static const struct rexp *interleaved_partner(const struct report *r, const struct rexp *e, const char *nic)
{
	json_t *y = NULL;

	for (size_t d = 0; d < r->ndocs && !y; d++)
		if (!strcmp(jstr(r->docs[d], "run_id"), e->run_id))
			y = iov_doc_interleaved(r->docs[d], e->x, nic);
	for (size_t j = 0; y && j < r->nx; j++)
		if (r->x[j].x == y)
			return &r->x[j];
	return NULL;
}

/* One row of an instrumentation cost table: experiment, [metric,] ratios, mean, CI, verdict. */
static void cost_row(struct report *r, const struct rexp *e, const char *metric_cell,
		     const struct iov_instr_cost *c)
{
	char cells[6][128], label[96];
	const char *row[6];
	size_t n = 0;

	exp_label(e, label, sizeof(label), false);
	snprintf(cells[n++], sizeof(cells[0]), "%s %s", e->entry, label);
	if (metric_cell)
		snprintf(cells[n++], sizeof(cells[0]), "%s", metric_cell);
	snprintf(cells[n++], sizeof(cells[0]), "%zu", c->pairs);
	snprintf(cells[n++], sizeof(cells[0]), "%.4f", c->ratio);
	snprintf(cells[n++], sizeof(cells[0]), "[%.4f, %.4f]", c->lo, c->hi);
	snprintf(cells[n++], sizeof(cells[0]), "%s %.0f%%", iov_cost_verdict_name(c->verdict),
		 IOV_INSTR_COST_MAX_PCT);
	for (size_t k = 0; k < n; k++)
		row[k] = cells[k];
	table_row(r, row, n,
		  c->verdict == IOV_COST_EXCEEDED ? "regressed" : c->verdict == IOV_COST_WITHIN ? "improved" : "");
}

/*
 * vf experiments measured interleaved with their vf-noinstr twin (run.c): the cost of our
 * drivers' instrumentation from the paired repetitions, against its bound.
 */
static void instrumentation_cost_table(struct report *r)
{
	static const char *const head[] = { "experiment", "metric", "pairs", "on / off (mean)", "95% CI",
					    "verdict" };
	static const char *const metrics[] = { "throughput_bps", "pps", "lat_p50_ns", "cpu_guest_busy_pct" };
	bool any = false;
	char text[768];

	for (size_t i = 0; i < r->nx; i++) {
		const struct rexp *e = &r->x[i];
		const struct rexp *twin = strcmp(e->nic, "vf") ? NULL : interleaved_partner(r, e, "vf-noinstr");

		if (!twin)
			continue;
		if (!any) {
			snprintf(text, sizeof(text),
				 "Table %u: the cost of our drivers' instrumentation (counters, histograms, "
				 "tracepoints behind one static key). Each vf experiment ran interleaved with its "
				 "vf-noinstr twin on one topology, repetition k of both back to back (ABBA), so the "
				 "ratio of each pair cancels the drift of the host's load. The bound (%.0f%%) holds "
				 "when the whole %.0f%% CI of the mean paired ratio lies within it, is exceeded when "
				 "the whole CI lies beyond it, and is undecided otherwise.",
				 r->tables + 1, IOV_INSTR_COST_MAX_PCT, 100 * (1 - r->params.alpha));
			para(r, text);
			table_begin(r, "Instrumentation on over off, paired repetitions", head, IOV_ARRAY_SIZE(head));
			any = true;
		}
		for (size_t m = 0; m < IOV_ARRAY_SIZE(metrics); m++) {
			json_t *def = metric_def(r, metrics[m]);
			enum iov_better better =
				!strcmp(jstr(def, "better"), "lower") ? IOV_BETTER_LOWER : IOV_BETTER_HIGHER;
			struct iov_instr_cost c;
			char metric_cell[128];

			if (!def ||
			    iov_metric_fixed_by_workload(workload_of(r, e), metrics[m]) ||
			    iov_instr_cost(e->x, twin->x, metrics[m], better, r->params.alpha,
						   IOV_INSTR_COST_MAX_PCT, &c))
				continue;
			snprintf(metric_cell, sizeof(metric_cell), "%s (%s is better)", metrics[m],
				 jstr(def, "better"));
			cost_row(r, e, metric_cell, &c);
		}
	}
	if (any)
		table_end(r);
}

/*
 * Driver against driver from interleaved groups (workload key interleave): one driver of the
 * pair swapped, the other fixed, ratios of repetition pairs run back to back.
 */
static void driver_pairs_table(struct report *r)
{
	static const char *const head[] = { "experiment", "comparison", "metric", "pairs", "ratio (geomean)",
					    "95% CI", "median", "reading" };
	static const char *const metrics[] = { "throughput_bps", "pps", "lat_p50_ns", "cpu_guest_busy_pct",
					       "irq_per_pkt" };
	bool any = false;
	char text[768];

	for (size_t i = 0; i < r->nx; i++) {
		const struct rexp *e = &r->x[i];

		for (size_t p = 0; p < IOV_DRIVER_PAIRS; p++) {
			const struct iov_driver_pair *dp = &iov_driver_pairs[p];
			const struct rexp *y = strcmp(e->nic, dp->a) ? NULL : interleaved_partner(r, e, dp->b);

			for (size_t m = 0; y && m < IOV_ARRAY_SIZE(metrics); m++) {
				char cells[8][128], label[96];
				const char *row[8];
				struct iov_paired_ratio pr;
				json_t *def = metric_def(r, metrics[m]);

				if (!def || iov_paired_ratio(e->x, y->x, metrics[m], r->params.alpha, &pr))
					continue;
				if (!any) {
					snprintf(text, sizeof(text),
						 "Table %u: our drivers against the in-tree ones, one driver of the pair "
						 "swapped and the other fixed. The kinds of each experiment ran "
						 "interleaved, repetition k of every kind back to back (ABBA order, the "
						 "topology rebuilt between them), so each pair of repetitions shares the "
						 "host's state; the table gives the geometric mean of the per-pair ratios, its "
						 "%.0f%% CI and the median. Higher or lower is read only when the whole "
						 "CI lies on one side of 1; whether that is better depends on the "
						 "metric's direction.",
						 r->tables + 1, 100 * (1 - r->params.alpha));
					para(r, text);
					table_begin(r, "Driver against driver, paired repetitions", head,
						    IOV_ARRAY_SIZE(head));
					any = true;
				}
				exp_label(e, label, sizeof(label), false);
				snprintf(cells[0], sizeof(cells[0]), "%s %s", e->entry, label);
				snprintf(cells[1], sizeof(cells[1]), "%s (%s / %s)", dp->what, dp->a, dp->b);
				snprintf(cells[2], sizeof(cells[2]), "%s (%s is better)", metrics[m], jstr(def, "better"));
				snprintf(cells[3], sizeof(cells[3]), "%zu", pr.pairs);
				snprintf(cells[4], sizeof(cells[4]), "%.3f", pr.ratio);
				snprintf(cells[5], sizeof(cells[5]), "[%.3f, %.3f]", pr.lo, pr.hi);
				snprintf(cells[6], sizeof(cells[6]), "%.3f", pr.median);
				snprintf(cells[7], sizeof(cells[7]), "%s", iov_paired_ratio_verdict(&pr));
				for (size_t c = 0; c < 8; c++)
					row[c] = cells[c];
				table_row(r, row, 8, NULL);
			}
		}
	}
	if (any)
		table_end(r);
}

/* vf experiments that toggled their instrumentation inside each repetition (instr_toggle_s). */
static void instrumentation_toggle_table(struct report *r)
{
	static const char *const head[] = { "experiment", "segment triples", "on / off (mean)", "95% CI",
					    "verdict" };
	bool any = false;
	char text[768];

	for (size_t i = 0; i < r->nx; i++) {
		const struct rexp *e = &r->x[i];
		struct iov_instr_cost c;

		if (!json_object_get(json_object_get(e->x, "notes"), IOV_NOTE_INSTR_TOGGLE) ||
		    iov_instr_toggle_cost(e->x, r->params.alpha, IOV_INSTR_COST_MAX_PCT, &c))
			continue;
		if (!any) {
			snprintf(text, sizeof(text),
				 "Table %u: the cost of our drivers' instrumentation measured inside each "
				 "repetition: the static key switched on and off every few seconds while the "
				 "traffic ran, the receivers' byte counters sampled at each switch. Every three "
				 "neighbouring segments give one throughput ratio on/off (the middle one against "
				 "its two neighbours), free of the changes between repetitions. The bound (%.0f%%) "
				 "holds when the whole %.0f%% CI of the mean ratio lies within it.",
				 r->tables + 1, IOV_INSTR_COST_MAX_PCT, 100 * (1 - r->params.alpha));
			para(r, text);
			table_begin(r, "Instrumentation on over off, toggled inside repetitions", head,
				    IOV_ARRAY_SIZE(head));
			any = true;
		}
		cost_row(r, e, NULL, &c);
	}
	if (any)
		table_end(r);
}

static void side_by_side_section(struct report *r)
{
	const char *others[IOV_NIC_COUNT], *head[3 + IOV_NIC_COUNT];
	char heads[IOV_NIC_COUNT][48], text[1024];
	size_t nothers = 0, ncol;
	bool any = false;

	/* Every other kind the results ran, in the catalogue's order. */
	for (int k = 0; k < IOV_NIC_COUNT; k++) {
		const char *nic = iov_nic_name(k);
		bool ran = false;

		for (size_t i = 0; i < r->nx && !ran; i++)
			ran = !strcmp(r->x[i].nic, nic);
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

	heading(r, 2, "3 Our VF driver side by side", "side-by-side");
	for (size_t i = 0; i < r->nx && !any; i++)
		any = !strcmp(r->x[i].nic, "vf");
	if (!any) {
		para(r, "No experiment of the results ran the vf kind (iovpf/iovvf), so there is nothing to set side by "
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
		 r->tables + 1, 100 * (1 - r->params.alpha), r->params.min_change_pct);
	para(r, text);
	table_begin(r, "vf against the other NIC kinds: ratio of means, significance", head, ncol);
	for (size_t i = 0; i < r->nx; i++) {
		const struct rexp *e = &r->x[i];

		if (strcmp(e->nic, "vf"))
			continue;
		for (size_t m = 0; m < IOV_ARRAY_SIZE(side_metrics); m++) {
			json_t *def = metric_def(r, side_metrics[m]);
			enum iov_better better =
				!strcmp(jstr(def, "better"), "lower") ? IOV_BETTER_LOWER : IOV_BETTER_HIGHER;
			char cells[3 + IOV_NIC_COUNT][128];
			const char *row[3 + IOV_NIC_COUNT];
			struct iov_summary s;
			size_t nv;
			double *v;

			if (!summary_of(e, side_metrics[m], &s))
				continue;
			char label[96];

			exp_label(e, label, sizeof(label), false);
			snprintf(cells[0], sizeof(cells[0]), "%s %s", e->entry, label);
			snprintf(cells[1], sizeof(cells[1]), "%s (%s is better)", side_metrics[m], jstr(def, "better"));
			iov_fmt_si(cells[2], sizeof(cells[2]), s.mean);
			v = values(e, side_metrics[m], &nv);
			for (size_t o = 0; o < nothers; o++) {
				const struct rexp *peer = find_peer(r, e, others[o]);
				struct iov_sample_cmp cmp;
				size_t npv;
				double *pv = peer ? values(peer, side_metrics[m], &npv) : NULL;

				if (!pv) {
					snprintf(cells[3 + o], sizeof(cells[3 + o]), "-");
					continue;
				}
				/* The other kind is the base: "improved" means vf is better. */
				iov_compare_samples(pv, npv, v, nv, better, &r->params, &cmp);
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
			table_row(r, row, ncol, NULL);
		}
	}
	table_end(r);
	driver_pairs_table(r);
	instrumentation_cost_table(r);
	instrumentation_toggle_table(r);
}

static void figures_section(struct report *r)
{
	const char *ents[32];
	size_t ne = entries(r, ents, 32);
	unsigned first = r->figures + 1;
	char text[1024];

	heading(r, 2, "4 Results in figures", "figures");
	if (!r->plots) {
		para(r, "No figures: gnuplot is not installed (apt-get install gnuplot-nox); the tables of section 5 "
			"hold every number.");
		return;
	}
	snprintf(text, sizeof(text),
		 "The figures start with Figure %u. For each workload they show throughput (and packet rate or "
		 "latency where the workload measures them) against the number of guests per NIC kind, the guest CPU spent per Gbit/s moved, interrupts per second and per packet, "
		 "how NAPI polls were spent, and last the mailbox latency of our VF driver as a CDF. Every point is "
		 "the mean over the repetitions; error bars are one sample standard deviation.",
		 first);
	para(r, text);
	for (size_t e = 0; e < ne; e++) {
		char name[128], title[256], caption[768];
		size_t html_at, md_at;
		unsigned first_fig;

		snprintf(title, sizeof(title), "Workload %s", ents[e]);
		heading(r, 3, title, ents[e]);
		html_at = r->html.len;
		md_at = r->md.len;
		first_fig = r->figures + 1;
		for (size_t g = 0; g < IOV_ARRAY_SIZE(guests_figs); g++)
			if (has_metric(r, guests_figs[g].metric))
				fig_vs_guests(r, ents[e], &guests_figs[g]);
		snprintf(name, sizeof(name), "cpu-per-gbps-%s", ents[e]);
		snprintf(title, sizeof(title), "%s: guest CPU per Gbit/s", ents[e]);
		snprintf(caption, sizeof(caption),
			 "Guest CPU cost of the traffic of %s: busy CPU (%% of the lab guest's CPUs, not idle nor "
			 "iowait) divided by the throughput in Gbit/s, computed per repetition; lower is cheaper.",
			 ents[e]);
		if (fig_bars(r, ents[e], name, title, "guest CPU busy (%) per Gbit/s", "cpu_guest_busy_pct",
			     "throughput_bps", 1e9, caption) == 1)
			no_figure(r, title, "no experiment measured both cpu_guest_busy_pct and throughput_bps");
		snprintf(name, sizeof(name), "irq-per-s-%s", ents[e]);
		snprintf(title, sizeof(title), "%s: interrupts per second", ents[e]);
		snprintf(caption, sizeof(caption),
			 "Interrupts per second of the tested NICs' vectors (/proc/interrupts deltas) for %s.", ents[e]);
		if (fig_bars(r, ents[e], name, title, "interrupts per second", "irq_per_s", NULL, 1, caption) == 1)
			no_figure(r, title, "no experiment measured irq_per_s");
		snprintf(name, sizeof(name), "irq-per-pkt-%s", ents[e]);
		snprintf(title, sizeof(title), "%s: interrupts per packet", ents[e]);
		snprintf(caption, sizeof(caption),
			 "Interrupts per packet moved (rx + tx from the netdev counters) for %s: interrupt "
			 "moderation and NAPI at work; lower is better.",
			 ents[e]);
		if (fig_bars(r, ents[e], name, title, "interrupts per packet", "irq_per_pkt", NULL, 1, caption) == 1)
			no_figure(r, title, "no experiment measured irq_per_pkt");
		fig_napi(r, ents[e]);
		refer_to_figures(r, ents[e], first_fig, html_at, md_at);
	}
	heading(r, 3, "Mailbox", "mailbox");
	fig_mailbox(r);
}

/* ---- sections ---- */

static void environment_section(struct report *r)
{
	static const char *const keys[] = { "qemu_version", "accelerator", "guest_kernel", "host_kernel",
					    "host_cpu_model", "git_revision", "command_line" };
	const char *head[1 + 8];
	size_t ncol = 1 + r->ndocs;

	heading(r, 2, "1 Environment", "environment");
	para(r, "Table 1 lists where and with what the results were measured, as the harness recorded it; "
		"a fact it could not establish is shown as unknown, never guessed.");
	if (ncol > 9)
		ncol = 9;
	head[0] = "";
	for (size_t d = 0; d + 1 < ncol; d++)
		head[d + 1] = jstr(r->docs[d], "run_id");
	table_begin(r, "Environment of the runs", head, ncol);
	{
		const char *row[9];
		char status[8][96];

		row[0] = "status (started, finished)";
		for (size_t d = 0; d + 1 < ncol; d++) {
			snprintf(status[d], sizeof(status[d]), "%s (%s, %s)", jstr(r->docs[d], "status"),
				 jstr(r->docs[d], "started_at"), jstr(r->docs[d], "finished_at"));
			row[d + 1] = status[d];
		}
		table_row(r, row, ncol, NULL);
	}
	for (size_t k = 0; k < IOV_ARRAY_SIZE(keys) + 3; k++) {
		const char *row[9];
		char cells[8][512];

		row[0] = k < IOV_ARRAY_SIZE(keys) ? keys[k] : k == IOV_ARRAY_SIZE(keys) ? "host_cores"
							: k == IOV_ARRAY_SIZE(keys) + 1 ? "driver_versions"
											: "tool_versions";
		for (size_t d = 0; d + 1 < ncol; d++) {
			json_t *env = json_object_get(r->docs[d], "environment"), *v = json_object_get(env, row[0]);

			if (json_is_string(v)) {
				snprintf(cells[d], sizeof(cells[d]), "%s", json_string_value(v));
			} else if (json_is_integer(v)) {
				snprintf(cells[d], sizeof(cells[d]), "%lld", (long long)json_integer_value(v));
			} else if (json_is_object(v) && !json_object_size(v)) {
				snprintf(cells[d], sizeof(cells[d]), "none recorded");
			} else if (json_is_object(v)) {
				const char *key;
				json_t *val;
				size_t used = 0;

				cells[d][0] = '\0';
				json_object_foreach(v, key, val) {
					used += (size_t)snprintf(cells[d] + used, used < sizeof(cells[d]) ? sizeof(cells[d]) - used : 0,
								 "%s%s %s", used ? ", " : "", key,
								 json_string_value(val) ?: "unknown");
					if (used >= sizeof(cells[d]))
						break;
				}
			} else {
				snprintf(cells[d], sizeof(cells[d]), "unknown");
			}
			row[d + 1] = cells[d];
		}
		table_row(r, row, ncol, NULL);
	}
	table_end(r);
}

static void method_section(struct report *r)
{
	static const char *const head[] = { "workload", "tool", "protocol", "streams", "duration (s)", "omitted (s)",
					    "repetitions", "guests", "NIC kinds", "patterns" };
	char text[1400];

	heading(r, 2, "2 Method", "method");
	para(r, "Each experiment is one workload on one NIC kind with a traffic pattern and a number of guests: "
		"network namespaces of the lab guest with one NIC each (vf: our iovpf/iovvf drivers on the emulated "
		"Intel 82576's virtual functions; vf-inbox: the in-tree igb/igbvf; vf-iovpf-igbvf and vf-igb-iovvf: "
		"the mixes that isolate one of our drivers; vf-noinstr: ours with the instrumentation off; e1000e "
		"and virtio: emulated and paravirtual NICs). All guests send at once; a repetition measures the counters before and after the "
		"traffic. Table 2 gives the workloads as run, after every override.");
	table_begin(r, "Workloads", head, IOV_ARRAY_SIZE(head));
	for (size_t d = 0; d < r->ndocs; d++) {
		const char *key;
		json_t *w;

		json_object_foreach(json_object_get(r->docs[d], "workloads"), key, w) {
			char cells[10][128];
			const char *row[10];
			json_t *arr[3] = { json_object_get(w, "guests"), json_object_get(w, "nic"),
					   json_object_get(w, "pattern") };

			snprintf(cells[0], sizeof(cells[0]), "%s%s%s", key, r->ndocs > 1 ? " @" : "",
				 r->ndocs > 1 ? jstr(r->docs[d], "run_id") : "");
			snprintf(cells[1], sizeof(cells[1]), "%s", jstr(w, "tool"));
			snprintf(cells[2], sizeof(cells[2]), "%s", jstr(w, "protocol"));
			snprintf(cells[3], sizeof(cells[3]), "%lld", (long long)json_integer_value(json_object_get(w, "streams")));
			snprintf(cells[4], sizeof(cells[4]), "%lld",
				 (long long)json_integer_value(json_object_get(w, "duration_s")));
			snprintf(cells[5], sizeof(cells[5]), "%lld", (long long)json_integer_value(json_object_get(w, "omit_s")));
			snprintf(cells[6], sizeof(cells[6]), "%lld", (long long)json_integer_value(json_object_get(w, "reps")));
			for (int a = 0; a < 3; a++) {
				size_t i, used = 0;
				json_t *v;

				cells[7 + a][0] = '\0';
				json_array_foreach(arr[a], i, v) {
					if (json_is_integer(v))
						used += (size_t)snprintf(cells[7 + a] + used, sizeof(cells[7 + a]) - used, "%s%lld",
									 i ? ", " : "", (long long)json_integer_value(v));
					else
						used += (size_t)snprintf(cells[7 + a] + used, sizeof(cells[7 + a]) - used, "%s%s",
									 i ? ", " : "", json_string_value(v) ?: "");
					if (used >= sizeof(cells[7 + a]))
						break;
				}
			}
			for (int c = 0; c < 10; c++)
				row[c] = cells[c];
			table_row(r, row, 10, NULL);
		}
	}
	table_end(r);
	snprintf(text, sizeof(text),
		 "Statistics are computed from the recorded value of every repetition, never from estimates: min, "
		 "mean, sample standard deviation (n - 1), coefficient of variation (stddev / mean) and max; a "
		 "repetition that measured nothing is left out and n says how many remain. %s",
		 r->base ? "" : "No baseline was given, so the tables have no change column.");
	para(r, text);
	if (r->base) {
		snprintf(text, sizeof(text),
			 "Baseline: run %s. The change column compares the means of the same experiment; it is marked "
			 "significant only when the two-sided Mann-Whitney U test (exact for few repetitions) rejects "
			 "at alpha = %.2g or the %.0f%% confidence intervals of the two means do not overlap, and the "
			 "mean moved by at least %.3g%%. Otherwise it is marked n.s. (not significant); with 3 or fewer "
			 "repetitions per side the U test cannot reject at all, and only clearly separated intervals "
			 "count.",
			 jstr(r->base, "run_id"), r->params.alpha, 100 * (1 - r->params.alpha), r->params.min_change_pct);
		para(r, text);
	}
}

static void change_cell(const struct report *r, const struct rexp *e, const char *metric, char *buf, size_t len,
			const char **cls)
{
	json_t *def = metric_def(r, metric);
	struct iov_sample_cmp cmp;
	size_t nb, nc;
	double *vb, *vc;

	*cls = "";
	if (!e->base_x || !json_object_get(json_object_get(e->base_x, "metrics"), metric)) {
		snprintf(buf, len, "not in baseline");
		return;
	}
	vb = iov_experiment_values(e->base_x, metric, &nb);
	vc = values(e, metric, &nc);
	iov_compare_samples(vb, nb, vc, nc, !strcmp(jstr(def, "better"), "lower") ? IOV_BETTER_LOWER : IOV_BETTER_HIGHER,
			    &r->params, &cmp);
	free(vb);
	free(vc);
	if (cmp.verdict == IOV_VERDICT_NO_DATA)
		snprintf(buf, len, "no data (%s)", cmp.why);
	else if (isnan(cmp.change_pct) && cmp.cur.mean == 0)
		snprintf(buf, len, "0 in both");
	else if (isnan(cmp.change_pct))
		snprintf(buf, len, "baseline mean 0; %s", cmp.verdict == IOV_VERDICT_SAME ? "n.s." : iov_verdict_name(cmp.verdict));
	else if (cmp.verdict == IOV_VERDICT_SAME)
		snprintf(buf, len, "%+.1f%% n.s.", cmp.change_pct);
	else
		snprintf(buf, len, "%+.1f%% %s, significant (%s)", cmp.change_pct, iov_verdict_name(cmp.verdict), cmp.why);
	if (cmp.verdict == IOV_VERDICT_REGRESSED)
		*cls = "regressed";
	else if (cmp.verdict == IOV_VERDICT_IMPROVED)
		*cls = "improved";
}

static void tables_section(struct report *r)
{
	const char *name;
	json_t *def;
	char text[512];
	unsigned first = r->tables + 1;
	json_t *seen = json_object();

	heading(r, 2, "5 Results per metric", "tables");
	snprintf(text, sizeof(text),
		 "Tables %u onwards give every metric the runs recorded, one row per experiment, in the units "
		 "named in the caption (k = 10^3, M = 10^6, G = 10^9).",
		 first);
	para(r, text);
	for (size_t d = 0; d < r->ndocs; d++) {
		json_object_foreach(json_object_get(r->docs[d], "metrics"), name, def) {
			static const char *const head[] = { "experiment", "n", "min", "mean", "stddev", "CoV", "max",
							    "vs baseline" };
			char caption[512];
			size_t ncol = r->base ? 8 : 7;

			if (json_object_get(seen, name) || !has_metric(r, name))
				continue;
			json_object_set_new(seen, name, json_true());
			snprintf(caption, sizeof(caption), "%s (%s; %s is better): %s", name, jstr(def, "unit"),
				 jstr(def, "better"), jstr(def, "description"));
			table_begin(r, caption, head, ncol);
			for (size_t i = 0; i < r->nx; i++) {
				struct iov_summary s;
				char cells[8][192];
				const char *row[8], *cls = "";

				if (!json_object_get(json_object_get(r->x[i].x, "metrics"), name))
					continue;
				summary_of(&r->x[i], name, &s);
				exp_label(&r->x[i], cells[0], sizeof(cells[0]), true);
				snprintf(cells[1], sizeof(cells[1]), "%zu", s.n);
				iov_fmt_si(cells[2], sizeof(cells[2]), s.min);
				iov_fmt_si(cells[3], sizeof(cells[3]), s.mean);
				iov_fmt_si(cells[4], sizeof(cells[4]), s.stddev);
				if (isnan(s.cov_pct))
					snprintf(cells[5], sizeof(cells[5]), "-");
				else
					snprintf(cells[5], sizeof(cells[5]), "%.1f%%", s.cov_pct);
				iov_fmt_si(cells[6], sizeof(cells[6]), s.max);
				if (r->base)
					change_cell(r, &r->x[i], name, cells[7], sizeof(cells[7]), &cls);
				for (size_t c = 0; c < ncol; c++)
					row[c] = cells[c];
				table_row(r, row, ncol, cls);
			}
			table_end(r);
		}
	}
	json_decref(seen);
}

static void failures_section(struct report *r)
{
	static const char *const head[] = { "run", "experiment", "status", "reason" };
	bool any = false;

	for (size_t i = 0; i < r->nx; i++) {
		const char *row[4];

		if (!strcmp(r->x[i].status, "ok"))
			continue;
		if (!any) {
			heading(r, 2, "6 Experiments that did not complete", "failures");
			table_begin(r, "Experiments not ok, with the harness's reason", head, 4);
			any = true;
		}
		row[0] = r->x[i].run_id;
		row[1] = r->x[i].id;
		row[2] = r->x[i].status;
		row[3] = jstr(r->x[i].x, "reason");
		table_row(r, row, 4, NULL);
	}
	if (any)
		table_end(r);
}

/* ---- PDF ---- */

static const char *find_browser(void)
{
	static const char *const names[] = { "chromium", "chromium-browser", "google-chrome" };
	static char found[PATH_MAX];
	const char *path = getenv("PATH");

	for (size_t i = 0; path && i < IOV_ARRAY_SIZE(names); i++) {
		char *copy = strdup(path), *save = NULL;

		for (char *dir = copy ? strtok_r(copy, ":", &save) : NULL; dir; dir = strtok_r(NULL, ":", &save)) {
			snprintf(found, sizeof(found), "%s/%s", dir, names[i]);
			if (access(found, X_OK) == 0) {
				free(copy);
				return found;
			}
		}
		free(copy);
	}
	return NULL;
}

static void write_pdf(const char *html_path, const char *pdf_path, struct iov_report_summary *sum)
{
	const char *browser = find_browser();
	char url[PATH_MAX + 16], out[2 * PATH_MAX + 64], profile[] = "/tmp/iovbench-chromium-XXXXXX", dataarg[64];
	int status = 0;
	pid_t pid;

	if (!browser) {
		snprintf(sum->pdf_note, sizeof(sum->pdf_note),
			 "no PDF: no converter installed (headless chromium; apt-get install chromium)");
		return;
	}
	if (!mkdtemp(profile)) {
		snprintf(sum->pdf_note, sizeof(sum->pdf_note), "no PDF: mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(url, sizeof(url), "file://%s", html_path);
	snprintf(out, sizeof(out), "--print-to-pdf=%s", pdf_path);
	snprintf(dataarg, sizeof(dataarg), "--user-data-dir=%s", profile);
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(browser, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		      "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer", dataarg,
		      out, url, (char *)NULL);
		_exit(127);
	}
	/* A browser that hangs must not hang the report: two minutes, then it is stopped. */
	for (int waited = 0; pid > 0; waited++) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (waited >= 1200) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			status = -1;
			break;
		}
		usleep(100 * 1000);
	}
	{
		char cmd[PATH_MAX + 32];
		pid_t rm = fork();

		snprintf(cmd, sizeof(cmd), "%s", profile);
		if (rm == 0) {
			execlp("rm", "rm", "-rf", cmd, (char *)NULL);
			_exit(127);
		}
		if (rm > 0)
			waitpid(rm, NULL, 0);
	}
	struct stat st;

	if (pid > 0 && status == 0 && stat(pdf_path, &st) == 0 && st.st_size > 0)
		sum->pdf_written = true;
	else
		snprintf(sum->pdf_note, sizeof(sum->pdf_note), "no PDF: %.200s --print-to-pdf failed", browser);
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

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

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

static int collect(struct report *r, struct iov_err *err)
{
	size_t total = 0;

	for (size_t d = 0; d < r->ndocs; d++)
		total += json_array_size(json_object_get(r->docs[d], "experiments"));
	r->x = calloc(total + 1, sizeof(*r->x));
	if (!r->x) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	for (size_t d = 0; d < r->ndocs; d++) {
		size_t i;
		json_t *x;

		json_array_foreach(json_object_get(r->docs[d], "experiments"), i, x) {
			struct rexp *e = &r->x[r->nx++];

			e->x = x;
			e->run_id = jstr(r->docs[d], "run_id");
			e->id = jstr(x, "id");
			e->entry = jstr(x, "entry");
			e->nic = jstr(x, "nic");
			e->pattern = jstr(x, "pattern");
			e->status = jstr(x, "status");
			e->guests = (int)json_integer_value(json_object_get(x, "guests"));
			e->base_x = r->base ? iov_doc_experiment(r->base, e->id) : NULL;
		}
	}
	for (size_t i = 0; i < r->nx; i++)
		for (size_t j = 0; j < r->nx; j++)
			if (i != j && !strcmp(r->x[i].id, r->x[j].id))
				r->x[i].id_repeats = true;
	return 0;
}

int iov_report_write(const struct iov_report_options *o, struct iov_report_summary *sum, struct iov_err *err)
{
	struct report r = { .o = o };
	char path[PATH_MAX + 32], abs_html[PATH_MAX], title[512], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int rc = -1;

	memset(sum, 0, sizeof(*sum));
	iov_compare_params_default(&r.params);
	if (!o->nresults) {
		iov_err_set(err, "report: no result given");
		return -1;
	}
	r.docs = calloc(o->nresults, sizeof(*r.docs));
	if (!r.docs) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < o->nresults; i++) {
		if (!(r.docs[r.ndocs] = load(o->results[i], o->results[i], err)))
			goto out;
		r.ndocs++;
	}
	if (o->baseline) {
		if (!(r.base = load(o->baseline, "baseline", err)))
			goto out;
		/* The baseline must have measured the same things: compare's checks refuse what it did not. */
		size_t common_docs = 0;

		for (size_t i = 0; i < r.ndocs; i++) {
			struct iov_comparison c;
			size_t k, common = 0;
			json_t *x;

			/* A result may hold other experiments only: its rows say "not in baseline". */
			json_array_foreach(json_object_get(r.docs[i], "experiments"), k, x)
				common += iov_doc_experiment(r.base, jstr(x, "id")) != NULL;
			if (!common)
				continue;
			common_docs++;
			if (iov_compare_docs(r.base, r.docs[i], &r.params, NULL, 0, &c, err)) {
				iov_err_prefix(err, "baseline %s against %s", jstr(r.base, "run_id"), jstr(r.docs[i], "run_id"));
				goto out;
			}
			iov_comparison_free(&c);
		}
		if (!common_docs) {
			iov_err_set(err, "mismatched workloads: baseline %s has no experiment in common with the results",
				    jstr(r.base, "run_id"));
			goto out;
		}
	}
	if (collect(&r, err))
		goto out;
	snprintf(r.fig_dir, sizeof(r.fig_dir), "%s/figures", o->out_dir);
	if (mkdir_p(r.fig_dir)) {
		iov_err_set(err, "report: cannot create %s: %s", r.fig_dir, strerror(errno));
		goto out;
	}
	r.plots = iov_plot_available();

	snprintf(title, sizeof(title), "Evaluation: %s", jstr(r.docs[0], "run_id"));
	for (size_t d = 1; d < r.ndocs && strlen(title) < 400; d++)
		snprintf(title + strlen(title), sizeof(title) - strlen(title), ", %s", jstr(r.docs[d], "run_id"));
	iov_buf_printf(&r.html, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	html_esc(&r.html, title);
	iov_buf_printf(&r.html, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
	heading(&r, 1, title, "top");
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	{
		char text[1024];

		snprintf(text, sizeof(text),
			 "Written by iovbench report on %s from %zu result document%s%s%s. Section 1 describes the "
			 "environment, section 2 the method, section 3 sets our VF driver side by side with the other "
			 "NIC kinds, section 4 shows the figures and section 5 gives every metric in a table.",
			 stamp, r.ndocs, r.ndocs > 1 ? "s" : "", r.base ? ", against the baseline run " : "",
			 r.base ? jstr(r.base, "run_id") : "");
		para(&r, text);
	}
	environment_section(&r);
	method_section(&r);
	side_by_side_section(&r);
	figures_section(&r);
	tables_section(&r);
	failures_section(&r);
	iov_buf_printf(&r.html, "</body>\n</html>\n");

	snprintf(path, sizeof(path), "%s/report.html", o->out_dir);
	if (iov_write_file_atomic(path, r.html.data, r.html.len, err))
		goto out;
	snprintf(path, sizeof(path), "%s/report.md", o->out_dir);
	if (iov_write_file_atomic(path, r.md.data, r.md.len, err))
		goto out;
	sum->figures = r.figures;
	sum->tables = r.tables;
	if (o->pdf) {
		snprintf(path, sizeof(path), "%s/report.html", o->out_dir);
		if (realpath(path, abs_html)) {
			snprintf(path, sizeof(path), "%s/report.pdf", o->out_dir);
			char abs_pdf[PATH_MAX + 32];

			snprintf(abs_pdf, sizeof(abs_pdf), "%.*s/report.pdf", (int)(strrchr(abs_html, '/') - abs_html),
				 abs_html);
			write_pdf(abs_html, abs_pdf, sum);
		}
	} else {
		snprintf(sum->pdf_note, sizeof(sum->pdf_note), "no PDF: not asked for");
	}
	rc = 0;
out:
	for (size_t i = 0; i < r.ndocs; i++)
		json_decref(r.docs[i]);
	free(r.docs);
	json_decref(r.base);
	free(r.x);
	iov_buf_free(&r.html);
	iov_buf_free(&r.md);
	return rc;
}
