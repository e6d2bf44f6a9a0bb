// SPDX-License-Identifier: GPL-2.0
// The io-pgtable formats on the host: an Env whose "physical memory" is one
// arena (so virtual minus physical is a constant, as in the kernel's linear
// map), and allocation of tables by format without the kernel's core.
#pragma once

#include <dart.hpp>
#include <lpae.hpp>
#include <v7s.hpp>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>
#include <sys/mman.h>

struct iommu_iotlb_gather {
	unsigned long start, end, pgsize;
	void *freelist[2];
	bool queued;
};

struct iommu_dirty_bitmap {
	void *bitmap;
	iommu_iotlb_gather *gather;
};

namespace iopt_test {

using namespace armature::iopt;

// Table memory: power-of-two blocks of at least 4 KiB, naturally aligned,
// carved from one mapping, recycled per size.
class Arena {
public:
	static constexpr usize bytes = usize(1) << 30;
	static constexpr u64 phys_base = 0x80000000;

	static Arena &get()
	{
		static Arena arena;
		return arena;
	}

	void *alloc(usize size)
	{
		size = round(size);
		auto &free = free_[size];
		char *p;
		if (!free.empty()) {
			p = free.back();
			free.pop_back();
			std::memset(p, 0, size);
		} else {
			next_ = (next_ + size - 1) & ~(size - 1);
			if (next_ + size > bytes)
				return nullptr;
			p = base_ + next_;	// fresh mmap memory is zero
			next_ += size;
		}
		in_use_ += size;
		tables_++;
		return p;
	}

	void free(void *p, usize size)
	{
		size = round(size);
		std::memset(p, 0x5a, size);	// catch use after free
		free_[size].push_back(static_cast<char *>(p));
		in_use_ -= size;
		tables_--;
	}

	u64 phys(const void *p) const { return phys_base + (static_cast<const char *>(p) - base_); }
	void *virt(u64 pa) const { return base_ + (pa - phys_base); }
	usize in_use() const { return in_use_; }
	long tables() const { return tables_; }
	bool contains(const void *p) const
	{
		auto *c = static_cast<const char *>(p);
		return c >= base_ && c < base_ + bytes;
	}

private:
	Arena()
	{
		// 1 GiB aligned to 1 GiB so that any table is naturally aligned.
		void *m = mmap(nullptr, 2 * bytes, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m == MAP_FAILED)
			std::abort();
		base_ = reinterpret_cast<char *>((reinterpret_cast<uptr>(m) + bytes - 1) & ~(bytes - 1));
	}
	static usize round(usize size) { return size < 4096 ? 4096 : std::bit_ceil(size); }

	char *base_ = nullptr;
	usize next_ = 0;
	usize in_use_ = 0;
	long tables_ = 0;
	std::map<usize, std::vector<char *>> free_;
};

struct Counters {
	long syncs = 0;
	long reports = 0;
	std::string last_report;
	std::vector<std::pair<unsigned long, unsigned long>> dirty;
};

inline Counters &counters()
{
	static Counters c;
	return c;
}

// PageSize is the kernel's: an LPAE format prefers it as its granule.
template <u64 PageSize>
struct EnvOf {
	static constexpr unsigned gfp_kernel = 0xcc0;
	static constexpr unsigned gfp_dma32 = 0x4;
	static constexpr u64 page_size = PageSize;

	struct RunLock {
		std::mutex mutex;
		unsigned long lock_irqsave() { mutex.lock(); return 0; }
		void unlock_irqrestore(unsigned long) { mutex.unlock(); }
	};

