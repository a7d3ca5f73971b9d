// SPDX-License-Identifier: MIT
/* test_stats.c - known answers for summaries, percentiles and log2 histograms. */
#include <math.h>
#include <string.h>

#include "stats.h"
#include "tests/unit.h"

#define NEAR(a, b) (fabs((double)(a) - (double)(b)) < 1e-9 * (fabs((double)(b)) + 1))

static void test_summary_known_answer(void)
{
	/* 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32/7, hmean 8/(sum 1/x). */
	const double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	double inv = 1 / 2.0 + 3 / 4.0 + 2 / 5.0 + 1 / 7.0 + 1 / 9.0;
	struct iov_summary s;

	iov_summarize(v, 8, &s);
	CU_ASSERT_EQUAL(s.n, 8);
	CU_ASSERT(NEAR(s.min, 2) && NEAR(s.max, 9) && NEAR(s.mean, 5));
	CU_ASSERT(NEAR(s.stddev, sqrt(32.0 / 7.0)));
	CU_ASSERT(NEAR(s.hmean, 8 / inv));
	CU_ASSERT(NEAR(s.cov_pct, 100 * sqrt(32.0 / 7.0) / 5));
}

static void test_summary_rates(void)
{
	/* Two runs of the same work at 100 and 300 op/s: the rate over both is 150 = hmean. */
	const double v[] = { 100, 300 };
	struct iov_summary s;

	iov_summarize(v, 2, &s);
	CU_ASSERT(NEAR(s.hmean, 150));
	CU_ASSERT(NEAR(s.mean, 200));
}

static void test_summary_undefined(void)
{
	const double one[] = { 42 }, withzero[] = { 0, 2 }, gaps[] = { NAN, 3, NAN, 5 };
	struct iov_summary s;

	iov_summarize(one, 1, &s);
	CU_ASSERT(s.n == 1 && NEAR(s.mean, 42) && NEAR(s.hmean, 42));
	CU_ASSERT(isnan(s.stddev) && isnan(s.cov_pct));
	iov_summarize(withzero, 2, &s);
	CU_ASSERT(isnan(s.hmean) && NEAR(s.mean, 1));
	iov_summarize(gaps, 4, &s); /* failed repetitions are skipped */
	CU_ASSERT(s.n == 2 && NEAR(s.min, 3) && NEAR(s.mean, 4) && NEAR(s.stddev, sqrt(2)));
	iov_summarize(NULL, 0, &s);
	CU_ASSERT(s.n == 0 && isnan(s.mean) && isnan(s.min));
	/* Zero mean, non-zero spread: CoV undefined, not infinite. */
	const double sym[] = { -1, 1 };
	iov_summarize(sym, 2, &s);
	CU_ASSERT(isnan(s.cov_pct));
}

static void test_percentile_nearest_rank(void)
{
	/* Unsorted input; nearest rank always returns an observed sample. */
	const double v[] = { 50, 10, 40, 20, 30 };

	CU_ASSERT(NEAR(iov_percentile(v, 5, 50), 30));
	CU_ASSERT(NEAR(iov_percentile(v, 5, 20), 10));
	CU_ASSERT(NEAR(iov_percentile(v, 5, 21), 20));
	CU_ASSERT(NEAR(iov_percentile(v, 5, 100), 50));
	CU_ASSERT(NEAR(iov_percentile(v, 5, 0.001), 10));
	CU_ASSERT(isnan(iov_percentile(v, 0, 50)));
	CU_ASSERT(isnan(iov_percentile(v, 5, 0)));
	CU_ASSERT(NEAR(v[0], 50)); /* input untouched */
}

