// SPDX-License-Identifier: GPL-2.0
// The Arm short-descriptor page-table format of the ARMv7 VMSA ("v7s") for
// IOMMUs: two levels; 4K small pages and 64K large pages at level 2, 1M
// sections and 16M supersections at level 1; the simplified access
// permission model (AP[0] is the access flag) and TEX remap. MediaTek's
// IOMMUs extend it to 35-bit output addresses (MTK_EXT) and to tables above
// 4 GiB (MTK_TTBR_EXT).
//
// Large pages and supersections are "contiguous": one descriptor written to
// 16 consecutive entries, all holding the base address of the run (unlike
// LPAE's contiguous hint, where each entry has its own address). A run is
// mapped and unmapped whole; unmapping a part of it, or a part of a section,
// is refused as current upstream (6.13+) refuses it: nothing is unmapped.
//
// Level-2 tables are 1 KiB, smaller than a page (upstream takes them from a
// kmem_cache). TTBR and table descriptors hold 32-bit addresses, so every
// table must lie below 4 GiB physical; with MTK_TTBR_EXT, below 2^oas. The
// Env should take this format's tables from ZONE_DMA32 (upstream asks with
// GFP_DMA32) unless cfg.quirks has MTK_TTBR_EXT; a table that does not fit
// all the same is freed, and the map or the allocation fails with -ENOMEM,
// as upstream.
//
// Descriptor encodings: Arm ARM (DDI 0406C) B3.5.1, "Short-descriptor
// translation table format descriptors"; the memory types TEX remap gives
// through PRRR and NMRR: B3.8.2.
#pragma once

#include "pgtable.hpp"
#include <kcpp/regs.hpp>

