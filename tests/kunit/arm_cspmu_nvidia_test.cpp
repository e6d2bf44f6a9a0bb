// SPDX-License-Identifier: GPL-2.0
// Tests of arm_cspmu's NVIDIA backend: the PMUs it matches and names, and
// the filter registers of each kind of PMU.
// Part of the KUnit suite armature_cspmu and of the host tests.
#include "arm_cspmu_test.hpp"

using namespace armature::cspmu;
using namespace armature::cspmu::test;

// --- NVIDIA ----------------------------------------------------------------

namespace {

struct NvCase {
	u32 pmiidr;
	const char *name;
	const nvidia::Variant *variant;
};

} // namespace

KCPP_TEST(cspmu_nvidia, init_matches_and_names)
{
	const NvCase cases[] = {
		{0x2cf0036b, "nvidia_scf_pmu_1", &nvidia::variants[4]},
		{0x1030036b, "nvidia_pcie_pmu_1", &nvidia::variants[0]},
		{0x1040036b, "nvidia_nvlink_c2c1_pmu_1", &nvidia::variants[1]},
		{0x1050036b, "nvidia_nvlink_c2c0_pmu_1", &nvidia::variants[2]},
		{0x1060036b, "nvidia_cnvlink_pmu_1", &nvidia::variants[3]},
		{0x2cf2036b, "nvidia_ucf_pmu_1", &nvidia::variants[5]},
		{0x1030136b, "nvidia_pcie_pmu_1_rc_3", &nvidia::variants[6]},
		{0x1070036b, "nvidia_pcie_tgt_pmu_1_rc_3", &nvidia::variants[7]},
		{0x7770036b, "nvidia_uncore_pmu_2", &nvidia::generic_variant},
		// Another revision of Grace's PCIe PMU is not one this knows.
		{0x1030236b, "nvidia_uncore_pmu_2", &nvidia::generic_variant},
	};
	for (const NvCase &c : cases) {
		Bench b(cfg8, firmware_with_instance(3), c.pmiidr, 1);
		b.pmu.name().append("stale");
		KCPP_EXPECT_EQ(nvidia::init(b.pmu, 2), 0);
		KCPP_EXPECT_TRUE(str_eq(b.pmu.name().c_str(), c.name));
		KCPP_EXPECT_TRUE(&b.pmu.variant<nvidia::Variant>() == c.variant);
		KCPP_EXPECT_TRUE(&b.pmu.ops() == &c.variant->ops);
		KCPP_EXPECT_TRUE(&nvidia::match(c.pmiidr) == c.variant);
	}
	// The table's names, checked against upstream once more.
	KCPP_EXPECT_TRUE(str_eq(nvidia::match(0x2cf0036b).name, "nvidia_scf_pmu_"));
	KCPP_EXPECT_TRUE(nvidia::match(0x2cf0036b).ops.events.begin() == nvidia::scf_events);
	KCPP_EXPECT_TRUE(nvidia::match(0x1060036b).ops.formats.begin() == nvidia::cnvlink_formats);

	// A larger node and instance.
	Bench big(cfg8, firmware_with_instance(12345), 0x1070036b, 17);
	KCPP_EXPECT_EQ(nvidia::init(big.pmu, 0), 0);
	KCPP_EXPECT_TRUE(str_eq(big.pmu.name().c_str(), "nvidia_pcie_tgt_pmu_17_rc_12345"));
}

KCPP_TEST(cspmu_nvidia, instance_id_required)
{
	const u32 named_by_instance[] = {0x1030136b, 0x1070036b};
	for (u32 pmiidr : named_by_instance) {
		Bench b(cfg8, Firmware{}, pmiidr, 0);
		KCPP_EXPECT_EQ(nvidia::init(b.pmu, 0), -ENODEV);
		KCPP_EXPECT_TRUE(b.pmu.name().empty());
	}
	// PMUs named by socket alone do not need one.
	Bench grace(cfg8, Firmware{}, 0x1030036b, 0);
	KCPP_EXPECT_EQ(nvidia::init(grace.pmu, 0), 0);
	KCPP_EXPECT_TRUE(str_eq(grace.pmu.name().c_str(), "nvidia_pcie_pmu_0"));
}

