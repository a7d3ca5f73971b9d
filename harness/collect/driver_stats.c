// SPDX-License-Identifier: MIT
/* driver_stats.c - debugfs stats format v1 parser, deltas and invariant checks. */
#include "collect/driver_stats.h"
#include "collect/collector.h"
#include "metrics_compute.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 32

struct record {
	const char *kind;
	size_t n;
	struct {
		const char *key, *value;
	} f[MAX_FIELDS];
};

/* Split a line (modified in place) into kind and key=value fields; fields without '=' are skipped. */
static void split_record(char *line, struct record *r)
{
	char *save, *tok;

	r->n = 0;
	r->kind = strtok_r(line, " \t", &save);
	while ((tok = strtok_r(NULL, " \t", &save)) && r->n < MAX_FIELDS) {
		char *eq = strchr(tok, '=');

		if (!eq)
			continue;
		*eq = '\0';
		r->f[r->n].key = tok;
		r->f[r->n].value = eq + 1;
		r->n++;
	}
}

static const char *field(const struct record *r, const char *key)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->f[i].key, key))
			return r->f[i].value;
	return NULL;
}

/* Fetch helpers: a missing optional field keeps the default; present-but-bad is an error. */
static int get_u64(const struct record *r, const char *key, bool required, uint64_t *out, int lineno,
		   struct iov_err *err)
{
	const char *v = field(r, key);

	if (!v) {
		if (!required)
			return 0;
		iov_err_set(err, "line %d: %s record without %s=", lineno, r->kind, key);
		return -1;
	}
	if (iov_parse_u64(v, out)) {
		iov_err_set(err, "line %d: %s: %s='%s' is not a counter", lineno, r->kind, key, v);
		return -1;
	}
	return 0;
}

static int get_int(const struct record *r, const char *key, bool required, int *out, int lineno,
		   struct iov_err *err)
{
	const char *v = field(r, key);
	int64_t n;

	if (!v) {
		if (!required)
			return 0;
		iov_err_set(err, "line %d: %s record without %s=", lineno, r->kind, key);
		return -1;
	}
	if (iov_parse_i64(v, &n) || n < -1 || n > 1 << 20) {
		iov_err_set(err, "line %d: %s: %s='%s' is not an integer", lineno, r->kind, key, v);
		return -1;
	}
	*out = (int)n;
	return 0;
}

static int get_str(const struct record *r, const char *key, bool required, char *out, size_t size, int lineno,
		   struct iov_err *err)
{
	const char *v = field(r, key);

	if (!v) {
		if (!required)
			return 0;
		iov_err_set(err, "line %d: %s record without %s=", lineno, r->kind, key);
		return -1;
	}
	if (!iov_strlcpy(out, v, size)) {
		iov_err_set(err, "line %d: %s: %s='%s' too long", lineno, r->kind, key, v);
		return -1;
	}
	return 0;
}

static int get_hist(const struct record *r, const char *key, struct iov_hist *h, int lineno, struct iov_err *err)
{
	const char *v = field(r, key);

	memset(h, 0, sizeof(*h));
	if (v && iov_hist_parse(v, h, err)) {
		iov_err_prefix(err, "line %d: %s: %s", lineno, r->kind, key);
		return -1;
	}
	return 0;
}

/* Append one record of `size` bytes to a growing array of *n records. */
static int append(void **array, size_t *n, size_t size, const void *item, struct iov_err *err)
{
	char *grown = realloc(*array, (*n + 1) * size);

	if (!grown) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	memcpy(grown + *n * size, item, size);
	*array = grown;
	(*n)++;
	return 0;
}

#define APPEND(array, n, item, err) append((void **)&(array), &(n), sizeof(*(array)), &(item), err)

static int parse_dev(const struct record *r, struct iov_drv_stats *s, int lineno, struct iov_err *err)
{
	return get_str(r, "driver", true, s->driver, sizeof(s->driver), lineno, err) ||
	       get_str(r, "bdf", true, s->bdf, sizeof(s->bdf), lineno, err) ||
	       get_str(r, "netdev", false, s->netdev, sizeof(s->netdev), lineno, err) ||
	       get_str(r, "role", true, s->role, sizeof(s->role), lineno, err) ||
	       get_int(r, "num_vfs", false, &s->num_vfs, lineno, err) ||
	       get_int(r, "enabled", false, &s->enabled, lineno, err) ? -1 : 0;
}

