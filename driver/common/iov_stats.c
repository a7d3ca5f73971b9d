// SPDX-License-Identifier: GPL-2.0
/*
 * iovbench instrumentation: per-function counters and their debugfs file
 * /sys/kernel/debug/iovbench/<bdf>/stats in format version 1
 * (driver/common/stats-format.md).
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/log2.h>
#include "iov_compat.h"
#include "iov_stats.h"

/* Serialises reset against layout changes; readers tolerate races. */
static DEFINE_MUTEX(iov_stats_lock);

static void iov_show_hist(struct seq_file *m, const char *key,
			  const u64 *b, unsigned int n, const u64 *keys)
{
	bool first = true;
	unsigned int i;

	seq_printf(m, " %s=", key);
	for (i = 0; i < n; i++) {
		u64 v = READ_ONCE(b[i]);

		if (!v)
			continue;
		seq_printf(m, "%s%llu:%llu", first ? "" : ",", keys[i], v);
		first = false;
	}
}

static int iov_stats_show(struct seq_file *m, void *unused)
{
	struct iov_stats_dev *sd = m->private;
	u64 lat_keys[IOV_LAT_BUCKETS];
	u64 work_keys[IOV_WORK_BUCKETS] = { 0, 1, 2, 4, 8, 16, 32, 0 };
	struct net_device *nd = READ_ONCE(sd->netdev);
	unsigned int i, v, o;

	for (i = 0; i < IOV_LAT_BUCKETS; i++)
		lat_keys[i] = 1ULL << i;

	seq_printf(m, "# iovbench-stats %d\n", IOV_STATS_VERSION);
	seq_printf(m, "dev driver=%s bdf=%s netdev=%s role=%s",
		   sd->driver, pci_name(sd->pdev), nd ? nd->name : "-",
		   sd->is_pf ? "pf" : "vf");
	if (sd->is_pf)
		seq_printf(m, " num_vfs=%d", pci_num_vf(sd->pdev));
	seq_printf(m, " enabled=%d\n", iov_stats_on() ? 1 : 0);

	mutex_lock(&iov_stats_lock);
	for (i = 0; i < IOV_STATS_MAX_VEC; i++) {
		struct iov_irq_stats *s = &sd->irq[i];

		if (!s->used)
			continue;
		seq_printf(m, "irq vec=%u name=%s count=%llu\n", i, s->name,
			   READ_ONCE(s->count));
	}
	for (i = 0; i < IOV_STATS_MAX_NAPI; i++) {
		struct iov_napi_stats *s = &sd->napi[i];

		if (!s->used)
			continue;
		work_keys[IOV_WORK_BUCKETS - 1] = s->budget;
		seq_printf(m, "napi id=%u name=%s budget=%u polls=%llu irqs=%llu rearms=%llu",
			   i, s->name, s->budget, READ_ONCE(s->polls),
			   READ_ONCE(s->irqs), READ_ONCE(s->rearms));
		iov_show_hist(m, "work", s->work, IOV_WORK_BUCKETS, work_keys);
		seq_putc(m, '\n');
	}
	for (v = 0; v < IOV_STATS_MAX_MBX; v++) {
		struct iov_mbx_stats *mb = &sd->mbx[v];
		int vfid = sd->is_pf ? (int)v : -1;

		if (!sd->is_pf && v > 0)
			break;
		if (sd->is_pf && v >= pci_num_vf(sd->pdev))
			break;
		for (o = 0; o < IOV_OP_NUM; o++) {
			struct iov_mbx_op_stats *s = &mb->op[o];

			if (!READ_ONCE(s->count) && !READ_ONCE(s->ack) &&
			    !READ_ONCE(s->nack) && !READ_ONCE(s->timeout))
				continue;
			seq_printf(m, "mbx vf=%d dir=%s op=%s count=%llu ack=%llu nack=%llu timeout=%llu",
				   vfid, sd->is_pf ? "service" : "rtt",
				   iov_mbx_op_name(o), READ_ONCE(s->count),
				   READ_ONCE(s->ack), READ_ONCE(s->nack),
				   READ_ONCE(s->timeout));
			iov_show_hist(m, "lat_ns", s->lat, IOV_LAT_BUCKETS,
				      lat_keys);
			seq_putc(m, '\n');
		}
		for (o = 0; o < IOV_REJ_NUM; o++) {
			u64 c = READ_ONCE(mb->rejected[o]);

			if (c)
				seq_printf(m, "mbx vf=%d dir=rejected op=%s count=%llu\n",
					   vfid, iov_mbx_reject_name(o), c);
		}
	}
	mutex_unlock(&iov_stats_lock);
	return 0;
}

