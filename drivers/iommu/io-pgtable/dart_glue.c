// SPDX-License-Identifier: GPL-2.0
/* armature_io_pgtable_dart: Apple DART and DART2 page tables (dart_module.cpp). */
#include <linux/module.h>
#include <kcpp/glue.h>

#include "modules.h"

KCPP_MODULE_INIT_EXIT(armature_pgtable_dart_init, armature_pgtable_dart_exit);
MODULE_ALIAS("io-pgtable-fmt-apple-dart");
MODULE_ALIAS("io-pgtable-fmt-apple-dart2");
MODULE_DESCRIPTION("armature: Apple DART and DART2 IOMMU page tables");
MODULE_VERSION(ARMATURE_VERSION);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
MODULE_IMPORT_NS(ARMATURE_IO_PGTABLE);
