// SPDX-License-Identifier: MIT
/* snmp.c - UDP counters of /proc/net/snmp (snmp.h). */
#include "collect/snmp.h"
#include "collect/collector.h"
#include "metrics_compute.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	size_t off;
} udp_cols[] = {
	{ "InDatagrams", offsetof(struct iov_udp_mib, in_datagrams) },
	{ "NoPorts", offsetof(struct iov_udp_mib, no_ports) },
	{ "InErrors", offsetof(struct iov_udp_mib, in_errors) },
	{ "OutDatagrams", offsetof(struct iov_udp_mib, out_datagrams) },
	{ "RcvbufErrors", offsetof(struct iov_udp_mib, rcvbuf_errors) },
	{ "SndbufErrors", offsetof(struct iov_udp_mib, sndbuf_errors) },
};

/* The line that starts with exactly "Udp:" after *from, or NULL; *from moves past it. */
static const char *udp_line(const char **from, size_t *len)
{
	const char *p = *from;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);

		*from = eol ? eol + 1 : p + n;
		if (n > 4 && !strncmp(p, "Udp: ", 5)) {
			*len = n;
			return p;
		}
		p = *from;
	}
	return NULL;
}

int iov_snmp_parse(const char *text, struct iov_udp_mib *udp, struct iov_err *err)
{
	const char *cur = text, *head, *vals;
	size_t hlen, vlen;
	char *h, *v, *hs, *vs, *hn, *vn;
	unsigned found = 0;
	int rc = -1;

	memset(udp, 0, sizeof(*udp));
	head = udp_line(&cur, &hlen);
	vals = head ? udp_line(&cur, &vlen) : NULL;
	if (!vals) {
		iov_err_set(err, "/proc/net/snmp: no 'Udp:' header and value lines");
		return -1;
	}
	h = strndup(head + 5, hlen - 5);
	v = strndup(vals + 5, vlen - 5);
	if (!h || !v) {
		iov_err_set(err, "out of memory");
		goto out;
	}
	for (hn = strtok_r(h, " ", &hs), vn = strtok_r(v, " ", &vs); hn;
	     hn = strtok_r(NULL, " ", &hs), vn = strtok_r(NULL, " ", &vs)) {
		char *end;
		unsigned long long x;

		if (!vn) {
			iov_err_set(err, "/proc/net/snmp: Udp has more names than values");
			goto out;
		}
		x = strtoull(vn, &end, 10);
		if (*end || end == vn || *vn == '-') {
			iov_err_set(err, "/proc/net/snmp: Udp %s: bad value '%.20s'", hn, vn);
			goto out;
		}
		for (size_t c = 0; c < IOV_ARRAY_SIZE(udp_cols); c++)
			if (!strcmp(hn, udp_cols[c].name)) {
				*(uint64_t *)((char *)udp + udp_cols[c].off) = x;
				found |= 1u << c;
			}
	}
	if (found != (1u << IOV_ARRAY_SIZE(udp_cols)) - 1) {
		iov_err_set(err, "/proc/net/snmp: Udp lacks a column (InDatagrams, NoPorts, InErrors, "
				 "OutDatagrams, RcvbufErrors, SndbufErrors)");
		goto out;
	}
	rc = 0;
out:
	free(h);
	free(v);
	return rc;
}

int iov_udp_mib_delta(const struct iov_udp_mib *before, const struct iov_udp_mib *after, struct iov_udp_mib *delta,
		      struct iov_err *err)
{
	for (size_t c = 0; c < IOV_ARRAY_SIZE(udp_cols); c++) {
		uint64_t b = *(const uint64_t *)((const char *)before + udp_cols[c].off);
		uint64_t a = *(const uint64_t *)((const char *)after + udp_cols[c].off);

		if (a < b) {
			iov_err_set(err, "/proc/net/snmp: Udp %s went down (%llu -> %llu)", udp_cols[c].name,
				    (unsigned long long)b, (unsigned long long)a);
			return -1;
		}
		*(uint64_t *)((char *)delta + udp_cols[c].off) = a - b;
	}
	return 0;
}

/* The collector of "=== snmp NS": each namespace's UDP counters. */
struct snmp_snap {
	size_t n, cap;
	struct snmp_ns {
		char ns[16];
		struct iov_udp_mib udp;
	} *v;
};

static int snmp_state_parse(void *state, const char *arg, const char *arg2, const char *body,
			    struct iov_err *err)
{
	struct snmp_snap *s = state;
	struct snmp_ns *e;

	(void)arg2;
	e = iov_collector_entry(&s->v, s->n, &s->cap, sizeof(*s->v), arg, sizeof(e->ns), "namespace", err);
	if (!e)
		return -1;
	if (iov_snmp_parse(body, &e->udp, err)) {
		iov_err_prefix(err, "namespace %s", arg);
		return -1;
	}
	s->n++;
	return 0;
}

static void snmp_state_free(void *state)
{
	free(((struct snmp_snap *)state)->v);
}

/* Every namespace of the snapshot, the topology's and the root (the driver domain), summed. */
static int snmp_state_metrics(const void *before, const void *after, struct iov_collect_rep *rep,
			      struct iov_metric_set *set, struct iov_err *err)
{
	const struct snmp_snap *b = before, *a = after;
	struct iov_udp_mib sum = { 0 }, d;

	for (size_t i = 0; i < b->n; i++)
		for (size_t j = 0; j < a->n; j++) {
			if (strcmp(b->v[i].ns, a->v[j].ns))
				continue;
			if (iov_udp_mib_delta(&b->v[i].udp, &a->v[j].udp, &d, err))
				return -1;
			sum.in_datagrams += d.in_datagrams;
			sum.out_datagrams += d.out_datagrams;
			sum.rcvbuf_errors += d.rcvbuf_errors;
			sum.sndbuf_errors += d.sndbuf_errors;
		}
	return iov_metrics_udp_drops(set, &sum, rep->seconds, err);
}

const struct iov_collector_ops iov_collector_snmp = {
	.name = "snmp",
	.section = "snmp",
	.state_size = sizeof(struct snmp_snap),
	.parse = snmp_state_parse,
	.free = snmp_state_free,
	.metrics = snmp_state_metrics,
};
