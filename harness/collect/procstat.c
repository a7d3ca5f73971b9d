// SPDX-License-Identifier: MIT
/* procstat.c - /proc/stat CPU lines and percentages between snapshots. */
#include "collect/procstat.h"
#include "collect/collector.h"
#include "metrics_compute.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_cpu_line(const char *line, size_t len, int lineno, struct iov_cpu_ticks *t, struct iov_err *err)
{
	uint64_t *fields[] = { &t->user, &t->nice, &t->system, &t->idle, &t->iowait,
			       &t->irq, &t->softirq, &t->steal, &t->guest, &t->guest_nice };
	char buf[512], *save, *tok;
	size_t i = 0;

	if (!iov_strlcpy_n(buf, sizeof(buf), line, len)) {
		iov_err_set(err, "line %d: too long", lineno);
		return -1;
	}
	memset(t, 0, sizeof(*t));
	tok = strtok_r(buf, " \t", &save);
	if (!strcmp(tok, "cpu")) {
		t->cpu = IOV_CPU_ALL;
	} else {
		uint64_t n;

		if (iov_parse_u64(tok + 3, &n) || n > 1u << 20) {
			iov_err_set(err, "line %d: bad CPU name '%s'", lineno, tok);
			return -1;
		}
		t->cpu = (int)n;
	}
	while ((tok = strtok_r(NULL, " \t", &save)) && i < IOV_ARRAY_SIZE(fields))
		if (iov_parse_u64(tok, fields[i++])) {
			iov_err_set(err, "line %d: %s: field %zu '%s' is not a counter", lineno,
				    t->cpu == IOV_CPU_ALL ? "cpu" : "cpuN", i, tok);
			return -1;
		}
	/* Kernels since 2.6.33 print at least up to steal; fewer means a broken or foreign file. */
	if (i < 8) {
		iov_err_set(err, "line %d: %zu fields, need at least 8 (user .. steal)", lineno, i);
		return -1;
	}
	return 0;
}

int iov_procstat_parse(const char *text, struct iov_procstat *st, struct iov_err *err)
{
	const char *cursor = text, *line;
	bool have_all = false;
	size_t len, cap = 0;
	int lineno = 0;

	memset(st, 0, sizeof(*st));
	while ((line = iov_next_line(&cursor, &len))) {
		struct iov_cpu_ticks t;

		lineno++;
		if (len < 4 || strncmp(line, "cpu", 3))
			continue; /* intr, ctxt, btime, processes, softirq ... */
		if (parse_cpu_line(line, len, lineno, &t, err))
			goto fail;
		if (t.cpu == IOV_CPU_ALL) {
			st->all = t;
			have_all = true;
			continue;
		}
		for (size_t i = 0; i < st->ncpus; i++)
			if (st->cpus[i].cpu == t.cpu) {
				iov_err_set(err, "line %d: cpu%d listed twice", lineno, t.cpu);
				goto fail;
			}
		if (iov_grow(&st->cpus, st->ncpus, &cap, sizeof(*st->cpus))) {
			iov_err_set(err, "out of memory");
			goto fail;
		}
		st->cpus[st->ncpus++] = t;
	}
	if (!have_all || !st->ncpus) {
		iov_err_set(err, "no 'cpu' and 'cpuN' lines");
		goto fail;
	}
	return 0;
fail:
	iov_err_prefix(err, "/proc/stat");
	iov_procstat_free(st);
	return -1;
}

void iov_procstat_free(struct iov_procstat *st)
{
	free(st->cpus);
	memset(st, 0, sizeof(*st));
}

static int pct(const struct iov_cpu_ticks *b, const struct iov_cpu_ticks *a, struct iov_cpu_pct *out,
	       struct iov_err *err)
{
	const uint64_t before[] = { b->user, b->nice, b->system, b->idle, b->iowait, b->irq, b->softirq, b->steal };
	const uint64_t after[] = { a->user, a->nice, a->system, a->idle, a->iowait, a->irq, a->softirq, a->steal };
	static const char *const names[] = { "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal" };
	double *dst[] = { &out->user, &out->nice, &out->system, &out->idle,
			  &out->iowait, &out->irq, &out->softirq, &out->steal };
	uint64_t d[8], total = 0;

	for (int i = 0; i < 8; i++) {
		/*
		 * iowait is the one field the kernel documents as able to go backwards (it is an
		 * estimate on NOHZ idle CPUs); everything else going down is a reset or a bug.
		 */
		if (after[i] < before[i]) {
			if (i == 4) {
				d[i] = 0;
				continue;
			}
			iov_err_set(err, "/proc/stat: cpu%d %s went down from %llu to %llu", a->cpu, names[i],
				    (unsigned long long)before[i], (unsigned long long)after[i]);
			return -1;
		}
		d[i] = after[i] - before[i];
		total += d[i];
	}
	memset(out, 0, sizeof(*out));
	out->cpu = a->cpu;
	out->elapsed_ticks = total;
	if (!total)
		return 0;
	for (int i = 0; i < 8; i++)
		*dst[i] = 100.0 * (double)d[i] / (double)total;
	out->busy = 100.0 * (double)(total - d[3] - d[4]) / (double)total;
	return 0;
}

int iov_procstat_delta_pct(const struct iov_procstat *before, const struct iov_procstat *after,
			   struct iov_cpu_pct *all, struct iov_cpu_pct **cpus, size_t *ncpus, struct iov_err *err)
{
	struct iov_cpu_pct *out;
	size_t n = 0;

	*cpus = NULL;
	*ncpus = 0;
	if (pct(&before->all, &after->all, all, err))
		return -1;
	out = calloc(after->ncpus, sizeof(*out));
	if (!out) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < after->ncpus; i++)
		for (size_t j = 0; j < before->ncpus; j++) {
			if (before->cpus[j].cpu != after->cpus[i].cpu)
				continue;
			if (pct(&before->cpus[j], &after->cpus[i], &out[n], err)) {
				free(out);
				return -1;
			}
			if (out[n].elapsed_ticks)
				n++;
			break;
		}
	*cpus = out;
	*ncpus = n;
	return 0;
}

/* The collector of "=== stat": the guest CPUs' busy shares over the repetition. */
static int procstat_state_parse(void *state, const char *arg, const char *arg2, const char *body,
				struct iov_err *err)
{
	struct iov_procstat *st = state;

	(void)arg;
	(void)arg2;
	if (iov_procstat_parse(body, st, err))
		return -1;
	if (!st->ncpus) {
		iov_err_set(err, "snapshot: /proc/stat without a CPU line");
		return -1;
	}
	return 0;
}

static int procstat_state_metrics(const void *before, const void *after, struct iov_collect_rep *rep,
				  struct iov_metric_set *set, struct iov_err *err)
{
	struct iov_cpu_pct all, *cpus = NULL;
	size_t ncpus = 0;
	int rc;

	(void)rep;
	rc = iov_procstat_delta_pct(before, after, &all, &cpus, &ncpus, err) ||
	     iov_metrics_procstat(set, &all, cpus, ncpus, err);
	free(cpus);
	return rc ? -1 : 0;
}

static void procstat_state_free(void *state)
{
	iov_procstat_free(state);
}

const struct iov_collector_ops iov_collector_procstat = {
	.name = "procstat",
	.section = "stat",
	.required = true,
	.state_size = sizeof(struct iov_procstat),
	.parse = procstat_state_parse,
	.free = procstat_state_free,
	.metrics = procstat_state_metrics,
};
