// SPDX-License-Identifier: MIT
/*
 * test_perf_threads.c - per-thread counts through libperf (agent/perf_threads.c) on this test's
 * own threads, on the real kernel: one thread does a known number of sleeps and getppid calls
 * while another stays blocked, and the counts must tell them apart exactly.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "agent/perf_threads.h"
#include "collect/perf_counts.h"
#include "tests/unit.h"

#define WORKER_SLEEPS 40
#define WORKER_CALLS 1000

struct worker {
	pthread_t thread;
	pid_t tid;
	int go[2], done[2]; /* pipes: the window opens, the work is done */
	int work;	    /* 0: stay blocked until the window closes */
	int linger;	    /* stay alive after the work until worker_end */
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	char c;

	w->tid = (pid_t)syscall(SYS_gettid);
	if (write(w->done[1], "r", 1) != 1 || read(w->go[0], &c, 1) != 1)
		return NULL;
	if (w->work) {
		struct timespec ts = { 0, 200000 };

		for (int i = 0; i < WORKER_SLEEPS; i++)
			nanosleep(&ts, NULL); /* each one a voluntary context switch */
		for (int i = 0; i < WORKER_CALLS; i++)
			syscall(SYS_getppid);
	}
	if (write(w->done[1], "d", 1) != 1)
		return NULL;
	if (!w->work || w->linger) /* blocked through the window, let go only after the counts are read */
		(void)!read(w->go[0], &c, 1);
	return NULL;
}

static int worker_start(struct worker *w, int work, const char *name)
{
	char c;

	memset(w, 0, sizeof(*w));
	w->work = work;
	if (pipe(w->go) || pipe(w->done) || pthread_create(&w->thread, NULL, worker_main, w))
		return -1;
	pthread_setname_np(w->thread, name);
	return read(w->done[0], &c, 1) == 1 ? 0 : -1;
}

static void worker_end(struct worker *w)
{
	(void)!write(w->go[1], "xx", 2); /* whichever of its two waits it is in */
	pthread_join(w->thread, NULL);
	close(w->go[0]);
	close(w->go[1]);
	close(w->done[0]);
	close(w->done[1]);
}

/* perf_event_paranoid can forbid counting other threads to a non-root user: say so, pass. */
static int forbidden(int err)
{
	if ((err == EACCES || err == EPERM) && geteuid() != 0) {
		fprintf(stderr, "\n  (perf events forbidden to this user by perf_event_paranoid: "
				"per-thread counting skipped)\n");
		return 1;
	}
	return 0;
}

static void test_counts_follow_threads(void)
{
	static const struct iov_pt_event ev[] = {
		{ .name = "context-switches", .type = PERF_TYPE_SOFTWARE, .config = PERF_COUNT_SW_CONTEXT_SWITCHES },
		{ .name = "task-clock", .type = PERF_TYPE_SOFTWARE, .config = PERF_COUNT_SW_TASK_CLOCK },
	};
	struct worker busy, idle;
	struct iov_perf_threads *pt;
	uint64_t sw_busy = 0, sw_idle = 0, clk_busy = 0, clk_idle = 0, sum = 0;
	pid_t tids[2];
	size_t bad;
	int err;
	char c;

	CU_ASSERT_EQUAL_FATAL(worker_start(&busy, 1, "CPU 0/KVM"), 0);
	CU_ASSERT_EQUAL_FATAL(worker_start(&idle, 0, "iov-idle"), 0);
	tids[0] = busy.tid;
	tids[1] = idle.tid;
	pt = iov_perf_threads_open(ev, 2, tids, 2, &err, &bad);
	if (!pt && forbidden(err))
		goto out;
	CU_ASSERT_PTR_NOT_NULL_FATAL(pt);
	CU_ASSERT_EQUAL(write(busy.go[1], "g", 1), 1);
	CU_ASSERT_EQUAL(write(idle.go[1], "g", 1), 1);
	CU_ASSERT_EQUAL(read(busy.done[0], &c, 1), 1);
	CU_ASSERT_EQUAL(read(idle.done[0], &c, 1), 1);
	CU_ASSERT_EQUAL(iov_perf_threads_read_one(pt, 0, 0, &sw_busy), 0);
	CU_ASSERT_EQUAL(iov_perf_threads_read_one(pt, 0, 1, &sw_idle), 0);
	CU_ASSERT_EQUAL(iov_perf_threads_read_one(pt, 1, 0, &clk_busy), 0);
	CU_ASSERT_EQUAL(iov_perf_threads_read_one(pt, 1, 1, &clk_idle), 0);
	CU_ASSERT_EQUAL(iov_perf_threads_read(pt, 0, &sum), 0);
	/* every sleep switched the busy thread out; the idle one woke once, to report done */
	CU_ASSERT(sw_busy >= WORKER_SLEEPS);
	CU_ASSERT(sw_idle < WORKER_SLEEPS / 4);
	CU_ASSERT_EQUAL(sum, sw_busy + sw_idle);
	CU_ASSERT(clk_busy > clk_idle);
	CU_ASSERT_EQUAL(iov_perf_threads_read_one(pt, 2, 0, &sum), -EINVAL);
	CU_ASSERT_EQUAL(iov_perf_threads_read_one(pt, 0, 2, &sum), -EINVAL);
	iov_perf_threads_close(pt);
out:
	worker_end(&busy);
	worker_end(&idle);
}

