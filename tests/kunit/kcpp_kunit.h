/* SPDX-License-Identifier: GPL-2.0 */
/* What kcpp_kunit.ko offers C++ tests besides kcpp_kunit_fail() (abi.h). */
#ifndef KCPP_KUNIT_H
#define KCPP_KUNIT_H

#ifdef __cplusplus
extern "C" {
#endif

/* Non-zero while lockdep has reported nothing (it stops at its first report). */
int kcpp_kunit_debug_locks(void);

/* MIDR_EL1 as the kernel reads it, to check kcpp's system-register policy. */
unsigned long long kcpp_kunit_midr(void);

#ifdef __cplusplus
}
#endif

#endif
