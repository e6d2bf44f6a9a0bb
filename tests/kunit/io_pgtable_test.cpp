// SPDX-License-Identifier: GPL-2.0
// Tests of the io-pgtable formats through the allocation API. In KUnit
// (suite armature_io_pgtable) they go through the core and the format
// modules it loads; on the host through the same format code on a model of
// physical memory. io_pgtable_test_env.hpp (one per platform) provides
// alloc_ops/free_ops, phys_to_virt and tables_in_use.
#include <kcpp_test.hpp>

#include "io_pgtable_test.hpp"

using namespace armature::iopt;
using iopt_test::free_ops;
using iopt_test::make_cfg;
using iopt_test::Pgtable;
using iopt_test::TlbLog;

namespace {

constexpr int rw = prot::read | prot::write;
constexpr u64 free_iova = 0x400000;

const unsigned long granule_sets[] = {
	SZ_4K | SZ_2M | SZ_1G,
	SZ_16K | SZ_32M,
	SZ_64K | SZ_512M,
};
const unsigned input_sizes[] = {32, 36, 40, 42, 44, 48};
const unsigned output_sizes[] = {32, 36, 40, 42, 44, 48};

// The descriptor for iova at level (0-3) of a 4K-granule, 4-level table.
u64 descriptor_4k(u64 ttbr, u64 iova, unsigned level)
{
	u64 table = ttbr & lpae::Desc::oa_mask;
	for (unsigned l = 0;; l++) {
		auto *ptes = static_cast<u64 *>(iopt_test::phys_to_virt(table));
		u64 pte = ptes[(iova >> (39 - 9 * l)) & 511];
		if (l == level)
			return pte;
		table = pte & lpae::Desc::oa_mask;
	}
}

} // namespace

// Upstream's LPAE selftest, over every granule x ias x oas and both stages:
// empty tables translate nothing; a mapping of each page size translates and
// refuses an overlapping map; unmap, then remap, each size.
KCPP_TEST(iopt_lpae, granules_ias_oas_stages)
{
	const long tables_before = iopt_test::tables_in_use();
	const armature_pgtable_fmt fmts[] = {ARMATURE_PGTABLE_ARM_64_LPAE_S1,
					     ARMATURE_PGTABLE_ARM_64_LPAE_S2};
	for (armature_pgtable_fmt fmt : fmts)
		for (unsigned long sizes : granule_sets)
			for (unsigned ias : input_sizes)
				for (unsigned oas : output_sizes) {
					Pgtable t(fmt, make_cfg(sizes, ias, oas));
					KCPP_ASSERT_EQ(t.error, 0);
					KCPP_EXPECT_EQ(t.phys(42), 0u);
					KCPP_EXPECT_EQ(t.phys(SZ_1G + 42), 0u);
					KCPP_EXPECT_EQ(t.phys(2 * SZ_1G + 42), 0u);

					u64 iova = 0;
					for (u64 size = 1; size; size <<= 1) {
						if (!(t.cfg.pgsize_bitmap & size))
							continue;
						KCPP_EXPECT_EQ(t.map(iova, iova, size, rw | prot::noexec | prot::cache), 0);
						KCPP_EXPECT_EQ(t.map(iova, iova + size, size, prot::read | prot::noexec),
							       -EEXIST);
						KCPP_EXPECT_EQ(t.phys(iova + 42), iova + 42);
						iova += SZ_1G;
					}
					iova = 0;
					for (u64 size = 1; size; size <<= 1) {
						if (!(t.cfg.pgsize_bitmap & size))
							continue;
						KCPP_EXPECT_EQ(t.unmap(iova, size), size);
						KCPP_EXPECT_EQ(t.phys(iova + 42), 0u);
						KCPP_EXPECT_EQ(t.map(iova, iova, size, prot::write), 0);
						KCPP_EXPECT_EQ(t.phys(iova + 42), iova + 42);
						iova += SZ_1G;
					}
				}
	KCPP_EXPECT_EQ(iopt_test::tables_in_use(), tables_before);
}

// Registers of a stage-1 table: TCR fields, MAIR, TTBR.
KCPP_TEST(iopt_lpae, stage1_registers)
{
	Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K | SZ_2M | SZ_1G, 48, 48));
	KCPP_ASSERT_EQ(t.error, 0);
	const auto &s1 = t.cfg.arm_lpae_s1_cfg;
	KCPP_EXPECT_EQ(s1.tcr.tsz, 16u);
	KCPP_EXPECT_EQ(s1.tcr.ips, 5u);
	KCPP_EXPECT_EQ(s1.tcr.tg, 0u);
	KCPP_EXPECT_EQ(s1.tcr.sh, 3u);
	KCPP_EXPECT_EQ(s1.tcr.irgn, 1u);
	KCPP_EXPECT_EQ(s1.tcr.orgn, 1u);
	KCPP_EXPECT_EQ(s1.mair, 0xf404ff44ull);
	KCPP_EXPECT_NE(s1.ttbr, 0ull);
	KCPP_EXPECT_EQ(s1.ttbr & 0xfff, 0ull);

	Pgtable nc(ARMATURE_PGTABLE_ARM_64_LPAE_S1,
		   make_cfg(SZ_16K, 36, 40, quirk::outer_wbwa, false));
	KCPP_ASSERT_EQ(nc.error, 0);
	KCPP_EXPECT_EQ(nc.cfg.arm_lpae_s1_cfg.tcr.sh, 2u);
	KCPP_EXPECT_EQ(nc.cfg.arm_lpae_s1_cfg.tcr.irgn, 0u);
	KCPP_EXPECT_EQ(nc.cfg.arm_lpae_s1_cfg.tcr.orgn, 1u);
	KCPP_EXPECT_EQ(nc.cfg.arm_lpae_s1_cfg.tcr.tg, 2u);
	KCPP_EXPECT_EQ(nc.cfg.arm_lpae_s1_cfg.tcr.ips, 2u);
	KCPP_EXPECT_EQ(nc.cfg.arm_lpae_s1_cfg.tcr.tsz, 28u);
}

