// SPDX-License-Identifier: GPL-2.0
// What the SPE buffer tests share (the KUnit suite and the host model): an
// Output that keeps head, size and wakeup as perf does and checks every pad
// and skip against the free space, and the invariants a window must keep.
#pragma once

#include "buffer.hpp"

namespace spe_test {

using namespace armature::spe;

// The first breach of a rule seen in a session; none when there was none.
enum class Violation {
	none,
	// The Output's contract (FakeAux).
	pad_not_at_head,
	pad_empty,
	pad_past_buffer_end,
	pad_past_free_space,
	pad_not_skipped,
	skip_not_padded,
	skip_or_truncate_in_snapshot,
	// The window (check_window).
	started_and_truncated,
	base_not_head,
	base_misaligned,
	limit_not_page_boundary,
	limit_past_buffer_end,
	window_below_max_record,
	window_covers_unconsumed_data,
	limit_short_of_free_space,
	limit_short_of_wakeup,
	limit_past_wakeup_page,
	truncated_with_room,
	truncated_not_once,
	truncated_with_free_space_left,
	snapshot_not_half_clamped,
};

inline const char *name(Violation v)
{
	static constexpr const char *names[] = {
		"none",
		"pad not at head",
		"empty pad",
		"pad past the buffer end",
		"pad past the free space",
		"pad not skipped",
		"skip not padded",
		"skip or truncate in snapshot mode",
		"started and truncated",
		"base is not the head",
		"base misaligned",
		"limit not a page boundary",
		"limit past the buffer end",
		"window below a max-size record",
		"window covers unconsumed data",
		"limit short of the free space",
		"limit short of the wakeup",
		"limit past the wakeup's page",
		"truncated with room for a record",
		"truncated other than once",
		"truncated with free space left",
		"snapshot limit not clamped to the half",
	};
	return names[static_cast<int>(v)];
}

// perf's side of one session (perf_aux_output_skip and the watermark
// bookkeeping of kernel/events/ring_buffer.c). watermark 0 leaves the
// wakeup where the test put it. Records what the code under test did.
class FakeAux {
public:
	FakeAux(const Geometry &g, Handle h, u64 watermark = 0, u64 aux_wakeup = 0)
		: geo_(g), h_(h), cursor_(g.offset(h.head)), watermark_(watermark), aux_wakeup_(aux_wakeup) {}

	Handle handle() const { return h_; }

	void pad(u64 offset, u64 len)
	{
		if (offset != cursor_)
			fail(Violation::pad_not_at_head);
		else if (!len)
			fail(Violation::pad_empty);
		else if (len > geo_.size() - offset)
			fail(Violation::pad_past_buffer_end);
		else if (!geo_.snapshot() && len > h_.size)
			fail(Violation::pad_past_free_space);
		else if (unskipped_)
			fail(Violation::pad_not_skipped);
		cursor_ = geo_.offset(offset + len);
		padded += len;
		pads++;
		if (!geo_.snapshot())
			unskipped_ = len;
	}

	void skip(u64 len)
	{
		if (geo_.snapshot())
			fail(Violation::skip_or_truncate_in_snapshot);
		else if (len != unskipped_ || len > h_.size)
			fail(Violation::skip_not_padded);
		unskipped_ = 0;
		h_.head += len;
		h_.size -= len;
		if (watermark_ && h_.head - aux_wakeup_ >= watermark_) {
			aux_wakeup_ = h_.head - h_.head % watermark_;
			h_.wakeup = aux_wakeup_ + watermark_;
			wakeups++;
		}
	}

	void truncate()
	{
		if (geo_.snapshot())
			fail(Violation::skip_or_truncate_in_snapshot);
		truncations++;
	}

	Violation violation() const { return unskipped_ ? Violation::pad_not_skipped : violation_; }
	u64 aux_wakeup() const { return aux_wakeup_; }

	u64 padded = 0;
	int pads = 0;
	int truncations = 0;
	int wakeups = 0; // watermarks crossed by skips

private:
	void fail(Violation v)
	{
		if (violation_ == Violation::none)
			violation_ = v;
	}

	Geometry geo_;
	Handle h_;
	u64 cursor_; // where the next pad must start
	u64 unskipped_ = 0;
	u64 watermark_;
	u64 aux_wakeup_;
	Violation violation_ = Violation::none;
};

static_assert(Output<FakeAux>);

// Normal mode: whether some page boundary B has a max-size record of free
// space below it, past the aligned head. Then a window exists: padding up
// to boundaries reaches it.
inline bool room_for_a_record(const Geometry &g, const Handle &h)
{
	const u64 align = g.records().align();
	const u64 free = h.size < g.size() ? h.size : g.size();
	const u64 aligned = h.head + (align - g.offset(h.head) % align) % align;
	if (aligned - h.head >= free)
		return false;
	const u64 b = aligned + g.records().max_size() + g.page_size() - 1;
	return b - b % g.page_size() <= h.head + free;
}

// The invariants of a session that started from `before` and left `aux`
// with the result `w`.
inline Violation check_window(const Geometry &g, const Handle &before, const FakeAux &aux,
			      const kcpp::Result<Window> &w)
{
	if (aux.violation() != Violation::none)
		return aux.violation();
	const Handle after = aux.handle();
	const u64 page = g.page_size();
	if (!w) {
		if (aux.truncations != 1 || w.code() != -ENOSPC)
			return Violation::truncated_not_once;
		if (room_for_a_record(g, before))
			return Violation::truncated_with_room;
		// The rest of the free space is padding, as upstream leaves it.
		if (after.size)
			return Violation::truncated_with_free_space_left;
		return Violation::none;
	}
	const Window win = w.value();
	if (aux.truncations)
		return Violation::started_and_truncated;
	const u64 head = g.snapshot() ? g.offset(before.head + aux.padded) : g.offset(after.head);
	if (win.base != head)
		return Violation::base_not_head;
	if (win.base % g.records().align())
		return Violation::base_misaligned;
	if (win.limit % page || win.limit % limit_granule)
		return Violation::limit_not_page_boundary;
	if (win.limit > g.size())
		return Violation::limit_past_buffer_end;
	if (win.limit < win.base || win.limit - win.base < g.records().max_size())
		return Violation::window_below_max_record;
	if (g.snapshot()) {
		if (win.limit != (win.base < g.size() / 2 ? g.size() / 2 : g.size()))
			return Violation::snapshot_not_half_clamped;
		return Violation::none;
	}
	const u64 free = after.size < g.size() ? after.size : g.size();
	if (win.limit - win.base > free)
		return Violation::window_covers_unconsumed_data;
	// A wakeup is due when it lies in the free space before the wrap.
	const u64 ahead = after.wakeup - after.head;
	const bool due = ahead < free && win.base + ahead < g.size();
	const u64 wake = win.base + ahead;
	const u64 tail_page = (win.base + free) - (win.base + free) % page;
	if (due) {
		// Up to the wakeup unless the reader's tail stops it first, and no
		// further than the wakeup's page (the next one when at head).
		if (win.limit < wake && win.limit != tail_page)
			return Violation::limit_short_of_wakeup;
		const u64 wake_page = wake + (ahead ? 0 : 1) + page - 1;
		if (win.limit > wake_page - wake_page % page)
			return Violation::limit_past_wakeup_page;
	}
	// No further boundary was allowed: the end, the tail or the wakeup.
	if (win.limit != g.size() && win.limit + page <= win.base + free && !(due && win.limit >= wake))
		return Violation::limit_short_of_free_space;
	return Violation::none;
}

} // namespace spe_test
