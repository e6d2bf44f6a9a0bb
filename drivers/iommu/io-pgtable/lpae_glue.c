// SPDX-License-Identifier: GPL-2.0
/* armature_io_pgtable_lpae: Arm LPAE stage 1/2 (64- and 32-bit) and Mali (lpae_module.cpp). */
#include <linux/module.h>
#include <kcpp/glue.h>

#include "modules.h"

KCPP_MODULE_INIT_EXIT(armature_pgtable_lpae_init, armature_pgtable_lpae_exit);
MODULE_ALIAS("io-pgtable-fmt-arm-32-lpae-s1");
MODULE_ALIAS("io-pgtable-fmt-arm-32-lpae-s2");
MODULE_ALIAS("io-pgtable-fmt-arm-64-lpae-s1");
MODULE_ALIAS("io-pgtable-fmt-arm-64-lpae-s2");
MODULE_ALIAS("io-pgtable-fmt-arm-mali-lpae");
MODULE_DESCRIPTION("armature: Arm LPAE IOMMU page tables (stage 1/2, 64/32-bit, Mali)");
MODULE_VERSION(ARMATURE_VERSION);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
MODULE_IMPORT_NS(ARMATURE_IO_PGTABLE);
