// SPDX-License-Identifier: MIT
/* snapshot.c - split a target snapshot into its sections and hand each to its collector (see snapshot.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/snapshot.h"

/* The target's clock: every rate divides by the uptime's advance. */
static int uptime_parse(void *state, const char *arg, const char *arg2, const char *body, struct iov_err *err)
{
	double *uptime_s = state;

	(void)arg;
	(void)arg2;
	if (sscanf(body, "%lf", uptime_s) != 1 || *uptime_s <= 0) {
		iov_err_set(err, "snapshot: bad /proc/uptime '%.40s'", body);
		return -1;
	}
	return 0;
}

const struct iov_collector_ops iov_collector_uptime = {
	.name = "uptime",
	.section = "uptime",
	.required = true,
	.state_size = sizeof(double),
	.parse = uptime_parse,
};

void snapshot_free(struct snapshot *s)
{
	for (size_t i = 0; s->state && i < s->n; i++) {
		const struct iov_collector_ops *c = iov_collector_at(i);

		if (s->state[i] && c->free)
			c->free(s->state[i]);
		free(s->state[i]);
	}
	free(s->state);
	memset(s, 0, sizeof(*s));
}

const void *snapshot_state(const struct snapshot *s, const char *name)
{
	size_t i;

	if (!iov_collector_lookup(name, &i) || i >= s->n)
		return NULL;
	return s->state[i];
}

double snapshot_uptime(const struct snapshot *s)
{
	const double *uptime_s = snapshot_state(s, "uptime");

	return uptime_s ? *uptime_s : 0;
}

static int snapshot_alloc(struct snapshot *s, struct iov_err *err)
{
	memset(s, 0, sizeof(*s));
	s->state = calloc(iov_collector_count(), sizeof(*s->state));
	if (!s->state)
		goto oom;
	s->n = iov_collector_count();
	for (size_t i = 0; i < s->n; i++) {
		size_t size = iov_collector_at(i)->state_size;

		if (size && !(s->state[i] = calloc(1, size)))
			goto oom;
	}
	return 0;
oom:
	snapshot_free(s);
	iov_err_set(err, "snapshot: out of memory");
	return -1;
}

/* A section header as parsed, to refuse a repeated one (its parse would leak or double-count). */
struct section_key {
	char name[32], arg[64], arg2[64];
};

/* Parse the header at p ("=== NAME [ARG [ARG2]]", ended by eol) into seen[nseen]; refuse a repeat. */
static int section_header(const char *p, struct section_key *seen, size_t nseen, struct iov_err *err)
{
	struct section_key *k = &seen[nseen];

	if (nseen == SNAPSHOT_MAX_SECTIONS) {
		iov_err_set(err, "snapshot: more than %d sections", SNAPSHOT_MAX_SECTIONS);
		return -1;
	}
	if (sscanf(p + 4, "%31s %63s %63s", k->name, k->arg, k->arg2) < 1) {
		iov_err_set(err, "snapshot: section header without a name");
		return -1;
	}
	for (size_t i = 0; i < nseen; i++)
		if (!strcmp(seen[i].name, k->name) && !strcmp(seen[i].arg, k->arg) && !strcmp(seen[i].arg2, k->arg2)) {
			iov_err_set(err, "snapshot: section '=== %s%s%s%s%s' twice", k->name, k->arg[0] ? " " : "",
				    k->arg, k->arg2[0] ? " " : "", k->arg2);
			return -1;
		}
	return 0;
}

static int section_parse(struct snapshot *s, const struct section_key *k, const char *body, bool *present,
			 struct iov_err *err)
{
	size_t i;
	const struct iov_collector_ops *c = iov_collector_of_section(k->name, &i);

	if (!c)
		return 0; /* no collector reads it */
	present[i] = true;
	return c->parse(s->state[i], k->arg, k->arg2, body, err);
}

/* Every section of text; each body is NUL-terminated in place while its collector reads it. */
static int sections_parse(char *text, struct snapshot *s, struct section_key *seen, bool *present,
			  struct iov_err *err)
{
	size_t nseen = 0;

	for (char *p = strstr(text, "=== "); p;) {
		char *eol = strchr(p, '\n'), *next;
		int rc;

		if (!eol)
			break;
		*eol = '\0';
		rc = section_header(p, seen, nseen, err);
		/* The next header: right here (an empty section) or after a newline. */
		next = strncmp(eol + 1, "=== ", 4) ? strstr(eol + 1, "\n=== ") : eol;
		if (next)
			next[1] = '\0'; /* end the body; the next header starts at next + 1 */
		if (!rc)
			rc = section_parse(s, &seen[nseen++], next == eol ? "" : eol + 1, present, err);
		if (next)
			next[1] = '=';
		*eol = '\n';
		if (rc)
			return -1;
		p = next ? next + 1 : NULL;
	}
	return 0;
}

int snapshot_parse(char *text, struct snapshot *s, struct iov_err *err)
{
	struct section_key *seen = calloc(SNAPSHOT_MAX_SECTIONS, sizeof(*seen));
	bool *present = calloc(iov_collector_count(), sizeof(*present));
	int rc = -1;

	if (!seen || !present) {
		iov_err_set(err, "snapshot: out of memory");
		memset(s, 0, sizeof(*s));
		goto out;
	}
	if (snapshot_alloc(s, err))
		goto out;
	if (sections_parse(text, s, seen, present, err))
		goto out;
	for (size_t i = 0; i < s->n; i++)
		if (iov_collector_at(i)->required && !present[i]) {
			iov_err_set(err, "snapshot incomplete: no %s section", iov_collector_at(i)->section);
			goto out;
		}
	rc = 0;
out:
	if (rc)
		snapshot_free(s);
	free(seen);
	free(present);
	return rc;
}
