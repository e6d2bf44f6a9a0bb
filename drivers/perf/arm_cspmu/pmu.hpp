// SPDX-License-Identifier: GPL-2.0
// A CoreSight PMU as the core and the vendor backends share it: the events
// and formats it shows in sysfs, how perf's config words become register
// values (Ops), and the per-PMU state (Pmu). Backends see only what is
// inline here, so they depend on nothing of the core but its registry.
#pragma once

#include "arch.hpp"
#include <kcpp/mmio.hpp>
#include <kcpp/name.hpp>
#include <kcpp/perf_format.hpp>

struct acpi_device;
struct kcpp_device;

namespace armature::cspmu {

// perf_event_attr's config words, as the user wrote them.
struct EventConfig {
	u64 config = 0;
	u64 config1 = 0;
	u64 config2 = 0;

	constexpr u64 word(unsigned n) const { return n == 0 ? config : n == 1 ? config1 : config2; }
	constexpr bool operator==(const EventConfig &) const = default;
};

// sysfs events/<name> ("event=0x<id>") and format/<name> ("config1:0-9").
struct EventAttr {
	const char *name;
	u64 id;
};
struct FormatAttr {
	const char *name;
	const char *spec;
};

// The format of FIELD, declared in LAYOUT, a BitLayout of the config word
// LAYOUT::config_word: the file is named as the field, its text is the
// field's bits.
#define CSPMU_FORMAT(LAYOUT, FIELD)                                               \
	::armature::cspmu::FormatAttr                                            \
	{                                                                        \
		#FIELD, ::kcpp::perf_format<LAYOUT::config_word, LAYOUT::FIELD##_field> \
	}

template <typename T>
class Table {
public:
	constexpr Table() = default;
	template <usize N>
	constexpr Table(const T (&items)[N]) : items_(items), size_(N) {}
	constexpr const T *begin() const { return items_; }
	constexpr const T *end() const { return items_ + size_; }
	constexpr usize size() const { return size_; }
	constexpr const T &operator[](usize i) const { return items_[i]; }

private:
	const T *items_ = nullptr;
	usize size_ = 0;
};

// The architecture defines no event number for cycles; by convention the
// cycle counter is event 1 << 32, past every 32-bit event type.
inline constexpr u64 cycles_event = u64(1) << 32;

// The baseline's sysfs: "cycles", and event and filter formats.
inline constexpr EventAttr baseline_events[] = {{"cycles", cycles_event}};
// The config words as the baseline reads them: the event type (the cycle
// event past the 32-bit ones), then PMEVFILTR and PMEVFILT2R whole.
struct Config : kcpp::BitLayout<Config, u64> {
	static constexpr unsigned config_word = 0;
	KCPP_FIELD(32, 0, event);
};
struct Filter : kcpp::BitLayout<Filter, u32> {
	static constexpr unsigned config_word = 1;
	KCPP_FIELD(31, 0, filter);
};
struct Filter2 : kcpp::BitLayout<Filter2, u32> {
	static constexpr unsigned config_word = 2;
	KCPP_FIELD(31, 0, filter2);
};
static_assert(Config::event_field::max == (cycles_event << 1) - 1);

inline constexpr FormatAttr baseline_formats[] = {
	CSPMU_FORMAT(Config, event),
	CSPMU_FORMAT(Filter, filter),
	CSPMU_FORMAT(Filter2, filter2),
};

// Bits of the config words that a PMU's formats name: the rest are reserved
// and an event that sets them is refused. A spec is "configN:lo[-hi]" with
// any number of comma-separated ranges; nullptr when it is not one.
struct ConfigMasks {
	u64 word[3] = {};

