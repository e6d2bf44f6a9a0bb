// SPDX-License-Identifier: GPL-2.0
// Fixed-width integer types from the compiler's own definitions: no C library.
#pragma once

namespace kcpp {

using u8 = __UINT8_TYPE__;
using u16 = __UINT16_TYPE__;
using u32 = __UINT32_TYPE__;
using u64 = __UINT64_TYPE__;
using s8 = __INT8_TYPE__;
using s16 = __INT16_TYPE__;
using s32 = __INT32_TYPE__;
using s64 = __INT64_TYPE__;
using usize = __SIZE_TYPE__;
using isize = __PTRDIFF_TYPE__;
using uptr = __UINTPTR_TYPE__;

static_assert(sizeof(u64) == 8 && sizeof(uptr) == sizeof(void *));

} // namespace kcpp
