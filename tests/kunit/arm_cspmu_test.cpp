// SPDX-License-Identifier: GPL-2.0
// Tests of arm_cspmu's pure code: what PMCFGR says about the counters, the
// identity rebuilt from PMPIDR, counter allocation, the config masks the
// formats name, the counter engine on a register file in memory, and the
// NVIDIA and Ampere backends' names and filter registers. Built as the
// KUnit suite armature_cspmu (arm_cspmu_test_glue.c) and as host tests.
//
// The register file is plain memory: a Pmu's pages point into a static
// buffer (kept off the KUnit stack), and kcpp::Mmio's readl()/writel()
// work on RAM. One Bench exists at a time; each clears the buffer.
#include <kcpp_test.hpp>

#include "ampere.hpp"
#include "arch.hpp"
#include "engine.hpp"
#include "nvidia.hpp"
#include "pmu.hpp"

using namespace armature::cspmu;

namespace {

constexpr u32 make_pmcfgr(u32 counters, u32 width, bool cc)
{
	return PMCFGR::Get().set_n(counters - 1).set_size(width - 1).set_cc(cc).reg_value();
}

template <typename T>
int code(const kcpp::Result<T> &r)
{
	return r ? 0 : r.error().code();
}

// A count from update() or stop(); all ones when it failed.
u64 counted(const kcpp::Result<u64> &r)
{
	return r.value_or(~0ull);
}

bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

// Register offsets the tests look at (page 0 unless said).
constexpr u32 evtyper(u32 n) { return 0x400 + 4 * n; }
constexpr u32 evfiltr(u32 n) { return 0xa00 + 4 * n; }
constexpr u32 evfilt2r(u32 n) { return 0x800 + 4 * n; }
constexpr u32 cntenset(u32 n) { return 0xc00 + 4 * n; }
constexpr u32 cntenclr(u32 n) { return 0xc20 + 4 * n; }
constexpr u32 intenset(u32 n) { return 0xc40 + 4 * n; }
constexpr u32 intenclr(u32 n) { return 0xc60 + 4 * n; }
constexpr u32 ovsclr(u32 n) { return 0xc80 + 4 * n; } // page 1
constexpr u32 ccfiltr = 0x47c;
constexpr u32 pmcr = 0xe04;
constexpr u32 pmauxr0 = 0xd80, pmauxr1 = 0xd84, pmauxr2 = 0xd88;
constexpr u32 sentinel = 0x5a5a5a5a;

constexpr Ops baseline_ops = {
	.events = baseline_events,
	.formats = baseline_formats,
};

// Pages 0 and 1 of a PMU, and a frame of a backend's own registers.
struct RegisterFile {
	alignas(8) u8 page[3][page_size];
};

constinit RegisterFile regfile = {};
constinit Slot slot_storage[max_counters] = {};

Geometry geometry(u32 pmcfgr)
{
	const char *why = nullptr;
	auto geo = Geometry::from_pmcfgr(pmcfgr, &why);
	// A test's own PMCFGR is valid; each test checks the geometry it got.
	return geo ? geo.value() : Geometry::from_pmcfgr(make_pmcfgr(1, 32, false), &why).value();
}

volatile void *cleared_page0()
{
	for (auto &page : regfile.page)
		for (u8 &byte : page)
			*static_cast<volatile u8 *>(&byte) = 0;
	for (Slot &slot : slot_storage)
		slot = {};
	return regfile.page[0];
}

Firmware firmware_with_instance(u32 id)
{
	Firmware fw{};
	fw.has_instance_id = true;
	fw.instance_id = id;
	return fw;
}

// A PMU on the register file: dual page, baseline ops.
struct Bench {
	explicit Bench(u32 pmcfgr, const Firmware &fw = {}, u32 pmiidr = 0, int node = 0)
		: pmu(nullptr, cleared_page0(), regfile.page[1], geometry(pmcfgr), pmiidr, fw, node)
	{
		pmu.slots_ = slot_storage;
		pmu.set_ops(&baseline_ops);
	}

	static volatile u32 *at32(int page, u32 offset)
	{
		return reinterpret_cast<volatile u32 *>(&regfile.page[page][offset]);
	}
	static volatile u64 *at64(int page, u32 offset)
	{
		return reinterpret_cast<volatile u64 *>(&regfile.page[page][offset]);
	}
	u32 reg0(u32 offset) const { return *at32(0, offset); }
	u32 reg1(u32 offset) const { return *at32(1, offset); }
	u64 reg1q(u32 offset) const { return *at64(1, offset); }
	void set0(u32 offset, u32 value) { *at32(0, offset) = value; }
	void set1(u32 offset, u32 value) { *at32(1, offset) = value; }
	void set1q(u32 offset, u64 value) { *at64(1, offset) = value; }

	// The event's counter, or no_counter when add() refuses it. Out of
	// line: engine::add() is always inlined, and a copy at each use in a
	// test would make its frame too large under KASAN.
	[[gnu::noinline]] u32 add(const EventConfig &config, const EventConfig &leader,
				  void *event = nullptr)
	{
		auto logical = engine::add(pmu, config, leader, event);
		return logical ? logical.value() : no_counter;
	}
	// The same, for a test of why: 0 or the errno.
	[[gnu::noinline]] int add_code(const EventConfig &config, const EventConfig &leader)
	{
		return code(engine::add(pmu, config, leader, nullptr));
	}
	u32 add(const EventConfig &config, void *event = nullptr) { return add(config, config, event); }

	Pmu pmu;
};

// A PMU the way the backend tests use it: 8 32-bit counters and the cycle
// counter (logical 7, physical 31), on NUMA node 1, instance 3.
constexpr u32 cfg8 = make_pmcfgr(8, 32, true);

} // namespace

// --- PMCFGR ----------------------------------------------------------------

