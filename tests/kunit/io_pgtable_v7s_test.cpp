// SPDX-License-Identifier: GPL-2.0
// Tests of the v7s (ARMv7 short-descriptor) format through the allocation
// API, in KUnit and on the host like io_pgtable_test.cpp. The expected
// descriptors and registers are written out from the Arm ARM's bit
// positions (DDI 0406C B3.5.1, B4.1), not taken from the format's constants.
#include <kcpp_test.hpp>
#include <v7s.hpp>

#include "io_pgtable_test.hpp"

using namespace armature::iopt;
using iopt_test::free_ops;
using iopt_test::TlbLog;

namespace {

constexpr int rw = prot::read | prot::write;
constexpr u64 all_sizes = SZ_4K | SZ_64K | SZ_1M | SZ_16M;
constexpr unsigned long mtk = quirk::mtk_ext | quirk::no_perms;
constexpr u64 free_iova = 0x400000;

armature_pgtable_cfg make_cfg(unsigned long quirks = 0, bool coherent = true, unsigned ias = 32,
			      unsigned oas = 32, u64 pgsizes = all_sizes)
{
	return iopt_test::make_cfg(pgsizes, ias, oas, quirks, coherent);
}

// PA[34:32] as MediaTek places them: in descriptor bits 9, 4 and 5.
u64 mtk_high_pa(u32 desc)
{
	return u64((desc >> 9) & 1) << 32 | u64((desc >> 4) & 1) << 33 | u64((desc >> 5) & 1) << 34;
}

// A v7s table, and its descriptors found as the walker finds them.
struct V7sTable : iopt_test::Pgtable {
	explicit V7sTable(const armature_pgtable_cfg &c) : Pgtable(ARMATURE_PGTABLE_ARM_V7S, c) {}

	// The level-1 table from TTBR: bits [31:14], and with MTK_EXT
	// PA[34:32] in bits [2:0] (no attributes then).
	u64 pgd_pa() const
	{
		const u32 ttbr = cfg.arm_v7s_cfg.ttbr;
		u64 pa = ttbr & ~0x3fffu;
		if (cfg.quirks & quirk::mtk_ext)
			pa |= u64(ttbr & 7) << 32;
		return pa;
	}

	// The descriptor for iova at level 1 or 2, found as the walker finds it.
	u32 pte(u64 iova, unsigned level) const
	{
		auto *l1 = static_cast<const u32 *>(iopt_test::phys_to_virt(pgd_pa()));
		const u32 desc = l1[iova >> 20];
		if (level == 1)
			return desc;
		if ((desc & 3) != 1)	// no level-2 table: fail, do not fault
			return 0;
		u64 table = desc & 0xfffffc00u;
		if (cfg.quirks & quirk::mtk_ttbr_ext)
			table |= mtk_high_pa(desc);
		auto *l2 = static_cast<const u32 *>(iopt_test::phys_to_virt(table));
		return l2[(iova >> 12) & 0xff];
	}

	// Are all 16 entries of the run holding iova equal to desc?
	bool run_is(u64 iova, unsigned level, u32 desc) const
	{
		const u64 entry = level == 1 ? SZ_1M : SZ_4K;
		const u64 base = iova & ~(16 * entry - 1);
		bool same = true;
		for (u64 i = 0; i < 16; i++)
			same &= pte(base + i * entry, level) == desc;
		return same;
	}
};

// The descriptor of each leaf for a prot (without its address). Small
// page: XN 0, type 1x, B 2, C 3, AP[1:0] 5:4, TEX 8:6, AP[2] 9, S 10, nG 11.
// Large page: type 01, B, C, AP[1:0], AP[2], S, nG as small; TEX 14:12,
// XN 15. Section: type 10, B 2, C 3, XN 4, AP[1:0] 11:10, TEX 14:12, AP[2]
// 15, S 16, nG 17; supersection: bit 18 too. Memory types by TEX remap
// index TEX[0]:C:B: 1 device, 4 normal non-cacheable, 7 normal write-back.
struct Encoding {
	int prot;
	u32 small, large, section, supersection;
};

const Encoding encodings[] = {
	// Read-only, unprivileged, cacheable (index 7).
	{prot::read | prot::cache, 0xe7e, 0x1e3d, 0x39c0e, 0x79c0e},
	// Read-write, unprivileged, non-cacheable (index 4).
	{rw, 0xc72, 0x1c31, 0x31c02, 0x71c02},
	// Privileged (AP[1] clear), execute-never.
	{rw | prot::noexec | prot::priv, 0xc53, 0x9c11, 0x31412, 0x71412},
	{prot::read | prot::noexec | prot::priv | prot::cache, 0xe5f, 0x9e1d, 0x3941e, 0x7941e},
	// Device (index 1); write without read is read-write.
	{prot::write | prot::mmio, 0xc36, 0xc35, 0x30c06, 0x70c06},
	{rw | prot::mmio | prot::cache, 0xc36, 0xc35, 0x30c06, 0x70c06},
};

} // namespace

