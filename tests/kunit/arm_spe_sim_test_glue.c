// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite armature_spe_sim: the simulated SPE
 * (tests/modules/arm_spe_sim/model.hpp) that stands in for the hardware
 * under QEMU: its registers, sampling, filters, records and buffer
 * events. The cases are C++ (arm_spe_sim_test.cpp); the same bodies run as
 * host tests.
 */
#include <linux/module.h>
#include <kunit/test.h>

#include "armature_spe_sim_test_cases.h"
#include "kcpp_kunit_suite.h"

KCPP_KUNIT_SUITE(armature_spe_sim);
MODULE_DESCRIPTION("armature: KUnit tests of the simulated Statistical Profiling Extension");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
