// SPDX-License-Identifier: GPL-2.0
/* KUnit suite kcpp_kernel: the cases are C++ (kernel_test.cpp). */
#include <linux/module.h>
#include <kunit/test.h>

#include "kcpp_kernel_test_cases.h"
#include "kcpp_kunit_suite.h"

KCPP_KUNIT_SUITE(kcpp_kernel);
MODULE_DESCRIPTION("armature: KUnit tests of include/kcpp's kernel parts");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
MODULE_IMPORT_NS(KCPP_TEST);
