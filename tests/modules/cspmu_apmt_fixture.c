// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: one CoreSight PMU platform device as the kernel's ACPI APMT
 * parser (drivers/acpi/arm64/apmt.c) makes it: named "arm-cs-arch-pmu", its
 * register frames as memory resources, and a pointer to its APMT node as
 * platform data. The node's fields come from module parameters, so a guest
 * script can describe any node, including ones firmware should never write
 * (a dual-page flag without a page-1 frame, an unknown node type). Loading
 * adds the device, unloading removes it.
 *
 * An overflow interrupt GSI becomes an IRQ resource as the parser makes it:
 * registered with the trigger of the node's flags, active high, and left
 * out with a warning when the GSI cannot be registered. Like the parser,
 * the module never unregisters the GSI: its mapping may be another
 * device's (a test gives a GSI in use to see the request fail).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/string.h>

static unsigned long page0;
module_param(page0, ulong, 0444);
MODULE_PARM_DESC(page0, "physical address of the 4 KiB page-0 frame");

static unsigned long page1;
module_param(page1, ulong, 0444);
MODULE_PARM_DESC(page1, "physical address of the page-1 frame (0: none)");

static uint type;
module_param(type, uint, 0444);
MODULE_PARM_DESC(type, "APMT node type: 0 memory controller, 1 SMMU, 2 PCIe root, 3 ACPI device, 4 cache");

static uint flags;
module_param(flags, uint, 0444);
MODULE_PARM_DESC(flags, "APMT node flags: bit 0 dual page, bit 1 container affinity, bit 2 atomic 64-bit");

static uint impl_id;
module_param(impl_id, uint, 0444);
MODULE_PARM_DESC(impl_id, "implementation ID overriding PMIIDR (0: none)");

static char *hid = "";
module_param(hid, charp, 0444);
MODULE_PARM_DESC(hid, "instance primary of an ACPI-device node: the device's _HID");

static uint uid;
module_param(uid, uint, 0444);
MODULE_PARM_DESC(uid, "instance secondary of an ACPI-device node: the device's _UID");

static uint affinity;
module_param(affinity, uint, 0444);
MODULE_PARM_DESC(affinity, "processor UID, or processor container UID with flags bit 1");

static uint ovflw_irq;
module_param(ovflw_irq, uint, 0444);
MODULE_PARM_DESC(ovflw_irq, "overflow interrupt GSI (0: none)");

static uint ovflw_irq_flags;
module_param(ovflw_irq_flags, uint, 0444);
MODULE_PARM_DESC(ovflw_irq_flags, "overflow interrupt flags: bit 0 edge (0: level), bit 1 type (0: wired)");

static struct acpi_apmt_node node;
static struct acpi_apmt_node *node_ref = &node;
static struct platform_device *pdev;

static int __init fixture_init(void)
{
	struct resource res[3] = {
		DEFINE_RES_MEM(page0, SZ_4K),
		DEFINE_RES_MEM(page1, SZ_4K),
	};
	struct platform_device_info info = {
		.name = "arm-cs-arch-pmu",
		.id = PLATFORM_DEVID_AUTO,
		.res = res,
		.num_res = page1 ? 2 : 1,
		.data = &node_ref,
		.size_data = sizeof(node_ref),
	};
	int irq;

	/* An APMT node is ACPI's: without ACPI, no GSI can be registered. */
	if (acpi_disabled) {
		pr_err("needs a kernel booted with ACPI\n");
		return -ENODEV;
	}
	if (ovflw_irq) {
		irq = acpi_register_gsi(NULL, ovflw_irq,
					ovflw_irq_flags & ACPI_APMT_OVFLW_IRQ_FLAGS_MODE_EDGE ?
					ACPI_EDGE_SENSITIVE : ACPI_LEVEL_SENSITIVE,
					ACPI_ACTIVE_HIGH);
		if (irq > 0) {
			/* An initializer: on 6.1 DEFINE_RES_*() is no compound literal. */
			struct resource irq_res = DEFINE_RES_IRQ(irq);

			res[info.num_res++] = irq_res;
		} else {
			pr_warn("cannot register GSI %u: %d\n", ovflw_irq, irq);
		}
	}

	node.length = sizeof(node);
	node.type = type;
	node.flags = flags;
	node.base_address0 = page0;
	node.base_address1 = page1;
	node.impl_id = impl_id;
	memcpy(&node.inst_primary, hid, strnlen(hid, sizeof(node.inst_primary)));
	node.inst_secondary = uid;
	node.proc_affinity = affinity;
	node.ovflw_irq = ovflw_irq;
	node.ovflw_irq_flags = ovflw_irq_flags;
	pdev = platform_device_register_full(&info);
	return PTR_ERR_OR_ZERO(pdev);
}

static void __exit fixture_exit(void)
{
	platform_device_unregister(pdev);
}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_DESCRIPTION("armature test: a CoreSight PMU platform device carrying an APMT node");
MODULE_LICENSE("GPL");
