/* SPDX-License-Identifier: MIT */
/*
 * cpu_time.h - host-side CPU time of a process (QEMU) and of each of its threads, from
 * /proc/<pid>/stat and /proc/<pid>/task/<tid>/stat (utime and stime, fields 14 and 15, in
 * clock ticks of sysconf(_SC_CLK_TCK)).
 *
 * The process line also counts threads that have exited, so the process total is the figure
 * to record (qemu_cpu_s); threads give the breakdown (vCPU threads "CPU 0/TCG", I/O threads...).
 * The comm field is in parentheses and may itself hold spaces and ')': the parser takes the
 * last ')' of the line.
 */
#ifndef IOV_COLLECT_CPU_TIME_H
#define IOV_COLLECT_CPU_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct iov_task_ticks {
	int tid;
	char comm[32];
	uint64_t utime, stime; /* clock ticks */
};

struct iov_proc_ticks {
	struct iov_task_ticks process; /* /proc/<pid>/stat: includes exited threads */
	size_t ntasks;
	struct iov_task_ticks *tasks;
	long ticks_per_s;
};

struct iov_thread_seconds {
	int tid;
	char comm[32];
	double user_s, system_s;
};

struct iov_cpu_time_delta {
	double user_s, system_s, total_s; /* the process */
	size_t nthreads;
	struct iov_thread_seconds *threads; /* threads alive at the second snapshot */
};

/* One stat line ("1234 (CPU 0/TCG) S 1 ..."). */
int iov_stat_line_parse(const char *line, struct iov_task_ticks *t, struct iov_err *err);

/* Read PROC_ROOT/<pid>/stat and every PROC_ROOT/<pid>/task/<tid>/stat; proc_root is "/proc" normally. */
int iov_proc_ticks_read(const char *proc_root, int pid, struct iov_proc_ticks *p, struct iov_err *err);
void iov_proc_ticks_free(struct iov_proc_ticks *p);
/*
 * The ticks as a run keeps them in raw/ (qemu-ticks-*.txt), and back: "clk_tck N", then
 * "process TID UTIME STIME COMM" and one "task ..." line per thread (COMM last: it may hold spaces).
 */
int iov_proc_ticks_format(const struct iov_proc_ticks *p, struct iov_buf *out, struct iov_err *err);
int iov_proc_ticks_parse(const char *text, struct iov_proc_ticks *p, struct iov_err *err);

/*
 * Seconds used between two snapshots of the same process. Threads new in `after` count from
 * zero (they started in between). A counter going down means another process: error.
 */
int iov_cpu_time_delta(const struct iov_proc_ticks *before, const struct iov_proc_ticks *after,
		       struct iov_cpu_time_delta *d, struct iov_err *err);
void iov_cpu_time_delta_free(struct iov_cpu_time_delta *d);

#endif
