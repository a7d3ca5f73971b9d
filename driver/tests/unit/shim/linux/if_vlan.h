/* SPDX-License-Identifier: GPL-2.0 */
/* <linux/if_vlan.h> for iovcore's pure code in user space: see iov_kshim.h */
#include <iov_kshim.h>
