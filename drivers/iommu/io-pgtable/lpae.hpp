// SPDX-License-Identifier: GPL-2.0
// The Arm LPAE (VMSAv8-64 / VMSAv7 long-descriptor) page-table formats:
// stage 1 and stage 2 for 64-bit and 32-bit IOMMUs, and Mali's variant.
//
// A table's geometry (granule, start level) is fixed when it is allocated.
// Walker is instantiated per start level, so the number of levels is a
// compile-time constant and the walks are unrolled loops instead of
// upstream's recursion over run-time levels. The granule is a constant too
// for 4K (shifts and index masks are immediates); 16K and 64K tables share
// walkers that read it from the table. Documentation/io-pgtable.rst, "Size",
// has what each instantiation costs in bytes and in instructions.
//
// Descriptor encodings: Arm ARM (DDI 0487) D8.3, "Translation table
// descriptor formats"; stage-2 attributes D8.6; Mali from the upstream driver.
#pragma once

#include "pgtable.hpp"
#include <kcpp/regs.hpp>

namespace armature::iopt::lpae {

using Pte = u64;

inline constexpr unsigned max_levels = 4;
inline constexpr unsigned max_addr_bits = 52;
inline constexpr unsigned s2_max_concat_pages = 16;

// The descriptor bits the tables use: stage 1's leaf attributes, the
// stage-2 readings of the same bits, and the table descriptor's NSTable.
struct Desc : kcpp::BitLayout<Desc, Pte> {
	KCPP_FIELD(1, 0, type);
	KCPP_VALUE(type, block, 1);
	KCPP_VALUE(type, table, 3);
	KCPP_VALUE(type, page, 3);
	KCPP_FIELD(4, 2, attrindx);		// MAIR's Attr<n>: see mair below
	KCPP_VALUE(attrindx, cache, 1);
	KCPP_VALUE(attrindx, dev, 2);
	KCPP_BIT(5, ns);
	KCPP_FIELD(7, 6, ap);			// AP[2:1]
	KCPP_SUBFIELD(6, 6, ap_unpriv, ap);	// AP[1]
	KCPP_SUBFIELD(7, 7, ap_rdonly, ap);	// AP[2]
	KCPP_ALT_FIELD(5, 2, memattr, attrindx, ns);	// stage 2 MemAttr[3:0]
	KCPP_VALUE(memattr, dev, 0x1);
	KCPP_VALUE(memattr, nc, 0x5);
	KCPP_VALUE(memattr, oiwb, 0xf);
	// With FEAT_S2FWB, MemAttr[2] set reads [1:0] as a forced Normal type:
	// 0b10 write-back whatever stage 1 says. dev and nc read the same
	// either way (D8.6.6, "Stage 2 memory type and Cacheability attributes
	// when FEAT_S2FWB is enabled").
	KCPP_VALUE(memattr, fwb_wb, 0x6);
	KCPP_ALT_FIELD(7, 6, s2ap, ap);		// stage 2
	KCPP_SUBFIELD(6, 6, hap_read, s2ap);
	KCPP_SUBFIELD(7, 7, hap_write, s2ap);
	KCPP_FIELD(9, 8, sh);
	KCPP_VALUE(sh, os, 2);
	KCPP_VALUE(sh, is, 3);
	KCPP_BIT(10, af);
	KCPP_BIT(11, ng);
	KCPP_FIELD(47, 12, oa);			// with 64K pages, [15:12] hold OA[51:48]
	KCPP_BIT(51, dbm);
	KCPP_BIT(52, contig);			// one of an aligned run of like entries
	KCPP_FIELD(54, 53, xn);			// PXN and UXN (XN[1:0] at stage 2)
	KCPP_BIT(55, sw_sync);			// software: table pushed to a non-coherent walker
	KCPP_BIT(63, nstable);			// table descriptors
};

// MAIR (and Mali's MEMATTR, laid out alike): the attributes AttrIndx picks.
struct MAIR : kcpp::BitLayout<MAIR, u64> {
	KCPP_FIELD(7, 0, attr0);
	KCPP_FIELD(15, 8, attr1);
	KCPP_FIELD(23, 16, attr2);
	KCPP_FIELD(31, 24, attr3);
};
static_assert(Desc::attrindx_cache == 1 && Desc::attrindx_dev == 2);
// Normal non-cacheable, normal write-back read/write-allocate, Device-nGnRE,
// normal inner non-cacheable outer write-back.
inline constexpr u64 mair =
	MAIR::Get().set_attr0(0x44).set_attr1(0xff).set_attr2(0x04).set_attr3(0xf4).reg_value();
// Mali: implementation defined, write-allocate, implementation defined.
inline constexpr u64 mali_memattr =
	MAIR::Get().set_attr0(0x88).set_attr1(0x8d).set_attr2(0x88).reg_value();

// Mali's TRANSTAB attributes, in the low bits of the pgd's address.
struct MaliTranstab : kcpp::BitLayout<MaliTranstab, u64> {
	KCPP_FIELD(1, 0, adrmode);
	KCPP_VALUE(adrmode, table, 3);
	KCPP_BIT(2, read_inner);
	KCPP_BIT(4, share_outer);
};

// TCR's (and VTCR's) fields that io-pgtable hands over, with the values it
// gives them; VTCR's share TCR's encodings.
struct TCR : kcpp::BitLayout<TCR, u64> {
	KCPP_FIELD(5, 0, t0sz);
	KCPP_FIELD(9, 8, irgn0);
	KCPP_VALUE(irgn0, nc, 0);
	KCPP_VALUE(irgn0, wbwa, 1);
	KCPP_FIELD(11, 10, orgn0);
	KCPP_VALUE(orgn0, nc, 0);
	KCPP_VALUE(orgn0, wbwa, 1);
	KCPP_FIELD(13, 12, sh0);
	KCPP_VALUE(sh0, os, 2);
	KCPP_VALUE(sh0, is, 3);
	KCPP_FIELD(15, 14, tg0);
	KCPP_VALUE(tg0, 4k, 0);
	KCPP_VALUE(tg0, 64k, 1);
	KCPP_VALUE(tg0, 16k, 2);
	KCPP_FIELD(31, 30, tg1);
	KCPP_VALUE(tg1, 16k, 1);
	KCPP_VALUE(tg1, 4k, 2);
	KCPP_VALUE(tg1, 64k, 3);
	KCPP_FIELD(34, 32, ips);
};

constexpr bool is_stage1(armature_pgtable_fmt fmt)
{
	return fmt == ARMATURE_PGTABLE_ARM_64_LPAE_S1 || fmt == ARMATURE_PGTABLE_ARM_32_LPAE_S1;
}

constexpr bool is_stage2(armature_pgtable_fmt fmt)
{
	return fmt == ARMATURE_PGTABLE_ARM_64_LPAE_S2 || fmt == ARMATURE_PGTABLE_ARM_32_LPAE_S2;
}

// Descriptor attributes for an IOMMU_* prot (everything but type and address).
constexpr Pte prot_to_attrs(armature_pgtable_fmt fmt, unsigned long quirks, int iommu_prot)
{
	const bool mali = fmt == ARMATURE_PGTABLE_ARM_MALI_LPAE;
	auto pte = Desc::Get();

	if (is_stage1(fmt)) {
		pte.set_ng(1);
		if (!(iommu_prot & prot::write) && (iommu_prot & prot::read))
			pte.set_ap_rdonly(1);
		else if (quirks & quirk::arm_hd)
			pte.set_dbm(1);	// writable, and dirty until cleaned
		if (!(iommu_prot & prot::priv))
			pte.set_ap_unpriv(1);
	} else {
		// Stage 2, and Mali: its permissions are stage-2 style.
		pte.set_hap_read(iommu_prot & prot::read ? 1 : 0);
		pte.set_hap_write(iommu_prot & prot::write ? 1 : 0);
	}

	if (is_stage2(fmt)) {
		if (iommu_prot & prot::mmio)
			pte.set_memattr(Desc::memattr_dev);
		else if (iommu_prot & prot::cache)
			pte.set_memattr(quirks & quirk::s2fwb ? Desc::memattr_fwb_wb : Desc::memattr_oiwb);
		else
			pte.set_memattr(Desc::memattr_nc);
	} else if (iommu_prot & prot::mmio) {
		pte.set_attrindx(Desc::attrindx_dev);
	} else if (iommu_prot & prot::cache) {
		pte.set_attrindx(Desc::attrindx_cache);
	}

	// Mali's inner shareable domain is the GPU's own: always outer.
	pte.set_sh((iommu_prot & prot::cache) && !mali ? Desc::sh_is : Desc::sh_os);
	if (iommu_prot & prot::noexec)
		pte.set_xn(Desc::xn_field::max);
	if (quirks & quirk::arm_ns)
		pte.set_ns(1);
	if (!mali)
		pte.set_af(1);
	return pte.reg_value();
}

// Output address <-> descriptor. With the 64K granule, PA[51:48] live in
// descriptor bits [15:12] (the low bits a 64K-aligned address does not use).
template <unsigned PgShift>
constexpr Pte oa_to_pte(u64 pa)
{
	if constexpr (PgShift == 16)
		return (pa | (pa >> (48 - 12))) & Desc::oa_mask;
	else
		return pa & Desc::oa_mask;
}

template <unsigned PgShift>
constexpr u64 pte_to_oa(Pte pte)
{
	u64 pa = pte & Desc::oa_mask;
	if constexpr (PgShift == 16)
		return (pa | (pa << (48 - 12))) & (Desc::oa_mask << 4);
	else
		return pa;
}

// Entries in a run the Contiguous bit may mark, at a level (Arm ARM D8.6.1,
// "The Contiguous bit"); 1 where we do not use it. 4K granule: 16 at levels
// 2 and 3 (its 16 at level 1 we leave alone); 16K: 32 at level 2, 128 at 3;
// 64K: 32 at levels 2 and 3.
constexpr unsigned contig_run_entries(unsigned pg_shift, unsigned level)
{
	if (level < 2)
		return 1;
	if (pg_shift == 14)
		return level == 3 ? 128 : 32;
	return pg_shift == 16 ? 32 : 16;
}

// The run-time geometry of a configuration.
struct Geometry {
	unsigned pg_shift;
	unsigned start_level;
	unsigned pgd_bits;	// index bits at the start level (more if concatenated)

