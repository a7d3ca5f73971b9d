/* SPDX-License-Identifier: MIT */
/*
 * plot.h - figures with gnuplot: each figure is a self-contained script NAME.gp (data inline,
 * kept next to the pictures so that anyone can re-plot it) rendered to NAME.png and NAME.svg.
 * Axes carry units, legends name the series (NIC kinds), error bars are one sample standard
 * deviation over the repetitions.
 */
#ifndef IOV_PLOT_H
#define IOV_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Is gnuplot on the PATH? (Figures are skipped, and the report says so, when it is not.) */
bool iov_plot_available(void);

/* One bar of a clustered bar chart: bars of a category side by side, one colour per series. */
struct iov_bar {
	const char *category; /* x tic label, e.g. "g2g 2 guests" */
	const char *series;   /* legend entry, e.g. "vf-inbox" */
	double value, err;    /* err NaN: no error bar */
};

/* One point of a line chart; points of one series are joined in x order. */
struct iov_point {
	const char *series;
	double x, y, err; /* err NaN: no error bar */
};

struct iov_figure {
	const char *dir;  /* output directory */
	const char *name; /* file stem */
	const char *title;
	const char *xlabel, *ylabel;
	bool logx;
	bool steps; /* line chart drawn as a step function (CDFs) */
	double ymin, ymax; /* both NaN: automatic */
};

int iov_plot_bars(const struct iov_figure *fig, const struct iov_bar *bars, size_t n, struct iov_err *err);
int iov_plot_lines(const struct iov_figure *fig, const struct iov_point *pts, size_t n, struct iov_err *err);
/*
 * Stacked bars (shares adding up to a whole): per category, nparts values in the order of
 * part_names.
 */
int iov_plot_stacked(const struct iov_figure *fig, const char *const *categories, size_t ncat,
		     const char *const *part_names, size_t nparts, const double *values /* ncat x nparts */,
		     struct iov_err *err);

#endif
