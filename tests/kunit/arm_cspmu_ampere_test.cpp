// SPDX-License-Identifier: GPL-2.0
// Tests of arm_cspmu's Ampere backend: its names, the auxiliary registers
// it writes, and the filters it accepts.
// Part of the KUnit suite armature_cspmu and of the host tests.
#include "arm_cspmu_test.hpp"

using namespace armature::cspmu;
using namespace armature::cspmu::test;

// --- Ampere ------------------------------------------------------------------

namespace {

constexpr u64 ampere_config1(u64 threshold, u64 rank, u64 bank)
{
	return threshold | rank << 8 | bank << 24;
}

} // namespace

KCPP_TEST(cspmu_ampere, init_names)
{
	Bench b(cfg8, Firmware{}, 0x00000a16, 0);
	KCPP_EXPECT_EQ(ampere::init(b.pmu, 5), 0);
	KCPP_EXPECT_TRUE(str_eq(b.pmu.name().c_str(), "ampere_mcu_pmu_5"));
	KCPP_EXPECT_EQ(b.pmu.backend_data(), 5);
	KCPP_EXPECT_TRUE(&b.pmu.ops() == &ampere::ops);
	KCPP_EXPECT_EQ(ampere::init(b.pmu, 123), 0);
	KCPP_EXPECT_TRUE(str_eq(b.pmu.name().c_str(), "ampere_mcu_pmu_123"));
	Bench bad(cfg8, Firmware{}, 0x00000a16, 0);
	KCPP_EXPECT_EQ(ampere::init(bad.pmu, -1), -EINVAL);
	KCPP_EXPECT_TRUE(bad.pmu.name().empty());
	KCPP_EXPECT_EQ(bad.pmu.backend_data(), -1);
}

KCPP_TEST(cspmu_ampere, start_writes_the_aux_registers)
{
	Bench b(cfg8, Firmware{}, 0x00000a16, 0);
	KCPP_ASSERT_EQ(ampere::init(b.pmu, 0), 0);
	b.set0(evfiltr(0), sentinel);
	b.set0(evfilt2r(0), sentinel);
	b.set0(ccfiltr, sentinel);
	constexpr u64 f = ampere_config1(0x12, 0x3456, 0x789abcde);
	KCPP_ASSERT_EQ(b.add({0x27, f, 0}), 0u);
	engine::start(b.pmu, 0);
	KCPP_EXPECT_EQ(b.reg0(evtyper(0)), 0x27u);
	KCPP_EXPECT_EQ(b.reg0(pmauxr0), 0x12u);
	KCPP_EXPECT_EQ(b.reg0(pmauxr1), 0x3456u);
	KCPP_EXPECT_EQ(b.reg0(pmauxr2), 0x789abcdeu);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(0)), sentinel);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(0)), sentinel);
	KCPP_EXPECT_EQ(b.reg0(cntenset(0)), 1u);
	// The cycle counter: PMCCFILTR is RES0 and left alone.
	KCPP_ASSERT_EQ(b.add({cycles_event, f, 0}), 7u);
	engine::start(b.pmu, 7);
	KCPP_EXPECT_EQ(b.reg0(ccfiltr), sentinel);
	KCPP_EXPECT_EQ(b.reg0(cntenset(0)), 0x80000000u);
	// Filters of all zeros are written too.
	engine::remove(b.pmu, 0);
	engine::remove(b.pmu, 7);
	KCPP_ASSERT_EQ(b.add({0x3, 0, 0}), 0u);
	engine::start(b.pmu, 0);
	KCPP_EXPECT_EQ(b.reg0(pmauxr0), 0u);
	KCPP_EXPECT_EQ(b.reg0(pmauxr1), 0u);
	KCPP_EXPECT_EQ(b.reg0(pmauxr2), 0u);
}