	unsigned bits_per_level() const { return pg_shift - 3; }
	usize pgd_bytes() const { return sizeof(Pte) << pgd_bits; }
};

// A pgd takes at least a page, as upstream's: TTBR, VTTBR and Mali's
// TRANSTAB then hold a page-aligned address whatever the pgd's size. A
// custom allocator is asked for the pgd's own size, as upstream asks it.
template <typename Env>
usize pgd_alloc_bytes(const Geometry &geo, const armature_pgtable_cfg &cfg)
{
	return geo.pgd_bytes() < Env::page_size && !cfg.alloc ? Env::page_size : geo.pgd_bytes();
}

// A page table of any LPAE geometry. Standard layout: the core's
// armature_pgtable comes first, and ops lead back to it.
struct Table {
	armature_pgtable iop;
	Pte *pgd;
	LinearMap linear;
	u64 pgd_index_mask;
	Geometry geo;
	Pte last_leaf;			// a leaf's type at the last level: Mali's are blocks
	Pte attrs[prot::all + 1];	// prot_to_attrs() for every prot

	bool noncoherent() const { return !iop.cfg.coherent_walk; }
};

// The granule as a walker knows it: a constant, so that shifts and masks
// are immediates (FixedGranule), or read from the table (TableGranule: one
// set of walkers for two granules, at 18% to 56% more instructions per
// operation, as measured with 4K tables).
template <unsigned PgShift>
struct FixedGranule {
	static_assert(PgShift == 12 || PgShift == 14 || PgShift == 16);
	static constexpr bool four_levels = PgShift != 16;	// 64K tables have at most 3
	static constexpr unsigned pg_shift(const Table &) { return PgShift; }
	static constexpr bool folds_oa(const Table &) { return PgShift == 16; }
	static constexpr Pte oa_to_pte(const Table &, u64 pa) { return lpae::oa_to_pte<PgShift>(pa); }
	static constexpr u64 pte_to_oa(const Table &, Pte pte) { return lpae::pte_to_oa<PgShift>(pte); }
};

struct TableGranule {
	static constexpr bool four_levels = true;
	static unsigned pg_shift(const Table &t) { return t.geo.pg_shift; }
	static bool folds_oa(const Table &t) { return t.geo.pg_shift == 16; }
	static Pte oa_to_pte(const Table &t, u64 pa)
	{
		return t.geo.pg_shift == 16 ? lpae::oa_to_pte<16>(pa) : lpae::oa_to_pte<12>(pa);
	}
	static u64 pte_to_oa(const Table &t, Pte pte)
	{
		return t.geo.pg_shift == 16 ? lpae::pte_to_oa<16>(pte) : lpae::pte_to_oa<12>(pte);
	}
};

// The bulk paths' loops over a run of entries inside one table, four
// entries a turn, out of line: one copy for every walker (Walker handles a
// single entry without them). Plain loads: they pair, and the run is the
// caller's alone (concurrent callers map and unmap disjoint ranges).
[[gnu::noinline]] inline bool all_empty(const Pte *ptep, usize n)
{
	const Pte *end = ptep + n, *end4 = ptep + (n & ~usize(3));
	Pte any = 0;
	for (; ptep != end4; ptep += 4)
		any |= ptep[0] | ptep[1] | ptep[2] | ptep[3];
	for (; ptep != end; ptep++)
		any |= *ptep;
	return !any;
}

// n descriptors from desc on, each size above the one before.
[[gnu::noinline]] inline void store_run(Pte *ptep, usize n, Pte desc, u64 size)
{
	for (Pte *end4 = ptep + (n & ~usize(3)); ptep != end4; ptep += 4, desc += 4 * size) {
		pte_store_pair(ptep, desc, desc + size);
		pte_store_pair(ptep + 2, desc + 2 * size, desc + 3 * size);
	}
	if (n & 2) {
		pte_store_pair(ptep, desc, desc + size);
		ptep += 2;
		desc += 2 * size;
	}
	if (n & 1)
		pte_store(ptep, desc);
}

// How many entries from ptep are not empty, up to n.
[[gnu::noinline]] inline usize leading_entries(const Pte *ptep, usize n)
{
	const Pte *p = ptep, *end = ptep + n, *end4 = ptep + (n & ~usize(3));
	while (p != end4 && p[0] && p[1] && p[2] && p[3])
		p += 4;
	while (p != end && *p)
		p++;
	return p - ptep;
}

[[gnu::noinline]] inline void clear_entries(Pte *ptep, usize n)
{
	for (Pte *end4 = ptep + (n & ~usize(3)); ptep != end4; ptep += 4) {
		pte_store_pair(ptep, 0, 0);
		pte_store_pair(ptep + 2, 0, 0);
	}
	if (n & 2) {
		pte_store_pair(ptep, 0, 0);
		ptep += 2;
	}
	if (n & 1)
		pte_store(ptep, Pte(0));
}

// Each unmapped page to tlb_add_page, for a gather that is not queued.
// Out of line: called once per run, by every walker's unmap_at.
[[gnu::noinline]] inline void add_pages(const Table &t, iommu_iotlb_gather *gather, u64 iova,
					u64 size, usize n)
{
	const armature_pgtable_flush_ops *tlb = t.iop.cfg.tlb;
	if (!tlb || !tlb->tlb_add_page)
		return;
	const auto add = tlb->tlb_add_page;
	void *const cookie = t.iop.cookie;
	for (const u64 end = iova + n * size; iova != end; iova += size)
		add(gather, iova, size, cookie);
}

// A walker's ops with ARM_CONTIG: its own map and unmap; no
// read_and_clear_dirty, since the quirk excludes ARM_HD.
template <typename W>
struct Contig {
	static constexpr auto map_pages = W::template map_pages_with<true>;
	static constexpr auto unmap_pages = W::template unmap_pages_with<true>;
	static constexpr auto iova_to_phys = W::iova_to_phys;
	static constexpr auto pgtable_walk = W::pgtable_walk;
};

template <typename Env>
struct EnvTable;

template <typename Env, typename G, unsigned Start>
class Walker {
	static_assert(Start < max_levels);