static void test_hist_percentile(void)
{
	struct iov_hist h;
	struct iov_err err;
	uint64_t lo, hi;

	/* Example mbx line of stats-format.md: 65536:3,131072:1 */
	CU_ASSERT_EQUAL_FATAL(iov_hist_parse("65536:3,131072:1", &h, &err), 0);
	CU_ASSERT_EQUAL(iov_hist_total(&h), 4);
	CU_ASSERT(iov_hist_percentile(&h, 50, &lo, &hi) == 0 && lo == 65536 && hi == 131072);
	CU_ASSERT(iov_hist_percentile(&h, 75, &lo, &hi) == 0 && lo == 65536);
	CU_ASSERT(iov_hist_percentile(&h, 76, &lo, &hi) == 0 && lo == 131072 && hi == 262144);
	/* NAPI work histogram of the format's example: 1500 polls. */
	CU_ASSERT_EQUAL_FATAL(iov_hist_parse("1:900,2:300,4:200,8:90,16:5,64:5", &h, &err), 0);
	CU_ASSERT_EQUAL(iov_hist_total(&h), 1500);
	CU_ASSERT(iov_hist_percentile(&h, 60, &lo, &hi) == 0 && lo == 1 && hi == 2);
	CU_ASSERT(iov_hist_percentile(&h, 99.9, &lo, &hi) == 0 && lo == 64);
	memset(&h, 0, sizeof(h));
	CU_ASSERT_EQUAL(iov_hist_percentile(&h, 50, &lo, &hi), -1);
	CU_ASSERT(iov_hist_add(&h, 0, 3) == 0 && iov_hist_percentile(&h, 50, &lo, &hi) == 0);
	CU_ASSERT(lo == 0 && hi == 1);
}

static void test_hist_parse_errors(void)
{
	struct iov_hist h;
	struct iov_err err;

	CU_ASSERT(iov_hist_parse("", &h, &err) == 0 && h.n == 0);
	CU_ASSERT_EQUAL(iov_hist_parse("1:2,3", &h, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'3'"));
	CU_ASSERT_EQUAL(iov_hist_parse("1:x", &h, &err), -1);
	CU_ASSERT_EQUAL(iov_hist_parse("4:1,4:2", &h, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "duplicate"));
}

static void test_hist_delta(void)
{
	struct iov_hist a, b, d;
	struct iov_err err;

	iov_hist_parse("1:10,4:5", &a, &err);
	iov_hist_parse("0:2,1:15,4:5,64:1", &b, &err);
	CU_ASSERT_EQUAL_FATAL(iov_hist_delta(&a, &b, &d, &err), 0);
	CU_ASSERT(iov_hist_count(&d, 0) == 2 && iov_hist_count(&d, 1) == 5 && iov_hist_count(&d, 4) == 0 &&
		  iov_hist_count(&d, 64) == 1);
	CU_ASSERT_EQUAL(iov_hist_delta(&b, &a, &d, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "reset"));
}

static void test_buckets(void)
{
	CU_ASSERT_EQUAL(iov_log2_bucket(0), 0);
	CU_ASSERT_EQUAL(iov_log2_bucket(1), 1);
	CU_ASSERT_EQUAL(iov_log2_bucket(3), 2);
	CU_ASSERT_EQUAL(iov_log2_bucket(40000), 32768);
	CU_ASSERT_EQUAL(iov_log2_bucket(UINT64_MAX), (uint64_t)1 << 63);
	CU_ASSERT_EQUAL(iov_napi_work_bucket(0, 64), 0);
	CU_ASSERT_EQUAL(iov_napi_work_bucket(7, 64), 4);
	CU_ASSERT_EQUAL(iov_napi_work_bucket(63, 64), 32);
	CU_ASSERT_EQUAL(iov_napi_work_bucket(64, 64), 64);
	CU_ASSERT_EQUAL(iov_napi_work_bucket(100, 128), 32); /* 32..budget-1 */
	CU_ASSERT_EQUAL(iov_napi_work_bucket(128, 128), 128);
}

IOV_SUITE(stats,
	  { "summary of 2,4,4,4,5,5,7,9", test_summary_known_answer },
	  { "harmonic mean of rates", test_summary_rates },
	  { "undefined figures are NaN, failed reps skipped", test_summary_undefined },
	  { "nearest-rank percentile", test_percentile_nearest_rank },
	  { "histogram percentile returns the bucket", test_hist_percentile },
	  { "histogram parse errors", test_hist_parse_errors },
	  { "histogram delta and reset detection", test_hist_delta },
	  { "log2 and NAPI work buckets", test_buckets })
