/* SPDX-License-Identifier: MIT */
/*
 * toggle.h - a toggle's segments (guest-lib iov_toggle, toggles/toggles.h: the instrumentation,
 * a hostile VF) and the on/off throughput ratios they give. The file has a line per switch and
 * one after the last, the receivers' byte count summed:
 *
 *   1 101.25 123456789      (state, guest uptime in s, bytes: segment 0 runs with it on)
 *   0 102.27 250000000
 *   end 103.28 377000000
 *
 * Segments 3j, 3j+1, 3j+2 make one ratio: the middle segment against the mean of its two
 * neighbours (which have the other state), oriented on/off. Disjoint triples keep the ratios
 * independent of each other, and a neighbour on each side cancels a drift that is linear over
 * the three segments.
 */
#ifndef IOV_COLLECT_TOGGLE_H
#define IOV_COLLECT_TOGGLE_H

#include <stddef.h>

#include "util.h"

/*
 * Append the ratios of one file to *ratios (realloc'd, *n updated). A malformed file (states
 * that do not alternate, time or bytes going backwards, no "end") is an error; fewer than
 * three segments give no ratio.
 */
int iov_toggle_ratios(const char *text, double **ratios, size_t *n, struct iov_err *err);

#endif
