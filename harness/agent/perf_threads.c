// SPDX-License-Identifier: MIT
/* perf_threads.c - per-thread event counts through libperf (perf_threads.h). */
#include "agent/perf_threads.h"

#include <dirent.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <perf/core.h>
#include <perf/cpumap.h>
#include <perf/evlist.h>
#include <perf/evsel.h>
#include <perf/threadmap.h>
#include <stdarg.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct iov_perf_threads {
	struct perf_evlist *evlist;
	struct perf_evsel **evsel;
	size_t nev, ntids;
	bool mapped; /* the evlist handed its maps to the evsels */
};

long iov_perf_tp_id(const char *tp)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[256];
	long id = -1;
	FILE *f;

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]) && id < 0; i++) {
		snprintf(path, sizeof(path), "%s/events/%s/id", roots[i], tp);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%ld", &id) != 1)
			id = -1;
		fclose(f);
	}
	return id;
}

static int quiet(enum libperf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return getenv("IOVPERF_DEBUG") ? vfprintf(stderr, fmt, ap) : 0;
}

struct iov_perf_threads *iov_perf_threads_open(const struct iov_pt_event *ev, size_t nev, const pid_t *tids,
					       size_t ntids, int *err, size_t *bad)
{
	struct iov_perf_threads *pt = calloc(1, sizeof(*pt));
	struct perf_thread_map *threads = NULL;
	struct perf_cpu_map *any = NULL;

	*err = ENOMEM;
	*bad = 0;
	libperf_init(quiet);
	if (!pt || !ntids)
		goto fail;
	pt->evsel = calloc(nev ? nev : 1, sizeof(*pt->evsel));
	pt->evlist = perf_evlist__new();
	threads = perf_thread_map__new_array((int)ntids, (pid_t *)tids);
	any = perf_cpu_map__new_any_cpu(); /* cpu -1: the thread wherever it runs */
	if (!pt->evsel || !pt->evlist || !threads || !any)
		goto fail;
	pt->ntids = ntids;
	for (size_t i = 0; i < nev; i++) {
		struct perf_event_attr attr = { .size = sizeof(attr), .disabled = 1 };

		if (ev[i].tp) {
			long id = iov_perf_tp_id(ev[i].tp);

			if (id < 0) {
				*err = ENOENT;
				*bad = i;
				goto fail;
			}
			attr.type = PERF_TYPE_TRACEPOINT;
			attr.config = (uint64_t)id;
		} else {
			attr.type = ev[i].type;
			attr.config = ev[i].config;
		}
		if (attr.type == PERF_TYPE_HARDWARE)
			attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
		pt->evsel[i] = perf_evsel__new(&attr);
		if (!pt->evsel[i])
			goto fail;
		perf_evlist__add(pt->evlist, pt->evsel[i]);
		pt->nev = i + 1;
	}
	perf_evlist__set_maps(pt->evlist, any, threads);
	pt->mapped = true;
	for (size_t i = 0; i < nev; i++) {
		int rc = perf_evsel__open(pt->evsel[i], perf_evsel__cpus(pt->evsel[i]),
					  perf_evsel__threads(pt->evsel[i]));

		if (!rc && ev[i].filter)
			rc = perf_evsel__apply_filter(pt->evsel[i], ev[i].filter) ? -errno : 0;
		if (!rc)
			rc = perf_evsel__enable(pt->evsel[i]) ? -errno : 0;
		if (rc) {
			*err = -rc;
			*bad = i;
			goto fail;
		}
	}
	perf_cpu_map__put(any);
	perf_thread_map__put(threads);
	*err = 0;
	return pt;
fail:
	perf_cpu_map__put(any);
	perf_thread_map__put(threads);
	iov_perf_threads_close(pt);
	return NULL;
}

int iov_perf_threads_read_one(const struct iov_perf_threads *pt, size_t i, size_t t, uint64_t *v)
{
	struct perf_counts_values c = { 0 };
	int rc;

	if (i >= pt->nev || t >= pt->ntids)
		return -EINVAL;
	rc = perf_evsel__read(pt->evsel[i], 0, (int)t, &c);
	if (rc)
		return rc < 0 ? rc : -EIO;
	*v = c.val;
	if (c.run && c.run < c.ena) /* multiplexed: scaled, as perf stat does */
		*v = (uint64_t)((double)c.val * (double)c.ena / (double)c.run);
	return 0;
}

int iov_perf_threads_read(const struct iov_perf_threads *pt, size_t i, uint64_t *total)
{
	uint64_t sum = 0, v;

	for (size_t t = 0; t < pt->ntids; t++) {
		int rc = iov_perf_threads_read_one(pt, i, t, &v);

		if (rc)
			return rc;
		sum += v;
	}
	*total = sum;
	return 0;
}

