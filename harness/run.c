// SPDX-License-Identifier: MIT
/*
 * run.c - `iovbench run`. One path per repetition, the same for every NIC kind:
 *   topology (guest-lib iov_topology, once per NIC/guests/pattern) -> servers ->
 *   snapshot before + napi trace on -> clients (traffic.c) -> snapshot after + trace off ->
 *   fetch outputs -> deltas (collect/) -> metrics (metrics_compute.c) -> result (result.c),
 *   written atomically after every repetition. Raw inputs are kept under RUN/raw/ so every
 *   figure can be recomputed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"
#include "guests/guests.h"
#include "history.h"
#include "collect/instr_toggle.h"
#include "collect/snapshot.h"
#include "metrics_compute.h"
#include "result.h"
#include "run.h"
#include "suite.h"
#include "summary.h"
#include "tools/tools.h"
#include "traffic.h"

#define SETUP_TIMEOUT_S 240
#define SNAPSHOT_TIMEOUT_S 60
#define MAX_NS (2 * TRAFFIC_MAX_LINKS)

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run a script that must succeed; *out receives its stdout. */
static int guest_ok(struct target *t, const char *script, int timeout_s, char **out, struct iov_err *err)
{
	struct exec_result res;

	if (target_sh(t, script, timeout_s, &res, err))
		return -1;
	if (res.status != 0) {
		/* Nothing on stderr (a step stopped by the timeout): its last output says where it was. */
		const char *why = res.err_len ? res.err : res.out ? res.out : "";
		size_t n = strlen(why);
		char timeout[48] = "";

		if (res.timed_out)
			snprintf(timeout, sizeof(timeout), ", timed out after %d s", timeout_s);
		iov_err_set(err, "guest step failed (exit %d%s): %s%s", res.status, timeout,
			    res.err_len ? "" : "last output: ", n > 300 ? why + n - 300 : why);
		exec_result_free(&res);
		return -1;
	}
	if (out) {
		*out = res.out;
		res.out = NULL;
	}
	exec_result_free(&res);
	return 0;
}

static void save_raw(const char *dir, const char *name, const char *data, size_t len)
{
	char path[4400];
	struct iov_err err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (iov_write_file_atomic(path, data, len, &err))
		fprintf(stderr, "iovbench: warning: %s\n", err.msg);
}

static int mkdir_p(const char *path)
{
	char tmp[4400];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			if (mkdir(tmp, 0755) && errno != EEXIST)
				return -1;
			*p = '/';
		}
	}
	return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

/* The lab configuration an experiment needs: NIC kind, guest count, pattern. */
struct topology {
	bool built;
	int guest_kind; /* enum iov_guest_kind */
	enum iov_nic nic;
	unsigned guests;
	enum iov_pattern pattern;
	char failure[IOV_ERR_MAX]; /* non-empty: this configuration cannot be built */
	const struct iov_workload *servers; /* whose servers run on it, NULL: none started */
	size_t nlinks;
	struct traffic_link links[TRAFFIC_MAX_LINKS];
};

static bool topology_is(const struct topology *tp, const struct iov_experiment *x)
{
	return tp->built && tp->guest_kind == x->workload->guest_kind &&
	       tp->nic == iov_nic_topology(x->nic) && tp->guests == x->guests && tp->pattern == x->pattern;
}

static int topology_build(struct target *t, const struct iov_experiment *x, struct topology *tp,
			  struct iov_err *err)
{
	char script[512], *out = NULL;
	int rc;

	memset(tp, 0, sizeof(*tp));
	tp->built = true;
	tp->guest_kind = x->workload->guest_kind;
	tp->nic = iov_nic_topology(x->nic);
	tp->guests = x->guests;
	tp->pattern = x->pattern;
	/* perf counting starts once the drivers are loaded (their tracepoints exist then) */
	snprintf(script, sizeof(script),
		 "iov_reset\n%s %s %u %s\n"
		 "! command -v iovperf >/dev/null || iov_perf_start >/dev/null ||"
		 " echo 'guest: iovperf did not start: no perf figures' >&2\n",
		 iov_guest_kind(tp->guest_kind)->topology_fn, iov_nic_name(tp->nic), x->guests,
		 iov_pattern_name(x->pattern));
	rc = guest_ok(t, script, SETUP_TIMEOUT_S + (int)x->guests * iov_guest_kind(tp->guest_kind)->setup_s_per_guest,
		      &out, err);
	if (!rc)
		rc = traffic_parse_topology(out, tp->links, TRAFFIC_MAX_LINKS, &tp->nlinks, err);
	free(out);
	if (rc) {
		iov_err_prefix(err, "topology %s/%u %s guests/%s", iov_nic_name(x->nic), x->guests,
			       iov_guest_kind(tp->guest_kind)->name, iov_pattern_name(x->pattern));
		iov_strlcpy(tp->failure, err->msg, sizeof(tp->failure));
	}
	return rc;
}

/* Unique namespaces and netdevs of a topology ("-" is the root namespace). */
static size_t topology_endpoints(const struct topology *tp, const char **ns, const char **dev,
				 const char **bdf)
{
	size_t n = 0;

	for (size_t i = 0; i < tp->nlinks; i++) {
		const struct traffic_link *l = &tp->links[i];
		const char *cand[2][3] = { { l->ns, l->dev, l->bdf },
					   { l->peer_ns, l->peer_dev, l->peer_bdf } };

		for (int c = 0; c < 2; c++) {
			bool dup = false;

			for (size_t j = 0; j < n; j++)
				dup |= !strcmp(ns[j], cand[c][0]) && !strcmp(dev[j], cand[c][1]);
			if (!dup) {
				ns[n] = cand[c][0];
				dev[n] = cand[c][1];
				bdf[n] = cand[c][2];
				n++;
			}
		}
	}
	return n;
}

/* A failed client's stderr: kept with the raw data, its last line becomes the reason. */
static void client_stderr(struct target *t, size_t i, const char *instance, const char *raw,
			  struct iov_err *why)
{
	char path[128], name[64], *data = NULL, *last;
	size_t len;

