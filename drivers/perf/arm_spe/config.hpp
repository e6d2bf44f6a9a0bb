// SPDX-License-Identifier: GPL-2.0
// What a perf_event_attr asks of SPE: its config words checked against the
// format fields and the CPU's Caps, then turned into register values. Pure
// code for event_init and the PMU's check_period; the driver copies the
// attr's fields into an Attr and passes perf_allow_kernel() as a callable.
#pragma once

#include "caps.hpp"
#include "regs.hpp"

#include <kcpp/errno.hpp>
#include <kcpp/result.hpp>
#include <kcpp/types.hpp>
#include <concepts>
#include <type_traits>

namespace armature::spe {

// The perf_event_attr fields SPE looks at; what is not given is zero.
struct Attr {
	u64 config = 0, config1 = 0, config2 = 0, config3 = 0;
	u64 sample_period = 0;
	bool freq = false, exclude_user = false, exclude_kernel = false, exclude_idle = false;
};

// Where a format field sits: bits lo to lo + width - 1 of config word
// `word` (0 for config, N for configN).
struct FieldBits {
	unsigned word;
	unsigned lo;
	u64 value_mask; // the field's value, unshifted

	constexpr u64 get(const Attr &a) const
	{
		const u64 w = word == 0 ? a.config : word == 1 ? a.config1 : word == 2 ? a.config2 : a.config3;
		return (w >> lo) & value_mask;
	}
};

// One file of the PMU's format/ directory. spec is the field as perf parses
// it; upstream's file holds spec and "\n", plus a second "\n" for a
// single-bit field (its format macro adds one, the show function another).
// perf reads either. needs: the Feature bits without which the file is
// hidden (and event_init refuses the field).
struct FormatField {
	const char *name;
	const char *spec;
	u32 needs;

