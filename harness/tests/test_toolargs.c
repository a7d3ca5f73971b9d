// SPDX-License-Identifier: MIT
/* test_toolargs.c - workload to tool command lines; live loopback runs when iperf3/fio are installed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/fio.h"
#include "collect/iperf3.h"
#include "tests/unit.h"
#include "toolargs.h"

static void workload(struct iov_workload *wl, const char *text)
{
	struct iov_workload *wls;
	struct iov_err err = { "" };
	size_t n;

	if (iov_workload_parse("t.workload", text, &wls, &n, &err)) {
		fprintf(stderr, "\n  %s\n", err.msg);
		CU_FAIL_FATAL("workload");
	}
	*wl = wls[0];
	free(wls);
}

static char *joined(const struct iov_workload *wl, enum iov_role role, const char *peer, unsigned port)
{
	struct iov_argv argv;
	struct iov_err err;
	char *s;

	if (iov_tool_argv(wl, role, peer, port, &argv, &err))
		return NULL;
	CU_ASSERT_PTR_NULL(argv.v[argv.n]);
	s = iov_argv_join(&argv);
	iov_argv_free(&argv);
	return s;
}

static void expect(const struct iov_workload *wl, enum iov_role role, const char *want)
{
	char *got = joined(wl, role, "10.99.0.2", 5201);

	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	if (strcmp(got, want)) {
		fprintf(stderr, "\n  want %s\n  got  %s\n", want, got);
		CU_FAIL("argv");
	}
	free(got);
}

static void test_argv(void)
{
	struct iov_workload wl;
	struct iov_argv argv;
	struct iov_err err;

	workload(&wl, "[workload u]\ntool = iperf3\nprotocol = udp\nudp_datagram_bytes = 64\nduration_s = 5\nreverse = 1\n");
	expect(&wl, IOV_ROLE_SERVER, "iperf3 -s -1 -p 5201");
	expect(&wl, IOV_ROLE_CLIENT, "iperf3 -c 10.99.0.2 -p 5201 -J -t 5 -O 1 -P 1 -b 0 -u -l 64 -R");
	workload(&wl, "[workload t]\ntool = iperf3\nstreams = 4\nbitrate = 100M\nomit_s = 0\n");
	expect(&wl, IOV_ROLE_CLIENT, "iperf3 -c 10.99.0.2 -p 5201 -J -t 10 -O 0 -P 4 -b 100000000");
	workload(&wl, "[workload rr]\ntool = fio\nfio_bs = 64\nfio_pingpong = true\nduration_s = 5\n");
	expect(&wl, IOV_ROLE_SERVER,
	       "fio --output-format=json --name=iov-listen --ioengine=net --protocol=tcp --listen --port=5201 --rw=read "
	       "--bs=64 --size=1g --time_based --runtime=36 --iodepth=1 --numjobs=1 --pingpong=1 --nodelay=1");
	expect(&wl, IOV_ROLE_CLIENT,
	       "fio --output-format=json --name=iov --ioengine=net --protocol=tcp --hostname=10.99.0.2 --port=5201 "
	       "--rw=write --bs=64 --size=1g --time_based --runtime=5 --ramp_time=1 --iodepth=1 --numjobs=1 "
	       "--pingpong=1 --nodelay=1");
	workload(&wl, "[workload s]\ntool = fio\nprotocol = udp\nfio_rw = read\nfio_numjobs = 4\n");
	expect(&wl, IOV_ROLE_CLIENT,
	       "fio --output-format=json --name=iov --ioengine=net --protocol=udp --hostname=10.99.0.2 --port=5201 "
	       "--rw=read --bs=4096 --size=1g --time_based --runtime=10 --ramp_time=1 --iodepth=1 --numjobs=4 "
	       "--group_reporting");
	CU_ASSERT_EQUAL(iov_tool_argv(&wl, IOV_ROLE_CLIENT, NULL, 5201, &argv, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "needs the server's address"));
	CU_ASSERT_EQUAL(iov_tool_argv(&wl, IOV_ROLE_SERVER, NULL, 0, &argv, &err), -1);
}

/* Run server and client on loopback; returns the client's stdout. */
static char *run_pair(const struct iov_workload *wl, unsigned port, size_t *len)
{
	char *server = joined(wl, IOV_ROLE_SERVER, NULL, port), *client = joined(wl, IOV_ROLE_CLIENT, "127.0.0.1", port);
	char cmd[1024], chunk[4096];
	struct iov_buf out = { 0 };
	FILE *srv, *cli;
	size_t n;

	snprintf(cmd, sizeof(cmd), "exec %s >/dev/null 2>&1", server);
	srv = popen(cmd, "r");
	usleep(500 * 1000); /* let the server listen */
	snprintf(cmd, sizeof(cmd), "exec %s 2>&1", client);
	cli = popen(cmd, "r");
	while (cli && (n = fread(chunk, 1, sizeof(chunk), cli)) > 0)
		iov_buf_append(&out, chunk, n);
	if (cli)
		pclose(cli);
	if (srv)
		pclose(srv);
	free(server);
	free(client);
	*len = out.len;
	return iov_buf_take(&out);
}

static void test_loopback(void)
{
	struct iov_workload wl;
	struct iov_iperf3_result ir;
	struct iov_fio_result fr;
	struct iov_err err = { "" };
	unsigned port = 20000 + (unsigned)getpid() % 20000;
	size_t len;
	char *out;

	if (system("command -v iperf3 >/dev/null && command -v fio >/dev/null")) {
		fprintf(stderr, "\n  (iperf3 or fio not installed: loopback run skipped)\n");
		return;
	}
	workload(&wl, "[workload u]\ntool = iperf3\nprotocol = udp\nudp_datagram_bytes = 64\nbitrate = 10M\n"
		      "duration_s = 1\nomit_s = 0\n");
	out = run_pair(&wl, port, &len);
	if (iov_iperf3_parse(out, len, &ir, &err))
		fprintf(stderr, "\n  %s\n", err.msg);
	CU_ASSERT_TRUE(ir.udp && ir.udp_packets_received > 0);
	free(out);
	workload(&wl, "[workload rr]\ntool = fio\nfio_bs = 64\nfio_pingpong = true\nduration_s = 1\nomit_s = 0\n");
	out = run_pair(&wl, port + 1, &len);
	if (iov_fio_parse(out, len, &fr, &err))
		fprintf(stderr, "\n  %s\n", err.msg);
	CU_ASSERT_TRUE(fr.njobs == 1 && fr.jobs[0].write.total_ios > 0 && fr.jobs[0].write.clat.npct > 0);
	iov_fio_free(&fr);
	free(out);
}

IOV_SUITE(toolargs,
	  { "iperf3 and fio command lines from workloads", test_argv },
	  { "loopback run parses (iperf3 UDP 64 B, fio pingpong)", test_loopback })