KCPP_TEST(cspmu_arch, pmcfgr_few_counters_and_the_cycle_counter)
{
	const char *why = nullptr;
	auto geo = Geometry::from_pmcfgr(make_pmcfgr(8, 32, true), &why);
	KCPP_ASSERT_EQ(code(geo), 0);
	const Geometry &g = geo.value();
	KCPP_EXPECT_EQ(g.pmcfgr(), 0x5f07u);
	KCPP_EXPECT_EQ(g.logical_counters(), 8u);
	KCPP_EXPECT_EQ(g.width(), 32u);
	KCPP_EXPECT_TRUE(g.has_cycle_counter());
	KCPP_EXPECT_FALSE(g.wide());
	KCPP_EXPECT_EQ(g.counter_mask(), 0xffffffffull);
	// The last logical counter is the cycle counter, physical 31.
	KCPP_EXPECT_EQ(g.cycle_logical(), 7u);
	KCPP_EXPECT_EQ(g.to_physical(7), 31u);
	KCPP_EXPECT_EQ(g.to_physical(6), 6u);
	KCPP_EXPECT_EQ(g.to_physical(0), 0u);
	// And back: physical 7 and those past the last are no counter.
	KCPP_EXPECT_EQ(g.to_logical(31), 7u);
	KCPP_EXPECT_EQ(g.to_logical(6), 6u);
	KCPP_EXPECT_EQ(g.to_logical(0), 0u);
	KCPP_EXPECT_EQ(g.to_logical(7), no_counter);
	KCPP_EXPECT_EQ(g.to_logical(8), no_counter);
	KCPP_EXPECT_EQ(g.to_logical(30), no_counter);
	KCPP_EXPECT_EQ(g.set_clr_registers(), 1u);
	KCPP_EXPECT_EQ(g.counter_offset(31), 0x7cu);
	KCPP_EXPECT_EQ(g.counter_offset(3), 0xcu);

	// 31 counters: still the last one, logical 30.
	auto g31 = Geometry::from_pmcfgr(make_pmcfgr(31, 32, true), &why);
	KCPP_ASSERT_EQ(code(g31), 0);
	KCPP_EXPECT_EQ(g31.value().cycle_logical(), 30u);
	KCPP_EXPECT_EQ(g31.value().to_physical(30), 31u);
	KCPP_EXPECT_EQ(g31.value().set_clr_registers(), 1u);

	// 32 counters: logical 31 is physical 31.
	auto g32 = Geometry::from_pmcfgr(make_pmcfgr(32, 32, true), &why);
	KCPP_ASSERT_EQ(code(g32), 0);
	KCPP_EXPECT_EQ(g32.value().cycle_logical(), 31u);
	KCPP_EXPECT_EQ(g32.value().to_physical(31), 31u);
	KCPP_EXPECT_EQ(g32.value().set_clr_registers(), 1u);

	// One counter, the cycle counter.
	auto g1 = Geometry::from_pmcfgr(make_pmcfgr(1, 32, true), &why);
	KCPP_ASSERT_EQ(code(g1), 0);
	KCPP_EXPECT_EQ(g1.value().cycle_logical(), 0u);
	KCPP_EXPECT_EQ(g1.value().to_physical(0), 31u);
}

KCPP_TEST(cspmu_arch, pmcfgr_many_and_wide_counters)
{
	const char *why = nullptr;
	auto geo = Geometry::from_pmcfgr(make_pmcfgr(40, 64, true), &why);
	KCPP_ASSERT_EQ(code(geo), 0);
	const Geometry &g = geo.value();
	KCPP_EXPECT_EQ(g.logical_counters(), 40u);
	KCPP_EXPECT_EQ(g.width(), 64u);
	KCPP_EXPECT_TRUE(g.wide());
	KCPP_EXPECT_EQ(g.counter_mask(), ~0ull);
	KCPP_EXPECT_EQ(g.cycle_logical(), 31u);
	KCPP_EXPECT_EQ(g.to_physical(31), 31u);
	KCPP_EXPECT_EQ(g.to_physical(32), 32u);
	KCPP_EXPECT_EQ(g.to_physical(39), 39u);
	KCPP_EXPECT_EQ(g.to_logical(31), 31u);
	KCPP_EXPECT_EQ(g.to_logical(39), 39u);
	KCPP_EXPECT_EQ(g.to_logical(40), no_counter);
	KCPP_EXPECT_EQ(g.set_clr_registers(), 2u);
	KCPP_EXPECT_EQ(g.counter_offset(5), 40u);
	KCPP_EXPECT_EQ(g.counter_offset(31), 0xf8u);

	auto g48 = Geometry::from_pmcfgr(make_pmcfgr(4, 48, false), &why);
	KCPP_ASSERT_EQ(code(g48), 0);
	KCPP_EXPECT_EQ(g48.value().counter_mask(), 0xffffffffffffull);
	KCPP_EXPECT_TRUE(g48.value().wide());
	KCPP_EXPECT_FALSE(g48.value().has_cycle_counter());
	KCPP_EXPECT_EQ(g48.value().cycle_logical(), no_counter);
	KCPP_EXPECT_EQ(g48.value().to_physical(3), 3u);

	// Without a cycle counter, logical 31 is an event counter like any.
	auto g33 = Geometry::from_pmcfgr(make_pmcfgr(33, 32, false), &why);
	KCPP_ASSERT_EQ(code(g33), 0);
	KCPP_EXPECT_EQ(g33.value().cycle_logical(), no_counter);
	KCPP_EXPECT_EQ(g33.value().to_physical(31), 31u);
	KCPP_EXPECT_EQ(g33.value().set_clr_registers(), 2u);

	// 256 32-bit counters: the most there can be.
	auto g256 = Geometry::from_pmcfgr(make_pmcfgr(256, 32, true), &why);
	KCPP_ASSERT_EQ(code(g256), 0);
	KCPP_EXPECT_EQ(g256.value().logical_counters(), 256u);
	KCPP_EXPECT_EQ(g256.value().set_clr_registers(), 8u);
	KCPP_EXPECT_EQ(g256.value().counter_offset(255), 0x3fcu);
	KCPP_EXPECT_EQ(g256.value().cycle_logical(), 31u);

	// 128 64-bit counters fill the counter space exactly.
	auto g128 = Geometry::from_pmcfgr(make_pmcfgr(128, 64, false), &why);
	KCPP_ASSERT_EQ(code(g128), 0);
	KCPP_EXPECT_EQ(g128.value().counter_offset(127), 0x3f8u);
	KCPP_EXPECT_EQ(g128.value().set_clr_registers(), 4u);
}

KCPP_TEST(cspmu_arch, pmcfgr_refused)
{
	const char *why = nullptr;
	KCPP_EXPECT_EQ(code(Geometry::from_pmcfgr(0, &why)), -ENODEV);
	KCPP_EXPECT_TRUE(why != nullptr);
	why = nullptr;
	KCPP_EXPECT_EQ(code(Geometry::from_pmcfgr(~0u, &why)), -ENODEV);
	KCPP_EXPECT_TRUE(why != nullptr);
	why = nullptr;
	KCPP_EXPECT_EQ(code(Geometry::from_pmcfgr(make_pmcfgr(8, 31, true), &why)), -EINVAL);
	KCPP_EXPECT_TRUE(why != nullptr);
	why = nullptr;
	KCPP_EXPECT_EQ(code(Geometry::from_pmcfgr(make_pmcfgr(8, 1, false), &why)), -EINVAL);
	KCPP_EXPECT_TRUE(why != nullptr);
	why = nullptr;
	KCPP_EXPECT_EQ(code(Geometry::from_pmcfgr(make_pmcfgr(129, 64, true), &why)), -EINVAL);
	KCPP_EXPECT_TRUE(why != nullptr);
	KCPP_EXPECT_EQ(code(Geometry::from_pmcfgr(make_pmcfgr(256, 33, false), &why)), -EINVAL);
	// The same numbers of 32-bit counters are fine.
	KCPP_EXPECT_EQ(code(Geometry::from_pmcfgr(make_pmcfgr(129, 32, true), &why)), 0);
	KCPP_EXPECT_EQ(code(Geometry::from_pmcfgr(make_pmcfgr(256, 32, false), &why)), 0);
}

