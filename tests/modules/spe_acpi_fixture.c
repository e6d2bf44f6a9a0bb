// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: the SPE platform device as the kernel's ACPI code makes it
 * from the MADT (drivers/perf/arm_pmu_acpi.c): named ARMV8_SPE_PDEV_NAME
 * ("arm,spe-v1"), one IRQ resource for the GSI every GICC entry gives as
 * its SPE interrupt, registered level-triggered and active high. QEMU's
 * MADT has no SPE interrupt, so an ACPI boot gets no such device; this
 * module adds it with the GSI of a module parameter (PPI 5, GSI 21, by
 * default), for arm_spe_pmu's ACPI probe path, and its twin named
 * "armature,spe-sim", which only arm_spe_sim (the driver on the simulated
 * SPE) binds, so that the same path runs to a working PMU in the guest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/module.h>
#include <linux/perf/arm_pmu.h>
#include <linux/platform_device.h>

static uint gsi = 21;
module_param(gsi, uint, 0444);
MODULE_PARM_DESC(gsi, "the SPE interrupt's GSI, a PPI (default 21: PPI 5)");

static struct platform_device *pdev, *sim_pdev;

static int __init fixture_init(void)
{
	struct resource res = { .flags = IORESOURCE_IRQ };
	int irq, ret;

	/* Without ACPI there is no GSI to register (the call would oops). */
	if (acpi_disabled) {
		pr_err("needs a kernel booted with ACPI\n");
		return -ENODEV;
	}
	irq = acpi_register_gsi(NULL, gsi, ACPI_LEVEL_SENSITIVE, ACPI_ACTIVE_HIGH);
	if (irq < 0) {
		pr_err("cannot register GSI %u: %d\n", gsi, irq);
		return irq;
	}
	res.start = res.end = irq;
	pdev = platform_device_register_simple(ARMV8_SPE_PDEV_NAME, PLATFORM_DEVID_NONE, &res, 1);
	if (IS_ERR(pdev)) {
		ret = PTR_ERR(pdev);
		goto unregister_gsi;
	}
	sim_pdev = platform_device_register_simple("armature,spe-sim", PLATFORM_DEVID_NONE, &res, 1);
	if (IS_ERR(sim_pdev)) {
		ret = PTR_ERR(sim_pdev);
		goto unregister_pdev;
	}
	return 0;

unregister_pdev:
	platform_device_unregister(pdev);
unregister_gsi:
	acpi_unregister_gsi(gsi);
	return ret;
}

static void __exit fixture_exit(void)
{
	platform_device_unregister(sim_pdev);
	platform_device_unregister(pdev);
	acpi_unregister_gsi(gsi);
}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_DESCRIPTION("armature test: the SPE platform device ACPI firmware's MADT describes");
MODULE_LICENSE("GPL");