// Upstream's selftest (with NS, as it runs): empty tables translate nothing;
// each page size maps, translates and refuses an overlapping map; a partial
// unmap is refused (upstream split the leaf before 6.13) and keeps the
// mapping; each size unmaps whole and remaps.
KCPP_TEST(iopt_v7s, selftest)
{
	const long tables_before = iopt_test::tables_in_use();
	{
		V7sTable t(make_cfg(quirk::arm_ns));
		KCPP_ASSERT_EQ(t.error, 0);
		KCPP_EXPECT_EQ(t.phys(42), 0u);
		KCPP_EXPECT_EQ(t.phys(SZ_1G + 42), 0u);
		KCPP_EXPECT_EQ(t.phys(2 * SZ_1G + 42), 0u);

		u64 iova = 0;
		unsigned sizes = 0;
		for (u64 size = SZ_4K; size <= SZ_16M; size <<= 1) {
			if (!(t.cfg.pgsize_bitmap & size))
				continue;
			KCPP_EXPECT_EQ(t.map(iova, iova, size, rw | prot::noexec | prot::cache), 0);
			KCPP_EXPECT_EQ(t.map(iova, iova + size, size, prot::read | prot::noexec), -EEXIST);
			KCPP_EXPECT_EQ(t.phys(iova + 42), iova + 42);
			iova += SZ_16M;
			sizes++;
		}
		KCPP_EXPECT_EQ(sizes, 4u);

		for (unsigned i = 1; i < sizes; i++) {
			const u64 start = i * SZ_16M;
			KCPP_EXPECT_EQ(t.unmap(start + SZ_4K, SZ_4K), 0u);
			KCPP_EXPECT_EQ(t.phys(start + SZ_4K + 42), start + SZ_4K + 42);
			KCPP_EXPECT_EQ(t.map(start + SZ_4K, SZ_4K, SZ_4K, prot::read), -EEXIST);
		}

		iova = 0;
		for (u64 size = SZ_4K; size <= SZ_16M; size <<= 1) {
			if (!(t.cfg.pgsize_bitmap & size))
				continue;
			KCPP_EXPECT_EQ(t.unmap(iova, size), size);
			KCPP_EXPECT_EQ(t.phys(iova + 42), 0u);
			KCPP_EXPECT_EQ(t.map(iova, iova, size, prot::write), 0);
			KCPP_EXPECT_EQ(t.phys(iova + 42), iova + 42);
			iova += SZ_16M;
		}
	}
	KCPP_EXPECT_EQ(iopt_test::tables_in_use(), tables_before);
}

// TTBCR, PRRR, NMRR and TTBR0 for coherent and non-coherent walkers.
KCPP_TEST(iopt_v7s, registers)
{
	V7sTable t(make_cfg(0, true, 32, 32, all_sizes | SZ_16K | SZ_2M | SZ_1G));
	KCPP_ASSERT_EQ(t.error, 0);
	KCPP_EXPECT_EQ(t.cfg.pgsize_bitmap, all_sizes);
	KCPP_EXPECT_EQ(t.cfg.ias, 32u);
	KCPP_EXPECT_EQ(t.cfg.oas, 32u);
	const auto &r = t.cfg.arm_v7s_cfg;
	KCPP_EXPECT_EQ(r.tcr, 0u);
	// PRRR: TR1 = 1 (device), TR4 = TR7 = 2 (normal), DS0, DS1, NS1, NOS7.
	KCPP_EXPECT_EQ(r.prrr, (1u << 2) | (2u << 8) | (2u << 14) | (1u << 16) | (1u << 17) |
			       (1u << 19) | (1u << 31));
	KCPP_EXPECT_EQ(r.prrr, 0x800b8204u);
	// NMRR: IR7 = OR7 = 1 (write-back write-allocate), the rest non-cacheable.
	KCPP_EXPECT_EQ(r.nmrr, (1u << 14) | (1u << 30));
	// TTBR0: S (1), RGN = 01 (bits 4:3), NOS (5), IRGN[0] (6); a 16 KiB
	// aligned table.
	KCPP_EXPECT_EQ(r.ttbr & 0x3fffu, (1u << 1) | (1u << 3) | (1u << 5) | (1u << 6));
	KCPP_EXPECT_NE(r.ttbr & ~0x3fffu, 0u);

	// Not coherent: shareable, inner and outer non-cacheable.
	V7sTable nc(make_cfg(0, false));
	KCPP_ASSERT_EQ(nc.error, 0);
	KCPP_EXPECT_EQ(nc.cfg.arm_v7s_cfg.ttbr & 0x3fffu, 1u << 1);
	KCPP_EXPECT_EQ(nc.cfg.arm_v7s_cfg.tcr, 0u);
	KCPP_EXPECT_EQ(nc.cfg.arm_v7s_cfg.prrr, 0x800b8204u);
	KCPP_EXPECT_EQ(nc.cfg.arm_v7s_cfg.nmrr, 0x40004000u);
	KCPP_EXPECT_NE(nc.cfg.arm_v7s_cfg.ttbr & ~0x3fffu, r.ttbr & ~0x3fffu);

	// The encodings on their own (TTBR_EXT: PA[34:32] in bits [2:0]).
	KCPP_EXPECT_EQ(v7s::ttbr_value(0x1234c000, 0, true), 0x1234c06au);
	KCPP_EXPECT_EQ(v7s::ttbr_value(0x1234c000, 0, false), 0x1234c002u);
	KCPP_EXPECT_EQ(v7s::ttbr_value(0x1234c000, mtk, true), 0x1234c000u);
	KCPP_EXPECT_EQ(v7s::ttbr_value(0x51234c000ull, mtk | quirk::mtk_ttbr_ext, true), 0x1234c005u);
	KCPP_EXPECT_EQ(v7s::ttbr_value(0x21234c000ull, mtk | quirk::mtk_ttbr_ext, false), 0x1234c002u);
}

// Every leaf for every prot of the table above, each entry of a run, and
// the table descriptor.
KCPP_TEST(iopt_v7s, descriptor_encodings)
{
	V7sTable t(make_cfg());
	KCPP_ASSERT_EQ(t.error, 0);
	u64 base = 0;
	for (const Encoding &e : encodings) {
		const u64 pa = 0x80000000 + base;
		KCPP_ASSERT_EQ(t.map(base + 0x3000, pa + 0x3000, SZ_4K, e.prot), 0);
		KCPP_ASSERT_EQ(t.map(base + 0x10000, pa + 0x10000, SZ_64K, e.prot), 0);
		KCPP_ASSERT_EQ(t.map(base + 2 * SZ_1M, pa + 2 * SZ_1M, SZ_1M, e.prot), 0);
		KCPP_ASSERT_EQ(t.map(base + SZ_16M, pa + SZ_16M, SZ_16M, e.prot), 0);

		KCPP_EXPECT_EQ(t.pte(base + 0x3000, 2), e.small | (pa + 0x3000));
		KCPP_EXPECT_EQ(t.pte(base + 0x10000, 2), e.large | (pa + 0x10000));
		KCPP_EXPECT_TRUE(t.run_is(base + 0x10000, 2, e.large | (pa + 0x10000)));
		KCPP_EXPECT_EQ(t.pte(base + 2 * SZ_1M, 1), e.section | (pa + 2 * SZ_1M));
		KCPP_EXPECT_EQ(t.pte(base + SZ_16M, 1), e.supersection | (pa + SZ_16M));
		KCPP_EXPECT_TRUE(t.run_is(base + SZ_16M, 1, e.supersection | (pa + SZ_16M)));
		// A level-2 table: type 01, domain 0, no NS; 1 KiB aligned.
		KCPP_EXPECT_EQ(t.pte(base, 1) & 0x3ffu, 1u);

		KCPP_EXPECT_EQ(t.phys(base + 0x3abc), pa + 0x3abc);
		KCPP_EXPECT_EQ(t.phys(base + 0x1fffe), pa + 0x1fffe);
		KCPP_EXPECT_EQ(t.phys(base + 2 * SZ_1M + 0xabcde), pa + 2 * SZ_1M + 0xabcde);
		KCPP_EXPECT_EQ(t.phys(base + SZ_16M + 0xfedcba), pa + SZ_16M + 0xfedcba);
		base += 2 * SZ_16M;
	}
}

