// SPDX-License-Identifier: GPL-2.0
// What every page-table format shares: the IOMMU prot and quirk bits, the
// checks of map and unmap arguments, atomic descriptor access, and the Env
// that a format is written against.
//
// The formats are pure C++: they reach memory, DMA, barriers, TLB callbacks
// and the log only through Env, so KUnit and the host tests run the very
// code the modules run. An Env provides (all static):
//
//   void *alloc_table(const armature_pgtable_cfg &, usize bytes, unsigned gfp,
//                     void *cookie = nullptr)
//           zeroed, naturally aligned table memory, visible to a
//           non-coherent walker; from cfg.alloc(cookie, ...) if cfg has
//           one (custom_table()); null on failure
//   void free_table(const armature_pgtable_cfg &, void *table, usize bytes,
//                   void *cookie = nullptr)
//   void sync(const armature_pgtable_cfg &, const void *ptes, usize bytes)
//           make CPU writes visible to a non-coherent walker
//   u64 virt_to_phys(const void *)       (tables are in the linear map)
//   void *alloc_object(usize) / void free_object(void *)
//   void dma_wmb(), wmb()                the kernel's barriers
//   bool gather_queued(iommu_iotlb_gather *)
//   void record_dirty(iommu_dirty_bitmap *, unsigned long iova, unsigned long len)
//   void report(const armature_pgtable_cfg &, const char *fmt, ...)
//           a rate-limited error about the caller's input
//   gfp_kernel, gfp_dma32, page_size     constants
#pragma once

#include "format.h"
#include <kcpp/errno.hpp>
#include <kcpp/types.hpp>
#include <bit>
#include <new>

