// SPDX-License-Identifier: MIT
/* agent_client.c - connect to the guest agent's socket and run requests on it. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lab/agent_client.h"

int agent_connect(struct agent_conn *c, const char *socket_path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char copy[PATH_MAX];
	int dirfd = -1, fd;

	c->fd = -1;
	c->next_id = 1;
	/* sun_path holds 108 bytes: reach deep run directories through /proc/self/fd. */
	if (strlen(socket_path) >= sizeof(sa.sun_path)) {
		snprintf(copy, sizeof(copy), "%s", socket_path);
		dirfd = open(dirname(copy), O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0) {
			snprintf(err, errlen, "agent socket %s: %s", socket_path, strerror(errno));
			return -errno;
		}
		snprintf(copy, sizeof(copy), "%s", socket_path);
		snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/%s", dirfd, basename(copy));
	} else {
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", socket_path);
	}
	/* Non-blocking: a guest that stops reading must not block a write for ever. */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		snprintf(err, errlen, "cannot connect to agent socket %s: %s", socket_path, strerror(e));
		if (fd >= 0)
			close(fd);
		if (dirfd >= 0)
			close(dirfd);
		return -e;
	}
	if (dirfd >= 0)
		close(dirfd);
	c->fd = fd;
	return 0;
}

void agent_close(struct agent_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Send a request and wait for its reply, skipping replies to earlier (abandoned) requests. */
static int transact(struct agent_conn *c, uint16_t type, const struct pbuf *rq, int timeout_ms,
		    struct proto_header *h, struct pbuf *reply, char *err, size_t errlen)
{
	uint32_t id = c->next_id++;
	int rc = proto_write_frame(c->fd, type, id, rq ? rq->data : NULL, rq ? rq->len : 0,
				   timeout_ms);

	if (rc) {
		snprintf(err, errlen, "agent: send failed: %s",
			 rc == -ETIMEDOUT ? "the guest stopped reading" : strerror(-rc));
		return rc;
	}
	for (;;) {
		rc = proto_read_frame(c->fd, h, reply, timeout_ms);
		if (rc == -ETIMEDOUT) {
			snprintf(err, errlen, "agent: no reply within %d ms", timeout_ms);
			return rc;
		}
		if (rc == -EPIPE) {
			snprintf(err, errlen, "agent: channel closed (QEMU exited?)");
			return rc;
		}
		if (rc) {
			snprintf(err, errlen, "agent: receive failed: %s", strerror(-rc));
			return rc;
		}
		if (h->id == id)
			break;
		pbuf_free(reply);
	}
	if (h->type == MSG_ERROR) {
		int e = (int)pbuf_get_u32(reply);
		const char *msg = pbuf_get_str(reply);

		snprintf(err, errlen, "agent: %s", msg ? msg : strerror(e));
		pbuf_free(reply);
		return -EREMOTEIO;
	}
	return 0;
}

int agent_ping(struct agent_conn *c, int timeout_ms, char *info, size_t infolen, char *err,
	       size_t errlen)
{
	struct proto_header h;
	struct pbuf reply;
	int rc = transact(c, MSG_PING, NULL, timeout_ms, &h, &reply, err, errlen);

	if (rc)
		return rc;
	if (h.type != MSG_PONG) {
		snprintf(err, errlen, "agent: unexpected reply type %u to ping", h.type);
		rc = -EPROTO;
	} else if (info) {
		snprintf(info, infolen, "%.*s", (int)reply.len, (const char *)reply.data);
	}
	pbuf_free(&reply);
	return rc;
}

int agent_exec(struct agent_conn *c, const char *const *argv, const void *input, size_t input_len,
	       int timeout_ms, struct exec_result *res, char *err, size_t errlen)
{
	struct exec_request rq = { .timeout_ms = (uint32_t)timeout_ms, .argv = (const char **)argv,
				   .input = input, .input_len = (uint32_t)input_len };
	struct pbuf b = { 0 }, reply;
	struct proto_header h;
	int rc;

	while (argv[rq.argc])
		rq.argc++;
	exec_request_encode(&rq, &b);
	if (b.error) {
		pbuf_free(&b);
		snprintf(err, errlen, "agent: request too large");
		return -ENOMEM;
	}
	rc = transact(c, MSG_EXEC, &b, timeout_ms + AGENT_REPLY_GRACE_MS, &h, &reply, err, errlen);
	pbuf_free(&b);
	if (rc)
		return rc;
	if (h.type != MSG_EXEC_RESULT || exec_result_decode(&reply, res)) {
		snprintf(err, errlen, "agent: malformed reply to exec");
		rc = -EPROTO;
	}
	pbuf_free(&reply);
	return rc;
}

int agent_put(struct agent_conn *c, const char *remote_path, unsigned int mode, const void *data,
	      size_t len, char *err, size_t errlen)
{
	struct pbuf b = { 0 }, reply;
	struct proto_header h;
	int rc;

	pbuf_put_str(&b, remote_path);
	pbuf_put_u32(&b, mode);
	pbuf_put_bytes(&b, data, len);
	rc = transact(c, MSG_PUT, &b, 60000, &h, &reply, err, errlen);
	pbuf_free(&b);
	if (!rc)
		pbuf_free(&reply);
	return rc;
}

int agent_get(struct agent_conn *c, const char *remote_path, char **data, size_t *len, char *err,
	      size_t errlen)
{
	struct pbuf b = { 0 }, reply;
	struct proto_header h;
	const uint8_t *p;
	uint32_t n;
	int rc;

	pbuf_put_str(&b, remote_path);
	rc = transact(c, MSG_GET, &b, 60000, &h, &reply, err, errlen);
	pbuf_free(&b);
	if (rc)
		return rc;
	p = pbuf_get_bytes(&reply, &n);
	if (h.type != MSG_DATA || reply.error) {
		pbuf_free(&reply);
		snprintf(err, errlen, "agent: malformed reply to get");
		return -EPROTO;
	}
	*data = malloc((size_t)n + 1);
	if (!*data) {
		pbuf_free(&reply);
		return -ENOMEM;
	}
	memcpy(*data, p, n);
	(*data)[n] = '\0';
	*len = n;
	pbuf_free(&reply);
	return 0;
}

void exec_result_relay(const struct exec_result *r, const char *who, int timeout_s)
{
	fwrite(r->out, 1, r->out_len, stdout);
	fwrite(r->err, 1, r->err_len, stderr);
	if (r->timed_out)
		fprintf(stderr, "%s: command killed after %d s\n", who, timeout_s);
	if (r->truncated)
		fprintf(stderr, "%s: output truncated at %u bytes\n", who, PROTO_MAX_OUTPUT);
}