// The descriptors of stage 1: attributes for each prot, table descriptors.
KCPP_TEST(iopt_lpae, stage1_descriptors)
{
	Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K | SZ_2M | SZ_1G, 48, 48));
	KCPP_ASSERT_EQ(t.error, 0);
	const u64 ttbr = t.cfg.arm_lpae_s1_cfg.ttbr;
	KCPP_ASSERT_EQ(t.map(0x1000, 0x40001000, SZ_4K, prot::read | prot::cache), 0);
	KCPP_ASSERT_EQ(t.map(0x200000, 0x40200000, SZ_2M, rw | prot::noexec | prot::priv), 0);
	KCPP_ASSERT_EQ(t.map(0x400000, 0x40400000, SZ_2M, prot::write | prot::mmio), 0);

	// Page: valid page type, AttrIndx 1 (cacheable), AP read-only EL0, SH
	// inner, AF, nG.
	KCPP_EXPECT_EQ(descriptor_4k(ttbr, 0x1000, 3),
		       0x40001000ull | 3 | (1 << 2) | (3 << 6) | (3 << 8) | (1 << 10) | (1 << 11));
	// Block: privileged, XN, outer shareable (not cacheable).
	KCPP_EXPECT_EQ(descriptor_4k(ttbr, 0x200000, 2),
		       0x40200000ull | 1 | (2 << 8) | (1 << 10) | (1 << 11) | (3ull << 53));
	KCPP_EXPECT_EQ(descriptor_4k(ttbr, 0x400000, 2),
		       0x40400000ull | 1 | (2 << 2) | (1 << 6) | (2 << 8) | (1 << 10) | (1 << 11));
	// Table descriptors: type 3, nothing else but the address.
	KCPP_EXPECT_EQ(descriptor_4k(ttbr, 0x1000, 0) & ~lpae::Desc::oa_mask, 3ull);
	KCPP_EXPECT_EQ(descriptor_4k(ttbr, 0x1000, 2) & ~lpae::Desc::oa_mask, 3ull);
}

KCPP_TEST(iopt_lpae, stage2_descriptors_and_concatenation)
{
	// 4K, ias 40: a 2-entry level 0 becomes two concatenated level-1 tables.
	Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S2, make_cfg(SZ_4K | SZ_2M | SZ_1G, 40, 40));
	KCPP_ASSERT_EQ(t.error, 0);
	const auto &s2 = t.cfg.arm_lpae_s2_cfg;
	KCPP_EXPECT_EQ(s2.vtcr.tsz, 24u);
	KCPP_EXPECT_EQ(s2.vtcr.sl, 1u);	// start at level 1
	KCPP_EXPECT_EQ(s2.vtcr.ps, 2u);
	KCPP_EXPECT_EQ(s2.vtcr.sh, 3u);
	const u64 high = (1ull << 39) + SZ_1G;	// in the second level-1 table
	KCPP_ASSERT_EQ(t.map(high, 0x80000000, SZ_1G, prot::read | prot::cache), 0);
	KCPP_EXPECT_EQ(t.phys(high + 0x1234), 0x80001234ull);
	auto *pgd = static_cast<u64 *>(iopt_test::phys_to_virt(s2.vttbr));
	// Entry 513 of the concatenated pgd: a block with S2AP read, MemAttr
	// write-back, inner shareable, AF.
	KCPP_EXPECT_EQ(pgd[513], 0x80000000ull | 1 | (0xf << 2) | (1 << 6) | (3 << 8) | (1 << 10));
	KCPP_ASSERT_EQ(t.map(0, 0, SZ_4K, rw | prot::mmio), 0);
	KCPP_EXPECT_EQ(t.unmap(0, SZ_4K), SZ_4K);

	// 16K, ias 48 (level 0 of 2 entries): concatenated as well, SL0 = 2.
	Pgtable t16(ARMATURE_PGTABLE_ARM_64_LPAE_S2, make_cfg(SZ_16K | SZ_32M, 48, 48));
	KCPP_ASSERT_EQ(t16.error, 0);
	KCPP_EXPECT_EQ(t16.cfg.arm_lpae_s2_cfg.vtcr.sl, 2u);
	KCPP_EXPECT_EQ(t16.cfg.arm_lpae_s2_cfg.vtcr.tg, 2u);
}

// TTBR1: the table covers the top of the address space.
KCPP_TEST(iopt_lpae, ttbr1_upper_range)
{
	Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1,
		  make_cfg(SZ_4K | SZ_2M | SZ_1G, 48, 48, quirk::ttbr1));
	KCPP_ASSERT_EQ(t.error, 0);
	KCPP_EXPECT_EQ(t.cfg.arm_lpae_s1_cfg.tcr.tg, 2u);	// TG1 encoding of 4K
	const u64 top = ~0ull << 48;
	KCPP_EXPECT_EQ(t.map(top + SZ_2M, 0x1000000, SZ_4K, rw), 0);
	KCPP_EXPECT_EQ(t.phys(top + SZ_2M + 7), 0x1000007ull);
	KCPP_EXPECT_EQ(t.map(SZ_2M, 0x1000000, SZ_4K, rw), -ERANGE);
	KCPP_EXPECT_EQ(t.map((1ull << 63) + SZ_2M, 0x1000000, SZ_4K, rw), -ERANGE);
	KCPP_EXPECT_EQ(t.unmap(top + SZ_2M, SZ_4K), SZ_4K);
	KCPP_EXPECT_EQ(t.phys(top + SZ_2M), 0u);
}

KCPP_TEST(iopt_lpae, formats_32bit)
{
	// Stage 1: ias up to 32, oas up to 40, 4K granule only.
	Pgtable s1(ARMATURE_PGTABLE_ARM_32_LPAE_S1, make_cfg(SZ_4K | SZ_64K | SZ_2M | SZ_1G, 32, 40));
	KCPP_ASSERT_EQ(s1.error, 0);
	KCPP_EXPECT_EQ(s1.cfg.pgsize_bitmap, SZ_4K | SZ_2M | SZ_1G);
	KCPP_EXPECT_EQ(s1.map(0xfffff000, 0xff00000000ull, SZ_4K, rw), 0);
	KCPP_EXPECT_EQ(s1.phys(0xfffff010), 0xff00000010ull);
	Pgtable wide_in(ARMATURE_PGTABLE_ARM_32_LPAE_S1, make_cfg(SZ_4K, 33, 40));
	KCPP_EXPECT_EQ(wide_in.error, -EINVAL);
	Pgtable wide_out(ARMATURE_PGTABLE_ARM_32_LPAE_S1, make_cfg(SZ_4K, 32, 42));
	KCPP_EXPECT_EQ(wide_out.error, -EINVAL);

	// Stage 2: ias and oas up to 40.
	Pgtable s2(ARMATURE_PGTABLE_ARM_32_LPAE_S2, make_cfg(SZ_4K | SZ_2M, 40, 40));
	KCPP_ASSERT_EQ(s2.error, 0);
	KCPP_EXPECT_EQ(s2.map(0xff00000000ull, 0x200000, SZ_2M, prot::read), 0);
	KCPP_EXPECT_EQ(s2.phys(0xff00000042ull), 0x200042ull);
	Pgtable s2_wide(ARMATURE_PGTABLE_ARM_32_LPAE_S2, make_cfg(SZ_4K, 41, 40));
	KCPP_EXPECT_EQ(s2_wide.error, -EINVAL);
}