	snprintf(path, sizeof(path), "%s/client-%zu.err", TRAFFIC_OUTDIR, i);
	if (target_get(t, path, &data, &len, why))
		return;
	snprintf(name, sizeof(name), "client-%s.stderr", instance);
	save_raw(raw, name, data, len);
	while (len && (data[len - 1] == '\n' || data[len - 1] == ' '))
		data[--len] = '\0';
	last = strrchr(data, '\n');
	if (data[0]) {
		iov_err_set(why, "%.300s", last ? last + 1 : data);
	} else {
		/* fio reports errors on stdout, before or inside its JSON. */
		free(data);
		snprintf(path, sizeof(path), "%s/client-%zu.out", TRAFFIC_OUTDIR, i);
		if (target_get(t, path, &data, &len, why))
			return;
		last = strstr(data, "fio: ");
		iov_err_set(why, "%.*s", last ? (int)strcspn(last, "\n") : 12,
			    last ? last : "(no stderr)");
	}
	free(data);
}

/* Client outputs -> traffic metrics (the tool's parser). Returns -1 (reason in err) if any client failed. */
static int client_metrics(struct target *t, const struct iov_workload *wl, const struct topology *tp,
			  const char *raw, struct iov_metric_set *set, struct iov_err *err)
{
	const struct iov_tool_ops *tool = wl->tool;
	char *results = tool->parse ? calloc(tp->nlinks, tool->result_size) : NULL;
	const char *inst[TRAFFIC_MAX_LINKS];
	size_t ok = 0;
	int rc = 0;

	if (tool->parse && !results) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < tp->nlinks; i++) {
		char path[128], name[64], *data = NULL, *rcs = NULL;
		size_t len, rlen;
		struct iov_err perr;
		int status = -1;

		snprintf(path, sizeof(path), "%s/client-%zu.rc", TRAFFIC_OUTDIR, i);
		if (!target_get(t, path, &rcs, &rlen, &perr))
			status = atoi(rcs);
		free(rcs);
		snprintf(path, sizeof(path), "%s/client-%zu.out", TRAFFIC_OUTDIR, i);
		if (target_get(t, path, &data, &len, &perr)) {
			iov_err_set(err, "%s: no client output: %s", tp->links[i].instance, perr.msg);
			rc = -1;
			continue;
		}
		snprintf(name, sizeof(name), "client-%s.json", tp->links[i].instance);
		save_raw(raw, name, data, len);
		if (status != 0)
			client_stderr(t, i, tp->links[i].instance, raw, &perr);
		if (status != 0) {
			iov_err_set(err, "%s: client exit %d: %s", tp->links[i].instance, status, perr.msg);
			rc = -1;
		} else if (!tool->parse) {
			/* the figures come from elsewhere (mailbox: the function_graph trace) */
		} else if (tool->parse(data, len, results + ok * tool->result_size, &perr)) {
			iov_err_set(err, "%s: %s", tp->links[i].instance, perr.msg);
			rc = -1;
		} else {
			inst[ok++] = tp->links[i].instance;
		}
		free(data);
	}
	if (ok && tool->metrics(set, results, inst, ok, err))
		rc = -1;
	for (size_t i = 0; i < ok && tool->free_result; i++)
		tool->free_result(results + i * tool->result_size);
	free(results);
	return rc;
}

/* Counter deltas of one repetition -> metrics. */
/*
 * Guests running their own kernel (VM guests) count their own interrupts: each one's delta
 * joins the driver domain's in its scope, so a topology's "vm1/BDF" selects its rows.
 */
static int irq_add_guests(const struct snapshot *b, const struct snapshot *a, struct iov_irq_table *irq,
			  struct iov_err *err)
{
	for (size_t i = 0; i < b->nguest; i++) {
		const struct snapshot_guest *gb = &b->guest[i], *ga = snapshot_guest(a, gb->name);
		struct iov_irq_table d = { 0 };
		int rc;

		if (!gb->has_irq)
			continue;
		if (!ga || !ga->has_irq) {
			iov_err_set(err, "guest %s: no interrupts after the repetition", gb->name);
			return -1;
		}
		rc = iov_irq_delta(&gb->irq, &ga->irq, &d, err) || iov_irq_append_scoped(irq, &d, gb->name, err);
		iov_irq_free(&d);
		if (rc) {
			iov_err_prefix(err, "guest %s", gb->name);
			return -1;
		}
	}
	return 0;
}

/* Statistics read inside a VM guest ("GUEST/BDF") name its netdev as its trace does: "GUEST/DEV". */
static void scope_drv_netdev(struct iov_drv_stats *s, const char *bdf)
{
	const char *slash = strchr(bdf, '/');
	char scoped[2 * sizeof(s->netdev)];

	if (!slash || slash - bdf > 15)
		return;
	snprintf(scoped, sizeof(scoped), "%.*s/%.31s", (int)(slash - bdf), bdf, s->netdev);
	iov_strlcpy(s->netdev, scoped, sizeof(s->netdev));
}

/*
 * The hypervisor's cost for every guest KVM runs, with the guest's own count of its assigned
 * VF's interrupts (its endpoints' "GUEST/BDF" rows) beside the driver domain's.
 */
static int kvm_metrics(const struct snapshot *b, const struct snapshot *a, const struct iov_irq_table *irq,
		       const char *const *bdf, size_t nbdf, double seconds, uint64_t packets,
		       struct iov_metric_set *set, struct iov_err *err)
{
	struct iov_kvm_counts d[SNAPSHOT_MAX_GUESTS];
	struct iov_kvm_guest g[SNAPSHOT_MAX_GUESTS];
	size_t n = 0;

	for (size_t i = 0; i < b->nguest; i++) {
		const struct snapshot_guest *gb = &b->guest[i], *ga = snapshot_guest(a, gb->name);
		size_t len = strlen(gb->name);

		if (!gb->has_kvm)
			continue;
		if (!ga || !ga->has_kvm) {
			iov_err_set(err, "guest %s: no KVM counts after the repetition", gb->name);
			return -1;
		}
		if (iov_kvm_delta(&gb->kvm, &ga->kvm, &d[n], err)) {
			iov_err_prefix(err, "guest %s", gb->name);
			return -1;
		}
		g[n] = (struct iov_kvm_guest){ .name = gb->name, .delta = &d[n] };
		for (size_t e = 0; e < nbdf; e++)
			if (!strncmp(bdf[e], gb->name, len) && bdf[e][len] == '/')
				g[n].guest_vf_irqs += iov_irq_sum_matching(irq, bdf[e], NULL);
		n++;
	}
	return iov_metrics_kvm(set, g, n, seconds, packets, err);
}

