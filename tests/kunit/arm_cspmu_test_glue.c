// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite armature_cspmu: arm_cspmu's pure code (PMCFGR, counter
 * allocation, config masks, the counter engine, the NVIDIA and Ampere
 * backends) on a register file in memory. The cases are C++
 * (arm_cspmu_test.cpp); the same bodies run as host tests.
 */
#include <linux/module.h>
#include <kunit/test.h>

#define KCPP_CASES(X) \
	X(cspmu_arch, pmcfgr_few_counters_and_the_cycle_counter) \
	X(cspmu_arch, pmcfgr_many_and_wide_counters) \
	X(cspmu_arch, pmcfgr_refused) \
	X(cspmu_arch, pmiidr_from_pmpidr_round_trip) \
	X(cspmu_arch, allocate_cycle_and_event_counters) \
	X(cspmu_arch, allocate_skips_the_cycle_counter_index) \
	X(cspmu_arch, allocate_without_a_cycle_counter) \
	X(cspmu_arch, counter_set_words) \
	X(cspmu_arch, config_masks_from_specs) \
	X(cspmu_arch, config_masks_refuse_bad_specs) \
	X(cspmu_arch, config_masks_cover_only_named_bits) \
	X(cspmu_arch, name_buf) \
	X(cspmu_arch, read_hilohi_stable) \
	X(cspmu_arch, read_hilohi_retries_a_carry) \
	X(cspmu_arch, read_hilohi_gives_up) \
	X(cspmu_engine, start_programs_an_event_counter) \
	X(cspmu_engine, counters_above_31_use_the_second_set_clr_register) \
	X(cspmu_engine, update_32bit_counter) \
	X(cspmu_engine, update_64bit_atomic_counter) \
	X(cspmu_engine, update_48bit_counter_in_halves) \
	X(cspmu_engine, stop_disables_and_counts) \
	X(cspmu_engine, enable_disable_reset) \
	X(cspmu_engine, cycle_event_uses_the_cycle_counter) \
	X(cspmu_engine, remove_frees_the_counter) \
	X(cspmu_engine, overflow_counts_and_restarts) \
	X(cspmu_engine, overflow_without_flags) \
	X(cspmu_engine, overflow_in_the_second_register) \
	X(cspmu_engine, group_check) \
	X(cspmu_engine, baseline_events_and_visibility) \
	X(cspmu_nvidia, init_matches_and_names) \
	X(cspmu_nvidia, instance_id_required) \
	X(cspmu_nvidia, grace_pcie_filters) \
	X(cspmu_nvidia, nvlink_and_scf_filters) \
	X(cspmu_nvidia, ucf_filters) \
	X(cspmu_nvidia, pcie_v2_filters) \
	X(cspmu_nvidia, pcie_v2_validate) \
	X(cspmu_nvidia, pcie_tgt_events_and_filters) \
	X(cspmu_nvidia, pcie_tgt_address_filters) \
	X(cspmu_nvidia, generic_filters) \
	X(cspmu_ampere, init_names) \
	X(cspmu_ampere, start_writes_the_aux_registers) \
	X(cspmu_ampere, validate_filters)

#include "kcpp_kunit_suite.h"

KCPP_KUNIT_SUITE(armature_cspmu);
MODULE_DESCRIPTION("armature: KUnit tests of arm_cspmu's registers, engine and backends");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