KCPP_TEST(iopt_lpae, mali)
{
	Pgtable t(ARMATURE_PGTABLE_ARM_MALI_LPAE, make_cfg(SZ_4K | SZ_2M | SZ_1G, 33, 40));
	KCPP_ASSERT_EQ(t.error, 0);
	const auto &mali = t.cfg.arm_mali_lpae_cfg;
	KCPP_EXPECT_EQ(mali.memattr, 0x888d88ull);
	KCPP_EXPECT_EQ(mali.transtab & 0xfff, 0x17ull);	// table mode, read inner, share outer
	KCPP_ASSERT_EQ(t.map(0x1000, 0x5000, SZ_4K, prot::read | prot::cache), 0);
	// Four levels whatever ias; the last level holds block-type entries and
	// no access flag; stage-2 style permissions.
	u64 pte = descriptor_4k(mali.transtab, 0x1000, 3);
	KCPP_EXPECT_EQ(pte, 0x5000ull | 1 | (1 << 2) | (1 << 6) | (2 << 8));
	KCPP_EXPECT_EQ(t.phys(0x1abc), 0x5abcull);
	KCPP_EXPECT_EQ(t.unmap(0x1000, SZ_4K), SZ_4K);
	Pgtable quirky(ARMATURE_PGTABLE_ARM_MALI_LPAE, make_cfg(SZ_4K, 33, 40, quirk::arm_ns));
	KCPP_EXPECT_EQ(quirky.error, -EINVAL);
	Pgtable wide(ARMATURE_PGTABLE_ARM_MALI_LPAE, make_cfg(SZ_4K, 48, 44));
	KCPP_EXPECT_EQ(wide.error, -EINVAL);
}

KCPP_TEST(iopt_lpae, quirks)
{
	Pgtable ns(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K, 48, 48, quirk::arm_ns));
	KCPP_ASSERT_EQ(ns.error, 0);
	KCPP_ASSERT_EQ(ns.map(0x1000, 0x1000, SZ_4K, rw), 0);
	const u64 ttbr = ns.cfg.arm_lpae_s1_cfg.ttbr;
	KCPP_EXPECT_EQ(descriptor_4k(ttbr, 0x1000, 3) & lpae::Desc::ns_mask, lpae::Desc::ns_mask);
	KCPP_EXPECT_EQ(descriptor_4k(ttbr, 0x1000, 1) & lpae::Desc::nstable_mask, lpae::Desc::nstable_mask);

	// Unknown to a format, or meaningless for the walker: refused.
	Pgtable s2_ns(ARMATURE_PGTABLE_ARM_64_LPAE_S2, make_cfg(SZ_4K, 48, 48, quirk::arm_ns));
	KCPP_EXPECT_EQ(s2_ns.error, -EINVAL);
	Pgtable mtk(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K, 48, 48, quirk::mtk_ext));
	KCPP_EXPECT_EQ(mtk.error, -EINVAL);
	Pgtable no_perms(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K, 48, 48, quirk::no_perms));
	KCPP_EXPECT_EQ(no_perms.error, -EINVAL);
	Pgtable bit2(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K, 48, 48, 1ul << 2));
	KCPP_EXPECT_EQ(bit2.error, -EINVAL);
	Pgtable wbwa(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K, 48, 48, quirk::outer_wbwa, true));
	KCPP_EXPECT_EQ(wbwa.error, -EINVAL);
	// No granule left, and an oas no TCR can describe.
	Pgtable no_granule(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_2M, 48, 48));
	KCPP_EXPECT_EQ(no_granule.error, -EINVAL);
	Pgtable odd_oas(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K, 48, 46));
	KCPP_EXPECT_EQ(odd_oas.error, -EINVAL);
}

// ARM_HD: writable mappings carry DBM; read_and_clear_dirty reports them and
// makes them writable-clean (AP[2] set); a second read finds nothing.
KCPP_TEST(iopt_lpae, dirty_tracking)
{
	Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K | SZ_2M | SZ_1G, 48, 48, quirk::arm_hd));
	KCPP_ASSERT_EQ(t.error, 0);
	KCPP_ASSERT_EQ(t.map(0x200000, 0x200000, SZ_2M, rw), 0);
	KCPP_ASSERT_EQ(t.map(0x400000, 0x400000, SZ_4K, rw, 4), 0);
	KCPP_ASSERT_EQ(t.map(0x800000, 0x800000, SZ_4K, prot::read), 0);
	const u64 ttbr = t.cfg.arm_lpae_s1_cfg.ttbr;
	KCPP_EXPECT_EQ(descriptor_4k(ttbr, 0x400000, 3) & (lpae::Desc::dbm_mask | lpae::Desc::ap_rdonly_mask), lpae::Desc::dbm_mask);
	KCPP_EXPECT_EQ(descriptor_4k(ttbr, 0x800000, 3) & (lpae::Desc::dbm_mask | lpae::Desc::ap_rdonly_mask), lpae::Desc::ap_rdonly_mask);

	iommu_iotlb_gather *gather = iopt_test::new_gather();
	iommu_dirty_bitmap *dirty = iopt_test::new_dirty_bitmap(gather);
	KCPP_ASSERT_TRUE(dirty != nullptr);
	// Look without clearing: the whole written range, still dirty after.
	KCPP_EXPECT_EQ(t.ops->read_and_clear_dirty(t.ops, 0, SZ_1G, dirty_no_clear, dirty), 0);
	KCPP_EXPECT_EQ(iopt_test::gather_start(gather), 0x200000ul);
	KCPP_EXPECT_EQ(iopt_test::gather_end(gather), 0x403ffful);
	KCPP_EXPECT_EQ(descriptor_4k(ttbr, 0x400000, 3) & lpae::Desc::ap_rdonly_mask, 0ull);
	// Read and clear a part: only that part becomes clean.
	iopt_test::reset_gather(gather);
	KCPP_EXPECT_EQ(t.ops->read_and_clear_dirty(t.ops, 0x401000, 2 * SZ_4K, 0, dirty), 0);
	KCPP_EXPECT_EQ(iopt_test::gather_start(gather), 0x401000ul);
	KCPP_EXPECT_EQ(iopt_test::gather_end(gather), 0x402ffful);
	KCPP_EXPECT_EQ(descriptor_4k(ttbr, 0x401000, 3) & lpae::Desc::ap_rdonly_mask, lpae::Desc::ap_rdonly_mask);
	KCPP_EXPECT_EQ(descriptor_4k(ttbr, 0x403000, 3) & lpae::Desc::ap_rdonly_mask, 0ull);
	// A second read and clear of that part finds it clean.
	iopt_test::reset_gather(gather);
	KCPP_EXPECT_EQ(t.ops->read_and_clear_dirty(t.ops, 0x401000, 2 * SZ_4K, 0, dirty), 0);
	KCPP_EXPECT_EQ(iopt_test::gather_end(gather), 0ul);
	// The clean mapping still translates (it is read-only until the walker
	// sets it dirty again).
	KCPP_EXPECT_EQ(t.phys(0x401010), 0x401010ull);
	KCPP_EXPECT_EQ(t.ops->read_and_clear_dirty(t.ops, 0, 0, 0, dirty), -EINVAL);
	KCPP_EXPECT_EQ(t.ops->read_and_clear_dirty(t.ops, 1ull << 48, SZ_4K, 0, dirty), -EINVAL);

	Pgtable s2(ARMATURE_PGTABLE_ARM_64_LPAE_S2, make_cfg(SZ_4K, 48, 48));
	KCPP_ASSERT_EQ(s2.error, 0);
	KCPP_EXPECT_EQ(s2.ops->read_and_clear_dirty(s2.ops, 0, SZ_4K, 0, dirty), -EINVAL);
	// Without ARM_HD nothing is ever writable-dirty.
	Pgtable plain(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K, 48, 48));
	KCPP_ASSERT_EQ(plain.error, 0);
	KCPP_ASSERT_EQ(plain.map(0, 0, SZ_4K, rw), 0);
	iopt_test::reset_gather(gather);
	KCPP_EXPECT_EQ(plain.ops->read_and_clear_dirty(plain.ops, 0, SZ_4K, 0, dirty), 0);
	KCPP_EXPECT_EQ(iopt_test::gather_end(gather), 0ul);
	iopt_test::delete_dirty_bitmap(dirty, gather);
}