static int counter_metrics(const struct topology *tp, const struct snapshot *b, const struct snapshot *a,
			   const struct iov_cpu_time_delta *qemu, const struct iov_napi_trace *trace,
			   bool drv_frozen, struct iov_metric_set *set, struct iov_err *err)
{
	const char *ns[MAX_NS], *dev[MAX_NS], *bdf[MAX_NS];
	const struct iov_netdev_counters *devc[MAX_NS];
	struct iov_netdev_counters scoped_devc[MAX_NS];
	bool own_kernel = iov_guest_kind(tp->guest_kind)->own_kernel;
	char figure_name[MAX_NS][32];
	struct iov_netdev_table nd[SNAPSHOT_MAX_NS];
	struct iov_drv_stats drv[SNAPSHOT_MAX_DRV];
	struct iov_cpu_pct all, *cpus = NULL;
	struct iov_irq_table irq = { 0 };
	size_t n = topology_endpoints(tp, ns, dev, bdf), ncpus = 0, ndev = 0, ndrv = 0, nnd = 0;
	double seconds = a->uptime_s - b->uptime_s;
	uint64_t packets = 0, irqs = 0;
	int rc = -1;

	if (seconds <= 0) {
		iov_err_set(err, "guest clock did not advance over the repetition");
		return -1;
	}
	if (iov_procstat_delta_pct(&b->stat, &a->stat, &all, &cpus, &ncpus, err) ||
	    iov_metrics_procstat(set, &all, cpus, ncpus, err))
		goto out;
	if (qemu && iov_metrics_cpu_time(set, qemu, err))
		goto out;
	/* Every VM guest may call its NIC eth0: its figures name it as the guest's, "GUEST/DEV",
	 * as its trace does (guest-lib iov_trace_stop). */
	for (size_t i = 0; i < n; i++) {
		if (own_kernel && strcmp(ns[i], "-"))
			snprintf(figure_name[i], sizeof(figure_name[i]), "%.15s/%.15s", ns[i], dev[i]);
		else
			iov_strlcpy(figure_name[i], dev[i], sizeof(figure_name[i]));
	}
	for (size_t i = 0; i < n; i++) {
		const struct iov_netdev_table *tb = snapshot_netdev(b, ns[i]), *ta = snapshot_netdev(a, ns[i]);
		const struct iov_netdev_counters *c;

		if (!tb || !ta) {
			iov_err_set(err, "no /proc/net/dev of namespace %s", ns[i]);
			goto out;
		}
		if (iov_netdev_delta(tb, ta, &nd[nnd], err))
			goto out;
		c = iov_netdev_find(&nd[nnd++], dev[i]);
		if (!c) {
			iov_err_set(err, "netdev %s missing in namespace %s", dev[i], ns[i]);
			goto out;
		}
		scoped_devc[ndev] = *c;
		iov_strlcpy(scoped_devc[ndev].name, figure_name[i], sizeof(scoped_devc[ndev].name));
		devc[ndev] = &scoped_devc[ndev];
		ndev++;
	}
	if (iov_metrics_netdev(set, devc, ndev, seconds, &packets, err))
		goto out;
	{
		/* Every namespace of the snapshot: the topology's and the root (the driver domain). */
		struct iov_udp_mib sum = { 0 }, d;

		for (size_t i = 0; i < b->nsnmp; i++)
			for (size_t j = 0; j < a->nsnmp; j++) {
				if (strcmp(b->snmp[i].ns, a->snmp[j].ns))
					continue;
				if (iov_udp_mib_delta(&b->snmp[i].udp, &a->snmp[j].udp, &d, err))
					goto out;
				sum.in_datagrams += d.in_datagrams;
				sum.out_datagrams += d.out_datagrams;
				sum.rcvbuf_errors += d.rcvbuf_errors;
				sum.sndbuf_errors += d.sndbuf_errors;
			}
		if (iov_metrics_udp_drops(set, &sum, seconds, err))
			goto out;
	}
	/* a kind whose NICs raise no interrupts (veth) has no interrupt figures, not zero ones */
	if (iov_irq_delta(&b->irq, &a->irq, &irq, err) || irq_add_guests(b, a, &irq, err) ||
	    (!iov_nic(tp->nic)->no_device_irqs &&
	     iov_metrics_interrupts(set, &irq, bdf, n, seconds, packets, &irqs, err)))
		goto out;
	if (kvm_metrics(b, a, &irq, bdf, n, seconds, packets, set, err))
		goto out;
	if (b->perf && a->perf) {
		struct iov_perf_counts pd;
		int prc;

		/* a VM guest's polls are in the trace too, not in the driver domain's perf counts */
		prc = iov_perf_delta(b->perf, a->perf, &pd, err) ||
		      iov_metrics_perf(set, &pd, seconds, packets,
				       trace && !own_kernel ? (int64_t)trace->events : -1, err);
		iov_perf_counts_free(&pd);
		if (prc)
			goto out;
	}
	if (trace) {
		const char *napi_dev[MAX_NS];

		for (size_t i = 0; i < n; i++)
			napi_dev[i] = figure_name[i];
		if (iov_metrics_napi_trace(set, trace, napi_dev, n, seconds, irqs, err))
			goto out;
	}
	for (size_t i = 0; i < b->ndrv; i++) {
		for (size_t j = 0; j < a->ndrv; j++) {
			/* Instrumentation off (vf-noinstr) or toggled (instr_toggle_s): frozen or
			 * half-frozen counters are no measurement. */
			if (strcmp(b->drv[i].bdf, a->drv[j].bdf) || !b->drv[i].s.enabled ||
			    !a->drv[j].s.enabled || drv_frozen)
				continue;
			if (iov_drv_stats_delta(&b->drv[i].s, &a->drv[j].s, &drv[ndrv], err))
				goto out;
			scope_drv_netdev(&drv[ndrv], b->drv[i].bdf);
			ndrv++;
		}
	}
	if (ndrv && iov_metrics_driver_stats(set, drv, ndrv, seconds, trace, err))
		goto out;
	{
		struct iov_qstats qd;

		if (iov_qstats_delta(&b->qstats, &a->qstats, &qd, err) ||
		    iov_metrics_qstats(set, &qd, seconds, err))
			goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; i < ndrv; i++)
		iov_drv_stats_free(&drv[i]);
	for (size_t i = 0; i < nnd; i++)
		iov_netdev_free(&nd[i]);
	iov_irq_free(&irq);
	free(cpus);
	return rc;
}

