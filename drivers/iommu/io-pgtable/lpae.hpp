// SPDX-License-Identifier: GPL-2.0
// The Arm LPAE (VMSAv8-64 / VMSAv7 long-descriptor) page-table formats:
// stage 1 and stage 2 for 64-bit and 32-bit IOMMUs, and Mali's variant.
//
// A table's geometry (granule, start level) is fixed when it is allocated,
// so each geometry gets its own instantiation of Walker: shifts, index masks
// and the number of levels are compile-time constants, and the walks are
// unrolled loops instead of upstream's recursion over run-time levels.
//
// Descriptor encodings: Arm ARM (DDI 0487) D8.3, "Translation table
// descriptor formats"; stage-2 attributes D8.6; Mali from the upstream driver.
#pragma once

#include "pgtable.hpp"

namespace armature::iopt::lpae {

using Pte = u64;

inline constexpr unsigned max_levels = 4;
inline constexpr unsigned max_addr_bits = 52;
inline constexpr unsigned s2_max_concat_pages = 16;

// Descriptor bits.
inline constexpr Pte type_mask = 3;
inline constexpr Pte type_block = 1;
inline constexpr Pte type_table = 3;
inline constexpr Pte type_page = 3;
inline constexpr Pte ns = 1ULL << 5;
inline constexpr Pte ap_unpriv = 1ULL << 6;	// stage 1 AP[1]
inline constexpr Pte ap_rdonly = 1ULL << 7;	// stage 1 AP[2]
inline constexpr Pte hap_read = 1ULL << 6;	// stage 2 S2AP
inline constexpr Pte hap_write = 2ULL << 6;
inline constexpr Pte sh_os = 2ULL << 8;
inline constexpr Pte sh_is = 3ULL << 8;
inline constexpr Pte af = 1ULL << 10;
inline constexpr Pte ng = 1ULL << 11;
inline constexpr Pte dbm = 1ULL << 51;
inline constexpr Pte xn = 3ULL << 53;		// UXN and PXN (XN[1:0] at stage 2)
inline constexpr Pte sw_sync = 1ULL << 55;	// software: table pushed to a non-coherent walker
inline constexpr Pte nstable = 1ULL << 63;
inline constexpr Pte addr_mask = ((1ULL << 48) - 1) & ~((1ULL << 12) - 1);
inline constexpr unsigned attrindx_shift = 2;

// Stage-2 MemAttr[3:0].
inline constexpr Pte memattr_oiwb = 0xfULL << 2;
inline constexpr Pte memattr_nc = 0x5ULL << 2;
inline constexpr Pte memattr_dev = 0x1ULL << 2;

// MAIR indices and attributes of stage 1 (and Mali's MEMATTR).
inline constexpr unsigned mair_idx_nc = 0, mair_idx_cache = 1, mair_idx_dev = 2,
			  mair_idx_inc_ocache = 3;
inline constexpr u64 mair_nc = 0x44, mair_wbrwa = 0xff, mair_device = 0x04,
		     mair_inc_owbrwa = 0xf4;
inline constexpr u64 mali_memattr_imp_def = 0x88, mali_memattr_write_alloc = 0x8d;
inline constexpr u64 mali_transtab_adrmode_table = 3, mali_transtab_read_inner = 1 << 2,
		     mali_transtab_share_outer = 1 << 4;

// TCR/VTCR field values.
inline constexpr unsigned tcr_sh_os = 2, tcr_sh_is = 3;
inline constexpr unsigned tcr_rgn_nc = 0, tcr_rgn_wbwa = 1;
inline constexpr unsigned tg0_4k = 0, tg0_64k = 1, tg0_16k = 2;
inline constexpr unsigned tg1_16k = 1, tg1_4k = 2, tg1_64k = 3;

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
	Pte pte = 0;

