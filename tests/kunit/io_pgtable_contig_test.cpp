// SPDX-License-Identifier: GPL-2.0
// ARMATURE_PGTABLE_QUIRK_ARM_CONTIG on the LPAE formats, in KUnit and on the
// host like io_pgtable_test.cpp: which entries get the Contiguous bit, how a
// partial unmap breaks a run (break-before-make, seen in the TLB callbacks),
// and translation throughout. Run sizes and bit 52 are written out from the
// Arm ARM (DDI 0487, D8.6.1 "The Contiguous bit"), not taken from lpae.hpp.
#include <kcpp_test.hpp>

#include "io_pgtable_test.hpp"

using namespace armature::iopt;
using iopt_test::make_cfg;
using iopt_test::Pgtable;

namespace {

constexpr int rw = prot::read | prot::write;
constexpr u64 cont_bit = 1ull << 52;
constexpr u64 lpae_4k = SZ_4K | SZ_2M | SZ_1G, lpae_16k = SZ_16K | SZ_32M,
	      lpae_64k = SZ_64K | SZ_512M;

// A granule and a level: the size of its entries, the entries of a run,
// the span of one table at that level.
struct Geo {
	u64 pgsizes;
	unsigned level;
	u64 size;
	u64 run_entries;
	u64 table_span;

	u64 run() const { return size * run_entries; }
	// Where the cases map: run-aligned, inside one table.
	u64 base() const { return 4 * run(); }
	// An output address as aligned as base(), elsewhere.
	u64 pa(u64 iova) const { return iova + 16 * run(); }
};

constexpr Geo geos[] = {
	{lpae_4k, 3, SZ_4K, 16, SZ_2M},
	{lpae_4k, 2, SZ_2M, 16, SZ_1G},
	{lpae_16k, 3, SZ_16K, 128, SZ_32M},
	{lpae_16k, 2, SZ_32M, 32, 2048 * SZ_32M},
	{lpae_64k, 3, SZ_64K, 32, SZ_512M},
	{lpae_64k, 2, SZ_512M, 32, 8192 * SZ_512M},
};

// The descriptor for iova at level, found as the walker finds it (0 if a
// level above holds no table).
u64 descriptor(armature_pgtable_ops *ops, u64 iova, unsigned level)
{
	const lpae::Table &t = table_of<lpae::Table>(ops);
	const unsigned bits = t.geo.pg_shift - 3;
	const u64 *table = t.pgd;
	for (unsigned l = t.geo.start_level;; l++) {
		const u64 mask = l == t.geo.start_level ? t.pgd_index_mask : (u64(1) << bits) - 1;
		const u64 pte = table[(iova >> ((4 - l) * bits + 3)) & mask];
		if (l == level)
			return pte;
		if ((pte & 3) != 3)
			return 0;
		// Tables here sit below 2^48: bits [47:granule] hold the address.
		table = static_cast<const u64 *>(
			iopt_test::phys_to_virt(pte & ((1ull << 48) - 1) & ~((u64(1) << t.geo.pg_shift) - 1)));
	}
}

// What count entries from iova hold: how many are valid, how many carry the
// bit, whether every valid one points at pa + its offset.
struct Entries {
	u64 valid = 0, contig = 0;
	bool oa_ok = true;
};

Entries entries(Pgtable &t, const Geo &g, u64 iova, u64 pa, u64 count)
{
	Entries e;
	for (u64 i = 0; i < count; i++) {
		const u64 pte = descriptor(t.ops, iova + i * g.size, g.level);
		if (!(pte & 1))
			continue;
		e.valid++;
		e.contig += !!(pte & cont_bit);
		if ((pte & ((1ull << 48) - 1) & ~(g.size - 1)) != pa + i * g.size)
			e.oa_ok = false;
	}
	return e;
}

bool has_bit(Pgtable &t, const Geo &g, u64 iova)
{
	return descriptor(t.ops, iova, g.level) & cont_bit;
}

} // namespace

