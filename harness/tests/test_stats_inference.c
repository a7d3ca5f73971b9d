// SPDX-License-Identifier: MIT
/* test_stats_inference.c - Mann-Whitney U and Student's t against textbook values. */
#include <math.h>

#include "stats.h"
#include "tests/unit.h"

#define CLOSE(a, b, tol) (fabs((double)(a) - (double)(b)) <= (tol))

static void test_mwu_statistic(void)
{
	/*
	 * Wikipedia's tortoise-and-hare race: finishing order T H H H H H T T T T T H. Give earlier
	 * finishers higher values; the tortoises beat the hares 11 times, U_T = 11, U_H = 25.
	 */
	const char order[] = "THHHHHTTTTTH";
	double t[6], h[6];
	size_t nt = 0, nh = 0;
	struct iov_mwu r;

	for (int i = 0; i < 12; i++) {
		if (order[i] == 'T')
			t[nt++] = 12 - i;
		else
			h[nh++] = 12 - i;
	}
	CU_ASSERT_EQUAL_FATAL(iov_mann_whitney(t, 6, h, 6, &r), 0);
	CU_ASSERT(CLOSE(r.u, 11, 0));
	CU_ASSERT_EQUAL_FATAL(iov_mann_whitney(h, 6, t, 6, &r), 0);
	CU_ASSERT(CLOSE(r.u, 25, 0));
	CU_ASSERT(r.exact);
	/* Ties count one half. */
	const double a[] = { 1, 2 }, b[] = { 2, 3 };
	CU_ASSERT_EQUAL_FATAL(iov_mann_whitney(a, 2, b, 2, &r), 0);
	CU_ASSERT(CLOSE(r.u, 0.5, 0));
}

/*
 * Two samples of n with exactly u pairs a_i > b_j: a all below b, then a's largest values are
 * moved up past b's smallest, one pair at a time.
 */
static void samples_with_u(size_t n, unsigned u, double *a, double *b)
{
	for (size_t i = 0; i < n; i++) {
		a[i] = (double)i * 2;
		b[i] = (double)(2 * n + 2 * i) + 1;
	}
	for (unsigned k = 0; k < u; k++)
		a[n - 1 - k / n] = b[k % n] + 0.5;
}

static unsigned count_greater(const double *a, const double *b, size_t n)
{
	unsigned c = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			c += a[i] > b[j];
	return c;
}

static void test_mwu_critical_values(void)
{
	/*
	 * Textbook two-sided critical values at alpha = 0.05 (Mann & Whitney 1947 tables):
	 * n1 = n2 = 5: U <= 2 is significant, U = 3 is not; n1 = n2 = 8: U <= 13, U = 14 not.
	 * n1 = n2 = 5, U = 0: p = 2 / C(10,5) = 2/252.
	 */
	double a[8], b[8];
	struct iov_mwu r;

	samples_with_u(5, 0, a, b);
	CU_ASSERT_EQUAL_FATAL(iov_mann_whitney(a, 5, b, 5, &r), 0);
	CU_ASSERT(CLOSE(r.u, 0, 0) && CLOSE(r.p_two_sided, 2.0 / 252, 1e-12));
	samples_with_u(5, 2, a, b);
	CU_ASSERT_EQUAL(count_greater(a, b, 5), 2);
	CU_ASSERT_EQUAL_FATAL(iov_mann_whitney(a, 5, b, 5, &r), 0);
	CU_ASSERT(CLOSE(r.p_two_sided, 8.0 / 252, 1e-12)); /* 2 x (1 + 1 + 2) / 252 */
	CU_ASSERT(r.p_two_sided < 0.05);
	samples_with_u(5, 3, a, b);
	CU_ASSERT_EQUAL_FATAL(iov_mann_whitney(a, 5, b, 5, &r), 0);
	CU_ASSERT(r.p_two_sided > 0.05);
	samples_with_u(8, 13, a, b);
	CU_ASSERT_EQUAL(count_greater(a, b, 8), 13);
	CU_ASSERT_EQUAL_FATAL(iov_mann_whitney(a, 8, b, 8, &r), 0);
	CU_ASSERT(r.p_two_sided < 0.05);
	samples_with_u(8, 14, a, b);
	CU_ASSERT_EQUAL(count_greater(a, b, 8), 14);
	CU_ASSERT_EQUAL_FATAL(iov_mann_whitney(a, 8, b, 8, &r), 0);
	CU_ASSERT(r.p_two_sided > 0.05);
	/* Identical samples: p = 1. */
	const double same[] = { 3, 3, 3 };
	CU_ASSERT_EQUAL_FATAL(iov_mann_whitney(same, 3, same, 3, &r), 0);
	CU_ASSERT(CLOSE(r.p_two_sided, 1, 1e-12));
}

