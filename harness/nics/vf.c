// SPDX-License-Identifier: MIT
/* vf.c - our driver pair on the SR-IOV adapter: iovpf on the PF, iovvf on each guest's VF. */
#include "guests/guests.h"
#include "nics/nics.h"

const struct iov_nic_ops iov_nic_vf = {
	.name = "vf",
	.help = "`vf` (our iovpf + iovvf pair on the SR-IOV NIC)",
	.role = IOV_NIC_ROLE_SUBJECT,
	.sriov = true,
	.domain = { "iovpf", true },
	.guest = { "iovvf", true },
	.instrumentation = 1,
	.instr_toggle = true,
	.netns_hook = "iov_sriov_topology",
	.guest_kinds = 1u << IOV_GUEST_NETNS | 1u << IOV_GUEST_VM,
	.vm_nic = { "vfio-pci", IOV_NIC_VM_VFIO },
};
