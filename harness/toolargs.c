// SPDX-License-Identifier: MIT
/* toolargs.c - workload keys to iperf3 and fio command lines. */
#include "toolargs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int push(struct iov_argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int push(struct iov_argv *a, const char *fmt, ...)
{
	char **grown = realloc(a->v, (a->n + 2) * sizeof(*grown));
	va_list ap;
	int rc;

	if (!grown)
		return -1;
	a->v = grown;
	va_start(ap, fmt);
	rc = vasprintf(&a->v[a->n], fmt, ap);
	va_end(ap);
	if (rc < 0) {
		a->v[a->n] = NULL;
		return -1;
	}
	a->v[++a->n] = NULL;
	return 0;
}

/* Append one argument; operands of '|' are unordered in C, so every push is its own statement. */
#define ARG(...)                                   \
	do {                                       \
		if (push(a, __VA_ARGS__))          \
			return -1;                 \
	} while (0)

static int iperf3_argv(const struct iov_workload *wl, enum iov_role role, const char *peer, unsigned port,
		       struct iov_argv *a)
{
	ARG("iperf3");
	if (role == IOV_ROLE_SERVER) {
		/* -1: serve one test and exit, so a stale server never answers the next repetition */
		ARG("-s");
		ARG("-1");
		ARG("-p");
		ARG("%u", port);
		return 0;
	}
	ARG("-c");
	ARG("%s", peer);
	ARG("-p");
	ARG("%u", port);
	ARG("-J");
	ARG("-t");
	ARG("%u", wl->duration_s);
	ARG("-O");
	ARG("%u", wl->omit_s);
	ARG("-P");
	ARG("%u", wl->streams);
	ARG("-b");
	ARG("%llu", (unsigned long long)wl->bitrate_bps);
	if (wl->protocol == IOV_PROTO_UDP)
		ARG("-u");
	if (wl->udp_datagram_bytes) {
		ARG("-l");
		ARG("%llu", (unsigned long long)wl->udp_datagram_bytes);
	}
	if (wl->reverse)
		ARG("-R");
	return 0;
}

static int fio_argv(const struct iov_workload *wl, enum iov_role role, const char *peer, unsigned port,
		    struct iov_argv *a)
{
	bool server = role == IOV_ROLE_SERVER;
	/* The listener does the opposite of the client: a writing client needs a reading listener. */
	bool writes = (wl->fio_rw == IOV_FIO_WRITE) != server;
	unsigned runtime = server ? wl->duration_s + wl->omit_s + IOV_FIO_LISTENER_GUARD_S : wl->duration_s;

	ARG("fio");
	ARG("--output-format=json");
	ARG("--name=%s", server ? "iov-listen" : "iov");
	ARG("--ioengine=net");
	ARG("--protocol=%s", iov_protocol_name(wl->protocol));
	if (server)
		ARG("--listen");
	else
		ARG("--hostname=%s", peer);
	ARG("--port=%u", port);
	ARG("--rw=%s", writes ? "write" : "read");
	ARG("--bs=%llu", (unsigned long long)wl->fio_bs);
	ARG("--size=1g"); /* the net engine insists on a size; time_based makes it irrelevant */
	ARG("--time_based");
	ARG("--runtime=%u", runtime);
	if (!server && wl->omit_s)
		ARG("--ramp_time=%u", wl->omit_s);
	ARG("--iodepth=%u", wl->fio_iodepth);
	ARG("--numjobs=%u", wl->fio_numjobs);
	if (wl->fio_numjobs > 1)
		ARG("--group_reporting"); /* one job in the JSON: one latency distribution */
	if (wl->fio_pingpong)
		ARG("--pingpong=1");
	if (wl->protocol == IOV_PROTO_TCP)
		ARG("--nodelay=%d", wl->fio_nodelay ? 1 : 0);
	return 0;
}

#undef ARG

int iov_tool_argv(const struct iov_workload *wl, enum iov_role role, const char *peer_addr, unsigned port,
		  struct iov_argv *out, struct iov_err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (role == IOV_ROLE_CLIENT && (!peer_addr || !*peer_addr)) {
		iov_err_set(err, "%s: client needs the server's address", wl->name);
		return -1;
	}
	if (!port || port > 65535) {
		iov_err_set(err, "%s: port %u out of range", wl->name, port);
		return -1;
	}
	rc = wl->tool == IOV_TOOL_IPERF3 ? iperf3_argv(wl, role, peer_addr, port, out)
					 : fio_argv(wl, role, peer_addr, port, out);
	if (rc) {
		iov_argv_free(out);
		iov_err_set(err, "%s: out of memory", wl->name);
		return -1;
	}
	return 0;
}

void iov_argv_free(struct iov_argv *argv)
{
	for (size_t i = 0; i < argv->n; i++)
		free(argv->v[i]);
	free(argv->v);
	memset(argv, 0, sizeof(*argv));
}

char *iov_argv_join(const struct iov_argv *argv)
{
	struct iov_buf b = { 0 };

	for (size_t i = 0; i < argv->n; i++)
		if (iov_buf_printf(&b, "%s%s", i ? " " : "", argv->v[i])) {
			iov_buf_free(&b);
			return NULL;
		}
	return iov_buf_take(&b);
}