// --- PMIIDR from PMPIDR ------------------------------------------------------

namespace {

struct PidrWords {
	u32 w[5];
};

// PMPIDR0..4 for a PMIIDR, as tools/qemu/cspmu-fixture's pidr_words()
// builds them (with PMPIDR2.JEDEC set, as real components have it).
constexpr PidrWords pidr_words(u32 pmiidr)
{
	u32 product = pmiidr >> 20, variant = (pmiidr >> 16) & 0xf;
	u32 revision = (pmiidr >> 12) & 0xf, impl = pmiidr & 0xfff;
	return {{product & 0xff, (impl & 0xf) << 4 | product >> 8,
		 variant << 4 | 1 << 3 | ((impl >> 4) & 0x7), revision << 4, impl >> 8}};
}

} // namespace

KCPP_TEST(cspmu_arch, pmiidr_from_pmpidr_round_trip)
{
	const u32 identities[] = {
		0x2cf0036b, // NVIDIA SCF
		0x1030136b, // NVIDIA Tegra410 PCIe: revision 1
		0x2cf2036b, // NVIDIA UCF: variant 2
		0x00000a16, // Ampere
		0x12345a16, // Ampere, every field nonzero
		0x4350043b, // Arm
		0xfffff43b, // Arm, every other field all ones
	};
	for (u32 id : identities) {
		PidrWords p = pidr_words(id);
		u32 got = pmiidr_from_pmpidr(p.w[0], p.w[1], p.w[2], p.w[3], p.w[4]);
		KCPP_EXPECT_EQ(got, id);
		auto want = PMIIDR::FromValue(id), have = PMIIDR::FromValue(got);
		KCPP_EXPECT_EQ(have.product_id(), want.product_id());
		KCPP_EXPECT_EQ(have.variant(), want.variant());
		KCPP_EXPECT_EQ(have.revision(), want.revision());
		KCPP_EXPECT_EQ(have.implementer(), want.implementer());
	}
	// Field by field, for NVIDIA's SCF.
	PidrWords p = pidr_words(0x2cf0036b);
	auto iidr = PMIIDR::FromValue(pmiidr_from_pmpidr(p.w[0], p.w[1], p.w[2], p.w[3], p.w[4]));
	KCPP_EXPECT_EQ(iidr.product_id(), 0x2cfu);
	KCPP_EXPECT_EQ(iidr.variant(), 0u);
	KCPP_EXPECT_EQ(iidr.revision(), 0u);
	KCPP_EXPECT_EQ(iidr.implementer(), implementer_nvidia);
	p = pidr_words(0x12345a16);
	iidr = PMIIDR::FromValue(pmiidr_from_pmpidr(p.w[0], p.w[1], p.w[2], p.w[3], p.w[4]));
	KCPP_EXPECT_EQ(iidr.product_id(), 0x123u);
	KCPP_EXPECT_EQ(iidr.variant(), 4u);
	KCPP_EXPECT_EQ(iidr.revision(), 5u);
	KCPP_EXPECT_EQ(iidr.implementer(), implementer_ampere);
	p = pidr_words(0x4350043b);
	iidr = PMIIDR::FromValue(pmiidr_from_pmpidr(p.w[0], p.w[1], p.w[2], p.w[3], p.w[4]));
	KCPP_EXPECT_EQ(iidr.product_id(), 0x435u);
	KCPP_EXPECT_EQ(iidr.implementer(), implementer_arm);
	// The JEDEC bit and PMPIDR4.SIZE are not part of the identity.
	KCPP_EXPECT_EQ(pmiidr_from_pmpidr(0, 0, 1 << 3, 0, 0xf0), 0u);
}

// --- Counter allocation ------------------------------------------------------

KCPP_TEST(cspmu_arch, allocate_cycle_and_event_counters)
{
	Geometry g = geometry(make_pmcfgr(4, 32, true));
	KCPP_ASSERT_EQ(g.cycle_logical(), 3u);
	CounterSet used;
	auto cycle = allocate_counter(g, used, true);
	KCPP_ASSERT_EQ(code(cycle), 0);
	KCPP_EXPECT_EQ(cycle.value(), 3u);
	KCPP_EXPECT_EQ(code(allocate_counter(g, used, true)), -EAGAIN);
	for (u32 want = 0; want < 3; want++) {
		auto idx = allocate_counter(g, used, false);
		KCPP_ASSERT_EQ(code(idx), 0);
		KCPP_EXPECT_EQ(idx.value(), want);
	}
	KCPP_EXPECT_EQ(code(allocate_counter(g, used, false)), -EAGAIN);
	// Event counters never take the cycle counter, even when it is free.
	used.clear(3);
	KCPP_EXPECT_EQ(code(allocate_counter(g, used, false)), -EAGAIN);
	KCPP_EXPECT_FALSE(used.test(3));
	used.clear(1);
	auto again = allocate_counter(g, used, false);
	KCPP_ASSERT_EQ(code(again), 0);
	KCPP_EXPECT_EQ(again.value(), 1u);
}

KCPP_TEST(cspmu_arch, allocate_skips_the_cycle_counter_index)
{
	Geometry g = geometry(make_pmcfgr(40, 32, true));
	CounterSet used;
	u32 got = 0;
	for (u32 want = 0; want < 40; want++) {
		if (want == 31)
			continue;
		auto idx = allocate_counter(g, used, false);
		KCPP_ASSERT_EQ(code(idx), 0);
		KCPP_EXPECT_EQ(idx.value(), want);
		got++;
	}
	KCPP_EXPECT_EQ(got, 39u);
	KCPP_EXPECT_EQ(code(allocate_counter(g, used, false)), -EAGAIN);
	KCPP_EXPECT_FALSE(used.test(31));
	auto cycle = allocate_counter(g, used, true);
	KCPP_ASSERT_EQ(code(cycle), 0);
	KCPP_EXPECT_EQ(cycle.value(), 31u);
	KCPP_EXPECT_EQ(code(allocate_counter(g, used, true)), -EAGAIN);
}