/* Exact: a tracepoint counted on one thread is that thread's calls, no more, no fewer. */
static void test_tracepoint_exact(void)
{
	static const struct iov_pt_event ev[] = { { .name = "syscalls:sys_enter_getppid",
						    .tp = "syscalls/sys_enter_getppid" } };
	struct worker busy;
	struct iov_perf_threads *pt;
	uint64_t n = 0;
	size_t bad;
	int err;
	char c;

	if (iov_perf_tp_id(ev[0].tp) < 0) {
		fprintf(stderr, "\n  (no tracefs with syscalls/sys_enter_getppid on this machine: "
				"exact tracepoint count skipped; lab test 46 counts tracepoints)\n");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(worker_start(&busy, 1, "iov-busy"), 0);
	pt = iov_perf_threads_open(ev, 1, &busy.tid, 1, &err, &bad);
	if (!pt && forbidden(err))
		goto out;
	CU_ASSERT_PTR_NOT_NULL_FATAL(pt);
	CU_ASSERT_EQUAL(write(busy.go[1], "g", 1), 1);
	CU_ASSERT_EQUAL(read(busy.done[0], &c, 1), 1);
	CU_ASSERT_EQUAL(iov_perf_threads_read(pt, 0, &n), 0);
	CU_ASSERT_EQUAL(n, WORKER_CALLS);
	iov_perf_threads_close(pt);
out:
	worker_end(&busy);
}

static void test_open_failures(void)
{
	static const struct iov_pt_event ev[] = {
		{ .name = "context-switches", .type = PERF_TYPE_SOFTWARE, .config = PERF_COUNT_SW_CONTEXT_SWITCHES },
		{ .name = "none:none", .tp = "iovbench_no_such/event" },
	};
	pid_t self = (pid_t)syscall(SYS_gettid), gone;
	struct iov_perf_threads *pt;
	struct worker w;
	size_t bad = 9;
	int err = 0;

	/* a tracepoint this kernel lacks: which one, and ENOENT */
	CU_ASSERT_PTR_NULL(iov_perf_threads_open(ev, 2, &self, 1, &err, &bad));
	CU_ASSERT_EQUAL(err, ENOENT);
	CU_ASSERT_EQUAL(bad, 1);
	/* no thread at all is refused, not an empty count */
	CU_ASSERT_PTR_NULL(iov_perf_threads_open(ev, 1, &self, 0, &err, &bad));
	/* a thread that ended */
	CU_ASSERT_EQUAL_FATAL(worker_start(&w, 1, "iov-gone"), 0);
	gone = w.tid;
	worker_end(&w);
	pt = iov_perf_threads_open(ev, 1, &gone, 1, &err, &bad);
	if (!pt && forbidden(err))
		return;
	CU_ASSERT_PTR_NULL(pt);
	CU_ASSERT_EQUAL(err, ESRCH);
	iov_perf_threads_close(pt);
}

/* QEMU's vCPU threads are found by name, the others left out. */
static void test_threads_named(void)
{
	struct worker vcpu, other;
	pid_t tids[64];
	int n, all;

	CU_ASSERT_EQUAL_FATAL(worker_start(&vcpu, 0, "CPU 0/KVM"), 0);
	CU_ASSERT_EQUAL_FATAL(worker_start(&other, 0, "iov-other"), 0);
	n = iov_perf_threads_named(getpid(), "CPU ", tids, 64);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT(n == 1 && tids[0] == vcpu.tid);
	all = iov_perf_threads_named(getpid(), "", tids, 64);
	CU_ASSERT(all >= 3); /* this one and the two workers */
	CU_ASSERT_EQUAL(iov_perf_threads_named(getpid(), "", tids, 1), 1);
	worker_end(&vcpu);
	worker_end(&other);
	CU_ASSERT_EQUAL(iov_perf_threads_named(getpid(), "CPU ", tids, 64), 0);
	CU_ASSERT_EQUAL(iov_perf_threads_named(-5, "", tids, 64), -1);
}

/* One reading of q, parsed. */
static int qemu_reading(struct iov_qemu_threads *q, struct iov_perf_counts *c)
{
	struct iov_err err;
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	int rc;

	if (!f)
		return -1;
	fputs("# iovperf 1 cpus=1\n", f);
	iov_qemu_threads_print(q, "self", f);
	fclose(f);
	rc = iov_perf_parse(text, c, &err);
	free(text);
	return rc;
}

static uint64_t count_of(const struct iov_perf_counts *c, const char *name)
{
	uint64_t v = UINT64_MAX;

	return iov_perf_value(c, name, &v) ? UINT64_MAX : v;
}

/*
 * A process's threads by class, as the harness counts a QEMU's (this test's own threads named as
 * QEMU names them): the busy "CPU 0/TCG" counts in vcpu, the blocked "vhost-1" in vhost, the rest
 * in io; perf's task clock and the scheduler's run time both see the busy thread's work; a thread
 * started after the opening is counted as uncounted, once.
 */
static void test_qemu_threads_by_class(void)
{
	struct iov_perf_counts b = { 0 }, a = { 0 }, d = { 0 };
	struct worker busy, idle, late;
	const struct iov_perf_count *cycles;
	struct iov_qemu_threads *q;
	struct iov_err err;
	char c;

	CU_ASSERT_EQUAL(iov_qemu_thread_class("CPU 3/KVM"), IOV_QEMU_VCPU);
	CU_ASSERT_EQUAL(iov_qemu_thread_class("vhost-4121"), IOV_QEMU_VHOST);
	CU_ASSERT_EQUAL(iov_qemu_thread_class("qemu-system-x86"), IOV_QEMU_IO);
	CU_ASSERT_EQUAL(iov_qemu_thread_class("IO iothread0"), IOV_QEMU_IO);
	CU_ASSERT_EQUAL_FATAL(worker_start(&busy, 1, "CPU 0/TCG"), 0);
	busy.linger = 1; /* a vCPU thread lives on: the scheduler's run time is read from live threads */
	CU_ASSERT_EQUAL_FATAL(worker_start(&idle, 0, "vhost-1"), 0);
	q = iov_qemu_threads_open(getpid());
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL_FATAL(qemu_reading(q, &b), 0);
	if (!iov_perf_find(&b, "qemu:task-clock/self:vcpu")->supported && geteuid() != 0) {
		fprintf(stderr, "\n  (perf events forbidden to this user: %s)\n", iov_perf_find(&b, "qemu:task-clock/self:vcpu")->why);
		goto out;
	}
	CU_ASSERT_EQUAL(write(busy.go[1], "g", 1), 1);
	CU_ASSERT_EQUAL(write(idle.go[1], "g", 1), 1);
	CU_ASSERT_EQUAL(read(busy.done[0], &c, 1), 1);
	CU_ASSERT_EQUAL(read(idle.done[0], &c, 1), 1);
	CU_ASSERT_EQUAL_FATAL(worker_start(&late, 0, "worker"), 0);
	CU_ASSERT_EQUAL_FATAL(qemu_reading(q, &a), 0);
	CU_ASSERT_EQUAL_FATAL(iov_perf_delta(&b, &a, &d, &err), 0);
	CU_ASSERT(count_of(&d, "qemu:context-switches/self:vcpu") >= WORKER_SLEEPS);
	CU_ASSERT(count_of(&d, "qemu:context-switches/self:vhost") < WORKER_SLEEPS / 4);
	CU_ASSERT(count_of(&d, "qemu:task-clock/self:vcpu") > 0);
	CU_ASSERT(count_of(&d, "qemu:task-clock/self:vcpu") > count_of(&d, "qemu:task-clock/self:vhost"));
	CU_ASSERT(count_of(&d, "qemu:sched-runtime-ns/self:vcpu") > 0);
	CU_ASSERT(count_of(&d, "qemu:sched-runtime-ns/self:vcpu") > count_of(&d, "qemu:sched-runtime-ns/self:vhost"));
	/* the unit test's main thread is in io; the late worker in none, counted once as uncounted */
	CU_ASSERT(count_of(&d, "qemu:task-clock/self:io") != UINT64_MAX);
	CU_ASSERT_EQUAL(count_of(&d, "qemu:threads-uncounted/self"), 1);
	/* the busy thread's cycles: counted where a PMU answers, else no value, never a zero */
	cycles = iov_perf_find(&d, "qemu:cycles/self:vcpu");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cycles);
	CU_ASSERT(cycles->supported ? cycles->total > 0 : !strcmp(cycles->why, "no-pmu"));
	worker_end(&late);
out:
	iov_perf_counts_free(&b);
	iov_perf_counts_free(&a);
	iov_perf_counts_free(&d);
	iov_qemu_threads_close(q);
	worker_end(&busy);
	worker_end(&idle);
	CU_ASSERT_PTR_NULL(iov_qemu_threads_open(0x7ffffff0)); /* no such process */
}


IOV_SUITE(perf_threads, { "per-thread counts tell a busy thread from a blocked one", test_counts_follow_threads },
	  { "a tracepoint counted on one thread is exact", test_tracepoint_exact },
	  { "missing tracepoint, no thread, ended thread", test_open_failures },
	  { "vCPU threads found by name", test_threads_named },
	  { "a QEMU's threads by class, perf and the scheduler", test_qemu_threads_by_class })
