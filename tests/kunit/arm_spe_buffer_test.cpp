// SPDX-License-Identifier: GPL-2.0
// Tests of the SPE buffer arithmetic (drivers/perf/arm_spe/buffer.hpp):
// offsets of free-running indices, the next window in normal and snapshot
// mode, the three cases upstream's review found broken, and every small
// buffer swept against the invariants of check_window. Built as the KUnit
// suite armature_spe_buffer (arm_spe_buffer_test_glue.c) and as host tests.
#include <kcpp_test.hpp>

#include "arm_spe_buffer_test.hpp"

using namespace armature::spe;
using spe_test::FakeAux;
using spe_test::Violation;

namespace {

constexpr u64 KiB = 1024, MiB = KiB * KiB, GiB = MiB * KiB;

constexpr Records records(unsigned align_field, unsigned max_size_field)
{
	auto r = Records::from_id_fields(align_field, max_size_field);
	// The tests' fields are valid; records_from_id_fields checks the rule.
	return r ? r.value() : Records::from_id_fields(0, 4).value();
}

// 2 KiB records on 512-byte boundaries: the largest PMSIDR allows, so the
// pad-before-the-limit cases are wide.
constexpr Records big = records(9, 11);
// 64-byte records and alignment.
constexpr Records small = records(6, 6);

Geometry geometry(u64 pages, u64 page_size, Records r, bool snapshot = false)
{
	auto g = Geometry::make(pages, page_size, r, snapshot);
	return g ? g.value() : Geometry::make(2, 4096, r, false).value();
}

// A session from this handle state; the window, or {0, 0} when truncated.
struct Session {
	Session(const Geometry &g, Handle h, u64 watermark = 0, u64 aux_wakeup = 0)
		: aux(g, h, watermark, aux_wakeup), result(next_window(g, aux)),
		  violation(spe_test::check_window(g, h, aux, result)) {}

	u64 base() const { return result ? result.value().base : 0; }
	u64 limit() const { return result ? result.value().limit : 0; }

	FakeAux aux;
	kcpp::Result<Window> result;
	Violation violation;
};

// perf's free space for a reader at tail: CIRC_SPACE keeps one byte unused.
constexpr u64 circ_space(const Geometry &g, u64 head, u64 tail)
{
	return g.size() - (head - tail) - 1;
}

} // namespace

// The session kept every invariant and starts at [base, limit) ...
#define EXPECT_WINDOW(s, b, l)                                                 \
	do {                                                                   \
		KCPP_EXPECT_EQ((s).violation, Violation::none);                \
		KCPP_EXPECT_TRUE((s).result.ok());                             \
		KCPP_EXPECT_EQ((s).base(), u64(b));                            \
		KCPP_EXPECT_EQ((s).limit(), u64(l));                           \
	} while (0)

// ... or it kept them and ended truncated, after padding this much.
#define EXPECT_TRUNCATED(s, padding)                                           \
	do {                                                                   \
		KCPP_EXPECT_EQ((s).violation, Violation::none);                \
		KCPP_EXPECT_EQ((s).result.code(), -ENOSPC);                    \
		KCPP_EXPECT_EQ((s).aux.truncations, 1);                        \
		KCPP_EXPECT_EQ((s).aux.padded, u64(padding));                  \
	} while (0)

// --- geometry and offsets ----------------------------------------------------

KCPP_TEST(spe_buffer, records_from_id_fields)
{
	auto least = Records::from_id_fields(0, 4);
	KCPP_ASSERT_TRUE(least.ok());
	KCPP_EXPECT_EQ(least.value().align(), 1u);
	KCPP_EXPECT_EQ(least.value().max_size(), 16u);
	auto most = Records::from_id_fields(11, 11);
	KCPP_ASSERT_TRUE(most.ok());
	KCPP_EXPECT_EQ(most.value().align(), 2048u);
	KCPP_EXPECT_EQ(most.value().max_size(), 2048u);
	KCPP_EXPECT_EQ(Records::from_id_fields(12, 11).code(), -EINVAL);
	KCPP_EXPECT_EQ(Records::from_id_fields(0, 3).code(), -EINVAL);
	KCPP_EXPECT_EQ(Records::from_id_fields(0, 12).code(), -EINVAL);
}

