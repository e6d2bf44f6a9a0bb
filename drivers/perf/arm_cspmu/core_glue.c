// SPDX-License-Identifier: GPL-2.0
/*
 * arm_cspmu_module: what only C can say. The driver is core.cpp, on kcpp's
 * device and perf adapters.
 */
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <kcpp/glue.h>

#include "core.h"

#define DRVNAME "arm-cs-arch-pmu"

/* The kernel's APMT parser creates platform devices of this name. */
static const struct platform_device_id cspmu_ids[] = {
	{ DRVNAME, 0 },
	{ },
};
MODULE_DEVICE_TABLE(platform, cspmu_ids);

static const struct of_device_id cspmu_of_match[] = {
	{ .compatible = "arm,coresight-pmu" },
	{ },
};
MODULE_DEVICE_TABLE(of, cspmu_of_match);

KCPP_PLATFORM_DRIVER(armature_cspmu_driver, DRVNAME, cspmu_of_match, NULL, cspmu_ids,
		     &armature_cspmu_driver_ops, false);

KCPP_MODULE_INIT_EXIT(armature_cspmu_init, armature_cspmu_exit);
EXPORT_SYMBOL_NS_GPL(armature_cspmu_register_backend, ARMATURE_CSPMU);
EXPORT_SYMBOL_NS_GPL(armature_cspmu_unregister_backend, ARMATURE_CSPMU);
MODULE_DESCRIPTION("armature: Arm CoreSight architecture PMU, core and vendor backend registry");
MODULE_VERSION(ARMATURE_VERSION);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
