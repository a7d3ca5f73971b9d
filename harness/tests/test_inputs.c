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

/*
 * 1 MB of sections, and 1 MB of keys in one section, took about a minute when every line was
 * compared with every earlier one. Linear parsing takes well under a second even under ASan;
 * the bound is generous (quadratic is 100 times slower) so that a slow machine never fails it.
 */
static void test_linear_parsing(void)
{
	struct iov_buf sections = { 0 }, keys = { 0 };
	struct iov_workload *wls = NULL;
	struct iov_ini ini;
	struct iov_err err;
	double t0, t1, t2;
	size_t n = 0;

	for (unsigned i = 0; sections.len < 1000000; i++)
		iov_buf_printf(&sections, "[workload w%u]\ntool = iperf3\n", i);
	iov_buf_printf(&keys, "[workload many]\n");
	for (unsigned i = 0; keys.len < 1000000; i++)
		iov_buf_printf(&keys, "key_%u = %u\n", i, i);
	t0 = now_s();
	CU_ASSERT_EQUAL(iov_workload_parse("sections.workload", sections.data, &wls, &n, &err), 0);
	t1 = now_s();
	CU_ASSERT(n > 30000);
	CU_ASSERT_EQUAL(iov_ini_parse("keys.workload", keys.data, &ini, &err), 0);
	t2 = now_s();
	CU_ASSERT(ini.n == 1 && ini.sections[0].n > 50000);
	CU_ASSERT(t1 - t0 < 5.0);
	CU_ASSERT(t2 - t1 < 5.0);
	/* and a repeat is still found, whatever its distance */
	iov_buf_printf(&sections, "[workload w0]\ntool = iperf3\n");
	free(wls);
	CU_ASSERT_EQUAL(iov_workload_parse("sections.workload", sections.data, &wls, &n, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "section [workload w0] already declared at line 1"));
	iov_ini_free(&ini);
	iov_buf_printf(&keys, "key_0 = again\n");
	CU_ASSERT_EQUAL(iov_ini_parse("keys.workload", keys.data, &ini, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "key_0: duplicate key (first set at line 2)"));
	iov_buf_free(&sections);
	iov_buf_free(&keys);
}

IOV_SUITE(inputs,
	  { "a NUL byte is refused with file and line", test_nul_byte },
	  { "a FIFO is refused, not read", test_fifo },
	  { "every input file has a size limit", test_size_limit },
	  { "1 MB of sections or keys parses in linear time", test_linear_parsing })
