// SPDX-License-Identifier: MIT
/* stats.c - repetition summaries, nearest-rank percentiles, log2 histograms. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void iov_summarize(const double *values, size_t n, struct iov_summary *out)
{
	double sum = 0, inv_sum = 0, sq = 0;
	bool all_positive = true;
	size_t used = 0;

	out->min = out->max = out->mean = out->hmean = out->stddev = out->cov_pct = NAN;
	for (size_t i = 0; i < n; i++) {
		double v = values[i];

		if (isnan(v))
			continue;
		if (!used || v < out->min)
			out->min = v;
		if (!used || v > out->max)
			out->max = v;
		sum += v;
		if (v > 0)
			inv_sum += 1.0 / v;
		else
			all_positive = false;
		used++;
	}
	out->n = used;
	if (!used)
		return;
	out->mean = sum / (double)used;
	if (all_positive)
		out->hmean = (double)used / inv_sum;
	if (used < 2)
		return;
	/* Two-pass variance: numerically stable enough for a handful of repetitions. */
	for (size_t i = 0; i < n; i++)
		if (!isnan(values[i]))
			sq += (values[i] - out->mean) * (values[i] - out->mean);
	out->stddev = sqrt(sq / (double)(used - 1));
	if (out->mean != 0)
		out->cov_pct = 100.0 * out->stddev / fabs(out->mean);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest rank (1-based) of pct among total samples. */
static uint64_t nearest_rank(double pct, uint64_t total)
{
	double r = ceil(pct / 100.0 * (double)total);

	if (r < 1)
		return 1;
	if (r > (double)total)
		return total;
	return (uint64_t)r;
}

double iov_percentile(const double *samples, size_t n, double pct)
{
	double *sorted, v;

	if (!n || pct <= 0 || pct > 100)
		return NAN;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return NAN;
	memcpy(sorted, samples, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_double);
	v = sorted[nearest_rank(pct, n) - 1];
	free(sorted);
	return v;
}

int iov_hist_add(struct iov_hist *h, uint64_t lower, uint64_t count)
{
	size_t i = 0;

	while (i < h->n && h->b[i].lower < lower)
		i++;
	if (i < h->n && h->b[i].lower == lower) {
		h->b[i].count += count;
		return 0;
	}
	if (h->n == IOV_HIST_MAX)
		return -1;
	memmove(&h->b[i + 1], &h->b[i], (h->n - i) * sizeof(h->b[0]));
	h->b[i].lower = lower;
	h->b[i].count = count;
	h->n++;
	return 0;
}

uint64_t iov_hist_total(const struct iov_hist *h)
{
	uint64_t total = 0;

	for (size_t i = 0; i < h->n; i++)
		total += h->b[i].count;
	return total;
}

uint64_t iov_hist_count(const struct iov_hist *h, uint64_t lower)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->b[i].lower == lower)
			return h->b[i].count;
	return 0;
}

int iov_hist_percentile(const struct iov_hist *h, double pct, uint64_t *lower, uint64_t *upper_excl)
{
	uint64_t total = iov_hist_total(h), rank, seen = 0;

	if (!total || pct <= 0 || pct > 100)
		return -1;
	rank = nearest_rank(pct, total);
	for (size_t i = 0; i < h->n; i++) {
		seen += h->b[i].count;
		if (seen < rank)
			continue;
		*lower = h->b[i].lower;
		if (i + 1 < h->n)
			*upper_excl = h->b[i + 1].lower;
		else
			*upper_excl = h->b[i].lower ? 2 * h->b[i].lower : 1;
		return 0;
	}
	return -1; /* unreachable: rank <= total */
}

int iov_hist_delta(const struct iov_hist *before, const struct iov_hist *after, struct iov_hist *out,
		   struct iov_err *err)
{
	struct iov_hist d = { 0 };

	for (size_t i = 0; i < before->n; i++) {
		uint64_t now = iov_hist_count(after, before->b[i].lower);

		if (now < before->b[i].count) {
			iov_err_set(err, "bucket %llu went down from %llu to %llu (counters reset?)",
				    (unsigned long long)before->b[i].lower,
				    (unsigned long long)before->b[i].count, (unsigned long long)now);
			return -1;
		}
	}
	for (size_t i = 0; i < after->n; i++)
		iov_hist_add(&d, after->b[i].lower,
			     after->b[i].count - iov_hist_count(before, after->b[i].lower));
	*out = d;
	return 0;
}

int iov_hist_parse(const char *text, struct iov_hist *h, struct iov_err *err)
{
	const char *p = text;

	memset(h, 0, sizeof(*h));
	while (*p) {
		char key[32], val[32];
		const char *colon = strchr(p, ':'), *end = strchr(p, ',');
		uint64_t k, c;

		if (!end)
			end = p + strlen(p);
		if (!colon || colon > end || !iov_strlcpy_n(key, sizeof(key), p, (size_t)(colon - p)) ||
		    !iov_strlcpy_n(val, sizeof(val), colon + 1, (size_t)(end - colon - 1)) ||
		    iov_parse_u64(key, &k) || iov_parse_u64(val, &c)) {
			iov_err_set(err, "bad histogram bucket '%.*s' (want KEY:COUNT)", (int)(end - p), p);
			return -1;
		}
		if (iov_hist_count(h, k) || iov_hist_add(h, k, c)) {
			iov_err_set(err, "duplicate or too many histogram buckets at '%.*s'", (int)(end - p), p);
			return -1;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

uint64_t iov_log2_bucket(uint64_t v)
{
	if (!v)
		return 0;
	return (uint64_t)1 << (63 - __builtin_clzll(v));
}

uint64_t iov_napi_work_bucket(uint64_t work, uint64_t budget)
{
	uint64_t b;

	if (budget && work >= budget)
		return budget;
	b = iov_log2_bucket(work);
	return b > 32 ? 32 : b;
}
