// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite armature_spe_config: the SPE driver's pure decisions (probing
 * the ID registers, event_init's checks and register values, the format/
 * files, the sampling interval, the buffer syndrome). The cases are C++
 * (arm_spe_config_test.cpp); the same bodies run as host tests.
 */
#include <linux/module.h>
#include <kunit/test.h>

#define KCPP_CASES(X) \
	X(spe_caps, refusals_in_upstream_order) \
	X(spe_caps, every_align_and_max_size) \
	X(spe_caps, every_interval) \
	X(spe_caps, every_count_size) \
	X(spe_caps, every_pmsidr_bit) \
	X(spe_caps, every_pmsver) \
	X(spe_caps, event_filter_is_the_readback) \
	X(spe_caps, describe) \
	X(spe_config, attr_rules_and_errnos) \
	X(spe_config, register_values) \
	X(spe_config, every_config_bit) \
	X(spe_format, fields_as_upstream) \
	X(spe_format, visibility_per_feature_set) \
	X(spe_format, hidden_fields_are_refused) \
	X(spe_interval, clamped_at_the_edges) \
	X(spe_syndrome, examples) \
	X(spe_syndrome, every_ec_bsc_and_flag) \
	X(spe_syndrome, describe)

#include "kcpp_kunit_suite.h"

KCPP_KUNIT_SUITE(armature_spe_config);
MODULE_DESCRIPTION("armature: KUnit tests of the SPE driver's probe, event and syndrome logic");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
