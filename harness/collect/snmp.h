/* SPDX-License-Identifier: MIT */
/*
 * snmp.h - the kernel's UDP counters of one network namespace (/proc/net/snmp, the "Udp:"
 * header and value lines), and their deltas. They say where UDP datagrams that iperf3 counts
 * as lost were dropped inside the guests: SndbufErrors counts datagrams the sender's stack
 * dropped (a full socket buffer or qdisc: UDP hides ENOBUFS from sendto without IP_RECVERR),
 * RcvbufErrors datagrams the receiver's socket had no room for. Drops on the wire or in a NIC
 * show in neither, so the rest of iperf3's loss is the path's own.
 *
 *   Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors ...
 *   Udp: 1234 0 0 1200 0 0 0 ...
 */
#ifndef IOV_COLLECT_SNMP_H
#define IOV_COLLECT_SNMP_H

#include <stdint.h>

#include "util.h"

struct iov_udp_mib {
	uint64_t in_datagrams, no_ports, in_errors, out_datagrams, rcvbuf_errors, sndbuf_errors;
};

/* Parse /proc/net/snmp; the Udp lines are required, columns are found by name. */
int iov_snmp_parse(const char *text, struct iov_udp_mib *udp, struct iov_err *err);
/* after - before; a counter going down (the namespace was recreated) is an error. */
int iov_udp_mib_delta(const struct iov_udp_mib *before, const struct iov_udp_mib *after, struct iov_udp_mib *delta,
		      struct iov_err *err);

#endif