static int iov_stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, iov_stats_show, inode->i_private);
}

static ssize_t iov_stats_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *pos)
{
	struct iov_stats_dev *sd = file_inode(file)->i_private;
	char buf[8] = {};

	if (len == 0 || len > sizeof(buf) - 1)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	if (strcmp(strim(buf), "reset"))
		return -EINVAL;
	iov_stats_reset(sd);
	return len;
}

static const struct file_operations iov_stats_fops = {
	.owner = THIS_MODULE,
	.open = iov_stats_open,
	.read = seq_read,
	.write = iov_stats_write,
	.llseek = seq_lseek,
	.release = single_release,
};

struct iov_stats_dev *iov_stats_register(struct pci_dev *pdev,
					 const char *driver, bool is_pf)
{
	struct iov_stats_dev *sd = kzalloc(sizeof(*sd), GFP_KERNEL);

	if (!sd)
		return NULL;
	sd->pdev = pdev;
	sd->driver = driver;
	sd->is_pf = is_pf;
	sd->dir = debugfs_create_dir(pci_name(pdev), iov_debugfs_root);
	debugfs_create_file("stats", 0600, sd->dir, sd, &iov_stats_fops);
	return sd;
}
EXPORT_SYMBOL_NS_GPL(iov_stats_register, IOV_NS);

void iov_stats_unregister(struct iov_stats_dev *sd)
{
	if (!sd)
		return;
	debugfs_remove_recursive(sd->dir);
	kfree(sd);
}
EXPORT_SYMBOL_NS_GPL(iov_stats_unregister, IOV_NS);

void iov_stats_set_netdev(struct iov_stats_dev *sd, struct net_device *nd)
{
	WRITE_ONCE(sd->netdev, nd);
}
EXPORT_SYMBOL_NS_GPL(iov_stats_set_netdev, IOV_NS);

void iov_stats_reset(struct iov_stats_dev *sd)
{
	unsigned int i;

	/* racing writers may lose an increment; acceptable for a reset */
	mutex_lock(&iov_stats_lock);
	for (i = 0; i < IOV_STATS_MAX_VEC; i++)
		WRITE_ONCE(sd->irq[i].count, 0);
	for (i = 0; i < IOV_STATS_MAX_NAPI; i++) {
		struct iov_napi_stats *s = &sd->napi[i];

		WRITE_ONCE(s->polls, 0);
		WRITE_ONCE(s->irqs, 0);
		WRITE_ONCE(s->rearms, 0);
		memset(s->work, 0, sizeof(s->work));
	}
	memset(sd->mbx, 0, sizeof(sd->mbx));
	mutex_unlock(&iov_stats_lock);
}
EXPORT_SYMBOL_NS_GPL(iov_stats_reset, IOV_NS);

void iov_stats_irq_setup(struct iov_stats_dev *sd, unsigned int vec,
			 const char *name)
{
	if (vec >= IOV_STATS_MAX_VEC)
		return;
	mutex_lock(&iov_stats_lock);
	strscpy(sd->irq[vec].name, name, IOV_STATS_NAME);
	sd->irq[vec].used = true;
	mutex_unlock(&iov_stats_lock);
}
EXPORT_SYMBOL_NS_GPL(iov_stats_irq_setup, IOV_NS);

