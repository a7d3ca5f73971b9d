// SPDX-License-Identifier: MIT
/* cpu_time.c - per-process and per-thread CPU time from /proc/<pid>/stat and task/<tid>/stat. */
#include "collect/cpu_time.h"
#include "collect/collector.h"
#include "metrics_compute.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int iov_stat_line_parse(const char *line, struct iov_task_ticks *t, struct iov_err *err)
{
	const char *open = strchr(line, '('), *close = strrchr(line, ')'), *p;
	unsigned long long utime, stime;
	int pid, field;

	memset(t, 0, sizeof(*t));
	if (!open || !close || close < open || sscanf(line, "%d (", &pid) != 1) {
		iov_err_set(err, "not a /proc stat line: '%.60s'", line);
		return -1;
	}
	t->tid = pid;
	iov_strlcpy_n(t->comm, sizeof(t->comm), open + 1, (size_t)(close - open - 1));
	/*
	 * Fields 3 (state) onwards follow ')', one space before each; utime and stime are fields
	 * 14 and 15. p stays on ')' or a space, never on the NUL, so p + 1 is inside the string.
	 */
	p = close;
	for (field = 2; field < 14 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p, " %llu %llu", &utime, &stime) != 2) {
		iov_err_set(err, "stat line of %d (%s): fewer than 15 fields", pid, t->comm);
		return -1;
	}
	t->utime = utime;
	t->stime = stime;
	return 0;
}

static int read_stat(const char *path, struct iov_task_ticks *t, struct iov_err *err)
{
	char *text = iov_read_file(path, NULL, err);
	int rc;

	if (!text)
		return -1;
	rc = iov_stat_line_parse(text, t, err);
	if (rc)
		iov_err_prefix(err, "%s", path);
	free(text);
	return rc;
}

int iov_proc_ticks_read(const char *proc_root, int pid, struct iov_proc_ticks *p, struct iov_err *err)
{
	char path[512];
	struct dirent *de;
	size_t cap = 0;
	DIR *d;

	memset(p, 0, sizeof(*p));
	p->ticks_per_s = sysconf(_SC_CLK_TCK);
	snprintf(path, sizeof(path), "%s/%d/stat", proc_root, pid);
	if (read_stat(path, &p->process, err))
		return -1;
	snprintf(path, sizeof(path), "%s/%d/task", proc_root, pid);
	d = opendir(path);
	if (!d) {
		iov_err_set(err, "%s: cannot list threads", path);
		return -1;
	}
	while ((de = readdir(d))) {
		struct iov_task_ticks t;
		char stat_path[sizeof(path) + 300];

		if (de->d_name[0] == '.')
			continue;
		snprintf(stat_path, sizeof(stat_path), "%s/%s/stat", path, de->d_name);
		/*
		 * A thread may exit between readdir and the read: skip it (its time is in the
		 * process total); a thread still there whose stat does not parse is an error.
		 */
		if (read_stat(stat_path, &t, err)) {
			if (access(stat_path, F_OK))
				continue;
			goto fail;
		}
		if (iov_grow(&p->tasks, p->ntasks, &cap, sizeof(*p->tasks))) {
			iov_err_set(err, "out of memory");
			goto fail;
		}
		p->tasks[p->ntasks++] = t;
	}
	closedir(d);
	return 0;
fail:
	closedir(d);
	iov_proc_ticks_free(p);
	return -1;
}

static void format_task(const char *kind, const struct iov_task_ticks *t, struct iov_buf *out)
{
	iov_buf_printf(out, "%s %d %llu %llu %s\n", kind, t->tid, (unsigned long long)t->utime,
		       (unsigned long long)t->stime, t->comm);
}

int iov_proc_ticks_format(const struct iov_proc_ticks *p, struct iov_buf *out, struct iov_err *err)
{
	iov_buf_printf(out, "clk_tck %ld\n", p->ticks_per_s);
	format_task("process", &p->process, out);
	for (size_t i = 0; i < p->ntasks; i++)
		format_task("task", &p->tasks[i], out);
	return iov_buf_ok(out, err);
}

