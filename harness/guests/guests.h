/* SPDX-License-Identifier: MIT */
/*
 * guests.h - guest kinds: what plays a guest in an experiment. One file per kind, each one
 * `const struct iov_guest_ops`, listed in guests.c's table; a new kind is one file and one
 * table line (plus its guest-lib.sh functions and the schema's enum of guest_kind).
 *
 * Every kind gives its guests names ("g1", "vm1") that the topology prints and the driver
 * domain enters with guest-lib's iov_in; the harness never branches on the kind, it reads
 * these fields. Which NIC kinds a guest kind offers is the NIC table's word
 * (nics/nics.h: .guest_kinds), not the guest kind's.
 */
#ifndef IOV_GUESTS_H
#define IOV_GUESTS_H

#include <stdbool.h>

#include "workload.h"

struct iov_guest_ops {
	const char *name; /* workload value and result field: "netns", "vm" */
	const char *help; /* one line for the reference */
	/* guest-lib function that builds N guests: FN KIND N PATTERN, printing "guest" lines */
	const char *topology_fn;
	/* guest-lib function that exits non-zero with a reason where the kind cannot run; or NULL */
	const char *check_fn;
	/*
	 * A guest runs its own kernel: its interrupts, CPU, driver statistics and NAPI trace are
	 * read inside it (iov_snapshot does, per guest), not in the driver domain's.
	 */
	bool own_kernel;
	/* Where a guest's console is kept in the driver domain (printf with the guest's name); or NULL */
	const char *console_path;
	/*
	 * Seconds one guest may add to building a topology (a VM boots, under TCG in the lab,
	 * in 20-50 s on a loaded host): the topology step's timeout grows by this per guest.
	 */
	int setup_s_per_guest;
	/* The driver domain needs an IOMMU, KVM and QEMU (the lab's VM add-on, lab.h) */
	bool needs_vm_host;
};

enum iov_guest_kind { IOV_GUEST_NETNS, IOV_GUEST_VM, IOV_GUEST_COUNT };

extern const struct iov_guest_ops iov_guest_netns;
extern const struct iov_guest_ops iov_guest_vm;

/* Indexed by enum iov_guest_kind. */
const struct iov_guest_ops *iov_guest_kind(int kind);
/* NULL-terminated names in enum order, for the workload key's choices. */
extern const char *const iov_guest_kind_names[];

#endif
