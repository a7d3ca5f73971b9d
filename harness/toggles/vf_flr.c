// SPDX-License-Identifier: MIT
/*
 * vf_flr.c - a function level reset of the first receiver's VF at the start of every on segment
 * (toggles.h), namespace guests. Its figures are the faults file's: each reset's recovery time,
 * until the victim's byte counter grew again (guest-lib iov_toggle_vf_flr), and the resets it
 * never recovered from. No on/off ratio: a victim that does not recover carries nothing after.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "toggles/toggles.h"

#define MAX_FAULTS 256

static unsigned vf_flr_period_s(const struct iov_workload *wl)
{
	return wl->vf_flr_toggle_s;
}

static bool vf_flr_applies(enum iov_nic nic)
{
	return iov_nic_is_sriov(nic);
}

/* "fault UPTIME recovered SECONDS" or "fault UPTIME unrecovered", one line per reset. */
static int vf_flr_metrics(const char *text, struct iov_metric_set *set, struct iov_err *err)
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
			iov_err_set(err, "VF FLR: more than %d resets", MAX_FAULTS);
			return -1;
		}
		k = sscanf(buf, "fault %lf %15s %lf%1s", &t, word, &s, extra);
		if (k == 3 && !strcmp(word, "recovered") && s >= 0) {
			rec[n++] = s;
		} else if (k == 2 && !strcmp(word, "unrecovered")) {
			lost++;
		} else {
			iov_err_set(err, "VF FLR: unexpected line '%s'", buf);
			return -1;
		}
		faults++;
	}
	if (!faults) {
		iov_err_set(err, "VF FLR: no reset recorded");
		return -1;
	}
	if (iov_metric_set_add(set, "flr_count", "", (double)faults, err) ||
	    iov_metric_set_add(set, "flr_unrecovered_count", "", (double)lost, err))
		return -1;
	/* a recovery time only where the victim recovered: never an invented one */
	if (n && (iov_metric_set_add(set, "flr_recovery_p50_s", "", iov_percentile(rec, n, 50), err) ||
		  iov_metric_set_add(set, "flr_recovery_max_s", "", iov_percentile(rec, n, 100), err)))
		return -1;
	return 0;
}

static const char *const vf_flr_rows[] = { "flr_count", "flr_unrecovered_count", "flr_recovery_p50_s",
					   "flr_recovery_max_s", NULL };

const struct iov_toggle_ops iov_toggle_vf_flr = {
	.name = "VF FLR",
	.key = IOV_KEY_VF_FLR_TOGGLE_S,
	.period_s = vf_flr_period_s,
	.applies = vf_flr_applies,
	.switch_fn = "iov_toggle_vf_flr",
	.file = "vf-flr.txt",
	.note = "vf_flr_ratios",
	.extra_file = "vf-flr-faults.txt",
	.extra_metrics = vf_flr_metrics,
	.netns_only = true,
	.metrics_source = "vf_flr",
	.summary_rows = vf_flr_rows,
	/* the drivers' counters are read across a reset: what they say is the reset's, not a rate */
	.freezes_driver_counters = true,
	/* a victim that never recovers leaves segments without a byte: no ratio, the recovery decides */
	.no_ratios = true,
};
