// SPDX-License-Identifier: MIT
/* test_metrics_compute.c - known answers from the collector fixtures to catalogued metrics. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metrics_compute.h"
#include "tests/unit.h"

#define NEAR(a, b) (fabs((double)(a) - (double)(b)) <= 1e-9 * fabs((double)(b)) + 1e-12)

static double get(const struct iov_metric_set *set, const char *metric, const char *instance)
{
	const struct iov_metric_value *v = iov_metric_set_get(set, metric, instance);

	return v ? v->value : NAN;
}

static char *fixture(const char *path)
{
	struct iov_err err;
	char *text = iov_read_file(path, NULL, &err);

	CU_ASSERT_PTR_NOT_NULL(text);
	return text;
}

static void load_iperf3(const char *path, struct iov_iperf3_result *r)
{
	size_t len;
	struct iov_err err;
	char *text = iov_read_file(path, &len, &err);

	CU_ASSERT_FATAL(text && iov_iperf3_parse(text, len, r, &err) == 0);
	free(text);
}

static void test_iperf3(void)
{
	struct iov_iperf3_result udp[2], tcp[2];
	const char *pairs[] = { "g1-g2", "g3-g4" };
	struct iov_metric_set set = { 0 };
	struct iov_err err;

	load_iperf3("data/iperf3-udp-64.json", &udp[0]);
	udp[1] = udp[0];
	CU_ASSERT_EQUAL_FATAL(iov_metrics_iperf3(&set, udp, pairs, 1, &err), 0);
	CU_ASSERT(NEAR(get(&set, "pps", NULL), 463454 / 2.000473));
	CU_ASSERT(NEAR(get(&set, "udp_sent_pps", NULL), 1356670 / 2.000099));
	CU_ASSERT(NEAR(get(&set, "loss_pct", NULL), 100.0 * 893216 / 1356670));
	CU_ASSERT(NEAR(get(&set, "throughput_bps", NULL), 118616171.27549335));
	CU_ASSERT(isnan(get(&set, "pps", "g1-g2"))); /* one instance: no breakdown */
	CU_ASSERT(isnan(get(&set, "tcp_retransmits_count", NULL)));
	iov_metric_set_free(&set);
	CU_ASSERT_EQUAL_FATAL(iov_metrics_iperf3(&set, udp, pairs, 2, &err), 0);
	CU_ASSERT(NEAR(get(&set, "pps", NULL), 2 * 463454 / 2.000473));
	CU_ASSERT(NEAR(get(&set, "loss_pct", NULL), 100.0 * 893216 / 1356670)); /* ratio of summed counts */
	CU_ASSERT(NEAR(get(&set, "pps", "g3-g4"), 463454 / 2.000473));
	CU_ASSERT(NEAR(get(&set, "iperf3_cpu_host_pct", NULL), 73.3705439681794));
	iov_metric_set_free(&set);
	load_iperf3("data/iperf3-tcp-1stream.json", &tcp[0]);
	CU_ASSERT_EQUAL_FATAL(iov_metrics_iperf3(&set, tcp, pairs, 1, &err), 0);
	CU_ASSERT(NEAR(get(&set, "tcp_retransmits_count", NULL), 21));
	CU_ASSERT(isnan(get(&set, "pps", NULL)));
	iov_metric_set_free(&set);
	tcp[1] = udp[0];
	CU_ASSERT_EQUAL(iov_metrics_iperf3(&set, tcp, pairs, 2, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "mix TCP and UDP"));
	iov_metric_set_free(&set);
}

