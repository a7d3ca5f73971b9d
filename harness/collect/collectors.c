// SPDX-License-Identifier: MIT
/* collectors.c - the table of counter sources (collector.h). */
#include <string.h>

#include "collect/collector.h"

/*
 * One line per collector (its ops are iov_collector_NAME in collect/NAME.c), in the order of
 * their metrics: netdev hands the packet count to interrupts, kvm and perf; interrupts hands
 * its delta to kvm and its count to napi_trace; kvm hands its counts to perf_kvm's cross-check.
 * cpu_time and perf_qemu read the hypervisor on the host (no section: struct iov_collect_rep).
 */
#define COLLECTORS(X)   \
	X(uptime)       \
	X(procstat)     \
	X(cpu_time)     \
	X(netdev)       \
	X(snmp)         \
	X(interrupts)   \
	X(kvm)          \
	X(perf_kvm)     \
	X(perf_qemu)    \
	X(perf)         \
	X(napi_trace)   \
	X(driver_stats) \
	X(qstats)       \
	X(kernel_log)   \
	X(vm_boot)      \
	/* a new collector: one X(NAME) line above this one */

#define DECLARE(name) extern const struct iov_collector_ops iov_collector_##name;
#define ENTRY(name) &iov_collector_##name,
COLLECTORS(DECLARE)

static const struct iov_collector_ops *const table[] = { COLLECTORS(ENTRY) };

void *iov_collector_entry(void *array, size_t n, size_t *cap, size_t size, const char *key, size_t key_size,
			  const char *what, struct iov_err *err)
{
	char *e;

	if (strlen(key) >= key_size) {
		iov_err_set(err, "snapshot: %s name '%s' longer than %zu", what, key, key_size - 1);
		return NULL;
	}
	if (iov_grow(array, n, cap, size)) {
		iov_err_set(err, "out of memory");
		return NULL;
	}
	e = *(char **)array + n * size;
	memset(e, 0, size);
	memcpy(e, key, strlen(key) + 1);
	return e;
}

size_t iov_collector_count(void)
{
	return IOV_ARRAY_SIZE(table);
}

const struct iov_collector_ops *iov_collector_at(size_t i)
{
	return i < IOV_ARRAY_SIZE(table) ? table[i] : NULL;
}

const struct iov_collector_ops *iov_collector_of_section(const char *section, size_t *index)
{
	for (size_t i = 0; i < IOV_ARRAY_SIZE(table); i++)
		if (table[i]->section && !strcmp(table[i]->section, section)) {
			if (index)
				*index = i;
			return table[i];
		}
	return NULL;
}

const struct iov_collector_ops *iov_collector_lookup(const char *name, size_t *index)
{
	for (size_t i = 0; i < IOV_ARRAY_SIZE(table); i++)
		if (!strcmp(table[i]->name, name)) {
			if (index)
				*index = i;
			return table[i];
		}
	return NULL;
}
