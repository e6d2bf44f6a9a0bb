// SPDX-License-Identifier: GPL-2.0
// Sizes, alignments and field offsets of kernel objects, generated for the
// kernel the code is built against (see scripts/Makefile.cxx and
// kcpp/layout.c).
#pragma once

#include "kcpp_layout.h"

namespace kcpp::layout {

// An empty C struct (lock_class_key without lockdep) has size 0; C++
// storage needs at least one byte.
constexpr unsigned long storage_size(unsigned long c_size) { return c_size ? c_size : 1; }

// The field at Offset of a kernel object, as a T of the field's size
// (kcpp/layout.c's FIELD gives both). The kernel builds with
// -fno-strict-aliasing, so the object may be accessed as a T in place.
// Whether the field may be written is the caller's to say, with a const T.
template <typename T, unsigned long Offset, unsigned long Size>
T &field(const void *obj)
{
	static_assert(sizeof(T) == Size, "the C++ type's size is not the kernel field's");
	return *reinterpret_cast<T *>(reinterpret_cast<__UINTPTR_TYPE__>(obj) + Offset);
}

} // namespace kcpp::layout
