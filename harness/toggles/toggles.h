/* SPDX-License-Identifier: MIT */
/*
 * toggles.h - one ops struct per toggle: something switched on and off every few seconds inside
 * each repetition while the traffic runs, the receivers' byte counters sampled at each switch
 * (guest-lib iov_toggle), so that neighbouring segments give throughput ratios on/off free of
 * the changes between repetitions (collect/toggle.h): our drivers' instrumentation, a hostile
 * VF and its control. A fault toggle (VF FLR, PF link) injects a fault at each on switch and
 * times the victim's recovery instead (fault.c).
 *
 * An experiment runs at most one toggle: the one whose workload key is non-zero, on the NIC
 * kinds it applies to (the others run the workload plainly). Adding a toggle is one new file,
 * harness/toggles/NAME.c, defining one `const struct iov_toggle_ops iov_toggle_NAME`, its line
 * in the table of toggles.c, its period key in workload.c's table and its switch in guest-lib.
 */
#ifndef IOV_TOGGLES_H
#define IOV_TOGGLES_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "metrics.h"
#include "nics/nics.h"
#include "util.h"
#include "workload.h"

struct iov_toggle_ops {
	const char *name;    /* the subject, in the summary and report: "instrumentation" */
	enum iov_workload_key key; /* its workload key, the period in seconds (0: off) */
	bool (*applies)(enum iov_nic nic); /* the kinds it switches */
	const char *switch_fn;		   /* guest-lib's `FN 1|0|end SEGMENT_FILE` */
	const char *file;		   /* iov_toggle's segment file, in TRAFFIC_OUTDIR and raw/ */
	const char *note;		   /* the experiment's note of on/off ratios (unused with no_ratios) */
	/* A file the switch leaves beside the segments (kept in raw/), and its metrics. NULL: none. */
	const char *extra_file;
	int (*extra_metrics)(const char *text, struct iov_metric_set *set, struct iov_err *err);
	const char *metrics_source; /* those metrics' source in the catalogue (metrics.h) */
	const char *const *summary_rows; /* those metrics in the summary, NULL-terminated; NULL: none */
	unsigned spare_vfs; /* VFs the topology enables beyond the guests' (the switch's own) */
	/* Its switch acts on a receiver's PCI function from the driver domain: namespace guests only
	 * (a VM guest's view of its VF is not the driver domain's). */
	bool netns_only;
	/* Driver counters are no measurement while it runs (they freeze half the time, or cross resets). */
	bool freezes_driver_counters;
	/* Never interleaved with other kinds: the toggle stands for the twin it would be measured against. */
	bool stands_alone;
	/* No on/off ratios: a segment may carry nothing (a fault whose victim never recovers); its
	 * figures are the extra file's metrics alone. */
	bool no_ratios;
	/* The bound on 1 - on/off of the receivers' throughput, in %, and the ratio's words. */
	double max_cost_pct;
	const char *ratio_words; /* "receiver throughput instrumentation on / off" */
	const char *title;	 /* the report's table */
	const char *report_text; /* the report's paragraph before its table: how it was measured */
};

/*
 * A fault toggle's file (guest-lib iov_fault): "fault UPTIME recovered SECONDS" or "fault UPTIME
 * unrecovered" per fault -> fault_count, fault_unrecovered_count, fault_recovery_p50_s and _max_s
 * (only over recovered faults), and those metrics' summary rows.
 */
int iov_toggle_fault_metrics(const char *text, struct iov_metric_set *set, struct iov_err *err);
extern const char *const iov_toggle_fault_rows[];

/* The rules of the toggle keys: one toggle at most, 4 periods, the VFs it needs; via iov_workload_key_error. */
int iov_toggle_validate(const struct iov_workload *wl, struct iov_err *err);
/* The toggle experiment (kind nic, workload wl) runs; NULL: none. */
const struct iov_toggle_ops *iov_toggle_of(enum iov_nic nic, const struct iov_workload *wl);
/* The same from a result document's workload record. */
const struct iov_toggle_ops *iov_toggle_of_doc(enum iov_nic nic, json_t *workload);
/* The toggle whose ratios an experiment's notes hold; NULL: none. */
const struct iov_toggle_ops *iov_toggle_of_notes(json_t *notes);
size_t iov_toggle_count(void);
const struct iov_toggle_ops *iov_toggle_at(size_t i);

#endif
