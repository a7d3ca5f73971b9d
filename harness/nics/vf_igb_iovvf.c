// SPDX-License-Identifier: MIT
/* vf_igb_iovvf.c - our VF driver under the in-tree PF driver: isolates iovvf (against vf-inbox). */
#include "guests/guests.h"
#include "nics/nics.h"

const struct iov_nic_ops iov_nic_vf_igb_iovvf = {
	.name = "vf-igb-iovvf",
	.help = "`vf-igb-iovvf` (the in-tree PF driver, our VF driver)",
	.role = IOV_NIC_ROLE_MIX,
	.sriov = true,
	.domain = { "igb", false },
	.guest = { "iovvf", true },
	.instrumentation = 1,
	.netns_hook = "iov_sriov_topology",
	.guest_kinds = 1u << IOV_GUEST_NETNS | 1u << IOV_GUEST_VM,
	.vm_nic = { "vfio-pci", IOV_NIC_VM_VFIO },
};
