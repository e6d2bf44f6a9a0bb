// SPDX-License-Identifier: GPL-2.0
// What the io-pgtable test bodies share: a TLB log for the flush callbacks
// and a table that frees itself, allocated through iopt_test::alloc_ops.
#pragma once

#include <io_pgtable_test_env.hpp>

namespace iopt_test {

using namespace armature::iopt;

// Counts the TLB maintenance a table asks for.
struct TlbLog {
	int flush_all = 0;
	int flush_walk = 0;
	int add_page = 0;
	unsigned long last_iova = 0;
	unsigned long last_size = 0;
	unsigned long last_granule = 0;
	// Set once the table exists: tlb_flush_walk then checks that nothing
	// in its range still translates (break-before-make: invalid, then flush).
	armature_pgtable_ops *ops = nullptr;
	int mapped_at_flush_walk = 0;
};

inline void log_flush_all(void *cookie) { static_cast<TlbLog *>(cookie)->flush_all++; }
inline void log_flush_walk(unsigned long iova, unsigned long size, unsigned long granule, void *cookie)
{
	auto *log = static_cast<TlbLog *>(cookie);
	log->flush_walk++;
	log->last_iova = iova;
	log->last_size = size;
	log->last_granule = granule;
	if (!log->ops)
		return;
	// At most 256 probes, so that dropping a table under a 1G block stays quick.
	const unsigned long step = size / 256 > granule ? size / 256 : granule;
	for (unsigned long off = 0; off < size; off += step)
		if (log->ops->iova_to_phys(log->ops, iova + off))
			log->mapped_at_flush_walk++;
}
inline void log_add_page(iommu_iotlb_gather *, unsigned long iova, unsigned long granule, void *cookie)
{
	auto *log = static_cast<TlbLog *>(cookie);
	log->add_page++;
	log->last_iova = iova;
	log->last_granule = granule;
}

inline constexpr armature_pgtable_flush_ops tlb_log_ops = {log_flush_all, log_flush_walk, log_add_page};

// An LPAE configuration whose TLB callbacks go to the table's TlbLog.
inline armature_pgtable_cfg make_cfg(u64 pgsizes, unsigned ias, unsigned oas, unsigned long quirks = 0,
				     bool coherent = true)
{
	armature_pgtable_cfg cfg{};
	cfg.quirks = quirks;
	cfg.pgsize_bitmap = pgsizes;
	cfg.ias = ias;
	cfg.oas = oas;
	cfg.coherent_walk = coherent;
	cfg.tlb = &tlb_log_ops;
	if (!coherent)
		cfg.iommu_dev = dma_device();
	return cfg;
}

// A table and its configuration, freed at the end of the test.
struct Pgtable {
	armature_pgtable_cfg cfg;
	TlbLog tlb;
	armature_pgtable_ops *ops = nullptr;
	int error;

	Pgtable(armature_pgtable_fmt fmt, const armature_pgtable_cfg &c) : cfg(c)
	{
		error = alloc_ops(fmt, &cfg, &tlb, &ops);
		tlb.ops = ops;
	}
	~Pgtable() { free_ops(ops); }
	Pgtable(const Pgtable &) = delete;
	Pgtable &operator=(const Pgtable &) = delete;

	int map(u64 iova, u64 pa, u64 size, int prot, u64 count = 1, unsigned long *mapped = nullptr)
	{
		unsigned long done = 0;
		int ret = ops->map_pages(ops, iova, pa, size, count, prot, gfp_kernel, &done);
		if (mapped)
			*mapped = done;
		return ret;
	}
	u64 unmap(u64 iova, u64 size, u64 count = 1, iommu_iotlb_gather *gather = nullptr)
	{
		return ops->unmap_pages(ops, iova, size, count, gather);
	}
	u64 phys(u64 iova) { return ops->iova_to_phys(ops, iova); }
};

} // namespace iopt_test
