/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For C files only: what a driver's C file says (its module_init/exit, its
 * platform driver with the device-ID tables), and the varargs helper of
 * kcpp's logging functions.
 */
#ifndef KCPP_GLUE_H
#define KCPP_GLUE_H

#include <linux/device.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <kcpp/device.h>

/* In a function "f(..., fmt, ...)": runs stmt with vaf, the va_format of
 * fmt and the arguments, for a "%pV" of the kernel's printk family. */
#define KCPP_VA_FORMAT(format, vaf, stmt)                                      \
	do {                                                                   \
		struct va_format vaf = { .fmt = format };                      \
		va_list args;                                                  \
		va_start(args, format);                                        \
		vaf.va = &args;                                                \
		stmt;                                                          \
		va_end(args);                                                  \
	} while (0)

/* A platform driver whose probe and remove are C++ (ops, struct
 * kcpp_driver_ops), registered by C++ with kcpp_platform_driver_register(). */
struct kcpp_platform_driver {
	struct platform_driver driver;
	const struct kcpp_driver_ops *ops;
};

/* The driver's metadata: its name, the device-ID tables it binds by (each
 * may be NULL), and whether userspace may unbind it through sysfs. */
#define KCPP_PLATFORM_DRIVER(var, drvname, of_ids, acpi_ids, pdev_ids, drv_ops, no_unbind) \
	struct kcpp_platform_driver var = {                                    \
		.driver = {                                                    \
			.driver = {                                            \
				.name = drvname,                               \
				.of_match_table = of_ids,                      \
				.acpi_match_table = acpi_ids,                  \
				.suppress_bind_attrs = no_unbind,              \
			},                                                     \
			.id_table = pdev_ids,                                  \
		},                                                             \
		.ops = drv_ops,                                                \
	}

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
