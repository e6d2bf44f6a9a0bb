// SPDX-License-Identifier: GPL-2.0
// The memory of tests/kunit/gunyah_sim_test.cpp on the host (its KUnit glue
// has the kernel's).
#include <cstdlib>

extern "C" void *gunyah_sim_test_alloc(unsigned long size) { return std::calloc(1, size); }
extern "C" void gunyah_sim_test_free(void *p) { std::free(p); }
