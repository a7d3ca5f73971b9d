// SPDX-License-Identifier: MIT
/*
 * vf_flr.c - a function level reset of the first receiver's VF at the start of every on segment
 * (toggles.h), namespace guests; its figures are the fault metrics (fault.c): each reset's
 * recovery, until the victim's byte counter grew again (guest-lib iov_toggle_vf_flr).
 */
#include "toggles/toggles.h"

static bool vf_flr_applies(enum iov_nic nic)
{
	return iov_nic_is_sriov(nic);
}

const struct iov_toggle_ops iov_toggle_vf_flr = {
	.name = "VF FLR",
	.key = IOV_KEY_VF_FLR_TOGGLE_S,
	.applies = vf_flr_applies,
	.switch_fn = "iov_toggle_vf_flr",
	.file = "vf-flr.txt",
	.note = "vf_flr_ratios",
	.extra_file = "vf-flr-faults.txt",
	.extra_metrics = iov_toggle_fault_metrics,
	.netns_only = true,
	.metrics_source = "fault",
	.summary_rows = iov_toggle_fault_rows,
	/* the drivers' counters are read across a reset: what they say is the reset's, not a rate */
	.freezes_driver_counters = true,
	/* a victim that never recovers leaves segments without a byte: no ratio, the recovery decides */
	.no_ratios = true,
};
