// SPDX-License-Identifier: MIT
/* unit_main.c - runs every suite registered with IOV_SUITE() and prints a summary line. */
#include <stdio.h>
#include <stdlib.h>
#include <CUnit/Basic.h>
#include "tests/unit.h"

#define MAX_SUITES 64

static struct {
	const char *name;
	const struct unit_test *tests;
} suites[MAX_SUITES];
static int nsuites;

void unit_register_suite(const char *name, const struct unit_test *tests)
{
	if (nsuites == MAX_SUITES) {
		fprintf(stderr, "unit: more than %d suites, raise MAX_SUITES\n", MAX_SUITES);
		exit(2);
	}
	suites[nsuites].name = name;
	suites[nsuites].tests = tests;
	nsuites++;
}

int main(void)
{
	unsigned int failed, run;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (int i = 0; i < nsuites; i++) {
		CU_pSuite s = CU_add_suite(suites[i].name, NULL, NULL);

		if (!s)
			return 2;
		for (const struct unit_test *t = suites[i].tests; t->name; t++)
			if (!CU_add_test(s, t->name, t->fn))
				return 2;
	}
	CU_basic_set_mode(CU_BRM_NORMAL);
	CU_basic_run_tests();
	run = CU_get_number_of_tests_run();
	failed = CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	printf("unit: %u passed, %u failed\n", run - failed, failed);
	return failed ? 1 : 0;
}
