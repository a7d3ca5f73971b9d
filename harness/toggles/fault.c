// SPDX-License-Identifier: MIT
/* fault.c - the figures every fault toggle shares: its faults and their recoveries (toggles.h). */
#include <stdio.h>
#include <string.h>

#include "stats.h"
#include "toggles/toggles.h"

#define MAX_FAULTS 256

const char *const iov_toggle_fault_rows[] = { "fault_count", "fault_unrecovered_count", "fault_recovery_p50_s",
					      "fault_recovery_max_s", NULL };

/* "fault UPTIME recovered SECONDS" or "fault UPTIME unrecovered", one line per fault. */
int iov_toggle_fault_metrics(const char *text, struct iov_metric_set *set, struct iov_err *err)
{
	double rec[MAX_FAULTS];
	size_t n = 0, faults = 0, lost = 0;
	const char *cur = text, *line;
	size_t len;

	while ((line = iov_next_line(&cur, &len))) {
		char buf[128], word[16], extra[2];
		double t, s = -1;
		int k;

		if (!len)
			continue;
		iov_strlcpy_n(buf, sizeof(buf), line, len);
		if (faults == MAX_FAULTS) {
			iov_err_set(err, "fault: more than %d faults", MAX_FAULTS);
			return -1;
		}
		k = sscanf(buf, "fault %lf %15s %lf%1s", &t, word, &s, extra);
		if (k == 3 && !strcmp(word, "recovered") && s >= 0) {
			rec[n++] = s;
		} else if (k == 2 && !strcmp(word, "unrecovered")) {
			lost++;
		} else {
			iov_err_set(err, "fault: unexpected line '%s'", buf);
			return -1;
		}
		faults++;
	}
	if (!faults) {
		iov_err_set(err, "fault: none recorded");
		return -1;
	}
	if (iov_metric_set_add(set, "fault_count", "", (double)faults, err) ||
	    iov_metric_set_add(set, "fault_unrecovered_count", "", (double)lost, err))
		return -1;
	/* a recovery time only where the victim recovered: never an invented one */
	if (n && (iov_metric_set_add(set, "fault_recovery_p50_s", "", iov_percentile(rec, n, 50), err) ||
		  iov_metric_set_add(set, "fault_recovery_max_s", "", iov_percentile(rec, n, 100), err)))
		return -1;
	return 0;
}
