// SPDX-License-Identifier: MIT
/* interrupts.c - /proc/interrupts parser and deltas. */
#include "collect/interrupts.h"
#include "collect/collector.h"
#include "metrics_compute.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && isspace((unsigned char)*p))
		p++;
	return p;
}

static int parse_header(const char *line, size_t len, struct iov_irq_table *t, struct iov_err *err)
{
	const char *p = line, *end = line + len;
	size_t cap = 0;

	for (;;) {
		char num[16];
		const char *w;
		uint64_t cpu;

		p = skip_space(p, end);
		if (p == end)
			break;
		w = p;
		while (p < end && !isspace((unsigned char)*p))
			p++;
		if (p - w < 4 || strncmp(w, "CPU", 3) || !iov_strlcpy_n(num, sizeof(num), w + 3, (size_t)(p - w - 3)) ||
		    iov_parse_u64(num, &cpu)) {
			iov_err_set(err, "line 1: expected the CPU header (CPU0 CPU1 ...), got '%.*s'", (int)(p - w), w);
			return -1;
		}
		if (iov_grow(&t->cpu_ids, t->ncpus, &cap, sizeof(*t->cpu_ids))) {
			iov_err_set(err, "out of memory");
			return -1;
		}
		t->cpu_ids[t->ncpus++] = (unsigned)cpu;
	}
	if (!t->ncpus) {
		iov_err_set(err, "line 1: empty CPU header");
		return -1;
	}
	return 0;
}

static int parse_row(const char *line, size_t len, int lineno, struct iov_irq_table *t, size_t *cap,
		     struct iov_err *err)
{
	const char *p = line, *end = line + len, *colon = memchr(line, ':', len);
	struct iov_irq_row *row;
	char *d;

	p = skip_space(p, end);
	if (!colon || colon == p) {
		iov_err_set(err, "line %d: expected 'ID: counts description', got '%.*s'", lineno, (int)len, line);
		return -1;
	}
	if (iov_grow(&t->rows, t->n, cap, sizeof(*t->rows)))
		goto oom;
	row = &t->rows[t->n];
	memset(row, 0, sizeof(*row));
	row->counts = calloc(t->ncpus, sizeof(*row->counts));
	if (!row->counts)
		goto oom;
	t->n++;
	if (!iov_strlcpy_n(row->id, sizeof(row->id), p, (size_t)(colon - p)) || strchr(row->id, ' ')) {
		iov_err_set(err, "line %d: bad IRQ id '%.*s'", lineno, (int)(colon - p), p);
		return -1;
	}
	p = colon + 1;
	/* Up to one count per online CPU; a description may itself start with digits only after them. */
	while (row->ncounts < t->ncpus) {
		char num[24];
		const char *w;

		p = skip_space(p, end);
		w = p;
		while (p < end && isdigit((unsigned char)*p))
			p++;
		if (w == p || (p < end && !isspace((unsigned char)*p))) {
			p = w;
			break;
		}
		if (!iov_strlcpy_n(num, sizeof(num), w, (size_t)(p - w)) ||
		    iov_parse_u64(num, &row->counts[row->ncounts])) {
			iov_err_set(err, "line %d: IRQ %s: count '%.*s' out of range", lineno, row->id, (int)(p - w), w);
			return -1;
		}
		row->total += row->counts[row->ncounts++];
	}
	if (!row->ncounts) {
		iov_err_set(err, "line %d: IRQ %s: no counts", lineno, row->id);
		return -1;
	}
	/* Collapse the description's runs of blanks (column padding) into single spaces. */
	d = row->desc;
	for (p = skip_space(p, end); p < end && d < row->desc + sizeof(row->desc) - 1; p++) {
		if (isspace((unsigned char)*p)) {
			if (d > row->desc && d[-1] != ' ')
				*d++ = ' ';
		} else {
			*d++ = *p;
		}
	}
	while (d > row->desc && d[-1] == ' ')
		d--;
	*d = '\0';
	d = strrchr(row->desc, ' ');
	iov_strlcpy(row->name, d ? d + 1 : row->desc, sizeof(row->name));
	return 0;
oom:
	iov_err_set(err, "out of memory");
	return -1;
}