// One map_pages call of whole, aligned runs: every entry has the bit, each
// address translates; unmapping the runs whole needs no break (no walk
// flush), only the pages reported. With the quirk off: no bit.
KCPP_TEST(iopt_contig, whole_runs)
{
	iommu_iotlb_gather *gather = iopt_test::new_gather();
	KCPP_ASSERT_TRUE(gather != nullptr);
	for (const Geo &g : geos) {
		const u64 iova = g.base(), pa = g.pa(iova), n = 2 * g.run_entries;
		Pgtable off(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(g.pgsizes, 48, 48));
		KCPP_ASSERT_EQ(off.error, 0);
		KCPP_ASSERT_EQ(off.map(iova, pa, g.size, rw, n), 0);
		KCPP_EXPECT_EQ(entries(off, g, iova, pa, n).contig, 0u);

		Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(g.pgsizes, 48, 48, quirk::arm_contig));
		KCPP_ASSERT_EQ(t.error, 0);
		KCPP_ASSERT_EQ(t.map(iova, pa, g.size, rw, n), 0);
		Entries e = entries(t, g, iova, pa, n);
		KCPP_EXPECT_EQ(e.valid, n);
		KCPP_EXPECT_EQ(e.contig, n);
		KCPP_EXPECT_TRUE(e.oa_ok);
		KCPP_EXPECT_EQ(t.phys(iova + 7), pa + 7);
		KCPP_EXPECT_EQ(t.phys(iova + g.run() + g.size + 9), pa + g.run() + g.size + 9);
		KCPP_EXPECT_EQ(t.phys(iova + 2 * g.run() - 1), pa + 2 * g.run() - 1);
		KCPP_EXPECT_EQ(t.phys(iova + 2 * g.run()), 0u);

		iopt_test::reset_gather(gather);
		KCPP_EXPECT_EQ(t.unmap(iova, g.size, n, gather), n * g.size);
		KCPP_EXPECT_EQ(t.tlb.flush_walk, 0);
		KCPP_EXPECT_EQ(t.tlb.add_page, int(n));
		KCPP_EXPECT_EQ(entries(t, g, iova, pa, n).valid, 0u);
		KCPP_EXPECT_EQ(t.phys(iova + 7), 0u);
	}
	iopt_test::delete_gather(gather);
}