// NS: sections and supersections carry NS (bit 19), table descriptors
// NSTABLE (bit 3); pages have no NS bit of their own. NO_PERMS: no AP bits
// and no XN, whatever the prot.
KCPP_TEST(iopt_v7s, ns_and_no_perms)
{
	V7sTable ns(make_cfg(quirk::arm_ns));
	KCPP_ASSERT_EQ(ns.error, 0);
	KCPP_ASSERT_EQ(ns.map(0x1000, 0x1000, SZ_4K, rw), 0);
	KCPP_ASSERT_EQ(ns.map(SZ_1M, SZ_1M, SZ_1M, rw), 0);
	KCPP_ASSERT_EQ(ns.map(SZ_16M, SZ_16M, SZ_16M, rw), 0);
	KCPP_EXPECT_EQ(ns.pte(0x1000, 2), 0xc72u | 0x1000);
	KCPP_EXPECT_EQ(ns.pte(0, 1) & 0x3ffu, 0x9u);
	KCPP_EXPECT_EQ(ns.pte(SZ_1M, 1), 0x31c02u | (1u << 19) | SZ_1M);
	KCPP_EXPECT_TRUE(ns.run_is(SZ_16M, 1, 0x71c02u | (1u << 19) | SZ_16M));
	KCPP_EXPECT_EQ(ns.phys(SZ_16M + 5), SZ_16M + 5);

	V7sTable np(make_cfg(quirk::no_perms));
	KCPP_ASSERT_EQ(np.error, 0);
	KCPP_ASSERT_EQ(np.map(0x1000, 0x1000, SZ_4K, rw | prot::noexec | prot::cache), 0);
	KCPP_ASSERT_EQ(np.map(0x2000, 0x2000, SZ_4K, prot::read | prot::priv | prot::cache), 0);
	KCPP_ASSERT_EQ(np.map(0x10000, 0x10000, SZ_64K, rw | prot::cache), 0);
	KCPP_ASSERT_EQ(np.map(SZ_1M, SZ_1M, SZ_1M, prot::read | prot::noexec | prot::mmio), 0);
	KCPP_ASSERT_EQ(np.map(SZ_16M, SZ_16M, SZ_16M, rw), 0);
	KCPP_EXPECT_EQ(np.pte(0x1000, 2), 0xc4eu | 0x1000);
	KCPP_EXPECT_EQ(np.pte(0x2000, 2), 0xc4eu | 0x2000);
	KCPP_EXPECT_TRUE(np.run_is(0x10000, 2, 0x1c0du | 0x10000));
	KCPP_EXPECT_EQ(np.pte(SZ_1M, 1), 0x30006u | SZ_1M);
	KCPP_EXPECT_TRUE(np.run_is(SZ_16M, 1, 0x71002u | SZ_16M));
	KCPP_EXPECT_EQ(np.phys(0x2123), 0x2123u);
}

// MTK_EXT: 34-bit input (a 16384-entry level 1), 35-bit output with PA
// bits 32, 33 and 34 in descriptor bits 9, 4 and 5, for every leaf.
KCPP_TEST(iopt_v7s, mtk_ext_high_addresses)
{
	V7sTable t(make_cfg(mtk, true, 34, 35));
	KCPP_ASSERT_EQ(t.error, 0);
	// No TTBR attributes; the table is below 4 GiB here, so bits [2:0] clear.
	KCPP_EXPECT_EQ(t.cfg.arm_v7s_cfg.ttbr & 0x3fffu, 0u);

	// NO_PERMS, read-write, non-cacheable attributes of each leaf.
	KCPP_ASSERT_EQ(t.map(0x300001000ull, 0x123456000ull, SZ_4K, rw), 0);	// PA[32]
	KCPP_EXPECT_EQ(t.pte(0x300001000ull, 2), 0x23456000u | (1u << 9) | 0xc42u);
	KCPP_EXPECT_EQ(t.phys(0x300001042ull), 0x123456042ull);

	KCPP_ASSERT_EQ(t.map(0x300010000ull, 0x200120000ull, SZ_64K, rw), 0);	// PA[33]
	KCPP_EXPECT_TRUE(t.run_is(0x300010000ull, 2, 0x00120000u | (1u << 4) | 0x1c01u));
	KCPP_EXPECT_EQ(t.phys(0x30001fffcull), 0x20012fffcull);

	KCPP_ASSERT_EQ(t.map(0x200100000ull, 0x400300000ull, SZ_1M, rw), 0);	// PA[34]
	KCPP_EXPECT_EQ(t.pte(0x200100000ull, 1), 0x00300000u | (1u << 5) | 0x31002u);
	KCPP_EXPECT_EQ(t.phys(0x2001abcdeull), 0x4003abcdeull);

	KCPP_ASSERT_EQ(t.map(0x101000000ull, 0x705000000ull, SZ_16M, rw), 0);	// PA[34:32]
	KCPP_EXPECT_TRUE(t.run_is(0x101000000ull, 1, 0x05000000u | 0x230u | 0x71002u));
	KCPP_EXPECT_EQ(t.phys(0x101abcdefull), 0x705abcdefull);

	KCPP_EXPECT_EQ(t.map(0x300002000ull, 1ull << 35, SZ_4K, rw), -ERANGE);
	KCPP_EXPECT_EQ(t.map(1ull << 34, 0, SZ_4K, rw), -ERANGE);
	KCPP_EXPECT_EQ(t.unmap(0x300001000ull, SZ_4K), SZ_4K);
	KCPP_EXPECT_EQ(t.unmap(0x300010000ull, SZ_64K), SZ_64K);
	KCPP_EXPECT_EQ(t.unmap(0x200100000ull, SZ_1M), SZ_1M);
	KCPP_EXPECT_EQ(t.unmap(0x101000000ull, SZ_16M), SZ_16M);
	KCPP_EXPECT_EQ(t.phys(0x101abcdefull), 0u);

	// The limits: 34/35 bits with MTK_EXT, 32/32 without; MTK_EXT needs
	// NO_PERMS (its address bits are AP bits in a page).
	KCPP_EXPECT_EQ(V7sTable(make_cfg(mtk, true, 35, 35)).error, -EINVAL);
	KCPP_EXPECT_EQ(V7sTable(make_cfg(mtk, true, 34, 36)).error, -EINVAL);
	KCPP_EXPECT_EQ(V7sTable(make_cfg(quirk::mtk_ext, true, 32, 35)).error, -EINVAL);
	KCPP_EXPECT_EQ(V7sTable(make_cfg(0, true, 33, 32)).error, -EINVAL);
	KCPP_EXPECT_EQ(V7sTable(make_cfg(quirk::no_perms, true, 32, 33)).error, -EINVAL);
}

