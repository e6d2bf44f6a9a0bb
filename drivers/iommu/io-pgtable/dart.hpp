// SPDX-License-Identifier: GPL-2.0
// Apple's DART page-table formats: APPLE_DART (the t8020 DART of M1) and
// APPLE_DART2 (t6000 and t8110, M1 Pro and later). Two levels of tables one
// granule in size (4K or 16K; DART2 16K only) under up to four TTBRs, each
// TTBR covering one level-1 table: iova = [ttbr | level 1 | level 2 | page].
// Only pages of the granule are mapped; there are no blocks.
//
// Facts from upstream's io-pgtable-dart.c (6.12); where it misbehaves, this
// one refuses or corrects, and the differences are the ones below:
//   - DART2 leaves carry NO_CACHE only without IOMMU_CACHE. 6.12 also sets
//     DART1's subpage-disable bit, which is DART2's NO_CACHE, in every leaf
//     (later upstream sets it for DART1 only).
//   - DART2 descriptors hold PA[41:14], so a 4K granule would lose PA bits
//     13:12 (6.12 accepts it and drops them): refused. DART1 descriptors hold
//     PA[35:12], so its oas is at most 36 (6.12 accepts 42 and truncates).
//   - A table the walker could not address (beyond oas) is not used.
//   - iovas beyond ias are refused (6.12 wraps them into the tables).
// The walker is always coherent: a non-coherent cfg is refused, as upstream.
#pragma once

#include "pgtable.hpp"
#include <kcpp/regs.hpp>

namespace armature::iopt::dart {

using Pte = u64;

inline constexpr unsigned max_ttbr_bits = 2, max_ttbrs = 1u << max_ttbr_bits;
inline constexpr unsigned dart1_max_oas = 36, dart2_max_oas = 42;

// Leaves. Subpage protection (DART2 always checks it, DART1 when SP_DIS is
// clear) allows the range [start, end] of a page's subpages: 0 to 0xfff is
// the whole page.
struct Dart1Pte : kcpp::BitLayout<Dart1Pte, Pte> {
	KCPP_BIT(0, valid);
	KCPP_BIT(1, sp_dis);	// subpage protection off
	KCPP_BIT(7, no_write);
	KCPP_BIT(8, no_read);
	KCPP_FIELD(35, 12, addr);	// PA[35:12]
	KCPP_FIELD(51, 40, subpage_end);
	KCPP_FIELD(63, 52, subpage_start);
};

struct Dart2Pte : kcpp::BitLayout<Dart2Pte, Pte> {
	KCPP_BIT(0, valid);
	KCPP_BIT(1, no_cache);
	KCPP_BIT(2, no_write);
	KCPP_BIT(3, no_read);
	KCPP_FIELD(37, 10, addr);	// PA[41:14]
	KCPP_FIELD(51, 40, subpage_end);
	KCPP_FIELD(63, 52, subpage_start);
};
inline constexpr unsigned dart2_addr_shift = 14 - Dart2Pte::addr_field::lo;

// What sets the two formats apart. A table descriptor is the table's
// address and the valid bit.
struct Encoding {
	Pte valid, no_read, no_write, no_cache;
	Pte always;		// in every leaf
	Pte addr_mask;		// in the descriptor
	unsigned addr_shift;	// PA >> addr_shift, masked
	unsigned max_oas;
	u64 granules;
};

template <typename D>
constexpr Pte whole_page()
{
	return D::Get().set_valid(1).set_subpage_start(0).set_subpage_end(0xfff).reg_value();
}

inline constexpr Encoding dart1 = {
	.valid = Dart1Pte::valid_mask, .no_read = Dart1Pte::no_read_mask,
	.no_write = Dart1Pte::no_write_mask, .no_cache = 0,
	.always = whole_page<Dart1Pte>() | Dart1Pte::sp_dis_mask,
	.addr_mask = Dart1Pte::addr_mask, .addr_shift = 0, .max_oas = dart1_max_oas,
	.granules = SZ_4K | SZ_16K,
};

inline constexpr Encoding dart2 = {
	.valid = Dart2Pte::valid_mask, .no_read = Dart2Pte::no_read_mask,
	.no_write = Dart2Pte::no_write_mask, .no_cache = Dart2Pte::no_cache_mask,
	.always = whole_page<Dart2Pte>(),
	.addr_mask = Dart2Pte::addr_mask, .addr_shift = dart2_addr_shift, .max_oas = dart2_max_oas,
	.granules = SZ_16K,
};

constexpr const Encoding &encoding(armature_pgtable_fmt fmt)
{
	return fmt == ARMATURE_PGTABLE_APPLE_DART2 ? dart2 : dart1;
}

constexpr Pte pa_to_pte(const Encoding &e, u64 pa) { return (pa >> e.addr_shift) & e.addr_mask; }
constexpr u64 pte_to_pa(const Encoding &e, Pte pte) { return (pte & e.addr_mask) << e.addr_shift; }

// A leaf's bits for an IOMMU_* prot, all but the address.
constexpr Pte prot_to_attrs(const Encoding &e, int iommu_prot)
{
	Pte pte = e.always;
	if (!(iommu_prot & prot::read))
		pte |= e.no_read;
	if (!(iommu_prot & prot::write))
		pte |= e.no_write;
	if (!(iommu_prot & prot::cache))
		pte |= e.no_cache;
	return pte;
}

// The shape of a table: granule 1 << pg_shift, 1 << bits entries per table.
struct Geometry {
	unsigned pg_shift;
	unsigned bits;
	unsigned ttbr_bits;	// n_ttbrs = 1 << ttbr_bits

