// SPDX-License-Identifier: GPL-2.0
// Where the Statistical Profiling Extension may write next in perf's AUX
// area: a session's PMBPTR_EL1 and PMBLIMITR_EL1, as offsets into the
// buffer, from what perf's output handle says is free. Pure code: no kernel,
// compiled into KUnit and host tests. The side effects (padding bytes,
// perf_aux_output_skip, truncation) go through an Output the caller supplies.
//
// perf counts the AUX area in free-running byte indices that only grow
// (u64: they would wrap after 16 EiB written). The buffer is the AUX pages
// mapped contiguously, so an index's offset is the index modulo the size:
// any number of pages, 4 GiB and more. Nothing here masks with size - 1.
#pragma once

#include <kcpp/errno.hpp>
#include <kcpp/result.hpp>
#include <kcpp/types.hpp>
#include <concepts>

namespace armature::spe {

using kcpp::u32;
using kcpp::u64;
using kcpp::u8;

// The PADDING packet is one byte, so any run of them decodes as padding.
inline constexpr u8 padding_byte = 0x00;

// PMBLIMITR_EL1.LIMIT holds address bits [63:12]. Pages are at least this
// (and powers of two), so every page boundary of the buffer is a valid limit.
inline constexpr u64 limit_granule = 4096;

// What a CPU's ID registers say about records; the same for every buffer.
class Records {
public:
	// From PMBIDR_EL1.Align and PMSIDR_EL1.MaxSize, each log2 of bytes.
	// -EINVAL beyond 2 KiB, or a max size below 16 bytes, as upstream's
	// probe refuses: the limits below rely on a max-size record and an
	// alignment step both fitting in a page.
	static constexpr kcpp::Result<Records> from_id_fields(unsigned align_field, unsigned max_size_field)
	{
		if (align_field > 11 || max_size_field < 4 || max_size_field > 11)
			return kcpp::Error(-EINVAL);
		return Records(u32(1) << align_field, u32(1) << max_size_field);
	}

	// What an unprobed CPU's Caps hold: byte alignment and 16-byte records,
	// as from_id_fields(0, 4) gives. Only probing says what the CPU does.
	constexpr Records() = default;

	// Records start at multiples of align().
	constexpr u32 align() const { return align_; }
	// Hardware may call the buffer full as soon as less than a max-size
	// record of room is left: a session with less makes no progress.
	constexpr u32 max_size() const { return max_size_; }

private:
	constexpr Records(u32 align, u32 max_size) : align_(align), max_size_(max_size) {}

	u32 align_ = 1;
	u32 max_size_ = 16;
};

// One AUX buffer: nr_pages pages of page_size bytes, mapped contiguously.
class Geometry {
public:
	// -EINVAL for fewer than 2 pages, a page size that is not a power of two
	// of at least limit_granule, a size past 2^62 (offsets plus sizes must
	// not overflow), or an odd page count in snapshot mode (its half-buffer
	// limit must be a page boundary). Upstream's setup_aux refuses the same.
	static constexpr kcpp::Result<Geometry> make(u64 nr_pages, u64 page_size, Records records,
						     bool snapshot)
	{
		if (nr_pages < 2 || page_size < limit_granule || (page_size & (page_size - 1)) ||
		    nr_pages > (u64(1) << 62) / page_size || (snapshot && nr_pages % 2))
			return kcpp::Error(-EINVAL);
		return Geometry(nr_pages * page_size, page_size, records, snapshot);
	}

	constexpr u64 size() const { return size_; }
	constexpr u64 page_size() const { return page_size_; }
	constexpr const Records &records() const { return records_; }
	// perf's overwrite mode: the hardware laps the buffer, nothing is skipped.
	constexpr bool snapshot() const { return snapshot_; }

	constexpr u64 offset(u64 index) const { return index % size_; }
	constexpr u64 page_down(u64 offset) const { return offset & ~(page_size_ - 1); }
	constexpr u64 page_up(u64 offset) const { return page_down(offset + page_size_ - 1); }

private:
	constexpr Geometry(u64 size, u64 page_size, Records records, bool snapshot)
		: size_(size), page_size_(page_size), records_(records), snapshot_(snapshot) {}

