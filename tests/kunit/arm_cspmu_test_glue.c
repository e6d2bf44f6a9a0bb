// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite armature_cspmu: arm_cspmu's pure code (PMCFGR, counter
 * allocation, config masks, the counter engine, the NVIDIA and Ampere
 * backends) on a register file in memory. The cases are C++
 * (arm_cspmu_{arch,engine,nvidia,ampere}_test.cpp); the same bodies run as
 * host tests.
 */
#include <linux/module.h>
#include <kunit/test.h>

#include "armature_cspmu_test_cases.h"
#include "kcpp_kunit_suite.h"

KCPP_KUNIT_SUITE(armature_cspmu);
MODULE_DESCRIPTION("armature: KUnit tests of arm_cspmu's registers, engine and backends");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
