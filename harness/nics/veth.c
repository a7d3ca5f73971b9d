// SPDX-License-Identifier: MIT
/*
 * veth.c - the lab's ceiling: a veth pair between two namespaces of the driver domain's kernel
 * (guest-to-domain: between the guest's and the root namespace). No device model, no
 * interrupts, no driver of ours: packets go from one socket to the other through the stack
 * alone, so the kind shows how much of every other kind's figure the emulated device takes.
 */
#include "guests/guests.h"
#include "nics/nics.h"

const struct iov_nic_ops iov_nic_veth = {
	.name = "veth",
	.help = "`veth` (a veth pair in the driver domain's kernel, no device model: the lab's ceiling)",
	.role = IOV_NIC_ROLE_CEILING,
	.domain = { "veth", false },
	.guest = { "veth", false },
	.instrumentation = -1,
	.netns_hook = "iov_veth_topology",
	.guest_kinds = 1u << IOV_GUEST_NETNS,
	.not_offered_why = "a veth pair joins namespaces of one kernel, and a VM guest runs its own",
	.no_device_irqs = true,
};