KCPP_TEST(cspmu_arch, allocate_without_a_cycle_counter)
{
	Geometry g = geometry(make_pmcfgr(33, 32, false));
	CounterSet used;
	// Every counter is an event counter, 31 included.
	for (u32 want = 0; want < 33; want++) {
		auto idx = allocate_counter(g, used, want % 2);
		KCPP_ASSERT_EQ(code(idx), 0);
		KCPP_EXPECT_EQ(idx.value(), want);
	}
	KCPP_EXPECT_EQ(code(allocate_counter(g, used, false)), -EAGAIN);
	KCPP_EXPECT_EQ(code(allocate_counter(g, used, true)), -EAGAIN);
	KCPP_EXPECT_EQ(g.to_logical(31), 31u);
	KCPP_EXPECT_EQ(g.to_logical(32), 32u);
	KCPP_EXPECT_EQ(g.to_logical(33), no_counter);
}

KCPP_TEST(cspmu_arch, counter_set_words)
{
	CounterSet set;
	set.set(0);
	set.set(31);
	set.set(32);
	set.set(255);
	KCPP_EXPECT_EQ(set.word32(0), 0x80000001u);
	KCPP_EXPECT_EQ(set.word32(1), 1u);
	KCPP_EXPECT_EQ(set.word32(7), 0x80000000u);
	KCPP_EXPECT_EQ(set.first_set(1, 256), 31u);
	KCPP_EXPECT_EQ(set.first_clear(31, 256), 33u);
	KCPP_EXPECT_FALSE(set.test(256));
	set.set_word32(1, 0x10);
	KCPP_EXPECT_FALSE(set.test(32));
	KCPP_EXPECT_TRUE(set.test(36));
	KCPP_EXPECT_TRUE(set.test(31)); // the neighbouring half is kept
	KCPP_EXPECT_TRUE(set.any_below(1));
	set.clear(0);
	KCPP_EXPECT_FALSE(set.any_below(31));
	KCPP_EXPECT_TRUE(set.any_below(32));
}

// --- Config masks and names --------------------------------------------------

KCPP_TEST(cspmu_arch, config_masks_from_specs)
{
	ConfigMasks m;
	KCPP_EXPECT_TRUE(m.add_spec("config:0-32"));
	KCPP_EXPECT_EQ(m.word[0], 0x1ffffffffull);
	KCPP_EXPECT_TRUE(m.add_spec("config1:8-23"));
	KCPP_EXPECT_EQ(m.word[1], 0xffff00ull);
	KCPP_EXPECT_TRUE(m.add_spec("config2:0"));
	KCPP_EXPECT_EQ(m.word[2], 1ull);
	KCPP_EXPECT_EQ(m.word[0], 0x1ffffffffull);

	ConfigMasks multi;
	KCPP_EXPECT_TRUE(multi.add_spec("config1:0-3,8-11"));
	KCPP_EXPECT_EQ(multi.word[1], 0xf0full);
	KCPP_EXPECT_EQ(multi.word[0], 0ull);
	KCPP_EXPECT_EQ(multi.word[2], 0ull);

	ConfigMasks edges;
	KCPP_EXPECT_TRUE(edges.add_spec("config:63"));
	KCPP_EXPECT_EQ(edges.word[0], 0x8000000000000000ull);
	KCPP_EXPECT_TRUE(edges.add_spec("config2:0-63"));
	KCPP_EXPECT_EQ(edges.word[2], ~0ull);
	KCPP_EXPECT_TRUE(edges.add_spec("config1:5,7,40-41"));
	KCPP_EXPECT_EQ(edges.word[1], 0x300000000a0ull);
}

KCPP_TEST(cspmu_arch, config_masks_refuse_bad_specs)
{
	const char *bad[] = {
		"config3:0", "config:5-2", "config:64", "foo",	     "",
		"config",    "config:",	   "config:1-", "configX:0", "config1:0--3",
		"config:-1", "con",	   "config:999", "config2:3-64",
	};
	for (const char *spec : bad) {
		ConfigMasks m;
		KCPP_EXPECT_FALSE(m.add_spec(spec));
		// Refused before any range was taken.
		KCPP_EXPECT_EQ(m.word[0], 0ull);
		KCPP_EXPECT_EQ(m.word[1], 0ull);
		KCPP_EXPECT_EQ(m.word[2], 0ull);
	}
	// Refused after a range (the core then fails the probe as a whole).
	const char *trailing[] = {"config:1x", "config:0,", "config1:0-3;8", "config:0-32 ",
				  "config:1-2-3", "config:0,5-"};
	for (const char *spec : trailing) {
		ConfigMasks m;
		KCPP_EXPECT_FALSE(m.add_spec(spec));
	}
}

KCPP_TEST(cspmu_arch, config_masks_cover_only_named_bits)
{
	ConfigMasks m;
	for (const FormatAttr &f : baseline_formats)
		KCPP_ASSERT_TRUE(m.add_spec(f.spec));
	KCPP_EXPECT_TRUE(m.covers({}));
	KCPP_EXPECT_TRUE(m.covers({cycles_event, 0xffffffff, 0xffffffff}));
	KCPP_EXPECT_FALSE(m.covers({u64(1) << 33, 0, 0}));
	KCPP_EXPECT_FALSE(m.covers({0, u64(1) << 32, 0}));
	KCPP_EXPECT_FALSE(m.covers({0, 0, u64(1) << 40}));

	// UCF: bits 3-7 of config1 lie between the source and destination
	// fields and are reserved.
	ConfigMasks ucf;
	for (const FormatAttr &f : nvidia::ucf_formats)
		KCPP_ASSERT_TRUE(ucf.add_spec(f.spec));
	KCPP_EXPECT_EQ(ucf.word[1], 0xf07ull);
	KCPP_EXPECT_TRUE(ucf.covers({0x1d, 0x907, 0}));
	KCPP_EXPECT_FALSE(ucf.covers({0x1d, 0x8, 0}));
	KCPP_EXPECT_FALSE(ucf.covers({0x1d, 0, 1}));

	// Every format of every backend is a valid spec.
	for (const nvidia::Variant &v : nvidia::variants) {
		ConfigMasks vm;
		for (const FormatAttr &f : v.ops.formats)
			KCPP_EXPECT_TRUE(vm.add_spec(f.spec));
	}
	ConfigMasks am;
	for (const FormatAttr &f : ampere::formats)
		KCPP_EXPECT_TRUE(am.add_spec(f.spec));
	KCPP_EXPECT_EQ(am.word[1], 0xffffffffffffffull);
}

