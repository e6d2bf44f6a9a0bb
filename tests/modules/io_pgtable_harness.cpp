// SPDX-License-Identifier: GPL-2.0
// armature_io_pgtable_harness: holds tables of a format (module tests),
// compares ours with the kernel's built-in io-pgtable on random sequences
// (differential test), and measures both (bench).
#include "io_pgtable_harness.h"

#include <kcpp/alloc.hpp>
#include <kcpp/layout.hpp>
#include <kcpp/lock.hpp>
#include <kcpp/memory.h>
#include <kcpp/name.hpp>
#include <kcpp/result.hpp>
#include <kcpp/static.hpp>
#include <dart.hpp>
#include <kernel_env.hpp>
#include <lpae.hpp>

using namespace armature::iopt;

namespace {

constexpr unsigned gfp_kernel = KCPP_GFP_KERNEL;
constexpr u64 SZ_256M = u64(1) << 28;

void no_flush_all(void *) {}
void no_flush_walk(unsigned long, unsigned long, unsigned long, void *) {}
void no_add_page(iommu_iotlb_gather *, unsigned long, unsigned long, void *) {}
constexpr armature_pgtable_flush_ops no_tlb = {no_flush_all, no_flush_walk, no_add_page};

struct Config {
	const char *name;
	armature_pgtable_fmt fmt;
	unsigned long pgsizes;
	unsigned ias, oas;
	unsigned long quirks;
	// compare: the sequence also on a table with ARM_CONTIG.
	bool contig = false;
};

constexpr unsigned long lpae_4k = SZ_4K | SZ_2M | SZ_1G;
constexpr unsigned long v7s_sizes = SZ_4K | SZ_64K | SZ_1M | SZ_16M;

// The table "hold" keeps for each format: a configuration it accepts.
constexpr Config hold_configs[] = {
	{"arm-32-lpae-s1", ARMATURE_PGTABLE_ARM_32_LPAE_S1, lpae_4k, 32, 40, 0},
	{"arm-32-lpae-s2", ARMATURE_PGTABLE_ARM_32_LPAE_S2, lpae_4k, 40, 40, 0},
	{"arm-64-lpae-s1", ARMATURE_PGTABLE_ARM_64_LPAE_S1, lpae_4k, 48, 48, 0},
	{"arm-64-lpae-s2", ARMATURE_PGTABLE_ARM_64_LPAE_S2, lpae_4k, 48, 48, 0},
	{"arm-v7s", ARMATURE_PGTABLE_ARM_V7S, v7s_sizes, 32, 32, 0},
	{"arm-mali-lpae", ARMATURE_PGTABLE_ARM_MALI_LPAE, lpae_4k, 48, 40, 0},
	{"apple-dart", ARMATURE_PGTABLE_APPLE_DART, SZ_4K, 32, 36, 0},
	{"apple-dart2", ARMATURE_PGTABLE_APPLE_DART2, SZ_16K, 32, 42, 0},
};

armature_pgtable_cfg make_cfg(const Config &c)
{
	armature_pgtable_cfg cfg{};
	cfg.quirks = c.quirks;
	cfg.pgsize_bitmap = c.pgsizes;
	cfg.ias = c.ias;
	cfg.oas = c.oas;
	cfg.coherent_walk = true;
	cfg.tlb = &no_tlb;
	cfg.iommu_dev = iopt_harness_device();
	return cfg;
}

// --- hold ---------------------------------------------------------------

constinit kcpp::Static<kcpp::Mutex> hold_lock;
armature_pgtable_ops *held;
const char *held_name = "";
// Module parameters stay writable until after module_exit: a late write
// finds live false under hold_lock (which is left in place).
bool live;

// --- random sequences -----------------------------------------------------

// Why the last compare left formats out, a line per family: the kernel lacks them.
char compare_skipped[256];
// Entries the ARM_CONTIG tables of the last compare had in runs.
u64 compare_contig_entries;

class Random {
public:
	explicit Random(u64 seed) : state_(seed ? seed : 0x9e3779b97f4a7c15ULL) {}
	u64 next()
	{
		state_ ^= state_ << 13;
		state_ ^= state_ >> 7;
		state_ ^= state_ << 17;
		return state_;
	}
	u64 below(u64 n) { return next() % n; }

private:
	u64 state_;
};

struct Mapping {
	u64 iova, pa, pgsize, count;
	u64 end() const { return iova + pgsize * count; }
};

// The mappings a sequence made, to pick non-overlapping maps and real unmaps.
class Model {
public:
	static constexpr int capacity = 256;

	bool full() const { return n_ == capacity; }
	int size() const { return n_; }
	const Mapping &at(int i) const { return maps_[i]; }
	void add(const Mapping &m) { maps_[n_++] = m; }
	void remove(int i) { maps_[i] = maps_[--n_]; }
	int overlapping(u64 start, u64 end) const
	{
		for (int i = 0; i < n_; i++)
			if (start < maps_[i].end() && maps_[i].iova < end)
				return i;
		return -1;
	}

private:
	Mapping maps_[capacity];
	int n_ = 0;
};

// Maps as the IOMMU core does: again and again until all is mapped, since
// upstream's map_pages stops at the end of a table.
int map_all(armature_pgtable_ops *ops, const Mapping &m, int prot)
{
	u64 done = 0, total = m.pgsize * m.count;
	while (done < total) {
		unsigned long mapped = 0;
		int ret = ops->map_pages(ops, m.iova + done, m.pa + done, m.pgsize,
					 (total - done) / m.pgsize, prot, gfp_kernel, &mapped);
		done += mapped;
		if (ret)
			return ret;
		if (!mapped)
			return -EIO;
	}
	return 0;
}

u64 unmap_all(armature_pgtable_ops *ops, u64 iova, u64 pgsize, u64 count,
	      iommu_iotlb_gather *gather = nullptr)
{
	u64 done = 0, total = pgsize * count;
	while (done < total) {
		u64 n = ops->unmap_pages(ops, iova + done, pgsize, (total - done) / pgsize, gather);
		if (!n)
			break;
		done += n;
	}
	return done;
}

struct Side {
	armature_pgtable_ops *ops;
	armature_pgtable_cfg cfg;
};

u64 oa_of(const lpae::Table &t, u64 pte)
{
	return t.geo.pg_shift == 16 ? lpae::pte_to_oa<16>(pte) : lpae::pte_to_oa<12>(pte);
}

// Walks both trees, level by level: leaves must be equal (but for the bits
// in ignore), and table descriptors equal but for the address of the next
// table.
class TreeCompare {
public:
	TreeCompare(const lpae::Table &geo, bool mali, u64 ignore = 0)
		: t_(geo), mali_(mali), ignore_(ignore) {}

	bool tables(u64 ours_pa, u64 theirs_pa)
	{
		return level(t_.geo.start_level, ours_pa, theirs_pa, 0);
	}

private:
	bool is_table(u64 pte, unsigned lvl) const
	{
		return lvl < 3 && (pte & lpae::Desc::type_mask) == lpae::Desc::type_table;
	}

