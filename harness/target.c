// SPDX-License-Identifier: MIT
/* target.c - the lab and host targets behind one interface (target.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "target.h"

#define ERRBUF 8192
#define LAB_GUESTLIB "/usr/lib/iovbench/guest-lib.sh"

static int host_open(const struct target_config *cfg, struct target *t, struct iov_err *err)
{
	int sv[2];

	if (geteuid() != 0) {
		iov_err_set(err, "--target host needs root (it loads drivers and enables VFs)");
		return -1;
	}
	{
		const char *pf = getenv("IOV_PF_BDF");
		char path[256];

		if (!pf || !*pf) {
			iov_err_set(err, "--target host needs IOV_PF_BDF, the PCI address of the SR-IOV PF "
					 "(e.g. IOV_PF_BDF=0000:3b:00.0)");
			return -1;
		}
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%.64s/sriov_totalvfs", pf);
		if (access(path, R_OK)) {
			iov_err_set(err, "IOV_PF_BDF=%s is not an SR-IOV capable PCI function (%s: %s)", pf,
				    path, strerror(errno));
			return -1;
		}
		if (system("command -v iperf3 >/dev/null && command -v fio >/dev/null && "
			   "command -v ip >/dev/null") != 0) {
			iov_err_set(err, "--target host needs iperf3, fio and iproute2 on this machine");
			return -1;
		}
	}
	if (access(cfg->agent_path, X_OK)) {
		iov_err_set(err, "no agent at %s: run 'make harness'", cfg->agent_path);
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
	snprintf(t->guestlib, sizeof(t->guestlib), "%s", cfg->guestlib);
	return 0;
}

int target_open(const struct target_config *cfg, struct target *t, struct iov_err *err)
{
	char lerr[ERRBUF] = "";

	memset(t, 0, sizeof(*t));
	t->kind = cfg->kind;
	t->host.fd = -1;
	if (cfg->kind == TARGET_HOST)
		return host_open(cfg, t, err);
	if (lab_up(&cfg->lab, &t->lab, lerr, sizeof(lerr))) {
		iov_err_set(err, "lab up failed: %.480s", lerr);
		return -1;
	}
	t->hypervisor_pid = t->lab.qemu_pid;
	snprintf(t->guestlib, sizeof(t->guestlib), "%s", LAB_GUESTLIB);
	return 0;
}

void target_close(struct target *t)
{
	char lerr[ERRBUF] = "";

	if (t->kind == TARGET_LAB) {
		if (t->lab.qemu_pid > 0 && lab_down(&t->lab, lerr, sizeof(lerr)))
			fprintf(stderr, "iovbench: %s\n", lerr);
		return;
	}
	agent_close(&t->host);
	if (t->host_agent_pid > 0) {
		kill(t->host_agent_pid, SIGTERM);
		waitpid(t->host_agent_pid, NULL, 0);
		t->host_agent_pid = 0;
	}
}

bool target_alive(struct target *t)
{
	if (t->kind == TARGET_LAB)
		return t->lab.conn.fd >= 0 && lab_qemu_alive(&t->lab);
	return t->host.fd >= 0;
}

int target_sh(struct target *t, const char *script, int timeout_s, struct exec_result *res,
	      struct iov_err *err)
{
	char lerr[ERRBUF] = "", *full;
	const char *argv[] = { "sh", "-c", NULL, NULL };
	int rc;

	if (asprintf(&full, ". %s\n%s", t->guestlib, script) < 0) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	argv[2] = full;
	if (t->kind == TARGET_LAB)
		rc = lab_exec(&t->lab, argv, timeout_s, res, lerr, sizeof(lerr));
	else
		rc = agent_exec(&t->host, argv, NULL, 0, timeout_s * 1000, res, lerr, sizeof(lerr));
	free(full);
	if (rc) {
		/* Keep the end of the message: it carries the console's last lines. */
		size_t n = strlen(lerr);

		iov_err_set(err, "%s", n > IOV_ERR_MAX - 1 ? lerr + n - (IOV_ERR_MAX - 1) : lerr);
		return -1;
	}
	return 0;
}

int target_get(struct target *t, const char *path, char **data, size_t *len, struct iov_err *err)
{
	char lerr[1024] = "";
	struct agent_conn *c = t->kind == TARGET_LAB ? &t->lab.conn : &t->host;

	if (agent_get(c, path, data, len, lerr, sizeof(lerr))) {
		iov_err_set(err, "%s", lerr);
		return -1;
	}
	return 0;
}
