// SPDX-License-Identifier: GPL-2.0
// Tests of arm_cspmu's counter engine on the baseline, on a register file
// in memory: what it programs, counts and frees, and the groups it takes.
// Part of the KUnit suite armature_cspmu and of the host tests.
#include "arm_cspmu_test.hpp"

using namespace armature::cspmu;
using namespace armature::cspmu::test;

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
