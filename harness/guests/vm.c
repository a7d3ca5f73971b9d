// SPDX-License-Identifier: MIT
/*
 * vm.c - a guest is a KVM virtual machine started in the driver domain (1 vCPU, the lab's
 * kernel and a small image with the agent), reached through the driver domain's agent. A VF
 * is assigned to it through vfio-pci behind the IOMMU; the baselines are NICs its QEMU
 * emulates (e1000e) or serves paravirtually (virtio-net with vhost) on a bridge of the
 * driver domain.
 */
#include "guests/guests.h"

const struct iov_guest_ops iov_guest_vm = {
	.name = "vm",
	.help = "a KVM virtual machine in the driver domain: VFs assigned through vfio-pci and the "
		"IOMMU, baselines emulated by its own QEMU",
	.topology_fn = "iov_vm_topology",
	.check_fn = "iov_vm_check",
	.own_kernel = true,
	.console_path = "/run/iov/%s.console",
	.setup_s_per_guest = 120,
	.needs_vm_host = true,
};