static int parse_irq(const struct record *r, struct iov_drv_stats *s, int lineno, struct iov_err *err)
{
	struct iov_drv_irq irq = { 0 };
	int vec = 0;

	if (get_int(r, "vec", true, &vec, lineno, err) || get_str(r, "name", false, irq.name, sizeof(irq.name), lineno, err) ||
	    get_u64(r, "count", true, &irq.count, lineno, err))
		return -1;
	irq.vec = (unsigned)vec;
	for (size_t i = 0; i < s->nirq; i++)
		if (s->irq[i].vec == irq.vec) {
			iov_err_set(err, "line %d: irq vec=%u listed twice", lineno, irq.vec);
			return -1;
		}
	return APPEND(s->irq, s->nirq, irq, err);
}

static int parse_napi(const struct record *r, struct iov_drv_stats *s, int lineno, struct iov_err *err)
{
	struct iov_drv_napi napi = { 0 };
	uint64_t budget = 0;
	int id = 0;

	if (get_int(r, "id", true, &id, lineno, err) ||
	    get_str(r, "name", false, napi.name, sizeof(napi.name), lineno, err) ||
	    get_u64(r, "budget", false, &budget, lineno, err) || get_u64(r, "polls", true, &napi.polls, lineno, err) ||
	    get_u64(r, "irqs", false, &napi.irqs, lineno, err) || get_u64(r, "rearms", false, &napi.rearms, lineno, err) ||
	    get_hist(r, "work", &napi.work, lineno, err))
		return -1;
	napi.id = (unsigned)id;
	napi.budget = (unsigned)budget;
	for (size_t i = 0; i < s->nnapi; i++)
		if (s->napi[i].id == napi.id) {
			iov_err_set(err, "line %d: napi id=%u listed twice", lineno, napi.id);
			return -1;
		}
	return APPEND(s->napi, s->nnapi, napi, err);
}

static int parse_mbx(const struct record *r, struct iov_drv_stats *s, int lineno, struct iov_err *err)
{
	struct iov_drv_mbx mbx = { 0 };

	if (get_int(r, "vf", true, &mbx.vf, lineno, err) || get_str(r, "dir", true, mbx.dir, sizeof(mbx.dir), lineno, err) ||
	    get_str(r, "op", true, mbx.op, sizeof(mbx.op), lineno, err) ||
	    get_u64(r, "count", true, &mbx.count, lineno, err) || get_u64(r, "ack", false, &mbx.ack, lineno, err) ||
	    get_u64(r, "nack", false, &mbx.nack, lineno, err) ||
	    get_u64(r, "timeout", false, &mbx.timeout, lineno, err) || get_hist(r, "lat_ns", &mbx.lat_ns, lineno, err))
		return -1;
	if (iov_drv_stats_find_mbx(s, mbx.vf, mbx.dir, mbx.op)) {
		iov_err_set(err, "line %d: mbx vf=%d dir=%s op=%s listed twice", lineno, mbx.vf, mbx.dir, mbx.op);
		return -1;
	}
	return APPEND(s->mbx, s->nmbx, mbx, err);
}

int iov_drv_stats_parse(const char *text, struct iov_drv_stats *s, struct iov_err *err)
{
	const char *cursor = text, *raw;
	bool have_dev = false;
	size_t len;
	int lineno = 0;

	memset(s, 0, sizeof(*s));
	s->num_vfs = -1;
	s->enabled = 1;
	while ((raw = iov_next_line(&cursor, &len))) {
		struct record r;
		char *line;
		int rc = 0;

		lineno++;
		line = strndup(raw, len);
		if (!line) {
			iov_err_set(err, "out of memory");
			goto fail;
		}
		if (lineno == 1) {
			int version = -1, consumed = 0;

			if (sscanf(line, "# iovbench-stats %d%n", &version, &consumed) != 1 || line[consumed]) {
				iov_err_set(err, "line 1: not an iovbench stats file (want '# iovbench-stats %d'), got '%s'",
					    IOV_DRV_STATS_VERSION, line);
				rc = -1;
			} else if (version != IOV_DRV_STATS_VERSION) {
				iov_err_set(err, "line 1: format version %d, this harness reads version %d", version,
					    IOV_DRV_STATS_VERSION);
				rc = -1;
			}
			free(line);
			if (rc)
				goto fail;
			continue;
		}
		split_record(line, &r);
		if (!r.kind || r.kind[0] == '#') {
			free(line);
			continue;
		}
		if (!strcmp(r.kind, "dev")) {
			if (have_dev) {
				iov_err_set(err, "line %d: second dev record", lineno);
				rc = -1;
			} else {
				rc = parse_dev(&r, s, lineno, err);
				have_dev = true;
			}
		} else if (!strcmp(r.kind, "irq")) {
			rc = parse_irq(&r, s, lineno, err);
		} else if (!strcmp(r.kind, "napi")) {
			rc = parse_napi(&r, s, lineno, err);
		} else if (!strcmp(r.kind, "mbx")) {
			rc = parse_mbx(&r, s, lineno, err);
		} /* other kinds: a newer driver of the same version, ignored by contract */
		free(line);
		if (rc)
			goto fail;
	}
	if (!lineno) {
		iov_err_set(err, "empty file");
		goto fail;
	}
	if (!have_dev) {
		iov_err_set(err, "no dev record");
		goto fail;
	}
	return 0;
fail:
	iov_err_prefix(err, "driver stats");
	iov_drv_stats_free(s);
	return -1;
}