KCPP_TEST(cspmu_nvidia, grace_pcie_filters)
{
	Bench b(cfg8, Firmware{}, 0x1030036b, 0);
	KCPP_ASSERT_EQ(nvidia::init(b.pmu, 0), 0);
	b.set0(evfilt2r(0), sentinel);
	u32 c0 = b.add({0x4, 0, 0});
	u32 c1 = b.add({0x5, 0x5, 0});
	u32 c2 = b.add({0x6, 0x7405, 0}); // beyond root_port: masked off
	u32 cc = b.add({cycles_event, 0, 0});
	KCPP_ASSERT_EQ(c0, 0u);
	KCPP_ASSERT_EQ(c2, 2u);
	KCPP_ASSERT_EQ(cc, 7u);
	engine::start(b.pmu, c0);
	engine::start(b.pmu, c1);
	engine::start(b.pmu, c2);
	engine::start(b.pmu, cc);
	KCPP_EXPECT_EQ(b.reg0(evtyper(0)), 0x4u);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(0)), 0x3ffu); // all root ports
	KCPP_EXPECT_EQ(b.reg0(evfiltr(1)), 0x5u);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(2)), 0x5u);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(0)), sentinel); // not this PMU's
	KCPP_EXPECT_EQ(b.reg0(ccfiltr), 0x3ffu);
	KCPP_EXPECT_EQ(b.reg0(cntenset(0)), 0x80000000u);
	// Stop leaves the filter: only Tegra410 PCIe resets it.
	(void)engine::stop(b.pmu, c1);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(1)), 0x5u);
}

KCPP_TEST(cspmu_nvidia, nvlink_and_scf_filters)
{
	{
		Bench b(cfg8, Firmware{}, 0x1040036b, 0);
		KCPP_ASSERT_EQ(nvidia::init(b.pmu, 0), 0);
		KCPP_ASSERT_EQ(b.add({0x0, 0, 0}), 0u);
		KCPP_ASSERT_EQ(b.add({0x1, 0x2, 0}), 1u);
		engine::start(b.pmu, 0);
		engine::start(b.pmu, 1);
		KCPP_EXPECT_EQ(b.reg0(evfiltr(0)), 0x3u);
		KCPP_EXPECT_EQ(b.reg0(evfiltr(1)), 0x2u);
	}
	{
		Bench b(cfg8, Firmware{}, 0x1050036b, 0);
		KCPP_ASSERT_EQ(nvidia::init(b.pmu, 0), 0);
		KCPP_ASSERT_EQ(b.add({0x0, 0x4, 0}), 0u); // port 2 does not exist
		engine::start(b.pmu, 0);
		KCPP_EXPECT_EQ(b.reg0(evfiltr(0)), 0x3u);
	}
	{
		Bench b(cfg8, Firmware{}, 0x1060036b, 0);
		KCPP_ASSERT_EQ(nvidia::init(b.pmu, 0), 0);
		KCPP_ASSERT_EQ(b.add({0x0, 0, 0}), 0u);
		KCPP_ASSERT_EQ(b.add({0x1, 0x4, 0}), 1u);
		KCPP_ASSERT_EQ(b.add({cycles_event, 0x8, 0}), 7u);
		engine::start(b.pmu, 0);
		engine::start(b.pmu, 1);
		engine::start(b.pmu, 7);
		KCPP_EXPECT_EQ(b.reg0(evfiltr(0)), 0xfu);
		KCPP_EXPECT_EQ(b.reg0(evfiltr(1)), 0x4u);
		KCPP_EXPECT_EQ(b.reg0(ccfiltr), 0x8u);
	}
	{
		// SCF has no filter: PMEVFILTR and PMCCFILTR get 0.
		Bench b(cfg8, Firmware{}, 0x2cf0036b, 0);
		KCPP_ASSERT_EQ(nvidia::init(b.pmu, 0), 0);
		b.set0(evfiltr(0), sentinel);
		b.set0(evfilt2r(0), sentinel);
		b.set0(ccfiltr, sentinel);
		KCPP_ASSERT_EQ(b.add({0xf0, 0xff, 0}), 0u);
		KCPP_ASSERT_EQ(b.add({cycles_event, 0xff, 0}), 7u);
		engine::start(b.pmu, 0);
		engine::start(b.pmu, 7);
		KCPP_EXPECT_EQ(b.reg0(evtyper(0)), 0xf0u);
		KCPP_EXPECT_EQ(b.reg0(evfiltr(0)), 0u);
		KCPP_EXPECT_EQ(b.reg0(evfilt2r(0)), sentinel);
		KCPP_EXPECT_EQ(b.reg0(ccfiltr), 0u);
	}
}