// One map_pages/unmap_pages call covers several last-level tables.
KCPP_TEST(iopt_lpae, map_pages_across_tables)
{
	const long tables_before = iopt_test::tables_in_use();
	{
		Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K | SZ_2M | SZ_1G, 48, 48));
		KCPP_ASSERT_EQ(t.error, 0);
		const u64 iova = SZ_1G - 16 * SZ_4K;	// crosses level-1 and level-2 boundaries
		unsigned long mapped = 0;
		KCPP_EXPECT_EQ(t.map(iova, 0x10000000, SZ_4K, rw, 1040, &mapped), 0);
		KCPP_EXPECT_EQ(mapped, 1040 * SZ_4K);
		bool all = true;
		for (u64 i = 0; i < 1040; i++)
			all &= t.phys(iova + i * SZ_4K + 5) == 0x10000000 + i * SZ_4K + 5;
		KCPP_EXPECT_TRUE(all);
		KCPP_EXPECT_EQ(t.phys(iova - 1), 0u);
		KCPP_EXPECT_EQ(t.phys(iova + 1040 * SZ_4K), 0u);
		// A map over the middle fails whole and changes nothing.
		KCPP_EXPECT_EQ(t.map(iova - SZ_4K, 0, SZ_4K, rw, 3, &mapped), -EEXIST);
		KCPP_EXPECT_EQ(mapped, 0ul);
		KCPP_EXPECT_EQ(t.phys(iova - SZ_4K), 0u);
		KCPP_EXPECT_EQ(t.phys(iova + 5), 0x10000005ull);
		// 2 MiB blocks across a level-1 boundary.
		KCPP_EXPECT_EQ(t.map(3 * SZ_1G - 2 * SZ_2M, 0, SZ_2M, rw, 4, &mapped), 0);
		KCPP_EXPECT_EQ(t.phys(3 * SZ_1G + SZ_2M + 1), 3 * SZ_2M + 1);
		KCPP_EXPECT_EQ(t.unmap(3 * SZ_1G - 2 * SZ_2M, SZ_2M, 4), 4 * SZ_2M);
		KCPP_EXPECT_EQ(t.unmap(iova, SZ_4K, 1040), 1040 * SZ_4K);
		KCPP_EXPECT_EQ(t.phys(iova + 5), 0u);
		// Unmapping stops at the first hole.
		KCPP_EXPECT_EQ(t.map(0, 0, SZ_4K, rw, 2), 0);
		KCPP_EXPECT_EQ(t.unmap(0, SZ_4K, 3), 2 * SZ_4K);
	}
	KCPP_EXPECT_EQ(iopt_test::tables_in_use(), tables_before);
}

// Current upstream (6.13+) no longer splits a block on a partial unmap:
// nothing is unmapped and the block stays whole. So do we.
KCPP_TEST(iopt_lpae, partial_unmap_of_a_block)
{
	Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K | SZ_2M | SZ_1G, 48, 48));
	KCPP_ASSERT_EQ(t.error, 0);
	KCPP_ASSERT_EQ(t.map(SZ_1G, SZ_1G, SZ_1G, rw), 0);
	KCPP_EXPECT_EQ(t.unmap(SZ_1G + SZ_2M, SZ_4K), 0u);
	KCPP_EXPECT_EQ(t.unmap(SZ_1G + SZ_2M, SZ_2M), 0u);
	KCPP_EXPECT_EQ(t.phys(SZ_1G + SZ_2M + 3), SZ_1G + SZ_2M + 3);
	KCPP_EXPECT_EQ(t.unmap(SZ_1G, SZ_1G), SZ_1G);

	// Unmapping at block size where pages are mapped takes the whole table
	// (as upstream), with a walk-cache flush for it.
	KCPP_ASSERT_EQ(t.map(SZ_2M, 0, SZ_4K, rw, 3), 0);
	KCPP_EXPECT_EQ(t.unmap(SZ_2M, SZ_2M), SZ_2M);
	KCPP_EXPECT_EQ(t.tlb.flush_walk, 1);
	KCPP_EXPECT_EQ(t.tlb.last_iova, SZ_2M);
	KCPP_EXPECT_EQ(t.phys(SZ_2M + SZ_4K), 0u);
	// And a block can then be mapped where the pages were.
	KCPP_EXPECT_EQ(t.map(SZ_2M, SZ_2M, SZ_2M, rw), 0);
	KCPP_EXPECT_EQ(t.phys(SZ_2M + 9), SZ_2M + 9);
}

