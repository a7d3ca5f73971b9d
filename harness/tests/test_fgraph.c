// SPDX-License-Identifier: MIT
/* Unit tests of the function_graph trace parser on traces recorded in the lab. */
#include <stdlib.h>

#include "collect/fgraph.h"
#include "tests/unit.h"

static void parse_file(const char *path, struct iov_fgraph *g)
{
	struct iov_err err;
	char *text = iov_read_file(path, NULL, &err);

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(iov_fgraph_parse(text, g, &err), 0);
	free(text);
}

static void test_igbvf_trace(void)
{
	struct iov_fgraph g;

	parse_file("data/fgraph-igbvf.txt", &g);
	CU_ASSERT_EQUAL_FATAL(g.nfuncs, 1);
	CU_ASSERT_STRING_EQUAL(g.funcs[0].name, "e1000_update_mc_addr_list_vf");
	/* 20 multicast changes, one call each; task-switch banners are not calls */
	CU_ASSERT_EQUAL(g.funcs[0].n, 20);
	CU_ASSERT_DOUBLE_EQUAL(g.funcs[0].ns[0], 11044080.0, 0.5);
	CU_ASSERT_DOUBLE_EQUAL(g.funcs[0].ns[1], 411729.0, 0.5);
	iov_fgraph_free(&g);
}

static void test_iovvf_trace(void)
{
	struct iov_fgraph g;

	parse_file("data/fgraph-iovvf.txt", &g);
	CU_ASSERT_EQUAL_FATAL(g.nfuncs, 1);
	CU_ASSERT_STRING_EQUAL(g.funcs[0].name, "iovvf_mbx_request");
	CU_ASSERT_EQUAL(g.funcs[0].n, 20);
	CU_ASSERT_DOUBLE_EQUAL(g.funcs[0].ns[0], 1823686.0, 0.5);
	iov_fgraph_free(&g);
}

static void test_split_calls_and_noise(void)
{
	const char *text = "# tracer: function_graph\n"
			   " 0)               |  iovvf_mbx_request [iovvf]() {\n"
			   " ------------------------------------------\n"
			   " 0)   kworker-9   =>    ip-12   \n"
			   " 1) * 12950.37 us |  } /* iovvf_mbx_request [iovvf] */\n"
			   " 1)   2.500 us    |  e1000_update_mc_addr_list_vf [igbvf]();\n"
			   " 1) garbage us |\n";
	struct iov_fgraph g;
	struct iov_err err;

	CU_ASSERT_EQUAL_FATAL(iov_fgraph_parse(text, &g, &err), 0);
	CU_ASSERT_EQUAL_FATAL(g.nfuncs, 2);
	CU_ASSERT_EQUAL(g.funcs[0].n, 1);
	CU_ASSERT_DOUBLE_EQUAL(g.funcs[0].ns[0], 12950370.0, 0.5);
	CU_ASSERT_DOUBLE_EQUAL(g.funcs[1].ns[0], 2500.0, 0.01);
	iov_fgraph_free(&g);
}

IOV_SUITE(fgraph, { "igbvf mailbox calls from a lab trace", test_igbvf_trace },
	  { "iovvf mailbox calls from a lab trace", test_iovvf_trace },
	  { "calls printed apart, banners and garbage", test_split_calls_and_noise })
