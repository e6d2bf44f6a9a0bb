/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcpp's memory adapter, C side (kcpp/memory.c): pages, slab caches,
 * streaming DMA towards a device, and what IOMMU page tables record.
 */
#ifndef KCPP_MEMORY_H
#define KCPP_MEMORY_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct device;
struct iommu_dirty_bitmap;
struct kmem_cache;
struct page;

/* gfp: KCPP_GFP_* (kcpp_layout.h). */
int kcpp_dev_to_node(const struct device *dev);
/* 2^order pages on node (KCPP_NUMA_NO_NODE: any), or NULL. */
void *kcpp_alloc_pages(int node, unsigned int gfp, unsigned int order);
void kcpp_free_pages(void *addr, unsigned int order);
__u64 kcpp_virt_to_phys(const void *addr);
/* phys_to_virt(): the linear map's address of RAM at phys. */
void *kcpp_phys_to_virt(__u64 phys);
struct page *kcpp_virt_to_page(const void *addr);
/* The pages mapped contiguously in the kernel's address space, or NULL. */
void *kcpp_vmap(struct page **pages, unsigned int nr_pages);
void kcpp_vunmap(const void *addr);

/* flags: KCPP_SLAB_*. NULL when it cannot be created. */
struct kmem_cache *kcpp_kmem_cache_create(const char *name, unsigned int size,
					  unsigned int align, unsigned long flags);
void kcpp_kmem_cache_destroy(struct kmem_cache *cache);
void *kcpp_kmem_cache_alloc(struct kmem_cache *cache, unsigned int gfp);
void kcpp_kmem_cache_free(struct kmem_cache *cache, void *obj);

/* Streaming DMA of memory the CPU writes and dev reads: 0 and *dma, or
 * -ENOMEM when it cannot be mapped. */
int kcpp_dma_map_to_device(struct device *dev, void *addr, unsigned long bytes, __u64 *dma);
void kcpp_dma_unmap_to_device(struct device *dev, __u64 dma, unsigned long bytes);
void kcpp_dma_sync_to_device(struct device *dev, __u64 dma, unsigned long bytes);

#ifdef KCPP_HAVE_IOMMU_DIRTY_TRACKING
/* iommu_dirty_bitmap_record(). */
void kcpp_iommu_dirty_record(struct iommu_dirty_bitmap *dirty, unsigned long iova,
			     unsigned long length);
#endif

#ifdef __cplusplus
}
#endif

#endif /* KCPP_MEMORY_H */
