// SPDX-License-Identifier: GPL-2.0
// What the arm_cspmu tests share (arm_cspmu_*_test.cpp): a register file in
// memory, a Pmu on it (Bench), and the register offsets the tests look at.
// Built into the KUnit suite armature_cspmu and into the host tests.
//
// The register file is plain memory: a Pmu's pages point into a static
// buffer (kept off the KUnit stack), and kcpp::Mmio's readl()/writel()
// work on RAM. One Bench exists at a time; each clears the buffer.
#pragma once

#include <kcpp_test.hpp>

#include "ampere.hpp"
#include "arch.hpp"
#include "engine.hpp"
#include "nvidia.hpp"
#include "pmu.hpp"

namespace armature::cspmu::test {

using namespace armature::cspmu;

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
inline u64 counted(const kcpp::Result<u64> &r)
{
	return r.value_or(~0ull);
}

inline bool str_eq(const char *a, const char *b)
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

inline constexpr Ops baseline_ops = {
	.events = baseline_events,
	.formats = baseline_formats,
};

// Pages 0 and 1 of a PMU, and a frame of a backend's own registers.
struct RegisterFile {
	alignas(8) u8 page[3][page_size];
};

inline constinit RegisterFile regfile = {};
inline constinit Slot slot_storage[max_counters] = {};

inline Geometry geometry(u32 pmcfgr)
{
	const char *why = nullptr;
	auto geo = Geometry::from_pmcfgr(pmcfgr, &why);
	// A test's own PMCFGR is valid; each test checks the geometry it got.
	return geo ? geo.value() : Geometry::from_pmcfgr(make_pmcfgr(1, 32, false), &why).value();
}

inline volatile void *cleared_page0()
{
	for (auto &page : regfile.page)
		for (u8 &byte : page)
			*static_cast<volatile u8 *>(&byte) = 0;
	for (Slot &slot : slot_storage)
		slot = {};
	return regfile.page[0];
}

inline Firmware firmware_with_instance(u32 id)
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

} // namespace armature::cspmu::test
