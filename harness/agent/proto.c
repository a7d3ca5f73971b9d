// SPDX-License-Identifier: MIT
/* proto.c - framing and payload encoding shared by the harness and the guest agent. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/proto.h"
#include "util.h"

void pbuf_free(struct pbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static void pbuf_reserve(struct pbuf *b, size_t extra)
{
	size_t need = b->len + extra, cap;
	uint8_t *p;

	if (b->error || need <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->error = ENOMEM;
		return;
	}
	b->data = p;
	b->cap = cap;
}

void pbuf_put_raw(struct pbuf *b, const void *p, size_t n)
{
	pbuf_reserve(b, n);
	if (b->error)
		return;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
}

void pbuf_put_u32(struct pbuf *b, uint32_t v)
{
	uint8_t le[4] = { v, v >> 8, v >> 16, v >> 24 };

	pbuf_put_raw(b, le, 4);
}

void pbuf_put_bytes(struct pbuf *b, const void *p, size_t n)
{
	pbuf_put_u32(b, (uint32_t)n);
	pbuf_put_raw(b, p, n);
}

void pbuf_put_str(struct pbuf *b, const char *s)
{
	pbuf_put_bytes(b, s, strlen(s) + 1);
}

uint32_t pbuf_get_u32(struct pbuf *b)
{
	const uint8_t *p;

	if (b->error || b->len - b->pos < 4) {
		b->error = EPROTO;
		return 0;
	}
	p = b->data + b->pos;
	b->pos += 4;
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

const uint8_t *pbuf_get_bytes(struct pbuf *b, uint32_t *n)
{
	uint32_t len = pbuf_get_u32(b);
	const uint8_t *p;

	if (b->error || b->len - b->pos < len) {
		b->error = EPROTO;
		*n = 0;
		return NULL;
	}
	p = b->data + b->pos;
	b->pos += len;
	*n = len;
	return p;
}

const char *pbuf_get_str(struct pbuf *b)
{
	uint32_t n;
	const uint8_t *p = pbuf_get_bytes(b, &n);

	if (!p || n == 0 || p[n - 1] != '\0') {
		b->error = EPROTO;
		return NULL;
	}
	return (const char *)p;
}

/* Write all n bytes before the deadline (-1: none; holds only for a non-blocking fd). */
static int write_all(int fd, const void *p, size_t n, long long deadline)
{
	const uint8_t *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };
			long long left = deadline < 0 ? 1000 : deadline - iov_now_ms();

			if (left <= 0)
				return -ETIMEDOUT;
			poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
			continue;
		}
		if (w <= 0)
			return w < 0 ? -errno : -EPIPE;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int proto_write_frame(int fd, uint16_t type, uint32_t id, const void *payload, size_t len,
		      int timeout_ms)
{
	long long deadline = timeout_ms < 0 ? -1 : iov_now_ms() + timeout_ms;
	struct pbuf b = { 0 };
	int rc;

	if (len > PROTO_MAX_PAYLOAD)
		return -EMSGSIZE;
	pbuf_put_u32(&b, PROTO_MAGIC);
	pbuf_put_u32(&b, type); /* low half type, high half flags (none yet) */
	pbuf_put_u32(&b, id);
	pbuf_put_u32(&b, (uint32_t)len);
	pbuf_put_raw(&b, payload, len);
	rc = b.error ? -b.error : write_all(fd, b.data, b.len, deadline);
	pbuf_free(&b);
	return rc;
}