KCPP_TEST(cspmu_nvidia, ucf_filters)
{
	Bench b(cfg8, Firmware{}, 0x2cf2036b, 0);
	KCPP_ASSERT_EQ(nvidia::init(b.pmu, 0), 0);
	b.set0(evfilt2r(0), sentinel);
	const struct {
		u64 config1;
		u32 filter;
	} cases[] = {
		{0x0, 0xf07},	// all sources, all destinations
		{0x2, 0xf02},	// CPU sources, destinations default
		{0x100, 0x107}, // local CMEM, sources default
		{0x905, 0x905}, // both given
		{0xf8, 0xf07},	// reserved bits only: as nothing given
	};
	u32 i = 0;
	for (const auto &c : cases) {
		KCPP_ASSERT_EQ(b.add({0x111, c.config1, 0}), i);
		engine::start(b.pmu, i);
		KCPP_EXPECT_EQ(b.reg0(evfiltr(i)), c.filter);
		i++;
	}
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(0)), sentinel);
	// The cycle counter takes config1 as it is (as upstream does).
	KCPP_ASSERT_EQ(b.add({cycles_event, 0x2, 0}), 7u);
	engine::start(b.pmu, 7);
	KCPP_EXPECT_EQ(b.reg0(ccfiltr), 0x2u);
	engine::remove(b.pmu, 7);
	KCPP_ASSERT_EQ(b.add({cycles_event, 0, 0}), 7u);
	engine::start(b.pmu, 7);
	KCPP_EXPECT_EQ(b.reg0(ccfiltr), 0xf07u);
}

KCPP_TEST(cspmu_nvidia, pcie_v2_filters)
{
	Bench b(cfg8, firmware_with_instance(0), 0x1030136b, 0);
	KCPP_ASSERT_EQ(nvidia::init(b.pmu, 0), 0);
	constexpr u64 bdf = nvidia::pcie_v2::Filter::src_bdf_en_mask | (0x0108u << 8);

	// Defaults: every root port, every destination.
	KCPP_ASSERT_EQ(b.add({0x0, 0, 0}), 0u);
	engine::start(b.pmu, 0);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(0)), 0xffu);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(0)), 0x1fu);
	// Explicit ports and destinations; filter2 bits beyond dst_rem dropped.
	KCPP_ASSERT_EQ(b.add({0x1, 0x3, 0x24}), 1u);
	engine::start(b.pmu, 1);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(1)), 0x3u);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(1)), 0x4u);
	// Stop clears both.
	(void)engine::stop(b.pmu, 1);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(1)), 0u);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(1)), 0u);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(0)), 0xffu);
	(void)engine::stop(b.pmu, 0);
	engine::remove(b.pmu, 0);
	engine::remove(b.pmu, 1);

	// A BDF group: the leader's BDF, and a sibling that gives no filter
	// takes it too.
	KCPP_ASSERT_EQ(b.add({0x2, bdf, 0}, {0x2, bdf, 0}), 0u);
	KCPP_ASSERT_EQ(b.add({0x3, 0, 0x1}, {0x2, bdf, 0}), 1u);
	engine::start(b.pmu, 0);
	engine::start(b.pmu, 1);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(0)), u32(bdf));
	KCPP_EXPECT_EQ(b.reg0(evfiltr(1)), u32(bdf));
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(1)), 0x1u);
	KCPP_EXPECT_EQ(nvidia::pcie_v2::bdf_val_en(u32(bdf)), 0x10108u);

	// The cycle counter: config1 under the filter mask.
	KCPP_ASSERT_EQ(b.add({cycles_event, 0, 0}, {0x2, bdf, 0}), 7u);
	engine::start(b.pmu, 7);
	KCPP_EXPECT_EQ(b.reg0(ccfiltr), 0xffu);
	// Stopping it resets no event counter's filters, neither those of
	// its logical index nor those at its physical one.
	b.set0(evfiltr(7), sentinel);
	b.set0(evfilt2r(7), sentinel);
	b.set0(evfiltr(31), sentinel);
	b.set0(evfilt2r(31), sentinel);
	(void)engine::stop(b.pmu, 7);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(7)), sentinel);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(7)), sentinel);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(31)), sentinel);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(31)), sentinel);
	KCPP_EXPECT_EQ(b.reg0(ccfiltr), 0xffu);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(0)), u32(bdf));
}

