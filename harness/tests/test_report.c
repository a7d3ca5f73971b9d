// SPDX-License-Identifier: MIT
/* test_report.c - reports from recorded lab results: files, tables, figures, refusals. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "plot.h"
#include "report.h"
#include "summary.h"
#include "tests/unit.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static char *read_out(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return iov_read_file(path, NULL, NULL);
}

static void rm_rf(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* The Markdown report of one recorded result, written in a scratch directory removed after; NULL: failed. */
static char *report_md_of(const char *result)
{
	const char *results[] = { result };
	char dir[] = "/tmp/iovbench-report-XXXXXX";
	struct iov_report_options o = { results, 1, NULL, dir, false };
	struct iov_report_summary sum;
	struct iov_err err = { "" };
	char *md = NULL;

	if (!mkdtemp(dir))
		return NULL;
	if (!iov_report_write(&o, &sum, &err))
		md = read_out(dir, "report.md");
	else
		fprintf(stderr, "report of %s: %s\n", result, err.msg);
	rm_rf(dir);
	return md;
}

static void test_report_from_recorded_results(void)
{
	const char *results[] = { "data/result-lab-tcp.json", "data/result-lab-vf.json" };
	char dir[] = "/tmp/iovbench-report-XXXXXX";
	struct iov_report_options o = { results, 2, "data/result-lab-tcp.json", dir, false };
	struct iov_report_summary sum;
	struct iov_err err = { "" };
	char *html, *md;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL_FATAL(iov_report_write(&o, &sum, &err), 0);
	html = read_out(dir, "report.html");
	md = read_out(dir, "report.md");
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	/* Environment, workloads, and one table per metric the runs recorded. */
	CU_ASSERT(sum.tables > 20);
	CU_ASSERT_EQUAL(count(html, "<table"), sum.tables);
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "Table 1: Environment of the runs"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "throughput_bps (bit/s; higher is better)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| experiment | n | min | mean | stddev | CoV | max | vs baseline |"));
	/* vf side by side with the others; these come from two runs, which the table says. */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "Table 3: vf against the other NIC kinds"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "(other run)"));
	/* Against itself nothing is significant; experiments only in the other run say so. */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "+0.0% n.s."));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "not in baseline"));
	CU_ASSERT_PTR_NULL(strstr(html, "class=\"regressed\""));
	if (iov_plot_available()) {
		/* Throughput (2 patterns), CPU/Gbit, irq/s, irq/pkt, NAPI distribution and pkts/poll. */
		CU_ASSERT_EQUAL(sum.figures, 7);
		CU_ASSERT_EQUAL(count(html, "<figure"), sum.figures);
		CU_ASSERT_EQUAL(count(html, "src=\"data:image/svg+xml;base64,"), sum.figures);
		CU_ASSERT_EQUAL(count(html, "<figcaption>Figure "), sum.figures);
		CU_ASSERT_EQUAL(count(md, "![Figure "), sum.figures);
		/* The text refers to every figure before showing it. */
		CU_ASSERT_PTR_NOT_NULL(strstr(html, "Figure 1 shows throughput against number of guests (guest-to-guest)"));
		CU_ASSERT_PTR_NOT_NULL(strstr(html, "and Figure 7 shows packets per NAPI poll."));
		CU_ASSERT_PTR_NOT_NULL(strstr(md, "(figures/throughput-tcp-stream-g2g.png)"));
		char png[600];

		snprintf(png, sizeof(png), "%s/figures/throughput-tcp-stream-g2g.png", dir);
		CU_ASSERT_EQUAL(access(png, R_OK), 0);
		char *svg = read_out(dir, "figures/irq-per-pkt-tcp-stream.svg");
		CU_ASSERT_PTR_NOT_NULL(svg);
		CU_ASSERT_PTR_NOT_NULL(svg ? strstr(svg, "interrupts per packet") : NULL); /* labelled axis */
		free(svg);
	}
	/* The recorded runs have no mailbox percentiles: the report says so instead of plotting. */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "No figure for mailbox latency (CDF): no data"));
	free(html);
	free(md);
	rm_rf(dir);
}

