// SPDX-License-Identifier: GPL-2.0
// Host-only: the SPE buffer arithmetic in a model of a whole profiling run.
// perf's AUX ring as kernel/events/ring_buffer.c keeps it (head, the
// reader's tail, the watermark wakeups), a producer that writes whole
// records up to each window's limit as the hardware does, and a reader that
// consumes at random rates, over random geometries: 2 to 1024 pages (some
// odd counts, some buffers of 4 GiB and more), 4K, 16K and 64K pages, every
// record alignment and max size, indices from 0, around 4 GiB and far past.
// Every session is checked with check_window, and every byte written
// (padding and records) against the reader's tail directly.
//
// Seeded: a failure prints the seed of its run, and
// ARMATURE_SPE_SEED=<seed> ARMATURE_SPE_RUNS=1 replays just that run.
#include "../kunit/arm_spe_buffer_test.hpp"

#include <cstdlib>
#include <gtest/gtest.h>
#include <optional>
#include <random>
#include <sstream>
#include <string>

namespace {

using namespace armature::spe;
using spe_test::FakeAux;
using spe_test::Violation;

constexpr u64 default_seed = 0x5be0b0ff;
constexpr u64 default_runs = 2000;
constexpr u64 steps_per_run = 3000;

struct Tally {
	u64 sessions = 0, started = 0, truncated = 0, stalled = 0;
	u64 padded_sessions = 0, wraps = 0, wakeups_due = 0, wild_wakeups = 0;
	u64 huge_buffers = 0, snapshot_runs = 0;
};

class Model {
public:
	explicit Model(u64 seed) : rng_(seed) {}

	// "" when the run kept every rule, else what broke and where.
	std::string run(Tally &tally)
	{
		if (!pick_geometry(tally))
			return "no valid geometry: " + describe();
		for (u64 step = 0; step < steps_per_run; step++) {
			std::string broke = session(tally);
			if (!broke.empty())
				return broke + " at step " + std::to_string(step) + ": " + describe();
			consume();
		}
		return "";
	}

private:
	u64 below(u64 n) { return n ? rng_() % n : 0; }
	bool one_in(u64 n) { return below(n) == 0; }

	bool pick_geometry(Tally &tally)
	{
		static constexpr u64 page_sizes[] = {4096, 4096, 16384, 65536, 65536};
		page_ = page_sizes[below(5)];
		snapshot_ = one_in(7);
		const u64 kind = below(10);
		if (kind < 5)
			pages_ = 2 + below(15);
		else if (kind < 8)
			pages_ = 2 + below(1023);
		else if (kind < 9)
			pages_ = 3 + 2 * below(511); // odd
		else
			pages_ = (u64(4) << 30) / page_ + below(3 * (u64(1) << 30) / page_);
		if (snapshot_)
			pages_ += pages_ % 2;
		auto rec = Records::from_id_fields(unsigned(below(12)), unsigned(4 + below(8)));
		if (!rec)
			return false;
		auto geo = Geometry::make(pages_, page_, rec.value(), snapshot_);
		if (!geo)
			return false;
		geo_.emplace(geo.value());
		const u64 size = geo_->size();
		tally.huge_buffers += size >= (u64(4) << 30);
		tally.snapshot_runs += snapshot_;

		// perf: CIRC_SPACE keeps a byte back; a core that does not is
		// modelled too (then head == tail with no free space is possible).
		reserve_ = one_in(5) ? 0 : 1;
		// perf's default watermark is half the buffer (at most U32_MAX);
		// users may ask for anything, even past the size.
		const u64 w = below(10);
		watermark_ = w < 5 ? (size / 2 < 0xffffffff ? size / 2 : 0xffffffff)
			     : w < 8 ? 1 + below(size)
			     : w < 9 ? 1 + below(page_)
				     : size + below(3 * size);
		const u64 s = below(3);
		head_ = s == 0 ? 0 : s == 1 ? (u64(1) << 32) - below(2 * size) : below(u64(1) << 48);
		if (snapshot_)
			head_ = geo_->offset(head_); // perf keeps an offset in overwrite mode
		tail_ = head_;
		aux_wakeup_ = head_ - head_ % watermark_;
		// The reader's pace: at every step, now and then, or in bursts.
		reader_ = below(3);
		return true;
	}

