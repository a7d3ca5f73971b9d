// SPDX-License-Identifier: MIT
/* test_util.c - shared helpers: buffers, atomic writes, number parsing, line iteration. */
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit.h"
#include "util.h"

static void test_buf(void)
{
	struct iov_buf b = { 0 };
	char *s;

	for (int i = 0; i < 1000; i++)
		CU_ASSERT_EQUAL(iov_buf_printf(&b, "%d,", i % 10), 0);
	CU_ASSERT_EQUAL(b.len, 2000);
	CU_ASSERT_EQUAL(strncmp(b.data, "0,1,2,", 6), 0);
	s = iov_buf_take(&b);
	CU_ASSERT_PTR_NULL(b.data);
	free(s);
	s = iov_buf_take(&b);
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
}

static void test_atomic_write(void)
{
	char dir[] = "/tmp/iov-util-XXXXXX", path[64];
	struct iov_err err = { 0 };
	size_t len;
	char *back;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f.json", dir);
	CU_ASSERT_EQUAL(iov_write_file_atomic(path, "old", 3, &err), 0);
	CU_ASSERT_EQUAL(iov_write_file_atomic(path, "new content", 11, &err), 0);
	back = iov_read_file(path, &len, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	CU_ASSERT_EQUAL(len, 11);
	CU_ASSERT_STRING_EQUAL(back, "new content");
	free(back);
	unlink(path);
	rmdir(dir);
	/* A directory that does not exist: clear error naming the temporary file. */
	CU_ASSERT_EQUAL(iov_write_file_atomic("/nonexistent-dir/x", "a", 1, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/nonexistent-dir/x.tmp"));
	CU_ASSERT_PTR_NULL(iov_read_file("/nonexistent-dir/x", NULL, &err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "No such file"));
}

/*
 * A full disk, made real by a file-size limit in a child (SIGXFSZ ignored, so write() fails
 * with EFBIG as it would with ENOSPC): the write fails naming why, the old file is intact and
 * no temporary file is left. The child's exit status is the number of failed checks.
 */
static void test_atomic_write_full(void)
{
	char dir[] = "/tmp/iov-util-XXXXXX", path[64], tmp[96];
	static char big[64 * 1024];
	struct iov_err err = { "" };
	struct rlimit lim = { sizeof(big) / 2, sizeof(big) / 2 };
	int status;
	pid_t pid;
	char *back;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/result.json", dir);
	CU_ASSERT_EQUAL_FATAL(iov_write_file_atomic(path, "old", 3, &err), 0);
	memset(big, 'x', sizeof(big));
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		int bad = 0;

		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &lim))
			_exit(100);
		bad += iov_write_file_atomic(path, big, sizeof(big), &err) != -1;
		bad += !strstr(err.msg, "write") || !strstr(err.msg, strerror(EFBIG));
		_exit(bad);
	}
	CU_ASSERT_EQUAL_FATAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	back = iov_read_file(path, NULL, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	CU_ASSERT_STRING_EQUAL(back, "old");
	free(back);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)pid);
	CU_ASSERT_EQUAL(access(tmp, F_OK), -1);
	unlink(path);
	CU_ASSERT_EQUAL(rmdir(dir), 0); /* nothing else left in it */
}

static void test_numbers(void)
{
	uint64_t u;
	int64_t i;
	double d;

	CU_ASSERT(iov_parse_u64("18446744073709551615", &u) == 0 && u == UINT64_MAX);
	CU_ASSERT_EQUAL(iov_parse_u64("18446744073709551616", &u), -1);
	CU_ASSERT_EQUAL(iov_parse_u64("-1", &u), -1);
	CU_ASSERT_EQUAL(iov_parse_u64("12a", &u), -1);
	CU_ASSERT_EQUAL(iov_parse_u64("", &u), -1);
	CU_ASSERT_EQUAL(iov_parse_u64(" 1", &u), -1);
	CU_ASSERT(iov_parse_i64("-1", &i) == 0 && i == -1);
	CU_ASSERT_EQUAL(iov_parse_i64("--1", &i), -1);
	CU_ASSERT(iov_parse_double("5.5e3", &d) == 0 && d == 5500.0);
	CU_ASSERT_EQUAL(iov_parse_double("nan", &d), -1);
	CU_ASSERT_EQUAL(iov_parse_double("1.0x", &d), -1);
}

static void test_lines_and_trim(void)
{
	const char *text = "a\n\nbc\nlast", *cur = text, *line;
	char s[] = "  \tx y \n";
	size_t len, n = 0;

	while ((line = iov_next_line(&cur, &len))) {
		if (n == 2)
			CU_ASSERT(len == 2 && !strncmp(line, "bc", 2));
		if (n == 3)
			CU_ASSERT(len == 4 && !strncmp(line, "last", 4));
		n++;
	}
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_STRING_EQUAL(iov_trim(s), "x y");
}