KCPP_TEST(cspmu_arch, name_buf)
{
	NameBuf<16> n;
	KCPP_EXPECT_TRUE(n.empty());
	KCPP_EXPECT_TRUE(str_eq(n.c_str(), ""));
	n.append("pmu_").append_uint(0).append("_").append_uint(4095, 16);
	KCPP_EXPECT_TRUE(str_eq(n.c_str(), "pmu_0_fff"));
	KCPP_EXPECT_FALSE(n.empty());
	n.append_uint(1234567890123);
	KCPP_EXPECT_TRUE(str_eq(n.c_str(), "pmu_0_fff123456"));
	n.append("more");
	KCPP_EXPECT_TRUE(str_eq(n.c_str(), "pmu_0_fff123456"));
	n.clear();
	KCPP_EXPECT_TRUE(n.empty());
	n.append_uint(~u64(0));
	KCPP_EXPECT_TRUE(str_eq(n.c_str(), "184467440737095"));
	NameBuf<32> big;
	big.append_uint(~u64(0));
	KCPP_EXPECT_TRUE(str_eq(big.c_str(), "18446744073709551615"));
}

// --- read_hilohi ---------------------------------------------------------------

namespace {

// An Io whose reads return a script (repeating), and that records where it
// was read.
struct ScriptedIo {
	const u32 *script;
	u32 length;
	u32 reads = 0;
	u32 offsets[8] = {};

	template <typename W>
	W read(u32 offset)
	{
		if (reads < 8)
			offsets[reads] = offset;
		return static_cast<W>(script[reads++ % length]);
	}
	template <typename W>
	void write(u32, W) {}
};

} // namespace

KCPP_TEST(cspmu_arch, read_hilohi_stable)
{
	const u32 script[] = {0x12, 0x3456789a, 0x12};
	ScriptedIo io{script, 3};
	auto v = read_hilohi(io, 0x40);
	KCPP_ASSERT_EQ(code(v), 0);
	KCPP_EXPECT_EQ(v.value(), 0x123456789aull);
	KCPP_EXPECT_EQ(io.reads, 3u);
	KCPP_EXPECT_EQ(io.offsets[0], 0x44u);
	KCPP_EXPECT_EQ(io.offsets[1], 0x40u);
	KCPP_EXPECT_EQ(io.offsets[2], 0x44u);
}

KCPP_TEST(cspmu_arch, read_hilohi_retries_a_carry)
{
	// The low half wraps between the reads: hi 1, lo 0xffffffff, hi 2.
	// The retry sees a settled high half.
	const u32 script[] = {1, 0xffffffff, 2, 2, 5, 2};
	ScriptedIo io{script, 6};
	auto v = read_hilohi(io, 0x8);
	KCPP_ASSERT_EQ(code(v), 0);
	KCPP_EXPECT_EQ(v.value(), 0x200000005ull);
	KCPP_EXPECT_EQ(io.reads, 6u);
	KCPP_EXPECT_EQ(io.offsets[3], 0xcu);
	KCPP_EXPECT_EQ(io.offsets[4], 0x8u);
	KCPP_EXPECT_EQ(io.offsets[5], 0xcu);
}

KCPP_TEST(cspmu_arch, read_hilohi_gives_up)
{
	const u32 script[] = {1, 0, 2};
	ScriptedIo io{script, 3};
	KCPP_EXPECT_EQ(code(read_hilohi(io, 0, 7)), -ETIMEDOUT);
	KCPP_EXPECT_EQ(io.reads, 21u);
	ScriptedIo io2{script, 3};
	KCPP_EXPECT_EQ(code(read_hilohi(io2, 0)), -ETIMEDOUT);
	KCPP_EXPECT_EQ(io2.reads, 3 * hilohi_max_polls);
}

// --- The engine on the baseline ------------------------------------------------

KCPP_TEST(cspmu_engine, start_programs_an_event_counter)
{
	Bench b(cfg8);
	KCPP_ASSERT_EQ(b.pmu.geometry().logical_counters(), 8u);
	int ev[2];
	u32 c0 = b.add({0x23, 0x11, 0x22}, &ev[0]);
	KCPP_ASSERT_EQ(c0, 0u);
	KCPP_EXPECT_TRUE(b.pmu.used_.test(0));
	KCPP_EXPECT_TRUE(b.pmu.slots_[0].event == &ev[0]);
	engine::start(b.pmu, c0);
	KCPP_EXPECT_EQ(b.reg0(evtyper(0)), 0x23u);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(0)), 0x11u);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(0)), 0x22u);
	KCPP_EXPECT_EQ(b.reg0(cntenset(0)), 1u);
	KCPP_EXPECT_EQ(b.reg0(intenset(0)), 1u);
	KCPP_EXPECT_EQ(b.reg1(0), 0x7fffffffu);
	KCPP_EXPECT_EQ(b.pmu.slots_[0].prev_count, 0x7fffffffull);
	KCPP_EXPECT_EQ(b.reg0(cntenclr(0)), 0u);
	KCPP_EXPECT_EQ(b.reg0(pmcr), 0u);

	u32 c1 = b.add({0x1ffffffff, 0xaaaaaaaa5, 0x5}, {0x1, 0, 0}, &ev[1]);
	KCPP_ASSERT_EQ(c1, 1u);
	KCPP_EXPECT_TRUE((b.pmu.slots_[1].leader == EventConfig{0x1, 0, 0}));
	engine::start(b.pmu, c1);
	// PMEVTYPER and the filters take the low 32 bits.
	KCPP_EXPECT_EQ(b.reg0(evtyper(1)), 0xffffffffu);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(1)), 0xaaaaaaa5u);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(1)), 0x5u);
	KCPP_EXPECT_EQ(b.reg0(cntenset(0)), 2u);
	KCPP_EXPECT_EQ(b.reg0(intenset(0)), 2u);
	KCPP_EXPECT_EQ(b.reg1(4), 0x7fffffffu);
	// Counter 0's registers are as they were.
	KCPP_EXPECT_EQ(b.reg0(evtyper(0)), 0x23u);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(0)), 0x11u);
}

