// SPDX-License-Identifier: MIT
/* ethtool_stats.c - `ethtool -S` parser, deltas and per-queue packet counters. */
#include "collect/ethtool_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int iov_ethtool_parse(const char *text, struct iov_ethtool_stats *s, struct iov_err *err)
{
	const char *cursor = text, *raw;
	size_t len, cap = 0;
	int lineno = 0;

	memset(s, 0, sizeof(*s));
	while ((raw = iov_next_line(&cursor, &len))) {
		struct iov_ethtool_counter c;
		char line[256], *colon, *name, *value;

		lineno++;
		iov_strlcpy_n(line, sizeof(line), raw, len);
		colon = strrchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		name = iov_trim(line);
		value = iov_trim(colon + 1);
		if (!*value && lineno == 1)
			continue; /* "NIC statistics:" */
		if (!*name || iov_parse_u64(value, &c.value) || !iov_strlcpy(c.name, name, sizeof(c.name))) {
			iov_err_set(err, "ethtool -S: line %d: want 'name: counter', got '%.*s'", lineno, (int)len, raw);
			goto fail;
		}
		if (!iov_ethtool_get(s, c.name, &(uint64_t){ 0 })) {
			iov_err_set(err, "ethtool -S: line %d: %s listed twice", lineno, c.name);
			goto fail;
		}
		if (s->n == cap) {
			struct iov_ethtool_counter *grown = realloc(s->c, (cap = cap ? 2 * cap : 64) * sizeof(*grown));

			if (!grown) {
				iov_err_set(err, "out of memory");
				goto fail;
			}
			s->c = grown;
		}
		s->c[s->n++] = c;
	}
	if (!s->n) {
		iov_err_set(err, "ethtool -S: no counters (driver without statistics, or an error message)");
		goto fail;
	}
	return 0;
fail:
	iov_ethtool_free(s);
	return -1;
}

int iov_ethtool_get(const struct iov_ethtool_stats *s, const char *name, uint64_t *value)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->c[i].name, name)) {
			*value = s->c[i].value;
			return 0;
		}
	return -1;
}

int iov_ethtool_delta(const struct iov_ethtool_stats *before, const struct iov_ethtool_stats *after,
		      struct iov_ethtool_stats *delta, struct iov_err *err)
{
	memset(delta, 0, sizeof(*delta));
	delta->c = calloc(after->n ? after->n : 1, sizeof(*delta->c));
	if (!delta->c) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < after->n; i++) {
		uint64_t was = 0;

		iov_ethtool_get(before, after->c[i].name, &was);
		if (after->c[i].value < was) {
			iov_err_set(err, "ethtool -S: %s went down from %llu to %llu", after->c[i].name,
				    (unsigned long long)was, (unsigned long long)after->c[i].value);
			iov_ethtool_free(delta);
			return -1;
		}
		delta->c[delta->n] = after->c[i];
		delta->c[delta->n++].value -= was;
	}
	return 0;
}

size_t iov_ethtool_queue_packets(const struct iov_ethtool_stats *s, char dir, uint64_t *packets, size_t max)
{
	size_t nqueues = 0;

	memset(packets, 0, max * sizeof(*packets));
	for (size_t i = 0; i < s->n; i++) {
		unsigned q;
		char d, tail[16];
		int end = 0;

		/* "rx_queue_3_packets", "rx3_packets" or "rx-3.packets"; nothing else (..._bytes). */
		if ((sscanf(s->c[i].name, "%cx_queue_%u_%15s%n", &d, &q, tail, &end) == 3 ||
		     sscanf(s->c[i].name, "%cx%u_%15s%n", &d, &q, tail, &end) == 3 ||
		     sscanf(s->c[i].name, "%cx-%u.%15s%n", &d, &q, tail, &end) == 3) &&
		    !s->c[i].name[end] && d == dir && !strcmp(tail, "packets") && q < max) {
			packets[q] = s->c[i].value;
			if (q + 1 > nqueues)
				nqueues = q + 1;
		}
	}
	return nqueues;
}

void iov_ethtool_free(struct iov_ethtool_stats *s)
{
	free(s->c);
	memset(s, 0, sizeof(*s));
}
