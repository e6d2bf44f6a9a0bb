// SPDX-License-Identifier: GPL-2.0
// Host-only: random map/unmap/translate sequences on the LPAE formats,
// checked against a reference model (a map of the leaf mappings), for
// every granule and both stages. Tables must end up freed.
#include <io_pgtable_test_env.hpp>

#include <gtest/gtest.h>
#include <iterator>
#include <map>
#include <random>

namespace {

using namespace armature::iopt;

struct Leaf {
	u64 size, pa;
	int prot;
};

// What a correct page table would translate: leaf mappings by iova.
class Reference {
public:
	bool overlaps(u64 start, u64 end) const
	{
		auto it = leaves_.lower_bound(start);
		if (it != leaves_.end() && it->first < end)
			return true;
		if (it == leaves_.begin())
			return false;
		--it;
		return it->first + it->second.size > start;
	}
	void add(u64 iova, const Leaf &leaf) { leaves_[iova] = leaf; }
	void remove(u64 iova) { leaves_.erase(iova); }
	const Leaf *at(u64 iova) const
	{
		auto it = leaves_.find(iova);
		return it == leaves_.end() ? nullptr : &it->second;
	}
	u64 translate(u64 iova) const
	{
		auto it = leaves_.upper_bound(iova);
		if (it == leaves_.begin())
			return 0;
		--it;
		return iova < it->first + it->second.size ? it->second.pa + (iova - it->first) : 0;
	}
	bool empty() const { return leaves_.empty(); }
	size_t size() const { return leaves_.size(); }
	// A random existing leaf.
	std::pair<u64, Leaf> pick(std::mt19937_64 &rng) const
	{
		auto it = leaves_.begin();
		std::advance(it, rng() % leaves_.size());
		return *it;
	}

private:
	std::map<u64, Leaf> leaves_;
};

struct Case {
	armature_pgtable_fmt fmt;
	unsigned long pgsizes;
	unsigned ias, oas;
	unsigned long quirks;
	u64 page = SZ_4K;	// the kernel's page size
};

class RandomSequences : public testing::TestWithParam<Case> {};

void no_flush_all(void *) {}
void no_flush_walk(unsigned long, unsigned long, unsigned long, void *) {}
void no_add_page(iommu_iotlb_gather *, unsigned long, unsigned long, void *) {}
constexpr armature_pgtable_flush_ops no_tlb = {no_flush_all, no_flush_walk, no_add_page};

TEST_P(RandomSequences, agree_with_the_reference_model)
{
	const Case c = GetParam();
	const long tables_before = iopt_test::tables_in_use();
	armature_pgtable_cfg cfg{};
	cfg.quirks = c.quirks;
	cfg.pgsize_bitmap = c.pgsizes;
	cfg.ias = c.ias;
	cfg.oas = c.oas;
	cfg.coherent_walk = true;
	cfg.tlb = &no_tlb;
	armature_pgtable_ops *ops = nullptr;
	ASSERT_EQ(iopt_test::alloc_ops(c.fmt, &cfg, nullptr, &ops, c.page), 0);

	std::mt19937_64 rng(c.ias * 1000 + c.pgsizes % 997);
	Reference ref;
	std::vector<u64> sizes;
	for (u64 s = 1; s; s <<= 1)
		if (cfg.pgsize_bitmap & s)
			sizes.push_back(s);
	const u64 top = cfg.quirks & quirk::ttbr1 ? ~((u64(1) << cfg.ias) - 1) : 0;
	// Three windows so that tables are shared and boundaries crossed.
	const u64 window = std::min<u64>(u64(1) << (cfg.ias - 2), sizes.back() * 4);
	auto random_iova = [&](u64 size) {
		u64 base = (rng() % 3) * (u64(1) << (cfg.ias - 2));
		return top | (base + (rng() % (window / size)) * size);
	};
	const u64 max_pa = u64(1) << std::min(cfg.oas, 40u);

	for (int step = 0; step < 20000; step++) {
		const unsigned what = rng() % 100;
		if (what < 45) {
			const u64 size = sizes[rng() % sizes.size()];
			const u64 count = size == sizes[0] ? 1 + rng() % 600 : 1 + rng() % 3;
			if (size * (count + 1) > max_pa)
				continue;
			const u64 iova = random_iova(size);
			const u64 pa = (rng() % (max_pa / size - count)) * size;
			int prot = int(rng() % 64) | prot::read;
			unsigned long mapped = 0;
			if (!iova_in_range(cfg, iova + size * count - 1))
				continue;
			if (ref.overlaps(iova, iova + size * count)) {
				// Find one overlapped slot of this size and map there.
				u64 at = iova;
				while (!ref.overlaps(at, at + size))
					at += size;
				ASSERT_EQ(ops->map_pages(ops, at, pa, size, 1, prot, iopt_test::gfp_kernel, &mapped),
					  -EEXIST);
				ASSERT_EQ(mapped, 0u);
				continue;
			}
			ASSERT_EQ(ops->map_pages(ops, iova, pa, size, count, prot, iopt_test::gfp_kernel, &mapped), 0)
				<< std::hex << "map " << size << " x " << count << " at " << iova;
			ASSERT_EQ(mapped, size * count);
			for (u64 i = 0; i < count; i++)
				ref.add(iova + i * size, {size, pa + i * size, prot});
		} else if (what < 80 && !ref.empty()) {
			auto [iova, leaf] = ref.pick(rng);
			if (leaf.size != sizes[0] && rng() % 4 == 0) {
				// A part of a block: refused, the block stays.
				ASSERT_EQ(ops->unmap_pages(ops, iova + sizes[0], sizes[0], 1, nullptr), 0u);
				ASSERT_EQ(ops->iova_to_phys(ops, iova + sizes[0]), leaf.pa + sizes[0]);
				continue;
			}
			// A run of the consecutive leaves of this size from here.
			u64 count = 1;
			u64 want = 1 + rng() % 700;
			while (count < want) {
				const Leaf *next = ref.at(iova + count * leaf.size);
				if (!next || next->size != leaf.size)
					break;
				count++;
			}
			ASSERT_EQ(ops->unmap_pages(ops, iova, leaf.size, count, nullptr), count * leaf.size)
				<< std::hex << "unmap " << leaf.size << " x " << count << " at " << iova;
			for (u64 i = 0; i < count; i++)
				ref.remove(iova + i * leaf.size);
		} else {
			for (int i = 0; i < 16; i++) {
				u64 iova = random_iova(sizes[0]) + rng() % sizes[0];
				ASSERT_EQ(ops->iova_to_phys(ops, iova), ref.translate(iova)) << std::hex << iova;
			}
		}
	}
	iopt_test::free_ops(ops);
	EXPECT_EQ(iopt_test::tables_in_use(), tables_before);
}

constexpr unsigned long lpae_4k = SZ_4K | SZ_2M | SZ_1G, lpae_16k = SZ_16K | SZ_32M,
			lpae_64k = SZ_64K | SZ_512M, every_granule = lpae_4k | lpae_16k | lpae_64k;

INSTANTIATE_TEST_SUITE_P(
	iopt_lpae, RandomSequences,
	testing::Values(Case{ARMATURE_PGTABLE_ARM_64_LPAE_S1, lpae_4k, 48, 48, 0},
			Case{ARMATURE_PGTABLE_ARM_64_LPAE_S1, lpae_4k, 39, 40, quirk::ttbr1},
			Case{ARMATURE_PGTABLE_ARM_64_LPAE_S1, lpae_16k, 47, 48, 0},
			Case{ARMATURE_PGTABLE_ARM_64_LPAE_S1, lpae_64k | (1ull << 42), 52, 52, 0},
			Case{ARMATURE_PGTABLE_ARM_64_LPAE_S2, lpae_4k, 40, 40, 0},
			Case{ARMATURE_PGTABLE_ARM_64_LPAE_S2, lpae_16k, 48, 48, 0},
			Case{ARMATURE_PGTABLE_ARM_32_LPAE_S1, lpae_4k, 32, 40, 0},
			Case{ARMATURE_PGTABLE_ARM_MALI_LPAE, lpae_4k, 48, 40, 0},
			// Contiguous runs made and broken at every granule.
			Case{ARMATURE_PGTABLE_ARM_64_LPAE_S1, lpae_4k, 48, 48, quirk::arm_contig},
			Case{ARMATURE_PGTABLE_ARM_64_LPAE_S2, lpae_16k, 48, 48, quirk::arm_contig},
			Case{ARMATURE_PGTABLE_ARM_64_LPAE_S1, lpae_64k, 48, 48, quirk::arm_contig},
			// On a 16K kernel: 4K tables in 16K pages, and 16K tables.
			Case{ARMATURE_PGTABLE_ARM_64_LPAE_S1, lpae_4k, 48, 48, 0, SZ_16K},
			Case{ARMATURE_PGTABLE_ARM_64_LPAE_S2, every_granule, 40, 40, 0, SZ_16K},
			Case{ARMATURE_PGTABLE_ARM_MALI_LPAE, lpae_4k, 48, 40, 0, SZ_16K}));

// Offered several granules, a format takes the kernel's page size, else the
// largest granule below it, else the smallest above it, as upstream's
// arm_lpae_restrict_pgsizes(); the block sizes are that granule's.
TEST(LpaeGranule, follows_the_kernels_page_size)
{
	const struct {
		u64 page;
		unsigned long offered, taken;
	} cases[] = {
		{SZ_4K, every_granule, lpae_4k},
		{SZ_16K, every_granule, lpae_16k},
		{SZ_64K, every_granule, lpae_64k},
		{SZ_16K, lpae_4k | lpae_64k, lpae_4k},
		{SZ_64K, lpae_4k | lpae_16k, lpae_16k},
		{SZ_4K, lpae_16k | lpae_64k, lpae_16k},
		{SZ_16K, lpae_64k, lpae_64k},
		{SZ_16K, SZ_4K | SZ_2M, SZ_4K | SZ_2M},
	};
	for (const auto &c : cases) {
		armature_pgtable_cfg cfg{};
		cfg.pgsize_bitmap = c.offered;
		cfg.ias = 48;
		cfg.oas = 48;
		cfg.coherent_walk = true;
		cfg.tlb = &no_tlb;
		armature_pgtable_ops *ops = nullptr;
		ASSERT_EQ(iopt_test::alloc_ops(ARMATURE_PGTABLE_ARM_64_LPAE_S1, &cfg, nullptr, &ops, c.page), 0);
		EXPECT_EQ(cfg.pgsize_bitmap, c.taken) << std::hex << "page " << c.page << ", offered " << c.offered;
		iopt_test::free_ops(ops);
	}
}

} // namespace
