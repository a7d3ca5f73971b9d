// SPDX-License-Identifier: MIT
/* extract.c - one repetition's raw inputs -> its metrics, for `run` and `extract` alike (extract.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "collect/fgraph.h"
#include "collect/perf_counts.h"
#include "collect/toggle.h"
#include "collect/snapshot.h"
#include "compare.h"
#include "extract.h"
#include "guests/guests.h"
#include "metrics_compute.h"
#include "result.h"
#include "suite.h"

#define MAX_ENDPOINTS (2 * TRAFFIC_MAX_LINKS)

size_t iov_rep_endpoints(const struct traffic_link *links, size_t nlinks, const char **ns, const char **dev,
			 const char **bdf)
{
	size_t n = 0;

	for (size_t i = 0; i < nlinks; i++) {
		const struct traffic_link *l = &links[i];
		const char *cand[2][3] = { { l->ns, l->dev, l->bdf }, { l->peer_ns, l->peer_dev, l->peer_bdf } };

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

static void save_file(const char *dir, const char *name, const char *data, size_t len)
{
	char path[PATH_MAX];
	struct iov_err err;

	if (!data)
		return;
	if (iov_path_join(path, sizeof(path), dir, name)) {
		fprintf(stderr, "iovbench: warning: %s/%s: path too long, not kept\n", dir, name);
		return;
	}
	if (iov_write_file_atomic(path, data, len, &err))
		fprintf(stderr, "iovbench: warning: %s\n", err.msg);
}

static const char *trace_file(const struct iov_rep_setup *x)
{
	return x->tool->trace == IOV_TOOL_TRACE_MAILBOX ? IOV_RAW_MAILBOX_TRACE : IOV_RAW_NAPI_TRACE;
}

static void client_file(char *name, size_t size, const struct traffic_link *l, const char *ext)
{
	snprintf(name, size, "client-%s.%s", l->instance, ext);
}

void iov_rep_raw_save(const struct iov_rep_raw *raw, const struct iov_rep_setup *x, const char *dir)
{
	save_file(dir, IOV_RAW_SNAPSHOT_BEFORE, raw->snap_before, raw->snap_before ? strlen(raw->snap_before) : 0);
	save_file(dir, IOV_RAW_SNAPSHOT_AFTER, raw->snap_after, raw->snap_after ? strlen(raw->snap_after) : 0);
	save_file(dir, trace_file(x), raw->trace, raw->trace_len);
	if (x->toggle)
		save_file(dir, x->toggle->file, raw->toggle, raw->toggle_len);
	if (x->toggle && x->toggle->extra_file)
		save_file(dir, x->toggle->extra_file, raw->toggle_extra, raw->toggle_extra_len);
	save_file(dir, IOV_RAW_QEMU_BEFORE, raw->qemu_before, raw->qemu_before ? strlen(raw->qemu_before) : 0);
	save_file(dir, IOV_RAW_QEMU_AFTER, raw->qemu_after, raw->qemu_after ? strlen(raw->qemu_after) : 0);
	if (raw->qemu_perf_before && raw->qemu_perf_after) {
		save_file(dir, IOV_RAW_QEMU_PERF_BEFORE, raw->qemu_perf_before, strlen(raw->qemu_perf_before));
		save_file(dir, IOV_RAW_QEMU_PERF_AFTER, raw->qemu_perf_after, strlen(raw->qemu_perf_after));
	}
	for (size_t i = 0; i < raw->nclients && i < x->nlinks; i++) {
		const struct iov_rep_client *c = &raw->clients[i];
		char name[64], rc[16];

		if (!c->out)
			continue;
		client_file(name, sizeof(name), &x->links[i], "json");
		save_file(dir, name, c->out, c->out_len);
		client_file(name, sizeof(name), &x->links[i], "stderr");
		save_file(dir, name, c->err_text, c->err_text ? strlen(c->err_text) : 0);
		client_file(name, sizeof(name), &x->links[i], "rc");
		snprintf(rc, sizeof(rc), "%d\n", c->status);
		save_file(dir, name, rc, strlen(rc));
	}
}

/* dir/name, or NULL (err says why: ENOENT is "absent"). */
static char *load_file(const char *dir, const char *name, size_t *len, struct iov_err *err)
{
	char path[PATH_MAX];

	if (iov_path_join(path, sizeof(path), dir, name)) {
		iov_err_set(err, "%s/%s: path too long", dir, name);
		return NULL;
	}
	return iov_read_file(path, len, err);
}

