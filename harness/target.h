/* SPDX-License-Identifier: MIT */
/*
 * target.h - where experiments run, one `const struct iov_target_ops` per target in
 * harness/targets/NAME.c, listed in target.c's table:
 *   lab:  the QEMU software lab (harness/lab/), commands go to the agent in the guest;
 *   host: this machine itself, with a real SR-IOV NIC; commands go to a local agent
 *         (iovagent --stdio) so both targets speak the same protocol and share every step.
 * Guest-side steps are shell functions of guest-lib.sh, sourced by every script (target_sh);
 * the orchestrator reads the ops' fields and never tests which target it has.
 */
#ifndef IOV_TARGET_H
#define IOV_TARGET_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "lab/lab.h"
#include "util.h"

struct target;
struct target_config;

struct iov_target_ops {
	const char *name; /* `--target NAME` */
	int (*open)(const struct target_config *cfg, struct target *t, struct iov_err *err);
	void (*close)(struct target *t);
	/* Still usable (lab: QEMU alive, the agent connected)? */
	bool (*alive)(struct target *t);
	/* One command through the target's agent; err (a message) when the target failed. */
	int (*exec)(struct target *t, const char *const *argv, int timeout_s, struct exec_result *res, char *err,
		    size_t errlen);
	struct agent_conn *(*conn)(struct target *t);
	/* One line on stderr once it is up (lab: boot time, accelerator); NULL: nothing to say. */
	void (*announce)(const struct target *t);
	/* "kvm", "tcg", "none": for the result's environment. */
	const char *(*accelerator)(const struct target *t);
	/* Host command printing the hypervisor's version (the result's qemu_version); NULL: none. */
	const char *hypervisor_version_cmd;
	/* The console of the target's kernel, kept when it is lost mid-run; NULL: none. */
	const char *(*console_log)(const struct target *t);
	/*
	 * Boots as the VM guests' host or as the namespace guests' one, not both at once (lab: the
	 * IOMMU bends namespace figures): set cfg up as VM host. NULL: one target serves both.
	 */
	void (*as_vm_host)(struct target_config *cfg);
	/* Boots the lab's kernel and image: the caller fills cfg->lab's files. */
	bool boots_image;
	/* Has the lab's QEMU NIC pairs (nics.h .lab_only kinds). */
	bool nic_pairs;
};

extern const struct iov_target_ops iov_target_lab, iov_target_host;

struct target {
	const struct iov_target_ops *ops;
	struct lab lab;		/* targets/lab.c's */
	struct agent_conn host; /* targets/host.c's: socket to the local agent */
	pid_t host_agent_pid;
	char preamble[8400];	/* shell that sources guest-lib.sh as the target sees it */
	pid_t hypervisor_pid;	/* QEMU: its threads' CPU time is the hypervisor's cost; 0 on host */
};

struct target_config {
	const struct iov_target_ops *ops;
	struct lab_config lab;	/* lab: QEMU and its image */
	const char *agent_path; /* host: build/iovagent */
	const char *guestlib;	/* host: harness/lab/guest-lib.sh of this tree */
	const char *nics_sh;	/* host: build/nics.sh, guest-lib's NIC kinds */
};

/* NULL when no target has this name. */
const struct iov_target_ops *iov_target_lookup(const char *name);
/* Every name, joined by sep: for messages. */
void iov_target_names(const char *sep, char *out, size_t size);

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
