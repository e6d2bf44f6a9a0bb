// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite armature_gunyah_sim: the simulated Gunyah RM, hypervisor and
 * secure world of tests/modules/gunyah_sim (framing, every memory-parcel
 * rule, VM allocation, faults, message queues, page ownership). The cases
 * are C++ (gunyah_sim_test.cpp); the same bodies run as host tests. Here:
 * the memory they take (the models are too big for a kernel stack).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <kunit/test.h>

#include "armature_gunyah_sim_test_cases.h"
#include "kcpp_kunit_suite.h"

void *gunyah_sim_test_alloc(unsigned long size);
void gunyah_sim_test_free(void *p);

void *gunyah_sim_test_alloc(unsigned long size)
{
	return kvzalloc(size, GFP_KERNEL);
}

void gunyah_sim_test_free(void *p)
{
	kvfree(p);
}

KCPP_KUNIT_SUITE(armature_gunyah_sim);
MODULE_DESCRIPTION("armature: KUnit tests of the simulated Gunyah hypervisor, RM and secure world");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