void iov_drv_stats_free(struct iov_drv_stats *s)
{
	free(s->irq);
	free(s->napi);
	free(s->mbx);
	memset(s, 0, sizeof(*s));
}

const struct iov_drv_mbx *iov_drv_stats_find_mbx(const struct iov_drv_stats *s, int vf, const char *dir,
						 const char *op)
{
	for (size_t i = 0; i < s->nmbx; i++)
		if (s->mbx[i].vf == vf && !strcmp(s->mbx[i].dir, dir) && !strcmp(s->mbx[i].op, op))
			return &s->mbx[i];
	return NULL;
}

static int sub(uint64_t after, uint64_t before, uint64_t *out, const char *what, struct iov_err *err)
{
	if (after < before) {
		iov_err_set(err, "%s went down from %llu to %llu (counters reset between snapshots?)", what,
			    (unsigned long long)before, (unsigned long long)after);
		return -1;
	}
	*out = after - before;
	return 0;
}

static int dup_array(void **dst, const void *src, size_t n, size_t size)
{
	*dst = NULL;
	if (!n)
		return 0;
	*dst = malloc(n * size);
	if (!*dst)
		return -1;
	memcpy(*dst, src, n * size);
	return 0;
}

int iov_drv_stats_delta(const struct iov_drv_stats *before, const struct iov_drv_stats *after,
			struct iov_drv_stats *d, struct iov_err *err)
{
	char what[96];