KCPP_TEST(spe_buffer, geometry_refuses_what_setup_aux_refuses)
{
	KCPP_EXPECT_EQ(Geometry::make(1, 4096, big, false).code(), -EINVAL);
	KCPP_EXPECT_EQ(Geometry::make(4, 2048, big, false).code(), -EINVAL);
	KCPP_EXPECT_EQ(Geometry::make(4, 12288, big, false).code(), -EINVAL);
	KCPP_EXPECT_EQ(Geometry::make(3, 4096, big, true).code(), -EINVAL);
	KCPP_EXPECT_EQ(Geometry::make((u64(1) << 62) / 4096 + 1, 4096, big, false).code(), -EINVAL);
	auto odd = Geometry::make(3, 65536, big, false);
	KCPP_ASSERT_TRUE(odd.ok());
	KCPP_EXPECT_EQ(odd.value().size(), 3 * 65536u);
	KCPP_EXPECT_FALSE(odd.value().snapshot());
	auto largest = Geometry::make((u64(1) << 62) / 4096, 4096, big, true);
	KCPP_ASSERT_TRUE(largest.ok());
	KCPP_EXPECT_EQ(largest.value().size(), u64(1) << 62);
	KCPP_EXPECT_TRUE(largest.value().snapshot());
}

KCPP_TEST(spe_buffer, offset_of_any_page_count)
{
	for (u64 pages = 2; pages <= 16; pages++) {
		const Geometry g = geometry(pages, 4096, big);
		for (u64 lap : {u64(0), u64(1), u64(7), u64(1) << 20, u64(1) << 40})
			for (u64 at : {u64(0), u64(1), u64(4095), g.size() - 1})
				KCPP_EXPECT_EQ(g.offset(lap * g.size() + at), at);
	}
	// 2^32 = 40960 * 104857 + 24576: no power-of-two mask gives that.
	const Geometry ten = geometry(10, 4096, big);
	KCPP_EXPECT_EQ(ten.offset((u64(1) << 32) + 5), 24581u);
	KCPP_EXPECT_EQ(ten.offset(u64(1) << 17), 8192u);
}

KCPP_TEST(spe_buffer, offset_of_4gib_and_more)
{
	const Geometry four = geometry(65536, 65536, big);
	KCPP_EXPECT_EQ(four.size(), 4 * GiB);
	KCPP_EXPECT_EQ(four.offset(4 * GiB + 7), 7u);
	KCPP_EXPECT_EQ(four.offset(4 * GiB - 1), 4 * GiB - 1);
	KCPP_EXPECT_EQ(four.offset(3 * 4 * GiB + 3 * GiB), 3 * GiB);

	const Geometry five = geometry(81920, 65536, big);
	KCPP_EXPECT_EQ(five.size(), 5 * GiB);
	KCPP_EXPECT_EQ(five.offset(5 * GiB + 3), 3u);
	KCPP_EXPECT_EQ(five.offset(8 * GiB), 3 * GiB);
	KCPP_EXPECT_EQ(five.offset(4 * GiB + 12), 4 * GiB + 12);

	// An odd page count past 4 GiB: 6 GiB and a page.
	const Geometry six = geometry(6 * GiB / 4096 + 1, 4096, big);
	KCPP_EXPECT_EQ(six.size(), 6 * GiB + 4096);
	KCPP_EXPECT_EQ(six.offset(3 * six.size() + 5 * GiB + 1), 5 * GiB + 1);
}

KCPP_TEST(spe_buffer, window_past_4gib)
{
	// 5 GiB of 64K pages, head past 4 GiB and misaligned, the reader's tail
	// 1 MiB on: the window stops at the tail's page.
	const Geometry g = geometry(81920, 65536, small);
	const u64 head = 3 * g.size() + 4 * GiB + 8 * KiB + 100;
	const u64 tail = head + MiB - 8 * KiB - 95 - g.size();
	Session s(g, {head, circ_space(g, head, tail), head + 3 * g.size()});
	EXPECT_WINDOW(s, 4 * GiB + 8 * KiB + 128, 4 * GiB + MiB);
	KCPP_EXPECT_EQ(s.aux.padded, 28u);
}

// --- the cases upstream's review found ----------------------------------------

KCPP_TEST(spe_review, ten_page_buffer)
{
	// 40 KiB: a mask of size - 1 would put index 3 * 40K + 8K (2^17) at 0.
	const Geometry g = geometry(10, 4096, big);
	const u64 head = 3 * g.size() + 8192, tail = 3 * g.size() + 4096;
	const u64 watermark = g.size() / 2;
	const u64 aux_wakeup = head - head % watermark;
	Session s(g, {head, circ_space(g, head, tail), aux_wakeup + watermark}, watermark, aux_wakeup);
	// Up to the wakeup at offset 20K, not the end: it is due before the wrap.
	EXPECT_WINDOW(s, 8192, 20480);
	KCPP_EXPECT_EQ(s.aux.pads, 0);
}