	bool covers(const EventConfig &c) const
	{
		return !(c.config & ~word[0]) && !(c.config1 & ~word[1]) && !(c.config2 & ~word[2]);
	}
	bool add_spec(const char *spec);
};

// A bit number (0-63) at p and what follows it; next is nullptr when p
// holds none. Returned in registers, so the parser keeps no locals in
// memory.
struct SpecBit {
	const char *next;
	unsigned bit;
};

inline SpecBit parse_spec_bit(const char *p)
{
	if (*p < '0' || *p > '9')
		return {nullptr, 0};
	unsigned bit = 0;
	while (*p >= '0' && *p <= '9' && bit < 64)
		bit = bit * 10 + (*p++ - '0');
	if (bit >= 64)
		return {nullptr, 0};
	return {p, bit};
}

inline bool ConfigMasks::add_spec(const char *spec)
{
	// The literal, not a local array: no copy on the stack.
	const char *prefix = "config";
	const char *p = spec;
	while (*prefix)
		if (*p++ != *prefix++)
			return false;
	unsigned n = 0;
	if (*p == '1' || *p == '2')
		n = *p++ - '0';
	if (*p++ != ':')
		return false;
	// Each bit number ends a range ("lo", "lo-hi") or, before a '-',
	// starts one (lo holds it until the range ends; 64 while none).
	for (unsigned lo = 64;;) {
		SpecBit b = parse_spec_bit(p);
		if (!b.next)
			return false;
		p = b.next;
		if (lo == 64 && *p == '-') {
			lo = b.bit;
			p++;
			continue;
		}
		if (lo == 64)
			lo = b.bit;
		if (b.bit < lo)
			return false;
		word[n] |= (~u64(0) >> (63 - b.bit)) & (~u64(0) << lo);
		lo = 64;
		if (*p == '\0')
			return true;
		if (*p++ != ',')
			return false;
	}
}

class Pmu;

// An event on the PMU: its config and its group leader's (filters may
// follow the leader's), its perf_event, and the counter value its count was
// last brought up to.
struct Slot {
	EventConfig config;
	EventConfig leader;
	void *event = nullptr;
	u64 prev_count = 0;
};

// A counter an event holds: logical (the driver's) and physical (the
// registers') indices differ only for the cycle counter. Passed by value
// (one register), not by reference: a reference to a local makes its
// caller reserve stack and check a stack canary.
struct Counter {
	u32 logical;
	u32 physical;
};

// How perf's config words become register values. Every hook is optional:
// nullptr is the architectural baseline (the core's, see core.cpp).
struct Ops {
	Table<EventAttr> events;
	Table<FormatAttr> formats;
	// The cycle event, counted by the cycle counter.
	bool (*is_cycle_event)(const Pmu &, const EventConfig &) = nullptr;
	// PMEVTYPER.
	u32 (*event_type)(const Pmu &, const EventConfig &) = nullptr;
	// The filter registers when an event starts: PMEVFILTR and
	// PMEVFILT2R of an event counter, PMCCFILTR of the cycle counter;
	// and what stop() leaves in an event counter's.
	void (*set_ev_filter)(Pmu &, Counter, const Slot &) = nullptr;
	void (*set_cc_filter)(Pmu &, const Slot &) = nullptr;
	void (*reset_ev_filter)(Pmu &, Counter, const Slot &) = nullptr;
	// More constraints on an event (with its leader's config) joining
	// the PMU, where scheduled is the first event counting on an event
	// counter now (nullptr when none) and in a group check, the group's
	// first member. An errno, 0 when it may count.
	int (*validate_event)(const Pmu &, const Slot &event, const Slot *scheduled) = nullptr;
	// Whether events/<attr> shows.
	bool (*event_visible)(const Pmu &, const EventAttr &) = nullptr;
};

// A backend: picks the Ops of a PMU it knows from its PMIIDR and names it.
// init returns 0 or an errno, which fails the probe (a backend that knows
// the implementer but refuses the PMU is an error, not a fallback).
struct Backend {
	int (*init)(Pmu &pmu);
	void (*release)(Pmu &pmu); // optional: undoes init
};

// PMU names are built in a kcpp::NameBuf.
using kcpp::NameBuf;

// What firmware says about a PMU: its devicetree node, or the APMT node
// and the ACPI device that node may name.
struct Firmware {
	const apmt::Node *apmt = nullptr; // in the ACPI tables, mapped for good
	bool atomic_64bit = false;  // reg-io-width = <8>, or the APMT atomic flag
	bool page1_present = false; // a second register frame
	bool has_instance_id = false;
	u32 instance_id = 0;        // "instance_id": the ACPI device's _DSD, or the DT node's
	acpi_device *acpi_dev = nullptr; // held until unbind
};


// One CoreSight PMU. The core creates it at probe and fills in everything
// up to ops; a backend's init sets ops, the variant it chose and the name.
class Pmu {
public:
	using Io = kcpp::Mmio<kcpp::Ordering::ordered>;

