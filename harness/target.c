// SPDX-License-Identifier: MIT
/* target.c - the table of targets and what every target does alike (target.h). */
#include <stdlib.h>
#include <string.h>

#include "target.h"

#define ERRBUF 8192

/* One line per target; the ops are in targets/NAME.c. */
static const struct iov_target_ops *const table[] = {
	&iov_target_lab,
	&iov_target_host,
};

const struct iov_target_ops *iov_target_lookup(const char *name)
{
	for (size_t i = 0; i < IOV_ARRAY_SIZE(table); i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}

void iov_target_names(const char *sep, char *out, size_t size)
{
	out[0] = '\0';
	for (size_t i = 0; i < IOV_ARRAY_SIZE(table); i++) {
		size_t used = strlen(out);

		snprintf(out + used, size - used, "%s%s", i ? sep : "", table[i]->name);
	}
}

int target_open(const struct target_config *cfg, struct target *t, struct iov_err *err)
{
	memset(t, 0, sizeof(*t));
	t->ops = cfg->ops;
	t->host.fd = -1;
	return t->ops->open(cfg, t, err);
}

void target_close(struct target *t)
{
	t->ops->close(t);
}

bool target_alive(struct target *t)
{
	return t->ops->alive(t);
}

int target_sh(struct target *t, const char *script, int timeout_s, struct exec_result *res,
	      struct iov_err *err)
{
	char lerr[ERRBUF] = "", *full;
	const char *argv[] = { "sh", "-c", NULL, NULL };
	int rc;

	if (asprintf(&full, "%s\n%s", t->preamble, script) < 0) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	argv[2] = full;
	rc = t->ops->exec(t, argv, timeout_s, res, lerr, sizeof(lerr));
	free(full);
	if (rc) {
		iov_err_set_ends(err, lerr);
		return -1;
	}
	return 0;
}

int target_get(struct target *t, const char *path, char **data, size_t *len, struct iov_err *err)
{
	char lerr[1024] = "";

	if (agent_get(t->ops->conn(t), path, data, len, lerr, sizeof(lerr))) {
		iov_err_set(err, "%s", lerr);
		return -1;
	}
	return 0;
}
