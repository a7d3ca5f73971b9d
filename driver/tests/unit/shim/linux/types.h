/* SPDX-License-Identifier: GPL-2.0 */
/* <linux/types.h> for iovcore's pure code in user space: see iov_kshim.h */
#include <iov_kshim.h>