/* The toggler's segments of this repetition (instr_toggle_s): raw copy, ratios appended. */
static int instr_toggle_collect(struct target *t, const char *raw, json_t *ratios, struct iov_err *err)
{
	char *text = NULL;
	double *r = NULL;
	size_t len = 0, n = 0;
	int rc = -1;

	if (target_get(t, TRAFFIC_OUTDIR "/" TRAFFIC_INSTR_TOGGLE_FILE, &text, &len, err))
		return -1;
	save_raw(raw, TRAFFIC_INSTR_TOGGLE_FILE, text, len);
	if (iov_instr_toggle_ratios(text, &r, &n, err))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (json_array_append_new(ratios, json_real(r[i]))) {
			iov_err_set(err, "out of memory");
			goto out;
		}
	rc = 0;
out:
	free(text);
	free(r);
	return rc;
}

/* Guests with a console of their own (VM guests): a copy with each repetition's raw data. */
static void keep_guest_consoles(struct target *t, const struct topology *tp, const char *raw)
{
	const struct iov_guest_ops *g = iov_guest_kind(tp->guest_kind);
	const char *ns[MAX_NS], *dev[MAX_NS], *bdf[MAX_NS];
	size_t n = topology_endpoints(tp, ns, dev, bdf);

	for (size_t i = 0; g->console_path && i < n; i++) {
		char path[128], name[64], *data = NULL;
		size_t len;
		struct iov_err err;

		if (!strcmp(ns[i], "-"))
			continue;
		snprintf(path, sizeof(path), g->console_path, ns[i]);
		snprintf(name, sizeof(name), "%s.console", ns[i]);
		if (target_get(t, path, &data, &len, &err))
			fprintf(stderr, "iovbench: warning: console of %s: %s\n", ns[i], err.msg);
		else
			save_raw(raw, name, data, len);
		free(data);
	}
}

/*
 * One repetition, from the first snapshot to the metrics. rep_err gets why it failed.
 * toggle_ratios: the experiment toggles the instrumentation; this rep's on/off ratios go there.
 */
static int run_rep(struct target *t, const struct iov_experiment *x, const struct topology *tp,
		   const char *traffic, const char *raw, json_t *toggle_ratios, struct iov_metric_set *set,
		   struct iov_err *rep_err)
{
	const char *ns[MAX_NS], *dev[MAX_NS], *bdf[MAX_NS];
	size_t n = topology_endpoints(tp, ns, dev, bdf);
	struct iov_buf snap = { 0 };
	struct iov_proc_ticks qb = { 0 }, qa = { 0 };
	struct iov_cpu_time_delta qd = { 0 }, *qdp = NULL;
	struct iov_napi_trace *trace = calloc(1, sizeof(*trace));
	struct snapshot before = { 0 }, after = { 0 };
	struct iov_fgraph fg = { 0 };
	bool mailbox = x->workload->tool->trace == IOV_TOOL_TRACE_MAILBOX;
	struct iov_buf before_script = { 0 }, after_script = { 0 };
	char *out_b = NULL, *out_a = NULL, *tr = NULL;
	size_t trlen = 0;
	struct iov_err err = { "" };
	int rc = -1, client_rc;
	const char *ov;

	struct iov_buf guests = { 0 };

	iov_buf_printf(&guests, "%s", "");
	for (size_t i = 0; i < n; i++)
		if (strcmp(ns[i], "-"))
			iov_buf_printf(&guests, " %s", ns[i]);
	iov_buf_printf(&snap, "iov_snapshot%s\niov_qstats", guests.data);
	for (size_t i = 0; i < n; i++)
		iov_buf_printf(&snap, " %s/%s", ns[i], dev[i]);
	if (!trace || !snap.data) {
		iov_err_set(rep_err, "out of memory");
		goto out;
	}
	if (t->hypervisor_pid && iov_proc_ticks_read("/proc", t->hypervisor_pid, &qb, &err))
		goto fail;
	/*
	 * One round trip each side: instrumentation switch and counters, then tracing on; tracing
	 * off, then counters. The switch is set every repetition: vf and vf-noinstr share a topology.
	 */
	if (iov_nic_instrumentation(x->nic) >= 0)
		iov_buf_printf(&before_script, "iov_instrumentation %d || exit 1\n",
			       iov_nic_instrumentation(x->nic));
	iov_buf_printf(&before_script, "%s\n%s%s\n", snap.data,
		       mailbox ? "iov_fgraph_start \"$IOV_MBX_FUNCS\"" : "iov_trace_start", guests.data);
	iov_buf_printf(&after_script, "%s %s/trace%s\n%s\n",
		       mailbox ? "iov_fgraph_stop" : "iov_trace_stop", TRAFFIC_OUTDIR, guests.data, snap.data);
	if (!before_script.data || !after_script.data) {
		iov_err_set(&err, "out of memory");
		goto fail;
	}
	if (guest_ok(t, before_script.data, SNAPSHOT_TIMEOUT_S, &out_b, &err) ||
	    guest_ok(t, traffic, traffic_rep_timeout_s(x->workload), NULL, &err) ||
	    guest_ok(t, after_script.data, SNAPSHOT_TIMEOUT_S, &out_a, &err))
		goto fail;
	if (t->hypervisor_pid) {
		if (iov_proc_ticks_read("/proc", t->hypervisor_pid, &qa, &err) ||
		    iov_cpu_time_delta(&qb, &qa, &qd, &err))
			goto fail;
		qdp = &qd;
	}
	save_raw(raw, "snapshot-before.txt", out_b, strlen(out_b));
	save_raw(raw, "snapshot-after.txt", out_a, strlen(out_a));
	ov = strstr(out_a, "trace_overrun=");
	if (target_get(t, TRAFFIC_OUTDIR "/trace", &tr, &trlen, &err))
		goto fail;
	save_raw(raw, mailbox ? "mailbox-fgraph.trace" : "napi.trace", tr, trlen);
	if (mailbox) {
		/* Calls lost to an overrun would bias the percentiles: then report none. */
		free(trace);
		trace = NULL;
		if (!ov || atoi(ov + 14) != 0)
			fprintf(stderr, "iovbench: warning: mailbox trace overran, call timings skipped\n");
		else if (iov_fgraph_parse(tr, &fg, &err) || iov_metrics_fgraph(set, &fg, &err))
			goto fail;
	} else if (ov && atoi(ov + 14) == 0) {
		if (iov_napi_trace_parse(tr, trace, &err))
			goto fail;
	} else {
		/* A trace that lost events would undercount polls: leave NAPI trace metrics out. */
		fprintf(stderr, "iovbench: warning: napi trace overran (%s), NAPI trace metrics skipped\n",
			ov ? ov : "no overrun count");
		free(trace);
		trace = NULL;
	}
	if (snapshot_parse(out_b, &before, &err) || snapshot_parse(out_a, &after, &err))
		goto fail;
	/* vf and vf-noinstr differ only by this switch: a rep that ran with the other state is void. */
	for (size_t i = 0; i < before.ndrv; i++)
		if (iov_nic_instrumentation(x->nic) >= 0 && before.drv[i].s.enabled != iov_nic_instrumentation(x->nic)) {
			iov_err_set(&err, "%s: our drivers' instrumentation is %s, the %s kind needs it %s",
				    before.drv[i].bdf, before.drv[i].s.enabled ? "on" : "off", iov_nic_name(x->nic),
				    iov_nic_instrumentation(x->nic) ? "on" : "off");
			goto fail;
		}
	if (toggle_ratios && instr_toggle_collect(t, raw, toggle_ratios, &err))
		goto fail;
	client_rc = client_metrics(t, x->workload, tp, raw, set, rep_err);
	if (counter_metrics(tp, &before, &after, qdp, trace, toggle_ratios != NULL, set, &err))
		goto fail;
	rc = client_rc;
	goto out;
fail:
	iov_strlcpy(rep_err->msg, err.msg, sizeof(rep_err->msg));
out:
	snapshot_free(&before);
	snapshot_free(&after);
	iov_fgraph_free(&fg);
	iov_proc_ticks_free(&qb);
	iov_proc_ticks_free(&qa);
	iov_cpu_time_delta_free(&qd);
	iov_buf_free(&snap);
	iov_buf_free(&guests);
	free(out_b);
	free(out_a);
	free(tr);
	iov_buf_free(&before_script);
	iov_buf_free(&after_script);
	free(trace);
	return rc;
}

