// SPDX-License-Identifier: GPL-2.0
// A simulated Statistical Profiling Extension: the SPE registers of one CPU
// behind the driver's register I/O policy, and the sampling, filtering,
// record encoding and buffer writes of the hardware. QEMU has no SPE; the
// kernel side keeps one Model per CPU and tells it what the CPU was doing
// (execute()), and the driver cannot tell it from the real thing short of
// the data. Pure C++: KUnit and the host tests run this same code.
//
//   sim::Model spe(sim::typical_ids(3), seed);
//   PMBLIMITR::Get().set_limit(end >> 12).set_e(1).WriteTo(spe);
//   if (spe.execute(ops, op))
//           ... run the driver's interrupt handler ...
//
// Where the architecture leaves a choice (or where these notes could not
// check it), the model's choice is written next to the code.
#pragma once

#include "regs.hpp"
#include "packets.hpp"

namespace armature::spe::sim {

using kcpp::s32;
using kcpp::uptr;

// What the simulated CPU reports: ID_AA64DFR0_EL1.PMSVer and the two
// read-only SPE ID registers.
struct IdRegisters {
	unsigned pmsver;
	u64 pmbidr;
	u64 pmsidr;
};

// The operation the CPU was executing when the sample was taken. The model
// draws what kind of operation it was (load, store, ...) itself; the caller
// supplies what only the interrupted context knows.
struct Operation {
	u64 pc;
	bool user;                         // EL0, else EL1
	u64 data_va, data_pa;              // a plausible data address for loads/stores
	bool has_pa;
	u32 context_id;                    // CONTEXTIDR_EL1 (the PID)
	u64 virtual_count, physical_count; // CNTVCT and CNTPCT, for TIMESTAMP
};

// A fault or status to make the hardware report on the next record it
// would write (inject()).
enum class Injection : u8 { none, stage1_fault, unknown_code, data_loss, collision };

enum class OpClass : u8 { load, store, branch, other };

// EVENTS bits the model generates (numbered as in the EVENTS packet and in
// PMSEVFR/PMSNEVFR).
namespace event {
inline constexpr u64 retired = u64(1) << 1;
inline constexpr u64 l1d_access = u64(1) << 2;
inline constexpr u64 l1d_refill = u64(1) << 3;
inline constexpr u64 tlb_access = u64(1) << 4;
inline constexpr u64 tlb_walk = u64(1) << 5;
inline constexpr u64 not_taken = u64(1) << 6;
inline constexpr u64 mispredicted = u64(1) << 7;
inline constexpr u64 llc_access = u64(1) << 8;
inline constexpr u64 llc_miss = u64(1) << 9;
inline constexpr u64 misaligned = u64(1) << 11;
// All of them fit a 2-byte EVENTS payload, which the record size relies on.
inline constexpr u64 generated = retired | l1d_access | l1d_refill | tlb_access | tlb_walk |
				 not_taken | mispredicted | llc_access | llc_miss | misaligned;
static_assert(generated >> 16 == 0);
} // namespace event

// DATA_SOURCE values, in the encoding perf uses for Neoverse cores.
namespace source {
inline constexpr u8 l1d = 0x0, l2 = 0x8, system_cache = 0xb, dram = 0xe;
}

// What the model decided about one sampled operation: from its PRNG, or
// forced by a test (Model::force). Latencies are in cycles, before the
// counters saturate.
struct Draw {
	OpClass op;
	bool conditional;  // branches
	u64 events;
	u32 total, issue, translation;
	u8 source;         // loads, when PMSIDR.LDS
	s32 target_offset; // branches: target = pc + target_offset
};

// The PMSEVFR bits that can be set on each version; every other bit is
// RAZ/WI, so a driver that writes all-ones and reads back (as v6.18+ does
// at probe) learns the filterable set. PMSNEVFR uses the same set.
constexpr u64 filterable_events(unsigned pmsver)
{
	constexpr auto bit = [](unsigned n) { return u64(1) << n; };
	constexpr auto bits = [](unsigned hi, unsigned lo) {
		return (hi == 63 ? ~u64(0) : (u64(1) << (hi + 1)) - 1) & ~((u64(1) << lo) - 1);
	};
	u64 m = 0;
	if (pmsver >= 1) // SPEv1
		m |= bit(1) | bit(3) | bit(5) | bit(7) | bits(15, 12) | bits(31, 24) | bits(63, 48);
	if (pmsver >= 2) // v1p1: misaligned, SVE predicate events
		m |= bit(11) | bit(17) | bit(18);
	if (pmsver >= 3) // v1p2: not taken
		m |= bit(6);
	if (pmsver >= 5) // v1p4: accesses, LLC, remote, L2D, HITM, LFB, snoop
		m |= bit(2) | bit(4) | bits(10, 8) | bits(23, 19);
	return m;
}

// The largest record the model writes: a load with every optional packet.
//   PC 9, OP_TYPE 2, VA 9, PA 9, three COUNTERs 9, EVENTS 3,
//   DATA_SOURCE 3, CONTEXT 5, TIMESTAMP 9
inline constexpr usize max_record_bytes = 9 + 2 + 9 + 9 + 3 * 3 + 3 + 3 + 5 + 9;
// So the smallest PMSIDR.MaxSize the model accepts:
inline constexpr unsigned min_maxsize = 6;
static_assert(max_record_bytes <= usize(1) << min_maxsize);
static_assert(max_record_bytes > usize(1) << (min_maxsize - 1));

inline constexpr unsigned max_pmsver = 5; // SPEv1p4: the last version whose events are known here

// Whether the model can stand for a CPU with these ID registers: nullptr
// when it can, else why not. A refused model reports PMSVer 0 (no SPE), so
// a driver probing it finds nothing, and it never samples.
constexpr const char *check_ids(const IdRegisters &ids)
{
	const auto idr = PMSIDR::FromValue(ids.pmsidr);
	const auto bidr = PMBIDR::FromValue(ids.pmbidr);
	// The fields the model implements; any other PMSIDR bit is a
	// feature it would silently lack.
	constexpr u64 modelled = PMSIDR::fe_mask | PMSIDR::ft_mask | PMSIDR::fl_mask |
				 PMSIDR::archinst_mask | PMSIDR::lds_mask | PMSIDR::fne_mask |
				 PMSIDR::interval_mask | PMSIDR::maxsize_mask | PMSIDR::countsize_mask;
	if (ids.pmsver < 1 || ids.pmsver > max_pmsver)
		return "PMSVer must be 1 (SPEv1) to 5 (SPEv1p4)";
	if (idr.maxsize() < min_maxsize)
		return "PMSIDR.MaxSize below 6: the model's records take up to 58 bytes";
	if (idr.maxsize() > 11)
		return "PMSIDR.MaxSize above 11 (2 KiB) is reserved";
	if (bidr.align() > idr.maxsize())
		return "PMBIDR.Align above PMSIDR.MaxSize: a padded record would exceed MaxSize";
	if (idr.countsize() != 2 && idr.countsize() != 3)
		return "PMSIDR.CountSize must be 2 (12-bit) or 3 (16-bit)";
	if (idr.fne() && ids.pmsver < 3)
		return "PMSIDR.FnE needs PMSVer 3 (SPEv1p2) or later";
	if (idr.ernd())
		return "PMSIDR.ERnd=1 (random part after the interval, ECOUNT) is not modelled";
	if (ids.pmsidr & ~modelled)
		return "PMSIDR has a feature the model does not implement (FDS, PBT, CRR, EFT, ...)";
	return nullptr;
}

// A CPU as the notes suggest for the bench: FE, FT and FL, 64-byte records,
// 12-bit counters, a 256-operation minimum interval, loads with a data
// source, FnE from v1p2 on only when asked (perf 6.1 warns about it).
constexpr IdRegisters typical_ids(unsigned pmsver = 1, unsigned align = 0, bool fne = false)
{
	return IdRegisters{
		pmsver,
		PMBIDR::Get().set_align(align).reg_value(),
		PMSIDR::Get().set_fe(1).set_ft(1).set_fl(1).set_lds(1).set_fne(fne && pmsver >= 3)
			.set_interval(0).set_maxsize(6).set_countsize(2).reg_value(),
	};
}

class Model {
public:
	struct Stats {
		u64 samples;       // operations selected by the interval counter
		u64 records;       // complete records written to the buffer
		u64 record_bytes;  // their bytes, without the alignment padding
		u64 filtered;      // samples dropped by PMSFCR's filters
		u64 events;        // buffer-management events raised (PMBSR.S 0 -> 1)
		u64 padding_bytes; // the alignment padding after the records
		u64 discarded;     // records dropped in discard fill mode
		u64 lost;          // records not (completely) written: no room, fault, data loss
	};

