// SPDX-License-Identifier: MIT
/* guests.c - the table of guest kinds (see guests.h). */
#include <stddef.h>

#include "guests/guests.h"

static const struct iov_guest_ops *const kinds[IOV_GUEST_COUNT] = {
	[IOV_GUEST_NETNS] = &iov_guest_netns,
	[IOV_GUEST_VM] = &iov_guest_vm,
};

const char *const iov_guest_kind_names[IOV_GUEST_COUNT + 1] = {
	[IOV_GUEST_NETNS] = "netns",
	[IOV_GUEST_VM] = "vm",
};

const struct iov_guest_ops *iov_guest_kind(int kind)
{
	return kind >= 0 && kind < IOV_GUEST_COUNT ? kinds[kind] : NULL;
}
