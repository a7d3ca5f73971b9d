// SPDX-License-Identifier: MIT
/* test_napi_trace.c - napi:napi_poll ftrace text of a 6.12 guest; lost and overwritten events. */
#include <stdlib.h>
#include <string.h>

#include "collect/napi_trace.h"
#include "tests/unit.h"

static int parse_file(const char *path, struct iov_napi_trace *t, struct iov_err *err)
{
	char *text = iov_read_file(path, NULL, err);
	int rc;

	if (!text)
		return -2;
	rc = iov_napi_trace_parse(text, t, err);
	free(text);
	return rc;
}

static void test_trace(void)
{
	static struct iov_napi_trace t;
	const struct iov_napi_dev *d;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(parse_file("data/napi-trace-6.12.txt", &t, &err), 0);
	CU_ASSERT_EQUAL(t.events, 400);
	CU_ASSERT_EQUAL(t.other_lines, 5); /* irq_handler_entry events */
	CU_ASSERT_EQUAL(t.ndevs, 3);
	d = iov_napi_trace_find(&t, "eth1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT(d->polls == 233 && d->work_total == 4523 && d->empty_polls == 36 && d->budget_polls == 32);
	CU_ASSERT_EQUAL(d->budget, 64);
	CU_ASSERT_EQUAL(iov_hist_total(&d->work), d->polls);
	CU_ASSERT(iov_hist_count(&d->work, 0) == 36 && iov_hist_count(&d->work, 1) == 48 &&
		  iov_hist_count(&d->work, 32) == 38 && iov_hist_count(&d->work, 64) == 32);
	d = iov_napi_trace_find(&t, "eth2");
	CU_ASSERT(d && d->polls == 129 && d->work_total == 2906 && iov_hist_count(&d->work, 16) == 7);
	d = iov_napi_trace_find(&t, "(no_device)");
	CU_ASSERT(d && d->polls == 38);
	CU_ASSERT_PTR_NULL(iov_napi_trace_find(&t, "eth3"));
}

static void test_chunks_and_errors(void)
{
	static struct iov_napi_trace t;
	struct iov_err err;

	iov_napi_trace_init(&t);
	CU_ASSERT_EQUAL(iov_napi_trace_add(&t, " x-1 [000] ..s1. 1.0: napi_poll: napi poll on napi struct "
					       "ffff8880 for device eth9 work 64 budget 64\n", &err), 0);
	CU_ASSERT_EQUAL(iov_napi_trace_add(&t, "Web Content-77 [001] ..s1. 1.1: napi_poll: napi poll on napi "
					       "struct ffff8880 for device eth9 work 3 budget 64\n\n", &err), 0);
	CU_ASSERT(t.events == 2 && t.devs[0].work_total == 67 && t.devs[0].budget_polls == 1);
	CU_ASSERT_EQUAL(parse_file("data/napi-trace-pipe-lost.txt", &t, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "napi trace: line 31: 87 events lost on CPU 1, the counts would be incomplete");
	CU_ASSERT_EQUAL(parse_file("data/napi-trace-overwritten.txt", &t, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "line 3: the trace buffer overwrote 1234 of 1634 events"));
	CU_ASSERT_EQUAL(iov_napi_trace_parse("a-1 [000] ..s1. 1.0: napi_poll: napi poll on napi struct ff for "
					     "device eth1 work x budget 64\n", &t, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "malformed napi_poll event"));
}

IOV_SUITE(napi_trace,
	  { "6.12 trace file: per-device polls, work, histogram", test_trace },
	  { "chunks, comm with spaces, lost/overwritten events", test_chunks_and_errors })