int iov_irq_parse(const char *text, struct iov_irq_table *t, struct iov_err *err)
{
	const char *cursor = text, *line;
	size_t len, cap = 0;
	int lineno = 0;

	memset(t, 0, sizeof(*t));
	while ((line = iov_next_line(&cursor, &len))) {
		lineno++;
		if (skip_space(line, line + len) == line + len)
			continue;
		if (!t->ncpus ? parse_header(line, len, t, err) : parse_row(line, len, lineno, t, &cap, err))
			goto fail;
	}
	if (!t->ncpus) {
		iov_err_set(err, "empty /proc/interrupts text");
		goto fail;
	}
	for (size_t i = 0; i < t->n; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(t->rows[i].id, t->rows[j].id)) {
				iov_err_set(err, "IRQ %s listed twice", t->rows[i].id);
				goto fail;
			}
	return 0;
fail:
	iov_err_prefix(err, "/proc/interrupts");
	iov_irq_free(t);
	return -1;
}

const struct iov_irq_row *iov_irq_find(const struct iov_irq_table *t, const char *id)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->rows[i].id, id))
			return &t->rows[i];
	return NULL;
}

int iov_irq_delta(const struct iov_irq_table *before, const struct iov_irq_table *after,
		  struct iov_irq_table *delta, struct iov_err *err)
{
	memset(delta, 0, sizeof(*delta));
	if (before->ncpus != after->ncpus ||
	    memcmp(before->cpu_ids, after->cpu_ids, before->ncpus * sizeof(*before->cpu_ids))) {
		iov_err_set(err, "/proc/interrupts: the set of online CPUs changed between snapshots");
		return -1;
	}
	delta->ncpus = after->ncpus;
	delta->cpu_ids = malloc(after->ncpus * sizeof(*delta->cpu_ids));
	delta->rows = calloc(after->n ? after->n : 1, sizeof(*delta->rows));
	if (!delta->cpu_ids || !delta->rows)
		goto oom;
	memcpy(delta->cpu_ids, after->cpu_ids, after->ncpus * sizeof(*delta->cpu_ids));
	for (size_t i = 0; i < before->n; i++)
		if (!iov_irq_find(after, before->rows[i].id))
			delta->rows_vanished++;
	for (size_t i = 0; i < after->n; i++) {
		const struct iov_irq_row *a = &after->rows[i], *b = iov_irq_find(before, a->id);
		struct iov_irq_row *d = &delta->rows[delta->n];

		*d = *a;
		d->total = 0;
		d->counts = calloc(after->ncpus, sizeof(*d->counts));
		if (!d->counts)
			goto oom;
		delta->n++;
		if (b && (strcmp(a->desc, b->desc) || a->ncounts != b->ncounts)) {
			iov_err_set(err, "/proc/interrupts: IRQ %s changed from '%s' to '%s' between snapshots", a->id,
				    b->desc, a->desc);
			goto fail;
		}
		for (unsigned c = 0; c < a->ncounts; c++) {
			uint64_t was = b ? b->counts[c] : 0;

			if (a->counts[c] < was) {
				iov_err_set(err, "/proc/interrupts: IRQ %s on CPU%u went down from %llu to %llu", a->id,
					    after->cpu_ids[c], (unsigned long long)was,
					    (unsigned long long)a->counts[c]);
				goto fail;
			}
			d->counts[c] = a->counts[c] - was;
			d->total += d->counts[c];
		}
	}
	return 0;
oom:
	iov_err_set(err, "out of memory");
fail:
	iov_irq_free(delta);
	return -1;
}

static bool is_boundary(char c)
{
	return c == '\0' || c == ' ' || c == '-' || c == ',' || c == ':';
}

bool iov_irq_row_matches(const struct iov_irq_row *row, const char *pattern)
{
	const char *slash = strchr(pattern, '/');
	size_t scope_len = slash ? (size_t)(slash - pattern) : 0, n;

	if (strlen(row->scope) != scope_len || strncmp(row->scope, pattern, scope_len))
		return false;
	if (slash)
		pattern = slash + 1;
	n = strlen(pattern);
	if (!n)
		return false;
	for (const char *p = strstr(row->desc, pattern); p; p = strstr(p + 1, pattern))
		if ((p == row->desc || is_boundary(p[-1])) && is_boundary(p[n]))
			return true;
	return false;
}

uint64_t iov_irq_sum_matching(const struct iov_irq_table *t, const char *pattern, size_t *nrows)
{
	uint64_t sum = 0;
	size_t matched = 0;

	for (size_t i = 0; i < t->n; i++)
		if (iov_irq_row_matches(&t->rows[i], pattern)) {
			sum += t->rows[i].total;
			matched++;
		}
	if (nrows)
		*nrows = matched;
	return sum;
}

int iov_irq_append_scoped(struct iov_irq_table *dst, const struct iov_irq_table *src, const char *scope,
			  struct iov_err *err)
{
	struct iov_irq_row *rows;

