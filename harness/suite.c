// SPDX-License-Identifier: MIT
/* suite.c - workload catalogue, suite files and their expansion into a plan of experiments. */
#include "suite.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guests/guests.h"
#include "ini.h"
#include "toggles/toggles.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

static int catalogue_add_file(struct iov_catalogue *cat, const char *path, struct iov_err *err)
{
	struct iov_workload *wls, *grown;
	size_t n;

	if (iov_workload_load(path, &wls, &n, err))
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct iov_workload *dup = iov_catalogue_find(cat, wls[i].name);

		if (dup) {
			iov_err_set(err, "%s:%d: workload %s already defined at %s:%d", wls[i].file, wls[i].line,
				    wls[i].name, dup->file, dup->line);
			free(wls);
			return -1;
		}
	}
	grown = realloc(cat->workloads, (cat->n + n) * sizeof(*grown));
	if (!grown) {
		free(wls);
		iov_err_set(err, "%s: out of memory", path);
		return -1;
	}
	memcpy(grown + cat->n, wls, n * sizeof(*wls));
	cat->workloads = grown;
	cat->n += n;
	free(wls);
	return 0;
}

int iov_catalogue_load(const char *dir, struct iov_catalogue *cat, struct iov_err *err)
{
	char **names = NULL;
	size_t nnames = 0;
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0;

	memset(cat, 0, sizeof(*cat));
	if (!d) {
		iov_err_set(err, "%s: cannot open workload directory", dir);
		return -1;
	}
	while ((de = readdir(d))) {
		char **grown;

		if (!has_suffix(de->d_name, ".workload"))
			continue;
		grown = realloc(names, (nnames + 1) * sizeof(*names));
		if (!grown || asprintf(&grown[nnames], "%s/%s", dir, de->d_name) < 0) {
			names = grown ? grown : names;
			rc = -1;
			iov_err_set(err, "%s: out of memory", dir);
			break;
		}
		names = grown;
		nnames++;
	}
	closedir(d);
	/* Sorted so that "defined twice" errors and listings do not depend on readdir order. */
	if (!rc)
		qsort(names, nnames, sizeof(*names), cmp_str);
	for (size_t i = 0; !rc && i < nnames; i++)
		rc = catalogue_add_file(cat, names[i], err);
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	if (!rc && !cat->n) {
		iov_err_set(err, "%s: no *.workload files", dir);
		rc = -1;
	}
	if (rc)
		iov_catalogue_free(cat);
	return rc;
}

const struct iov_workload *iov_catalogue_find(const struct iov_catalogue *cat, const char *name)
{
	for (size_t i = 0; i < cat->n; i++)
		if (!strcmp(cat->workloads[i].name, name))
			return &cat->workloads[i];
	return NULL;
}

void iov_catalogue_free(struct iov_catalogue *cat)
{
	free(cat->workloads);
	memset(cat, 0, sizeof(*cat));
}

/* Apply a section's workload keys (all but the ones in skip) on top of wl. */
static int apply_section(struct iov_workload *wl, const struct iov_ini *ini, const struct iov_ini_section *sec,
			 const char *const *skip, struct iov_err *err)
{
	for (size_t i = 0; i < sec->n; i++) {
		const struct iov_ini_entry *e = &sec->entries[i];
		bool skipped = false;

		for (const char *const *s = skip; *s; s++)
			skipped |= !strcmp(*s, e->key);
		if (skipped)
			continue;
		if (!strcmp(e->key, "tool")) {
			iov_err_set(err, "%s:%d: tool: a suite cannot change a workload's tool", ini->file, e->line);
			return -1;
		}
		if (iov_workload_set(wl, e->key, e->value, ini->file, e->line, err))
			return -1;
	}
	return 0;
}

static int apply_overrides(struct iov_workload *wl, const struct iov_override *ov, size_t nov, struct iov_err *err)
{
	for (size_t i = 0; i < nov; i++) {
		if (!strcmp(ov[i].key, "tool")) {
			iov_err_set(err, "%s: tool: cannot be overridden", IOV_OVERRIDE_ORIGIN);
			return -1;
		}
		if (iov_workload_set(wl, ov[i].key, ov[i].value, IOV_OVERRIDE_ORIGIN, 0, err))
			return -1;
	}
	return 0;
}