KCPP_TEST(cspmu_nvidia, pcie_v2_validate)
{
	Bench b(cfg8, firmware_with_instance(0), 0x1030136b, 0);
	KCPP_ASSERT_EQ(nvidia::init(b.pmu, 0), 0);
	constexpr u64 bdf_a = nvidia::pcie_v2::Filter::src_bdf_en_mask | (0x0108u << 8);
	constexpr u64 bdf_b = nvidia::pcie_v2::Filter::src_bdf_en_mask | (0x0210u << 8);
	auto add = [&](EventConfig c, EventConfig leader) { return b.add_code(c, leader); };
	// Root ports and a BDF at once.
	KCPP_EXPECT_EQ(add({0x0, bdf_a | 0x1, 0}, {0x0, bdf_a | 0x1, 0}), -EINVAL);
	// A BDF that is not the leader's; a BDF under a leader without one; no
	// BDF under a leader with one but ports of its own.
	KCPP_EXPECT_EQ(add({0x0, bdf_a, 0}, {0x0, bdf_b, 0}), -EINVAL);
	KCPP_EXPECT_EQ(add({0x0, bdf_a, 0}, {0x0, 0x1, 0}), -EINVAL);
	KCPP_EXPECT_EQ(add({0x0, 0x1, 0}, {0x0, bdf_a, 0}), -EINVAL);
	KCPP_EXPECT_FALSE(b.pmu.used_.any_below(8));
	// The cycle event is not filtered by BDF.
	KCPP_EXPECT_EQ(add({cycles_event, bdf_a | 0x1, 0}, {0x0, bdf_b, 0}), 0);
	engine::remove(b.pmu, 7);

	// With a BDF group counting, another group must use the same BDF.
	KCPP_EXPECT_EQ(add({0x0, bdf_a, 0}, {0x0, bdf_a, 0}), 0);
	KCPP_EXPECT_EQ(add({0x1, bdf_b, 0}, {0x1, bdf_b, 0}), -EINVAL);
	KCPP_EXPECT_EQ(add({0x1, 0x3, 0}, {0x1, 0x3, 0}), -EINVAL);
	KCPP_EXPECT_EQ(add({0x1, 0, 0}, {0x1, 0, 0}), -EINVAL);
	KCPP_EXPECT_EQ(add({0x1, bdf_a, 0}, {0x1, bdf_a, 0}), 0);
	KCPP_EXPECT_EQ(add({0x2, 0, 0}, {0x1, bdf_a, 0}), 0);
	engine::remove(b.pmu, 0);
	engine::remove(b.pmu, 1);
	engine::remove(b.pmu, 2);

	// With a port group counting, BDF groups wait.
	KCPP_EXPECT_EQ(add({0x0, 0x3, 0}, {0x0, 0x3, 0}), 0);
	KCPP_EXPECT_EQ(add({0x1, 0x4, 0}, {0x1, 0x4, 0}), 0);
	KCPP_EXPECT_EQ(add({0x1, bdf_a, 0}, {0x1, bdf_a, 0}), -EINVAL);

	// A group check follows the same rules, against its first member.
	engine::GroupCheck group(b.pmu);
	Slot lead{{0x0, bdf_a, 0}, {0x0, bdf_a, 0}, nullptr, 0};
	Slot sibling{{0x1, 0, 0}, {0x0, bdf_a, 0}, nullptr, 0};
	Slot ports{{0x1, 0x2, 0}, {0x0, bdf_a, 0}, nullptr, 0};
	KCPP_EXPECT_EQ(group.add(lead), 0);
	KCPP_EXPECT_EQ(group.add(sibling), 0);
	KCPP_EXPECT_EQ(group.add(ports), -EINVAL);

	// A cycle event is never the member the others are checked against.
	engine::GroupCheck cycle_first(b.pmu);
	Slot cycles{{cycles_event, 0, 0}, {0x0, bdf_b, 0}, nullptr, 0};
	KCPP_EXPECT_EQ(cycle_first.add(cycles), 0);
	KCPP_EXPECT_EQ(cycle_first.add(lead), 0);
	KCPP_EXPECT_EQ(cycle_first.add(sibling), 0);
}