	if (!src->n)
		return 0;
	rows = realloc(dst->rows, (dst->n + src->n) * sizeof(*rows));
	if (!rows) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	dst->rows = rows;
	for (size_t i = 0; i < src->n; i++) {
		struct iov_irq_row *r = &dst->rows[dst->n];

		*r = src->rows[i];
		iov_strlcpy(r->scope, scope, sizeof(r->scope));
		snprintf(r->id, sizeof(r->id), "%s/%.15s", scope, src->rows[i].id);
		snprintf(r->name, sizeof(r->name), "%s/%.63s", scope, src->rows[i].name);
		r->counts = malloc(sizeof(*r->counts));
		if (!r->counts) {
			iov_err_set(err, "out of memory");
			return -1;
		}
		r->counts[0] = r->total;
		r->ncounts = 1;
		dst->n++;
	}
	return 0;
}

void iov_irq_free(struct iov_irq_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->rows[i].counts);
	free(t->rows);
	free(t->cpu_ids);
	memset(t, 0, sizeof(*t));
}

/*
 * The collector of "=== interrupts" (the driver domain's) and "=== interrupts GUEST" (a guest
 * running its own kernel counts its own: a VM guest).
 */
struct irq_snap {
	struct iov_irq_table root;
	size_t n, cap;
	struct irq_guest {
		char name[16];
		struct iov_irq_table t;
	} *guest;
};

static int irq_state_parse(void *state, const char *arg, const char *arg2, const char *body, struct iov_err *err)
{
	struct irq_snap *s = state;
	struct irq_guest *g;

	(void)arg2;
	if (!arg[0]) {
		if (iov_irq_parse(body, &s->root, err))
			return -1;
		if (!s->root.n) {
			iov_err_set(err, "snapshot: /proc/interrupts without a row");
			return -1;
		}
		return 0;
	}
	g = iov_collector_entry(&s->guest, s->n, &s->cap, sizeof(*s->guest), arg, sizeof(g->name), "guest", err);
	if (!g)
		return -1;
	if (iov_irq_parse(body, &g->t, err)) {
		iov_err_prefix(err, "interrupts of guest %s", arg);
		return -1;
	}
	s->n++;
	return 0;
}

static void irq_state_free(void *state)
{
	struct irq_snap *s = state;

	iov_irq_free(&s->root);
	for (size_t i = 0; i < s->n; i++)
		iov_irq_free(&s->guest[i].t);
	free(s->guest);
}

const struct iov_irq_table *iov_irq_snapshot_guest(const void *state, const char *guest)
{
	const struct irq_snap *s = state;

	for (size_t i = 0; s && i < s->n; i++)
		if (!strcmp(s->guest[i].name, guest))
			return &s->guest[i].t;
	return NULL;
}

/* Each VM guest's delta joins the driver domain's in its scope: a topology's "vm1/BDF" selects its rows. */
static int irq_add_guests(const struct irq_snap *b, const struct irq_snap *a, struct iov_irq_table *irq,
			  struct iov_err *err)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct iov_irq_table *ga = iov_irq_snapshot_guest(a, b->guest[i].name);
		struct iov_irq_table d = { 0 };
		int rc;

		if (!ga) {
			iov_err_set(err, "guest %s: no interrupts after the repetition", b->guest[i].name);
			return -1;
		}
		rc = iov_irq_delta(&b->guest[i].t, ga, &d, err) ||
		     iov_irq_append_scoped(irq, &d, b->guest[i].name, err);
		iov_irq_free(&d);
		if (rc) {
			iov_err_prefix(err, "guest %s", b->guest[i].name);
			return -1;
		}
	}
	return 0;
}

/* The tested NICs' interrupts; hands the delta (rep->irq) and their count (rep->irqs) on. */
static int irq_state_metrics(const void *before, const void *after, struct iov_collect_rep *rep,
			     struct iov_metric_set *set, struct iov_err *err)
{
	const struct irq_snap *b = before, *a = after;

	if (iov_irq_delta(&b->root, &a->root, &rep->irq, err) || irq_add_guests(b, a, &rep->irq, err))
		return -1;
	if (rep->no_device_irqs)
		return 0;
	return iov_metrics_interrupts(set, &rep->irq, rep->bdf, rep->n, rep->seconds, rep->packets, &rep->irqs, err);
}

const struct iov_collector_ops iov_collector_interrupts = {
	.name = "interrupts",
	.section = "interrupts",
	.required = true,
	.state_size = sizeof(struct irq_snap),
	.parse = irq_state_parse,
	.free = irq_state_free,
	.metrics = irq_state_metrics,
};
