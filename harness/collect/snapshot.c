// SPDX-License-Identifier: MIT
/* snapshot.c - split a target snapshot into its sources and parse each (see snapshot.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/snapshot.h"

void snapshot_free(struct snapshot *s)
{
	iov_irq_free(&s->irq);
	for (size_t i = 0; i < s->nguest; i++)
		iov_irq_free(&s->guest[i].irq);
	iov_procstat_free(&s->stat);
	if (s->perf)
		iov_perf_counts_free(s->perf);
	free(s->perf);
	for (size_t i = 0; i < s->nnetdev; i++)
		iov_netdev_free(&s->netdev[i].t);
	for (size_t i = 0; i < s->ndrv; i++)
		iov_drv_stats_free(&s->drv[i].s);
	memset(s, 0, sizeof(*s));
}

/* The guest's slot, added on its first section. */
static struct snapshot_guest *guest_slot(struct snapshot *s, const char *name, struct iov_err *err)
{
	for (size_t i = 0; i < s->nguest; i++)
		if (!strcmp(s->guest[i].name, name))
			return &s->guest[i];
	if (s->nguest == SNAPSHOT_MAX_GUESTS) {
		iov_err_set(err, "snapshot: more than %d guests with their own counters", SNAPSHOT_MAX_GUESTS);
		return NULL;
	}
	iov_strlcpy(s->guest[s->nguest].name, name, sizeof(s->guest[0].name));
	return &s->guest[s->nguest++];
}

const struct snapshot_guest *snapshot_guest(const struct snapshot *s, const char *name)
{
	for (size_t i = 0; i < s->nguest; i++)
		if (!strcmp(s->guest[i].name, name))
			return &s->guest[i];
	return NULL;
}

/* Parse one "=== NAME [ARG [ARG2]]" section; body is NUL-terminated. */
static int snapshot_section(struct snapshot *s, const char *name, const char *arg, const char *arg2,
			    const char *body, struct iov_err *err)
{
	if (!strcmp(name, "qstats"))
		return iov_qstats_add(&s->qstats, arg2, body, err);
	if (!strcmp(name, "perf")) {
		s->perf = calloc(1, sizeof(*s->perf));
		if (!s->perf) {
			iov_err_set(err, "out of memory");
			return -1;
		}
		return iov_perf_parse(body, s->perf, err);
	}
	if (!strcmp(name, "uptime")) {
		if (sscanf(body, "%lf", &s->uptime_s) != 1) {
			iov_err_set(err, "snapshot: bad /proc/uptime '%.40s'", body);
			return -1;
		}
		return 0;
	}
	if (!strcmp(name, "interrupts") && !arg[0])
		return iov_irq_parse(body, &s->irq, err);
	if (!strcmp(name, "interrupts") || !strcmp(name, "kvm")) {
		struct snapshot_guest *g = guest_slot(s, arg, err);

		if (!g)
			return -1;
		if (!strcmp(name, "kvm")) {
			g->has_kvm = true;
			if (iov_kvm_parse(body, &g->kvm, err)) {
				iov_err_prefix(err, "guest %s", arg);
				return -1;
			}
			return 0;
		}
		g->has_irq = true;
		if (iov_irq_parse(body, &g->irq, err)) {
			iov_err_prefix(err, "interrupts of guest %s", arg);
			return -1;
		}
		return 0;
	}
	if (!strcmp(name, "stat"))
		return iov_procstat_parse(body, &s->stat, err);
	if (!strcmp(name, "netdev")) {
		if (s->nnetdev == IOV_ARRAY_SIZE(s->netdev))
			return 0;
		iov_strlcpy(s->netdev[s->nnetdev].ns, arg, sizeof(s->netdev[0].ns));
		if (iov_netdev_parse(body, &s->netdev[s->nnetdev].t, err))
			return -1;
		s->nnetdev++;
		return 0;
	}
	if (!strcmp(name, "snmp")) {
		if (s->nsnmp == IOV_ARRAY_SIZE(s->snmp))
			return 0;
		iov_strlcpy(s->snmp[s->nsnmp].ns, arg, sizeof(s->snmp[0].ns));
		if (iov_snmp_parse(body, &s->snmp[s->nsnmp].udp, err)) {
			iov_err_prefix(err, "namespace %s", arg);
			return -1;
		}
		s->nsnmp++;
		return 0;
	}
	if (!strcmp(name, "drv")) {
		if (s->ndrv == SNAPSHOT_MAX_DRV)
			return 0;
		iov_strlcpy(s->drv[s->ndrv].bdf, arg, sizeof(s->drv[0].bdf));
		if (iov_drv_stats_parse(body, &s->drv[s->ndrv].s, err)) {
			iov_err_prefix(err, "driver stats of %s", arg);
			return -1;
		}
		s->ndrv++;
	}
	return 0;
}

/* A section header as parsed, to refuse a repeated one (its parse would leak or double-count). */
struct section_key {
	char name[32], arg[64], arg2[64];
};

int snapshot_parse(char *text, struct snapshot *s, struct iov_err *err)
{
	struct section_key *seen = calloc(SNAPSHOT_MAX_SECTIONS, sizeof(*seen));
	char *p = strstr(text, "=== ");
	size_t nseen = 0;

	memset(s, 0, sizeof(*s));
	if (!seen) {
		iov_err_set(err, "snapshot: out of memory");
		return -1;
	}
	while (p) {
		char *eol = strchr(p, '\n'), *next, *name, *arg, *arg2;

		if (!eol)
			break;
		if (nseen == SNAPSHOT_MAX_SECTIONS) {
			iov_err_set(err, "snapshot: more than %d sections", SNAPSHOT_MAX_SECTIONS);
			goto fail;
		}
		name = seen[nseen].name;
		arg = seen[nseen].arg;
		arg2 = seen[nseen].arg2;
		*eol = '\0';
		sscanf(p + 4, "%31s %63s %63s", name, arg, arg2);
		for (size_t i = 0; i < nseen; i++)
			if (!strcmp(seen[i].name, name) && !strcmp(seen[i].arg, arg) && !strcmp(seen[i].arg2, arg2)) {
				iov_err_set(err, "snapshot: section '=== %s%s%s%s%s' twice", name, arg[0] ? " " : "", arg,
					    arg2[0] ? " " : "", arg2);
				*eol = '\n';
				goto fail;
			}
		nseen++;
		/* The next header: right here (an empty section) or after a newline. */
		next = strncmp(eol + 1, "=== ", 4) ? strstr(eol + 1, "\n=== ") : eol;
		if (next)
			next[1] = '\0'; /* end the body; the next header starts at next + 1 */
		if (snapshot_section(s, name, arg, arg2, next == eol ? "" : eol + 1, err)) {
			if (next)
				next[1] = '=';
			*eol = '\n';
			goto fail;
		}
		if (next)
			next[1] = '=';
		*eol = '\n';
		p = next ? next + 1 : NULL;
	}
	free(seen);
	if (!s->irq.n || !s->stat.ncpus || s->uptime_s <= 0) {
		snapshot_free(s);
		iov_err_set(err, "snapshot incomplete (no interrupts, stat or uptime section)");
		return -1;
	}
	return 0;
fail:
	free(seen);
	snapshot_free(s);
	return -1;
}

const struct iov_netdev_table *snapshot_netdev(const struct snapshot *s, const char *ns)
{
	for (size_t i = 0; i < s->nnetdev; i++)
		if (!strcmp(s->netdev[i].ns, ns))
			return &s->netdev[i].t;
	return NULL;
}
