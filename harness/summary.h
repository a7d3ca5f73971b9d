/* SPDX-License-Identifier: MIT */
/*
 * summary.h - the terminal summary of a result document: per experiment group (workload,
 * pattern, guests) one row per headline metric with each NIC kind's mean and CoV side by side,
 * and the ratios of our VF driver against the in-tree driver and the baselines. Printed at the
 * end of `iovbench run` and by `iovbench show`.
 */
#ifndef IOV_SUMMARY_H
#define IOV_SUMMARY_H

#include <stdio.h>
#include <jansson.h>

void iov_summary_print(FILE *f, json_t *doc);

#endif
