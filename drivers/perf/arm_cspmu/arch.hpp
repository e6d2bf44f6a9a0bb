// SPDX-License-Identifier: GPL-2.0
// The Arm CoreSight PMU architecture (IHI 0091): registers, what PMCFGR
// says about the counters, the implementer identity, and the bookkeeping of
// counters in use. Pure code: no kernel, compiled into KUnit and host tests.
#pragma once

#include <kcpp/errno.hpp>
#include <kcpp/regs.hpp>
#include <kcpp/result.hpp>
#include <kcpp/types.hpp>

namespace armature::cspmu {

using kcpp::u32;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;

// Page 0 holds configuration and control; the counters and the overflow
// status are in page 1 when the PMU has the dual-page extension (page 0
// otherwise). Every register is 32-bit except the counters.
inline constexpr u32 page_size = 0x1000;

template <u32 Offset>
struct Reg32 : kcpp::Register<Reg32<Offset>, u32, Offset> {};

// Indexed registers, one per counter.
struct PMEVTYPER : kcpp::Register<PMEVTYPER, u32, 0x400, 4> {};
struct PMCCFILTR : kcpp::Register<PMCCFILTR, u32, 0x47c> {};
struct PMEVFILT2R : kcpp::Register<PMEVFILT2R, u32, 0x800, 4> {};
struct PMEVFILTR : kcpp::Register<PMEVFILTR, u32, 0xa00, 4> {};
// One bit per counter, 32 counters per register.
struct PMCNTENSET : kcpp::Register<PMCNTENSET, u32, 0xc00, 4> {};
struct PMCNTENCLR : kcpp::Register<PMCNTENCLR, u32, 0xc20, 4> {};
struct PMINTENSET : kcpp::Register<PMINTENSET, u32, 0xc40, 4> {};
struct PMINTENCLR : kcpp::Register<PMINTENCLR, u32, 0xc60, 4> {};
struct PMOVSCLR : kcpp::Register<PMOVSCLR, u32, 0xc80, 4> {}; // page 1
struct PMOVSSET : kcpp::Register<PMOVSSET, u32, 0xcc0, 4> {}; // page 1

struct PMCFGR : kcpp::Register<PMCFGR, u32, 0xe00> {
	KCPP_FIELD(31, 28, ncg);
	KCPP_BIT(24, hdbg);
	KCPP_BIT(23, tro);
	KCPP_BIT(22, ss);
	KCPP_BIT(21, fzo);
	KCPP_BIT(20, msi);
	KCPP_BIT(19, uen);
	KCPP_BIT(17, na);
	KCPP_BIT(16, ex);
	KCPP_BIT(15, ccd);
	KCPP_BIT(14, cc);
	KCPP_FIELD(13, 8, size); // counter width minus one
	KCPP_FIELD(7, 0, n);	 // number of counters minus one
};

struct PMCR : kcpp::Register<PMCR, u32, 0xe04> {
	KCPP_BIT(11, tro);
	KCPP_BIT(10, hdbg);
	KCPP_BIT(9, fzo);
	KCPP_BIT(8, na);
	KCPP_BIT(5, dp);
	KCPP_BIT(4, x);
	KCPP_BIT(3, d);
	KCPP_BIT(2, c); // reset the cycle counter
	KCPP_BIT(1, p); // reset the event counters
	KCPP_BIT(0, e); // enable
};

struct PMIIDR : kcpp::Register<PMIIDR, u32, 0xe08> {
	KCPP_FIELD(31, 20, product_id);
	KCPP_FIELD(19, 16, variant);
	KCPP_FIELD(15, 12, revision);
	KCPP_FIELD(11, 0, implementer); // JEP106: [11:8] continuation, [6:0] code
};

// The CoreSight peripheral identification registers: the identity again, in
// the layout every CoreSight component has.
struct PMPIDR0 : kcpp::Register<PMPIDR0, u32, 0xfe0> {
	KCPP_FIELD(7, 0, part_0);
};
struct PMPIDR1 : kcpp::Register<PMPIDR1, u32, 0xfe4> {
	KCPP_FIELD(7, 4, des_0);
	KCPP_FIELD(3, 0, part_1);
};
struct PMPIDR2 : kcpp::Register<PMPIDR2, u32, 0xfe8> {
	KCPP_FIELD(7, 4, revision);
	KCPP_BIT(3, jedec);
	KCPP_FIELD(2, 0, des_1);
};
struct PMPIDR3 : kcpp::Register<PMPIDR3, u32, 0xfec> {
	KCPP_FIELD(7, 4, revand);
	KCPP_FIELD(3, 0, cmod);
};
struct PMPIDR4 : kcpp::Register<PMPIDR4, u32, 0xfd0> {
	KCPP_FIELD(7, 4, size);
	KCPP_FIELD(3, 0, des_2);
};

// JEP106 implementer codes as PMIIDR.Implementer holds them.
inline constexpr u32 implementer_arm = 0x43b;
inline constexpr u32 implementer_nvidia = 0x36b;
inline constexpr u32 implementer_ampere = 0xa16;

// PMIIDR from the peripheral ID registers, for PMUs whose PMIIDR reads zero.
// Takes the raw values of PMPIDR0..4.
constexpr u32 pmiidr_from_pmpidr(u32 pidr0, u32 pidr1, u32 pidr2, u32 pidr3, u32 pidr4)
{
	auto p0 = PMPIDR0::FromValue(pidr0);
	auto p1 = PMPIDR1::FromValue(pidr1);
	auto p2 = PMPIDR2::FromValue(pidr2);
	auto p3 = PMPIDR3::FromValue(pidr3);
	auto p4 = PMPIDR4::FromValue(pidr4);
	u32 jep106 = (p4.des_2() << 8) | (p2.des_1() << 4) | p1.des_0();
	return PMIIDR::Get()
		.set_product_id((p1.part_1() << 8) | p0.part_0())
		.set_variant(p2.revision())
		.set_revision(p3.revand())
		.set_implementer(jep106)
		.reg_value();
}

// The counters, as PMCFGR describes them.
inline constexpr u32 max_counters = 256;
inline constexpr u32 max_counters_64bit = 128; // PMEVCNTR<n> ends at 0x400
inline constexpr u32 cycle_counter = 31;	 // physical index, when PMCFGR.CC
inline constexpr u32 no_counter = ~0u;
inline constexpr u32 counters_per_set_clr = 32;

class Geometry {
public:
	// An error and its reason (*why) when PMCFGR cannot be a CoreSight
	// PMU's.
	static kcpp::Result<Geometry> from_pmcfgr(u32 pmcfgr, const char **why)
	{
		auto cfg = PMCFGR::FromValue(pmcfgr);
		u32 counters = cfg.n() + 1;
		u32 width = cfg.size() + 1;
		if (pmcfgr == 0 || pmcfgr == ~0u) {
			*why = "no PMU registers at this address";
			return kcpp::Error(-ENODEV);
		}
		if (width < 32) {
			*why = "counters narrower than 32 bits";
			return kcpp::Error(-EINVAL);
		}
		if (width > 32 && counters > max_counters_64bit) {
			*why = "more 64-bit counters than the counter page holds";
			return kcpp::Error(-EINVAL);
		}
		return Geometry(pmcfgr, counters, width, cfg.cc());
	}