static void test_report_refusals(void)
{
	const char *missing[] = { "data/no-such-result.json" };
	const char *tcp[] = { "data/result-lab-tcp.json" };
	char dir[] = "/tmp/iovbench-report-XXXXXX";
	struct iov_report_options o = { missing, 1, NULL, dir, false };
	struct iov_report_summary sum;
	struct iov_err err = { "" };
	char bad[] = "/tmp/iovbench-report-bad-XXXXXX.json";
	char *text;
	FILE *f;
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL(iov_report_write(&o, &sum, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no-such-result.json"));
	/* A result of another schema version. */
	text = iov_read_file("data/result-lab-tcp.json", NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	memcpy(strstr(text, "\"schema_version\": 1"), "\"schema_version\": 7", 19);
	fd = mkstemps(bad, 5);
	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	free(text);
	o.results = (const char *const *)(const char *[]){ bad };
	CU_ASSERT_EQUAL(iov_report_write(&o, &sum, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "schema_version"));
	unlink(bad);
	/* A baseline that shares no experiment. */
	o.results = tcp;
	o.baseline = "data/result-lab-vf.json";
	CU_ASSERT_EQUAL(iov_report_write(&o, &sum, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no experiment in common"));
	rm_rf(dir);
}

/* The recorded runs lack mailbox percentiles; give a copy some to check the CDF figure. */
static void test_report_mailbox_cdf(void)
{
	static const struct {
		const char *metric;
		double v[3];
	} mbx[] = {
		{ "mbx_rtt_p50_ns", { 8192, 8192, 16384 } },	   { "mbx_rtt_p99_ns", { 65536, 65536, 65536 } },
		{ "mbx_rtt_max_ns", { 131072, 262144, 131072 } }, { "mbx_service_p50_ns", { 2048, 2048, 2048 } },
		{ "mbx_service_p99_ns", { 8192, 16384, 8192 } },
	};
	char dir[] = "/tmp/iovbench-report-XXXXXX", path[600];
	struct iov_report_summary sum;
	struct iov_err err = { "" };
	const char *results[] = { path };
	struct iov_report_options o = { results, 1, NULL, dir, false };
	json_t *doc = json_load_file("data/result-lab-vf.json", 0, NULL), *x;
	char *html;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	json_array_foreach(json_object_get(doc, "experiments"), i, x) {
		if (strcmp(json_string_value(json_object_get(x, "nic")), "vf"))
			continue;
		for (size_t m = 0; m < IOV_ARRAY_SIZE(mbx); m++)
			json_object_set_new(json_object_get(x, "metrics"), mbx[m].metric,
					    json_pack("{s:[f,f,f],s:{s:i,s:f,s:f,s:n,s:n,s:n,s:f}}", "values", mbx[m].v[0],
						      mbx[m].v[1], mbx[m].v[2], "summary", "n", 3, "min", mbx[m].v[0],
						      "mean", mbx[m].v[0], "hmean", "stddev", "cov_pct", "max", mbx[m].v[2]));
	}
	/* ftrace's timing of the request call, for the in-tree driver too (catalogued as iovbench does). */
	json_t *tcp = json_load_file("data/result-lab-tcp.json", 0, NULL), *tx;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tcp);
	json_array_foreach(json_object_get(tcp, "experiments"), i, tx)
		if (!strcmp(json_string_value(json_object_get(tx, "id")), "tcp-stream.vf-inbox.g2g.2g"))
			json_array_append(json_object_get(doc, "experiments"), tx);
	json_decref(tcp);
	for (int k = 0; k < 3; k++) {
		static const char *const names[] = { "mbx_call_p50_ns", "mbx_call_p90_ns", "mbx_call_p99_ns" };
		static const double v[] = { 20000, 40000, 90000 };

		json_object_set_new(json_object_get(doc, "metrics"), names[k],
				    json_pack("{s:s,s:s,s:s,s:s}", "unit", "ns", "better", "lower", "source", "fgraph",
					      "description", "test"));
		json_array_foreach(json_object_get(doc, "experiments"), i, x)
			json_object_set_new(json_object_get(x, "metrics"), names[k],
					    json_pack("{s:[f,f],s:{s:i,s:f,s:f,s:f,s:f,s:f,s:f}}", "values", v[k], v[k],
						      "summary", "n", 2, "min", v[k], "mean", v[k], "hmean", v[k], "stddev",
						      0.0, "cov_pct", 0.0, "max", v[k]));
	}
	snprintf(path, sizeof(path), "%s/result.json", dir);
	CU_ASSERT_EQUAL_FATAL(json_dump_file(doc, path, 0), 0);
	json_decref(doc);
	CU_ASSERT_EQUAL_FATAL(iov_report_write(&o, &sum, &err), 0);
	html = read_out(dir, "report.html");
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	if (iov_plot_available()) {
		CU_ASSERT_PTR_NOT_NULL(strstr(html, "Mailbox latency as a CDF"));
		CU_ASSERT_PTR_NULL(strstr(html, "No figure for mailbox latency"));
		snprintf(path, sizeof(path), "%s/figures/mailbox-latency-cdf.png", dir);
		CU_ASSERT_EQUAL(access(path, R_OK), 0);
		char *gp = read_out(dir, "figures/mailbox-latency-cdf.gp");
		CU_ASSERT_PTR_NOT_NULL(gp ? strstr(gp, "vf-inbox g2g 2 guests VF request call (ftrace)") : NULL);
		CU_ASSERT_PTR_NOT_NULL(gp ? strstr(gp, "vf g2d 2 guests PF service") : NULL);
		free(gp);
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "mbx_rtt_p99_ns (ns; lower is better)"));
	free(html);
	rm_rf(dir);
}

/* A recorded mailbox run: our pair and the in-tree pair timed the same way. */
static void test_report_recorded_mailbox(void)
{
	const char *results[] = { "data/result-lab-mailbox.json" };
	char dir[] = "/tmp/iovbench-report-XXXXXX";
	struct iov_report_options o = { results, 1, NULL, dir, false };
	struct iov_report_summary sum;
	struct iov_err err = { "" };
	char *html;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL_FATAL(iov_report_write(&o, &sum, &err), 0);
	html = read_out(dir, "report.html");
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "mbx_call_p50_ns (ns; lower is better)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<td>mbx_call_p50_ns (lower is better)</td>")); /* side by side */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<th>vf / vf-inbox</th>"));
	if (iov_plot_available()) {
		char *gp = read_out(dir, "figures/mailbox-latency-cdf.gp");

		CU_ASSERT_PTR_NOT_NULL(strstr(html, "Mailbox latency as a CDF"));
		CU_ASSERT_PTR_NOT_NULL(gp ? strstr(gp, "vf g2d 2 guests VF round trip") : NULL);
		CU_ASSERT_PTR_NOT_NULL(gp ? strstr(gp, "vf-inbox g2d 2 guests VF request call (ftrace)") : NULL);
		free(gp);
	}
	free(html);
	rm_rf(dir);
}

/* A recorded VF-to-PF run that toggled the instrumentation every second (6 x 60 s). */
static void test_report_recorded_instr_toggle(void)
{
	char *md = report_md_of("data/result-lab-instr-toggle.json");

	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "Instrumentation on over off, toggled inside repetitions"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| g2dtoggle vf g2d 1 guest | 96 | 1.0085 | \\[0.9935, 1.0236\\] | within 2% |"));
	/* driver counters froze half the time: none of them became a metric */
	CU_ASSERT_PTR_NULL(strstr(md, "drv_irq_per_s"));
	free(md);
}

/*
 * A recorded robustness run (hostile VF and its control, iovpf and igb interleaved, 3 x 31 s):
 * the toggle tables, the summary's verdicts and message counts; a repetition whose kernel log
 * warned is named in the summary.
 */
static void test_report_recorded_hostile_vf(void)
{
	json_t *doc = json_load_file("data/result-lab-hostile-vf.json", 0, NULL), *x;
	char *md = report_md_of("data/result-lab-hostile-vf.json"), *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "Bystanders' throughput with a hostile VF over without, toggled inside repetitions"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| hostile-vf-g2d vf-inbox g2d 2 guests | 12 | 0.8364 | \\[0.7956, 0.8773\\] | exceeded 10% |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "beside the hostile VF's process without its messages (control)"));
	free(md);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	/* one repetition's kernel log warned */
	json_object_set_new(json_object_get(doc, "metrics"), "kernel_warnings_count",
			    json_pack("{s:s,s:s,s:s,s:s}", "unit", "lines", "better", "lower", "source", "kernel_log",
				      "description", "x"));
	x = json_array_get(json_object_get(doc, "experiments"), 0);
	json_object_set_new(json_object_get(x, "metrics"), "kernel_warnings_count",
			    json_pack("{s:[f,f,f]}", "values", 0.0, 3.0, 0.0));
	iov_summary_print(f, doc);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "hostile-vf-g2d.vf-inbox.g2d.2g: 0.8364, 95% CI [0.7956, 0.8773], 12 segment "
					    "triples: cost above the bound"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "hostile_vf_unread_count"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "kernel log: warnings during repetitions"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "hostile-vf-g2g.vf.g2g.2g rep 2: 3 lines"));
	free(text);
	json_decref(doc);
}