	bool level(unsigned lvl, u64 ours_pa, u64 theirs_pa, u64 base)
	{
		const unsigned bits = t_.geo.pg_shift - 3;
		const u64 n = lvl == t_.geo.start_level ? t_.pgd_index_mask + 1 : u64(1) << bits;
		const unsigned shift = (4 - lvl) * bits + 3;
		auto *ours = static_cast<const u64 *>(iopt_harness_phys_to_virt(ours_pa));
		auto *theirs = static_cast<const u64 *>(iopt_harness_phys_to_virt(theirs_pa));
		for (u64 i = 0; i < n; i++) {
			u64 a = ours[i], b = theirs[i];
			u64 iova = base + (i << shift);
			if (is_table(a, lvl) && is_table(b, lvl)) {
				if ((a & ~lpae::Desc::oa_mask) != (b & ~lpae::Desc::oa_mask)) {
					iopt_harness_log("compare: level %u table descriptor for %#lx: ours %#lx, upstream %#lx\n",
							 lvl, iova, a, b);
					return false;
				}
				if (!level(lvl + 1, oa_of(t_, a), oa_of(t_, b), iova))
					return false;
			} else if ((a ^ b) & ~ignore_) {
				iopt_harness_log("compare: level %u descriptor for %#lx: ours %#lx, upstream %#lx%s\n",
						 lvl, iova, a, b, mali_ ? " (mali)" : "");
				return false;
			}
		}
		return true;
	}

	const lpae::Table &t_;
	bool mali_;
	u64 ignore_;
};

// Calls visit(level, ptes, count) for every table of an LPAE tree.
template <typename Visit>
void for_each_table(const lpae::Table &t, unsigned lvl, u64 table_pa, Visit &&visit)
{
	const unsigned bits = t.geo.pg_shift - 3;
	const u64 n = lvl == t.geo.start_level ? t.pgd_index_mask + 1 : u64(1) << bits;
	auto *ptes = static_cast<const u64 *>(iopt_harness_phys_to_virt(table_pa));
	visit(lvl, ptes, n);
	for (u64 i = 0; lvl < 3 && i < n; i++)
		if ((ptes[i] & lpae::Desc::type_mask) == lpae::Desc::type_table)
			for_each_table(t, lvl + 1,
				       oa_of(t, ptes[i]), visit);
}

bool is_leaf(const u64 *ptes, u64 i, unsigned lvl)
{
	const u64 type = ptes[i] & lpae::Desc::type_mask;
	return lvl == 3 ? type == lpae::Desc::type_page : type == lpae::Desc::type_block;
}

// The leaves of a table as a TLB holds them: a contiguous run is one entry.
// Counts the entries with the bit in contig, and says (false) if a run with
// the bit is not whole, alike and aligned, as the Arm ARM requires.
struct TlbEntries {
	u64 entries = 0, contig = 0;
	bool runs_ok = true;