namespace armature::iopt::v7s {

using Pte = u32;

// Level 1 resolves iova[31:20] (iova[33:20] with MTK_EXT and ias 34),
// level 2 iova[19:12].
inline constexpr unsigned section_shift = 20, page_shift = 12;
inline constexpr usize l2_entries = 256;
inline constexpr usize l2_table_bytes = l2_entries * sizeof(Pte);	// 1 KiB
// TTBCR.N = 0: the walker indexes level 1 with all of iova[31:20], so the
// table has its full 4096 entries (16 KiB, 16 KiB aligned) whatever ias.
inline constexpr usize l1_min_entries = 4096;
inline constexpr usize cont_entries = 16;
inline constexpr unsigned max_addr_bits = 32;
inline constexpr unsigned mtk_max_ias = 34, mtk_max_oas = 35;

// The descriptors, each field as B3.5.1 places it. Small pages and sections
// order AP[1:0], TEX, AP[2], S and nG alike, 6 bits apart; large pages keep
// the small page's AP, S and nG but move TEX and XN to [15:12]. AP[0] is
// the access flag, AP[1] unprivileged access, AP[2] read-only.
struct SmallPage : kcpp::BitLayout<SmallPage, Pte> {
	KCPP_BIT(0, xn);
	KCPP_BIT(1, type);	// 1: a small page
	KCPP_BIT(2, b);
	KCPP_BIT(3, c);
	KCPP_FIELD(5, 4, ap);
	KCPP_SUBFIELD(4, 4, ap0, ap);
	KCPP_SUBFIELD(5, 5, ap1, ap);
	KCPP_FIELD(8, 6, tex);
	KCPP_BIT(9, ap2);
	KCPP_BIT(10, s);
	KCPP_BIT(11, ng);
	KCPP_FIELD(31, 12, addr);
};

struct LargePage : kcpp::BitLayout<LargePage, Pte> {
	KCPP_FIELD(1, 0, type);
	KCPP_VALUE(type, large, 1);
	KCPP_BIT(2, b);
	KCPP_BIT(3, c);
	KCPP_FIELD(5, 4, ap);
	KCPP_SUBFIELD(4, 4, ap0, ap);
	KCPP_SUBFIELD(5, 5, ap1, ap);
	KCPP_BIT(9, ap2);
	KCPP_BIT(10, s);
	KCPP_BIT(11, ng);
	KCPP_FIELD(14, 12, tex);
	KCPP_BIT(15, xn);
	KCPP_FIELD(31, 16, addr);
};

// Level 1: a table, a section, or a supersection (a section with bit 18).
struct L1Table : kcpp::BitLayout<L1Table, Pte> {
	KCPP_FIELD(1, 0, type);
	KCPP_VALUE(type, table, 1);
	KCPP_BIT(3, ns);
	KCPP_FIELD(31, 10, addr);
};

struct Section : kcpp::BitLayout<Section, Pte> {
	KCPP_FIELD(1, 0, type);	// bit 0 would be PXN: never set
	KCPP_VALUE(type, section, 2);
	KCPP_BIT(2, b);
	KCPP_BIT(3, c);
	KCPP_BIT(4, xn);
	KCPP_FIELD(11, 10, ap);
	KCPP_SUBFIELD(10, 10, ap0, ap);
	KCPP_SUBFIELD(11, 11, ap1, ap);
	KCPP_FIELD(14, 12, tex);
	KCPP_BIT(15, ap2);
	KCPP_BIT(16, s);
	KCPP_BIT(17, ng);
	KCPP_BIT(18, supersection);
	KCPP_BIT(19, ns);
	KCPP_FIELD(31, 20, addr);
	KCPP_SUBFIELD(31, 24, supersection_addr, addr);
};

// MediaTek's output address bits 32, 33 and 34, in descriptor bits 9, 4
// and 5 of tables and leaves (MTK_EXT; MTK_TTBR_EXT for tables). In a page
// these are AP bits, which is why MTK_EXT needs NO_PERMS.
struct MtkExt : kcpp::BitLayout<MtkExt, Pte> {
	KCPP_BIT(4, pa33);
	KCPP_BIT(5, pa34);
	KCPP_BIT(9, pa32);
};

// The type bits, and B and C, are the same in every descriptor (every leaf).
inline constexpr Pte type_mask = LargePage::type_mask;
static_assert(type_mask == L1Table::type_mask && type_mask == Section::type_mask);
static_assert(SmallPage::b_mask == LargePage::b_mask && SmallPage::b_mask == Section::b_mask &&
	      SmallPage::c_mask == LargePage::c_mask && SmallPage::c_mask == Section::c_mask);

// The four kinds of leaf, and where their fields sit.
enum class Leaf : u8 { small_page, large_page, section, supersection };
inline constexpr unsigned leaf_kinds = 4;

struct Layout {
	Pte type;		// type bits, and the supersection bit
	Pte xn;
	Pte ap0;		// the access flag
	Pte ap1;		// unprivileged access
	Pte ap2;		// read-only
	unsigned tex_shift;
	Pte s;
	Pte ng;
	Pte addr_mask;
	unsigned level;
	unsigned span;		// entries one leaf occupies
};

template <typename D>
constexpr Layout layout_of(Pte type, unsigned level, unsigned span, Pte addr_mask = D::addr_mask)
{
	return {.type = type, .xn = D::xn_mask, .ap0 = D::ap0_mask, .ap1 = D::ap1_mask,
		.ap2 = D::ap2_mask, .tex_shift = D::tex_field::lo, .s = D::s_mask, .ng = D::ng_mask,
		.addr_mask = addr_mask, .level = level, .span = span};
}

inline constexpr Layout layouts[leaf_kinds] = {
	layout_of<SmallPage>(SmallPage::type_mask, 2, 1),
	layout_of<LargePage>(LargePage::type_large, 2, cont_entries),
	layout_of<Section>(Section::type_section, 1, 1),
	layout_of<Section>(Section::type_section | Section::supersection_mask, 1, cont_entries,
			   Section::supersection_addr_mask),
};

constexpr const Layout &layout(Leaf leaf) { return layouts[static_cast<unsigned>(leaf)]; }
constexpr u64 entry_bytes(const Layout &l)
{
	return u64(1) << (l.level == 1 ? section_shift : page_shift);
}
constexpr u64 leaf_bytes(const Layout &l) { return entry_bytes(l) * l.span; }

// TEX remap: TEX[0], C and B form an index into PRRR and NMRR. The three
// memory types in use sit at the indices whose meaning without remap is
// closest, so a walker with TEX remap off sees nearly the same.
inline constexpr unsigned remap_device = 1;	// TEX[0] 0, C 0, B 1
inline constexpr unsigned remap_normal_nc = 4;	// TEX[0] 1, C 0, B 0
inline constexpr unsigned remap_normal_wb = 7;	// TEX[0] 1, C 1, B 1

// PRRR: TRn (2 bits each) 1 device, 2 normal; DS0/DS1 make device memory
// shareable whatever S; NS1 makes normal memory with S set shareable;
// NOSn says inner (not outer) shareable. NMRR: IRn/ORn 1 is write-back
// write-allocate, 0 non-cacheable.
struct PRRR : kcpp::BitLayout<PRRR, u32> {
	KCPP_FIELD(3, 2, tr1);
	KCPP_FIELD(9, 8, tr4);
	KCPP_FIELD(15, 14, tr7);
	KCPP_VALUE(tr1, device, 1);
	KCPP_VALUE(tr4, normal, 2);
	KCPP_VALUE(tr7, normal, 2);
	KCPP_BIT(16, ds0);
	KCPP_BIT(17, ds1);
	KCPP_BIT(19, ns1);
	KCPP_BIT(31, nos7);
};
struct NMRR : kcpp::BitLayout<NMRR, u32> {
	KCPP_FIELD(15, 14, ir7);
	KCPP_VALUE(ir7, wbwa, 1);
	KCPP_FIELD(31, 30, or7);
	KCPP_VALUE(or7, wbwa, 1);
};
static_assert(remap_device == 1 && remap_normal_nc == 4 && remap_normal_wb == 7);

inline constexpr u32 prrr = PRRR::Get()
				    .set_tr1(PRRR::tr1_device)
				    .set_tr4(PRRR::tr4_normal)
				    .set_tr7(PRRR::tr7_normal)
				    .set_ds0(1)
				    .set_ds1(1)
				    .set_ns1(1)
				    .set_nos7(1)
				    .reg_value();
inline constexpr u32 nmrr = NMRR::Get().set_ir7(NMRR::ir7_wbwa).set_or7(NMRR::or7_wbwa).reg_value();

// TTBR0 (with the Multiprocessing Extensions): IRGN is split over bits 6
// (IRGN[0]) and 0 (IRGN[1]); RGN (outer) is bits [4:3].
struct TTBR0 : kcpp::BitLayout<TTBR0, u32> {
	KCPP_BIT(0, irgn1);
	KCPP_BIT(1, s);
	KCPP_FIELD(4, 3, rgn);
	KCPP_VALUE(rgn, nc, 0);
	KCPP_VALUE(rgn, wbwa, 1);
	KCPP_BIT(5, nos);
	KCPP_BIT(6, irgn0);
};

// Descriptor attributes of a leaf for an IOMMU_* prot (all but the address).
constexpr Pte prot_to_attrs(Leaf leaf, unsigned long quirks, int iommu_prot)
{
	const Layout &l = layout(leaf);
	const unsigned type = iommu_prot & prot::mmio ? remap_device
			      : iommu_prot & prot::cache ? remap_normal_wb
							 : remap_normal_nc;
	Pte pte = l.type | l.ng | l.s;

	pte |= Pte(type >> 2) << l.tex_shift;
	if (type & 2)
		pte |= SmallPage::c_mask;
	if (type & 1)
		pte |= SmallPage::b_mask;
	// NO_PERMS: the walker does not check permissions; the bits may be
	// address bits instead (MTK_EXT).
	if (!(quirks & quirk::no_perms)) {
		pte |= l.ap0;
		if (!(iommu_prot & prot::priv))
			pte |= l.ap1;
		if (!(iommu_prot & prot::write))
			pte |= l.ap2;
		if (iommu_prot & prot::noexec)
			pte |= l.xn;
	}
	if (l.level == 1 && (quirks & quirk::arm_ns))
		pte |= Section::ns_mask;
	return pte;
}

constexpr Pte mtk_pa_bits(u64 pa)
{
	Pte pte = 0;
	if (pa & (u64(1) << 32))
		pte |= MtkExt::pa32_mask;
	if (pa & (u64(1) << 33))
		pte |= MtkExt::pa33_mask;
	if (pa & (u64(1) << 34))
		pte |= MtkExt::pa34_mask;
	return pte;
}

constexpr u64 mtk_pa_of(Pte pte)
{
	u64 pa = 0;
	if (pte & MtkExt::pa32_mask)
		pa |= u64(1) << 32;
	if (pte & MtkExt::pa33_mask)
		pa |= u64(1) << 33;
	if (pte & MtkExt::pa34_mask)
		pa |= u64(1) << 34;
	return pa;
}

// Output address <-> leaf descriptor. pa is aligned to the leaf's size.
constexpr Pte leaf_address(Leaf leaf, u64 pa, bool mtk_ext)
{
	Pte pte = static_cast<Pte>(pa) & layout(leaf).addr_mask;
	return mtk_ext ? pte | mtk_pa_bits(pa) : pte;
}

constexpr u64 leaf_pa(Leaf leaf, Pte pte, bool mtk_ext)
{
	u64 pa = pte & layout(leaf).addr_mask;
	return mtk_ext ? pa | mtk_pa_of(pte) : pa;
}

// A level-1 descriptor pointing to the level-2 table at pa.
constexpr Pte table_descriptor(u64 pa, unsigned long quirks)
{
	Pte pte = (static_cast<Pte>(pa) & L1Table::addr_mask) | L1Table::type_table;
	if (quirks & quirk::mtk_ttbr_ext)
		pte |= mtk_pa_bits(pa);
	if (quirks & quirk::arm_ns)
		pte |= L1Table::ns_mask;
	return pte;
}

constexpr u64 table_pa(Pte pte, bool mtk_ext)
{
	u64 pa = pte & L1Table::addr_mask;
	return mtk_ext ? pa | mtk_pa_of(pte) : pa;
}

// The TTBR for a level-1 table at pgd_pa. MediaTek's takes no attributes
// but PA[34:32] in bits [2:0] (a 16 KiB aligned table leaves them free).
constexpr u32 ttbr_value(u64 pgd_pa, unsigned long quirks, bool coherent)
{
	if (quirks & quirk::mtk_ext)
		return static_cast<u32>(pgd_pa) | static_cast<u32>(pgd_pa >> 32);
	constexpr auto attrs = [](u32 rgn, bool nos) {
		return TTBR0::Get()
			.set_s(1)
			.set_nos(nos)
			.set_irgn0(rgn & 1)
			.set_irgn1(rgn >> 1)
			.set_rgn(rgn)
			.reg_value();
	};
	constexpr u32 coherent_attrs = attrs(TTBR0::rgn_wbwa, true);
	constexpr u32 noncoherent_attrs = attrs(TTBR0::rgn_nc, false);
	return static_cast<u32>(pgd_pa) | (coherent ? coherent_attrs : noncoherent_attrs);
}

constexpr bool l1_is_table(Pte pte) { return (pte & type_mask) == L1Table::type_table; }
constexpr bool is_valid(Pte pte) { return pte & type_mask; }

// The kind of a valid leaf found at a level.
constexpr Leaf leaf_kind(unsigned level, Pte pte)
{
	if (level == 1)
		return pte & Section::supersection_mask ? Leaf::supersection : Leaf::section;
	return pte & SmallPage::type_mask ? Leaf::small_page : Leaf::large_page;
}

// Is a valid entry one of the 16 of a large page or supersection?
constexpr bool is_contiguous(unsigned level, Pte pte)
{
	if (level == 1)
		return !l1_is_table(pte) && (pte & Section::supersection_mask);
	return (pte & type_mask) == LargePage::type_large;
}

// A page table. Standard layout: the core's armature_pgtable comes first,
// and ops lead back to it.
struct Table {
	armature_pgtable iop;
	Pte *pgd;
	LinearMap linear;
	usize l1_entries;
	bool mtk_ext;
	Pte attrs[leaf_kinds][prot::all + 1];	// prot_to_attrs() for every leaf and prot