/* A recorded fault run (the PF's link down for a second, 4 pairings, 2 x 19 s): the faults table. */
static void test_report_recorded_faults(void)
{
	char *md = report_md_of("data/result-lab-pf-link.json");

	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "Faults survived under traffic"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| pf-link-g2g vf g2g 2 guests | PF link down/up | 6 | 0 | 2.29 | 2.61 | 0 |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| pf-link-g2g vf-inbox g2g 2 guests | PF link down/up | 6 | 0 | 13.58 | 20.38 | 0 |"));
	/* no toggle ratios for a fault: no toggle table */
	CU_ASSERT_PTR_NULL(strstr(md, "toggled inside repetitions"));
	free(md);
}

/* A recorded driver anchor: five SR-IOV kinds interleaved, 6 x 6 s VF to PF (TCG, -cpu max). */
static void test_report_recorded_interleaved(void)
{
	const char *results[] = { "data/result-lab-interleaved.json" };
	char dir[] = "/tmp/iovbench-report-XXXXXX";
	struct iov_report_options o = { results, 1, NULL, dir, false };
	struct iov_report_summary sum;
	struct iov_err err = { "" };
	json_t *doc = json_load_file(results[0], 0, NULL);
	char *md, *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL_FATAL(iov_report_write(&o, &sum, &err), 0);
	md = read_out(dir, "report.md");
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "Driver against driver, paired repetitions"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| drivers-g2d g2d 1 guest | PF iovpf over igb, VF igbvf (vf-iovpf-igbvf / "
					  "vf-inbox) | throughput\\_bps (higher is better) | 6 | 1.081 | \\[1.017, 1.149\\] | "
					  "1.050 | higher |"));
	/* the vf-noinstr member is the instrumentation twin, not a driver comparison */
	CU_ASSERT_PTR_NULL(strstr(md, "/ vf-noinstr) |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "Instrumentation on over off, paired repetitions"));
	/* the terminal summary gives the same ratios */
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	iov_summary_print(f, doc);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "drivers-g2d g2d 1g throughput_bps, PF iovpf over igb, VF igbvf "
					    "(vf-iovpf-igbvf / vf-inbox): 1.081 [1.017, 1.149], median 1.050, 6 pairs: higher"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "VF iovvf over igbvf, PF igb (vf-igb-iovvf / vf-inbox): 0.977"));
	free(text);
	json_decref(doc);
	free(md);
	rm_rf(dir);
}

