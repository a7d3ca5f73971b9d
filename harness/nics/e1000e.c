// SPDX-License-Identifier: MIT
/*
 * e1000e.c - a fully emulated NIC (Intel 82574): in the lab, back-to-back pairs QEMU cables
 * with unix datagram sockets; a VM guest's own QEMU emulates one on a tap of the driver domain.
 */
#include "guests/guests.h"
#include "nics/nics.h"

const struct iov_nic_ops iov_nic_e1000e = {
	.name = "e1000e",
	.help = "`e1000e` (a fully emulated NIC)",
	.role = IOV_NIC_ROLE_BASELINE,
	.domain = { "e1000e", false },
	.guest = { "e1000e", false },
	.instrumentation = -1,
	.netns_hook = "iov_pair_topology",
	.guest_kinds = 1u << IOV_GUEST_NETNS | 1u << IOV_GUEST_VM,
	.lab_only = true,
	.lab_pair = { .model = "e1000e", .tag = 'e', .mac_byte = 0xe1, .slot = 0x10 },
	.vm_nic = { "e1000e", IOV_NIC_VM_TAP },
};