	constexpr Model(const IdRegisters &ids, u64 seed)
		: ids_(ids), refusal_(check_ids(ids)), rng_(seed)
	{
	}

	// nullptr when the model stands for a CPU with its IdRegisters; else
	// the reason it does not (see check_ids) and it behaves as no SPE.
	constexpr const char *refusal() const { return refusal_; }

	// --- The registers (a kcpp RegisterIo policy over sysreg ids) --------

	template <typename W>
	W read(u32 id) const
	{
		return static_cast<W>(read64(id));
	}

	template <typename W>
	void write(u32 id, W value)
	{
		write64(id, static_cast<u64>(value));
	}

	u64 read64(u32 id) const
	{
		switch (id) {
		case PMSCR::base_offset: return pmscr_;
		case PMSNEVFR::base_offset: return pmsnevfr_;
		case PMSICR::base_offset: return pmsicr_;
		case PMSIRR::base_offset: return pmsirr_;
		case PMSFCR::base_offset: return pmsfcr_;
		case PMSEVFR::base_offset: return pmsevfr_;
		case PMSLATFR::base_offset: return pmslatfr_;
		case PMSIDR::base_offset: return ids_.pmsidr;
		case PMBLIMITR::base_offset: return pmblimitr_;
		case PMBPTR::base_offset: return pmbptr_;
		case PMBSR::base_offset: return pmbsr_;
		case PMBIDR::base_offset: return ids_.pmbidr;
		case ID_AA64DFR0::base_offset:
			// Only PMSVer: the rest of the debug features are not ours.
			return ID_AA64DFR0::Get().set_pmsver(refusal_ ? 0 : ids_.pmsver).reg_value();
		}
		++unknown_accesses_;
		return 0;
	}

