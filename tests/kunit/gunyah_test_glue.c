// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite armature_gunyah: gunyah's RPC framing, memory-parcel
 * messages, error maps and hypercall identification (gunyah_pure_test.cpp,
 * also host tests), and the RM engine on a fake hypervisor: fragments,
 * concurrent callers, matching, flow control, timeouts, faults, parcels
 * and the platform hooks' order (gunyah_rm_test.cpp).
 */
#include <linux/module.h>
#include <kunit/test.h>

#include "armature_gunyah_test_cases.h"
#include "kcpp_kunit_suite.h"

KCPP_KUNIT_SUITE(armature_gunyah);
MODULE_DESCRIPTION("armature: KUnit tests of the Gunyah RM client");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
