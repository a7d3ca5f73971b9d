// SPDX-License-Identifier: MIT
/* history.c - SQLite history of runs with a versioned, migrated schema (history.h). */
#include "history.h"

#include <limits.h>
#include <stdbool.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "result.h"

struct iov_history {
	sqlite3 *db;
	int version;
	char *path;
	/* The first failed read of the calls without an error argument (iov_history_check). */
	bool read_failed;
	struct iov_err read_err;
};

/* A query that failed: the file and SQLite's message, in err and kept for iov_history_check. */
static void db_fail(struct iov_history *h, struct iov_err *err)
{
	if (!h->read_failed) {
		iov_err_set(&h->read_err, "history %s: cannot read: %s", h->path, sqlite3_errmsg(h->db));
		h->read_failed = true;
	}
	iov_err_set(err, "history %s: cannot read: %s", h->path, sqlite3_errmsg(h->db));
}

int iov_history_check(struct iov_history *h, struct iov_err *err)
{
	if (!h->read_failed)
		return 0;
	*err = h->read_err;
	return -1;
}

static const char schema_v1[] =
	"CREATE TABLE runs (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL UNIQUE, machine TEXT NOT NULL,"
	" started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, git_revision TEXT, suite TEXT,"
	" result_path TEXT);"
	"CREATE TABLE samples (run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" experiment TEXT NOT NULL, metric TEXT NOT NULL, rep INTEGER NOT NULL, value REAL,"
	" PRIMARY KEY (run, experiment, metric, rep));"
	"CREATE INDEX samples_by_metric ON samples (metric, experiment);";

static const char schema_v2[] =
	"ALTER TABLE runs ADD COLUMN accelerator TEXT;"
	"CREATE TABLE experiments (run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" id TEXT NOT NULL, entry TEXT NOT NULL, nic TEXT NOT NULL, pattern TEXT NOT NULL,"
	" guests INTEGER NOT NULL, status TEXT, PRIMARY KEY (run, id));";

static int exec_sql(sqlite3 *db, const char *sql, struct iov_err *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		iov_err_set(err, "history: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static const char schema_v3[] = "ALTER TABLE experiments ADD COLUMN workload TEXT;";

/* The "Ng" of an old experiment id: N guests, 1..99. */
static bool guests_field(const char *s, int *n)
{
	char digits[4];
	size_t nd = strspn(s, "0123456789");

	if (!nd || nd >= sizeof(digits) || strcmp(s + nd, "g"))
		return false;
	memcpy(digits, s, nd);
	digits[nd] = '\0';
	return !iov_parse_int(digits, 1, 99, n);
}

/* v1 ids are "ENTRY.NIC.g2g|g2d.Ng": the experiments table of v2 is filled from them. */
static int backfill_experiments(sqlite3 *db, struct iov_err *err)
{
	sqlite3_stmt *sel = NULL, *ins = NULL;
	int rc = -1, step;

	if (sqlite3_prepare_v2(db, "SELECT DISTINCT run, experiment FROM samples", -1, &sel, NULL) ||
	    sqlite3_prepare_v2(db,
			       "INSERT OR IGNORE INTO experiments (run, id, entry, nic, pattern, guests, status)"
			       " VALUES (?, ?, ?, ?, ?, ?, NULL)",
			       -1, &ins, NULL)) {
		iov_err_set(err, "history: %s", sqlite3_errmsg(db));
		goto out;
	}
	while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(sel, 1);
		char buf[256], *parts[4];
		int k = 3, guests = 0;

		snprintf(buf, sizeof(buf), "%s", id);
		/* Split from the right: entry names may hold dots, the last three fields do not. */
		for (char *dot; k > 0 && (dot = strrchr(buf, '.')); k--) {
			*dot = '\0';
			parts[k] = dot + 1;
		}
		parts[0] = buf;
		if (k || !guests_field(parts[3], &guests)) {
			iov_err_set(err, "history: cannot migrate experiment id '%s' (want ENTRY.NIC.g2g.Ng)", id);
			goto out;
		}
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, sqlite3_column_int64(sel, 0));
		sqlite3_bind_text(ins, 2, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 3, parts[0], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 4, parts[1], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 5, !strcmp(parts[2], "g2g") ? "guest-to-guest" : "guest-to-domain", -1,
				  SQLITE_STATIC);
		sqlite3_bind_int(ins, 6, guests);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			iov_err_set(err, "history: %s", sqlite3_errmsg(db));
			goto out;
		}
	}
	rc = step == SQLITE_DONE ? 0 : -1;
	if (rc)
		iov_err_set(err, "history: %s", sqlite3_errmsg(db));
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	return rc;
}