	if (is_stage1(fmt)) {
		pte |= ng;
		if (!(iommu_prot & prot::write) && (iommu_prot & prot::read))
			pte |= ap_rdonly;
		else if (quirks & quirk::arm_hd)
			pte |= dbm;	// writable, and dirty until cleaned
		if (!(iommu_prot & prot::priv))
			pte |= ap_unpriv;
	} else {
		// Stage 2, and Mali: its permissions are stage-2 style.
		if (iommu_prot & prot::read)
			pte |= hap_read;
		if (iommu_prot & prot::write)
			pte |= hap_write;
	}

	if (is_stage2(fmt)) {
		if (iommu_prot & prot::mmio)
			pte |= memattr_dev;
		else if (iommu_prot & prot::cache)
			pte |= memattr_oiwb;
		else
			pte |= memattr_nc;
	} else if (iommu_prot & prot::mmio) {
		pte |= Pte(mair_idx_dev) << attrindx_shift;
	} else if (iommu_prot & prot::cache) {
		pte |= Pte(mair_idx_cache) << attrindx_shift;
	}

	// Mali's inner shareable domain is the GPU's own: always outer.
	pte |= (iommu_prot & prot::cache) && !mali ? sh_is : sh_os;
	if (iommu_prot & prot::noexec)
		pte |= xn;
	if (quirks & quirk::arm_ns)
		pte |= ns;
	if (!mali)
		pte |= af;
	return pte;
}

// Output address <-> descriptor. With the 64K granule, PA[51:48] live in
// descriptor bits [15:12] (the low bits a 64K-aligned address does not use).
template <unsigned PgShift>
constexpr Pte oa_to_pte(u64 pa)
{
	if constexpr (PgShift == 16)
		return (pa | (pa >> (48 - 12))) & addr_mask;
	else
		return pa & addr_mask;
}

