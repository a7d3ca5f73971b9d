/* SPDX-License-Identifier: MIT */
/*
 * run.h - `iovbench run`: plan a suite, bring the target up once, run every experiment's
 * repetitions, measure every source before and after each one, and keep the result document
 * current on disk after every step.
 */
#ifndef IOV_RUN_H
#define IOV_RUN_H

#include <stddef.h>

#include "target.h"

struct run_options {
	const char *const *workloads; /* run these workloads (ad-hoc suite) ... */
	size_t nworkloads;
	const char *suite;            /* ... or this suite (default "default") */
	const char *workload_dir;     /* workloads/ of this tree */
	const char *out_dir;          /* results/ */
	const char *reps, *duration_s, *guests, *nic, *interleave, *guest_kind; /* command-line overrides, NULL if unset */
	const char *command_line;
	struct target_config target;
};

/* Exit status: 0 every experiment ok, 1 some failed or partial, 2 bad input / nothing ran. */
int iov_run(const struct run_options *opt);

#endif
