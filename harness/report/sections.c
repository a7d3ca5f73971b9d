// SPDX-License-Identifier: MIT
/* report/sections.c - the environment, the method and the experiments that did not complete (internal.h). */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* ---- sections ---- */

void rpt_environment_section(struct report *r)
{
	static const char *const keys[] = { "qemu_version", "accelerator", "guest_kernel", "host_kernel",
					    "host_cpu_model", "git_revision", "command_line" };
	const char *head[1 + 8];
	size_t ncol = 1 + r->ndocs;

	rpt_heading(r, 2, "1 Environment", "environment");
	rpt_para(r, "Table 1 lists where and with what the results were measured, as the harness recorded it; "
		"a fact it could not establish is shown as unknown, never guessed.");
	if (ncol > 9)
		ncol = 9;
	head[0] = "";
	for (size_t d = 0; d + 1 < ncol; d++)
		head[d + 1] = rpt_jstr(r->docs[d], "run_id");
	rpt_table_begin(r, "Environment of the runs", head, ncol);
	{
		const char *row[9];
		char status[8][96];

		row[0] = "status (started, finished)";
		for (size_t d = 0; d + 1 < ncol; d++) {
			snprintf(status[d], sizeof(status[d]), "%s (%s, %s)", rpt_jstr(r->docs[d], "status"),
				 rpt_jstr(r->docs[d], "started_at"), rpt_jstr(r->docs[d], "finished_at"));
			row[d + 1] = status[d];
		}
		rpt_table_row(r, row, ncol, NULL);
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
		rpt_table_row(r, row, ncol, NULL);
	}
	rpt_table_end(r);
}

void rpt_method_section(struct report *r)
{
	static const char *const head[] = { "workload", "tool", "protocol", "streams", "duration (s)", "omitted (s)",
					    "repetitions", "guests", "NIC kinds", "patterns" };
	char text[1400];

	rpt_heading(r, 2, "2 Method", "method");
	rpt_para(r, "Each experiment is one workload on one NIC kind with a traffic pattern and a number of guests: "
		"network namespaces of the lab guest with one NIC each (vf: our iovpf/iovvf drivers on the emulated "
		"Intel 82576's virtual functions; vf-inbox: the in-tree igb/igbvf; vf-iovpf-igbvf and vf-igb-iovvf: "
		"the mixes that isolate one of our drivers; vf-noinstr: ours with the instrumentation off; e1000e "
		"and virtio: emulated and paravirtual NICs). All guests send at once; a repetition measures the counters before and after the "
		"traffic. Table 2 gives the workloads as run, after every override.");
	rpt_table_begin(r, "Workloads", head, IOV_ARRAY_SIZE(head));
	for (size_t d = 0; d < r->ndocs; d++) {
		const char *key;
		json_t *w;

		json_object_foreach(json_object_get(r->docs[d], "workloads"), key, w) {
			char cells[10][128];
			const char *row[10];
			json_t *arr[3] = { json_object_get(w, "guests"), json_object_get(w, "nic"),
					   json_object_get(w, "pattern") };

			snprintf(cells[0], sizeof(cells[0]), "%s%s%s", key, r->ndocs > 1 ? " @" : "",
				 r->ndocs > 1 ? rpt_jstr(r->docs[d], "run_id") : "");
			snprintf(cells[1], sizeof(cells[1]), "%s", rpt_jstr(w, "tool"));
			snprintf(cells[2], sizeof(cells[2]), "%s", rpt_jstr(w, "protocol"));
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
			rpt_table_row(r, row, 10, NULL);
		}
	}
	rpt_table_end(r);
	snprintf(text, sizeof(text),
		 "Statistics are computed from the recorded value of every repetition, never from estimates: min, "
		 "mean, sample standard deviation (n - 1), coefficient of variation (stddev / mean) and max; a "
		 "repetition that measured nothing is left out and n says how many remain. %s",
		 r->base ? "" : "No baseline was given, so the tables have no change column.");
	rpt_para(r, text);
	if (r->base) {
		snprintf(text, sizeof(text),
			 "Baseline: run %s. The change column compares the means of the same experiment; it is marked "
			 "significant only when the two-sided Mann-Whitney U test (exact for few repetitions) rejects "
			 "at alpha = %.2g or the %.0f%% confidence intervals of the two means do not overlap, and the "
			 "mean moved by at least %.3g%%. Otherwise it is marked n.s. (not significant); with 3 or fewer "
			 "repetitions per side the U test cannot reject at all, and only clearly separated intervals "
			 "count.",
			 rpt_jstr(r->base, "run_id"), r->an.params.alpha, 100 * (1 - r->an.params.alpha), r->an.params.min_change_pct);
		rpt_para(r, text);
	}
}

void rpt_failures_section(struct report *r)
{
	static const char *const head[] = { "run", "experiment", "status", "reason" };
	bool any = false;

	for (size_t i = 0; i < r->an.nexps; i++) {
		const char *row[4];

		if (!strcmp(r->an.exps[i].status, "ok"))
			continue;
		if (!any) {
			rpt_heading(r, 2, "6 Experiments that did not complete", "failures");
			rpt_table_begin(r, "Experiments not ok, with the harness's reason", head, 4);
			any = true;
		}
		row[0] = r->an.exps[i].run_id;
		row[1] = r->an.exps[i].id;
		row[2] = r->an.exps[i].status;
		row[3] = rpt_jstr(r->an.exps[i].x, "reason");
		rpt_table_row(r, row, 4, NULL);
	}
	if (any)
		rpt_table_end(r);
}
