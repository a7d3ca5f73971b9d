// SPDX-License-Identifier: MIT
/* fio.c - the fio tool with its net engine: request/response latency or streams (tools.h). */
#include <inttypes.h>

#include "collect/fio.h"
#include "metrics_compute.h"
#include "tools/tools.h"

#define FIO_BASE_PORT 8000
#define FIO_PORTS_PER_LINK 100 /* fio gives each of numjobs jobs its own port from the base */

static const enum iov_workload_key fio_keys[] = {
	IOV_KEY_FIO_RW,	      IOV_KEY_FIO_BS,	    IOV_KEY_FIO_IODEPTH, IOV_KEY_FIO_NUMJOBS,
	IOV_KEY_FIO_PINGPONG, IOV_KEY_FIO_NODELAY, IOV_KEY_COUNT,
};

static unsigned fio_port(size_t i)
{
	return FIO_BASE_PORT + FIO_PORTS_PER_LINK * (unsigned)i;
}

/*
 * fio's net engine: the client writes (or reads), the listener does the opposite. json+ carries
 * the completion-latency histogram, so percentiles merge exactly across links; jobs of one
 * link are reported as one group.
 */
static int fio_common(const struct iov_workload *wl, struct iov_buf *out, bool listener, unsigned port)
{
	bool client_reads = wl->fio_rw == IOV_FIO_READ;

	return iov_buf_printf(out,
			      " --ioengine=net --protocol=%s --port=%u --rw=%s --bs=%" PRIu64
			      " --size=1T --numjobs=%u --iodepth=%u --pingpong=%d --nodelay=%d"
			      " --time_based --group_reporting --output-format=json+",
			      wl->protocol == IOV_PROTO_UDP ? "udp" : "tcp", port,
			      client_reads != listener ? "read" : "write", wl->fio_bs, wl->fio_numjobs,
			      wl->fio_iodepth, wl->fio_pingpong ? 1 : 0, wl->fio_nodelay ? 1 : 0);
}

/* A listener serves one connection per job: start them for every repetition. */
static int fio_listeners(const struct iov_workload *wl, const struct traffic_link *links, size_t n,
			 struct iov_buf *out)
{
	char ns[64];

	for (size_t i = 0; i < n; i++)
		/* Engine options (--listen, --hostname) are known only after --ioengine. */
		if (iov_buf_printf(out, "%sfio --name=listen%zu", traffic_in_ns(links[i].peer_ns, ns, sizeof(ns)), i) ||
		    fio_common(wl, out, true, fio_port(i)) ||
		    iov_buf_printf(out, " --listen --runtime=%u --output=%s/listener-%zu.out &\nlisteners=\"$listeners $!\"\n",
				   wl->duration_s + wl->omit_s + 30, TRAFFIC_OUTDIR, i))
			return -1;
	for (size_t i = 0; i < n; i++)
		if (iov_buf_printf(out, "iov_wait_listen %s %u 30\n", links[i].peer_ns, fio_port(i)))
			return -1;
	return 0;
}

static int fio_client(const struct iov_workload *wl, const struct traffic_link *l, size_t i, struct iov_buf *out)
{
	char ns[64];

	return iov_buf_printf(out, "%sfio --name=%s", traffic_in_ns(l->ns, ns, sizeof(ns)), l->instance) ||
	       fio_common(wl, out, false, fio_port(i)) ||
	       iov_buf_printf(out, " --hostname=%s --runtime=%u --ramp_time=%u", l->peer_addr, wl->duration_s,
			      wl->omit_s);
}

/* Listeners that outlive the clients are stopped. */
static int fio_listeners_stop(const struct iov_workload *wl, const struct traffic_link *links, size_t n,
			      struct iov_buf *out)
{
	(void)wl, (void)links, (void)n;
	return iov_buf_printf(out, "kill $listeners 2>/dev/null; wait\n");
}

static unsigned fio_rep_seconds(const struct iov_workload *wl)
{
	return wl->duration_s + wl->omit_s;
}

static int fio_parse(const char *text, size_t len, void *result, struct iov_err *err)
{
	return iov_fio_parse(text, len, result, err);
}

static int fio_metrics(struct iov_metric_set *set, const void *results, const char *const *instances, size_t n,
		       struct iov_err *err)
{
	return iov_metrics_fio(set, results, instances, n, err);
}

static void fio_free(void *result)
{
	iov_fio_free(result);
}

static const char *fio_headline(json_t *wl)
{
	return json_is_true(json_object_get(wl, "fio_pingpong")) ? "lat_p50_ns" : "throughput_bps";
}

const struct iov_tool_ops iov_tool_fio = {
	.name = "fio",
	.help = "`fio` with its `net` engine (request/response latency with `fio_pingpong`, or streams)",
	.keys = fio_keys,
	.rep_setup = fio_listeners,
	.client = fio_client,
	.rep_cleanup = fio_listeners_stop,
	.rep_seconds = fio_rep_seconds,
	.trace = IOV_TOOL_TRACE_NAPI,
	.result_size = sizeof(struct iov_fio_result),
	.parse = fio_parse,
	.metrics = fio_metrics,
	.free_result = fio_free,
	.headline = fio_headline,
	.summary_rows = iov_tool_traffic_rows,
};
