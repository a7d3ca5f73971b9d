// SPDX-License-Identifier: MIT
/*
 * test_robustness.c - every parser on truncated and corrupted versions of the real fixtures:
 * they may reject the input, but must not crash, leak or read out of bounds (ASan/UBSan watch).
 */
#include <stdlib.h>
#include <string.h>

#include "collect/collector.h"
#include "collect/driver_stats.h"
#include "collect/fio.h"
#include "collect/interrupts.h"
#include "collect/iperf3.h"
#include "collect/napi_trace.h"
#include "collect/netdev.h"
#include "collect/procstat.h"
#include "collect/toggle.h"
#include "tests/unit.h"
#include "toggles/toggles.h"
#include "workload.h"

typedef void (*parse_fn)(const char *text, size_t len);

static void p_irq(const char *t, size_t l)
{
	struct iov_irq_table x;
	struct iov_err e;

	(void)l;
	if (!iov_irq_parse(t, &x, &e))
		iov_irq_free(&x);
}

static void p_stat(const char *t, size_t l)
{
	struct iov_procstat x;
	struct iov_err e;

	(void)l;
	if (!iov_procstat_parse(t, &x, &e))
		iov_procstat_free(&x);
}

static void p_iperf3(const char *t, size_t l)
{
	struct iov_iperf3_result x;
	struct iov_err e;

	iov_iperf3_parse(t, l, &x, &e);
}

static void p_fio(const char *t, size_t l)
{
	struct iov_fio_result x;
	struct iov_err e;

	if (!iov_fio_parse(t, l, &x, &e))
		iov_fio_free(&x);
}

static void p_napi(const char *t, size_t l)
{
	static struct iov_napi_trace x;
	struct iov_err e;

	(void)l;
	iov_napi_trace_parse(t, &x, &e);
}

static void p_drv(const char *t, size_t l)
{
	struct iov_drv_stats x;
	struct iov_err e;

	(void)l;
	if (!iov_drv_stats_parse(t, &x, &e)) {
		iov_drv_stats_check(&x, &e);
		iov_drv_stats_free(&x);
	}
}

static void p_netdev(const char *t, size_t l)
{
	struct iov_netdev_table x;
	struct iov_err e;

	(void)l;
	if (!iov_netdev_parse(t, &x, &e))
		iov_netdev_free(&x);
}

static void p_workload(const char *t, size_t l)
{
	struct iov_workload *w;
	struct iov_err e;
	size_t n;

	(void)l;
	if (!iov_workload_parse("fuzz", t, &w, &n, &e))
		free(w);
}

static void p_toggle(const char *t, size_t l)
{
	double *r = NULL;
	size_t n = 0;
	struct iov_err e;

	(void)l;
	iov_toggle_ratios(t, &r, &n, &e);
	free(r);
}

/* Every toggle's own file (the hostile VF's messages, a fault toggle's faults). */
static void p_toggle_extra(const char *t, size_t l)
{
	(void)l;
	for (size_t i = 0; i < iov_toggle_count(); i++) {
		struct iov_metric_set set = { 0 };
		struct iov_err e;

		if (iov_toggle_at(i)->extra_metrics)
			iov_toggle_at(i)->extra_metrics(t, &set, &e);
		iov_metric_set_free(&set);
	}
}

static void p_kernel_log(const char *t, size_t l)
{
	const struct iov_collector_ops *c = iov_collector_lookup("kernel_log", NULL);
	char state[64] = { 0 };
	struct iov_err e;

	(void)l;
	c->parse(state, "", "", t, &e);
}

static const struct {
	const char *path;
	parse_fn fn;
} cases[] = {
	{ "data/interrupts-64cpu-after.txt", p_irq },
	{ "data/procstat-after.txt", p_stat },
	{ "data/iperf3-udp-64.json", p_iperf3 },
	{ "data/iperf3-tcp-1stream.json", p_iperf3 },
	{ "data/fio-net-pingpong.json", p_fio },
	{ "data/fio-net-pingpong-jsonplus.json", p_fio },
	{ "data/fio-net-refused.txt", p_fio },
	{ "data/napi-trace-6.12.txt", p_napi },
	{ "data/drvstats-pf-after.txt", p_drv },
	{ "data/drvstats-vf.txt", p_drv },
	{ "data/netdev-guest-after.txt", p_netdev },
	{ "../../workloads/udp-64.workload", p_workload },
	{ "data/instr-toggle-g2g.txt", p_toggle },
	{ "data/hostile-vf-messages.txt", p_toggle_extra },
	{ "data/vf-flr-faults.txt", p_toggle_extra },
	{ "data/vf-flr-faults.txt", p_kernel_log },
};

static void test_truncated(void)
{
	for (size_t c = 0; c < IOV_ARRAY_SIZE(cases); c++) {
		struct iov_err err;
		size_t len, step;
		char *text = iov_read_file(cases[c].path, &len, &err);

		CU_ASSERT_PTR_NOT_NULL_FATAL(text);
		step = len / 150 + 1;
		for (size_t cut = 0; cut < len; cut += step) {
			char *part = strndup(text, cut);

			cases[c].fn(part, cut);
			free(part);
		}
		free(text);
	}
}

static void test_corrupted(void)
{
	static const char junk[] = { '\0', '\n', ' ', ':', '{', '}', '"', '-', '9', ',', '=', '#', '[', ')' };
	unsigned seed = 12345;

	for (size_t c = 0; c < IOV_ARRAY_SIZE(cases); c++) {
		struct iov_err err;
		size_t len;
		char *text = iov_read_file(cases[c].path, &len, &err);

		CU_ASSERT_PTR_NOT_NULL_FATAL(text);
		for (int round = 0; round < 60; round++) {
			char *copy = malloc(len + 1);

			memcpy(copy, text, len + 1);
			for (int k = 0; k < 8 && len; k++) {
				seed = seed * 1103515245u + 12345u;
				copy[(seed >> 8) % len] = junk[(seed >> 4) % sizeof(junk)];
			}
			cases[c].fn(copy, len);
			free(copy);
		}
		free(text);
	}
}

IOV_SUITE(robustness,
	  { "parsers survive truncated real inputs", test_truncated },
	  { "parsers survive corrupted real inputs", test_corrupted })
