/* SPDX-License-Identifier: MIT */
/*
 * nics.h - NIC kinds: what NIC a guest is given in an experiment. One file per kind,
 * harness/nics/NAME.c, each one `const struct iov_nic_ops` with designated initialisers, and
 * one line in IOV_NIC_KINDS below (the enum, the table and the declarations all come from it).
 *
 * Everything the harness decides per kind reads these fields: the workload key's choices and
 * reference, which guest kinds offer it, the drivers it loads (and the environment record of
 * their versions), whether it needs the adapter's SR-IOV or the lab's QEMU NIC pairs, the NIC
 * a VM guest's QEMU gives it, its
 * instrumentation state, the kind whose topology it shares, whether its NICs raise interrupts.
 * The guest side reads the same table: `iovbench list nics --shell` writes it as shell
 * functions (iov_nic_drivers, iov_nic_hook, ...) into the lab image's nics.sh, which
 * guest-lib.sh sources; guest-lib has no list of kinds of its own.
 *
 * Adding a kind: its file, its line below, its guest-lib topology hook if no existing one
 * builds it, its name in the result schema's "nic" enum (test_nics checks they agree) and
 * workloads/REFERENCE.md regenerated (IOV_UPDATE_REFERENCE=1 make unit).
 */
#ifndef IOV_NICS_H
#define IOV_NICS_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/*
 * One line per kind, in the order of the reference and of experiment plans:
 * X(ENUM CONSTANT, ops variable in nics/NAME.c).
 */
#define IOV_NIC_KINDS(X)                                        \
	X(IOV_NIC_VF, iov_nic_vf)                               \
	X(IOV_NIC_VF_INBOX, iov_nic_vf_inbox)                   \
	X(IOV_NIC_VF_IOVPF_IGBVF, iov_nic_vf_iovpf_igbvf)       \
	X(IOV_NIC_VF_IGB_IOVVF, iov_nic_vf_igb_iovvf)           \
	X(IOV_NIC_VF_NOINSTR, iov_nic_vf_noinstr)               \
	X(IOV_NIC_E1000E, iov_nic_e1000e)                       \
	X(IOV_NIC_VIRTIO, iov_nic_virtio)                       \
	X(IOV_NIC_VETH, iov_nic_veth)                           \
	/* one line per kind above */

#define IOV_NIC_ENUM_(e, ops) e,
enum iov_nic { IOV_NIC_KINDS(IOV_NIC_ENUM_) IOV_NIC_COUNT };

/* What a kind is there for: how the summary, report and gates read its figures. */
enum iov_nic_role {
	IOV_NIC_ROLE_SUBJECT,	/* our driver pair, which every comparison is about */
	IOV_NIC_ROLE_ANCHOR,	/* the in-tree driver pair on the same adapter */
	IOV_NIC_ROLE_MIX,	/* one of our drivers swapped for the in-tree one: isolates the other */
	IOV_NIC_ROLE_INSTR_OFF, /* the subject with its instrumentation off: the instrumentation's cost */
	IOV_NIC_ROLE_BASELINE,	/* an emulated or paravirtual NIC: what SR-IOV is measured against */
	IOV_NIC_ROLE_CEILING,	/* no device model at all: how much of every figure the device costs */
	IOV_NIC_ROLE_COUNT
};

/* A kernel module a kind loads. */
struct iov_nic_driver {
	const char *module; /* modprobe name */
	bool ours;	    /* built from driver/ (its version: the tree's), else in-tree (the kernel's) */
};

/* A pair of QEMU NICs cabled back to back in the lab (lab/qemu.c), one per guest pair. */
struct iov_nic_lab_pair {
	const char *model; /* QEMU -device */
	char tag;	   /* names the pair's netdevs and sockets: TAG I a|b */
	unsigned mac_byte; /* MAC 52:54:00:MM:0I:0a|b, by which guest-lib finds each side */
	unsigned slot;	   /* PCI slot of pair 0 on pcie.0; pair i at slot + i, sides functions 0/1 */
};

/* How a VM guest's QEMU (guest-lib's iov_vm_start) connects the NIC it gives the guest. */
enum iov_nic_vm_backend {
	IOV_NIC_VM_NONE,  /* not offered to VM guests */
	IOV_NIC_VM_VFIO,  /* a PCI function of the driver domain assigned through VFIO (host=BDF) */
	IOV_NIC_VM_TAP,	  /* a device QEMU emulates, on a tap in the driver domain's bridge */
	IOV_NIC_VM_VHOST, /* the same on a tap whose data path is the kernel's vhost-net */
	IOV_NIC_VM_BACKEND_COUNT
};

/* The NIC a VM guest of this kind gets (guests/vm.c). */
struct iov_nic_vm_nic {
	const char *model; /* QEMU -device: vfio-pci, e1000e, virtio-net-pci */
	enum iov_nic_vm_backend backend;
};

