/* SPDX-License-Identifier: MIT */
/*
 * toolargs.h - a workload's traffic generator command lines, so that every workload key maps to
 * tool options in one place (workload file -> plan -> these argv -> agent -> tool).
 *
 *   iperf3 server:  iperf3 -s -1 -p PORT
 *   iperf3 client:  iperf3 -c ADDR -p PORT -J -t duration_s -O omit_s -P streams
 *                          -b bitrate [-u] [-l udp_datagram_bytes] [-R]
 *   fio listener:   fio --output-format=json --name=iov-listen --ioengine=net --listen ...
 *   fio client:     fio --output-format=json --name=iov --ioengine=net --hostname=ADDR ...
 *
 * Both tools add the warm-up to the measured time (iperf3 -O, fio ramp_time), so a repetition
 * lasts omit_s + duration_s. The fio listener gets a longer runtime as a guard: it ends when
 * the client closes the connection.
 */
#ifndef IOV_TOOLARGS_H
#define IOV_TOOLARGS_H

#include <stddef.h>

#include "util.h"
#include "workload.h"

enum iov_role {
	IOV_ROLE_SERVER, /* iperf3 -s, fio --listen: started first, on the receiving side of the pair */
	IOV_ROLE_CLIENT, /* the side whose output is parsed */
};

#define IOV_FIO_LISTENER_GUARD_S 30

struct iov_argv {
	size_t n;
	char **v; /* NULL-terminated */
};

/* peer_addr: the server's address for the client; ignored for the server. */
int iov_tool_argv(const struct iov_workload *wl, enum iov_role role, const char *peer_addr, unsigned port,
		  struct iov_argv *out, struct iov_err *err);
void iov_argv_free(struct iov_argv *argv);
/* Space-joined, for logs and the result's record (not for a shell: no quoting). */
char *iov_argv_join(const struct iov_argv *argv);

#endif