KCPP_TEST(cspmu_nvidia, pcie_tgt_events_and_filters)
{
	Bench b(cfg8, firmware_with_instance(1), 0x1070036b, 0);
	KCPP_ASSERT_EQ(nvidia::init(b.pmu, 0), 0);
	b.set0(evfiltr(0), sentinel);
	b.set0(evfiltr(1), sentinel);
	b.set0(ccfiltr, sentinel);
	// rd_req on root ports 0 and 2.
	KCPP_ASSERT_EQ(b.add({0x2 | (0x5 << 3), 0, 0}), 0u);
	engine::start(b.pmu, 0);
	KCPP_EXPECT_EQ(b.reg0(evtyper(0)), 0x2u);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(0)), 0x5u);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(0)), sentinel);
	// wr_bytes on every port.
	KCPP_ASSERT_EQ(b.add({0x1, 0, 0}), 1u);
	engine::start(b.pmu, 1);
	KCPP_EXPECT_EQ(b.reg0(evtyper(1)), 0x1u);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(1)), 0xffu);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(1)), sentinel);
	// Event type 4 is the cycle counter's, whatever the port bits.
	KCPP_EXPECT_TRUE(engine::is_cycle_event(b.pmu, {0x4 | (0x3 << 3), 0, 0}));
	KCPP_EXPECT_FALSE(engine::is_cycle_event(b.pmu, {cycles_event, 0, 0}));
	KCPP_ASSERT_EQ(b.add({0x4, 0, 0}), 7u);
	engine::start(b.pmu, 7);
	KCPP_EXPECT_EQ(b.reg0(ccfiltr), 0u);
	KCPP_EXPECT_EQ(b.reg0(evtyper(7)), 0u);
	KCPP_EXPECT_EQ(b.reg0(cntenset(0)), 0x80000000u);
	// Without the address-filter frame, address filtering is refused.
	KCPP_EXPECT_EQ(code(engine::add(b.pmu, {0x1 | (1u << 11), 0x1000, 0xfff},
					{0x1 | (1u << 11), 0x1000, 0xfff}, nullptr)),
		       -EOPNOTSUPP);
	KCPP_EXPECT_FALSE(b.pmu.used_.test(2));
	// Stop leaves PMEVFILT2R.
	(void)engine::stop(b.pmu, 0);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(0)), 0x5u);
}

namespace {
constinit u32 address_filter_reports = 0;
void count_address_filter_report(const Pmu &, u64, u64)
{
	address_filter_reports++;
}
} // namespace

