// SPDX-License-Identifier: MIT
/* test_workload.c - workload and suite files: the repository's own, and every way to get them wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "suite.h"
#include "toggles/toggles.h"
#include "tools/tools.h"
#include "traffic.h"
#include "tests/unit.h"
#include "workload.h"

#define WORKLOAD_DIR "../../workloads"

/* Parse text expected to fail; check the message contains want. */
static void expect_reject(const char *text, const char *want)
{
	struct iov_workload *wls = NULL;
	struct iov_err err = { "" };
	size_t n = 99;

	CU_ASSERT_EQUAL(iov_workload_parse("t.workload", text, &wls, &n, &err), -1);
	CU_ASSERT_PTR_NULL(wls);
	CU_ASSERT_EQUAL(n, 0);
	if (!strstr(err.msg, want)) {
		fprintf(stderr, "\n  want '%s'\n  got  '%s'\n", want, err.msg);
		CU_FAIL("error message");
	}
}

static void test_minimal_and_defaults(void)
{
	struct iov_workload *wls;
	struct iov_err err;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(iov_workload_parse("t.workload", "[workload w]\ntool = iperf3\n", &wls, &n, &err), 0);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_STRING_EQUAL(wls[0].name, "w");
	CU_ASSERT_EQUAL(wls[0].reps, 5);
	CU_ASSERT_EQUAL(wls[0].duration_s, 10);
	CU_ASSERT_EQUAL(wls[0].streams, 1);
	CU_ASSERT_EQUAL(wls[0].protocol, IOV_PROTO_TCP);
	CU_ASSERT_EQUAL(wls[0].pattern_mask, 1u << IOV_PATTERN_GUEST_TO_GUEST);
	CU_ASSERT(wls[0].guests.n == 1 && wls[0].guests.v[0] == 2);
	CU_ASSERT_EQUAL(wls[0].fio_bs, 4096);
	CU_ASSERT_TRUE(wls[0].fio_nodelay);
	CU_ASSERT_TRUE(iov_workload_is_set(&wls[0], "tool"));
	CU_ASSERT_FALSE(iov_workload_is_set(&wls[0], "reps"));
	CU_ASSERT_FALSE(iov_workload_is_set(&wls[0], "nonsense"));
	free(wls);
}