	constexpr usize entries() const { return usize(1) << bits; }
	constexpr usize table_bytes() const { return usize(1) << pg_shift; }
	constexpr unsigned l1_shift() const { return pg_shift + bits; }
	constexpr unsigned ttbr_shift() const { return pg_shift + 2 * bits; }
	constexpr unsigned n_ttbrs() const { return 1u << ttbr_bits; }
};

// Geometry for a granule and an input size; false if ias needs more than
// four TTBRs.
constexpr bool geometry_for(u64 granule, unsigned ias, Geometry &g)
{
	g.pg_shift = static_cast<unsigned>(std::countr_zero(granule));
	g.bits = g.pg_shift - 3;
	const unsigned covered = g.pg_shift + 2 * g.bits;
	g.ttbr_bits = ias > covered ? ias - covered : 0;
	return g.ttbr_bits <= max_ttbr_bits;
}

struct Table {
	armature_pgtable iop;
	Pte *pgd[max_ttbrs];
	LinearMap linear;
	Geometry geo;
	const Encoding *enc;
	Pte attrs[prot::all + 1];	// prot_to_attrs() for every prot
};

template <typename Env>
class Walker {
	static usize l2_index(const Table &t, u64 iova) { return (iova >> t.geo.pg_shift) & (t.geo.entries() - 1); }

	static Pte *l1_entry(const Table &t, u64 iova)
	{
		const usize ttbr = (iova >> t.geo.ttbr_shift()) & (t.geo.n_ttbrs() - 1);
		return t.pgd[ttbr] + ((iova >> t.geo.l1_shift()) & (t.geo.entries() - 1));
	}

	static Pte *l2_table(const Table &t, Pte l1) { return t.linear.virt<Pte>(pte_to_pa(*t.enc, l1)); }

