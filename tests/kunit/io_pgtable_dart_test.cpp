// SPDX-License-Identifier: GPL-2.0
// Tests of Apple's DART formats through the allocation API, in KUnit and on
// the host like io_pgtable_v7s_test.cpp. The expected descriptors are
// written out from the bit positions (valid 0; DART: subpage disable 1,
// no-write 7, no-read 8, PA[35:12] in place; DART2: no-cache 1, no-write 2,
// no-read 3, PA[41:14] in bits 37:10; both: subpage end 51:40, start 63:52),
// not taken from the format's constants.
#include <kcpp_test.hpp>

#include "io_pgtable_test.hpp"

using namespace armature::iopt;
using iopt_test::make_cfg;

namespace {

constexpr int rw = prot::read | prot::write;
constexpr u64 whole_page = 0xfffull << 40;	// subpages 0 to 0xfff

struct DartTable : iopt_test::Pgtable {
	armature_pgtable_fmt fmt;

	DartTable(armature_pgtable_fmt f, const armature_pgtable_cfg &c) : Pgtable(f, c), fmt(f) {}

	bool dart2() const { return fmt == ARMATURE_PGTABLE_APPLE_DART2; }
	unsigned pg_shift() const { return __builtin_ctzll(cfg.pgsize_bitmap); }
	unsigned bits() const { return pg_shift() - 3; }

	u64 table_pa(u64 desc) const
	{
		return dart2() ? (desc & 0x3ffffffc00ull) << 4 : desc & 0xffffff000ull;
	}
	const u64 *table(u64 pa) const { return static_cast<const u64 *>(iopt_test::phys_to_virt(pa)); }

	// iova's level-1 descriptor: TTBR by the bits above both levels.
	u64 l1(u64 iova) const
	{
		const u64 ttbr = cfg.apple_dart_cfg.ttbr[iova >> (pg_shift() + 2 * bits())];
		return table(ttbr)[(iova >> (pg_shift() + bits())) & ((1u << bits()) - 1)];
	}
	u64 leaf(u64 iova) const
	{
		const u64 desc = l1(iova);
		if (!(desc & 1))
			return 0;
		return table(table_pa(desc))[(iova >> pg_shift()) & ((1u << bits()) - 1)];
	}
};

} // namespace

// Empty tables translate nothing; a page maps, translates, refuses a map
// over it, unmaps and maps again; every table is freed.
KCPP_TEST(iopt_dart, selftest)
{
	const long tables_before = iopt_test::tables_in_use();
	const struct {
		armature_pgtable_fmt fmt;
		u64 granule;
		unsigned ias, oas;
	} configs[] = {
		{ARMATURE_PGTABLE_APPLE_DART, SZ_4K, 32, 36},
		{ARMATURE_PGTABLE_APPLE_DART, SZ_16K, 36, 36},
		{ARMATURE_PGTABLE_APPLE_DART2, SZ_16K, 32, 42},
	};
	for (const auto &c : configs) {
		DartTable t(c.fmt, make_cfg(c.granule, c.ias, c.oas));
		KCPP_ASSERT_EQ(t.error, 0);
		const u64 g = c.granule, pa = 0xc0000000 + 3 * g;
		KCPP_EXPECT_EQ(t.phys(42), 0u);
		KCPP_EXPECT_EQ(t.phys(5 * g + 42), 0u);
		KCPP_EXPECT_EQ(t.map(5 * g, pa, g, rw | prot::cache), 0);
		KCPP_EXPECT_EQ(t.phys(5 * g + 42), pa + 42);
		KCPP_EXPECT_EQ(t.phys(5 * g + g - 1), pa + g - 1);
		KCPP_EXPECT_EQ(t.phys(4 * g), 0u);
		KCPP_EXPECT_EQ(t.phys(6 * g), 0u);
		KCPP_EXPECT_EQ(t.map(5 * g, pa + g, g, prot::read), -EEXIST);
		KCPP_EXPECT_EQ(t.phys(5 * g), pa);
		KCPP_EXPECT_EQ(t.unmap(5 * g, g), g);
		KCPP_EXPECT_EQ(t.phys(5 * g + 42), 0u);
		KCPP_EXPECT_EQ(t.unmap(5 * g, g), 0u);
		KCPP_EXPECT_EQ(t.map(5 * g, pa + g, g, prot::write), 0);
		KCPP_EXPECT_EQ(t.phys(5 * g + 42), pa + g + 42);
	}
	KCPP_EXPECT_EQ(iopt_test::tables_in_use(), tables_before);
}

