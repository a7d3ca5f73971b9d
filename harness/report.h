/* SPDX-License-Identifier: MIT */
/*
 * report.h - the evaluation chapter of a thesis, from result documents: environment and method,
 * figures (gnuplot, PNG and SVG; see plot.h) with captions the text refers to, and tables per
 * metric with min, mean, stddev, CoV and max over the repetitions and, given a baseline, the
 * change marked significant only when the statistics of compare.h say so.
 *
 * Written to OUT: report.html (self-contained: figures embedded as SVG), report.md (figures
 * linked from figures/), figures/NAME.{gp,png,svg}, and report.pdf when a converter
 * (headless Chromium) is installed.
 */
#ifndef IOV_REPORT_H
#define IOV_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct iov_report_options {
	const char *const *results; /* result.json files or run directories */
	size_t nresults;
	const char *baseline; /* NULL: no change column */
	const char *out_dir;
	bool pdf; /* try to write report.pdf */
};

struct iov_report_summary {
	unsigned figures, tables;
	bool pdf_written;
	char pdf_note[256]; /* why there is no PDF */
};

int iov_report_write(const struct iov_report_options *o, struct iov_report_summary *sum, struct iov_err *err);

#endif
