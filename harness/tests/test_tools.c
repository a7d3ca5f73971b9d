// SPDX-License-Identifier: MIT
/* test_tools.c - the traffic tools' table: lookup, which keys apply to which tool, the tools' own rules. */
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "tests/unit.h"
#include "tools/tools.h"
#include "workload.h"

static void expect_reject(const char *text, const char *want)
{
	struct iov_workload *wls = NULL;
	struct iov_err err = { "" };
	size_t n;

	CU_ASSERT_EQUAL(iov_workload_parse("t.workload", text, &wls, &n, &err), -1);
	if (!strstr(err.msg, want)) {
		fprintf(stderr, "\n  want '%s'\n  got  '%s'\n", want, err.msg);
		CU_FAIL("error message");
	}
	free(wls);
}

static void test_lookup(void)
{
	const char *names[] = { "iperf3", "fio", "mailbox" };
	char all[64];

	CU_ASSERT_EQUAL_FATAL(iov_tool_count(), IOV_ARRAY_SIZE(names));
	for (size_t i = 0; i < IOV_ARRAY_SIZE(names); i++) {
		const struct iov_tool_ops *t = iov_tool_lookup(names[i]);

		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		CU_ASSERT_PTR_EQUAL(t, iov_tool_at(i));
		CU_ASSERT_STRING_EQUAL(t->name, names[i]);
		/* every tool runs clients and says how long they may take */
		CU_ASSERT(t->client && t->rep_seconds && t->help && strstr(t->help, names[i]));
		/* a parser comes with its metrics and result size */
		CU_ASSERT(!t->parse || (t->metrics && t->result_size));
	}
	CU_ASSERT_PTR_NULL(iov_tool_lookup("netperf"));
	CU_ASSERT_PTR_NULL(iov_tool_lookup("IPERF3"));
	CU_ASSERT_PTR_NULL(iov_tool_at(iov_tool_count()));
	iov_tool_names("|", all, sizeof(all));
	CU_ASSERT_STRING_EQUAL(all, "iperf3|fio|mailbox");
	/* mailbox's figures come from its trace, not from its clients */
	CU_ASSERT(iov_tool_lookup("mailbox")->trace == IOV_TOOL_TRACE_MAILBOX && !iov_tool_lookup("mailbox")->parse);
	CU_ASSERT(iov_tool_lookup("iperf3")->trace == IOV_TOOL_TRACE_NAPI && iov_tool_lookup("iperf3")->servers);
	CU_ASSERT(iov_tool_lookup("fio")->rep_setup && iov_tool_lookup("fio")->rep_cleanup);
}

static void test_key_applicability(void)
{
	const struct iov_tool_ops *iperf3 = iov_tool_lookup("iperf3"), *fio = iov_tool_lookup("fio"),
				  *mailbox = iov_tool_lookup("mailbox");
	char owners[64];

	/* keys no tool lists apply to all */
	for (enum iov_workload_key k = IOV_KEY_DESCRIPTION; k <= IOV_KEY_PROTOCOL; k++) {
		CU_ASSERT(iov_tool_key_applies(iperf3, k) && iov_tool_key_applies(fio, k) &&
			  iov_tool_key_applies(mailbox, k));
		iov_tool_key_owners(k, owners, sizeof(owners));
		CU_ASSERT_STRING_EQUAL(owners, "all");
	}
	CU_ASSERT(iov_tool_key_applies(iperf3, IOV_KEY_STREAMS) && !iov_tool_key_applies(fio, IOV_KEY_STREAMS) &&
		  !iov_tool_key_applies(mailbox, IOV_KEY_STREAMS));
	CU_ASSERT(iov_tool_key_applies(fio, IOV_KEY_FIO_BS) && !iov_tool_key_applies(iperf3, IOV_KEY_FIO_BS));
	CU_ASSERT(iov_tool_key_applies(mailbox, IOV_KEY_MBX_REQUESTS) &&
		  !iov_tool_key_applies(fio, IOV_KEY_MBX_REQUESTS));
	iov_tool_key_owners(IOV_KEY_INSTR_TOGGLE_S, owners, sizeof(owners));
	CU_ASSERT_STRING_EQUAL(owners, "iperf3");
	iov_tool_key_owners(IOV_KEY_FIO_PINGPONG, owners, sizeof(owners));
	CU_ASSERT_STRING_EQUAL(owners, "fio");
	iov_tool_key_owners(IOV_KEY_MBX_REQUESTS, owners, sizeof(owners));
	CU_ASSERT_STRING_EQUAL(owners, "mailbox");
}