// MTK_TTBR_EXT: tables may lie above 4 GiB (below 2^oas); a level-2 table's
// PA[34:32] then go in the table descriptor as in a leaf.
KCPP_TEST(iopt_v7s, mtk_ttbr_ext)
{
	const unsigned long ttbr_ext = mtk | quirk::mtk_ttbr_ext;
	KCPP_EXPECT_EQ(v7s::table_descriptor(0x680000400ull, ttbr_ext), 0x80000431u);
	KCPP_EXPECT_EQ(v7s::table_descriptor(0x680000400ull, ttbr_ext | quirk::arm_ns), 0x80000439u);
	KCPP_EXPECT_EQ(v7s::table_descriptor(0x80000400ull, mtk), 0x80000401u);

	const long tables_before = iopt_test::tables_in_use();
	{
		V7sTable t(make_cfg(ttbr_ext, true, 32, 35));
		KCPP_ASSERT_EQ(t.error, 0);
		KCPP_ASSERT_EQ(t.map(0x1000, 0x400001000ull, SZ_4K, rw), 0);
		KCPP_EXPECT_EQ(t.pte(0x1000, 2), 0x1000u | (1u << 5) | 0xc42u);
		KCPP_EXPECT_EQ(t.pte(0, 1) & 0x3u, 1u);
		KCPP_EXPECT_EQ(t.phys(0x1008), 0x400001008ull);
		KCPP_EXPECT_EQ(t.unmap(0x1000, SZ_4K), SZ_4K);
	}
	// Without MTK_EXT it means nothing; with an output size that no table
	// can lie below (RAM starts above 1 MiB), the allocation fails.
	KCPP_EXPECT_EQ(V7sTable(make_cfg(quirk::no_perms | quirk::mtk_ttbr_ext)).error, -EINVAL);
	KCPP_EXPECT_EQ(V7sTable(make_cfg(ttbr_ext, true, 32, 20)).error, -ENOMEM);
	KCPP_EXPECT_EQ(iopt_test::tables_in_use(), tables_before);
}

