// SPDX-License-Identifier: MIT
/* test_result.c - the result document: build, partial runs, atomic rewrite, load, schema agreement. */
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metrics.h"
#include "result.h"
#include "suite.h"
#include "tests/unit.h"

#define WORKLOAD_DIR "../../workloads"
#define SCHEMA_PATH "../../results-schema/result.schema.json"

static const struct iov_env_driver drivers[] = { { "iovpf", "0.1.0" }, { "iovvf", "0.1.0" }, { "igbvf", NULL } };
static const struct iov_env_driver tools[] = { { "iperf3", "iperf 3.12" }, { "fio", "fio-3.33" } };
static const struct iov_env env = {
	.qemu_version = "QEMU emulator version 10.0.2",
	.accelerator = "tcg",
	.guest_kernel = "6.12.95+deb12-amd64",
	.host_kernel = NULL, /* unknown: recorded as null */
	.host_cpu_model = "Intel(R) Xeon(R) CPU",
	.host_cores = 2,
	.git_revision = "a8ff1a0-dirty",
	.ndrivers = 3,
	.drivers = drivers,
	.ntools = 2,
	.tools = tools,
};

static void add(struct iov_metric_set *set, const char *metric, const char *instance, double value)
{
	struct iov_err err;

	if (iov_metric_set_add(set, metric, instance, value, &err))
		CU_FAIL(err.msg);
}

/* Build a small run: 2 experiments done (one with a failed repetition), 1 failed, the rest pending. */
static struct iov_result *build(const char *path, struct iov_suite *suite, struct iov_plan *plan)
{
	const struct iov_override ov[] = { { "reps", "3" }, { "nic", "vf, vf-inbox" } };
	struct iov_catalogue cat;
	struct iov_result *res;
	struct iov_err err = { "" };
	const char *e0, *e1, *e2;