void iov_perf_threads_close(struct iov_perf_threads *pt)
{
	if (!pt)
		return;
	if (pt->evlist) {
		perf_evlist__close(pt->evlist);
		/* libperf's evsel delete leaves the maps the evlist gave each evsel referenced */
		for (size_t i = 0; i < pt->nev && pt->mapped; i++) {
			perf_cpu_map__put(perf_evsel__cpus(pt->evsel[i]));
			perf_thread_map__put(perf_evsel__threads(pt->evsel[i]));
		}
		perf_evlist__delete(pt->evlist); /* deletes its evsels */
	}
	free(pt->evsel);
	free(pt);
}

/* TASK_COMM_LEN: a thread's name with its NUL */
#define COMM_LEN 16

/* The threads of pid and their names, at most max; -1 when the process is gone. */
static int thread_names(pid_t pid, pid_t *tids, char (*comm)[COMM_LEN], size_t max)
{
	char path[96], buf[64];
	struct dirent *d;
	size_t n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%ld/task", (long)pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir)) && n < max) {
		char *end;
		long tid = strtol(d->d_name, &end, 10);
		FILE *f;

		if (*end || tid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/task/%ld/comm", (long)pid, tid);
		f = fopen(path, "r");
		if (!f)
			continue; /* the thread ended while we looked */
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
		tids[n] = (pid_t)tid;
		snprintf(comm[n++], COMM_LEN, "%.*s", (int)strcspn(buf, "\n"), buf);
	}
	closedir(dir);
	return (int)n;
}

int iov_perf_threads_named(pid_t pid, const char *prefix, pid_t *tids, size_t max)
{
	char (*comm)[COMM_LEN] = calloc(max ? max : 1, COMM_LEN);
	int n = comm ? thread_names(pid, tids, comm, max) : -1, kept = 0;

	for (int i = 0; i < n; i++)
		if (!strncmp(comm[i], prefix, strlen(prefix)))
			tids[kept++] = tids[i];
	free(comm);
	return n < 0 ? -1 : kept;
}

const char *const iov_qemu_class_name[IOV_QEMU_NCLASS] = { "vcpu", "io", "vhost" };

enum iov_qemu_class iov_qemu_thread_class(const char *comm)
{
	if (!strncmp(comm, "CPU ", 4))
		return IOV_QEMU_VCPU;
	if (!strncmp(comm, "vhost-", 6))
		return IOV_QEMU_VHOST;
	return IOV_QEMU_IO;
}

#define QEMU_MAX_THREADS 256

static const struct iov_pt_event qemu_thread_events[] = {
	{ .name = "qemu:task-clock", .type = PERF_TYPE_SOFTWARE, .config = PERF_COUNT_SW_TASK_CLOCK },
	{ .name = "qemu:context-switches", .type = PERF_TYPE_SOFTWARE, .config = PERF_COUNT_SW_CONTEXT_SWITCHES },
};
#define QEMU_NEV (sizeof(qemu_thread_events) / sizeof(qemu_thread_events[0]))

/* Where a PMU answers (not under TCG, nor in most VMs): a set of their own, which may fail alone. */
static const struct iov_pt_event qemu_thread_hw_events[] = {
	{ .name = "qemu:cycles", .type = PERF_TYPE_HARDWARE, .config = PERF_COUNT_HW_CPU_CYCLES },
	{ .name = "qemu:instructions", .type = PERF_TYPE_HARDWARE, .config = PERF_COUNT_HW_INSTRUCTIONS },
};
#define QEMU_NHW (sizeof(qemu_thread_hw_events) / sizeof(qemu_thread_hw_events[0]))

struct qemu_class_set {
	pid_t tid[QEMU_MAX_THREADS];
	uint64_t runtime[QEMU_MAX_THREADS]; /* ns at the last read: kept once the thread ends */
	size_t n;
	struct iov_perf_threads *pt; /* NULL: why says why */
	char why[64];
	struct iov_perf_threads *hw; /* NULL: hw_why says why */
	char hw_why[64];
};

struct iov_qemu_threads {
	pid_t pid;
	struct qemu_class_set cls[IOV_QEMU_NCLASS];
	pid_t uncounted[QEMU_MAX_THREADS]; /* threads first seen after opening */
	size_t nuncounted;
};

/* The scheduler's run time of one thread (sum_exec_runtime, ns); false when it is gone. */
static bool thread_runtime(pid_t pid, pid_t tid, uint64_t *ns)
{
	unsigned long long v;
	char path[96];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%ld/task/%ld/schedstat", (long)pid, (long)tid);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fscanf(f, "%llu", &v);
	fclose(f);
	if (n != 1)
		return false;
	*ns = v;
	return true;
}

/* The threads of pid and their classes; -1 when the process is gone. */
static int list_classes(pid_t pid, pid_t *tids, enum iov_qemu_class *cls, size_t max)
{
	char comm[QEMU_MAX_THREADS][COMM_LEN];
	int n = thread_names(pid, tids, comm, max < QEMU_MAX_THREADS ? max : QEMU_MAX_THREADS);

	for (int i = 0; i < n; i++)
		cls[i] = iov_qemu_thread_class(comm[i]);
	return n;
}