/* Text a command prints on the host (first line), or NULL. */
static char *host_line(const char *cmd)
{
	char buf[512];
	FILE *p = popen(cmd, "r");
	char *s = NULL;

	if (!p)
		return NULL;
	if (fgets(buf, sizeof(buf), p)) {
		buf[strcspn(buf, "\n")] = '\0';
		s = strdup(buf);
	}
	pclose(p);
	return s;
}

struct env_strings {
	char *qemu, *guest_kernel, *cpu, *git, *drivers_text, *iperf3, *fio;
	struct utsname uts;
	struct iov_env_driver drv[2 * IOV_NIC_COUNT], tools[2];
	size_t ndrv;
};

/*
 * "MODULE VERSION" of every driver the NIC kinds load: ours carry the tree's git revision;
 * in-tree drivers have none, theirs is the kernel's.
 */
static const char *drivers_script(char *buf, size_t size)
{
	const struct iov_nic_driver *d[2 * IOV_NIC_COUNT];
	size_t n = iov_nic_drivers(d, IOV_ARRAY_SIZE(d)), used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++) {
		snprintf(buf + used, size - used,
			 d[i]->ours ? "echo \"%s $(modinfo -F version %s 2>/dev/null || echo unknown)\"\n"
				    : "echo \"%s $(uname -r)\"\n",
			 d[i]->module, d[i]->module);
		used += strlen(buf + used);
	}
	return buf;
}

static void env_collect(struct target *t, const char *tree, struct iov_env *env, struct env_strings *es)
{
	char cmd[4200], drivers_cmd[2048];
	struct iov_err err;

	memset(env, 0, sizeof(*env));
	uname(&es->uts);
	snprintf(cmd, sizeof(cmd), "git -C '%s' describe --always --dirty --abbrev=12 2>/dev/null", tree);
	es->git = host_line(cmd);
	es->cpu = host_line("sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1");
	es->qemu = t->ops->hypervisor_version_cmd ? host_line(t->ops->hypervisor_version_cmd) : NULL;
	if (guest_ok(t, "uname -r", 30, &es->guest_kernel, &err) == 0)
		es->guest_kernel[strcspn(es->guest_kernel, "\n")] = '\0';
	if (guest_ok(t, drivers_script(drivers_cmd, sizeof(drivers_cmd)), 60, &es->drivers_text, &err) == 0) {
		char *save = NULL;

		for (char *line = strtok_r(es->drivers_text, "\n", &save); line && es->ndrv < IOV_ARRAY_SIZE(es->drv);
		     line = strtok_r(NULL, "\n", &save)) {
			char *sp = strchr(line, ' ');

			if (!sp)
				continue;
			*sp = '\0';
			es->drv[es->ndrv].name = line;
			es->drv[es->ndrv].version = sp + 1;
			es->ndrv++;
		}
	}
	if (guest_ok(t, "iperf3 --version | head -n1 | cut -d' ' -f1,2", 30, &es->iperf3, &err) == 0 &&
	    guest_ok(t, "fio --version", 30, &es->fio, &err) == 0) {
		es->iperf3[strcspn(es->iperf3, "\n")] = '\0';
		es->fio[strcspn(es->fio, "\n")] = '\0';
		es->tools[0] = (struct iov_env_driver){ "iperf3", es->iperf3 };
		es->tools[1] = (struct iov_env_driver){ "fio", es->fio };
		env->tools = es->tools;
		env->ntools = 2;
	}
	env->qemu_version = es->qemu;
	env->accelerator = t->ops->accelerator(t);
	env->guest_kernel = es->guest_kernel;
	env->host_kernel = es->uts.release;
	env->host_cpu_model = es->cpu;
	env->host_cores = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	env->git_revision = es->git;
	env->drivers = es->drv;
	env->ndrivers = es->ndrv;
}

