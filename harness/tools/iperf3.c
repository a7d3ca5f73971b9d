// SPDX-License-Identifier: MIT
/* iperf3.c - the iperf3 tool: stream throughput, UDP packet rate and loss (tools.h). */
#include <inttypes.h>
#include <string.h>

#include "collect/iperf3.h"
#include "metrics_compute.h"
#include "toggles/toggles.h"
#include "tools/tools.h"

#define IPERF3_BASE_PORT 5201

static const enum iov_workload_key iperf3_keys[] = {
	IOV_KEY_STREAMS,	   IOV_KEY_UDP_DATAGRAM_BYTES, IOV_KEY_BITRATE,	       IOV_KEY_REVERSE,
	IOV_KEY_IPERF3_CLIENT_CPU, IOV_KEY_IPERF3_SERVER_CPU,  IOV_KEY_INSTR_TOGGLE_S, IOV_KEY_HOSTILE_VF_TOGGLE_S,
	IOV_KEY_HOSTILE_VF_SPIN_TOGGLE_S, IOV_KEY_VF_FLR_TOGGLE_S, IOV_KEY_PF_LINK_TOGGLE_S, IOV_KEY_COUNT,
};

static int iperf3_validate(const struct iov_workload *wl, struct iov_err *err)
{
	if (wl->origin[IOV_KEY_UDP_DATAGRAM_BYTES].explicit && wl->protocol != IOV_PROTO_UDP)
		return iov_workload_key_error(wl, IOV_KEY_UDP_DATAGRAM_BYTES, err, "needs protocol = udp");
	if (wl->origin[IOV_KEY_IPERF3_SERVER_CPU].explicit && !wl->origin[IOV_KEY_IPERF3_CLIENT_CPU].explicit)
		return iov_workload_key_error(wl, IOV_KEY_IPERF3_SERVER_CPU, err,
					      "needs iperf3_client_cpu (iperf3 -A client,server)");
	if (iov_toggle_validate(wl, err))
		return -1;
	return 0;
}

static int iperf3_servers(const struct iov_workload *wl, const struct traffic_link *links, size_t n,
			  struct iov_buf *out)
{
	char ns[64];

	(void)wl;
	for (size_t i = 0; i < n; i++)
		if (iov_buf_printf(out, "%siperf3 -s -D -p %d -B %s\n",
				   traffic_in_ns(links[i].peer_ns, ns, sizeof(ns)), IPERF3_BASE_PORT + (int)i,
				   links[i].peer_addr))
			return -1;
	/* iperf3 -D returns before the server listens. */
	for (size_t i = 0; i < n; i++)
		if (iov_buf_printf(out, "iov_wait_listen %s %d 30\n", links[i].peer_ns,
				   IPERF3_BASE_PORT + (int)i))
			return -1;
	return 0;
}

static int iperf3_client(const struct iov_workload *wl, const struct traffic_link *l, size_t i,
			 struct iov_buf *out)
{
	char ns[64];
	int rc = iov_buf_printf(out, "%siperf3 -c %s -p %d -t %u -O %u -P %u -J",
				traffic_in_ns(l->ns, ns, sizeof(ns)), l->peer_addr,
				IPERF3_BASE_PORT + (int)i, wl->duration_s, wl->omit_s, wl->streams);

	if (!rc && wl->protocol == IOV_PROTO_UDP)
		rc = iov_buf_printf(out, " -u -b %" PRIu64, wl->bitrate_bps);
	else if (!rc && wl->bitrate_bps)
		rc = iov_buf_printf(out, " -b %" PRIu64, wl->bitrate_bps);
	if (!rc && wl->udp_datagram_bytes)
		rc = iov_buf_printf(out, " -l %" PRIu64, wl->udp_datagram_bytes);
	if (!rc && wl->reverse)
		rc = iov_buf_printf(out, " -R");
	if (!rc && wl->origin[IOV_KEY_IPERF3_CLIENT_CPU].explicit)
		rc = iov_buf_printf(out, " -A %u", wl->iperf3_client_cpu);
	if (!rc && wl->origin[IOV_KEY_IPERF3_SERVER_CPU].explicit)
		rc = iov_buf_printf(out, ",%u", wl->iperf3_server_cpu);
	return rc;
}

static unsigned iperf3_rep_seconds(const struct iov_workload *wl)
{
	return wl->duration_s + wl->omit_s;
}

static int iperf3_parse(const char *text, size_t len, void *result, struct iov_err *err)
{
	return iov_iperf3_parse(text, len, result, err);
}

static int iperf3_metrics(struct iov_metric_set *set, const void *results, const char *const *instances, size_t n,
			  struct iov_err *err)
{
	return iov_metrics_iperf3(set, results, instances, n, err);
}

/* UDP 64 B is about packet rate, a stream about bandwidth. */
static const char *iperf3_headline(json_t *wl)
{
	const char *proto = json_string_value(json_object_get(wl, "protocol"));

	return proto && !strcmp(proto, "udp") ? "pps" : "throughput_bps";
}

const struct iov_tool_ops iov_tool_iperf3 = {
	.name = "iperf3",
	.help = "`iperf3` (stream throughput, UDP packet rate and loss)",
	.keys = iperf3_keys,
	.validate = iperf3_validate,
	.servers = iperf3_servers,
	.client = iperf3_client,
	.rep_seconds = iperf3_rep_seconds,
	.trace = IOV_TOOL_TRACE_NAPI,
	.result_size = sizeof(struct iov_iperf3_result),
	.parse = iperf3_parse,
	.metrics = iperf3_metrics,
	.headline = iperf3_headline,
	.summary_rows = iov_tool_traffic_rows,
};