// Bad input: the errno upstream's stack returns, and the table unchanged.
KCPP_TEST(iopt_lpae, bad_input_changes_nothing)
{
	Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K | SZ_2M | SZ_1G, 39, 40));
	KCPP_ASSERT_EQ(t.error, 0);
	KCPP_ASSERT_EQ(t.map(SZ_2M, SZ_2M, SZ_4K, rw), 0);
	const long tables = iopt_test::tables_in_use();

	KCPP_EXPECT_EQ(t.map(SZ_2M + 0x800, 0, SZ_4K, rw), -EINVAL);		// misaligned iova
	KCPP_EXPECT_EQ(t.map(free_iova, 0x10, SZ_4K, rw), -EINVAL);		// misaligned paddr
	KCPP_EXPECT_EQ(t.map(free_iova, 0, SZ_16K, rw), -EINVAL);		// not in pgsize_bitmap
	KCPP_EXPECT_EQ(t.map(free_iova, 0, SZ_4K | SZ_2M, rw), -EINVAL);	// not one size
	KCPP_EXPECT_EQ(t.map(free_iova, 0, 0, rw), -EINVAL);
	KCPP_EXPECT_EQ(t.map(1ull << 39, 0, SZ_4K, rw), -ERANGE);		// beyond ias
	KCPP_EXPECT_EQ(t.map((1ull << 39) - SZ_4K, 0, SZ_4K, rw, 2), -ERANGE);	// ends beyond ias
	KCPP_EXPECT_EQ(t.map(free_iova, 1ull << 40, SZ_4K, rw), -ERANGE);	// beyond oas
	KCPP_EXPECT_EQ(t.map(free_iova, 0, SZ_4K, prot::cache | prot::noexec), -EINVAL);
	KCPP_EXPECT_EQ(t.map(SZ_2M, 0, SZ_4K, rw), -EEXIST);			// over a page
	KCPP_EXPECT_EQ(t.map(0, 0, SZ_2M, rw, 2), -EEXIST);			// block over a page
	KCPP_EXPECT_EQ(t.phys(0), 0u);
	KCPP_EXPECT_EQ(t.map(0, 0, SZ_1G, rw), -EEXIST);

	KCPP_EXPECT_EQ(iopt_test::tables_in_use(), tables);
	KCPP_EXPECT_EQ(t.phys(SZ_2M + 1), SZ_2M + 1);
	KCPP_EXPECT_EQ(t.phys(free_iova), 0u);
	KCPP_EXPECT_EQ(t.phys(0), 0u);

	KCPP_EXPECT_EQ(t.unmap(SZ_2M + 0x800, SZ_4K), 0u);
	KCPP_EXPECT_EQ(t.unmap(SZ_2M, SZ_16K), 0u);
	KCPP_EXPECT_EQ(t.unmap(SZ_2M, SZ_4K, 0), 0u);
	KCPP_EXPECT_EQ(t.unmap(1ull << 39, SZ_4K), 0u);
	KCPP_EXPECT_EQ(t.unmap(free_iova, SZ_4K), 0u);			// nothing there
	// A run past the end of the input range must not wrap round to iova 0.
	KCPP_ASSERT_EQ(t.map(0, 0x5000, SZ_4K, rw), 0);
	KCPP_ASSERT_EQ(t.map((1ull << 39) - SZ_4K, 0x6000, SZ_4K, rw), 0);
	KCPP_EXPECT_EQ(t.unmap((1ull << 39) - SZ_4K, SZ_4K, 2), 0u);
	KCPP_EXPECT_EQ(t.phys(0), 0x5000ull);
	KCPP_EXPECT_EQ(t.phys((1ull << 39) - SZ_4K + 1), 0x6001ull);
	KCPP_EXPECT_EQ(t.phys(SZ_2M + 1), SZ_2M + 1);
}

// Unmap reports each page to tlb_add_page unless the gather is queued;
// freeing flushes the whole TLB.
KCPP_TEST(iopt_lpae, tlb_maintenance)
{
	TlbLog *log;
	iommu_iotlb_gather *gather = iopt_test::new_gather();
	KCPP_ASSERT_TRUE(gather != nullptr);
	{
		Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K | SZ_2M, 48, 48));
		KCPP_ASSERT_EQ(t.error, 0);
		log = &t.tlb;
		KCPP_ASSERT_EQ(t.map(0, 0, SZ_4K, rw, 8), 0);
		KCPP_EXPECT_EQ(t.unmap(0, SZ_4K, 3, gather), 3 * SZ_4K);
		KCPP_EXPECT_EQ(t.tlb.add_page, 3);
		KCPP_EXPECT_EQ(t.tlb.last_iova, 2 * SZ_4K);
		KCPP_EXPECT_EQ(t.unmap(3 * SZ_4K, SZ_4K, 2), 2 * SZ_4K);	// no gather
		KCPP_EXPECT_EQ(t.tlb.add_page, 3);
		iopt_test::set_gather_queued(gather, true);
		KCPP_EXPECT_EQ(t.unmap(5 * SZ_4K, SZ_4K, 3, gather), 3 * SZ_4K);
		KCPP_EXPECT_EQ(t.tlb.add_page, 3);
		KCPP_EXPECT_EQ(t.tlb.flush_all, 0);
		// A block over an (empty) table replaces it and flushes its walks.
		KCPP_EXPECT_EQ(t.map(0, 0, SZ_2M, rw), 0);
		KCPP_EXPECT_EQ(t.tlb.flush_walk, 1);
		free_ops(t.ops);
		KCPP_EXPECT_EQ(log->flush_all, 1);
		t.ops = nullptr;
	}
	iopt_test::delete_gather(gather);
}

