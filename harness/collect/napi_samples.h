/* SPDX-License-Identifier: MIT */
/*
 * napi_samples.h - the per-poll work histogram from a perf sample ring on napi:napi_poll
 * (PERF_SAMPLE_RAW, one sample per poll), with the records the ring lost counted. iovperf
 * (harness/agent/iovperf.c) decodes its rings with it; it needs no libperf, so the unit tests
 * decode recorded rings with the same code.
 *
 * Buckets are those of our drivers' debugfs "work" histogram (driver/common/stats-format.md):
 * lower bounds 0, 1, 2, 4, 8, 16, 32 (32..budget-1), and "budget" for polls that used it all.
 */
#ifndef IOV_COLLECT_NAPI_SAMPLES_H
#define IOV_COLLECT_NAPI_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

#define IOV_NAPI_NBUCKETS 8 /* 0 1 2 4 8 16 32 budget */

struct iov_napi_hist {
	uint64_t samples;  /* polls decoded */
	uint64_t lost;	   /* polls the ring lost (PERF_RECORD_LOST) */
	uint64_t bad;	   /* records too short for the fields */
	uint64_t bucket[IOV_NAPI_NBUCKETS];
	int budget;	   /* the budget seen (the last bucket's key); 0 before any sample */
};

/* Where work and budget (ints) lie in the raw trace entry, from the event's tracefs format. */
struct iov_napi_layout {
	size_t work_off, budget_off;
};

/* The bucket keys, "0" ... "32" and the budget, as printed. */
int iov_napi_bucket_key(const struct iov_napi_hist *h, int i);
/* Parse the tracefs format text of napi:napi_poll; -1 when work or budget is missing. */
int iov_napi_layout_parse(const char *format, struct iov_napi_layout *l);
/*
 * Add one ring record (a struct perf_event_header and its body, len bytes): a sample to its
 * bucket, a lost record to lost; other record types are ignored. -1 on a malformed record.
 */
int iov_napi_record(const void *rec, size_t len, const struct iov_napi_layout *l, struct iov_napi_hist *h);
/* Every record of a buffer of consecutive records (a recorded ring); -1 on a malformed one. */
int iov_napi_records(const void *buf, size_t len, const struct iov_napi_layout *l, struct iov_napi_hist *h);

#endif
