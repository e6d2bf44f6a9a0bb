// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp_kunit.ko: KUnit for C++ test bodies. Reports a failed expectation
 * at the caller's file and line, as KUNIT_FAIL() does for C.
 */
#include <linux/debug_locks.h>
#include <linux/module.h>
#include <asm/cputype.h>
#include <kunit/test.h>

#include <kcpp/abi.h>
#include "kcpp_kunit.h"

void kcpp_kunit_fail(struct kunit *test, const char *file, int line, const char *fmt, ...)
{
	struct kunit_loc loc = { .file = file, .line = line };
	struct kunit_fail_assert assert = {};
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	__kunit_do_failed_assertion(test, &loc, KUNIT_EXPECTATION,
				    &assert.assert, kunit_fail_assert_format, "%pV", &vaf);
	va_end(args);
}
EXPORT_SYMBOL_NS_GPL(kcpp_kunit_fail, KCPP);

int kcpp_kunit_debug_locks(void)
{
	return debug_locks;
}
EXPORT_SYMBOL_NS_GPL(kcpp_kunit_debug_locks, KCPP);

unsigned long long kcpp_kunit_midr(void)
{
	return read_cpuid_id();
}
EXPORT_SYMBOL_NS_GPL(kcpp_kunit_midr, KCPP);

MODULE_DESCRIPTION("armature: KUnit expectations for C++ test bodies");
MODULE_LICENSE("GPL");