// Bad input: the errno upstream's stack returns, and the table unchanged.
KCPP_TEST(iopt_v7s, bad_input_changes_nothing)
{
	V7sTable t(make_cfg());
	KCPP_ASSERT_EQ(t.error, 0);
	const u64 page = 0x120000;	// a page in the middle of a level-2 table
	const u64 section = 2 * SZ_16M, large = 3 * SZ_16M;
	KCPP_ASSERT_EQ(t.map(page, page, SZ_4K, rw), 0);
	KCPP_ASSERT_EQ(t.map(section, section, SZ_1M, rw), 0);
	KCPP_ASSERT_EQ(t.map(large, large, SZ_64K, rw), 0);
	const long tables = iopt_test::tables_in_use();
	unsigned long mapped = 0;

	KCPP_EXPECT_EQ(t.map(free_iova + 0x800, 0, SZ_4K, rw), -EINVAL);	// misaligned iova
	KCPP_EXPECT_EQ(t.map(free_iova + SZ_4K, 0, SZ_64K, rw), -EINVAL);
	KCPP_EXPECT_EQ(t.map(free_iova, 0x10, SZ_4K, rw), -EINVAL);		// misaligned paddr
	KCPP_EXPECT_EQ(t.map(free_iova, SZ_4K, SZ_1M, rw), -EINVAL);
	KCPP_EXPECT_EQ(t.map(free_iova, 0, SZ_2M, rw), -EINVAL);		// not in pgsize_bitmap
	KCPP_EXPECT_EQ(t.map(free_iova, 0, SZ_16K, rw), -EINVAL);
	KCPP_EXPECT_EQ(t.map(free_iova, 0, SZ_4K | SZ_64K, rw), -EINVAL);	// not one size
	KCPP_EXPECT_EQ(t.map(free_iova, 0, 0, rw), -EINVAL);
	KCPP_EXPECT_EQ(t.map(1ull << 32, 0, SZ_4K, rw), -ERANGE);		// beyond ias
	KCPP_EXPECT_EQ(t.map(0xfffff000, 0, SZ_4K, rw, 2), -ERANGE);		// ends beyond ias
	KCPP_EXPECT_EQ(t.map(free_iova, 1ull << 32, SZ_4K, rw), -ERANGE);	// beyond oas
	KCPP_EXPECT_EQ(t.map(free_iova, 0xfffff000, SZ_4K, rw, 2), -ERANGE);
	KCPP_EXPECT_EQ(t.map(free_iova, 0, SZ_4K, prot::cache | prot::noexec), -EINVAL);
	KCPP_EXPECT_EQ(t.map(free_iova, 0, SZ_4K, rw, 0), -ERANGE);

	// Over what is mapped: any leaf, at any size, refuses whole.
	KCPP_EXPECT_EQ(t.map(page, 0, SZ_4K, rw), -EEXIST);
	KCPP_EXPECT_EQ(t.map(page - 2 * SZ_4K, 0, SZ_4K, rw, 3, &mapped), -EEXIST);
	KCPP_EXPECT_EQ(mapped, 0ul);
	KCPP_EXPECT_EQ(t.map(page, 0, SZ_64K, rw), -EEXIST);		// large page over a page
	KCPP_EXPECT_EQ(t.map(SZ_1M, 0, SZ_1M, rw), -EEXIST);		// section over pages
	KCPP_EXPECT_EQ(t.map(0, 0, SZ_16M, rw), -EEXIST);		// supersection over pages
	KCPP_EXPECT_EQ(t.map(section + SZ_4K, 0, SZ_4K, rw), -EEXIST);	// page in a section
	KCPP_EXPECT_EQ(t.map(section + SZ_64K, 0, SZ_64K, rw), -EEXIST);
	KCPP_EXPECT_EQ(t.map(section, 0, SZ_1M, rw), -EEXIST);
	KCPP_EXPECT_EQ(t.map(section, 0, SZ_16M, rw), -EEXIST);		// supersection over a section
	KCPP_EXPECT_EQ(t.map(section - SZ_1M, 0, SZ_1M, rw, 2, &mapped), -EEXIST);
	KCPP_EXPECT_EQ(mapped, 0ul);
	KCPP_EXPECT_EQ(t.map(large + SZ_4K, 0, SZ_4K, rw), -EEXIST);	// page in a large page
	KCPP_EXPECT_EQ(t.map(large, 0, SZ_64K, rw), -EEXIST);

	KCPP_EXPECT_EQ(iopt_test::tables_in_use(), tables);
	KCPP_EXPECT_EQ(t.phys(page + 1), page + 1);
	KCPP_EXPECT_EQ(t.phys(page - 2 * SZ_4K), 0u);
	KCPP_EXPECT_EQ(t.phys(page + SZ_4K), 0u);
	KCPP_EXPECT_EQ(t.phys(section - SZ_1M), 0u);
	KCPP_EXPECT_EQ(t.phys(section + 0x54321), section + 0x54321);
	KCPP_EXPECT_EQ(t.phys(large + 0x5432), large + 0x5432);
	KCPP_EXPECT_EQ(t.phys(free_iova), 0u);
	KCPP_EXPECT_EQ(t.phys(0), 0u);

	KCPP_EXPECT_EQ(t.unmap(page + 0x800, SZ_4K), 0u);
	KCPP_EXPECT_EQ(t.unmap(page, SZ_2M), 0u);
	KCPP_EXPECT_EQ(t.unmap(page, SZ_4K, 0), 0u);
	KCPP_EXPECT_EQ(t.unmap(1ull << 32, SZ_4K), 0u);
	KCPP_EXPECT_EQ(t.unmap(free_iova, SZ_4K), 0u);			// nothing there
	KCPP_EXPECT_EQ(t.unmap(free_iova, SZ_1M), 0u);
	KCPP_EXPECT_EQ(t.phys(page + 1), page + 1);

	// Quirks of other formats.
	const unsigned long foreign[] = {quirk::ttbr1, quirk::outer_wbwa, quirk::arm_hd, 1ul << 2};
	for (unsigned long q : foreign)
		KCPP_EXPECT_EQ(V7sTable(make_cfg(q)).error, -EINVAL);
}

