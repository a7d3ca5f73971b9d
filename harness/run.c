// SPDX-License-Identifier: MIT
/*
 * run.c - `iovbench run`. One path per repetition, the same for every NIC kind:
 *   topology (guest-lib iov_topology, once per NIC/guests/pattern) -> servers ->
 *   snapshot before + napi trace on -> clients (traffic.c) -> snapshot after + trace off ->
 *   fetch outputs, kept under RUN/raw/ -> metrics from those raw inputs (extract.c, the code
 *   `iovbench extract` runs too) -> result (result.c), written atomically after every repetition.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "collect/collector.h"
#include "agent/perf_threads.h"
#include "collect/cpu_time.h"
#include "compare.h"
#include "extract.h"
#include "guests/guests.h"
#include "history.h"
#include "result.h"
#include "run.h"
#include "suite.h"
#include "summary.h"
#include "toggles/toggles.h"
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

/* A file kept with a repetition's raw data (consoles); one that cannot be written is a warning. */
static void save_raw(const char *dir, const char *name, const char *data, size_t len)
{
	char path[PATH_MAX];
	struct iov_err err;

	if (iov_path_join(path, sizeof(path), dir, name))
		fprintf(stderr, "iovbench: warning: %s/%s: path too long, not kept\n", dir, name);
	else if (iov_write_file_atomic(path, data, len, &err))
		fprintf(stderr, "iovbench: warning: %s\n", err.msg);
}

/* The lab configuration an experiment needs: NIC kind, guest count, pattern. */
struct topology {
	bool built;
	int guest_kind; /* enum iov_guest_kind */
	enum iov_nic nic;
	unsigned guests;
	enum iov_pattern pattern;
	unsigned spare_vfs; /* VFs beyond the guests' (a toggle's own) */
	char failure[IOV_ERR_MAX]; /* non-empty: this configuration cannot be built */
	const struct iov_workload *servers; /* whose servers run on it, NULL: none started */
	size_t nlinks;
	struct traffic_link links[TRAFFIC_MAX_LINKS];
};

static unsigned spare_vfs(const struct iov_experiment *x)
{
	const struct iov_toggle_ops *toggle = iov_experiment_toggle(x);

	return toggle ? toggle->spare_vfs : 0;
}

