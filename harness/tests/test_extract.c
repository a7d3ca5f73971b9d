// SPDX-License-Identifier: MIT
/*
 * test_extract.c - `iovbench extract` on a recorded run: data/run-extract/ is a real lab run
 * (iovbench run --workloads DIR extract-fixture, the workload file beside it: TCP at 20 Mbit/s,
 * one VF guest to the driver domain, 2 repetitions of 1 s) with its raw/ files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "extract.h"
#include "metrics.h"
#include "result.h"
#include "tests/unit.h"

/* A scratch copy of the recorded run (extract rewrites its result). */
static int copy_run(char *dir)
{
	char cmd[512];

	if (!mkdtemp(dir))
		return -1;
	snprintf(cmd, sizeof(cmd), "cp -a data/run-extract/. '%s'", dir);
	return system(cmd) ? -1 : 0;
}

static void rm_rf(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static json_t *load_doc(const char *dir)
{
	char path[512];
	struct iov_err err;
	json_t *doc;

	snprintf(path, sizeof(path), "%s/%s", dir, IOV_RESULT_FILE);
	doc = iov_result_load(path, &err);
	if (!doc)
		fprintf(stderr, "%s\n", err.msg);
	else
		json_object_del(doc, "updated_at"); /* the rewrite's time */
	return doc;
}

static size_t catalogue_size(void)
{
	size_t n;

	iov_metric_catalogue(&n);
	return n;
}

/* Every metric of the recorded document comes back the same from raw/ alone. */
static void test_reextract_same_document(void)
{
	char dir[] = "/tmp/iovbench-extract-XXXXXX", path[512];
	json_t *recorded = load_doc("data/run-extract"), *doc, *x;
	struct iov_err err = { "" };
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(recorded);
	CU_ASSERT_EQUAL_FATAL(copy_run(dir), 0);
	/* forget every value first: what comes back is recomputed, not kept */
	doc = load_doc(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	json_array_foreach(json_object_get(doc, "experiments"), i, x)
		json_object_set_new(x, "metrics", json_object());
	snprintf(path, sizeof(path), "%s/%s", dir, IOV_RESULT_FILE);
	CU_ASSERT_EQUAL_FATAL(json_dump_file(doc, path, JSON_INDENT(2)), 0);
	json_decref(doc);

	CU_ASSERT_EQUAL(iov_extract_run(dir, &err), 0);
	CU_ASSERT_STRING_EQUAL(err.msg, "");
	doc = load_doc(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT(json_object_size(json_object_get(json_array_get(json_object_get(doc, "experiments"), 0), "metrics")) > 30);
	/* the catalogue is this program's, whatever the recorded one said; the rest is the run's */
	CU_ASSERT_EQUAL(json_object_size(json_object_get(doc, "metrics")), catalogue_size());
	json_object_del(doc, "metrics");
	json_object_del(recorded, "metrics");
	CU_ASSERT_TRUE(json_equal(doc, recorded));
	json_decref(doc);
	json_decref(recorded);
	rm_rf(dir);
}

/* A repetition whose raw files are gone keeps no values; the other one's stay as recorded. */
static void test_missing_repetition(void)
{
	char dir[] = "/tmp/iovbench-extract-XXXXXX", cmd[600];
	json_t *recorded = load_doc("data/run-extract"), *doc, *m, *r;
	struct iov_err err = { "" };

	CU_ASSERT_PTR_NOT_NULL_FATAL(recorded);
	CU_ASSERT_EQUAL_FATAL(copy_run(dir), 0);
	snprintf(cmd, sizeof(cmd), "rm -r '%s/raw/extract-fixture.vf.g2d.1g/rep-2'", dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_EQUAL(iov_extract_run(dir, &err), 0);
	doc = load_doc(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	m = json_object_get(json_object_get(json_array_get(json_object_get(doc, "experiments"), 0), "metrics"),
			    "throughput_bps");
	r = json_object_get(json_object_get(json_array_get(json_object_get(recorded, "experiments"), 0), "metrics"),
			    "throughput_bps");
	CU_ASSERT_EQUAL(json_array_size(json_object_get(m, "values")), 1);
	CU_ASSERT_TRUE(json_equal(json_array_get(json_object_get(m, "values"), 0),
				  json_array_get(json_object_get(r, "values"), 0)));
	/* the repetitions' statuses are the run's */
	CU_ASSERT_TRUE(json_equal(json_object_get(json_array_get(json_object_get(doc, "experiments"), 0), "repetitions"),
				  json_object_get(json_array_get(json_object_get(recorded, "experiments"), 0), "repetitions")));
	json_decref(doc);
	json_decref(recorded);
	rm_rf(dir);
}

/* No result document: an error naming it, nothing written. */
static void test_no_result(void)
{
	char dir[] = "/tmp/iovbench-extract-XXXXXX";
	struct iov_err err = { "" };

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL(iov_extract_run(dir, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, IOV_RESULT_FILE));
	rm_rf(dir);
}

IOV_SUITE(extract, { "a recorded run re-extracts to the same document", test_reextract_same_document },
	  { "a repetition without raw files keeps no values", test_missing_repetition },
	  { "a run directory without a result is an error", test_no_result })