	bool noncoherent() const { return !iop.cfg.coherent_walk; }
	usize pgd_bytes() const { return l1_entries * sizeof(Pte); }
};

// Table memory the walker can reach: below 4 GiB, or below 2^oas with
// MTK_TTBR_EXT. Null if there is none.
template <typename Env>
Pte *alloc_walkable_table(const armature_pgtable_cfg &cfg, usize bytes, unsigned gfp)
{
	const unsigned bits = cfg.quirks & quirk::mtk_ttbr_ext ? cfg.oas : max_addr_bits;
	return alloc_table_below<Env, Pte>(cfg, bytes, gfp, bits);
}

template <typename Env>
class Walker {
	static usize l1_index(const Table &t, u64 iova)
	{
		return (iova >> section_shift) & (t.l1_entries - 1);
	}
	static usize l2_index(u64 iova) { return (iova >> page_shift) & (l2_entries - 1); }

	static Pte *l2_table(const Table &t, Pte l1) { return t.linear.virt<Pte>(table_pa(l1, t.mtk_ext)); }

	static void sync(const Table &t, const Pte *ptep, usize count)
	{
		if (t.noncoherent() && count)
			Env::sync(t.iop.cfg, ptep, count * sizeof(Pte));
	}

	static bool is_empty_table(const Table &t, Pte l1)
	{
		if (!l1_is_table(l1))
			return false;
		const Pte *table = l2_table(t, l1);
		for (usize i = 0; i < l2_entries; i++)
			if (pte_load(table + i))
				return false;
		return true;
	}