struct iov_nic_ops {
	const char *name; /* workload value, experiment ids, the result's "nic" */
	/* Its phrase in the reference of the `nic` key: "`NAME` (what it is)". */
	const char *help;
	enum iov_nic_role role;
	/* PF and VFs of the SR-IOV adapter: the PF driver in the driver domain, a VF per guest. */
	bool sriov;
	/*
	 * domain: loaded in the driver domain (the PF driver; a baseline's driver, whose NICs a
	 * namespace guest shares with it). guest: drives a guest's NIC (the VF driver; for the
	 * others the same module), loaded in the guest when it runs its own kernel.
	 */
	struct iov_nic_driver domain, guest;
	/* Our drivers' instrumentation: 1 on, 0 off (switched per repetition), -1 none of ours loaded. */
	int instrumentation;
	/*
	 * instr_toggle_s switches our drivers' static-key instrumentation on and off inside this
	 * kind's repetitions to measure its cost: only where both drivers are ours and it starts on
	 * (a mix would measure one driver's share, vf-noinstr is the same topology turned off).
	 */
	bool instr_toggle;
	/* Runs on another kind's topology (vf-noinstr: vf's, only the switch differs); NULL: its own. */
	const struct iov_nic_ops *topology_of;
	/*
	 * guest-lib function that builds a namespace topology of this kind (iov_topology calls it
	 * as HOOK KIND GUESTS PATTERN). VM guests have their own topology (guests/vm.c), which
	 * reads .sriov and the drivers.
	 */
	const char *netns_hook;
	/* Guest kinds that offer it (1 << enum iov_guest_kind), and why the others do not. */
	unsigned guest_kinds;
	const char *not_offered_why;
	/* Its NICs are the lab's QEMU pairs (then .lab_pair): no other target has them. */
	bool lab_only;
	struct iov_nic_lab_pair lab_pair;
	/* A VM guest's NIC of this kind: set exactly when VM guests offer the kind. */
	struct iov_nic_vm_nic vm_nic;
	/* Its NICs raise no interrupts of their own (veth): no interrupt figures, not zero ones. */
	bool no_device_irqs;
};

#define IOV_NIC_EXTERN_(e, ops) extern const struct iov_nic_ops ops;
IOV_NIC_KINDS(IOV_NIC_EXTERN_)

/* Indexed by enum iov_nic; NULL out of range. */
const struct iov_nic_ops *iov_nic(int nic);
/* -1 if name is no NIC kind. */
int iov_nic_lookup(const char *name);
const char *iov_nic_name(enum iov_nic nic);
/* The i-th kind's name, NULL past the last: the workload keys' choices. */
const char *iov_nic_name_at(int i);
/* An SR-IOV kind (PF + VFs of the 82576), as opposed to an emulated baseline or veth. */
bool iov_nic_is_sriov(enum iov_nic nic);
/*
 * The kind whose topology (drivers, VFs, namespaces) a kind runs on: vf-noinstr is the vf
 * topology with the instrumentation switched off per repetition, so the two can be measured
 * interleaved, repetition by repetition, without rebuilding anything.
 */
enum iov_nic iov_nic_topology(enum iov_nic nic);
/* State of our drivers' instrumentation static key for a kind: 1 on, 0 off, -1 not loaded. */
int iov_nic_instrumentation(enum iov_nic nic);
/* Does this guest kind (enum iov_guest_kind) offer this NIC kind? */
bool iov_nic_offered(enum iov_nic nic, int guest_kind);
/* The first kind with this role ("ceiling": veth), -1 if none. */
int iov_nic_with_role(enum iov_nic_role role);
const char *iov_nic_role_name(enum iov_nic_role role);

/* "none", "vfio", "tap", "vhost": a backend's word in the shell form. */
extern const char *const iov_nic_vm_backend_names[IOV_NIC_VM_BACKEND_COUNT];

/* Every module the table loads, once each, in table order (domain before guest). */
size_t iov_nic_drivers(const struct iov_nic_driver **out, size_t max);

/*
 * The table as POSIX shell for guest-lib.sh (`iovbench list nics --shell`, installed as the lab
 * image's /usr/lib/iovbench/nics.sh): iov_nic_drivers KIND, iov_nic_instrumentation KIND,
 * iov_nic_hook KIND, iov_nic_sriov KIND, iov_nic_offered KIND GUEST_KIND (or dies saying why
 * not), iov_pair_mac KIND PAIR SIDE, iov_nic_vm_nic KIND ("MODEL BACKEND", the backend one of
 * iov_nic_vm_backend_names), and IOV_NIC_MODULES (every module, guests' before
 * domains', for unloading).
 */
int iov_nic_shell(struct iov_buf *out);
/* A Markdown table of the kinds for the reference. */
int iov_nic_reference(struct iov_buf *out);

#endif