static bool present(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	return !iov_path_join(path, sizeof(path), dir, name) && !stat(path, &st);
}

/* A client's exit status: its .rc file; a run that kept none (older runs) kept .stderr only on failure. */
static int load_status(const char *dir, const struct traffic_link *l)
{
	char name[64], *text;
	struct iov_err err;
	int status = -1;

	client_file(name, sizeof(name), l, "rc");
	text = load_file(dir, name, NULL, &err);
	if (!text) {
		client_file(name, sizeof(name), l, "stderr");
		return present(dir, name) ? -1 : 0;
	}
	text[strcspn(text, "\n")] = '\0';
	if (iov_parse_int(text, -1, 255, &status))
		status = -1;
	free(text);
	return status;
}

static void load_client(const char *dir, const struct traffic_link *l, struct iov_rep_client *c)
{
	char name[64];

	memset(c, 0, sizeof(*c));
	client_file(name, sizeof(name), l, "json");
	c->out = load_file(dir, name, &c->out_len, &c->why);
	if (!c->out) {
		c->status = -1;
		return;
	}
	client_file(name, sizeof(name), l, "stderr");
	if (present(dir, name))
		c->err_text = load_file(dir, name, NULL, &c->why);
	c->status = load_status(dir, l);
}

int iov_rep_raw_load(const char *dir, const struct iov_rep_setup *x, struct iov_rep_raw *raw, struct iov_err *err)
{
	memset(raw, 0, sizeof(*raw));
	if (!(raw->snap_before = load_file(dir, IOV_RAW_SNAPSHOT_BEFORE, NULL, err)) ||
	    !(raw->snap_after = load_file(dir, IOV_RAW_SNAPSHOT_AFTER, NULL, err)) ||
	    !(raw->trace = load_file(dir, trace_file(x), &raw->trace_len, err)) ||
	    (x->toggle && !(raw->toggle = load_file(dir, x->toggle->file, &raw->toggle_len, err))) ||
	    (x->toggle && x->toggle->extra_file &&
	     !(raw->toggle_extra = load_file(dir, x->toggle->extra_file, &raw->toggle_extra_len, err))))
		goto fail;
	if (present(dir, IOV_RAW_QEMU_BEFORE) &&
	    (!(raw->qemu_before = load_file(dir, IOV_RAW_QEMU_BEFORE, NULL, err)) ||
	     !(raw->qemu_after = load_file(dir, IOV_RAW_QEMU_AFTER, NULL, err))))
		goto fail;
	/* runs before the perf counting of the hypervisor's threads have none */
	if (present(dir, IOV_RAW_QEMU_PERF_BEFORE) &&
	    (!(raw->qemu_perf_before = load_file(dir, IOV_RAW_QEMU_PERF_BEFORE, NULL, err)) ||
	     !(raw->qemu_perf_after = load_file(dir, IOV_RAW_QEMU_PERF_AFTER, NULL, err))))
		goto fail;
	raw->nclients = x->nlinks;
	for (size_t i = 0; i < x->nlinks; i++)
		load_client(dir, &x->links[i], &raw->clients[i]);
	return 0;
fail:
	iov_rep_raw_free(raw);
	return -1;
}

void iov_rep_raw_free(struct iov_rep_raw *raw)
{
	free(raw->snap_before);
	free(raw->snap_after);
	free(raw->trace);
	free(raw->toggle);
	free(raw->toggle_extra);
	free(raw->qemu_before);
	free(raw->qemu_after);
	free(raw->qemu_perf_before);
	free(raw->qemu_perf_after);
	for (size_t i = 0; i < raw->nclients; i++) {
		free(raw->clients[i].out);
		free(raw->clients[i].err_text);
	}
	memset(raw, 0, sizeof(*raw));
}

/* A failed client's reason: its stderr's last line; fio reports errors on stdout, before or inside its JSON. */
static void client_reason(const struct iov_rep_client *c, struct iov_err *why)
{
	const char *text = c->err_text ? c->err_text : "", *last = NULL, *fio;
	size_t len = strlen(text);

	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			last = text + i + 1;
	if (len) {
		if (!last)
			last = text;
		iov_err_set(why, "%.*s", (int)(len - (size_t)(last - text) < 300 ? len - (size_t)(last - text) : 300),
			    last);
		return;
	}
	fio = c->out ? strstr(c->out, "fio: ") : NULL;
	iov_err_set(why, "%.*s", fio ? (int)strcspn(fio, "\n") : 12, fio ? fio : "(no stderr)");
}

