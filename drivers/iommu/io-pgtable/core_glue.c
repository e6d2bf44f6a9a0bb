// SPDX-License-Identifier: GPL-2.0
/*
 * armature_io_pgtable: the core of the io-pgtable formats (core.cpp), and
 * the kernel services the format modules use (format.h).
 */
#include <linux/atomic.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <kcpp/glue.h>

#include "core.h"

struct armature_pgtable_ops *armature_pgtable_alloc_ops(enum armature_pgtable_fmt fmt,
							struct armature_pgtable_cfg *cfg,
							void *cookie)
{
	struct armature_pgtable_ops *ops;
	int ret = armature_pgtable_core_alloc(fmt, cfg, cookie, &ops);

	return ret ? ERR_PTR(ret) : ops;
}
EXPORT_SYMBOL_NS_GPL(armature_pgtable_alloc_ops, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_free_ops, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_fmt_name, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_register_format, ARMATURE_IO_PGTABLE);
EXPORT_SYMBOL_NS_GPL(armature_pgtable_unregister_format, ARMATURE_IO_PGTABLE);

static atomic_long_t tables_in_use = ATOMIC_LONG_INIT(0);
static struct kmem_cache *tables_1k;

long armature_pgtable_tables_in_use(void)
{
	return atomic_long_read(&tables_in_use);
}
EXPORT_SYMBOL_NS_GPL(armature_pgtable_tables_in_use, ARMATURE_IO_PGTABLE);

void *armature_pgtable_pages_alloc(struct device *dev, unsigned int order, unsigned int gfp)
{
	struct page *page = alloc_pages_node(dev ? dev_to_node(dev) : NUMA_NO_NODE,
					     gfp | __GFP_ZERO, order);

	if (!page)
		return NULL;
	atomic_long_inc(&tables_in_use);
	return page_address(page);
}
EXPORT_SYMBOL_NS_GPL(armature_pgtable_pages_alloc, ARMATURE_IO_PGTABLE);

void armature_pgtable_pages_free(void *pages, unsigned int order)
{
	atomic_long_dec(&tables_in_use);
	free_pages((unsigned long)pages, order);
}
EXPORT_SYMBOL_NS_GPL(armature_pgtable_pages_free, ARMATURE_IO_PGTABLE);

void *armature_pgtable_1k_alloc(unsigned int gfp)
{
	void *table = kmem_cache_zalloc(tables_1k, gfp);

	if (table)
		atomic_long_inc(&tables_in_use);
	return table;
}
EXPORT_SYMBOL_NS_GPL(armature_pgtable_1k_alloc, ARMATURE_IO_PGTABLE);

void armature_pgtable_1k_free(void *table)
{
	atomic_long_dec(&tables_in_use);
	kmem_cache_free(tables_1k, table);
}
EXPORT_SYMBOL_NS_GPL(armature_pgtable_1k_free, ARMATURE_IO_PGTABLE);

bool armature_pgtable_dma_map(struct device *dev, void *table, unsigned long bytes)
{
	dma_addr_t dma = dma_map_single(dev, table, bytes, DMA_TO_DEVICE);

	if (dma_mapping_error(dev, dma))
		return false;
	if (dma == virt_to_phys(table))
		return true;
	dev_err(dev, "io-pgtable: page tables need DMA addresses equal to physical ones\n");
	dma_unmap_single(dev, dma, bytes, DMA_TO_DEVICE);
	return false;
}
EXPORT_SYMBOL_NS_GPL(armature_pgtable_dma_map, ARMATURE_IO_PGTABLE);

void armature_pgtable_dma_unmap(struct device *dev, void *table, unsigned long bytes)
{
	dma_unmap_single(dev, virt_to_phys(table), bytes, DMA_TO_DEVICE);
}
EXPORT_SYMBOL_NS_GPL(armature_pgtable_dma_unmap, ARMATURE_IO_PGTABLE);

void armature_pgtable_sync(struct device *dev, const void *ptes, unsigned long bytes)
{
	dma_sync_single_for_device(dev, virt_to_phys(ptes), bytes, DMA_TO_DEVICE);
}
EXPORT_SYMBOL_NS_GPL(armature_pgtable_sync, ARMATURE_IO_PGTABLE);

unsigned long long armature_pgtable_virt_to_phys(const void *addr)
{
	return virt_to_phys(addr);
}
EXPORT_SYMBOL_NS_GPL(armature_pgtable_virt_to_phys, ARMATURE_IO_PGTABLE);

void armature_pgtable_record_dirty(struct iommu_dirty_bitmap *dirty, unsigned long iova,
				   unsigned long length)
{
	iommu_dirty_bitmap_record(dirty, iova, length);
}
EXPORT_SYMBOL_NS_GPL(armature_pgtable_record_dirty, ARMATURE_IO_PGTABLE);

void armature_pgtable_report(struct device *dev, const char *fmt, ...)
{
	static DEFINE_RATELIMIT_STATE(limit, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
	struct va_format vaf;
	va_list args;

	if (!__ratelimit(&limit))
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (dev)
		dev_err(dev, "io-pgtable: %pV", &vaf);
	else
		pr_err("armature io-pgtable: %pV", &vaf);
	va_end(args);
}
EXPORT_SYMBOL_NS_GPL(armature_pgtable_report, ARMATURE_IO_PGTABLE);

static int armature_pgtable_init(void)
{
	/* v7s level-2 tables: 1 KiB, aligned, below 4 GiB as the format needs. */
	tables_1k = kmem_cache_create("armature_pgtable_1k", SZ_1K, SZ_1K,
				      IS_ENABLED(CONFIG_ZONE_DMA32) ? SLAB_CACHE_DMA32 : 0, NULL);
	if (!tables_1k)
		return -ENOMEM;
	return armature_pgtable_core_init();
}

static void armature_pgtable_exit(void)
{
	armature_pgtable_core_exit();
	kmem_cache_destroy(tables_1k);
}

KCPP_MODULE_INIT_EXIT(armature_pgtable_init, armature_pgtable_exit);
MODULE_DESCRIPTION("armature: Arm IOMMU page-table formats, core and format registry");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