namespace armature::iopt {

using kcpp::s64;
using kcpp::u32;
using kcpp::u64;
using kcpp::u8;
using kcpp::uptr;
using kcpp::usize;

// IOMMU_READ and friends (include/linux/iommu.h).
namespace prot {
inline constexpr int read = 1 << 0;
inline constexpr int write = 1 << 1;
inline constexpr int cache = 1 << 2;
inline constexpr int noexec = 1 << 3;
inline constexpr int mmio = 1 << 4;
inline constexpr int priv = 1 << 5;
inline constexpr int all = (1 << 6) - 1;
} // namespace prot

namespace quirk {
inline constexpr unsigned long arm_ns = ARMATURE_PGTABLE_QUIRK_ARM_NS;
inline constexpr unsigned long no_perms = ARMATURE_PGTABLE_QUIRK_NO_PERMS;
inline constexpr unsigned long mtk_ext = ARMATURE_PGTABLE_QUIRK_ARM_MTK_EXT;
inline constexpr unsigned long mtk_ttbr_ext = ARMATURE_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT;
inline constexpr unsigned long ttbr1 = ARMATURE_PGTABLE_QUIRK_ARM_TTBR1;
inline constexpr unsigned long outer_wbwa = ARMATURE_PGTABLE_QUIRK_ARM_OUTER_WBWA;
inline constexpr unsigned long arm_hd = ARMATURE_PGTABLE_QUIRK_ARM_HD;
inline constexpr unsigned long s2fwb = ARMATURE_PGTABLE_QUIRK_ARM_S2FWB;
inline constexpr unsigned long no_warn = ARMATURE_PGTABLE_QUIRK_NO_WARN;
inline constexpr unsigned long arm_contig = ARMATURE_PGTABLE_QUIRK_ARM_CONTIG;
// ARM_HD where the kernel can read what it marks (read_and_clear_dirty, 6.7
// and later); elsewhere nothing: a table asking for it is refused.
#ifdef KCPP_HAVE_IOMMU_DIRTY_TRACKING
inline constexpr unsigned long dirty_tracking = arm_hd;
#else
inline constexpr unsigned long dirty_tracking = 0;
#endif
} // namespace quirk

// IOMMU_DIRTY_NO_CLEAR: report dirty entries but leave them dirty.
inline constexpr unsigned long dirty_no_clear = 1UL << 0;

inline constexpr u64 SZ_4K = 1ULL << 12, SZ_16K = 1ULL << 14, SZ_64K = 1ULL << 16;
inline constexpr u64 SZ_1M = 1ULL << 20, SZ_2M = 1ULL << 21, SZ_16M = 1ULL << 24;
inline constexpr u64 SZ_32M = 1ULL << 25, SZ_512M = 1ULL << 29, SZ_1G = 1ULL << 30;

// A format's ops table W::ops_table() in the layout of the kernel's struct
// io_pgtable_ops: the single-page map and unmap of kernels before 6.2 are
// W's map_pages and unmap_pages of one page; W::read_and_clear_dirty where
// W has one and the kernel can call it; W::pgtable_walk where W has one.
template <typename W>
constexpr armature_pgtable_ops ops_of()
{
	armature_pgtable_ops ops{};
#ifdef KCPP_HAVE_IO_PGTABLE_SINGLE_MAP
	ops.map = [](armature_pgtable_ops *o, unsigned long iova, unsigned long long paddr,
		     unsigned long size, int prot, unsigned int gfp) {
		unsigned long mapped = 0;
		return W::map_pages(o, iova, paddr, size, 1, prot, gfp, &mapped);
	};
	ops.unmap = [](armature_pgtable_ops *o, unsigned long iova, unsigned long size,
		       iommu_iotlb_gather *gather) { return W::unmap_pages(o, iova, size, 1, gather); };
#endif
	ops.map_pages = W::map_pages;
	ops.unmap_pages = W::unmap_pages;
	ops.iova_to_phys = W::iova_to_phys;
#ifdef KCPP_HAVE_IOMMU_DIRTY_TRACKING
	if constexpr (requires { W::read_and_clear_dirty; })
		ops.read_and_clear_dirty = W::read_and_clear_dirty;
#endif
	if constexpr (requires { W::pgtable_walk; })
		ops.pgtable_walk = W::pgtable_walk;
	return ops;
}

// The page table behind ops, as the core sees it.
inline armature_pgtable *pgtable_of(armature_pgtable_ops *ops)
{
	return reinterpret_cast<armature_pgtable *>(reinterpret_cast<char *>(ops) -
						    __builtin_offsetof(armature_pgtable, ops));
}

// A format's table object, which starts with the core's armature_pgtable.
template <typename Table>
Table &table_of(armature_pgtable_ops *ops)
{
	static_assert(__builtin_offsetof(Table, iop) == 0);
	return *reinterpret_cast<Table *>(pgtable_of(ops));
}

// Where table memory sits: in the linear map, virtual minus physical is
// one constant, taken from the first table.
class LinearMap {
public:
	LinearMap() = default;
	LinearMap(const void *table, u64 pa) : offset_(reinterpret_cast<uptr>(table) - pa) {}

