// SPDX-License-Identifier: MIT
/* report/tables.c - every metric in a table, with the change against a baseline (internal.h). */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "result.h"

static void change_cell(const struct report *r, const struct iov_an_exp *e, const char *metric, char *buf, size_t len,
			const char **cls)
{
	json_t *def = rpt_metric_def(r, metric);
	struct iov_sample_cmp cmp;
	size_t nb, nc;
	double *vb, *vc;

	*cls = "";
	if (!e->base_x || !json_object_get(json_object_get(e->base_x, "metrics"), metric)) {
		snprintf(buf, len, "not in baseline");
		return;
	}
	vb = iov_experiment_values(e->base_x, metric, &nb);
	vc = rpt_values(e, metric, &nc);
	iov_compare_samples(vb, nb, vc, nc, !strcmp(rpt_jstr(def, "better"), "lower") ? IOV_BETTER_LOWER : IOV_BETTER_HIGHER,
			    &r->an.params, &cmp);
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

void rpt_tables_section(struct report *r)
{
	const char *name;
	json_t *def;
	char text[512];
	unsigned first = r->tables + 1;
	json_t *seen = json_object();

	rpt_heading(r, 2, "5 Results per metric", "tables");
	snprintf(text, sizeof(text),
		 "Tables %u onwards give every metric the runs recorded, one row per experiment, in the units "
		 "named in the caption (k = 10^3, M = 10^6, G = 10^9).",
		 first);
	rpt_para(r, text);
	for (size_t d = 0; d < r->ndocs; d++) {
		json_object_foreach(json_object_get(r->docs[d], "metrics"), name, def) {
			static const char *const head[] = { "experiment", "n", "min", "mean", "stddev", "CoV", "max",
							    "vs baseline" };
			char caption[512];
			size_t ncol = r->base ? 8 : 7;

			if (json_object_get(seen, name) || !rpt_has_metric(r, name))
				continue;
			json_object_set_new(seen, name, json_true());
			snprintf(caption, sizeof(caption), "%s (%s; %s is better): %s", name, rpt_jstr(def, "unit"),
				 rpt_jstr(def, "better"), rpt_jstr(def, "description"));
			rpt_table_begin(r, caption, head, ncol);
			for (size_t i = 0; i < r->an.nexps; i++) {
				struct iov_summary s;
				char cells[8][192];
				const char *row[8], *cls = "";

				if (!json_object_get(json_object_get(r->an.exps[i].x, "metrics"), name))
					continue;
				rpt_summary_of(&r->an.exps[i], name, &s);
				iov_an_exp_label(&r->an.exps[i], cells[0], sizeof(cells[0]), true);
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
					change_cell(r, &r->an.exps[i], name, cells[7], sizeof(cells[7]), &cls);
				for (size_t c = 0; c < ncol; c++)
					row[c] = cells[c];
				rpt_table_row(r, row, ncol, cls);
			}
			rpt_table_end(r);
		}
	}
	json_decref(seen);
}
