// SPDX-License-Identifier: MIT
/* perf_counts.c - iovperf readings and their deltas (perf_counts.h). */
#include "collect/perf_counts.h"
#include "collect/collector.h"
#include "metrics_compute.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	*v = strtoull(s, &end, 10);
	return *end ? -1 : 0;
}

/* "cpuN=V" */
static int parse_cpu(const char *tok, int *id, uint64_t *v)
{
	char *end;
	long n;

	if (strncmp(tok, "cpu", 3) || tok[3] < '0' || tok[3] > '9')
		return -1;
	n = strtol(tok + 3, &end, 10);
	if (*end != '=' || n < 0 || n > 1 << 20)
		return -1;
	*id = (int)n;
	return parse_u64(end + 1, v);
}

/* "K:V,K:V,..." (8 buckets at most), whose counts add up to the line's total */
static int parse_hist(const char *s, struct iov_perf_count *e)
{
	uint64_t sum = 0;
	size_t n = 0;
	char *end;

	while (*s) {
		long k = strtol(s, &end, 10);

		if (end == s || *end != ':' || k < 0 || n == 8)
			return -1;
		s = end + 1;
		if (*s < '0' || *s > '9')
			return -1;
		e->hist_key[n] = (int)k;
		e->hist[n] = strtoull(s, &end, 10);
		sum += e->hist[n++];
		if (*end && *end != ',')
			return -1;
		s = *end ? end + 1 : end;
	}
	e->has_hist = true;
	return sum == e->total ? 0 : -1;
}

static int parse_line(char *line, struct iov_perf_count *e, struct iov_err *err)
{
	char *save, *tok, *name, *val;
	uint64_t sum = 0;

	memset(e, 0, sizeof(*e));
	name = strtok_r(line, " ", &save);
	val = strtok_r(NULL, " ", &save);
	if (!name || !val) {
		iov_err_set(err, "'%.60s': no count", name ? name : "");
		return -1;
	}
	if (strlen(name) >= sizeof(e->name)) {
		iov_err_set(err, "event name too long: '%.60s'", name);
		return -1;
	}
	snprintf(e->name, sizeof(e->name), "%s", name);
	if (!strcmp(val, "not-supported")) {
		tok = strtok_r(NULL, "", &save);
		snprintf(e->why, sizeof(e->why), "%s", tok ? tok : "not-supported");
		return 0;
	}
	if (parse_u64(val, &e->total)) {
		iov_err_set(err, "%s: bad count '%.20s'", name, val);
		return -1;
	}
	e->supported = true;
	while ((tok = strtok_r(NULL, " ", &save))) {
		uint64_t v, *vs;
		int id, *ids;

		if (!strncmp(tok, "scaled=", 7)) {
			e->scaled = true;
			continue;
		}
		if (!strncmp(tok, "bad=", 4))
			continue; /* records iovperf could not decode: its own diagnostic */
		if (!strncmp(tok, "lost=", 5)) {
			if (parse_u64(tok + 5, &e->lost)) {
				iov_err_set(err, "%s: bad field '%.20s'", name, tok);
				return -1;
			}
			e->has_hist = true;
			continue;
		}
		if (!strncmp(tok, "hist=", 5)) {
			if (parse_hist(tok + 5, e)) {
				iov_err_set(err, "%s: bad histogram '%.40s'", name, tok);
				return -1;
			}
			continue;
		}
		if (parse_cpu(tok, &id, &v)) {
			iov_err_set(err, "%s: bad field '%.20s'", name, tok);
			return -1;
		}
		ids = realloc(e->cpu_id, (e->ncpu + 1) * sizeof(*ids));
		if (ids)
			e->cpu_id = ids;
		vs = ids ? realloc(e->cpu, (e->ncpu + 1) * sizeof(*vs)) : NULL;
		if (!vs) {
			iov_err_set(err, "out of memory");
			return -1;
		}
		e->cpu = vs;
		e->cpu_id[e->ncpu] = id;
		e->cpu[e->ncpu++] = v;
		sum += v;
	}
	if (e->ncpu && sum != e->total) {
		iov_err_set(err, "%s: total %llu is not the sum of its CPUs (%llu)", name,
			    (unsigned long long)e->total, (unsigned long long)sum);
		return -1;
	}
	return 0;
}

static void count_free(struct iov_perf_count *e)
{
	free(e->cpu_id);
	free(e->cpu);
	e->cpu_id = NULL;
	e->cpu = NULL;
	e->ncpu = 0;
}

void iov_perf_counts_free(struct iov_perf_counts *c)
{
	for (size_t i = 0; i < c->n; i++)
		count_free(&c->ev[i]);
	c->n = 0;
}

int iov_perf_parse(const char *text, struct iov_perf_counts *c, struct iov_err *err)
{
	char *copy = strdup(text), *line, *save;
	bool header = false;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	if (!copy) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!header) {
			if (sscanf(line, "# iovperf 1 cpus=%d", &c->ncpus) != 1 || c->ncpus <= 0) {
				iov_err_set(err, "no '# iovperf 1 cpus=N' header: '%.40s'", line);
				goto out;
			}
			header = true;
			continue;
		}
		if (c->n == IOV_PERF_MAX_EVENTS) {
			iov_err_set(err, "more than %d events", IOV_PERF_MAX_EVENTS);
			goto out;
		}
		if (parse_line(line, &c->ev[c->n], err)) {
			count_free(&c->ev[c->n]);
			goto out;
		}
		c->n++;
		if (iov_perf_find(c, c->ev[c->n - 1].name) != &c->ev[c->n - 1]) {
			iov_err_set(err, "event %s listed twice", c->ev[c->n - 1].name);
			goto out;
		}
	}
	if (!header) {
		iov_err_set(err, "empty reading: no '# iovperf 1' header");
		goto out;
	}
	rc = 0;
