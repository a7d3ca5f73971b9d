/* SPDX-License-Identifier: MIT */
/*
 * stats.h - summaries of repetitions and percentiles, from counted data only.
 *
 * A summary follows mmtests' rows: min, mean, harmonic mean (the right mean for rates),
 * sample standard deviation, coefficient of variation and max. Values that are undefined for
 * the input (stddev of one sample, hmean with a non-positive value, CoV of a zero mean) are NaN,
 * which the result writer stores as null: nothing is made up.
 *
 * Percentiles use the nearest-rank method, so the answer is always an observed sample, or for a
 * histogram the bucket that holds the ranked sample: histograms of the drivers and of the NAPI
 * trace are log2 buckets keyed by their lower bound (driver/common/stats-format.md).
 */
#ifndef IOV_STATS_H
#define IOV_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct iov_summary {
	size_t n;
	double min;
	double mean;
	double hmean;	/* NaN unless every value > 0 */
	double stddev;	/* sample (n-1); NaN when n < 2 */
	double cov_pct; /* 100 * stddev / mean; NaN when stddev is NaN or mean is 0 */
	double max;
};

/* Summarize n values, skipping NaNs (repetitions that measured nothing). n of zero is valid. */
void iov_summarize(const double *values, size_t n, struct iov_summary *out);

/* Nearest-rank percentile (0 < pct <= 100) of n samples (unsorted, not modified); NaN if n == 0. */
double iov_percentile(const double *samples, size_t n, double pct);

#define IOV_HIST_MAX 72 /* one bucket per power of two of a u64, zero, plus slack for odd keys */

struct iov_hist_bucket {
	uint64_t lower; /* the bucket's key: the smallest value it holds */
	uint64_t count;
};

/* Buckets sorted by lower bound, no duplicates; zero-count buckets may be present after a delta. */
struct iov_hist {
	size_t n;
	struct iov_hist_bucket b[IOV_HIST_MAX];
};

/* Add count to the bucket keyed lower (created if missing). Fails only when full. */
int iov_hist_add(struct iov_hist *h, uint64_t lower, uint64_t count);
uint64_t iov_hist_total(const struct iov_hist *h);
/* Count in the bucket keyed exactly lower (0 if absent). */
uint64_t iov_hist_count(const struct iov_hist *h, uint64_t lower);

/*
 * Nearest-rank percentile over a histogram: the bucket holding the ranked sample is reported
 * as [*lower, *upper_excl). upper_excl is the next bucket's key when one exists, else the
 * log2 rule (2 * lower, or 1 for the zero bucket). Fails on an empty histogram.
 */
int iov_hist_percentile(const struct iov_hist *h, double pct, uint64_t *lower, uint64_t *upper_excl);

/* out = after - before, bucket by bucket; a bucket that went down means a counter reset: error. */
int iov_hist_delta(const struct iov_hist *before, const struct iov_hist *after, struct iov_hist *out,
		   struct iov_err *err);

/* Parse "k:count,k:count" (stats-format.md); an empty string is an empty histogram. */
int iov_hist_parse(const char *text, struct iov_hist *h, struct iov_err *err);

/* Log2 bucket key of a value: 0 for 0, else the highest power of two <= v. */
uint64_t iov_log2_bucket(uint64_t v);

/*
 * Bucket key of one NAPI poll's work, as the drivers count it: 0, 1, 2, 4, 8, 16, 32 (32 up to
 * budget - 1), and the key equal to budget for polls that used the whole budget.
 */
uint64_t iov_napi_work_bucket(uint64_t work, uint64_t budget);

/*
 * Mann-Whitney U (Wilcoxon rank-sum) test of two samples, suited to few repetitions because it
 * assumes no distribution. u is the U of sample a: pairs (a_i, b_j) with a_i > b_j, ties counting
 * one half. The two-sided p-value is exact (the permutation distribution of the midrank sum,
 * ties included) up to IOV_MWU_EXACT_MAX values in all, else the normal approximation with tie
 * and continuity corrections. NaNs are skipped. Fails when either sample is empty.
 */
#define IOV_MWU_EXACT_MAX 100

struct iov_mwu {
	size_t na, nb;
	double u;
	double p_two_sided;
	bool exact;
};

int iov_mann_whitney(const double *a, size_t na, const double *b, size_t nb, struct iov_mwu *out);

/* Student's t distribution: CDF and quantile (0 < p < 1) for df > 0 degrees of freedom. */
double iov_t_cdf(double t, double df);
double iov_t_quantile(double p, double df);

/*
 * Two-sided confidence interval of the mean at level (e.g. 0.95) from the t distribution over
 * the non-NaN values; fails when fewer than two values.
 */
int iov_mean_ci(const double *values, size_t n, double level, double *lo, double *hi);

#endif
