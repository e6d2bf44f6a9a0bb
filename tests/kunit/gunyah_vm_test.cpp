// SPDX-License-Identifier: GPL-2.0
// Tests of the Gunyah VM manager's pure decisions (drivers/virt/gunyah/
// vm_region.hpp): which GUNYAH_VM_SET_USER_MEM_REGION requests are well
// formed, which conflict with a VM's regions, the parcel's ACL, and the
// scatter-gather list of pinned pages with contiguous runs merged. Built as
// the KUnit suite armature_gunyah_vm (gunyah_vm_test_glue.c) and as host
// tests.
#include <kcpp_test.hpp>

#include "vm_region.hpp"

#include <initializer_list>

using namespace armature::gunyah;
using namespace kcpp;
using vm::Conflict;
using vm::Invalid;
using vm::RegionKey;

namespace {

constexpr u64 page = 4096;
constexpr u64 user_top = u64(1) << 48;

constexpr gunyah_userspace_memory_region request(u32 flags, u64 guest, u64 size, u64 user)
{
	gunyah_userspace_memory_region r{};
	r.label = 7;
	r.flags = flags;
	r.guest_phys_addr = guest;
	r.memory_size = size;
	r.userspace_addr = user;
	return r;
}

constexpr u32 rw = GUNYAH_MEM_ALLOW_READ | GUNYAH_MEM_ALLOW_WRITE;

struct CheckCase {
	gunyah_userspace_memory_region r;
	Invalid want;
};

constexpr CheckCase check_cases[] = {
	{request(rw, 0x80000000, page, 0x10000), Invalid::none},
	{request(rw | GUNYAH_MEM_LENT, 0, GUNYAH_VM_MAX_REGION_SIZE, 0x10000), Invalid::none},
	{request(GUNYAH_MEM_ALLOW_RWX, 0, page, 0x10000), Invalid::none},
	{request(GUNYAH_MEM_ALLOW_READ, 0, page, user_top - page), Invalid::none},
	{request(rw | (1u << 4), 0, page, 0x10000), Invalid::unknown_flags},
	{request(rw | (1u << 31), 0, page, 0x10000), Invalid::unknown_flags},
	{request(GUNYAH_MEM_ALLOW_WRITE, 0, page, 0x10000), Invalid::no_read},
	{request(GUNYAH_MEM_LENT, 0, page, 0x10000), Invalid::no_read},
	{request(rw, 0, page + 1, 0x10000), Invalid::size_unaligned},
	{request(rw, 0, 1, 0x10000), Invalid::size_unaligned},
	{request(rw, 0, GUNYAH_VM_MAX_REGION_SIZE + page, 0x10000), Invalid::size_too_big},
	{request(rw, 0, ~u64(0) & ~(page - 1), 0x10000), Invalid::size_too_big},
	{request(rw, 0x80000010, page, 0x10000), Invalid::guest_unaligned},
	{request(rw, ~u64(0) & ~(page - 1), 2 * page, 0x10000), Invalid::guest_wraps},
	{request(rw, 0, page, 0x10001), Invalid::user_unaligned},
	{request(rw, 0, 2 * page, ~u64(0) & ~(page - 1)), Invalid::user_wraps},
	{request(rw, 0, 2 * page, user_top - page), Invalid::user_not_canonical},
};

// Pages at the given physical page numbers, in region order.
template <usize N>
struct Pages {
	u64 pfn[N];
	u64 operator()(usize i) const { return pfn[i] * page; }
};

struct Sgl {
	u64 phys[1100];
	u64 size[1100];
	usize n = 0;
};

template <typename PhysOf>
usize build(Sgl &out, usize n, PhysOf phys_of)
{
	out.n = 0;
	const usize counted = vm::build_sgl(n, page, phys_of, [](u64, u64) {});
	const usize built = vm::build_sgl(n, page, phys_of, [&out](u64 phys, u64 size) {
		if (out.n < 1100) {
			out.phys[out.n] = phys;
			out.size[out.n] = size;
		}
		out.n++;
	});
	return counted == built && built == out.n ? built : ~usize(0);
}

} // namespace

