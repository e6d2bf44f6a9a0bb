/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libstdc++'s <bits/os_defines.h> includes glibc's <features.h> even for the
 * header-only parts kcpp uses. There is no C library in the kernel: say so.
 */
#ifndef KCPP_FREESTANDING_FEATURES_H
#define KCPP_FREESTANDING_FEATURES_H
#define __GLIBC_PREREQ(major, minor) 0
#endif