// The leaf descriptors of each prot, and the table descriptor above them.
KCPP_TEST(iopt_dart, descriptors)
{
	DartTable d1(ARMATURE_PGTABLE_APPLE_DART, make_cfg(SZ_4K, 32, 36));
	KCPP_ASSERT_EQ(d1.error, 0);
	const u64 pa1 = 0xa12345000ull;	// PA bit 35 and below
	const struct {
		int prot;
		u64 dart1, dart2;
	} encodings[] = {
		{rw | prot::cache, 0x3, 0x1},
		{rw, 0x3, 0x3},
		{prot::read | prot::cache, 0x83, 0x5},
		{prot::write, 0x103, 0xb},
		// No other prot bit takes part.
		{rw | prot::noexec | prot::mmio | prot::priv, 0x3, 0x3},
	};
	u64 iova = 0x100000;
	for (const auto &e : encodings) {
		KCPP_EXPECT_EQ(d1.map(iova, pa1, SZ_4K, e.prot), 0);
		KCPP_EXPECT_EQ(d1.leaf(iova), whole_page | pa1 | e.dart1);
		iova += SZ_4K;
	}
	// The table descriptor: the table's address, valid.
	const u64 l1 = d1.l1(0x100000);
	KCPP_EXPECT_EQ(l1 & ~0xffffff000ull, 1u);
	KCPP_EXPECT_NE(d1.table_pa(l1), 0u);

	DartTable d2(ARMATURE_PGTABLE_APPLE_DART2, make_cfg(SZ_16K, 32, 42));
	KCPP_ASSERT_EQ(d2.error, 0);
	const u64 pa2 = 0x31234564000ull;	// PA bits 41 and 14
	iova = 0x400000;
	for (const auto &e : encodings) {
		KCPP_EXPECT_EQ(d2.map(iova, pa2, SZ_16K, e.prot), 0);
		KCPP_EXPECT_EQ(d2.leaf(iova), whole_page | (pa2 >> 4) | e.dart2);
		KCPP_EXPECT_EQ(d2.phys(iova + 0x3ffc), pa2 + 0x3ffc);
		iova += SZ_16K;
	}
	const u64 t2 = d2.l1(0x400000);
	KCPP_EXPECT_EQ(t2 & ~0x3ffffffc00ull, 1u);
	KCPP_EXPECT_EQ(d2.table_pa(t2) & (SZ_16K - 1), 0u);
}

// One TTBR per quarter of a range wider than two levels: 4K pages cover
// 2^30 with two levels, 16K pages 2^36. Each TTBR is a granule-aligned
// table; the rest are zero.
KCPP_TEST(iopt_dart, ttbrs)
{
	const struct {
		armature_pgtable_fmt fmt;
		u64 granule;
		unsigned ias, oas, n_ttbrs;
	} cases[] = {
		{ARMATURE_PGTABLE_APPLE_DART, SZ_4K, 30, 36, 1},
		{ARMATURE_PGTABLE_APPLE_DART, SZ_4K, 31, 36, 2},
		{ARMATURE_PGTABLE_APPLE_DART, SZ_4K, 32, 36, 4},
		{ARMATURE_PGTABLE_APPLE_DART, SZ_16K, 36, 36, 1},
		{ARMATURE_PGTABLE_APPLE_DART2, SZ_16K, 32, 42, 1},
		{ARMATURE_PGTABLE_APPLE_DART2, SZ_16K, 38, 42, 4},
	};
	for (const auto &c : cases) {
		DartTable t(c.fmt, make_cfg(c.granule, c.ias, c.oas));
		KCPP_ASSERT_EQ(t.error, 0);
		const auto &r = t.cfg.apple_dart_cfg;
		KCPP_EXPECT_EQ(r.n_ttbrs, c.n_ttbrs);
		KCPP_EXPECT_EQ(t.cfg.pgsize_bitmap, c.granule);
		for (unsigned i = 0; i < 4; i++) {
			KCPP_EXPECT_EQ(r.ttbr[i] != 0, i < c.n_ttbrs);
			KCPP_EXPECT_EQ(r.ttbr[i] & (c.granule - 1), 0u);
			for (unsigned j = 0; j < i; j++)
				KCPP_EXPECT_TRUE(!r.ttbr[i] || r.ttbr[i] != r.ttbr[j]);
		}
		// The last page of the range sits under the last TTBR.
		const u64 last = (u64(1) << c.ias) - c.granule;
		KCPP_EXPECT_EQ(t.map(last, 0x80000000, c.granule, rw), 0);
		KCPP_EXPECT_EQ(t.phys(last + 8), 0x80000008u);
		KCPP_EXPECT_NE(t.leaf(last), 0u);
	}
}

