// SPDX-License-Identifier: GPL-2.0
/* KUnit suite kcpp_core: the cases are C++ (core_test.cpp). */
#include <linux/module.h>
#include <kunit/test.h>

#define KCPP_CASES(X)                                                          \
	X(bits, masks) X(bits, get_and_set)                                    \
	X(regs, fields_of_a_value) X(regs, read_modify_write_through_io)       \
	X(regs, indexed_and_wide) X(regs, fake_file_counts_bad_accesses)      \
	X(result, value_and_error) X(result, try_propagates_the_first_error)  \
	X(result, err_ptr_values)                                              \
	X(result, error_zero_is_never_success)                                 \
	X(result, bool_results_copy_their_value)                               \
	X(result, destroys_exactly_what_it_holds)                              \
	X(list, push_remove_iterate)                                           \
	X(static_storage, construct_and_destroy)                               \
	X(registry, add_get_remove) X(registry, handle_outlives_removal)       \
	X(registry, going_module_is_refused)                                   \
	X(registry, loads_a_missing_backend_on_demand)                         \
	X(registry, missing_backend_errors)

#include "kcpp_kunit_suite.h"

KCPP_KUNIT_SUITE(kcpp_core);
MODULE_DESCRIPTION("armature: KUnit tests of include/kcpp's pure parts");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