KCPP_TEST(cspmu_ampere, validate_filters)
{
	Bench b(cfg8, Firmware{}, 0x00000a16, 0);
	KCPP_ASSERT_EQ(ampere::init(b.pmu, 0), 0);
	constexpr u64 f = ampere_config1(0x1, 0x2, 0x3);
	auto add = [&](EventConfig c, EventConfig leader) { return b.add_code(c, leader); };
	// Not the leader's threshold, rank or bank.
	KCPP_EXPECT_EQ(add({0x1, f, 0}, {0x1, ampere_config1(0x9, 0x2, 0x3), 0}), -EINVAL);
	KCPP_EXPECT_EQ(add({0x1, f, 0}, {0x1, ampere_config1(0x1, 0x9, 0x3), 0}), -EINVAL);
	KCPP_EXPECT_EQ(add({0x1, f, 0}, {0x1, ampere_config1(0x1, 0x2, 0x9), 0}), -EINVAL);
	KCPP_EXPECT_FALSE(b.pmu.used_.any_below(8));
	// The leader's, with nothing counting: fine.
	KCPP_EXPECT_EQ(add({0x1, f, 0}, {0x5, f, 0}), 0);
	// Another group must use the filters of the one counting.
	KCPP_EXPECT_EQ(add({0x2, ampere_config1(0x9, 0x2, 0x3), 0},
			   {0x2, ampere_config1(0x9, 0x2, 0x3), 0}), -EINVAL);
	KCPP_EXPECT_EQ(add({0x2, ampere_config1(0x1, 0x2, 0x4), 0},
			   {0x2, ampere_config1(0x1, 0x2, 0x4), 0}), -EINVAL);
	KCPP_EXPECT_EQ(add({cycles_event, 0, 0}, {cycles_event, 0, 0}), -EINVAL);
	KCPP_EXPECT_EQ(add({0x2, f, 0}, {0x2, f, 0}), 0);
	KCPP_EXPECT_EQ(add({cycles_event, f, 0}, {cycles_event, f, 0}), 0);
	KCPP_EXPECT_TRUE(b.pmu.used_.test(0));
	KCPP_EXPECT_TRUE(b.pmu.used_.test(1));
	KCPP_EXPECT_TRUE(b.pmu.used_.test(7));
	// The config word besides config1 does not matter.
	KCPP_EXPECT_TRUE(ampere::Filters::of({0x1, f, 0}) == ampere::Filters::of({0x2, f, 0x9}));

	// A group is checked against its first member.
	engine::GroupCheck group(b.pmu);
	Slot lead{{0x1, f, 0}, {0x1, f, 0}, nullptr, 0};
	Slot other{{0x2, ampere_config1(0x1, 0x2, 0x4), 0}, {0x1, f, 0}, nullptr, 0};
	KCPP_EXPECT_EQ(group.add(lead), 0);
	KCPP_EXPECT_EQ(group.add(other), -EINVAL);
}

KCPP_TEST(cspmu_ampere, instance_ids)
{
	ampere::IdBitmap<2> ids;
	for (int i = 0; i < 128; i++)
		KCPP_ASSERT_EQ(ids.alloc(), i);
	// Full: the 129th fails, and the capacity is what the docs say for <4>.
	KCPP_EXPECT_EQ(ids.alloc(), -ENOSPC);
	static_assert(ampere::IdBitmap<4>::capacity == 256);
	// A freed ID is the next one handed out, lowest first.
	ids.free(70);
	ids.free(3);
	KCPP_EXPECT_FALSE(ids.test(3));
	KCPP_EXPECT_TRUE(ids.test(4));
	KCPP_EXPECT_EQ(ids.alloc(), 3);
	KCPP_EXPECT_EQ(ids.alloc(), 70);
	KCPP_EXPECT_EQ(ids.alloc(), -ENOSPC);
	// Out-of-range IDs are ignored.
	ids.free(-1);
	ids.free(128);
	KCPP_EXPECT_FALSE(ids.test(128));
	KCPP_EXPECT_EQ(ids.alloc(), -ENOSPC);
}