	static void *alloc_table(const armature_pgtable_cfg &cfg, usize bytes, unsigned gfp,
				 void *cookie = nullptr)
	{
		return cfg.alloc ? custom_table<EnvOf>(cfg, cookie, bytes, gfp) : Arena::get().alloc(bytes);
	}
	static void free_table(const armature_pgtable_cfg &cfg, void *table, usize bytes,
			       void *cookie = nullptr)
	{
		if (cfg.free)
			cfg.free(cookie, table, bytes);
		else
			Arena::get().free(table, bytes);
	}
	static void sync(const armature_pgtable_cfg &, const void *, usize) { counters().syncs++; }
	static u64 virt_to_phys(const void *p) { return Arena::get().phys(p); }
	static void *alloc_object(usize size) { return std::calloc(1, size); }
	static void free_object(void *p) { std::free(p); }
	static void dma_wmb() { __atomic_thread_fence(__ATOMIC_RELEASE); }
	static void wmb() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
	static bool gather_queued(iommu_iotlb_gather *gather) { return gather->queued; }
	static void record_dirty(iommu_dirty_bitmap *dirty, unsigned long iova, unsigned long len)
	{
		counters().dirty.emplace_back(iova, len);
		if (iommu_iotlb_gather *g = dirty->gather) {
			if (g->start > iova)
				g->start = iova;
			if (g->end < iova + len - 1)
				g->end = iova + len - 1;
		}
	}
	__attribute__((format(printf, 2, 3)))
	static void report(const armature_pgtable_cfg &, const char *fmt, ...)
	{
		char buf[256];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		counters().reports++;
		counters().last_report = buf;
	}
};

// A 4K kernel's, unless a test says otherwise.
using Env = EnvOf<SZ_4K>;

// What the core does, without module loading: the format's init_fns.
template <typename E>
const armature_pgtable_init_fns *format_fns(armature_pgtable_fmt fmt)
{
	switch (fmt) {
	case ARMATURE_PGTABLE_ARM_32_LPAE_S1:
	case ARMATURE_PGTABLE_ARM_32_LPAE_S2:
	case ARMATURE_PGTABLE_ARM_64_LPAE_S1:
	case ARMATURE_PGTABLE_ARM_64_LPAE_S2:
	case ARMATURE_PGTABLE_ARM_MALI_LPAE:
		return &lpae::init_fns<E>;
	case ARMATURE_PGTABLE_ARM_V7S:
		return &v7s::init_fns<E>;
	case ARMATURE_PGTABLE_APPLE_DART:
	case ARMATURE_PGTABLE_APPLE_DART2:
		return &dart::init_fns<E>;
	default:
		return nullptr;
	}
}

// The formats as built for a kernel of page_size (Debian's arm64 kernels
// have 4K or 16K pages; arm64 allows 64K too).
inline const armature_pgtable_init_fns *format_fns(armature_pgtable_fmt fmt, u64 page_size)
{
	switch (page_size) {
	case SZ_4K: return format_fns<EnvOf<SZ_4K>>(fmt);
	case SZ_16K: return format_fns<EnvOf<SZ_16K>>(fmt);
	case SZ_64K: return format_fns<EnvOf<SZ_64K>>(fmt);
	default: return nullptr;
	}
}

// 0 and *ops, or the errno the kernel's armature_pgtable_alloc_ops() would
// return as an ERR_PTR.
inline int alloc_ops(armature_pgtable_fmt fmt, armature_pgtable_cfg *cfg, void *cookie,
		     armature_pgtable_ops **ops, u64 page_size = Env::page_size)
{
	const armature_pgtable_init_fns *fns = format_fns(fmt, page_size);
	if (!fns)
		return -ENODEV;
	if (const char *why = allocator_refusal(*cfg, *fns)) {
		Env::report(*cfg, "%s\n", why);
		return -EINVAL;
	}
	armature_pgtable *iop;
	int ret = fns->alloc(fmt, cfg, cookie, &iop);
	if (ret)
		return ret;
	iop->fns = fns;
	*ops = &iop->ops;
	return 0;
}

inline void free_ops(armature_pgtable_ops *ops)
{
	if (!ops)
		return;
	armature_pgtable *iop = pgtable_of(ops);
	tlb_flush_all(*iop);
	iop->fns->free(iop);
}

// Table memory in use: a test that frees everything it allocates ends at 0.
inline long tables_in_use() { return Arena::get().tables(); }
// Reports made by the formats (the kernel's core counts them alike).
inline long reports() { return counters().reports; }

// Zeroed, naturally aligned memory for a test's own table allocator.
inline void *test_table_alloc(usize bytes) { return Arena::get().alloc(bytes); }
inline void test_table_free(void *table, usize bytes) { Arena::get().free(table, bytes); }

inline constexpr unsigned gfp_kernel = Env::gfp_kernel;
inline device *dma_device() { return nullptr; }

// A gather as iommu_iotlb_gather_init() leaves it, and a dirty bitmap that
// records into it.
inline iommu_iotlb_gather *new_gather()
{
	auto *g = new iommu_iotlb_gather{};
	g->start = ~0ul;
	return g;
}
inline void delete_gather(iommu_iotlb_gather *g) { delete g; }
inline void reset_gather(iommu_iotlb_gather *g) { g->start = ~0ul, g->end = 0; }
inline void set_gather_queued(iommu_iotlb_gather *g, bool queued) { g->queued = queued; }
inline unsigned long gather_start(iommu_iotlb_gather *g) { return g->start; }
inline unsigned long gather_end(iommu_iotlb_gather *g) { return g->end; }
inline iommu_dirty_bitmap *new_dirty_bitmap(iommu_iotlb_gather *g)
{
	return new iommu_dirty_bitmap{nullptr, g};
}
inline void delete_dirty_bitmap(iommu_dirty_bitmap *d, iommu_iotlb_gather *g)
{
	delete d;
	delete g;
}

// Physical memory to virtual (to look at descriptors of a table).
inline void *phys_to_virt(u64 pa) { return Arena::get().virt(pa); }

} // namespace iopt_test
