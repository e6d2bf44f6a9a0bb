/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the C glue files only: module_init()/module_exit() alias their
 * function, so they need one defined in the same C file; these trampolines
 * forward to the module's C++ init and exit (declared extern "C"). And the
 * body of the glue's logging functions.
 */
#ifndef KCPP_GLUE_H
#define KCPP_GLUE_H

#include <linux/device.h>
#include <linux/init.h>
#include <linux/module.h>

/*
 * The body of a printf-like function "void f(obj, fmt, ...)" that logs
 * through fn(dev, ...), one of the dev_err() family: C++ has no varargs
 * macros of the kernel to call.
 */
#define KCPP_DEV_VLOG(fn, dev, format)                                         \
	do {                                                                   \
		struct va_format vaf = { .fmt = format };                      \
		va_list args;                                                  \
		va_start(args, format);                                        \
		vaf.va = &args;                                                \
		fn(dev, "%pV", &vaf);                                          \
		va_end(args);                                                  \
	} while (0)

#define KCPP_MODULE_INIT_EXIT(init_fn, exit_fn)                                \
	static int __init kcpp_glue_init(void)                                 \
	{                                                                      \
		return init_fn();                                              \
	}                                                                      \
	static void __exit kcpp_glue_exit(void)                                \
	{                                                                      \
		exit_fn();                                                     \
	}                                                                      \
	module_init(kcpp_glue_init);                                           \
	module_exit(kcpp_glue_exit)

#endif
