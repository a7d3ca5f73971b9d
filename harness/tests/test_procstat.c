// SPDX-License-Identifier: MIT
/* test_procstat.c - /proc/stat per-CPU deltas as percentages. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collect/procstat.h"
#include "tests/unit.h"

#define NEAR(a, b) (fabs((double)(a) - (double)(b)) < 1e-9)

static void test_real_snapshots(void)
{
	struct iov_procstat b, a;
	struct iov_cpu_pct all, *cpus;
	struct iov_err err;
	size_t n;
	char *tb = iov_read_file("data/procstat-before.txt", NULL, &err);
	char *ta = iov_read_file("data/procstat-after.txt", NULL, &err);

	CU_ASSERT_FATAL(tb && ta);
	CU_ASSERT_EQUAL_FATAL(iov_procstat_parse(tb, &b, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_procstat_parse(ta, &a, &err), 0);
	CU_ASSERT_EQUAL(b.ncpus, 2);
	CU_ASSERT(b.all.cpu == IOV_CPU_ALL && b.all.user == 16923 && b.all.softirq == 388 && b.all.guest == 2);
	CU_ASSERT_EQUAL_FATAL(iov_procstat_delta_pct(&b, &a, &all, &cpus, &n, &err), 0);
	/* aggregate: system +6, idle +67, iowait +1, softirq +1 = 75 ticks */
	CU_ASSERT_EQUAL(all.elapsed_ticks, 75);
	CU_ASSERT(NEAR(all.system, 600.0 / 75) && NEAR(all.idle, 6700.0 / 75) && NEAR(all.softirq, 100.0 / 75));
	CU_ASSERT(NEAR(all.busy, 100.0 * 7 / 75));
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT(cpus[1].cpu == 1 && cpus[1].elapsed_ticks == 7 + 30 + 1);
	free(cpus);
	iov_procstat_free(&a);
	iov_procstat_free(&b);
	free(ta);
	free(tb);
}

static void test_offline_and_errors(void)
{
	const char *b = "cpu 10 0 10 80 0 0 0 0 0 0\ncpu0 5 0 5 40 0 0 0 0 0 0\ncpu3 5 0 5 40 0 0 0 0\nintr 1\n";
	const char *a = "cpu 20 0 20 160 0 0 0 0 0 0\ncpu0 10 0 10 80 0 0 0 0 0 0\ncpu2 0 0 0 0 0 0 0 0\n"
			"cpu3 10 0 10 80 0 5 5 0 0 0\n";
	struct iov_procstat sb, sa;
	struct iov_cpu_pct all, *cpus;
	struct iov_err err;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(iov_procstat_parse(b, &sb, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_procstat_parse(a, &sa, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_procstat_delta_pct(&sb, &sa, &all, &cpus, &n, &err), 0);
	CU_ASSERT_EQUAL(n, 2); /* cpu2 absent before: no figure; cpu0 and cpu3 */
	CU_ASSERT(cpus[1].cpu == 3 && cpus[1].elapsed_ticks == 60);
	CU_ASSERT(NEAR(cpus[1].irq, 100.0 * 5 / 60) && NEAR(cpus[1].user, 100.0 * 5 / 60));
	free(cpus);
	CU_ASSERT_EQUAL(iov_procstat_delta_pct(&sa, &sb, &all, &cpus, &n, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "went down"));
	iov_procstat_free(&sa);
	iov_procstat_free(&sb);
	CU_ASSERT_EQUAL(iov_procstat_parse("cpu 1 2 3\ncpu0 1 2 3\n", &sa, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "need at least 8"));
	CU_ASSERT_EQUAL(iov_procstat_parse("intr 5\n", &sa, &err), -1);
	CU_ASSERT_EQUAL(iov_procstat_parse("cpu 1 2 3 4 5 6 7 8\ncpuX 1 2 3 4 5 6 7 8\n", &sa, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "bad CPU name"));
}

IOV_SUITE(procstat,
	  { "real /proc/stat snapshots", test_real_snapshots },
	  { "CPU sets that differ, bad input", test_offline_and_errors })
