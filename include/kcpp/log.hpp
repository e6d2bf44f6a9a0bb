// SPDX-License-Identifier: GPL-2.0
// printk from C++ with the kernel's level prefixes (KERN_SOH + level digit),
// as macros so that the compiler checks the format against the arguments.
//
//   KCPP_PR_ERR("foo: bad value %u\n", v);
#pragma once

#include <kcpp/abi.h>

#define KCPP_PRINTK(LEVEL, FMT, ...) kcpp_printk("\001" LEVEL FMT __VA_OPT__(, ) __VA_ARGS__)
#define KCPP_PR_ERR(FMT, ...) KCPP_PRINTK("3", FMT __VA_OPT__(, ) __VA_ARGS__)
#define KCPP_PR_WARN(FMT, ...) KCPP_PRINTK("4", FMT __VA_OPT__(, ) __VA_ARGS__)
#define KCPP_PR_INFO(FMT, ...) KCPP_PRINTK("6", FMT __VA_OPT__(, ) __VA_ARGS__)