	// Removes the level-2 table a level-1 entry points to: the entry is
	// cleared and pushed out, the walk cache flushed for its megabyte,
	// and only then is the table freed.
	static void drop_table(Table &t, Pte *ptep, Pte l1, u64 iova)
	{
		pte_store(ptep, Pte(0));
		sync(t, ptep, 1);
		tlb_flush_walk(t.iop, iova, SZ_1M, SZ_4K);
		Env::free_table(t.iop.cfg, l2_table(t, l1), l2_table_bytes);
	}

	// The level-2 table under iova, installing an empty one if there is
	// none; -EEXIST if a section or supersection covers iova.
	static int l2_table_for(Table &t, u64 iova, unsigned gfp, Pte *&out)
	{
		Pte *ptep = t.pgd + l1_index(t, iova);
		Pte pte = pte_load(ptep);
		if (!pte) {
			Pte *table = alloc_walkable_table<Env>(t.iop.cfg, l2_table_bytes, gfp);
			if (!table)
				return -ENOMEM;
			Env::dma_wmb();	// the zeroed table before the descriptor that publishes it
			pte = pte_cmpxchg(ptep, Pte(0), table_descriptor(t.linear.phys(table), t.iop.cfg.quirks));
			sync(t, ptep, 1);
			if (!pte) {
				out = table;
				return 0;
			}
			Env::free_table(t.iop.cfg, table, l2_table_bytes);	// another CPU was first
		} else {
			// No spare bit records whether the CPU that installed it
			// has pushed it to a non-coherent walker yet: push again.
			sync(t, ptep, 1);
		}
		if (!l1_is_table(pte))
			return -EEXIST;
		out = l2_table(t, pte);
		return 0;
	}

