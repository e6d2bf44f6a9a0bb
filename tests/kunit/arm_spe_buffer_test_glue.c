// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite armature_spe_buffer: the SPE driver's AUX-buffer arithmetic
 * (drivers/perf/arm_spe/buffer.hpp), pure code checked against an Output
 * that keeps perf's handle in memory. The cases are C++
 * (arm_spe_buffer_test.cpp); the same bodies run as host tests.
 */
#include <linux/module.h>
#include <kunit/test.h>

#define KCPP_CASES(X) \
	X(spe_buffer, records_from_id_fields) \
	X(spe_buffer, geometry_refuses_what_setup_aux_refuses) \
	X(spe_buffer, offset_of_any_page_count) \
	X(spe_buffer, offset_of_4gib_and_more) \
	X(spe_buffer, window_past_4gib) \
	X(spe_review, ten_page_buffer) \
	X(spe_review, far_wakeup_with_an_empty_buffer) \
	X(spe_review, full_buffer_with_head_at_tail) \
	X(spe_buffer, misaligned_head_is_padded) \
	X(spe_buffer, alignment_padding_wraps_and_runs_out) \
	X(spe_buffer, close_to_the_end_pads_and_wraps) \
	X(spe_buffer, no_page_boundary_before_the_tail_truncates) \
	X(spe_buffer, free_space_past_the_buffer_is_the_buffer) \
	X(spe_buffer, due_wakeup_stops_at_its_page) \
	X(spe_buffer, wakeup_after_the_wrap_waits) \
	X(spe_buffer, skip_moves_the_wakeup) \
	X(spe_snapshot, limit_is_clamped_to_the_half) \
	X(spe_snapshot, pads_and_wraps_within_a_record_of_the_limit) \
	X(spe_snapshot, misaligned_head_is_padded) \
	X(spe_exhaustive, normal_mode_big_records) \
	X(spe_exhaustive, normal_mode_small_records) \
	X(spe_exhaustive, snapshot_mode_every_head)

#include "kcpp_kunit_suite.h"

KCPP_KUNIT_SUITE(armature_spe_buffer);
MODULE_DESCRIPTION("armature: KUnit tests of the SPE driver's AUX-buffer arithmetic");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