static const struct iov_ini_entry *find_entry(const struct iov_ini_section *sec, const char *key)
{
	for (size_t i = 0; i < sec->n; i++)
		if (!strcmp(sec->entries[i].key, key))
			return &sec->entries[i];
	return NULL;
}

static int suite_from_ini(const struct iov_ini *ini, const struct iov_catalogue *cat, const struct iov_override *ov,
			  size_t nov, struct iov_suite *suite, struct iov_err *err)
{
	static const char *const suite_own[] = { "description", NULL };
	static const char *const entry_own[] = { "workload", NULL };
	const struct iov_ini_section *head;
	const struct iov_ini_entry *desc;

	if (!ini->n || strcmp(ini->sections[0].kind, "suite")) {
		iov_err_set(err, "%s:%d: a suite file starts with a [suite NAME] section", ini->file,
			    ini->n ? ini->sections[0].line : 1);
		return -1;
	}
	head = &ini->sections[0];
	if (strlen(head->name) >= sizeof(suite->name)) {
		iov_err_set(err, "%s:%d: suite name too long", ini->file, head->line);
		return -1;
	}
	iov_strlcpy(suite->name, head->name, sizeof(suite->name));
	desc = find_entry(head, "description");
	if (desc && !iov_strlcpy(suite->description, desc->value, sizeof(suite->description))) {
		iov_err_set(err, "%s:%d: description: too long", ini->file, desc->line);
		return -1;
	}
	if (ini->n < 2) {
		iov_err_set(err, "%s:%d: suite %s has no [entry NAME] section", ini->file, head->line, head->name);
		return -1;
	}
	suite->entries = calloc(ini->n - 1, sizeof(*suite->entries));
	if (!suite->entries) {
		iov_err_set(err, "%s: out of memory", ini->file);
		return -1;
	}
	for (size_t i = 1; i < ini->n; i++) {
		const struct iov_ini_section *sec = &ini->sections[i];
		struct iov_suite_entry *entry = &suite->entries[suite->n];
		const struct iov_ini_entry *ref = find_entry(sec, "workload");
		const struct iov_workload *base;

		if (strcmp(sec->kind, "entry")) {
			iov_err_set(err, "%s:%d: [%s %s]: unexpected section kind (want [entry NAME])", ini->file,
				    sec->line, sec->kind, sec->name);
			return -1;
		}
		if (!ref) {
			iov_err_set(err, "%s:%d: workload: missing required key (entry %s)", ini->file, sec->line,
				    sec->name);
			return -1;
		}
		base = iov_catalogue_find(cat, ref->value);
		if (!base) {
			iov_err_set(err, "%s:%d: workload: no workload named '%s' in the catalogue", ini->file,
				    ref->line, ref->value);
			return -1;
		}
		if (!iov_strlcpy(entry->name, sec->name, sizeof(entry->name))) {
			iov_err_set(err, "%s:%d: entry name too long", ini->file, sec->line);
			return -1;
		}
		entry->workload = *base;
		if (apply_section(&entry->workload, ini, head, suite_own, err) ||
		    apply_section(&entry->workload, ini, sec, entry_own, err) ||
		    apply_overrides(&entry->workload, ov, nov, err))
			return -1;
		if (iov_workload_validate(&entry->workload, err)) {
			iov_err_prefix(err, "suite %s, entry %s", suite->name, entry->name);
			return -1;
		}
		suite->n++;
	}
	return 0;
}

int iov_suite_load(const char *path, const struct iov_catalogue *cat, const struct iov_override *ov, size_t nov,
		   struct iov_suite *suite, struct iov_err *err)
{
	char *text = iov_read_input(path, IOV_INPUT_MAX_TEXT, NULL, err);
	int rc;

	if (!text) {
		memset(suite, 0, sizeof(*suite));
		return -1;
	}
	rc = iov_suite_parse(path, text, cat, ov, nov, suite, err);
	free(text);
	return rc;
}

