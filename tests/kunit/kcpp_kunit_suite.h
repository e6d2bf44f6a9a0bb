/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A KUnit suite whose cases are C++ KCPP_TEST bodies. Include the
 * module's generated case list, <module>_cases.h (KCPP_CASES(X), made by
 * scripts/kcpp-cases: tests/kunit/Kbuild), then this, then say
 * KCPP_KUNIT_SUITE(name).
 */
#ifndef KCPP_KUNIT_SUITE_H
#define KCPP_KUNIT_SUITE_H

#include <kunit/test.h>

#define KCPP_CASE_DECLARE(s, c) void kcpp_test_##s##_##c(struct kunit *);
#define KCPP_CASE_ENTRY(s, c) { .run_case = kcpp_test_##s##_##c, .name = #s "_" #c },

KCPP_CASES(KCPP_CASE_DECLARE)

#define KCPP_KUNIT_SUITE(suite_name)                                           \
	static struct kunit_case suite_name##_cases[] = {                      \
		KCPP_CASES(KCPP_CASE_ENTRY) {}                                 \
	};                                                                     \
	static struct kunit_suite suite_name##_suite = {                       \
		.name = #suite_name,                                           \
		.test_cases = suite_name##_cases,                              \
	};                                                                     \
	kunit_test_suite(suite_name##_suite)

#endif