// One map_pages/unmap_pages call covers several level-2 tables.
KCPP_TEST(iopt_v7s, map_pages_across_tables)
{
	const long tables_before = iopt_test::tables_in_use();
	{
		V7sTable t(make_cfg());
		KCPP_ASSERT_EQ(t.error, 0);
		unsigned long mapped = 0;

		// 16 + 256 + 256 + 16 pages: four level-2 tables.
		const u64 pages = 0xf0000, count = 544;
		KCPP_EXPECT_EQ(t.map(pages, 0x10000000, SZ_4K, rw, count, &mapped), 0);
		KCPP_EXPECT_EQ(mapped, count * SZ_4K);
		bool all = true;
		for (u64 i = 0; i < count; i++)
			all &= t.phys(pages + i * SZ_4K + 5) == 0x10000000 + i * SZ_4K + 5;
		KCPP_EXPECT_TRUE(all);
		KCPP_EXPECT_EQ(t.phys(pages - 1), 0u);
		KCPP_EXPECT_EQ(t.phys(pages + count * SZ_4K), 0u);

		// Large pages across a table boundary.
		const u64 larges = 5 * SZ_1M - 2 * SZ_64K;
		KCPP_EXPECT_EQ(t.map(larges, 0x20000000, SZ_64K, rw, 4, &mapped), 0);
		KCPP_EXPECT_EQ(mapped, 4 * SZ_64K);
		KCPP_EXPECT_EQ(t.phys(larges + 3 * SZ_64K + 0x1234), 0x20000000 + 3 * SZ_64K + 0x1234);
		KCPP_EXPECT_TRUE(t.run_is(5 * SZ_1M, 2, 0x1c31u | (0x20000000 + 2 * SZ_64K)));

		// Sections and supersections, several per call.
		KCPP_EXPECT_EQ(t.map(8 * SZ_1M, 0x30000000, SZ_1M, rw, 20, &mapped), 0);
		KCPP_EXPECT_EQ(mapped, 20 * SZ_1M);
		KCPP_EXPECT_EQ(t.phys(27 * SZ_1M + 7), 0x30000000 + 19 * SZ_1M + 7);
		KCPP_EXPECT_EQ(t.map(3 * SZ_16M, 0x40000000, SZ_16M, rw, 3, &mapped), 0);
		KCPP_EXPECT_EQ(mapped, 3 * SZ_16M);
		KCPP_EXPECT_EQ(t.phys(5 * SZ_16M + 9), 0x40000000 + 2 * SZ_16M + 9);

		// A run that meets a mapping in its second table: the first
		// table's part stays mapped and mapped says so (the caller
		// unmaps it, as with upstream).
		KCPP_ASSERT_EQ(t.map(7 * SZ_1M, 0, SZ_4K, rw), 0);
		KCPP_EXPECT_EQ(t.map(7 * SZ_1M - 2 * SZ_4K, 0, SZ_4K, rw, 3, &mapped), -EEXIST);
		KCPP_EXPECT_EQ(mapped, 2 * SZ_4K);
		KCPP_EXPECT_EQ(t.unmap(7 * SZ_1M - 2 * SZ_4K, SZ_4K, 3), 3 * SZ_4K);

		KCPP_EXPECT_EQ(t.unmap(pages, SZ_4K, count), count * SZ_4K);
		KCPP_EXPECT_EQ(t.phys(pages + 5), 0u);
		KCPP_EXPECT_EQ(t.phys(pages + (count - 1) * SZ_4K), 0u);
		KCPP_EXPECT_EQ(t.unmap(larges, SZ_64K, 4), 4 * SZ_64K);
		KCPP_EXPECT_EQ(t.unmap(8 * SZ_1M, SZ_1M, 20), 20 * SZ_1M);
		KCPP_EXPECT_EQ(t.unmap(3 * SZ_16M, SZ_16M, 3), 3 * SZ_16M);
		KCPP_EXPECT_EQ(t.phys(5 * SZ_16M + 9), 0u);

		// Unmapping stops at the first hole, at every size.
		KCPP_ASSERT_EQ(t.map(0, 0, SZ_4K, rw, 2), 0);
		KCPP_EXPECT_EQ(t.unmap(0, SZ_4K, 3), 2 * SZ_4K);
		KCPP_ASSERT_EQ(t.map(0, 0, SZ_64K, rw, 2), 0);
		KCPP_EXPECT_EQ(t.unmap(0, SZ_64K, 3), 2 * SZ_64K);
		KCPP_ASSERT_EQ(t.map(SZ_16M, 0, SZ_1M, rw, 2), 0);
		KCPP_EXPECT_EQ(t.unmap(SZ_16M, SZ_1M, 3), 2 * SZ_1M);
		KCPP_ASSERT_EQ(t.map(SZ_16M, 0, SZ_16M, rw), 0);
		KCPP_EXPECT_EQ(t.unmap(SZ_16M, SZ_16M, 2), SZ_16M);
		// A large page with a hole in it is not a large page.
		KCPP_ASSERT_EQ(t.map(0, 0, SZ_4K, rw, 15), 0);
		KCPP_EXPECT_EQ(t.unmap(0, SZ_64K), 0u);
		KCPP_EXPECT_EQ(t.phys(14 * SZ_4K), 14 * SZ_4K);
		KCPP_EXPECT_EQ(t.unmap(0, SZ_4K, 15), 15 * SZ_4K);
	}
	KCPP_EXPECT_EQ(iopt_test::tables_in_use(), tables_before);
}

// Current upstream (6.13+) refuses to unmap a part of a section, a
// supersection or a large page: nothing is unmapped, the leaf stays whole.
KCPP_TEST(iopt_v7s, partial_unmap_refused)
{
	V7sTable t(make_cfg());
	KCPP_ASSERT_EQ(t.error, 0);
	const u64 large = 0x10000, section = SZ_16M, super = 2 * SZ_16M;
	KCPP_ASSERT_EQ(t.map(large, large, SZ_64K, rw), 0);
	KCPP_ASSERT_EQ(t.map(section, section, SZ_1M, rw), 0);
	KCPP_ASSERT_EQ(t.map(super, super, SZ_16M, rw), 0);

	KCPP_EXPECT_EQ(t.unmap(section + SZ_4K, SZ_4K), 0u);
	KCPP_EXPECT_EQ(t.unmap(section, SZ_4K), 0u);
	KCPP_EXPECT_EQ(t.unmap(section + SZ_64K, SZ_64K), 0u);
	KCPP_EXPECT_EQ(t.unmap(super + SZ_1M, SZ_1M), 0u);
	KCPP_EXPECT_EQ(t.unmap(super, SZ_1M), 0u);
	KCPP_EXPECT_EQ(t.unmap(super + SZ_4K, SZ_4K), 0u);
	KCPP_EXPECT_EQ(t.unmap(super, SZ_64K), 0u);
	KCPP_EXPECT_EQ(t.unmap(large + SZ_4K, SZ_4K), 0u);
	KCPP_EXPECT_EQ(t.unmap(large, SZ_4K), 0u);
	KCPP_EXPECT_EQ(t.phys(section + SZ_4K + 3), section + SZ_4K + 3);
	KCPP_EXPECT_EQ(t.phys(super + SZ_1M + 3), super + SZ_1M + 3);
	KCPP_EXPECT_EQ(t.phys(large + SZ_4K + 3), large + SZ_4K + 3);
	KCPP_EXPECT_TRUE(t.run_is(large, 2, t.pte(large, 2)));
	KCPP_EXPECT_TRUE(t.run_is(super, 1, t.pte(super, 1)));
	KCPP_EXPECT_EQ(t.tlb.add_page + t.tlb.flush_walk, 0);

	// A run of pages that reaches into the large page stops before it.
	KCPP_ASSERT_EQ(t.map(large - 2 * SZ_4K, 0, SZ_4K, rw, 2), 0);
	KCPP_EXPECT_EQ(t.unmap(large - 2 * SZ_4K, SZ_4K, 3), 2 * SZ_4K);
	KCPP_EXPECT_EQ(t.phys(large), large);

	// Whole leaves unmap; 16 sections unmap as one 16M "page".
	KCPP_EXPECT_EQ(t.unmap(large, SZ_64K), SZ_64K);
	KCPP_EXPECT_EQ(t.unmap(section, SZ_1M), SZ_1M);
	KCPP_EXPECT_EQ(t.unmap(super, SZ_16M), SZ_16M);
	KCPP_ASSERT_EQ(t.map(4 * SZ_16M, 0, SZ_1M, rw, 16), 0);
	KCPP_EXPECT_EQ(t.unmap(4 * SZ_16M, SZ_16M), SZ_16M);
	KCPP_EXPECT_EQ(t.phys(4 * SZ_16M + SZ_1M), 0u);
}