static void env_free(struct env_strings *es)
{
	free(es->qemu);
	free(es->guest_kernel);
	free(es->cpu);
	free(es->git);
	free(es->drivers_text);
	free(es->iperf3);
	free(es->fio);
}

static void fmt_duration(char *buf, size_t len, double s)
{
	if (s < 0)
		s = 0;
	if (s >= 3600)
		snprintf(buf, len, "%dh%02dm", (int)(s / 3600), (int)(s / 60) % 60);
	else
		snprintf(buf, len, "%dm%02ds", (int)(s / 60), (int)s % 60);
}

static bool needs_vm_host(const struct iov_experiment *x)
{
	return iov_guest_kind(x->workload->guest_kind)->needs_vm_host;
}

/*
 * The run's target: a lab in RUN/lab that dies with the harness, or the host. A lab for VM
 * guests boots as their host (IOMMU, the VM add-on, the memory they need); one for namespace
 * guests without, so no IOMMU bends their figures.
 */
static int open_target(const struct run_options *opt, bool vm_host, const char *run_dir, struct target *t,
		       struct iov_err *err)
{
	struct target_config tc = opt->target;
	char labdir[4200];

	snprintf(labdir, sizeof(labdir), "%s/lab", run_dir);
	tc.lab.dir = labdir;
	tc.lab.tie_to_parent = true;
	if (tc.ops->as_vm_host && vm_host)
		tc.ops->as_vm_host(&tc);
	fprintf(stderr, "iovbench: starting the %s target%s\n", tc.ops->name,
		tc.ops->as_vm_host && vm_host ? " as the VM guests' host" : "");
	if (target_open(&tc, t, err))
		return -1;
	if (t->ops->announce)
		t->ops->announce(t);
	return 0;
}

/*
 * Every guest kind the plan uses on this target can run there (KVM, an IOMMU, QEMU for VM
 * guests), checked before any of its experiments starts, the first missing piece named. A
 * lab boots as one kind of host at a time (vm_host): only its kinds are checked.
 */
static int check_guest_kinds(struct target *t, const struct iov_plan *plan, bool vm_host, struct iov_err *err)
{
	bool used[IOV_GUEST_COUNT] = { false };

	for (size_t i = 0; i < plan->n; i++)
		if (!t->ops->as_vm_host || needs_vm_host(&plan->experiments[i]) == vm_host)
			used[plan->experiments[i].workload->guest_kind] = true;
	for (int k = 0; k < IOV_GUEST_COUNT; k++) {
		const struct iov_guest_ops *g = iov_guest_kind(k);

		if (!used[k] || !g->check_fn)
			continue;
		if (guest_ok(t, g->check_fn, SETUP_TIMEOUT_S, NULL, err)) {
			iov_err_prefix(err, "%s guests cannot run on this target", g->name);
			return -1;
		}
	}
	return 0;
}

/* What an experiment ran, kept with its numbers: the topology and the exact commands. */
static void note_experiment(struct iov_result *res, const char *exp_id, const struct topology *tp,
			    const char *servers, const char *traffic)
{
	json_t *links = json_array();
	struct iov_err err;

	for (size_t i = 0; i < tp->nlinks; i++) {
		const struct traffic_link *l = &tp->links[i];

		json_array_append_new(links, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
						       "instance", l->instance, "ns", l->ns, "dev", l->dev,
						       "addr", l->addr, "bdf", l->bdf, "peer_ns", l->peer_ns,
						       "peer_dev", l->peer_dev, "peer_addr", l->peer_addr,
						       "peer_bdf", l->peer_bdf));
	}
	if (iov_result_note(res, exp_id, "topology", links, &err) ||
	    iov_result_note(res, exp_id, "servers_script", json_string(servers ? servers : ""), &err) ||
	    iov_result_note(res, exp_id, "repetition_script", json_string(traffic), &err))
		fprintf(stderr, "iovbench: warning: %s\n", err.msg);
}

/*
 * The experiment's topology, built unless it stands, and the servers of its workload, started
 * unless they run on it. Non-zero when the configuration cannot run: tp->failure says why.
 */
static int prepare_topology(struct target *t, const struct iov_experiment *x, struct topology *tp,
			    struct iov_buf *servers, struct iov_err *err)
{
	if (!topology_is(tp, x) && topology_build(t, x, tp, err))
		return -1;
	if (tp->failure[0])
		return -1;
	if (tp->servers == x->workload)
		return 0;
	/* another tool may have run on this topology */
	iov_buf_free(servers);
	iov_buf_printf(servers, "killall -q iperf3 fio; sleep 0.2\n");
	traffic_servers_script(x->workload, tp->links, tp->nlinks, servers);
	if (guest_ok(t, servers->data, SETUP_TIMEOUT_S, NULL, err)) {
		iov_strlcpy(tp->failure, err->msg, sizeof(tp->failure));
		return -1;
	}
	tp->servers = x->workload;
	return 0;
}

/* Member g of an interleaved group: the others, in the order of its first repetition. */
static void note_group(struct iov_result *res, const struct iov_plan *plan, const size_t *member, size_t n,
		       size_t g)
{
	json_t *others = json_array();
	struct iov_err err;

	for (size_t k = 0; k < n; k++)
		if (k != g)
			json_array_append_new(others, json_string(plan->experiments[member[k]].id));
	if (iov_result_note(res, plan->experiments[member[g]].id, IOV_NOTE_INTERLEAVED_WITH, others, &err))
		fprintf(stderr, "iovbench: warning: %s\n", err.msg);
}

/* The target never came up: the document still says what was planned and why nothing ran. */
static void record_not_run(const char *run_id, const char *path, const struct iov_suite *suite,
			   const struct iov_plan *plan, const char *command_line, const char *why)
{
	struct iov_env env = { .command_line = command_line };
	struct iov_result *res;
	struct iov_err err;
	struct utsname uts;

	uname(&uts);
	env.host_kernel = uts.release;
	res = iov_result_new(run_id, path, &env, &err);
	if (!res || iov_result_add_plan(res, suite, plan, &err))
		goto out;
	for (size_t i = 0; i < plan->n; i++)
		if (iov_result_experiment_fail(res, plan->experiments[i].id, why, &err))
			goto out;
	if (iov_result_finish(res, &err) || iov_result_write(res, &err))
		goto out;
	fprintf(stderr, "iovbench: nothing ran; the reason is recorded in %s\n", path);
out:
	iov_result_free(res);
}