// Runs of pages through the bulk loops: odd starts and lengths (the tails
// of the paired stores), across a table boundary; a run with one mapped
// page in it refused whole; unmap stopping at the first hole, each page
// reported; a 64K run whose output address crosses 2^48.
KCPP_TEST(iopt_lpae, bulk_runs)
{
	iommu_iotlb_gather *gather = iopt_test::new_gather();
	KCPP_ASSERT_TRUE(gather != nullptr);
	{
		Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K | SZ_2M, 48, 48));
		KCPP_ASSERT_EQ(t.error, 0);
		const u64 iova = SZ_2M - 3 * SZ_4K, pa = 0x40000000;	// 3 + 4 pages
		unsigned long mapped = 0;
		KCPP_ASSERT_EQ(t.map(iova, pa, SZ_4K, rw, 7, &mapped), 0);
		KCPP_EXPECT_EQ(mapped, 7 * SZ_4K);
		for (u64 i = 0; i < 7; i++)
			KCPP_EXPECT_EQ(t.phys(iova + i * SZ_4K + 5), pa + i * SZ_4K + 5);
		KCPP_EXPECT_EQ(t.phys(iova - SZ_4K), 0u);
		KCPP_EXPECT_EQ(t.phys(iova + 7 * SZ_4K), 0u);
		KCPP_EXPECT_EQ(t.map(iova - 5 * SZ_4K, 0, SZ_4K, rw, 6, &mapped), -EEXIST);
		KCPP_EXPECT_EQ(t.phys(iova - 5 * SZ_4K), 0u);
		KCPP_EXPECT_EQ(t.phys(iova), pa);
		KCPP_EXPECT_EQ(t.unmap(iova + 2 * SZ_4K, SZ_4K, 9, gather), 5 * SZ_4K);
		KCPP_EXPECT_EQ(t.tlb.add_page, 5);
		KCPP_EXPECT_EQ(t.tlb.last_iova, iova + 6 * SZ_4K);
		KCPP_EXPECT_EQ(t.unmap(iova, SZ_4K, 2, gather), 2 * SZ_4K);
		KCPP_EXPECT_EQ(t.tlb.add_page, 7);
		for (u64 i = 0; i < 7; i++)
			KCPP_EXPECT_EQ(t.phys(iova + i * SZ_4K), 0u);
	}
	iopt_test::delete_gather(gather);

	Pgtable wide(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_64K | SZ_512M, 52, 52));
	KCPP_ASSERT_EQ(wide.error, 0);
	const u64 pa = (1ull << 48) - 2 * SZ_64K;
	KCPP_ASSERT_EQ(wide.map(0, pa, SZ_64K, rw, 4), 0);
	for (u64 i = 0; i < 4; i++)
		KCPP_EXPECT_EQ(wide.phys(i * SZ_64K + 9), pa + i * SZ_64K + 9);
	KCPP_EXPECT_EQ(wide.unmap(0, SZ_64K, 4), 4 * SZ_64K);
}

// The 64K granule with 52-bit output: PA[51:48] in descriptor bits [15:12],
// and the 4T level-1 block.
KCPP_TEST(iopt_lpae, granule_64k_52bit_output)
{
	Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_64K | SZ_512M | (1ull << 42), 52, 52));
	KCPP_ASSERT_EQ(t.error, 0);
	KCPP_EXPECT_EQ(t.cfg.pgsize_bitmap, SZ_64K | SZ_512M | (1ull << 42));
	KCPP_EXPECT_EQ(t.cfg.arm_lpae_s1_cfg.tcr.ips, 6u);
	const u64 pa = 0xa000000010000ull;	// bits 51 and 49 set
	KCPP_ASSERT_EQ(t.map(SZ_64K, pa, SZ_64K, rw), 0);
	KCPP_EXPECT_EQ(t.phys(SZ_64K + 0x1234), pa + 0x1234);
	KCPP_ASSERT_EQ(t.map(1ull << 42, 1ull << 43, 1ull << 42, rw), 0);
	KCPP_EXPECT_EQ(t.phys((1ull << 42) + 77), (1ull << 43) + 77);
	KCPP_EXPECT_EQ(t.unmap(1ull << 42, 1ull << 42), 1ull << 42);
	// Without 52-bit output there is no 4T block.
	Pgtable narrow(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_64K | SZ_512M | (1ull << 42), 48, 48));
	KCPP_ASSERT_EQ(narrow.error, 0);
	KCPP_EXPECT_EQ(narrow.cfg.pgsize_bitmap, SZ_64K | SZ_512M);
}

// A walker that is not coherent gets every write pushed out; table
// descriptors it has been shown carry the software SYNC bit.
KCPP_TEST(iopt_lpae, non_coherent_walker)
{
	Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K | SZ_2M, 48, 48, 0, false));
	KCPP_ASSERT_EQ(t.error, 0);
	KCPP_ASSERT_EQ(t.map(SZ_2M, SZ_2M, SZ_4K, rw, 2), 0);
	KCPP_EXPECT_EQ(t.phys(SZ_2M + SZ_4K), SZ_2M + SZ_4K);
	const u64 ttbr = t.cfg.arm_lpae_s1_cfg.ttbr;
	KCPP_EXPECT_EQ(descriptor_4k(ttbr, SZ_2M, 0) & lpae::Desc::sw_sync_mask, lpae::Desc::sw_sync_mask);
	KCPP_EXPECT_EQ(descriptor_4k(ttbr, SZ_2M, 2) & lpae::Desc::sw_sync_mask, lpae::Desc::sw_sync_mask);
	KCPP_EXPECT_EQ(t.unmap(SZ_2M, SZ_4K, 2), 2 * SZ_4K);
	KCPP_EXPECT_EQ(t.phys(SZ_2M), 0u);
}

// S2FWB: stage 2 forces the memory type. IOMMU_CACHE is MemAttr 0b0110
// (forced write-back); MMIO (Device-nGnRE) and neither (non-cacheable) read
// the same as without FWB. Only 64-bit stage 2 takes the quirk.
KCPP_TEST(iopt_lpae, s2fwb)
{
	Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S2, make_cfg(SZ_4K | SZ_2M | SZ_1G, 48, 48, quirk::s2fwb));
	KCPP_ASSERT_EQ(t.error, 0);
	KCPP_ASSERT_EQ(t.map(0x1000, 0x81000, SZ_4K, rw | prot::cache), 0);
	KCPP_ASSERT_EQ(t.map(0x2000, 0x82000, SZ_4K, rw | prot::mmio), 0);
	KCPP_ASSERT_EQ(t.map(0x3000, 0x83000, SZ_4K, rw), 0);
	const u64 vttbr = t.cfg.arm_lpae_s2_cfg.vttbr;
	// Page, MemAttr, S2AP read/write, inner shareable, AF.
	KCPP_EXPECT_EQ(descriptor_4k(vttbr, 0x1000, 3), 0x81000ull | 3 | (0x6 << 2) | (3 << 6) | (3 << 8) | (1 << 10));
	KCPP_EXPECT_EQ((descriptor_4k(vttbr, 0x2000, 3) >> 2) & 0xf, 0x1ull);
	KCPP_EXPECT_EQ((descriptor_4k(vttbr, 0x3000, 3) >> 2) & 0xf, 0x5ull);
	KCPP_EXPECT_EQ(t.phys(0x1234), 0x81234ull);

	for (armature_pgtable_fmt fmt : {ARMATURE_PGTABLE_ARM_64_LPAE_S1, ARMATURE_PGTABLE_ARM_32_LPAE_S2,
					 ARMATURE_PGTABLE_ARM_MALI_LPAE}) {
		Pgtable refused(fmt, make_cfg(SZ_4K, 40, 40, quirk::s2fwb));
		KCPP_EXPECT_EQ(refused.error, -EINVAL);
	}
}