	// iova's entry in the table that holds it, and how many entries the
	// table has from there on.
	struct Slot {
		Pte *ptep;
		usize room;
	};

	static Slot l1_slot(const Table &t, u64 iova)
	{
		usize first = l1_index(t, iova);
		return {t.pgd + first, t.l1_entries - first};
	}

	static Slot l2_slot(Pte *table, u64 iova)
	{
		usize first = l2_index(iova);
		return {table + first, l2_entries - first};
	}

	static int map_leaves(Table &t, Leaf leaf, u64 iova, u64 paddr, usize pgcount, int iommu_prot,
			      unsigned gfp, usize &mapped)
	{
		const Layout &l = layout(leaf);
		const u64 size = leaf_bytes(l);
		const Pte attrs = t.attrs[static_cast<unsigned>(leaf)][iommu_prot & prot::all];

		while (pgcount) {
			Slot slot;
			if (l.level == 1) {
				slot = l1_slot(t, iova);
			} else {
				Pte *table;
				int ret = l2_table_for(t, iova, gfp, table);
				if (ret)
					return ret;
				slot = l2_slot(table, iova);
			}
			// iova is aligned to the leaf size, so a run never
			// straddles the end of a table.
			usize n = slot.room / l.span;
			if (n > pgcount)
				n = pgcount;
			const usize count = n * l.span;
			Pte *ptep = slot.ptep;

			// Refuse before changing anything. Unlike upstream, a
			// section does not silently replace a level-2 table that
			// still maps pages; an empty one goes.
			for (usize i = 0; i < count; i++) {
				Pte old = pte_load(ptep + i);
				if (old && !(l.level == 1 && is_empty_table(t, old)))
					return -EEXIST;
			}
			if (l.level == 1) {
				for (usize i = 0; i < count; i++) {
					Pte old = pte_load(ptep + i);
					if (old)
						drop_table(t, ptep + i, old, iova + i * entry_bytes(l));
				}
			}
			for (usize i = 0; i < n; i++) {
				const Pte desc = attrs | leaf_address(leaf, paddr + i * size, t.mtk_ext);
				for (usize j = 0; j < l.span; j++)
					pte_store(ptep + i * l.span + j, desc);
			}
			sync(t, ptep, count);
			mapped += n * size;
			pgcount -= n;
			iova += n * size;
			paddr += n * size;
		}
		return 0;
	}

