// SPDX-License-Identifier: MIT
/* ini.c - tokenizer for workload and suite files (see ini.h for the syntax). */
#include "ini.h"

#include <ctype.h>
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

/* Cut a trailing comment: '#' at the start or preceded by whitespace. */
static void strip_comment(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '#' && (p == s || isspace((unsigned char)p[-1]))) {
			*p = '\0';
			return;
		}
}

static int parse_header(struct iov_ini *ini, char *s, int line, struct iov_err *err)
{
	char *close = strchr(s, ']'), *kind, *name, *sp;
	struct iov_ini_section *sec;

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
	for (size_t i = 0; i < ini->n; i++)
		if (!strcmp(ini->sections[i].kind, kind) && !strcmp(ini->sections[i].name, name)) {
			iov_err_set(err, "%s:%d: section [%s %s] already declared at line %d", ini->file, line,
				    kind, name, ini->sections[i].line);
			return -1;
		}
	sec = realloc(ini->sections, (ini->n + 1) * sizeof(*sec));
	if (!sec)
		goto oom;
	ini->sections = sec;
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

static int parse_entry(struct iov_ini *ini, char *s, int line, struct iov_err *err)
{
	char *eq = strchr(s, '='), *key, *value;
	struct iov_ini_section *sec;
	struct iov_ini_entry *e;

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
	for (size_t i = 0; i < sec->n; i++)
		if (!strcmp(sec->entries[i].key, key)) {
			iov_err_set(err, "%s:%d: %s: duplicate key (first set at line %d)", ini->file, line, key,
				    sec->entries[i].line);
			return -1;
		}
	e = realloc(sec->entries, (sec->n + 1) * sizeof(*e));
	if (!e)
		goto oom;
	sec->entries = e;
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
			rc = parse_header(out, s, line, err);
		else if (*s)
			rc = parse_entry(out, s, line, err);
		free(copy);
		if (rc)
			goto fail;
	}
	return 0;
fail:
	iov_ini_free(out);
	return -1;
}

int iov_ini_load(const char *path, struct iov_ini *out, struct iov_err *err)
{
	char *text = iov_read_file(path, NULL, err);
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