KCPP_TEST(gunyah_vm, check_region_rules)
{
	for (const CheckCase &c : check_cases)
		KCPP_EXPECT_EQ(vm::check_region(c.r, page, user_top), c.want);
}

KCPP_TEST(gunyah_vm, every_refusal_is_described)
{
	for (const CheckCase &c : check_cases)
		KCPP_EXPECT_TRUE(vm::describe(c.want) != nullptr && vm::describe(c.want)[0] != '?');
	for (Conflict c : {Conflict::none, Conflict::label, Conflict::guest_overlap, Conflict::user_overlap})
		KCPP_EXPECT_TRUE(vm::describe(c)[0] != '?');
}

KCPP_TEST(gunyah_vm, ranges_overlap_at_the_edges)
{
	KCPP_EXPECT_TRUE(vm::ranges_overlap(0, page, 0, page));
	KCPP_EXPECT_TRUE(vm::ranges_overlap(0, 2 * page, page, page));
	KCPP_EXPECT_TRUE(vm::ranges_overlap(page, page, 0, 2 * page));
	KCPP_EXPECT_TRUE(vm::ranges_overlap(0, 10 * page, 3 * page, page));
	KCPP_EXPECT_FALSE(vm::ranges_overlap(0, page, page, page));   // adjacent
	KCPP_EXPECT_FALSE(vm::ranges_overlap(page, page, 0, page));
	KCPP_EXPECT_FALSE(vm::ranges_overlap(0, 0, 0, page));         // empty
}

KCPP_TEST(gunyah_vm, conflicts_with_other_regions)
{
	const RegionKey regions[] = {
		{1, 0x80000000, 0x10000000, 4 * page},
		{2, 0x90000000, 0x20000000, 4 * page},
	};
	auto key_of = [&regions](usize i) -> const RegionKey & { return regions[i]; };
	auto conflict = [&](RegionKey k) { return vm::find_conflict(k, 2, key_of); };

	KCPP_EXPECT_EQ(conflict({3, 0xa0000000, 0x30000000, page}), Conflict::none);
	// Right after each of the others, in both spaces.
	KCPP_EXPECT_EQ(conflict({3, 0x80000000 + 4 * page, 0x10000000 + 4 * page, page}), Conflict::none);
	KCPP_EXPECT_EQ(conflict({1, 0xa0000000, 0x30000000, page}), Conflict::label);
	KCPP_EXPECT_EQ(conflict({2, 0xa0000000, 0x30000000, page}), Conflict::label);
	KCPP_EXPECT_EQ(conflict({3, 0x80000000 + 3 * page, 0x30000000, page}), Conflict::guest_overlap);
	KCPP_EXPECT_EQ(conflict({3, 0x8fffffff & ~(page - 1), 0x30000000, 0x10000000}), Conflict::guest_overlap);
	KCPP_EXPECT_EQ(conflict({3, 0xa0000000, 0x20000000 - page, 2 * page}), Conflict::user_overlap);
	KCPP_EXPECT_EQ(vm::find_conflict(RegionKey{1, 0, 0, page}, 0, key_of), Conflict::none);
}

KCPP_TEST(gunyah_vm, acl_of_a_lend_and_a_share)
{
	gunyah_rm_acl_entry acl[2];

	KCPP_EXPECT_EQ(vm::make_acl(rw | GUNYAH_MEM_LENT, 0x81, acl), usize(1));
	KCPP_EXPECT_EQ(acl[0].vmid, 0x81);
	KCPP_EXPECT_EQ(acl[0].rights, GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W);

	KCPP_EXPECT_EQ(vm::make_acl(GUNYAH_MEM_ALLOW_READ | GUNYAH_MEM_ALLOW_EXEC, 0x90, acl), usize(2));
	KCPP_EXPECT_EQ(acl[0].vmid, 0x90);
	KCPP_EXPECT_EQ(acl[0].rights, GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_X);
	KCPP_EXPECT_EQ(acl[1].vmid, GUNYAH_VMID_HLOS);
	KCPP_EXPECT_EQ(acl[1].rights, GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W | GUNYAH_RM_ACL_X);
}

