// SPDX-License-Identifier: MIT
/*
 * hostile_vf.c - a hostile VF beside the guests: the topology's spare VF, taken from its
 * driver, has its mailbox fuzzed from user space (iovmbx) while on (toggles.h). The ratio on/off
 * is the bystanders' throughput with the attacker against without; the messages file says how
 * many messages it sent, how many went unanswered and how many the PF counted (iovpf only).
 * Its control, hostile_vf_spin, runs the same process on the same VF reading a register and
 * posting nothing: in a lab whose guests share the driver domain's CPUs (and, under TCG, its
 * device model's lock), that part of the cost is the attacker's CPU, not the PF's work.
 */
#include <stdio.h>
#include <string.h>

#include "toggles/toggles.h"

/* The bystanders keep 0.9x of their throughput under attack (the robustness issue's bound). */
#define HOSTILE_VF_MAX_COST_PCT 10.0

static bool hostile_vf_applies(enum iov_nic nic)
{
	return iov_nic_is_sriov(nic);
}

/*
 * guest-lib iov_toggle_hostile_vf's file: "vf=N bdf=B", "pf_counted_before=[N]", then per
 * segment "seed=S" and iovmbx's "fuzz sent=.. ack=.. nack=.. unanswered=.. unread=.. lockfail=..
 * rst=..", and
 * "pf_counted_after=[N]" (empty where the PF driver counts nothing). iovmbx's stderr notes
 * ("pf_control=..") may come between.
 */
static int hostile_vf_metrics(const char *text, struct iov_metric_set *set, struct iov_err *err)
{
	unsigned long long sent = 0, unanswered = 0, unread = 0, before = 0, after = 0;
	unsigned seeds = 0, fuzzes = 0;
	bool have_before = false, have_after = false;
	const char *cur = text, *line;
	size_t len;

	while ((line = iov_next_line(&cur, &len))) {
		char buf[256], extra[2];
		unsigned long long s, a, k, u, d, l, r;

		if (!len)
			continue;
		iov_strlcpy_n(buf, sizeof(buf), line, len);
		if (sscanf(buf, "fuzz sent=%llu ack=%llu nack=%llu unanswered=%llu unread=%llu lockfail=%llu rst=%llu%1s",
			   &s, &a, &k, &u, &d, &l, &r, extra) == 7) {
			if (a + k + u + d != s) {
				iov_err_set(err, "hostile VF: replies do not add up to the messages in '%s'", buf);
				return -1;
			}
			sent += s;
			unanswered += u;
			unread += d;
			fuzzes++;
		} else if (sscanf(buf, "pf_counted_before=%llu%1s", &before, extra) == 1) {
			have_before = true;
		} else if (sscanf(buf, "pf_counted_after=%llu%1s", &after, extra) == 1) {
			have_after = true;
		} else if (!strncmp(buf, "seed=", 5)) {
			seeds++;
		} else if (strncmp(buf, "vf=", 3) && strncmp(buf, "pf_control=", 11) &&
			   strcmp(buf, "pf_counted_before=") && strcmp(buf, "pf_counted_after=")) {
			iov_err_set(err, "hostile VF: unexpected line '%s'", buf);
			return -1;
		}
	}
	if (!seeds || fuzzes != seeds) {
		iov_err_set(err, "hostile VF: %u attack segments started, %u ended with their counts", seeds, fuzzes);
		return -1;
	}
	if (iov_metric_set_add(set, "hostile_vf_messages_count", "", (double)sent, err) ||
	    iov_metric_set_add(set, "hostile_vf_unanswered_count", "", (double)unanswered, err) ||
	    iov_metric_set_add(set, "hostile_vf_unread_count", "", (double)unread, err))
		return -1;
	if (have_before && have_after && after >= before &&
	    iov_metric_set_add(set, "hostile_vf_pf_counted_count", "", (double)(after - before), err))
		return -1;
	return 0;
}

static const char *const hostile_vf_rows[] = { "hostile_vf_messages_count", "hostile_vf_unanswered_count",
						"hostile_vf_unread_count", "hostile_vf_pf_counted_count", NULL };

const struct iov_toggle_ops iov_toggle_hostile_vf = {
	.name = "hostile VF",
	.key = IOV_KEY_HOSTILE_VF_TOGGLE_S,
	.applies = hostile_vf_applies,
	.switch_fn = "iov_toggle_hostile_vf",
	.file = "hostile-vf.txt",
	.note = "hostile_vf_ratios",
	.extra_file = "hostile-vf-messages.txt",
	.extra_metrics = hostile_vf_metrics,
	.metrics_source = "hostile_vf",
	.summary_rows = hostile_vf_rows,
	.spare_vfs = 1,
	.max_cost_pct = HOSTILE_VF_MAX_COST_PCT,
	.ratio_words = "bystanders' receiver throughput with the hostile VF / without",
	.title = "Bystanders' throughput with a hostile VF over without, toggled inside repetitions",
	.report_text = "the bystanders' throughput beside a hostile VF: a spare VF of the same PF, taken "
		       "from its driver, had its mailbox fuzzed from user space (malformed, unknown, "
		       "out-of-state and oversized messages, resets and kept locks) in every other segment "
		       "of a few seconds while the guests' traffic ran, the receivers' byte counters sampled "
		       "at each switch.",
};

const struct iov_toggle_ops iov_toggle_hostile_vf_spin = {
	.name = "hostile VF's CPU alone (control)",
	.key = IOV_KEY_HOSTILE_VF_SPIN_TOGGLE_S,
	.applies = hostile_vf_applies,
	.switch_fn = "iov_toggle_hostile_vf_spin",
	.file = "hostile-vf-spin.txt",
	.note = "hostile_vf_spin_ratios",
	.spare_vfs = 1,
	.max_cost_pct = HOSTILE_VF_MAX_COST_PCT,
	.ratio_words = "bystanders' receiver throughput with the spinning process / without",
	.title = "Bystanders' throughput beside the hostile VF's process without its messages (control)",
	.report_text = "the control of the hostile VF: the same user-space process on the same spare VF, "
		       "reading the VF's STATUS register as fast as the fuzz polls its mailbox and posting no "
		       "message, switched on and off the same way. Its cost is the attacker's CPU and register "
		       "reads, which guests sharing the driver domain's CPUs pay in the lab; the hostile VF's "
		       "own cost is the difference to the fuzz's ratio.",
};