	CU_ASSERT_EQUAL_FATAL(iov_catalogue_load(WORKLOAD_DIR, &cat, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_suite_load_named(WORKLOAD_DIR, "default", &cat, ov, 2, suite, &err), 0);
	iov_catalogue_free(&cat);
	CU_ASSERT_EQUAL_FATAL(iov_plan_build(suite, plan, &err), 0);
	res = iov_result_new("20261122T023310Z-default", path, &env, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(res);
	CU_ASSERT_EQUAL_FATAL(iov_result_add_plan(res, suite, plan, &err), 0);
	e0 = plan->experiments[0].id;
	e1 = plan->experiments[1].id;
	e2 = plan->experiments[2].id;
	CU_ASSERT_EQUAL(iov_result_experiment_begin(res, e0, &err), 0);
	for (unsigned rep = 0; rep < 3; rep++) {
		struct iov_rep_wall wall;
		struct iov_metric_set set = { 0 };

		add(&set, "throughput_bps", NULL, 100e6 * (rep + 1));
		add(&set, "throughput_bps", "g1-domain", 100e6 * (rep + 1));
		add(&set, "cpu_guest_softirq_pct", "cpu0", 10.0 + rep);
		add(&set, "qemu_cpu_s", "CPU 0/TCG", 4.5);
		CU_ASSERT_EQUAL(iov_result_add_values(res, e0, rep, &set, &err), 0);
		iov_rep_wall_init(&wall);
		wall.s[IOV_PHASE_TOPOLOGY] = rep ? 0 : 2.5;
		wall.s[IOV_PHASE_TRAFFIC] = 3.12345;
		CU_ASSERT_EQUAL(iov_result_rep_done(res, e0, rep, true, NULL, &wall, &err), 0);
		iov_metric_set_free(&set);
	}
	CU_ASSERT_EQUAL(iov_result_experiment_end(res, e0, &err), 0);
	CU_ASSERT_EQUAL(iov_result_experiment_begin(res, e1, &err), 0);
	for (unsigned rep = 0; rep < 3; rep++) {
		struct iov_metric_set set = { 0 };

		if (rep == 1) { /* this repetition measured nothing */
			CU_ASSERT_EQUAL(iov_result_rep_done(res, e1, rep, false, "iperf3 JSON: truncated", NULL, &err), 0);
			continue;
		}
		add(&set, "lat_p99_ns", NULL, 40000 + rep);
		CU_ASSERT_EQUAL(iov_result_add_values(res, e1, rep, &set, &err), 0);
		CU_ASSERT_EQUAL(iov_result_rep_done(res, e1, rep, true, NULL, NULL, &err), 0);
		iov_metric_set_free(&set);
	}
	CU_ASSERT_EQUAL(iov_result_experiment_end(res, e1, &err), 0);
	CU_ASSERT_EQUAL(iov_result_experiment_fail(res, e2, "lab: QEMU exited during boot", &err), 0);
	CU_ASSERT_EQUAL(iov_result_note(res, e0, "commands", json_pack("[s]", "iperf3 -c 10.99.0.2 -J"), &err), 0);
	CU_ASSERT_EQUAL(iov_result_note(res, NULL, "lab", json_pack("{s:i, s:i}", "vcpus", 2, "memory_mb", 2048), &err), 0);
	CU_ASSERT_EQUAL(iov_result_note(res, "nope", "x", json_true(), &err), -1);
	return res;
}

static json_t *experiment(json_t *doc, size_t i)
{
	return json_array_get(json_object_get(doc, "experiments"), i);
}

static void test_build_and_summaries(void)
{
	struct iov_suite suite;
	struct iov_plan plan;
	struct iov_result *res = build("/nonexistent/result.json", &suite, &plan);
	json_t *doc = iov_result_json(res), *e0, *tp, *sum, *lat, *rep0;
	struct iov_err err;

	if (iov_result_check(doc, &err)) {
		fprintf(stderr, "\n  %s\n", err.msg);
		CU_FAIL("check");
	}
	e0 = experiment(doc, 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(e0, "status")), "ok");
	tp = json_object_get(json_object_get(e0, "metrics"), "throughput_bps");
	CU_ASSERT_EQUAL(json_array_size(json_object_get(tp, "values")), 3);
	sum = json_object_get(tp, "summary");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(sum, "n")), 3);
	CU_ASSERT(fabs(json_real_value(json_object_get(sum, "mean")) - 200e6) < 1e-3);
	CU_ASSERT(fabs(json_real_value(json_object_get(sum, "hmean")) - 3 / (1 / 100e6 + 1 / 200e6 + 1 / 300e6)) < 1e-3);
	CU_ASSERT(fabs(json_real_value(json_object_get(sum, "stddev")) - 100e6) < 1e-3);
	CU_ASSERT(fabs(json_real_value(json_object_get(sum, "cov_pct")) - 50) < 1e-9);
	CU_ASSERT_PTR_NOT_NULL(json_object_get(json_object_get(tp, "instances"), "g1-domain"));
	/* each repetition's wall time by phase, in ms; the phases that did not run left out */
	rep0 = json_array_get(json_object_get(e0, "repetitions"), 0);
	CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(json_object_get(rep0, "wall_s"), "topology")), 2.5, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(json_object_get(rep0, "wall_s"), "traffic")), 3.123, 1e-9);
	CU_ASSERT_EQUAL(json_object_size(json_object_get(rep0, "wall_s")), 2);
	CU_ASSERT_PTR_NULL(json_object_get(json_array_get(json_object_get(experiment(doc, 1), "repetitions"), 0),
					   "wall_s"));
	/* experiment 1: repetition 1 failed: null value, summary over 2, status partial with the reason */
	lat = json_object_get(json_object_get(experiment(doc, 1), "metrics"), "lat_p99_ns");
	CU_ASSERT_TRUE(json_is_null(json_array_get(json_object_get(lat, "values"), 1)));
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(lat, "summary"), "n")), 2);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(experiment(doc, 1), "status")), "partial");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(experiment(doc, 1), "reason")),
			       "2 of 3 repetitions ok; first failure: iperf3 JSON: truncated");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(experiment(doc, 2), "status")), "failed");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(experiment(doc, 3), "status")), "pending");
	/* (6 main entries + 2 driver-anchor entries + instrumentation + mailbox + 2 VM-guest
	 * entries) x 2 NICs */
	CU_ASSERT_EQUAL(json_array_size(json_object_get(doc, "experiments")), 24);
	/* every workload parameter of each entry */
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(json_object_get(doc, "workloads"), "udp64-g2g"),
							   "udp_datagram_bytes")), 64);
	CU_ASSERT_TRUE(json_is_null(json_object_get(json_object_get(doc, "environment"), "host_kernel")));
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(json_object_get(doc, "environment"),
										 "tool_versions"), "fio")), "fio-3.33");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(json_object_get(doc, "notes"), "lab"),
							   "vcpus")), 2);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(json_object_get(e0, "notes"), "commands")), 1);
	/* API misuse is refused with a message */
	CU_ASSERT_EQUAL(iov_result_experiment_begin(res, "nope", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no experiment 'nope'"));
	CU_ASSERT_EQUAL(iov_result_experiment_begin(res, plan.experiments[0].id, &err), -1);
	CU_ASSERT_EQUAL(iov_result_rep_done(res, plan.experiments[0].id, 0, true, NULL, NULL, &err), -1);
	CU_ASSERT_EQUAL(iov_result_rep_done(res, plan.experiments[0].id, 7, true, NULL, NULL, &err), -1);
	CU_ASSERT_EQUAL(iov_result_finish(res, &err), 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(doc, "status")), "partial");
	iov_result_free(res);
	iov_plan_free(&plan);
	iov_suite_free(&suite);
}

