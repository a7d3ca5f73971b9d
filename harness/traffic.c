// SPDX-License-Identifier: MIT
/* traffic.c - workload + topology -> iperf3/fio command lines (see traffic.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "traffic.h"

#define IPERF3_BASE_PORT 5201
#define FIO_BASE_PORT 8000
#define FIO_PORTS_PER_LINK 100 /* fio gives each of numjobs jobs its own port from the base */

int traffic_parse_topology(const char *text, struct traffic_link *links, size_t max, size_t *n,
			   struct iov_err *err)
{
	const char *cur = text, *line;
	size_t len;

	*n = 0;
	while ((line = iov_next_line(&cur, &len))) {
		struct traffic_link *l;
		char buf[512];

		if (len < 6 || strncmp(line, "guest ", 6))
			continue;
		if (*n == max) {
			iov_err_set(err, "topology: more than %zu links", max);
			return -1;
		}
		l = &links[*n];
		memset(l, 0, sizeof(*l));
		iov_strlcpy_n(buf, sizeof(buf), line, len);
		if (sscanf(buf, "guest %15s %31s %19s %15s %15s %31s %19s %15s", l->ns, l->dev, l->addr,
			   l->bdf, l->peer_ns, l->peer_dev, l->peer_addr, l->peer_bdf) != 8) {
			iov_err_set(err, "topology: malformed line '%s'", buf);
			return -1;
		}
		snprintf(l->instance, sizeof(l->instance), "%s-%s", l->ns,
			 strcmp(l->peer_ns, "-") ? l->peer_ns : "domain");
		(*n)++;
	}
	if (*n == 0) {
		iov_err_set(err, "topology: no guest links in the output");
		return -1;
	}
	return 0;
}

/* "ip netns exec NS " or "" for the root namespace. */
static const char *in_ns(const char *ns, char *buf, size_t len)
{
	if (!strcmp(ns, "-"))
		return "";
	snprintf(buf, len, "ip netns exec %s ", ns);
	return buf;
}

