// SPDX-License-Identifier: MIT
/* mailbox.c - the mailbox tool: PF<->VF mailbox requests from multicast-list changes (tools.h). */
#include "tools/tools.h"

static const enum iov_workload_key mailbox_keys[] = { IOV_KEY_MBX_REQUESTS, IOV_KEY_COUNT };

/* Mailbox requests go from a VF driver to the PF: emulated baselines have neither. */
static int mailbox_validate(const struct iov_workload *wl, struct iov_err *err)
{
	for (int nic = 0; nic < IOV_NIC_COUNT; nic++)
		if ((wl->nic_mask & (1u << nic)) && !iov_nic_is_sriov(nic))
			return iov_workload_key_error(wl, IOV_KEY_NIC, err,
						      "%s has no PF<->VF mailbox (tool = mailbox needs SR-IOV kinds)",
						      iov_nic_name(nic));
	return 0;
}

/* Every guest churns its multicast list at once; the guest side's exit status is the "client". */
static int mailbox_client(const struct iov_workload *wl, const struct traffic_link *l, size_t i, struct iov_buf *out)
{
	(void)i;
	return iov_buf_printf(out, "iov_mcast_churn %s %s %u", l->ns, l->dev, wl->mbx_requests);
}

/* A mailbox request takes at most a few ms; allow 50 ms each under a slow TCG guest. */
static unsigned mailbox_rep_seconds(const struct iov_workload *wl)
{
	return wl->mbx_requests / 20;
}

static const char *mailbox_headline(json_t *wl)
{
	(void)wl;
	return "mbx_call_p50_ns";
}

static const char *const mailbox_rows[] = {
	"mbx_call_p99_ns", "mbx_calls_count", "mbx_rtt_p50_ns", "mbx_service_p50_ns", NULL
};

const struct iov_tool_ops iov_tool_mailbox = {
	.name = "mailbox",
	.help = "`mailbox`: every guest changes its multicast list `mbx_requests` times, each change one "
		"PF<->VF mailbox request, timed in the VF driver (SR-IOV NIC kinds only)",
	.keys = mailbox_keys,
	.validate = mailbox_validate,
	.client = mailbox_client,
	.rep_seconds = mailbox_rep_seconds,
	.trace = IOV_TOOL_TRACE_MAILBOX,
	/* the requests' figures come from the function_graph trace, not the clients' output */
	.headline = mailbox_headline,
	.summary_rows = mailbox_rows,
};
