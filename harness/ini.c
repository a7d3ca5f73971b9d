// SPDX-License-Identifier: MIT
/* ini.c - tokenizer for workload and suite files (see ini.h for the syntax). */
#include "ini.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

static bool is_key(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
			return false;
	return true;
}

static bool is_name(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_name_char(s[i]))
			return false;
	return true;
}

/*
 * Where each section and each key of a section was declared, to refuse a repeat in constant
 * time (a linear search per line made a 1 MB file take a minute): open addressing on
 * "KIND NAME" and "SECTION-INDEX KEY" (names and keys hold no space).
 */
struct seen {
	char *key;
	int line;
};

struct seen_set {
	size_t cap, n;
	struct seen *slot;
};

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static struct seen *seen_find(struct seen_set *set, const char *key)
{
	size_t i = hash(key) & (set->cap - 1);

	while (set->slot[i].key && strcmp(set->slot[i].key, key))
		i = (i + 1) & (set->cap - 1);
	return &set->slot[i];
}

/* The line KEY was first seen at, or 0 after recording it at line; -1 when out of memory. */
static int seen_add(struct seen_set *set, char *key, int line)
{
	struct seen *slot;

	if (2 * (set->n + 1) > set->cap) {
		struct seen_set grown = { set->cap ? 2 * set->cap : 64, set->n, NULL };

		grown.slot = calloc(grown.cap, sizeof(*grown.slot));
		if (!grown.slot) {
			free(key);
			return -1;
		}
		for (size_t i = 0; i < set->cap; i++)
			if (set->slot[i].key)
				*seen_find(&grown, set->slot[i].key) = set->slot[i];
		free(set->slot);
		*set = grown;
	}
	slot = seen_find(set, key);
	if (slot->key) {
		free(key);
		return slot->line;
	}
	slot->key = key;
	slot->line = line;
	set->n++;
	return 0;
}

static void seen_free(struct seen_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i].key);
	free(set->slot);
	memset(set, 0, sizeof(*set));
}

/* Cut a trailing comment: '#' at the start or preceded by whitespace. */
static void strip_comment(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '#' && (p == s || isspace((unsigned char)p[-1]))) {
			*p = '\0';
			return;
		}
}

struct parse_state {
	struct seen_set seen;
	size_t nsections_cap, *nentries_cap; /* nentries_cap[i]: room in sections[i].entries */
};

static int parse_header(struct iov_ini *ini, struct parse_state *st, char *s, int line, struct iov_err *err)
{
	char *close = strchr(s, ']'), *kind, *name, *sp, *key;
	struct iov_ini_section *sec;
	size_t cap;
	int first;

	if (!close || iov_trim(close + 1)[0]) {
		iov_err_set(err, "%s:%d: malformed section header (want [KIND NAME])", ini->file, line);
		return -1;
	}
	*close = '\0';
	kind = iov_trim(s + 1);
	sp = kind;
	while (*sp && !isspace((unsigned char)*sp))
		sp++;
	name = iov_trim(sp);
	if (!is_name(kind, (size_t)(sp - kind)) || !is_name(name, strlen(name))) {
		iov_err_set(err, "%s:%d: malformed section header (want [KIND NAME], names of A-Z a-z 0-9 _ . -)",
			    ini->file, line);
		return -1;
	}
	*sp = '\0';
	if (asprintf(&key, "%s %s", kind, name) < 0 || (first = seen_add(&st->seen, key, line)) < 0)
		goto oom;
	if (first) {
		iov_err_set(err, "%s:%d: section [%s %s] already declared at line %d", ini->file, line, kind, name,
			    first);
		return -1;
	}
	cap = st->nsections_cap;
	if (iov_grow(&ini->sections, ini->n, &st->nsections_cap, sizeof(*ini->sections)))
		goto oom;
	if (st->nsections_cap != cap) {
		size_t *grown = realloc(st->nentries_cap, st->nsections_cap * sizeof(*grown));

		if (!grown)
			goto oom;
		st->nentries_cap = grown;
	}
	st->nentries_cap[ini->n] = 0;
	sec = &ini->sections[ini->n];
	memset(sec, 0, sizeof(*sec));
	sec->line = line;
	sec->kind = strdup(kind);
	sec->name = strdup(name);
	ini->n++;
	if (!sec->kind || !sec->name)
		goto oom;
	return 0;
oom:
	iov_err_set(err, "%s:%d: out of memory", ini->file, line);
	return -1;
}

