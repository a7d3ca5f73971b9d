// SPDX-License-Identifier: MIT
/* tools.c - the table of traffic tools, lookup by name and which workload keys apply to which (tools.h). */
#include <stdio.h>
#include <string.h>

#include "tools/tools.h"

extern const struct iov_tool_ops iov_tool_iperf3, iov_tool_fio, iov_tool_mailbox;

/* One line per tool, in the order of the reference; the ops are in tools/NAME.c. */
static const struct iov_tool_ops *const table[] = {
	&iov_tool_iperf3,
	&iov_tool_fio,
	&iov_tool_mailbox,
};

const char *const iov_tool_traffic_rows[] = {
	"irq_per_pkt", "napi_pkts_per_poll", "napi_polls_per_irq", "cpu_guest_busy_pct", "qemu_cpu_s", NULL
};

const struct iov_tool_ops *iov_tool_lookup(const char *name)
{
	for (size_t i = 0; i < IOV_ARRAY_SIZE(table); i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}

size_t iov_tool_count(void)
{
	return IOV_ARRAY_SIZE(table);
}

const struct iov_tool_ops *iov_tool_at(size_t i)
{
	return i < IOV_ARRAY_SIZE(table) ? table[i] : NULL;
}

void iov_tool_names(const char *sep, char *out, size_t size)
{
	out[0] = '\0';
	for (size_t i = 0; i < IOV_ARRAY_SIZE(table); i++) {
		size_t used = strlen(out);

		snprintf(out + used, size - used, "%s%s", i ? sep : "", table[i]->name);
	}
}

static bool lists_key(const struct iov_tool_ops *tool, enum iov_workload_key key)
{
	for (const enum iov_workload_key *k = tool->keys; k && *k != IOV_KEY_COUNT; k++)
		if (*k == key)
			return true;
	return false;
}

/* A key no tool claims is common to all: the tool files need not list duration_s and the like. */
static bool listed_by_any(enum iov_workload_key key)
{
	for (size_t i = 0; i < IOV_ARRAY_SIZE(table); i++)
		if (lists_key(table[i], key))
			return true;
	return false;
}

bool iov_tool_key_applies(const struct iov_tool_ops *tool, enum iov_workload_key key)
{
	return lists_key(tool, key) || !listed_by_any(key);
}

void iov_tool_key_owners(enum iov_workload_key key, char *out, size_t size)
{
	snprintf(out, size, "all");
	if (!listed_by_any(key))
		return;
	out[0] = '\0';
	for (size_t i = 0; i < IOV_ARRAY_SIZE(table); i++) {
		size_t used = strlen(out);

		if (lists_key(table[i], key))
			snprintf(out + used, size - used, "%s%s", used ? ", " : "", table[i]->name);
	}
}