/* One client's output parsed into result; -1 with the reason (the experiment's instance named). */
static int client_parse(const struct iov_rep_setup *x, size_t i, const struct iov_rep_client *c, void *result,
			struct iov_err *err)
{
	const char *inst = x->links[i].instance;
	struct iov_err why;

	if (!c->out) {
		iov_err_set(err, "%s: no client output: %s", inst, c->why.msg);
		return -1;
	}
	if (c->status != 0) {
		client_reason(c, &why);
		iov_err_set(err, "%s: client exit %d: %s", inst, c->status, why.msg);
		return -1;
	}
	if (x->tool->parse && x->tool->parse(c->out, c->out_len, result, &why)) {
		iov_err_set(err, "%s: %s", inst, why.msg);
		return -1;
	}
	return 0;
}

/* Client outputs -> traffic metrics (the tool's parser). -1 (reason in err) if any client failed. */
static int client_metrics(const struct iov_rep_setup *x, const struct iov_rep_raw *raw, struct iov_metric_set *set,
			  struct iov_err *err)
{
	const struct iov_tool_ops *tool = x->tool;
	char *results = tool->parse ? calloc(x->nlinks ? x->nlinks : 1, tool->result_size) : NULL;
	const char *inst[TRAFFIC_MAX_LINKS];
	size_t ok = 0;
	int rc = 0;

	if (tool->parse && !results) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < x->nlinks && i < raw->nclients; i++) {
		if (client_parse(x, i, &raw->clients[i], results ? results + ok * tool->result_size : NULL, err))
			rc = -1;
		else if (tool->parse)
			inst[ok++] = x->links[i].instance;
	}
	if (ok && tool->metrics(set, results, inst, ok, err))
		rc = -1;
	for (size_t i = 0; i < ok && tool->free_result; i++)
		tool->free_result(results + i * tool->result_size);
	free(results);
	return rc;
}

/* The trace's overrun count as iov_trace_stop prints it after the snapshot; -1: none or unreadable. */
static long long trace_overrun(const char *snap_after)
{
	const char *ov = strstr(snap_after, "trace_overrun=");
	char digits[24];
	uint64_t v;

	if (!ov)
		return -1;
	iov_strlcpy_n(digits, sizeof(digits), ov + 14, strspn(ov + 14, "0123456789"));
	return iov_parse_u64(digits, &v) || v > INT64_MAX ? -1 : (long long)v;
}

/*
 * The kernel trace: the mailbox tool's call timings become metrics here; a NAPI trace is parsed
 * into *trace for the collectors. A trace that lost events would undercount: none is used.
 */
static int trace_extract(const struct iov_rep_setup *x, const struct iov_rep_raw *raw, struct iov_napi_trace **trace,
			 struct iov_metric_set *set, struct iov_err *err)
{
	long long ov = trace_overrun(raw->snap_after);
	struct iov_fgraph fg = { 0 };
	int rc = 0;

	*trace = NULL;
	if (x->tool->trace == IOV_TOOL_TRACE_MAILBOX) {
		if (ov != 0)
			fprintf(stderr, "iovbench: warning: mailbox trace overran, call timings skipped\n");
		else
			rc = iov_fgraph_parse(raw->trace, &fg, err) || iov_metrics_fgraph(set, &fg, err) ? -1 : 0;
		iov_fgraph_free(&fg);
		return rc;
	}
	if (ov != 0) {
		fprintf(stderr, "iovbench: warning: napi trace overran (%s), NAPI trace metrics skipped\n",
			ov > 0 ? "events lost" : "no overrun count");
		return 0;
	}
	*trace = calloc(1, sizeof(**trace));
	if (!*trace) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	return iov_napi_trace_parse(raw->trace, *trace, err);
}