	static constexpr unsigned last = max_levels - 1;
	static unsigned bits(const Table &t) { return G::pg_shift(t) - 3; }
	static usize entries(const Table &t) { return usize(1) << bits(t); }
	static usize granule(const Table &t) { return usize(1) << G::pg_shift(t); }
	static unsigned shift(const Table &t, unsigned level)
	{
		return (max_levels - level) * bits(t) + 3;
	}
	static u64 block(const Table &t, unsigned level) { return u64(1) << shift(t, level); }

	template <unsigned L>
	static usize index(const Table &t, u64 iova)
	{
		if constexpr (L == Start)
			return (iova >> shift(t, L)) & t.pgd_index_mask;
		else
			return (iova >> shift(t, L)) & (entries(t) - 1);
	}

	// Mali's last level holds block-type (not page-type) entries.
	template <unsigned L>
	static bool is_leaf(const Table &t, Pte pte)
	{
		if constexpr (L == last)
			return (pte & Desc::type_mask) == t.last_leaf;
		else
			return (pte & Desc::type_mask) == Desc::type_block;
	}

	template <unsigned L>
	static constexpr bool is_table(Pte pte)
	{
		if constexpr (L == last)
			return false;
		else
			return (pte & Desc::type_mask) == Desc::type_table;
	}

	template <unsigned L>
	static Pte leaf_type(const Table &t)
	{
		if constexpr (L == last)
			return t.last_leaf;
		else
			return Desc::type_block;
	}

	static Pte *deref(const Table &t, Pte pte) { return t.linear.virt<Pte>(G::pte_to_oa(t, pte)); }

	static void sync(const Table &t, const Pte *ptep, usize count)
	{
		if (t.noncoherent() && count)
			Env::sync(t.iop.cfg, ptep, count * sizeof(Pte));
	}

	// Publishes a new table at *ptep if it still holds curr; returns what
	// *ptep held. A non-coherent walker may only see the descriptor once it
	// was pushed out, which SW_SYNC records for the CPUs that race with us.
	static Pte install_table(Table &t, Pte *table, Pte *ptep, Pte curr)
	{
		Pte desc = G::oa_to_pte(t, t.linear.phys(table)) | Desc::type_table;
		if (t.iop.cfg.quirks & quirk::arm_ns)
			desc |= Desc::nstable_mask;
		Env::dma_wmb();	// the table's contents before the descriptor
		Pte old = pte_cmpxchg(ptep, curr, desc);
		if (!t.noncoherent() || (old & Desc::sw_sync_mask))
			return old;
		Env::sync(t.iop.cfg, ptep, sizeof(Pte));
		if (old == curr)
			pte_store(ptep, desc | Desc::sw_sync_mask);
		return old;
	}

	// The table at level L for iova, creating missing tables on the way.
	template <unsigned L, unsigned Target>
	static int walk_alloc(Table &t, Pte *table, u64 iova, unsigned gfp, Pte *&out)
	{
		if constexpr (L == Target) {
			out = table;
			return 0;
		} else {
			Pte *ptep = table + index<L>(t, iova);
			Pte pte = pte_load(ptep);
			Pte *next = nullptr;
			if (!pte) {
				next = static_cast<Pte *>(Env::alloc_table(t.iop.cfg, granule(t), gfp, t.iop.cookie));
				if (!next)
					return -ENOMEM;
				pte = install_table(t, next, ptep, 0);
				if (pte)	// another CPU installed one first
					Env::free_table(t.iop.cfg, next, granule(t), t.iop.cookie);
			} else if (t.noncoherent() && !(pte & Desc::sw_sync_mask)) {
				Env::sync(t.iop.cfg, ptep, sizeof(Pte));
			}
			if (pte) {
				if (!is_table<L>(pte))
					return -EEXIST;	// a block covers iova
				next = deref(t, pte);
			}
			return walk_alloc<L + 1, Target>(t, next, iova, gfp, out);
		}
	}