KCPP_TEST(cspmu_engine, counters_above_31_use_the_second_set_clr_register)
{
	Bench b(make_pmcfgr(40, 32, true));
	KCPP_ASSERT_EQ(b.pmu.geometry().cycle_logical(), 31u);
	for (u32 i = 0; i < 31; i++)
		KCPP_ASSERT_EQ(b.add({i, 0, 0}), i);
	u32 c = b.add({0x77, 0x88, 0x99});
	KCPP_ASSERT_EQ(c, 32u);
	engine::start(b.pmu, c);
	KCPP_EXPECT_EQ(b.reg0(evtyper(32)), 0x77u);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(32)), 0x88u);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(32)), 0x99u);
	KCPP_EXPECT_EQ(b.reg0(cntenset(1)), 1u);
	KCPP_EXPECT_EQ(b.reg0(intenset(1)), 1u);
	KCPP_EXPECT_EQ(b.reg0(cntenset(0)), 0u);
	KCPP_EXPECT_EQ(b.reg0(intenset(0)), 0u);
	KCPP_EXPECT_EQ(b.reg0(ccfiltr), 0u); // PMEVTYPER31's place: untouched
	KCPP_EXPECT_EQ(b.reg1(0x80), 0x7fffffffu);
	KCPP_EXPECT_EQ(b.reg1(0x7c), 0u);

	u32 last = b.add({0x39, 0, 0});
	KCPP_ASSERT_EQ(last, 33u);
	engine::start(b.pmu, last);
	KCPP_EXPECT_EQ(b.reg0(cntenset(1)), 2u);
	for (u32 i = 34; i < 40; i++)
		KCPP_ASSERT_EQ(b.add({i, 0, 0}), i);
	KCPP_EXPECT_EQ(code(engine::add(b.pmu, {1, 0, 0}, {1, 0, 0}, nullptr)), -EAGAIN);

	b.set1(0x80, 0x80000001);
	KCPP_EXPECT_EQ(counted(engine::stop(b.pmu, c)), 2ull);
	KCPP_EXPECT_EQ(b.reg0(cntenclr(1)), 1u);
	KCPP_EXPECT_EQ(b.reg0(intenclr(1)), 1u);
	KCPP_EXPECT_EQ(b.reg0(cntenclr(0)), 0u);
	KCPP_EXPECT_EQ(b.reg0(intenclr(0)), 0u);
}

KCPP_TEST(cspmu_engine, update_32bit_counter)
{
	Bench b(cfg8);
	u32 c = b.add({0x5, 0, 0});
	KCPP_ASSERT_EQ(c, 0u);
	b.set1(0, 0x12345678);
	engine::start(b.pmu, c);
	KCPP_EXPECT_EQ(b.reg1(0), 0x7fffffffu);
	// Unchanged: no count.
	KCPP_EXPECT_EQ(counted(engine::update(b.pmu, c)), 0ull);
	b.set1(0, 0x80000010);
	KCPP_EXPECT_EQ(counted(engine::update(b.pmu, c)), 0x11ull);
	KCPP_EXPECT_EQ(b.pmu.slots_[c].prev_count, 0x80000010ull);
	// Wrapped past zero.
	b.set1(0, 0x5);
	KCPP_EXPECT_EQ(counted(engine::update(b.pmu, c)), 0x7ffffff5ull);
	KCPP_EXPECT_EQ(b.pmu.slots_[c].prev_count, 0x5ull);
	// update() only reads.
	KCPP_EXPECT_EQ(b.reg1(0), 0x5u);
}

KCPP_TEST(cspmu_engine, update_64bit_atomic_counter)
{
	Firmware fw{};
	fw.atomic_64bit = true;
	Bench b(make_pmcfgr(8, 64, true), fw);
	KCPP_ASSERT_TRUE(b.pmu.geometry().wide());
	b.add({0x1, 0, 0});
	u32 c = b.add({0x2, 0, 0});
	KCPP_ASSERT_EQ(c, 1u);
	engine::start(b.pmu, c);
	KCPP_EXPECT_EQ(b.reg1q(8), 0x7fffffffffffffffull);
	KCPP_EXPECT_EQ(b.reg1q(0), 0ull);
	b.set1q(8, 0x8000000000000004ull);
	KCPP_EXPECT_EQ(counted(engine::update(b.pmu, c)), 5ull);
	b.set1q(8, 3);
	KCPP_EXPECT_EQ(counted(engine::update(b.pmu, c)), 0x7fffffffffffffffull);

	// The cycle counter, physical 31, at 31 * 8.
	u32 cc = b.add({cycles_event, 0, 0});
	KCPP_ASSERT_EQ(cc, 7u);
	engine::start(b.pmu, cc);
	KCPP_EXPECT_EQ(b.reg1q(0xf8), 0x7fffffffffffffffull);
	KCPP_EXPECT_EQ(b.reg1q(0x38), 0ull);
}

KCPP_TEST(cspmu_engine, update_48bit_counter_in_halves)
{
	Bench b(make_pmcfgr(4, 48, false));
	KCPP_ASSERT_EQ(b.pmu.geometry().width(), 48u);
	b.set1q(8, 0x1111111122222222ull);
	u32 c = b.add({0x3, 0, 0});
	KCPP_ASSERT_EQ(c, 0u);
	engine::start(b.pmu, c);
	// Written as two 32-bit halves, low then high.
	KCPP_EXPECT_EQ(b.reg1(0), 0xffffffffu);
	KCPP_EXPECT_EQ(b.reg1(4), 0x7fffu);
	KCPP_EXPECT_EQ(b.reg1q(8), 0x1111111122222222ull);
	KCPP_EXPECT_EQ(b.pmu.slots_[c].prev_count, 0x7fffffffffffull);
	b.set1(0, 0x10);
	b.set1(4, 0x8000);
	KCPP_EXPECT_EQ(counted(engine::update(b.pmu, c)), 0x11ull);
	b.set1(0, 0x1);
	b.set1(4, 0);
	KCPP_EXPECT_EQ(counted(engine::update(b.pmu, c)), 0x7ffffffffff1ull);
}

KCPP_TEST(cspmu_engine, stop_disables_and_counts)
{
	Bench b(cfg8);
	b.add({0x1, 0, 0});
	b.add({0x2, 0, 0});
	u32 c = b.add({0x3, 0x44, 0x55});
	KCPP_ASSERT_EQ(c, 2u);
	engine::start(b.pmu, c);
	b.set1(8, 0x7fffffffu + 100);
	auto stopped = engine::stop(b.pmu, c);
	KCPP_EXPECT_EQ(code(stopped), 0);
	KCPP_EXPECT_EQ(counted(stopped), 100ull);
	KCPP_EXPECT_EQ(b.reg0(cntenclr(0)), 4u);
	KCPP_EXPECT_EQ(b.reg0(intenclr(0)), 4u);
	// The baseline leaves the filters as they were.
	KCPP_EXPECT_EQ(b.reg0(evfiltr(2)), 0x44u);
	KCPP_EXPECT_EQ(b.reg0(evfilt2r(2)), 0x55u);
	// A second stop counts nothing new.
	KCPP_EXPECT_EQ(counted(engine::stop(b.pmu, c)), 0ull);
}