	u64 size_;
	u64 page_size_;
	Records records_;
	bool snapshot_;
};

// The fields of perf's output handle that say where to write.
struct Handle {
	u64 head;   // index of the next byte to write
	u64 size;   // free bytes from head (0 in snapshot mode)
	u64 wakeup; // index at which perf wants to wake the reader
};

// The caller's side of a session. In the driver: handle() reads the
// perf_output_handle, pad() writes padding_byte into the mapped buffer,
// skip() is perf_aux_output_skip() (which moves head, shrinks size and may
// move wakeup, hence handle() is read again after it), truncate() sets
// PERF_AUX_FLAG_TRUNCATED and ends the session with perf_aux_output_end(0).
// pad() is given offsets with offset + len <= size(); in normal mode each
// pad() is followed by a skip() of the same length, and len <= handle().size.
template <typename O>
concept Output = requires(O &out, const O &reader, u64 offset, u64 len) {
	{ reader.handle() } -> std::same_as<Handle>;
	out.pad(offset, len);
	out.skip(len);
	out.truncate();
};

// Where the hardware may write this session: PMBPTR_EL1 = buffer + base,
// PMBLIMITR_EL1 = (buffer + limit) | E. base is a multiple of the record
// alignment, limit a page boundary at most size(), and limit - base is at
// least a max-size record.
struct Window {
	u64 base;
	u64 limit;
};

namespace detail {

template <typename T>
constexpr T min(T a, T b) { return b < a ? b : a; }

// Normal mode, head aligned and h.size > 0: the furthest page boundary the
// hardware may write up to, or head itself when there is none.
constexpr u64 normal_limit(const Geometry &g, u64 head, const Handle &h)
{
	const u64 free = min(h.size, g.size()); // perf never offers more
	u64 limit = g.size();
	// Free space that ends before the buffer does ends at unconsumed data.
	// Stop at the page boundary below it; when the free space reaches the
	// end (even if it continues after the wrap), the end is the limit, as a
	// session cannot wrap.
	if (head + free < g.size())
		limit = g.page_down(head + free);
	// The reader is woken only when a session ends past the wakeup: stop at
	// the page boundary after it. Only a wakeup ahead of head and before the
	// wrap counts: perf's may lie behind head (handled already) or laps
	// ahead (a large watermark), and its offset alone would then put the
	// limit anywhere, even at head with the buffer empty. One past the tail
	// changes nothing, the tail's page comes first. A wakeup at head itself
	// (perf moves it past head when it wakes) takes the next boundary.
	const u64 ahead = h.wakeup - h.head; // huge when behind
	if (ahead < g.size() - head)
		limit = min(limit, g.page_up(head + (ahead ? ahead : 1)));
	return limit;
}

// Pads [head, head + len) and lets perf skip it; returns the new head offset.
template <Output O>
u64 pad_and_skip(const Geometry &g, O &out, u64 head, u64 len)
{
	out.pad(head, len);
	out.skip(len);
	return g.offset(out.handle().head);
}

template <Output O>
kcpp::Result<Window> normal_window(const Geometry &g, O &out)
{
	const Records &rec = g.records();
	Handle h = out.handle();
	u64 head = g.offset(h.head);
	// Hardware leaves PMBPTR just past the last record it wrote, and perf's
	// free space keeps one byte unused (CIRC_SPACE): head may be misaligned.
	// A size() multiple of the alignment keeps the padding inside the buffer.
	const u64 mis = head & (rec.align() - 1);
	if (mis && h.size) {
		head = pad_and_skip(g, out, head, min(rec.align() - mis, h.size));
		h = out.handle();
	}
	// Twice at most: once the head is on a page boundary (padded up to a
	// limit), any limit past it is a page away, which holds a max-size record.
	for (int pass = 0; pass < 2 && h.size; pass++) {
		const u64 limit = normal_limit(g, head, h);
		if (limit > head && limit - head >= rec.max_size())
			return Window{head, limit};
		if (limit <= head) {
			// No page boundary before the unconsumed data: nothing can
			// start. Pad what is left (it ends before the buffer does), as
			// upstream does: perf then sees a full buffer and begins no
			// session until the reader frees space.
			pad_and_skip(g, out, head, min(h.size, g.size() - head));
			break;
		}
		head = pad_and_skip(g, out, head, limit - head);
		h = out.handle();
	}
	out.truncate();
	return kcpp::Error(-ENOSPC);
}

template <Output O>
Window snapshot_window(const Geometry &g, O &out)
{
	const Records &rec = g.records();
	const u64 half = g.size() / 2;
	u64 head = g.offset(out.handle().head);
	// Misaligned for the same reason as in normal mode; the whole buffer
	// may be overwritten, so pad without skipping. An alignment step never
	// crosses the half or the end (page boundaries).
	if (const u64 mis = head & (rec.align() - 1)) {
		out.pad(head, rec.align() - mis);
		head = g.offset(head + rec.align() - mis);
	}
	// A snapshot is read backwards from head, but records decode only
	// forwards: stopping at the half (or the end) means a lap overwrites at
	// most half the buffer's records, where an unclamped one would leave a
	// single decodable record in the worst case.
	u64 limit = head < half ? half : g.size();
	if (limit - head < rec.max_size()) {
		out.pad(head, limit - head);
		head = g.offset(limit);
		limit = head + half;
	}
	return Window{head, limit};
}

} // namespace detail

// The next session's window. Normal mode: -ENOSPC when the free space holds
// no window, after truncate() (the session is over; the hardware must not
// start). Snapshot mode always starts; the caller keeps base as the
// handle's head, since perf takes the head back as an offset in that mode.
template <Output O>
kcpp::Result<Window> next_window(const Geometry &g, O &out)
{
	if (g.snapshot())
		return detail::snapshot_window(g, out);
	return detail::normal_window(g, out);
}

} // namespace armature::spe