// Level-2 tables under sections: unmapping at section size takes a table
// whole (as upstream), an empty one gives way to a section, each with a
// walk-cache flush for its megabyte before it is freed.
KCPP_TEST(iopt_v7s, tables_under_sections)
{
	V7sTable t(make_cfg());
	KCPP_ASSERT_EQ(t.error, 0);
	KCPP_ASSERT_EQ(t.map(5 * SZ_1M, 5 * SZ_1M, SZ_4K, rw, 3), 0);
	long tables = iopt_test::tables_in_use();
	KCPP_EXPECT_EQ(t.unmap(5 * SZ_1M, SZ_1M), SZ_1M);
	KCPP_EXPECT_EQ(t.tlb.flush_walk, 1);
	KCPP_EXPECT_EQ(t.tlb.last_iova, 5 * SZ_1M);
	KCPP_EXPECT_EQ(t.tlb.last_size, SZ_1M);
	KCPP_EXPECT_EQ(t.tlb.last_granule, SZ_4K);
	KCPP_EXPECT_EQ(t.phys(5 * SZ_1M + SZ_4K), 0u);
	KCPP_EXPECT_TRUE(iopt_test::tables_in_use() < tables);

	// Pages mapped and unmapped leave an empty table behind.
	KCPP_ASSERT_EQ(t.map(6 * SZ_1M, 0, SZ_4K, rw), 0);
	KCPP_ASSERT_EQ(t.unmap(6 * SZ_1M, SZ_4K), SZ_4K);
	tables = iopt_test::tables_in_use();
	KCPP_EXPECT_EQ(t.map(6 * SZ_1M, 6 * SZ_1M, SZ_1M, rw), 0);
	KCPP_EXPECT_EQ(t.tlb.flush_walk, 2);
	KCPP_EXPECT_EQ(t.tlb.last_iova, 6 * SZ_1M);
	KCPP_EXPECT_EQ(t.tlb.last_size, SZ_1M);
	KCPP_EXPECT_EQ(t.tlb.last_granule, SZ_4K);
	KCPP_EXPECT_TRUE(iopt_test::tables_in_use() < tables);
	KCPP_EXPECT_EQ(t.phys(6 * SZ_1M + 9), 6 * SZ_1M + 9);

	// A supersection over empty tables and empty entries.
	KCPP_ASSERT_EQ(t.map(SZ_16M + 3 * SZ_1M, 0, SZ_4K, rw), 0);
	KCPP_ASSERT_EQ(t.map(SZ_16M + 9 * SZ_1M, 0, SZ_64K, rw), 0);
	KCPP_ASSERT_EQ(t.unmap(SZ_16M + 3 * SZ_1M, SZ_4K), SZ_4K);
	KCPP_ASSERT_EQ(t.unmap(SZ_16M + 9 * SZ_1M, SZ_64K), SZ_64K);
	KCPP_EXPECT_EQ(t.map(SZ_16M, SZ_16M, SZ_16M, rw), 0);
	KCPP_EXPECT_EQ(t.tlb.flush_walk, 4);
	KCPP_EXPECT_EQ(t.phys(SZ_16M + 9 * SZ_1M + 1), SZ_16M + 9 * SZ_1M + 1);

	// 16 tables unmapped as one supersection-sized "page".
	KCPP_ASSERT_EQ(t.map(3 * SZ_16M, 0, SZ_64K, rw, 256), 0);
	KCPP_EXPECT_EQ(t.unmap(3 * SZ_16M, SZ_16M), SZ_16M);
	KCPP_EXPECT_EQ(t.tlb.flush_walk, 20);
	KCPP_EXPECT_EQ(t.phys(3 * SZ_16M + SZ_1M), 0u);
}

