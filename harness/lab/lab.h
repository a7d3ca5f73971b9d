/* SPDX-License-Identifier: MIT */
/*
 * lab.h - the software SR-IOV lab: one QEMU guest that serves many experiments.
 *
 * Topology (all on this machine, no network leaves it):
 *   - the igb PF (82576, 8086:10c9) alone behind PCIe root port rp0, so it is 0000:01:00.0 and
 *     its VFs are 0000:01:10.0, 01:10.2, ...; its own netdev backend is an unconnected hub port;
 *   - `pairs` back-to-back pairs of e1000e NICs and of virtio-net NICs, each pair cabled by two
 *     QEMU `-netdev dgram` unix sockets that point at each other (files in the lab directory);
 *   - a virtio-serial port named org.iovbench.agent, bound to DIR/agent.sock, for the agent;
 *   - the serial console captured in DIR/console.log, QEMU's own messages in DIR/qemu.log.
 * MAC addresses name the NICs, so the guest side finds them without guessing PCI order:
 *   PF 52:54:00:10:00:00; e1000e pair i: 52:54:00:e1:0i:0a / :0b; virtio: 52:54:00:f0:0i:0a / :0b.
 */
#ifndef IOV_LAB_LAB_H
#define IOV_LAB_LAB_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lab/agent_client.h"

#define LAB_MAX_PAIRS 7

struct lab_config {
	const char *dir;      /* lab directory: state, sockets, logs */
	const char *qemu;     /* binary; NULL = qemu-system-x86_64 from PATH */
	const char *kernel;   /* uncompressed vmlinux (booted through PVH) */
	const char *initrd;   /* the image from scripts/build-image.sh */
	const char *accel;    /* auto | kvm | tcg */
	int mem_mb, cpus;
	int pairs;            /* baseline NIC pairs of each kind, 0..LAB_MAX_PAIRS */
	int boot_timeout_s;   /* from QEMU start to agent answering */
	bool tie_to_parent;   /* QEMU dies with the harness (runs); false for `lab up` */
	const char *probe_cache; /* file remembering the KVM probe's verdict; NULL: probe always */
	/*
	 * VM guests (L2 under KVM in the lab): an emulated intel-iommu in front of the PF (VFs go
	 * to L2 through vfio-pci) and `intel_iommu=on iommu=pt` for the lab kernel. The caller
	 * also gives the image with the VM add-on and enough memory (LAB_VM_MEM_MB).
	 */
	bool iommu;
	const char *vm_initrd; /* the image with the VM add-on, booted instead of initrd with iommu */
};

/*
 * Lab memory for VM guests. Not more: from 2816 MB on, q35 puts RAM above 4 GB, the firmware
 * then maps the VFs' 64-bit BARs above it (0xc000000000) and QEMU's igb VF mailbox stops
 * working (VFs see the PF in reset for ever: "PF still in reset state" from igbvf, "mailbox
 * busy" from iovvf, with igb or iovpf as PF; measured with -m 3072 and 4544, fine at 2800).
 * It holds the add-on (~300 MB unpacked) and VM guests of LAB_VM_GUEST_MB each (VFIO pins all
 * of a VF guest's memory): 7 x 256 MB fit (see docs/2026-12-02-vm-guests-lab.md).
 */
#define LAB_VM_GUEST_MB 256
#define LAB_VM_MEM_MB 2800

void lab_config_defaults(struct lab_config *cfg);
/* The image a configuration boots: the VM add-on's only for VM guests, so a namespace lab does
 * not unpack it. */
const char *lab_initrd(const struct lab_config *cfg);

/* The longest name of a file in the lab directory ("console-failed-boot.log"), with room. */
#define LAB_NAME_MAX 64

struct lab {
	char dir[PATH_MAX]; /* at most PATH_MAX - 1 - LAB_NAME_MAX long: DIR/NAME always fits */
	char agent_sock[PATH_MAX];
	char console_log[PATH_MAX];
	pid_t qemu_pid;
	char accel[8];           /* what it runs on: kvm or tcg */
	char accel_reason[256];  /* why auto chose it */
	double boot_s;           /* QEMU start to agent ready */
	char agent_info[256];    /* the agent's ping reply: version, kernel release */
	int pairs;
	struct agent_conn conn;  /* open while the lab is attached */
	int lock_fd;             /* DIR/agent.lock, held while attached: one client at a time */
};

/*
 * Boot the lab and wait for the agent; on failure no QEMU is left running and err holds
 * the reason plus the tail of the console log.
 */
int lab_up(const struct lab_config *cfg, struct lab *lab, char *err, size_t errlen);
/* Attach to a lab booted earlier (reads DIR/lab.state, pings the agent); refused, the lab
 * left running, while another client holds it. */
int lab_attach(const char *dir, struct lab *lab, char *err, size_t errlen);
/* Power the guest off cleanly, then make sure QEMU is gone. Removes the state file. */
int lab_down(struct lab *lab, char *err, size_t errlen);
/* Stop QEMU at once (hung guest, interrupted run), keeping logs. */
void lab_kill(struct lab *lab);
bool lab_qemu_alive(const struct lab *lab);

/*
 * Run a command in the guest. Distinguishes a failing command (return 0, res->status != 0)
 * from a lab failure (negative return): a hung guest (no reply within timeout + grace) is
 * killed, a crashed one is reported, and err then carries the console tail.
 */
int lab_exec(struct lab *lab, const char *const *argv, int timeout_s, struct exec_result *res,
	     char *err, size_t errlen);
/* Convenience: run `sh -c SCRIPT`. */
int lab_sh(struct lab *lab, const char *script, int timeout_s, struct exec_result *res, char *err,
	   size_t errlen);

/* Append the console log's last lines to err, or its oops from the start (failure messages). */
void lab_console_tail(const struct lab *lab, char *buf, size_t buflen, int lines);

/* QEMU command line for cfg on accel ("kvm" or "tcg"); argv is NULL-terminated, free with free(). */
char **lab_qemu_argv(const struct lab_config *cfg, const char *accel);
void lab_free_argv(char **argv);

#endif