KCPP_TEST(cspmu_engine, enable_disable_reset)
{
	Bench b(cfg8);
	b.set0(pmcr, 0x80);
	engine::enable(b.pmu);
	KCPP_EXPECT_EQ(b.reg0(pmcr), 0x80u); // nothing counts: not written
	u32 c = b.add({0x1, 0, 0});
	KCPP_ASSERT_EQ(c, 0u);
	engine::enable(b.pmu);
	KCPP_EXPECT_EQ(b.reg0(pmcr), 1u);
	engine::disable(b.pmu);
	KCPP_EXPECT_EQ(b.reg0(pmcr), 0u);
	engine::reset_all(b.pmu);
	KCPP_EXPECT_EQ(b.reg0(pmcr), 6u);
	engine::remove(b.pmu, c);
	b.set0(pmcr, 0);
	engine::enable(b.pmu);
	KCPP_EXPECT_EQ(b.reg0(pmcr), 0u);
	// The cycle counter alone counts too.
	KCPP_ASSERT_EQ(b.add({cycles_event, 0, 0}), 7u);
	engine::enable(b.pmu);
	KCPP_EXPECT_EQ(b.reg0(pmcr), 1u);
}

KCPP_TEST(cspmu_engine, cycle_event_uses_the_cycle_counter)
{
	Bench b(cfg8);
	b.set0(evtyper(7), sentinel);
	b.set0(evfiltr(7), sentinel);
	int ev;
	u32 c = b.add({cycles_event, 0x1234, 0x99}, &ev);
	KCPP_ASSERT_EQ(c, 7u);
	KCPP_EXPECT_TRUE(engine::is_cycle_counter(b.pmu, c));
	engine::start(b.pmu, c);
	KCPP_EXPECT_EQ(b.reg0(ccfiltr), 0x1234u);
	KCPP_EXPECT_EQ(b.reg0(cntenset(0)), 0x80000000u);
	KCPP_EXPECT_EQ(b.reg0(intenset(0)), 0x80000000u);
	KCPP_EXPECT_EQ(b.reg1(0x7c), 0x7fffffffu);
	KCPP_EXPECT_EQ(b.reg1(0x1c), 0u);
	KCPP_EXPECT_EQ(b.reg0(evtyper(7)), sentinel);
	KCPP_EXPECT_EQ(b.reg0(evfiltr(7)), sentinel);
	KCPP_EXPECT_EQ(code(engine::add(b.pmu, {cycles_event, 0, 0}, {cycles_event, 0, 0}, nullptr)),
		       -EAGAIN);
	b.set1(0x7c, 0x80000002);
	KCPP_EXPECT_EQ(counted(engine::stop(b.pmu, c)), 3ull);
	KCPP_EXPECT_EQ(b.reg0(cntenclr(0)), 0x80000000u);
	KCPP_EXPECT_EQ(b.reg0(intenclr(0)), 0x80000000u);
	// Event counters are still all free.
	for (u32 i = 0; i < 7; i++)
		KCPP_EXPECT_EQ(b.add({0x10 + i, 0, 0}), i);
	KCPP_EXPECT_EQ(b.add({0x10, 0, 0}), no_counter);
}

KCPP_TEST(cspmu_engine, remove_frees_the_counter)
{
	Bench b(cfg8);
	int ev[3];
	KCPP_ASSERT_EQ(b.add({0x1, 0x2, 0x3}, &ev[0]), 0u);
	KCPP_ASSERT_EQ(b.add({0x4, 0, 0}, &ev[1]), 1u);
	engine::remove(b.pmu, 0);
	KCPP_EXPECT_FALSE(b.pmu.used_.test(0));
	KCPP_EXPECT_TRUE(b.pmu.used_.test(1));
	KCPP_EXPECT_TRUE(b.pmu.slots_[0].event == nullptr);
	KCPP_EXPECT_TRUE(b.pmu.slots_[0].config == EventConfig{});
	KCPP_EXPECT_TRUE(b.pmu.first_event() == &b.pmu.slots_[1]);
	KCPP_EXPECT_EQ(b.add({0x5, 0, 0}, &ev[2]), 0u);
	KCPP_EXPECT_TRUE(b.pmu.slots_[0].event == &ev[2]);
	for (u32 i = 2; i < 7; i++)
		KCPP_ASSERT_EQ(b.add({i, 0, 0}), i);
	KCPP_EXPECT_EQ(b.add({0x9, 0, 0}), no_counter);
	engine::remove(b.pmu, 3);
	KCPP_EXPECT_EQ(b.add({0x9, 0, 0}), 3u);
}

KCPP_TEST(cspmu_engine, overflow_counts_and_restarts)
{
	Bench b(cfg8);
	int ev[3];
	u32 c0 = b.add({0x1, 0, 0}, &ev[0]);
	u32 c1 = b.add({0x2, 0, 0}, &ev[1]);
	u32 cc = b.add({cycles_event, 0, 0}, &ev[2]);
	KCPP_ASSERT_EQ(c0, 0u);
	KCPP_ASSERT_EQ(c1, 1u);
	KCPP_ASSERT_EQ(cc, 7u);
	engine::start(b.pmu, c0);
	engine::start(b.pmu, c1);
	engine::start(b.pmu, cc);
	engine::enable(b.pmu);
	b.set1(0x0, 0x80000005);  // counter 0: 6 since the start
	b.set1(0x4, 0x7fffff00);  // counter 1: not overflowed
	b.set1(0x7c, 0x2);	  // cycle counter: wrapped, 0x80000003
	// Counters 0 and 31 overflowed; so did unused counter 4.
	b.set1(ovsclr(0), (1u << 31) | (1u << 4) | 1u);

	struct Seen {
		void *event;
		u64 delta;
		u32 pmcr;
	} seen[4] = {};
	u32 calls = 0;
	bool any = engine::handle_overflow(b.pmu, [&](void *event, u64 delta) {
		if (calls < 4)
			seen[calls] = {event, delta, b.reg0(pmcr)};
		calls++;
	});
	KCPP_EXPECT_TRUE(any);
	KCPP_ASSERT_EQ(calls, 2u);
	KCPP_EXPECT_TRUE(seen[0].event == &ev[0]);
	KCPP_EXPECT_EQ(seen[0].delta, 6ull);
	KCPP_EXPECT_TRUE(seen[1].event == &ev[2]);
	KCPP_EXPECT_EQ(seen[1].delta, 0x80000003ull);
	// The PMU was stopped while the counts were taken, and runs again.
	KCPP_EXPECT_EQ(seen[0].pmcr, 0u);
	KCPP_EXPECT_EQ(seen[1].pmcr, 0u);
	KCPP_EXPECT_EQ(b.reg0(pmcr), 1u);
	// The flags were written back to clear them.
	KCPP_EXPECT_EQ(b.reg1(ovsclr(0)), 0x80000011u);
	// Overflowed counters restart from half range; the other keeps its count.
	KCPP_EXPECT_EQ(b.reg1(0x0), 0x7fffffffu);
	KCPP_EXPECT_EQ(b.reg1(0x7c), 0x7fffffffu);
	KCPP_EXPECT_EQ(b.reg1(0x4), 0x7fffff00u);
	KCPP_EXPECT_EQ(b.pmu.slots_[c0].prev_count, 0x7fffffffull);
	KCPP_EXPECT_EQ(b.pmu.slots_[c1].prev_count, 0x7fffffffull);
	// The next read of counter 1 still sees its whole count.
	b.set1(0x4, 0x80000001);
	KCPP_EXPECT_EQ(counted(engine::update(b.pmu, c1)), 2ull);
}

