// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite armature_spe_config: the SPE driver's pure decisions (probing
 * the ID registers, event_init's checks and register values, the format/
 * files, the sampling interval, the buffer syndrome). The cases are C++
 * (arm_spe_config_test.cpp); the same bodies run as host tests.
 */
#include <linux/module.h>
#include <kunit/test.h>

#include "armature_spe_config_test_cases.h"
#include "kcpp_kunit_suite.h"

KCPP_KUNIT_SUITE(armature_spe_config);
MODULE_DESCRIPTION("armature: KUnit tests of the SPE driver's probe, event and syndrome logic");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