// Runs a call covers only in part, or whose output is not aligned as the
// input is, or that several calls fill (contiguous or not, same prot or
// not): no bit, since no call mapped them whole (no merge on map).
KCPP_TEST(iopt_contig, runs_not_covered_whole)
{
	for (const Geo &g : geos) {
		Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(g.pgsizes, 48, 48, quirk::arm_contig));
		KCPP_ASSERT_EQ(t.error, 0);
		const u64 r = g.run_entries;
		// Shifted by one entry: no run whole.
		u64 iova = g.base() + g.size;
		KCPP_ASSERT_EQ(t.map(iova, g.pa(iova), g.size, rw, r), 0);
		KCPP_EXPECT_EQ(entries(t, g, iova, g.pa(iova), r).contig, 0u);
		// Aligned input, output one entry off.
		iova = g.base() + 2 * g.run();
		KCPP_ASSERT_EQ(t.map(iova, g.pa(iova) + g.size, g.size, rw, r), 0);
		KCPP_EXPECT_EQ(entries(t, g, iova, g.pa(iova) + g.size, r).contig, 0u);
		KCPP_EXPECT_EQ(t.phys(iova + 3), g.pa(iova) + g.size + 3);
		// From entry 1 to the end of the next run: only that run is whole.
		iova = g.base() + 4 * g.run();
		KCPP_ASSERT_EQ(t.map(iova + g.size, g.pa(iova) + g.size, g.size, rw, 2 * r - 1), 0);
		KCPP_EXPECT_EQ(entries(t, g, iova, g.pa(iova), 2 * r).contig, r);
		KCPP_EXPECT_FALSE(has_bit(t, g, iova + g.run() - g.size));
		KCPP_EXPECT_TRUE(has_bit(t, g, iova + g.run()));
		KCPP_EXPECT_TRUE(has_bit(t, g, iova + 2 * g.run() - g.size));
		// Two halves, physically contiguous: no merge.
		iova = g.base() + 6 * g.run();
		KCPP_ASSERT_EQ(t.map(iova, g.pa(iova), g.size, rw, r / 2), 0);
		KCPP_ASSERT_EQ(t.map(iova + r / 2 * g.size, g.pa(iova) + r / 2 * g.size, g.size, rw, r / 2), 0);
		Entries e = entries(t, g, iova, g.pa(iova), r);
		KCPP_EXPECT_EQ(e.valid, r);
		KCPP_EXPECT_EQ(e.contig, 0u);
		KCPP_EXPECT_TRUE(e.oa_ok);
		// Two halves, physically apart.
		iova = g.base() + 8 * g.run();
		KCPP_ASSERT_EQ(t.map(iova, g.pa(iova), g.size, rw, r / 2), 0);
		KCPP_ASSERT_EQ(t.map(iova + r / 2 * g.size, g.pa(iova) + 3 * g.run(), g.size, rw, r / 2), 0);
		KCPP_EXPECT_EQ(entries(t, g, iova, g.pa(iova), r / 2).contig, 0u);
		KCPP_EXPECT_EQ(entries(t, g, iova + r / 2 * g.size, g.pa(iova) + 3 * g.run(), r / 2).contig, 0u);
		// Two halves, contiguous, different prot.
		iova = g.base() + 10 * g.run();
		KCPP_ASSERT_EQ(t.map(iova, g.pa(iova), g.size, rw, r / 2), 0);
		KCPP_ASSERT_EQ(t.map(iova + r / 2 * g.size, g.pa(iova) + r / 2 * g.size, g.size, prot::read, r / 2), 0);
		KCPP_EXPECT_EQ(entries(t, g, iova, g.pa(iova), r).contig, 0u);
		KCPP_EXPECT_EQ(t.tlb.flush_walk, 0);
	}
}

// Unmapping one entry at the start, middle or end of a run: the run is
// broken first (all entries cleared, the walk flushed for the whole run
// with the entries' size, the rest rewritten without the bit). Mapping the
// hole again maps one entry and leaves the bit off (no merge); the run then
// unmaps whole without another break.
KCPP_TEST(iopt_contig, partial_unmap_and_remap)
{
	iommu_iotlb_gather *gather = iopt_test::new_gather();
	KCPP_ASSERT_TRUE(gather != nullptr);
	for (const Geo &g : geos) {
		Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(g.pgsizes, 48, 48, quirk::arm_contig));
		KCPP_ASSERT_EQ(t.error, 0);
		const u64 r = g.run_entries;
		const u64 positions[] = {0, r / 2, r - 1};
		int flushes = 0;
		for (u64 k = 0; k < 3; k++) {
			const u64 run = g.base() + 2 * k * g.run(), pa = g.pa(run), hole = run + positions[k] * g.size;
			KCPP_ASSERT_EQ(t.map(run, pa, g.size, rw, r), 0);
			KCPP_ASSERT_EQ(entries(t, g, run, pa, r).contig, r);

			iopt_test::reset_gather(gather);
			t.tlb.add_page = 0;
			KCPP_EXPECT_EQ(t.unmap(hole, g.size, 1, gather), g.size);
			KCPP_EXPECT_EQ(t.tlb.flush_walk, ++flushes);
			KCPP_EXPECT_EQ(t.tlb.mapped_at_flush_walk, 0);
			KCPP_EXPECT_EQ(t.tlb.last_size, g.run());
			KCPP_EXPECT_EQ(t.tlb.last_granule, g.size);
			KCPP_EXPECT_EQ(t.tlb.add_page, 1);
			KCPP_EXPECT_EQ(t.tlb.last_iova, hole);
			Entries e = entries(t, g, run, pa, r);
			KCPP_EXPECT_EQ(e.valid, r - 1);
			KCPP_EXPECT_EQ(e.contig, 0u);
			KCPP_EXPECT_TRUE(e.oa_ok);
			KCPP_EXPECT_EQ(t.phys(hole + 5), 0u);
			const u64 other = positions[k] ? run : run + g.size;
			KCPP_EXPECT_EQ(t.phys(other + 5), pa + (other - run) + 5);

			KCPP_EXPECT_EQ(t.map(hole, pa + positions[k] * g.size, g.size, rw), 0);
			e = entries(t, g, run, pa, r);
			KCPP_EXPECT_EQ(e.valid, r);
			KCPP_EXPECT_EQ(e.contig, 0u);
			KCPP_EXPECT_TRUE(e.oa_ok);
			KCPP_EXPECT_EQ(t.phys(hole + 5), pa + positions[k] * g.size + 5);
			KCPP_EXPECT_EQ(t.unmap(run, g.size, r), r * g.size);
			KCPP_EXPECT_EQ(t.tlb.flush_walk, flushes);
		}
	}
	iopt_test::delete_gather(gather);
}