	// Each register keeps only the bits the simulated CPU implements
	// (RES0 elsewhere); the ID registers ignore writes.
	void write64(u32 id, u64 v)
	{
		switch (id) {
		case PMSCR::base_offset:
			pmscr_ = v & (PMSCR::e0spe_mask | PMSCR::e1spe_mask | PMSCR::cx_mask |
				      PMSCR::pa_mask | PMSCR::ts_mask | PMSCR::pct_mask);
			return;
		case PMSNEVFR::base_offset:
			// Without FEAT_SPEv1p2 and PMSIDR.FnE a real CPU would trap
			// the access; the model cannot, so it reads as zero.
			pmsnevfr_ = has_nevfr() ? v & filterable_events(ids_.pmsver) : 0;
			return;
		case PMSICR::base_offset:
			pmsicr_ = v & (PMSICR::count_mask | PMSICR::ecount_mask);
			return;
		case PMSIRR::base_offset:
			pmsirr_ = v & (PMSIRR::rnd_mask | PMSIRR::interval_mask);
			return;
		case PMSFCR::base_offset: {
			// A filter the CPU lacks (PMSIDR) cannot be enabled.
			const auto idr = pmsidr();
			u64 m = 0;
			if (idr.fe())
				m |= PMSFCR::fe_mask;
			if (idr.ft())
				m |= PMSFCR::ft_mask | PMSFCR::b_mask | PMSFCR::ld_mask | PMSFCR::st_mask;
			if (idr.fl())
				m |= PMSFCR::fl_mask;
			if (has_nevfr())
				m |= PMSFCR::fne_mask;
			pmsfcr_ = v & m;
			return;
		}
		case PMSEVFR::base_offset:
			pmsevfr_ = v & filterable_events(ids_.pmsver);
			return;
		case PMSLATFR::base_offset:
			// MINLAT is as wide as the latency counters: a larger
			// value could never be reached by a saturated count.
			pmslatfr_ = v & PMSLATFR::minlat_mask & counter_max();
			return;
		case PMBLIMITR::base_offset: {
			u64 m = PMBLIMITR::e_mask | PMBLIMITR::limit_mask;
			if (ids_.pmsver >= 3) // FM and PMFZ come with v1p2
				m |= PMBLIMITR::fm_mask | PMBLIMITR::pmfz_mask;
			pmblimitr_ = v & m;
			return;
		}
		case PMBPTR::base_offset:
			// Bits below the write alignment are RES0.
			pmbptr_ = v & ~(align() - 1);
			return;
		case PMBSR::base_offset:
			// Software may write any syndrome; S=0 resumes profiling.
			pmbsr_ = v & (PMBSR::mss_mask | PMBSR::coll_mask | PMBSR::s_mask |
				      PMBSR::ea_mask | PMBSR::dl_mask | PMBSR::ec_mask);
			return;
		case PMSIDR::base_offset:
		case PMBIDR::base_offset:
		case ID_AA64DFR0::base_offset:
			return;
		}
		++unknown_accesses_;
	}

