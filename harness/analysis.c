// SPDX-License-Identifier: MIT
/* analysis.c - experiments, interleaved pairs and their verdicts, once for every output (analysis.h). */
#include "analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "result.h"
#include "toggles/toggles.h"
#include "tools/tools.h"

/* Metrics the driver pairs are judged on, after the workload's headline. */
static const char *const pair_metrics[] = { "throughput_bps", "pps", "lat_p50_ns", "cpu_guest_busy_pct",
					    "irq_per_pkt" };
/* Metrics the instrumentation's cost is judged on, after the workload's headline. */
static const char *const cost_metrics[] = { "throughput_bps", "pps", "lat_p50_ns", "cpu_guest_busy_pct" };

static const char *jstr(json_t *o, const char *key)
{
	return iov_jstr(o, key) ?: "";
}

const char *iov_an_pattern_short(const char *pattern)
{
	return !strcmp(pattern, "guest-to-guest") ? "g2g" : "g2d";
}

void iov_an_exp_label(const struct iov_an_exp *e, char *buf, size_t len, bool with_nic)
{
	snprintf(buf, len, "%s%s%s %d guest%s%s%s", with_nic ? e->nic : "", with_nic ? " " : "",
		 iov_an_pattern_short(e->pattern), e->guests, e->guests == 1 ? "" : "s", e->id_repeats ? " @" : "",
		 e->id_repeats ? e->run_id : "");
}

/* The headline of a workload's tool; a tool this program does not know reads as iperf3's. */
static const char *headline_of(json_t *workload)
{
	const char *name = json_string_value(json_object_get(workload, "tool"));
	const struct iov_tool_ops *tool = name ? iov_tool_lookup(name) : NULL;

	return (tool ? tool : iov_tool_lookup("iperf3"))->headline(workload);
}

static int collect_exps(struct iov_analysis *a, json_t *const *docs, size_t ndocs, json_t *base,
			struct iov_err *err)
{
	size_t total = 0;

	for (size_t d = 0; d < ndocs; d++)
		total += json_array_size(json_object_get(docs[d], "experiments"));
	a->exps = calloc(total + 1, sizeof(*a->exps));
	if (!a->exps) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	for (size_t d = 0; d < ndocs; d++) {
		json_t *workloads = json_object_get(docs[d], "workloads"), *x;
		size_t i;

		json_array_foreach(json_object_get(docs[d], "experiments"), i, x) {
			struct iov_an_exp *e = &a->exps[a->nexps++];

			e->x = x;
			e->doc = docs[d];
			e->run_id = jstr(docs[d], "run_id");
			e->id = jstr(x, "id");
			e->entry = jstr(x, "entry");
			e->nic = jstr(x, "nic");
			e->pattern = jstr(x, "pattern");
			e->status = jstr(x, "status");
			e->guest_kind = json_string_value(json_object_get(x, "guest_kind")) ?: "netns";
			e->guests = (int)json_integer_value(json_object_get(x, "guests"));
			e->workload = json_object_get(workloads, e->entry);
			e->headline = headline_of(e->workload);
			e->base_x = base ? iov_doc_experiment(base, e->id) : NULL;
		}
	}
	for (size_t i = 0; i < a->nexps; i++)
		for (size_t j = 0; j < a->nexps; j++)
			if (i != j && !strcmp(a->exps[i].id, a->exps[j].id))
				a->exps[i].id_repeats = true;
	return 0;
}

/* The analysed experiment behind a JSON experiment (of the same document), or NULL. */
static const struct iov_an_exp *exp_of(const struct iov_analysis *a, json_t *x)
{
	for (size_t j = 0; x && j < a->nexps; j++)
		if (a->exps[j].x == x)
			return &a->exps[j];
	return NULL;
}

/* The headline first, then each listed metric once. */
static size_t metric_list(const char *headline, const char *const *more, size_t nmore, const char **out)
{
	size_t n = 0;

	out[n++] = headline;
	for (size_t m = 0; m < nmore; m++)
		if (strcmp(more[m], headline))
			out[n++] = more[m];
	return n;
}