	std::string describe() const
	{
		std::ostringstream out;
		out << (snapshot_ ? "snapshot, " : "") << pages_ << " pages of " << page_;
		if (geo_)
			out << ", align " << geo_->records().align() << ", max record " << geo_->records().max_size();
		out << ", watermark " << watermark_ << ", reserve " << reserve_ << ", head " << head_ << ", tail "
		    << tail_ << ", aux_wakeup " << aux_wakeup_;
		return out.str();
	}

	// perf_aux_output_begin, the driver's next window, the hardware, and
	// perf_aux_output_end.
	std::string session(Tally &tally)
	{
		const Geometry &g = *geo_;
		Handle h{head_, 0, 0};
		if (!snapshot_) {
			const u64 used = head_ - tail_;
			if (used + reserve_ >= g.size()) {
				tally.stalled++; // perf_aux_output_begin refuses
				return "";
			}
			h.size = g.size() - used - reserve_;
			h.wakeup = aux_wakeup_ + watermark_;
			if (one_in(50)) {
				h.wakeup = wild_wakeup(h);
				tally.wild_wakeups++;
			}
		}
		FakeAux aux(g, h, snapshot_ ? 0 : watermark_, aux_wakeup_);
		const auto w = next_window(g, aux);
		tally.sessions++;
		const Violation v = spe_test::check_window(g, h, aux, w);
		if (v != Violation::none)
			return std::string(spe_test::name(v)) + " (handle head " + std::to_string(h.head) + " size " +
			       std::to_string(h.size) + " wakeup " + std::to_string(h.wakeup) + ")";
		if (aux.pads)
			tally.padded_sessions++;
		if (!snapshot_) {
			// The padding went into free space: up to the tail, not past it.
			if (h.head + aux.padded - tail_ > g.size() - reserve_)
				return "padding past the reader's tail";
			head_ = aux.handle().head;
			aux_wakeup_ = aux.aux_wakeup();
		}
		if (!w) {
			tally.truncated++; // perf disables the event; the reader re-enables it
			return "";
		}
		tally.started++;
		const Window win = w.value();
		if (!snapshot_) {
			const Handle after = aux.handle();
			const u64 ahead = after.wakeup - after.head;
			tally.wakeups_due += ahead < g.size() - win.base && ahead < after.size;
			// The window against the reader's tail, in index space.
			if (head_ + (win.limit - win.base) - tail_ > g.size())
				return "window over unread data";
		}
		const u64 written = produce(win);
		if (snapshot_) {
			// The driver ends a snapshot session at PMBPTR, an offset.
			head_ = win.base + written;
			tally.wraps += head_ == g.size();
			head_ = g.offset(head_);
			return "";
		}
		tally.wraps += win.base + written == g.size();
		head_ += written;
		if (head_ - aux_wakeup_ >= watermark_)
			aux_wakeup_ = head_ - head_ % watermark_;
		return "";
	}

	// The hardware: whole records from base while one fits before the limit
	// (it calls the buffer full with less than a max-size record left), or
	// fewer when the event is stopped early. Bytes written.
	u64 produce(const Window &win)
	{
		const Records &rec = geo_->records();
		const u64 room = win.limit - win.base;
		u64 stop_after = one_in(6) ? below(8) : ~u64(0);
		const bool aligned_records = !one_in(3);
		u64 written = 0;
		// Over the bulk of a large window in one step: to its last few
		// records, or to somewhere in the middle for an early stop.
		if (room > 16 * rec.max_size()) {
			if (one_in(10)) {
				written = below(room - 16 * rec.max_size());
				stop_after = below(8);
			} else {
				written = room - 8 * rec.max_size() - below(8 * rec.max_size());
			}
			written -= written % rec.align();
		}
		for (u64 n = 0; n < stop_after; n++) {
			u64 len = 1 + below(rec.max_size());
			if (aligned_records)
				len = (len + rec.align() - 1) / rec.align() * rec.align();
			if (len > rec.max_size())
				len = rec.max_size();
			if (room - written < rec.max_size() || len > room - written)
				break;
			written += len;
		}
		return written;
	}