	// The table at level Target for iova, or null if the walk meets an
	// entry that is not a table on the way (left in stop: empty or a leaf).
	template <unsigned L, unsigned Target>
	static Pte *walk(const Table &t, Pte *table, u64 iova, Pte &stop)
	{
		if constexpr (L == Target) {
			return table;
		} else {
			stop = pte_load(table + index<L>(t, iova));
			if (!is_table<L>(stop))
				return nullptr;
			return walk<L + 1, Target>(t, deref(t, stop), iova, stop);
		}
	}

	// Does the entry at level L point to a table that maps nothing?
	template <unsigned L>
	static bool is_empty_table(const Table &t, Pte pte)
	{
		if constexpr (L == last) {
			return false;
		} else {
			if (!is_table<L>(pte))
				return false;
			const Pte *table = deref(t, pte);
			for (usize i = 0, n = entries(t); i < n; i++) {
				Pte entry = pte_load(table + i);
				if (entry && !is_empty_table<L + 1>(t, entry))
					return false;
			}
			return true;
		}
	}

	template <unsigned L>
	static void free_tables(const Table &t, Pte *table, usize count, usize bytes)
	{
		if constexpr (L < last) {
			for (usize i = 0; i < count; i++) {
				Pte pte = table[i];
				if (is_table<L>(pte))
					free_tables<L + 1>(t, deref(t, pte), entries(t), granule(t));
			}
		}
		Env::free_table(t.iop.cfg, table, bytes, t.iop.cookie);
	}

	// Removes the table that an entry at level L points to (before a block
	// replaces it, or when unmapping at L): as upstream, the mappings under
	// it go too, and the walk cache is flushed for its range.
	template <unsigned L>
	static void drop_table(Table &t, Pte *ptep, Pte pte, u64 iova)
	{
		if constexpr (L < last) {
			pte_store(ptep, Pte(0));
			sync(t, ptep, 1);
			tlb_flush_walk(t.iop, iova, block(t, L), granule(t));
			free_tables<L + 1>(t, deref(t, pte), entries(t), granule(t));
		}
	}

	// Is the run empty? A single entry, the commonest call, without a call.
	static bool run_empty(const Pte *ptep, usize n)
	{
		return n == 1 ? !pte_load(ptep) : all_empty(ptep, n);
	}

	// Clears the leaves of a last-level run up to its first empty entry;
	// returns how many there were.
	static usize clear_leaves(Pte *ptep, usize n)
	{
		if (n == 1) {
			if (!pte_load(ptep))
				return 0;
			pte_store(ptep, Pte(0));
			return 1;
		}
		n = leading_entries(ptep, n);
		clear_entries(ptep, n);
		return n;
	}

	// Leaves for n entries from paddr on. The descriptor is advanced by
	// addition, which is exact unless the run crosses the 2^48 boundary of
	// the output address in a 64K table (PA[51:48] fold into bits [15:12]).
	static void store_leaves(const Table &t, Pte *ptep, usize n, Pte desc, u64 paddr, u64 size)
	{
		Pte d = desc | G::oa_to_pte(t, paddr);
		if (n == 1) {
			pte_store(ptep, d);
			return;
		}
		const u64 span = (n - 1) * size;
		if (G::folds_oa(t) && (desc | G::oa_to_pte(t, paddr + span)) != d + span) {
			for (usize i = 0; i < n; i++)
				pte_store(ptep + i, desc | G::oa_to_pte(t, paddr + i * size));
			return;
		}
		store_run(ptep, n, d, size);
	}

	template <unsigned L>
	static int map_at(Table &t, u64 iova, u64 paddr, usize pgcount, Pte attrs, unsigned gfp,
			  usize *mapped)
	{
		const u64 size = block(t, L);
		const Pte desc = attrs | leaf_type<L>(t);

		while (pgcount) {
			Pte *table;
			int ret = walk_alloc<Start, L>(t, t.pgd, iova, gfp, table);
			if (ret)
				return ret;
			usize first = index<L>(t, iova);
			usize n = entries(t) - (first & (entries(t) - 1));
			if (n > pgcount)
				n = pgcount;
			Pte *ptep = table + first;
			if (run_empty(ptep, n)) {
				store_leaves(t, ptep, n, desc, paddr, size);
			} else {
				// Refuse before changing anything. Unlike upstream, a
				// block does not silently replace a table that still
				// maps pages.
				for (usize i = 0; i < n; i++) {
					Pte old = pte_load(ptep + i);
					if (is_leaf<L>(t, old) || (old && !is_empty_table<L>(t, old)))
						return -EEXIST;
				}
				// Every old table goes before any leaf is written: a
				// Contiguous run must never sit beside valid table
				// descriptors, even for a moment.
				for (usize i = 0; i < n; i++) {
					Pte old = pte_load(ptep + i);
					if (old)
						drop_table<L>(t, ptep + i, old, iova + i * size);
				}
				for (usize i = 0; i < n; i++)
					pte_store(ptep + i, desc | G::oa_to_pte(t, paddr + i * size));
			}
			sync(t, ptep, n);
			*mapped += n * size;
			pgcount -= n;
			iova += n * size;
			paddr += n * size;
		}
		return 0;
	}

	template <unsigned L>
	static usize unmap_at(Table &t, u64 iova, usize pgcount, iommu_iotlb_gather *gather)
	{
		const u64 size = block(t, L);
		const bool report_pages = gather && !Env::gather_queued(gather);
		usize unmapped = 0;

		while (pgcount) {
			Pte stop = 0;
			Pte *table = walk<Start, L>(t, t.pgd, iova, stop);
			if (!table) {
				if (stop && !(t.iop.cfg.quirks & quirk::no_warn))
					Env::report(t.iop.cfg,
						    "unmap of %#llx bytes at %#llx inside a larger block: not supported, nothing unmapped\n",
						    static_cast<unsigned long long>(size),
						    static_cast<unsigned long long>(iova));
				return unmapped;
			}
			usize first = index<L>(t, iova);
			usize n = entries(t) - (first & (entries(t) - 1));
			if (n > pgcount)
				n = pgcount;
			Pte *ptep = table + first;
			usize i = 0;
			if constexpr (L == last) {
				// Last-level entries are leaves or empty.
				i = clear_leaves(ptep, n);
			} else {
				for (; i < n; i++) {
					Pte pte = pte_load(ptep + i);
					if (!pte)
						break;
					if (is_table<L>(pte))
						drop_table<L>(t, ptep + i, pte, iova + i * size);
					else
						pte_store(ptep + i, Pte(0));
				}
			}
			sync(t, ptep, i);
			if (report_pages)
				add_pages(t, gather, iova, size, i);
			unmapped += i * size;
			if (i < n)
				return unmapped;
			pgcount -= n;
			iova += n * size;
		}
		return unmapped;
	}

