// SPDX-License-Identifier: GPL-2.0
/*
 * iovcore: shared layer of the iovbench reference drivers. Owns the
 * debugfs root /sys/kernel/debug/iovbench/, the instrumentation static
 * key (debugfs "enable") and the tracepoints.
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <linux/kstrtox.h>
#include "iov_compat.h"
#include "iov_stats.h"

#define CREATE_TRACE_POINTS
#include "iov_trace.h"

EXPORT_TRACEPOINT_SYMBOL_GPL(iov_napi_poll);
EXPORT_TRACEPOINT_SYMBOL_GPL(iov_mbx_msg);

DEFINE_STATIC_KEY_TRUE(iov_stats_key);
EXPORT_SYMBOL_NS_GPL(iov_stats_key, IOV_NS);

struct dentry *iov_debugfs_root;

static ssize_t iov_enable_read(struct file *f, char __user *buf,
			       size_t len, loff_t *pos)
{
	char s[3] = { iov_stats_on() ? '1' : '0', '\n', 0 };

	return simple_read_from_buffer(buf, len, pos, s, 2);
}

static ssize_t iov_enable_write(struct file *f, const char __user *buf,
				size_t len, loff_t *pos)
{
	bool on;
	int err = kstrtobool_from_user(buf, len, &on);

	if (err)
		return err;
	if (on)
		static_branch_enable(&iov_stats_key);
	else
		static_branch_disable(&iov_stats_key);
	return len;
}

static const struct file_operations iov_enable_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = iov_enable_read,
	.write = iov_enable_write,
	.llseek = default_llseek,
};

static int __init iov_core_init(void)
{
	iov_debugfs_root = debugfs_create_dir("iovbench", NULL);
	debugfs_create_file("enable", 0600, iov_debugfs_root, NULL,
			    &iov_enable_fops);
	return 0;
}

static void __exit iov_core_exit(void)
{
	debugfs_remove_recursive(iov_debugfs_root);
	/* let trace readers finish with our event format strings */
	tracepoint_synchronize_unregister();
}

module_init(iov_core_init);
module_exit(iov_core_exit);
MODULE_DESCRIPTION("iovbench shared driver layer (82576 PF/VF)");
MODULE_LICENSE("GPL");
MODULE_VERSION(IOV_VERSION);