// Configurations the formats cannot serve, and bad calls.
KCPP_TEST(iopt_dart, refusals)
{
	const struct {
		armature_pgtable_fmt fmt;
		armature_pgtable_cfg cfg;
	} refused[] = {
		// DART2 holds PA[41:14]: a 4K page would lose PA bits 13:12.
		{ARMATURE_PGTABLE_APPLE_DART2, make_cfg(SZ_4K, 32, 42)},
		// DART holds PA[35:12].
		{ARMATURE_PGTABLE_APPLE_DART, make_cfg(SZ_4K, 32, 42)},
		{ARMATURE_PGTABLE_APPLE_DART2, make_cfg(SZ_16K, 32, 43)},
		// More than four TTBRs.
		{ARMATURE_PGTABLE_APPLE_DART, make_cfg(SZ_4K, 33, 36)},
		{ARMATURE_PGTABLE_APPLE_DART2, make_cfg(SZ_16K, 39, 42)},
		// An input wider than the output, as upstream refuses.
		{ARMATURE_PGTABLE_APPLE_DART, make_cfg(SZ_16K, 38, 36)},
		// No other granule, and one at a time.
		{ARMATURE_PGTABLE_APPLE_DART, make_cfg(SZ_64K, 32, 36)},
		{ARMATURE_PGTABLE_APPLE_DART, make_cfg(SZ_4K | SZ_16K, 32, 36)},
		{ARMATURE_PGTABLE_APPLE_DART, make_cfg(SZ_4K, 32, 36, 0, false)},
		{ARMATURE_PGTABLE_APPLE_DART, make_cfg(SZ_4K, 32, 36, quirk::arm_ns)},
	};
	for (const auto &r : refused) {
		DartTable t(r.fmt, r.cfg);
		KCPP_EXPECT_EQ(t.error, -EINVAL);
	}
	// No custom table allocator, as upstream: it is never called.
	armature_pgtable_cfg custom = make_cfg(SZ_16K, 32, 42);
	custom.alloc = [](void *, unsigned long, unsigned int) -> void * { return nullptr; };
	custom.free = [](void *, void *, unsigned long) {};
	DartTable refused_custom(ARMATURE_PGTABLE_APPLE_DART2, custom);
	KCPP_EXPECT_EQ(refused_custom.error, -EINVAL);

	DartTable t(ARMATURE_PGTABLE_APPLE_DART, make_cfg(SZ_16K, 36, 36));
	KCPP_ASSERT_EQ(t.error, 0);
	unsigned long mapped = 0;
	KCPP_EXPECT_EQ(t.map(0, 0, SZ_4K, rw), -EINVAL);	// not the granule
	KCPP_EXPECT_EQ(t.map(0, SZ_4K, SZ_16K, rw), -EINVAL);	// misaligned
	KCPP_EXPECT_EQ(t.map(0, 0, SZ_16K, prot::cache), -EINVAL);	// neither read nor write
	KCPP_EXPECT_EQ(t.map(0, u64(1) << 36, SZ_16K, rw), -ERANGE);	// beyond oas
	KCPP_EXPECT_EQ(t.map(u64(1) << 36, 0, SZ_16K, rw), -ERANGE);	// beyond ias, no wrap
	KCPP_EXPECT_EQ(t.phys(0), 0u);
	// A run over a mapped page maps nothing of the table it is in.
	KCPP_EXPECT_EQ(t.map(3 * SZ_16K, SZ_16M, SZ_16K, rw), 0);
	KCPP_EXPECT_EQ(t.map(0, SZ_1G, SZ_16K, rw, 8, &mapped), -EEXIST);
	KCPP_EXPECT_EQ(mapped, 0u);
	KCPP_EXPECT_EQ(t.phys(0), 0u);
	KCPP_EXPECT_EQ(t.unmap(0, SZ_16K), 0u);
	KCPP_EXPECT_EQ(t.unmap(3 * SZ_16K, SZ_4K), 0u);	// not the granule
	KCPP_EXPECT_EQ(t.phys(3 * SZ_16K), SZ_16M);
}

