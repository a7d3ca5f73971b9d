// SPDX-License-Identifier: MIT
/*
 * vf_noinstr.c - our pair with its instrumentation static key off: vf's topology, the switch
 * set before every repetition, so vf and vf-noinstr interleave without a rebuild.
 */
#include "guests/guests.h"
#include "nics/nics.h"

const struct iov_nic_ops iov_nic_vf_noinstr = {
	.name = "vf-noinstr",
	.help = "`vf-noinstr` (our pair with its instrumentation off)",
	.role = IOV_NIC_ROLE_INSTR_OFF,
	.sriov = true,
	.domain = { "iovpf", true },
	.guest = { "iovvf", true },
	.instrumentation = 0,
	.topology_of = &iov_nic_vf,
	.netns_hook = "iov_sriov_topology",
	.guest_kinds = 1u << IOV_GUEST_NETNS,
	.not_offered_why = "it switches the instrumentation in the driver domain's kernel only",
};
