// SPDX-License-Identifier: GPL-2.0
// Error numbers, from UAPI: the arch-independent values (arm64 has no others).
#pragma once

#include <asm-generic/errno.h>
