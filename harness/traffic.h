/* SPDX-License-Identifier: MIT */
/*
 * traffic.h - from a workload and an experiment's topology to the tool command lines run in
 * the target: iperf3 servers and clients, fio net listeners and clients. Each link (a client
 * guest and its peer) gets its own port range, so all links run at once.
 */
#ifndef IOV_TRAFFIC_H
#define IOV_TRAFFIC_H

#include <stddef.h>

#include "util.h"
#include "workload.h"

#define TRAFFIC_MAX_LINKS 7
#define TRAFFIC_OUTDIR "/tmp/iovbench-rep"
/* iov_instr_toggle's segment file in TRAFFIC_OUTDIR (instr_toggle_s). */
#define TRAFFIC_INSTR_TOGGLE_FILE "instr-toggle.txt"

/* One line of iov_topology's output (guest-lib.sh): a client guest and its peer. */
struct traffic_link {
	char ns[16], dev[32], addr[20], bdf[16];
	char peer_ns[16], peer_dev[32], peer_addr[20], peer_bdf[16]; /* peer_ns "-": root */
	char instance[40]; /* "g1-g2" or "g1-domain": the metric instance */
};

int traffic_parse_topology(const char *text, struct traffic_link *links, size_t max, size_t *n,
			   struct iov_err *err);

/* Shell that starts the long-lived servers of an experiment (iperf3), "" for fio. */
int traffic_servers_script(const struct iov_workload *wl, const struct traffic_link *links,
			   size_t n, struct iov_buf *out);
/*
 * Shell for one repetition: fio listeners where needed, every client in the background with
 * its output in TRAFFIC_OUTDIR/client-<i>.out and exit status in client-<i>.rc, then wait.
 * instr_toggle (iov_experiment_toggles_instr; needs wl->instr_toggle_s): the instrumentation
 * toggler runs alongside and leaves TRAFFIC_OUTDIR/TRAFFIC_INSTR_TOGGLE_FILE.
 */
int traffic_rep_script(const struct iov_workload *wl, const struct traffic_link *links, size_t n,
		       bool instr_toggle, struct iov_buf *out);
/* Seconds a repetition takes at most (the command timeout). */
int traffic_rep_timeout_s(const struct iov_workload *wl);

#endif