int traffic_servers_script(const struct iov_workload *wl, const struct traffic_link *links,
			   size_t n, struct iov_buf *out)
{
	char ns[64];

	if (wl->tool != IOV_TOOL_IPERF3)	/* fio listens per repetition; mailbox needs none */
		return 0;
	for (size_t i = 0; i < n; i++)
		if (iov_buf_printf(out, "%siperf3 -s -D -p %d -B %s\n",
				   in_ns(links[i].peer_ns, ns, sizeof(ns)), IPERF3_BASE_PORT + (int)i,
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
				in_ns(l->ns, ns, sizeof(ns)), l->peer_addr,
				IPERF3_BASE_PORT + (int)i, wl->duration_s, wl->omit_s, wl->streams);

	if (!rc && wl->protocol == IOV_PROTO_UDP)
		rc = iov_buf_printf(out, " -u -b %" PRIu64, wl->bitrate_bps);
	else if (!rc && wl->bitrate_bps)
		rc = iov_buf_printf(out, " -b %" PRIu64, wl->bitrate_bps);
	if (!rc && wl->udp_datagram_bytes)
		rc = iov_buf_printf(out, " -l %" PRIu64, wl->udp_datagram_bytes);
	if (!rc && wl->reverse)
		rc = iov_buf_printf(out, " -R");
	if (!rc && iov_workload_is_set(wl, "iperf3_client_cpu"))
		rc = iov_buf_printf(out, " -A %u", wl->iperf3_client_cpu);
	if (!rc && iov_workload_is_set(wl, "iperf3_server_cpu"))
		rc = iov_buf_printf(out, ",%u", wl->iperf3_server_cpu);
	return rc;
}

/*
 * fio's net engine: the client writes (or reads), the listener does the opposite. json+ carries
 * the completion-latency histogram, so percentiles merge exactly across links; jobs of one
 * link are reported as one group.
 */
static int fio_common(const struct iov_workload *wl, struct iov_buf *out, const char *rw,
		      unsigned port)
{
	return iov_buf_printf(out,
			      " --ioengine=net --protocol=%s --port=%u --rw=%s --bs=%" PRIu64
			      " --size=1T --numjobs=%u --iodepth=%u --pingpong=%d --nodelay=%d"
			      " --time_based --group_reporting --output-format=json+",
			      wl->protocol == IOV_PROTO_UDP ? "udp" : "tcp", port, rw, wl->fio_bs,
			      wl->fio_numjobs, wl->fio_iodepth, wl->fio_pingpong ? 1 : 0,
			      wl->fio_nodelay ? 1 : 0);
}

/* Every guest churns its multicast list at once; the guest side's exit status is the "client". */
static int mailbox_script(const struct iov_workload *wl, const struct traffic_link *links, size_t n,
			  struct iov_buf *out)
{
	for (size_t i = 0; i < n; i++)
		if (iov_buf_printf(out,
				   "( iov_mcast_churn %s %s %u >%s/client-%zu.out 2>%s/client-%zu.err; "
				   "echo $? >%s/client-%zu.rc ) &\nclients=\"$clients $!\"\n",
				   links[i].ns, links[i].dev, wl->mbx_requests, TRAFFIC_OUTDIR, i,
				   TRAFFIC_OUTDIR, i, TRAFFIC_OUTDIR, i))
			return -1;
	return iov_buf_printf(out, "wait $clients\n");
}

/* The instrumentation toggler (instr_toggle_s) over the measured time, in the background. */
static int instr_toggle_script(const struct iov_workload *wl, const struct traffic_link *links, size_t n,
			       struct iov_buf *out)
{
	/* half a second off each end of the measured time: the tools' own start and stop */
	if (iov_buf_printf(out, "( sleep %u.5; iov_instr_toggle %u %u %s/" TRAFFIC_INSTR_TOGGLE_FILE,
			   wl->omit_s, wl->instr_toggle_s, wl->duration_s - 1, TRAFFIC_OUTDIR))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (iov_buf_printf(out, " %s/%s", wl->reverse ? links[i].ns : links[i].peer_ns,
				   wl->reverse ? links[i].dev : links[i].peer_dev))
			return -1;
	return iov_buf_printf(out, " ) &\ntoggler=$!\n");
}

int traffic_rep_script(const struct iov_workload *wl, const struct traffic_link *links, size_t n,
		       bool instr_toggle, struct iov_buf *out)
{
	bool fio = wl->tool == IOV_TOOL_FIO;
	const char *client_rw = wl->fio_rw == IOV_FIO_READ ? "read" : "write";
	const char *listen_rw = wl->fio_rw == IOV_FIO_READ ? "write" : "read";
	char ns[64];

	if (iov_buf_printf(out, "rm -rf %s && mkdir -p %s\nlisteners= clients=\n", TRAFFIC_OUTDIR,
			   TRAFFIC_OUTDIR))
		return -1;
	if (wl->tool == IOV_TOOL_MAILBOX)
		return mailbox_script(wl, links, n, out);
	if (fio) {
		/* A listener serves one connection per job: start them for every repetition. */
		for (size_t i = 0; i < n; i++) {
			unsigned port = FIO_BASE_PORT + FIO_PORTS_PER_LINK * (unsigned)i;

			/* Engine options (--listen, --hostname) are known only after --ioengine. */
			if (iov_buf_printf(out, "%sfio --name=listen%zu",
					   in_ns(links[i].peer_ns, ns, sizeof(ns)), i) ||
			    fio_common(wl, out, listen_rw, port) ||
			    iov_buf_printf(out, " --listen --runtime=%u --output=%s/listener-%zu.out &\nlisteners=\"$listeners $!\"\n",
					   wl->duration_s + wl->omit_s + 30, TRAFFIC_OUTDIR, i))
				return -1;
		}
		for (size_t i = 0; i < n; i++)
			if (iov_buf_printf(out, "iov_wait_listen %s %u 30\n", links[i].peer_ns,
					   FIO_BASE_PORT + FIO_PORTS_PER_LINK * (unsigned)i))
				return -1;
	}
	for (size_t i = 0; i < n; i++) {
		int rc = iov_buf_printf(out, "( ");

		if (!rc && fio) {
			rc = iov_buf_printf(out, "%sfio --name=%s", in_ns(links[i].ns, ns, sizeof(ns)),
					    links[i].instance) ||
			     fio_common(wl, out, client_rw,
					FIO_BASE_PORT + FIO_PORTS_PER_LINK * (unsigned)i) ||
			     iov_buf_printf(out, " --hostname=%s --runtime=%u --ramp_time=%u",
					    links[i].peer_addr, wl->duration_s, wl->omit_s);
		} else if (!rc) {
			rc = iperf3_client(wl, &links[i], i, out);
		}
		if (rc || iov_buf_printf(out,
					 " >%s/client-%zu.out 2>%s/client-%zu.err; echo $? >%s/client-%zu.rc ) &\n"
					 "clients=\"$clients $!\"\n",
					 TRAFFIC_OUTDIR, i, TRAFFIC_OUTDIR, i, TRAFFIC_OUTDIR, i))
			return -1;
	}
	if (instr_toggle && instr_toggle_script(wl, links, n, out))
		return -1;
	/* Wait for the clients (and the toggler) only; listeners that outlive them are stopped. */
	if (iov_buf_printf(out, "wait $clients%s\n", instr_toggle ? " $toggler" : "") ||
	    (fio && iov_buf_printf(out, "kill $listeners 2>/dev/null; wait\n")))
		return -1;
	return 0;
}

int traffic_rep_timeout_s(const struct iov_workload *wl)
{
	/* A mailbox request takes at most a few ms; allow 50 ms each under a slow TCG guest. */
	if (wl->tool == IOV_TOOL_MAILBOX)
		return (int)(wl->mbx_requests / 20) + 90;
	return (int)(wl->duration_s + wl->omit_s) + 90;
}