	// ARM_CONTIG (Documentation/io-pgtable.rst, "Contiguous runs"). Every
	// run that carries the bit is whole: all its entries valid, with the
	// same attributes and consecutive output addresses from an aligned one.

	template <unsigned L>
	static usize run_entries(const Table &t) { return contig_run_entries(G::pg_shift(t), L); }

	// map_at, with the bit on the runs the call covers whole when the
	// output address is aligned as the input address is: the head before
	// the first run, the runs, the tail after the last, each by map_at.
	template <unsigned L>
	static int map_at_contig(Table &t, u64 iova, u64 paddr, usize pgcount, Pte attrs, unsigned gfp,
				 usize *mapped)
	{
		const u64 size = block(t, L);
		const usize per_run = run_entries<L>(t);
		const u64 run = size * per_run;
		const usize head = ((run - (iova & (run - 1))) & (run - 1)) / size;
		if (per_run == 1 || ((iova ^ paddr) & (run - 1)) || head > pgcount ||
		    pgcount - head < per_run)
			return map_at<L>(t, iova, paddr, pgcount, attrs, gfp, mapped);
		const usize runs = (pgcount - head) / per_run * per_run;
		const usize parts[] = {head, runs, pgcount - head - runs};
		for (usize p = 0; p < 3; p++) {
			if (!parts[p])
				continue;
			const Pte a = p == 1 ? attrs | Desc::contig_mask : attrs;
			if (int ret = map_at<L>(t, iova, paddr, parts[p], a, gfp, mapped))
				return ret;
			iova += parts[p] * size;
			paddr += parts[p] * size;
		}
		return 0;
	}

	// Takes the bit off the run at run_iova, if it has it, keeping its
	// mappings. The Arm ARM wants break-before-make for that: all entries
	// invalid, the TLB invalidated (synchronously: tlb_flush_walk, since a
	// gather's tlb_add_page only queues), then the entries without the bit.
	// The run's pages are unmapped meanwhile: callers hold the table's
	// run_lock, so that a concurrent partial unmap of the same run neither
	// finds its pages gone nor has them rewritten after it cleared them.
	template <unsigned L>
	static void break_run(Table &t, u64 run_iova)
	{
		Pte stop = 0;
		Pte *table = walk<Start, L>(t, t.pgd, run_iova, stop);
		if (!table)
			return;
		Pte *ptep = table + index<L>(t, run_iova);
		const Pte first = pte_load(ptep);
		if (!(first & Desc::contig_mask))
			return;
		const u64 size = block(t, L);
		const usize n = run_entries<L>(t);
		const Pte attrs = first & ~(Desc::contig_mask | Desc::oa_mask);
		const u64 pa = G::pte_to_oa(t, first);
		for (usize i = 0; i < n; i++)
			pte_store(ptep + i, Pte(0));
		sync(t, ptep, n);
		tlb_flush_walk(t.iop, run_iova, n * size, size);
		for (usize i = 0; i < n; i++)
			pte_store(ptep + i, attrs | G::oa_to_pte(t, pa + i * size));
		sync(t, ptep, n);
	}

	// unmap_at, after breaking the runs the range covers in part: the one
	// it starts in and the one it ends in.
	template <unsigned L>
	static usize unmap_at_contig(Table &t, u64 iova, usize pgcount, iommu_iotlb_gather *gather)
	{
		const u64 run = block(t, L) * run_entries<L>(t);
		const u64 last = iova + pgcount * block(t, L) - 1;
		const u64 head = iova & ~(run - 1), tail = last & ~(run - 1);
		const bool partial_head = head != iova || last - head < run - 1;
		const bool partial_tail = tail != head && last - tail != run - 1;
		if (run_entries<L>(t) == 1 || (!partial_head && !partial_tail))
			return unmap_at<L>(t, iova, pgcount, gather);
		// Every unmap of part of a run comes here, so holding the lock
		// through the unmap serialises it with any break of its runs.
		auto &lock = static_cast<EnvTable<Env> &>(t).run_lock;
		const unsigned long flags = lock.lock_irqsave();
		if (partial_head)
			break_run<L>(t, head);
		if (partial_tail)
			break_run<L>(t, tail);
		const usize unmapped = unmap_at<L>(t, iova, pgcount, gather);
		lock.unlock_irqrestore(flags);
		return unmapped;
	}

	template <unsigned L>
	static void dirty_walk(Table &t, Pte *table, u64 addr, u64 last_addr, unsigned long flags,
			       iommu_dirty_bitmap *dirty)
	{
		const u64 size = block(t, L);
		const usize count = L == Start ? t.pgd_index_mask + 1 : entries(t);
		for (usize i = index<L>(t, addr); i < count; i++) {
			u64 base = addr & ~(size - 1);
			Pte *ptep = table + i;
			Pte pte = pte_load(ptep);
			if (is_leaf<L>(t, pte)) {
				if ((pte & (Desc::ap_rdonly_mask | Desc::dbm_mask)) == Desc::dbm_mask) {
					Env::record_dirty(dirty, base, size);
					if (!(flags & dirty_no_clear))
						pte_set_bits(ptep, Desc::ap_rdonly_mask);
				}
			} else if constexpr (L < last) {
				if (is_table<L>(pte))
					dirty_walk<L + 1>(t, deref(t, pte), addr,
							  last_addr < base + size - 1 ? last_addr : base + size - 1,
							  flags, dirty);
			}
			if (base + size - 1 >= last_addr)
				return;
			addr = base + size;
		}
	}

	// Which map and unmap a table uses, chosen when it is allocated: with
	// the quirk off, no test of it in any call.
	template <bool Contig, unsigned L>
	static int map_level(Table &t, u64 iova, u64 paddr, usize pgcount, Pte attrs, unsigned gfp,
			     usize *mapped)
	{
		if constexpr (Contig)
			return map_at_contig<L>(t, iova, paddr, pgcount, attrs, gfp, mapped);
		else
			return map_at<L>(t, iova, paddr, pgcount, attrs, gfp, mapped);
	}

	template <bool Contig, unsigned L>
	static usize unmap_level(Table &t, u64 iova, usize pgcount, iommu_iotlb_gather *gather)
	{
		if constexpr (Contig)
			return unmap_at_contig<L>(t, iova, pgcount, gather);
		else
			return unmap_at<L>(t, iova, pgcount, gather);
	}

public:
	template <bool Contig>
	static int map_pages_with(armature_pgtable_ops *ops, unsigned long iova, unsigned long long paddr,
				  unsigned long pgsize, unsigned long pgcount, int iommu_prot,
				  unsigned int gfp, unsigned long *mapped)
	{
		Table &t = table_of<Table>(ops);
		int ret = check_map_args(t.iop.cfg, iova, paddr, pgsize, pgcount, iommu_prot);
		if (!ret) {
			const Pte attrs = t.attrs[iommu_prot & prot::all];
			usize done = 0;
			ret = -EINVAL;
			if (pgsize == block(t, 3)) {
				ret = map_level<Contig, 3>(t, iova, paddr, pgcount, attrs, gfp, &done);
			} else if (pgsize == block(t, 2)) {
				if constexpr (Start <= 2)
					ret = map_level<Contig, 2>(t, iova, paddr, pgcount, attrs, gfp, &done);
			} else if (pgsize == block(t, 1)) {
				if constexpr (Start <= 1)
					ret = map_at<1>(t, iova, paddr, pgcount, attrs, gfp, &done);
			}
			*mapped += done;
		}
		return finish_map<Env>(t.iop.cfg, ret, iova, paddr, pgsize, pgcount, iommu_prot);
	}

