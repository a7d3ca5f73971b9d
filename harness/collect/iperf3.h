/* SPDX-License-Identifier: MIT */
/*
 * iperf3.h - the client's `iperf3 -J` document (TCP or UDP) reduced to the figures we record.
 *
 * Sender and receiver totals come from end.sum_sent / end.sum_received (both sides' counts,
 * exchanged by iperf3 at the end of the test). For UDP, sum_received.packets is the number of
 * datagrams the receiver expected (highest sequence number seen) and lost_packets the gaps, so
 * packets actually received = packets - lost_packets.
 */
#ifndef IOV_COLLECT_IPERF3_H
#define IOV_COLLECT_IPERF3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct iov_iperf3_result {
	char version[32];
	bool udp;
	bool reverse;
	unsigned num_streams;
	unsigned duration_s; /* requested, test_start.duration */
	unsigned omit_s;

	double sent_seconds, received_seconds;
	uint64_t sent_bytes, received_bytes;
	double sent_bps, received_bps;

	int64_t retransmits; /* TCP sender; -1 when iperf3 could not read them */

	/* UDP only */
	uint64_t udp_packets_sent;
	uint64_t udp_packets_expected; /* sum_received.packets */
	uint64_t udp_packets_lost;
	uint64_t udp_packets_received; /* expected - lost */
	double udp_lost_pct;
	double udp_jitter_ms;
	int64_t udp_out_of_order; /* -1 when absent */

	/* end.cpu_utilization_percent: host is the side that ran this client, remote the server */
	double cpu_host_total_pct, cpu_host_user_pct, cpu_host_system_pct;
	double cpu_remote_total_pct, cpu_remote_user_pct, cpu_remote_system_pct;
};

/*
 * Parse the document. Errors: not JSON or truncated (with the position jansson stopped at),
 * an "error" member (iperf3's own message, e.g. "unable to connect to server: Connection refused"),
 * missing end sections.
 */
int iov_iperf3_parse(const char *text, size_t len, struct iov_iperf3_result *r, struct iov_err *err);

#endif
