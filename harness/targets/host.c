// SPDX-License-Identifier: MIT
/*
 * host.c - this machine as the target, with a real SR-IOV NIC (IOV_PF_BDF): a local agent
 * (iovagent --stdio on a socket pair) runs the same guest-lib steps as the lab's does.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "target.h"

/* Root, an SR-IOV PF named by IOV_PF_BDF, the traffic tools: named before anything starts. */
static int host_check(struct iov_err *err)
{
	const char *pf = getenv("IOV_PF_BDF");
	char path[256];

	if (geteuid() != 0) {
		iov_err_set(err, "--target host needs root (it loads drivers and enables VFs)");
		return -1;
	}
	if (!pf || !*pf) {
		iov_err_set(err, "--target host needs IOV_PF_BDF, the PCI address of the SR-IOV PF "
				 "(e.g. IOV_PF_BDF=0000:3b:00.0)");
		return -1;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%.64s/sriov_totalvfs", pf);
	if (access(path, R_OK)) {
		iov_err_set(err, "IOV_PF_BDF=%s is not an SR-IOV capable PCI function (%s: %s)", pf, path,
			    strerror(errno));
		return -1;
	}
	if (system("command -v iperf3 >/dev/null && command -v fio >/dev/null && "
		   "command -v ip >/dev/null") != 0) {
		iov_err_set(err, "--target host needs iperf3, fio and iproute2 on this machine");
		return -1;
	}
	return 0;
}

static int host_open(const struct target_config *cfg, struct target *t, struct iov_err *err)
{
	int sv[2];

	if (host_check(err))
		return -1;
	if (access(cfg->agent_path, X_OK)) {
		iov_err_set(err, "no agent at %s: run 'make harness'", cfg->agent_path);
		return -1;
	}
	if (access(cfg->nics_sh, R_OK)) {
		iov_err_set(err, "no %s (guest-lib's NIC kinds): run 'make harness'", cfg->nics_sh);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv)) {
		iov_err_set(err, "socketpair: %s", strerror(errno));
		return -1;
	}
	t->host_agent_pid = fork();
	if (t->host_agent_pid < 0) {
		iov_err_set(err, "fork: %s", strerror(errno));
		return -1;
	}
	if (t->host_agent_pid == 0) {
		dup2(sv[1], 0);
		execl(cfg->agent_path, "iovagent", "--stdio", (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	t->host.fd = sv[0];
	t->host.next_id = 1;
	snprintf(t->preamble, sizeof(t->preamble), "IOV_NICS_SH=%s\n. %s", cfg->nics_sh, cfg->guestlib);
	return 0;
}

static void host_close(struct target *t)
{
	agent_close(&t->host);
	if (t->host_agent_pid > 0) {
		kill(t->host_agent_pid, SIGTERM);
		waitpid(t->host_agent_pid, NULL, 0);
		t->host_agent_pid = 0;
	}
}

static bool host_alive(struct target *t)
{
	return t->host.fd >= 0;
}

static int host_exec(struct target *t, const char *const *argv, int timeout_s, struct exec_result *res, char *err,
		     size_t errlen)
{
	return agent_exec(&t->host, argv, NULL, 0, timeout_s * 1000, res, err, errlen);
}

static struct agent_conn *host_conn(struct target *t)
{
	return &t->host;
}

static const char *host_accelerator(const struct target *t)
{
	(void)t;
	return "none";
}

const struct iov_target_ops iov_target_host = {
	.name = "host",
	.open = host_open,
	.close = host_close,
	.alive = host_alive,
	.exec = host_exec,
	.conn = host_conn,
	.accelerator = host_accelerator,
};