KCPP_TEST(spe_review, far_wakeup_with_an_empty_buffer)
{
	// An empty buffer; the wakeup laps ahead (a watermark past the size),
	// or lands just past the wrap, or is behind: none of them is due, and the
	// window is the rest of the buffer. Taken by offset alone, each would
	// put the limit at or below head and end the session.
	const Geometry g = geometry(4, 4096, big);
	const u64 head = 5 * g.size() + 12288;
	for (u64 wakeup : {head + 3 * g.size(), head + g.size() - 12288, head - 1, head - g.size()}) {
		Session s(g, {head, circ_space(g, head, head), wakeup});
		EXPECT_WINDOW(s, 12288, g.size());
		KCPP_EXPECT_EQ(s.aux.pads, 0);
		KCPP_EXPECT_EQ(s.aux.truncations, 0);
	}
}

KCPP_TEST(spe_review, full_buffer_with_head_at_tail)
{
	// No free space, head and tail at the same offset: nothing may be
	// written (a limit at the end would overwrite every unread byte).
	const Geometry g = geometry(4, 4096, big);
	for (u64 head : {2 * g.size() + 8192, 2 * g.size() + 8193}) {
		Session s(g, {head, 0, head + 4096});
		EXPECT_TRUNCATED(s, 0);
	}
	// The same offsets with the whole buffer free (a core that keeps no
	// byte back): the window is the rest of the buffer.
	const u64 head = 2 * g.size() + 8192;
	Session s(g, {head, g.size(), head + 3 * g.size()});
	EXPECT_WINDOW(s, 8192, g.size());
}

// --- normal mode ---------------------------------------------------------------

KCPP_TEST(spe_buffer, misaligned_head_is_padded)
{
	const Geometry g = geometry(4, 4096, small);
	const u64 head = g.size() + 100;
	Session s(g, {head, circ_space(g, head, head), head + 3 * g.size()});
	EXPECT_WINDOW(s, 128, g.size());
	KCPP_EXPECT_EQ(s.aux.padded, 28u);
	KCPP_EXPECT_EQ(s.aux.handle().head, g.size() + 128);
}

KCPP_TEST(spe_buffer, alignment_padding_wraps_and_runs_out)
{
	// The last byte of the buffer: one byte of padding takes head to 0.
	const Geometry g = geometry(4, 4096, small);
	const u64 head = 2 * g.size() - 1;
	Session wraps(g, {head, 5000, head + 3 * g.size()});
	EXPECT_WINDOW(wraps, 0, 4096);
	KCPP_EXPECT_EQ(wraps.aux.padded, 1u);
	// Less free space than the alignment step: pad it all, truncate.
	const u64 mid = g.size() + 100;
	Session full(g, {mid, 20, mid + 3 * g.size()});
	EXPECT_TRUNCATED(full, 20);
}

KCPP_TEST(spe_buffer, close_to_the_end_pads_and_wraps)
{
	// 1 KiB before the end, less than a max-size record: pad to the end and
	// start again at 0, up to the tail's page.
	const Geometry g = geometry(4, 4096, big);
	const u64 head = g.size() + g.size() - 1024, tail = head - g.size() + 1024 + 8197;
	Session s(g, {head, circ_space(g, head, tail), head + 3 * g.size()});
	EXPECT_WINDOW(s, 0, 8192);
	KCPP_EXPECT_EQ(s.aux.padded, 1024u);
}

KCPP_TEST(spe_buffer, no_page_boundary_before_the_tail_truncates)
{
	const Geometry g = geometry(4, 4096, big);
	// Head and tail in one page: all the free space becomes padding.
	const u64 head = g.size() + 4096 + 100, tail = head + 2900 - g.size();
	Session same_page(g, {head, circ_space(g, head, tail), head + 3 * g.size()});
	EXPECT_TRUNCATED(same_page, 2899);
	KCPP_EXPECT_EQ(same_page.aux.handle().size, 0u);
	// A boundary 1000 bytes on, the tail 500 past it: pad to the boundary,
	// then the rest, then truncate.
	const u64 near = g.size() + 4096 - 1024;
	Session past(g, {near, 1024 + 500, near + 3 * g.size()});
	EXPECT_TRUNCATED(past, 1524);
	KCPP_EXPECT_EQ(past.aux.pads, 2);
}

