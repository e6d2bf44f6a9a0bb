// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite armature_spe_buffer: the SPE driver's AUX-buffer arithmetic
 * (drivers/perf/arm_spe/buffer.hpp), pure code checked against an Output
 * that keeps perf's handle in memory. The cases are C++
 * (arm_spe_buffer_test.cpp); the same bodies run as host tests.
 */
#include <linux/module.h>
#include <kunit/test.h>

#include "armature_spe_buffer_test_cases.h"
#include "kcpp_kunit_suite.h"

KCPP_KUNIT_SUITE(armature_spe_buffer);
MODULE_DESCRIPTION("armature: KUnit tests of the SPE driver's AUX-buffer arithmetic");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
