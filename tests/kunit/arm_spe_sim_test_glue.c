// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite armature_spe_sim: the simulated SPE
 * (drivers/perf/arm_spe/sim/model.hpp) that stands in for the hardware
 * under QEMU: its registers, sampling, filters, records and buffer
 * events. The cases are C++ (arm_spe_sim_test.cpp); the same bodies run as
 * host tests.
 */
#include <linux/module.h>
#include <kunit/test.h>

#define KCPP_CASES(X) \
	X(spe_sim, id_registers_are_read_only) \
	X(spe_sim, unsupported_id_registers_are_refused) \
	X(spe_sim, pmsevfr_readback_per_version) \
	X(spe_sim, example_record_byte_for_byte) \
	X(spe_sim, every_record_decodes) \
	X(spe_sim, same_seed_same_records) \
	X(spe_sim, interval_counts_operations) \
	X(spe_sim, interval_zero_samples_nothing) \
	X(spe_sim, rnd_randomises_the_low_byte) \
	X(spe_sim, exception_level_enables) \
	X(spe_sim, profiling_needs_the_buffer_on) \
	X(spe_sim, type_filter_keeps_any_selected_type) \
	X(spe_sim, event_filter_needs_every_selected_event) \
	X(spe_sim, inverse_event_filter_drops_any_selected_event) \
	X(spe_sim, latency_filter_keeps_minlat_and_above) \
	X(spe_sim, counters_saturate_at_count_size) \
	X(spe_sim, optional_packets_only_when_enabled) \
	X(spe_sim, buffer_full_at_the_edge) \
	X(spe_sim, record_that_does_not_fit_is_not_written) \
	X(spe_sim, pmbsr_write_resumes) \
	X(spe_sim, execute_until_event_keeps_the_rest) \
	X(spe_sim, injected_stage1_fault) \
	X(spe_sim, injected_unknown_code) \
	X(spe_sim, injected_data_loss_cuts_a_record) \
	X(spe_sim, injected_collision_marks_the_next_full_event) \
	X(spe_sim, injection_waits_for_a_record) \
	X(spe_sim, discard_mode_drops_records_without_events)

#include "kcpp_kunit_suite.h"

KCPP_KUNIT_SUITE(armature_spe_sim);
MODULE_DESCRIPTION("armature: KUnit tests of the simulated Statistical Profiling Extension");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