	// The level-2 table under iova, installing an empty one if there is none.
	static Pte *l2_table_for(Table &t, u64 iova, unsigned gfp)
	{
		Pte *ptep = l1_entry(t, iova);
		Pte pte = pte_load(ptep);
		if (pte)
			return l2_table(t, pte);
		Pte *table = alloc_table_below<Env, Pte>(t.iop.cfg, t.geo.table_bytes(), gfp, t.iop.cfg.oas);
		if (!table)
			return nullptr;
		Env::dma_wmb();	// the zeroed table before the descriptor that publishes it
		pte = pte_cmpxchg(ptep, Pte(0), pa_to_pte(*t.enc, t.linear.phys(table)) | t.enc->valid);
		if (!pte)
			return table;
		Env::free_table(t.iop.cfg, table, t.geo.table_bytes());	// another CPU was first
		return l2_table(t, pte);
	}

public:
	static int map_pages(armature_pgtable_ops *ops, unsigned long iova, unsigned long long paddr,
			     unsigned long pgsize, unsigned long pgcount, int iommu_prot, unsigned int gfp,
			     unsigned long *mapped)
	{
		Table &t = table_of<Table>(ops);
		int ret = check_map_args(t.iop.cfg, iova, paddr, pgsize, pgcount, iommu_prot);
		const Pte attrs = t.attrs[iommu_prot & prot::all];
		while (!ret && pgcount) {
			Pte *table = l2_table_for(t, iova, gfp);
			if (!table) {
				ret = -ENOMEM;
				break;
			}
			const usize first = l2_index(t, iova);
			usize n = t.geo.entries() - first;
			if (n > pgcount)
				n = pgcount;
			Pte *ptep = table + first;
			// Refuse before changing anything in this table.
			for (usize i = 0; i < n && !ret; i++)
				if (pte_load(ptep + i))
					ret = -EEXIST;
			if (ret)
				break;
			for (usize i = 0; i < n; i++)
				pte_store(ptep + i, attrs | pa_to_pte(*t.enc, paddr + i * pgsize));
			*mapped += n * pgsize;
			pgcount -= n;
			iova += n * pgsize;
			paddr += n * pgsize;
		}
		return finish_map<Env>(t.iop.cfg, ret, iova, paddr, pgsize, pgcount, iommu_prot);
	}

	// Unmaps pages from iova on, up to the first that is not mapped; level-2
	// tables stay until the table is freed, as upstream keeps them.
	static unsigned long unmap_pages(armature_pgtable_ops *ops, unsigned long iova,
					 unsigned long pgsize, unsigned long pgcount,
					 iommu_iotlb_gather *gather)
	{
		Table &t = table_of<Table>(ops);
		if (!check_unmap_args<Env>(t.iop.cfg, iova, pgsize, pgcount))
			return 0;
		const bool add_pages = gather && !Env::gather_queued(gather);
		unsigned long unmapped = 0;
		while (pgcount) {
			const Pte l1 = pte_load(l1_entry(t, iova));
			if (!l1)
				break;
			const usize first = l2_index(t, iova);
			usize n = t.geo.entries() - first;
			if (n > pgcount)
				n = pgcount;
			Pte *ptep = l2_table(t, l1) + first;
			usize done = 0;
			for (; done < n && pte_load(ptep + done); done++) {
				pte_store(ptep + done, Pte(0));
				if (add_pages)
					tlb_add_page(t.iop, gather, iova + done * pgsize, pgsize);
			}
			unmapped += done * pgsize;
			if (done < n)
				break;
			pgcount -= n;
			iova += n * pgsize;
		}
		return unmapped;
	}

	static unsigned long long iova_to_phys(armature_pgtable_ops *ops, unsigned long iova)
	{
		const Table &t = table_of<Table>(ops);
		if (!iova_in_range(t.iop.cfg, iova))
			return 0;
		const Pte l1 = pte_load(l1_entry(t, iova));
		if (!l1)
			return 0;
		const Pte pte = pte_load(l2_table(t, l1) + l2_index(t, iova));
		if (!(pte & t.enc->valid))
			return 0;
		return pte_to_pa(*t.enc, pte) | (iova & (t.geo.table_bytes() - 1));
	}

