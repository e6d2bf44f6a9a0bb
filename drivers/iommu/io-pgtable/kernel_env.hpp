// SPDX-License-Identifier: GPL-2.0
// The kernel's Env for the formats (see pgtable.hpp): the core module's
// tables and reports, kcpp's memory adapter, and the arm64 barriers inline
// (they are on the map path).
#pragma once

#include "pgtable.hpp"
#include <kcpp/abi.h>
#include <kcpp/layout.hpp>
#include <kcpp/lock.hpp>
#include <kcpp/memory.h>

#ifndef __aarch64__
#error "the io-pgtable formats are built for arm64 kernels"
#endif

namespace armature::iopt {

struct KernelEnv {
	static constexpr unsigned gfp_kernel = KCPP_GFP_KERNEL;
	static constexpr unsigned gfp_dma32 = KCPP_GFP_DMA32;
	static constexpr u64 page_size = KCPP_PAGE_SIZE;

	// Serialises partial unmaps of ARM_CONTIG runs; unmap may be called
	// with interrupts off.
	struct RunLock : kcpp::SpinLock {
		RunLock() : SpinLock(KCPP_LOCK_CLASS("armature_pgtable_runs")) {}
	};

	static void *alloc_table(const armature_pgtable_cfg &cfg, usize bytes, unsigned gfp,
				 void *cookie = nullptr)
	{
		if (!cfg.coherent_walk && !cfg.iommu_dev) {
			report(cfg, "a non-coherent walker needs iommu_dev for DMA\n");
			return nullptr;
		}
		void *table;
		if (cfg.alloc)
			table = custom_table<KernelEnv>(cfg, cookie, bytes, gfp);
		else if (bytes <= small_table)
			table = armature_pgtable_1k_alloc(gfp);
		else
			table = armature_pgtable_pages_alloc(cfg.iommu_dev, order(bytes), gfp);
		if (table && !cfg.coherent_walk && !armature_pgtable_dma_map(cfg.iommu_dev, table, bytes)) {
			release(cfg, cookie, table, bytes);
			return nullptr;
		}
		return table;
	}
	static void free_table(const armature_pgtable_cfg &cfg, void *table, usize bytes,
			       void *cookie = nullptr)
	{
		if (!cfg.coherent_walk)
			armature_pgtable_dma_unmap(cfg.iommu_dev, table, bytes);
		release(cfg, cookie, table, bytes);
	}
	static void sync(const armature_pgtable_cfg &cfg, const void *ptes, usize bytes)
	{
		// The table's DMA address is its physical one (alloc_table).
		kcpp_dma_sync_to_device(cfg.iommu_dev, kcpp_virt_to_phys(ptes), bytes);
	}
	static u64 virt_to_phys(const void *addr) { return kcpp_virt_to_phys(addr); }
	static void *alloc_object(usize bytes) { return kcpp_kmalloc(bytes, KCPP_GFP_KERNEL | KCPP_GFP_ZERO); }
	static void free_object(void *obj) { kcpp_kfree(obj); }

	// dma_wmb() and wmb() of arm64.
	static void dma_wmb() { asm volatile("dmb oshst" ::: "memory"); }
	static void wmb() { asm volatile("dsb st" ::: "memory"); }

	static bool gather_queued(iommu_iotlb_gather *gather)
	{
		return *reinterpret_cast<const bool *>(
			reinterpret_cast<const char *>(gather) + KCPP_IOTLB_GATHER_QUEUED);
	}
#ifdef KCPP_HAVE_IOMMU_DIRTY_TRACKING
	static void record_dirty(iommu_dirty_bitmap *dirty, unsigned long iova, unsigned long len)
	{
		kcpp_iommu_dirty_record(dirty, iova, len);
	}
#endif
	template <typename... Args>
	static void report(const armature_pgtable_cfg &cfg, const char *fmt, Args... args)
	{
		armature_pgtable_report(cfg.iommu_dev, fmt, args...);
	}

private:
	// Up to 1 KiB (v7s level 2) from the core's cache, else pages.
	static constexpr usize small_table = 1024;
	static unsigned order(usize bytes) { return std::bit_width((bytes - 1) / page_size); }
	static void release(const armature_pgtable_cfg &cfg, void *cookie, void *table, usize bytes)
	{
		if (cfg.free)
			cfg.free(cookie, table, bytes);
		else if (bytes <= small_table)
			armature_pgtable_1k_free(table);
		else
			armature_pgtable_pages_free(table, order(bytes));
	}
};

} // namespace armature::iopt
