// SPDX-License-Identifier: GPL-2.0
// What the core does with a PMU's registers: counters allocated to events,
// programmed, started, stopped, read and brought up to date after an
// overflow. No perf_event here: the core (core.cpp) turns perf's callbacks
// into these calls, and KUnit makes them on a register file in memory.
#pragma once

#include "pmu.hpp"

namespace armature::cspmu::engine {

// The architectural baseline, for every hook a backend leaves out.
inline bool is_cycle_event(const Pmu &pmu, const EventConfig &c)
{
	if (pmu.ops().is_cycle_event)
		return pmu.ops().is_cycle_event(pmu, c);
	return c.config == cycles_event;
}

inline u32 event_type(const Pmu &pmu, const EventConfig &c)
{
	if (pmu.ops().event_type)
		return pmu.ops().event_type(pmu, c);
	return static_cast<u32>(c.config);
}

inline bool event_visible(const Pmu &pmu, const EventAttr &attr)
{
	if (pmu.ops().event_visible)
		return pmu.ops().event_visible(pmu, attr);
	return attr.id != cycles_event || pmu.geometry().has_cycle_counter();
}

// Writes the value to the event counter's filter registers; the baseline
// takes PMEVFILTR from config1 and PMEVFILT2R from config2.
inline void write_ev_filters(Pmu &pmu, Counter ctr, u32 filter, u32 filter2)
{
	auto io = pmu.page0();
	PMEVFILTR::Get(ctr.physical).set_reg_value(filter).WriteTo(io);
	PMEVFILT2R::Get(ctr.physical).set_reg_value(filter2).WriteTo(io);
}

inline void write_cc_filter(Pmu &pmu, u32 filter)
{
	auto io = pmu.page0();
	PMCCFILTR::Get().set_reg_value(filter).WriteTo(io);
}

// Where an event's counter is, from its logical index.
inline Counter counter(const Pmu &pmu, u32 logical)
{
	return {logical, pmu.geometry().to_physical(logical)};
}

inline bool is_cycle_counter(const Pmu &pmu, u32 logical)
{
	return logical == pmu.geometry().cycle_logical();
}

// Only what several of perf's callbacks share is out of line
// ([[gnu::noinline]]): set_period(), update() and the counter allocation.
// The rest is inlined into the one callback that uses it; add() and
// start() are [[gnu::always_inline]] as GCC does not inline an inline
// function of this size into its single caller by itself.

// The counter's value: one 64-bit access where the PMU makes it single-copy
// atomic, high-low-high otherwise.
inline kcpp::Result<u64> read_counter(const Pmu &pmu, u32 physical)
{
	auto io = pmu.page1();
	u32 offset = pmu.geometry().counter_offset(physical);
	if (!pmu.geometry().wide())
		return u64(io.read<u32>(offset));
	if (pmu.firmware().atomic_64bit)
		return io.read<u64>(offset);
	return read_hilohi(io, offset);
}

inline void write_counter(Pmu &pmu, u32 physical, u64 value)
{
	auto io = pmu.page1();
	u32 offset = pmu.geometry().counter_offset(physical);
	if (!pmu.geometry().wide()) {
		io.write<u32>(offset, static_cast<u32>(value));
	} else if (pmu.firmware().atomic_64bit) {
		io.write<u64>(offset, value);
	} else {
		io.write<u32>(offset, static_cast<u32>(value));
		io.write<u32>(offset + 4, static_cast<u32>(value >> 32));
	}
}

// Counting starts from half the counter's range, so that an overflow
// interrupt handled late still finds the count it missed representable.
[[gnu::noinline]] inline void set_period(Pmu &pmu, u32 logical)
{
	u64 start = pmu.geometry().counter_mask() >> 1;
	__atomic_store_n(&pmu.slots_[logical].prev_count, start, __ATOMIC_RELAXED);
	write_counter(pmu, counter(pmu, logical).physical, start);
}

// The count since the last update, with the counter's wrap-around. Races
// with the overflow handler on the same CPU are settled by the exchange.
// -ETIMEDOUT for a counter whose high half never settles: it counts
// nothing rather than a torn value.
[[gnu::noinline]] inline kcpp::Result<u64> update(Pmu &pmu, u32 logical)
{
	Slot &slot = pmu.slots_[logical];
	u32 physical = counter(pmu, logical).physical;
	u64 prev = __atomic_load_n(&slot.prev_count, __ATOMIC_RELAXED);
	u64 now;
	do {
		now = KCPP_TRY(read_counter(pmu, physical));
	} while (!__atomic_compare_exchange_n(&slot.prev_count, &prev, now, false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return (now - prev) & pmu.geometry().counter_mask();
}

inline void enable_counter(Pmu &pmu, u32 physical)
{
	auto io = pmu.page0();
	u32 reg = physical / counters_per_set_clr, bit = u32(1) << (physical % counters_per_set_clr);
	PMINTENSET::Get(reg).set_reg_value(bit).WriteTo(io);
	PMCNTENSET::Get(reg).set_reg_value(bit).WriteTo(io);
}

inline void disable_counter(Pmu &pmu, u32 physical)
{
	auto io = pmu.page0();
	u32 reg = physical / counters_per_set_clr, bit = u32(1) << (physical % counters_per_set_clr);
	PMCNTENCLR::Get(reg).set_reg_value(bit).WriteTo(io);
	PMINTENCLR::Get(reg).set_reg_value(bit).WriteTo(io);
}

// The whole PMU: counters reset at probe, enabled while any counts.
inline void reset_all(Pmu &pmu)
{
	auto io = pmu.page0();
	PMCR::Get().set_c(1).set_p(1).WriteTo(io);
}

inline void enable(Pmu &pmu)
{
	if (!pmu.used_.any_below(pmu.geometry().logical_counters()))
		return;
	auto io = pmu.page0();
	PMCR::Get().set_e(1).WriteTo(io);
}

inline void disable(Pmu &pmu)
{
	auto io = pmu.page0();
	PMCR::Get().WriteTo(io);
}

// Checks the backend's constraints for an event joining the PMU.
inline int validate(const Pmu &pmu, const Slot &event, const Slot *scheduled)
{
	if (!pmu.ops().validate_event)
		return 0;
	return pmu.ops().validate_event(pmu, event, scheduled);
}

// A counter for an event and the event in its slot: -EAGAIN when every
// suitable counter is taken, or the backend's refusal.
[[gnu::always_inline]] inline kcpp::Result<u32> add(Pmu &pmu, const EventConfig &config,
						   const EventConfig &leader, void *event)
{
	Slot slot{config, leader, event, 0};
	int ret = validate(pmu, slot, pmu.first_event());
	if (ret)
		return kcpp::Error(ret);
	u32 logical = KCPP_TRY(allocate_counter(pmu.geometry(), pmu.used_,
						is_cycle_event(pmu, config)));
	pmu.slots_[logical] = slot;
	return logical;
}

// Whether the events of a group can count at once: each member in turn
// (the leader first) must find a counter and pass the backend's checks.
class GroupCheck {
public:
	explicit GroupCheck(const Pmu &pmu) : pmu_(pmu) {}

	[[gnu::noinline]] int add(const Slot &member)
	{
		bool cycle = is_cycle_event(pmu_, member.config);
		int ret = validate(pmu_, member, have_first_ ? &first_ : nullptr);
		if (ret)
			return ret;
		if (!allocate_counter(pmu_.geometry(), used_, cycle))
			return -EINVAL;
		if (!have_first_ && !cycle) {
			first_ = member;
			have_first_ = true;
		}
		return 0;
	}

private:
	const Pmu &pmu_;
	CounterSet used_;
	Slot first_;
	bool have_first_ = false;
};

inline void remove(Pmu &pmu, u32 logical)
{
	pmu.slots_[logical] = {};
	pmu.used_.clear(logical);
}

// Programs the counter for its event and starts it.
[[gnu::always_inline]] inline void start(Pmu &pmu, u32 logical)
{
	Counter ctr = counter(pmu, logical);
	const Slot &slot = pmu.slots_[logical];
	const EventConfig &config = slot.config;
	set_period(pmu, logical);
	if (is_cycle_counter(pmu, logical)) {
		if (pmu.ops().set_cc_filter)
			pmu.ops().set_cc_filter(pmu, slot);
		else
			write_cc_filter(pmu, static_cast<u32>(config.config1));
	} else {
		auto io = pmu.page0();
		PMEVTYPER::Get(ctr.physical).set_reg_value(event_type(pmu, config)).WriteTo(io);
		if (pmu.ops().set_ev_filter)
			pmu.ops().set_ev_filter(pmu, ctr, slot);
		else
			write_ev_filters(pmu, ctr, static_cast<u32>(config.config1),
					 static_cast<u32>(config.config2));
	}
	enable_counter(pmu, ctr.physical);
}

// Stops the counter; returns the count since the last update (see update()).
inline kcpp::Result<u64> stop(Pmu &pmu, u32 logical)
{
	Counter ctr = counter(pmu, logical);
	disable_counter(pmu, ctr.physical);
	if (pmu.ops().reset_ev_filter && !is_cycle_counter(pmu, logical))
		pmu.ops().reset_ev_filter(pmu, ctr, pmu.slots_[logical]);
	return update(pmu, logical);
}

// The overflow interrupt: with the PMU stopped, clears the overflow flags
// and brings each overflowed counter's event up to date (on_count(event,
// delta); a counter that never read stable counts 0), restarting it from
// the period. Whether any counter overflowed.
template <typename OnCount>
bool handle_overflow(Pmu &pmu, OnCount &&on_count)
{
	const Geometry &geo = pmu.geometry();
	auto io1 = pmu.page1();
	disable(pmu);
	bool any = false;
	for (u32 n = 0; n < geo.set_clr_registers(); n++) {
		u32 flags = PMOVSCLR::Get(n).ReadFrom(io1).reg_value();
		PMOVSCLR::Get(n).set_reg_value(flags).WriteTo(io1);
		any |= flags != 0;
		// In physical order, which is the logical order too: the cycle
		// counter, physical 31, is the last logical one below 32.
		for (; flags; flags &= flags - 1) {
			u32 physical = n * counters_per_set_clr + __builtin_ctz(flags);
			u32 logical = geo.to_logical(physical);
			if (logical == no_counter || !pmu.used_.test(logical))
				continue;
			on_count(pmu.slots_[logical].event, update(pmu, logical).value_or(0));
			set_period(pmu, logical);
		}
	}
	enable(pmu);
	return any;
}

} // namespace armature::cspmu::engine
