// SPDX-License-Identifier: GPL-2.0
/* KUnit suite kcpp_kernel: the cases are C++ (kernel_test.cpp). */
#include <linux/module.h>
#include <kunit/test.h>

#define KCPP_CASES(X)                                                          \
	X(kernel, box_owns_and_frees)                                          \
	X(kernel, box_is_empty_when_allocation_fails)                          \
	X(kernel, lock_sites_have_distinct_lockdep_classes)                    \
	X(kernel, registry_loads_backend_by_alias)                             \
	X(kernel, registry_reports_a_missing_module)                           \
	X(kernel, registry_refuses_a_duplicate_key)                            \
	X(kernel, mmio_policy_reads_and_writes_at_offsets)                     \
	X(kernel, sysreg_policy_reads_what_the_kernel_reads)

#include "kcpp_kunit_suite.h"

KCPP_KUNIT_SUITE(kcpp_kernel);
MODULE_DESCRIPTION("armature: KUnit tests of include/kcpp's kernel parts");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
MODULE_IMPORT_NS(KCPP_TEST);