static int parse_entry(struct iov_ini *ini, struct parse_state *st, char *s, int line, struct iov_err *err)
{
	char *eq = strchr(s, '='), *key, *value, *seen_key;
	struct iov_ini_section *sec;
	struct iov_ini_entry *e;
	int first;

	if (!ini->n) {
		iov_err_set(err, "%s:%d: text before the first [KIND NAME] section", ini->file, line);
		return -1;
	}
	if (!eq) {
		iov_err_set(err, "%s:%d: expected 'key = value', got '%s'", ini->file, line, s);
		return -1;
	}
	*eq = '\0';
	key = iov_trim(s);
	value = iov_trim(eq + 1);
	if (!is_key(key)) {
		iov_err_set(err, "%s:%d: '%s': malformed key (lower-case letters, digits, _)", ini->file, line, key);
		return -1;
	}
	if (!*value) {
		iov_err_set(err, "%s:%d: %s: empty value", ini->file, line, key);
		return -1;
	}
	sec = &ini->sections[ini->n - 1];
	if (asprintf(&seen_key, "%zu %s", ini->n - 1, key) < 0 || (first = seen_add(&st->seen, seen_key, line)) < 0)
		goto oom;
	if (first) {
		iov_err_set(err, "%s:%d: %s: duplicate key (first set at line %d)", ini->file, line, key, first);
		return -1;
	}
	if (iov_grow(&sec->entries, sec->n, &st->nentries_cap[ini->n - 1], sizeof(*sec->entries)))
		goto oom;
	e = &sec->entries[sec->n++];
	e->line = line;
	e->key = strdup(key);
	e->value = strdup(value);
	if (!e->key || !e->value)
		goto oom;
	return 0;
oom:
	iov_err_set(err, "%s:%d: out of memory", ini->file, line);
	return -1;
}

int iov_ini_parse(const char *file, const char *text, struct iov_ini *out, struct iov_err *err)
{
	struct parse_state st = { 0 };
	const char *cursor = text, *raw;
	size_t len;
	int line = 0;

	memset(out, 0, sizeof(*out));
	out->file = strdup(file);
	if (!out->file) {
		iov_err_set(err, "%s: out of memory", file);
		return -1;
	}
	while ((raw = iov_next_line(&cursor, &len))) {
		char *copy = strndup(raw, len), *s;
		int rc = 0;

		line++;
		if (!copy) {
			iov_err_set(err, "%s:%d: out of memory", file, line);
			goto fail;
		}
		if (strchr(copy, '\r')) {
			free(copy);
			iov_err_set(err, "%s:%d: carriage return in text (use Unix line ends)", file, line);
			goto fail;
		}
		strip_comment(copy);
		s = iov_trim(copy);
		if (*s == '[')
			rc = parse_header(out, &st, s, line, err);
		else if (*s)
			rc = parse_entry(out, &st, s, line, err);
		free(copy);
		if (rc)
			goto fail;
	}
	seen_free(&st.seen);
	free(st.nentries_cap);
	return 0;
fail:
	seen_free(&st.seen);
	free(st.nentries_cap);
	iov_ini_free(out);
	return -1;
}

int iov_ini_load(const char *path, struct iov_ini *out, struct iov_err *err)
{
	char *text = iov_read_input(path, IOV_INPUT_MAX_TEXT, NULL, err);
	int rc;

	if (!text) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	rc = iov_ini_parse(path, text, out, err);
	free(text);
	return rc;
}

void iov_ini_free(struct iov_ini *ini)
{
	for (size_t i = 0; i < ini->n; i++) {
		struct iov_ini_section *sec = &ini->sections[i];

		for (size_t j = 0; j < sec->n; j++) {
			free(sec->entries[j].key);
			free(sec->entries[j].value);
		}
		free(sec->entries);
		free(sec->kind);
		free(sec->name);
	}
	free(ini->sections);
	free(ini->file);
	memset(ini, 0, sizeof(*ini));
}
