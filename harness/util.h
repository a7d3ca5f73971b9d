/* SPDX-License-Identifier: MIT */
/*
 * util.h - small helpers shared by the harness libraries: error messages with context,
 * a growable string buffer, whole-file reads, atomic file writes and strict number parsing.
 *
 * Error convention: functions return 0 on success and -1 on failure, filling a caller-owned
 * struct iov_err (which may be NULL when the caller does not care about the message).
 */
#ifndef IOV_UTIL_H
#define IOV_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IOV_ERR_MAX 512

struct iov_err {
	char msg[IOV_ERR_MAX];
};

/* Replace the message. */
void iov_err_set(struct iov_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prepend context: "CONTEXT: previous message". */
/* err = msg, or when too long its first line (what happened) and its end (a log's last lines), the middle cut. */
void iov_err_set_ends(struct iov_err *err, const char *msg);
void iov_err_prefix(struct iov_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A growable string. An append that fails (out of memory) makes the buffer fail for good: the
 * later appends do nothing, so the text is never silently missing a middle part. Whoever
 * finishes a script or a document checks once, with iov_buf_ok or iov_buf_take.
 */
struct iov_buf {
	char *data; /* always NUL-terminated once anything was appended */
	size_t len;
	size_t cap;
	bool failed; /* sticky: an append failed */
};

int iov_buf_append(struct iov_buf *buf, const char *s, size_t n);
int iov_buf_printf(struct iov_buf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 0 when every append so far succeeded (and the buffer holds a string, "" at least); else -1, "out of memory". */
int iov_buf_ok(struct iov_buf *buf, struct iov_err *err);
/* Hand over the string (an empty buffer yields ""), leaving buf empty; NULL when an append failed. */
char *iov_buf_take(struct iov_buf *buf);
/* Free the text and clear the failure: the buffer can be reused. */
void iov_buf_free(struct iov_buf *buf);

/* Grow *array (of n elements of size bytes, room for *cap) to room for n + 1, doubling. */
int iov_grow(void *array, size_t n, size_t *cap, size_t size);

/* dir/name into out; -1 when it does not fit (a path is never cut short). */
int iov_path_join(char *out, size_t size, const char *dir, const char *name);
/* mkdir -p: path and its missing parents (0755); errno says why on -1. */
int iov_mkdir_p(const char *path);
/* Seconds and milliseconds of the monotonic clock: for durations, never for dates. */
double iov_now_s(void);
long long iov_now_ms(void);

/* Read a whole file into a NUL-terminated heap string; *len (optional) excludes the NUL. */
char *iov_read_file(const char *path, size_t *len, struct iov_err *err);

/*
 * Read a file the user gives as input (workload, suite, gates, result): the same, but it must be
 * a regular file (a FIFO would hang the reader) of at most max bytes with no NUL byte (it would
 * hide the rest of the text); the error names the file, and the line of a NUL.
 */
char *iov_read_input(const char *path, size_t max, size_t *len, struct iov_err *err);
#define IOV_INPUT_MAX_TEXT ((size_t)4 << 20)     /* workload, suite and gates files */
#define IOV_INPUT_MAX_RESULT ((size_t)256 << 20) /* a result.json (recorded ones: under 1 MB) */

/*
 * Write a file so that readers only ever see the old or the new content: write a temporary
 * file in the same directory, fsync it, rename it over path, fsync the directory.
 */
int iov_write_file_atomic(const char *path, const void *data, size_t len, struct iov_err *err);

/* Strict parsers: the whole string must be a number in range, no sign for unsigned. */
int iov_parse_u64(const char *s, uint64_t *out);
int iov_parse_i64(const char *s, int64_t *out);
int iov_parse_double(const char *s, double *out);
/* An int in [min, max], e.g. a command-line option's value. */
int iov_parse_int(const char *s, int min, int max, int *out);

/* Trim ASCII whitespace in place; returns s advanced past leading whitespace. */
char *iov_trim(char *s);

/*
 * Iterate over the lines of a text: returns the next line (not NUL-terminated, without the
 * '\n'), its length in *len, and advances *cursor; NULL at the end of the text.
 */
const char *iov_next_line(const char **cursor, size_t *len);

/* Copy at most size-1 bytes and terminate; returns false if the source was truncated. */
bool iov_strlcpy(char *dst, const char *src, size_t size);
/* Same for a counted source. */
bool iov_strlcpy_n(char *dst, size_t size, const char *src, size_t n);

/*
 * A name safe in a file name, a shell word and a script string: 1 to IOV_NAME_MAX of
 * A-Z a-z 0-9 _ . - not starting with '.' (no "..", no hidden file).
 */
#define IOV_NAME_MAX 128
bool iov_plain_name(const char *s);

#define IOV_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