static void test_metric_set(void)
{
	struct iov_metric_set set = { 0 };
	struct iov_err err;

	CU_ASSERT_EQUAL(iov_metric_set_add(&set, "throughput_mbps", NULL, 1, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not in the catalogue"));
	CU_ASSERT_EQUAL(iov_metric_set_add(&set, "pps", NULL, NAN, &err), -1);
	CU_ASSERT_EQUAL(iov_metric_set_add(&set, "pps", NULL, 5, &err), 0);
	CU_ASSERT_EQUAL(iov_metric_set_add(&set, "pps", "", 6, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "computed twice"));
	CU_ASSERT_EQUAL(iov_metric_set_add(&set, "pps", "g1-g2", 6, &err), 0);
	CU_ASSERT(iov_metric_set_get(&set, "pps", "g1-g2")->value == 6);
	iov_metric_set_free(&set);
}

static void test_write_load_partial_run(void)
{
	char dir[] = "/tmp/iov-result-XXXXXX", link[64], target[64], cmd[1024];
	struct iov_suite suite;
	struct iov_plan plan;
	struct iov_result *res;
	struct iov_err err;
	char *path;
	json_t *back;
	ssize_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL_FATAL(iov_run_dir_create(dir, "run-1", &path, &err), 0);
	snprintf(link, sizeof(link), "%s/latest", dir);
	/* latest never leads to a run without its document */
	CU_ASSERT_EQUAL(readlink(link, target, sizeof(target)), -1);
	CU_ASSERT_EQUAL(iov_run_latest_point(dir, "run-1", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "has no result.json"));
	CU_ASSERT_EQUAL(readlink(link, target, sizeof(target)), -1);
	res = build(path, &suite, &plan);
	/* Written while the run is still going: a valid document that says so. */
	CU_ASSERT_EQUAL_FATAL(iov_result_write(res, &err), 0);
	CU_ASSERT_EQUAL(iov_run_latest_point(dir, "run-1", &err), 0);
	back = iov_result_load(path, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(back, "status")), "running");
	CU_ASSERT_TRUE(json_equal(json_object_get(back, "experiments"),
				  json_object_get(iov_result_json(res), "experiments")));
	json_decref(back);
	n = readlink(link, target, sizeof(target) - 1);
	CU_ASSERT(n > 0);
	target[n > 0 ? n : 0] = '\0';
	CU_ASSERT_STRING_EQUAL(target, "run-1");
	/* JSON Schema validation when python3-jsonschema is there (it is in the lab recipe). */
	if (system("python3 -c 'import jsonschema' 2>/dev/null") == 0) {
		snprintf(cmd, sizeof(cmd),
			 "python3 -c 'import json,sys,jsonschema; s=json.load(open(sys.argv[1])); "
			 "jsonschema.Draft202012Validator.check_schema(s); "
			 "jsonschema.Draft202012Validator(s).validate(json.load(open(sys.argv[2])))' %s %s",
			 SCHEMA_PATH, path);
		CU_ASSERT_EQUAL(system(cmd), 0);
		CU_ASSERT_EQUAL(iov_result_finish(res, &err), 0);
		CU_ASSERT_EQUAL(iov_result_write(res, &err), 0);
		CU_ASSERT_EQUAL(system(cmd), 0);
		/* and the schema does reject: a metric without a unit suffix, a failed rep without reason */
		snprintf(cmd, sizeof(cmd),
			 "python3 -c 'import json,sys,jsonschema; s=json.load(open(sys.argv[1])); d=json.load(open(sys.argv[2]));\n"
			 "e=d[\"experiments\"][0]; e[\"metrics\"][\"throughput\"]=e[\"metrics\"][\"throughput_bps\"]\n"
			 "try: jsonschema.validate(d, s); sys.exit(1)\nexcept jsonschema.ValidationError: pass\n"
			 "del e[\"metrics\"][\"throughput\"]; d[\"experiments\"][1][\"repetitions\"][1][\"reason\"]=None\n"
			 "try: jsonschema.validate(d, s); sys.exit(1)\nexcept jsonschema.ValidationError: pass' %s %s",
			 SCHEMA_PATH, path);
		CU_ASSERT_EQUAL(system(cmd), 0);
	} else {
		fprintf(stderr, "\n  (python3 jsonschema not installed: schema validation skipped)\n");
	}
	/* A second run moves latest once its document is written, not before. */
	free(path);
	CU_ASSERT_EQUAL(iov_run_dir_create(dir, "run-2", &path, &err), 0);
	n = readlink(link, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = '\0';
	CU_ASSERT_STRING_EQUAL(target, "run-1");
	CU_ASSERT_EQUAL(iov_write_file_atomic(path, "{}", 2, &err), 0);
	CU_ASSERT_EQUAL(iov_run_latest_point(dir, "run-2", &err), 0);
	n = readlink(link, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = '\0';
	CU_ASSERT_STRING_EQUAL(target, "run-2");
	free(path);
	CU_ASSERT_EQUAL(iov_run_dir_create(dir, "run-2", &path, &err), -1); /* never overwrite a run */
	CU_ASSERT_PTR_NULL(path);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
	free(path);
	iov_result_free(res);
	iov_plan_free(&plan);
	iov_suite_free(&suite);
}

static void test_check_rejects(void)
{
	struct iov_err err;
	json_t *doc;

	CU_ASSERT_PTR_NULL(iov_result_load("/nonexistent.json", &err));
	doc = json_pack("{s:i}", "schema_version", 2);
	CU_ASSERT_EQUAL(iov_result_check(doc, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "schema_version is not 1"));
	json_decref(doc);
	doc = json_pack("{s:i, s:s, s:s, s:s, s:{}}", "schema_version", 1, "run_id", "r", "started_at", "t", "status",
			"running", "environment");
	CU_ASSERT_EQUAL(iov_result_check(doc, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "environment.qemu_version missing"));
	json_decref(doc);
}

/* The schema and the C code describe the same document: keys, metric names, units. */
static void test_schema_agrees(void)
{
	json_error_t jerr;
	json_t *schema = json_load_file(SCHEMA_PATH, 0, &jerr), *defs, *wl_props, *pattern;
	const struct iov_metric_def *defs_c;
	regex_t re;
	size_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(schema);
	defs = json_object_get(schema, "$defs");
	wl_props = json_object_get(json_object_get(defs, "workload"), "properties");
	for (int k = 0; k < IOV_KEY_COUNT; k++)
		if (!json_object_get(wl_props, iov_workload_key_name(k)))
			CU_FAIL("a workload key is missing from the schema's $defs.workload");
	CU_ASSERT_EQUAL(json_object_size(wl_props), IOV_KEY_COUNT + 1);
	pattern = json_object_get(json_object_get(defs, "metric_name"), "pattern");
	CU_ASSERT_EQUAL_FATAL(regcomp(&re, json_string_value(pattern), REG_EXTENDED | REG_NOSUB), 0);
	defs_c = iov_metric_catalogue(&n);
	for (size_t i = 0; i < n; i++) {
		if (regexec(&re, defs_c[i].name, 0, NULL, 0)) {
			fprintf(stderr, "\n  metric name without a unit suffix: %s\n", defs_c[i].name);
			CU_FAIL("metric name pattern");
		}
		for (size_t j = 0; j < i; j++)
			CU_ASSERT(strcmp(defs_c[i].name, defs_c[j].name));
	}
	CU_ASSERT_NOT_EQUAL(regexec(&re, "throughput", 0, NULL, 0), 0);
	regfree(&re);
	json_decref(schema);
}

/* results-schema/METRICS.md is generated from the catalogue. */
static void test_metrics_reference_current(void)
{
	const char *path = "../../results-schema/METRICS.md";
	struct iov_buf ref = { 0 };
	struct iov_err err;
	char *committed;

	CU_ASSERT_EQUAL_FATAL(iov_metric_reference(&ref), 0);
	if (getenv("IOV_UPDATE_REFERENCE"))
		CU_ASSERT_EQUAL(iov_write_file_atomic(path, ref.data, ref.len, &err), 0);
	committed = iov_read_file(path, NULL, &err);
	CU_ASSERT_PTR_NOT_NULL(committed);
	if (committed && strcmp(committed, ref.data))
		CU_FAIL("results-schema/METRICS.md is stale: IOV_UPDATE_REFERENCE=1 make unit");
	free(committed);
	iov_buf_free(&ref);
}

IOV_SUITE(result,
	  { "metrics: METRICS.md is current", test_metrics_reference_current },
	  { "build a run: summaries, instances, failures, pending", test_build_and_summaries },
	  { "metric sets take catalogued, finite, unique values", test_metric_set },
	  { "atomic write mid-run, load back, schema-valid, latest", test_write_load_partial_run },
	  { "check rejects broken documents", test_check_rejects },
	  { "schema agrees with the key table and catalogue", test_schema_agrees })
