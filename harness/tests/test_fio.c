// SPDX-License-Identifier: MIT
/* test_fio.c - real fio 3.33 net-engine output: pingpong, refused connection, missing size. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collect/fio.h"
#include "tests/unit.h"

static int parse_file(const char *path, struct iov_fio_result *r, struct iov_err *err)
{
	size_t len;
	char *text = iov_read_file(path, &len, err);
	int rc;

	if (!text)
		return -2;
	rc = iov_fio_parse(text, len, r, err);
	free(text);
	return rc;
}

static void test_pingpong(void)
{
	struct iov_fio_result r;
	struct iov_err err;
	const struct iov_fio_dir *w;
	uint64_t ns;

	CU_ASSERT_EQUAL_FATAL(parse_file("data/fio-net-pingpong.json", &r, &err), 0);
	CU_ASSERT_STRING_EQUAL(r.version, "fio-3.33");
	CU_ASSERT_PTR_NULL(r.preamble);
	CU_ASSERT_EQUAL_FATAL(r.njobs, 1);
	CU_ASSERT_STRING_EQUAL(r.jobs[0].name, "rr");
	w = &r.jobs[0].write;
	CU_ASSERT(w->io_bytes == 20874176 && w->bw_bytes == 10431872 && w->total_ios == 326159 && w->runtime_ms == 2001);
	CU_ASSERT(fabs(w->iops - 162998.001) < 1e-6);
	CU_ASSERT(w->clat.n == 326159 && fabs(w->clat.mean_ns - 5931.041719) < 1e-6);
	CU_ASSERT(iov_fio_lat_pct(&w->clat, 50, &ns) == 0 && ns == 5664);
	CU_ASSERT(iov_fio_lat_pct(&w->clat, 99.9, &ns) == 0 && ns == 44800);
	CU_ASSERT(iov_fio_lat_pct(&w->clat, 99.99, &ns) == 0 && ns == 108032);
	CU_ASSERT_EQUAL(iov_fio_lat_pct(&w->clat, 42, &ns), -1);
	CU_ASSERT_EQUAL(w->clat.npct, 17);
	CU_ASSERT(w->clat.pct[0].pct == 1.0 && w->clat.pct[16].pct == 99.99); /* sorted */
	CU_ASSERT(fabs(w->lat.mean_ns - 5959.217716) < 1e-6 && w->lat.npct == 0);
	CU_ASSERT_EQUAL(r.jobs[0].read.io_bytes, 0);
	CU_ASSERT(fabs(r.jobs[0].sys_cpu_pct - 39.75) < 1e-9);
	iov_fio_free(&r);
	/* The listening side prints a line of text before its JSON. */
	CU_ASSERT_EQUAL_FATAL(parse_file("data/fio-net-pingpong-listener.json", &r, &err), 0);
	CU_ASSERT_STRING_EQUAL(r.preamble, "fio: waiting for connection\n");
	CU_ASSERT(r.jobs[0].read.io_bytes > 0);
	iov_fio_free(&r);
}

static void test_errors(void)
{
	struct iov_fio_result r;
	struct iov_err err;

	CU_ASSERT_EQUAL(parse_file("data/fio-net-refused.txt", &r, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "fio output: job rr failed with error 111 (Connection refused): fio: pid=2866, "
					"err=111/file:engines/net.c:800, func=connect, error=Connection refused");
	CU_ASSERT_PTR_NULL(r.jobs);
	CU_ASSERT_EQUAL(parse_file("data/fio-error-nosize.txt", &r, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "error 22 (Invalid argument): fio: pid=0, err=22/file:filesetup.c"));
	CU_ASSERT_EQUAL(iov_fio_parse("fio: engine net not loadable\nfio: failed to load engine\n", 56, &r, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "fio output: no JSON document; fio said: fio: engine net not loadable");
	CU_ASSERT_EQUAL(iov_fio_parse("{\n  \"fio version\" : \"fio-3.33\",\n  \"jobs\" : [\n", 44, &r, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "truncated"));
	CU_ASSERT_EQUAL(iov_fio_parse("{\"jobs\":[]}", 11, &r, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no jobs"));
	CU_ASSERT_EQUAL(iov_fio_parse("", 0, &r, &err), -1);
}

static void test_jsonplus_bins(void)
{
	struct iov_fio_result r;
	struct iov_err err;
	const struct iov_fio_lat *clat;
	uint64_t total = 0, ns, fio_ns;
	const double pcts[] = { 1, 50, 90, 99, 99.9, 99.99 };

	CU_ASSERT_EQUAL_FATAL(parse_file("data/fio-net-pingpong-jsonplus.json", &r, &err), 0);
	clat = &r.jobs[0].write.clat;
	CU_ASSERT_EQUAL(clat->nbins, 534);
	for (size_t i = 0; i < clat->nbins; i++) {
		total += clat->bins[i].count;
		if (i)
			CU_ASSERT(clat->bins[i].ns > clat->bins[i - 1].ns);
	}
	CU_ASSERT_EQUAL(total, clat->n);
	/* Nearest rank over fio's histogram gives exactly fio's own percentiles. */
	for (size_t p = 0; p < IOV_ARRAY_SIZE(pcts); p++) {
		CU_ASSERT_EQUAL_FATAL(iov_fio_bins_pct(&clat, 1, pcts[p], &ns), 0);
		CU_ASSERT_EQUAL_FATAL(iov_fio_lat_pct(clat, pcts[p], &fio_ns), 0);
		CU_ASSERT_EQUAL(ns, fio_ns);
	}
	CU_ASSERT_EQUAL(r.jobs[0].write.lat.nbins, 0); /* fio bins clat only */
	iov_fio_free(&r);
	/* Plain json: no histogram to merge. */
	CU_ASSERT_EQUAL_FATAL(parse_file("data/fio-net-pingpong.json", &r, &err), 0);
	clat = &r.jobs[0].write.clat;
	CU_ASSERT_EQUAL(iov_fio_bins_pct(&clat, 1, 50, &ns), -1);
	iov_fio_free(&r);
}

IOV_SUITE(fio,
	  { "json+ histogram reproduces fio's percentiles", test_jsonplus_bins },
	  { "net engine pingpong, listener preamble", test_pingpong },
	  { "refused connection, missing size, no JSON, truncated", test_errors })
