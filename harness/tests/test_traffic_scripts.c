// SPDX-License-Identifier: MIT
/* test_traffic_scripts.c - the shell sent to the guests for every repository workload, against a recording. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"
#include "traffic.h"
#include "tests/unit.h"
#include "workload.h"

#define WORKLOAD_DIR "../../workloads"
#define RECORDING "data/traffic-scripts.txt"

/* The topology lines iov_topology (guest-lib.sh) prints for an SR-IOV kind: pairs, or each guest with the PF. */
static int fake_topology(const struct iov_experiment *x, struct traffic_link *links, size_t *n)
{
	struct iov_buf text = { 0 };
	struct iov_err err;
	int rc = 0;

	for (unsigned g = 1; g <= x->guests; g++) {
		if (x->pattern == IOV_PATTERN_GUEST_TO_GUEST && g % 2 == 1 && g < x->guests)
			rc |= iov_buf_printf(&text, "guest g%u eth%u 10.99.0.%u 0000:01:10.%u g%u eth%u 10.99.0.%u 0000:01:10.%u\n",
					     g, g, g, g, g + 1, g + 1, g + 1, g + 1);
		else if (x->pattern != IOV_PATTERN_GUEST_TO_GUEST || g % 2 == 1)
			rc |= iov_buf_printf(&text, "guest g%u eth%u 10.99.0.%u 0000:01:10.%u - eth0 10.99.0.254 0000:01:00.0\n",
					     g, g, g, g);
	}
	if (!rc)
		rc = traffic_parse_topology(text.data, links, TRAFFIC_MAX_LINKS, n, &err);
	iov_buf_free(&text);
	return rc;
}

/*
 * Every experiment of a plan: the servers, one repetition's script and its timeout. The NIC
 * kind rarely changes the text: an experiment whose text an earlier one had names that one.
 */
static int record_plan(const char *title, const struct iov_plan *plan, struct iov_buf *out)
{
	struct iov_buf *seen = calloc(plan->n, sizeof(*seen));
	int rc = !seen || iov_buf_printf(out, "#### %s\n", title);
	size_t i;

	for (i = 0; !rc && i < plan->n; i++) {
		const struct iov_experiment *x = &plan->experiments[i];
		struct traffic_link links[TRAFFIC_MAX_LINKS];
		struct iov_buf *b = &seen[i];
		size_t n, j;

		rc = fake_topology(x, links, &n) || iov_buf_printf(b, "## servers\n") ||
		     traffic_servers_script(x->workload, links, n, b) ||
		     iov_buf_printf(b, "## repetition\n") ||
		     traffic_rep_script(x->workload, links, n, iov_experiment_toggle(x), b) ||
		     iov_buf_printf(b, "## timeout %d s\n", traffic_rep_timeout_s(x->workload));
		for (j = 0; !rc && j < i && strcmp(seen[j].data, b->data); j++)
			;
		if (!rc)
			rc = j < i ? iov_buf_printf(out, "### %s = %s\n", x->id, plan->experiments[j].id)
				   : iov_buf_printf(out, "### %s\n%s", x->id, b->data);
	}
	for (size_t k = 0; seen && k < plan->n; k++)
		iov_buf_free(&seen[k]);
	free(seen);
	return rc;
}

static int record_suite(const struct iov_catalogue *cat, const char *name, struct iov_buf *out)
{
	struct iov_suite suite;
	struct iov_plan plan;
	struct iov_err err = { "" };
	char title[96];
	int rc;

	if (iov_suite_load_named(WORKLOAD_DIR, name, cat, NULL, 0, &suite, &err))
		return -1;
	rc = iov_plan_build(&suite, &plan, &err);
	snprintf(title, sizeof(title), "suite %s", name);
	if (!rc) {
		rc = record_plan(title, &plan, out);
		iov_plan_free(&plan);
	}
	iov_suite_free(&suite);
	return rc;
}

/* Every workload as its file defines it (`iovbench run WORKLOAD`), then every suite. */
static int record_all(struct iov_buf *out)
{
	const char *suites[] = { "default", "full", "instrumentation" };
	struct iov_catalogue cat;
	struct iov_suite suite;
	struct iov_plan plan;
	struct iov_err err = { "" };
	const char *names[32];
	int rc;

	if (iov_catalogue_load(WORKLOAD_DIR, &cat, &err) || cat.n > IOV_ARRAY_SIZE(names))
		return -1;
	for (size_t i = 0; i < cat.n; i++)
		names[i] = cat.workloads[i].name;
	rc = iov_suite_from_workloads(&cat, names, cat.n, NULL, 0, &suite, &err);
	if (!rc) {
		rc = iov_plan_build(&suite, &plan, &err);
		if (!rc) {
			rc = record_plan("workloads", &plan, out);
			iov_plan_free(&plan);
		}
		iov_suite_free(&suite);
	}
	for (size_t i = 0; !rc && i < IOV_ARRAY_SIZE(suites); i++)
		rc = record_suite(&cat, suites[i], out);
	iov_catalogue_free(&cat);
	return rc;
}

/*
 * Byte for byte what the guests ran when this was recorded: a refactoring of the tools must
 * not change it. A deliberate change regenerates it with IOV_UPDATE_TRAFFIC_SCRIPTS=1 make unit
 * and shows its diff in review.
 */
static void test_scripts_unchanged(void)
{
	struct iov_buf now = { 0 };
	struct iov_err err;
	char *recorded;

	CU_ASSERT_EQUAL_FATAL(record_all(&now), 0);
	if (getenv("IOV_UPDATE_TRAFFIC_SCRIPTS"))
		CU_ASSERT_EQUAL(iov_write_file_atomic(RECORDING, now.data, now.len, &err), 0);
	recorded = iov_read_file(RECORDING, NULL, &err);
	CU_ASSERT_PTR_NOT_NULL(recorded);
	if (recorded && strcmp(recorded, now.data)) {
		const char *a = recorded, *b = now.data;

		while (*a && *a == *b)
			a++, b++;
		fprintf(stderr, "\n  first difference at byte %zu: recorded '%.60s', now '%.60s'\n",
			(size_t)(a - recorded), a, b);
		CU_FAIL(RECORDING " differs: IOV_UPDATE_TRAFFIC_SCRIPTS=1 make unit if intended");
	}
	free(recorded);
	iov_buf_free(&now);
}

/* VM guests' scoped addresses fit; a field too long for its slot is refused, never split. */
static void test_topology_lines(void)
{
	struct traffic_link l[2];
	struct iov_err err;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(traffic_parse_topology("noise\nguest vm1 eth0 10.99.0.1 vm1/0000:00:03.0 vm2 eth0 "
						     "10.99.0.2 vm2/0000:00:03.0\n",
						     l, 2, &n, &err), 0);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_STRING_EQUAL(l[0].bdf, "vm1/0000:00:03.0");
	CU_ASSERT_STRING_EQUAL(l[0].peer_ns, "vm2");
	CU_ASSERT_STRING_EQUAL(l[0].instance, "vm1-vm2");
	CU_ASSERT_EQUAL(traffic_parse_topology("guest averyveryverylongname eth0 10.99.0.1 x - eth1 10.99.0.254 y\n",
					       l, 2, &n, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "malformed"));
	CU_ASSERT_EQUAL(traffic_parse_topology("guest g1 eth0 10.99.0.1 x - eth1 10.99.0.254 y extra\n", l, 2, &n,
					       &err), -1);
}

IOV_SUITE(traffic_scripts,
	  { "guest commands of every workload and suite as recorded", test_scripts_unchanged },
	  { "topology lines: scoped addresses, no silent split", test_topology_lines })
