/* SPDX-License-Identifier: MIT */
/*
 * proto.h - wire protocol between the harness and the guest agent.
 *
 * The channel is a byte stream (virtio-serial port, or vsock): frames of a fixed
 * little-endian header followed by a payload. The host sends one request and waits
 * for the reply with the same id; the agent serves requests one at a time. A frame
 * whose magic is wrong makes the reader resynchronise on the next magic, so stale
 * bytes left in the port by an earlier client cannot wedge the channel.
 */
#ifndef IOV_AGENT_PROTO_H
#define IOV_AGENT_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_MAGIC 0x42564f49u /* "IOVB" little-endian */
#define PROTO_VERSION 1
#define PROTO_MAX_PAYLOAD (64u << 20) /* bounds a malformed length */
#define PROTO_MAX_OUTPUT (16u << 20)  /* stdout/stderr kept per command */
#define AGENT_PORT_NAME "org.iovbench.agent"

enum proto_type {
	MSG_PING = 1,     /* -> MSG_PONG: payload "version uname" */
	MSG_EXEC = 2,     /* -> MSG_EXEC_RESULT */
	MSG_PUT = 3,      /* write a file -> MSG_OK */
	MSG_GET = 4,      /* read a file -> MSG_DATA */
	MSG_PONG = 101,
	MSG_EXEC_RESULT = 102,
	MSG_OK = 103,
	MSG_DATA = 104,
	MSG_ERROR = 199, /* payload: i32 errno, string */
};

struct proto_header {
	uint32_t magic;
	uint16_t type;
	uint16_t flags;
	uint32_t id;
	uint32_t len;
};

#define PROTO_HEADER_SIZE 16

/* A growable byte buffer used to build and parse payloads. */
struct pbuf {
	uint8_t *data;
	size_t len, cap, pos; /* pos: read cursor */
	int error;            /* set on overflow/underflow; checked once at the end */
};

void pbuf_free(struct pbuf *b);
void pbuf_put_raw(struct pbuf *b, const void *p, size_t n); /* no length word */
void pbuf_put_u32(struct pbuf *b, uint32_t v);
void pbuf_put_bytes(struct pbuf *b, const void *p, size_t n); /* u32 length + bytes */
void pbuf_put_str(struct pbuf *b, const char *s);             /* as bytes, NUL kept */
uint32_t pbuf_get_u32(struct pbuf *b);
/* Returns a pointer into the buffer (valid while b lives) and the length. */
const uint8_t *pbuf_get_bytes(struct pbuf *b, uint32_t *n);
const char *pbuf_get_str(struct pbuf *b); /* NULL (and b->error) if not NUL-terminated */

/*
 * Frame I/O on a file descriptor. Both wait at most timeout_ms (-1: forever) for the
 * whole frame to go out or come in: a peer that stops reading must not block the writer
 * for ever (give a non-blocking fd for the deadline to hold on writes). They return 0,
 * -ETIMEDOUT, -EPIPE (peer closed) or another -errno. proto_read_frame returns the
 * payload in *payload (caller frees).
 */
int proto_write_frame(int fd, uint16_t type, uint32_t id, const void *payload, size_t len,
		      int timeout_ms);
int proto_read_frame(int fd, struct proto_header *h, struct pbuf *payload, int timeout_ms);

/* EXEC request: timeout, argv, optional stdin. Reply: status, timed_out, stdout, stderr. */
struct exec_request {
	uint32_t timeout_ms;
	uint32_t argc;
	const char **argv; /* argc entries */
	const uint8_t *input;
	uint32_t input_len;
};

struct exec_result {
	int32_t status;     /* exit code, or 128+signal like a shell */
	uint32_t timed_out; /* 1: killed after timeout_ms */
	uint32_t truncated; /* 1: output beyond PROTO_MAX_OUTPUT dropped */
	char *out, *err;    /* NUL-terminated, owned */
	uint32_t out_len, err_len;
};

void exec_request_encode(const struct exec_request *rq, struct pbuf *b);
/* Decoded argv points into b; free rq->argv only. Returns 0 or -EPROTO. */
int exec_request_decode(struct pbuf *b, struct exec_request *rq);
void exec_result_encode(const struct exec_result *r, struct pbuf *b);
int exec_result_decode(struct pbuf *b, struct exec_result *r);
void exec_result_free(struct exec_result *r);

#endif
