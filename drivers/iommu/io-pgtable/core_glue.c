// SPDX-License-Identifier: GPL-2.0
/*
 * armature_io_pgtable: what only C can say. The core of the io-pgtable
 * formats and the tables they use is core.cpp.
 */
#include <linux/module.h>
#include <kcpp/glue.h>

#include "core.h"

KCPP_MODULE_INIT_EXIT(armature_pgtable_init, armature_pgtable_exit);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_alloc_ops, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_free_ops, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_fmt_name, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_register_format, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_unregister_format, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_tables_in_use, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_reports, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_pages_alloc, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_pages_free, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_1k_alloc, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_1k_free, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_dma_map, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_dma_unmap, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_report, ARMATURE_IO_PGTABLE);
MODULE_DESCRIPTION("armature: Arm IOMMU page-table formats, core and format registry");
MODULE_VERSION(ARMATURE_VERSION);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