KCPP_TEST(gunyah_vm, rm_rights_are_the_uapi_bits_reversed)
{
	KCPP_EXPECT_EQ(vm::rm_rights(GUNYAH_MEM_ALLOW_READ), 4);
	KCPP_EXPECT_EQ(vm::rm_rights(GUNYAH_MEM_ALLOW_WRITE), 2);
	KCPP_EXPECT_EQ(vm::rm_rights(GUNYAH_MEM_ALLOW_EXEC), 1);
	KCPP_EXPECT_EQ(vm::rm_rights(GUNYAH_MEM_ALLOW_RWX | GUNYAH_MEM_LENT), 7);
	// Every accepted request gives rights the RM accepts (4..7).
	for (u32 f = 0; f < 16; f++) {
		if (vm::check_region(request(f, 0, page, 0x10000), page, user_top) == Invalid::none) {
			KCPP_EXPECT_TRUE(vm::rm_rights(f) >= 4 && vm::rm_rights(f) <= 7);
		}
	}
}

KCPP_TEST(gunyah_vm, sgl_merges_contiguous_runs)
{
	static Sgl sgl;   // 17 KiB: not on a kernel stack

	KCPP_EXPECT_EQ(build(sgl, 0, Pages<1>{{5}}), usize(0));

	KCPP_ASSERT_EQ(build(sgl, 1, Pages<1>{{5}}), usize(1));
	KCPP_EXPECT_EQ(sgl.phys[0], 5 * page);
	KCPP_EXPECT_EQ(sgl.size[0], page);

	// 3 runs: 10-12, 20, 21-22 is one with 20; 8 (backwards) starts anew.
	KCPP_ASSERT_EQ(build(sgl, 7, Pages<7>{{10, 11, 12, 20, 21, 22, 8}}), usize(3));
	KCPP_EXPECT_EQ(sgl.phys[0], 10 * page);
	KCPP_EXPECT_EQ(sgl.size[0], 3 * page);
	KCPP_EXPECT_EQ(sgl.phys[1], 20 * page);
	KCPP_EXPECT_EQ(sgl.size[1], 3 * page);
	KCPP_EXPECT_EQ(sgl.phys[2], 8 * page);
	KCPP_EXPECT_EQ(sgl.size[2], page);

	// Descending pages never merge; a repeated page does not either.
	KCPP_EXPECT_EQ(build(sgl, 4, Pages<4>{{9, 8, 7, 6}}), usize(4));
	KCPP_EXPECT_EQ(build(sgl, 2, Pages<2>{{9, 9}}), usize(2));
}

KCPP_TEST(gunyah_vm, sgl_of_1_512_513_1025_pages)
{
	static Sgl sgl;   // 17 KiB: not on a kernel stack
	for (usize n : {usize(1), usize(512), usize(513), usize(1025)}) {
		// Contiguous: one entry of n pages.
		KCPP_ASSERT_EQ(build(sgl, n, [](usize i) { return (0x40000 + i) * page; }), usize(1));
		KCPP_EXPECT_EQ(sgl.size[0], n * page);
		// Every other page: n entries of one page, in order.
		KCPP_ASSERT_EQ(build(sgl, n, [](usize i) { return (0x40000 + 2 * i) * page; }), n);
		KCPP_EXPECT_EQ(sgl.phys[n - 1], (0x40000 + 2 * (n - 1)) * page);
		KCPP_EXPECT_EQ(sgl.size[n - 1], page);
		// Pairs: (n + 1) / 2 entries, the last one short when n is odd.
		KCPP_ASSERT_EQ(build(sgl, n, [](usize i) { return (0x40000 + i + i / 2 * 2) * page; }),
			       (n + 1) / 2);
		KCPP_EXPECT_EQ(sgl.size[(n + 1) / 2 - 1], (n % 2 ? 1 : 2) * page);
	}
}
