// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp's memory adapter (include/kcpp/memory.h).
 */
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <kcpp_compat.h>
#include <kcpp/memory.h>

int kcpp_dev_to_node(const struct device *dev)
{
	return dev_to_node((struct device *)dev);
}
EXPORT_SYMBOL_NS_GPL(kcpp_dev_to_node, KCPP);

void *kcpp_alloc_pages(int node, unsigned int gfp, unsigned int order)
{
	struct page *page = alloc_pages_node(node, (__force gfp_t)gfp, order);

	return page ? page_address(page) : NULL;
}
EXPORT_SYMBOL_NS_GPL(kcpp_alloc_pages, KCPP);

void kcpp_free_pages(void *addr, unsigned int order)
{
	free_pages((unsigned long)addr, order);
}
EXPORT_SYMBOL_NS_GPL(kcpp_free_pages, KCPP);

u64 kcpp_virt_to_phys(const void *addr)
{
	return virt_to_phys(addr);
}
EXPORT_SYMBOL_NS_GPL(kcpp_virt_to_phys, KCPP);

void *kcpp_phys_to_virt(u64 phys)
{
	return phys_to_virt(phys);
}
EXPORT_SYMBOL_NS_GPL(kcpp_phys_to_virt, KCPP);

struct page *kcpp_virt_to_page(const void *addr)
{
	return virt_to_page(addr);
}
EXPORT_SYMBOL_NS_GPL(kcpp_virt_to_page, KCPP);

void *kcpp_vmap(struct page **pages, unsigned int nr_pages)
{
	return vmap(pages, nr_pages, VM_MAP, PAGE_KERNEL);
}
EXPORT_SYMBOL_NS_GPL(kcpp_vmap, KCPP);

void kcpp_vunmap(const void *addr)
{
	vunmap(addr);
}
EXPORT_SYMBOL_NS_GPL(kcpp_vunmap, KCPP);

struct kmem_cache *kcpp_kmem_cache_create(const char *name, unsigned int size,
					  unsigned int align, unsigned long flags)
{
	return kmem_cache_create(name, size, align, (__force slab_flags_t)flags, NULL);
}
EXPORT_SYMBOL_NS_GPL(kcpp_kmem_cache_create, KCPP);

void kcpp_kmem_cache_destroy(struct kmem_cache *cache)
{
	kmem_cache_destroy(cache);
}
EXPORT_SYMBOL_NS_GPL(kcpp_kmem_cache_destroy, KCPP);

void *kcpp_kmem_cache_alloc(struct kmem_cache *cache, unsigned int gfp)
{
	return kmem_cache_alloc(cache, (__force gfp_t)gfp);
}
EXPORT_SYMBOL_NS_GPL(kcpp_kmem_cache_alloc, KCPP);

void kcpp_kmem_cache_free(struct kmem_cache *cache, void *obj)
{
	kmem_cache_free(cache, obj);
}
EXPORT_SYMBOL_NS_GPL(kcpp_kmem_cache_free, KCPP);

int kcpp_dma_map_to_device(struct device *dev, void *addr, unsigned long bytes, u64 *dma)
{
	dma_addr_t mapped = dma_map_single(dev, addr, bytes, DMA_TO_DEVICE);

	if (dma_mapping_error(dev, mapped))
		return -ENOMEM;
	*dma = mapped;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(kcpp_dma_map_to_device, KCPP);

void kcpp_dma_unmap_to_device(struct device *dev, u64 dma, unsigned long bytes)
{
	dma_unmap_single(dev, dma, bytes, DMA_TO_DEVICE);
}
EXPORT_SYMBOL_NS_GPL(kcpp_dma_unmap_to_device, KCPP);

void kcpp_dma_sync_to_device(struct device *dev, u64 dma, unsigned long bytes)
{
	dma_sync_single_for_device(dev, dma, bytes, DMA_TO_DEVICE);
}
EXPORT_SYMBOL_NS_GPL(kcpp_dma_sync_to_device, KCPP);

#ifdef KCPP_HAVE_IOMMU_DIRTY_TRACKING
void kcpp_iommu_dirty_record(struct iommu_dirty_bitmap *dirty, unsigned long iova,
			     unsigned long length)
{
	iommu_dirty_bitmap_record(dirty, iova, length);
}
EXPORT_SYMBOL_NS_GPL(kcpp_iommu_dirty_record, KCPP);
#endif
