// SPDX-License-Identifier: MIT
/* qstats.c - netdev netlink per-queue statistics (see qstats.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "collect/qstats.h"
#include "collect/collector.h"
#include "metrics_compute.h"

static int parse_line(const char *dev, char *line, struct iov_qstats_queue *q, struct iov_err *err)
{
	bool have_type = false, have_id = false;
	char *save = NULL;

	memset(q, 0, sizeof(*q));
	iov_strlcpy(q->dev, dev, sizeof(q->dev));
	for (char *kv = strtok_r(line, " ", &save); kv; kv = strtok_r(NULL, " ", &save)) {
		char *v = strchr(kv, '=');
		uint64_t n = 0;

		if (!v)
			goto bad;
		*v++ = '\0';
		if (!strcmp(kv, "queue-type")) {
			if (strcmp(v, "rx") && strcmp(v, "tx"))
				goto bad;
			q->tx = !strcmp(v, "tx");
			have_type = true;
			continue;
		}
		if (iov_parse_u64(v, &n))
			goto bad;
		if (!strcmp(kv, "queue-id")) {
			q->id = (unsigned)n;
			have_id = true;
		} else if (!strcmp(kv, "rx-packets") || !strcmp(kv, "tx-packets")) {
			q->packets = n;
			q->has_packets = true;
		} else if (!strcmp(kv, "rx-bytes") || !strcmp(kv, "tx-bytes")) {
			q->bytes = n;
		}
	}
	if (have_type && have_id)
		return 0;
bad:
	iov_err_set(err, "qstats of %s: malformed line (queue-type/queue-id or a value missing)", dev);
	return -1;
}

int iov_qstats_add(struct iov_qstats *s, const char *dev, const char *text, struct iov_err *err)
{
	const char *cur = text, *line;
	size_t len;

	while ((line = iov_next_line(&cur, &len))) {
		char buf[1024];

		if (!len)
			continue;
		if (s->n == IOV_QSTATS_MAX_QUEUES) {
			iov_err_set(err, "qstats: more than %d queues", IOV_QSTATS_MAX_QUEUES);
			return -1;
		}
		iov_strlcpy_n(buf, sizeof(buf), line, len);
		if (parse_line(dev, buf, &s->q[s->n], err))
			return -1;
		s->n++;
	}
	return 0;
}

static const struct iov_qstats_queue *find(const struct iov_qstats *s, const struct iov_qstats_queue *q)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->q[i].tx == q->tx && s->q[i].id == q->id && !strcmp(s->q[i].dev, q->dev))
			return &s->q[i];
	return NULL;
}

int iov_qstats_delta(const struct iov_qstats *before, const struct iov_qstats *after,
		     struct iov_qstats *delta, struct iov_err *err)
{
	memset(delta, 0, sizeof(*delta));
	for (size_t i = 0; i < after->n; i++) {
		const struct iov_qstats_queue *a = &after->q[i], *b = find(before, a);
		struct iov_qstats_queue *d = &delta->q[delta->n++];

		*d = *a;
		if (!b)
			continue;
		if (a->packets < b->packets || a->bytes < b->bytes) {
			iov_err_set(err, "qstats of %s %s queue %u went backwards (%" PRIu64 " -> %" PRIu64
				    " packets): counters were reset", a->dev, a->tx ? "tx" : "rx", a->id,
				    b->packets, a->packets);
			return -1;
		}
		d->packets = a->packets - b->packets;
		d->bytes = a->bytes - b->bytes;
	}
	return 0;
}

/* The collector of "=== qstats NS DEV": every tested netdev's queues, where its driver reports them. */
static int qstats_state_parse(void *state, const char *arg, const char *arg2, const char *body,
			      struct iov_err *err)
{
	(void)arg;
	return iov_qstats_add(state, arg2, body, err);
}

static int qstats_state_metrics(const void *before, const void *after, struct iov_collect_rep *rep,
				struct iov_metric_set *set, struct iov_err *err)
{
	struct iov_qstats d;

	return iov_qstats_delta(before, after, &d, err) || iov_metrics_qstats(set, &d, rep->seconds, err) ? -1 : 0;
}

const struct iov_collector_ops iov_collector_qstats = {
	.name = "qstats",
	.section = "qstats",
	.state_size = sizeof(struct iov_qstats),
	.parse = qstats_state_parse,
	.metrics = qstats_state_metrics,
};
