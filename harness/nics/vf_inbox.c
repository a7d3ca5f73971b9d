// SPDX-License-Identifier: MIT
/* vf_inbox.c - the in-tree driver pair on the same adapter: igb on the PF, igbvf on the VFs. */
#include "guests/guests.h"
#include "nics/nics.h"

const struct iov_nic_ops iov_nic_vf_inbox = {
	.name = "vf-inbox",
	.help = "`vf-inbox` (in-tree igb + igbvf on the same NIC)",
	.role = IOV_NIC_ROLE_ANCHOR,
	.sriov = true,
	.domain = { "igb", false },
	.guest = { "igbvf", false },
	.instrumentation = -1,
	.netns_hook = "iov_sriov_topology",
	.guest_kinds = 1u << IOV_GUEST_NETNS | 1u << IOV_GUEST_VM,
	.vm_nic = { "vfio-pci", IOV_NIC_VM_VFIO },
};
