// SPDX-License-Identifier: GPL-2.0
/* KUnit suite kcpp_core: the cases are C++ (core_test.cpp). */
#include <linux/module.h>
#include <kunit/test.h>

#include "kcpp_core_test_cases.h"
#include "kcpp_kunit_suite.h"

KCPP_KUNIT_SUITE(kcpp_core);
MODULE_DESCRIPTION("armature: KUnit tests of include/kcpp's pure parts");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