/* vf and vf-noinstr differ only by this switch: a repetition that ran with the other state is void. */
static int instrumentation_check(const struct iov_rep_setup *x, const struct snapshot *before, struct iov_err *err)
{
	const void *drv = snapshot_state(before, "driver_stats");
	int want = iov_nic_instrumentation(x->nic);

	for (size_t i = 0; want >= 0 && i < iov_drv_snapshot_count(drv); i++) {
		const char *bdf;
		const struct iov_drv_stats *s = iov_drv_snapshot_at(drv, i, &bdf);

		if (s->enabled != want) {
			iov_err_set(err, "%s: our drivers' instrumentation is %s, the %s kind needs it %s", bdf,
				    s->enabled ? "on" : "off", iov_nic_name(x->nic), want ? "on" : "off");
			return -1;
		}
	}
	return 0;
}

/* The toggle's segments of this repetition: its ratios appended; its extra file's metrics. */
static int toggle_extract(const struct iov_rep_setup *x, const struct iov_rep_raw *raw, json_t *ratios,
			  struct iov_metric_set *set, struct iov_err *err)
{
	double *r = NULL;
	size_t n = 0;
	int rc = 0;

	if (x->toggle->extra_metrics &&
	    x->toggle->extra_metrics(raw->toggle_extra ? raw->toggle_extra : "", set, err))
		return -1;
	if (x->toggle->no_ratios || !ratios)
		return 0;
	if (iov_toggle_ratios(raw->toggle ? raw->toggle : "", &r, &n, err))
		return -1;
	for (size_t i = 0; i < n && !rc; i++)
		if (json_array_append_new(ratios, json_real(r[i]))) {
			iov_err_set(err, "out of memory");
			rc = -1;
		}
	free(r);
	return rc;
}

/* The hypervisor's CPU time over the repetition, when it was measured. */
static int qemu_extract(const struct iov_rep_raw *raw, struct iov_cpu_time_delta *d, bool *have, struct iov_err *err)
{
	struct iov_proc_ticks b = { 0 }, a = { 0 };
	int rc;

	*have = false;
	if (!raw->qemu_before || !raw->qemu_after)
		return 0;
	rc = iov_proc_ticks_parse(raw->qemu_before, &b, err) || iov_proc_ticks_parse(raw->qemu_after, &a, err) ||
	     iov_cpu_time_delta(&b, &a, d, err);
	iov_proc_ticks_free(&b);
	iov_proc_ticks_free(&a);
	*have = !rc;
	return rc ? -1 : 0;
}

/* The hypervisor's threads counted by perf over the repetition, when they were. */
static int qemu_perf_extract(const struct iov_rep_raw *raw, struct iov_perf_counts *d, bool *have,
			     struct iov_err *err)
{
	struct iov_perf_counts b = { 0 }, a = { 0 };
	int rc;

	*have = false;
	if (!raw->qemu_perf_before || !raw->qemu_perf_after)
		return 0;
	rc = iov_perf_parse(raw->qemu_perf_before, &b, err) || iov_perf_parse(raw->qemu_perf_after, &a, err) ||
	     iov_perf_delta(&b, &a, d, err);
	iov_perf_counts_free(&b);
	iov_perf_counts_free(&a);
	if (rc)
		iov_err_prefix(err, "the hypervisor's threads");
	*have = !rc;
	return rc ? -1 : 0;
}

/* Counter deltas of the repetition -> metrics, through the collectors' table. */
static int counters_extract(const struct iov_rep_setup *x, const struct snapshot *b, const struct snapshot *a,
			    const struct iov_napi_trace *trace, const struct iov_cpu_time_delta *qemu,
			    const struct iov_perf_counts *qemu_perf, bool drv_frozen, struct iov_metric_set *set,
			    struct iov_err *err)
{
	const char *ns[MAX_ENDPOINTS], *dev[MAX_ENDPOINTS], *bdf[MAX_ENDPOINTS], *fig[MAX_ENDPOINTS];
	char figure_name[MAX_ENDPOINTS][32];
	struct iov_collect_rep rep = { .ns = ns, .dev = dev, .bdf = bdf, .figure_name = fig,
				       .own_kernel = x->own_kernel, .drv_frozen = drv_frozen,
				       .no_device_irqs = iov_nic(x->nic)->no_device_irqs,
				       .trace = trace, .qemu = qemu, .qemu_perf = qemu_perf };