	template <bool Contig>
	static unsigned long unmap_pages_with(armature_pgtable_ops *ops, unsigned long iova,
					      unsigned long pgsize, unsigned long pgcount,
					      iommu_iotlb_gather *gather)
	{
		Table &t = table_of<Table>(ops);
		const armature_pgtable_cfg &cfg = t.iop.cfg;
		if (!check_unmap_args<Env>(cfg, iova, pgsize, pgcount))
			return 0;
		if (pgsize == block(t, 3))
			return unmap_level<Contig, 3>(t, iova, pgcount, gather);
		if (pgsize == block(t, 2)) {
			if constexpr (Start <= 2)
				return unmap_level<Contig, 2>(t, iova, pgcount, gather);
		} else if (pgsize == block(t, 1)) {
			if constexpr (Start <= 1)
				return unmap_at<1>(t, iova, pgcount, gather);
		}
		return 0;
	}

	static unsigned long long iova_to_phys(armature_pgtable_ops *ops, unsigned long iova)
	{
		const Table &t = table_of<Table>(ops);
		return translate<Start>(t, t.pgd, iova);
	}

	template <unsigned L>
	static u64 translate(const Table &t, const Pte *table, u64 iova)
	{
		Pte pte = pte_load(table + index<L>(t, iova));
		if (is_leaf<L>(t, pte))
			return G::pte_to_oa(t, pte) | (iova & (block(t, L) - 1));
		if constexpr (L < last) {
			if (is_table<L>(pte))
				return translate<L + 1>(t, deref(t, pte), iova);
		}
		return 0;
	}

	// The descriptors on the way to iova, each at ptes[its level].
	template <unsigned L>
	static int record_walk(const Table &t, const Pte *table, u64 iova, unsigned long long *ptes)
	{
		Pte pte = pte_load(table + index<L>(t, iova));
		ptes[L] = pte;
		if (is_leaf<L>(t, pte))
			return 0;
		if constexpr (L < last) {
			if (is_table<L>(pte))
				return record_walk<L + 1>(t, deref(t, pte), iova, ptes);
		}
		return -EINVAL;
	}

	static int pgtable_walk(armature_pgtable_ops *ops, unsigned long iova, void *wd)
	{
		const Table &t = table_of<Table>(ops);
		auto *data = static_cast<armature_pgtable_lpae_walk_data *>(wd);
		static_assert(sizeof(data->ptes) / sizeof(data->ptes[0]) == max_levels);
		return record_walk<Start>(t, t.pgd, iova, data->ptes);
	}

	static int read_and_clear_dirty(armature_pgtable_ops *ops, unsigned long iova,
					unsigned long size, unsigned long flags,
					iommu_dirty_bitmap *dirty)
	{
		Table &t = table_of<Table>(ops);
		const armature_pgtable_cfg &cfg = t.iop.cfg;
		u64 last_addr = iova + size - 1;
		if (t.iop.fmt != ARMATURE_PGTABLE_ARM_64_LPAE_S1 || !size || last_addr < iova ||
		    !iova_in_range(cfg, iova) || !iova_in_range(cfg, last_addr))
			return -EINVAL;
		dirty_walk<Start>(t, t.pgd, iova, last_addr, flags, dirty);
		return 0;
	}

	static void free(Table &t)
	{
		free_tables<Start>(t, t.pgd, t.pgd_index_mask + 1, pgd_alloc_bytes<Env>(t.geo, t.iop.cfg));
	}

	static constexpr auto map_pages = map_pages_with<false>;
	static constexpr auto unmap_pages = unmap_pages_with<false>;

