// SPDX-License-Identifier: MIT
/* test_history.c - the SQLite history: recording, queries, versioned migrations, refusals. */
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history.h"
#include "result.h"
#include "tests/unit.h"

static char *temp_db(void)
{
	char *path = strdup("/tmp/iovbench-history-XXXXXX");
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	unlink(path); /* sqlite creates it */
	return path;
}

static void test_record_and_query(void)
{
	struct iov_err err = { "" };
	json_t *doc = iov_result_load("data/result-lab-tcp.json", &err);
	char *path = temp_db(), *machine;
	struct iov_history *h;
	struct iov_history_run *runs, one;
	struct iov_history_experiment *x;
	size_t n, nx, nv, nm;
	double *v;
	char **metrics;

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	h = iov_history_open(path, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(iov_history_version(h), IOV_HISTORY_SCHEMA_VERSION);
	machine = iov_history_machine(doc, "labhost");
	CU_ASSERT_PTR_NOT_NULL(strstr(machine, "labhost (") );
	CU_ASSERT_PTR_NOT_NULL(strstr(machine, "tcg"));
	CU_ASSERT_EQUAL(iov_history_add(h, doc, "r/result.json", machine, false, &err), 0);
	/* Recording the same run again is refused, naming the run and the database, unless replace. */
	CU_ASSERT_EQUAL(iov_history_add(h, doc, "r/result.json", machine, false, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "already recorded"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, json_string_value(json_object_get(doc, "run_id"))));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path));
	CU_ASSERT_EQUAL(iov_history_add(h, doc, "r/result.json", machine, true, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_history_runs(h, NULL, &runs, &n, &err), 0);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_STRING_EQUAL(runs[0].run_id, json_string_value(json_object_get(doc, "run_id")));
	CU_ASSERT_STRING_EQUAL(runs[0].accelerator, "tcg");
	CU_ASSERT_EQUAL(iov_history_find_run(h, runs[0].run_id, &one, &err), 0);
	CU_ASSERT_EQUAL(iov_history_find_run(h, "nope", &one, &err), -1);
	CU_ASSERT_EQUAL_FATAL(iov_history_experiments(h, runs[0].id, &x, &nx, &err), 0);
	CU_ASSERT_EQUAL(nx, json_array_size(json_object_get(doc, "experiments")));
	/* The values are the document's, repetition by repetition. */
	json_t *dx = json_array_get(json_object_get(doc, "experiments"), 0);
	json_t *dv = json_object_get(json_object_get(json_object_get(dx, "metrics"), "throughput_bps"), "values");
	v = iov_history_values(h, runs[0].id, json_string_value(json_object_get(dx, "id")), "throughput_bps", &nv);
	CU_ASSERT_EQUAL_FATAL(nv, json_array_size(dv));
	for (size_t i = 0; i < nv; i++)
		CU_ASSERT_DOUBLE_EQUAL(v[i], json_number_value(json_array_get(dv, i)), 1e-6);
	/* The workload's signature: its parameters without the plan's axes. */
	char *sig = iov_history_workload(h, runs[0].id, json_string_value(json_object_get(dx, "id")));
	CU_ASSERT_PTR_NOT_NULL(sig);
	CU_ASSERT_PTR_NOT_NULL(sig ? strstr(sig, "\"duration_s\":3") : NULL);
	CU_ASSERT_PTR_NULL(sig ? strstr(sig, "\"reps\"") : "");
	free(sig);
	metrics = iov_history_metrics(h, runs[0].id, json_string_value(json_object_get(dx, "id")), &nm);
	CU_ASSERT_EQUAL(nm, json_object_size(json_object_get(dx, "metrics")));
	iov_history_strings_free(metrics, nm);
	free(v);
	free(x);
	free(runs);
	/* Another machine's filter sees nothing. */
	CU_ASSERT_EQUAL(iov_history_runs(h, "elsewhere", &runs, &n, &err), 0);
	CU_ASSERT_EQUAL(n, 0);
	free(runs);
	iov_history_close(h);
	free(machine);
	json_decref(doc);
	unlink(path);
	free(path);
}

