/* SPDX-License-Identifier: MIT */
/*
 * report/internal.h - what the parts of the report share: the document being written (HTML and
 * Markdown side by side, numbered tables and figures) and the results it is written from, as
 * analysis.h decided them. writer.c writes, figures.c draws, comparisons.c sets the NIC kinds
 * side by side, tables.c gives every metric, sections.c the environment, method and failures,
 * pdf.c prints, report.c loads the results and puts the sections in order.
 */
#ifndef IOV_REPORT_INTERNAL_H
#define IOV_REPORT_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "analysis.h"
#include "report.h"
#include "stats.h"
#include "util.h"

struct report {
	const struct iov_report_options *o;
	json_t **docs;
	size_t ndocs;
	json_t *base;
	struct iov_analysis an;
	struct iov_buf html, md;
	char fig_dir[PATH_MAX];
	bool plots;
	unsigned figures, tables;
	char fig_title[256][160]; /* what each figure shows, for the text that refers to it */
};

/* writer.c: text is plain, escaped for each output. */
const char *rpt_jstr(json_t *o, const char *key);
void rpt_html_esc(struct iov_buf *b, const char *s);
void rpt_md_esc(struct iov_buf *b, const char *s);
void rpt_para(struct report *r, const char *text);
void rpt_heading(struct report *r, int level, const char *text, const char *anchor);
/* Tables: header then rows of cells; the caption goes above, as in a thesis. */
void rpt_table_begin(struct report *r, const char *caption, const char *const *head, size_t ncol);
/* cls: CSS class of the row's last cell ("" or NULL for none): "regressed", "improved". */
void rpt_table_row(struct report *r, const char *const *cells, size_t ncol, const char *cls);
void rpt_table_end(struct report *r);
/* Figure NAME (already drawn into fig_dir), numbered; title is what the text calls it. */
void rpt_figure(struct report *r, const char *name, const char *title, const char *caption);
void rpt_no_figure(struct report *r, const char *what, const char *why);
void rpt_plot_failed(struct report *r, const char *what, const struct iov_err *err);
/* Put a paragraph that names ENTRY's figures from FIRST on before them (known only once drawn). */
void rpt_refer_to_figures(struct report *r, const char *entry, unsigned first, size_t html_at, size_t md_at);

/* report.c: the results. */
double *rpt_values(const struct iov_an_exp *e, const char *metric, size_t *n);
bool rpt_summary_of(const struct iov_an_exp *e, const char *metric, struct iov_summary *s);
bool rpt_has_metric(const struct report *r, const char *metric);
json_t *rpt_metric_def(const struct report *r, const char *metric);
/* Distinct entries (workloads) in order of appearance. */
size_t rpt_entries(const struct report *r, const char **out, size_t max);
/* The experiment of kind nic with e's entry, pattern, guests and guest kind, or NULL. */
const struct iov_an_exp *rpt_find_peer(const struct report *r, const struct iov_an_exp *e, const char *nic);

/* The sections, in the report's order. */
void rpt_environment_section(struct report *r);
void rpt_method_section(struct report *r);
void rpt_side_by_side_section(struct report *r);
/* Within section 3, when some guests were VMs. */
void rpt_hypervisor_section(struct report *r);
void rpt_figures_section(struct report *r);
void rpt_tables_section(struct report *r);
void rpt_failures_section(struct report *r);

/* pdf.c: headless Chromium prints the HTML; sum says whether it did, or why not. */
void rpt_write_pdf(const char *html_path, const char *pdf_path, struct iov_report_summary *sum);

#endif
