/* SPDX-License-Identifier: MIT */
/*
 * target.h - where experiments run, behind one interface:
 *   lab:  the QEMU software lab (harness/lab/), commands go to the agent in the guest;
 *   host: this machine itself, with a real SR-IOV NIC; commands go to a local agent
 *         (iovagent --stdio) so both targets speak the same protocol and share every step.
 * Guest-side steps are shell functions of guest-lib.sh, sourced from target->guestlib.
 */
#ifndef IOV_TARGET_H
#define IOV_TARGET_H

#include <stdbool.h>
#include <sys/types.h>

#include "lab/lab.h"
#include "util.h"

enum target_kind { TARGET_LAB, TARGET_HOST };

struct target {
	enum target_kind kind;
	struct lab lab;          /* TARGET_LAB */
	struct agent_conn host;  /* TARGET_HOST: socket to the local agent */
	pid_t host_agent_pid;
	char guestlib[4096];     /* guest-lib.sh as the target sees it */
	pid_t hypervisor_pid;    /* QEMU: its threads' CPU time is the hypervisor's cost; 0 on host */
};

struct target_config {
	enum target_kind kind;
	struct lab_config lab;   /* TARGET_LAB */
	const char *agent_path;  /* TARGET_HOST: build/iovagent */
	const char *guestlib;    /* TARGET_HOST: harness/lab/guest-lib.sh of this tree */
};

int target_open(const struct target_config *cfg, struct target *t, struct iov_err *err);
void target_close(struct target *t);
/* Is the target still usable (lab: QEMU alive)? */
bool target_alive(struct target *t);

/*
 * Run SCRIPT under sh with guest-lib.sh sourced. Returns 0 when the script ran (its exit status
 * in res->status); -1 when the target failed (hung, crashed: err says which, with the console).
 */
int target_sh(struct target *t, const char *script, int timeout_s, struct exec_result *res,
	      struct iov_err *err);
/* Read a file on the target. */
int target_get(struct target *t, const char *path, char **data, size_t *len, struct iov_err *err);

#endif