static int load_plan(const struct run_options *opt, struct iov_catalogue *cat, struct iov_suite *suite,
		     struct iov_plan *plan, struct iov_err *err)
{
	struct iov_override ov[6];
	size_t nov = 0;

	if (opt->reps)
		ov[nov++] = (struct iov_override){ "reps", opt->reps };
	if (opt->duration_s)
		ov[nov++] = (struct iov_override){ "duration_s", opt->duration_s };
	if (opt->guests)
		ov[nov++] = (struct iov_override){ "guests", opt->guests };
	if (opt->nic)
		ov[nov++] = (struct iov_override){ "nic", opt->nic };
	if (opt->interleave)
		ov[nov++] = (struct iov_override){ "interleave", opt->interleave };
	if (opt->guest_kind)
		ov[nov++] = (struct iov_override){ "guest_kind", opt->guest_kind };
	if (iov_catalogue_load(opt->workload_dir, cat, err))
		return -1;
	if (opt->nworkloads ? iov_suite_from_workloads(cat, opt->workloads, opt->nworkloads, ov, nov, suite, err)
			    : iov_suite_load_named(opt->workload_dir, opt->suite ? opt->suite : "default", cat,
						   ov, nov, suite, err))
		return -1;
	return iov_plan_build(suite, plan, err);
}