KCPP_TEST(spe_buffer, free_space_past_the_buffer_is_the_buffer)
{
	// perf never offers more than the buffer; a handle that did must not
	// wrap head + size round 2^64 into a limit below head.
	const Geometry g = geometry(4, 4096, big);
	const u64 head = g.size() + 4096;
	for (u64 size : {2 * g.size(), ~u64(0), ~u64(0) - 4096}) {
		Session s(g, {head, size, head - 1});
		EXPECT_WINDOW(s, 4096, g.size());
	}
}

KCPP_TEST(spe_buffer, due_wakeup_stops_at_its_page)
{
	const Geometry g = geometry(8, 4096, big);
	const u64 head = 2 * g.size();
	const u64 empty = circ_space(g, head, head);
	Session inside(g, {head, empty, head + 5000});
	EXPECT_WINDOW(inside, 0, 8192);
	Session on_boundary(g, {head, empty, head + 8192});
	EXPECT_WINDOW(on_boundary, 0, 8192);
	// At head itself: the next boundary, not head.
	Session at_head(g, {head + 4096, empty, head + 4096});
	EXPECT_WINDOW(at_head, 4096, 8192);
	// A tail before the wakeup's page wins.
	Session tail_first(g, {head, 6000, head + 7000});
	EXPECT_WINDOW(tail_first, 0, 4096);
}

KCPP_TEST(spe_buffer, wakeup_after_the_wrap_waits)
{
	// Due, but after the wrap: this session ends at the buffer's end anyway.
	const Geometry g = geometry(4, 4096, big);
	const u64 head = g.size() + 12288;
	Session s(g, {head, circ_space(g, head, head), head + 4096 + 2000});
	EXPECT_WINDOW(s, 12288, g.size());
}

KCPP_TEST(spe_buffer, skip_moves_the_wakeup)
{
	// The alignment padding crosses the watermark: perf moves the wakeup
	// one watermark on, and the window follows the moved one.
	const Geometry g = geometry(8, 4096, small);
	const u64 watermark = 8192, head = g.size() + 8191;
	Session s(g, {head, circ_space(g, head, head), g.size() + 8192}, watermark, g.size());
	EXPECT_WINDOW(s, 8192, 16384);
	KCPP_EXPECT_EQ(s.aux.wakeups, 1);
	KCPP_EXPECT_EQ(s.aux.handle().wakeup, g.size() + 16384);
}

// --- snapshot mode ---------------------------------------------------------------

KCPP_TEST(spe_snapshot, limit_is_clamped_to_the_half)
{
	const Geometry g = geometry(4, 4096, big, true);
	const u64 bases[] = {0, 512, 8192, 9216};
	const u64 limits[] = {8192, 8192, 16384, 16384};
	for (int i = 0; i < 4; i++) {
		Session s(g, {bases[i], 0, 0});
		EXPECT_WINDOW(s, bases[i] % g.size(), limits[i]);
		KCPP_EXPECT_EQ(s.aux.pads, 0);
	}
}

KCPP_TEST(spe_snapshot, pads_and_wraps_within_a_record_of_the_limit)
{
	const Geometry g = geometry(4, 4096, big, true);
	Session half(g, {8192 - 1024, 0, 0});
	EXPECT_WINDOW(half, 8192, 16384);
	KCPP_EXPECT_EQ(half.aux.padded, 1024u);
	Session end(g, {16384 - 512, 0, 0});
	EXPECT_WINDOW(end, 0, 8192);
	KCPP_EXPECT_EQ(end.aux.padded, 512u);
	// Exactly a max-size record short of the half: no padding.
	Session fits(g, {8192 - 2048, 0, 0});
	EXPECT_WINDOW(fits, 8192 - 2048, 8192);
	KCPP_EXPECT_EQ(fits.aux.pads, 0);
}

KCPP_TEST(spe_snapshot, misaligned_head_is_padded)
{
	const Geometry g = geometry(4, 4096, records(6, 11), true);
	// 1 byte to the alignment, then a max-size record fits exactly.
	Session aligned(g, {8192 - 2049, 0, 0});
	EXPECT_WINDOW(aligned, 8192 - 2048, 8192);
	KCPP_EXPECT_EQ(aligned.aux.padded, 1u);
	// 63 bytes to the alignment, then too close to the half: wrap.
	Session wrapped(g, {8192 - 2047, 0, 0});
	EXPECT_WINDOW(wrapped, 8192, 16384);
	KCPP_EXPECT_EQ(wrapped.aux.padded, 2047u);
	KCPP_EXPECT_EQ(wrapped.aux.pads, 2);
}

