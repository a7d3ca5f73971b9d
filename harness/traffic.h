/* SPDX-License-Identifier: MIT */
/*
 * traffic.h - from a workload and an experiment's topology to the shell run in the target: the
 * frame of a repetition (output directory, clients in the background, a toggle (toggles/toggles.h),
 * waiting), with the tool's commands from its ops (tools/tools.h). Each link (a client
 * guest and its peer) gets its own port range, so all links run at once.
 */
#ifndef IOV_TRAFFIC_H
#define IOV_TRAFFIC_H

#include <stddef.h>

#include "util.h"
#include "workload.h"

struct iov_toggle_ops;

#define TRAFFIC_MAX_LINKS 7
#define TRAFFIC_OUTDIR "/tmp/iovbench-rep"

/* One line of iov_topology's output (guest-lib.sh): a client guest and its peer. */
struct traffic_link {
	char ns[16], dev[32], addr[20], bdf[32];
	char peer_ns[16], peer_dev[32], peer_addr[20], peer_bdf[32]; /* peer_ns "-": root */
	char instance[40]; /* "g1-g2" or "g1-domain": the metric instance */
};

int traffic_parse_topology(const char *text, struct traffic_link *links, size_t max, size_t *n,
			   struct iov_err *err);

/* "iov_in GUEST " (guest-lib: a namespace or a VM guest) in buf, or "" for the driver domain ("-"). */
const char *traffic_in_ns(const char *ns, char *buf, size_t len);

/* Shell that starts the long-lived servers of an experiment (the tool's; iperf3 has them). */
int traffic_servers_script(const struct iov_workload *wl, const struct traffic_link *links,
			   size_t n, struct iov_buf *out);
/*
 * Shell for one repetition: the tool's per-repetition setup (fio listeners), every client in the background with
 * its output in TRAFFIC_OUTDIR/client-<i>.out and exit status in client-<i>.rc, then wait.
 * toggle (iov_experiment_toggle; NULL: none) runs alongside over the measured time and leaves
 * its segment file toggle->file (and its extra_file) in TRAFFIC_OUTDIR.
 */
int traffic_rep_script(const struct iov_workload *wl, const struct traffic_link *links, size_t n,
		       const struct iov_toggle_ops *toggle, struct iov_buf *out);
/* Seconds a repetition takes at most (the command timeout). */
int traffic_rep_timeout_s(const struct iov_workload *wl);

#endif
