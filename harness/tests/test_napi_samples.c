// SPDX-License-Identifier: MIT
/* test_napi_samples.c - per-poll work histogram from a recorded napi:napi_poll sample ring. */
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>

#include "collect/napi_samples.h"
#include "tests/unit.h"
#include "util.h"

static const uint64_t want[IOV_NAPI_NBUCKETS] = { 69, 34, 5, 5, 5, 6, 10, 12 };

static struct iov_napi_layout layout_612(void)
{
	struct iov_napi_layout l = { 0, 0 };
	struct iov_err err;
	char *fmt = iov_read_file("data/napi-poll-format-6.12.txt", NULL, &err);

	CU_ASSERT_PTR_NOT_NULL_FATAL(fmt);
	CU_ASSERT_EQUAL(iov_napi_layout_parse(fmt, &l), 0);
	free(fmt);
	return l;
}

/*
 * The first 146 records iovperf --napi-hist read from the TCG lab's rings (IOVPERF_RING_DUMP)
 * during a TCP stream VF to VF on our pair; the expected buckets were decoded separately.
 */
static void test_recorded_ring(void)
{
	struct iov_napi_layout l = layout_612();
	struct iov_napi_hist h = { 0 };
	struct iov_err err;
	size_t len;
	char *ring = iov_read_file("data/napi-ring-6.12.bin", &len, &err);

	CU_ASSERT_EQUAL(l.work_off, 20);
	CU_ASSERT_EQUAL(l.budget_off, 24);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ring);
	CU_ASSERT_EQUAL(len, 146 * 56);
	CU_ASSERT_EQUAL_FATAL(iov_napi_records(ring, len, &l, &h), 0);
	CU_ASSERT_EQUAL(h.samples, 146);
	CU_ASSERT_EQUAL(h.lost, 0);
	CU_ASSERT_EQUAL(h.bad, 0);
	CU_ASSERT_EQUAL(h.budget, 64);
	for (int i = 0; i < IOV_NAPI_NBUCKETS; i++)
		CU_ASSERT_EQUAL(h.bucket[i], want[i]);
	CU_ASSERT_EQUAL(iov_napi_bucket_key(&h, 0), 0);
	CU_ASSERT_EQUAL(iov_napi_bucket_key(&h, 6), 32);
	CU_ASSERT_EQUAL(iov_napi_bucket_key(&h, 7), 64);
	/* a record cut short is malformed, not a sample */
	memset(&h, 0, sizeof(h));
	CU_ASSERT_EQUAL(iov_napi_records(ring, len - 10, &l, &h), -1);
	free(ring);
}

/*
 * The same ring with a PERF_RECORD_LOST in the middle, as the kernel writes one when the ring
 * was full (synthesized: a lost record was not provoked in the lab): the polls it stood for are
 * counted as lost, the samples around it still decoded.
 */
static void test_ring_with_lost(void)
{
	struct iov_napi_layout l = layout_612();
	struct iov_napi_hist h = { 0 };
	struct {
		struct perf_event_header hdr;
		uint64_t id, lost;
	} rec = { { PERF_RECORD_LOST, 0, sizeof(rec) }, 7, 1234 };
	struct iov_err err;
	size_t len, half = 73 * 56;
	char *ring = iov_read_file("data/napi-ring-6.12.bin", &len, &err), *buf;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ring);
	buf = malloc(len + sizeof(rec));
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	memcpy(buf, ring, half);
	memcpy(buf + half, &rec, sizeof(rec));
	memcpy(buf + half + sizeof(rec), ring + half, len - half);
	CU_ASSERT_EQUAL_FATAL(iov_napi_records(buf, len + sizeof(rec), &l, &h), 0);
	CU_ASSERT_EQUAL(h.samples, 146);
	CU_ASSERT_EQUAL(h.lost, 1234);
	for (int i = 0; i < IOV_NAPI_NBUCKETS; i++)
		CU_ASSERT_EQUAL(h.bucket[i], want[i]);
	free(buf);
	free(ring);
}

static void test_bad_layout(void)
{
	struct iov_napi_layout l;

	CU_ASSERT_EQUAL(iov_napi_layout_parse("\tfield:int work;\toffset:20;\tsize:4;\tsigned:1;\n", &l), -1);
	CU_ASSERT_EQUAL(iov_napi_layout_parse("\tfield:int budget;\toffset:24;\tsize:4;\tsigned:1;\n"
					      "\tfield:u64 work;\toffset:20;\tsize:8;\tsigned:1;\n", &l), -1);
	CU_ASSERT_EQUAL(iov_napi_layout_parse("\tfield:int budget;\toffset:4;\tsize:4;\tsigned:1;\n"
					      "\tfield:int work;\toffset:8;\tsize:4;\tsigned:1;\n", &l), 0);
	CU_ASSERT(l.work_off == 8 && l.budget_off == 4);
}

IOV_SUITE(napi_samples, { "recorded napi:napi_poll ring from the lab", test_recorded_ring },
	  { "ring with a lost record", test_ring_with_lost }, { "tracefs format without the fields", test_bad_layout })
