// SPDX-License-Identifier: GPL-2.0
/*
 * arm_spe_pmu: what only C can say. The driver is driver.hpp on this CPU's
 * own SPE registers (pmu.cpp), on kcpp's adapters.
 */
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/perf/arm_pmu.h>
#include <kcpp/glue.h>

#include "spe.h"

/* The device the kernel's ACPI code makes from the MADT's SPE interrupt. */
static const struct platform_device_id spe_platform_ids[] = {
	{ ARMV8_SPE_PDEV_NAME, 0 },
	{ },
};
MODULE_DEVICE_TABLE(platform, spe_platform_ids);

static const struct of_device_id spe_of_ids[] = {
	{ .compatible = "arm,statistical-profiling-extension-v1" },
	{ },
};
MODULE_DEVICE_TABLE(of, spe_of_ids);

/* No unbinding through sysfs: a PMU in use stays under perf's feet. */
KCPP_PLATFORM_DRIVER(armature_spe_driver, "arm_spe_pmu", spe_of_ids, NULL, spe_platform_ids,
		     &armature_spe_driver_ops, true);

KCPP_MODULE_INIT_EXIT(armature_spe_init, armature_spe_exit);
MODULE_DESCRIPTION("armature: Arm Statistical Profiling Extension perf PMU");
MODULE_VERSION(ARMATURE_VERSION);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