static void test_values(void)
{
	const char *text = "# leading comment\n"
			   "\n"
			   "[workload  a.b-c_1 ]   # trailing comment\n"
			   "  tool=iperf3\n"
			   "protocol = udp\n"
			   "udp_datagram_bytes = 1k\n"
			   "bitrate = 2.5G\n"
			   "nic = virtio , vf\n"
			   "pattern = all\n"
			   "guests = 6,2 , 4\n"
			   "reverse = 1\n"
			   "description = x#not-a-comment\n"
			   "[workload second]\n"
			   "tool = fio\n"
			   "fio_bs = 64k\n"
			   "fio_rw = read\n"
			   "pattern = guest-to-domain\n"
			   "guests = 7\n";
	struct iov_workload *wls;
	struct iov_err err;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(iov_workload_parse("t.workload", text, &wls, &n, &err), 0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(wls[0].name, "a.b-c_1");
	CU_ASSERT_EQUAL(wls[0].line, 3);
	CU_ASSERT_EQUAL(wls[0].udp_datagram_bytes, 1024);
	CU_ASSERT_EQUAL(wls[0].bitrate_bps, 2500000000ull);
	CU_ASSERT_EQUAL(wls[0].nic_mask, (1u << IOV_NIC_VIRTIO) | (1u << IOV_NIC_VF));
	CU_ASSERT_EQUAL(wls[0].pattern_mask, 3u);
	CU_ASSERT(wls[0].guests.n == 3 && wls[0].guests.v[0] == 6 && wls[0].guests.v[2] == 4);
	CU_ASSERT_TRUE(wls[0].reverse);
	CU_ASSERT_STRING_EQUAL(wls[0].description, "x#not-a-comment");
	CU_ASSERT_PTR_EQUAL(wls[1].tool, iov_tool_lookup("fio"));
	CU_ASSERT_EQUAL(wls[1].fio_bs, 65536);
	CU_ASSERT_EQUAL(wls[1].fio_rw, IOV_FIO_READ);
	free(wls);
}

static void test_syntax_errors(void)
{
	expect_reject("tool = iperf3\n", "t.workload:1: text before the first [KIND NAME] section");
	expect_reject("[workload]\n", "t.workload:1: malformed section header");
	expect_reject("[workload a b]\n", "t.workload:1: malformed section header");
	expect_reject("[workload a] x\n", "t.workload:1: malformed section header");
	expect_reject("[workload a\n", "t.workload:1: malformed section header");
	expect_reject("[workload a]\ntool\n", "t.workload:2: expected 'key = value', got 'tool'");
	expect_reject("[workload a]\nTool = fio\n", "t.workload:2: 'Tool': malformed key");
	expect_reject("[workload a]\ntool = \n", "t.workload:2: tool: empty value");
	expect_reject("[workload a]\ntool = fio # x\nreps = # only a comment\n", "t.workload:3: reps: empty value");
	expect_reject("[workload a]\r\ntool = fio\r\n", "t.workload:1: carriage return");
	expect_reject("[workload a]\ntool = fio\n[workload a]\ntool = fio\n",
		      "t.workload:3: section [workload a] already declared at line 1");
	expect_reject("[suite a]\ntool = fio\n", "t.workload:1: [suite a]: unexpected section kind");
	expect_reject("# nothing\n", "t.workload: no [workload NAME] section");
	expect_reject("", "no [workload NAME] section");
}

static void test_key_errors(void)
{
	expect_reject("[workload a]\ntool = iperf3\nstreamz = 4\n",
		      "t.workload:3: streamz: unknown key (every key is listed in workloads/REFERENCE.md)");
	expect_reject("[workload a]\ntool = iperf3\nstreams = 4\nstreams = 2\n",
		      "t.workload:4: streams: duplicate key (first set at line 3)");
	expect_reject("[workload a]\ntool = netperf\n", "t.workload:2: tool: 'netperf' is not one of iperf3|fio");
	expect_reject("[workload a]\ntool = iperf3\nstreams = 0\n", "t.workload:3: streams: 0 is out of range 1..128");
	expect_reject("[workload a]\ntool = iperf3\nstreams = -1\n", "streams: '-1' is not a non-negative integer");
	expect_reject("[workload a]\ntool = iperf3\nstreams = 4 streams\n", "streams: '4 streams' is not");
	expect_reject("[workload a]\ntool = iperf3\nreps = 99999999999999999999\n", "reps: '99999999999999999999'");
	expect_reject("[workload a]\ntool = iperf3\nguests = 2,,4\n", "t.workload:3: guests: empty list element");
	expect_reject("[workload a]\ntool = iperf3\nguests = 2,8\n", "guests: 8 is out of range 1..7");
	expect_reject("[workload a]\ntool = iperf3\nguests = 2,2\n", "guests: 2 listed twice");
	expect_reject("[workload a]\ntool = iperf3\nnic = vf,sriov\n",
		      "nic: 'sriov' is not one of vf|vf-inbox|vf-iovpf-igbvf|vf-igb-iovvf|vf-noinstr|e1000e|virtio|veth|all");
	expect_reject("[workload a]\ntool = iperf3\nnic = vf, vf\n", "nic: 'vf' listed twice");
	expect_reject("[workload a]\ntool = iperf3\nreverse = yes\n", "reverse: 'yes' is not a boolean");
	expect_reject("[workload a]\ntool = iperf3\nprotocol = udp\nudp_datagram_bytes = 64x\n",
		      "udp_datagram_bytes: '64x' is not a size");
	expect_reject("[workload a]\ntool = iperf3\nprotocol = udp\nudp_datagram_bytes = 1.5\n",
		      "udp_datagram_bytes: '1.5' is not a size");
	expect_reject("[workload a]\ntool = iperf3\nprotocol = udp\nudp_datagram_bytes = 8\n",
		      "udp_datagram_bytes: 8 is out of range 16..65507");
	expect_reject("[workload a]\ntool = iperf3\nbitrate = fast\n", "bitrate: 'fast' is not a bit rate");
}

static void test_rule_errors(void)
{
	expect_reject("[workload a]\nstreams = 2\n", "t.workload:1: tool: missing required key (workload a)");
	expect_reject("[workload a]\ntool = fio\nstreams = 2\n",
		      "t.workload:3: streams: does not apply to tool = fio (only to iperf3)");
	expect_reject("[workload a]\ntool = iperf3\nfio_pingpong = true\n",
		      "t.workload:3: fio_pingpong: does not apply to tool = iperf3 (only to fio)");
	expect_reject("[workload a]\ntool = iperf3\nudp_datagram_bytes = 64\n",
		      "t.workload:3: udp_datagram_bytes: needs protocol = udp");
	expect_reject("[workload a]\ntool = iperf3\niperf3_server_cpu = 1\n",
		      "t.workload:3: iperf3_server_cpu: needs iperf3_client_cpu");
	expect_reject("[workload a]\ntool = iperf3\nnic = vf\ninstr_toggle_s = 3\nduration_s = 10\n",
		      "t.workload:4: instr_toggle_s: needs duration_s (10) of at least 4 periods");
	expect_reject("[workload a]\ntool = fio\ninstr_toggle_s = 1\n",
		      "t.workload:3: instr_toggle_s: does not apply to tool = fio (only to iperf3)");
	expect_reject("[workload a]\ntool = iperf3\nhostile_vf_toggle_s = 3\nduration_s = 10\n",
		      "t.workload:3: hostile_vf_toggle_s: needs duration_s (10) of at least 4 periods");
	expect_reject("[workload a]\ntool = iperf3\nhostile_vf_toggle_s = 2\ninstr_toggle_s = 2\nduration_s = 10\n",
		      "t.workload:3: hostile_vf_toggle_s: excludes instr_toggle_s");
	expect_reject("[workload a]\ntool = iperf3\nhostile_vf_toggle_s = 2\nduration_s = 10\nguests = 2, 7\n",
		      "t.workload:3: hostile_vf_toggle_s: needs a spare VF: at most 6 guests, not 7");
	expect_reject("[workload a]\ntool = iperf3\nvf_flr_toggle_s = 2\nduration_s = 10\nguest_kind = vm\n",
		      "t.workload:3: vf_flr_toggle_s: needs guest_kind = netns");
	expect_reject("[workload a]\ntool = fio\niperf3_client_cpu = 0\n",
		      "t.workload:3: iperf3_client_cpu: does not apply to tool = fio (only to iperf3)");
	expect_reject("[workload a]\ntool = iperf3\nomit_s = 5\nduration_s = 5\n",
		      "t.workload:3: omit_s: omit_s (5) must be less than duration_s (5)");
	expect_reject("[workload a]\ntool = iperf3\nduration_s = 1\n",
		      "t.workload:3: duration_s: omit_s (1) must be less than duration_s (1)");
	expect_reject("[workload a]\ntool = iperf3\npattern = guest-to-guest\nguests = 2, 1\n",
		      "t.workload:4: guests: 1 guests cannot form guest-to-guest pairs");
	expect_reject("[workload a]\ntool = iperf3\nguest_kind = vm\nnic = vf, vf-noinstr\n",
		      "t.workload:4: nic: vf-noinstr has no form with guest_kind = vm: it switches the "
		      "instrumentation in the driver domain's kernel only");
	/* the ceiling joins namespaces of one kernel: refused for VM guests, saying why */
	expect_reject("[workload a]\ntool = iperf3\nguest_kind = vm\nnic = vf, veth\n",
		      "t.workload:4: nic: veth has no form with guest_kind = vm: a veth pair joins namespaces of "
		      "one kernel, and a VM guest runs its own");
	expect_reject("[workload a]\ntool = iperf3\nguest_kind = xen\n",
		      "t.workload:3: guest_kind: ");
	/* The second section is broken: nothing of the file is kept. */
	expect_reject("[workload a]\ntool = iperf3\n[workload b]\ntool = fio\nfio_bs = 0\n",
		      "t.workload:5: fio_bs: 0 is out of range");
}

static void test_repository_workloads(void)
{
	struct iov_catalogue cat;
	struct iov_err err = { "" };
	const struct iov_workload *wl;

	if (iov_catalogue_load(WORKLOAD_DIR, &cat, &err)) {
		fprintf(stderr, "\n  %s\n", err.msg);
		CU_FAIL_FATAL("catalogue");
	}
	CU_ASSERT(cat.n >= 5);
	CU_ASSERT(iov_catalogue_find(&cat, "tcp-stream") && iov_catalogue_find(&cat, "tcp-stream-4") &&
		  iov_catalogue_find(&cat, "udp-64") && iov_catalogue_find(&cat, "latency-rr") &&
		  iov_catalogue_find(&cat, "fio-net"));
	wl = iov_catalogue_find(&cat, "udp-64");
	CU_ASSERT(wl->protocol == IOV_PROTO_UDP && wl->udp_datagram_bytes == 64 && wl->bitrate_bps == 5000000);
	wl = iov_catalogue_find(&cat, "latency-rr");
	CU_ASSERT(wl->tool == iov_tool_lookup("fio") && wl->fio_pingpong && wl->fio_bs == 64);
	CU_ASSERT_PTR_NULL(iov_catalogue_find(&cat, "nope"));
	iov_catalogue_free(&cat);
}

static size_t plan_index(const struct iov_plan *plan, const char *id);

static void test_default_suite_plan(void)
{
	struct iov_catalogue cat;
	struct iov_suite suite;
	struct iov_plan plan;
	struct iov_err err = { "" };
	unsigned per_nic[IOV_NIC_COUNT] = { 0 };

	CU_ASSERT_EQUAL_FATAL(iov_catalogue_load(WORKLOAD_DIR, &cat, &err), 0);
	if (iov_suite_load_named(WORKLOAD_DIR, "default", &cat, NULL, 0, &suite, &err)) {
		fprintf(stderr, "\n  %s\n", err.msg);
		CU_FAIL_FATAL("default suite");
	}
	CU_ASSERT_EQUAL(suite.n, 12);
	CU_ASSERT_EQUAL(suite.entries[0].workload.reps, 3);	  /* from [suite] */
	CU_ASSERT_EQUAL(suite.entries[0].workload.duration_s, 3);
	CU_ASSERT_EQUAL_FATAL(iov_plan_build(&suite, &plan, &err), 0);
	/* 3 workloads x (g2g 2 + g2d 1) x 4 NICs + veth in TCP's 2 + driver anchor 2 x 4 SR-IOV
	 * pairings + instrumentation toggled 1 + mailbox 4 + VM guests 2 workloads x g2d 1 x 4 NICs */
	CU_ASSERT_EQUAL(plan.n, 47);
	/* [suite] sets 3 repetitions of 3 s, the driver anchor its own 6 of 6 s, the instrumentation
	 * entry 5 of 61 s */
	CU_ASSERT_EQUAL(iov_plan_measured_seconds(&plan), (26 + 4 + 8) * 3 * 3 + 8 * 6 * 6 + 5 * 61);
	for (size_t i = 0; i < plan.n; i++) {
		per_nic[plan.experiments[i].nic]++;
		for (size_t j = 0; j < i; j++)
			CU_ASSERT(strcmp(plan.experiments[i].id, plan.experiments[j].id));
		/* VM guests first (one lab switch), then nic is the outermost loop: lab
		 * configurations change rarely */
		if (i && plan.experiments[i].workload->guest_kind == plan.experiments[i - 1].workload->guest_kind)
			CU_ASSERT(plan.experiments[i].nic >= plan.experiments[i - 1].nic);
		if (i)
			CU_ASSERT(plan.experiments[i].workload->guest_kind <= plan.experiments[i - 1].workload->guest_kind);
	}
	for (int nic = 0; nic < IOV_NIC_COUNT; nic++)
		CU_ASSERT_EQUAL(per_nic[nic], nic == IOV_NIC_VF_NOINSTR		       ? 0
					      : nic == IOV_NIC_VF			       ? 12
					      : nic == IOV_NIC_VF_INBOX		       ? 11
					      : nic == IOV_NIC_VETH			       ? 2
					      : iov_nic_is_sriov(nic)			       ? 3
										       : 8);
	CU_ASSERT_STRING_EQUAL(plan.experiments[0].id, "vm-tcp-g2d.vf.g2d.1g");
	CU_ASSERT_STRING_EQUAL(plan.experiments[8].id, "tcp-g2d.vf.g2d.1g");
	iov_plan_free(&plan);
	iov_suite_free(&suite);
	{
		char **names;
		size_t n;

		CU_ASSERT_EQUAL_FATAL(iov_suite_list(WORKLOAD_DIR, &names, &n, &err), 0);
		CU_ASSERT(n == 4 && !strcmp(names[0], "default") && !strcmp(names[1], "full") &&
			  !strcmp(names[2], "instrumentation") && !strcmp(names[3], "robustness"));
		iov_suite_list_free(names, n);
	}
	CU_ASSERT_EQUAL(iov_suite_load_named(WORKLOAD_DIR, "full", &cat, NULL, 0, &suite, &err), 0);
	CU_ASSERT(suite.n == 23 && suite.entries[0].workload.reps == 5);
	iov_suite_free(&suite);
	/* The robustness suite: the hostile VF on iovpf and igb measured as one interleaved group
	 * (its toggle does not stand alone), each with its spare VF; the faults on every pairing. */
	CU_ASSERT_EQUAL_FATAL(iov_suite_load_named(WORKLOAD_DIR, "robustness", &cat, NULL, 0, &suite, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_plan_build(&suite, &plan, &err), 0);
	{
		size_t member[IOV_NIC_COUNT], i = plan_index(&plan, "hostile-vf-g2g.vf.g2g.2g");
		const struct iov_toggle_ops *t = iov_experiment_toggle(&plan.experiments[i]);

		CU_ASSERT_EQUAL(iov_plan_group(&plan, i, member), 2);
		CU_ASSERT(t && t->spare_vfs == 1 && !strcmp(t->name, "hostile VF"));
		t = iov_experiment_toggle(&plan.experiments[plan_index(&plan, "pf-link-g2g.vf-inbox.g2g.2g")]);
		CU_ASSERT(t && t->no_ratios && !t->spare_vfs);
	}
	iov_plan_free(&plan);
	iov_suite_free(&suite);
	/* The instrumentation suite: vf alone, toggling inside 60 s repetitions, no twins. */
	CU_ASSERT_EQUAL_FATAL(iov_suite_load_named(WORKLOAD_DIR, "instrumentation", &cat, NULL, 0, &suite, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_plan_build(&suite, &plan, &err), 0);
	{
		size_t member[IOV_NIC_COUNT];

		CU_ASSERT_EQUAL_FATAL(plan.n, 2);
		for (size_t i = 0; i < plan.n; i++) {
			CU_ASSERT(plan.experiments[i].nic == IOV_NIC_VF && iov_plan_group(&plan, i, member) == 1);
			CU_ASSERT(plan.experiments[i].workload->instr_toggle_s == 1 &&
				  plan.experiments[i].workload->duration_s == 61);
		}
	}
	iov_plan_free(&plan);
	iov_suite_free(&suite);
	iov_catalogue_free(&cat);
}

/* Do two workloads measure the same thing, as compare and history judge it (the workload signature)? */
static bool same_measurement(const struct iov_workload *a, const struct iov_workload *b)
{
	json_t *da = json_pack("{s:{s:o}}", "workloads", "e", iov_workload_to_json(a));
	json_t *db = json_pack("{s:{s:o}}", "workloads", "e", iov_workload_to_json(b));
	char *sa = iov_workload_signature(da, "e"), *sb = iov_workload_signature(db, "e");
	bool same = sa && sb && !strcmp(sa, sb);

	free(sa);
	free(sb);
	json_decref(da);
	json_decref(db);
	return same;
}

/* Pinned iperf3 ends: -A client,server on the client; CPU 0 is a value, not "unset". */
static void test_iperf3_affinity(void)
{
	struct traffic_link link = { "g1", "eth1", "10.99.0.1", "0000:01:10.0", "g2", "eth2", "10.99.0.2",
				     "0000:01:10.2", "g1-g2" };
	const char *texts[] = { "[workload a]\ntool = iperf3\niperf3_client_cpu = 0\niperf3_server_cpu = 1\n",
				"[workload a]\ntool = iperf3\niperf3_client_cpu = 1\n", "[workload a]\ntool = iperf3\n" };
	const char *want[] = { " -A 0,1 ", " -A 1 ", NULL };

	for (size_t t = 0; t < IOV_ARRAY_SIZE(texts); t++) {
		struct iov_workload *wls = NULL;
		struct iov_buf script = { 0 };
		struct iov_err err = { "" };
		size_t n;

		CU_ASSERT_EQUAL_FATAL(iov_workload_parse("t.workload", texts[t], &wls, &n, &err), 0);
		CU_ASSERT_EQUAL_FATAL(traffic_rep_script(&wls[0], &link, 1, false, &script), 0);
		if (want[t]) {
			CU_ASSERT_PTR_NOT_NULL(strstr(script.data, want[t]));
		} else {
			CU_ASSERT_PTR_NULL(strstr(script.data, " -A "));
		}
		if (t == 0) {
			struct iov_workload other = wls[0];

			/* pinned and unpinned runs are not the same measurement */
			CU_ASSERT(same_measurement(&wls[0], &other));
			other.origin[IOV_KEY_IPERF3_CLIENT_CPU].explicit = false;
			other.origin[IOV_KEY_IPERF3_SERVER_CPU].explicit = false;
			CU_ASSERT(!same_measurement(&wls[0], &other));
		}
		iov_buf_free(&script);
		free(wls);
	}
}

/* The toggler runs beside the clients on the receivers (reversed: the clients) and is waited for. */
static void test_toggle_script(void)
{
	struct traffic_link link = { "g1", "eth1", "10.99.0.1", "0000:01:10.0", "g2", "eth2", "10.99.0.2",
				     "0000:01:10.2", "g1-g2" };
	const char *text = "[workload a]\ntool = iperf3\nnic = vf, vf-inbox, virtio\nduration_s = 61\nomit_s = 2\n"
			   "instr_toggle_s = 1\n"
			   "[workload h]\ntool = iperf3\nnic = vf, vf-inbox, virtio\nduration_s = 20\n"
			   "hostile_vf_toggle_s = 5\n";
	struct iov_workload *wls = NULL;
	struct iov_buf script = { 0 };
	struct iov_err err = { "" };
	const struct iov_toggle_ops *t;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(iov_workload_parse("t.workload", text, &wls, &n, &err), 0);
	t = iov_toggle_of(IOV_NIC_VF, &wls[0]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_STRING_EQUAL(t->name, "instrumentation");
	/* the instrumentation toggle switches our drivers only: the in-tree pair runs plainly */
	CU_ASSERT_PTR_NULL(iov_toggle_of(IOV_NIC_VF_INBOX, &wls[0]));
	CU_ASSERT_EQUAL_FATAL(traffic_rep_script(&wls[0], &link, 1, t, &script), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(script.data, "( sleep 2.5; iov_toggle iov_toggle_instrumentation 1 60 "
						   TRAFFIC_OUTDIR "/instr-toggle.txt g2/eth2 ) &\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(script.data, "wait $clients $toggler\n"));
	iov_buf_free(&script);
	/* no toggle: no toggler */
	CU_ASSERT_EQUAL_FATAL(traffic_rep_script(&wls[0], &link, 1, NULL, &script), 0);
	CU_ASSERT_PTR_NULL(strstr(script.data, "iov_toggle"));
	iov_buf_free(&script);
	wls[0].reverse = true;
	CU_ASSERT_EQUAL_FATAL(traffic_rep_script(&wls[0], &link, 1, t, &script), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(script.data, " g1/eth1 ) &"));
	iov_buf_free(&script);
	/* a hostile VF beside every SR-IOV pairing, its spare VF its own; virtio has none */
	t = iov_toggle_of(IOV_NIC_VF_INBOX, &wls[1]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_EQUAL(iov_toggle_of(IOV_NIC_VF, &wls[1]), t);
	CU_ASSERT_PTR_NULL(iov_toggle_of(IOV_NIC_VIRTIO, &wls[1]));
	CU_ASSERT_EQUAL(t->spare_vfs, 1);
	CU_ASSERT(!t->freezes_driver_counters && !t->stands_alone);
	CU_ASSERT_EQUAL_FATAL(traffic_rep_script(&wls[1], &link, 1, t, &script), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(script.data, "( sleep 1.5; iov_toggle iov_toggle_hostile_vf 5 19 "
						   TRAFFIC_OUTDIR "/hostile-vf.txt g2/eth2 ) &\n"));
	iov_buf_free(&script);
	free(wls);
}

static size_t plan_index(const struct iov_plan *plan, const char *id)
{
	for (size_t i = 0; i < plan->n; i++)
		if (!strcmp(plan->experiments[i].id, id))
			return i;
	CU_FAIL("experiment id not in the plan");
	return 0;
}

/* The ids of experiment id's interleaved group, in the order of its first repetition, joined by spaces. */
static const char *group_ids(const struct iov_plan *plan, const char *id)
{
	static char out[1024];
	size_t member[IOV_NIC_COUNT], n = iov_plan_group(plan, plan_index(plan, id), member);

	out[0] = 0;
	for (size_t k = 0; k < n; k++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", k ? " " : "",
			 plan->experiments[member[k]].id);
	return out;
}

static void test_plan_groups(void)
{
	struct iov_catalogue cat;
	struct iov_suite suite;
	struct iov_plan plan;
	struct iov_err err = { "" };

	CU_ASSERT(iov_nic_topology(IOV_NIC_VF_NOINSTR) == IOV_NIC_VF);
	CU_ASSERT(iov_nic_topology(IOV_NIC_VF_INBOX) == IOV_NIC_VF_INBOX);
	CU_ASSERT(iov_nic_instrumentation(IOV_NIC_VF) == 1 && iov_nic_instrumentation(IOV_NIC_VF_NOINSTR) == 0);
	CU_ASSERT(iov_nic_instrumentation(IOV_NIC_VF_IGB_IOVVF) == 1 && iov_nic_instrumentation(IOV_NIC_VF_INBOX) == -1);
	/* ABBA: forward, then backward, so a pair's positions even out over two repetitions */
	CU_ASSERT(iov_group_order(3, 0, 0) == 0 && iov_group_order(3, 0, 2) == 2);
	CU_ASSERT(iov_group_order(3, 1, 0) == 2 && iov_group_order(3, 1, 2) == 0 && iov_group_order(3, 2, 0) == 0);
	CU_ASSERT_EQUAL_FATAL(iov_catalogue_load(WORKLOAD_DIR, &cat, &err), 0);
	/* The default suite: the driver anchor's four SR-IOV pairings, interleaved. */
	CU_ASSERT_EQUAL_FATAL(iov_suite_load_named(WORKLOAD_DIR, "default", &cat, NULL, 0, &suite, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_plan_build(&suite, &plan, &err), 0);
	CU_ASSERT_STRING_EQUAL(group_ids(&plan, "drivers-g2d.vf-inbox.g2d.1g"),
			       "drivers-g2d.vf.g2d.1g drivers-g2d.vf-inbox.g2d.1g "
			       "drivers-g2d.vf-iovpf-igbvf.g2d.1g drivers-g2d.vf-igb-iovvf.g2d.1g");
	CU_ASSERT_STRING_EQUAL(group_ids(&plan, "drivers-g2g.vf.g2g.2g"),
			       "drivers-g2g.vf.g2g.2g drivers-g2g.vf-inbox.g2g.2g "
			       "drivers-g2g.vf-iovpf-igbvf.g2g.2g drivers-g2g.vf-igb-iovvf.g2g.2g");
	/* the grid interleaves our pair with the in-tree pair alone; the emulated kinds run apart */
	CU_ASSERT_STRING_EQUAL(group_ids(&plan, "tcp-g2g.vf.g2g.2g"), "tcp-g2g.vf.g2g.2g tcp-g2g.vf-inbox.g2g.2g");
	CU_ASSERT_STRING_EQUAL(group_ids(&plan, "tcp-g2g.e1000e.g2g.2g"), "tcp-g2g.e1000e.g2g.2g");
	iov_plan_free(&plan);
	iov_suite_free(&suite);
	/* Only the listed kinds, per guest count and pattern, within one entry. */
	CU_ASSERT_EQUAL_FATAL(iov_suite_parse("t.suite",
					      "[suite t]\npattern = guest-to-guest\nguests = 2, 6\n"
					      "[entry a]\nworkload = tcp-stream\nnic = vf, vf-noinstr, vf-inbox, e1000e\n"
					      "interleave = e1000e, vf-noinstr, vf, virtio\n"
					      "[entry b]\nworkload = tcp-stream\nnic = vf, vf-noinstr\n",
					      &cat, NULL, 0, &suite, &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(iov_plan_build(&suite, &plan, &err), 0);
	CU_ASSERT_STRING_EQUAL(group_ids(&plan, "a.e1000e.g2g.6g"),
			       "a.vf.g2g.6g a.vf-noinstr.g2g.6g a.e1000e.g2g.6g");
	CU_ASSERT_STRING_EQUAL(group_ids(&plan, "a.vf.g2g.2g"), "a.vf.g2g.2g a.vf-noinstr.g2g.2g a.e1000e.g2g.2g");
	CU_ASSERT_STRING_EQUAL(group_ids(&plan, "a.vf-inbox.g2g.2g"), "a.vf-inbox.g2g.2g");
	CU_ASSERT_STRING_EQUAL(group_ids(&plan, "b.vf.g2g.2g"), "b.vf.g2g.2g");
	iov_plan_free(&plan);
	iov_suite_free(&suite);
	/* A toggling experiment measures its cost inside its repetitions: never interleaved. */
	CU_ASSERT_EQUAL_FATAL(iov_suite_parse("t.suite",
					      "[suite t]\nguests = 2\npattern = guest-to-guest\nduration_s = 8\n"
					      "[entry a]\nworkload = tcp-stream\nnic = vf, vf-noinstr, vf-inbox\n"
					      "instr_toggle_s = 1\ninterleave = all\n",
					      &cat, NULL, 0, &suite, &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(iov_plan_build(&suite, &plan, &err), 0);
	CU_ASSERT_STRING_EQUAL(group_ids(&plan, "a.vf.g2g.2g"), "a.vf.g2g.2g");
	CU_ASSERT_STRING_EQUAL(group_ids(&plan, "a.vf-inbox.g2g.2g"), "a.vf-noinstr.g2g.2g a.vf-inbox.g2g.2g");
	iov_plan_free(&plan);
	iov_suite_free(&suite);
	iov_catalogue_free(&cat);
}

static void expect_suite_reject(const struct iov_catalogue *cat, const char *text, const struct iov_override *ov,
				size_t nov, const char *want)
{
	struct iov_suite suite;
	struct iov_err err = { "" };

	CU_ASSERT_EQUAL(iov_suite_parse("s.suite", text, cat, ov, nov, &suite, &err), -1);
	CU_ASSERT(suite.n == 0 && !suite.entries);
	if (!strstr(err.msg, want)) {
		fprintf(stderr, "\n  want '%s'\n  got  '%s'\n", want, err.msg);
		CU_FAIL("error message");
	}
}

/* VM-guest entries come first in a plan, whatever their place in the suite: one lab switch. */
static void test_plan_vm_first(void)
{
	const char *text = "[suite s]\nreps = 1\nnic = vf, e1000e\n[entry ns]\nworkload = tcp-stream\nguests = 2\n"
			   "[entry vm]\nworkload = tcp-stream\nguests = 2\nguest_kind = vm\n";
	struct iov_catalogue cat;
	struct iov_suite suite;
	struct iov_plan plan;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(iov_catalogue_load(WORKLOAD_DIR, &cat, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_suite_parse("s.suite", text, &cat, NULL, 0, &suite, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_plan_build(&suite, &plan, &err), 0);
	CU_ASSERT_EQUAL_FATAL(plan.n, 8);
	for (size_t i = 0; i < plan.n; i++)
		CU_ASSERT_STRING_EQUAL(plan.experiments[i].entry->name, i < 4 ? "vm" : "ns");
	CU_ASSERT_STRING_EQUAL(plan.experiments[0].id, "vm.vf.g2g.2g");
	CU_ASSERT_STRING_EQUAL(plan.experiments[4].id, "ns.vf.g2g.2g");
	iov_plan_free(&plan);
	iov_suite_free(&suite);
	iov_catalogue_free(&cat);
}

static void test_suite_layers_and_errors(void)
{
	const struct iov_override reps1[] = { { "reps", "1" }, { "nic", "e1000e" } };
	const struct iov_override bad_guests[] = { { "guests", "3" } };
	const struct iov_override bad_key[] = { { "repz", "3" } };
	const char *good = "[suite s]\nreps = 2\n[entry a]\nworkload = tcp-stream\nreps = 4\nstreams = 2\n"
			   "[entry b]\nworkload = latency-rr\n";
	struct iov_catalogue cat;
	struct iov_suite suite;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(iov_catalogue_load(WORKLOAD_DIR, &cat, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_suite_parse("s.suite", good, &cat, NULL, 0, &suite, &err), 0);
	CU_ASSERT(suite.entries[0].workload.reps == 4 && suite.entries[0].workload.streams == 2);
	CU_ASSERT(suite.entries[1].workload.reps == 2);
	iov_suite_free(&suite);
	CU_ASSERT_EQUAL_FATAL(iov_suite_parse("s.suite", good, &cat, reps1, 2, &suite, &err), 0);
	CU_ASSERT(suite.entries[0].workload.reps == 1 && suite.entries[1].workload.reps == 1);
	CU_ASSERT(suite.entries[0].workload.nic_mask == 1u << IOV_NIC_E1000E);
	iov_suite_free(&suite);

	expect_suite_reject(&cat, "[suite s]\n[entry a]\nworkload = tcp-stream\npattern = guest-to-guest\n",
			    bad_guests, 1, "command line:0: guests: 3 guests cannot form guest-to-guest pairs");
	expect_suite_reject(&cat, good, bad_key, 1, "command line:0: repz: unknown key");
	/* A suite-wide iperf3 key reaching a fio entry is an error at the suite's line. */
	expect_suite_reject(&cat, "[suite s]\nstreams = 2\n[entry a]\nworkload = latency-rr\n", NULL, 0,
			    "suite s, entry a: s.suite:2: streams: does not apply to tool = fio");
	expect_suite_reject(&cat, "[entry a]\nworkload = tcp-stream\n", NULL, 0,
			    "s.suite:1: a suite file starts with a [suite NAME] section");
	expect_suite_reject(&cat, "[suite s]\n", NULL, 0, "s.suite:1: suite s has no [entry NAME] section");
	expect_suite_reject(&cat, "[suite s]\n[entry a]\nreps = 2\n", NULL, 0,
			    "s.suite:2: workload: missing required key (entry a)");
	expect_suite_reject(&cat, "[suite s]\n[entry a]\nworkload = tcp-streem\n", NULL, 0,
			    "s.suite:3: workload: no workload named 'tcp-streem'");
	expect_suite_reject(&cat, "[suite s]\n[entry a]\nworkload = tcp-stream\ntool = fio\n", NULL, 0,
			    "s.suite:4: tool: a suite cannot change a workload's tool");
	expect_suite_reject(&cat, "[suite s]\n[workload a]\ntool = fio\n", NULL, 0,
			    "s.suite:2: [workload a]: unexpected section kind (want [entry NAME])");
	expect_suite_reject(&cat, "[suite s]\n[entry a]\nworkload = tcp-stream\nomit_s = 20\n", NULL, 0,
			    "s.suite:4: omit_s: omit_s (20) must be less than duration_s (10)");
	iov_catalogue_free(&cat);
}

static void test_suite_from_workloads(void)
{
	const char *names[] = { "udp-64", "latency-rr" }, *twice[] = { "udp-64", "udp-64" }, *bad[] = { "x" };
	const struct iov_override ov[] = { { "guests", "2" }, { "nic", "vf" }, { "pattern", "guest-to-guest" } };
	struct iov_catalogue cat;
	struct iov_suite suite;
	struct iov_plan plan;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(iov_catalogue_load(WORKLOAD_DIR, &cat, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_suite_from_workloads(&cat, names, 2, ov, 3, &suite, &err), 0);
	CU_ASSERT_EQUAL_FATAL(iov_plan_build(&suite, &plan, &err), 0);
	CU_ASSERT_EQUAL(plan.n, 2);
	CU_ASSERT_STRING_EQUAL(plan.experiments[0].id, "udp-64.vf.g2g.2g");
	CU_ASSERT_STRING_EQUAL(plan.experiments[1].id, "latency-rr.vf.g2g.2g");
	iov_plan_free(&plan);
	iov_suite_free(&suite);
	/* `iovbench run tcp-stream --guests 1,2`: both patterns; 1 guest runs guest-to-domain only. */
	{
		const struct iov_override odd[] = { { "guests", "1, 2" }, { "nic", "vf" } };
		const char *tcp[] = { "tcp-stream" };

		CU_ASSERT_EQUAL_FATAL(iov_suite_from_workloads(&cat, tcp, 1, odd, 2, &suite, &err), 0);
		CU_ASSERT_EQUAL_FATAL(iov_plan_build(&suite, &plan, &err), 0);
		CU_ASSERT_EQUAL(plan.n, 3);
		CU_ASSERT_STRING_EQUAL(plan.experiments[0].id, "tcp-stream.vf.g2d.1g");
		CU_ASSERT_STRING_EQUAL(plan.experiments[1].id, "tcp-stream.vf.g2g.2g");
		CU_ASSERT_STRING_EQUAL(plan.experiments[2].id, "tcp-stream.vf.g2d.2g");
		iov_plan_free(&plan);
		iov_suite_free(&suite);
	}
	CU_ASSERT_EQUAL(iov_suite_from_workloads(&cat, bad, 1, NULL, 0, &suite, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no workload named 'x'"));
	CU_ASSERT_EQUAL(iov_suite_from_workloads(&cat, twice, 2, NULL, 0, &suite, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "named twice"));
	iov_catalogue_free(&cat);
}

static void test_to_json(void)
{
	struct iov_workload wl;
	struct iov_err err;
	json_t *j;

	iov_workload_init(&wl, "w", "t", 1);
	CU_ASSERT_EQUAL(iov_workload_set(&wl, "tool", "iperf3", "t", 2, &err), 0);
	CU_ASSERT_EQUAL(iov_workload_set(&wl, "nic", "all", "t", 3, &err), 0);
	j = iov_workload_to_json(&wl);
	CU_ASSERT_EQUAL(json_object_size(j), IOV_KEY_COUNT + 1);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "tool")), "iperf3");
	CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "nic")), IOV_NIC_COUNT);
	CU_ASSERT_TRUE(json_is_null(json_object_get(j, "udp_datagram_bytes")));
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "fio_bs")), 4096);
	CU_ASSERT_EQUAL(json_integer_value(json_array_get(json_object_get(j, "guests"), 0)), 2);
	for (int k = 0; k < IOV_KEY_COUNT; k++)
		CU_ASSERT_PTR_NOT_NULL(json_object_get(j, iov_workload_key_name(k)));
	json_decref(j);
}

/* workloads/REFERENCE.md is generated: fail when the key table changed and it was not regenerated. */
static void test_reference_current(void)
{
	const char *path = WORKLOAD_DIR "/REFERENCE.md";
	struct iov_buf ref = { 0 };
	struct iov_err err;
	char *committed;

	CU_ASSERT_EQUAL_FATAL(iov_workload_reference(&ref), 0);
	if (getenv("IOV_UPDATE_REFERENCE"))
		CU_ASSERT_EQUAL(iov_write_file_atomic(path, ref.data, ref.len, &err), 0);
	committed = iov_read_file(path, NULL, &err);
	CU_ASSERT_PTR_NOT_NULL(committed);
	if (committed && strcmp(committed, ref.data))
		CU_FAIL("workloads/REFERENCE.md is stale: IOV_UPDATE_REFERENCE=1 make unit");
	for (int k = 0; k < IOV_KEY_COUNT; k++) {
		char heading[64];

		snprintf(heading, sizeof(heading), "### `%s`", iov_workload_key_name(k));
		CU_ASSERT_PTR_NOT_NULL(strstr(ref.data, heading));
	}
	free(committed);
	iov_buf_free(&ref);
}

IOV_SUITE(workload,
	  { "minimal workload gets the table defaults", test_minimal_and_defaults },
	  { "values of every type, comments, lists", test_values },
	  { "syntax errors name file and line", test_syntax_errors },
	  { "key errors name file, line and key", test_key_errors },
	  { "rules between keys, missing required key", test_rule_errors },
	  { "the repository's workloads parse", test_repository_workloads },
	  { "default suite expands to 48 experiments", test_default_suite_plan },
	  { "VM-guest entries first in a plan", test_plan_vm_first },
	  { "suite layers, overrides and suite errors", test_suite_layers_and_errors },
	  { "interleaved groups: members, order, exclusions", test_plan_groups },
	  { "iperf3 ends pinned with -A client,server", test_iperf3_affinity },
	  { "instrumentation toggler beside the clients, on the receivers", test_toggle_script },
	  { "ad-hoc suite from workload names", test_suite_from_workloads },
	  { "every parameter recorded as JSON", test_to_json },
	  { "REFERENCE.md is current", test_reference_current })