KCPP_TEST(cspmu_nvidia, pcie_tgt_address_filters)
{
	namespace tgt = nvidia::pcie_tgt;
	Bench b(cfg8, firmware_with_instance(1), 0x1070036b, 0);
	KCPP_ASSERT_EQ(nvidia::init(b.pmu, 0), 0);
	tgt::AddressFilters filters(regfile.page[2], count_address_filter_report);
	b.pmu.set_backend_state(&filters);
	address_filter_reports = 0;
	auto frame = [](u32 filter, u32 reg) { return *Bench::at32(2, reg + filter * 20); };
	constexpr u64 addr_en = u64(1) << 11;
	constexpr u64 base_a = 0x123456789000, mask_a = 0xfffffffff000;

	// Range A on root ports 0 and 1: filter 0, selected by PMEVFILT2R[8].
	KCPP_ASSERT_EQ(b.add({0x0 | addr_en | (0x3 << 3), base_a, mask_a}), 0u);
	engine::start(b.pmu, 0);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(0)), 0x103u);
	KCPP_EXPECT_EQ(frame(0, tgt::addr_ctrl), 1u);
	KCPP_EXPECT_EQ(frame(0, tgt::addr_base_lo), 0x56789000u);
	KCPP_EXPECT_EQ(frame(0, tgt::addr_base_hi), 0x1234u);
	KCPP_EXPECT_EQ(frame(0, tgt::addr_mask_lo), 0xfffff000u);
	KCPP_EXPECT_EQ(frame(0, tgt::addr_mask_hi), 0xffffu);
	// The same range on another counter shares filter 0; with no ports
	// selected, the address filter alone applies.
	KCPP_ASSERT_EQ(b.add({0x1 | addr_en, base_a, mask_a}), 1u);
	engine::start(b.pmu, 1);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(1)), 0x100u);
	KCPP_EXPECT_EQ(filters.users(0), 2u);
	// Another range takes filter 1.
	KCPP_ASSERT_EQ(b.add({0x2 | addr_en, 0x4000, 0xf000}), 2u);
	engine::start(b.pmu, 2);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(2)), 0x200u);
	KCPP_EXPECT_EQ(frame(1, tgt::addr_ctrl), 1u);
	KCPP_EXPECT_EQ(frame(1, tgt::addr_base_lo), 0x4000u);
	KCPP_EXPECT_EQ(frame(1, tgt::addr_mask_lo), 0xf000u);

	// A filter stays while a counter uses it; the last user clears it.
	(void)engine::stop(b.pmu, 0);
	KCPP_EXPECT_EQ(frame(0, tgt::addr_ctrl), 1u);
	KCPP_EXPECT_EQ(filters.users(0), 1u);
	(void)engine::stop(b.pmu, 1);
	KCPP_EXPECT_EQ(frame(0, tgt::addr_ctrl), 0u);
	KCPP_EXPECT_EQ(frame(0, tgt::addr_base_lo), 0u);
	KCPP_EXPECT_EQ(frame(0, tgt::addr_base_hi), 0u);
	KCPP_EXPECT_EQ(frame(0, tgt::addr_mask_hi), 0u);
	// Stopped counters without an address filter release nothing.
	KCPP_ASSERT_EQ(b.add({0x3, 0, 0}), 3u);
	engine::start(b.pmu, 3);
	(void)engine::stop(b.pmu, 3);
	KCPP_EXPECT_EQ(filters.users(1), 1u);

	// Seven more ranges (on other counters) fill every filter: an event
	// with a ninth is refused, one with a range in use is not.
	for (u32 i = 0; i < 7; i++)
		KCPP_EXPECT_EQ(filters.get(b.pmu, 100 + i, 0x10000 * (i + 1), 0xf000),
			       static_cast<int>(i == 0 ? 0 : i + 1));
	KCPP_EXPECT_EQ(filters.find(0x999000, 0xf000), -ENOSPC);
	KCPP_EXPECT_EQ(code(engine::add(b.pmu, {0x1 | addr_en, 0x999000, 0xf000},
					{0x1 | addr_en, 0x999000, 0xf000}, nullptr)),
		       -EINVAL);
	KCPP_EXPECT_EQ(filters.find(0x4000, 0xf000), 1);
	// Started anyway (the filters filled up after event_init), a counter
	// counts nothing and the failure is reported.
	Slot late{{0x1 | addr_en | (0x1 << 3), 0x999000, 0xf000}, {}, nullptr, 0};
	nvidia::pcie_tgt_set_ev_filter(b.pmu, {4, 4}, late);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(4)), 0u);
	KCPP_EXPECT_EQ(address_filter_reports, 1u);
	nvidia::pcie_tgt_reset_ev_filter(b.pmu, {4, 4}, late);
	KCPP_EXPECT_EQ(filters.users(1), 1u);
	b.pmu.set_backend_state(nullptr);
}