static void test_fio(void)
{
	struct iov_fio_result r;
	struct iov_metric_set set = { 0 };
	struct iov_err err;
	size_t len;
	char *text = iov_read_file("data/fio-net-pingpong.json", &len, &err);
	const char *inst[] = { "g1-g2" };

	CU_ASSERT_FATAL(text && iov_fio_parse(text, len, &r, &err) == 0);
	CU_ASSERT_EQUAL_FATAL(iov_metrics_fio(&set, &r, inst, 1, &err), 0);
	CU_ASSERT(NEAR(get(&set, "throughput_bps", NULL), 8.0 * 10431872));
	CU_ASSERT(NEAR(get(&set, "fio_io_per_s", NULL), 162998.001));
	CU_ASSERT(NEAR(get(&set, "lat_p50_ns", NULL), 5664));
	CU_ASSERT(NEAR(get(&set, "lat_p90_ns", NULL), 6048));
	CU_ASSERT(NEAR(get(&set, "lat_p99_ns", NULL), 9280));
	CU_ASSERT(NEAR(get(&set, "lat_p999_ns", NULL), 44800));
	CU_ASSERT(NEAR(get(&set, "lat_mean_ns", NULL), 5931.041719));
	iov_metric_set_free(&set);
	iov_fio_free(&r);
	free(text);
}

/* Two guest pairs with json+ output: experiment-wide latency over all transactions of both. */
static void test_fio_pairs_merged(void)
{
	struct iov_fio_result r[2];
	struct iov_metric_set set = { 0 };
	struct iov_err err;
	const char *paths[] = { "data/fio-net-pingpong-jsonplus.json", "data/fio-net-pingpong-jsonplus-2.json" };
	const char *pairs[] = { "g1-g2", "g3-g4" };

	for (int i = 0; i < 2; i++) {
		size_t len;
		char *text = iov_read_file(paths[i], &len, &err);

		CU_ASSERT_FATAL(text && iov_fio_parse(text, len, &r[i], &err) == 0);
		free(text);
	}
	CU_ASSERT_EQUAL_FATAL(iov_metrics_fio(&set, r, pairs, 2, &err), 0);
	/* known answers computed independently from the two files' bins */
	CU_ASSERT(NEAR(get(&set, "lat_p50_ns", NULL), 6240));
	CU_ASSERT(NEAR(get(&set, "lat_p90_ns", NULL), 7008));
	CU_ASSERT(NEAR(get(&set, "lat_p99_ns", NULL), 164864));
	CU_ASSERT(NEAR(get(&set, "lat_p999_ns", NULL), 2056192));
	CU_ASSERT(fabs(get(&set, "lat_mean_ns", NULL) - 17110.211694581234) < 1e-6);
	CU_ASSERT(NEAR(get(&set, "lat_p99_ns", "g1-g2"), 92672));
	CU_ASSERT(NEAR(get(&set, "lat_p99_ns", "g3-g4"), 257024));
	iov_metric_set_free(&set);
	for (int i = 0; i < 2; i++)
		iov_fio_free(&r[i]);
}

static void test_guest_cpu_and_qemu(void)
{
	char *tb = fixture("data/procstat-before.txt"), *ta = fixture("data/procstat-after.txt");
	struct iov_procstat b, a;
	struct iov_cpu_pct all, *cpus;
	struct iov_proc_ticks pb, pa;
	struct iov_cpu_time_delta d;
	struct iov_metric_set set = { 0 };
	struct iov_err err;
	double hz = (double)sysconf(_SC_CLK_TCK);
	size_t n;

	CU_ASSERT_FATAL(!iov_procstat_parse(tb, &b, &err) && !iov_procstat_parse(ta, &a, &err));
	CU_ASSERT_FATAL(!iov_procstat_delta_pct(&b, &a, &all, &cpus, &n, &err));
	CU_ASSERT_EQUAL_FATAL(iov_metrics_procstat(&set, &all, cpus, n, &err), 0);
	CU_ASSERT(NEAR(get(&set, "cpu_guest_softirq_pct", NULL), 100.0 / 75));
	CU_ASSERT(NEAR(get(&set, "cpu_guest_system_pct", "cpu1"), 700.0 / 38));
	CU_ASSERT(NEAR(get(&set, "cpu_guest_busy_pct", NULL), 700.0 / 75));
	CU_ASSERT_FATAL(!iov_proc_ticks_read("data/proc", 4242, &pb, &err) &&
			!iov_proc_ticks_read("data/proc-after", 4242, &pa, &err));
	CU_ASSERT_FATAL(!iov_cpu_time_delta(&pb, &pa, &d, &err));
	CU_ASSERT_EQUAL_FATAL(iov_metrics_cpu_time(&set, &d, &err), 0);
	CU_ASSERT(NEAR(get(&set, "qemu_cpu_s", NULL), 1050 / hz));
	CU_ASSERT(NEAR(get(&set, "qemu_cpu_s", "CPU 0/TCG"), 500 / hz));
	CU_ASSERT(NEAR(get(&set, "qemu_cpu_s", "IO mon_iothread"), 70 / hz));
	iov_cpu_time_delta_free(&d);
	iov_proc_ticks_free(&pa);
	iov_proc_ticks_free(&pb);
	iov_metric_set_free(&set);
	free(cpus);
	iov_procstat_free(&a);
	iov_procstat_free(&b);
	free(ta);
	free(tb);
}