out:
	free(copy);
	if (rc) {
		iov_err_prefix(err, "iovperf counts");
		iov_perf_counts_free(c);
	}
	return rc;
}

const struct iov_perf_count *iov_perf_find(const struct iov_perf_counts *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->ev[i].name, name))
			return &c->ev[i];
	return NULL;
}

int iov_perf_value(const struct iov_perf_counts *c, const char *name, uint64_t *v)
{
	const struct iov_perf_count *e = iov_perf_find(c, name);

	if (!e || !e->supported)
		return -1;
	*v = e->total;
	return 0;
}

int iov_perf_delta(const struct iov_perf_counts *before, const struct iov_perf_counts *after,
		   struct iov_perf_counts *delta, struct iov_err *err)
{
	memset(delta, 0, sizeof(*delta));
	delta->ncpus = after->ncpus;
	for (size_t i = 0; i < after->n; i++) {
		const struct iov_perf_count *a = &after->ev[i], *b = iov_perf_find(before, a->name);
		struct iov_perf_count *d = &delta->ev[delta->n++];

		snprintf(d->name, sizeof(d->name), "%s", a->name);
		if (!a->supported || !b || !b->supported) {
			snprintf(d->why, sizeof(d->why), "%s",
				 !a->supported ? a->why : !b ? "absent before" : b->why);
			continue;
		}
		if (a->total < b->total) {
			iov_err_set(err, "iovperf counts: %s went down (%llu -> %llu): counters restarted?",
				    a->name, (unsigned long long)b->total, (unsigned long long)a->total);
			iov_perf_counts_free(delta);
			return -1;
		}
		d->supported = true;
		d->scaled = a->scaled || b->scaled;
		d->total = a->total - b->total;
		if (a->has_hist && b->has_hist) {
			if (a->lost < b->lost) {
				iov_err_set(err, "iovperf counts: %s lost went down", a->name);
				iov_perf_counts_free(delta);
				return -1;
			}
			d->has_hist = true;
			d->lost = a->lost - b->lost;
			for (size_t k = 0; k < 8; k++) {
				/* iovperf keeps the bucket order; the budget key is 0 until a first poll */
				uint64_t before = b->hist_key[k] == a->hist_key[k] ? b->hist[k] : 0;

				if ((b->hist_key[k] != a->hist_key[k] && b->hist[k]) || a->hist[k] < before) {
					iov_err_set(err, "iovperf counts: %s histogram bucket %d went down or "
						    "changed key", a->name, a->hist_key[k]);
					iov_perf_counts_free(delta);
					return -1;
				}
				d->hist_key[k] = a->hist_key[k];
				d->hist[k] = a->hist[k] - before;
			}
		}
		/* per CPU only where both readings list the same CPUs */
		bool same = a->ncpu && a->ncpu == b->ncpu;

		for (size_t k = 0; same && k < a->ncpu; k++)
			same = a->cpu_id[k] == b->cpu_id[k];
		if (same) {
			d->cpu_id = malloc(a->ncpu * sizeof(*d->cpu_id));
			d->cpu = malloc(a->ncpu * sizeof(*d->cpu));
			if (!d->cpu_id || !d->cpu) {
				iov_err_set(err, "out of memory");
				iov_perf_counts_free(delta);
				return -1;
			}
			for (size_t k = 0; k < a->ncpu; k++) {
				if (a->cpu[k] < b->cpu[k] && !d->scaled) {
					iov_err_set(err, "iovperf counts: %s on cpu%d went down", a->name,
						    a->cpu_id[k]);
					iov_perf_counts_free(delta);
					return -1;
				}
				d->cpu_id[k] = a->cpu_id[k];
				/* an extrapolated count may step back on one CPU: clamp it there */
				d->cpu[k] = a->cpu[k] >= b->cpu[k] ? a->cpu[k] - b->cpu[k] : 0;
			}
			d->ncpu = a->ncpu;
		}
	}
	return 0;
}

int iov_perf_snap_parse(struct iov_perf_snap *s, const char *body, struct iov_err *err)
{
	if (iov_perf_parse(body, &s->c, err))
		return -1;
	s->present = true;
	return 0;
}

void iov_perf_snap_free(void *state)
{
	struct iov_perf_snap *s = state;

	if (s->present)
		iov_perf_counts_free(&s->c);
}

/* The collector of "=== perf": the driver domain's perf-event counts (iovperf), when it runs. */
static int perf_state_parse(void *state, const char *arg, const char *arg2, const char *body, struct iov_err *err)
{
	(void)arg;
	(void)arg2;
	return iov_perf_snap_parse(state, body, err);
}

static int perf_state_metrics(const void *before, const void *after, struct iov_collect_rep *rep,
			      struct iov_metric_set *set, struct iov_err *err)
{
	const struct iov_perf_snap *b = before, *a = after;
	struct iov_perf_counts d;
	int rc;

	if (!b->present || !a->present)
		return 0;
	/* a VM guest's polls are in the trace too, not in the driver domain's perf counts */
	rc = iov_perf_delta(&b->c, &a->c, &d, err) ||
	     iov_metrics_perf(set, &d, rep->seconds, rep->packets,
			      rep->trace && !rep->own_kernel ? (int64_t)rep->trace->events : -1, err);
	iov_perf_counts_free(&d);
	return rc ? -1 : 0;
}

const struct iov_collector_ops iov_collector_perf = {
	.name = "perf",
	.section = "perf",
	.state_size = sizeof(struct iov_perf_snap),
	.parse = perf_state_parse,
	.free = iov_perf_snap_free,
	.metrics = perf_state_metrics,
};