	// Accesses to registers the model does not have (a driver bug that a
	// test should see).
	u64 unknown_accesses() const { return unknown_accesses_; }

	// The PMBIRQ level: the interrupt is asserted while PMBSR.S is set.
	bool interrupt_asserted() const { return PMBSR::FromValue(pmbsr_).s(); }
	// Whether time passing can change anything: an exception level enabled,
	// the buffer on, no management event pending.
	bool active() const
	{
		const auto scr = PMSCR::FromValue(pmscr_);
		return profiling() && (scr.e0spe() || scr.e1spe());
	}

	// --- Execution -------------------------------------------------------

	// The CPU executed `ops` operations like `op`. Cost: one step per
	// sample, not per operation. Returns true when a buffer-management
	// event was raised (PMBSR.S went from 0 to 1); profiling stopped there,
	// so the operations after it do not count.
	bool execute(u64 ops, const Operation &op) { return execute_until_event(ops, op); }

	// As execute(), but leaves in `ops` the operations that came after the
	// one whose record raised a management event. Hardware takes the
	// interrupt there, not at the end of a time slice: the caller runs the
	// handler, which may restart profiling, then executes the rest.
	//
	// The interval counter: each counted operation decrements
	// PMSICR.COUNT; the one that takes it to zero is sampled (so is the
	// first one when software left COUNT at zero, as the driver does on
	// a fresh event) and COUNT reloads from PMSIRR. INTERVAL 0 is taken
	// as "sample nothing" rather than "sample everything". Operations at
	// an EL that is not enabled, or while profiling is off, do not count.
	bool execute_until_event(u64 &ops, const Operation &op)
	{
		const u64 interval = pmsirr_ & PMSIRR::interval_mask;
		if (!interval)
			return false;
		while (ops && counting(op.user)) {
			const u64 count = pmsicr_ & PMSICR::count_mask;
			const u64 step = count ? count : 1;
			if (ops < step) {
				set_count(count - ops);
				ops = 0;
				break;
			}
			ops -= step;
			set_count(reload(interval));
			if (sample(op))
				return true;
		}
		return false;
	}

	// Applies to the next record the model would write to the buffer
	// (fill mode); Injection::none cancels a pending one.
	void inject(Injection what) { injection_ = what; }

	// Makes every following sample this draw instead of a random one
	// (latencies still saturate); unforce() returns to the PRNG.
	void force(const Draw &draw)
	{
		forced_ = draw;
		is_forced_ = true;
	}
	void unforce() { is_forced_ = false; }