static void test_mwu_small_and_large(void)
{
	/* With 2 against 2 values no outcome is significant: the smallest p is 2/C(4,2). */
	const double a[] = { 1, 2 }, b[] = { 10, 11 };
	double big_a[60], big_b[60];
	struct iov_mwu r;

	CU_ASSERT_EQUAL_FATAL(iov_mann_whitney(a, 2, b, 2, &r), 0);
	CU_ASSERT(CLOSE(r.p_two_sided, 2.0 / 6, 1e-12));
	/* Above the exact limit: normal approximation, still decisive for separated samples. */
	for (int i = 0; i < 60; i++) {
		big_a[i] = i;
		big_b[i] = 100 + i;
	}
	CU_ASSERT_EQUAL_FATAL(iov_mann_whitney(big_a, 60, big_b, 60, &r), 0);
	CU_ASSERT(!r.exact && r.p_two_sided < 1e-10);
	/* NaNs skipped; empty refused. */
	const double gaps[] = { NAN, 1, 2 };
	CU_ASSERT_EQUAL_FATAL(iov_mann_whitney(gaps, 3, b, 2, &r), 0);
	CU_ASSERT_EQUAL(r.na, 2);
	CU_ASSERT_EQUAL(iov_mann_whitney(gaps, 1, b, 2, &r), -1);
}

static void test_t_distribution(void)
{
	/* Student's t table, two-sided 95%: df 1 12.706, 2 4.303, 4 2.776, 9 2.262, 30 2.042. */
	CU_ASSERT(CLOSE(iov_t_quantile(0.975, 1), 12.7062, 1e-4));
	CU_ASSERT(CLOSE(iov_t_quantile(0.975, 2), 4.3027, 1e-4));
	CU_ASSERT(CLOSE(iov_t_quantile(0.975, 4), 2.7764, 1e-4));
	CU_ASSERT(CLOSE(iov_t_quantile(0.975, 9), 2.2622, 1e-4));
	CU_ASSERT(CLOSE(iov_t_quantile(0.975, 30), 2.0423, 1e-4));
	CU_ASSERT(CLOSE(iov_t_quantile(0.025, 4), -2.7764, 1e-4));
	CU_ASSERT(CLOSE(iov_t_cdf(0, 7), 0.5, 1e-12));
	CU_ASSERT(CLOSE(iov_t_cdf(2.015, 5), 0.95, 1e-4)); /* one-sided 95%, df 5 */
	CU_ASSERT(isnan(iov_t_quantile(1, 3)) && isnan(iov_t_cdf(1, 0)));
}

static void test_mean_ci(void)
{
	/* 2,4,4,4,5,5,7,9: mean 5, s = sqrt(32/7); 95% half-width t(0.975,7) s / sqrt 8. */
	const double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	double lo, hi, half = 2.364624 * sqrt(32.0 / 7) / sqrt(8);

	CU_ASSERT_EQUAL_FATAL(iov_mean_ci(v, 8, 0.95, &lo, &hi), 0);
	CU_ASSERT(CLOSE(lo, 5 - half, 1e-5) && CLOSE(hi, 5 + half, 1e-5));
	CU_ASSERT_EQUAL(iov_mean_ci(v, 1, 0.95, &lo, &hi), -1);
}

IOV_SUITE(stats_inference, { "Mann-Whitney U statistic (textbook race)", test_mwu_statistic },
	  { "Mann-Whitney exact p and critical values", test_mwu_critical_values },
	  { "Mann-Whitney small n, normal approximation, bad input", test_mwu_small_and_large },
	  { "Student t quantiles against the table", test_t_distribution },
	  { "confidence interval of the mean", test_mean_ci })
