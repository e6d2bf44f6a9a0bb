// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite armature_gunyah_qcom: Qualcomm's platform ops on a secure
 * world in memory (assignment before a share, give-back on failure and
 * after a reclaim). The cases are C++ (gunyah_qcom_test.cpp); the same
 * bodies run as host tests.
 */
#include <linux/module.h>
#include <kunit/test.h>

#include "armature_gunyah_qcom_test_cases.h"
#include "kcpp_kunit_suite.h"

KCPP_KUNIT_SUITE(armature_gunyah_qcom);
MODULE_DESCRIPTION("armature: KUnit tests of gunyah_qcom's platform ops");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