// Unmap gives tlb_add_page every descriptor it clears (each of a run's 16,
// as upstream) unless there is no gather or it is queued; freeing flushes
// the whole TLB.
KCPP_TEST(iopt_v7s, tlb_maintenance)
{
	TlbLog *log;
	iommu_iotlb_gather *gather = iopt_test::new_gather();
	KCPP_ASSERT_TRUE(gather != nullptr);
	{
		V7sTable t(make_cfg());
		KCPP_ASSERT_EQ(t.error, 0);
		log = &t.tlb;
		KCPP_ASSERT_EQ(t.map(0, 0, SZ_4K, rw, 8), 0);
		KCPP_EXPECT_EQ(t.unmap(0, SZ_4K, 3, gather), 3 * SZ_4K);
		KCPP_EXPECT_EQ(t.tlb.add_page, 3);
		KCPP_EXPECT_EQ(t.tlb.last_iova, 2 * SZ_4K);
		KCPP_EXPECT_EQ(t.tlb.last_granule, SZ_4K);
		KCPP_EXPECT_EQ(t.unmap(3 * SZ_4K, SZ_4K, 2), 2 * SZ_4K);	// no gather
		KCPP_EXPECT_EQ(t.tlb.add_page, 3);
		iopt_test::set_gather_queued(gather, true);
		KCPP_EXPECT_EQ(t.unmap(5 * SZ_4K, SZ_4K, 3, gather), 3 * SZ_4K);
		KCPP_EXPECT_EQ(t.tlb.add_page, 3);
		iopt_test::set_gather_queued(gather, false);

		KCPP_ASSERT_EQ(t.map(0x10000, 0x10000, SZ_64K, rw), 0);
		KCPP_EXPECT_EQ(t.unmap(0x10000, SZ_64K, 1, gather), SZ_64K);
		KCPP_EXPECT_EQ(t.tlb.add_page, 3 + 16);
		KCPP_EXPECT_EQ(t.tlb.last_iova, 0x1f000ul);
		KCPP_EXPECT_EQ(t.tlb.last_granule, SZ_4K);

		KCPP_ASSERT_EQ(t.map(2 * SZ_1M, 0, SZ_1M, rw), 0);
		KCPP_EXPECT_EQ(t.unmap(2 * SZ_1M, SZ_1M, 1, gather), SZ_1M);
		KCPP_EXPECT_EQ(t.tlb.add_page, 3 + 16 + 1);
		KCPP_EXPECT_EQ(t.tlb.last_iova, 2 * SZ_1M);
		KCPP_EXPECT_EQ(t.tlb.last_granule, SZ_1M);

		KCPP_ASSERT_EQ(t.map(SZ_16M, 0, SZ_16M, rw), 0);
		KCPP_EXPECT_EQ(t.unmap(SZ_16M, SZ_16M, 1, gather), SZ_16M);
		KCPP_EXPECT_EQ(t.tlb.add_page, 3 + 16 + 1 + 16);
		KCPP_EXPECT_EQ(t.tlb.last_iova, SZ_16M + 15 * SZ_1M);
		KCPP_EXPECT_EQ(t.tlb.last_granule, SZ_1M);

		KCPP_EXPECT_EQ(t.tlb.flush_walk, 0);
		KCPP_EXPECT_EQ(t.tlb.flush_all, 0);
		free_ops(t.ops);
		KCPP_EXPECT_EQ(log->flush_all, 1);
		t.ops = nullptr;
	}
	iopt_test::delete_gather(gather);
}

// A walker that is not coherent: the same tables, every size.
KCPP_TEST(iopt_v7s, non_coherent_walker)
{
	const long tables_before = iopt_test::tables_in_use();
	{
		V7sTable t(make_cfg(0, false));
		KCPP_ASSERT_EQ(t.error, 0);
		KCPP_ASSERT_EQ(t.map(SZ_1M, SZ_1M, SZ_4K, rw, 2), 0);
		KCPP_ASSERT_EQ(t.map(SZ_1M + SZ_64K, SZ_64K, SZ_64K, rw), 0);
		KCPP_ASSERT_EQ(t.map(2 * SZ_1M, 2 * SZ_1M, SZ_1M, rw), 0);
		KCPP_ASSERT_EQ(t.map(SZ_16M, SZ_16M, SZ_16M, rw), 0);
		KCPP_EXPECT_EQ(t.pte(SZ_1M + SZ_4K, 2), 0xc72u | (SZ_1M + SZ_4K));
		KCPP_EXPECT_EQ(t.phys(SZ_1M + SZ_4K + 1), SZ_1M + SZ_4K + 1);
		KCPP_EXPECT_EQ(t.phys(SZ_1M + SZ_64K + 2), SZ_64K + 2);
		KCPP_EXPECT_EQ(t.phys(2 * SZ_1M + 3), 2 * SZ_1M + 3);
		KCPP_EXPECT_EQ(t.phys(SZ_16M + 4), SZ_16M + 4);
		KCPP_EXPECT_EQ(t.unmap(SZ_1M, SZ_4K, 2), 2 * SZ_4K);
		KCPP_EXPECT_EQ(t.unmap(SZ_1M, SZ_1M), SZ_1M);	// the table with the large page
		KCPP_EXPECT_EQ(t.unmap(SZ_16M, SZ_16M), SZ_16M);
		KCPP_EXPECT_EQ(t.phys(SZ_1M + SZ_64K), 0u);
		KCPP_EXPECT_EQ(t.phys(SZ_16M), 0u);
	}
	KCPP_EXPECT_EQ(iopt_test::tables_in_use(), tables_before);
}

// Smaller input sizes: level 1 keeps its 4096 entries and 16 KiB alignment
// (TTBCR.N is 0); nothing maps, translates or unmaps beyond ias, and a run
// never wraps around to iova 0.
KCPP_TEST(iopt_v7s, input_range)
{
	V7sTable t(make_cfg(0, true, 30));
	KCPP_ASSERT_EQ(t.error, 0);
	KCPP_EXPECT_EQ(t.cfg.arm_v7s_cfg.ttbr & 0x3f80u, 0u);
	KCPP_EXPECT_EQ(t.map((1ull << 30) - SZ_4K, 0, SZ_4K, rw), 0);
	KCPP_EXPECT_EQ(t.map(1ull << 30, 0, SZ_4K, rw), -ERANGE);
	KCPP_EXPECT_EQ(t.map((1ull << 30) - SZ_16M, 0, SZ_16M, rw), -EEXIST);
	KCPP_EXPECT_EQ(t.phys((1ull << 30) - SZ_4K + 8), 8u);

	V7sTable full(make_cfg());
	KCPP_ASSERT_EQ(full.error, 0);
	KCPP_ASSERT_EQ(full.map(0, SZ_1M, SZ_1M, rw), 0);
	KCPP_ASSERT_EQ(full.map(0xfff00000, 0, SZ_1M, rw), 0);
	KCPP_EXPECT_EQ(full.phys((1ull << 32) + 5), 0u);
	KCPP_EXPECT_EQ(full.unmap(0xfff00000, SZ_1M, 2), 0u);	// refused whole
	KCPP_EXPECT_EQ(full.phys(0xfff00005), 5u);
	KCPP_EXPECT_EQ(full.phys(5), SZ_1M + 5);

	V7sTable tiny(make_cfg(0, true, 20));
	KCPP_ASSERT_EQ(tiny.error, 0);
	KCPP_EXPECT_EQ(tiny.map(0, 0, SZ_1M, rw), 0);
	KCPP_EXPECT_EQ(tiny.map(0, 0, SZ_16M, rw), -ERANGE);
	KCPP_EXPECT_EQ(tiny.phys(0xabcde), 0xabcdeu);
}