	rep.n = iov_rep_endpoints(x->links, x->nlinks, ns, dev, bdf);
	/* Every VM guest may call its NIC eth0: its figures name it as the guest's, "GUEST/DEV",
	 * as its trace does (guest-lib iov_trace_stop). */
	for (size_t i = 0; i < rep.n; i++) {
		if (x->own_kernel && strcmp(ns[i], "-"))
			snprintf(figure_name[i], sizeof(figure_name[i]), "%.15s/%.15s", ns[i], dev[i]);
		else
			iov_strlcpy(figure_name[i], dev[i], sizeof(figure_name[i]));
		fig[i] = figure_name[i];
	}
	return iov_metrics_counters(b, a, &rep, set, err);
}

int iov_extract_rep(const struct iov_rep_setup *x, struct iov_rep_raw *raw, json_t *toggle_ratios,
		    struct iov_metric_set *set, struct iov_err *err)
{
	struct snapshot before = { 0 }, after = { 0 };
	struct iov_napi_trace *trace = NULL;
	struct iov_cpu_time_delta qd = { 0 };
	struct iov_perf_counts *qp = calloc(1, sizeof(*qp)); /* large: not on the stack */
	struct iov_err cerr = { "" };
	bool have_qemu = false, have_qemu_perf = false;
	int rc = -1, client_rc;

	if (!raw->snap_before || !raw->snap_after || !raw->trace) {
		iov_err_set(err, "the repetition's snapshots or trace are missing");
		return -1;
	}
	if (!qp) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	if (qemu_extract(raw, &qd, &have_qemu, err) || qemu_perf_extract(raw, qp, &have_qemu_perf, err) ||
	    trace_extract(x, raw, &trace, set, err) ||
	    snapshot_parse(raw->snap_before, &before, err) || snapshot_parse(raw->snap_after, &after, err) ||
	    instrumentation_check(x, &before, err) ||
	    (x->toggle && toggle_extract(x, raw, toggle_ratios, set, err)))
		goto out;
	client_rc = client_metrics(x, raw, set, &cerr);
	if (counters_extract(x, &before, &after, trace, have_qemu ? &qd : NULL, have_qemu_perf ? qp : NULL,
			     x->toggle && x->toggle->freezes_driver_counters, set, err))
		goto out;
	rc = client_rc;
	if (rc)
		*err = cerr;
out:
	snapshot_free(&before);
	snapshot_free(&after);
	free(trace);
	iov_cpu_time_delta_free(&qd);
	iov_perf_counts_free(qp);
	free(qp);
	return rc;
}

/* The topology an experiment ran on, from its "topology" note; 0 links when it never ran. */
static int links_from_note(json_t *x, struct traffic_link *links, size_t *n, struct iov_err *err)
{
	json_t *topo = json_object_get(json_object_get(x, "notes"), "topology"), *l;
	size_t i;

	*n = 0;
	json_array_foreach(topo, i, l) {
		struct traffic_link *t = &links[*n];
		struct {
			const char *key;
			char *dst;
			size_t size;
		} f[] = {
			{ "instance", t->instance, sizeof(t->instance) }, { "ns", t->ns, sizeof(t->ns) },
			{ "dev", t->dev, sizeof(t->dev) },		  { "addr", t->addr, sizeof(t->addr) },
			{ "bdf", t->bdf, sizeof(t->bdf) },		  { "peer_ns", t->peer_ns, sizeof(t->peer_ns) },
			{ "peer_dev", t->peer_dev, sizeof(t->peer_dev) }, { "peer_addr", t->peer_addr, sizeof(t->peer_addr) },
			{ "peer_bdf", t->peer_bdf, sizeof(t->peer_bdf) },
		};

		if (*n == TRAFFIC_MAX_LINKS) {
			iov_err_set(err, "topology note: more than %d links", TRAFFIC_MAX_LINKS);
			return -1;
		}
		for (size_t k = 0; k < IOV_ARRAY_SIZE(f); k++) {
			const char *v = json_string_value(json_object_get(l, f[k].key));

			if (!v || !iov_strlcpy(f[k].dst, v, f[k].size)) {
				iov_err_set(err, "topology note: link %zu: bad or missing %s", i, f[k].key);
				return -1;
			}
		}
		(*n)++;
	}
	return 0;
}

/* An experiment of the document as far as its metrics go (links filled from its note). */
static int setup_from_doc(json_t *doc, json_t *x, struct iov_rep_setup *s, struct traffic_link *links,
			  struct iov_err *err)
{
	const char *id = iov_jstr(x, "id"), *entry = iov_jstr(x, "entry"), *kind = iov_jstr(x, "guest_kind");
	json_t *wl = json_object_get(json_object_get(doc, "workloads"), entry ? entry : "");
	const char *tool = iov_jstr(wl, "tool");
	int nic = iov_nic_lookup(iov_jstr(x, "nic") ?: "");