/*
 * A result whose names would run a command through gnuplot's system() (an issue-16 finding) is
 * refused by the loader, naming the field; nothing runs.
 */
static void test_report_refuses_hostile_names(void)
{
	static const char *const fields[] = { "entry", "id", "workload", "nic", "pattern" };
	static const char hostile[] = "x'; system('touch pwned'); '"; /* gnuplot runs in figures/ */
	char dir[] = "/tmp/iovbench-report-XXXXXX", path[64], marker[64];
	const char *results[] = { path };
	struct iov_report_options o = { results, 1, NULL, dir, false };
	struct iov_report_summary sum;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/result.json", dir);
	snprintf(marker, sizeof(marker), "%s/figures/pwned", dir);
	for (size_t i = 0; i < IOV_ARRAY_SIZE(fields); i++) {
		json_t *doc = json_load_file("data/result-lab-tcp.json", 0, NULL), *x;
		struct iov_err err = { "" };
		size_t j;

		CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
		json_array_foreach(json_object_get(doc, "experiments"), j, x) {
			if (!strcmp(fields[i], "entry"))
				json_object_set(json_object_get(doc, "workloads"), hostile,
						json_object_get(json_object_get(doc, "workloads"),
								json_string_value(json_object_get(x, "entry"))));
			json_object_set_new(x, fields[i], json_string(hostile));
		}
		CU_ASSERT_EQUAL_FATAL(json_dump_file(doc, path, 0), 0);
		json_decref(doc);
		CU_ASSERT_EQUAL(iov_report_write(&o, &sum, &err), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, fields[i]));
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "is not a name"));
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path));
		CU_ASSERT_NOT_EQUAL(access(marker, F_OK), 0);
	}
	rm_rf(dir);
}