	*d = *after;
	d->irq = NULL;
	d->napi = NULL;
	d->mbx = NULL;
	if (strcmp(before->bdf, after->bdf) || strcmp(before->driver, after->driver)) {
		iov_err_set(err, "driver stats: snapshots of different functions (%s %s, %s %s)", before->driver,
			    before->bdf, after->driver, after->bdf);
		memset(d, 0, sizeof(*d));
		return -1;
	}
	if (dup_array((void **)&d->irq, after->irq, after->nirq, sizeof(*d->irq)) ||
	    dup_array((void **)&d->napi, after->napi, after->nnapi, sizeof(*d->napi)) ||
	    dup_array((void **)&d->mbx, after->mbx, after->nmbx, sizeof(*d->mbx))) {
		iov_err_set(err, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < d->nirq; i++)
		for (size_t j = 0; j < before->nirq; j++)
			if (before->irq[j].vec == d->irq[i].vec) {
				snprintf(what, sizeof(what), "irq vec=%u count", d->irq[i].vec);
				if (sub(d->irq[i].count, before->irq[j].count, &d->irq[i].count, what, err))
					goto fail;
			}
	for (size_t i = 0; i < d->nnapi; i++)
		for (size_t j = 0; j < before->nnapi; j++) {
			struct iov_drv_napi *n = &d->napi[i];
			const struct iov_drv_napi *b = &before->napi[j];

			if (b->id != n->id)
				continue;
			snprintf(what, sizeof(what), "napi id=%u", n->id);
			if (sub(n->polls, b->polls, &n->polls, what, err) || sub(n->irqs, b->irqs, &n->irqs, what, err) ||
			    sub(n->rearms, b->rearms, &n->rearms, what, err) ||
			    iov_hist_delta(&b->work, &n->work, &n->work, err)) {
				iov_err_prefix(err, "%s", what);
				goto fail;
			}
		}
	for (size_t i = 0; i < d->nmbx; i++) {
		struct iov_drv_mbx *m = &d->mbx[i];
		const struct iov_drv_mbx *b = iov_drv_stats_find_mbx(before, m->vf, m->dir, m->op);

		if (!b)
			continue;
		snprintf(what, sizeof(what), "mbx vf=%d dir=%s op=%s", m->vf, m->dir, m->op);
		if (sub(m->count, b->count, &m->count, what, err) || sub(m->ack, b->ack, &m->ack, what, err) ||
		    sub(m->nack, b->nack, &m->nack, what, err) || sub(m->timeout, b->timeout, &m->timeout, what, err) ||
		    iov_hist_delta(&b->lat_ns, &m->lat_ns, &m->lat_ns, err)) {
			iov_err_prefix(err, "%s", what);
			goto fail;
		}
	}
	return 0;
fail:
	iov_err_prefix(err, "driver stats %s", after->bdf);
	iov_drv_stats_free(d);
	return -1;
}

int iov_drv_stats_check(const struct iov_drv_stats *s, struct iov_err *err)
{
	for (size_t i = 0; i < s->nnapi; i++) {
		uint64_t sum = iov_hist_total(&s->napi[i].work);

		if (sum != s->napi[i].polls) {
			iov_err_set(err, "driver stats %s: napi id=%u: work histogram sums to %llu, polls=%llu", s->bdf,
				    s->napi[i].id, (unsigned long long)sum, (unsigned long long)s->napi[i].polls);
			return -1;
		}
	}
	return 0;
}

/* The collector of "=== drv BDF": our drivers' statistics per PCI function ("vm1/BDF" inside a VM guest). */
struct drv_snap {
	size_t n, cap;
	struct drv_fn {
		char bdf[32];
		struct iov_drv_stats s;
	} *v;
};

static int drv_state_parse(void *state, const char *arg, const char *arg2, const char *body, struct iov_err *err)
{
	struct drv_snap *s = state;
	struct drv_fn *f;

	(void)arg2;
	f = iov_collector_entry(&s->v, s->n, &s->cap, sizeof(*s->v), arg, sizeof(f->bdf), "PCI function", err);
	if (!f)
		return -1;
	if (iov_drv_stats_parse(body, &f->s, err)) {
		iov_err_prefix(err, "driver stats of %s", arg);
		return -1;
	}
	s->n++;
	return 0;
}

static void drv_state_free(void *state)
{
	struct drv_snap *s = state;

	for (size_t i = 0; i < s->n; i++)
		iov_drv_stats_free(&s->v[i].s);
	free(s->v);
}

size_t iov_drv_snapshot_count(const void *state)
{
	return state ? ((const struct drv_snap *)state)->n : 0;
}

const struct iov_drv_stats *iov_drv_snapshot_at(const void *state, size_t i, const char **bdf)
{
	const struct drv_snap *s = state;

	if (!s || i >= s->n)
		return NULL;
	if (bdf)
		*bdf = s->v[i].bdf;
	return &s->v[i].s;
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

static int drv_state_metrics(const void *before, const void *after, struct iov_collect_rep *rep,
			     struct iov_metric_set *set, struct iov_err *err)
{
	const struct drv_snap *b = before, *a = after;
	struct iov_drv_stats *d = calloc(b->n ? b->n : 1, sizeof(*d));
	size_t nd = 0;
	int rc = -1;

	if (!d) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	/* Instrumentation off (vf-noinstr) or toggled (instr_toggle_s): frozen or half-frozen
	 * counters are no measurement. */
	for (size_t i = 0; i < b->n && !rep->drv_frozen; i++)
		for (size_t j = 0; j < a->n; j++) {
			if (strcmp(b->v[i].bdf, a->v[j].bdf) || !b->v[i].s.enabled || !a->v[j].s.enabled)
				continue;
			if (iov_drv_stats_delta(&b->v[i].s, &a->v[j].s, &d[nd], err))
				goto out;
			scope_drv_netdev(&d[nd], b->v[i].bdf);
			nd++;
		}
	rc = nd ? iov_metrics_driver_stats(set, d, nd, rep->seconds, rep->trace, err) : 0;
out:
	for (size_t i = 0; i < nd; i++)
		iov_drv_stats_free(&d[i]);
	free(d);
	return rc;
}

const struct iov_collector_ops iov_collector_driver_stats = {
	.name = "driver_stats",
	.section = "drv",
	.state_size = sizeof(struct drv_snap),
	.parse = drv_state_parse,
	.free = drv_state_free,
	.metrics = drv_state_metrics,
};
