// SPDX-License-Identifier: MIT
/*
 * netns.c - a guest is a network namespace of the driver domain's kernel holding one NIC: no
 * hypervisor between it and the device, the same kernel counts everything.
 */
#include "guests/guests.h"

const struct iov_guest_ops iov_guest_netns = {
	.name = "netns",
	.help = "a network namespace of the driver domain with one NIC (no hypervisor on the path)",
	.topology_fn = "iov_topology",
};