	const Stats &stats() const { return stats_; }

private:
	// --- Sampling --------------------------------------------------------

	PMSIDR pmsidr() const { return PMSIDR::FromValue(ids_.pmsidr); }
	bool has_nevfr() const { return ids_.pmsver >= 3 && pmsidr().fne(); }
	u64 align() const { return u64(1) << PMBIDR::FromValue(ids_.pmbidr).align(); }
	u64 max_record() const { return u64(1) << pmsidr().maxsize(); }
	u64 counter_max() const { return pmsidr().countsize() == 3 ? 0xffff : 0xfff; }

	// Profiling is on: the buffer enabled, in a fill mode the CPU has, and
	// no management event pending. FM values 0b01 and 0b11 are reserved;
	// the model profiles nothing with them.
	bool profiling() const
	{
		const auto lim = PMBLIMITR::FromValue(pmblimitr_);
		if (refusal_ || PMBIDR::FromValue(ids_.pmbidr).p() || !lim.e() || interrupt_asserted())
			return false;
		return lim.fm() == PMBLIMITR::fm_fill || lim.fm() == PMBLIMITR::fm_discard;
	}

	bool counting(bool user) const
	{
		const auto scr = PMSCR::FromValue(pmscr_);
		return profiling() && (user ? scr.e0spe() : scr.e1spe());
	}

	void set_count(u64 count) { pmsicr_ = (pmsicr_ & ~PMSICR::count_mask) | (count & PMSICR::count_mask); }

	// INTERVAL with, under PMSIRR.RND, a random low byte in place of its
	// zero one: the period is then INTERVAL to INTERVAL + 255 operations.
	u64 reload(u64 interval) { return PMSIRR::FromValue(pmsirr_).rnd() ? interval | (next() & 0xff) : interval; }

	// splitmix64: small, fast, and the same sequence for the same seed on
	// every build, which makes runs repeatable.
	u64 next()
	{
		u64 z = (rng_ += 0x9e3779b97f4a7c15);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
		return z ^ (z >> 31);
	}

	// A random operation: 40% loads, 20% stores, 20% branches, 20% other.
	// Loads and stores access L1D and the TLB; one in 8 refills L1D and
	// then goes to the LLC, a quarter of those miss it; one in 16 walks
	// the page tables. Branches are conditional half the time (half of
	// those not taken, from v1p2 on) and one in 8 is mispredicted.
	// Latencies grow with what missed; the 16-bit counters see the
	// longest ones unsaturated.
	Draw draw()
	{
		const u64 a = next(), r = next();
		Draw d{};
		const unsigned kind = static_cast<unsigned>(a % 10);
		d.op = kind < 4 ? OpClass::load : kind < 6 ? OpClass::store : kind < 8 ? OpClass::branch
									: OpClass::other;
		d.events = event::retired;
		d.issue = static_cast<u32>((r >> 16) % 8);
		switch (d.op) {
		case OpClass::load:
		case OpClass::store: {
			d.events |= event::l1d_access | event::tlb_access;
			d.translation = 1 + static_cast<u32>((r >> 20) % 4);
			d.total = d.issue + d.translation + 2 + static_cast<u32>((r >> 24) % 30);
			d.source = source::l1d;
			if (r % 8 == 0) {
				d.events |= event::l1d_refill | event::llc_access;
				d.total += 40 + static_cast<u32>((r >> 32) % 200);
				d.source = (r >> 40) & 1 ? source::system_cache : source::l2;
				if ((r >> 3) % 4 == 0) {
					d.events |= event::llc_miss;
					d.total += 150 + static_cast<u32>((r >> 44) % 6000);
					d.source = source::dram;
				}
			}
			if ((r >> 5) % 16 == 0) {
				d.events |= event::tlb_walk;
				const u32 walk = 20 + static_cast<u32>((r >> 52) % 200);
				d.translation += walk;
				d.total += walk;
			}
			if (ids_.pmsver >= 2 && (r >> 9) % 64 == 0)
				d.events |= event::misaligned;
			break;
		}
		case OpClass::branch:
			d.conditional = r & 1;
			if (d.conditional && ids_.pmsver >= 3 && (r & 2))
				d.events |= event::not_taken;
			d.total = d.issue + 1 + static_cast<u32>((r >> 24) % 8);
			if ((r >> 2) % 8 == 0) {
				d.events |= event::mispredicted;
				d.total += 10 + static_cast<u32>((r >> 32) % 20);
			}
			d.target_offset = (static_cast<s32>((r >> 40) % 4096) - 2048) * 4;
			break;
		case OpClass::other:
			d.total = d.issue + 1 + static_cast<u32>((r >> 24) % 8);
			break;
		}
		return d;
	}