/* Interrupts, packets, NAPI trace and driver statistics of the same (fixture) repetition of 2 s. */
static void test_irq_napi_driver(void)
{
	char *ib = fixture("data/interrupts-64cpu-before.txt"), *ia = fixture("data/interrupts-64cpu-after.txt");
	char *nb = fixture("data/netdev-guest-before.txt"), *na = fixture("data/netdev-guest-after.txt");
	char *tr = fixture("data/napi-trace-6.12.txt");
	char *pfb = fixture("data/drvstats-pf-before.txt"), *pfa = fixture("data/drvstats-pf-after.txt");
	char *vf = fixture("data/drvstats-vf.txt");
	static struct iov_napi_trace trace;
	struct iov_irq_table b, a, d;
	struct iov_netdev_table ndb, nda, ndd;
	struct iov_drv_stats pf_before, pf_after, drv[2];
	struct iov_metric_set set = { 0 };
	const struct iov_netdev_counters *eth1;
	const char *nics[] = { "eth1", "eth10" }, *napi_devs[] = { "eth1", "eth2" };
	struct iov_err err;
	uint64_t packets, irqs;

	CU_ASSERT_FATAL(!iov_irq_parse(ib, &b, &err) && !iov_irq_parse(ia, &a, &err) && !iov_irq_delta(&b, &a, &d, &err));
	CU_ASSERT_FATAL(!iov_netdev_parse(nb, &ndb, &err) && !iov_netdev_parse(na, &nda, &err) &&
			!iov_netdev_delta(&ndb, &nda, &ndd, &err));
	eth1 = iov_netdev_find(&ndd, "eth1");
	CU_ASSERT_EQUAL_FATAL(iov_metrics_netdev(&set, &eth1, 1, 2.0, &packets, &err), 0);
	CU_ASSERT_EQUAL(packets, 4580000);
	CU_ASSERT(NEAR(get(&set, "netdev_rx_pps", NULL), 2250000));
	CU_ASSERT_EQUAL_FATAL(iov_metrics_interrupts(&set, &d, nics, 2, 2.0, packets, &irqs, &err), 0);
	CU_ASSERT_EQUAL(irqs, 579 + 77 + 5000 + 600);
	CU_ASSERT(NEAR(get(&set, "irq_per_s", NULL), 6256 / 2.0));
	CU_ASSERT(NEAR(get(&set, "irq_per_s", "eth1-rx-0"), 579 / 2.0));
	CU_ASSERT(NEAR(get(&set, "irq_per_s", "eth10-rx-0"), 5000 / 2.0));
	CU_ASSERT(NEAR(get(&set, "irq_per_pkt", NULL), 6256.0 / 4580000));
	CU_ASSERT_FATAL(!iov_napi_trace_parse(tr, &trace, &err));
	CU_ASSERT_EQUAL_FATAL(iov_metrics_napi_trace(&set, &trace, napi_devs, 2, 2.0, irqs, &err), 0);
	CU_ASSERT(NEAR(get(&set, "napi_pkts_per_poll", NULL), (4523.0 + 2906) / (233 + 129)));
	CU_ASSERT(NEAR(get(&set, "napi_empty_polls_pct", NULL), 100.0 * 50 / 362));
	CU_ASSERT(NEAR(get(&set, "napi_budget_polls_pct", NULL), 100.0 * 56 / 362));
	CU_ASSERT(NEAR(get(&set, "napi_polls_per_irq", NULL), 362.0 / 6256));
	CU_ASSERT(NEAR(get(&set, "napi_pkts_per_poll", "eth1"), 4523.0 / 233));
	CU_ASSERT_FATAL(!iov_drv_stats_parse(pfb, &pf_before, &err) && !iov_drv_stats_parse(pfa, &pf_after, &err) &&
			!iov_drv_stats_delta(&pf_before, &pf_after, &drv[0], &err) &&
			!iov_drv_stats_parse(vf, &drv[1], &err));
	CU_ASSERT_EQUAL_FATAL(iov_metrics_driver_stats(&set, drv, 2, 2.0, &trace, &err), 0);
	CU_ASSERT(NEAR(get(&set, "drv_irq_per_s", NULL), 5910 / 2.0));
	CU_ASSERT(NEAR(get(&set, "drv_napi_empty_polls_pct", NULL), 100.0 * 112 / 6200));
	CU_ASSERT(NEAR(get(&set, "drv_napi_budget_polls_pct", NULL), 100.0 * 73 / 6200));
	CU_ASSERT(NEAR(get(&set, "drv_napi_polls_per_irq", NULL), 6200.0 / 5900));
	CU_ASSERT(NEAR(get(&set, "drv_napi_polls_mismatch_pct", "eth1"), 100.0 * (5000 - 233) / 233));
	CU_ASSERT(NEAR(get(&set, "mbx_rtt_p50_ns", NULL), 65536));
	CU_ASSERT(NEAR(get(&set, "mbx_rtt_p99_ns", NULL), 131072));
	CU_ASSERT(NEAR(get(&set, "mbx_rtt_max_ns", NULL), 131072));
	CU_ASSERT(NEAR(get(&set, "mbx_service_p50_ns", NULL), 16384));
	CU_ASSERT(NEAR(get(&set, "mbx_service_p99_ns", NULL), 262144));
	CU_ASSERT(NEAR(get(&set, "mbx_requests_count", NULL), 6));
	CU_ASSERT(NEAR(get(&set, "mbx_timeout_count", NULL), 1));
	CU_ASSERT(NEAR(get(&set, "mbx_rejected_count", NULL), 2));
	/* zero window and unmatched NICs are refused, not divided by */
	CU_ASSERT_EQUAL(iov_metrics_netdev(&set, &eth1, 1, 0, NULL, &err), -1);
	CU_ASSERT_EQUAL(iov_metrics_interrupts(&set, &d, (const char *[]){ "eth7" }, 1, 2.0, 0, NULL, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no /proc/interrupts row"));
	iov_metric_set_free(&set);
	for (int i = 0; i < 2; i++)
		iov_drv_stats_free(&drv[i]);
	iov_drv_stats_free(&pf_before);
	iov_drv_stats_free(&pf_after);
	iov_netdev_free(&ndb);
	iov_netdev_free(&nda);
	iov_netdev_free(&ndd);
	iov_irq_free(&b);
	iov_irq_free(&a);
	iov_irq_free(&d);
	free(ib), free(ia), free(nb), free(na), free(tr), free(pfb), free(pfa), free(vf);
}

IOV_SUITE(metrics_compute,
	  { "iperf3: UDP pps/loss, pairs, TCP retransmits", test_iperf3 },
	  { "fio pingpong: rate and latency percentiles", test_fio },
	  { "fio pairs: percentiles over all transactions (json+)", test_fio_pairs_merged },
	  { "guest CPU per CPU, QEMU threads by name", test_guest_cpu_and_qemu },
	  { "interrupts, packets, NAPI trace, driver stats, mailbox", test_irq_napi_driver })