	static void report_partial(const Table &t, u64 iova, u64 size)
	{
		Env::report(t.iop.cfg,
			    "unmap of %#llx bytes at %#llx inside a larger leaf: not supported, nothing unmapped\n",
			    static_cast<unsigned long long>(size), static_cast<unsigned long long>(iova));
	}

	// The slot of iova's leaf at the leaf's level; false where there is
	// nothing to unmap (no level-2 table there, or a section: reported).
	static bool unmap_slot(const Table &t, const Layout &l, u64 iova, u64 size, Slot &slot)
	{
		if (l.level == 1) {
			slot = l1_slot(t, iova);
			return true;
		}
		const Pte l1 = pte_load(t.pgd + l1_index(t, iova));
		if (!l1_is_table(l1)) {
			if (l1)	// inside a section or supersection
				report_partial(t, iova, size);
			return false;
		}
		slot = l2_slot(l2_table(t, l1), iova);
		return true;
	}

	// Clears the l.span entries of the leaf at run, keeping what they held
	// in old; false, with nothing cleared, where the leaf is not mapped
	// whole at this size.
	static bool clear_leaf(const Table &t, const Layout &l, Pte *run, u64 iova, u64 size,
			       Pte (&old)[cont_entries])
	{
		bool hole = false;
		for (usize j = 0; j < l.span; j++) {
			old[j] = pte_load(run + j);
			hole |= !is_valid(old[j]);
		}
		if (hole)
			return false;
		// One entry of a run: a part of a larger leaf.
		if (l.span == 1 && is_contiguous(l.level, old[0])) {
			report_partial(t, iova, size);
			return false;
		}
		for (usize j = 0; j < l.span; j++)
			pte_store(run + j, Pte(0));
		return true;
	}

	// A cleared level-1 leaf: its entries pushed out, the level-2 tables
	// they pointed to flushed and freed, the rest gathered.
	static void release_l1_leaf(Table &t, const Layout &l, Pte *run, const Pte (&old)[cont_entries],
				    u64 iova, iommu_iotlb_gather *gather, bool add_pages)
	{
		const u64 entry = entry_bytes(l);

		sync(t, run, l.span);
		for (usize j = 0; j < l.span; j++) {
			const u64 at = iova + j * entry;
			if (l1_is_table(old[j])) {
				tlb_flush_walk(t.iop, at, SZ_1M, SZ_4K);
				Env::free_table(t.iop.cfg, l2_table(t, old[j]), l2_table_bytes);
			} else if (add_pages) {
				tlb_add_page(t.iop, gather, at, entry);
			}
		}
	}