KCPP_TEST(cspmu_nvidia, generic_filters)
{
	Bench b(cfg8, Firmware{}, 0x7770036b, 0);
	KCPP_ASSERT_EQ(nvidia::init(b.pmu, 5), 0);
	KCPP_EXPECT_TRUE(str_eq(b.pmu.name().c_str(), "nvidia_uncore_pmu_5"));
	KCPP_ASSERT_EQ(b.add({0x10, 0, 0}), 0u);
	KCPP_ASSERT_EQ(b.add({0x11, 0x12345678, 0x9abcdef0}), 1u);
	engine::start(b.pmu, 0);
	engine::start(b.pmu, 1);
	KCPP_EXPECT_EQ(b.reg0(evtyper(0)), 0x10u);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(0)), 0xffffffffu);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(0)), 0xffffffffu);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(1)), 0x12345678u);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(1)), 0x9abcdef0u);
	KCPP_ASSERT_EQ(b.add({cycles_event, 0, 0}), 7u);
	engine::start(b.pmu, 7);
	KCPP_EXPECT_EQ(b.reg0(ccfiltr), 0xffffffffu);
}

// The formats are generated from the field declarations; their text is
// upstream's, to the byte.
KCPP_TEST(cspmu_nvidia, formats_generated_as_upstream_writes_them)
{
	auto check = [&](Table<FormatAttr> formats, const char *const(*expected)[2], usize n) {
		KCPP_EXPECT_EQ(formats.size(), n);
		for (usize i = 0; i < n && i < formats.size(); i++) {
			KCPP_EXPECT_TRUE(str_eq(formats[i].name, expected[i][0]));
			KCPP_EXPECT_TRUE(str_eq(formats[i].spec, expected[i][1]));
		}
	};
	const char *scf[][2] = {{"event", "config:0-32"}};
	const char *pcie[][2] = {{"event", "config:0-32"}, {"root_port", "config1:0-9"}};
	const char *c2c[][2] = {{"event", "config:0-32"}, {"port", "config1:0-1"}};
	const char *cnvlink[][2] = {{"event", "config:0-32"}, {"rem_socket", "config1:0-3"}};
	const char *ucf[][2] = {
		{"event", "config:0-32"},	 {"src_loc_noncpu", "config1:0"},
		{"src_loc_cpu", "config1:1"},	 {"src_rem", "config1:2"},
		{"dst_loc_cmem", "config1:8"},	 {"dst_loc_gmem", "config1:9"},
		{"dst_loc_other", "config1:10"}, {"dst_rem", "config1:11"},
	};
	const char *pcie_v2[][2] = {
		{"event", "config:0-32"},	    {"src_rp_mask", "config1:0-7"},
		{"src_bdf", "config1:8-23"},	    {"src_bdf_en", "config1:24"},
		{"dst_loc_cmem", "config2:0"},	    {"dst_loc_gmem", "config2:1"},
		{"dst_loc_pcie_p2p", "config2:2"}, {"dst_loc_pcie_cxl", "config2:3"},
		{"dst_rem", "config2:4"},
	};
	const char *pcie_tgt[][2] = {
		{"event", "config:0-2"},	     {"dst_rp_mask", "config:3-10"},
		{"dst_addr_en", "config:11"},	     {"dst_addr_base", "config1:0-63"},
		{"dst_addr_mask", "config2:0-63"},
	};
	const char *generic[][2] = {
		{"event", "config:0-32"}, {"filter", "config1:0-31"}, {"filter2", "config2:0-31"}};
	check(nvidia::scf_formats, scf, 1);
	check(nvidia::pcie_formats, pcie, 2);
	check(nvidia::nvlink_c2c_formats, c2c, 2);
	check(nvidia::cnvlink_formats, cnvlink, 2);
	check(nvidia::ucf_formats, ucf, 8);
	check(nvidia::pcie_v2_formats, pcie_v2, 9);
	check(nvidia::pcie_tgt_formats, pcie_tgt, 5);
	check(nvidia::generic_formats, generic, 3);
}