	void operator()(const lpae::Table &t, unsigned lvl, const u64 *ptes, u64 n)
	{
		const u64 per_run = lpae::contig_run_entries(t.geo.pg_shift, lvl);
		const u64 size = u64(1) << ((4 - lvl) * (t.geo.pg_shift - 3) + 3);
		const u64 like = ~(lpae::Desc::oa_mask | lpae::Desc::contig_mask);
		for (u64 i = 0; i < n; i += per_run) {
			u64 with_bit = 0;
			for (u64 j = i; j < i + per_run && j < n; j++) {
				if (!is_leaf(ptes, j, lvl))
					continue;
				entries++;
				with_bit += !!(ptes[j] & lpae::Desc::contig_mask);
			}
			if (!with_bit)
				continue;
			contig += with_bit;
			entries -= per_run - 1;
			const u64 first = oa_of(t, ptes[i]);
			bool whole = per_run > 1 && with_bit == per_run && !(first & (per_run * size - 1));
			for (u64 j = i + 1; whole && j < i + per_run; j++)
				whole = ((ptes[j] ^ ptes[i]) & like) == 0 && oa_of(t, ptes[j]) == first + (j - i) * size;
			if (!whole) {
				iopt_harness_log("contig: level %u run at entry %lu: %lu of %lu with the bit, first %#lx\n",
						 lvl, i, with_bit, per_run, ptes[i]);
				runs_ok = false;
			}
		}
	}
};

// The TLB entries of a whole LPAE table.
TlbEntries tlb_entries(armature_pgtable_ops *ops, u64 root_pa)
{
	const lpae::Table &t = table_of<lpae::Table>(ops);
	TlbEntries count;
	for_each_table(t, t.geo.start_level, root_pa,
		       [&](unsigned lvl, const u64 *ptes, u64 n) { count(t, lvl, ptes, n); });
	return count;
}

// v7s: a 4096-entry level 1 (for ias 32) of sections, supersections and
// level-2 tables of 256 entries; descriptors are 32 bits.
bool same_v7s_tables(const armature_pgtable_cfg &ours_cfg, const armature_pgtable_cfg &theirs_cfg)
{
	constexpr u32 table_type = 1, type_mask = 3, l2_addr = ~u32(0x3ff);
	auto *ours = static_cast<const u32 *>(iopt_harness_phys_to_virt(ours_cfg.arm_v7s_cfg.ttbr & ~0x3fffu));
	auto *theirs = static_cast<const u32 *>(iopt_harness_phys_to_virt(theirs_cfg.arm_v7s_cfg.ttbr & ~0x3fffu));
	const u32 entries = u32(1) << (ours_cfg.ias - 20);
	for (u32 i = 0; i < entries; i++) {
		u32 a = ours[i], b = theirs[i];
		if ((a & type_mask) == table_type && (b & type_mask) == table_type) {
			if ((a & ~l2_addr) != (b & ~l2_addr)) {
				iopt_harness_log("compare v7s: level 1 table descriptor %u: ours %#x, upstream %#x\n",
						 i, a, b);
				return false;
			}
			auto *l2a = static_cast<const u32 *>(iopt_harness_phys_to_virt(a & l2_addr));
			auto *l2b = static_cast<const u32 *>(iopt_harness_phys_to_virt(b & l2_addr));
			for (u32 j = 0; j < 256; j++)
				if (l2a[j] != l2b[j]) {
					iopt_harness_log("compare v7s: level 2 descriptor %u/%u: ours %#x, upstream %#x\n",
							 i, j, l2a[j], l2b[j]);
					return false;
				}
		} else if (a != b) {
			iopt_harness_log("compare v7s: level 1 descriptor %u: ours %#x, upstream %#x\n", i, a, b);
			return false;
		}
	}
	return true;
}

constexpr bool is_dart(armature_pgtable_fmt fmt)
{
	return fmt == ARMATURE_PGTABLE_APPLE_DART || fmt == ARMATURE_PGTABLE_APPLE_DART2;
}

// DART: a level-1 table per TTBR, level-2 tables below, all of one granule.
// 6.12 sets bit 1 in every leaf, which on DART2 is NO_CACHE: ours leaves it
// clear for IOMMU_CACHE, the one difference allowed.
bool same_dart_tables(armature_pgtable_fmt fmt, const armature_pgtable_cfg &ours_cfg,
		      const armature_pgtable_cfg &theirs_cfg)
{
	const dart::Encoding &e = dart::encoding(fmt);
	const u64 entries = ours_cfg.pgsize_bitmap / sizeof(u64);
	const u64 allowed = fmt == ARMATURE_PGTABLE_APPLE_DART2 ? dart::Dart2Pte::no_cache_mask : 0;
	auto table = [](u64 pa) { return static_cast<const u64 *>(iopt_harness_phys_to_virt(pa)); };
	for (u32 t = 0; t < ours_cfg.apple_dart_cfg.n_ttbrs; t++) {
		const u64 *l1a = table(ours_cfg.apple_dart_cfg.ttbr[t]), *l1b = table(theirs_cfg.apple_dart_cfg.ttbr[t]);
		for (u64 i = 0; i < entries; i++) {
			const u64 a = l1a[i], b = l1b[i];
			if (!a || !b) {
				if (a != b) {
					iopt_harness_log("compare dart: level 1 descriptor %u/%lu: ours %#lx, upstream %#lx\n",
							 t, i, a, b);
					return false;
				}
				continue;
			}
			if ((a & ~e.addr_mask) != (b & ~e.addr_mask)) {
				iopt_harness_log("compare dart: level 1 table descriptor %u/%lu: ours %#lx, upstream %#lx\n",
						 t, i, a, b);
				return false;
			}
			const u64 *l2a = table(dart::pte_to_pa(e, a)), *l2b = table(dart::pte_to_pa(e, b));
			for (u64 j = 0; j < entries; j++)
				if (l2a[j] != l2b[j] && !(l2a[j] && (l2a[j] | allowed) == l2b[j])) {
					iopt_harness_log("compare dart: level 2 descriptor %u/%lu/%lu: ours %#lx, upstream %#lx\n",
							 t, i, j, l2a[j], l2b[j]);
					return false;
				}
		}
	}
	return true;
}

u64 root_of(const armature_pgtable_cfg &cfg, armature_pgtable_fmt fmt)
{
	switch (fmt) {
	case ARMATURE_PGTABLE_ARM_32_LPAE_S1:
	case ARMATURE_PGTABLE_ARM_64_LPAE_S1:
		return cfg.arm_lpae_s1_cfg.ttbr;
	case ARMATURE_PGTABLE_ARM_32_LPAE_S2:
	case ARMATURE_PGTABLE_ARM_64_LPAE_S2:
		return cfg.arm_lpae_s2_cfg.vttbr;
	case ARMATURE_PGTABLE_ARM_MALI_LPAE:
		return cfg.arm_mali_lpae_cfg.transtab & lpae::Desc::oa_mask;
	default:
		return 0;
	}
}

bool same_tables(armature_pgtable_fmt fmt, const Side &ours, const Side &theirs)
{
	if (fmt == ARMATURE_PGTABLE_ARM_V7S)
		return same_v7s_tables(ours.cfg, theirs.cfg);
	if (is_dart(fmt))
		return same_dart_tables(fmt, ours.cfg, theirs.cfg);
	TreeCompare tree(table_of<lpae::Table>(ours.ops), fmt == ARMATURE_PGTABLE_ARM_MALI_LPAE);
	return tree.tables(root_of(ours.cfg, fmt), root_of(theirs.cfg, fmt));
}

// An ARM_CONTIG table (if there is one) against upstream's: equal but for
// bit 52, and its runs whole.
bool same_contig_tables(armature_pgtable_fmt fmt, const Side &contig, const Side &theirs)
{
	if (!contig.ops)
		return true;
	TreeCompare tree(table_of<lpae::Table>(contig.ops), false, lpae::Desc::contig_mask);
	if (!tree.tables(root_of(contig.cfg, fmt), root_of(theirs.cfg, fmt)))
		return false;
	const TlbEntries count = tlb_entries(contig.ops, root_of(contig.cfg, fmt));
	compare_contig_entries += count.contig;
	return count.runs_ok;
}

// The registers a format computes, the table address aside.
bool same_outputs(const Config &c, const armature_pgtable_cfg &a, const armature_pgtable_cfg &b)
{
	if (a.pgsize_bitmap != b.pgsize_bitmap || a.ias != b.ias || a.oas != b.oas) {
		iopt_harness_log("compare %s: cfg ours %#lx/%u/%u, upstream %#lx/%u/%u\n", c.name,
				 a.pgsize_bitmap, a.ias, a.oas, b.pgsize_bitmap, b.ias, b.oas);
		return false;
	}
	bool same;
	switch (c.fmt) {
	case ARMATURE_PGTABLE_ARM_32_LPAE_S1:
	case ARMATURE_PGTABLE_ARM_64_LPAE_S1:
		same = __builtin_memcmp(&a.arm_lpae_s1_cfg.tcr, &b.arm_lpae_s1_cfg.tcr,
					sizeof(a.arm_lpae_s1_cfg.tcr)) == 0 &&
		       // Only attributes 0-3 are used. Upstream's 6.12 MAIR also has
		       // 0xff in 4-7: its last shift sign-extends an int.
		       u32(a.arm_lpae_s1_cfg.mair) == u32(b.arm_lpae_s1_cfg.mair);
		break;
	case ARMATURE_PGTABLE_ARM_32_LPAE_S2:
	case ARMATURE_PGTABLE_ARM_64_LPAE_S2:
		same = __builtin_memcmp(&a.arm_lpae_s2_cfg.vtcr, &b.arm_lpae_s2_cfg.vtcr,
					sizeof(a.arm_lpae_s2_cfg.vtcr)) == 0;
		break;
	case ARMATURE_PGTABLE_ARM_V7S:
		same = a.arm_v7s_cfg.tcr == b.arm_v7s_cfg.tcr && a.arm_v7s_cfg.nmrr == b.arm_v7s_cfg.nmrr &&
		       a.arm_v7s_cfg.prrr == b.arm_v7s_cfg.prrr &&
		       (a.arm_v7s_cfg.ttbr & 0x3fff) == (b.arm_v7s_cfg.ttbr & 0x3fff);
		break;
	case ARMATURE_PGTABLE_ARM_MALI_LPAE:
		same = a.arm_mali_lpae_cfg.memattr == b.arm_mali_lpae_cfg.memattr &&
		       (a.arm_mali_lpae_cfg.transtab & 0xfff) == (b.arm_mali_lpae_cfg.transtab & 0xfff);
		break;
	case ARMATURE_PGTABLE_APPLE_DART:
	case ARMATURE_PGTABLE_APPLE_DART2:
		// As many TTBRs, each a table's address (of one granule, aligned).
		same = a.apple_dart_cfg.n_ttbrs == b.apple_dart_cfg.n_ttbrs;
		for (unsigned i = 0; i < 4; i++)
			same = same && !a.apple_dart_cfg.ttbr[i] == !b.apple_dart_cfg.ttbr[i] &&
			       !(a.apple_dart_cfg.ttbr[i] & (a.pgsize_bitmap - 1)) &&
			       (i < a.apple_dart_cfg.n_ttbrs) == !!a.apple_dart_cfg.ttbr[i];
		break;
	default:
		same = false;
	}
	if (!same)
		iopt_harness_log("compare %s: format registers differ\n", c.name);
	return same;
}

// Configurations of the differential test: every LPAE format, granules,
// TTBR1 and NS, narrow and wide address sizes. Offered several granules, a
// format takes the CPU's page size, else the largest granule below it, else
// the smallest above: which one depends on the kernel's page size.
constexpr Config compare_configs[] = {
	{"s1 any granule 48/48", ARMATURE_PGTABLE_ARM_64_LPAE_S1,
	 lpae_4k | SZ_16K | SZ_32M | SZ_64K | SZ_512M, 48, 48, 0},
	{"s2 4k or 64k 40/40", ARMATURE_PGTABLE_ARM_64_LPAE_S2, lpae_4k | SZ_64K | SZ_512M, 40, 40, 0},
	{"s1 16k or 64k 48/48", ARMATURE_PGTABLE_ARM_64_LPAE_S1, SZ_16K | SZ_32M | SZ_64K | SZ_512M, 48, 48, 0},
	{"s1 4k 48/48", ARMATURE_PGTABLE_ARM_64_LPAE_S1, lpae_4k, 48, 48, 0, true},
	{"s1 4k 39/40 ns", ARMATURE_PGTABLE_ARM_64_LPAE_S1, lpae_4k, 39, 40, quirk::arm_ns},
	{"s1 4k 48/48 ttbr1", ARMATURE_PGTABLE_ARM_64_LPAE_S1, lpae_4k, 48, 48, quirk::ttbr1},
	{"s1 4k 48/48 hd", ARMATURE_PGTABLE_ARM_64_LPAE_S1, lpae_4k, 48, 48, quirk::arm_hd},
	{"s1 16k 47/44", ARMATURE_PGTABLE_ARM_64_LPAE_S1, SZ_16K | SZ_32M, 47, 44, 0, true},
	{"s1 64k 52/52", ARMATURE_PGTABLE_ARM_64_LPAE_S1, SZ_64K | SZ_512M, 52, 52, 0, true},
	{"s2 4k 40/40", ARMATURE_PGTABLE_ARM_64_LPAE_S2, lpae_4k, 40, 40, 0, true},
	{"s2 16k 48/48", ARMATURE_PGTABLE_ARM_64_LPAE_S2, SZ_16K | SZ_32M, 48, 48, 0},
	{"s2 64k 42/48", ARMATURE_PGTABLE_ARM_64_LPAE_S2, SZ_64K | SZ_512M, 42, 48, 0, true},
	{"32-bit s1", ARMATURE_PGTABLE_ARM_32_LPAE_S1, lpae_4k, 32, 40, 0},
	{"32-bit s2", ARMATURE_PGTABLE_ARM_32_LPAE_S2, lpae_4k, 40, 40, 0, true},
	{"mali", ARMATURE_PGTABLE_ARM_MALI_LPAE, lpae_4k, 48, 40, 0},
	{"v7s", ARMATURE_PGTABLE_ARM_V7S, v7s_sizes, 32, 32, 0},
	{"v7s ns no-perms", ARMATURE_PGTABLE_ARM_V7S, v7s_sizes, 32, 32, quirk::arm_ns | quirk::no_perms},
	{"v7s mtk 35-bit", ARMATURE_PGTABLE_ARM_V7S, v7s_sizes, 32, 35, quirk::mtk_ext | quirk::no_perms},
	{"dart 4k 32/36 4 ttbrs", ARMATURE_PGTABLE_APPLE_DART, SZ_4K, 32, 36, 0},
	{"dart 16k 36/36", ARMATURE_PGTABLE_APPLE_DART, SZ_16K, 36, 36, 0},
	{"dart2 16k 32/42", ARMATURE_PGTABLE_APPLE_DART2, SZ_16K, 32, 42, 0},
	{"dart2 16k 38/42 4 ttbrs", ARMATURE_PGTABLE_APPLE_DART2, SZ_16K, 38, 42, 0},
};

// Configurations compared with a custom table allocator on both sides: a
// pgd of a page, of 32 bytes (asked for at that size), of two pages.
constexpr Config alloc_configs[] = {
	{"s1 4k 48/48 custom allocator", ARMATURE_PGTABLE_ARM_64_LPAE_S1, lpae_4k, 48, 48, 0},
	{"32-bit s1 custom allocator", ARMATURE_PGTABLE_ARM_32_LPAE_S1, lpae_4k, 32, 40, 0},
	{"s2 4k 40/40 custom allocator", ARMATURE_PGTABLE_ARM_64_LPAE_S2, lpae_4k, 40, 40, 0},
};

// cfg->alloc/free for one side: pages (naturally aligned, zeroed), counted.
struct TableAllocator {
	long allocs = 0, frees = 0;
	u64 bytes = 0;	// asked for, in all

