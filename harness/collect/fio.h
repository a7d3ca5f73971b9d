/* SPDX-License-Identifier: MIT */
/*
 * fio.h - `fio --output-format=json` reduced to what we record, for the net engine.
 *
 * fio writes plain-text messages before the JSON when something goes wrong ("fio: pid=..,
 * err=111/file:engines/net.c:..., func=connect, error=Connection refused"); they are kept as
 * the preamble and quoted in the error. Per job and direction: bytes, bandwidth, iops, and the
 * completion (clat_ns) and total (lat_ns) latency with fio's percentiles. In pingpong mode the
 * sender's completion latency is the round trip.
 */
#ifndef IOV_COLLECT_FIO_H
#define IOV_COLLECT_FIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define IOV_FIO_MAX_PCT 24

struct iov_fio_bin {
	uint64_t ns;	/* fio's histogram bucket value */
	uint64_t count;
};

struct iov_fio_lat {
	uint64_t n; /* samples; 0 means no latency was measured */
	double min_ns, max_ns, mean_ns, stddev_ns;
	size_t npct;
	struct {
		double pct;  /* 50.0, 99.9 ... */
		uint64_t ns; /* fio's value for that percentile */
	} pct[IOV_FIO_MAX_PCT];
	/*
	 * --output-format=json+ only: fio's latency histogram, sorted by ns. Its nearest-rank
	 * percentiles are exactly fio's own, and histograms of several jobs or guest pairs add up,
	 * so merged percentiles stay exact.
	 */
	size_t nbins;
	struct iov_fio_bin *bins;
};

struct iov_fio_dir {
	uint64_t io_bytes;
	uint64_t total_ios;
	uint64_t bw_bytes; /* bytes/s */
	double iops;
	uint64_t runtime_ms;
	struct iov_fio_lat clat, lat;
};

struct iov_fio_job {
	char name[64];
	int error; /* errno value fio recorded for the job, 0 when fine */
	struct iov_fio_dir read, write;
	double usr_cpu_pct, sys_cpu_pct;
};

struct iov_fio_result {
	char version[32];
	char *preamble; /* text before the JSON, NULL if none */
	size_t njobs;
	struct iov_fio_job *jobs;
};

/*
 * Parse fio's output. Errors: no JSON at all (the preamble's first line is quoted), truncated
 * JSON, a job with a non-zero error (named with the preamble's fio message when there is one).
 */
int iov_fio_parse(const char *text, size_t len, struct iov_fio_result *r, struct iov_err *err);
void iov_fio_free(struct iov_fio_result *r);

/* fio's value for percentile pct (exactly as fio lists it); -1 when fio did not report it. */
int iov_fio_lat_pct(const struct iov_fio_lat *lat, double pct, uint64_t *ns);

/*
 * Nearest-rank percentile over the json+ histograms of n latencies taken together; -1 when one
 * of them has no histogram (plain json output) or there are no samples.
 */
int iov_fio_bins_pct(const struct iov_fio_lat *const *lats, size_t n, double pct, uint64_t *ns);

#endif