	memset(s, 0, sizeof(*s));
	s->tool = tool ? iov_tool_lookup(tool) : NULL;
	if (!s->tool || nic < 0) {
		iov_err_set(err, "%s: unknown tool or NIC kind", id);
		return -1;
	}
	s->nic = (enum iov_nic)nic;
	/* results recorded before guest kinds ran namespace guests */
	for (int k = 0; k < IOV_GUEST_COUNT; k++)
		if (kind && !strcmp(kind, iov_guest_kind_names[k]))
			s->own_kernel = iov_guest_kind(k)->own_kernel;
	s->toggle = iov_toggle_of_doc(s->nic, wl);
	s->links = links;
	if (links_from_note(x, links, &s->nlinks, err)) {
		iov_err_prefix(err, "%s", id);
		return -1;
	}
	return 0;
}

/* One repetition re-extracted into res; a repetition that does not extract keeps what it yields. */
static int rep_reextract(struct iov_result *res, const char *run_dir, const char *id, unsigned rep,
			 const struct iov_rep_setup *s, json_t *ratios, struct iov_err *err)
{
	struct iov_metric_set set = { 0 };
	struct iov_rep_raw raw;
	struct iov_err rerr;
	char dir[PATH_MAX];
	int rc = 0;

	if (snprintf(dir, sizeof(dir), "%s/raw/%s/rep-%u", run_dir, id, rep + 1) >= (int)sizeof(dir)) {
		iov_err_set(err, "%s: path too long", run_dir);
		return -1;
	}
	if (!present(dir, IOV_RAW_SNAPSHOT_BEFORE))
		return 0; /* the repetition never got to its first snapshot */
	if (iov_rep_raw_load(dir, s, &raw, &rerr)) {
		fprintf(stderr, "iovbench: %s rep %u: %s\n", id, rep + 1, rerr.msg);
		return 0;
	}
	if (iov_extract_rep(s, &raw, ratios, &set, &rerr))
		fprintf(stderr, "iovbench: %s rep %u: %s\n", id, rep + 1, rerr.msg);
	if (set.n)
		rc = iov_result_add_values(res, id, rep, &set, err);
	iov_metric_set_free(&set);
	iov_rep_raw_free(&raw);
	return rc;
}

static int experiment_reextract(struct iov_result *res, const char *run_dir, json_t *x, struct iov_err *err)
{
	const char *id = iov_jstr(x, "id");
	unsigned reps = (unsigned)json_integer_value(json_object_get(x, "reps_planned"));
	struct traffic_link links[TRAFFIC_MAX_LINKS];
	struct iov_rep_setup s;
	json_t *ratios = NULL;

	if (!json_object_get(json_object_get(x, "notes"), "topology"))
		return 0; /* it never ran: nothing was measured */
	if (setup_from_doc(iov_result_json(res), x, &s, links, err) || iov_result_clear_values(res, id, err))
		return -1;
	if (s.toggle && !s.toggle->no_ratios && !(ratios = json_array())) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	for (unsigned r = 0; r < reps; r++)
		if (rep_reextract(res, run_dir, id, r, &s, ratios, err)) {
			json_decref(ratios);
			return -1;
		}
	return ratios ? iov_result_note(res, id, s.toggle->note, ratios, err) : 0;
}

int iov_extract_run(const char *run_dir, struct iov_err *err)
{
	char path[PATH_MAX];
	struct iov_result *res;
	json_t *x;
	size_t i;
	int rc = 0;

	if (iov_path_join(path, sizeof(path), run_dir, IOV_RESULT_FILE)) {
		iov_err_set(err, "%s: path too long", run_dir);
		return -1;
	}
	res = iov_result_open(path, err);
	if (!res)
		return -1;
	/* the values are this program's: so is the catalogue that says what they are */
	rc = iov_result_refresh_catalogue(res, err);
	json_array_foreach(json_object_get(iov_result_json(res), "experiments"), i, x)
		if (!rc && experiment_reextract(res, run_dir, x, err)) {
			iov_err_prefix(err, "%s", path);
			rc = -1;
		}
	if (!rc)
		rc = iov_result_write(res, err);
	iov_result_free(res);
	return rc;
}
