// SPDX-License-Identifier: GPL-2.0
// The io-pgtable tests in KUnit: tables come from the core module (which
// loads the format modules on demand) and live in real memory.
#pragma once

#include <kcpp/layout.hpp>
#include <kcpp/memory.h>
#include <kcpp/result.hpp>
#include <lpae.hpp>

#include "io_pgtable_test_glue.h"

namespace iopt_test {

using namespace armature::iopt;

inline constexpr unsigned gfp_kernel = KCPP_GFP_KERNEL;

inline int alloc_ops(armature_pgtable_fmt fmt, armature_pgtable_cfg *cfg, void *cookie,
		     armature_pgtable_ops **ops)
{
	auto table = kcpp::from_err_ptr(armature_pgtable_alloc_ops(fmt, cfg, cookie));
	if (table)
		*ops = table.value();
	return table.code();
}

inline void free_ops(armature_pgtable_ops *ops) { armature_pgtable_free_ops(ops); }
inline long tables_in_use() { return armature_pgtable_tables_in_use(); }
inline long reports() { return armature_pgtable_reports(); }

// Zeroed, naturally aligned memory for a test's own table allocator.
inline unsigned test_order(usize bytes) { return std::bit_width((bytes - 1) / KCPP_PAGE_SIZE); }
inline void *test_table_alloc(usize bytes)
{
	return kcpp_alloc_pages(KCPP_NUMA_NO_NODE, KCPP_GFP_KERNEL | KCPP_GFP_ZERO, test_order(bytes));
}
inline void test_table_free(void *table, usize bytes) { kcpp_free_pages(table, test_order(bytes)); }
inline void *phys_to_virt(u64 pa) { return iopt_test_phys_to_virt(pa); }
inline device *dma_device() { return iopt_test_dma_device(); }

inline iommu_iotlb_gather *new_gather() { return iopt_test_new_gather(); }
inline void delete_gather(iommu_iotlb_gather *g) { iopt_test_delete(g); }
inline void reset_gather(iommu_iotlb_gather *g) { iopt_test_reset_gather(g); }
inline void set_gather_queued(iommu_iotlb_gather *g, bool queued) { iopt_test_set_gather_queued(g, queued); }
inline unsigned long gather_start(iommu_iotlb_gather *g) { return iopt_test_gather_start(g); }
inline unsigned long gather_end(iommu_iotlb_gather *g) { return iopt_test_gather_end(g); }
inline iommu_dirty_bitmap *new_dirty_bitmap(iommu_iotlb_gather *g) { return iopt_test_new_dirty_bitmap(g); }
inline void delete_dirty_bitmap(iommu_dirty_bitmap *d, iommu_iotlb_gather *g)
{
	iopt_test_delete(d);
	iopt_test_delete(g);
}

} // namespace iopt_test