void iov_stats_napi_setup(struct iov_stats_dev *sd, unsigned int id,
			  const char *name, u32 budget)
{
	if (id >= IOV_STATS_MAX_NAPI)
		return;
	mutex_lock(&iov_stats_lock);
	strscpy(sd->napi[id].name, name, IOV_STATS_NAME);
	sd->napi[id].budget = budget;
	sd->napi[id].used = true;
	mutex_unlock(&iov_stats_lock);
}
EXPORT_SYMBOL_NS_GPL(iov_stats_napi_setup, IOV_NS);

void iov_stats_clear_layout(struct iov_stats_dev *sd)
{
	unsigned int i;

	mutex_lock(&iov_stats_lock);
	for (i = 0; i < IOV_STATS_MAX_VEC; i++)
		sd->irq[i].used = false;
	for (i = 0; i < IOV_STATS_MAX_NAPI; i++)
		sd->napi[i].used = false;
	mutex_unlock(&iov_stats_lock);
}
EXPORT_SYMBOL_NS_GPL(iov_stats_clear_layout, IOV_NS);

static struct iov_mbx_op_stats *iov_mbx_op(struct iov_stats_dev *sd,
					   int vf, int op)
{
	if (!sd || vf < 0 || vf >= IOV_STATS_MAX_MBX || op < 0 ||
	    op >= IOV_OP_NUM)
		return NULL;
	return &sd->mbx[vf].op[op];
}

void iov_stats_mbx_request(struct iov_stats_dev *sd, int vf, int op)
{
	struct iov_mbx_op_stats *s = iov_mbx_op(sd, vf, op);

	if (s && iov_stats_on())
		iov_ctr_inc(s->count);
}
EXPORT_SYMBOL_NS_GPL(iov_stats_mbx_request, IOV_NS);

void iov_stats_mbx_reply(struct iov_stats_dev *sd, int vf, int op,
			 bool ack, u64 lat_ns)
{
	struct iov_mbx_op_stats *s = iov_mbx_op(sd, vf, op);
	unsigned int b;

	if (!s || !iov_stats_on())
		return;
	if (ack)
		iov_ctr_inc(s->ack);
	else
		iov_ctr_inc(s->nack);
	b = lat_ns > 1 ? ilog2(lat_ns) : 0;
	if (b >= IOV_LAT_BUCKETS)
		b = IOV_LAT_BUCKETS - 1;
	iov_ctr_inc(s->lat[b]);
}
EXPORT_SYMBOL_NS_GPL(iov_stats_mbx_reply, IOV_NS);

void iov_stats_mbx_timeout(struct iov_stats_dev *sd, int vf, int op)
{
	struct iov_mbx_op_stats *s = iov_mbx_op(sd, vf, op);

	if (s && iov_stats_on())
		iov_ctr_inc(s->timeout);
}
EXPORT_SYMBOL_NS_GPL(iov_stats_mbx_timeout, IOV_NS);

void iov_stats_mbx_reject(struct iov_stats_dev *sd, int vf, int why)
{
	if (!sd || vf < 0 || vf >= IOV_STATS_MAX_MBX || why < 0 ||
	    why >= IOV_REJ_NUM || !iov_stats_on())
		return;
	iov_ctr_inc(sd->mbx[vf].rejected[why]);
}
EXPORT_SYMBOL_NS_GPL(iov_stats_mbx_reject, IOV_NS);

void iov_trace_mbx(const struct iov_stats_dev *sd, int vf, bool to_vf,
		   const u32 *msg, unsigned int words, u64 lat_ns)
{
	trace_iov_mbx_msg(sd ? pci_name(sd->pdev) : "-", vf, to_vf,
			  msg[0], words, lat_ns);
}
EXPORT_SYMBOL_NS_GPL(iov_trace_mbx, IOV_NS);