/* A key of another tool is refused where it was set, naming both tools. */
static void test_key_errors(void)
{
	expect_reject("[workload a]\ntool = fio\nstreams = 2\n",
		      "t.workload:3: streams: does not apply to tool = fio (only to iperf3)");
	expect_reject("[workload a]\ntool = iperf3\nfio_bs = 64\n",
		      "t.workload:3: fio_bs: does not apply to tool = iperf3 (only to fio)");
	expect_reject("[workload a]\ntool = mailbox\nnic = vf\nreverse = true\n",
		      "t.workload:4: reverse: does not apply to tool = mailbox (only to iperf3)");
	expect_reject("[workload a]\nmbx_requests = 5\ntool = iperf3\n",
		      "t.workload:2: mbx_requests: does not apply to tool = iperf3 (only to mailbox)");
	expect_reject("[workload a]\ntool = netperf\n", "t.workload:2: tool: 'netperf' is not one of iperf3|fio|mailbox");
	expect_reject("[workload a]\nnic = vf\n", "t.workload:1: tool: missing required key (workload a)");
	/* the tools' own rules */
	expect_reject("[workload a]\ntool = mailbox\nnic = vf, e1000e\n",
		      "t.workload:3: nic: e1000e has no PF<->VF mailbox (tool = mailbox needs SR-IOV kinds)");
	expect_reject("[workload a]\ntool = iperf3\nudp_datagram_bytes = 64\n",
		      "t.workload:3: udp_datagram_bytes: needs protocol = udp");
	expect_reject("[workload a]\ntool = iperf3\niperf3_server_cpu = 1\n",
		      "t.workload:3: iperf3_server_cpu: needs iperf3_client_cpu");
}

/* The first "enum" of a member named key, anywhere in the document. */
static json_t *find_enum(json_t *j, const char *key)
{
	const char *k;
	json_t *v, *found = NULL;
	size_t i;

	if (json_is_object(j)) {
		if ((v = json_object_get(j, key)) && json_is_array(json_object_get(v, "enum")))
			return json_object_get(v, "enum");
		json_object_foreach(j, k, v)
			if (!found)
				found = find_enum(v, key);
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (!found)
				found = find_enum(v, key);
	}
	return found;
}

/* A new tool is also a value of the result schema's "tool": the two lists agree. */
static void test_schema_lists_tools(void)
{
	json_t *schema = json_load_file("../../results-schema/result.schema.json", 0, NULL), *e;

	CU_ASSERT_PTR_NOT_NULL_FATAL(schema);
	e = find_enum(schema, "tool");
	CU_ASSERT_PTR_NOT_NULL(e);
	CU_ASSERT_EQUAL(json_array_size(e), iov_tool_count());
	for (size_t i = 0; e && i < json_array_size(e) && i < iov_tool_count(); i++)
		CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(e, i)), iov_tool_at(i)->name);
	json_decref(schema);
}

static char *signature(const struct iov_workload *wl)
{
	json_t *doc = json_pack("{s:{s:o}}", "workloads", "e", iov_workload_to_json(wl));
	char *sig = iov_workload_signature(doc, "e");

	json_decref(doc);
	return sig;
}

/* One definition of "same measurement": the key table's .measured; reps and the plan's axes are not. */
static void test_measured(void)
{
	const char *unmeasured[] = { "description", "pattern", "guests", "nic", "reps", "interleave" };
	const char *same[][2] = { { "reps", "9" }, { "nic", "vf-inbox" }, { "guests", "4" },
				  { "description", "other words" }, { "interleave", "vf" } };
	const char *other[][2] = { { "duration_s", "20" }, { "omit_s", "2" }, { "streams", "2" },
				   { "reverse", "true" }, { "protocol", "udp" }, { "iperf3_client_cpu", "0" } };
	struct iov_workload base, wl;
	struct iov_err err;
	char *sb, *sw;

	for (size_t i = 0; i < IOV_ARRAY_SIZE(unmeasured); i++)
		CU_ASSERT(!iov_workload_key_measured(unmeasured[i]));
	CU_ASSERT(iov_workload_key_measured("tool") && iov_workload_key_measured("mbx_requests"));
	/* not a key (the workload's name, a key of another version): kept in, to be safe */
	CU_ASSERT(iov_workload_key_measured("name") && iov_workload_key_measured("no_such_key"));
	iov_workload_init(&base, "w", "t", 1);
	CU_ASSERT_EQUAL_FATAL(iov_workload_set(&base, "tool", "iperf3", "t", 2, &err), 0);
	sb = signature(&base);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sb);
	for (size_t i = 0; i < IOV_ARRAY_SIZE(same) + IOV_ARRAY_SIZE(other); i++) {
		bool is_same = i < IOV_ARRAY_SIZE(same);
		const char *const *kv = is_same ? same[i] : other[i - IOV_ARRAY_SIZE(same)];

		wl = base;
		CU_ASSERT_EQUAL_FATAL(iov_workload_set(&wl, kv[0], kv[1], "t", 3, &err), 0);
		sw = signature(&wl);
		CU_ASSERT_PTR_NOT_NULL_FATAL(sw);
		if (is_same != !strcmp(sb, sw)) {
			fprintf(stderr, "\n  %s = %s: %s\n", kv[0], kv[1], is_same ? "changed the measurement" : "did not");
			CU_FAIL("measured keys");
		}
		free(sw);
	}
	free(sb);
}

IOV_SUITE(tools,
	  { "lookup by name, the table's order, what each tool provides", test_lookup },
	  { "keys apply to the tools that list them, unlisted keys to all", test_key_applicability },
	  { "a key of another tool, an unknown tool, the tools' own rules", test_key_errors },
	  { "same measurement: measured keys only, reps excluded", test_measured },
	  { "the result schema lists the same tools", test_schema_lists_tools })