struct iov_qemu_threads *iov_qemu_threads_open(pid_t pid)
{
	static pid_t tids[QEMU_MAX_THREADS];
	static enum iov_qemu_class cls[QEMU_MAX_THREADS];
	struct iov_qemu_threads *q;
	size_t bad;
	int n, err;

	n = list_classes(pid, tids, cls, QEMU_MAX_THREADS);
	if (n < 0) {
		errno = ESRCH;
		return NULL;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->pid = pid;
	for (int i = 0; i < n; i++) {
		struct qemu_class_set *s = &q->cls[cls[i]];

		s->tid[s->n] = tids[i];
		if (thread_runtime(pid, tids[i], &s->runtime[s->n]))
			s->n++; /* a thread that ended meanwhile is counted by neither */
	}
	for (int c = 0; c < IOV_QEMU_NCLASS; c++) {
		struct qemu_class_set *s = &q->cls[c];

		if (!s->n) {
			snprintf(s->why, sizeof(s->why), "no-threads");
			snprintf(s->hw_why, sizeof(s->hw_why), "no-threads");
			continue;
		}
		s->pt = iov_perf_threads_open(qemu_thread_events, QEMU_NEV, s->tid, s->n, &err, &bad);
		if (!s->pt)
			snprintf(s->why, sizeof(s->why), "perf:%s", strerror(err));
		s->hw = iov_perf_threads_open(qemu_thread_hw_events, QEMU_NHW, s->tid, s->n, &err, &bad);
		if (s->hw)
			continue;
		if (err == ENOENT || err == ENODEV || err == EOPNOTSUPP || err == EINVAL)
			snprintf(s->hw_why, sizeof(s->hw_why), "no-pmu");
		else
			snprintf(s->hw_why, sizeof(s->hw_why), "perf:%s", strerror(err));
	}
	return q;
}

static bool counted(const struct iov_qemu_threads *q, pid_t tid)
{
	for (int c = 0; c < IOV_QEMU_NCLASS; c++)
		for (size_t i = 0; i < q->cls[c].n; i++)
			if (q->cls[c].tid[i] == tid)
				return true;
	for (size_t i = 0; i < q->nuncounted; i++)
		if (q->uncounted[i] == tid)
			return true;
	return false;
}

/* One line per event of a class's set: its count, or why there is none. */
static void print_set(FILE *out, const struct iov_pt_event *ev, size_t nev, const struct iov_perf_threads *pt,
		      const char *why, const char *name, int c)
{
	for (size_t e = 0; e < nev; e++) {
		uint64_t v = 0;
		int rc = pt ? iov_perf_threads_read(pt, e, &v) : 0;

		fprintf(out, "%s/%s:%s ", ev[e].name, name, iov_qemu_class_name[c]);
		if (!pt)
			fprintf(out, "not-supported %s\n", why);
		else if (rc)
			fprintf(out, "not-supported read-failed:%s\n", strerror(-rc));
		else
			fprintf(out, "%" PRIu64 "\n", v);
	}
}

void iov_qemu_threads_print(struct iov_qemu_threads *q, const char *name, FILE *out)
{
	static pid_t tids[QEMU_MAX_THREADS];
	static enum iov_qemu_class cls[QEMU_MAX_THREADS];
	int n;

	for (int c = 0; c < IOV_QEMU_NCLASS; c++) {
		struct qemu_class_set *s = &q->cls[c];
		uint64_t sum = 0, v;

		print_set(out, qemu_thread_events, QEMU_NEV, s->pt, s->why, name, c);
		print_set(out, qemu_thread_hw_events, QEMU_NHW, s->hw, s->hw_why, name, c);
		fprintf(out, "qemu:sched-runtime-ns/%s:%s ", name, iov_qemu_class_name[c]);
		if (!s->pt) {
			fprintf(out, "not-supported %s\n", s->why);
			continue;
		}
		for (size_t i = 0; i < s->n; i++) {
			if (thread_runtime(q->pid, s->tid[i], &v) && v >= s->runtime[i])
				s->runtime[i] = v;
			sum += s->runtime[i];
		}
		fprintf(out, "%" PRIu64 "\n", sum);
	}
	n = list_classes(q->pid, tids, cls, QEMU_MAX_THREADS);
	for (int i = 0; i < n; i++)
		if (!counted(q, tids[i]) && q->nuncounted < QEMU_MAX_THREADS)
			q->uncounted[q->nuncounted++] = tids[i];
	fprintf(out, "qemu:threads-uncounted/%s %zu\n", name, q->nuncounted);
}

void iov_qemu_threads_close(struct iov_qemu_threads *q)
{
	if (!q)
		return;
	for (int c = 0; c < IOV_QEMU_NCLASS; c++) {
		iov_perf_threads_close(q->cls[c].pt);
		iov_perf_threads_close(q->cls[c].hw);
	}
	free(q);
}