static int add_pairs(struct iov_analysis *a, const struct iov_an_exp *e, size_t *cap)
{
	const char *metrics[1 + IOV_ARRAY_SIZE(pair_metrics)];
	size_t nm = metric_list(e->headline, pair_metrics, IOV_ARRAY_SIZE(pair_metrics), metrics);

	for (size_t p = 0; p < IOV_DRIVER_PAIRS; p++) {
		const struct iov_driver_pair *dp = &iov_driver_pairs[p];
		const struct iov_an_exp *y =
			strcmp(e->nic, dp->a) ? NULL : exp_of(a, iov_doc_interleaved(e->doc, e->x, dp->b));

		for (size_t m = 0; y && m < nm; m++) {
			struct iov_an_pair *row;

			if (iov_grow(&a->pairs, a->npairs, cap, sizeof(*a->pairs)))
				return -1;
			row = &a->pairs[a->npairs++];
			*row = (struct iov_an_pair){ .e = e, .partner = y, .pair = dp, .metric = metrics[m],
						     .headline = m == 0 };
			row->decided = !iov_paired_ratio(e->x, y->x, metrics[m], a->params.alpha, &row->ratio);
		}
	}
	return 0;
}

static struct iov_an_cost *add_cost(struct iov_analysis *a, size_t *cap)
{
	return iov_grow(&a->costs, a->ncosts, cap, sizeof(*a->costs)) ? NULL : &a->costs[a->ncosts++];
}

/*
 * Against the vf-noinstr twin: every listed metric the workload does not fix. Paced traffic
 * moves the same bytes with any cost, so the summary's one metric is then CPU.
 */
static int add_twin_costs(struct iov_analysis *a, const struct iov_an_exp *e, size_t *cap)
{
	const struct iov_an_exp *twin =
		strcmp(e->nic, "vf") ? NULL : exp_of(a, iov_doc_interleaved(e->doc, e->x, "vf-noinstr"));
	const char *metrics[1 + IOV_ARRAY_SIZE(cost_metrics)];
	bool headline_fixed = iov_metric_fixed_by_workload(e->workload, e->headline);
	const char *primary = headline_fixed ? "cpu_guest_busy_pct" : e->headline;
	size_t nm = metric_list(e->headline, cost_metrics, IOV_ARRAY_SIZE(cost_metrics), metrics);

	for (size_t m = 0; twin && m < nm; m++) {
		const struct iov_metric_def *def = iov_metric_find(metrics[m]);
		struct iov_an_cost *row;

		if (!def || iov_metric_fixed_by_workload(e->workload, metrics[m]))
			continue;
		row = add_cost(a, cap);
		if (!row)
			return -1;
		*row = (struct iov_an_cost){ .e = e, .twin = twin, .metric = metrics[m],
					     .primary = !strcmp(metrics[m], primary) };
		row->decided = !iov_instr_cost(e->x, twin->x, metrics[m], def->better, a->params.alpha,
					       IOV_INSTR_COST_MAX_PCT, &row->cost);
	}
	return 0;
}

static int add_toggle_cost(struct iov_analysis *a, const struct iov_an_exp *e, size_t *cap)
{
	const struct iov_toggle_ops *toggle = iov_toggle_of_notes(json_object_get(e->x, "notes"));
	struct iov_an_cost *row;

	if (!toggle)
		return 0;
	row = add_cost(a, cap);
	if (!row)
		return -1;
	*row = (struct iov_an_cost){ .e = e, .toggle = toggle, .metric = "throughput_bps", .primary = true };
	row->decided = !iov_toggle_cost(e->x, toggle, a->params.alpha, &row->cost);
	return 0;
}

int iov_analysis_build(json_t *const *docs, size_t ndocs, json_t *base, struct iov_analysis *a, struct iov_err *err)
{
	size_t pair_cap = 0, cost_cap = 0;

	memset(a, 0, sizeof(*a));
	iov_compare_params_default(&a->params);
	if (collect_exps(a, docs, ndocs, base, err))
		return -1;
	for (size_t i = 0; i < a->nexps; i++)
		if (add_pairs(a, &a->exps[i], &pair_cap) || add_twin_costs(a, &a->exps[i], &cost_cap))
			goto oom;
	/* Toggled costs after the twins', as each output lists them apart. */
	for (size_t i = 0; i < a->nexps; i++)
		if (add_toggle_cost(a, &a->exps[i], &cost_cap))
			goto oom;
	return 0;
oom:
	iov_err_set(err, "out of memory");
	iov_analysis_free(a);
	return -1;
}

void iov_analysis_free(struct iov_analysis *a)
{
	free(a->exps);
	free(a->pairs);
	free(a->costs);
	memset(a, 0, sizeof(*a));
}
