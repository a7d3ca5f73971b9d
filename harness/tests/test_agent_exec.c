// SPDX-License-Identifier: MIT
/*
 * test_agent_exec.c - the agent's exec timeout against commands that try to outlive it: one
 * that closes its output and runs on, one that leaves a setsid child holding the output, one
 * that never exits. The real agent (built for the tests under ASan, IOV_TEST_AGENT) serves
 * --stdio on a socket pair, as for the host target; the commands are real processes.
 */
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab/agent_client.h"
#include "tests/unit.h"
#include "util.h"

/*
 * The command's timeout, and how long the hostile commands would live without it: long, so
 * that a reply in under half of it tells a cut command from a waited-for one on a loaded host.
 */
#define TIMEOUT_MS 300
#define LIFE_MS (100 * TIMEOUT_MS)

struct agent {
	struct agent_conn c;
	pid_t pid;
	char dir[32];
};

static int agent_start(struct agent *a)
{
	int sv[2];

	snprintf(a->dir, sizeof(a->dir), "/tmp/iov-agent-XXXXXX");
	if (!mkdtemp(a->dir) || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	a->pid = fork();
	if (a->pid < 0)
		return -1;
	if (a->pid == 0) {
		dup2(sv[1], 0);
		execl(IOV_TEST_AGENT, "iovagent", "--stdio", (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	a->c.fd = sv[0];
	a->c.next_id = 1;
	return 0;
}

/* The pid a command wrote to DIR/NAME, or -1. */
static pid_t read_pid(const struct agent *a, const char *name)
{
	char path[64];
	long pid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", a->dir, name);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%ld", &pid) != 1)
			pid = -1;
		fclose(f);
	}
	return (pid_t)pid;
}

static void agent_stop(struct agent *a)
{
	pid_t cmd = read_pid(a, "cmd.pid"), done = 0;
	long long until = iov_now_ms() + LIFE_MS;
	char rm[64];
	int status = 0;

	/* what a failed check leaves behind: the command's group */
	if (cmd > 0 && !kill(cmd, 0))
		kill(-cmd, SIGKILL);
	/* a serving agent exits at the EOF; a wedged one never sees it */
	close(a->c.fd);
	while (!(done = waitpid(a->pid, &status, WNOHANG)) && iov_now_ms() < until)
		usleep(10000);
	CU_ASSERT_EQUAL(done, a->pid);
	CU_ASSERT(done == a->pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!done) {
		kill(a->pid, SIGKILL);
		waitpid(a->pid, &status, 0);
	}
	snprintf(rm, sizeof(rm), "rm -rf %s", a->dir);
	CU_ASSERT_EQUAL(system(rm), 0);
}

/* Whether pid is gone (or a zombie: killed, waiting for its new parent to reap it). */
static bool gone(pid_t pid)
{
	char path[64], state = 0;
	FILE *f;

	if (kill(pid, 0) && errno == ESRCH)
		return true;
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
		state = 0;
	fclose(f);
	return state == 'Z';
}

/* sh -c SCRIPT in the agent's test directory, with timeout_ms; the reply's wall time in *ms. */
static int run_sh(struct agent *a, const char *script, int timeout_ms, struct exec_result *res, long long *ms)
{
	char full[512], err[256];
	const char *argv[] = { "sh", "-c", full, NULL };
	long long t0 = iov_now_ms();
	int rc;

	snprintf(full, sizeof(full), "cd %s && %s", a->dir, script);
	memset(res, 0, sizeof(*res));
	rc = agent_exec(&a->c, argv, NULL, 0, timeout_ms, res, err, sizeof(err));
	*ms = iov_now_ms() - t0;
	if (rc)
		fprintf(stderr, "\n  agent_exec: %s\n", err);
	return rc;
}

/* The agent still serves: a plain command runs, its output and status come back. */
static void assert_serving(struct agent *a)
{
	struct exec_result res;
	long long ms;

	/* not fatal: the test goes on to stop what a failure left running */
	if (run_sh(a, "echo alive; exit 3", TIMEOUT_MS * 10, &res, &ms)) {
		CU_FAIL("the agent no longer serves");
		return;
	}
	CU_ASSERT_EQUAL(res.status, 3);
	CU_ASSERT_EQUAL(res.timed_out, 0);
	CU_ASSERT_STRING_EQUAL(res.out, "alive\n");
	exec_result_free(&res);
}

/*
 * The hostile command SCRIPT (it writes its own pid to DIR/cmd.pid) is answered at its timeout,
 * long before it would end, killed and reaped: no process of that pid is left.
 */
static void assert_cut_at_timeout(struct agent *a, const char *script, struct exec_result *res)
{
	long long ms;
	pid_t cmd;

	CU_ASSERT_EQUAL(run_sh(a, script, TIMEOUT_MS, res, &ms), 0);
	CU_ASSERT(ms < LIFE_MS / 2);
	if (res->timed_out != 1 || !res->out || !res->err) {
		CU_FAIL("no timed-out reply");
		return;
	}
	CU_ASSERT_EQUAL(res->status, 128 + SIGKILL);
	CU_ASSERT(ms >= TIMEOUT_MS);
	cmd = read_pid(a, "cmd.pid");
	CU_ASSERT(cmd > 0);
	CU_ASSERT(cmd > 0 && kill(cmd, 0) == -1 && errno == ESRCH);
}

static void test_closed_output(void)
{
	struct exec_result res;
	struct agent a;
	char script[256];

	CU_ASSERT_EQUAL_FATAL(agent_start(&a), 0);
	snprintf(script, sizeof(script), "echo $$ >cmd.pid; echo before; exec >&- 2>&-; sleep %d", LIFE_MS / 1000);
	assert_cut_at_timeout(&a, script, &res);
	CU_ASSERT_STRING_EQUAL(res.out, "before\n"); /* what it wrote before closing is kept */
	exec_result_free(&res);
	assert_serving(&a);
	agent_stop(&a);
}

static void test_setsid_child(void)
{
	struct exec_result res;
	struct agent a;
	char script[256];
	pid_t escaped;

	CU_ASSERT_EQUAL_FATAL(agent_start(&a), 0);
	snprintf(script, sizeof(script),
		 /* the command waits for its child to have left the group: on a loaded host the
		  * timeout could otherwise come first and find it still inside */
		 "echo $$ >cmd.pid; setsid sh -c 'echo $$ >escaped.pid; exec sleep %d' & "
		 "while [ ! -s escaped.pid ]; do sleep 0.01; done; exec sleep %d",
		 LIFE_MS / 1000, LIFE_MS / 1000);
	assert_cut_at_timeout(&a, script, &res);
	CU_ASSERT_PTR_NOT_NULL(strstr(res.err, "1 process(es) outside the command's process group"));
	exec_result_free(&res);
	assert_serving(&a);
	/* the process that escaped the group was found by the pipe it held, and killed */
	escaped = read_pid(&a, "escaped.pid");
	CU_ASSERT(escaped > 0 && gone(escaped));
	if (escaped > 0 && !gone(escaped))
		kill(escaped, SIGKILL);
	agent_stop(&a);
}

/* Output closed and no end: before the fix the agent waited for it forever. */
static void test_never_exits(void)
{
	struct exec_result res;
	struct agent a;

	CU_ASSERT_EQUAL_FATAL(agent_start(&a), 0);
	assert_cut_at_timeout(&a, "echo $$ >cmd.pid; exec >&- 2>&- </dev/null; while :; do sleep 1; done", &res);
	exec_result_free(&res);
	assert_serving(&a);
	agent_stop(&a);
}

IOV_SUITE(agent_exec,
	  { "exec timeout: a command that closed its output is cut at its timeout", test_closed_output },
	  { "exec timeout: a setsid child holding the output does not delay the reply", test_setsid_child },
	  { "exec timeout: a command that never exits does not wedge the agent", test_never_exits })
