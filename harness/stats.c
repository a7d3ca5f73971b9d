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

/* Values of v[] that are not NaN, copied to a new array. */
static double *finite_copy(const double *v, size_t n, size_t *out_n)
{
	double *c = malloc((n ? n : 1) * sizeof(*c));
	size_t k = 0;

	if (!c)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			c[k++] = v[i];
	*out_n = k;
	return c;
}

struct ranked {
	double v;
	int from_a;
};

static int cmp_ranked(const void *x, const void *y)
{
	return cmp_double(&((const struct ranked *)x)->v, &((const struct ranked *)y)->v);
}

/*
 * Exact distribution of the sum of k doubled midranks drawn from the pooled sample:
 * ways[j][s] counts the subsets of size j with doubled rank sum s (doubles: no overflow).
 * Returns P(W2 <= w2) and P(W2 >= w2) for the observed doubled sum w2.
 */
static int exact_tails(const long *rank2, size_t total, size_t k, long w2, double *p_le, double *p_ge)
{
	long max_sum = 0;
	double *ways, all = 0, le = 0, ge = 0;

	for (size_t i = 0; i < total; i++)
		max_sum += rank2[i];
	ways = calloc((k + 1) * (size_t)(max_sum + 1), sizeof(*ways));
	if (!ways)
		return -1;
#define WAYS(j, s) ways[(size_t)(j) * (size_t)(max_sum + 1) + (size_t)(s)]
	WAYS(0, 0) = 1;
	for (size_t i = 0; i < total; i++)
		for (size_t j = (i + 1 < k ? i + 1 : k); j >= 1; j--)
			for (long s = max_sum; s >= rank2[i]; s--)
				WAYS(j, s) += WAYS(j - 1, s - rank2[i]);
	for (long s = 0; s <= max_sum; s++) {
		all += WAYS(k, s);
		if (s <= w2)
			le += WAYS(k, s);
		if (s >= w2)
			ge += WAYS(k, s);
	}
#undef WAYS
	free(ways);
	*p_le = le / all;
	*p_ge = ge / all;
	return 0;
}

/* Standard normal upper tail. */
static double normal_sf(double z)
{
	return 0.5 * erfc(z / sqrt(2.0));
}

int iov_mann_whitney(const double *a, size_t na_in, const double *b, size_t nb_in, struct iov_mwu *out)
{
	size_t na, nb, total, i = 0;
	double *ca = finite_copy(a, na_in, &na), *cb = finite_copy(b, nb_in, &nb);
	struct ranked *pool = NULL;
	long *rank2 = NULL, w2 = 0;
	double tie_term = 0;
	int rc = -1;

	if (!ca || !cb || !na || !nb)
		goto out;
	total = na + nb;
	pool = malloc(total * sizeof(*pool));
	rank2 = malloc(total * sizeof(*rank2));
	if (!pool || !rank2)
		goto out;
	for (size_t j = 0; j < na; j++)
		pool[j] = (struct ranked){ ca[j], 1 };
	for (size_t j = 0; j < nb; j++)
		pool[na + j] = (struct ranked){ cb[j], 0 };
	qsort(pool, total, sizeof(*pool), cmp_ranked);
	/* Midranks, doubled so that they stay integers: a tie group i..j-1 gets i+1 + j. */
	while (i < total) {
		size_t j = i + 1;

		while (j < total && pool[j].v == pool[i].v)
			j++;
		for (size_t m = i; m < j; m++) {
			rank2[m] = (long)(i + 1 + j);
			if (pool[m].from_a)
				w2 += rank2[m];
		}
		tie_term += (double)(j - i) * (double)(j - i) * (double)(j - i) - (double)(j - i);
		i = j;
	}
	out->na = na;
	out->nb = nb;
	out->u = (double)w2 / 2.0 - (double)na * (double)(na + 1) / 2.0;
	if (total <= IOV_MWU_EXACT_MAX) {
		double p_le, p_ge;

		if (exact_tails(rank2, total, na, w2, &p_le, &p_ge))
			goto out;
		out->p_two_sided = fmin(1.0, 2.0 * fmin(p_le, p_ge));
		out->exact = true;
	} else {
		double mu = (double)na * (double)nb / 2.0;
		double var = (double)na * (double)nb / 12.0 *
			     ((double)(total + 1) - tie_term / ((double)total * (double)(total - 1)));
		double z = var > 0 ? (fabs(out->u - mu) - 0.5) / sqrt(var) : 0;

		out->p_two_sided = var > 0 ? fmin(1.0, 2.0 * normal_sf(z > 0 ? z : 0)) : 1.0;
		out->exact = false;
	}
	rc = 0;
out:
	free(ca);
	free(cb);
	free(pool);
	free(rank2);
	return rc;
}

/* Continued fraction of the regularized incomplete beta function (modified Lentz). */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;

	d = fabs(d) < tiny ? 1 / tiny : 1 / d;
	h = d;
	for (int m = 1; m <= 300; m++) {
		double m2 = 2.0 * m, num = m * (b - m) * x / ((a + m2 - 1) * (a + m2)), del;

		d = 1 + num * d;
		d = fabs(d) < tiny ? 1 / tiny : 1 / d;
		c = 1 + num / c;
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + num * d;
		d = fabs(d) < tiny ? 1 / tiny : 1 / d;
		c = 1 + num / c;
		c = fabs(c) < tiny ? tiny : c;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-15)
			break;
	}
	return h;
}

static double incomplete_beta(double a, double b, double x)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_cf(a, b, x) / a;
	return 1 - front * beta_cf(b, a, 1 - x) / b;
}

double iov_t_cdf(double t, double df)
{
	double tail;

	if (isnan(t) || !(df > 0))
		return NAN;
	tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));
	return t > 0 ? 1 - tail : tail;
}

double iov_t_quantile(double p, double df)
{
	double lo = -1, hi = 1;

	if (!(p > 0 && p < 1) || !(df > 0))
		return NAN;
	while (iov_t_cdf(lo, df) > p)
		lo *= 2;
	while (iov_t_cdf(hi, df) < p)
		hi *= 2;
	/* Bisection: the CDF is monotonic; 200 halvings reach double precision. */
	for (int i = 0; i < 200 && hi - lo > 1e-13 * fmax(1, fabs(lo)); i++) {
		double mid = (lo + hi) / 2;

		if (iov_t_cdf(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

int iov_mean_ci(const double *values, size_t n, double level, double *lo, double *hi)
{
	struct iov_summary s;
	double half;

	iov_summarize(values, n, &s);
	if (s.n < 2 || !(level > 0 && level < 1))
		return -1;
	half = iov_t_quantile(1 - (1 - level) / 2, (double)(s.n - 1)) * s.stddev / sqrt((double)s.n);
	*lo = s.mean - half;
	*hi = s.mean + half;
	return 0;
}