// --- every small buffer ----------------------------------------------------------
//
// 2 to 16 pages of 4 KiB, indices past 4 GiB. Heads, free sizes and
// wakeups go in steps of half a page, each with the variants that matter:
// heads one byte past a step (alignment padding, then too close to the
// limit) and one short of it (padding onto a page boundary, or the wrap);
// sizes one byte short (CIRC_SPACE) and 256 bytes over (less than one
// 512-byte alignment step); wakeups over two laps, plus at head, just
// behind it, laps ahead and at the tail. Records that need no alignment
// skip the variants that only exercise alignment padding. Half a page
// rather than the record alignment keeps the suite near ten seconds on the
// debug kernel (2.9 million sessions with big records, 1.3 million with
// small ones); the half-page steps still land on page boundaries, exactly
// a max-size record short of them, and within one.

namespace {

struct Sweep {
	u64 sessions = 0;
	Violation violation = Violation::none;
	u64 pages = 0, head = 0, size = 0, wakeup = 0;
};

// Records by value: GCC 12.2 at -O2 (IPA modref) took a const Records &
// here for never read and dropped the caller's stores to the temporary.
Sweep sweep_normal(Records r)
{
	constexpr u64 page = 4096, step = page / 2;
	const bool unaligned = r.align() == 1; // no variants for alignment padding
	Sweep out;
	for (u64 pages = 2; pages <= 16; pages++) {
		const Geometry g = geometry(pages, page, r);
		const u64 steps = g.size() / step;
		const u64 lap = (u64(1) << 33) / g.size() * g.size();
		for (u64 i = 0; i < 3 * steps; i++) {
			if (unaligned && i % 3 == 1)
				continue;
			const u64 head = lap + (i / 3) * step + (i % 3 == 0 ? 0 : i % 3 == 1 ? 1 : step - 1);
			for (u64 j = 0; j < 3 * (steps + 1); j++) {
				const u64 size = (j / 3) * step + (j % 3 == 1 ? 256 : 0) - (j % 3 == 2 ? 1 : 0);
				if (size > g.size() || (unaligned && j % 3 == 1))
					continue;
				for (u64 k = 0; k < 2 * steps + 4; k++) {
					const u64 specials[] = {head, head - 1, head + 3 * g.size() + step, head + size};
					const u64 wakeup = k < 2 * steps ? lap + k * step : specials[k - 2 * steps];
					const Handle h{head, size, wakeup};
					FakeAux aux(g, h);
					const auto w = next_window(g, aux);
					const Violation v = spe_test::check_window(g, h, aux, w);
					out.sessions++;
					if (v != Violation::none) {
						out.violation = v;
						out.pages = pages, out.head = head, out.size = size, out.wakeup = wakeup;
						return out;
					}
				}
			}
		}
	}
	return out;
}

} // namespace

#define EXPECT_SWEEP_CLEAN(s)                                                              \
	do {                                                                               \
		if ((s).violation != Violation::none)                                      \
			KCPP_FAIL("%s: %llu pages, head %#llx, size %#llx, wakeup %#llx",  \
				  spe_test::name((s).violation), (unsigned long long)(s).pages, \
				  (unsigned long long)(s).head, (unsigned long long)(s).size, \
				  (unsigned long long)(s).wakeup);                          \
	} while (0)

KCPP_TEST(spe_exhaustive, normal_mode_big_records)
{
	const Sweep s = sweep_normal(big);
	EXPECT_SWEEP_CLEAN(s);
	KCPP_EXPECT_EQ(s.sessions, 2917680u);
}

KCPP_TEST(spe_exhaustive, normal_mode_small_records)
{
	const Sweep s = sweep_normal(records(0, 4));
	EXPECT_SWEEP_CLEAN(s);
	KCPP_EXPECT_EQ(s.sessions, 1305440u);
}

// Snapshot mode depends on head alone: every byte of every even page count.
KCPP_TEST(spe_exhaustive, snapshot_mode_every_head)
{
	Sweep s;
	for (u64 pages = 2; pages <= 16 && s.violation == Violation::none; pages += 2) {
		const Geometry g = geometry(pages, 4096, big, true);
		for (u64 head = 0; head < g.size(); head++) {
			const Handle h{(u64(1) << 33) + head, 0, 0};
			FakeAux aux(g, h);
			const auto w = next_window(g, aux);
			const Violation v = spe_test::check_window(g, h, aux, w);
			s.sessions++;
			if (v != Violation::none) {
				s.violation = v, s.pages = pages, s.head = h.head;
				break;
			}
		}
	}
	EXPECT_SWEEP_CLEAN(s);
	KCPP_EXPECT_EQ(s.sessions, 294912u);
}
