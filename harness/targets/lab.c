// SPDX-License-Identifier: MIT
/*
 * lab.c - the software lab as a target: one QEMU guest (harness/lab/) booted per run, its
 * agent reached over virtio-serial, its QEMU the hypervisor whose CPU time is measured.
 */
#include <stdio.h>

#include "target.h"

#define ERRBUF 8192
#define LAB_GUESTLIB "/usr/lib/iovbench/guest-lib.sh"

static int lab_target_open(const struct target_config *cfg, struct target *t, struct iov_err *err)
{
	char lerr[ERRBUF] = "";

	if (lab_up(&cfg->lab, &t->lab, lerr, sizeof(lerr))) {
		iov_err_set(err, "lab up failed: %.480s", lerr);
		return -1;
	}
	t->hypervisor_pid = t->lab.qemu_pid;
	/* the image holds guest-lib.sh and, beside it, the nics.sh it sources */
	snprintf(t->preamble, sizeof(t->preamble), ". %s", LAB_GUESTLIB);
	return 0;
}

static void lab_target_close(struct target *t)
{
	char lerr[ERRBUF] = "";

	if (t->lab.qemu_pid > 0 && lab_down(&t->lab, lerr, sizeof(lerr)))
		fprintf(stderr, "iovbench: %s\n", lerr);
}

static bool lab_target_alive(struct target *t)
{
	return t->lab.conn.fd >= 0 && lab_qemu_alive(&t->lab);
}

static int lab_target_exec(struct target *t, const char *const *argv, int timeout_s, struct exec_result *res,
			   char *err, size_t errlen)
{
	return lab_exec(&t->lab, argv, timeout_s, res, err, errlen);
}

static struct agent_conn *lab_target_conn(struct target *t)
{
	return &t->lab.conn;
}

static void lab_target_announce(const struct target *t)
{
	fprintf(stderr, "iovbench: lab up in %.1f s on %s (%s)\n", t->lab.boot_s, t->lab.accel, t->lab.accel_reason);
}

static const char *lab_target_accelerator(const struct target *t)
{
	return t->lab.accel;
}

static const char *lab_target_console_log(const struct target *t)
{
	return t->lab.console_log;
}

/* An IOMMU for VFIO, the VM add-on image (lab_initrd) and the memory the VM guests need. */
static void lab_target_as_vm_host(struct target_config *cfg)
{
	cfg->lab.iommu = true;
	if (cfg->lab.mem_mb < LAB_VM_MEM_MB)
		cfg->lab.mem_mb = LAB_VM_MEM_MB;
}

const struct iov_target_ops iov_target_lab = {
	.name = "lab",
	.open = lab_target_open,
	.close = lab_target_close,
	.alive = lab_target_alive,
	.exec = lab_target_exec,
	.conn = lab_target_conn,
	.announce = lab_target_announce,
	.accelerator = lab_target_accelerator,
	.hypervisor_version_cmd = "qemu-system-x86_64 --version",
	.console_log = lab_target_console_log,
	.as_vm_host = lab_target_as_vm_host,
	.boots_image = true,
	.nic_pairs = true,
};