// A run of pages over level-2 tables maps in one call; unmap stops at the
// first hole, and gathers a page per entry.
KCPP_TEST(iopt_dart, runs)
{
	DartTable t(ARMATURE_PGTABLE_APPLE_DART, make_cfg(SZ_4K, 32, 36));
	KCPP_ASSERT_EQ(t.error, 0);
	// 700 pages from 2 MiB - 100 pages: two tables, the second level-1
	// entry is new; and across the TTBR boundary at 1 GiB.
	const u64 start = SZ_2M - 100 * SZ_4K, count = 700;
	unsigned long mapped = 0;
	KCPP_EXPECT_EQ(t.map(start, 0x40000000, SZ_4K, rw, count, &mapped), 0);
	KCPP_EXPECT_EQ(mapped, count * SZ_4K);
	for (u64 i = 0; i < count; i += 99)
		KCPP_EXPECT_EQ(t.phys(start + i * SZ_4K + 1), 0x40000000 + i * SZ_4K + 1);
	mapped = 0;
	KCPP_EXPECT_EQ(t.map(SZ_1G - 2 * SZ_4K, 0x10000000, SZ_4K, prot::read, 4, &mapped), 0);
	KCPP_EXPECT_EQ(mapped, 4 * SZ_4K);
	KCPP_EXPECT_EQ(t.phys(SZ_1G + SZ_4K), 0x10000000 + 3 * SZ_4K);
	KCPP_EXPECT_NE(t.cfg.apple_dart_cfg.ttbr[1], 0u);

	iommu_iotlb_gather *gather = iopt_test::new_gather();
	KCPP_ASSERT_TRUE(gather);
	// A hole after 200 pages: the unmap of all 700 stops there.
	KCPP_EXPECT_EQ(t.unmap(start + 200 * SZ_4K, SZ_4K), SZ_4K);
	t.tlb = {};
	KCPP_EXPECT_EQ(t.unmap(start, SZ_4K, count, gather), 200 * SZ_4K);
	KCPP_EXPECT_EQ(t.tlb.add_page, 200);
	KCPP_EXPECT_EQ(t.tlb.last_iova, start + 199 * SZ_4K);
	KCPP_EXPECT_EQ(t.tlb.last_granule, SZ_4K);
	KCPP_EXPECT_EQ(t.phys(start), 0u);
	KCPP_EXPECT_EQ(t.phys(start + 201 * SZ_4K), 0x40000000 + 201 * SZ_4K);
	// The rest, across the table boundary; queued gathers get no pages.
	iopt_test::set_gather_queued(gather, true);
	t.tlb = {};
	KCPP_EXPECT_EQ(t.unmap(start + 201 * SZ_4K, SZ_4K, count - 201, gather), (count - 201) * SZ_4K);
	KCPP_EXPECT_EQ(t.tlb.add_page, 0);
	KCPP_EXPECT_EQ(t.phys(start + (count - 1) * SZ_4K), 0u);
	iopt_test::delete_gather(gather);
}
