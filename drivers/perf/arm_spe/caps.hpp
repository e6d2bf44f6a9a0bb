// SPDX-License-Identifier: GPL-2.0
// What one CPU's Statistical Profiling Extension can do, from its ID
// registers. Pure code: the driver reads the registers on a supported CPU
// (ID_AA64DFR0_EL1, PMBIDR_EL1, PMSIDR_EL1, and PMSEVFR_EL1 after writing it
// all-ones) and passes the values here; KUnit and the host test the rules.
#pragma once

#include "buffer.hpp"
#include "regs.hpp"

#include <kcpp/types.hpp>

namespace armature::spe {

using kcpp::u8;

// Internal feature flags; the values match upstream's SPE_PMU_FEAT_* bits so
// that the "features 0x..." probe message reads the same.
enum Feature : u32 {
	filt_evt = 1u << 0,     // PMSIDR.FE: event filter (PMSEVFR)
	filt_typ = 1u << 1,     // PMSIDR.FT: operation-type filter
	filt_lat = 1u << 2,     // PMSIDR.FL: latency filter
	arch_inst = 1u << 3,    // PMSIDR.ArchInst: samples instructions, not micro-ops
	lds = 1u << 4,          // PMSIDR.LDS: loads carry a data source
	ernd = 1u << 5,         // PMSIDR.ERnd: jitter applied through ECOUNT
	inv_filt_evt = 1u << 6, // PMSIDR.FnE: inverted event filter (PMSNEVFR)
	discard = 1u << 7,      // PMSVer >= 3: PMBLIMITR.FM = discard
	eft = 1u << 8,          // PMSIDR.EFT: SIMD/FP type filters and type masks
};

struct Caps {
	unsigned pmsver;   // ID_AA64DFR0_EL1.PMSVer: 1 is SPEv1, n is SPEv1.(n-1)
	u32 features;      // Feature bits
	u32 min_interval;  // recommended minimum sampling interval (caps/min_interval)
	u32 counter_size;  // bits in a COUNTER packet's saturating count: 12 or 16
	u64 event_filter;  // PMSEVFR bits that filter (caps/event_filter)
	Records records;

	constexpr bool has(Feature f) const { return (features & f) == f; }
};

enum class ProbeStatus : u8 {
	ok,
	no_spe,             // raw_field: ID_AA64DFR0_EL1.PMSVer
	owned_by_higher_el, // raw_field: PMBIDR_EL1.P
	bad_align,          // raw_field: PMBIDR_EL1.Align
	bad_max_size,       // raw_field: PMSIDR_EL1.MaxSize
};

struct ProbeReport {
	ProbeStatus status;
	// PMSIDR encodings not in the architecture's table: a default was used
	// (4096 and 12 bits), worth a warning naming raw_interval / raw_count_size.
	bool interval_assumed;
	bool count_size_assumed;
	unsigned raw_field; // the field that refused the CPU, for the message
	Caps caps;          // valid when status is ok
	unsigned raw_interval;   // PMSIDR_EL1.Interval as read
	unsigned raw_count_size; // PMSIDR_EL1.CountSize as read
};

namespace detail {

// PMSIDR.Interval encodes the recommended minimum interval; 0 if unknown.
constexpr u32 interval_of(unsigned field)
{
	switch (field) {
	case 0: return 256;
	case 2: return 512;
	case 3: return 768;
	case 4: return 1024;
	case 5: return 1536;
	case 6: return 2048;
	case 7: return 3072;
	case 8: return 4096;
	default: return 0;
	}
}

// PMSIDR bits that are features as they stand.
struct PmsidrFeature {
	u64 pmsidr_bit;
	Feature feature;
};
inline constexpr PmsidrFeature pmsidr_features[] = {
	{PMSIDR::fe_mask, filt_evt},  {PMSIDR::ft_mask, filt_typ},       {PMSIDR::fl_mask, filt_lat},
	{PMSIDR::archinst_mask, arch_inst}, {PMSIDR::lds_mask, lds}, {PMSIDR::ernd_mask, ernd},
	{PMSIDR::fne_mask, inv_filt_evt}, {PMSIDR::eft_mask, eft},
};

} // namespace detail

// The refusals come in upstream's order (PMSVer, then PMBIDR, then PMSIDR),
// so a CPU failing several reasons reports the same one.
constexpr ProbeReport probe_caps(u64 id_aa64dfr0, u64 pmbidr, u64 pmsidr, u64 pmsevfr_readback)
{
	ProbeReport r{};
	const auto dfr0 = ID_AA64DFR0::FromValue(id_aa64dfr0);
	const auto bid = PMBIDR::FromValue(pmbidr);
	const auto sid = PMSIDR::FromValue(pmsidr);
	r.raw_interval = unsigned(sid.interval());
	r.raw_count_size = unsigned(sid.countsize());

	auto refuse = [&r](ProbeStatus status, u64 field) {
		r.status = status;
		r.raw_field = unsigned(field);
		return r;
	};
	const unsigned pmsver = unsigned(dfr0.pmsver());
	if (!pmsver)
		return refuse(ProbeStatus::no_spe, pmsver);
	// Read before anything else of the buffer: owned means hands off.
	if (bid.p())
		return refuse(ProbeStatus::owned_by_higher_el, bid.p());
	if (bid.align() > 11)
		return refuse(ProbeStatus::bad_align, bid.align());
	// The alignment is valid now, so only the record size can fail here.
	const auto records = Records::from_id_fields(unsigned(bid.align()), unsigned(sid.maxsize()));
	if (!records)
		return refuse(ProbeStatus::bad_max_size, sid.maxsize());

	u32 features = 0;
	for (const auto &m : detail::pmsidr_features)
		if (pmsidr & m.pmsidr_bit)
			features |= m.feature;
	if (pmsver >= 3) // FEAT_SPEv1p2 brought the discard fill mode; no ID bit
		features |= discard;

	u32 min_interval = detail::interval_of(r.raw_interval);
	if (!min_interval) {
		min_interval = 4096;
		r.interval_assumed = true;
	}
	u32 counter_size = 12;
	if (r.raw_count_size == 3)
		counter_size = 16;
	else if (r.raw_count_size != 2)
		r.count_size_assumed = true;

	r.status = ProbeStatus::ok;
	r.caps = Caps{pmsver, features, min_interval, counter_size, pmsevfr_readback, records.value()};
	return r;
}

inline const char *describe(ProbeStatus s)
{
	switch (s) {
	case ProbeStatus::ok: return "ok";
	case ProbeStatus::no_spe: return "unsupported ID_AA64DFR0_EL1.PMSVer";
	case ProbeStatus::owned_by_higher_el: return "profiling buffer owned by higher exception level";
	case ProbeStatus::bad_align: return "unsupported PMBIDR_EL1.Align";
	case ProbeStatus::bad_max_size: return "unsupported PMSIDR_EL1.MaxSize";
	}
	return "unknown probe status";
}

} // namespace armature::spe
