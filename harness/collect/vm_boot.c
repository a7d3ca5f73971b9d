// SPDX-License-Identifier: MIT
/*
 * vm_boot.c - how long each VM guest took to boot: from its QEMU's start to its agent's first
 * answer, timed by the driver domain's clock, beside the guest kernel's uptime in that answer
 * (guest-lib iov_vm_wait). A boot is reported once, by the first snapshot after it
 * (iov_vm_boot_report), so the repetition whose topology booted the guests carries the figures
 * and the repetitions that reuse the topology carry none. One section per guest:
 *
 *   === vm_boot vm1
 *   boot_s 21.734
 *   kernel_s 12.08
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/collector.h"

struct vm_boot {
	char name[16];
	double boot_s, kernel_s;
};

struct vm_boot_snap {
	size_t n, cap;
	struct vm_boot *v;
};

static int vm_boot_parse(void *state, const char *arg, const char *arg2, const char *body, struct iov_err *err)
{
	struct vm_boot_snap *s = state;
	const char *cur = body, *line;
	bool have_boot = false, have_kernel = false;
	struct vm_boot *b;
	size_t len;

	(void)arg2;
	b = iov_collector_entry(&s->v, s->n, &s->cap, sizeof(*s->v), arg, sizeof(b->name), "VM guest", err);
	if (!b)
		return -1;
	while ((line = iov_next_line(&cur, &len))) {
		char buf[64], extra[2];

		iov_strlcpy_n(buf, sizeof(buf), line, len);
		if (!have_boot && sscanf(buf, "boot_s %lf%1s", &b->boot_s, extra) == 1)
			have_boot = true;
		else if (!have_kernel && sscanf(buf, "kernel_s %lf%1s", &b->kernel_s, extra) == 1)
			have_kernel = true;
		else if (len) {
			iov_err_set(err, "vm_boot %s: unexpected line '%s'", arg, buf);
			return -1;
		}
	}
	if (!have_boot || !have_kernel) {
		iov_err_set(err, "vm_boot %s: needs 'boot_s S' and 'kernel_s S'", arg);
		return -1;
	}
	/* the kernel's clock starts after QEMU's setup and the firmware: never before QEMU's */
	if (!isfinite(b->boot_s) || !isfinite(b->kernel_s) || b->boot_s <= 0 || b->kernel_s <= 0 ||
	    b->kernel_s > b->boot_s) {
		iov_err_set(err, "vm_boot %s: boot %g s, kernel uptime %g s: the kernel cannot have run longer than its VM",
			    arg, b->boot_s, b->kernel_s);
		return -1;
	}
	s->n++;
	return 0;
}

static void vm_boot_free(void *state)
{
	free(((struct vm_boot_snap *)state)->v);
}

static int add_boot(const struct vm_boot *b, struct iov_metric_set *set, double *sum, double *ksum, size_t *n,
		    struct iov_err *err)
{
	if (iov_metric_set_add(set, "vm_boot_s", b->name, b->boot_s, err) ||
	    iov_metric_set_add(set, "vm_boot_kernel_s", b->name, b->kernel_s, err) ||
	    iov_metric_set_add(set, "vm_boot_before_kernel_s", b->name, b->boot_s - b->kernel_s, err))
		return -1;
	*sum += b->boot_s;
	*ksum += b->kernel_s;
	(*n)++;
	return 0;
}

/* The boots either snapshot reported: normally the one before (the topology had just booted). */
static int vm_boot_metrics(const void *before, const void *after, struct iov_collect_rep *rep,
			   struct iov_metric_set *set, struct iov_err *err)
{
	const struct vm_boot_snap *snaps[] = { before, after };
	double sum = 0, ksum = 0;
	size_t n = 0;

	(void)rep;
	for (size_t k = 0; k < IOV_ARRAY_SIZE(snaps); k++)
		for (size_t i = 0; snaps[k] && i < snaps[k]->n; i++)
			if (add_boot(&snaps[k]->v[i], set, &sum, &ksum, &n, err))
				return -1;
	if (!n)
		return 0;
	if (iov_metric_set_add(set, "vm_boot_s", "", sum / (double)n, err) ||
	    iov_metric_set_add(set, "vm_boot_kernel_s", "", ksum / (double)n, err) ||
	    iov_metric_set_add(set, "vm_boot_before_kernel_s", "", (sum - ksum) / (double)n, err))
		return -1;
	return 0;
}

const struct iov_collector_ops iov_collector_vm_boot = {
	.name = "vm_boot",
	.section = "vm_boot",
	.snapshot_sh = "iov_vm_boot_report",
	.state_size = sizeof(struct vm_boot_snap),
	.parse = vm_boot_parse,
	.free = vm_boot_free,
	.metrics = vm_boot_metrics,
};
