// SPDX-License-Identifier: GPL-2.0
/*
 * arm_spe_pmu: the devices the module binds, upstream's, and its metadata.
 * The driver is pmu.cpp (this CPU's SPE registers) and glue.c.
 */
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/perf/arm_pmu.h>

/* The device the kernel's ACPI code makes from the MADT's SPE interrupt. */
const struct platform_device_id armature_spe_platform_ids[] = {
	{ ARMV8_SPE_PDEV_NAME, 0 },
	{ },
};
MODULE_DEVICE_TABLE(platform, armature_spe_platform_ids);

const struct of_device_id armature_spe_of_ids[] = {
	{ .compatible = "arm,statistical-profiling-extension-v1" },
	{ },
};
MODULE_DEVICE_TABLE(of, armature_spe_of_ids);

MODULE_DESCRIPTION("armature: Arm Statistical Profiling Extension perf PMU");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
