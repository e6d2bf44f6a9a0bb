// SPDX-License-Identifier: GPL-2.0
/*
 * gunyah_rsc_mgr: what only C can say. The driver is core.cpp (probe,
 * binding), rm.cpp (the RPC client) and vm_mgr.cpp (/dev/gunyah).
 */
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <kcpp/glue.h>

#include "core.h"
#include "gunyah.h"

/* The node the resource manager gives Linux in its devicetree. */
static const struct of_device_id gunyah_rm_of_match[] = {
	{ .compatible = "gunyah-resource-manager" },
	{ },
};
MODULE_DEVICE_TABLE(of, gunyah_rm_of_match);

KCPP_PLATFORM_DRIVER(gunyah_rm_driver, "gunyah_rsc_mgr", gunyah_rm_of_match, NULL, NULL,
		     &gunyah_rm_driver_ops, false);

KCPP_MODULE_INIT_EXIT(gunyah_rsc_mgr_init, gunyah_rsc_mgr_exit);
EXPORT_SYMBOL_NS_GPL(gunyah_platform_register, GUNYAH);
EXPORT_SYMBOL_NS_GPL(gunyah_platform_unregister, GUNYAH);
EXPORT_SYMBOL_NS_GPL(gunyah_rm_retry_bind, GUNYAH);
EXPORT_SYMBOL_NS_GPL(gunyah_hypervisor_register, GUNYAH);
EXPORT_SYMBOL_NS_GPL(gunyah_hypervisor_unregister, GUNYAH);
EXPORT_SYMBOL_NS_GPL(gunyah_rm_get, GUNYAH);
EXPORT_SYMBOL_NS_GPL(gunyah_rm_put, GUNYAH);
EXPORT_SYMBOL_NS_GPL(gunyah_rm_mem_share, GUNYAH);
EXPORT_SYMBOL_NS_GPL(gunyah_rm_mem_reclaim, GUNYAH);
EXPORT_SYMBOL_NS_GPL(gunyah_rm_alloc_vmid, GUNYAH);
EXPORT_SYMBOL_NS_GPL(gunyah_rm_dealloc_vmid, GUNYAH);
MODULE_DESCRIPTION("armature: Gunyah resource-manager client and VM manager");
MODULE_VERSION(ARMATURE_VERSION);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
