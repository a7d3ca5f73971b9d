/* SPDX-License-Identifier: MIT */
/*
 * perf_threads.h - exact counts of a few events on a given set of threads, any CPU, through
 * libperf (one evlist, one evsel per event on one thread map). iovperf counts KVM's
 * tracepoints on a VM guest's vCPU threads with it; the unit tests count the test's own
 * threads' software events with it (the same code on the real kernel).
 *
 * Unlike iovperf's per-CPU set, these counters follow their threads from CPU to CPU, so an
 * event is charged to the guest whose vCPU it happened in, not to the CPU.
 */
#ifndef IOV_AGENT_PERF_THREADS_H
#define IOV_AGENT_PERF_THREADS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct iov_perf_threads;

/*
 * libperf's own filter setter (internal/evsel.h, whose headers need the kernel's tools/include):
 * it sets the filter on every fd of an evsel whose maps came from an evlist.
 */
struct perf_evsel;
int perf_evsel__apply_filter(struct perf_evsel *evsel, const char *filter);

struct iov_pt_event {
	const char *name; /* as printed: "kvm:kvm_exit", "context-switches" */
	const char *tp;	  /* a tracepoint "system/name" in tracefs, or NULL: */
	uint32_t type;	  /* PERF_TYPE_SOFTWARE/HARDWARE when tp is NULL */
	uint64_t config;
	const char *filter; /* a tracepoint filter ("exit_reason==120"), or NULL */
};

/*
 * Open and enable every event on each of tids[0..ntids) (every CPU). NULL with *err an errno:
 * ENOENT for a tracepoint this kernel lacks, ESRCH for a thread that is gone, EACCES/EPERM when
 * perf_event_paranoid forbids it, EINVAL for a filter the event refuses, and *bad set to the
 * index of the event that failed. A hardware event the PMU had to multiplex reads scaled to
 * its enabled time.
 */
struct iov_perf_threads *iov_perf_threads_open(const struct iov_pt_event *ev, size_t nev, const pid_t *tids,
					       size_t ntids, int *err, size_t *bad);
/* Event i's count summed over the threads (0, or -errno of the failed read). */
int iov_perf_threads_read(const struct iov_perf_threads *pt, size_t i, uint64_t *total);
/* Event i's count on thread t alone. */
int iov_perf_threads_read_one(const struct iov_perf_threads *pt, size_t i, size_t t, uint64_t *v);
void iov_perf_threads_close(struct iov_perf_threads *pt);

/* The tracepoint's id ("system/name") from tracefs, or -1 when this kernel has no such event. */
long iov_perf_tp_id(const char *tp);

/*
 * The threads of process pid whose name (comm) starts with prefix ("CPU " for QEMU's vCPU
 * threads, "CPU 0/KVM"...; "" for all), at most max into tids. The count found, -1 when the
 * process is gone or memory ran out.
 */
int iov_perf_threads_named(pid_t pid, const char *prefix, pid_t *tids, size_t max);

/*
 * A QEMU process's threads by class, their CPU counted two ways: perf's task clock and context
 * switches (per thread, summed per class) and the scheduler's run time of the same threads
 * (/proc/PID/task/TID/schedstat), so each checks the other. A thread's class comes from its
 * name: "CPU N/KVM" or "CPU N/TCG" runs a vCPU (QEMU's -name debug-threads=on); "vhost-PID" is
 * the kernel's vhost worker, which since Linux 6.4 is a thread of the QEMU owning the device;
 * every other thread (main loop, iothreads, RCU, the worker pool) is the device model's, "io".
 * The threads are those of the moment of opening; threads that appear later are counted by
 * number only. A thread that ends keeps its last reading of run time (what it ran after that is
 * in perf's count only), while perf keeps its final counts.
 */
enum iov_qemu_class { IOV_QEMU_VCPU, IOV_QEMU_IO, IOV_QEMU_VHOST, IOV_QEMU_NCLASS };
extern const char *const iov_qemu_class_name[IOV_QEMU_NCLASS];
enum iov_qemu_class iov_qemu_thread_class(const char *comm);

struct iov_qemu_threads;
/*
 * Open the counters on every thread of pid. NULL only when the process is gone or memory ran out
 * (errno); a class whose counters perf refuses (perf_event_paranoid, no perf events) is
 * printed "not-supported perf:REASON", a class without threads "not-supported no-threads".
 */
struct iov_qemu_threads *iov_qemu_threads_open(pid_t pid);
/*
 * One reading, in iovperf's format (collect/perf_counts.h), each count from the opening on
 * except the scheduler's run time (since the thread began; readings only differ):
 *   qemu:task-clock/NAME:CLASS NS         qemu:context-switches/NAME:CLASS N
 *   qemu:sched-runtime-ns/NAME:CLASS NS   qemu:threads-uncounted/NAME N (cumulative)
 *   qemu:cycles/NAME:CLASS N              qemu:instructions/NAME:CLASS N
 * the last two "not-supported no-pmu" where no PMU answers (TCG, most VMs), never a zero.
 */
void iov_qemu_threads_print(struct iov_qemu_threads *q, const char *name, FILE *out);
void iov_qemu_threads_close(struct iov_qemu_threads *q);

#endif