// An unmap across the boundary of two runs breaks both; one that takes a
// run whole and part of the next breaks only the next.
KCPP_TEST(iopt_contig, partial_unmap_across_runs)
{
	for (const Geo &g : geos) {
		Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(g.pgsizes, 48, 48, quirk::arm_contig));
		KCPP_ASSERT_EQ(t.error, 0);
		const u64 r = g.run_entries, iova = g.base(), pa = g.pa(iova);
		KCPP_ASSERT_EQ(t.map(iova, pa, g.size, rw, 4 * r), 0);
		KCPP_EXPECT_EQ(t.unmap(iova + g.run() - g.size, g.size, 2), 2 * g.size);
		KCPP_EXPECT_EQ(t.tlb.flush_walk, 2);
		KCPP_EXPECT_EQ(t.tlb.last_iova, iova + g.run());
		Entries e = entries(t, g, iova, pa, 2 * r);
		KCPP_EXPECT_EQ(e.valid, 2 * r - 2);
		KCPP_EXPECT_EQ(e.contig, 0u);
		KCPP_EXPECT_TRUE(e.oa_ok);
		KCPP_EXPECT_EQ(entries(t, g, iova + 2 * g.run(), pa + 2 * g.run(), 2 * r).contig, 2 * r);

		KCPP_EXPECT_EQ(t.unmap(iova + 2 * g.run(), g.size, r + 1), (r + 1) * g.size);
		KCPP_EXPECT_EQ(t.tlb.flush_walk, 3);
		KCPP_EXPECT_EQ(t.tlb.mapped_at_flush_walk, 0);
		KCPP_EXPECT_EQ(t.tlb.last_iova, iova + 3 * g.run());
		e = entries(t, g, iova + 3 * g.run(), pa + 3 * g.run(), r);
		KCPP_EXPECT_EQ(e.valid, r - 1);
		KCPP_EXPECT_EQ(e.contig, 0u);
		KCPP_EXPECT_EQ(t.phys(iova + 3 * g.run() + g.size + 1), pa + 3 * g.run() + g.size + 1);
	}
}

