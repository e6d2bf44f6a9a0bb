// SPDX-License-Identifier: GPL-2.0
// Sizes and alignments of kernel objects, generated for the kernel the code
// is built against (see scripts/Makefile.cxx and kcpp/layout.c).
#pragma once

#include "kcpp_layout.h"

namespace kcpp::layout {

// An empty C struct (lock_class_key without lockdep) has size 0; C++
// storage needs at least one byte.
constexpr unsigned long storage_size(unsigned long c_size) { return c_size ? c_size : 1; }

} // namespace kcpp::layout
