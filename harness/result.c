// SPDX-License-Identifier: MIT
/* result.c - build, update, write atomically, load and check the per-run result document. */
#include "result.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guests/guests.h"
#include "stats.h"

struct iov_result {
	json_t *doc;
	char *path;
};

static void timestamp(char *buf, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *json_now(void)
{
	char ts[32];

	timestamp(ts, sizeof(ts));
	return json_string(ts);
}

/* NULL-safe string: absent environment facts are recorded as null, never invented. */
static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

void iov_run_id_format(char *buf, size_t size, time_t when, const char *suite)
{
	struct tm tm;
	char ts[32];

	gmtime_r(&when, &tm);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(buf, size, "%s-%s", ts, suite);
}

int iov_run_dir_create(const char *out_dir, const char *run_id, char **result_path, struct iov_err *err)
{
	char dir[PATH_MAX];

	*result_path = NULL;
	if (iov_path_join(dir, sizeof(dir), out_dir, run_id)) {
		iov_err_set(err, "%s/%s: path too long", out_dir, run_id);
		return -1;
	}
	if (mkdir(out_dir, 0755) && errno != EEXIST) {
		iov_err_set(err, "%s: %s", out_dir, strerror(errno));
		return -1;
	}
	if (mkdir(dir, 0755)) {
		iov_err_set(err, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (asprintf(result_path, "%s/%s", dir, IOV_RESULT_FILE) < 0) {
		*result_path = NULL;
		iov_err_set(err, "out of memory");
		return -1;
	}
	return 0;
}

int iov_run_latest_point(const char *out_dir, const char *run_id, struct iov_err *err)
{
	char result[PATH_MAX], link[PATH_MAX], tmp[PATH_MAX];
	struct stat st;

	if (iov_path_join(link, sizeof(link), out_dir, "latest") ||
	    snprintf(result, sizeof(result), "%s/%s/%s", out_dir, run_id, IOV_RESULT_FILE) >= (int)sizeof(result) ||
	    snprintf(tmp, sizeof(tmp), "%s/.latest.%ld", out_dir, (long)getpid()) >= (int)sizeof(tmp)) {
		iov_err_set(err, "%s: path too long", out_dir);
		return -1;
	}
	/* latest always leads to a result: a run whose document was never written keeps the old link */
	if (stat(result, &st) || !S_ISREG(st.st_mode)) {
		iov_err_set(err, "%s: not pointed at %s, which has no %s", link, run_id, IOV_RESULT_FILE);
		return -1;
	}
	/* New symlink beside the old one, renamed over it: readers see the old or the new run. */
	unlink(tmp);
	if (symlink(run_id, tmp) || rename(tmp, link)) {
		iov_err_set(err, "%s: cannot point at %s: %s", link, run_id, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static json_t *catalogue_json(void)
{
	json_t *metrics = json_object();
	size_t n;
	const struct iov_metric_def *defs = iov_metric_catalogue(&n);

	for (size_t i = 0; i < n; i++)
		json_object_set_new(metrics, defs[i].name,
				    json_pack("{s:s, s:s, s:s, s:s}", "unit", defs[i].unit, "better",
					      iov_better_name(defs[i].better), "source", defs[i].source,
					      "description", defs[i].description));
	return metrics;
}

struct iov_result *iov_result_new(const char *run_id, const char *path, const struct iov_env *env,
				  struct iov_err *err)
{
	struct iov_result *res = calloc(1, sizeof(*res));
	json_t *drivers = json_object(), *tools = json_object(), *environment;

	if (!res || !drivers || !tools)
		goto oom;
	for (size_t i = 0; i < env->ndrivers; i++)
		json_object_set_new(drivers, env->drivers[i].name, str_or_null(env->drivers[i].version));
	for (size_t i = 0; i < env->ntools; i++)
		json_object_set_new(tools, env->tools[i].name, str_or_null(env->tools[i].version));
	environment = json_object();
	json_object_set_new(environment, "qemu_version", str_or_null(env->qemu_version));
	json_object_set_new(environment, "accelerator", str_or_null(env->accelerator));
	json_object_set_new(environment, "guest_kernel", str_or_null(env->guest_kernel));
	json_object_set_new(environment, "host_kernel", str_or_null(env->host_kernel));
	json_object_set_new(environment, "host_cpu_model", str_or_null(env->host_cpu_model));
	json_object_set_new(environment, "host_cores", env->host_cores ? json_integer(env->host_cores) : json_null());
	json_object_set_new(environment, "git_revision", str_or_null(env->git_revision));
	json_object_set_new(environment, "driver_versions", drivers);
	json_object_set_new(environment, "tool_versions", tools);
	drivers = tools = NULL;
	json_object_set_new(environment, "command_line", str_or_null(env->command_line));

	res->path = strdup(path);
	res->doc = json_object();
	if (!res->path || !res->doc) {
		json_decref(environment);
		goto oom;
	}
	json_object_set_new(res->doc, "schema_version", json_integer(IOV_RESULT_SCHEMA_VERSION));
	json_object_set_new(res->doc, "run_id", json_string(run_id));
	json_object_set_new(res->doc, "status", json_string("running"));
	json_object_set_new(res->doc, "started_at", json_now());
	json_object_set_new(res->doc, "updated_at", json_now());
	json_object_set_new(res->doc, "finished_at", json_null());
	json_object_set_new(res->doc, "suite", json_null());
	json_object_set_new(res->doc, "environment", environment);
	json_object_set_new(res->doc, "metrics", catalogue_json());
	json_object_set_new(res->doc, "workloads", json_object());
	json_object_set_new(res->doc, "experiments", json_array());
	json_object_set_new(res->doc, "notes", json_object());
	return res;
oom:
	json_decref(drivers);
	json_decref(tools);
	iov_result_free(res);
	iov_err_set(err, "result: out of memory");
	return NULL;
}

struct iov_result *iov_result_open(const char *path, struct iov_err *err)
{
	struct iov_result *res = calloc(1, sizeof(*res));

	if (!res || !(res->path = strdup(path))) {
		free(res);
		iov_err_set(err, "out of memory");
		return NULL;
	}
	res->doc = iov_result_load(path, err);
	if (!res->doc) {
		iov_result_free(res);
		return NULL;
	}
	return res;
}

void iov_result_free(struct iov_result *res)
{
	if (!res)
		return;
	json_decref(res->doc);
	free(res->path);
	free(res);
}

json_t *iov_result_json(const struct iov_result *res)
{
	return res->doc;
}

int iov_result_add_plan(struct iov_result *res, const struct iov_suite *suite, const struct iov_plan *plan,
			struct iov_err *err)
{
	json_t *workloads = json_object_get(res->doc, "workloads");
	json_t *experiments = json_object_get(res->doc, "experiments");

	json_object_set_new(res->doc, "suite", json_pack("{s:s, s:s}", "name", suite->name, "description",
							 suite->description));
	for (size_t i = 0; i < suite->n; i++)
		json_object_set_new(workloads, suite->entries[i].name, iov_workload_to_json(&suite->entries[i].workload));
	for (size_t i = 0; i < plan->n; i++) {
		const struct iov_experiment *x = &plan->experiments[i];
		json_t *e = json_object();

		json_object_set_new(e, "id", json_string(x->id));
		json_object_set_new(e, "entry", json_string(x->entry->name));
		json_object_set_new(e, "workload", json_string(x->workload->name));
		json_object_set_new(e, "nic", json_string(iov_nic_name(x->nic)));
		json_object_set_new(e, "pattern", json_string(iov_pattern_name(x->pattern)));
		json_object_set_new(e, "guest_kind", json_string(iov_guest_kind(x->workload->guest_kind)->name));
		json_object_set_new(e, "guests", json_integer(x->guests));
		json_object_set_new(e, "reps_planned", json_integer(x->workload->reps));
		json_object_set_new(e, "duration_s", json_integer(x->workload->duration_s));
		json_object_set_new(e, "status", json_string("pending"));
		json_object_set_new(e, "reason", json_null());
		json_object_set_new(e, "started_at", json_null());
		json_object_set_new(e, "finished_at", json_null());
		json_object_set_new(e, "repetitions", json_array());
		json_object_set_new(e, "metrics", json_object());
		json_object_set_new(e, "notes", json_object());
		if (json_array_append_new(experiments, e)) {
			iov_err_set(err, "result: out of memory");
			return -1;
		}
	}
	return 0;
}

static json_t *find_experiment(struct iov_result *res, const char *exp_id, struct iov_err *err)
{
	json_t *experiments = json_object_get(res->doc, "experiments"), *e;
	size_t i;

	json_array_foreach(experiments, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "id")), exp_id))
			return e;
	iov_err_set(err, "result: no experiment '%s' in the plan", exp_id);
	return NULL;
}

static void set_status(json_t *e, const char *status, const char *reason)
{
	json_object_set_new(e, "status", json_string(status));
	json_object_set_new(e, "reason", str_or_null(reason));
}

int iov_result_experiment_begin(struct iov_result *res, const char *exp_id, struct iov_err *err)
{
	json_t *e = find_experiment(res, exp_id, err);

	if (!e)
		return -1;
	if (strcmp(json_string_value(json_object_get(e, "status")), "pending")) {
		iov_err_set(err, "result: experiment %s already started", exp_id);
		return -1;
	}
	set_status(e, "running", NULL);
	json_object_set_new(e, "started_at", json_now());
	return 0;
}

static json_t *number_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *summary_json(json_t *values)
{
	size_t n = json_array_size(values), i;
	double *v = malloc((n ? n : 1) * sizeof(*v));
	struct iov_summary s;
	json_t *item;

	if (!v)
		return NULL;
	json_array_foreach(values, i, item)
		v[i] = json_is_number(item) ? json_number_value(item) : NAN;
	iov_summarize(v, n, &s);
	free(v);
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "n", (json_int_t)s.n, "min", number_or_null(s.min),
			 "mean", number_or_null(s.mean), "hmean", number_or_null(s.hmean), "stddev",
			 number_or_null(s.stddev), "cov_pct", number_or_null(s.cov_pct), "max", number_or_null(s.max));
}

/* series = {"values": [...], "summary": {...}}: set values[rep], padding with null. */
static int series_set(json_t *series, unsigned rep, double value)
{
	json_t *values = json_object_get(series, "values"), *summary;

	while (json_array_size(values) <= rep)
		if (json_array_append_new(values, json_null()))
			return -1;
	if (json_array_set_new(values, rep, json_real(value)))
		return -1;
	summary = summary_json(values);
	return summary ? json_object_set_new(series, "summary", summary) : -1;
}

static json_t *series_get(json_t *parent, const char *key)
{
	json_t *s = json_object_get(parent, key);

	if (!s) {
		json_t *values = json_array();

		/* A metric recorded only per instance still has a (empty) top-level series. */
		s = json_pack("{s:o, s:o*}", "values", values, "summary", summary_json(values));
		if (!s || json_object_set_new(parent, key, s) || !json_object_get(s, "summary"))
			return NULL;
	}
	return s;
}

int iov_result_add_values(struct iov_result *res, const char *exp_id, unsigned rep,
			  const struct iov_metric_set *set, struct iov_err *err)
{
	json_t *e = find_experiment(res, exp_id, err), *metrics;

	if (!e)
		return -1;
	if (rep >= json_integer_value(json_object_get(e, "reps_planned"))) {
		iov_err_set(err, "result: %s: repetition %u beyond the %lld planned", exp_id, rep,
			    (long long)json_integer_value(json_object_get(e, "reps_planned")));
		return -1;
	}
	metrics = json_object_get(e, "metrics");
	for (size_t i = 0; i < set->n; i++) {
		const struct iov_metric_value *v = &set->v[i];
		json_t *metric = series_get(metrics, v->def->name), *series = metric;

		if (metric && v->instance[0]) {
			json_t *instances = json_object_get(metric, "instances");

			if (!instances) {
				instances = json_object();
				json_object_set_new(metric, "instances", instances);
			}
			series = series_get(instances, v->instance);
		}
		if (!series || series_set(series, rep, v->value)) {
			iov_err_set(err, "result: out of memory");
			return -1;
		}
	}
	return 0;
}

int iov_result_refresh_catalogue(struct iov_result *res, struct iov_err *err)
{
	json_t *c = catalogue_json();

	if (!c || json_object_set_new(res->doc, "metrics", c)) {
		iov_err_set(err, "result: out of memory");
		return -1;
	}
	return 0;
}

int iov_result_clear_values(struct iov_result *res, const char *exp_id, struct iov_err *err)
{
	json_t *e = find_experiment(res, exp_id, err);

	if (!e)
		return -1;
	if (json_object_set_new(e, "metrics", json_object())) {
		iov_err_set(err, "result: out of memory");
		return -1;
	}
	return 0;
}

const char *const iov_rep_phase_names[IOV_PHASE_COUNT] = {
	[IOV_PHASE_TOPOLOGY] = "topology",	       [IOV_PHASE_SNAPSHOT_BEFORE] = "snapshot_before",
	[IOV_PHASE_TRAFFIC] = "traffic",	       [IOV_PHASE_SNAPSHOT_AFTER] = "snapshot_after",
	[IOV_PHASE_FETCH] = "fetch",		       [IOV_PHASE_EXTRACT] = "extract",
};

void iov_rep_wall_init(struct iov_rep_wall *w)
{
	for (int i = 0; i < IOV_PHASE_COUNT; i++)
		w->s[i] = -1;
}

static json_t *wall_json(const struct iov_rep_wall *w)
{
	json_t *o = json_object();

	for (int i = 0; o && i < IOV_PHASE_COUNT; i++)
		/* ms resolution: the phases take from milliseconds to a minute */
		if (w->s[i] >= 0 && json_object_set_new(o, iov_rep_phase_names[i], json_real(round(w->s[i] * 1000) / 1000))) {
			json_decref(o);
			return NULL;
		}
	return o;
}

int iov_result_rep_done(struct iov_result *res, const char *exp_id, unsigned rep, bool ok, const char *reason,
			const struct iov_rep_wall *wall, struct iov_err *err)
{
	json_t *e = find_experiment(res, exp_id, err), *reps, *r;
	size_t i;

	if (!e)
		return -1;
	if (rep >= json_integer_value(json_object_get(e, "reps_planned"))) {
		iov_err_set(err, "result: %s: repetition %u beyond the plan", exp_id, rep);
		return -1;
	}
	reps = json_object_get(e, "repetitions");
	json_array_foreach(reps, i, r)
		if (json_integer_value(json_object_get(r, "rep")) == rep) {
			iov_err_set(err, "result: %s: repetition %u closed twice", exp_id, rep);
			return -1;
		}
	r = json_pack("{s:I, s:s, s:o, s:o}", "rep", (json_int_t)rep, "status", ok ? "ok" : "failed", "reason",
		      ok ? json_null() : json_string(reason ? reason : "unknown"), "finished_at", json_now());
	if (r && wall && json_object_set_new(r, "wall_s", wall_json(wall))) {
		json_decref(r);
		r = NULL;
	}
	if (!r || json_array_append_new(reps, r)) {
		iov_err_set(err, "result: out of memory");
		return -1;
	}
	return 0;
}

int iov_result_experiment_end(struct iov_result *res, const char *exp_id, struct iov_err *err)
{
	json_t *e = find_experiment(res, exp_id, err), *r;
	json_int_t planned, ok = 0;
	const char *first_failure = NULL;
	char reason[IOV_ERR_MAX];
	size_t i;

	if (!e)
		return -1;
	planned = json_integer_value(json_object_get(e, "reps_planned"));
	json_array_foreach(json_object_get(e, "repetitions"), i, r) {
		if (!strcmp(json_string_value(json_object_get(r, "status")), "ok"))
			ok++;
		else if (!first_failure)
			first_failure = json_string_value(json_object_get(r, "reason"));
	}
	json_object_set_new(e, "finished_at", json_now());
	if (ok == planned) {
		set_status(e, "ok", NULL);
		return 0;
	}
	snprintf(reason, sizeof(reason), "%lld of %lld repetitions ok%s%s", (long long)ok, (long long)planned,
		 first_failure ? "; first failure: " : "", first_failure ? first_failure : "");
	set_status(e, ok ? "partial" : "failed", reason);
	return 0;
}

int iov_result_experiment_fail(struct iov_result *res, const char *exp_id, const char *reason,
			       struct iov_err *err)
{
	json_t *e = find_experiment(res, exp_id, err);

	if (!e)
		return -1;
	set_status(e, "failed", reason ? reason : "unknown");
	json_object_set_new(e, "finished_at", json_now());
	return 0;
}

int iov_result_finish(struct iov_result *res, struct iov_err *err)
{
	json_t *e;
	size_t i, ok = 0, total = 0;

	(void)err;
	json_array_foreach(json_object_get(res->doc, "experiments"), i, e) {
		total++;
		ok += !strcmp(json_string_value(json_object_get(e, "status")), "ok");
	}
	json_object_set_new(res->doc, "status",
			    json_string(total && ok == total ? "complete" : ok ? "partial" : "failed"));
	json_object_set_new(res->doc, "finished_at", json_now());
	return 0;
}

int iov_result_note(struct iov_result *res, const char *exp_id, const char *key, json_t *value,
		    struct iov_err *err)
{
	json_t *owner = exp_id ? find_experiment(res, exp_id, err) : res->doc;

	if (!owner || !value) {
		json_decref(value);
		if (owner)
			iov_err_set(err, "result: note %s without a value", key);
		return -1;
	}
	if (json_object_set_new(json_object_get(owner, "notes"), key, value)) {
		iov_err_set(err, "result: cannot store note %s", key);
		return -1;
	}
	return 0;
}

int iov_result_write(struct iov_result *res, struct iov_err *err)
{
	char *text;
	int rc;

	json_object_set_new(res->doc, "updated_at", json_now());
	text = json_dumps(res->doc, JSON_INDENT(2));
	if (!text) {
		iov_err_set(err, "result: cannot serialize the document");
		return -1;
	}
	rc = iov_write_file_atomic(res->path, text, strlen(text), err);
	free(text);
	return rc;
}

const char *iov_jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

json_t *iov_result_load(const char *path, struct iov_err *err)
{
	size_t len;
	char *text = iov_read_input(path, IOV_INPUT_MAX_RESULT, &len, err);
	json_error_t jerr;
	json_t *doc;

	if (!text)
		return NULL;
	doc = json_loadb(text, len, 0, &jerr);
	free(text);
	if (!doc) {
		iov_err_set(err, "%s: line %d column %d: %s", path, jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (iov_result_check(doc, err)) {
		iov_err_prefix(err, "%s", path);
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static bool one_of(const char *s, const char *const *choices)
{
	for (; s && *choices; choices++)
		if (!strcmp(s, *choices))
			return true;
	return false;
}

static int check_series(json_t *series, const char *where, struct iov_err *err)
{
	static const char *const fields[] = { "min", "mean", "hmean", "stddev", "cov_pct", "max" };
	json_t *values = json_object_get(series, "values"), *summary = json_object_get(series, "summary"), *v;
	size_t i;

	if (!json_is_array(values) || !json_is_object(summary) || !json_is_integer(json_object_get(summary, "n"))) {
		iov_err_set(err, "%s: needs values[] and summary{n, ...}", where);
		return -1;
	}
	json_array_foreach(values, i, v)
		if (!json_is_number(v) && !json_is_null(v)) {
			iov_err_set(err, "%s: values[%zu] is neither a number nor null", where, i);
			return -1;
		}
	for (i = 0; i < IOV_ARRAY_SIZE(fields); i++) {
		v = json_object_get(summary, fields[i]);
		if (!json_is_number(v) && !json_is_null(v)) {
			iov_err_set(err, "%s: summary.%s missing", where, fields[i]);
			return -1;
		}
	}
	return 0;
}

/* Names go into figure scripts and file names: refuse anything but a plain name (see result.h). */
static int check_name(json_t *v, const char *what, struct iov_err *err)
{
	if (!json_is_string(v)) {
		iov_err_set(err, "%s missing or not a string", what);
		return -1;
	}
	if (!iov_plain_name(json_string_value(v))) {
		iov_err_set(err, "%s '%.80s' is not a name (1 to %d of A-Z a-z 0-9 _ . -, not starting with '.')", what,
			    json_string_value(v), IOV_NAME_MAX);
		return -1;
	}
	return 0;
}

static int check_experiment(json_t *e, size_t idx, json_t *catalogue, struct iov_err *err)
{
	static const char *const statuses[] = { "pending", "running", "ok", "partial", "failed", NULL };
	static const char *const names[] = { "id", "entry", "workload", "nic", "pattern" };
	json_t *metrics = json_object_get(e, "metrics"), *m, *inst, *s;
	const char *name, *iname;
	char where[160];

	for (size_t i = 0; i < IOV_ARRAY_SIZE(names); i++) {
		snprintf(where, sizeof(where), "experiments[%zu].%s", idx, names[i]);
		if (check_name(json_object_get(e, names[i]), where, err))
			return -1;
	}
	if (!json_is_string(json_object_get(e, "status"))) {
		iov_err_set(err, "experiments[%zu]: status missing or not a string", idx);
		return -1;
	}
	if (json_object_get(e, "guest_kind")) {
		const char *kind = json_string_value(json_object_get(e, "guest_kind"));
		int k = 0;

		while (kind && iov_guest_kind_names[k] && strcmp(kind, iov_guest_kind_names[k]))
			k++;
		if (!kind || !iov_guest_kind_names[k]) {
			iov_err_set(err, "experiments[%zu]: guest_kind is not one of netns, vm", idx);
			return -1;
		}
	}
	name = json_string_value(json_object_get(e, "id"));
	if (!one_of(json_string_value(json_object_get(e, "status")), statuses)) {
		iov_err_set(err, "experiment %s: bad status", name);
		return -1;
	}
	if (!json_is_integer(json_object_get(e, "guests")) || !json_is_integer(json_object_get(e, "reps_planned")) ||
	    !json_is_array(json_object_get(e, "repetitions")) || !json_is_object(metrics)) {
		iov_err_set(err, "experiment %s: guests, reps_planned, repetitions or metrics missing", name);
		return -1;
	}
	json_object_foreach(metrics, name, m) {
		if (!json_is_object(json_object_get(catalogue, name))) {
			iov_err_set(err, "experiment %s: metric %s not in the document's metrics catalogue",
				    json_string_value(json_object_get(e, "id")), name);
			return -1;
		}
		snprintf(where, sizeof(where), "experiment %s metric %s", json_string_value(json_object_get(e, "id")),
			 name);
		if (check_series(m, where, err))
			return -1;
		inst = json_object_get(m, "instances");
		json_object_foreach(inst, iname, s) {
			snprintf(where, sizeof(where), "experiment %s metric %s[%s]",
				 json_string_value(json_object_get(e, "id")), name, iname);
			if (check_series(s, where, err))
				return -1;
		}
	}
	return 0;
}

int iov_result_check(json_t *doc, struct iov_err *err)
{
	static const char *const run_statuses[] = { "running", "complete", "partial", "failed", NULL };
	static const char *const env_keys[] = { "qemu_version", "accelerator", "guest_kernel", "host_cpu_model",
						"host_cores", "git_revision", "driver_versions", "tool_versions" };
	json_t *v, *catalogue, *env, *e;
	const char *name;
	size_t i;

	if (!json_is_object(doc)) {
		iov_err_set(err, "result: not a JSON object");
		return -1;
	}
	v = json_object_get(doc, "schema_version");
	if (!json_is_integer(v) || json_integer_value(v) != IOV_RESULT_SCHEMA_VERSION) {
		iov_err_set(err, "result: schema_version is not %d", IOV_RESULT_SCHEMA_VERSION);
		return -1;
	}
	if (!json_is_string(json_object_get(doc, "run_id")) || !json_is_string(json_object_get(doc, "started_at")) ||
	    !one_of(json_string_value(json_object_get(doc, "status")), run_statuses)) {
		iov_err_set(err, "result: run_id, started_at or status missing or invalid");
		return -1;
	}
	if (check_name(json_object_get(doc, "run_id"), "result: run_id", err))
		return -1;
	env = json_object_get(doc, "environment");
	for (i = 0; i < IOV_ARRAY_SIZE(env_keys); i++)
		if (!json_object_get(env, env_keys[i])) {
			iov_err_set(err, "result: environment.%s missing", env_keys[i]);
			return -1;
		}
	catalogue = json_object_get(doc, "metrics");
	if (!json_is_object(catalogue) || !json_object_size(catalogue)) {
		iov_err_set(err, "result: metrics catalogue missing");
		return -1;
	}
	json_object_foreach(catalogue, name, v) {
		const char *better = json_string_value(json_object_get(v, "better"));

		if (!json_is_string(json_object_get(v, "unit")) || !better ||
		    (strcmp(better, "higher") && strcmp(better, "lower"))) {
			iov_err_set(err, "result: metrics.%s needs unit and better (higher|lower)", name);
			return -1;
		}
	}
	if (!json_is_object(json_object_get(doc, "workloads")) || !json_is_array(json_object_get(doc, "experiments"))) {
		iov_err_set(err, "result: workloads or experiments missing");
		return -1;
	}
	json_array_foreach(json_object_get(doc, "experiments"), i, e)
		if (check_experiment(e, i, catalogue, err))
			return -1;
	json_object_foreach(json_object_get(doc, "workloads"), name, v)
		if (!iov_plain_name(name)) {
			iov_err_set(err, "result: workloads key '%.80s' is not a name (1 to %d of A-Z a-z 0-9 _ . -, not starting with '.')",
				    name, IOV_NAME_MAX);
			return -1;
		}
	return 0;
}