	u32 pmcfgr() const { return pmcfgr_; }
	// Counters the driver allocates; the cycle counter, when there is one,
	// is one of them (cycle_logical()).
	u32 logical_counters() const { return logical_; }
	u32 width() const { return width_; }
	bool has_cycle_counter() const { return cc_; }
	bool wide() const { return width_ > 32; }
	u64 counter_mask() const { return mask_; }
	// The logical index of the cycle counter: the last one when the event
	// counters end below 31 (logical and physical differ for it only), 31
	// itself otherwise. no_counter without one.
	u32 cycle_logical() const { return cycle_; }
	u32 to_physical(u32 logical) const
	{
		return logical == cycle_logical() ? cycle_counter : logical;
	}
	// The inverse: no_counter for a physical index that is no counter of
	// this PMU (the one the cycle counter's logical index stands for, or
	// past the last).
	u32 to_logical(u32 physical) const
	{
		if (physical == cycle_counter && cc_)
			return cycle_;
		if (physical == cycle_ || physical >= logical_)
			return no_counter;
		return physical;
	}
	// PMCNTENSET<n> and friends needed to cover the counters.
	u32 set_clr_registers() const
	{
		return (logical_ + counters_per_set_clr - 1) / counters_per_set_clr;
	}
	// The offset of PMEVCNTR<physical> in the counter page.
	u32 counter_offset(u32 physical) const { return physical * (wide() ? 8 : 4); }

private:
	Geometry(u32 pmcfgr, u32 logical, u32 width, bool cc)
		: pmcfgr_(pmcfgr), logical_(logical), width_(width),
		  cycle_(!cc ? no_counter : logical <= cycle_counter ? logical - 1 : cycle_counter),
		  cc_(cc), mask_(width == 64 ? ~u64(0) : (u64(1) << width) - 1) {}