/*
 * Strings reaching gnuplot directly: titles, series and categories are escaped (a newline could
 * end a data block and start a command); a figure name that is not a plain name is refused.
 */
static void test_plot_escapes_strings(void)
{
	char dir[] = "/tmp/iovbench-plot-XXXXXX", marker[64], evil[256], evil_name[128];
	const char *cats[1] = { evil }, *parts[2] = { evil, "b" };
	const double v[2] = { 40, 60 };
	struct iov_bar bar = { evil, evil, 1.0, 0.1 };
	struct iov_figure f = { .dir = dir, .name = "ok", .title = evil, .xlabel = evil, .ylabel = "y",
				.ymin = NAN, .ymax = NAN };
	struct iov_err err = { "" };

	if (!iov_plot_available())
		return;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(marker, sizeof(marker), "%s/ran", dir);
	snprintf(evil, sizeof(evil), "a'b\"`touch %s`\nEOD\nsystem('touch %s')\n", marker, marker);
	CU_ASSERT_EQUAL(iov_plot_stacked(&f, cats, 1, parts, 2, v, &err), 0);
	CU_ASSERT_EQUAL(iov_plot_bars(&f, &bar, 1, &err), 0);
	CU_ASSERT_NOT_EQUAL(access(marker, F_OK), 0);
	snprintf(evil_name, sizeof(evil_name), "x'; system('touch %s'); '", marker);
	f.name = evil_name;
	CU_ASSERT_EQUAL(iov_plot_bars(&f, &bar, 1, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a plain name"));
	CU_ASSERT_NOT_EQUAL(access(marker, F_OK), 0);
	rm_rf(dir);
}

/* Recorded VM guests (vf, e1000e, virtio): the hypervisor's cost per packet, table and figure. */
static void test_report_recorded_vm(void)
{
	const char *results[] = { "data/result-lab-vm.json" };
	char dir[] = "/tmp/iovbench-report-XXXXXX";
	struct iov_report_options o = { results, 1, NULL, dir, false };
	struct iov_report_summary sum;
	struct iov_err err = { "" };
	char *md, *summary = NULL;
	size_t summary_len = 0;
	json_t *doc = json_load_file(results[0], 0, NULL);
	FILE *f = open_memstream(&summary, &summary_len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL_FATAL(iov_report_write(&o, &sum, &err), 0);
	md = read_out(dir, "report.md");
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "### The hypervisor's cost: SR-IOV against paravirtual and emulated NICs"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "Hypervisor cost per packet, VM guests"));
	/* One row per kind and pattern; the emulated NIC's exits to QEMU counted, the VF's delivery too. */
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| tcp-stream g2g 2 guests | virtio | 12.3M bit/s (throughput\\_bps) | 3.9 | 1.59 | 0 | - | 22.8 |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| tcp-stream g2d 2 guests | e1000e | 2.31M bit/s (throughput\\_bps) | 6.49 | 2.23 | 1.25 | - | 24.1 |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| tcp-stream g2d 2 guests | vf | 65.5M bit/s (throughput\\_bps) | 0.269 | 0.116 | 0 | 95.3 | - |"));
	if (iov_plot_available())
		CU_ASSERT_PTR_NOT_NULL(strstr(md, "(figures/kvm-exits-per-pkt-tcp-stream.png)"));
	iov_summary_print(f, doc);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(summary ? strstr(summary, "kvm_exits_per_pkt") : NULL);
	CU_ASSERT_PTR_NOT_NULL(summary ? strstr(summary, "vf_irq_delivered_pct") : NULL);
	free(summary);
	json_decref(doc);
	free(md);
	rm_rf(dir);
}

/*
 * Recorded VM guests with their QEMU threads counted (vf, vf-inbox, e1000e, virtio, one guest
 * against the driver domain): the hypervisor table's QEMU CPU per Gbit/s and thread split (only
 * virtio's QEMU has a vhost worker), and the figure of it.
 */
static void test_report_recorded_vm_threads(void)
{
	char *md = report_md_of("data/result-lab-vm-threads.json");

	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| QEMU CPU % per Gbit/s | QEMU threads, % of a CPU |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| 686.8 | vCPU 51 / I/O 17 / vhost 22 |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| 270.9 | vCPU 78 / I/O 12 |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| 1302.2 | vCPU 73 / I/O 17 |"));
	if (iov_plot_available())
		CU_ASSERT_PTR_NOT_NULL(strstr(md, "(figures/vm-qemu-cpu-per-gbps-vm-tcp-g2d.png)"));
	free(md);
}

IOV_SUITE(report, { "HTML and Markdown report of recorded lab results", test_report_from_recorded_results },
	  { "recorded instrumentation toggle run: cost table", test_report_recorded_instr_toggle },
	  { "recorded hostile-VF run: toggle tables, verdicts, kernel warnings", test_report_recorded_hostile_vf },
	  { "recorded fault run: faults survived, recoveries, kernel warnings", test_report_recorded_faults },
	  { "recorded interleaved driver anchor: paired ratio table and summary", test_report_recorded_interleaved },
	  { "mailbox latency CDF from the drivers' percentiles", test_report_mailbox_cdf },
	  { "recorded mailbox run: CDF and side by side", test_report_recorded_mailbox },
	  { "recorded VM guests: the hypervisor's cost per packet", test_report_recorded_vm },
	  { "recorded VM guests: their QEMU threads' CPU per Gbit/s and split", test_report_recorded_vm_threads },
	  { "missing results, wrong schema version and foreign baselines refused", test_report_refusals },
	  { "a result with names that would run a command is refused, nothing runs", test_report_refuses_hostile_names },
	  { "strings written into gnuplot are escaped, figure names must be plain", test_plot_escapes_strings })