/* Migration step to version i + 1: SQL, then an optional data step. */
static const struct {
	const char *sql;
	int (*data)(sqlite3 *db, struct iov_err *err);
} migrations[IOV_HISTORY_SCHEMA_VERSION] = {
	{ schema_v1, NULL },
	{ schema_v2, backfill_experiments },
	{ schema_v3, NULL },
};

static int read_version(sqlite3 *db, int *version, struct iov_err *err)
{
	sqlite3_stmt *st;
	int tables = 0, has_version = 0;

	if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &st, NULL)) {
		iov_err_set(err, "history: %s", sqlite3_errmsg(db));
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		tables++;
		has_version |= !strcmp((const char *)sqlite3_column_text(st, 0), "schema_version");
	}
	sqlite3_finalize(st);
	if (!tables) {
		*version = 0;
		return 0;
	}
	if (!has_version) {
		iov_err_set(err, "history: the database has tables but no schema_version: not an iovbench history "
				 "(refusing to touch it)");
		return -1;
	}
	if (sqlite3_prepare_v2(db, "SELECT version FROM schema_version", -1, &st, NULL) ||
	    sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		iov_err_set(err, "history: schema_version is empty");
		return -1;
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

struct iov_history *iov_history_open_version(const char *path, int target, struct iov_err *err)
{
	struct iov_history *h = calloc(1, sizeof(*h));
	char sql[256];

	if (!h || !(h->path = strdup(path))) {
		free(h);
		iov_err_set(err, "history %s: out of memory", path);
		return NULL;
	}
	if (sqlite3_open(path, &h->db) != SQLITE_OK) {
		iov_err_set(err, "history %s: %s", path, sqlite3_errmsg(h->db));
		goto fail;
	}
	sqlite3_busy_timeout(h->db, 10000); /* concurrent runs recording at the same time */
	if (exec_sql(h->db, "PRAGMA foreign_keys = ON", err) || read_version(h->db, &h->version, err))
		goto fail_prefix;
	if (h->version > IOV_HISTORY_SCHEMA_VERSION) {
		iov_err_set(err, "history: database schema version %d is newer than this iovbench's %d: update iovbench",
			    h->version, IOV_HISTORY_SCHEMA_VERSION);
		goto fail_prefix;
	}
	while (h->version < target) {
		int to = h->version + 1;

		if (exec_sql(h->db, "BEGIN IMMEDIATE", err))
			goto fail_prefix;
		/* Another process may have migrated while this one waited for the lock. */
		if (read_version(h->db, &h->version, err) || h->version >= to) {
			exec_sql(h->db, "ROLLBACK", NULL);
			if (h->version >= to)
				continue;
			goto fail_prefix;
		}
		snprintf(sql, sizeof(sql), "%s; UPDATE schema_version SET version = %d",
			 to == 1 ? "CREATE TABLE schema_version (version INTEGER NOT NULL); "
				   "INSERT INTO schema_version VALUES (0)"
				 : "SELECT 1",
			 to);
		if (exec_sql(h->db, migrations[to - 1].sql, err) || exec_sql(h->db, sql, err) ||
		    (migrations[to - 1].data && migrations[to - 1].data(h->db, err))) {
			exec_sql(h->db, "ROLLBACK", NULL);
			iov_err_prefix(err, "migrating to schema version %d", to);
			goto fail_prefix;
		}
		if (exec_sql(h->db, "COMMIT", err))
			goto fail_prefix;
		h->version = to;
	}
	return h;
fail_prefix:
	iov_err_prefix(err, "%s", path);
fail:
	iov_history_close(h);
	return NULL;
}

struct iov_history *iov_history_open(const char *path, struct iov_err *err)
{
	return iov_history_open_version(path, IOV_HISTORY_SCHEMA_VERSION, err);
}

void iov_history_close(struct iov_history *h)
{
	if (!h)
		return;
	sqlite3_close(h->db);
	free(h->path);
	free(h);
}

int iov_history_version(struct iov_history *h)
{
	return h->version;
}

char *iov_history_machine(json_t *doc, const char *host)
{
	json_t *env = json_object_get(doc, "environment");
	char hostname[HOST_NAME_MAX + 1] = "unknown-host", *out = NULL;

	if (host)
		snprintf(hostname, sizeof(hostname), "%s", host);
	else if (gethostname(hostname, sizeof(hostname)) == 0)
		hostname[HOST_NAME_MAX] = '\0';
	if (asprintf(&out, "%s (%s, %lld cores, %s)", hostname, iov_jstr(env, "host_cpu_model") ?: "unknown CPU",
		     (long long)json_integer_value(json_object_get(env, "host_cores")),
		     iov_jstr(env, "accelerator") ?: "unknown accelerator") < 0)
		return NULL;
	return out;
}

static int bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

static int step_done(struct iov_history *h, sqlite3_stmt *st, struct iov_err *err)
{
	if (sqlite3_step(st) != SQLITE_DONE) {
		iov_err_set(err, "history %s: %s", h->path, sqlite3_errmsg(h->db));
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

static int add_experiment(struct iov_history *h, sqlite3_int64 run, json_t *doc, json_t *x, sqlite3_stmt *ins_x,
			  sqlite3_stmt *ins_s, struct iov_err *err)
{
	char *signature = iov_workload_signature(doc, iov_jstr(x, "entry") ?: "");
	const char *metric;
	json_t *m;

	sqlite3_bind_int64(ins_x, 1, run);
	bind_text_or_null(ins_x, 2, iov_jstr(x, "id"));
	bind_text_or_null(ins_x, 3, iov_jstr(x, "entry"));
	bind_text_or_null(ins_x, 4, iov_jstr(x, "nic"));
	bind_text_or_null(ins_x, 5, iov_jstr(x, "pattern"));
	sqlite3_bind_int64(ins_x, 6, json_integer_value(json_object_get(x, "guests")));
	bind_text_or_null(ins_x, 7, iov_jstr(x, "status"));
	bind_text_or_null(ins_x, 8, signature);
	free(signature);
	if (step_done(h, ins_x, err))
		return -1;
	json_object_foreach(json_object_get(x, "metrics"), metric, m) {
		size_t rep;
		json_t *v;

		json_array_foreach(json_object_get(m, "values"), rep, v) {
			sqlite3_bind_int64(ins_s, 1, run);
			bind_text_or_null(ins_s, 2, iov_jstr(x, "id"));
			sqlite3_bind_text(ins_s, 3, metric, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(ins_s, 4, (sqlite3_int64)rep);
			if (json_is_number(v))
				sqlite3_bind_double(ins_s, 5, json_number_value(v));
			else
				sqlite3_bind_null(ins_s, 5);
			if (step_done(h, ins_s, err))
				return -1;
		}
	}
	return 0;
}

int iov_history_add(struct iov_history *h, json_t *doc, const char *result_path, const char *machine, bool replace,
		    struct iov_err *err)
{
	sqlite3_stmt *del = NULL, *ins_run = NULL, *ins_x = NULL, *ins_s = NULL;
	const char *run_id = iov_jstr(doc, "run_id");
	json_t *env = json_object_get(doc, "environment"), *x;
	sqlite3_int64 run;
	size_t i;
	int rc = -1;

	if (h->version != IOV_HISTORY_SCHEMA_VERSION) {
		iov_err_set(err, "history: schema version %d, recording needs %d", h->version,
			    IOV_HISTORY_SCHEMA_VERSION);
		return -1;
	}
	if (!run_id || !iov_jstr(doc, "started_at") || !iov_jstr(doc, "status") || !json_is_array(json_object_get(doc, "experiments"))) {
		iov_err_set(err, "history: not a result document (run_id, started_at, status, experiments)");
		return -1;
	}
	if (exec_sql(h->db, "BEGIN IMMEDIATE", err)) {
		iov_err_prefix(err, "%s: run %s not recorded", h->path, run_id);
		return -1;
	}
	if (!replace) {
		struct iov_history_run old;
		struct iov_err ferr;

		if (!iov_history_find_run(h, run_id, &old, &ferr)) {
			iov_err_set(err, "history %s: run %s is already recorded (from %s); --replace replaces it",
				    h->path, run_id, old.result_path[0] ? old.result_path : "?");
			exec_sql(h->db, "ROLLBACK", NULL);
			return -1;
		}
		if (h->read_failed) {
			*err = ferr;
			exec_sql(h->db, "ROLLBACK", NULL);
			return -1;
		}
	}
	if (sqlite3_prepare_v2(h->db, "DELETE FROM runs WHERE run_id = ?", -1, &del, NULL) ||
	    sqlite3_prepare_v2(h->db,
			       "INSERT INTO runs (run_id, machine, started_at, finished_at, status, git_revision, suite,"
			       " result_path, accelerator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       -1, &ins_run, NULL) ||
	    sqlite3_prepare_v2(h->db,
			       "INSERT INTO experiments (run, id, entry, nic, pattern, guests, status, workload)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			       -1, &ins_x, NULL) ||
	    sqlite3_prepare_v2(h->db, "INSERT INTO samples VALUES (?, ?, ?, ?, ?)", -1, &ins_s, NULL)) {
		iov_err_set(err, "history %s: %s", h->path, sqlite3_errmsg(h->db));
		goto out;
	}
	sqlite3_bind_text(del, 1, run_id, -1, SQLITE_TRANSIENT);
	if (step_done(h, del, err))
		goto out;
	sqlite3_bind_text(ins_run, 1, run_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins_run, 2, machine, -1, SQLITE_TRANSIENT);
	bind_text_or_null(ins_run, 3, iov_jstr(doc, "started_at"));
	bind_text_or_null(ins_run, 4, iov_jstr(doc, "finished_at"));
	bind_text_or_null(ins_run, 5, iov_jstr(doc, "status"));
	bind_text_or_null(ins_run, 6, iov_jstr(env, "git_revision"));
	bind_text_or_null(ins_run, 7, iov_jstr(json_object_get(doc, "suite"), "name"));
	bind_text_or_null(ins_run, 8, result_path);
	bind_text_or_null(ins_run, 9, iov_jstr(env, "accelerator"));
	if (step_done(h, ins_run, err))
		goto out;
	run = sqlite3_last_insert_rowid(h->db);
	json_array_foreach(json_object_get(doc, "experiments"), i, x)
		if (add_experiment(h, run, doc, x, ins_x, ins_s, err))
			goto out;
	rc = 0;
out:
	sqlite3_finalize(del);
	sqlite3_finalize(ins_run);
	sqlite3_finalize(ins_x);
	sqlite3_finalize(ins_s);
	if (exec_sql(h->db, rc ? "ROLLBACK" : "COMMIT", rc ? NULL : err)) {
		iov_err_prefix(err, "%s: run %s not recorded", h->path, run_id);
		rc = -1;
	}
	return rc;
}

int iov_history_record(const char *out_dir, json_t *doc, struct iov_err *err)
{
	char *db_path = NULL, *result_path = NULL, *machine = iov_history_machine(doc, NULL);
	struct iov_history *h = NULL;
	int rc = -1;

	if (!machine || asprintf(&db_path, "%s/" IOV_HISTORY_FILE, out_dir) < 0 ||
	    asprintf(&result_path, "%s/%s/result.json", out_dir, iov_jstr(doc, "run_id") ?: "") < 0) {
		iov_err_set(err, "history: out of memory");
		db_path = result_path = NULL;
		goto out;
	}
	h = iov_history_open(db_path, err);
	if (h)
		rc = iov_history_add(h, doc, result_path, machine, false, err);
out:
	iov_history_close(h);
	free(machine);
	free(db_path);
	free(result_path);
	return rc;
}

static void col(sqlite3_stmt *st, int i, char *dst, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	iov_strlcpy(dst, t ? (const char *)t : "", size);
}

static void run_from_row(sqlite3_stmt *st, struct iov_history_run *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	col(st, 1, r->run_id, sizeof(r->run_id));
	col(st, 2, r->machine, sizeof(r->machine));
	col(st, 3, r->started_at, sizeof(r->started_at));
	col(st, 4, r->status, sizeof(r->status));
	col(st, 5, r->git_revision, sizeof(r->git_revision));
	col(st, 6, r->suite, sizeof(r->suite));
	col(st, 7, r->accelerator, sizeof(r->accelerator));
	col(st, 8, r->result_path, sizeof(r->result_path));
}

#define RUN_COLUMNS "id, run_id, machine, started_at, status, git_revision, suite, accelerator, result_path"

int iov_history_runs(struct iov_history *h, const char *machine, struct iov_history_run **runs, size_t *n,
		     struct iov_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int step;

	*runs = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(h->db,
			       "SELECT " RUN_COLUMNS " FROM runs WHERE ?1 IS NULL OR machine = ?1"
			       " ORDER BY started_at, run_id",
			       -1, &st, NULL)) {
		db_fail(h, err);
		return -1;
	}
	bind_text_or_null(st, 1, machine);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (iov_grow(runs, *n, &cap, sizeof(**runs))) {
			sqlite3_finalize(st);
			free(*runs);
			*runs = NULL;
			*n = 0;
			iov_err_set(err, "history: out of memory");
			return -1;
		}
		run_from_row(st, &(*runs)[(*n)++]);
	}
	if (step != SQLITE_DONE) {
		db_fail(h, err);
		sqlite3_finalize(st);
		free(*runs);
		*runs = NULL;
		*n = 0;
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

int iov_history_find_run(struct iov_history *h, const char *run_id, struct iov_history_run *run,
			 struct iov_err *err)
{
	sqlite3_stmt *st;
	int rc = -1, step;

	if (sqlite3_prepare_v2(h->db, "SELECT " RUN_COLUMNS " FROM runs WHERE run_id = ?", -1, &st, NULL)) {
		db_fail(h, err);
		return -1;
	}
	sqlite3_bind_text(st, 1, run_id, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		run_from_row(st, run);
		rc = 0;
	} else if (step == SQLITE_DONE) {
		iov_err_set(err, "history %s: no run %s", h->path, run_id);
	} else {
		db_fail(h, err);
	}
	sqlite3_finalize(st);
	return rc;
}

int iov_history_experiments(struct iov_history *h, long long run, struct iov_history_experiment **x, size_t *n,
			    struct iov_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int step;

	*x = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(h->db, "SELECT id, entry, nic, pattern, guests FROM experiments WHERE run = ? ORDER BY id",
			       -1, &st, NULL)) {
		db_fail(h, err);
		return -1;
	}
	sqlite3_bind_int64(st, 1, run);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct iov_history_experiment *e;

		if (iov_grow(x, *n, &cap, sizeof(**x))) {
			sqlite3_finalize(st);
			free(*x);
			*x = NULL;
			*n = 0;
			iov_err_set(err, "history: out of memory");
			return -1;
		}
		e = &(*x)[(*n)++];
		col(st, 0, e->id, sizeof(e->id));
		col(st, 1, e->entry, sizeof(e->entry));
		col(st, 2, e->nic, sizeof(e->nic));
		col(st, 3, e->pattern, sizeof(e->pattern));
		e->guests = sqlite3_column_int(st, 4);
	}
	if (step != SQLITE_DONE) {
		db_fail(h, err);
		sqlite3_finalize(st);
		free(*x);
		*x = NULL;
		*n = 0;
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

double *iov_history_values(struct iov_history *h, long long run, const char *experiment, const char *metric,
			   size_t *n)
{
	sqlite3_stmt *st;
	double *v = NULL;
	size_t cap = 0;
	int step;

	*n = 0;
	if (sqlite3_prepare_v2(h->db,
			       "SELECT value FROM samples WHERE run = ? AND experiment = ? AND metric = ? ORDER BY rep",
			       -1, &st, NULL)) {
		db_fail(h, NULL);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, experiment, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, metric, -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (iov_grow(&v, *n, &cap, sizeof(*v)))
			break;
		v[(*n)++] = sqlite3_column_type(st, 0) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 0);
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		db_fail(h, NULL);
		*n = 0;
	}
	sqlite3_finalize(st);
	if (!*n) {
		free(v);
		v = NULL;
	}
	return v;
}

char *iov_history_workload(struct iov_history *h, long long run, const char *experiment)
{
	sqlite3_stmt *st;
	char *out = NULL;
	int step;

	if (sqlite3_prepare_v2(h->db, "SELECT workload FROM experiments WHERE run = ? AND id = ?", -1, &st, NULL)) {
		db_fail(h, NULL);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, experiment, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		out = strdup((const char *)sqlite3_column_text(st, 0));
	else if (step != SQLITE_ROW && step != SQLITE_DONE)
		db_fail(h, NULL);
	sqlite3_finalize(st);
	return out;
}

char **iov_history_metrics(struct iov_history *h, long long run, const char *experiment, size_t *n)
{
	sqlite3_stmt *st;
	char **s = NULL;
	size_t cap = 0;
	int step;

	*n = 0;
	if (sqlite3_prepare_v2(h->db,
			       "SELECT DISTINCT metric FROM samples WHERE run = ? AND experiment = ? ORDER BY metric", -1,
			       &st, NULL)) {
		db_fail(h, NULL);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, experiment, -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (iov_grow(&s, *n, &cap, sizeof(*s)))
			break;
		s[(*n)++] = strdup((const char *)sqlite3_column_text(st, 0));
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		db_fail(h, NULL);
	sqlite3_finalize(st);
	return s;
}

void iov_history_strings_free(char **s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

int iov_history_print_runs(struct iov_history *h, FILE *f, const char *machine, struct iov_err *err)
{
	sqlite3_stmt *st;
	int step;

	if (sqlite3_prepare_v2(h->db,
			       "SELECT r.run_id, r.started_at, r.status, r.git_revision, r.machine,"
			       " (SELECT count(*) FROM experiments e WHERE e.run = r.id),"
			       " (SELECT count(*) FROM samples s WHERE s.run = r.id)"
			       " FROM runs r WHERE ?1 IS NULL OR r.machine = ?1 ORDER BY r.started_at, r.run_id",
			       -1, &st, NULL)) {
		db_fail(h, err);
		return -1;
	}
	bind_text_or_null(st, 1, machine);
	fprintf(f, "%-36s %-20s %-9s %-16s %5s %7s  %s\n", "run", "started", "status", "git", "exps", "values",
		"machine");
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		fprintf(f, "%-36s %-20s %-9s %-16s %5d %7d  %s\n", sqlite3_column_text(st, 0),
			sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
			sqlite3_column_text(st, 3) ? (const char *)sqlite3_column_text(st, 3) : "-",
			sqlite3_column_int(st, 5), sqlite3_column_int(st, 6), sqlite3_column_text(st, 4));
	if (step != SQLITE_DONE) {
		db_fail(h, err);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}
