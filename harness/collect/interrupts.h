/* SPDX-License-Identifier: MIT */
/*
 * interrupts.h - /proc/interrupts snapshots and their deltas.
 *
 * The header names the online CPUs (CPU17 is missing when it is offline, so a column is not a
 * CPU number). Rows carry up to one count per online CPU: numbered IRQs and per-CPU arch rows
 * (NMI, LOC, ...) have all of them, ERR and MIS only one. The rest of a row is its description:
 * chip, hwirq and trigger, then the action names, e.g.
 *    45:  123  456  PCI-MSIX-0000:01:10.0  0-edge  eth1-rx-0
 */
#ifndef IOV_COLLECT_INTERRUPTS_H
#define IOV_COLLECT_INTERRUPTS_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct iov_irq_row {
	char scope[16]; /* "": the driver domain's kernel; else the guest running its own (VM) */
	char id[32];	/* "45", "NMI", "ERR"; "vm1/45" in a guest's scope */
	char desc[192]; /* whitespace collapsed: "PCI-MSIX-0000:01:10.0 0-edge eth1-rx-0" */
	char name[80];	/* last word of desc: the (last) action name for device IRQs; "vm1/eth0-rx-0" */
	unsigned ncounts; /* columns present: ncpus, or fewer (ERR, MIS: 1) */
	uint64_t *counts; /* indexed like cpu_ids */
	uint64_t total;
};

struct iov_irq_table {
	unsigned ncpus;
	unsigned *cpu_ids; /* CPU number of each column */
	size_t n;
	struct iov_irq_row *rows;
	size_t rows_vanished; /* in a delta: rows of `before` gone from `after` (vector freed) */
};

int iov_irq_parse(const char *text, struct iov_irq_table *t, struct iov_err *err);

/*
 * delta = after - before, row by row (matched by id) and CPU by CPU. A row new in `after`
 * counts from zero (its vector was allocated in between). Errors: the CPU set changed, a row
 * changed its description (IRQ number reused), a counter went down.
 */
int iov_irq_delta(const struct iov_irq_table *before, const struct iov_irq_table *after,
		  struct iov_irq_table *delta, struct iov_err *err);

const struct iov_irq_row *iov_irq_find(const struct iov_irq_table *t, const char *id);

/*
 * Does a row belong to a device? pattern is a netdev ("eth1"), a PCI address ("0000:01:10.0"),
 * an action name ("eth1-rx-0")...: it must appear in the description between word boundaries
 * (start, end, space, '-', ',', ':'), so "eth1" matches "eth1-rx-0" but not "eth10". A pattern
 * "SCOPE/PATTERN" matches only rows of that guest's scope, one without a '/' only the driver
 * domain's: a VM guest's VF and a driver-domain device may share a PCI address.
 */
bool iov_irq_row_matches(const struct iov_irq_row *row, const char *pattern);
/* Sum of the totals of the matching rows; *nrows (optional) says how many matched. */
uint64_t iov_irq_sum_matching(const struct iov_irq_table *t, const char *pattern, size_t *nrows);

/*
 * Append src's rows to dst in a guest's scope (a VM guest's own /proc/interrupts delta): ids
 * and names become "SCOPE/..."; a row keeps only its total (one column), since its CPUs are
 * the guest's, not dst's.
 */
int iov_irq_append_scoped(struct iov_irq_table *dst, const struct iov_irq_table *src, const char *scope,
			  struct iov_err *err);

void iov_irq_free(struct iov_irq_table *t);
/* In the interrupts collector's snapshot state (collector.h): a VM guest's own table, or NULL. */
const struct iov_irq_table *iov_irq_snapshot_guest(const void *state, const char *guest);

#endif
