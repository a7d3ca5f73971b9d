/* SPDX-License-Identifier: MIT */
/*
 * ini.h - the line syntax shared by workload and suite files; it knows nothing about keys.
 *
 *   # comment                 whole-line comment; " #" after a value starts a trailing comment
 *   [KIND NAME]               section header, KIND and NAME are [A-Za-z0-9_.-]+
 *   key = value               key is [a-z0-9_]+, value is non-empty
 *
 * Rejected with "file:line: message": text outside a section, malformed headers, empty values,
 * a key set twice in one section, a section (KIND NAME) declared twice in one file.
 */
#ifndef IOV_INI_H
#define IOV_INI_H

#include <stddef.h>

#include "util.h"

struct iov_ini_entry {
	char *key;
	char *value;
	int line;
};

struct iov_ini_section {
	char *kind;
	char *name;
	int line;
	size_t n;
	struct iov_ini_entry *entries;
};

struct iov_ini {
	char *file; /* as given to the parser, used in every message */
	size_t n;
	struct iov_ini_section *sections;
};

int iov_ini_parse(const char *file, const char *text, struct iov_ini *out, struct iov_err *err);
int iov_ini_load(const char *path, struct iov_ini *out, struct iov_err *err);
void iov_ini_free(struct iov_ini *ini);

#endif