	static unsigned order(unsigned long size) { return std::bit_width((size - 1) / KCPP_PAGE_SIZE); }
	static void *alloc(void *cookie, unsigned long size, unsigned int gfp)
	{
		auto *a = static_cast<TableAllocator *>(cookie);
		void *pages = kcpp_alloc_pages(KCPP_NUMA_NO_NODE, gfp | KCPP_GFP_ZERO, order(size));
		if (pages) {
			a->allocs++;
			a->bytes += size;
		}
		return pages;
	}
	static void free(void *cookie, void *pages, unsigned long size)
	{
		static_cast<TableAllocator *>(cookie)->frees++;
		kcpp_free_pages(pages, order(size));
	}
	void install(armature_pgtable_cfg &cfg)
	{
		cfg.alloc = alloc;
		cfg.free = free;
	}
	bool same(const TableAllocator &o) const
	{
		return allocs == o.allocs && frees == o.frees && bytes == o.bytes;
	}
};

// Both sides' allocators: the same calls where upstream has cfg->alloc.
bool same_allocations(const Config &c, const TableAllocator &ours, const TableAllocator &theirs)
{
	if (!iopt_upstream_has_custom_alloc() || ours.same(theirs))
		return true;
	iopt_harness_log("compare %s: allocator calls ours %ld allocs %ld frees %lu bytes, upstream %ld %ld %lu\n",
			 c.name, ours.allocs, ours.frees, ours.bytes, theirs.allocs, theirs.frees, theirs.bytes);
	return false;
}

int random_prot(Random &rng)
{
	int p = static_cast<int>(rng.below(64));
	if (!(p & (prot::read | prot::write)))
		p |= prot::read;
	return p;
}

// The iova of a random page of size pgsize in one of a few regions, so
// that sequences share tables and cross their boundaries.
u64 random_iova(Random &rng, const armature_pgtable_cfg &cfg, u64 pgsize)
{
	const u64 span = u64(1) << (cfg.ias < 34 ? cfg.ias : 34);
	u64 iova = rng.below(span / pgsize) * pgsize;
	if (cfg.quirks & quirk::ttbr1)
		iova |= ~((u64(1) << cfg.ias) - 1);
	return iova;
}

// After both tables went: every table the allocators gave was given back,
// the same calls on both sides (where upstream has cfg->alloc: else its
// tables are its own, and only the descriptors were compared).
int check_freed(const Config &c, const TableAllocator *allocators)
{
	const TableAllocator &ours = allocators[0], &theirs = allocators[1];
	const bool upstream = iopt_upstream_has_custom_alloc();
	if (!ours.allocs || ours.allocs != ours.frees ||
	    (upstream && (theirs.allocs != theirs.frees || !same_allocations(c, ours, theirs)))) {
		iopt_harness_log("compare %s: allocator calls ours %ld allocs %ld frees, upstream %ld %ld\n",
				 c.name, ours.allocs, ours.frees, theirs.allocs, theirs.frees);
		return -EFAULT;
	}
	if (upstream)
		iopt_harness_log("compare %s: %ld tables (%lu bytes) from the custom allocator and back, as upstream's\n",
				 c.name, ours.allocs, ours.bytes);
	else
		iopt_harness_log("compare %s: %ld tables from the custom allocator and back; upstream's from its own (this kernel's io_pgtable_cfg has no alloc)\n",
				 c.name, ours.allocs);
	return 0;
}

// allocators: null, or a custom table allocator for each side.
int compare_one(const Config &c, Random &rng, unsigned ops_count, TableAllocator *allocators = nullptr)
{
	Side ours{nullptr, make_cfg(c)}, theirs{nullptr, make_cfg(c)};
	void *ours_cookie = nullptr, *theirs_cookie = nullptr;
	if (allocators) {
		allocators[0].install(ours.cfg);
		allocators[1].install(theirs.cfg);
		ours_cookie = &allocators[0];
		theirs_cookie = &allocators[1];
	}
	auto table = kcpp::from_err_ptr(armature_pgtable_alloc_ops(c.fmt, &ours.cfg, ours_cookie));
	if (!table) {
		// A configuration this kernel cannot have (ARM_HD without dirty
		// tracking, on 6.1) must be refused by both.
		theirs.ops = iopt_upstream_alloc(c.fmt, &theirs.cfg, theirs_cookie);
		if (!theirs.ops) {
			iopt_harness_log("compare %s: refused by ours (%d) and the built-in io-pgtable alike\n",
					 c.name, table.code());
			return 0;
		}
		iopt_harness_log("compare %s: ours refused the configuration (%d)\n", c.name, table.code());
		iopt_upstream_free(theirs.ops);
		return -EINVAL;
	}
	ours.ops = table.value();
	theirs.ops = iopt_upstream_alloc(c.fmt, &theirs.cfg, theirs_cookie);
	if (!theirs.ops) {
		iopt_harness_log("compare %s: the built-in io-pgtable refused the configuration\n", c.name);
		armature_pgtable_free_ops(ours.ops);
		return -EINVAL;
	}

	int ret = same_outputs(c, ours.cfg, theirs.cfg) ? 0 : -EFAULT;
	// The same sequence on a table with ARM_CONTIG, for a configuration
	// of each granule and stage: the same results and translations, the descriptors upstream's
	// but for bit 52, every run with the bit whole.
	constexpr unsigned contig_ops = 500;
	Side contig{nullptr, make_cfg(c)};
	contig.cfg.quirks |= quirk::arm_contig;
	if (c.contig) {
		auto t = kcpp::from_err_ptr(armature_pgtable_alloc_ops(c.fmt, &contig.cfg, nullptr));
		if (t) {
			contig.ops = t.value();
		} else {
			iopt_harness_log("compare %s: ARM_CONTIG refused (%d)\n", c.name, t.code());
			ret = -EINVAL;
		}
	}
	const u64 pgsizes = ours.cfg.pgsize_bitmap;
	const u64 max_pa = u64(1) << (ours.cfg.oas < 40 ? ours.cfg.oas : 40);
	auto model_box = kcpp::make<Model>(kcpp::gfp::kernel);
	if (!model_box) {
		armature_pgtable_free_ops(ours.ops);
		armature_pgtable_free_ops(contig.ops);
		iopt_upstream_free(theirs.ops);
		return -ENOMEM;
	}
	Model &model = *model_box;
	unsigned maps = 0, unmaps = 0;

	for (unsigned op = 0; op < ops_count && !ret; op++) {
		if (model.size() && (model.full() || rng.below(100) < 40)) {
			int i = static_cast<int>(rng.below(model.size()));
			Mapping m = model.at(i);
			// Sometimes only the first pages of a run of pages.
			u64 count = m.count > 1 && rng.below(4) == 0 ? 1 + rng.below(m.count - 1) : m.count;
			u64 a = unmap_all(ours.ops, m.iova, m.pgsize, count);
			u64 b = unmap_all(theirs.ops, m.iova, m.pgsize, count);
			if (contig.ops && unmap_all(contig.ops, m.iova, m.pgsize, count) != b) {
				iopt_harness_log("compare %s: ARM_CONTIG unmap %#lx x %lu at %#lx differs\n",
						 c.name, m.pgsize, count, m.iova);
				ret = -EFAULT;
			}
			if (a != b || a != m.pgsize * count) {
				iopt_harness_log("compare %s: unmap %#lx x %lu at %#lx: ours %#lx, upstream %#lx\n",
						 c.name, m.pgsize, count, m.iova, a, b);
				ret = -EFAULT;
			}
			if (count == m.count) {
				model.remove(i);
			} else {
				Mapping rest = {m.iova + count * m.pgsize, m.pa + count * m.pgsize, m.pgsize,
						m.count - count};
				model.remove(i);
				model.add(rest);
			}
			unmaps++;
		} else {
			u64 pgsize;
			do
				pgsize = u64(1) << rng.below(64);
			while (!(pgsize & pgsizes));
			// Runs of pages long enough to cross tables; a few blocks.
			const bool smallest = pgsize == (pgsizes & -pgsizes);
			Mapping m = {random_iova(rng, ours.cfg, pgsize), rng.below(max_pa / pgsize) * pgsize,
				     pgsize, smallest ? 1 + rng.below(700) : 1 + rng.below(3)};
			// DART maps pages only, so every run fills level-2 tables:
			// 256 MiB in each quarter of the input range (one per TTBR
			// where there are four) keeps their number, and the time the
			// descriptor compares take, down.
			if (is_dart(c.fmt))
				m.iova = (m.iova & (SZ_256M - 1)) + (rng.below(4) << (ours.cfg.ias - 2));
			// Every other map with the output aligned as the input
			// is, modulo 2M, for contiguous runs to form.
			if (op & 1)
				m.pa = (m.pa & ~(SZ_2M - 1)) | (m.iova & (SZ_2M - 1));
			if (!iova_in_range(ours.cfg, m.end() - 1) || m.end() < m.iova ||
			    (m.pa + pgsize * m.count) > max_pa)
				continue;
			const int p = random_prot(rng);
			// Only free ranges: upstream WARNs on a map over a mapping
			// (the KUnit suite covers our refusal).
			if (model.overlapping(m.iova, m.end()) >= 0)
				continue;
			int a = map_all(ours.ops, m, p), b = map_all(theirs.ops, m, p);
			if (contig.ops)
				a |= map_all(contig.ops, m, p);
			if (a || b) {
				iopt_harness_log("compare %s: map %#lx x %lu at %#lx -> %#lx: ours %d, upstream %d\n",
						 c.name, pgsize, m.count, m.iova, m.pa, a, b);
				ret = -EFAULT;
			}
			model.add(m);
			maps++;
		}
		// Translations of a few addresses of every mapping so far.
		for (int i = 0; i < model.size() && !ret; i++) {
			const Mapping &m = model.at(i);
			const u64 probes[] = {m.iova, m.iova + m.pgsize * m.count - 1,
					      m.iova + rng.below(m.pgsize * m.count)};
			for (u64 iova : probes) {
				u64 a = ours.ops->iova_to_phys(ours.ops, iova);
				u64 b = theirs.ops->iova_to_phys(theirs.ops, iova);
				if (a != b || a != m.pa + (iova - m.iova)) {
					iopt_harness_log("compare %s: iova_to_phys(%#lx): ours %#lx, upstream %#lx\n",
							 c.name, iova, a, b);
					ret = -EFAULT;
					break;
				}
				if (contig.ops && contig.ops->iova_to_phys(contig.ops, iova) != b) {
					iopt_harness_log("compare %s: ARM_CONTIG iova_to_phys(%#lx) differs\n", c.name, iova);
					ret = -EFAULT;
					break;
				}
			}
		}
		if (!ret && (op % 25 == 24 || op + 1 == ops_count) &&
		    (!same_tables(c.fmt, ours, theirs) ||
		     (allocators && !same_allocations(c, allocators[0], allocators[1]))))
			ret = -EFAULT;
		// Less often (two more walks of the tree), and for the first
		// contig_ops operations only: guest time.
		if (!ret && (op % 100 == 99 || op + 1 == ops_count) &&
		    !same_contig_tables(c.fmt, contig, theirs))
			ret = -EFAULT;
		if (op + 1 == contig_ops) {
			armature_pgtable_free_ops(contig.ops);
			contig.ops = nullptr;
		}
		iopt_harness_cond_resched();
	}
	if (!ret)
		iopt_harness_log("compare %s: page sizes %#lx, %u maps, %u unmaps: identical\n", c.name,
				 ours.cfg.pgsize_bitmap, maps, unmaps);
	if (!ret && c.contig)
		iopt_harness_log("compare %s with ARM_CONTIG: the first %u operations, identical but for bit 52\n",
				 c.name, ops_count < contig_ops ? ops_count : contig_ops);
	armature_pgtable_free_ops(ours.ops);
	armature_pgtable_free_ops(contig.ops);
	iopt_upstream_free(theirs.ops);
	if (allocators && !ret)
		ret = check_freed(c, allocators);
	return ret;
}

// --- bench --------------------------------------------------------------

struct Timing {
	u64 ns;
	u64 ops;
};

struct BenchResult {
	const char *what;
	Timing ours, theirs;
};

// The same loop over ours and upstream's ops; each timed twice, the faster
// run counts (the first also warms the tables and caches).
using BenchFn = void (*)(armature_pgtable_ops *);

// One case's loop, run twice on each implementation; the faster run counts
// (the first also allocates the tables and warms the caches).
Timing measure(armature_pgtable_ops *ops, u64 ops_per_run, BenchFn body)
{
	u64 best = ~0ULL;
	for (int run = 0; run < 2; run++) {
		u64 t0 = iopt_harness_now_ns();
		body(ops);
		u64 t = iopt_harness_now_ns() - t0;
		if (t < best)
			best = t;
	}
	return {best, ops_per_run};
}

void report(const BenchResult &r)
{
	// ns per op with two decimals; ratio = upstream time / our time.
	const u64 ours = r.ours.ns * 100 / r.ours.ops, theirs = r.theirs.ns * 100 / r.theirs.ops;
	const u64 ratio = ours ? theirs * 1000 / ours : 0;
	iopt_harness_log("armature-bench io-pgtable %s: ours %lu.%02lu ns/op, upstream %lu.%02lu ns/op, ratio %lu.%03lu\n",
			 r.what, ours / 100, ours % 100, theirs / 100, theirs % 100, ratio / 1000,
			 ratio % 1000);
}

constexpr int bench_prot = prot::read | prot::write | prot::cache;
constexpr u64 pages = 2048;

void map_then_unmap_4k(armature_pgtable_ops *ops)
{
	unsigned long mapped;
	for (u64 i = 0; i < pages; i++)
		ops->map_pages(ops, SZ_1G + i * SZ_4K, i * SZ_4K, SZ_4K, 1, bench_prot, gfp_kernel, &mapped);
	for (u64 i = 0; i < pages; i++)
		ops->unmap_pages(ops, SZ_1G + i * SZ_4K, SZ_4K, 1, nullptr);
}

// count times: map pgcount pages of pgsize at base + i * stride, unmap them.
void map_unmap_each(armature_pgtable_ops *ops, u64 count, u64 base, u64 stride, u64 pgsize,
		    u64 pgcount)
{
	unsigned long mapped;
	for (u64 i = 0; i < count; i++) {
		ops->map_pages(ops, base + i * stride, i * stride, pgsize, pgcount, bench_prot, gfp_kernel,
			       &mapped);
		ops->unmap_pages(ops, base + i * stride, pgsize, pgcount, nullptr);
	}
}

void map_unmap_4k(armature_pgtable_ops *ops) { map_unmap_each(ops, pages, SZ_1G, SZ_4K, SZ_4K, 1); }
void map_pages_2m(armature_pgtable_ops *ops) { map_unmap_each(ops, 64, SZ_1G, SZ_2M, SZ_4K, 512); }
void block_2m(armature_pgtable_ops *ops) { map_unmap_each(ops, 256, SZ_1G, SZ_2M, SZ_2M, 1); }
void block_1g(armature_pgtable_ops *ops) { map_unmap_each(ops, 256, 0, SZ_1G, SZ_1G, 1); }

void populate(armature_pgtable_ops *ops)
{
	unsigned long mapped = 0;
	while (mapped < pages * SZ_4K)
		if (ops->map_pages(ops, SZ_1G + mapped, mapped, SZ_4K, pages - mapped / SZ_4K, bench_prot,
				   gfp_kernel, &mapped))
			break;
}

void translate(armature_pgtable_ops *ops)
{
	u64 sum = 0;
	for (u64 i = 0; i < 4 * pages; i++)
		sum += ops->iova_to_phys(ops, SZ_1G + ((i * 2654435761u) % pages) * SZ_4K);
	asm volatile("" : : "r"(sum));
}

struct BenchCase {
	const char *name, *what;
	u64 ops_per_run;
	BenchFn body, setup;
};

constexpr BenchCase bench_cases[] = {
	{"map_then_unmap_4k", "map, then unmap, 4K pages one by one", pages, map_then_unmap_4k, nullptr},
	{"map_unmap_4k", "map+unmap of a 4K page", pages, map_unmap_4k, nullptr},
	{"map_pages_2m", "map_pages+unmap_pages of 2M in 4K pages", 64, map_pages_2m, nullptr},
	{"block_2m", "map+unmap of a 2M block", 256, block_2m, nullptr},
	{"block_1g", "map+unmap of a 1G block", 256, block_1g, nullptr},
	{"iova_to_phys", "iova_to_phys", 4 * pages, translate, populate},
};

// Ours and upstream's table of the bench's configuration (ARM_64_LPAE_S1,
// 4K, 48/48); 0 or -errno.
int bench_tables(bool coherent, Side &ours, Side &theirs)
{
	Config c = {"bench", ARMATURE_PGTABLE_ARM_64_LPAE_S1, lpae_4k, 48, 48, 0};
	ours = {nullptr, make_cfg(c)};
	theirs = {nullptr, make_cfg(c)};
	ours.cfg.coherent_walk = theirs.cfg.coherent_walk = coherent;
	auto table = kcpp::from_err_ptr(armature_pgtable_alloc_ops(c.fmt, &ours.cfg, nullptr));
	if (!table)
		return table.code();
	ours.ops = table.value();
	theirs.ops = iopt_upstream_alloc(c.fmt, &theirs.cfg, nullptr);
	if (!theirs.ops) {
		armature_pgtable_free_ops(ours.ops);
		return -ENODEV;
	}
	return 0;
}

// A case on ours and on upstream's, same config, coherent.
int bench_one(const BenchCase &b)
{
	Side ours, theirs;
	if (int ret = bench_tables(true, ours, theirs))
		return ret;
	if (b.setup) {
		b.setup(ours.ops);
		b.setup(theirs.ops);
	}
	BenchResult r = {b.what, measure(ours.ops, b.ops_per_run, b.body),
			 measure(theirs.ops, b.ops_per_run, b.body)};
	armature_pgtable_free_ops(ours.ops);
	iopt_upstream_free(theirs.ops);
	report(r);
	return 0;
}

// The TLB entries a mapping takes in our tables (a contiguous run is one),
// with ARM_CONTIG off and on: what counting instructions cannot show.
int bench_tlb_entries()
{
	const struct {
		const char *what;
		u64 size;
	} cases[] = {{"2M in 4K pages", SZ_2M}, {"64K in 4K pages", SZ_64K}};
	for (const auto &b : cases) {
		u64 entries[2];
		for (int on = 0; on < 2; on++) {
			const Config c = {"bench", ARMATURE_PGTABLE_ARM_64_LPAE_S1, lpae_4k, 48, 48,
					  on ? quirk::arm_contig : 0};
			armature_pgtable_cfg cfg = make_cfg(c);
			auto table = kcpp::from_err_ptr(armature_pgtable_alloc_ops(c.fmt, &cfg, nullptr));
			if (!table)
				return table.code();
			const int ret = map_all(table.value(), {SZ_1G, SZ_1G, SZ_4K, b.size / SZ_4K}, bench_prot);
			entries[on] = tlb_entries(table.value(), cfg.arm_lpae_s1_cfg.ttbr).entries;
			armature_pgtable_free_ops(table.value());
			if (ret)
				return ret;
		}
		iopt_harness_log("armature-bench io-pgtable TLB entries for %s: %lu with ARM_CONTIG off, %lu on\n",
				 b.what, entries[0], entries[1]);
	}
	return 0;
}

// Bulk runs of 4K pages, map_pages and unmap_pages timed apart, per page;
// the leaf tables exist before the timing (a first map and unmap made
// them), so no allocation is measured. unmap gets a real gather that is not
// queued: every page goes to tlb_add_page, as upstream's contract asks.
struct BulkCase {
	const char *name, *what;
	u64 first;	// index of the first page in its leaf table
	bool unmap, coherent;
};

constexpr u64 bulk_pages = 512, bulk_rounds = 16;
constexpr u64 bulk_base = SZ_1G;

constexpr BulkCase bulk_cases[] = {
	{"map_2m", "map_pages, 2M of 4K pages, one table, coherent", 0, false, true},
	{"map_512", "map_pages, 512 4K pages across two tables, coherent", 256, false, true},
	{"unmap_2m", "unmap_pages, 2M of 4K pages, one table, coherent", 0, true, true},
	{"unmap_512", "unmap_pages, 512 4K pages across two tables, coherent", 256, true, true},
	{"map_2m_nc", "map_pages, 2M of 4K pages, one table, non-coherent", 0, false, false},
	{"map_512_nc", "map_pages, 512 4K pages across two tables, non-coherent", 256, false, false},
	{"unmap_2m_nc", "unmap_pages, 2M of 4K pages, one table, non-coherent", 0, true, false},
	{"unmap_512_nc", "unmap_pages, 512 4K pages across two tables, non-coherent", 256, true, false},
};

// One bulk case's rounds on an implementation: instructions of the timed
// half in the fastest round (a timer interrupt lands in some).
u64 measure_bulk(armature_pgtable_ops *ops, const BulkCase &b, iommu_iotlb_gather *gather)
{
	const Mapping m = {bulk_base + b.first * SZ_4K, 0, SZ_4K, bulk_pages};
	u64 best = ~0ULL;
	if (map_all(ops, m, bench_prot) || unmap_all(ops, m.iova, SZ_4K, bulk_pages) != m.pgsize * m.count)
		return 0;
	for (u64 round = 0; round < bulk_rounds; round++) {
		if (b.unmap)
			map_all(ops, m, bench_prot);
		u64 t0 = iopt_harness_now_ns();
		if (b.unmap)
			unmap_all(ops, m.iova, SZ_4K, bulk_pages, gather);
		else
			map_all(ops, m, bench_prot);
		if (u64 t = iopt_harness_now_ns() - t0; t < best)
			best = t;
		if (!b.unmap)
			unmap_all(ops, m.iova, SZ_4K, bulk_pages);
	}
	return best;
}

// The least any implementation does for the run, in the same guest: per
// page one descriptor store (paired, two per instruction), and for unmap
// the tlb_add_page call; per table one sync (the Env's) for a non-coherent
// walker.
u64 measure_floor(const armature_pgtable_cfg &cfg, const BulkCase &b, iommu_iotlb_gather *gather)
{
	using Pte = lpae::Pte;
	Pte *tables[2] = {
		static_cast<Pte *>(KernelEnv::alloc_table(cfg, SZ_4K, gfp_kernel)),
		static_cast<Pte *>(KernelEnv::alloc_table(cfg, SZ_4K, gfp_kernel)),
	};
	constexpr u64 per_table = SZ_4K / sizeof(Pte);
	const auto add_page = cfg.tlb->tlb_add_page;
	u64 best = ~0ULL;
	for (u64 round = 0; tables[0] && tables[1] && round < bulk_rounds; round++) {
		u64 t0 = iopt_harness_now_ns();
		for (u64 done = 0; done < bulk_pages;) {
			const u64 i = (b.first + done) % per_table;
			const u64 n = per_table - i < bulk_pages - done ? per_table - i : bulk_pages - done;
			Pte *ptep = tables[(b.first + done) / per_table] + i, *end = ptep + n;
			Pte desc = b.unmap ? 0 : lpae::Desc::type_page + done * SZ_4K;
			const Pte step = b.unmap ? 0 : SZ_4K;
			// Two descriptors per store where they pair up, as ours writes them.
			Pte *p = ptep;
			for (; end - p >= 2; p += 2, desc += 2 * step)
				pte_store_pair(p, desc, desc + step);
			if (p != end)
				pte_store(p, desc);
			if (!cfg.coherent_walk)
				KernelEnv::sync(cfg, ptep, n * sizeof(Pte));
			u64 iova = bulk_base + (b.first + done) * SZ_4K;
			if (b.unmap)
				for (Pte *p = ptep; p != end; p++, iova += SZ_4K)
					add_page(gather, iova, SZ_4K, nullptr);
			done += n;
		}
		if (u64 t = iopt_harness_now_ns() - t0; t < best)
			best = t;
	}
	for (Pte *table : tables)
		if (table)
			KernelEnv::free_table(cfg, table, SZ_4K);
	return tables[0] && tables[1] ? best : 0;
}

// Hundredths of an instruction per page.
u64 per_page(u64 ns) { return ns * 100 / bulk_pages; }

int bench_bulk(const BulkCase &b)
{
	Side ours, theirs;
	if (int ret = bench_tables(b.coherent, ours, theirs))
		return ret;
	iommu_iotlb_gather *gather = iopt_harness_gather();
	const u64 o = per_page(measure_bulk(ours.ops, b, gather));
	const u64 u = per_page(measure_bulk(theirs.ops, b, gather));
	const u64 f = per_page(measure_floor(ours.cfg, b, gather));
	armature_pgtable_free_ops(ours.ops);
	iopt_upstream_free(theirs.ops);
	if (!o || !u || !f)
		return -EIO;
	// ratio = upstream / ours; over_floor = ours / floor.
	const u64 ratio = u * 1000 / o, over = o * 1000 / f;
	iopt_harness_log("armature-bench io-pgtable %s (instructions per page): ours %lu.%02lu, upstream %lu.%02lu, ratio %lu.%03lu, floor %lu.%02lu, ours/floor %lu.%03lu\n",
			 b.what, o / 100, o % 100, u / 100, u % 100, ratio / 1000, ratio % 1000,
			 f / 100, f % 100, over / 1000, over % 1000);
	return 0;
}

// The cases named which, or all of them for "all"; found tells if any was.
template <typename Case, usize N>
int run_cases(const Case (&cases)[N], int (*run)(const Case &), const char *which, bool &found)
{
	for (const Case &c : cases) {
		if (__builtin_strcmp(which, "all") && __builtin_strcmp(which, c.name))
			continue;
		found = true;
		if (int ret = run(c))
			return ret;
	}
	return 0;
}

int bench_case(const char *which)
{
	bool found = false;
	int ret = run_cases(bench_cases, bench_one, which, found);
	if (!ret)
		ret = run_cases(bulk_cases, bench_bulk, which, found);
	if (!ret && (!__builtin_strcmp(which, "all") || !__builtin_strcmp(which, "tlb_entries"))) {
		found = true;
		ret = bench_tlb_entries();
	}
	return ret ? ret : found ? 0 : -EINVAL;
}

} // namespace