	u64 wild_wakeup(const Handle &h)
	{
		const u64 size = geo_->size();
		switch (below(6)) {
		case 0:
			return h.head + rng_();
		case 1:
			return h.head - 1 - below(size);
		case 2:
			return h.head + (1 + below(4)) * size + below(size);
		case 3:
			return h.head;
		case 4:
			return h.head + h.size;
		default:
			return h.head + below(h.size + 1);
		}
	}

	// The reader frees some of what has been written.
	void consume()
	{
		if (snapshot_)
			return;
		const u64 unread = head_ - tail_;
		switch (reader_) {
		case 0: // keeps up
			tail_ += one_in(4) ? unread : below(unread + 1);
			break;
		case 1: // now and then, a little
			if (one_in(3))
				tail_ += below(unread / 2 + 1);
			break;
		default: // in bursts, all of it
			if (one_in(6))
				tail_ = head_;
			break;
		}
	}

	std::mt19937_64 rng_;
	std::optional<Geometry> geo_;
	u64 pages_ = 0, page_ = 0;
	bool snapshot_ = false;
	u64 reserve_ = 1, watermark_ = 1;
	u64 head_ = 0, tail_ = 0, aux_wakeup_ = 0;
	u64 reader_ = 0;
};

u64 env_or(const char *name, u64 fallback)
{
	const char *value = std::getenv(name);
	return value ? std::strtoull(value, nullptr, 0) : fallback;
}

TEST(spe_buffer_model, random_runs_keep_every_invariant)
{
	const u64 first = env_or("ARMATURE_SPE_SEED", default_seed);
	const u64 runs = env_or("ARMATURE_SPE_RUNS", default_runs);
	Tally tally;
	for (u64 run = 0; run < runs; run++) {
		const u64 seed = first + run;
		const std::string broke = Model(seed).run(tally);
		ASSERT_EQ(broke, "") << "seed " << seed << " (replay: ARMATURE_SPE_SEED=" << seed
				     << " ARMATURE_SPE_RUNS=1)";
	}
	// The runs must reach every kind of session, or they check little.
	if (runs == default_runs) {
		EXPECT_GT(tally.sessions, u64(2'000'000));
		EXPECT_GT(tally.truncated, u64(1000));
		EXPECT_GT(tally.stalled, u64(1000));
		EXPECT_GT(tally.padded_sessions, u64(10000));
		EXPECT_GT(tally.wraps, u64(10000));
		EXPECT_GT(tally.wakeups_due, u64(10000));
		EXPECT_GT(tally.wild_wakeups, u64(10000));
		EXPECT_GT(tally.huge_buffers, u64(50));
		EXPECT_GT(tally.snapshot_runs, u64(100));
	}
	printf("spe model: %llu runs, %llu sessions (%llu started, %llu truncated, %llu refused by perf), "
	       "%llu padded, %llu wraps, %llu with a due wakeup, %llu wild wakeups, %llu buffers >= 4 GiB, "
	       "%llu snapshot runs\n",
	       (unsigned long long)runs, (unsigned long long)tally.sessions, (unsigned long long)tally.started,
	       (unsigned long long)tally.truncated, (unsigned long long)tally.stalled,
	       (unsigned long long)tally.padded_sessions, (unsigned long long)tally.wraps,
	       (unsigned long long)tally.wakeups_due, (unsigned long long)tally.wild_wakeups,
	       (unsigned long long)tally.huge_buffers, (unsigned long long)tally.snapshot_runs);
}

} // namespace
