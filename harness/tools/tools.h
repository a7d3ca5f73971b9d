/* SPDX-License-Identifier: MIT */
/*
 * tools.h - one ops struct per traffic tool, after fio's struct ioengine_ops.
 *
 * Whatever depends on a workload's `tool` goes through its ops: the workload keys that apply,
 * the rules between them, the shell run in the target (servers, per-repetition setup, one client
 * per link, cleanup), how long a repetition may take, the kernel trace recorded beside it and how
 * the clients' output becomes metrics. run.c, traffic.c and workload.c hold no per-tool branch.
 *
 * Adding a tool is one new file, harness/tools/NAME.c, defining one
 * `const struct iov_tool_ops iov_tool_NAME` with designated initialisers, plus its line in the
 * table of tools.c. The docs follow: its name in the "tool" enum of
 * results-schema/result.schema.json (test_tools checks they agree), keys of its own as rows of
 * workload.c's key table (listed in its .keys), and workloads/REFERENCE.md regenerated
 * (IOV_UPDATE_REFERENCE=1 make unit).
 */
#ifndef IOV_TOOLS_H
#define IOV_TOOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "metrics.h"
#include "traffic.h"
#include "util.h"
#include "workload.h"

/* The kernel trace a repetition records beside the traffic; run.c starts, stops and parses it. */
enum iov_tool_trace {
	IOV_TOOL_TRACE_NAPI,	/* napi_poll tracepoints: the NAPI trace metrics */
	IOV_TOOL_TRACE_MAILBOX, /* function_graph of the VF driver's mailbox requests: mbx_call_* */
};

/* Shell for all n links of an experiment, appended to out. */
typedef int iov_tool_script_fn(const struct iov_workload *wl, const struct traffic_link *links, size_t n,
			       struct iov_buf *out);

struct iov_tool_ops {
	const char *name; /* `tool = NAME` in workload files, and the result's "tool" */
	/* Its phrase in the reference of the `tool` key: "`NAME` (what it measures)". */
	const char *help;
	/*
	 * The workload keys this tool reads that not every tool does, ended by IOV_KEY_COUNT. A key
	 * no tool lists applies to every tool; one that some list is an error with the others.
	 */
	const enum iov_workload_key *keys;
	/* Rules between the tool's keys, after the table's checks; errors via iov_workload_key_error. NULL: none. */
	int (*validate)(const struct iov_workload *wl, struct iov_err *err);

	/* Long-lived servers, started once per experiment. NULL: none. */
	iov_tool_script_fn *servers;
	/* Before the clients of every repetition (listeners whose pids go to $listeners). NULL: none. */
	iov_tool_script_fn *rep_setup;
	/* Link i's client command, without redirections: traffic.c runs it in the background. */
	int (*client)(const struct iov_workload *wl, const struct traffic_link *l, size_t i, struct iov_buf *out);
	/* After the clients (and the toggler) were waited for. NULL: nothing. */
	iov_tool_script_fn *rep_cleanup;
	/* Seconds the clients of a repetition run at most, before traffic.c's margin. */
	unsigned (*rep_seconds)(const struct iov_workload *wl);

	enum iov_tool_trace trace;

	/*
	 * Client output -> metrics: parse each link's output into a result of result_size bytes,
	 * then metrics over the n parsed results (instances[i] names results[i]); free_result (may
	 * be NULL) releases each parsed result. parse NULL: the clients' output holds no figures
	 * (mailbox: the trace does).
	 */
	size_t result_size;
	int (*parse)(const char *text, size_t len, void *result, struct iov_err *err);
	int (*metrics)(struct iov_metric_set *set, const void *results, const char *const *instances, size_t n,
		       struct iov_err *err);
	void (*free_result)(void *result);

	/* The summary's headline metric for a result's workload (its JSON record), and the rows under it. */
	const char *(*headline)(json_t *workload);
	const char *const *summary_rows; /* NULL-terminated */
};

/* The summary's rows under a traffic tool's headline: interrupts, NAPI, CPU. */
extern const char *const iov_tool_traffic_rows[];

/* NULL when no tool has this name. */
const struct iov_tool_ops *iov_tool_lookup(const char *name);
/* The table, in the order the reference lists the tools. */
size_t iov_tool_count(void);
const struct iov_tool_ops *iov_tool_at(size_t i);
/* Every name, joined by sep: for messages and the reference. */
void iov_tool_names(const char *sep, char *out, size_t size);

/* Does this key apply to a workload of this tool: listed in its .keys, or listed by no tool? */
bool iov_tool_key_applies(const struct iov_tool_ops *tool, enum iov_workload_key key);
/* The tools a key applies to, as messages and the reference name them: "all", or "fio", "a, b". */
void iov_tool_key_owners(enum iov_workload_key key, char *out, size_t size);

#endif