int iov_suite_parse(const char *file, const char *text, const struct iov_catalogue *cat,
		    const struct iov_override *ov, size_t nov, struct iov_suite *suite, struct iov_err *err)
{
	struct iov_ini ini;
	int rc;

	memset(suite, 0, sizeof(*suite));
	if (iov_ini_parse(file, text, &ini, err))
		return -1;
	rc = suite_from_ini(&ini, cat, ov, nov, suite, err);
	iov_ini_free(&ini);
	if (rc)
		iov_suite_free(suite);
	return rc;
}

int iov_suite_load_named(const char *dir, const char *name, const struct iov_catalogue *cat,
			 const struct iov_override *ov, size_t nov, struct iov_suite *suite, struct iov_err *err)
{
	char *path;
	int rc;

	if (asprintf(&path, "%s/suite-%s.suite", dir, name) < 0) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	rc = iov_suite_load(path, cat, ov, nov, suite, err);
	if (!rc && strcmp(suite->name, name)) {
		iov_err_set(err, "%s: declares [suite %s], expected [suite %s]", path, suite->name, name);
		iov_suite_free(suite);
		rc = -1;
	}
	free(path);
	return rc;
}

int iov_suite_from_workloads(const struct iov_catalogue *cat, const char *const *names, size_t n,
			     const struct iov_override *ov, size_t nov, struct iov_suite *suite, struct iov_err *err)
{
	memset(suite, 0, sizeof(*suite));
	iov_strlcpy(suite->name, "command-line", sizeof(suite->name));
	iov_strlcpy(suite->description, "workloads named on the command line", sizeof(suite->description));
	if (!n) {
		iov_err_set(err, "no workload named");
		return -1;
	}
	suite->entries = calloc(n, sizeof(*suite->entries));
	if (!suite->entries) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct iov_workload *base = iov_catalogue_find(cat, names[i]);
		struct iov_suite_entry *entry = &suite->entries[suite->n];

		if (!base) {
			iov_err_set(err, "no workload named '%s' (see iovbench list)", names[i]);
			goto fail;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(names[j], names[i])) {
				iov_err_set(err, "workload '%s' named twice", names[i]);
				goto fail;
			}
		iov_strlcpy(entry->name, base->name, sizeof(entry->name));
		entry->workload = *base;
		if (apply_overrides(&entry->workload, ov, nov, err) || iov_workload_validate(&entry->workload, err))
			goto fail;
		suite->n++;
	}
	return 0;
fail:
	iov_suite_free(suite);
	return -1;
}

void iov_suite_free(struct iov_suite *suite)
{
	free(suite->entries);
	memset(suite, 0, sizeof(*suite));
}

int iov_suite_list(const char *dir, char ***names, size_t *n, struct iov_err *err)
{
	static const char prefix[] = "suite-", suffix[] = ".suite";
	struct dirent *de;
	DIR *d = opendir(dir);

	*names = NULL;
	*n = 0;
	if (!d) {
		iov_err_set(err, "%s: cannot open workload directory", dir);
		return -1;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char **grown;

		if (strncmp(de->d_name, prefix, sizeof(prefix) - 1) || !has_suffix(de->d_name, suffix) ||
		    len <= sizeof(prefix) - 1 + sizeof(suffix) - 1)
			continue;
		grown = realloc(*names, (*n + 1) * sizeof(*grown));
		if (!grown || !(grown[*n] = strndup(de->d_name + sizeof(prefix) - 1,
						    len - (sizeof(prefix) - 1) - (sizeof(suffix) - 1)))) {
			if (grown)
				*names = grown;
			closedir(d);
			iov_suite_list_free(*names, *n);
			*names = NULL;
			*n = 0;
			iov_err_set(err, "out of memory");
			return -1;
		}
		*names = grown;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_str);
	return 0;
}