// NO_WARN: a map over a mapping and an unmap inside a block fail as before
// but are not reported; bad arguments still are.
KCPP_TEST(iopt_lpae, no_warn)
{
	Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K | SZ_2M | SZ_1G, 48, 48, quirk::no_warn));
	KCPP_ASSERT_EQ(t.error, 0);
	KCPP_ASSERT_EQ(t.map(SZ_2M, SZ_2M, SZ_2M, rw), 0);
	long reports = iopt_test::reports();
	KCPP_EXPECT_EQ(t.map(SZ_2M, 0, SZ_2M, rw), -EEXIST);
	KCPP_EXPECT_EQ(t.map(SZ_2M + SZ_4K, 0, SZ_4K, rw), -EEXIST);
	KCPP_EXPECT_EQ(t.unmap(SZ_2M + SZ_4K, SZ_4K), 0u);
	KCPP_EXPECT_EQ(iopt_test::reports(), reports);
	KCPP_EXPECT_EQ(t.unmap(SZ_2M + 0x800, SZ_4K), 0u);
	KCPP_EXPECT_EQ(iopt_test::reports(), reports + 1);
	KCPP_EXPECT_EQ(t.phys(SZ_2M + 5), SZ_2M + 5);

	// The same calls without the quirk are reported.
	Pgtable loud(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(SZ_4K | SZ_2M | SZ_1G, 48, 48));
	KCPP_ASSERT_EQ(loud.error, 0);
	KCPP_ASSERT_EQ(loud.map(SZ_2M, SZ_2M, SZ_2M, rw), 0);
	reports = iopt_test::reports();
	KCPP_EXPECT_EQ(loud.map(SZ_2M, 0, SZ_2M, rw), -EEXIST);
	KCPP_EXPECT_EQ(loud.unmap(SZ_2M + SZ_4K, SZ_4K), 0u);
	KCPP_EXPECT_EQ(iopt_test::reports(), reports + 2);

	// Accepted by both stages, 64- and 32-bit; not by Mali.
	for (armature_pgtable_fmt fmt : {ARMATURE_PGTABLE_ARM_64_LPAE_S2, ARMATURE_PGTABLE_ARM_32_LPAE_S1,
					 ARMATURE_PGTABLE_ARM_32_LPAE_S2}) {
		Pgtable accepted(fmt, make_cfg(SZ_4K, 32, 40, quirk::no_warn));
		KCPP_EXPECT_EQ(accepted.error, 0);
	}
	Pgtable mali(ARMATURE_PGTABLE_ARM_MALI_LPAE, make_cfg(SZ_4K, 32, 40, quirk::no_warn));
	KCPP_EXPECT_EQ(mali.error, -EINVAL);
	Pgtable v7s(ARMATURE_PGTABLE_ARM_V7S, make_cfg(SZ_4K | SZ_64K | SZ_1M | SZ_16M, 32, 32, quirk::no_warn));
	KCPP_EXPECT_EQ(v7s.error, -EINVAL);
}

namespace {

// ptes[] where pgtable_walk has not written.
constexpr unsigned long long unwritten = 0x5a5a5a5a5a5a5a5aull;

// The walk to iova through t by hand: each level's descriptor, read from
// the table the level above points to (pgd at start), into ptes[level].
void walk_by_hand(const Pgtable &t, u64 pgd_pa, unsigned start, u64 iova, unsigned leaf, u64 *ptes)
{
	const unsigned pg_shift = std::countr_zero(static_cast<u64>(t.cfg.pgsize_bitmap));
	const unsigned bits = pg_shift - 3;
	u64 table = pgd_pa;
	for (unsigned l = start; l <= leaf; l++) {
		const unsigned shift = (4 - l) * bits + 3;
		const u64 mask = l == start ? (u64(1) << (t.cfg.ias - shift)) - 1 : (u64(1) << bits) - 1;
		ptes[l] = static_cast<const u64 *>(iopt_test::phys_to_virt(table))[(iova >> shift) & mask];
		table = pg_shift == 16 ? lpae::pte_to_oa<16>(ptes[l]) : lpae::pte_to_oa<12>(ptes[l]);
	}
}

} // namespace

// pgtable_walk: each level's descriptor down to the leaf, and nothing
// written below it; for an unmapped iova -EINVAL (upstream's), with the
// empty entry it stopped at recorded.
KCPP_TEST(iopt_lpae, pgtable_walk)
{
	struct Case {
		u64 pgsizes, page, block;
		unsigned start;
	};
	// ias 48: 4K and 16K start at level 0, 64K at level 1.
	const Case cases[] = {{SZ_4K | SZ_2M | SZ_1G, SZ_4K, SZ_2M, 0},
			      {SZ_16K | SZ_32M, SZ_16K, SZ_32M, 0},
			      {SZ_64K | SZ_512M, SZ_64K, SZ_512M, 1}};
	for (const Case &c : cases) {
		Pgtable t(ARMATURE_PGTABLE_ARM_64_LPAE_S1, make_cfg(c.pgsizes, 48, 48));
		KCPP_ASSERT_EQ(t.error, 0);
		KCPP_ASSERT_TRUE(t.ops->pgtable_walk != nullptr);
		const u64 ttbr = t.cfg.arm_lpae_s1_cfg.ttbr;
		const u64 page_iova = 5 * c.block + 3 * c.page, block_iova = 9 * c.block;
		KCPP_ASSERT_EQ(t.map(page_iova, 0x80000000 + c.page, c.page, rw), 0);
		KCPP_ASSERT_EQ(t.map(block_iova, 4 * c.block, c.block, rw), 0);

		const struct {
			u64 iova;
			unsigned leaf;
			int ret;
		} walks[] = {{page_iova + 7, 3, 0}, {block_iova + c.page, 2, 0}, {page_iova + c.page, 3, -EINVAL},
			     {u64(1) << 47, c.start, -EINVAL}};
		for (const auto &w : walks) {
			armature_pgtable_lpae_walk_data wd;
			u64 expected[4];
			for (unsigned l = 0; l < 4; l++)
				wd.ptes[l] = expected[l] = unwritten;
			walk_by_hand(t, ttbr, c.start, w.iova, w.leaf, expected);
			KCPP_EXPECT_EQ(t.ops->pgtable_walk(t.ops, w.iova, &wd), w.ret);
			for (unsigned l = 0; l < 4; l++)
				KCPP_EXPECT_EQ(u64(wd.ptes[l]), expected[l]);
			const u64 type = wd.ptes[w.leaf] & lpae::Desc::type_mask;
			const u64 leaf_type = w.leaf == 3 ? u64(lpae::Desc::type_page) : u64(lpae::Desc::type_block);
			KCPP_EXPECT_EQ(type, w.ret ? u64(0) : leaf_type);
		}
	}
	// v7s has no walk.
	Pgtable v7s(ARMATURE_PGTABLE_ARM_V7S, make_cfg(SZ_4K | SZ_64K | SZ_1M | SZ_16M, 32, 32));
	KCPP_ASSERT_EQ(v7s.error, 0);
	KCPP_EXPECT_TRUE(v7s.ops->pgtable_walk == nullptr);
}

