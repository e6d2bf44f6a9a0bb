// SPDX-License-Identifier: GPL-2.0
// Tests of the SPE driver's pure decisions: probing the ID registers
// (caps.hpp), checking a perf_event_attr and turning it into register values
// (config.hpp), the format/ files, the sampling interval, and decoding the
// buffer syndrome (syndrome.hpp). Tables of cases, one row per rule or
// errno. Built as the KUnit suite armature_spe_config
// (arm_spe_config_test_glue.c) and as host tests.
#include <kcpp_test.hpp>

#include "caps.hpp"
#include "config.hpp"
#include "syndrome.hpp"

#include <initializer_list>

using namespace armature::spe;

namespace {

constexpr u64 bit(unsigned n) { return u64(1) << n; }

// For printf's %llx: u64 is unsigned long on some hosts.
constexpr unsigned long long ull(u64 v) { return v; }

// --- register images ---------------------------------------------------------

constexpr u64 dfr0(unsigned pmsver) { return u64(pmsver) << 32; }

constexpr u64 pmbidr(unsigned align, bool p = false) { return align | (p ? bit(4) : 0); }

// FE, FT and FL; 256 minimum interval, 64-byte records, 12-bit counters.
constexpr u64 pmsidr_fields(unsigned interval, unsigned max_size, unsigned count_size)
{
	return u64(interval) << 8 | u64(max_size) << 12 | u64(count_size) << 16;
}
constexpr u64 pmsidr_basic = 0x7 | pmsidr_fields(0, 6, 2);

constexpr bool same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

// The first of these values describe() gives no text for, or the same text
// as another; -1 when each has its own.
template <typename E>
int undescribed_or_alike(std::initializer_list<E> values)
{
	for (E a : values) {
		if (!describe(a))
			return int(a);
		for (E b : values)
			if (a != b && same(describe(a), describe(b)))
				return int(a);
	}
	return -1;
}

// --- event_init --------------------------------------------------------------

constexpr u32 all_features = filt_evt | filt_typ | filt_lat | arch_inst | lds | ernd |
			     inv_filt_evt | discard | eft;
// SPEv1.1's filterable events (the 6.12 RES0 mask's complement).
constexpr u64 v1p1_events = 0xffff0000ff0e08aaull | bit(17) | bit(18) | bit(11);

constexpr Caps caps(u32 features, u64 events = ~u64(0))
{
	return Caps{3, features, 256, 12, events, Records()};
}

constexpr u64 period = 4096;

// Config bits, by format field.
constexpr u64 ts = bit(0), pa = bit(1), pct = bit(2), jitter = bit(16), br = bit(32), ld = bit(33),
	      st = bit(34), dis = bit(35), brm = bit(36), ldm = bit(37), stm = bit(38),
	      simd = bit(39), simdm = bit(40), fp = bit(41), fpm = bit(42);

// PMSCR and PMSFCR bits.
constexpr u64 e0 = bit(0), e1 = bit(1), cx = bit(3), scr_pa = bit(4), scr_ts = bit(5),
	      scr_pct = bit(6);
constexpr u64 fe = bit(0), ft = bit(1), fl = bit(2), fne = bit(3), fcr_b = bit(16),
	      fcr_ld = bit(17), fcr_st = bit(18), fcr_fp = bit(19), fcr_simd = bit(20),
	      fcr_bm = bit(48), fcr_ldm = bit(49), fcr_stm = bit(50), fcr_fpm = bit(51),
	      fcr_simdm = bit(52);

struct Outcome {
	int code;
	int calls; // of allow_kernel
	Programming prog;
};

Outcome run(const Caps &c, const Attr &a, bool pid_in_contextidr, int allow)
{
	int calls = 0;
	auto res = program(c, a, pid_in_contextidr, [&]() {
		calls++;
		return allow;
	});
	return {res.code(), calls, res ? res.value() : Programming{}};
}

struct AttrRow {
	const char *what;
	u32 features;
	u64 events; // caps.event_filter
	Attr attr;
	bool pid_in_contextidr;
	int allow;  // what allow_kernel() returns
	int code;   // program()'s errno, 0 for success
	int calls;  // allow_kernel() calls expected
};

constexpr u32 all = all_features;
constexpr u64 any_event = ~u64(0);

// Attr{config, config1, config2, config3, period, freq, excl_user, excl_kernel, excl_idle}
const AttrRow attr_rows[] = {
	{"plain", all, any_event, {0, 0, 0, 0, period}, false, 0, 0, 0},
	{"plain, nothing filterable", 0, 0, {0, 0, 0, 0, period}, false, 0, 0, 0},
	// Raw config bits no format field defines.
	{"config bit 3", all, any_event, {bit(3), 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"config bit 15", all, any_event, {bit(15), 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"config bit 17", all, any_event, {bit(17), 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"config bit 31", all, any_event, {bit(31), 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"config bit 43", all, any_event, {bit(43), 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"config bit 63", all, any_event, {bit(63), 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"config2 bit 12", all, any_event, {0, 0, bit(12), 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"config2 bit 63", all, any_event, {0, 0, bit(63), 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"config2 all 12 bits", all, any_event, {0, 0, 0xfff, 0, period}, false, 0, 0, 0},
	{"reserved bit before freq", all, any_event, {bit(3), 0, 0, 0, period, true}, false, 0, -EOPNOTSUPP, 0},
	{"reserved bit before privilege", all, any_event, {pa | bit(3), 0, 0, 0, period}, true, -EACCES, -EOPNOTSUPP, 0},
	// Event filters against the probed PMSEVFR.
	{"event filter, implemented bits", all, v1p1_events, {0, v1p1_events, 0, 0, period}, false, 0, 0, 0},
	{"event filter, bit 0 not implemented", all, v1p1_events, {0, bit(0) | bit(1), 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"event filter, v1p4 bit 2 on v1p1", all, v1p1_events, {0, bit(2), 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"event filter, v1p4 bit 2 probed", all, v1p1_events | bit(2), {0, bit(2), 0, 0, period}, false, 0, 0, 0},
	{"inverted filter, implemented bits", all, v1p1_events, {0, 0, 0, bit(1) | bit(63), period}, false, 0, 0, 0},
	{"inverted filter, bit 4 not implemented", all, v1p1_events, {0, 0, 0, bit(4), period}, false, 0, -EOPNOTSUPP, 0},
	{"event filter, nothing implemented", all, 0, {0, bit(1), 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	// Attr flags.
	{"exclude_idle", all, any_event, {0, 0, 0, 0, period, false, false, false, true}, false, 0, -EOPNOTSUPP, 0},
	{"exclude_idle before freq", all, any_event, {0, 0, 0, 0, period, true, false, false, true}, false, 0, -EOPNOTSUPP, 0},
	{"freq", all, any_event, {0, 0, 0, 0, 4000, true}, false, 0, -EINVAL, 0},
	{"freq before missing filters", 0, any_event, {ld, 0, 0, 0, 4000, true}, false, 0, -EINVAL, 0},
	{"exclude_user", all, any_event, {0, 0, 0, 0, period, false, true}, false, 0, 0, 0},
	{"exclude_kernel", all, any_event, {0, 0, 0, 0, period, false, false, true}, false, 0, 0, 0},
	// The period.
	{"period 0 (counting mode: the minimum)", all, any_event, {0, 0, 0, 0, 0}, false, 0, 0, 0},
	{"period 1", all, any_event, {0, 0, 0, 0, 1}, false, 0, 0, 0},
	{"period 0xffffff00", all, any_event, {0, 0, 0, 0, 0xffffff00}, false, 0, 0, 0},
	{"period 0xffffff01", all, any_event, {0, 0, 0, 0, 0xffffff01}, false, 0, -EINVAL, 0},
	{"period 2^63", all, any_event, {0, 0, 0, 0, bit(63)}, false, 0, -EINVAL, 0},
	{"period 2^32 before missing filters", 0, any_event, {ld, 0, 0, 0, bit(32)}, false, 0, -EINVAL, 0},
	// Filters the CPU lacks.
	{"event filter without FE", all & ~filt_evt, any_event, {0, bit(1), 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"inverted filter without FnE", all & ~inv_filt_evt, any_event, {0, 0, 0, bit(1), period}, false, 0, -EOPNOTSUPP, 0},
	{"branch filter without FT", all & ~filt_typ, any_event, {br, 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"load filter without FT", all & ~filt_typ, any_event, {ld, 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"store filter without FT", all & ~filt_typ, any_event, {st, 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"min latency without FL", all & ~filt_lat, any_event, {0, 0, 1, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"min latency 0 without FL", all & ~filt_lat, any_event, {0, 0, 0, 0, period}, false, 0, 0, 0},
	{"branch mask without EFT", all & ~eft, any_event, {br | brm, 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"load mask without EFT", all & ~eft, any_event, {ldm, 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"store mask without EFT", all & ~eft, any_event, {stm, 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"simd filter without EFT", all & ~eft, any_event, {simd, 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"simd mask without EFT", all & ~eft, any_event, {simdm, 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"float filter without EFT", all & ~eft, any_event, {fp, 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"float mask without EFT", all & ~eft, any_event, {fpm, 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"EFT filters with EFT", all, any_event, {simd | simdm | fp | fpm | brm | ldm | stm, 0, 0, 0, period}, false, 0, 0, 0},
	{"EFT filter with EFT, without FT", all & ~filt_typ, any_event, {fp, 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"B/LD/ST without EFT", all & ~eft, any_event, {br | ld | st, 0, 0, 0, period}, false, 0, 0, 0},
	{"discard without the feature", all & ~discard, any_event, {dis, 0, 0, 0, period}, false, 0, -EOPNOTSUPP, 0},
	{"discard", all, any_event, {dis, 0, 0, 0, period}, false, 0, 0, 0},
	{"missing filter before privilege", all & ~filt_typ, any_event, {pa | ld, 0, 0, 0, period}, true, -EACCES, -EOPNOTSUPP, 0},
	// Privilege: allow_kernel() asked only for CX and PA/PCT, at most once.
	{"pa, allowed", all, any_event, {pa, 0, 0, 0, period}, false, 0, 0, 1},
	{"pa, refused", all, any_event, {pa, 0, 0, 0, period}, false, -EACCES, -EACCES, 1},
	{"pa, refused by an LSM", all, any_event, {pa, 0, 0, 0, period}, false, -EPERM, -EPERM, 1},
	{"pct, allowed", all, any_event, {pct, 0, 0, 0, period}, false, 0, 0, 1},
	{"pct, refused", all, any_event, {pct, 0, 0, 0, period}, false, -EACCES, -EACCES, 1},
	{"ts needs no privilege", all, any_event, {ts, 0, 0, 0, period}, false, -EACCES, 0, 0},
	{"context, allowed", all, any_event, {0, 0, 0, 0, period}, true, 0, 0, 1},
	{"context, refused: no CX", all, any_event, {0, 0, 0, 0, period}, true, -EACCES, 0, 1},
	{"context and pa, allowed", all, any_event, {pa | pct, 0, 0, 0, period}, true, 0, 0, 1},
	{"context and pa, refused", all, any_event, {pa, 0, 0, 0, period}, true, -EACCES, -EACCES, 1},
	{"user only, unprivileged", all, any_event, {ts | jitter | ld, bit(1), 0, 0, period, false, false, true}, false, -EACCES, 0, 0},
};

// Register values of accepted attrs (all features, every event filterable).
struct ProgRow {
	const char *what;
	Attr attr;
	bool pid_in_contextidr;
	int allow;
	Programming want;
};

const ProgRow prog_rows[] = {
	{"plain", {0, 0, 0, 0, period}, false, 0, {e0 | e1, 0, 0, 0, 0, false, false, false}},
	{"exclude_user", {0, 0, 0, 0, period, false, true}, false, 0, {e1, 0, 0, 0, 0, false, false, false}},
	{"exclude_kernel", {0, 0, 0, 0, period, false, false, true}, false, 0, {e0, 0, 0, 0, 0, false, false, false}},
	{"exclude both", {0, 0, 0, 0, period, false, true, true}, false, 0, {0, 0, 0, 0, 0, false, false, false}},
	{"ts", {ts, 0, 0, 0, period}, false, 0, {e0 | e1 | scr_ts, 0, 0, 0, 0, false, false, false}},
	{"pa", {pa, 0, 0, 0, period}, false, 0, {e0 | e1 | scr_pa, 0, 0, 0, 0, false, false, false}},
	{"pct is the physical counter", {pct, 0, 0, 0, period}, false, 0, {e0 | e1 | scr_pct, 0, 0, 0, 0, false, false, false}},
	{"context", {0, 0, 0, 0, period}, true, 0, {e0 | e1 | cx, 0, 0, 0, 0, false, false, true}},
	{"context refused", {0, 0, 0, 0, period}, true, -EACCES, {e0 | e1, 0, 0, 0, 0, false, false, false}},
	{"jitter", {jitter, 0, 0, 0, period}, false, 0, {e0 | e1, 0, 0, 0, 0, true, false, false}},
	{"discard", {dis, 0, 0, 0, period}, false, 0, {e0 | e1, 0, 0, 0, 0, false, true, false}},
	{"branch", {br, 0, 0, 0, period}, false, 0, {e0 | e1, ft | fcr_b, 0, 0, 0, false, false, false}},
	{"load", {ld, 0, 0, 0, period}, false, 0, {e0 | e1, ft | fcr_ld, 0, 0, 0, false, false, false}},
	{"store", {st, 0, 0, 0, period}, false, 0, {e0 | e1, ft | fcr_st, 0, 0, 0, false, false, false}},
	{"branch mask alone sets FT", {brm, 0, 0, 0, period}, false, 0, {e0 | e1, ft | fcr_bm, 0, 0, 0, false, false, false}},
	{"load mask alone sets FT", {ldm, 0, 0, 0, period}, false, 0, {e0 | e1, ft | fcr_ldm, 0, 0, 0, false, false, false}},
	{"store mask alone sets FT", {stm, 0, 0, 0, period}, false, 0, {e0 | e1, ft | fcr_stm, 0, 0, 0, false, false, false}},
	{"simd", {simd, 0, 0, 0, period}, false, 0, {e0 | e1, ft | fcr_simd, 0, 0, 0, false, false, false}},
	{"simd mask alone sets FT", {simdm, 0, 0, 0, period}, false, 0, {e0 | e1, ft | fcr_simdm, 0, 0, 0, false, false, false}},
	{"float", {fp, 0, 0, 0, period}, false, 0, {e0 | e1, ft | fcr_fp, 0, 0, 0, false, false, false}},
	{"float mask alone sets FT", {fpm, 0, 0, 0, period}, false, 0, {e0 | e1, ft | fcr_fpm, 0, 0, 0, false, false, false}},
	{"store and simd", {st | stm | simd | simdm, 0, 0, 0, period}, false, 0,
	 {e0 | e1, ft | fcr_st | fcr_stm | fcr_simd | fcr_simdm, 0, 0, 0, false, false, false}},
	{"event filter", {0, bit(1) | bit(3) | bit(63), 0, 0, period}, false, 0,
	 {e0 | e1, fe, bit(1) | bit(3) | bit(63), 0, 0, false, false, false}},
	{"inverted event filter", {0, 0, 0, bit(5) | bit(0), period}, false, 0,
	 {e0 | e1, fne, 0, bit(5) | bit(0), 0, false, false, false}},
	{"min latency", {0, 0, 0xfff, 0, period}, false, 0, {e0 | e1, fl, 0, 0, 0xfff, false, false, false}},
	{"min latency 1", {0, 0, 1, 0, period}, false, 0, {e0 | e1, fl, 0, 0, 1, false, false, false}},
	{"everything", {ts | pa | pct | jitter | br | ld | st | dis | brm | ldm | stm | simd | simdm | fp | fpm,
			bit(1) | bit(7), 300, bit(5), period, false, false, false},
	 true, 0,
	 {e0 | e1 | cx | scr_pa | scr_ts | scr_pct,
	  fe | ft | fl | fne | fcr_b | fcr_ld | fcr_st | fcr_fp | fcr_simd | fcr_bm | fcr_ldm | fcr_stm |
		  fcr_fpm | fcr_simdm,
	  bit(1) | bit(7), bit(5), 300, true, true, true}},
};

// --- syndromes ---------------------------------------------------------------

constexpr u64 S = bit(17), DL = bit(19), COLL = bit(16), EA = bit(18);
constexpr u64 ec(u64 v) { return v << 26; }

struct SyndromeRow {
	u64 pmbsr;
	Action action;
	Fault fault;
	u64 flags;
};

const SyndromeRow syndrome_rows[] = {
	{0, Action::spurious, Fault::none, 0},
	{DL | COLL | 1, Action::spurious, Fault::none, 0},          // flags mean nothing without S
	{ec(0x24) | 1, Action::spurious, Fault::none, 0},
	{S | 1, Action::resume, Fault::none, 0},                    // buffer full
	{S | 1 | COLL, Action::resume, Fault::none, aux_collision},
	{S | 1 | DL, Action::resume, Fault::none, aux_truncated | aux_partial},
	{S | 1 | DL | COLL, Action::resume, Fault::none, aux_truncated | aux_partial | aux_collision},
	{S | 1 | EA, Action::resume, Fault::none, 0},
	{S, Action::fatal, Fault::unknown_bsc, 0},                  // BSC 0: not filled
	{S | 2, Action::fatal, Fault::unknown_bsc, 0},
	{S | 0x3f, Action::fatal, Fault::unknown_bsc, 0},
	{S | 0x41, Action::fatal, Fault::unknown_bsc, 0},           // RES0 MSS bits set
	{S | ec(0x24) | 0x07, Action::fatal, Fault::stage1, 0},
	{S | ec(0x24) | 1 | DL, Action::fatal, Fault::stage1, aux_truncated | aux_partial},
	{S | ec(0x25) | 0x0f, Action::fatal, Fault::stage2, 0},
	{S | ec(0x25) | COLL, Action::fatal, Fault::stage2, aux_collision},
	{S | ec(0x1e), Action::fatal, Fault::gpc, 0},
	{S | ec(0x1f) | 1, Action::fatal, Fault::unknown_ec, 0},    // IMPLEMENTATION DEFINED
	{S | ec(0x01) | 1, Action::fatal, Fault::unknown_ec, 0},
	{S | ec(0x3f) | 1, Action::fatal, Fault::unknown_ec, 0},
	{~u64(0) & ~S, Action::spurious, Fault::none, 0},
	{~u64(0), Action::fatal, Fault::unknown_ec, aux_truncated | aux_partial | aux_collision},
};

} // namespace

// --- probe_caps --------------------------------------------------------------

KCPP_TEST(spe_caps, refusals_in_upstream_order)
{
	struct Row {
		const char *what;
		u64 dfr0, pmbidr, pmsidr;
		ProbeStatus status;
		unsigned raw;
	};
	static const Row rows[] = {
		{"no SPE", dfr0(0), pmbidr(0), pmsidr_basic, ProbeStatus::no_spe, 0},
		{"no SPE before owned", dfr0(0), pmbidr(15, true), 0, ProbeStatus::no_spe, 0},
		{"no SPE, other DFR0 fields set", ~dfr0(0xf), pmbidr(0), pmsidr_basic, ProbeStatus::no_spe, 0},
		{"owned", dfr0(1), pmbidr(0, true), pmsidr_basic, ProbeStatus::owned_by_higher_el, 1},
		{"owned before bad align", dfr0(3), pmbidr(15, true), 0, ProbeStatus::owned_by_higher_el, 1},
		{"align 12", dfr0(1), pmbidr(12), pmsidr_basic, ProbeStatus::bad_align, 12},
		{"align 15", dfr0(1), pmbidr(15), pmsidr_basic, ProbeStatus::bad_align, 15},
		{"bad align before bad max size", dfr0(1), pmbidr(13), pmsidr_fields(0, 0, 2), ProbeStatus::bad_align, 13},
		{"max size 0", dfr0(1), pmbidr(0), pmsidr_fields(0, 0, 2), ProbeStatus::bad_max_size, 0},
		{"max size 3", dfr0(1), pmbidr(0), pmsidr_fields(0, 3, 2), ProbeStatus::bad_max_size, 3},
		{"max size 12", dfr0(1), pmbidr(0), pmsidr_fields(0, 12, 2), ProbeStatus::bad_max_size, 12},
		{"max size 15", dfr0(1), pmbidr(11), pmsidr_fields(8, 15, 3), ProbeStatus::bad_max_size, 15},
		{"PMBIDR F and EA ignored", dfr0(1), pmbidr(0) | bit(5) | 0xf00, pmsidr_basic, ProbeStatus::ok, 0},
	};
	for (const Row &row : rows) {
		const ProbeReport r = probe_caps(row.dfr0, row.pmbidr, row.pmsidr, 0);
		if (r.status != row.status || r.raw_field != row.raw)
			KCPP_FAIL("%s: status %d raw %u, want %d raw %u", row.what, int(r.status),
				  r.raw_field, int(row.status), row.raw);
	}
}

KCPP_TEST(spe_caps, every_align_and_max_size)
{
	for (unsigned align = 0; align < 16; align++) {
		for (unsigned max = 0; max < 16; max++) {
			const ProbeReport r = probe_caps(dfr0(1), pmbidr(align), pmsidr_fields(0, max, 2), 0);
			const bool ok = align <= 11 && max >= 4 && max <= 11;
			if ((r.status == ProbeStatus::ok) != ok) {
				KCPP_FAIL("align %u max size %u: status %d", align, max, int(r.status));
				continue;
			}
			if (ok && (r.caps.records.align() != 1u << align ||
				   r.caps.records.max_size() != 1u << max))
				KCPP_FAIL("align %u max size %u: records %u/%u", align, max,
					  r.caps.records.align(), r.caps.records.max_size());
		}
	}
}

KCPP_TEST(spe_caps, every_interval)
{
	static const u32 want[16] = {256, 0, 512, 768, 1024, 1536, 2048, 3072, 4096};
	for (unsigned f = 0; f < 16; f++) {
		const ProbeReport r = probe_caps(dfr0(1), pmbidr(0), pmsidr_fields(f, 6, 2), 0);
		KCPP_ASSERT_TRUE(r.status == ProbeStatus::ok);
		const bool assumed = want[f] == 0;
		if (r.caps.min_interval != (assumed ? 4096 : want[f]) || r.interval_assumed != assumed ||
		    r.raw_interval != f)
			KCPP_FAIL("Interval %u: %u assumed %d", f, r.caps.min_interval, r.interval_assumed);
		KCPP_EXPECT_FALSE(r.count_size_assumed);
	}
}

KCPP_TEST(spe_caps, every_count_size)
{
	for (unsigned f = 0; f < 16; f++) {
		const ProbeReport r = probe_caps(dfr0(1), pmbidr(0), pmsidr_fields(0, 6, f), 0);
		KCPP_ASSERT_TRUE(r.status == ProbeStatus::ok);
		const u32 want = f == 3 ? 16 : 12;
		const bool assumed = f != 2 && f != 3;
		if (r.caps.counter_size != want || r.count_size_assumed != assumed || r.raw_count_size != f)
			KCPP_FAIL("CountSize %u: %u assumed %d", f, r.caps.counter_size, r.count_size_assumed);
		KCPP_EXPECT_FALSE(r.interval_assumed);
	}
}

KCPP_TEST(spe_caps, every_pmsidr_bit)
{
	// PMSIDR bit -> feature (0: none). Bits 8 to 23 are the fields above.
	struct Row {
		unsigned bit;
		u32 feature;
	};
	static const Row rows[] = {
		{0, filt_evt}, {1, filt_typ}, {2, filt_lat}, {3, arch_inst}, {4, lds}, {5, ernd},
		{6, inv_filt_evt}, {7, 0} /* FDS */, {24, 0} /* PBT */, {25, 0} /* CRR */, {26, eft},
		{27, 0} /* FPF */, {28, 0}, {31, 0}, {32, 0} /* SME */, {63, 0},
	};
	for (const Row &row : rows) {
		const ProbeReport r = probe_caps(dfr0(1), pmbidr(0), pmsidr_fields(0, 6, 2) | bit(row.bit), 0);
		if (r.status != ProbeStatus::ok || r.caps.features != row.feature)
			KCPP_FAIL("PMSIDR bit %u: status %d features %#x, want %#x", row.bit,
				  int(r.status), r.caps.features, row.feature);
	}
	const ProbeReport r = probe_caps(dfr0(1), pmbidr(0), pmsidr_basic | 0x7f | bit(26), 0);
	KCPP_EXPECT_EQ(r.caps.features, all_features & ~discard);
	for (Feature f : {filt_evt, filt_typ, filt_lat, arch_inst, lds, ernd, inv_filt_evt, eft})
		KCPP_EXPECT_TRUE(r.caps.has(f));
	KCPP_EXPECT_FALSE(r.caps.has(discard));
}

KCPP_TEST(spe_caps, every_pmsver)
{
	for (unsigned v = 1; v < 16; v++) {
		const ProbeReport r = probe_caps(dfr0(v), pmbidr(0), pmsidr_fields(0, 6, 2), 0);
		KCPP_ASSERT_TRUE(r.status == ProbeStatus::ok);
		if (r.caps.pmsver != v || r.caps.has(discard) != (v >= 3))
			KCPP_FAIL("PMSVer %u: pmsver %u features %#x", v, r.caps.pmsver, r.caps.features);
	}
	// Other ID_AA64DFR0 fields do not leak in.
	const ProbeReport r = probe_caps(~dfr0(0xf) | dfr0(1), pmbidr(0), pmsidr_fields(0, 6, 2), 0);
	KCPP_EXPECT_EQ(r.caps.pmsver, 1u);
	KCPP_EXPECT_EQ(r.caps.features, 0u);
}

KCPP_TEST(spe_caps, event_filter_is_the_readback)
{
	for (u64 readback : {u64(0), v1p1_events, v1p1_events | bit(2) | bit(19), ~u64(0)}) {
		const ProbeReport r = probe_caps(dfr0(5), pmbidr(0), pmsidr_basic, readback);
		KCPP_EXPECT_EQ(r.caps.event_filter, readback);
	}
	const ProbeReport r = probe_caps(dfr0(3), pmbidr(4), pmsidr_fields(4, 7, 3) | 0x45, 0xabcd);
	KCPP_ASSERT_TRUE(r.status == ProbeStatus::ok);
	KCPP_EXPECT_EQ(r.caps.pmsver, 3u);
	KCPP_EXPECT_EQ(r.caps.features, u32(filt_evt | filt_lat | inv_filt_evt | discard));
	KCPP_EXPECT_EQ(r.caps.min_interval, 1024u);
	KCPP_EXPECT_EQ(r.caps.counter_size, 16u);
	KCPP_EXPECT_EQ(r.caps.event_filter, 0xabcdu);
	KCPP_EXPECT_EQ(r.caps.records.align(), 16u);
	KCPP_EXPECT_EQ(r.caps.records.max_size(), 128u);
	KCPP_EXPECT_FALSE(r.interval_assumed);
	KCPP_EXPECT_FALSE(r.count_size_assumed);
}

KCPP_TEST(spe_caps, describe)
{
	KCPP_EXPECT_EQ(undescribed_or_alike({ProbeStatus::ok, ProbeStatus::no_spe, ProbeStatus::owned_by_higher_el,
					     ProbeStatus::bad_align, ProbeStatus::bad_max_size}),
		       -1);
	KCPP_EXPECT_TRUE(same(describe(ProbeStatus::owned_by_higher_el),
			      "profiling buffer owned by higher exception level"));
}

// --- program -----------------------------------------------------------------

KCPP_TEST(spe_config, attr_rules_and_errnos)
{
	for (const AttrRow &row : attr_rows) {
		const Outcome o = run(caps(row.features, row.events), row.attr, row.pid_in_contextidr, row.allow);
		if (o.code != row.code || o.calls != row.calls)
			KCPP_FAIL("%s: errno %d after %d allow_kernel calls, want %d after %d", row.what,
				  o.code, o.calls, row.code, row.calls);
	}
}

KCPP_TEST(spe_config, register_values)
{
	const Caps c = caps(all_features);
	for (const ProgRow &row : prog_rows) {
		const Outcome o = run(c, row.attr, row.pid_in_contextidr, row.allow);
		const Programming &p = o.prog, &w = row.want;
		if (o.code || p.pmscr != w.pmscr || p.pmsfcr != w.pmsfcr || p.pmsevfr != w.pmsevfr ||
		    p.pmsnevfr != w.pmsnevfr || p.pmslatfr != w.pmslatfr || p.jitter != w.jitter ||
		    p.discard != w.discard || p.context != w.context)
			KCPP_FAIL("%s: errno %d pmscr %#llx pmsfcr %#llx evfr %#llx nevfr %#llx latfr %#llx "
				  "jitter %d discard %d context %d",
				  row.what, o.code, ull(p.pmscr), ull(p.pmsfcr), ull(p.pmsevfr),
				  ull(p.pmsnevfr), ull(p.pmslatfr),
				  p.jitter, p.discard, p.context);
	}
}

// Every bit of every config word alone: accepted exactly when a format field
// defines it (and, for the privileged ones, allow_kernel() agrees).
KCPP_TEST(spe_config, every_config_bit)
{
	const Caps c = caps(all_features);
	for (unsigned word = 0; word < 4; word++) {
		u64 defined = 0;
		for (const FormatField &f : format_fields)
			if (f.word() == word)
				defined |= f.mask();
		for (unsigned b = 0; b < 64; b++) {
			Attr a{0, 0, 0, 0, period};
			u64 *cfg[] = {&a.config, &a.config1, &a.config2, &a.config3};
			*cfg[word] = bit(b);
			for (int allow : {0, -EACCES}) {
				const bool privileged = word == 0 && (b == 1 || b == 2);
				const int want = !(defined & bit(b)) ? -EOPNOTSUPP : privileged ? allow : 0;
				const Outcome o = run(c, a, false, allow);
				if (o.code != want)
					KCPP_FAIL("config%u bit %u, allow %d: errno %d, want %d", word, b,
						  allow, o.code, want);
			}
		}
	}
}

// --- format/ -----------------------------------------------------------------

KCPP_TEST(spe_format, fields_as_upstream)
{
	struct Row {
		const char *name, *spec;
		u32 needs;
		unsigned word, lo, hi;
	};
	static const Row rows[] = {
		{"ts_enable", "config:0", 0, 0, 0, 0},
		{"pa_enable", "config:1", 0, 0, 1, 1},
		{"pct_enable", "config:2", 0, 0, 2, 2},
		{"jitter", "config:16", 0, 0, 16, 16},
		{"branch_filter", "config:32", 0, 0, 32, 32},
		{"load_filter", "config:33", 0, 0, 33, 33},
		{"store_filter", "config:34", 0, 0, 34, 34},
		{"discard", "config:35", discard, 0, 35, 35},
		{"branch_filter_mask", "config:36", eft, 0, 36, 36},
		{"load_filter_mask", "config:37", eft, 0, 37, 37},
		{"store_filter_mask", "config:38", eft, 0, 38, 38},
		{"simd_filter", "config:39", eft, 0, 39, 39},
		{"simd_filter_mask", "config:40", eft, 0, 40, 40},
		{"float_filter", "config:41", eft, 0, 41, 41},
		{"float_filter_mask", "config:42", eft, 0, 42, 42},
		{"event_filter", "config1:0-63", 0, 1, 0, 63},
		{"min_latency", "config2:0-11", 0, 2, 0, 11},
		{"inv_event_filter", "config3:0-63", inv_filt_evt, 3, 0, 63},
	};
	KCPP_ASSERT_EQ(sizeof(format_fields) / sizeof(format_fields[0]), sizeof(rows) / sizeof(rows[0]));
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const FormatField &f = format_fields[i];
		const Row &w = rows[i];
		if (!same(f.name, w.name) || !same(f.spec, w.spec) || f.needs != w.needs ||
		    f.word() != w.word || f.lo() != w.lo || f.hi() != w.hi ||
		    f.single_bit() != (w.lo == w.hi))
			KCPP_FAIL("field %u: %s %s needs %#x (config%u %u-%u), want %s %s", i, f.name,
				  f.spec, f.needs, f.word(), f.lo(), f.hi(), w.name, w.spec);
	}
	KCPP_EXPECT_EQ(format_fields[15].mask(), ~u64(0));
	KCPP_EXPECT_EQ(format_fields[16].mask(), u64(0xfff));
	KCPP_EXPECT_EQ(format_fields[7].mask(), bit(35));
	const Attr a{0x5a5a5a5a5a5a5a5a, 0x1234, 0xabcdef, 0x8000000000000001, period};
	KCPP_EXPECT_EQ(format_fields[16].get(a), u64(0xdef));
	KCPP_EXPECT_EQ(format_fields[15].get(a), u64(0x1234));
	KCPP_EXPECT_EQ(format_fields[17].get(a), u64(0x8000000000000001));
	KCPP_EXPECT_EQ(format_fields[1].get(a), u64(1));
	KCPP_EXPECT_EQ(format_fields[0].get(a), u64(0));
}

KCPP_TEST(spe_format, visibility_per_feature_set)
{
	struct Row {
		const char *what;
		u32 features;
		unsigned shown;
		bool discard, eft, inv;
	};
	static const Row rows[] = {
		{"SPEv1, nothing", 0, 9, false, false, false},
		{"SPEv1, FE FT FL", filt_evt | filt_typ | filt_lat | arch_inst | lds | ernd, 9, false, false, false},
		{"FnE", inv_filt_evt, 10, false, false, true},
		{"discard", discard, 10, true, false, false},
		{"EFT", eft, 16, false, true, false},
		{"SPEv1p2", filt_evt | filt_typ | filt_lat | inv_filt_evt | discard, 11, true, false, true},
		{"everything", all_features, 18, true, true, true},
	};
	for (const Row &row : rows) {
		unsigned shown = 0;
		for (const FormatField &f : format_fields) {
			const bool want = f.needs == discard ? row.discard :
					  f.needs == eft ? row.eft :
					  f.needs == inv_filt_evt ? row.inv : true;
			if (f.shown(row.features) != want)
				KCPP_FAIL("%s: %s shown %d", row.what, f.name, f.shown(row.features));
			shown += f.shown(row.features);
		}
		if (shown != row.shown)
			KCPP_FAIL("%s: %u files, want %u", row.what, shown, row.shown);
	}
}

// A field the format hides is one event_init refuses: perf cannot build it
// from sysfs, and a raw config asking for it must fail.
KCPP_TEST(spe_format, hidden_fields_are_refused)
{
	for (u32 features : {u32(0), u32(filt_evt | filt_typ | filt_lat), u32(all_features & ~eft),
			     u32(all_features & ~discard), u32(all_features & ~inv_filt_evt), all_features}) {
		const Caps c = caps(features | filt_typ);
		for (const FormatField &f : format_fields) {
			if (!f.needs)
				continue;
			Attr a{0, 0, 0, 0, period};
			u64 *cfg[] = {&a.config, &a.config1, &a.config2, &a.config3};
			*cfg[f.word()] = u64(1) << f.lo();
			const int code = run(c, a, false, 0).code;
			if ((code == 0) != f.shown(c.features))
				KCPP_FAIL("features %#x, %s: errno %d", c.features, f.name, code);
		}
	}
}

// --- the interval ------------------------------------------------------------

KCPP_TEST(spe_interval, clamped_at_the_edges)
{
	struct Row {
		u64 period, interval;
		int check;
	};
	static const Row rows[] = {
		{0, 256, 0},
		{1, 256, 0},
		{255, 256, 0},
		{256, 256, 0},
		{257, 256, 0},
		{511, 256, 0},
		{512, 512, 0},
		{4096, 4096, 0},
		{4097, 4096, 0},
		{0xfffffe00, 0xfffffe00, 0},
		{0xfffffeff, 0xfffffe00, 0},
		{0xffffff00, 0xffffff00, 0},
		{0xffffff01, 0xffffff00, -EINVAL},
		{0xffffffff, 0xffffff00, -EINVAL},
		{bit(32), 0xffffff00, -EINVAL},
		{bit(63), 0xffffff00, -EINVAL},
		{~u64(0), 0xffffff00, -EINVAL},
	};
	const Caps c = caps(all_features);
	const Programming plain{}, jittered{.jitter = true};
	for (const Row &row : rows) {
		if (interval(row.period) != row.interval || check_period(c, row.period) != row.check ||
		    pmsirr(plain, row.period) != row.interval || pmsirr(jittered, row.period) != (row.interval | 1))
			KCPP_FAIL("period %#llx: interval %#llx check %d pmsirr %#llx/%#llx", ull(row.period),
				  ull(interval(row.period)), check_period(c, row.period),
				  ull(pmsirr(plain, row.period)), ull(pmsirr(jittered, row.period)));
	}
	// The interval is a valid PMSIRR.INTERVAL for every period.
	for (unsigned b = 0; b < 64; b++)
		for (u64 p : {bit(b) - 1, bit(b), bit(b) + 1}) {
			const u64 i = interval(p);
			if (!i || (i & ~PMSIRR::interval_mask))
				KCPP_FAIL("period %#llx: interval %#llx", ull(p), ull(i));
		}
}

// --- syndrome ----------------------------------------------------------------

KCPP_TEST(spe_syndrome, examples)
{
	for (const SyndromeRow &row : syndrome_rows) {
		const Syndrome s = decode(row.pmbsr);
		if (s.action != row.action || s.fault != row.fault || s.aux_flags != row.flags)
			KCPP_FAIL("PMBSR %#llx: action %d fault %d flags %#llx, want %d %d %#llx", ull(row.pmbsr),
				  int(s.action), int(s.fault), ull(s.aux_flags), int(row.action),
				  int(row.fault), ull(row.flags));
	}
}

// Every EC with S, DL, COLL and EA in every combination, and the status
// codes around "full".
KCPP_TEST(spe_syndrome, every_ec_bsc_and_flag)
{
	static const u64 mss_values[] = {0, 1, 2, 0x3f, 0x40, 0x41, 0x101, 0xffff};
	for (u64 flags = 0; flags < 16; flags++) {
		const bool s = flags & 1, dl = flags & 2, coll = flags & 4, ea = flags & 8;
		for (u64 code = 0; code < 64; code++) {
			for (u64 mss : mss_values) {
				const u64 pmbsr = (s ? S : 0) | (dl ? DL : 0) | (coll ? COLL : 0) |
						  (ea ? EA : 0) | ec(code) | mss;
				Syndrome want{Action::spurious, Fault::none, 0};
				if (s) {
					want.aux_flags = (dl ? aux_truncated | aux_partial : 0) |
							 (coll ? aux_collision : 0);
					want.action = Action::fatal;
					if (code == 0 && mss == 1)
						want.action = Action::resume;
					else if (code == 0)
						want.fault = Fault::unknown_bsc;
					else if (code == 0x24)
						want.fault = Fault::stage1;
					else if (code == 0x25)
						want.fault = Fault::stage2;
					else if (code == 0x1e)
						want.fault = Fault::gpc;
					else
						want.fault = Fault::unknown_ec;
				}
				const Syndrome got = decode(pmbsr);
				if (got.action != want.action || got.fault != want.fault ||
				    got.aux_flags != want.aux_flags)
					KCPP_FAIL("PMBSR %#llx: action %d fault %d flags %#llx", ull(pmbsr),
						  int(got.action), int(got.fault), ull(got.aux_flags));
			}
		}
	}
	// MSS2 and the rest of the upper half do not change the answer.
	KCPP_EXPECT_TRUE(decode(S | 1 | (u64(0xffffff) << 32)).action == Action::resume);
}

KCPP_TEST(spe_syndrome, describe)
{
	KCPP_EXPECT_EQ(undescribed_or_alike({Fault::none, Fault::stage1, Fault::stage2, Fault::gpc,
					     Fault::unknown_ec, Fault::unknown_bsc}),
		       -1);
}

// Every interface is usable at compile time, so the driver can check
// constants with static_assert.
static_assert(probe_caps(dfr0(1), pmbidr(0), pmsidr_basic, 0).status == ProbeStatus::ok);
static_assert(decode(S | 1).action == Action::resume);
static_assert(interval(0) == 256 && check_period(caps(0), 0) == 0);
