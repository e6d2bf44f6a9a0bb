/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the C glue files only: module_init()/module_exit() alias their
 * function, so they need one defined in the same C file; these trampolines
 * forward to the module's C++ init and exit (declared extern "C").
 */
#ifndef KCPP_GLUE_H
#define KCPP_GLUE_H

#include <linux/init.h>
#include <linux/module.h>

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
