// SPDX-License-Identifier: MIT
/* vf_iovpf_igbvf.c - our PF driver under the in-tree VF driver: isolates iovpf (against vf-inbox). */
#include "guests/guests.h"
#include "nics/nics.h"

const struct iov_nic_ops iov_nic_vf_iovpf_igbvf = {
	.name = "vf-iovpf-igbvf",
	.help = "`vf-iovpf-igbvf` (our PF driver, the in-tree VF driver)",
	.role = IOV_NIC_ROLE_MIX,
	.sriov = true,
	.domain = { "iovpf", true },
	.guest = { "igbvf", false },
	.instrumentation = 1,
	.netns_hook = "iov_sriov_topology",
	.guest_kinds = 1u << IOV_GUEST_NETNS | 1u << IOV_GUEST_VM,
	.vm_nic = { "vfio-pci", IOV_NIC_VM_VFIO },
};
