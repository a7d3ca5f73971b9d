/* SPDX-License-Identifier: MIT */
/*
 * unit.h - CUnit suite registration for iovbench's unit tests.
 *
 * Each test file declares its suite with IOV_SUITE(); a constructor adds it to the
 * list that unit_main.c hands to CUnit, so adding a test file needs no central edit.
 * Tests run with the working directory harness/tests, so fixtures are "data/NAME".
 */
#ifndef IOV_TESTS_UNIT_H
#define IOV_TESTS_UNIT_H

#include <CUnit/CUnit.h>

struct unit_test {
	const char *name;
	CU_TestFunc fn;
};

void unit_register_suite(const char *name, const struct unit_test *tests);

/* IOV_SUITE(parser, { "accepts x", test_x }, { "rejects y", test_y }) */
#define IOV_SUITE(suite_name, ...)                                              \
	static const struct unit_test suite_name##_tests[] = { __VA_ARGS__,     \
							       { 0, 0 } };      \
	__attribute__((constructor)) static void suite_name##_register(void)   \
	{                                                                       \
		unit_register_suite(#suite_name, suite_name##_tests);           \
	}

#endif
