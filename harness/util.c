// SPDX-License-Identifier: MIT
/* util.c - shared helpers: errors, string buffers, file I/O, number parsing. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void iov_err_set(struct iov_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void iov_err_set_ends(struct iov_err *err, const char *msg)
{
	static const char cut[] = "\n[...]\n";
	size_t n = strlen(msg), head = strcspn(msg, "\n");

	if (n < IOV_ERR_MAX) {
		iov_err_set(err, "%s", msg);
		return;
	}
	if (head > IOV_ERR_MAX / 2)
		head = IOV_ERR_MAX / 2;
	iov_err_set(err, "%.*s%s%s", (int)head, msg, cut, msg + n - (IOV_ERR_MAX - 1 - head - (sizeof(cut) - 1)));
}

void iov_err_prefix(struct iov_err *err, const char *fmt, ...)
{
	char old[IOV_ERR_MAX];
	va_list ap;
	int n;

	if (!err)
		return;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n + 2 >= sizeof(err->msg))
		return;
	/* Append ": old" to the prefix, truncating the old message if needed. */
	memcpy(err->msg + n, ": ", 2);
	iov_strlcpy(err->msg + n + 2, old, sizeof(err->msg) - (size_t)n - 2);
}

static int buf_reserve(struct iov_buf *buf, size_t extra)
{
	size_t need = buf->len + extra + 1, cap = buf->cap ? buf->cap : 256;
	char *p;

	if (need <= buf->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	p = realloc(buf->data, cap);
	if (!p)
		return -1;
	buf->data = p;
	buf->cap = cap;
	return 0;
}

int iov_buf_append(struct iov_buf *buf, const char *s, size_t n)
{
	if (buf->failed || buf_reserve(buf, n)) {
		buf->failed = true;
		return -1;
	}
	memcpy(buf->data + buf->len, s, n);
	buf->len += n;
	buf->data[buf->len] = '\0';
	return 0;
}

int iov_buf_printf(struct iov_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (buf->failed || n < 0 || buf_reserve(buf, (size_t)n)) {
		buf->failed = true;
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf->len += (size_t)n;
	return 0;
}

int iov_buf_ok(struct iov_buf *buf, struct iov_err *err)
{
	if (!buf->failed && !buf->data)
		buf->failed = iov_buf_append(buf, "", 0) != 0;
	if (buf->failed) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	return 0;
}

char *iov_buf_take(struct iov_buf *buf)
{
	char *s = buf->failed ? NULL : buf->data;

	if (buf->failed)
		free(buf->data);
	else if (!s)
		s = strdup("");
	buf->data = NULL;
	buf->len = buf->cap = 0;
	buf->failed = false;
	return s;
}

void iov_buf_free(struct iov_buf *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->len = buf->cap = 0;
	buf->failed = false;
}

int iov_grow(void *array, size_t n, size_t *cap, size_t size)
{
	size_t want = *cap ? 2 * *cap : 8;
	void *p;

	if (n < *cap)
		return 0;
	if (want > SIZE_MAX / size)
		return -1;
	p = realloc(*(void **)array, want * size);
	if (!p)
		return -1;
	*(void **)array = p;
	*cap = want;
	return 0;
}

int iov_path_join(char *out, size_t size, const char *dir, const char *name)
{
	int n = snprintf(out, size, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int iov_mkdir_p(const char *path)
{
	char *tmp = strdup(path);
	int rc = 0;

	if (!tmp)
		return -1;
	for (char *p = tmp + 1; *p && !rc; p++)
		if (*p == '/') {
			*p = '\0';
			rc = mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
			*p = '/';
		}
	if (!rc)
		rc = mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
	free(tmp);
	return rc;
}

double iov_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

long long iov_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read f to the end into a NUL-terminated string; more than max bytes is an error. */
static char *read_stream(FILE *f, const char *path, size_t max, size_t *len, struct iov_err *err)
{
	struct iov_buf buf = { 0 };
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf.len + n > max) {
			iov_err_set(err, "%s: larger than the limit of %zu bytes", path, max);
			goto fail;
		}
		if (iov_buf_append(&buf, chunk, n)) {
			iov_err_set(err, "%s: out of memory", path);
			goto fail;
		}
	}
	if (ferror(f)) {
		iov_err_set(err, "%s: read error: %s", path, strerror(errno));
		goto fail;
	}
	if (len)
		*len = buf.len;
	return iov_buf_take(&buf);
fail:
	iov_buf_free(&buf);
	return NULL;
}

char *iov_read_file(const char *path, size_t *len, struct iov_err *err)
{
	FILE *f = fopen(path, "r");
	char *text;

	if (!f) {
		iov_err_set(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	/* Read in chunks rather than by st_size: /proc and debugfs files report size 0. */
	text = read_stream(f, path, SIZE_MAX - 1, len, err);
	fclose(f);
	return text;
}

char *iov_read_input(const char *path, size_t max, size_t *len, struct iov_err *err)
{
	/* O_NONBLOCK: opening a FIFO for reading would wait for a writer before the type check. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	const char *nul;
	struct stat st;
	size_t n;
	char *text;
	FILE *f;

	if (fd < 0) {
		iov_err_set(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		iov_err_set(err, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if ((uintmax_t)st.st_size > max) {
		iov_err_set(err, "%s: %jd bytes, larger than the limit of %zu bytes", path, (intmax_t)st.st_size, max);
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		iov_err_set(err, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	/* The size is checked again while reading: the file may grow. */
	text = read_stream(f, path, max, &n, err);
	fclose(f);
	if (!text)
		return NULL;
	/* A NUL would end the text early, hiding what follows from every check. */
	nul = memchr(text, '\0', n);
	if (nul) {
		int line = 1;

		for (const char *p = text; p < nul; p++)
			line += *p == '\n';
		iov_err_set(err, "%s:%d: NUL byte in the text", path, line);
		free(text);
		return NULL;
	}
	if (len)
		*len = n;
	return text;
}

int iov_write_file_atomic(const char *path, const void *data, size_t len, struct iov_err *err)
{
	char *tmp = NULL, *dircopy = NULL;
	const char *p = data;
	int fd = -1, dirfd;

	if (asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
		iov_err_set(err, "%s: out of memory", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		iov_err_set(err, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			iov_err_set(err, "%s: write: %s", tmp, strerror(errno));
			goto fail;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) || close(fd)) {
		fd = -1;
		iov_err_set(err, "%s: fsync/close: %s", tmp, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path)) {
		iov_err_set(err, "rename %s -> %s: %s", tmp, path, strerror(errno));
		goto fail;
	}
	/* Make the rename itself durable. */
	dircopy = strdup(path);
	if (dircopy) {
		dirfd = open(dirname(dircopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dirfd >= 0) {
			fsync(dirfd);
			close(dirfd);
		}
	}
	free(dircopy);
	free(tmp);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

int iov_parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int iov_parse_i64(const char *s, int64_t *out)
{
	long long v;
	char *end;

	if (!s || !(isdigit((unsigned char)*s) || (*s == '-' && isdigit((unsigned char)s[1]))))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int iov_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int iov_parse_int(const char *s, int min, int max, int *out)
{
	int64_t v;

	if (iov_parse_i64(s, &v) || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

char *iov_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

const char *iov_next_line(const char **cursor, size_t *len)
{
	const char *start = *cursor, *nl;

	if (!start || !*start)
		return NULL;
	nl = strchr(start, '\n');
	if (nl) {
		*len = (size_t)(nl - start);
		*cursor = nl + 1;
	} else {
		*len = strlen(start);
		*cursor = start + *len;
	}
	return start;
}

bool iov_strlcpy(char *dst, const char *src, size_t size)
{
	return iov_strlcpy_n(dst, size, src, strlen(src));
}

bool iov_strlcpy_n(char *dst, size_t size, const char *src, size_t n)
{
	bool fits = n < size;

	if (!size)
		return false;
	if (!fits)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return fits;
}

bool iov_plain_name(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!n || n > IOV_NAME_MAX || s[0] == '.')
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '.' || *s == '-'))
			return false;
	return true;
}