	u16 saturate(u32 cycles) const { return static_cast<u16>(cycles < counter_max() ? cycles : counter_max()); }

	// PMSFCR's filters, on the saturated total latency. FT with no type
	// selected is taken as no type filter (the model's choice).
	bool passes(const Draw &d, u16 total) const
	{
		const auto fcr = PMSFCR::FromValue(pmsfcr_);
		if (fcr.ft() && (fcr.b() || fcr.ld() || fcr.st())) {
			const bool match = (d.op == OpClass::branch && fcr.b()) ||
					   (d.op == OpClass::load && fcr.ld()) ||
					   (d.op == OpClass::store && fcr.st());
			if (!match)
				return false;
		}
		if (fcr.fe() && (d.events & pmsevfr_) != pmsevfr_)
			return false;
		if (fcr.fne() && (d.events & pmsnevfr_))
			return false;
		if (fcr.fl() && total < PMSLATFR::FromValue(pmslatfr_).minlat())
			return false;
		return true;
	}

	using Writer = RecordWriter<max_record_bytes>;

	// Packets in the order the notes' example shows: PC, OP_TYPE, branch
	// target, VA, PA, COUNTERs, EVENTS, DATA_SOURCE, CONTEXT, then
	// TIMESTAMP or END. The translation latency only for loads and stores.
	void encode(Writer &w, const Draw &d, const Operation &op) const
	{
		const auto scr = PMSCR::FromValue(pmscr_);
		const unsigned el = op.user ? 0 : 1;
		const bool ldst = d.op == OpClass::load || d.op == OpClass::store;
		w.address(packet::pc, packet::code_address(op.pc, el));
		switch (d.op) {
		case OpClass::load: w.op_type(packet::op_ldst, packet::ldst_gp_load); break;
		case OpClass::store: w.op_type(packet::op_ldst, packet::ldst_gp_store); break;
		case OpClass::branch:
			w.op_type(packet::op_branch, d.conditional ? packet::branch_conditional : 0);
			w.address(packet::branch_target,
				  packet::code_address(op.pc + static_cast<u64>(static_cast<kcpp::s64>(d.target_offset)), el));
			break;
		case OpClass::other: w.op_type(packet::op_other, 0); break;
		}
		if (ldst) {
			w.address(packet::data_va, op.data_va);
			if (scr.pa() && op.has_pa)
				w.address(packet::data_pa, packet::physical_address(op.data_pa));
		}
		w.counter(packet::total_latency, saturate(d.total));
		w.counter(packet::issue_latency, saturate(d.issue));
		if (ldst)
			w.counter(packet::translation_latency, saturate(d.translation));
		w.events(d.events & event::generated);
		if (d.op == OpClass::load && pmsidr().lds())
			w.data_source(d.source);
		if (scr.cx())
			w.context(op.context_id);
		// PCT 0 is the virtual count; the model takes any other value
		// (0b01, or the EL2-only 0b11) as the physical one.
		if (scr.ts())
			w.timestamp(scr.pct() ? op.physical_count : op.virtual_count);
		else
			w.end();
	}

