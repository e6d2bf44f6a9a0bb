// SPDX-License-Identifier: GPL-2.0
// Tests of arm_cspmu's architectural helpers: what PMCFGR says about the
// counters, the identity rebuilt from PMPIDR, counter allocation, the config
// masks the formats name, and the torn-read-safe 64-bit counter read.
// Part of the KUnit suite armature_cspmu and of the host tests.
#include "arm_cspmu_test.hpp"

using namespace armature::cspmu;
using namespace armature::cspmu::test;

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