extern "C" {

int iopt_harness_hold(const char *format)
{
	kcpp::Guard guard(*hold_lock);
	if (!live)
		return -ENODEV;
	if (!*format) {
		armature_pgtable_free_ops(held);
		held = nullptr;
		held_name = "";
		return 0;
	}
	for (const Config &c : hold_configs) {
		if (__builtin_strcmp(c.name, format))
			continue;
		armature_pgtable_cfg cfg = make_cfg(c);
		auto table = kcpp::from_err_ptr(armature_pgtable_alloc_ops(c.fmt, &cfg, nullptr));
		if (!table)
			return table.code();
		armature_pgtable_free_ops(held);
		held = table.value();
		held_name = c.name;
		return 0;
	}
	return -EINVAL;
}

const char *iopt_harness_held()
{
	kcpp::Guard guard(*hold_lock);
	return held_name;
}

int iopt_harness_compare(unsigned long long seed, unsigned int ops_per_config)
{
	Random rng(seed);
	int failed = 0;
	compare_contig_entries = 0;
	// A line per family left out, each once (its configurations are adjacent).
	const char *last_skipped = nullptr;
	usize len = kcpp::append_str(compare_skipped, sizeof(compare_skipped), 0, "");
	for (const Config &c : compare_configs) {
		if (!iopt_upstream_has(c.fmt)) {
			const char *why = c.fmt == ARMATURE_PGTABLE_ARM_V7S
				? "v7s: the kernel has no built-in v7s to compare with (IOMMU_IO_PGTABLE_ARMV7S is off)"
				: is_dart(c.fmt)
				? "DART: the kernel has no built-in DART to compare with (IOMMU_IO_PGTABLE_DART is off)"
				: "LPAE: the kernel has no built-in LPAE to compare with (IOMMU_IO_PGTABLE_LPAE is off)";
			if (why != last_skipped) {
				if (len)
					len = kcpp::append_str(compare_skipped, sizeof(compare_skipped), len, "\n");
				len = kcpp::append_str(compare_skipped, sizeof(compare_skipped), len, why);
			}
			last_skipped = why;
			continue;
		}
		if (compare_one(c, rng, ops_per_config))
			failed++;
	}
	if (iopt_upstream_has(ARMATURE_PGTABLE_ARM_64_LPAE_S1))
		for (const Config &c : alloc_configs) {
			TableAllocator allocators[2];
			if (compare_one(c, rng, ops_per_config, allocators))
				failed++;
		}
	// A comparison of ARM_CONTIG tables without a single run shows nothing.
	if (iopt_upstream_has(ARMATURE_PGTABLE_ARM_64_LPAE_S1)) {
		iopt_harness_log("compare: ARM_CONTIG tables: %lu entries in runs, summed over the checks\n",
				 compare_contig_entries);
		if (!compare_contig_entries)
			failed++;
	}
	return failed ? -EFAULT : 0;
}

const char *iopt_harness_compare_skipped()
{
	return compare_skipped;
}

int iopt_harness_bench(const char *which)
{
	return bench_case(which);
}

int iopt_harness_init()
{
	hold_lock.construct(KCPP_LOCK_CLASS("iopt_harness_hold"));
	live = true;
	return 0;
}

void iopt_harness_exit()
{
	kcpp::Guard guard(*hold_lock);
	live = false;
	armature_pgtable_free_ops(held);
	held = nullptr;
	held_name = "";
}

} // extern "C"
