// SPDX-License-Identifier: MIT
/*
 * virtio.c - a paravirtual NIC (virtio-net): in the lab, back-to-back pairs like e1000e's; a VM
 * guest's is served by vhost-net on a tap of the driver domain.
 */
#include "guests/guests.h"
#include "nics/nics.h"

const struct iov_nic_ops iov_nic_virtio = {
	.name = "virtio",
	.help = "`virtio` (a paravirtual virtio-net NIC)",
	.role = IOV_NIC_ROLE_BASELINE,
	.domain = { "virtio_net", false },
	.guest = { "virtio_net", false },
	.instrumentation = -1,
	.netns_hook = "iov_pair_topology",
	.guest_kinds = 1u << IOV_GUEST_NETNS | 1u << IOV_GUEST_VM,
	.lab_only = true,
	.lab_pair = { .model = "virtio-net-pci", .tag = 'v', .mac_byte = 0xf0, .slot = 0x18 },
	.vm_nic = { "virtio-net-pci", IOV_NIC_VM_VHOST },
};