	// Unmaps leaves from iova on; stops at the first one that is not
	// mapped whole at this size. Returns the bytes unmapped.
	static usize unmap_leaves(Table &t, Leaf leaf, u64 iova, usize pgcount, iommu_iotlb_gather *gather)
	{
		const Layout &l = layout(leaf);
		const u64 size = leaf_bytes(l);
		const u64 entry = entry_bytes(l);
		const bool add_pages = gather && !Env::gather_queued(gather);
		usize unmapped = 0;

		while (pgcount) {
			Slot slot;
			if (!unmap_slot(t, l, iova, size, slot))
				return unmapped;
			usize n = slot.room / l.span;
			if (n > pgcount)
				n = pgcount;
			Pte *ptep = slot.ptep;
			usize done = 0;
			for (; done < n; done++) {
				Pte *run = ptep + done * l.span;
				Pte old[cont_entries];
				if (!clear_leaf(t, l, run, iova + done * size, size, old))
					break;
				// Level 2 has no tables: pushed out and gathered below.
				if (l.level == 1)
					release_l1_leaf(t, l, run, old, iova + done * size, gather, add_pages);
			}
			if (l.level == 2) {
				// One page per cleared entry (16 for a large page), as
				// upstream gathers them.
				sync(t, ptep, done * l.span);
				if (add_pages)
					for (usize j = 0; j < done * l.span; j++)
						tlb_add_page(t.iop, gather, iova + j * entry, entry);
			}
			unmapped += done * size;
			if (done < n)
				return unmapped;
			pgcount -= n;
			iova += n * size;
		}
		return unmapped;
	}

	static bool leaf_for(u64 pgsize, Leaf &leaf)
	{
		switch (pgsize) {
		case SZ_4K: leaf = Leaf::small_page; return true;
		case SZ_64K: leaf = Leaf::large_page; return true;
		case SZ_1M: leaf = Leaf::section; return true;
		case SZ_16M: leaf = Leaf::supersection; return true;
		}
		return false;
	}

public:
	static int map_pages(armature_pgtable_ops *ops, unsigned long iova, unsigned long long paddr,
			     unsigned long pgsize, unsigned long pgcount, int iommu_prot, unsigned int gfp,
			     unsigned long *mapped)
	{
		Table &t = table_of<Table>(ops);
		Leaf leaf;
		int ret = check_map_args(t.iop.cfg, iova, paddr, pgsize, pgcount, iommu_prot);
		if (!ret && !leaf_for(pgsize, leaf))
			ret = -EINVAL;
		if (!ret) {
			usize done = 0;
			ret = map_leaves(t, leaf, iova, paddr, pgcount, iommu_prot, gfp, done);
			*mapped += done;
		}
		return finish_map<Env>(t.iop.cfg, ret, iova, paddr, pgsize, pgcount, iommu_prot);
	}

	static unsigned long unmap_pages(armature_pgtable_ops *ops, unsigned long iova,
					 unsigned long pgsize, unsigned long pgcount,
					 iommu_iotlb_gather *gather)
	{
		Table &t = table_of<Table>(ops);
		const armature_pgtable_cfg &cfg = t.iop.cfg;
		Leaf leaf;
		if (!check_unmap_args<Env>(cfg, iova, pgsize, pgcount) || !leaf_for(pgsize, leaf))
			return 0;
		// The end of the input range is a hole: the index must not wrap.
		const u64 room = ((u64(1) << cfg.ias) - iova) / pgsize;
		if (pgcount > room)
			pgcount = room;
		return unmap_leaves(t, leaf, iova, pgcount, gather);
	}

	static unsigned long long iova_to_phys(armature_pgtable_ops *ops, unsigned long iova)
	{
		const Table &t = table_of<Table>(ops);
		if (!iova_in_range(t.iop.cfg, iova))
			return 0;
		unsigned level = 1;
		Pte pte = pte_load(t.pgd + l1_index(t, iova));
		if (l1_is_table(pte)) {
			level = 2;
			pte = pte_load(l2_table(t, pte) + l2_index(iova));
		}
		if (!is_valid(pte))
			return 0;
		const Leaf leaf = leaf_kind(level, pte);
		return leaf_pa(leaf, pte, t.mtk_ext) | (iova & (leaf_bytes(layout(leaf)) - 1));
	}

	static void free(Table &t)
	{
		for (usize i = 0; i < t.l1_entries; i++) {
			Pte pte = t.pgd[i];
			if (l1_is_table(pte))
				Env::free_table(t.iop.cfg, l2_table(t, pte), l2_table_bytes);
		}
		Env::free_table(t.iop.cfg, t.pgd, t.pgd_bytes());
	}

