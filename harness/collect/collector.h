/* SPDX-License-Identifier: MIT */
/*
 * collector.h - one ops struct per counter source, after fio's struct ioengine_ops.
 *
 * A collector reads one section of a target snapshot ("=== SECTION [ARG [ARG2]]", guest-lib's
 * iov_snapshot) into a state of its own, and turns the states before and after a repetition
 * into metrics. snapshot.c splits the text and hands each section to the collector that reads
 * it; metrics_compute.c's iov_metrics_counters walks the table in order. A collector without a
 * section takes its input from the repetition (the QEMU ticks, the NAPI trace: struct
 * iov_collect_rep).
 *
 * Adding a collector is one new file, harness/collect/NAME.c, defining one
 * `const struct iov_collector_ops iov_collector_NAME` with designated initialisers, plus its
 * X(NAME) line in the table of collectors.c. A driver-domain source prints its section through
 * .snapshot_sh; one read inside every guest needs its lines in guest-lib.sh's iov_snapshot.
 * Its metrics are catalogued in metrics.c with NAME as their source (test_snapshot checks that
 * every catalogued source is a collector or a tool) and results-schema/METRICS.md regenerated.
 */
#ifndef IOV_COLLECT_COLLECTOR_H
#define IOV_COLLECT_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/cpu_time.h"
#include "collect/interrupts.h"
#include "collect/napi_trace.h"
#include "collect/perf_counts.h"
#include "metrics.h"
#include "util.h"

/* What one repetition's counter metrics are computed over, and what collectors hand on. */
struct iov_collect_rep {
	double seconds; /* the target's uptime after minus before: > 0 */
	/* The topology's endpoints: namespace ("-": the root), netdev, PCI function ("vm1/BDF"). */
	size_t n;
	const char *const *ns, *const *dev, *const *bdf;
	/* Each endpoint's name in the figures: "GUEST/DEV" inside a VM guest (its trace's), else dev. */
	const char *const *figure_name;
	bool own_kernel; /* the guests run their own kernel (VM guests) */
	bool drv_frozen; /* the instrumentation was toggled: our drivers' counters are no measurement */
	bool no_device_irqs; /* the NIC kind raises no interrupts (veth): no interrupt figures, not zero ones */
	const struct iov_napi_trace *trace;	/* NULL: not recorded, or it overran */
	const struct iov_cpu_time_delta *qemu; /* NULL: no hypervisor process measured */
	const struct iov_perf_counts *qemu_perf; /* its threads by perf events over the repetition; NULL: none */

	/* Handed on by earlier collectors of the table to later ones (zero until then). */
	uint64_t packets;	  /* netdev: rx + tx packets of the tested NICs */
	uint64_t irqs;		  /* interrupts: of the tested NICs */
	struct iov_irq_table irq; /* interrupts: the delta, VM guests' own joined in their scope */
	/* kvm: the hist triggers' counts summed over the VM guests, checked by perf_kvm */
	int64_t kvm_exits, kvm_injections; /* 0: none counted (no VM guests) */
};

struct iov_collector_ops {
	const char *name;    /* the "source" of its metrics in the catalogue */
	const char *section; /* the snapshot section it reads; NULL: none (input from struct iov_collect_rep) */
	bool required;	     /* a snapshot without this section is incomplete */
	/*
	 * Shell run in the driver domain that prints the section, appended to every snapshot
	 * (guest-lib loaded; one line, "echo '=== NAME'; cat /proc/FILE"). NULL: guest-lib's
	 * iov_snapshot prints it (the sources read in each guest, the built-in ones).
	 */
	const char *snapshot_sh;
	size_t state_size;   /* bytes of its part of a snapshot, zeroed before the first section */
	/* One section's body into the state; arg and arg2 are the header's words ("" when absent). */
	int (*parse)(void *state, const char *arg, const char *arg2, const char *body, struct iov_err *err);
	void (*free)(void *state); /* NULL: nothing allocated */
	/* States before and after (NULL without a section) -> metrics. NULL: counts only, no metric. */
	int (*metrics)(const void *before, const void *after, struct iov_collect_rep *rep, struct iov_metric_set *set,
		       struct iov_err *err);
};

/*
 * For a collector whose state is entries keyed by a section's argument (a namespace, a guest,
 * a PCI function), each entry starting with its key, char[key_size]: room for one more in
 * *array (n entries of size bytes, room for *cap), zeroed, its key copied. NULL with err set
 * when out of memory or when the key is too long (refused, never cut: what says what it is).
 * The caller counts the entry once it has parsed into it.
 */
void *iov_collector_entry(void *array, size_t n, size_t *cap, size_t size, const char *key, size_t key_size,
			  const char *what, struct iov_err *err);

/* The table, in the order metrics are computed (a collector reads what earlier ones handed on). */
size_t iov_collector_count(void);
const struct iov_collector_ops *iov_collector_at(size_t i);
/* The collector of a snapshot section, or NULL. */
const struct iov_collector_ops *iov_collector_of_section(const char *section, size_t *index);
/* By name, or NULL. */
const struct iov_collector_ops *iov_collector_lookup(const char *name, size_t *index);

#endif