template <unsigned PgShift>
constexpr u64 pte_to_oa(Pte pte)
{
	u64 pa = pte & addr_mask;
	if constexpr (PgShift == 16)
		return (pa | (pa << (48 - 12))) & (addr_mask << 4);
	else
		return pa;
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
// TRANSTAB then hold a page-aligned address whatever the pgd's size.
template <typename Env>
usize pgd_alloc_bytes(const Geometry &geo)
{
	return geo.pgd_bytes() < Env::page_size ? Env::page_size : geo.pgd_bytes();
}

// A page table of any LPAE geometry. Standard layout: the core's
// armature_pgtable comes first, and ops lead back to it.
struct Table {
	armature_pgtable iop;
	Pte *pgd;
	LinearMap linear;
	u64 pgd_index_mask;
	Geometry geo;
	Pte attrs[prot::all + 1];	// prot_to_attrs() for every prot

	bool noncoherent() const { return !iop.cfg.coherent_walk; }
};

template <typename Env, unsigned PgShift, unsigned Start, bool Mali>
class Walker {
	static_assert(PgShift == 12 || PgShift == 14 || PgShift == 16);
	static_assert(Start < max_levels);

	static constexpr unsigned last = max_levels - 1;
	static constexpr unsigned bits = PgShift - 3;
	static constexpr usize entries = usize(1) << bits;
	static constexpr usize granule = usize(1) << PgShift;

	static constexpr unsigned shift(unsigned level) { return (max_levels - level) * bits + 3; }
	static constexpr u64 block(unsigned level) { return u64(1) << shift(level); }

	template <unsigned L>
	static usize index(const Table &t, u64 iova)
	{
		if constexpr (L == Start)
			return (iova >> shift(L)) & t.pgd_index_mask;
		else
			return (iova >> shift(L)) & (entries - 1);
	}

	// Mali's last level holds block-type (not page-type) entries.
	template <unsigned L>
	static constexpr bool is_leaf(Pte pte)
	{
		if constexpr (L == last && !Mali)
			return (pte & type_mask) == type_page;
		else
			return (pte & type_mask) == type_block;
	}

	template <unsigned L>
	static constexpr bool is_table(Pte pte)
	{
		if constexpr (L == last)
			return false;
		else
			return (pte & type_mask) == type_table;
	}

	template <unsigned L>
	static constexpr Pte leaf_type()
	{
		return L == last && !Mali ? type_page : type_block;
	}

	static Pte *deref(const Table &t, Pte pte) { return t.linear.virt<Pte>(pte_to_oa<PgShift>(pte)); }

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
		Pte desc = oa_to_pte<PgShift>(t.linear.phys(table)) | type_table;
		if (t.iop.cfg.quirks & quirk::arm_ns)
			desc |= nstable;
		Env::dma_wmb();	// the table's contents before the descriptor
		Pte old = pte_cmpxchg(ptep, curr, desc);
		if (!t.noncoherent() || (old & sw_sync))
			return old;
		Env::sync(t.iop.cfg, ptep, sizeof(Pte));
		if (old == curr)
			pte_store(ptep, desc | sw_sync);
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
				next = static_cast<Pte *>(Env::alloc_table(t.iop.cfg, granule, gfp));
				if (!next)
					return -ENOMEM;
				pte = install_table(t, next, ptep, 0);
				if (pte)	// another CPU installed one first
					Env::free_table(t.iop.cfg, next, granule);
			} else if (t.noncoherent() && !(pte & sw_sync)) {
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
			for (usize i = 0; i < entries; i++) {
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
					free_tables<L + 1>(t, deref(t, pte), entries, granule);
			}
		}
		Env::free_table(t.iop.cfg, table, bytes);
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
			tlb_flush_walk(t.iop, iova, block(L), granule);
			free_tables<L + 1>(t, deref(t, pte), entries, granule);
		}
	}

	template <unsigned L>
	static int map_at(Table &t, u64 iova, u64 paddr, usize pgcount, Pte attrs, unsigned gfp,
			  usize *mapped)
	{
		constexpr u64 size = block(L);
		const Pte desc = attrs | leaf_type<L>();

		while (pgcount) {
			Pte *table;
			int ret = walk_alloc<Start, L>(t, t.pgd, iova, gfp, table);
			if (ret)
				return ret;
			usize first = index<L>(t, iova);
			usize n = entries - (first & (entries - 1));
			if (n > pgcount)
				n = pgcount;
			Pte *ptep = table + first;
			// Refuse before changing anything. Unlike upstream, a block
			// does not silently replace a table that still maps pages.
			for (usize i = 0; i < n; i++) {
				Pte old = pte_load(ptep + i);
				if (is_leaf<L>(old) || (old && !is_empty_table<L>(t, old)))
					return -EEXIST;
			}
			for (usize i = 0; i < n; i++) {
				Pte old = pte_load(ptep + i);
				if (old)
					drop_table<L>(t, ptep + i, old, iova + i * size);
				pte_store(ptep + i, desc | oa_to_pte<PgShift>(paddr + i * size));
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
		constexpr u64 size = block(L);
		const bool add_pages = gather && !Env::gather_queued(gather);
		usize unmapped = 0;

		while (pgcount) {
			Pte stop = 0;
			Pte *table = walk<Start, L>(t, t.pgd, iova, stop);
			if (!table) {
				if (stop)
					Env::report(t.iop.cfg,
						    "unmap of %#llx bytes at %#llx inside a larger block: not supported, nothing unmapped\n",
						    static_cast<unsigned long long>(size),
						    static_cast<unsigned long long>(iova));
				return unmapped;
			}
			usize first = index<L>(t, iova);
			usize n = entries - (first & (entries - 1));
			if (n > pgcount)
				n = pgcount;
			Pte *ptep = table + first;
			usize i = 0;
			for (; i < n; i++) {
				Pte pte = pte_load(ptep + i);
				if (!pte)
					break;
				if (is_table<L>(pte))
					drop_table<L>(t, ptep + i, pte, iova + i * size);
				else
					pte_store(ptep + i, Pte(0));
			}
			sync(t, ptep, i);
			if (add_pages)
				for (usize j = 0; j < i; j++)
					tlb_add_page(t.iop, gather, iova + j * size, size);
			unmapped += i * size;
			if (i < n)
				return unmapped;
			pgcount -= n;
			iova += n * size;
		}
		return unmapped;
	}

	template <unsigned L>
	static void dirty_walk(Table &t, Pte *table, u64 addr, u64 last_addr, unsigned long flags,
			       iommu_dirty_bitmap *dirty)
	{
		constexpr u64 size = block(L);
		const usize count = L == Start ? t.pgd_index_mask + 1 : entries;
		for (usize i = index<L>(t, addr); i < count; i++) {
			u64 base = addr & ~(size - 1);
			Pte *ptep = table + i;
			Pte pte = pte_load(ptep);
			if (is_leaf<L>(pte)) {
				if ((pte & (ap_rdonly | dbm)) == dbm) {
					Env::record_dirty(dirty, base, size);
					if (!(flags & dirty_no_clear))
						pte_set_bits(ptep, ap_rdonly);
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

public:
	static int map_pages(armature_pgtable_ops *ops, unsigned long iova, unsigned long long paddr,
			     unsigned long pgsize, unsigned long pgcount, int iommu_prot, unsigned int gfp,
			     unsigned long *mapped)
	{
		Table &t = table_of<Table>(ops);
		int ret = check_map_args(t.iop.cfg, iova, paddr, pgsize, pgcount, iommu_prot);
		if (!ret) {
			const Pte attrs = t.attrs[iommu_prot & prot::all];
			usize done = 0;
			switch (pgsize) {
			case block(3):
				ret = map_at<3>(t, iova, paddr, pgcount, attrs, gfp, &done);
				break;
			case block(2):
				if constexpr (Start <= 2)
					ret = map_at<2>(t, iova, paddr, pgcount, attrs, gfp, &done);
				else
					ret = -EINVAL;
				break;
			case block(1):
				if constexpr (Start <= 1)
					ret = map_at<1>(t, iova, paddr, pgcount, attrs, gfp, &done);
				else
					ret = -EINVAL;
				break;
			default:
				ret = -EINVAL;
			}
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
		if (!check_unmap_args<Env>(cfg, iova, pgsize, pgcount))
			return 0;
		switch (pgsize) {
		case block(3):
			return unmap_at<3>(t, iova, pgcount, gather);
		case block(2):
			if constexpr (Start <= 2)
				return unmap_at<2>(t, iova, pgcount, gather);
			break;
		case block(1):
			if constexpr (Start <= 1)
				return unmap_at<1>(t, iova, pgcount, gather);
			break;
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
		if (is_leaf<L>(pte))
			return pte_to_oa<PgShift>(pte) | (iova & (block(L) - 1));
		if constexpr (L < last) {
			if (is_table<L>(pte))
				return translate<L + 1>(t, deref(t, pte), iova);
		}
		return 0;
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
		free_tables<Start>(t, t.pgd, t.pgd_index_mask + 1, pgd_alloc_bytes<Env>(t.geo));
	}

	static constexpr armature_pgtable_ops ops = {
		.map_pages = map_pages,
		.unmap_pages = unmap_pages,
		.iova_to_phys = iova_to_phys,
		.read_and_clear_dirty = read_and_clear_dirty,
	};
};

// The instantiation for a geometry.
template <typename Env>
struct Dispatch {
	const armature_pgtable_ops *ops;
	void (*free)(Table &);
};

template <typename Env, unsigned PgShift, unsigned Start, bool Mali = false>
constexpr Dispatch<Env> dispatch_for()
{
	using W = Walker<Env, PgShift, Start, Mali>;
	return {&W::ops, W::free};
}

template <typename Env, unsigned PgShift>
constexpr Dispatch<Env> dispatch_for_granule(unsigned start)
{
	switch (start) {
	case 0:
		if constexpr (PgShift != 16)	// 64K tables have at most 3 levels
			return dispatch_for<Env, PgShift, 0>();
		break;
	case 1:
		return dispatch_for<Env, PgShift, 1>();
	case 2:
		return dispatch_for<Env, PgShift, 2>();
	case 3:
		return dispatch_for<Env, PgShift, 3>();
	}
	return {nullptr, nullptr};
}

template <typename Env>
constexpr Dispatch<Env> select(const Geometry &geo, bool mali)
{
	if (mali)	// always four levels of 4K tables
		return geo.pg_shift == 12 && geo.start_level == 0 ? dispatch_for<Env, 12, 0, true>()
								   : Dispatch<Env>{nullptr, nullptr};
	switch (geo.pg_shift) {
	case 12:
		return dispatch_for_granule<Env, 12>(geo.start_level);
	case 14:
		return dispatch_for_granule<Env, 14>(geo.start_level);
	case 16:
		return dispatch_for_granule<Env, 16>(geo.start_level);
	}
	return {nullptr, nullptr};
}

// Every LPAE table object is one of these: the dispatch of its geometry.
template <typename Env>
struct EnvTable : Table {
	void (*free_fn)(Table &);
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

template <typename Env>
int alloc(armature_pgtable_fmt fmt, armature_pgtable_cfg *cfg, void *cookie,
	  armature_pgtable **out)
{
	const bool mali = fmt == ARMATURE_PGTABLE_ARM_MALI_LPAE;
	const bool s1 = is_stage1(fmt);
	const unsigned long allowed = s1 ? quirk::arm_ns | quirk::ttbr1 | quirk::outer_wbwa | quirk::arm_hd : 0;

	if (cfg->quirks & ~allowed) {
		Env::report(*cfg, "quirks %#lx not supported by this format\n", cfg->quirks & ~allowed);
		return -EINVAL;
	}
	unsigned max_ias = max_addr_bits, max_oas = max_addr_bits;
	if (fmt == ARMATURE_PGTABLE_ARM_32_LPAE_S1)
		max_ias = 32, max_oas = 40;
	else if (fmt == ARMATURE_PGTABLE_ARM_32_LPAE_S2)
		max_ias = 40, max_oas = 40;
	else if (mali)
		max_ias = 48, max_oas = 40;
	if (cfg->ias > max_ias || cfg->oas > max_oas) {
		Env::report(*cfg, "ias %u / oas %u beyond the format's %u / %u bits\n", cfg->ias,
			    cfg->oas, max_ias, max_oas);
		return -EINVAL;
	}
	if (fmt != ARMATURE_PGTABLE_ARM_64_LPAE_S1 && fmt != ARMATURE_PGTABLE_ARM_64_LPAE_S2)
		cfg->pgsize_bitmap &= SZ_4K | SZ_2M | SZ_1G;

	restrict_pgsizes<Env>(*cfg);
	if (!(cfg->pgsize_bitmap & (SZ_4K | SZ_16K | SZ_64K))) {
		Env::report(*cfg, "no supported granule in pgsize_bitmap\n");
		return -EINVAL;
	}

	Geometry geo;
	geo.pg_shift = std::countr_zero(static_cast<u64>(cfg->pgsize_bitmap));
	const unsigned bpl = geo.bits_per_level();
	if (cfg->ias <= geo.pg_shift) {
		Env::report(*cfg, "ias %u is not above the granule\n", cfg->ias);
		return -EINVAL;
	}
	const unsigned va_bits = cfg->ias - geo.pg_shift;
	const unsigned levels = (va_bits + bpl - 1) / bpl;
	geo.start_level = max_levels - levels;
	geo.pgd_bits = va_bits - bpl * (levels - 1);

	if (is_stage2(fmt) && geo.start_level == 0 && (1u << geo.pgd_bits) <= s2_max_concat_pages) {
		// Concatenate the level-1 tables: one level less to walk.
		geo.pgd_bits += bpl;
		geo.start_level++;
	}
	if (mali && geo.start_level > 0) {
		// Mali wants four levels whatever ias is: a one-entry level 0.
		geo.start_level = 0;
		geo.pgd_bits = 0;
	}

	const bool coherent = cfg->coherent_walk;
	const bool ttbr1 = cfg->quirks & quirk::ttbr1;
	const int ps = ps_field(cfg->oas);
	if (s1 || is_stage2(fmt)) {
		if (ps < 0) {
			Env::report(*cfg, "oas %u is not an architected output size\n", cfg->oas);
			return -EINVAL;
		}
		if (coherent && (cfg->quirks & quirk::outer_wbwa)) {
			Env::report(*cfg, "OUTER_WBWA is for non-coherent walkers\n");
			return -EINVAL;
		}
	}

	const Dispatch<Env> d = select<Env>(geo, mali);
	if (!d.ops) {
		Env::report(*cfg, "no %u-level table of %u-bit granule for ias %u\n",
			    max_levels - geo.start_level, geo.pg_shift, cfg->ias);
		return -EINVAL;
	}

	auto *t = new_table<Env, EnvTable<Env>>();
	if (!t)
		return -ENOMEM;
	t->free_fn = d.free;
	t->geo = geo;
	t->pgd_index_mask = (u64(1) << geo.pgd_bits) - 1;
	for (int p = 0; p <= prot::all; p++)
		t->attrs[p] = prot_to_attrs(fmt, cfg->quirks, p);

	t->pgd = static_cast<Pte *>(Env::alloc_table(*cfg, pgd_alloc_bytes<Env>(geo), Env::gfp_kernel));
	if (!t->pgd) {
		delete_table<Env>(t);
		return -ENOMEM;
	}
	const u64 pgd_pa = Env::virt_to_phys(t->pgd);
	t->linear = LinearMap(t->pgd, pgd_pa);

	const unsigned sh = coherent ? tcr_sh_is : tcr_sh_os;
	const unsigned irgn = coherent ? tcr_rgn_wbwa : tcr_rgn_nc;
	const unsigned orgn = coherent || (cfg->quirks & quirk::outer_wbwa) ? tcr_rgn_wbwa : tcr_rgn_nc;
	if (s1) {
		auto &tcr = cfg->arm_lpae_s1_cfg.tcr;
		tcr.sh = sh;
		tcr.irgn = irgn;
		tcr.orgn = orgn;
		switch (geo.pg_shift) {
		case 12: tcr.tg = ttbr1 ? tg1_4k : tg0_4k; break;
		case 14: tcr.tg = ttbr1 ? tg1_16k : tg0_16k; break;
		case 16: tcr.tg = ttbr1 ? tg1_64k : tg0_64k; break;
		}
		tcr.ips = ps;
		tcr.tsz = 64 - cfg->ias;
		cfg->arm_lpae_s1_cfg.mair = mair_nc << (8 * mair_idx_nc) |
					    mair_wbrwa << (8 * mair_idx_cache) |
					    mair_device << (8 * mair_idx_dev) |
					    mair_inc_owbrwa << (8 * mair_idx_inc_ocache);
		cfg->arm_lpae_s1_cfg.ttbr = pgd_pa;
	} else if (!mali) {
		auto &vtcr = cfg->arm_lpae_s2_cfg.vtcr;
		vtcr.sh = sh;
		vtcr.irgn = irgn;
		vtcr.orgn = orgn;
		unsigned sl = geo.start_level;
		switch (geo.pg_shift) {
		case 12: vtcr.tg = tg0_4k; sl++; break;	// SL0 counts from level 2 for 4K
		case 14: vtcr.tg = tg0_16k; break;
		case 16: vtcr.tg = tg0_64k; break;
		}
		vtcr.ps = ps;
		vtcr.tsz = 64 - cfg->ias;
		vtcr.sl = ~sl & 3;
		cfg->arm_lpae_s2_cfg.vttbr = pgd_pa;
	} else {
		cfg->arm_mali_lpae_cfg.memattr = mali_memattr_imp_def << (8 * mair_idx_nc) |
						 mali_memattr_write_alloc << (8 * mair_idx_cache) |
						 mali_memattr_imp_def << (8 * mair_idx_dev);
		cfg->arm_mali_lpae_cfg.transtab = pgd_pa | mali_transtab_read_inner |
						  mali_transtab_adrmode_table |
						  (coherent ? mali_transtab_share_outer : 0);
	}
	// The empty pgd visible before the caller can write it to a TTBR.
	Env::wmb();

	hand_out(t->iop, fmt, cookie, *cfg, *d.ops, out);
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
};

} // namespace armature::iopt::lpae