/* Read exactly n bytes before the deadline (-1: none). */
static int read_exact(int fd, uint8_t *p, size_t n, long long deadline)
{
	while (n) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int wait = -1, pr;
		ssize_t r;

		if (deadline >= 0) {
			long long left = deadline - iov_now_ms();

			if (left <= 0)
				return -ETIMEDOUT;
			wait = left > 1000 ? 1000 : (int)left;
		}
		pr = poll(&pfd, 1, wait);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return -errno;
		if (pr == 0)
			continue;
		r = read(fd, p, n);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EPIPE;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

int proto_read_frame(int fd, struct proto_header *h, struct pbuf *payload, int timeout_ms)
{
	long long deadline = timeout_ms < 0 ? -1 : iov_now_ms() + timeout_ms;
	uint8_t hdr[PROTO_HEADER_SIZE];
	struct pbuf hb = { .data = hdr, .len = sizeof(hdr), .cap = sizeof(hdr) };
	uint32_t typeword;
	int rc;

	memset(payload, 0, sizeof(*payload));
	/* Resynchronise on the magic one byte at a time. */
	rc = read_exact(fd, hdr, 4, deadline);
	while (!rc && (hdr[0] | hdr[1] << 8 | hdr[2] << 16 | (uint32_t)hdr[3] << 24) != PROTO_MAGIC) {
		memmove(hdr, hdr + 1, 3);
		rc = read_exact(fd, hdr + 3, 1, deadline);
	}
	if (!rc)
		rc = read_exact(fd, hdr + 4, sizeof(hdr) - 4, deadline);
	if (rc)
		return rc;
	h->magic = pbuf_get_u32(&hb);
	typeword = pbuf_get_u32(&hb);
	h->type = typeword & 0xffff;
	h->flags = typeword >> 16;
	h->id = pbuf_get_u32(&hb);
	h->len = pbuf_get_u32(&hb);
	if (h->len > PROTO_MAX_PAYLOAD)
		return -EMSGSIZE;
	pbuf_reserve(payload, h->len ? h->len : 1);
	if (payload->error)
		return -ENOMEM;
	rc = read_exact(fd, payload->data, h->len, deadline);
	if (rc) {
		pbuf_free(payload);
		return rc;
	}
	payload->len = h->len;
	return 0;
}

void exec_request_encode(const struct exec_request *rq, struct pbuf *b)
{
	pbuf_put_u32(b, rq->timeout_ms);
	pbuf_put_u32(b, rq->argc);
	for (uint32_t i = 0; i < rq->argc; i++)
		pbuf_put_str(b, rq->argv[i]);
	pbuf_put_bytes(b, rq->input, rq->input_len);
}

int exec_request_decode(struct pbuf *b, struct exec_request *rq)
{
	memset(rq, 0, sizeof(*rq));
	rq->timeout_ms = pbuf_get_u32(b);
	rq->argc = pbuf_get_u32(b);
	if (b->error || rq->argc == 0 || rq->argc > 4096)
		return -EPROTO;
	rq->argv = calloc(rq->argc + 1, sizeof(*rq->argv));
	if (!rq->argv)
		return -ENOMEM;
	for (uint32_t i = 0; i < rq->argc; i++)
		rq->argv[i] = pbuf_get_str(b);
	rq->input = pbuf_get_bytes(b, &rq->input_len);
	if (b->error) {
		free(rq->argv);
		rq->argv = NULL;
		return -EPROTO;
	}
	return 0;
}

void exec_result_encode(const struct exec_result *r, struct pbuf *b)
{
	pbuf_put_u32(b, (uint32_t)r->status);
	pbuf_put_u32(b, r->timed_out);
	pbuf_put_u32(b, r->truncated);
	pbuf_put_bytes(b, r->out, r->out_len);
	pbuf_put_bytes(b, r->err, r->err_len);
}

static char *dup_bytes(const uint8_t *p, uint32_t n)
{
	char *s = malloc((size_t)n + 1);

	if (s) {
		if (n)
			memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

int exec_result_decode(struct pbuf *b, struct exec_result *r)
{
	const uint8_t *out, *err;

	memset(r, 0, sizeof(*r));
	r->status = (int32_t)pbuf_get_u32(b);
	r->timed_out = pbuf_get_u32(b);
	r->truncated = pbuf_get_u32(b);
	out = pbuf_get_bytes(b, &r->out_len);
	err = pbuf_get_bytes(b, &r->err_len);
	if (b->error)
		return -EPROTO;
	r->out = dup_bytes(out, r->out_len);
	r->err = dup_bytes(err, r->err_len);
	if (!r->out || !r->err) {
		exec_result_free(r);
		return -ENOMEM;
	}
	return 0;
}

void exec_result_free(struct exec_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}