	// "configN:lo[-hi]" taken apart; the table below is checked at compile
	// time, so these never see anything else.
	constexpr unsigned word() const // 0 for config, N for configN
	{
		return spec[6] == ':' ? 0 : unsigned(spec[6] - '0');
	}
	constexpr unsigned lo() const { return number(colon() + 1); }
	constexpr unsigned hi() const
	{
		const char *p = colon() + 1;
		while (*p >= '0' && *p <= '9')
			p++;
		return *p == '-' ? number(p + 1) : lo();
	}
	constexpr bool single_bit() const { return lo() == hi(); }
	// The field's bits within its config word.
	constexpr u64 mask() const
	{
		const unsigned width = hi() - lo() + 1;
		return (width == 64 ? ~u64(0) : (u64(1) << width) - 1) << lo();
	}
	constexpr FieldBits bits() const { return {word(), lo(), mask() >> lo()}; }
	constexpr u64 get(const Attr &a) const { return bits().get(a); }
	constexpr bool shown(u32 features) const { return (features & needs) == needs; }

private:
	constexpr const char *colon() const
	{
		const char *p = spec;
		while (*p != ':')
			p++;
		return p;
	}
	static constexpr unsigned number(const char *p)
	{
		unsigned n = 0;
		while (*p >= '0' && *p <= '9')
			n = n * 10 + unsigned(*p++ - '0');
		return n;
	}
};

// Upstream's fields up to v6.18, in bit order.
inline constexpr FormatField format_fields[] = {
	{"ts_enable", "config:0", 0},          // PMSCR.TS
	{"pa_enable", "config:1", 0},          // PMSCR.PA
	{"pct_enable", "config:2", 0},         // PMSCR.PCT = physical
	{"jitter", "config:16", 0},            // PMSIRR.RND
	{"branch_filter", "config:32", 0},     // PMSFCR.B
	{"load_filter", "config:33", 0},       // PMSFCR.LD
	{"store_filter", "config:34", 0},      // PMSFCR.ST
	{"discard", "config:35", discard},     // PMBLIMITR.FM = discard
	{"branch_filter_mask", "config:36", eft}, // PMSFCR.Bm
	{"load_filter_mask", "config:37", eft},   // PMSFCR.LDm
	{"store_filter_mask", "config:38", eft},  // PMSFCR.STm
	{"simd_filter", "config:39", eft},        // PMSFCR.SIMD
	{"simd_filter_mask", "config:40", eft},   // PMSFCR.SIMDm
	{"float_filter", "config:41", eft},       // PMSFCR.FP
	{"float_filter_mask", "config:42", eft},  // PMSFCR.FPm
	{"event_filter", "config1:0-63", 0},      // PMSEVFR
	{"min_latency", "config2:0-11", 0},       // PMSLATFR.MINLAT
	{"inv_event_filter", "config3:0-63", inv_filt_evt}, // PMSNEVFR
};

namespace detail {

constexpr bool same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

// Not constexpr: reaching it in field() stops the compilation.
void no_such_format_field();

// Where the field of that name sits, worked out while compiling (a name
// not in the table does not compile), so event_init only shifts and masks.
consteval FieldBits field(const char *name)
{
	for (const FormatField &f : format_fields)
		if (same(f.name, name))
			return f.bits();
	no_such_format_field();
	return {};
}

// Every bit of config word w that some format field defines.
consteval u64 defined_bits(unsigned w)
{
	u64 bits = 0;
	for (const FormatField &f : format_fields)
		if (f.word() == w)
			bits |= f.mask();
	return bits;
}

constexpr bool digit(char c) { return c >= '0' && c <= '9'; }

// Every spec is "config:" or "configN:" (N 1 to 3), then lo or lo-hi with
// lo <= hi <= 63, and no two fields share a bit.
consteval bool fields_well_formed()
{
	u64 seen[4] = {};
	for (const FormatField &f : format_fields) {
		const char *p = f.spec;
		for (const char *c = "config"; *c; c++)
			if (*p++ != *c)
				return false;
		if (*p >= '1' && *p <= '3')
			p++;
		if (*p++ != ':' || !digit(*p))
			return false;
		while (digit(*p))
			p++;
		if (*p == '-') {
			if (!digit(*++p))
				return false;
			while (digit(*p))
				p++;
		}
		if (*p || f.lo() > f.hi() || f.hi() > 63 || (seen[f.word()] & f.mask()))
			return false;
		seen[f.word()] |= f.mask();
	}
	return true;
}

} // namespace detail

static_assert(detail::fields_well_formed());
static_assert(detail::defined_bits(0) == (0x7ull | 1ull << 16 | 0x7ffull << 32));
static_assert(detail::defined_bits(1) == ~0ull && detail::defined_bits(3) == ~0ull);
static_assert(detail::defined_bits(2) == 0xfff);

// Register values for an event, computed once at event_init.
struct Programming {
	u64 pmscr = 0, pmsfcr = 0, pmsevfr = 0, pmsnevfr = 0, pmslatfr = 0;
	bool jitter = false;  // PMSIRR.RND
	bool discard = false; // PMBLIMITR.FM = discard, no AUX output
	bool context = false; // PMSCR.CX: CONTEXT packets carry the PID
};

// PMSIRR.INTERVAL keeps bits [31:8] of the period.
inline constexpr u64 max_period = PMSIRR::interval_mask; // 0xffffff00
inline constexpr u64 min_period = 256;

// The INTERVAL for a period, as upstream v6.18 computes it: at least 256
// (INTERVAL must not be zero; PMSIDR's minimum is only a recommendation),
// at most 0xffffff00, a multiple of 256.
constexpr u64 interval(u64 period)
{
	if (period < min_period)
		period = min_period;
	if (period > max_period)
		period = max_period;
	return period & ~u64(0xff);
}

// Whether event_init and check_period take a period. Upstream takes any and
// clamps it when programming; here periods past 0xffffff00 are refused
// (-EINVAL), because a period the hardware cannot honour should not quietly
// become another one (2^40 would sample every 2^32 - 256 operations).
// Below 256 still clamps, as perf's own default (caps/min_interval) may be
// anything from 256 up, and 0 (perf's counting mode, perf stat -e arm_spe//)
// samples at the minimum as upstream does; PERF_EVENT_IOC_PERIOD never
// passes 0, the core refuses it.
constexpr int check_period([[maybe_unused]] const Caps &caps, u64 period)
{
	return period > max_period ? -EINVAL : 0;
}

constexpr u64 pmsirr(const Programming &p, u64 period)
{
	return PMSIRR::Get().set_rnd(p.jitter).reg_value() | interval(period);
}

namespace detail {

// event_init's checks of the attr alone, in upstream's order: 0 or the
// negative errno of the first that fails.
constexpr int check_attr(const Caps &caps, const Attr &attr)
{
	// A config bit that no format field names is a raw config perf did not
	// build from our format/: refuse it rather than ignore it. (config1 and
	// config3 are fully defined, the event-filter checks below cover them.)
	if ((attr.config & ~defined_bits(0)) || (attr.config2 & ~defined_bits(2)))
		return -EOPNOTSUPP;
	// Events this CPU cannot filter on (their PMSEVFR bits read as zero).
	if ((field("event_filter").get(attr) & ~caps.event_filter) ||
	    (field("inv_event_filter").get(attr) & ~caps.event_filter))
		return -EOPNOTSUPP;
	if (attr.exclude_idle)
		return -EOPNOTSUPP;
	// A buffer of samples gives no per-sample feedback to adjust a
	// frequency by: the user must give a period.
	if (attr.freq)
		return -EINVAL;
	return check_period(caps, attr.sample_period);
}

// The filters' PMSFCR, their enables included. Inlined into each program():
// a shared copy out of line costs the module 90 bytes more.
[[gnu::always_inline]] constexpr PMSFCR filter_control(const Attr &attr)
{
	auto fcr = PMSFCR::Get()
		.set_b(field("branch_filter").get(attr))
		.set_ld(field("load_filter").get(attr))
		.set_st(field("store_filter").get(attr))
		.set_bm(field("branch_filter_mask").get(attr))
		.set_ldm(field("load_filter_mask").get(attr))
		.set_stm(field("store_filter_mask").get(attr))
		.set_simd(field("simd_filter").get(attr))
		.set_simdm(field("simd_filter_mask").get(attr))
		.set_fp(field("float_filter").get(attr))
		.set_fpm(field("float_filter_mask").get(attr));
	// A mask bit alone also turns the type filter on, as upstream does.
	fcr.set_ft(fcr.reg_value() != 0);
	fcr.set_fe(field("event_filter").get(attr) != 0);
	fcr.set_fne(field("inv_event_filter").get(attr) != 0);
	fcr.set_fl(field("min_latency").get(attr) != 0);
	return fcr;
}

// Whether the CPU has what the filters and discard mode ask for.
constexpr bool supported(const Caps &caps, const PMSFCR &fcr, bool discard_mode)
{
	constexpr u64 eft_bits = PMSFCR::bm_mask | PMSFCR::ldm_mask | PMSFCR::stm_mask |
				 PMSFCR::simd_mask | PMSFCR::simdm_mask | PMSFCR::fp_mask |
				 PMSFCR::fpm_mask;
	const bool eft_used = fcr.reg_value() & eft_bits;

	return !((fcr.fe() && !caps.has(filt_evt)) || (fcr.fne() && !caps.has(inv_filt_evt)) ||
		 (fcr.ft() && !caps.has(filt_typ)) || (fcr.fl() && !caps.has(filt_lat)) ||
		 (eft_used && !caps.has(eft)) || (discard_mode && !caps.has(discard)));
}

} // namespace detail

// event_init's checks in upstream's order, then the register values.
// allow_kernel() is perf_allow_kernel(): 0 or a negative errno. It is called
// at most once, and only when its answer matters: for CONTEXT packets
// (pid_in_contextidr: the kernel keeps PIDs in CONTEXTIDR_EL1, which should
// reach only a privileged reader) and for PA or PCT (kernel-only
// information), whose refusal is the event's error. Upstream asks it again
// for PA/PCT; the answer cannot differ within one event_init.
template <typename AllowKernel>
	requires std::convertible_to<std::invoke_result_t<AllowKernel &>, int>
kcpp::Result<Programming> program(const Caps &caps, const Attr &attr, bool pid_in_contextidr,
				  AllowKernel allow_kernel)
{
	using detail::field;

	if (const int err = detail::check_attr(caps, attr))
		return kcpp::Error(err);
	const PMSFCR fcr = detail::filter_control(attr);
	const bool discard_mode = field("discard").get(attr);
	if (!detail::supported(caps, fcr, discard_mode))
		return kcpp::Error(-EOPNOTSUPP);

	bool asked = false;
	int allowed = 0;
	auto kernel_allowed = [&]() {
		if (!asked)
			allowed = static_cast<int>(allow_kernel());
		asked = true;
		return allowed;
	};
	const bool context = pid_in_contextidr && kernel_allowed() == 0;

	auto scr = PMSCR::Get()
		.set_ts(field("ts_enable").get(attr))
		.set_pa(field("pa_enable").get(attr))
		.set_pct(field("pct_enable").get(attr))
		.set_e0spe(!attr.exclude_user)
		.set_e1spe(!attr.exclude_kernel)
		.set_cx(context);
	if (scr.pa() || scr.pct()) {
		if (const int err = kernel_allowed())
			return kcpp::Error(err);
	}

	return Programming{
		.pmscr = scr.reg_value(),
		.pmsfcr = fcr.reg_value(),
		.pmsevfr = field("event_filter").get(attr),
		.pmsnevfr = field("inv_event_filter").get(attr),
		.pmslatfr = PMSLATFR::Get().set_minlat(field("min_latency").get(attr)).reg_value(),
		.jitter = field("jitter").get(attr) != 0,
		.discard = discard_mode,
		.context = context,
	};
}

} // namespace armature::spe