int iov_run(const struct run_options *opt)
{
	struct iov_catalogue cat = { 0 };
	struct iov_suite suite = { 0 };
	struct iov_plan plan = { 0 };
	struct iov_result *res = NULL;
	struct target t;
	struct topology tp = { 0 };
	struct iov_env env;
	struct env_strings es = { 0 };
	struct iov_err err = { "" };
	struct iov_buf servers = { 0 }, traffic = { 0 };
	char run_id[128], *result_path = NULL, tree[4096], eta[32], run_dir[4096];
	unsigned long long reps_total = 0, reps_done = 0;
	bool *done = NULL;
	double start;
	bool target_up = false, vm_host;
	int exit_code = 2;

	if (load_plan(opt, &cat, &suite, &plan, &err)) {
		fprintf(stderr, "iovbench: %s\n", err.msg);
		goto out;
	}
	for (size_t i = 0; i < plan.n; i++) {
		enum iov_nic nic = plan.experiments[i].nic;

		reps_total += plan.experiments[i].workload->reps;
		/* Baseline pairs are QEMU NICs cabled back to back: only the lab has them. */
		if (!opt->target.ops->nic_pairs && iov_nic(nic)->lab_only) {
			fprintf(stderr, "iovbench: %s: the %s baseline exists only in the lab; "
					"use --nic vf,vf-inbox with --target host\n",
				plan.experiments[i].id, iov_nic_name(nic));
			goto out;
		}
	}
	iov_run_id_format(run_id, sizeof(run_id), time(NULL), suite.name);
	/* Two runs started within the same second get distinct ids. */
	for (int n = 2; iov_run_dir_create(opt->out_dir, run_id, &result_path, &err); n++) {
		char dir[4400];
		struct stat st;

		snprintf(dir, sizeof(dir), "%s/%s", opt->out_dir, run_id);
		if (n > 99 || stat(dir, &st)) {
			fprintf(stderr, "iovbench: %s\n", err.msg);
			goto out;
		}
		iov_run_id_format(run_id, sizeof(run_id), time(NULL), suite.name);
		snprintf(run_id + strlen(run_id), sizeof(run_id) - strlen(run_id), "-%d", n);
	}
	snprintf(run_dir, sizeof(run_dir), "%s/%s", opt->out_dir, run_id);
	fprintf(stderr, "iovbench: run %s: suite %s, %zu experiments, %llu repetitions, %llu s measured\n",
		run_id, suite.name, plan.n, reps_total, iov_plan_measured_seconds(&plan));

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	vm_host = needs_vm_host(&plan.experiments[0]);
	if (open_target(opt, vm_host, run_dir, &t, &err)) {
		fprintf(stderr, "iovbench: %s\n", err.msg);
		record_not_run(run_id, result_path, &suite, &plan, opt->command_line, err.msg);
		goto out;
	}
	target_up = true;
	if (check_guest_kinds(&t, &plan, vm_host, &err)) {
		fprintf(stderr, "iovbench: %s\n", err.msg);
		record_not_run(run_id, result_path, &suite, &plan, opt->command_line, err.msg);
		goto out;
	}
	snprintf(tree, sizeof(tree), "%s/..", opt->workload_dir);
	env_collect(&t, tree, &env, &es);
	env.command_line = opt->command_line;
	res = iov_result_new(run_id, result_path, &env, &err);
	if (!res || iov_result_add_plan(res, &suite, &plan, &err) || iov_result_write(res, &err)) {
		fprintf(stderr, "iovbench: %s\n", err.msg);
		goto out;
	}

	done = calloc(plan.n, sizeof(*done));
	if (!done) {
		iov_err_set(&err, "out of memory");
		goto fatal;
	}
	start = now_s();
	for (size_t i = 0; i < plan.n && !interrupted; i++) {
		/* An experiment alone, or the group of kinds measured interleaved with it (iov_plan_group). */
		size_t member[IOV_NIC_COUNT], ng;
		bool noted[IOV_NIC_COUNT] = { false }, failed[IOV_NIC_COUNT] = { false }, target_lost = false;
		const struct iov_workload *wl = plan.experiments[i].workload; /* one entry: the same for all */

		if (done[i])
			continue;
		ng = iov_plan_group(&plan, i, member);
		for (size_t g = 0; g < ng; g++) {
			done[member[g]] = true;
			if (iov_result_experiment_begin(res, plan.experiments[member[g]].id, &err))
				goto fatal;
		}
		if (!target_alive(&t) || (t.ops->as_vm_host && needs_vm_host(&plan.experiments[i]) != vm_host)) {
			/* The plan puts the VM guests' experiments first: at most one switch of host. */
			bool switching = target_alive(&t);

			fprintf(stderr, "iovbench: %s\n",
				!switching ? "the target is gone; rebooting it"
				: vm_host  ? "the next experiments have namespace guests: rebooting the lab without the VM host"
					   : "the next experiments have VM guests: rebooting the lab as their host");
			target_close(&t);
			target_up = false;
			memset(&tp, 0, sizeof(tp));
			vm_host = needs_vm_host(&plan.experiments[i]);
			if (open_target(opt, vm_host, run_dir, &t, &err) ||
			    (switching && check_guest_kinds(&t, &plan, vm_host, &err))) {
				for (size_t g = 0; g < ng; g++)
					iov_result_experiment_fail(res, plan.experiments[member[g]].id, err.msg, &err);
				iov_result_write(res, &err);
				if (target_alive(&t))
					target_up = true;
				break;
			}
			target_up = true;
		}
		for (unsigned rep = 0; rep < wl->reps && !interrupted && !target_lost; rep++) {
			for (size_t k = 0; k < ng && !interrupted; k++) {
				size_t g = iov_group_order(ng, rep, k), gi = member[g];
				const struct iov_experiment *xe = &plan.experiments[gi];
				struct iov_metric_set set = { 0 };
				struct iov_err rerr = { "" };
				char raw[4300];
				double elapsed = now_s() - start;
				json_t *ratios = NULL;
				int rc;

				if (failed[g])
					continue;
				if (prepare_topology(&t, xe, &tp, &servers, &err)) {
					fprintf(stderr, "iovbench: [%zu/%zu] %s: cannot run: %s\n", gi + 1, plan.n, xe->id,
						tp.failure);
					failed[g] = true;
					reps_done += wl->reps - rep;
					/* repetitions measured before the rebuild failed stay; the rest failed */
					for (unsigned r = rep; noted[g] && r < wl->reps; r++)
						if (iov_result_rep_done(res, xe->id, r, false, tp.failure, &err))
							goto fatal;
					if ((!noted[g] && iov_result_experiment_fail(res, xe->id, tp.failure, &err)) ||
					    iov_result_write(res, &err))
						goto fatal;
					continue;
				}
				iov_buf_free(&traffic);
				if (traffic_rep_script(wl, tp.links, tp.nlinks, iov_experiment_toggles_instr(xe), &traffic)) {
					iov_err_set(&err, "out of memory");
					goto fatal;
				}
				if (!noted[g]) {
					noted[g] = true;
					note_experiment(res, xe->id, &tp, servers.data, traffic.data);
					if (ng > 1)
						note_group(res, &plan, member, ng, g);
				}
				fmt_duration(eta, sizeof(eta),
					     reps_done ? elapsed / reps_done * (reps_total - reps_done)
						       : (double)iov_plan_measured_seconds(&plan) * 1.5);
				fprintf(stderr, "iovbench: [%zu/%zu] %s rep %u/%u%s (about %s left)\n", gi + 1, plan.n,
					xe->id, rep + 1, wl->reps, ng > 1 ? " (interleaved)" : "", eta);
				snprintf(raw, sizeof(raw), "%s/raw/%s/rep-%u", run_dir, xe->id, rep + 1);
				mkdir_p(raw);
				if (iov_experiment_toggles_instr(xe)) {
					/* the ratios so far, this repetition's appended */
					ratios = json_object_get(json_object_get(iov_doc_experiment(iov_result_json(res), xe->id),
										 "notes"), IOV_NOTE_INSTR_TOGGLE);
					ratios = ratios ? json_incref(ratios) : json_array();
				}
				rc = run_rep(&t, xe, &tp, traffic.data, raw, ratios, &set, &rerr);
				if (target_alive(&t))
					keep_guest_consoles(&t, &tp, raw);
				if (ratios && iov_result_note(res, xe->id, IOV_NOTE_INSTR_TOGGLE, ratios, &err))
					fprintf(stderr, "iovbench: warning: %s\n", err.msg);
				if (set.n && iov_result_add_values(res, xe->id, rep, &set, &err))
					fprintf(stderr, "iovbench: %s\n", err.msg);
				if (rc)
					fprintf(stderr, "iovbench: %s rep %u failed: %s\n", xe->id, rep + 1, rerr.msg);
				if (iov_result_rep_done(res, xe->id, rep, rc == 0, rc ? rerr.msg : NULL, &err) ||
				    iov_result_write(res, &err))
					goto fatal;
				iov_metric_set_free(&set);
				reps_done++;
				if (rc && !target_alive(&t)) {
					/* the reboot starts a new console log: keep the one that shows the crash */
					if (t.ops->console_log) {
						size_t len;
						char *con = iov_read_file(t.ops->console_log(&t), &len, &err);

						if (con) {
							save_raw(raw, "console-of-the-lost-target.log", con, len);
							fprintf(stderr, "iovbench: the guest console up to the loss: "
									"%s/console-of-the-lost-target.log\n", raw);
						}
						free(con);
					}
					target_lost = true;
					break;
				}
			}
		}
		/* an experiment that never ran was closed by iov_result_experiment_fail */
		for (size_t g = 0; g < ng; g++)
			if ((!failed[g] || noted[g]) &&
			    (iov_result_experiment_end(res, plan.experiments[member[g]].id, &err) ||
			     iov_result_write(res, &err)))
				goto fatal;
	}
	if (interrupted)
		fprintf(stderr, "iovbench: interrupted by signal %d; the result keeps what was measured\n",
			(int)interrupted);
	if (iov_result_finish(res, &err) || iov_result_write(res, &err))
		goto fatal;
	{
		json_t *st = json_object_get(iov_result_json(res), "status");

		exit_code = st && !strcmp(json_string_value(st), "complete") ? 0 : 1;
	}
	/* A run missing from the history would let the gates judge an older one: an error, not a warning. */
	if (iov_history_record(opt->out_dir, iov_result_json(res), &err)) {
		fprintf(stderr, "iovbench: error: %s (the result is kept in %s: iovbench history add records it)\n",
			err.msg, result_path);
		exit_code = 2;
	}
	iov_summary_print(stdout, iov_result_json(res));
	printf("\nresult: %s\n", result_path);
	goto out;
fatal:
	fprintf(stderr, "iovbench: cannot record the result: %s\n", err.msg);
	exit_code = 2;
out:
	free(done);
	iov_buf_free(&servers);
	iov_buf_free(&traffic);
	if (target_up)
		target_close(&t);
	iov_result_free(res);
	env_free(&es);
	free(result_path);
	iov_plan_free(&plan);
	iov_suite_free(&suite);
	iov_catalogue_free(&cat);
	return exit_code;
}
