// SPDX-License-Identifier: MIT
/* netdev.c - /proc/net/dev parser and deltas. */
#include "collect/netdev.h"
#include "collect/collector.h"
#include "metrics_compute.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int iov_netdev_parse(const char *text, struct iov_netdev_table *t, struct iov_err *err)
{
	const char *cursor = text, *raw;
	size_t len, cap = 0;
	int lineno = 0;

	memset(t, 0, sizeof(*t));
	while ((raw = iov_next_line(&cursor, &len))) {
		unsigned long long f[16];
		struct iov_netdev_counters c = { 0 };
		char line[512], *colon, *name;
		int consumed = 0;

		lineno++;
		if (!iov_strlcpy_n(line, sizeof(line), raw, len)) {
			iov_err_set(err, "/proc/net/dev: line %d too long", lineno);
			goto fail;
		}
		colon = strchr(line, ':');
		if (!colon || strchr(line, '|')) /* the two header lines have '|' */
			continue;
		*colon = '\0';
		name = iov_trim(line);
		if (sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu%n",
			   &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10], &f[11], &f[12],
			   &f[13], &f[14], &f[15], &consumed) != 16 ||
		    iov_trim(colon + 1 + consumed)[0] || !*name) {
			iov_err_set(err, "/proc/net/dev: line %d: want NAME: and 16 counters", lineno);
			goto fail;
		}
		if (!iov_strlcpy(c.name, name, sizeof(c.name)) || iov_netdev_find(t, name)) {
			iov_err_set(err, "/proc/net/dev: line %d: bad or repeated interface '%s'", lineno, name);
			goto fail;
		}
		c.rx_bytes = f[0], c.rx_packets = f[1], c.rx_errs = f[2], c.rx_drop = f[3];
		c.tx_bytes = f[8], c.tx_packets = f[9], c.tx_errs = f[10], c.tx_drop = f[11];
		if (iov_grow(&t->devs, t->n, &cap, sizeof(*t->devs))) {
			iov_err_set(err, "out of memory");
			goto fail;
		}
		t->devs[t->n++] = c;
	}
	if (!t->n) {
		iov_err_set(err, "/proc/net/dev: no interfaces");
		goto fail;
	}
	return 0;
fail:
	iov_netdev_free(t);
	return -1;
}

const struct iov_netdev_counters *iov_netdev_find(const struct iov_netdev_table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->devs[i].name, name))
			return &t->devs[i];
	return NULL;
}

int iov_netdev_delta(const struct iov_netdev_table *before, const struct iov_netdev_table *after,
		     struct iov_netdev_table *delta, struct iov_err *err)
{
	memset(delta, 0, sizeof(*delta));
	delta->devs = calloc(after->n ? after->n : 1, sizeof(*delta->devs));
	if (!delta->devs) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < after->n; i++) {
		const struct iov_netdev_counters *a = &after->devs[i], *b = iov_netdev_find(before, a->name);
		static const struct iov_netdev_counters zero;
		struct iov_netdev_counters *d = &delta->devs[delta->n++];
		bool down = false;

		if (!b)
			b = &zero; /* appeared in between: its counters started at zero */
		*d = *a;
#define DELTA(f) (down |= a->f < b->f, d->f = a->f - b->f)
		DELTA(rx_bytes), DELTA(rx_packets), DELTA(rx_errs), DELTA(rx_drop);
		DELTA(tx_bytes), DELTA(tx_packets), DELTA(tx_errs), DELTA(tx_drop);
#undef DELTA
		if (down) {
			iov_err_set(err, "/proc/net/dev: %s: a counter went down (interface re-created?)", a->name);
			iov_netdev_free(delta);
			return -1;
		}
	}
	return 0;
}

void iov_netdev_free(struct iov_netdev_table *t)
{
	free(t->devs);
	memset(t, 0, sizeof(*t));
}

/* The collector of "=== netdev NS": each namespace's /proc/net/dev. */
struct netdev_snap {
	size_t n, cap;
	struct netdev_ns {
		char ns[16];
		struct iov_netdev_table t;
	} *v;
};

static int netdev_state_parse(void *state, const char *arg, const char *arg2, const char *body,
			      struct iov_err *err)
{
	struct netdev_snap *s = state;
	struct netdev_ns *e;

	(void)arg2;
	e = iov_collector_entry(&s->v, s->n, &s->cap, sizeof(*s->v), arg, sizeof(e->ns), "namespace", err);
	if (!e)
		return -1;
	if (iov_netdev_parse(body, &e->t, err)) {
		iov_err_prefix(err, "namespace %s", arg);
		return -1;
	}
	s->n++;
	return 0;
}

static void netdev_state_free(void *state)
{
	struct netdev_snap *s = state;

	for (size_t i = 0; i < s->n; i++)
		iov_netdev_free(&s->v[i].t);
	free(s->v);
}

const struct iov_netdev_table *iov_netdev_snapshot_ns(const void *state, const char *ns)
{
	const struct netdev_snap *s = state;

	for (size_t i = 0; s && i < s->n; i++)
		if (!strcmp(s->v[i].ns, ns))
			return &s->v[i].t;
	return NULL;
}

/* Endpoint i's counters over the repetition, named as in the figures. */
static int endpoint_delta(const void *before, const void *after, const struct iov_collect_rep *rep, size_t i,
			  struct iov_netdev_counters *out, struct iov_err *err)
{
	const struct iov_netdev_table *tb = iov_netdev_snapshot_ns(before, rep->ns[i]),
				      *ta = iov_netdev_snapshot_ns(after, rep->ns[i]);
	const struct iov_netdev_counters *c;
	struct iov_netdev_table d = { 0 };

	if (!tb || !ta) {
		iov_err_set(err, "no /proc/net/dev of namespace %s", rep->ns[i]);
		return -1;
	}
	if (iov_netdev_delta(tb, ta, &d, err))
		return -1;
	c = iov_netdev_find(&d, rep->dev[i]);
	if (c) {
		*out = *c;
		iov_strlcpy(out->name, rep->figure_name[i], sizeof(out->name));
	} else {
		iov_err_set(err, "netdev %s missing in namespace %s", rep->dev[i], rep->ns[i]);
	}
	iov_netdev_free(&d);
	return c ? 0 : -1;
}

/* The tested NICs' packets; hands their sum on (rep->packets). */
static int netdev_state_metrics(const void *before, const void *after, struct iov_collect_rep *rep,
				struct iov_metric_set *set, struct iov_err *err)
{
	struct iov_netdev_counters *c = calloc(rep->n ? rep->n : 1, sizeof(*c));
	const struct iov_netdev_counters **devc = calloc(rep->n ? rep->n : 1, sizeof(*devc));
	int rc = -1;

	if (!c || !devc) {
		iov_err_set(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < rep->n; i++) {
		if (endpoint_delta(before, after, rep, i, &c[i], err))
			goto out;
		devc[i] = &c[i];
	}
	rc = iov_metrics_netdev(set, devc, rep->n, rep->seconds, &rep->packets, err);
out:
	free(c);
	free(devc);
	return rc;
}

const struct iov_collector_ops iov_collector_netdev = {
	.name = "netdev",
	.section = "netdev",
	.state_size = sizeof(struct netdev_snap),
	.parse = netdev_state_parse,
	.free = netdev_state_free,
	.metrics = netdev_state_metrics,
};
