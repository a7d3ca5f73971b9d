// SPDX-License-Identifier: MIT
/*
 * pf_link.c - the PF's link taken down for a second and up again at the start of every on
 * segment (toggles.h): every VF loses its link; its figures are the fault metrics (fault.c),
 * the first receiver's recovery (guest-lib iov_toggle_pf_link).
 */
#include "toggles/toggles.h"

static bool pf_link_applies(enum iov_nic nic)
{
	return iov_nic_is_sriov(nic);
}

const struct iov_toggle_ops iov_toggle_pf_link = {
	.name = "PF link down/up",
	.key = IOV_KEY_PF_LINK_TOGGLE_S,
	.applies = pf_link_applies,
	.switch_fn = "iov_toggle_pf_link",
	.file = "pf-link.txt",
	.note = "pf_link_ratios",
	.extra_file = "pf-link-faults.txt",
	.extra_metrics = iov_toggle_fault_metrics,
	.metrics_source = "fault",
	.summary_rows = iov_toggle_fault_rows,
	.freezes_driver_counters = true,
	.no_ratios = true,
};
