// SPDX-License-Identifier: MIT
/* napi_samples.c - per-poll work histogram from napi:napi_poll samples (napi_samples.h). */
#include "collect/napi_samples.h"

#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int iov_napi_bucket_key(const struct iov_napi_hist *h, int i)
{
	return i == IOV_NAPI_NBUCKETS - 1 ? h->budget : i == 0 ? 0 : 1 << (i - 1);
}

static int bucket_of(int work, int budget)
{
	int i;

	if (work >= budget && budget > 0)
		return IOV_NAPI_NBUCKETS - 1;
	if (work <= 0)
		return 0;
	for (i = 1; i < IOV_NAPI_NBUCKETS - 2 && work >= 2 << (i - 1); i++)
		;
	return i;
}

/* "field:int work;	offset:24;	size:4;	signed:1;" */
static int field_off(const char *format, const char *name, size_t *off)
{
	char pat[64];
	const char *p;
	unsigned int o, sz;

	snprintf(pat, sizeof(pat), " %s;", name);
	for (p = strstr(format, pat); p; p = strstr(p + 1, pat)) {
		const char *line = p;

		while (line > format && line[-1] != '\n')
			line--;
		if (!strstr(line, "field:int ") || strstr(line, "field:int ") > p)
			continue;
		if (sscanf(p + strlen(pat), " offset:%u; size:%u;", &o, &sz) == 2 && sz == 4) {
			*off = o;
			return 0;
		}
	}
	return -1;
}

int iov_napi_layout_parse(const char *format, struct iov_napi_layout *l)
{
	return field_off(format, "work", &l->work_off) || field_off(format, "budget", &l->budget_off) ? -1 : 0;
}

int iov_napi_record(const void *rec, size_t len, const struct iov_napi_layout *l, struct iov_napi_hist *h)
{
	struct perf_event_header hdr;
	const unsigned char *b = rec;
	uint32_t raw;
	int32_t work, budget;
	uint64_t lost;

	if (len < sizeof(hdr))
		return -1;
	memcpy(&hdr, b, sizeof(hdr));
	if (hdr.size < sizeof(hdr) || hdr.size > len)
		return -1;
	switch (hdr.type) {
	case PERF_RECORD_LOST: /* u64 id, u64 lost */
		if (hdr.size < sizeof(hdr) + 16)
			return -1;
		memcpy(&lost, b + sizeof(hdr) + 8, sizeof(lost));
		h->lost += lost;
		return 0;
	case PERF_RECORD_SAMPLE: /* sample_type PERF_SAMPLE_RAW: u32 size, the trace entry */
		if (hdr.size < sizeof(hdr) + 4)
			return -1;
		memcpy(&raw, b + sizeof(hdr), sizeof(raw));
		if (sizeof(hdr) + 4 + (size_t)raw > hdr.size || l->work_off + 4 > raw || l->budget_off + 4 > raw) {
			h->bad++;
			return 0;
		}
		memcpy(&work, b + sizeof(hdr) + 4 + l->work_off, sizeof(work));
		memcpy(&budget, b + sizeof(hdr) + 4 + l->budget_off, sizeof(budget));
		h->samples++;
		h->budget = budget;
		h->bucket[bucket_of(work, budget)]++;
		return 0;
	default:
		return 0;
	}
}

int iov_napi_records(const void *buf, size_t len, const struct iov_napi_layout *l, struct iov_napi_hist *h)
{
	const unsigned char *p = buf;
	struct perf_event_header hdr;

	while (len >= sizeof(hdr)) {
		memcpy(&hdr, p, sizeof(hdr));
		if (iov_napi_record(p, len, l, h))
			return -1;
		p += hdr.size;
		len -= hdr.size;
	}
	return len ? -1 : 0;
}