	bool sample(const Operation &op)
	{
		stats_.samples++;
		const Draw d = is_forced_ ? forced_ : draw();
		if (!passes(d, saturate(d.total))) {
			stats_.filtered++;
			return false;
		}
		Writer w;
		encode(w, d, op);
		if (w.overflowed()) { // cannot happen: max_record_bytes covers every packet
			stats_.lost++;
			return false;
		}
		if (PMBLIMITR::FromValue(pmblimitr_).fm() == PMBLIMITR::fm_discard) {
			stats_.discarded++; // v1p2 discard mode: no write, no event
			return false;
		}
		return store(w.data(), w.size());
	}

	// --- The buffer ------------------------------------------------------

	// Writes one record at PMBPTR (and its zero padding up to the write
	// alignment) and advances PMBPTR, or raises the management event the
	// write ends in. The rule for "full" (notes §12, open question 1) is
	// the model's: a record that does not fit below LIMIT is not written
	// and raises buffer-full; after a write, less than a max-size record
	// of room left raises buffer-full too, so the driver always has
	// room for the next record when it resumes.
	bool store(const u8 *rec, usize len)
	{
		const u64 padded = (len + align() - 1) & ~(align() - 1);
		const u64 limit = PMBLIMITR::FromValue(pmblimitr_).limit() << 12;
		const u64 room = limit > pmbptr_ ? limit - pmbptr_ : 0;
		const Injection inj = injection_;
		injection_ = Injection::none;
		switch (inj) {
		case Injection::stage1_fault:
			// A translation fault at level 3 (ESR DFSC 0b000111).
			stats_.lost++;
			return raise(PMBSR::ec_fault_s1, 0x07);
		case Injection::unknown_code:
			stats_.lost++;
			return raise(PMBSR::ec_imp_def, 0);
		case Injection::data_loss: {
			// The record is cut after half of it; PMBPTR stays
			// aligned, so it need not point past what was written.
			const u64 part = len / 2 < room ? len / 2 : room;
			copy(pmbptr_, rec, part);
			pmbptr_ += part & ~(align() - 1);
			stats_.lost++;
			return raise(PMBSR::ec_buf, PMBSR::bsc_full, PMBSR::dl_mask);
		}
		case Injection::collision:
			collision_ = true;
			break;
		case Injection::none:
			break;
		}
		if (padded > room) {
			stats_.lost++;
			return raise_full();
		}
		copy(pmbptr_, rec, len);
		__builtin_memset(reinterpret_cast<u8 *>(static_cast<uptr>(pmbptr_ + len)), packet::padding, padded - len);
		pmbptr_ += padded;
		stats_.records++;
		stats_.record_bytes += len;
		stats_.padding_bytes += padded - len;
		if (limit - pmbptr_ < max_record())
			return raise_full();
		return false;
	}

	static void copy(u64 to, const u8 *from, u64 len)
	{
		if (len)
			__builtin_memcpy(reinterpret_cast<u8 *>(static_cast<uptr>(to)), from, len);
	}

	// Buffer full: EC BUF, BSC 1, and COLL when a collision is pending.
	bool raise_full()
	{
		const u64 coll = collision_ ? PMBSR::coll_mask : 0;
		collision_ = false;
		return raise(PMBSR::ec_buf, PMBSR::bsc_full, coll);
	}

	// A management event: the syndrome replaces PMBSR, S stops profiling
	// and asserts the interrupt until software clears it.
	bool raise(u64 ec, u64 mss, u64 extra = 0)
	{
		pmbsr_ = PMBSR::Get().set_s(1).set_ec(ec).set_mss(mss).reg_value() | extra;
		stats_.events++;
		return true;
	}

	IdRegisters ids_;
	const char *refusal_;
	u64 rng_;
	u64 pmscr_ = 0, pmsnevfr_ = 0, pmsicr_ = 0, pmsirr_ = 0, pmsfcr_ = 0, pmsevfr_ = 0,
	    pmslatfr_ = 0, pmblimitr_ = 0, pmbptr_ = 0, pmbsr_ = 0;
	Injection injection_ = Injection::none;
	bool collision_ = false;
	bool is_forced_ = false;
	Draw forced_{};
	Stats stats_{};
	mutable u64 unknown_accesses_ = 0;
};

} // namespace armature::spe::sim
