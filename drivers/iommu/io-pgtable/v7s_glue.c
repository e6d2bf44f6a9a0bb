// SPDX-License-Identifier: GPL-2.0
/* armature_io_pgtable_v7s: Arm v7s short-descriptor tables (v7s_module.cpp). */
#include <linux/module.h>
#include <kcpp/glue.h>

#include "modules.h"

KCPP_MODULE_INIT_EXIT(armature_pgtable_v7s_init, armature_pgtable_v7s_exit);
MODULE_ALIAS("io-pgtable-fmt-arm-v7s");
MODULE_DESCRIPTION("armature: Arm v7s (short-descriptor) IOMMU page tables");
MODULE_VERSION(ARMATURE_VERSION);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
MODULE_IMPORT_NS(ARMATURE_IO_PGTABLE);
