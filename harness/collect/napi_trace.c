// SPDX-License-Identifier: MIT
/* napi_trace.c - napi:napi_poll ftrace text to per-device poll statistics. */
#include "collect/napi_trace.h"
#include "collect/collector.h"
#include "metrics_compute.h"

#include <stdio.h>
#include <string.h>

#define EVENT_TAG "napi_poll: napi poll on napi struct "

void iov_napi_trace_init(struct iov_napi_trace *t)
{
	memset(t, 0, sizeof(*t));
}

static struct iov_napi_dev *get_dev(struct iov_napi_trace *t, const char *dev)
{
	for (size_t i = 0; i < t->ndevs; i++)
		if (!strcmp(t->devs[i].dev, dev))
			return &t->devs[i];
	if (t->ndevs == IOV_NAPI_MAX_DEVS)
		return NULL;
	iov_strlcpy(t->devs[t->ndevs].dev, dev, sizeof(t->devs[0].dev));
	return &t->devs[t->ndevs++];
}

/* "# entries-in-buffer/entries-written: 2318/2400   #P:2": events overwritten when they differ. */
static int check_header(const char *line, int lineno, struct iov_err *err)
{
	unsigned long long in_buffer, written;
	const char *p = strstr(line, "entries-in-buffer/entries-written:");

	if (!p || sscanf(p, "entries-in-buffer/entries-written: %llu/%llu", &in_buffer, &written) != 2)
		return 0;
	if (in_buffer < written) {
		iov_err_set(err, "line %d: the trace buffer overwrote %llu of %llu events (enlarge buffer_size_kb)",
			    lineno, written - in_buffer, written);
		return -1;
	}
	return 0;
}

static int parse_event(struct iov_napi_trace *t, const char *ev, int lineno, struct iov_err *err)
{
	char napi[40], dev[64];
	long long work, budget;
	struct iov_napi_dev *d;
	int consumed = 0;

	if (sscanf(ev, "%39s for device %63s work %lld budget %lld%n", napi, dev, &work, &budget, &consumed) != 4 ||
	    work < 0 || budget < 0) {
		iov_err_set(err, "line %d: malformed napi_poll event '%s'", lineno, ev);
		return -1;
	}
	d = get_dev(t, dev);
	if (!d) {
		iov_err_set(err, "line %d: more than %d devices", lineno, IOV_NAPI_MAX_DEVS);
		return -1;
	}
	d->polls++;
	d->work_total += (uint64_t)work;
	if (!work)
		d->empty_polls++;
	if (budget && work >= budget)
		d->budget_polls++;
	if ((unsigned)budget > d->budget)
		d->budget = (unsigned)budget;
	if (iov_hist_add(&d->work, iov_napi_work_bucket((uint64_t)work, (uint64_t)budget), 1)) {
		iov_err_set(err, "line %d: too many histogram buckets", lineno);
		return -1;
	}
	t->events++;
	return 0;
}

int iov_napi_trace_add(struct iov_napi_trace *t, const char *text, struct iov_err *err)
{
	const char *cursor = text, *raw;
	char line[1024];
	size_t len;
	int lineno = 0;

	while ((raw = iov_next_line(&cursor, &len))) {
		const char *ev, *lost;
		unsigned long long nlost;
		unsigned cpu;

		lineno++;
		iov_strlcpy_n(line, sizeof(line), raw, len);
		if (line[0] == '#') {
			if (check_header(line, lineno, err))
				goto fail;
			continue;
		}
		lost = strstr(line, "CPU:");
		if (lost && sscanf(lost, "CPU:%u [LOST %llu EVENTS]", &cpu, &nlost) == 2) {
			iov_err_set(err, "line %d: %llu events lost on CPU %u, the counts would be incomplete", lineno,
				    nlost, cpu);
			goto fail;
		}
		ev = strstr(line, EVENT_TAG);
		if (!ev) {
			if (strspn(line, " \t") != strlen(line))
				t->other_lines++;
			continue;
		}
		if (parse_event(t, ev + strlen(EVENT_TAG), lineno, err))
			goto fail;
	}
	return 0;
fail:
	iov_err_prefix(err, "napi trace");
	return -1;
}

int iov_napi_trace_parse(const char *text, struct iov_napi_trace *t, struct iov_err *err)
{
	iov_napi_trace_init(t);
	return iov_napi_trace_add(t, text, err);
}

const struct iov_napi_dev *iov_napi_trace_find(const struct iov_napi_trace *t, const char *dev)
{
	for (size_t i = 0; i < t->ndevs; i++)
		if (!strcmp(t->devs[i].dev, dev))
			return &t->devs[i];
	return NULL;
}

/* NAPI polls from the repetition's trace (its own file beside the snapshots, no section). */
static int napi_trace_metrics(const void *before, const void *after, struct iov_collect_rep *rep,
			      struct iov_metric_set *set, struct iov_err *err)
{
	(void)before;
	(void)after;
	if (!rep->trace)
		return 0;
	return iov_metrics_napi_trace(set, rep->trace, rep->figure_name, rep->n, rep->seconds, rep->irqs, err);
}

const struct iov_collector_ops iov_collector_napi_trace = {
	.name = "napi_trace",
	.metrics = napi_trace_metrics,
};
