// SPDX-License-Identifier: GPL-2.0
// Error numbers: the UAPI ones, plus the kernel-internal ones drivers return.
#pragma once

// UAPI: the arch-independent errno values (arm64 has no others).
#include <asm-generic/errno.h>

namespace kcpp::err {

// From include/linux/errno.h: never seen by user space, so not in UAPI.
inline constexpr int probe_defer = 517;	// EPROBE_DEFER
inline constexpr int notsupp = 524;	// ENOTSUPP

} // namespace kcpp::err