	// No dirty tracking in this format: read_and_clear_dirty stays null,
	// as upstream leaves it.
	static constexpr armature_pgtable_ops ops = ops_of<Walker>();
};

template <typename Env>
int alloc(armature_pgtable_fmt fmt, armature_pgtable_cfg *cfg, void *cookie,
	  armature_pgtable **out)
{
	constexpr unsigned long allowed = quirk::arm_ns | quirk::no_perms | quirk::mtk_ext |
					  quirk::mtk_ttbr_ext;
	const bool mtk = cfg->quirks & quirk::mtk_ext;
	const unsigned max_ias = mtk ? mtk_max_ias : max_addr_bits;
	const unsigned max_oas = mtk ? mtk_max_oas : max_addr_bits;

	if (fmt != ARMATURE_PGTABLE_ARM_V7S) {
		Env::report(*cfg, "format %d is not v7s\n", static_cast<int>(fmt));
		return -EINVAL;
	}
	if (cfg->ias > max_ias || cfg->oas > max_oas) {
		Env::report(*cfg, "ias %u / oas %u beyond the format's %u / %u bits\n", cfg->ias,
			    cfg->oas, max_ias, max_oas);
		return -EINVAL;
	}
	if (cfg->quirks & ~allowed) {
		Env::report(*cfg, "quirks %#lx not supported by this format\n", cfg->quirks & ~allowed);
		return -EINVAL;
	}
	// MTK_EXT puts address bits where a page keeps its permissions.
	if (mtk && !(cfg->quirks & quirk::no_perms)) {
		Env::report(*cfg, "MTK_EXT needs NO_PERMS\n");
		return -EINVAL;
	}
	if ((cfg->quirks & quirk::mtk_ttbr_ext) && !mtk) {
		Env::report(*cfg, "MTK_TTBR_EXT needs MTK_EXT\n");
		return -EINVAL;
	}
	// Supersections only if the caller asks for them, as upstream.
	cfg->pgsize_bitmap &= SZ_4K | SZ_64K | SZ_1M | SZ_16M;

	auto *t = new_table<Env, Table>();
	if (!t)
		return -ENOMEM;
	t->mtk_ext = mtk;
	t->l1_entries = cfg->ias > max_addr_bits ? usize(1) << (cfg->ias - section_shift) : l1_min_entries;
	for (unsigned k = 0; k < leaf_kinds; k++)
		for (int p = 0; p <= prot::all; p++)
			t->attrs[k][p] = prot_to_attrs(static_cast<Leaf>(k), cfg->quirks, p);
	t->iop.cfg = *cfg;	// the Env picks table memory by the table's quirks

	// Level 1 below 4 GiB (ZONE_DMA32), unless MTK_TTBR_EXT lets it go higher.
	const unsigned l1_gfp = Env::gfp_kernel | (cfg->quirks & quirk::mtk_ttbr_ext ? 0 : Env::gfp_dma32);
	t->pgd = alloc_walkable_table<Env>(t->iop.cfg, t->pgd_bytes(), l1_gfp);
	if (!t->pgd) {
		delete_table<Env>(t);
		return -ENOMEM;
	}
	const u64 pgd_pa = Env::virt_to_phys(t->pgd);
	t->linear = LinearMap(t->pgd, pgd_pa);

	cfg->arm_v7s_cfg.tcr = 0;	// TTBCR.N = 0 (TTBR0 covers all), EAE = 0
	cfg->arm_v7s_cfg.prrr = prrr;
	cfg->arm_v7s_cfg.nmrr = nmrr;
	cfg->arm_v7s_cfg.ttbr = ttbr_value(pgd_pa, cfg->quirks, cfg->coherent_walk);
	// The empty pgd visible before the caller can write it to a TTBR.
	Env::wmb();

	hand_out(t->iop, fmt, cookie, *cfg, Walker<Env>::ops, out);
	return 0;
}

template <typename Env>
void free(armature_pgtable *iop)
{
	auto *t = reinterpret_cast<Table *>(iop);
	Walker<Env>::free(*t);
	delete_table<Env>(t);
}

template <typename Env>
inline constexpr armature_pgtable_init_fns init_fns = {
	.alloc = alloc<Env>,
	.free = free<Env>,
	.caps = 0,	// no custom allocator, as upstream
};

} // namespace armature::iopt::v7s