static void test_migration_from_v1(void)
{
	struct iov_err err = { "" };
	char *path = temp_db();
	struct iov_history *h = iov_history_open_version(path, 1, &err);
	struct iov_history_experiment *x;
	struct iov_history_run *runs;
	size_t n, nx, nv;
	double *v;
	sqlite3 *db;

	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(iov_history_version(h), 1);
	iov_history_close(h);
	/* What a v1 iovbench recorded: runs and samples only. */
	CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
	CU_ASSERT_EQUAL(sqlite3_exec(db,
				     "INSERT INTO runs (id, run_id, machine, started_at, status) VALUES"
				     " (1, '20260101T000000Z-default', 'm', '2026-01-01T00:00:00Z', 'complete');"
				     "INSERT INTO samples VALUES (1, 'tcp-stream.vf-inbox.g2g.2g', 'throughput_bps', 0, 1e9),"
				     " (1, 'tcp-stream.vf-inbox.g2g.2g', 'throughput_bps', 1, NULL),"
				     " (1, 'udp.x.y.v1.virtio.g2d.4g', 'pps', 0, 5);",
				     NULL, NULL, NULL),
			SQLITE_OK);
	sqlite3_close(db);
	/* Opening migrates, keeps the data and backfills the experiments. */
	h = iov_history_open(path, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(iov_history_version(h), 3);
	CU_ASSERT_EQUAL_FATAL(iov_history_runs(h, NULL, &runs, &n, &err), 0);
	CU_ASSERT(n == 1 && runs[0].accelerator[0] == '\0'); /* unknown for v1 runs, not guessed */
	CU_ASSERT_EQUAL_FATAL(iov_history_experiments(h, runs[0].id, &x, &nx, &err), 0);
	CU_ASSERT_EQUAL_FATAL(nx, 2);
	CU_ASSERT_STRING_EQUAL(x[0].entry, "tcp-stream");
	CU_ASSERT_STRING_EQUAL(x[0].nic, "vf-inbox");
	CU_ASSERT_STRING_EQUAL(x[0].pattern, "guest-to-guest");
	CU_ASSERT_EQUAL(x[0].guests, 2);
	CU_ASSERT_STRING_EQUAL(x[1].entry, "udp.x.y.v1");
	CU_ASSERT_EQUAL(x[1].guests, 4);
	v = iov_history_values(h, runs[0].id, "tcp-stream.vf-inbox.g2g.2g", "throughput_bps", &nv);
	CU_ASSERT(nv == 2 && v[0] == 1e9 && isnan(v[1]));
	CU_ASSERT_PTR_NULL(iov_history_workload(h, runs[0].id, "tcp-stream.vf-inbox.g2g.2g")); /* unknown */
	free(v);
	free(x);
	free(runs);
	iov_history_close(h);
	/* Opening again is a no-op. */
	h = iov_history_open(path, &err);
	CU_ASSERT_PTR_NOT_NULL(h);
	iov_history_close(h);
	unlink(path);
	free(path);
}

static void test_refusals(void)
{
	struct iov_err err = { "" };
	char *path = temp_db();
	struct iov_history *h;
	sqlite3 *db;

	/* A newer version than this build knows. */
	h = iov_history_open(path, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	iov_history_close(h);
	CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_exec(db, "UPDATE schema_version SET version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	CU_ASSERT_PTR_NULL(iov_history_open(path, &err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "newer"));
	unlink(path);
	/* Someone else's database: tables but no version. Left alone. */
	CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_exec(db, "CREATE TABLE runs (x); INSERT INTO runs VALUES (1)", NULL, NULL, NULL);
	sqlite3_close(db);
	CU_ASSERT_PTR_NULL(iov_history_open(path, &err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no schema_version"));
	CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	CU_ASSERT_EQUAL(sqlite3_prepare_v2(db, "SELECT x FROM runs", -1, &st, NULL), SQLITE_OK);
	CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_ROW);
	sqlite3_finalize(st);
	sqlite3_close(db);
	unlink(path);
	free(path);
}

IOV_SUITE(history, { "record a recorded result and query it back", test_record_and_query },
	  { "v1 database migrated to v2 with data kept and experiments backfilled", test_migration_from_v1 },
	  { "newer or foreign databases refused, never rebuilt", test_refusals })
