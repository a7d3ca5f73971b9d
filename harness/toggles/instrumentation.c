// SPDX-License-Identifier: MIT
/* instrumentation.c - our drivers' instrumentation (a static key) switched on and off (toggles.h). */
#include "compare.h"
#include "toggles/toggles.h"

static bool instrumentation_applies(enum iov_nic nic)
{
	return iov_nic(nic)->instr_toggle;
}

const struct iov_toggle_ops iov_toggle_instrumentation = {
	.name = "instrumentation",
	.key = IOV_KEY_INSTR_TOGGLE_S,
	.applies = instrumentation_applies,
	.switch_fn = "iov_toggle_instrumentation",
	.file = "instr-toggle.txt",
	.note = "instr_toggle_ratios",
	.freezes_driver_counters = true,
	.stands_alone = true, /* for the interleaved vf-noinstr twin */
	.max_cost_pct = IOV_INSTR_COST_MAX_PCT,
	.ratio_words = "receiver throughput instrumentation on / off",
	.title = "Instrumentation on over off, toggled inside repetitions",
	.report_text = "the cost of our drivers' instrumentation measured inside each repetition: the static "
		       "key switched on and off every few seconds while the traffic ran, the receivers' byte "
		       "counters sampled at each switch.",
};