KCPP_TEST(cspmu_engine, overflow_without_flags)
{
	Bench b(cfg8);
	u32 c = b.add({0x1, 0, 0});
	KCPP_ASSERT_EQ(c, 0u);
	engine::start(b.pmu, c);
	b.set1(0x0, 0x80000000);
	b.set0(pmcr, 0x80);
	u32 calls = 0;
	bool any = engine::handle_overflow(b.pmu, [&](void *, u64) { calls++; });
	KCPP_EXPECT_FALSE(any);
	KCPP_EXPECT_EQ(calls, 0u);
	KCPP_EXPECT_EQ(b.reg1(0x0), 0x80000000u);
	KCPP_EXPECT_EQ(b.pmu.slots_[c].prev_count, 0x7fffffffull);
	KCPP_EXPECT_EQ(b.reg0(pmcr), 1u);

	// Nothing counting: disabled, and left so.
	engine::remove(b.pmu, c);
	b.set0(pmcr, 0x80);
	KCPP_EXPECT_FALSE(engine::handle_overflow(b.pmu, [&](void *, u64) { calls++; }));
	KCPP_EXPECT_EQ(b.reg0(pmcr), 0u);
	KCPP_EXPECT_EQ(calls, 0u);
}

KCPP_TEST(cspmu_engine, overflow_in_the_second_register)
{
	Firmware fw{};
	Bench b(make_pmcfgr(40, 64, true), fw);
	int ev[2];
	for (u32 i = 0; i < 31; i++)
		KCPP_ASSERT_EQ(b.add({i, 0, 0}), i);
	u32 c32 = b.add({0x32, 0, 0}, &ev[0]);
	u32 c33 = b.add({0x33, 0, 0}, &ev[1]);
	KCPP_ASSERT_EQ(c32, 32u);
	KCPP_ASSERT_EQ(c33, 33u);
	engine::start(b.pmu, c32);
	engine::start(b.pmu, c33);
	// 64-bit, not atomic: read high-low-high.
	b.set1q(32 * 8, 0x8000000000000009ull);
	b.set1q(33 * 8, 0x8000000000000009ull);
	b.set1(ovsclr(1), 2u); // counter 33 only
	u32 calls = 0;
	void *event = nullptr;
	u64 delta = 0;
	bool any = engine::handle_overflow(b.pmu, [&](void *e, u64 d) {
		calls++;
		event = e;
		delta = d;
	});
	KCPP_EXPECT_TRUE(any);
	KCPP_EXPECT_EQ(calls, 1u);
	KCPP_EXPECT_TRUE(event == &ev[1]);
	KCPP_EXPECT_EQ(delta, 10ull);
	KCPP_EXPECT_EQ(b.reg1q(33 * 8), 0x7fffffffffffffffull);
	KCPP_EXPECT_EQ(b.reg1q(32 * 8), 0x8000000000000009ull);
}

KCPP_TEST(cspmu_engine, group_check)
{
	Bench b(make_pmcfgr(4, 32, true)); // 3 event counters and the cycle counter
	Slot ev{{0x1, 0, 0}, {0x1, 0, 0}, nullptr, 0};
	Slot cyc{{cycles_event, 0, 0}, {0x1, 0, 0}, nullptr, 0};

	engine::GroupCheck fits(b.pmu);
	KCPP_EXPECT_EQ(fits.add(ev), 0);
	KCPP_EXPECT_EQ(fits.add(cyc), 0);
	KCPP_EXPECT_EQ(fits.add(ev), 0);
	KCPP_EXPECT_EQ(fits.add(ev), 0);

	engine::GroupCheck too_big(b.pmu);
	for (int i = 0; i < 3; i++)
		KCPP_EXPECT_EQ(too_big.add(ev), 0);
	KCPP_EXPECT_EQ(too_big.add(ev), -EINVAL);

	engine::GroupCheck two_cycles(b.pmu);
	KCPP_EXPECT_EQ(two_cycles.add(cyc), 0);
	KCPP_EXPECT_EQ(two_cycles.add(ev), 0);
	KCPP_EXPECT_EQ(two_cycles.add(cyc), -EINVAL);

	// The check is its own: the PMU's counters are untouched.
	KCPP_EXPECT_FALSE(b.pmu.used_.any_below(4));
}

KCPP_TEST(cspmu_engine, baseline_events_and_visibility)
{
	Bench b(make_pmcfgr(4, 32, false));
	KCPP_EXPECT_TRUE(engine::is_cycle_event(b.pmu, {cycles_event, 0, 0}));
	KCPP_EXPECT_FALSE(engine::is_cycle_event(b.pmu, {cycles_event | 1, 0, 0}));
	KCPP_EXPECT_EQ(engine::event_type(b.pmu, {0x1000000ab, 0, 0}), 0xabu);
	// "cycles" shows only with a cycle counter.
	KCPP_EXPECT_FALSE(engine::event_visible(b.pmu, baseline_events[0]));
	KCPP_EXPECT_TRUE(engine::event_visible(b.pmu, EventAttr{"x", 0x3}));
	Bench cc(cfg8);
	KCPP_EXPECT_TRUE(engine::event_visible(cc.pmu, baseline_events[0]));
}

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
	constexpr u64 bdf = nvidia::pcie_v2::bdf_en | (0x0108u << 8);

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
	constexpr u64 bdf_a = nvidia::pcie_v2::bdf_en | (0x0108u << 8);
	constexpr u64 bdf_b = nvidia::pcie_v2::bdf_en | (0x0210u << 8);
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