static void test_err_prefix(void)
{
	struct iov_err err;
	char small[4];

	iov_err_set(&err, "bad value '%s'", "x");
	iov_err_prefix(&err, "%s:%d", "f.workload", 3);
	CU_ASSERT_STRING_EQUAL(err.msg, "f.workload:3: bad value 'x'");
	CU_ASSERT_FALSE(iov_strlcpy(small, "abcdef", sizeof(small)));
	CU_ASSERT_STRING_EQUAL(small, "abc");
	/* a lost lab's message: what happened (its first line) and the console's end both kept */
	{
		char long_msg[4 * IOV_ERR_MAX], *p = long_msg;

		p += sprintf(p, "agent: channel closed (QEMU exited?)\n");
		while (p - long_msg < 3 * IOV_ERR_MAX)
			p += sprintf(p, "console line\n");
		sprintf(p, "Kernel panic");
		iov_err_set_ends(&err, long_msg);
		CU_ASSERT_EQUAL(strlen(err.msg), IOV_ERR_MAX - 1);
		CU_ASSERT_EQUAL(strncmp(err.msg, "agent: channel closed (QEMU exited?)\n[...]\n", 43), 0);
		CU_ASSERT_STRING_EQUAL(err.msg + strlen(err.msg) - 12, "Kernel panic");
		iov_err_set_ends(&err, "short\nmessage");
		CU_ASSERT_STRING_EQUAL(err.msg, "short\nmessage");
	}
}

/* A failed append fails the buffer for good: nothing after the gap, and the check says so once. */
static void test_buf_sticky_error(void)
{
	struct iov_buf b = { 0 };
	struct iov_err err = { "" };

	CU_ASSERT_EQUAL(iov_buf_ok(&b, &err), 0); /* empty is "" */
	CU_ASSERT_STRING_EQUAL(b.data, "");
	iov_buf_printf(&b, "first\n");
	b.failed = true; /* what an allocation failure leaves */
	CU_ASSERT_EQUAL(iov_buf_printf(&b, "second\n"), -1);
	CU_ASSERT_EQUAL(iov_buf_append(&b, "third", 5), -1);
	CU_ASSERT_STRING_EQUAL(b.data, "first\n");
	CU_ASSERT_EQUAL(iov_buf_ok(&b, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "out of memory");
	CU_ASSERT_PTR_NULL(iov_buf_take(&b));
	/* taken (or freed), the buffer is usable again */
	CU_ASSERT_EQUAL(iov_buf_printf(&b, "again"), 0);
	CU_ASSERT_EQUAL(iov_buf_ok(&b, &err), 0);
	iov_buf_free(&b);
}

static void test_helpers(void)
{
	char path[16], dir[] = "/tmp/iovbench-util-XXXXXX", deep[128];
	size_t n = 0, cap = 0;
	int *v = NULL, x;
	struct stat st;

	for (int i = 0; i < 100; i++) {
		CU_ASSERT_EQUAL_FATAL(iov_grow(&v, n, &cap, sizeof(*v)), 0);
		v[n++] = i;
	}
	CU_ASSERT(cap >= 100 && v[99] == 99);
	free(v);
	CU_ASSERT_EQUAL(iov_path_join(path, sizeof(path), "/a/b", "c.txt"), 0);
	CU_ASSERT_STRING_EQUAL(path, "/a/b/c.txt");
	CU_ASSERT_EQUAL(iov_path_join(path, sizeof(path), "/a/much/longer", "name"), -1); /* never cut */
	CU_ASSERT_EQUAL(iov_parse_int("42", 0, 100, &x), 0);
	CU_ASSERT_EQUAL(x, 42);
	CU_ASSERT_EQUAL(iov_parse_int("101", 0, 100, &x), -1);
	CU_ASSERT_EQUAL(iov_parse_int("4x", 0, 100, &x), -1);
	CU_ASSERT_EQUAL(iov_parse_int("", 0, 100, &x), -1);
	CU_ASSERT_EQUAL(iov_parse_int("-1", -1, 100, &x), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(deep, sizeof(deep), "%s/x/y/z", dir);
	CU_ASSERT_EQUAL(iov_mkdir_p(deep), 0);
	CU_ASSERT_EQUAL(iov_mkdir_p(deep), 0); /* existing is fine */
	CU_ASSERT(stat(deep, &st) == 0 && S_ISDIR(st.st_mode));
	snprintf(deep, sizeof(deep), "rm -r '%s'", dir);
	CU_ASSERT_EQUAL(system(deep), 0);
	CU_ASSERT(iov_now_ms() >= (long long)(iov_now_s() * 1000) - 1000);
}

IOV_SUITE(util,
	  { "string buffer grows and hands over", test_buf },
	  { "atomic write replaces, errors name the path", test_atomic_write },
	  { "atomic write on a full file system fails, the old file intact", test_atomic_write_full },
	  { "strict number parsing", test_numbers },
	  { "line iteration and trimming", test_lines_and_trim },
	  { "error context prefix", test_err_prefix },
	  { "a failed append fails the buffer for good", test_buf_sticky_error },
	  { "grow, path join, int parsing, mkdir -p, clock", test_helpers })
