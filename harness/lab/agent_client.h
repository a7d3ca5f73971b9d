/* SPDX-License-Identifier: MIT */
/* agent_client.h - the harness side of the agent protocol (harness/agent/proto.h). */
#ifndef IOV_LAB_AGENT_CLIENT_H
#define IOV_LAB_AGENT_CLIENT_H

#include <stddef.h>
#include "agent/proto.h"

struct agent_conn {
	int fd;
	uint32_t next_id;
};

/* Grace the host allows beyond a command's own timeout before calling the guest hung. */
#define AGENT_REPLY_GRACE_MS 15000

/*
 * All calls return 0 or a negative errno and describe failures in err.
 * -ETIMEDOUT means no reply in time (guest hung or still booting), -EPIPE that the
 * channel closed (QEMU exited), -EREMOTEIO that the agent answered with an error.
 */
int agent_connect(struct agent_conn *c, const char *socket_path, char *err, size_t errlen);
void agent_close(struct agent_conn *c);
int agent_ping(struct agent_conn *c, int timeout_ms, char *info, size_t infolen, char *err,
	       size_t errlen);
int agent_exec(struct agent_conn *c, const char *const *argv, const void *input, size_t input_len,
	       int timeout_ms, struct exec_result *res, char *err, size_t errlen);
int agent_put(struct agent_conn *c, const char *remote_path, unsigned int mode, const void *data,
	      size_t len, char *err, size_t errlen);
/* *data is NUL-terminated for convenience; caller frees. */
int agent_get(struct agent_conn *c, const char *remote_path, char **data, size_t *len, char *err,
	      size_t errlen);

/* A client's relay of a result: its output to stdout and stderr, then a line for a command
 * killed at its timeout or output cut at the limit, prefixed "WHO: ". */
void exec_result_relay(const struct exec_result *r, const char *who, int timeout_s);

#endif