namespace {

// A table allocator of the test's own: counts what it is asked for, and
// remembers each table so that a free of what it did not hand out (or of
// another size) shows. misalign hands out tables 64 bytes off.
struct CountingAllocator {
	static constexpr int capacity = 16;
	struct Table {
		void *mem, *table;
		unsigned long size;
	} live[capacity] = {};
	int allocs = 0, frees = 0, bad_frees = 0;
	unsigned long last_size = 0;
	unsigned last_gfp = 0;
	bool misalign = false;

	static void *alloc(void *cookie, unsigned long size, unsigned int gfp)
	{
		auto *a = static_cast<CountingAllocator *>(cookie);
		for (Table &t : a->live) {
			if (t.mem)
				continue;
			t.mem = iopt_test::test_table_alloc(a->misalign ? 2 * size : size);
			if (!t.mem)
				return nullptr;
			t.table = static_cast<char *>(t.mem) + (a->misalign ? 64 : 0);
			t.size = size;
			a->allocs++;
			a->last_size = size;
			a->last_gfp = gfp;
			return t.table;
		}
		return nullptr;
	}
	static void free(void *cookie, void *pages, unsigned long size)
	{
		auto *a = static_cast<CountingAllocator *>(cookie);
		a->frees++;
		for (Table &t : a->live)
			if (t.mem && t.table == pages && t.size == size) {
				iopt_test::test_table_free(t.mem, a->misalign ? 2 * size : size);
				t.mem = nullptr;
				return;
			}
		a->bad_frees++;
	}
};

} // namespace

// cfg->alloc/free: every LPAE table comes from them with the cookie, the
// pgd at its own size (upstream asks that), each walk table at the granule
// with the map's gfp; all go back to free, non-coherent walkers included.
KCPP_TEST(iopt_lpae, custom_allocator)
{
	struct Case {
		armature_pgtable_fmt fmt;
		u64 pgsizes;
		unsigned ias, oas;
		bool coherent;
		unsigned long pgd_bytes;
		int tables;	// for one 4K page at iova 0, pgd included
	};
	const Case cases[] = {
		{ARMATURE_PGTABLE_ARM_64_LPAE_S1, SZ_4K | SZ_2M, 48, 48, true, 4096, 4},
		{ARMATURE_PGTABLE_ARM_64_LPAE_S1, SZ_4K | SZ_2M, 48, 48, false, 4096, 4},
		{ARMATURE_PGTABLE_ARM_32_LPAE_S1, SZ_4K | SZ_2M, 32, 40, true, 32, 3},
		{ARMATURE_PGTABLE_ARM_64_LPAE_S2, SZ_4K | SZ_2M, 40, 40, true, 8192, 3},	// 2 concatenated
		{ARMATURE_PGTABLE_ARM_MALI_LPAE, SZ_4K | SZ_2M, 48, 40, true, 4096, 4},
	};
	for (const Case &c : cases) {
		CountingAllocator a;
		armature_pgtable_cfg cfg = make_cfg(c.pgsizes, c.ias, c.oas, 0, c.coherent);
		cfg.tlb = nullptr;	// the cookie is the allocator's
		cfg.alloc = CountingAllocator::alloc;
		cfg.free = CountingAllocator::free;
		armature_pgtable_ops *ops = nullptr;
		KCPP_ASSERT_EQ(iopt_test::alloc_ops(c.fmt, &cfg, &a, &ops), 0);
		KCPP_EXPECT_EQ(a.allocs, 1);
		KCPP_EXPECT_EQ(a.last_size, c.pgd_bytes);
		unsigned long mapped = 0;
		KCPP_EXPECT_EQ(ops->map_pages(ops, 0, 0x80000000, SZ_4K, 1, rw, iopt_test::gfp_kernel, &mapped), 0);
		KCPP_EXPECT_EQ(ops->iova_to_phys(ops, 0x123), 0x80000123ull);
		KCPP_EXPECT_EQ(a.allocs, c.tables);
		KCPP_EXPECT_EQ(a.last_size, SZ_4K);
		KCPP_EXPECT_EQ(a.last_gfp, iopt_test::gfp_kernel);
		free_ops(ops);
		KCPP_EXPECT_EQ(a.frees, c.tables);
		KCPP_EXPECT_EQ(a.bad_frees, 0);
	}

	// Memory that is not aligned to its size is given back: no table.
	CountingAllocator misaligned;
	misaligned.misalign = true;
	armature_pgtable_cfg cfg = make_cfg(SZ_4K, 48, 48);
	cfg.tlb = nullptr;
	cfg.alloc = CountingAllocator::alloc;
	cfg.free = CountingAllocator::free;
	armature_pgtable_ops *ops = nullptr;
	const long reports = iopt_test::reports();
	KCPP_EXPECT_EQ(iopt_test::alloc_ops(ARMATURE_PGTABLE_ARM_64_LPAE_S1, &cfg, &misaligned, &ops), -ENOMEM);
	KCPP_EXPECT_EQ(misaligned.allocs, 1);
	KCPP_EXPECT_EQ(misaligned.frees, 1);
	KCPP_EXPECT_EQ(misaligned.bad_frees, 0);

	// Both hooks or neither, and only formats that take them (not v7s).
	CountingAllocator unused;
	cfg.free = nullptr;
	KCPP_EXPECT_EQ(iopt_test::alloc_ops(ARMATURE_PGTABLE_ARM_64_LPAE_S1, &cfg, &unused, &ops), -EINVAL);
	cfg.alloc = nullptr;
	cfg.free = CountingAllocator::free;
	KCPP_EXPECT_EQ(iopt_test::alloc_ops(ARMATURE_PGTABLE_ARM_64_LPAE_S1, &cfg, &unused, &ops), -EINVAL);
	armature_pgtable_cfg v7s = make_cfg(SZ_4K | SZ_64K | SZ_1M | SZ_16M, 32, 32);
	v7s.alloc = CountingAllocator::alloc;
	v7s.free = CountingAllocator::free;
	KCPP_EXPECT_EQ(iopt_test::alloc_ops(ARMATURE_PGTABLE_ARM_V7S, &v7s, &unused, &ops), -EINVAL);
	KCPP_EXPECT_EQ(unused.allocs, 0);
	KCPP_EXPECT_EQ(iopt_test::reports(), reports + 4);
}