static int parse_task(const char *line, size_t len, struct iov_task_ticks *t, bool *process, struct iov_err *err)
{
	char kind[16], copy[256];
	unsigned long long ut, st;
	int tid, used = 0;

	memset(t, 0, sizeof(*t));
	iov_strlcpy_n(copy, sizeof(copy), line, len);
	if (sscanf(copy, "%15s %d %llu %llu %n", kind, &tid, &ut, &st, &used) != 4 || !used ||
	    (strcmp(kind, "process") && strcmp(kind, "task"))) {
		iov_err_set(err, "qemu ticks: bad line '%.60s'", copy);
		return -1;
	}
	*process = !strcmp(kind, "process");
	t->tid = tid;
	t->utime = ut;
	t->stime = st;
	iov_strlcpy(t->comm, copy + used, sizeof(t->comm));
	return 0;
}

int iov_proc_ticks_parse(const char *text, struct iov_proc_ticks *p, struct iov_err *err)
{
	const char *cur = text, *line;
	size_t len, cap = 0;
	bool have_process = false;

	memset(p, 0, sizeof(*p));
	if (sscanf(text, "clk_tck %ld", &p->ticks_per_s) != 1 || p->ticks_per_s <= 0) {
		iov_err_set(err, "qemu ticks: no clk_tck line");
		return -1;
	}
	iov_next_line(&cur, &len);
	while ((line = iov_next_line(&cur, &len))) {
		struct iov_task_ticks t;
		bool process;

		if (!len)
			continue;
		if (parse_task(line, len, &t, &process, err))
			goto fail;
		if (process) {
			p->process = t;
			have_process = true;
			continue;
		}
		if (iov_grow(&p->tasks, p->ntasks, &cap, sizeof(*p->tasks))) {
			iov_err_set(err, "out of memory");
			goto fail;
		}
		p->tasks[p->ntasks++] = t;
	}
	if (have_process)
		return 0;
	iov_err_set(err, "qemu ticks: no process line");
fail:
	iov_proc_ticks_free(p);
	return -1;
}

void iov_proc_ticks_free(struct iov_proc_ticks *p)
{
	free(p->tasks);
	memset(p, 0, sizeof(*p));
}

int iov_cpu_time_delta(const struct iov_proc_ticks *before, const struct iov_proc_ticks *after,
		       struct iov_cpu_time_delta *d, struct iov_err *err)
{
	double hz = (double)after->ticks_per_s;

	memset(d, 0, sizeof(*d));
	if (before->process.tid != after->process.tid || after->ticks_per_s <= 0 ||
	    after->process.utime < before->process.utime || after->process.stime < before->process.stime) {
		iov_err_set(err, "cpu time: snapshots are not of the same running process (pid %d, %d)",
			    before->process.tid, after->process.tid);
		return -1;
	}
	d->user_s = (double)(after->process.utime - before->process.utime) / hz;
	d->system_s = (double)(after->process.stime - before->process.stime) / hz;
	d->total_s = d->user_s + d->system_s;
	d->threads = calloc(after->ntasks ? after->ntasks : 1, sizeof(*d->threads));
	if (!d->threads) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < after->ntasks; i++) {
		const struct iov_task_ticks *a = &after->tasks[i], *b = NULL;
		struct iov_thread_seconds *t = &d->threads[d->nthreads++];

		for (size_t j = 0; j < before->ntasks && !b; j++)
			if (before->tasks[j].tid == a->tid)
				b = &before->tasks[j];
		if (b && (a->utime < b->utime || a->stime < b->stime)) {
			iov_err_set(err, "cpu time: thread %d (%s) went backwards (tid reused?)", a->tid, a->comm);
			iov_cpu_time_delta_free(d);
			return -1;
		}
		t->tid = a->tid;
		memcpy(t->comm, a->comm, sizeof(t->comm));
		t->user_s = (double)(a->utime - (b ? b->utime : 0)) / hz;
		t->system_s = (double)(a->stime - (b ? b->stime : 0)) / hz;
	}
	return 0;
}

void iov_cpu_time_delta_free(struct iov_cpu_time_delta *d)
{
	free(d->threads);
	memset(d, 0, sizeof(*d));
}

/* The hypervisor process's CPU time (read on the host around the repetition, no snapshot section). */
static int cpu_time_metrics(const void *before, const void *after, struct iov_collect_rep *rep,
			    struct iov_metric_set *set, struct iov_err *err)
{
	(void)before;
	(void)after;
	return rep->qemu ? iov_metrics_cpu_time(set, rep->qemu, err) : 0;
}

const struct iov_collector_ops iov_collector_cpu_time = {
	.name = "cpu_time",
	.metrics = cpu_time_metrics,
};
