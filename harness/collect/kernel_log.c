// SPDX-License-Identifier: MIT
/*
 * kernel_log.c - the driver domain's kernel log: warnings, BUGs, oopses, OOM kills and
 * segfaults (a VM guest's QEMU that vanished) printed since the previous snapshot (guest-lib
 * iov_kernel_log), so the snapshot after a repetition holds those of the repetition. The section keeps the lines themselves (and, when one warned, the whole log
 * since the previous snapshot), so raw/ keeps the kernel's account of any repetition that warned:
 *
 *   warnings N
 *   line UPTIME TEXT     each warning line
 *   log UPTIME TEXT      every line since the previous snapshot, when N > 0
 *
 * A VM guest's own kernel is not read (its console is kept beside the repetition instead).
 */
#include <stdio.h>
#include <string.h>

#include "collect/collector.h"

struct kernel_log {
	bool seen;
	unsigned long long warnings;
};

static int kernel_log_parse(void *state, const char *arg, const char *arg2, const char *body, struct iov_err *err)
{
	struct kernel_log *k = state;
	const char *cur = body, *line;
	bool counted = false;
	size_t len;

	(void)arg;
	(void)arg2;
	while ((line = iov_next_line(&cur, &len))) {
		char buf[64], extra[2];

		if (!len || (len > 5 && (!strncmp(line, "line ", 5) || !strncmp(line, "log ", 4))))
			continue;
		iov_strlcpy_n(buf, sizeof(buf), line, len);
		if (counted || sscanf(buf, "warnings %llu%1s", &k->warnings, extra) != 1) {
			iov_err_set(err, "kernel log: unexpected line '%s'", buf);
			return -1;
		}
		counted = true;
	}
	if (!counted) {
		iov_err_set(err, "kernel log: no 'warnings N' line");
		return -1;
	}
	k->seen = true;
	return 0;
}

/* The snapshot after the repetition counts what was printed since the one before it. */
static int kernel_log_metrics(const void *before, const void *after, struct iov_collect_rep *rep,
			      struct iov_metric_set *set, struct iov_err *err)
{
	const struct kernel_log *b = before, *a = after;

	(void)rep;
	if (!b || !a || !b->seen || !a->seen)
		return 0;
	return iov_metric_set_add(set, "kernel_warnings_count", "", (double)a->warnings, err);
}

const struct iov_collector_ops iov_collector_kernel_log = {
	.name = "kernel_log",
	.section = "kernel_log",
	.snapshot_sh = "echo '=== kernel_log'; iov_kernel_log",
	.state_size = sizeof(struct kernel_log),
	.parse = kernel_log_parse,
	.metrics = kernel_log_metrics,
};