void iov_suite_list_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int iov_plan_build(const struct iov_suite *suite, struct iov_plan *plan, struct iov_err *err)
{
	size_t cap = 0;

	memset(plan, 0, sizeof(*plan));
	for (size_t e = 0; e < suite->n; e++) {
		const struct iov_workload *wl = &suite->entries[e].workload;

		cap += (size_t)__builtin_popcount(wl->nic_mask) * wl->guests.n *
		       (size_t)__builtin_popcount(wl->pattern_mask);
	}
	if (!cap) {
		iov_err_set(err, "suite %s: no experiments", suite->name);
		return -1;
	}
	plan->experiments = calloc(cap, sizeof(*plan->experiments));
	if (!plan->experiments) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	/* Guest kinds that need a VM host first: a lab boots as one kind of host at a time. */
	for (int vm_host = 1; vm_host >= 0; vm_host--) {
		for (int nic = 0; nic < IOV_NIC_COUNT; nic++)
			for (unsigned guests = 1; guests <= IOV_MAX_GUESTS; guests++)
				for (int pat = 0; pat < IOV_PATTERN_COUNT; pat++)
					for (size_t e = 0; e < suite->n; e++) {
						const struct iov_suite_entry *entry = &suite->entries[e];
						const struct iov_workload *wl = &entry->workload;
						struct iov_experiment *x;
						bool has_guests = false;

						for (unsigned g = 0; g < wl->guests.n; g++)
							has_guests |= wl->guests.v[g] == guests;
						if (iov_guest_kind(wl->guest_kind)->needs_vm_host != vm_host ||
						    !has_guests || !(wl->nic_mask & (1u << nic)) ||
						    !(wl->pattern_mask & (1u << pat)) ||
						    (pat == IOV_PATTERN_GUEST_TO_GUEST && guests % 2))
							continue;
						x = &plan->experiments[plan->n++];
						x->entry = entry;
						x->workload = wl;
						x->nic = nic;
						x->pattern = pat;
						x->guests = guests;
						snprintf(x->id, sizeof(x->id), "%s.%s.%s.%ug", entry->name, iov_nic_name(nic),
							 iov_pattern_short(pat), guests);
					}
	}
	if (!plan->n) {
		iov_plan_free(plan);
		iov_err_set(err, "suite %s: no experiments", suite->name);
		return -1;
	}
	/* Entry names are unique (the INI layer rejects duplicate sections), so ids are too. */
	return 0;
}

const struct iov_toggle_ops *iov_experiment_toggle(const struct iov_experiment *x)
{
	return iov_toggle_of(x->nic, x->workload);
}

static bool interleaves(const struct iov_experiment *x)
{
	const struct iov_toggle_ops *t = iov_experiment_toggle(x);

	return (x->workload->interleave_mask & (1u << x->nic)) && !(t && t->stands_alone);
}

size_t iov_plan_group(const struct iov_plan *plan, size_t i, size_t *member)
{
	const struct iov_experiment *a = &plan->experiments[i];
	size_t n = 0;

	if (!interleaves(a)) {
		member[0] = i;
		return 1;
	}
	for (size_t j = 0; j < plan->n && n < IOV_NIC_COUNT; j++) {
		const struct iov_experiment *b = &plan->experiments[j];
		size_t k;

		if (b->entry != a->entry || b->guests != a->guests || b->pattern != a->pattern || !interleaves(b))
			continue;
		/* insertion by (topology, kind) */
		for (k = n; k > 0; k--) {
			const struct iov_experiment *c = &plan->experiments[member[k - 1]];
			enum iov_nic tc = iov_nic_topology(c->nic), tb = iov_nic_topology(b->nic);

			if (tc < tb || (tc == tb && c->nic < b->nic))
				break;
			member[k] = member[k - 1];
		}
		member[k] = j;
		n++;
	}
	return n;
}

size_t iov_group_order(size_t n, unsigned rep, size_t k)
{
	return rep % 2 ? n - 1 - k : k;
}

unsigned long long iov_plan_measured_seconds(const struct iov_plan *plan)
{
	unsigned long long total = 0;

	for (size_t i = 0; i < plan->n; i++)
		total += (unsigned long long)plan->experiments[i].workload->reps *
			 plan->experiments[i].workload->duration_s;
	return total;
}

void iov_plan_free(struct iov_plan *plan)
{
	free(plan->experiments);
	memset(plan, 0, sizeof(*plan));
}