	Pmu(kcpp_device *dev, volatile void *page0, volatile void *page1, Geometry geo,
	    u32 pmiidr, const Firmware &fw, int numa_node)
		: dev_(dev), page0_(page0), page1_(page1), geo_(geo), pmiidr_(pmiidr), fw_(fw),
		  numa_node_(numa_node) {}
	Pmu(const Pmu &) = delete;
	Pmu &operator=(const Pmu &) = delete;

	// Identity and firmware, for a backend's init.
	u32 pmiidr() const { return pmiidr_; }
	u32 product_id() const { return PMIIDR::FromValue(pmiidr_).product_id(); }
	const Geometry &geometry() const { return geo_; }
	const Firmware &firmware() const { return fw_; }
	// The NUMA node of the first associated CPU (a socket, on NVIDIA).
	int numa_node() const { return numa_node_; }
	void set_numa_node(int node) { numa_node_ = node; }

	void set_ops(const Ops *ops, const void *variant = nullptr)
	{
		ops_ = ops;
		variant_ = variant;
	}
	const Ops &ops() const { return *ops_; }
	template <typename T>
	const T &variant() const { return *static_cast<const T *>(variant_); }
	NameBuf<64> &name() { return name_; }
	const NameBuf<64> &name() const { return name_; }
	NameBuf<32> &identifier() { return identifier_; }
	const NameBuf<32> &identifier() const { return identifier_; }
	// A number the backend keeps for this PMU (an instance index).
	int &backend_data() { return backend_data_; }
	// An object the backend's init allocates for this PMU and its
	// release frees (nullptr when it has none).
	template <typename T>
	T *backend_state() const { return static_cast<T *>(backend_state_); }
	void set_backend_state(void *state) { backend_state_ = state; }

	// Registers: page 0 (control) and the counter page.
	Io page0() const { return Io(page0_); }
	Io page1() const { return Io(page1_); }

	// The first event counting on an event counter (not the cycle
	// counter), or nullptr: filters that the hardware shares between
	// counters follow it.
	const Slot *first_event() const
	{
		u32 cycle = geo_.cycle_logical();
		u32 end = geo_.logical_counters();
		u32 idx = used_.first_set(0, end);
		if (idx == cycle)
			idx = used_.first_set(cycle + 1, end);
		return idx < end ? &slots_[idx] : nullptr;
	}

	// The platform device, for logging and its resources.
	kcpp_device *dev() const { return dev_; }

	// The core's: counters in use, their events (one per logical
	// counter, allocated by the core), and the config bits the formats
	// name.
	CounterSet used_;
	Slot *slots_ = nullptr;
	ConfigMasks masks_;

private:
	kcpp_device *dev_;
	volatile void *page0_;
	volatile void *page1_;
	Geometry geo_;
	u32 pmiidr_;
	Firmware fw_;
	int numa_node_;
	const Ops *ops_ = nullptr;
	const void *variant_ = nullptr;
	int backend_data_ = -1;
	void *backend_state_ = nullptr;
	NameBuf<64> name_;
	NameBuf<32> identifier_;
};

} // namespace armature::cspmu
