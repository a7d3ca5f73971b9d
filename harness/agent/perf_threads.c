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

int iov_perf_threads_named(pid_t pid, const char *prefix, pid_t *tids, size_t max)
{
	char path[64], comm[64];
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
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = '\0';
		fclose(f);
		if (!strncmp(comm, prefix, strlen(prefix)))
			tids[n++] = (pid_t)tid;
	}
	closedir(dir);
	return (int)n;
}