static bool topology_is(const struct topology *tp, const struct iov_experiment *x)
{
	return tp->built && tp->guest_kind == x->workload->guest_kind &&
	       tp->nic == iov_nic_topology(x->nic) && tp->guests == x->guests && tp->pattern == x->pattern &&
	       tp->spare_vfs == spare_vfs(x);
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
	tp->spare_vfs = spare_vfs(x);
	/* perf counting starts once the drivers are loaded (their tracepoints exist then) */
	snprintf(script, sizeof(script),
		 "iov_reset\nIOV_SPARE_VFS=%u\n%s %s %u %s\n"
		 "! command -v iovperf >/dev/null || iov_perf_start >/dev/null ||"
		 " echo 'guest: iovperf did not start: no perf figures' >&2\n",
		 tp->spare_vfs, iov_guest_kind(tp->guest_kind)->topology_fn, iov_nic_name(tp->nic), x->guests,
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
/* Guests with a console of their own (VM guests): a copy with each repetition's raw data. */
static void keep_guest_consoles(struct target *t, const struct topology *tp, const char *raw)
{
	const struct iov_guest_ops *g = iov_guest_kind(tp->guest_kind);
	const char *ns[MAX_NS], *dev[MAX_NS], *bdf[MAX_NS];
	size_t n = iov_rep_endpoints(tp->links, tp->nlinks, ns, dev, bdf);

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
 * The two scripts around a repetition, one round trip each: instrumentation switch and counters,
 * then tracing on; tracing off, then counters. The switch is set every repetition: vf and
 * vf-noinstr share a topology.
 */
static int rep_scripts(const struct iov_experiment *x, const struct topology *tp, struct iov_buf *before,
		       struct iov_buf *after, struct iov_err *err)
{
	const char *ns[MAX_NS], *dev[MAX_NS], *bdf[MAX_NS];
	size_t n = iov_rep_endpoints(tp->links, tp->nlinks, ns, dev, bdf);
	bool mailbox = x->workload->tool->trace == IOV_TOOL_TRACE_MAILBOX;
	struct iov_buf guests = { 0 }, snap = { 0 };
	int rc;

	iov_buf_printf(&guests, "%s", "");
	for (size_t i = 0; i < n; i++)
		if (strcmp(ns[i], "-"))
			iov_buf_printf(&guests, " %s", ns[i]);
	rc = iov_buf_ok(&guests, err);
	if (!rc) {
		iov_buf_printf(&snap, "iov_snapshot%s\niov_qstats", guests.data);
		for (size_t i = 0; i < n; i++)
			iov_buf_printf(&snap, " %s/%s", ns[i], dev[i]);
		for (size_t c = 0; c < iov_collector_count(); c++)
			if (iov_collector_at(c)->snapshot_sh)
				iov_buf_printf(&snap, "\n%s", iov_collector_at(c)->snapshot_sh);
		rc = iov_buf_ok(&snap, err);
	}
	if (!rc) {
		if (iov_nic_instrumentation(x->nic) >= 0)
			iov_buf_printf(before, "iov_instrumentation %d || exit 1\n", iov_nic_instrumentation(x->nic));
		iov_buf_printf(before, "%s\n%s%s\n", snap.data,
			       mailbox ? "iov_fgraph_start \"$IOV_MBX_FUNCS\"" : "iov_trace_start", guests.data);
		iov_buf_printf(after, "%s %s/trace%s\n%s\n", mailbox ? "iov_fgraph_stop" : "iov_trace_stop", TRAFFIC_OUTDIR,
			       guests.data, snap.data);
		rc = iov_buf_ok(before, err) || iov_buf_ok(after, err) ? -1 : 0;
	}
	iov_buf_free(&guests);
	iov_buf_free(&snap);
	return rc;
}

/* The hypervisor process's CPU ticks as raw text; nothing when the target has none (the host). */
static int qemu_ticks(const struct target *t, char **text, struct iov_err *err)
{
	struct iov_proc_ticks p;
	struct iov_buf b = { 0 };
	int rc;

	if (!t->hypervisor_pid)
		return 0;
	if (iov_proc_ticks_read("/proc", t->hypervisor_pid, &p, err))
		return -1;
	rc = iov_proc_ticks_format(&p, &b, err);
	iov_proc_ticks_free(&p);
	*text = rc ? NULL : iov_buf_take(&b);
	iov_buf_free(&b);
	return rc;
}

/*
 * One reading of the hypervisor's threads by perf events (perf_threads.h) as raw text; nothing
 * when the target has no hypervisor process or its threads could not be listed (it is gone).
 */
static int qemu_perf_text(struct iov_qemu_threads *q, char **text, struct iov_err *err)
{
	size_t len;
	FILE *f;

	if (!q)
		return 0;
	f = open_memstream(text, &len);
	if (!f) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	fprintf(f, "# iovperf 1 cpus=%ld\n", sysconf(_SC_NPROCESSORS_ONLN));
	iov_qemu_threads_print(q, "hypervisor", f);
	if (fclose(f)) {
		free(*text);
		*text = NULL;
		iov_err_set(err, "out of memory");
		return -1;
	}
	return 0;
}

/* Each client's exit status, output and (when it failed) stderr; what cannot be fetched says why. */
static void capture_clients(struct target *t, const struct topology *tp, struct iov_rep_raw *raw)
{
	raw->nclients = tp->nlinks;
	for (size_t i = 0; i < tp->nlinks; i++) {
		struct iov_rep_client *c = &raw->clients[i];
		char path[128], *rcs = NULL;
		struct iov_err why;
		size_t len;

		c->status = -1;
		snprintf(path, sizeof(path), "%s/client-%zu.rc", TRAFFIC_OUTDIR, i);
		if (!target_get(t, path, &rcs, &len, &c->why) && iov_parse_int(iov_trim(rcs), -1, 255, &c->status))
			c->status = -1;
		free(rcs);
		snprintf(path, sizeof(path), "%s/client-%zu.out", TRAFFIC_OUTDIR, i);
		if (target_get(t, path, &c->out, &c->out_len, &c->why)) {
			c->out = NULL;
			continue;
		}
		snprintf(path, sizeof(path), "%s/client-%zu.err", TRAFFIC_OUTDIR, i);
		if (c->status != 0 && target_get(t, path, &c->err_text, &len, &why))
			c->err_text = NULL;
	}
}

/* Phase p of wall took from *since to now; *since moves on. */
static void phase_end(struct iov_rep_wall *wall, enum iov_rep_phase p, double *since)
{
	double now = iov_now_s();

	wall->s[p] = now - *since;
	*since = now;
}

/* The toggle's files of the repetition (none without a toggle). */
static int toggle_get(struct target *t, const struct iov_toggle_ops *toggle, struct iov_rep_raw *raw,
		      struct iov_err *err)
{
	char path[128];

	if (!toggle)
		return 0;
	snprintf(path, sizeof(path), TRAFFIC_OUTDIR "/%s", toggle->file);
	if (target_get(t, path, &raw->toggle, &raw->toggle_len, err))
		return -1;
	if (!toggle->extra_file)
		return 0;
	snprintf(path, sizeof(path), TRAFFIC_OUTDIR "/%s", toggle->extra_file);
	return target_get(t, path, &raw->toggle_extra, &raw->toggle_extra_len, err);
}

/* One repetition on the target, its inputs into raw; -1 when a step failed (err says which). */
static int rep_capture(struct target *t, const struct iov_experiment *x, const struct topology *tp,
		       const char *traffic, struct iov_rep_raw *raw, struct iov_rep_wall *wall, struct iov_err *err)
{
	struct iov_buf before = { 0 }, after = { 0 };
	double since = iov_now_s();
	int rc = rep_scripts(x, tp, &before, &after, err);
	/* counted from here on, on the threads it has now */
	struct iov_qemu_threads *qp = t->hypervisor_pid ? iov_qemu_threads_open(t->hypervisor_pid) : NULL;

	rc = rc || qemu_ticks(t, &raw->qemu_before, err) || qemu_perf_text(qp, &raw->qemu_perf_before, err) ||
	     guest_ok(t, before.data, SNAPSHOT_TIMEOUT_S, &raw->snap_before, err);
	phase_end(wall, IOV_PHASE_SNAPSHOT_BEFORE, &since);
	rc = rc || guest_ok(t, traffic, traffic_rep_timeout_s(x->workload), NULL, err);
	if (!rc)
		phase_end(wall, IOV_PHASE_TRAFFIC, &since);
	rc = rc || guest_ok(t, after.data, SNAPSHOT_TIMEOUT_S, &raw->snap_after, err) ||
	     qemu_ticks(t, &raw->qemu_after, err) || qemu_perf_text(qp, &raw->qemu_perf_after, err);
	iov_qemu_threads_close(qp);
	if (!rc)
		phase_end(wall, IOV_PHASE_SNAPSHOT_AFTER, &since);
	rc = rc || target_get(t, TRAFFIC_OUTDIR "/trace", &raw->trace, &raw->trace_len, err) ||
	     toggle_get(t, iov_experiment_toggle(x), raw, err);
	if (!rc) {
		capture_clients(t, tp, raw);
		phase_end(wall, IOV_PHASE_FETCH, &since);
	}
	iov_buf_free(&before);
	iov_buf_free(&after);
	return rc ? -1 : 0;
}

/*
 * One repetition, from the first snapshot to the metrics: captured, kept in raw_dir, extracted
 * from what was kept. rep_err gets why it failed. toggle_ratios: the experiment toggles the
 * instrumentation; this rep's on/off ratios go there.
 */
static int run_rep(struct target *t, const struct iov_experiment *x, const struct topology *tp,
		   const char *traffic, const char *raw_dir, json_t *toggle_ratios, struct iov_metric_set *set,
		   struct iov_rep_wall *wall, struct iov_err *rep_err)
{
	const struct iov_rep_setup setup = {
		.tool = x->workload->tool,
		.nic = x->nic,
		.own_kernel = iov_guest_kind(tp->guest_kind)->own_kernel,
		.toggle = iov_experiment_toggle(x),
		.nlinks = tp->nlinks,
		.links = tp->links,
	};
	struct iov_rep_raw raw = { 0 };
	int rc = rep_capture(t, x, tp, traffic, &raw, wall, rep_err);
	double since;

	iov_rep_raw_save(&raw, &setup, raw_dir);
	since = iov_now_s();
	if (!rc) {
		rc = iov_extract_rep(&setup, &raw, toggle_ratios, set, rep_err);
		phase_end(wall, IOV_PHASE_EXTRACT, &since);
	}
	iov_rep_raw_free(&raw);
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
	char cmd[PATH_MAX + 80], drivers_cmd[2048];
	struct iov_err err;

	memset(env, 0, sizeof(*env));
	uname(&es->uts);
	snprintf(cmd, sizeof(cmd), "git -C '%s' describe --always --dirty --abbrev=12 2>/dev/null", tree);
	es->git = host_line(cmd); /* tree is at most PATH_MAX: the command is never cut */
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
	char labdir[PATH_MAX];

	if (iov_path_join(labdir, sizeof(labdir), run_dir, "lab")) {
		iov_err_set(err, "%s: path too long", run_dir);
		return -1;
	}
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
	if (iov_buf_ok(servers, err) || guest_ok(t, servers->data, SETUP_TIMEOUT_S, NULL, err)) {
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
static void record_not_run(const char *out_dir, const char *run_id, const char *path, const struct iov_suite *suite,
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
		goto fail;
	for (size_t i = 0; i < plan->n; i++)
		if (iov_result_experiment_fail(res, plan->experiments[i].id, why, &err))
			goto fail;
	if (iov_result_finish(res, &err) || iov_result_write(res, &err) ||
	    iov_run_latest_point(out_dir, run_id, &err))
		goto fail;
	fprintf(stderr, "iovbench: nothing ran; the reason is recorded in %s\n", path);
	iov_result_free(res);
	return;
fail:
	fprintf(stderr, "iovbench: cannot record the result: %s\n", err.msg);
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

/* One run across its experiments: what iov_run's steps share. */
struct run {
	const struct run_options *opt;
	struct iov_catalogue cat;
	struct iov_suite suite;
	struct iov_plan plan;
	struct iov_result *res;
	struct target t;
	bool target_up, vm_host;
	struct topology tp;
	struct iov_buf servers, traffic;
	char run_id[128], run_dir[PATH_MAX], *result_path;
	unsigned long long reps_total, reps_done;
	unsigned target_losses;
	double start;
	struct iov_err err; /* why the result cannot be recorded (fatal) */
};

/*
 * A target lost in a run (the lab's QEMU or kernel died: nested SVM under TCG has crashed the
 * lab's kernel while VM guests booted) is rebooted and the group goes on where it stopped, this
 * many times per run; each loss is noted in the experiment (notes.target_lost).
 */
#define IOV_RUN_TARGET_LOSSES 3

/* An experiment alone, or the group of kinds measured interleaved with it (iov_plan_group). */
struct group {
	size_t member[IOV_NIC_COUNT], n;
	bool noted[IOV_NIC_COUNT], failed[IOV_NIC_COUNT];
	bool target_lost;
	bool topology_lost; /* lost while building the topology: that repetition not yet recorded */
};

/* The plan's repetitions, and whether the target has every NIC kind it names. */
static int plan_check(struct run *r)
{
	for (size_t i = 0; i < r->plan.n; i++) {
		enum iov_nic nic = r->plan.experiments[i].nic;

		r->reps_total += r->plan.experiments[i].workload->reps;
		/* Baseline pairs are QEMU NICs cabled back to back: only the lab has them. */
		if (!r->opt->target.ops->nic_pairs && iov_nic(nic)->lab_only) {
			fprintf(stderr, "iovbench: %s: the %s baseline exists only in the lab; "
					"use --nic vf,vf-inbox with --target host\n",
				r->plan.experiments[i].id, iov_nic_name(nic));
			return -1;
		}
	}
	return 0;
}

/* OUT/RUN_ID/: two runs started within the same second get distinct ids. */
static int run_dir_make(struct run *r)
{
	const char *out = r->opt->out_dir;

	iov_run_id_format(r->run_id, sizeof(r->run_id), time(NULL), r->suite.name);
	for (int n = 2; iov_run_dir_create(out, r->run_id, &r->result_path, &r->err); n++) {
		struct stat st;

		if (n > 99 || iov_path_join(r->run_dir, sizeof(r->run_dir), out, r->run_id) || stat(r->run_dir, &st)) {
			fprintf(stderr, "iovbench: %s\n", r->err.msg);
			return -1;
		}
		iov_run_id_format(r->run_id, sizeof(r->run_id), time(NULL), r->suite.name);
		snprintf(r->run_id + strlen(r->run_id), sizeof(r->run_id) - strlen(r->run_id), "-%d", n);
	}
	if (iov_path_join(r->run_dir, sizeof(r->run_dir), out, r->run_id)) {
		fprintf(stderr, "iovbench: %s/%s: path too long\n", out, r->run_id);
		return -1;
	}
	return 0;
}

/* The target up, able to run the plan's guests, and the result document begun; else why not, recorded. */
static int run_start(struct run *r, struct env_strings *es)
{
	char tree[PATH_MAX];
	struct iov_env env;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	r->vm_host = needs_vm_host(&r->plan.experiments[0]);
	if (open_target(r->opt, r->vm_host, r->run_dir, &r->t, &r->err)) {
		fprintf(stderr, "iovbench: %s\n", r->err.msg);
		record_not_run(r->opt->out_dir, r->run_id, r->result_path, &r->suite, &r->plan, r->opt->command_line, r->err.msg);
		return -1;
	}
	r->target_up = true;
	if (check_guest_kinds(&r->t, &r->plan, r->vm_host, &r->err)) {
		fprintf(stderr, "iovbench: %s\n", r->err.msg);
		record_not_run(r->opt->out_dir, r->run_id, r->result_path, &r->suite, &r->plan, r->opt->command_line, r->err.msg);
		return -1;
	}
	if (iov_path_join(tree, sizeof(tree), r->opt->workload_dir, "..")) {
		fprintf(stderr, "iovbench: %s: path too long\n", r->opt->workload_dir);
		return -1;
	}
	env_collect(&r->t, tree, &env, es);
	env.command_line = r->opt->command_line;
	r->res = iov_result_new(r->run_id, r->result_path, &env, &r->err);
	if (!r->res || iov_result_add_plan(r->res, &r->suite, &r->plan, &r->err) || iov_result_write(r->res, &r->err) ||
	    iov_run_latest_point(r->opt->out_dir, r->run_id, &r->err)) {
		fprintf(stderr, "iovbench: cannot record the result: %s\n", r->err.msg);
		return -1;
	}
	return 0;
}

/* The target closed and booted again, as the VM guests' host or not; r->target_up says if it came up. */
static int reopen_target(struct run *r, bool vm_host)
{
	target_close(&r->t);
	r->target_up = false;
	memset(&r->tp, 0, sizeof(r->tp));
	r->vm_host = vm_host;
	if (open_target(r->opt, r->vm_host, r->run_dir, &r->t, &r->err))
		return -1;
	r->target_up = true;
	return 0;
}

/*
 * The target for experiment i: rebooted when it is gone, or when the experiment needs the other
 * kind of lab host. The plan puts the VM guests' experiments first: at most one switch of host.
 * 1 when it cannot come back (the group failed, recorded); -1 when that cannot be recorded.
 */
static int group_target(struct run *r, size_t i, const struct group *g)
{
	bool switching = target_alive(&r->t);

	if (switching && (!r->t.ops->as_vm_host || needs_vm_host(&r->plan.experiments[i]) == r->vm_host))
		return 0;
	fprintf(stderr, "iovbench: %s\n",
		!switching  ? "the target is gone; rebooting it"
		: r->vm_host ? "the next experiments have namespace guests: rebooting the lab without the VM host"
			     : "the next experiments have VM guests: rebooting the lab as their host");
	if (!reopen_target(r, needs_vm_host(&r->plan.experiments[i])) &&
	    !(switching && check_guest_kinds(&r->t, &r->plan, r->vm_host, &r->err)))
		return 0;
	for (size_t k = 0; k < g->n; k++)
		iov_result_experiment_fail(r->res, r->plan.experiments[g->member[k]].id, r->err.msg, &r->err);
	if (target_alive(&r->t))
		r->target_up = true;
	return iov_result_write(r->res, &r->err) ? -1 : 1;
}

/* Member g's topology cannot be built: its remaining repetitions failed. -1: fatal. */
static int member_cannot_run(struct run *r, struct group *gr, size_t g, unsigned rep)
{
	size_t gi = gr->member[g];
	const struct iov_experiment *xe = &r->plan.experiments[gi];
	unsigned reps = xe->workload->reps;

	fprintf(stderr, "iovbench: [%zu/%zu] %s: cannot run: %s\n", gi + 1, r->plan.n, xe->id, r->tp.failure);
	gr->failed[g] = true;
	r->reps_done += reps - rep;
	/* repetitions measured before the rebuild failed stay; the rest failed */
	for (unsigned k = rep; gr->noted[g] && k < reps; k++)
		if (iov_result_rep_done(r->res, xe->id, k, false, r->tp.failure, NULL, &r->err))
			return -1;
	if ((!gr->noted[g] && iov_result_experiment_fail(r->res, xe->id, r->tp.failure, &r->err)) ||
	    iov_result_write(r->res, &r->err))
		return -1;
	return 0;
}

/* Member g's repetition script, its notes on its first repetition, the progress line. */
static int member_prepare(struct run *r, struct group *gr, size_t g, unsigned rep)
{
	size_t gi = gr->member[g];
	const struct iov_experiment *xe = &r->plan.experiments[gi];
	double elapsed = iov_now_s() - r->start;
	char eta[32];

	iov_buf_free(&r->traffic);
	if (traffic_rep_script(xe->workload, r->tp.links, r->tp.nlinks, iov_experiment_toggle(xe), &r->traffic) ||
	    iov_buf_ok(&r->traffic, &r->err)) {
		iov_err_set(&r->err, "out of memory");
		return -1;
	}
	if (!gr->noted[g]) {
		gr->noted[g] = true;
		note_experiment(r->res, xe->id, &r->tp, r->servers.data, r->traffic.data);
		if (gr->n > 1)
			note_group(r->res, &r->plan, gr->member, gr->n, g);
	}
	fmt_duration(eta, sizeof(eta),
		     r->reps_done ? elapsed / r->reps_done * (r->reps_total - r->reps_done)
				  : (double)iov_plan_measured_seconds(&r->plan) * 1.5);
	fprintf(stderr, "iovbench: [%zu/%zu] %s rep %u/%u%s (about %s left)\n", gi + 1, r->plan.n, xe->id, rep + 1,
		xe->workload->reps, gr->n > 1 ? " (interleaved)" : "", eta);
	return 0;
}

/* The lab was lost in a repetition: the reboot starts a new console log, so keep the one that shows the crash. */
static void keep_lost_console(struct run *r, const char *raw)
{
	struct iov_err err;
	size_t len;
	char *con;

	if (!r->t.ops->console_log)
		return;
	con = iov_read_file(r->t.ops->console_log(&r->t), &len, &err);
	if (con) {
		save_raw(raw, "console-of-the-lost-target.log", con, len);
		fprintf(stderr, "iovbench: the guest console up to the loss: %s/console-of-the-lost-target.log\n", raw);
	}
	free(con);
}

/* notes.target_lost of experiment id: one line per loss, appended. -1: fatal. */
static int note_target_lost(struct run *r, const char *id, unsigned rep, const char *why)
{
	json_t *notes = json_object_get(iov_doc_experiment(iov_result_json(r->res), id), "notes");
	json_t *lost = json_object_get(notes, IOV_NOTE_TARGET_LOST);
	char line[768];

	snprintf(line, sizeof(line), "repetition %u: %s", rep + 1, why);
	lost = lost ? json_incref(lost) : json_array();
	if (json_array_append_new(lost, json_string(line)) ||
	    iov_result_note(r->res, id, IOV_NOTE_TARGET_LOST, lost, &r->err))
		return -1;
	return iov_result_write(r->res, &r->err);
}

/* Repetition rep of member g, recorded. -1: fatal; 0 otherwise (gr->target_lost when the target died). */
static int member_rep(struct run *r, struct group *gr, size_t g, unsigned rep)
{
	const struct iov_experiment *xe = &r->plan.experiments[gr->member[g]];
	struct iov_metric_set set = { 0 };
	struct iov_err rerr = { "" };
	struct iov_rep_wall wall;
	char raw[PATH_MAX];
	json_t *ratios = NULL;
	double since = iov_now_s();
	int rc;

	iov_rep_wall_init(&wall);
	if (snprintf(raw, sizeof(raw), "%s/raw/%s/rep-%u", r->run_dir, xe->id, rep + 1) >= (int)sizeof(raw)) {
		iov_err_set(&r->err, "%s: path too long", r->run_dir);
		return -1;
	}
	if (iov_mkdir_p(raw))
		fprintf(stderr, "iovbench: warning: %s: %s\n", raw, strerror(errno));
	if (prepare_topology(&r->t, xe, &r->tp, &r->servers, &r->err)) {
		if (target_alive(&r->t) || r->target_losses >= IOV_RUN_TARGET_LOSSES)
			return member_cannot_run(r, gr, g, rep);
		/* not the topology's fault: the repetition runs again on the rebooted target */
		fprintf(stderr, "iovbench: [%zu/%zu] %s: the target died building the topology: %s\n",
			gr->member[g] + 1, r->plan.n, xe->id, r->tp.failure);
		keep_lost_console(r, raw);
		gr->target_lost = gr->topology_lost = true;
		return note_target_lost(r, xe->id, rep, r->tp.failure);
	}
	phase_end(&wall, IOV_PHASE_TOPOLOGY, &since);
	if (member_prepare(r, gr, g, rep))
		return -1;
	if (iov_experiment_toggle(xe) && !iov_experiment_toggle(xe)->no_ratios) {
		/* the ratios so far, this repetition's appended */
		ratios = json_object_get(json_object_get(iov_doc_experiment(iov_result_json(r->res), xe->id), "notes"),
					 iov_experiment_toggle(xe)->note);
		ratios = ratios ? json_incref(ratios) : json_array();
	}
	rc = run_rep(&r->t, xe, &r->tp, r->traffic.data, raw, ratios, &set, &wall, &rerr);
	if (target_alive(&r->t))
		keep_guest_consoles(&r->t, &r->tp, raw);
	if (ratios && iov_result_note(r->res, xe->id, iov_experiment_toggle(xe)->note, ratios, &r->err))
		fprintf(stderr, "iovbench: warning: %s\n", r->err.msg);
	if (set.n && iov_result_add_values(r->res, xe->id, rep, &set, &r->err))
		fprintf(stderr, "iovbench: %s\n", r->err.msg);
	iov_metric_set_free(&set);
	if (rc) {
		fprintf(stderr, "iovbench: %s rep %u failed: %s\n", xe->id, rep + 1, rerr.msg);
		/* it may have left a guest dead or a server wedged: the next repetition builds afresh */
		r->tp.built = false;
	}
	if (iov_result_rep_done(r->res, xe->id, rep, rc == 0, rc ? rerr.msg : NULL, &wall, &r->err) ||
	    iov_result_write(r->res, &r->err))
		return -1;
	r->reps_done++;
	if (rc && !target_alive(&r->t)) {
		keep_lost_console(r, raw);
		gr->target_lost = true;
		return note_target_lost(r, xe->id, rep, rerr.msg);
	}
	return 0;
}

/* Experiment i and the kinds interleaved with it, every repetition. -1: fatal; 1: the target cannot come back. */
static int run_group(struct run *r, size_t i, bool *done)
{
	const struct iov_workload *wl = r->plan.experiments[i].workload; /* one entry: the same for all */
	struct group gr = { 0 };
	int rc;

	gr.n = iov_plan_group(&r->plan, i, gr.member);
	for (size_t g = 0; g < gr.n; g++) {
		done[gr.member[g]] = true;
		if (iov_result_experiment_begin(r->res, r->plan.experiments[gr.member[g]].id, &r->err))
			return -1;
	}
	rc = group_target(r, i, &gr);
	if (rc)
		return rc;
	for (unsigned rep = 0, k = 0; rep < wl->reps && !interrupted;) {
		size_t g = iov_group_order(gr.n, rep, k);

		if (!gr.failed[g] && member_rep(r, &gr, g, rep))
			return -1;
		if (gr.target_lost) {
			if (r->target_losses++ >= IOV_RUN_TARGET_LOSSES) {
				fprintf(stderr, "iovbench: the target was lost %u times: this group stops here\n",
					r->target_losses);
				break;
			}
			fprintf(stderr, "iovbench: the target was lost (%u of %u losses a run rides out): rebooting it\n",
				r->target_losses, IOV_RUN_TARGET_LOSSES);
			gr.target_lost = false;
			if (reopen_target(r, r->vm_host)) {
				fprintf(stderr, "iovbench: %s\n", r->err.msg);
				break;
			}
			if (gr.topology_lost) {
				gr.topology_lost = false;
				continue; /* the same member's repetition again */
			}
		}
		if (++k == gr.n) {
			k = 0;
			rep++;
		}
	}
	/* an experiment that never ran was closed by iov_result_experiment_fail */
	for (size_t g = 0; g < gr.n; g++)
		if ((!gr.failed[g] || gr.noted[g]) &&
		    (iov_result_experiment_end(r->res, r->plan.experiments[gr.member[g]].id, &r->err) ||
		     iov_result_write(r->res, &r->err)))
			return -1;
	return 0;
}

/* Close the document, record it in the history, print the summary; the exit status. */
static int run_finish(struct run *r)
{
	json_t *st;
	int exit_code;

	if (interrupted)
		fprintf(stderr, "iovbench: interrupted by signal %d; the result keeps what was measured\n",
			(int)interrupted);
	if (iov_result_finish(r->res, &r->err) || iov_result_write(r->res, &r->err))
		return -1;
	st = json_object_get(iov_result_json(r->res), "status");
	exit_code = st && !strcmp(json_string_value(st), "complete") ? 0 : 1;
	/* A run missing from the history would let the gates judge an older one: an error, not a warning. */
	if (iov_history_record(r->opt->out_dir, iov_result_json(r->res), &r->err)) {
		fprintf(stderr, "iovbench: error: %s (the result is kept in %s: iovbench history add records it)\n",
			r->err.msg, r->result_path);
		exit_code = 2;
	}
	iov_summary_print(stdout, iov_result_json(r->res));
	printf("\nresult: %s\n", r->result_path);
	return exit_code;
}

/* Every group of the plan, then the document closed. The exit status; -1: the result cannot be recorded. */
static int run_plan(struct run *r)
{
	bool *done = calloc(r->plan.n ? r->plan.n : 1, sizeof(*done));
	int rc = 0;

	if (!done) {
		iov_err_set(&r->err, "out of memory");
		return -1;
	}
	r->start = iov_now_s();
	for (size_t i = 0; i < r->plan.n && !interrupted && !rc; i++)
		if (!done[i])
			rc = run_group(r, i, done);
	free(done);
	return rc < 0 ? -1 : run_finish(r);
}

int iov_run(const struct run_options *opt)
{
	struct run *r = calloc(1, sizeof(*r));
	struct env_strings es = { 0 };
	int exit_code = 2;

	if (!r) {
		fprintf(stderr, "iovbench: out of memory\n");
		return 2;
	}
	r->opt = opt;
	if (load_plan(opt, &r->cat, &r->suite, &r->plan, &r->err)) {
		fprintf(stderr, "iovbench: %s\n", r->err.msg);
		goto out;
	}
	if (plan_check(r) || run_dir_make(r))
		goto out;
	fprintf(stderr, "iovbench: run %s: suite %s, %zu experiments, %llu repetitions, %llu s measured\n", r->run_id,
		r->suite.name, r->plan.n, r->reps_total, iov_plan_measured_seconds(&r->plan));
	if (run_start(r, &es))
		goto out;
	exit_code = run_plan(r);
	if (exit_code < 0) {
		fprintf(stderr, "iovbench: cannot record the result: %s\n", r->err.msg);
		exit_code = 2;
	}
out:
	iov_buf_free(&r->servers);
	iov_buf_free(&r->traffic);
	if (r->target_up)
		target_close(&r->t);
	iov_result_free(r->res);
	env_free(&es);
	free(r->result_path);
	iov_plan_free(&r->plan);
	iov_suite_free(&r->suite);
	iov_catalogue_free(&r->cat);
	free(r);
	return exit_code;
}