// A call across a table boundary: the runs on both sides get the bit (no
// run spans two tables), the partial runs at its ends do not.
KCPP_TEST(iopt_contig, runs_across_a_table_boundary)
{
	for (const Geo &g : geos) {
		Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(g.pgsizes, 48, 48, quirk::arm_contig));
		KCPP_ASSERT_EQ(t.error, 0);
		const u64 r = g.run_entries, boundary = 2 * g.table_span;
		const u64 iova = boundary - (r + r / 2) * g.size, pa = g.pa(iova);
		unsigned long mapped = 0;
		KCPP_ASSERT_EQ(t.map(iova, pa, g.size, rw, 3 * r, &mapped), 0);
		KCPP_EXPECT_EQ(mapped, 3 * r * g.size);
		Entries e = entries(t, g, iova, pa, 3 * r);
		KCPP_EXPECT_EQ(e.valid, 3 * r);
		KCPP_EXPECT_EQ(e.contig, 2 * r);
		KCPP_EXPECT_TRUE(e.oa_ok);
		KCPP_EXPECT_FALSE(has_bit(t, g, boundary - g.run() - g.size));
		KCPP_EXPECT_TRUE(has_bit(t, g, boundary - g.size));
		KCPP_EXPECT_TRUE(has_bit(t, g, boundary));
		KCPP_EXPECT_FALSE(has_bit(t, g, boundary + g.run()));
		KCPP_EXPECT_EQ(t.phys(boundary + 3), pa + (boundary - iova) + 3);
		KCPP_EXPECT_EQ(t.unmap(iova, g.size, 3 * r), 3 * r * g.size);
		KCPP_EXPECT_EQ(t.tlb.flush_walk, 0);
		KCPP_EXPECT_EQ(t.phys(boundary + 3), 0u);
	}
}

// Which formats take the quirk: the Arm LPAE ones at both stages (32-bit
// too: VMSAv7's long descriptors have the same bit and 16-entry runs), not
// Mali's, not v7s, not with ARM_HD. A non-coherent walker gets the broken
// run pushed out like any write.
KCPP_TEST(iopt_contig, formats_and_quirks)
{
	const Geo &g = geos[0];
	const u64 iova = g.base(), pa = g.pa(iova), r = g.run_entries;
	const armature_pgtable_fmt taking[] = {ARMATURE_PGTABLE_ARM_64_LPAE_S2, ARMATURE_PGTABLE_ARM_32_LPAE_S1,
					       ARMATURE_PGTABLE_ARM_32_LPAE_S2};
	for (armature_pgtable_fmt fmt : taking) {
		Pgtable t(fmt, make_cfg(lpae_4k, 32, 40, quirk::arm_contig));
		KCPP_ASSERT_EQ(t.error, 0);
		KCPP_ASSERT_EQ(t.map(iova, pa, SZ_4K, rw, r), 0);
		KCPP_EXPECT_EQ(entries(t, g, iova, pa, r).contig, r);
		KCPP_EXPECT_EQ(t.unmap(iova, SZ_4K), SZ_4K);
		KCPP_EXPECT_EQ(entries(t, g, iova, pa, r).contig, 0u);
		KCPP_EXPECT_EQ(t.tlb.flush_walk, 1);
	}
	Pgtable mali(ARMATURE_PGTABLE_ARM_MALI_LPAE, make_cfg(lpae_4k, 48, 40, quirk::arm_contig));
	KCPP_EXPECT_EQ(mali.error, -EINVAL);
	Pgtable v7s(ARMATURE_PGTABLE_ARM_V7S, make_cfg(SZ_4K | SZ_64K | SZ_1M | SZ_16M, 32, 32, quirk::arm_contig));
	KCPP_EXPECT_EQ(v7s.error, -EINVAL);
	Pgtable hd(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(lpae_4k, 48, 48, quirk::arm_contig | quirk::arm_hd));
	KCPP_EXPECT_EQ(hd.error, -EINVAL);

	Pgtable nc(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(lpae_4k, 48, 48, quirk::arm_contig, false));
	KCPP_ASSERT_EQ(nc.error, 0);
	KCPP_ASSERT_EQ(nc.map(iova, pa, SZ_4K, rw, r), 0);
	KCPP_EXPECT_EQ(nc.unmap(iova + SZ_4K, SZ_4K), SZ_4K);
	Entries e = entries(nc, g, iova, pa, r);
	KCPP_EXPECT_EQ(e.valid, r - 1);
	KCPP_EXPECT_EQ(e.contig, 0u);
	KCPP_EXPECT_EQ(nc.phys(iova + 2 * SZ_4K + 1), pa + 2 * SZ_4K + 1);
}
