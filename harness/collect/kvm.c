// SPDX-License-Identifier: MIT
/* kvm.c - per-guest KVM event counts and their deltas (see kvm.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/kvm.h"
#include "collect/collector.h"
#include "metrics_compute.h"

int iov_kvm_parse(const char *text, struct iov_kvm_counts *c, struct iov_err *err)
{
	const char *cur = text, *line;
	size_t len;
	int lineno = 0;

	memset(c, 0, sizeof(*c));
	while ((line = iov_next_line(&cur, &len))) {
		char buf[128], word[16];
		unsigned isa, code;
		uint64_t n;

		lineno++;
		iov_strlcpy_n(buf, sizeof(buf), line, len);
		if (!buf[0])
			continue;
		if (sscanf(buf, "exit %u %u %" SCNu64, &isa, &code, &n) == 3) {
			if (c->nreasons == IOV_KVM_MAX_REASONS) {
				iov_err_set(err, "kvm: more than %d exit reasons", IOV_KVM_MAX_REASONS);
				return -1;
			}
			c->reason[c->nreasons].isa = isa;
			c->reason[c->nreasons].code = code;
			c->reason[c->nreasons++].n = n;
			c->exits += n;
			continue;
		}
		if (sscanf(buf, "%15s %" SCNu64, word, &n) != 2) {
			iov_err_set(err, "kvm: line %d: '%.60s' is not a count", lineno, buf);
			return -1;
		}
		if (!strcmp(word, "inj")) {
			c->inj = n;
		} else if (!strcmp(word, "userspace")) {
			c->userspace = n;
		} else if (!strcmp(word, "host_irq")) {
			c->host_irq = n;
			c->has_host_irq = true;
		} else {
			iov_err_set(err, "kvm: line %d: unknown count '%s'", lineno, word);
			return -1;
		}
	}
	return 0;
}

static int sub(uint64_t b, uint64_t a, uint64_t *d, const char *what, struct iov_err *err)
{
	if (a < b) {
		iov_err_set(err, "kvm: %s went down (%" PRIu64 " -> %" PRIu64 "): the guest's QEMU restarted",
			    what, b, a);
		return -1;
	}
	*d = a - b;
	return 0;
}

int iov_kvm_delta(const struct iov_kvm_counts *before, const struct iov_kvm_counts *after,
		  struct iov_kvm_counts *delta, struct iov_err *err)
{
	memset(delta, 0, sizeof(*delta));
	for (size_t i = 0; i < after->nreasons; i++) {
		uint64_t b = 0;

		for (size_t j = 0; j < before->nreasons; j++)
			if (before->reason[j].isa == after->reason[i].isa &&
			    before->reason[j].code == after->reason[i].code)
				b = before->reason[j].n;
		delta->reason[i].isa = after->reason[i].isa;
		delta->reason[i].code = after->reason[i].code;
		if (sub(b, after->reason[i].n, &delta->reason[i].n, "an exit count", err))
			return -1;
		delta->exits += delta->reason[i].n;
	}
	delta->nreasons = after->nreasons;
	for (size_t j = 0; j < before->nreasons; j++) {
		bool kept = false;

		for (size_t i = 0; i < after->nreasons; i++)
			kept |= before->reason[j].isa == after->reason[i].isa &&
				before->reason[j].code == after->reason[i].code;
		if (!kept) {
			iov_err_set(err, "kvm: exit reason %u vanished: the guest's QEMU restarted",
				    before->reason[j].code);
			return -1;
		}
	}
	delta->has_host_irq = before->has_host_irq && after->has_host_irq;
	return sub(before->inj, after->inj, &delta->inj, "the injection count", err) ||
	       sub(before->userspace, after->userspace, &delta->userspace, "the userspace exit count", err) ||
	       sub(before->host_irq, after->host_irq, &delta->host_irq, "the host interrupt count", err);
}

/* The collector of "=== kvm GUEST": what KVM did for each VM guest, counted in the driver domain. */
struct kvm_snap {
	size_t n, cap;
	struct kvm_guest_counts {
		char name[16];
		struct iov_kvm_counts c;
	} *v;
};

static int kvm_state_parse(void *state, const char *arg, const char *arg2, const char *body, struct iov_err *err)
{
	struct kvm_snap *s = state;
	struct kvm_guest_counts *g;

	(void)arg2;
	g = iov_collector_entry(&s->v, s->n, &s->cap, sizeof(*s->v), arg, sizeof(g->name), "guest", err);
	if (!g)
		return -1;
	if (iov_kvm_parse(body, &g->c, err)) {
		iov_err_prefix(err, "guest %s", arg);
		return -1;
	}
	s->n++;
	return 0;
}

static void kvm_state_free(void *state)
{
	free(((struct kvm_snap *)state)->v);
}

static const struct iov_kvm_counts *kvm_find(const struct kvm_snap *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return &s->v[i].c;
	return NULL;
}

/*
 * The hypervisor's cost for every guest KVM runs, with the guest's own count of its assigned
 * VF's interrupts (its endpoints' "GUEST/BDF" rows of rep->irq) beside the driver domain's.
 */
static int kvm_state_metrics(const void *before, const void *after, struct iov_collect_rep *rep,
			     struct iov_metric_set *set, struct iov_err *err)
{
	const struct kvm_snap *b = before, *a = after;
	struct iov_kvm_counts *d = calloc(b->n ? b->n : 1, sizeof(*d));
	struct iov_kvm_guest *g = calloc(b->n ? b->n : 1, sizeof(*g));
	int rc = -1;

	if (!d || !g) {
		iov_err_set(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < b->n; i++) {
		const struct iov_kvm_counts *ca = kvm_find(a, b->v[i].name);
		const char *name = b->v[i].name;
		size_t len = strlen(name);

		if (!ca) {
			iov_err_set(err, "guest %s: no KVM counts after the repetition", name);
			goto out;
		}
		if (iov_kvm_delta(&b->v[i].c, ca, &d[i], err)) {
			iov_err_prefix(err, "guest %s", name);
			goto out;
		}
		g[i] = (struct iov_kvm_guest){ .name = name, .delta = &d[i] };
		for (size_t e = 0; e < rep->n; e++)
			if (!strncmp(rep->bdf[e], name, len) && rep->bdf[e][len] == '/')
				g[i].guest_vf_irqs += iov_irq_sum_matching(&rep->irq, rep->bdf[e], NULL);
	}
	rc = iov_metrics_kvm(set, g, b->n, rep->seconds, rep->packets, err);
	if (!rc && b->n) {
		rep->kvm_exits = rep->kvm_injections = 0;
		for (size_t i = 0; i < b->n; i++) {
			rep->kvm_exits += (int64_t)d[i].exits;
			rep->kvm_injections += (int64_t)d[i].inj;
		}
	}
out:
	free(d);
	free(g);
	return rc;
}

const struct iov_collector_ops iov_collector_kvm = {
	.name = "kvm",
	.section = "kvm",
	.state_size = sizeof(struct kvm_snap),
	.parse = kvm_state_parse,
	.free = kvm_state_free,
	.metrics = kvm_state_metrics,
};