	static constexpr armature_pgtable_ops ops = ops_of<Walker>();
	static constexpr armature_pgtable_ops contig_ops = ops_of<Contig<Walker>>();
};

// The instantiation for a geometry.
template <typename Env>
struct Dispatch {
	const armature_pgtable_ops *ops;
	void (*free)(Table &);
	const armature_pgtable_ops *contig_ops;
};

template <typename Env, typename G, unsigned Start>
constexpr Dispatch<Env> dispatch_for()
{
	using W = Walker<Env, G, Start>;
	return {&W::ops, W::free, &W::contig_ops};
}

template <typename Env, typename G>
constexpr Dispatch<Env> dispatch_for_start(unsigned start)
{
	switch (start) {
	case 0:
		if constexpr (G::four_levels)
			return dispatch_for<Env, G, 0>();
		break;
	case 1:
		return dispatch_for<Env, G, 1>();
	case 2:
		return dispatch_for<Env, G, 2>();
	case 3:
		return dispatch_for<Env, G, 3>();
	}
	return {};
}

// The 4K granule has walkers of its own, with the granule a constant: it is
// the one a 4K-page kernel picks whenever the IOMMU has it. 16K and 64K
// share walkers that read the granule from the table (Documentation/
// io-pgtable.rst, "Size"). Mali is 4K with a four-level walk.
template <typename Env>
[[gnu::always_inline]] constexpr Dispatch<Env> select(const Geometry &geo, bool mali)
{
	if (mali && (geo.pg_shift != 12 || geo.start_level != 0))
		return {};
	switch (geo.pg_shift) {
	case 12:
		return dispatch_for_start<Env, FixedGranule<12>>(geo.start_level);
	case 14:
	case 16:
		return dispatch_for_start<Env, TableGranule>(geo.start_level);
	}
	return {};
}

// Every LPAE table object is one of these: the dispatch of its geometry.
template <typename Env>
struct EnvTable : Table {
	void (*free_fn)(Table &);
	typename Env::RunLock run_lock;	// ARM_CONTIG: partial unmaps of runs
};

// Narrows the page sizes to one granule (the CPU's page size if possible,
// else the smallest) and its block sizes, as upstream does; caps ias/oas.
template <typename Env>
void restrict_pgsizes(armature_pgtable_cfg &cfg)
{
	const u64 page = Env::page_size;
	const u64 bitmap = cfg.pgsize_bitmap;
	u64 granule = 0;
	if (bitmap & page)
		granule = page;
	else if (bitmap & (page - 1))
		granule = u64(1) << (63 - std::countl_zero(bitmap & (page - 1)));
	else if (bitmap & ~(page - 1))
		granule = u64(1) << std::countr_zero(bitmap & ~(page - 1));

	u64 sizes = 0;
	unsigned max_bits = 48;
	switch (granule) {
	case SZ_4K:
		sizes = SZ_4K | SZ_2M | SZ_1G;
		break;
	case SZ_16K:
		sizes = SZ_16K | SZ_32M;
		break;
	case SZ_64K:
		max_bits = max_addr_bits;
		sizes = SZ_64K | SZ_512M;
		if (cfg.oas > 48)
			sizes |= u64(1) << 42;	// 4T blocks need 52-bit output
		break;
	}
	cfg.pgsize_bitmap &= sizes;
	if (cfg.ias > max_bits)
		cfg.ias = max_bits;
	if (cfg.oas > max_bits)
		cfg.oas = max_bits;
}

// The size field of TCR.IPS / VTCR.PS for an output size; -1 if none.
constexpr int ps_field(unsigned oas)
{
	switch (oas) {
	case 32: return 0;
	case 36: return 1;
	case 40: return 2;
	case 42: return 3;
	case 44: return 4;
	case 48: return 5;
	case 52: return 6;
	}
	return -1;
}

// The steps of alloc(), each inlined into it (always_inline): one function
// in the module, as small as before the steps were named.

// ARM_CONTIG: for the Arm architecture's formats (Mali's descriptors are
// the GPU's own), and not with ARM_HD: hardware may record a run's dirty
// state in any one of its entries, and cleaning one entry breaks the run.
template <typename Env>
[[gnu::always_inline]] inline int check_contig(armature_pgtable_fmt fmt,
					      const armature_pgtable_cfg &cfg)
{
	if (!(cfg.quirks & quirk::arm_contig))
		return 0;
	if (!is_stage1(fmt) && !is_stage2(fmt)) {
		Env::report(cfg, "ARM_CONTIG is for the Arm LPAE formats, not Mali's\n");
		return -EINVAL;
	}
	if (cfg.quirks & quirk::arm_hd) {
		Env::report(cfg, "ARM_CONTIG does not go with ARM_HD\n");
		return -EINVAL;
	}
	return 0;
}

// The format's limits on quirks, ias and oas; the page sizes narrowed to
// one granule. Refusals in upstream's order.
template <typename Env>
[[gnu::always_inline]] inline int check_config(armature_pgtable_fmt fmt,
					      armature_pgtable_cfg &cfg)
{
	// S2FWB only for 64-bit stage 2: FEAT_S2FWB is AArch64's. (Upstream's
	// 32-bit stage 2 takes it too, through the 64-bit checks it calls.)
	// NO_WARN for both stages; Mali takes no quirk, as upstream.
	const unsigned long allowed = quirk::arm_contig |
		(is_stage1(fmt) ? quirk::arm_ns | quirk::ttbr1 | quirk::outer_wbwa | quirk::dirty_tracking |
				 quirk::no_warn
		: fmt == ARMATURE_PGTABLE_ARM_64_LPAE_S2 ? quirk::s2fwb | quirk::no_warn
		: fmt == ARMATURE_PGTABLE_ARM_32_LPAE_S2 ? quirk::no_warn
		: 0);
	if (cfg.quirks & ~allowed) {
		Env::report(cfg, "quirks %#lx not supported by this format\n", cfg.quirks & ~allowed);
		return -EINVAL;
	}
	if (int ret = check_contig<Env>(fmt, cfg))
		return ret;
	unsigned max_ias = max_addr_bits, max_oas = max_addr_bits;
	if (fmt == ARMATURE_PGTABLE_ARM_32_LPAE_S1)
		max_ias = 32, max_oas = 40;
	else if (fmt == ARMATURE_PGTABLE_ARM_32_LPAE_S2)
		max_ias = 40, max_oas = 40;
	else if (fmt == ARMATURE_PGTABLE_ARM_MALI_LPAE)
		max_ias = 48, max_oas = 40;
	if (cfg.ias > max_ias || cfg.oas > max_oas) {
		Env::report(cfg, "ias %u / oas %u beyond the format's %u / %u bits\n", cfg.ias,
			    cfg.oas, max_ias, max_oas);
		return -EINVAL;
	}
	if (fmt != ARMATURE_PGTABLE_ARM_64_LPAE_S1 && fmt != ARMATURE_PGTABLE_ARM_64_LPAE_S2)
		cfg.pgsize_bitmap &= SZ_4K | SZ_2M | SZ_1G;

	restrict_pgsizes<Env>(cfg);
	if (!(cfg.pgsize_bitmap & (SZ_4K | SZ_16K | SZ_64K))) {
		Env::report(cfg, "no supported granule in pgsize_bitmap\n");
		return -EINVAL;
	}
	return 0;
}

// The granule, the start level and the pgd's index bits for ias.
template <typename Env>
[[gnu::always_inline]] inline int geometry(armature_pgtable_fmt fmt,
					  const armature_pgtable_cfg &cfg, Geometry &geo)
{
	geo.pg_shift = std::countr_zero(static_cast<u64>(cfg.pgsize_bitmap));
	const unsigned bpl = geo.bits_per_level();
	if (cfg.ias <= geo.pg_shift) {
		Env::report(cfg, "ias %u is not above the granule\n", cfg.ias);
		return -EINVAL;
	}
	const unsigned va_bits = cfg.ias - geo.pg_shift;
	const unsigned levels = (va_bits + bpl - 1) / bpl;
	geo.start_level = max_levels - levels;
	geo.pgd_bits = va_bits - bpl * (levels - 1);

	if (is_stage2(fmt) && geo.start_level == 0 && (1u << geo.pgd_bits) <= s2_max_concat_pages) {
		// Concatenate the level-1 tables: one level less to walk.
		geo.pgd_bits += bpl;
		geo.start_level++;
	}
	if (fmt == ARMATURE_PGTABLE_ARM_MALI_LPAE && geo.start_level > 0) {
		// Mali wants four levels whatever ias is: a one-entry level 0.
		geo.start_level = 0;
		geo.pgd_bits = 0;
	}
	return 0;
}

// Can TCR or VTCR describe the walk: an architected output size, and
// OUTER_WBWA only for a non-coherent walker. Mali has neither register.
template <typename Env>
[[gnu::always_inline]] inline int check_walk(armature_pgtable_fmt fmt,
					    const armature_pgtable_cfg &cfg)
{
	if (!is_stage1(fmt) && !is_stage2(fmt))
		return 0;
	if (ps_field(cfg.oas) < 0) {
		Env::report(cfg, "oas %u is not an architected output size\n", cfg.oas);
		return -EINVAL;
	}
	if (cfg.coherent_walk && (cfg.quirks & quirk::outer_wbwa)) {
		Env::report(cfg, "OUTER_WBWA is for non-coherent walkers\n");
		return -EINVAL;
	}
	return 0;
}

// The table object of a geometry, its attributes and its empty pgd; null
// when memory runs out.
template <typename Env>
[[gnu::always_inline]] inline EnvTable<Env> *
make_table(armature_pgtable_fmt fmt, const armature_pgtable_cfg &cfg, void *cookie,
	   const Geometry &geo, const Dispatch<Env> &d)
{
	auto *t = new_table<Env, EnvTable<Env>>();
	if (!t)
		return nullptr;
	t->free_fn = d.free;
	t->geo = geo;
	t->pgd_index_mask = (u64(1) << geo.pgd_bits) - 1;
	t->last_leaf = fmt == ARMATURE_PGTABLE_ARM_MALI_LPAE ? Desc::type_block : Desc::type_page;
	for (int p = 0; p <= prot::all; p++)
		t->attrs[p] = prot_to_attrs(fmt, cfg.quirks, p);

	t->pgd = static_cast<Pte *>(
		Env::alloc_table(cfg, pgd_alloc_bytes<Env>(geo, cfg), Env::gfp_kernel, cookie));
	if (!t->pgd) {
		delete_table<Env>(t);
		return nullptr;
	}
	t->linear = LinearMap(t->pgd, Env::virt_to_phys(t->pgd));
	return t;
}

// What TCR and VTCR say of the walker's accesses to the tables.
struct WalkAttrs {
	unsigned sh, irgn, orgn;