	template <typename Pte>
	Pte *virt(u64 pa) const { return reinterpret_cast<Pte *>(pa + offset_); }
	u64 phys(const void *table) const { return reinterpret_cast<uptr>(table) - offset_; }

private:
	uptr offset_ = 0;
};

// A format's table object from Env::alloc_object, value-initialised; and
// its end. Null when memory is short.
template <typename Env, typename Table>
Table *new_table()
{
	void *mem = Env::alloc_object(sizeof(Table));
	return mem ? new (mem) Table{} : nullptr;
}

template <typename Env, typename Table>
void delete_table(Table *t)
{
	t->~Table();
	Env::free_object(t);
}

// Why cfg's custom table allocator is refused for a format (upstream's
// rules: both hooks or neither, and only for a format that takes one), or
// null if it is not.
inline const char *allocator_refusal(const armature_pgtable_cfg &cfg,
				     const armature_pgtable_init_fns &fns)
{
	if (!cfg.alloc && !cfg.free)
		return nullptr;
	if (!cfg.alloc || !cfg.free)
		return "a custom table allocator needs both alloc and free";
	if (!(fns.caps & ARMATURE_PGTABLE_CAP_CUSTOM_ALLOCATOR))
		return "the format takes no custom table allocator";
	return nullptr;
}

// A table from cfg's own allocator. Memory not aligned to its size (64
// bytes at least, the architecture's least for a table) is given back and
// reported: a walker would read the wrong descriptors from it.
template <typename Env>
void *custom_table(const armature_pgtable_cfg &cfg, void *cookie, usize bytes, unsigned gfp)
{
	void *table = cfg.alloc(cookie, bytes, gfp);
	const u64 align = bytes < 64 ? 64 : bytes;
	if (table && (Env::virt_to_phys(table) & (align - 1))) {
		Env::report(cfg, "custom table allocator: %lu bytes at %#llx, not aligned to %llu\n",
			    static_cast<unsigned long>(bytes),
			    static_cast<unsigned long long>(Env::virt_to_phys(table)),
			    static_cast<unsigned long long>(align));
		cfg.free(cookie, table, bytes);
		return nullptr;
	}
	return table;
}

// Hands a finished table to the core: iop as alloc_io_pgtable_ops() leaves it.
inline void hand_out(armature_pgtable &iop, armature_pgtable_fmt fmt, void *cookie,
		     const armature_pgtable_cfg &cfg, const armature_pgtable_ops &ops,
		     armature_pgtable **out)
{
	iop.fmt = fmt;
	iop.cookie = cookie;
	iop.cfg = cfg;
	iop.ops = ops;
	*out = &iop;
}

// Is iova inside the input range? With TTBR1 the range is the top of the
// address space: the bits above ias must all be ones instead of zeros.
inline bool iova_in_range(const armature_pgtable_cfg &cfg, u64 iova)
{
	s64 ext = static_cast<s64>(iova) >> cfg.ias;
	if (cfg.quirks & quirk::ttbr1)
		ext = ~ext;
	return ext == 0;
}

// A descriptor is read once (READ_ONCE) and written whole: concurrent
// map/unmap of disjoint ranges share upper-level tables without a lock.
template <typename Pte>
inline Pte pte_load(const Pte *ptep)
{
	return __atomic_load_n(ptep, __ATOMIC_RELAXED);
}

template <typename Pte>
inline void pte_store(Pte *ptep, Pte pte)
{
	__atomic_store_n(ptep, pte, __ATOMIC_RELAXED);
}

// Two neighbouring descriptors in one instruction where the CPU has one
// that writes each whole (arm64's STP of two 64-bit registers: each is
// single-copy atomic); two stores elsewhere. Ump is GCC's constraint for an
// address a pair instruction takes (base and immediate offset).
inline void pte_store_pair(u64 *ptep, u64 first, u64 second)
{
#ifdef __aarch64__
	asm volatile("stp %x1, %x2, %0"
		     : "=Ump"(*reinterpret_cast<u64(*)[2]>(ptep))
		     : "rZ"(first), "rZ"(second));
#else
	pte_store(ptep, first);
	pte_store(ptep + 1, second);
#endif
}

// Replaces curr with desired unless another CPU got there first; returns
// what was there (curr when it succeeded).
template <typename Pte>
inline Pte pte_cmpxchg(Pte *ptep, Pte curr, Pte desired)
{
	__atomic_compare_exchange_n(ptep, &curr, desired, false, __ATOMIC_RELAXED,
				    __ATOMIC_RELAXED);
	return curr;
}

template <typename Pte>
inline void pte_set_bits(Pte *ptep, Pte bits)
{
	__atomic_fetch_or(ptep, bits, __ATOMIC_RELAXED);
}

inline bool is_power_of_2(u64 v) { return v && !(v & (v - 1)); }

// The argument checks map_pages shares across formats, in upstream's order
// so that a call with several faults gets upstream's errno.
inline int check_map_args(const armature_pgtable_cfg &cfg, u64 iova, u64 paddr,
			  u64 pgsize, u64 pgcount, int iommu_prot)
{
	if (!is_power_of_2(pgsize) || !(pgsize & cfg.pgsize_bitmap))
		return -EINVAL;
	u64 last = iova + pgsize * pgcount - 1;
	if (!pgcount || !iova_in_range(cfg, iova) || !iova_in_range(cfg, last) ||
	    last < iova)
		return -ERANGE;
	u64 last_pa = paddr + pgsize * pgcount - 1;
	if ((paddr >> cfg.oas) || (last_pa >> cfg.oas) || last_pa < paddr)
		return -ERANGE;
	if (!(iommu_prot & (prot::read | prot::write)))
		return -EINVAL;
	if ((iova | paddr) & (pgsize - 1))
		return -EINVAL;
	return 0;
}

// unmap_pages' checks: a size of the table's, a run inside the input range,
// aligned. A bad call is reported and unmaps nothing.
template <typename Env>
bool check_unmap_args(const armature_pgtable_cfg &cfg, u64 iova, u64 pgsize, u64 pgcount)
{
	const u64 last = iova + pgsize * pgcount - 1;
	if (is_power_of_2(pgsize) && (pgsize & cfg.pgsize_bitmap) && pgcount &&
	    iova_in_range(cfg, iova) && iova_in_range(cfg, last) && last >= iova &&
	    !(iova & (pgsize - 1)))
		return true;
	Env::report(cfg, "unmap of %llu x %#llx at %#llx: invalid\n",
		    static_cast<unsigned long long>(pgcount), static_cast<unsigned long long>(pgsize),
		    static_cast<unsigned long long>(iova));
	return false;
}

// The end of every map_pages: the caller's error reported (a map over a
// mapping not with NO_WARN), and all descriptors written before a walk can
// start for the new iova.
template <typename Env>
int finish_map(const armature_pgtable_cfg &cfg, int ret, u64 iova, u64 paddr, u64 pgsize,
	       u64 pgcount, int iommu_prot)
{
	if (ret == -EEXIST) {
		if (!(cfg.quirks & quirk::no_warn))
			Env::report(cfg, "map at %#llx: already mapped, unmap it first\n",
				    static_cast<unsigned long long>(iova));
	} else if (ret && ret != -ENOMEM)
		Env::report(cfg, "map of %llu x %#llx at %#llx -> %#llx, prot %#x: invalid (%d)\n",
			    static_cast<unsigned long long>(pgcount), static_cast<unsigned long long>(pgsize),
			    static_cast<unsigned long long>(iova), static_cast<unsigned long long>(paddr),
			    iommu_prot, ret);
	Env::wmb();
	return ret;
}

// Table memory below 2^bits, where a walker of that many address bits
// reaches it; null if there is none (a table above is freed and reported).
template <typename Env, typename Pte>
Pte *alloc_table_below(const armature_pgtable_cfg &cfg, usize bytes, unsigned gfp, unsigned bits)
{
	void *table = Env::alloc_table(cfg, bytes, gfp);
	if (!table)
		return nullptr;
	const u64 pa = Env::virt_to_phys(table);
	if (pa >> bits) {
		Env::report(cfg, "table at %#llx is beyond the walker's %u address bits\n",
			    static_cast<unsigned long long>(pa), bits);
		Env::free_table(cfg, table, bytes);
		return nullptr;
	}
	return static_cast<Pte *>(table);
}

// The TLB callbacks, each optional as in io_pgtable_tlb_*().
inline void tlb_flush_all(const armature_pgtable &iop)
{
	if (iop.cfg.tlb && iop.cfg.tlb->tlb_flush_all)
		iop.cfg.tlb->tlb_flush_all(iop.cookie);
}

inline void tlb_flush_walk(const armature_pgtable &iop, u64 iova, u64 size, u64 granule)
{
	if (iop.cfg.tlb && iop.cfg.tlb->tlb_flush_walk)
		iop.cfg.tlb->tlb_flush_walk(iova, size, granule, iop.cookie);
}

inline void tlb_add_page(const armature_pgtable &iop, iommu_iotlb_gather *gather,
			 u64 iova, u64 granule)
{
	if (iop.cfg.tlb && iop.cfg.tlb->tlb_add_page)
		iop.cfg.tlb->tlb_add_page(gather, iova, granule, iop.cookie);
}

} // namespace armature::iopt
