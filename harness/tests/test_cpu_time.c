// SPDX-License-Identifier: MIT
/* test_cpu_time.c - QEMU thread CPU time from a /proc tree: awkward comm names, threads coming and going. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/cpu_time.h"
#include "tests/unit.h"

static void test_stat_line(void)
{
	struct iov_task_ticks t;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(iov_stat_line_parse("77 (a) b (c)) R 1 2 3 4 5 6 7 8 9 10 11 12 13\n", &t, &err), 0);
	CU_ASSERT_STRING_EQUAL(t.comm, "a) b (c)");
	CU_ASSERT(t.tid == 77 && t.utime == 11 && t.stime == 12);
	CU_ASSERT_EQUAL(iov_stat_line_parse("77 (x) R 1 2 3 4 5 6 7 8 9 10\n", &t, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "fewer than 15 fields"));
	CU_ASSERT_EQUAL(iov_stat_line_parse("garbage", &t, &err), -1);
}

/* A line that ends at ')' (fuzzing found a 1-byte over-read there): on the heap, exactly sized, for ASan. */
static void test_stat_line_ends_at_paren(void)
{
	char *line = strdup("1 (x)");
	struct iov_task_ticks t;
	struct iov_err err;

	CU_ASSERT_PTR_NOT_NULL_FATAL(line);
	CU_ASSERT_EQUAL(iov_stat_line_parse(line, &t, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "fewer than 15 fields"));
	free(line);
}

static void test_fixture_tree(void)
{
	struct iov_proc_ticks b, a;
	struct iov_cpu_time_delta d;
	struct iov_err err;
	double hz = (double)sysconf(_SC_CLK_TCK);
	bool saw_new = false, saw_cpu0 = false;

	CU_ASSERT_EQUAL_FATAL(iov_proc_ticks_read("data/proc", 4242, &b, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_proc_ticks_read("data/proc-after", 4242, &a, &err), 0);
	CU_ASSERT(b.ntasks == 4 && a.ntasks == 4);
	CU_ASSERT_EQUAL_FATAL(iov_cpu_time_delta(&b, &a, &d, &err), 0);
	/* process: utime 9000 -> 9700, stime 3000 -> 3350 (includes the exited CPU 1/TCG thread) */
	CU_ASSERT(fabs(d.user_s - 700 / hz) < 1e-9 && fabs(d.system_s - 350 / hz) < 1e-9);
	CU_ASSERT(fabs(d.total_s - 1050 / hz) < 1e-9);
	for (size_t i = 0; i < d.nthreads; i++) {
		if (!strcmp(d.threads[i].comm, "CPU 0/TCG")) {
			saw_cpu0 = true;
			CU_ASSERT(fabs(d.threads[i].user_s - 400 / hz) < 1e-9);
		}
		if (!strcmp(d.threads[i].comm, "IO mon_iothread")) {
			saw_new = true; /* started in between: counts from zero */
			CU_ASSERT(fabs(d.threads[i].system_s - 40 / hz) < 1e-9);
		}
		if (d.threads[i].tid == 4260)
			CU_ASSERT_STRING_EQUAL(d.threads[i].comm, "worker) x");
	}
	CU_ASSERT(saw_cpu0 && saw_new);
	iov_cpu_time_delta_free(&d);
	CU_ASSERT_EQUAL(iov_cpu_time_delta(&a, &b, &d, &err), -1);
	iov_proc_ticks_free(&a);
	iov_proc_ticks_free(&b);
	CU_ASSERT_EQUAL(iov_proc_ticks_read("data/proc", 1, &b, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "data/proc/1/stat"));
}

static void test_self(void)
{
	struct iov_proc_ticks p;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(iov_proc_ticks_read("/proc", getpid(), &p, &err), 0);
	CU_ASSERT(p.ntasks >= 1 && p.process.tid == getpid() && p.ticks_per_s > 0);
	iov_proc_ticks_free(&p);
}

IOV_SUITE(cpu_time,
	  { "stat line with ')' in comm", test_stat_line },
	  { "stat line ending at ')' is refused without reading past it", test_stat_line_ends_at_paren },
	  { "process and thread deltas from a /proc tree", test_fixture_tree },
	  { "reads this process from /proc", test_self })
