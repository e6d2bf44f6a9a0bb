// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite armature_gunyah_vm: the Gunyah VM manager's pure decisions
 * (region checks, conflicts, ACLs, SGL building). The cases are C++
 * (gunyah_vm_test.cpp); the same bodies run as host tests.
 */
#include <linux/module.h>
#include <kunit/test.h>

#include "armature_gunyah_vm_test_cases.h"
#include "kcpp_kunit_suite.h"

KCPP_KUNIT_SUITE(armature_gunyah_vm);
MODULE_DESCRIPTION("armature: KUnit tests of the Gunyah VM manager's pure logic");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