	static constexpr WalkAttrs of(const armature_pgtable_cfg &cfg)
	{
		const bool coherent = cfg.coherent_walk;
		const bool outer_wb = coherent || (cfg.quirks & quirk::outer_wbwa);
		return {coherent ? unsigned(TCR::sh0_is) : unsigned(TCR::sh0_os),
			coherent ? unsigned(TCR::irgn0_wbwa) : unsigned(TCR::irgn0_nc),
			outer_wb ? unsigned(TCR::orgn0_wbwa) : unsigned(TCR::orgn0_nc)};
	}
};

// The registers a stage-1, stage-2 or Mali user writes for the table.
[[gnu::always_inline]] inline void describe_s1(armature_pgtable_cfg &cfg, const Geometry &geo,
						u64 pgd_pa)
{
	const bool ttbr1 = cfg.quirks & quirk::ttbr1;
	const WalkAttrs w = WalkAttrs::of(cfg);
	auto &tcr = cfg.arm_lpae_s1_cfg.tcr;
	tcr.sh = w.sh;
	tcr.irgn = w.irgn;
	tcr.orgn = w.orgn;
	switch (geo.pg_shift) {
	case 12: tcr.tg = ttbr1 ? TCR::tg1_4k : TCR::tg0_4k; break;
	case 14: tcr.tg = ttbr1 ? TCR::tg1_16k : TCR::tg0_16k; break;
	case 16: tcr.tg = ttbr1 ? TCR::tg1_64k : TCR::tg0_64k; break;
	}
	tcr.ips = ps_field(cfg.oas);
	tcr.tsz = 64 - cfg.ias;
	cfg.arm_lpae_s1_cfg.mair = mair;
	cfg.arm_lpae_s1_cfg.ttbr = pgd_pa;
}

[[gnu::always_inline]] inline void describe_s2(armature_pgtable_cfg &cfg, const Geometry &geo,
						u64 pgd_pa)
{
	const WalkAttrs w = WalkAttrs::of(cfg);
	auto &vtcr = cfg.arm_lpae_s2_cfg.vtcr;
	vtcr.sh = w.sh;
	vtcr.irgn = w.irgn;
	vtcr.orgn = w.orgn;
	unsigned sl = geo.start_level;
	switch (geo.pg_shift) {
	case 12: vtcr.tg = TCR::tg0_4k; sl++; break;	// SL0 counts from level 2 for 4K
	case 14: vtcr.tg = TCR::tg0_16k; break;
	case 16: vtcr.tg = TCR::tg0_64k; break;
	}
	vtcr.ps = ps_field(cfg.oas);
	vtcr.tsz = 64 - cfg.ias;
	vtcr.sl = ~sl & 3;
	cfg.arm_lpae_s2_cfg.vttbr = pgd_pa;
}

[[gnu::always_inline]] inline void describe_mali(armature_pgtable_cfg &cfg, u64 pgd_pa)
{
	cfg.arm_mali_lpae_cfg.memattr = mali_memattr;
	cfg.arm_mali_lpae_cfg.transtab = pgd_pa | MaliTranstab::Get()
							  .set_adrmode(MaliTranstab::adrmode_table)
							  .set_read_inner(1)
							  .set_share_outer(cfg.coherent_walk)
							  .reg_value();
}

template <typename Env>
int alloc(armature_pgtable_fmt fmt, armature_pgtable_cfg *cfg, void *cookie,
	  armature_pgtable **out)
{
	Geometry geo;
	if (int ret = check_config<Env>(fmt, *cfg))
		return ret;
	if (int ret = geometry<Env>(fmt, *cfg, geo))
		return ret;
	if (int ret = check_walk<Env>(fmt, *cfg))
		return ret;

	const Dispatch<Env> d = select<Env>(geo, fmt == ARMATURE_PGTABLE_ARM_MALI_LPAE);
	if (!d.ops) {
		Env::report(*cfg, "no %u-level table of %u-bit granule for ias %u\n",
			    max_levels - geo.start_level, geo.pg_shift, cfg->ias);
		return -EINVAL;
	}
	EnvTable<Env> *t = make_table<Env>(fmt, *cfg, cookie, geo, d);
	if (!t)
		return -ENOMEM;

	const u64 pgd_pa = t->linear.phys(t->pgd);
	if (is_stage1(fmt))
		describe_s1(*cfg, geo, pgd_pa);
	else if (is_stage2(fmt))
		describe_s2(*cfg, geo, pgd_pa);
	else
		describe_mali(*cfg, pgd_pa);
	// The empty pgd visible before the caller can write it to a TTBR.
	Env::wmb();

	hand_out(t->iop, fmt, cookie, *cfg, cfg->quirks & quirk::arm_contig ? *d.contig_ops : *d.ops, out);
	return 0;
}

template <typename Env>
void free(armature_pgtable *iop)
{
	auto *t = reinterpret_cast<EnvTable<Env> *>(iop);
	t->free_fn(*t);
	delete_table<Env>(t);
}

template <typename Env>
inline constexpr armature_pgtable_init_fns init_fns = {
	.alloc = alloc<Env>,
	.free = free<Env>,
	.caps = ARMATURE_PGTABLE_CAP_CUSTOM_ALLOCATOR,
};

} // namespace armature::iopt::lpae
