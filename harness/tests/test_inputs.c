// SPDX-License-Identifier: MIT
/* test_inputs.c - input files: regular files only, a size limit, no NUL byte, parsing in linear time. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gate.h"
#include "ini.h"
#include "result.h"
#include "suite.h"
#include "tests/unit.h"
#include "workload.h"

static char dir[] = "/tmp/iovbench-inputs-XXXXXX";

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(data, 1, len, f), len);
	CU_ASSERT_EQUAL(fclose(f), 0);
}

/* Load path as each kind of input file; every loader must fail with want in the message. */
static void expect_refused(const char *path, const char *want)
{
	struct iov_catalogue cat = { 0 };
	struct iov_gate_config cfg;
	struct iov_workload *wls;
	struct iov_suite suite;
	struct iov_ini ini;
	struct iov_err err;
	size_t n;
	json_t *doc;

	CU_ASSERT_EQUAL(iov_workload_load(path, &wls, &n, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path));
	CU_ASSERT_EQUAL(iov_ini_load(path, &ini, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
	CU_ASSERT_EQUAL(iov_suite_load(path, &cat, NULL, 0, &suite, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path));
	CU_ASSERT_EQUAL(iov_gate_config_load(path, &cfg, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path));
	doc = iov_result_load(path, &err);
	CU_ASSERT_PTR_NULL(doc);
	json_decref(doc);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path));
	if (strcmp(want, "larger than the limit"))
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
}

/* An unknown key after a NUL byte used to go unseen: the NUL itself is refused, with its line. */
static void test_nul_byte(void)
{
	static const char text[] = "[workload a]\ntool = iperf3\n\0bogus = 1\n";
	char path[128];

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/nul.workload", dir);
	write_file(path, text, sizeof(text) - 1);
	expect_refused(path, ":3: NUL byte");
	unlink(path);
	rmdir(dir);
	memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
}

/* A FIFO named *.workload hung the parser: in a child with an alarm, so a hang fails the test. */
static void test_fifo(void)
{
	char path[128];
	int status;
	pid_t pid;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo.workload", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0600), 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		struct iov_catalogue cat;
		struct iov_err err;

		alarm(10);
		_exit(iov_catalogue_load(dir, &cat, &err) == -1 && strstr(err.msg, "not a regular file") ? 0 : 1);
	}
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		expect_refused(path, "not a regular file");
	unlink(path);
	rmdir(dir);
	memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
}

/* Every input file has a size limit: 4 MiB for the text files, 256 MiB for a result (a sparse file here). */
static void test_size_limit(void)
{
	char path[128];
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/big.workload", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(ftruncate(fd, (off_t)IOV_INPUT_MAX_RESULT + 1), 0);
	close(fd);
	expect_refused(path, "larger than the limit");
	fd = open(path, O_WRONLY | O_TRUNC);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(ftruncate(fd, (off_t)IOV_INPUT_MAX_TEXT + 1), 0);
	close(fd);
	{
		struct iov_workload *wls;
		struct iov_err err;
		size_t n;

		CU_ASSERT_EQUAL(iov_workload_load(path, &wls, &n, &err), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "larger than the limit of 4194304 bytes"));
	}
	unlink(path);
	rmdir(dir);
	memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The text of n sections, or of one section with n keys. */
static void gen_sections(struct iov_buf *b, size_t bytes)
{
	for (unsigned i = 0; b->len < bytes; i++)
		iov_buf_printf(b, "[workload w%u]\ntool = iperf3\n", i);
}

static void gen_keys(struct iov_buf *b, size_t bytes)
{
	iov_buf_printf(b, "[workload many]\n");
	for (unsigned i = 0; b->len < bytes; i++)
		iov_buf_printf(b, "key_%u = %u\n", i, i);
}

/* Size of the large inputs, and how many times smaller the reference inputs are. */
#define LARGE_BYTES 1000000
#define SCALE 100
/*
 * The large input against SCALE parses of one SCALE times smaller, measured here: the same
 * work when parsing is linear, SCALE times more when it is quadratic. The bound sits far from
 * both (cache effects, a loaded machine) and no absolute speed is assumed.
 */
#define LINEAR_SLACK 10

static double parse_sections_s(const struct iov_buf *b, unsigned times, size_t *n)
{
	struct iov_workload *wls;
	struct iov_err err;
	double t0 = now_s();

	for (unsigned i = 0; i < times; i++) {
		CU_ASSERT_EQUAL(iov_workload_parse("sections.workload", b->data, &wls, n, &err), 0);
		free(wls);
	}
	return now_s() - t0;
}

static double parse_keys_s(const struct iov_buf *b, unsigned times, size_t *n)
{
	struct iov_ini ini;
	struct iov_err err;
	double t0 = now_s();

	for (unsigned i = 0; i < times; i++) {
		CU_ASSERT_EQUAL_FATAL(iov_ini_parse("keys.workload", b->data, &ini, &err), 0);
		*n = ini.n == 1 ? ini.sections[0].n : 0;
		iov_ini_free(&ini);
	}
	return now_s() - t0;
}

/*
 * 1 MB of sections, and 1 MB of keys in one section, took about a minute when every line was
 * compared with every earlier one: parsing must be linear in the input.
 */
static void test_linear_parsing(void)
{
	struct iov_buf sections = { 0 }, keys = { 0 }, small_sections = { 0 }, small_keys = { 0 };
	struct iov_workload *wls = NULL;
	struct iov_ini ini;
	struct iov_err err;
	double large, small;
	size_t n = 0, n_small = 0;

	gen_sections(&sections, LARGE_BYTES);
	gen_sections(&small_sections, LARGE_BYTES / SCALE);
	gen_keys(&keys, LARGE_BYTES);
	gen_keys(&small_keys, LARGE_BYTES / SCALE);
	small = parse_sections_s(&small_sections, SCALE, &n_small);
	large = parse_sections_s(&sections, 1, &n);
	fprintf(stderr, "\n  sections: %zu in %.3f s, %u x %zu in %.3f s\n", n, large, SCALE, n_small, small);
	CU_ASSERT(n > n_small * (SCALE / 2));
	CU_ASSERT(large < small * LINEAR_SLACK);
	small = parse_keys_s(&small_keys, SCALE, &n_small);
	large = parse_keys_s(&keys, 1, &n);
	fprintf(stderr, "  keys: %zu in %.3f s, %u x %zu in %.3f s\n", n, large, SCALE, n_small, small);
	CU_ASSERT(n > n_small * (SCALE / 2));
	CU_ASSERT(large < small * LINEAR_SLACK);
	/* and a repeat is still found, whatever its distance */
	iov_buf_printf(&sections, "[workload w0]\ntool = iperf3\n");
	CU_ASSERT_EQUAL(iov_workload_parse("sections.workload", sections.data, &wls, &n, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "section [workload w0] already declared at line 1"));
	iov_buf_printf(&keys, "key_0 = again\n");
	CU_ASSERT_EQUAL(iov_ini_parse("keys.workload", keys.data, &ini, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "key_0: duplicate key (first set at line 2)"));
	iov_buf_free(&sections);
	iov_buf_free(&keys);
	iov_buf_free(&small_sections);
	iov_buf_free(&small_keys);
}

IOV_SUITE(inputs,
	  { "a NUL byte is refused with file and line", test_nul_byte },
	  { "a FIFO is refused, not read", test_fifo },
	  { "every input file has a size limit", test_size_limit },
	  { "1 MB of sections or keys parses in linear time", test_linear_parsing })