	// cycle_ and mask_ are worked out once: the counter paths ask often.
	u32 pmcfgr_;
	u32 logical_;
	u32 width_;
	u32 cycle_;
	bool cc_;
	u64 mask_;
};

// A set of counter indices, 0..255.
class CounterSet {
public:
	bool test(u32 i) const { return i < max_counters && (words_[i / 64] >> (i % 64)) & 1; }
	void set(u32 i) { words_[i / 64] |= u64(1) << (i % 64); }
	void clear(u32 i) { words_[i / 64] &= ~(u64(1) << (i % 64)); }
	bool any_below(u32 end) const { return first_set(0, end) < end; }
	// The first set (or clear) index in [from, end), or end.
	u32 first_set(u32 from, u32 end) const { return find(from, end, true); }
	u32 first_clear(u32 from, u32 end) const { return find(from, end, false); }
	u32 word32(u32 n) const { return static_cast<u32>(words_[n / 2] >> (32 * (n % 2))); }
	void set_word32(u32 n, u32 bits)
	{
		u64 &w = words_[n / 2];
		u32 shift = 32 * (n % 2);
		w = (w & ~(u64(0xffffffff) << shift)) | (u64(bits) << shift);
	}

private:
	// Out of line: every allocation and scan shares one copy.
	[[gnu::noinline]] u32 find(u32 from, u32 end, bool value) const
	{
		for (u32 i = from; i < end; i++)
			if (test(i) == value)
				return i;
		return end;
	}

	u64 words_[max_counters / 64] = {};
};

// Chooses a counter for an event: the cycle counter for the cycle event
// (only one can count at a time), the first free event counter otherwise.
// -EAGAIN when none is free, as perf expects for a group that cannot fit.
// Out of line: perf's add and the group check share it.
[[gnu::noinline]] inline kcpp::Result<u32> allocate_counter(const Geometry &geo, CounterSet &used,
							    bool cycle_event)
{
	u32 cycle = geo.cycle_logical();
	u32 end = geo.logical_counters();
	if (cycle != no_counter && cycle_event) {
		if (used.test(cycle))
			return kcpp::Error(-EAGAIN);
		used.set(cycle);
		return cycle;
	}
	u32 idx = used.first_clear(0, end);
	if (idx == cycle)
		idx = used.first_clear(cycle + 1, end);
	if (idx >= end)
		return kcpp::Error(-EAGAIN);
	used.set(idx);
	return idx;
}

// A 64-bit counter read as two 32-bit halves: high, low, high again until
// the high half is stable, so a carry between the reads cannot tear the
// value. Gives up (no_value) after max_polls unstable tries.
inline constexpr u32 hilohi_max_polls = 1000;

template <typename Io>
kcpp::Result<u64> read_hilohi(Io &io, u32 offset, u32 max_polls = hilohi_max_polls)
{
	for (u32 i = 0; i < max_polls; i++) {
		u32 hi = io.template read<u32>(offset + 4);
		u32 lo = io.template read<u32>(offset);
		if (io.template read<u32>(offset + 4) == hi)
			return (u64(hi) << 32) | lo;
	}
	return kcpp::Error(-ETIMEDOUT);
}

// The APMT (ACPI DEN0117): the kernel's APMT parser gives each PMU's node
// as its platform device's platform data (a pointer to the node).
namespace apmt {
struct [[gnu::packed]] Node {
	kcpp::u16 length;
	u8 flags;
	u8 type;
	u32 id;
	u64 inst_primary;
	u32 inst_secondary;
	u64 base_address0;
	u64 base_address1;
	u32 overflow_irq;
	u32 reserved;
	u32 overflow_irq_flags;
	u32 proc_affinity;
	u32 impl_id;
};
static_assert(sizeof(Node) == 56 && __builtin_offsetof(Node, base_address0) == 20);

// Node Flags.
struct Flags : kcpp::BitLayout<Flags, u8> {
	KCPP_BIT(0, dual_page);          // a page-1 frame for the counters
	KCPP_BIT(1, container_affinity); // proc_affinity is a container's UID, not a processor's
	KCPP_BIT(2, atomic_64bit);       // 64-bit registers are single-copy atomic
};

enum NodeType : u8 { memory_controller, smmu, pcie_root, acpi_device, cache, node_types };
inline constexpr const char *type_names[node_types] = {"mc", "smmu", "pcie", "acpi", "cache"};
} // namespace apmt

} // namespace armature::cspmu