	// Every table, then the object (also of a table half allocated).
	static void release(Table *t)
	{
		for (unsigned i = 0; i < t->geo.n_ttbrs() && t->pgd[i]; i++) {
			for (usize j = 0; j < t->geo.entries(); j++)
				if (t->pgd[i][j])
					Env::free_table(t->iop.cfg, l2_table(*t, t->pgd[i][j]), t->geo.table_bytes());
			Env::free_table(t->iop.cfg, t->pgd[i], t->geo.table_bytes());
		}
		delete_table<Env>(t);
	}

	static constexpr armature_pgtable_ops ops = ops_of<Walker>();
};

template <typename Env>
int check_cfg(armature_pgtable_fmt fmt, const armature_pgtable_cfg &cfg, Geometry &geo)
{
	if (fmt != ARMATURE_PGTABLE_APPLE_DART && fmt != ARMATURE_PGTABLE_APPLE_DART2) {
		Env::report(cfg, "format %d is not a DART format\n", static_cast<int>(fmt));
		return -EINVAL;
	}
	const Encoding &e = encoding(fmt);
	if (cfg.quirks) {
		Env::report(cfg, "quirks %#lx not supported by DART\n", cfg.quirks);
		return -EINVAL;
	}
	if (!cfg.coherent_walk) {
		Env::report(cfg, "DART walks coherently: coherent_walk must be set\n");
		return -EINVAL;
	}
	if (!is_power_of_2(cfg.pgsize_bitmap) || !(cfg.pgsize_bitmap & e.granules)) {
		Env::report(cfg, "page sizes %#lx: the format takes exactly one of %#llx\n",
			    cfg.pgsize_bitmap, static_cast<unsigned long long>(e.granules));
		return -EINVAL;
	}
	if (!cfg.oas || cfg.oas > e.max_oas) {
		Env::report(cfg, "oas %u beyond the format's %u bits\n", cfg.oas, e.max_oas);
		return -EINVAL;
	}
	if (cfg.ias > cfg.oas) {
		Env::report(cfg, "ias %u above oas %u\n", cfg.ias, cfg.oas);
		return -EINVAL;
	}
	if (!geometry_for(cfg.pgsize_bitmap, cfg.ias, geo)) {
		Env::report(cfg, "ias %u needs more than %u TTBRs\n", cfg.ias, max_ttbrs);
		return -EINVAL;
	}
	return 0;
}

template <typename Env>
int alloc(armature_pgtable_fmt fmt, armature_pgtable_cfg *cfg, void *cookie, armature_pgtable **out)
{
	Geometry geo;
	if (int ret = check_cfg<Env>(fmt, *cfg, geo))
		return ret;
	auto *t = new_table<Env, Table>();
	if (!t)
		return -ENOMEM;
	t->geo = geo;
	t->enc = &encoding(fmt);
	for (int p = 0; p <= prot::all; p++)
		t->attrs[p] = prot_to_attrs(*t->enc, p);
	t->iop.cfg = *cfg;

	auto &regs = cfg->apple_dart_cfg;
	regs = {};
	for (unsigned i = 0; i < geo.n_ttbrs(); i++) {
		t->pgd[i] = alloc_table_below<Env, Pte>(t->iop.cfg, geo.table_bytes(), Env::gfp_kernel, cfg->oas);
		if (!t->pgd[i]) {
			Walker<Env>::release(t);
			return -ENOMEM;
		}
		regs.ttbr[i] = Env::virt_to_phys(t->pgd[i]);
	}
	regs.n_ttbrs = geo.n_ttbrs();
	t->linear = LinearMap(t->pgd[0], regs.ttbr[0]);
	// The empty tables visible before the caller can write their TTBRs.
	Env::wmb();

	hand_out(t->iop, fmt, cookie, *cfg, Walker<Env>::ops, out);
	return 0;
}

template <typename Env>
inline constexpr armature_pgtable_init_fns init_fns = {
	.alloc = alloc<Env>,
	.free = [](armature_pgtable *iop) { Walker<Env>::release(reinterpret_cast<Table *>(iop)); },
	.caps = 0,	// no custom allocator, as upstream
};

} // namespace armature::iopt::dart
