// SPDX-License-Identifier: MIT
/* fio.c - fio JSON output parser (net engine), with fio's text error preamble. */
#include "collect/fio.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double num(json_t *obj, const char *key, bool *ok)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_number(v)) {
		*ok = false;
		return 0;
	}
	return json_number_value(v);
}

static uint64_t count(json_t *obj, const char *key, bool *ok)
{
	double v = num(obj, key, ok);

	if (v < 0) {
		*ok = false;
		return 0;
	}
	return (uint64_t)v;
}

static int cmp_pct(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int cmp_bin(const void *a, const void *b)
{
	uint64_t x = ((const struct iov_fio_bin *)a)->ns, y = ((const struct iov_fio_bin *)b)->ns;

	return (x > y) - (x < y);
}

/* json+ "bins": {"5600": 461, ...}; absent in plain json. */
static int parse_bins(json_t *bins, struct iov_fio_lat *lat)
{
	const char *key;
	json_t *v;

	if (!json_is_object(bins) || !json_object_size(bins))
		return 0;
	lat->bins = calloc(json_object_size(bins), sizeof(*lat->bins));
	if (!lat->bins)
		return -1;
	json_object_foreach(bins, key, v) {
		uint64_t ns;

		if (iov_parse_u64(key, &ns) || !json_is_integer(v) || json_integer_value(v) < 0)
			return -1;
		lat->bins[lat->nbins].ns = ns;
		lat->bins[lat->nbins].count = (uint64_t)json_integer_value(v);
		lat->nbins++;
	}
	qsort(lat->bins, lat->nbins, sizeof(*lat->bins), cmp_bin);
	return 0;
}

static void free_lat(struct iov_fio_lat *lat)
{
	free(lat->bins);
	lat->bins = NULL;
	lat->nbins = 0;
}

static int parse_lat(json_t *obj, struct iov_fio_lat *lat)
{
	json_t *pcts, *v;
	const char *key;
	bool ok = true;

	memset(lat, 0, sizeof(*lat));
	if (!json_is_object(obj))
		return -1;
	lat->n = count(obj, "N", &ok);
	lat->min_ns = num(obj, "min", &ok);
	lat->max_ns = num(obj, "max", &ok);
	lat->mean_ns = num(obj, "mean", &ok);
	lat->stddev_ns = num(obj, "stddev", &ok);
	if (!ok)
		return -1;
	pcts = json_object_get(obj, "percentile");
	json_object_foreach(pcts, key, v) {
		double p;

		if (lat->npct == IOV_FIO_MAX_PCT || iov_parse_double(key, &p) || !json_is_integer(v))
			continue;
		lat->pct[lat->npct].pct = p;
		lat->pct[lat->npct].ns = (uint64_t)json_integer_value(v);
		lat->npct++;
	}
	/* The struct starts with pct, so entries sort by percentile. */
	qsort(lat->pct, lat->npct, sizeof(lat->pct[0]), cmp_pct);
	return parse_bins(json_object_get(obj, "bins"), lat);
}

static int parse_dir(json_t *job, const char *name, struct iov_fio_dir *d, struct iov_err *err)
{
	json_t *o = json_object_get(job, name);
	bool ok = true;

	if (!json_is_object(o)) {
		iov_err_set(err, "no '%s' section", name);
		return -1;
	}
	d->io_bytes = count(o, "io_bytes", &ok);
	d->total_ios = count(o, "total_ios", &ok);
	d->bw_bytes = count(o, "bw_bytes", &ok);
	d->iops = num(o, "iops", &ok);
	d->runtime_ms = count(o, "runtime", &ok);
	if (!ok || parse_lat(json_object_get(o, "clat_ns"), &d->clat) ||
	    parse_lat(json_object_get(o, "lat_ns"), &d->lat)) {
		iov_err_set(err, "%s: missing io_bytes, total_ios, bw_bytes, iops, runtime, clat_ns or lat_ns", name);
		return -1;
	}
	return 0;
}

/* First line of the preamble that mentions "err" (fio's failure line), else its first line. */
static void preamble_reason(const char *preamble, char *out, size_t size)
{
	const char *cursor = preamble, *line, *first = NULL;
	size_t len, first_len = 0;

	out[0] = '\0';
	while ((line = iov_next_line(&cursor, &len))) {
		if (!len)
			continue;
		if (!first) {
			first = line;
			first_len = len;
		}
		if (memmem(line, len, "err", 3)) {
			iov_strlcpy_n(out, size, line, len);
			return;
		}
	}
	if (first)
		iov_strlcpy_n(out, size, first, first_len);
}

static int parse_doc(json_t *root, struct iov_fio_result *r, struct iov_err *err)
{
	json_t *jobs, *job, *v;
	size_t i;

	v = json_object_get(root, "fio version");
	iov_strlcpy(r->version, json_is_string(v) ? json_string_value(v) : "", sizeof(r->version));
	jobs = json_object_get(root, "jobs");
	if (!json_is_array(jobs) || !json_array_size(jobs)) {
		iov_err_set(err, "no jobs");
		return -1;
	}
	r->jobs = calloc(json_array_size(jobs), sizeof(*r->jobs));
	if (!r->jobs) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	json_array_foreach(jobs, i, job) {
		struct iov_fio_job *j = &r->jobs[r->njobs++];
		bool ok = true;

		v = json_object_get(job, "jobname");
		iov_strlcpy(j->name, json_is_string(v) ? json_string_value(v) : "?", sizeof(j->name));
		j->error = (int)num(job, "error", &ok);
		if (!ok) {
			iov_err_set(err, "job %zu (%s): no error field", i, j->name);
			return -1;
		}
		if (j->error) {
			char reason[256];

			preamble_reason(r->preamble ? r->preamble : "", reason, sizeof(reason));
			iov_err_set(err, "job %s failed with error %d (%s)%s%s", j->name, j->error, strerror(j->error),
				    reason[0] ? ": " : "", reason);
			return -1;
		}
		if (parse_dir(job, "read", &j->read, err) || parse_dir(job, "write", &j->write, err)) {
			iov_err_prefix(err, "job %s", j->name);
			return -1;
		}
		j->usr_cpu_pct = num(job, "usr_cpu", &ok);
		j->sys_cpu_pct = num(job, "sys_cpu", &ok);
		if (!ok) {
			iov_err_set(err, "job %s: no usr_cpu/sys_cpu", j->name);
			return -1;
		}
	}
	return 0;
}

int iov_fio_parse(const char *text, size_t len, struct iov_fio_result *r, struct iov_err *err)
{
	const char *json = NULL;
	json_error_t jerr;
	json_t *root;
	int rc;

	memset(r, 0, sizeof(*r));
	/* The JSON document starts with a '{' at the beginning of a line; anything before is fio's text. */
	for (const char *p = text; p < text + len; p++)
		if (*p == '{' && (p == text || p[-1] == '\n')) {
			json = p;
			break;
		}
	if (json != text) {
		r->preamble = strndup(text, json ? (size_t)(json - text) : len);
		if (!r->preamble) {
			iov_err_set(err, "fio output: out of memory");
			return -1;
		}
	}
	if (!json) {
		char reason[256];

		preamble_reason(r->preamble, reason, sizeof(reason));
		iov_err_set(err, "fio output: no JSON document%s%s", reason[0] ? "; fio said: " : "", reason);
		iov_fio_free(r);
		return -1;
	}
	/* fio may print more text after the document: stop at its end. */
	root = json_loadb(json, len - (size_t)(json - text), JSON_DISABLE_EOF_CHECK, &jerr);
	if (!root) {
		iov_err_set(err, "fio output: not a complete JSON document (truncated?): line %d column %d: %s",
			    jerr.line, jerr.column, jerr.text);
		iov_fio_free(r);
		return -1;
	}
	rc = parse_doc(root, r, err);
	json_decref(root);
	if (rc) {
		iov_err_prefix(err, "fio output");
		iov_fio_free(r);
	}
	return rc;
}

void iov_fio_free(struct iov_fio_result *r)
{
	for (size_t i = 0; i < r->njobs; i++) {
		free_lat(&r->jobs[i].read.clat);
		free_lat(&r->jobs[i].read.lat);
		free_lat(&r->jobs[i].write.clat);
		free_lat(&r->jobs[i].write.lat);
	}
	free(r->preamble);
	free(r->jobs);
	memset(r, 0, sizeof(*r));
}

int iov_fio_lat_pct(const struct iov_fio_lat *lat, double pct, uint64_t *ns)
{
	for (size_t i = 0; i < lat->npct; i++)
		if (fabs(lat->pct[i].pct - pct) < 1e-9) {
			*ns = lat->pct[i].ns;
			return 0;
		}
	return -1;
}

int iov_fio_bins_pct(const struct iov_fio_lat *const *lats, size_t n, double pct, uint64_t *ns)
{
	uint64_t total = 0, rank, seen = 0, cursor_ns = 0;
	size_t *pos;

	for (size_t i = 0; i < n; i++) {
		if (!lats[i]->nbins)
			return -1;
		for (size_t b = 0; b < lats[i]->nbins; b++)
			total += lats[i]->bins[b].count;
	}
	if (!total || pct <= 0 || pct > 100)
		return -1;
	rank = (uint64_t)ceil(pct / 100.0 * (double)total);
	if (rank < 1)
		rank = 1;
	pos = calloc(n, sizeof(*pos));
	if (!pos)
		return -1;
	/* Walk the n sorted histograms as one, smallest bucket value first. */
	while (seen < rank) {
		size_t best = n;

		for (size_t i = 0; i < n; i++)
			if (pos[i] < lats[i]->nbins &&
			    (best == n || lats[i]->bins[pos[i]].ns < lats[best]->bins[pos[best]].ns))
				best = i;
		if (best == n)
			break;
		cursor_ns = lats[best]->bins[pos[best]].ns;
		seen += lats[best]->bins[pos[best]].count;
		pos[best]++;
	}
	free(pos);
	*ns = cursor_ns;
	return 0;
}
