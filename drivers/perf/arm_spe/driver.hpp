// SPDX-License-Identifier: GPL-2.0
// arm_spe: the Statistical Profiling Extension as a perf AUX PMU.
//
// Each CPU profiles into the AUX area of the event running on it: the
// hardware writes records from PMBPTR up to PMBLIMITR and raises the
// buffer-management PPI when it stops (limit reached, fault). Where a session
// may write comes from buffer.hpp, what an event asks for from config.hpp,
// what a stop means from syndrome.hpp; this file sequences the registers.
//
// The driver is Spe<Platform>, built once per module: pmu.cpp's Platform is
// the CPU's own registers (arm_spe_pmu.ko), sim/pmu.cpp's the simulated SPE
// (arm_spe_sim.ko, tests only). A Platform supplies:
//
//   using Io = ...;             the register policy (kcpp RegisterIo)
//   int init(armature_spe *);   at probe, before anything else of it
//   Io io();                    this CPU's registers (IRQs or preemption
//                               off), or a reference to them
//   void started_local();       after start() enabled profiling on this CPU
//   void stopping_local();      this CPU goes down, its profiling off
//   void show_stats(armature_spe *, seq_file *) const;  its debugfs lines
//
// Each module's .cpp defines its Platform, then includes entry.hpp.
#pragma once

#include <kcpp/alloc.hpp>
#include <kcpp/errno.hpp>
#include <kcpp/result.hpp>

#include "buffer.hpp"
#include "caps.hpp"
#include "config.hpp"
#include "hardware.hpp"
#include "regs.hpp"
#include "spe.h"
#include "syndrome.hpp"

namespace armature::spe {
// Included once per module: what is not used there is not emitted.
namespace {

// hw.flags: whether event_init asked perf_allow_kernel(), and its answer.
// start() rebuilds the registers from attr in whatever context it runs in,
// so the opener's rights are those recorded at open.
constexpr unsigned flag_kernel_asked = 1u << 0;
constexpr unsigned flag_kernel_allowed = 1u << 1;

// perf_allow_kernel() as program() calls it: asked at open, the answer
// recorded in *record; at start, the answer recorded in flags. One type for
// both, so that program() is built once.
struct KernelRights {
	unsigned *record;
	unsigned flags;

	int operator()() const
	{
		if (!record)
			return flags & flag_kernel_allowed ? 0 : -EACCES;
		const int ret = armature_spe_allow_kernel();
		*record |= flag_kernel_asked | (ret ? 0 : flag_kernel_allowed);
		return ret;
	}
};

// The mapped AUX area of an event.
struct Buffer {
	u8 *base;
	Geometry geometry;
};

template <typename R, typename Io>
u64 get(Io &io)
{
	return R::Get().ReadFrom(io).reg_value();
}

template <typename R, typename Io>
void put(Io &io, u64 value)
{
	R::FromValue(value).WriteTo(io);
}

// Counts on this CPU what debugfs reads on any (see armature_spe_counters).
inline void count(__u64 &counter, u64 n)
{
	__atomic_store_n(&counter, counter + n, __ATOMIC_RELAXED);
}

inline armature_spe_counters &local_counters(armature_spe *s)
{
	return *armature_spe_cpu_counters(s, armature_spe_this_cpu());
}

// fn(cpu) for each CPU of the PMU.
template <typename Fn>
void for_each_cpu(armature_spe *s, Fn fn)
{
	for (unsigned cpu = 0; cpu < armature_spe_nr_cpu_ids(); cpu++)
		if (armature_spe_cpu_supported(s, int(cpu)))
			fn(cpu);
}

template <typename T>
T peek(const T &value)
{
	return __atomic_load_n(&value, __ATOMIC_RELAXED);
}

// perf's output handle of this CPU, as buffer.hpp's Output.
class HandleOutput {
public:
	HandleOutput(armature_spe *s, const Buffer &buf)
		: s_(s), buf_(buf), counters_(local_counters(s))
	{
	}

	Handle handle() const
	{
		armature_spe_handle_state h;
		armature_spe_aux_state_local(s_, &h);
		return Handle{h.head, h.size, h.wakeup};
	}
	void pad(u64 offset, u64 len)
	{
		armature_spe_fill(buf_.base + offset, padding_byte, len);
		count(counters_.pad_bytes, len);
	}
	void skip(u64 len) { armature_spe_aux_skip_local(s_, len); }
	void truncate()
	{
		armature_spe_aux_flag_local(s_, ARMATURE_SPE_AUX_FLAG_TRUNCATED);
		armature_spe_aux_end_local(s_, 0);
		count(counters_.truncated, 1);
	}

private:
	armature_spe *s_;
	const Buffer &buf_;
	armature_spe_counters &counters_;
};
static_assert(Output<HandleOutput>);

struct CapFile {
	const char *name;
	bool hex;
	u64 (*value)(const Caps &);
};
constexpr CapFile cap_files[] = {
	{"arch_inst", false, [](const Caps &c) -> u64 { return c.has(arch_inst); }},
	{"ernd", false, [](const Caps &c) -> u64 { return c.has(ernd); }},
	{"count_size", false, [](const Caps &c) -> u64 { return c.counter_size; }},
	{"min_interval", false, [](const Caps &c) -> u64 { return c.min_interval; }},
	{"event_filter", true, [](const Caps &c) -> u64 { return c.event_filter; }},
};
constexpr unsigned nr_format_fields = sizeof(format_fields) / sizeof(format_fields[0]);

template <typename Platform>
class Spe {
public:
	using Io = typename Platform::Io;

	explicit Spe(armature_spe *s) : s_(s) {}
	Spe(const Spe &) = delete;
	Spe &operator=(const Spe &) = delete;

	Platform &platform() { return platform_; }
	const Caps &caps() const { return caps_; }
	void set_caps(const Caps &caps) { caps_ = caps; }

	int event_init(perf_event *event)
	{
		armature_spe_event_info info;
		armature_spe_event_get(s_, event, &info);
		if (!info.matches_type)
			return -ENOENT;
		if (info.cpu >= 0 && !armature_spe_cpu_supported(s_, info.cpu))
			return -ENOENT;
		unsigned flags = 0;
		auto programming = program(caps_, attr(info), armature_spe_pid_in_contextidr(),
					   KernelRights{&flags, 0});
		if (!programming)
			return programming.code();
		armature_spe_event_set_flags(event, flags);
		return 0;
	}

	int add(perf_event *event, int flags)
	{
		if (!armature_spe_cpu_supported(s_, armature_spe_this_cpu()))
			return -ENOENT;
		armature_spe_event_set_state(event, ARMATURE_SPE_HES_STOPPED | ARMATURE_SPE_HES_UPTODATE);
		if (flags & ARMATURE_SPE_EF_START) {
			start(event, ARMATURE_SPE_EF_RELOAD);
			if (armature_spe_event_state(event) & ARMATURE_SPE_HES_STOPPED)
				return -EINVAL;
		}
		return 0;
	}

	void start(perf_event *event, int flags)
	{
		armature_spe_event_info info;
		armature_spe_event_get(s_, event, &info);
		const Programming p = programming(event, info);
		auto &&io = platform_.io();

		armature_spe_event_set_state(event, 0);
		if (output_begin(event, p, io) < 0) {
			stop(event, 0);
			return;
		}
		put<PMSFCR>(io, p.pmsfcr);
		put<PMSEVFR>(io, p.pmsevfr);
		if (caps_.has(inv_filt_evt))
			put<PMSNEVFR>(io, p.pmsnevfr);
		put<PMSLATFR>(io, p.pmslatfr);
		if (flags & ARMATURE_SPE_EF_RELOAD) {
			const u64 period = info.sample_period ? info.sample_period : caps_.min_interval;
			armature_spe_event_set_sample_period(event, interval(period));
			put<PMSIRR>(io, pmsirr(p, period));
			// The reload value is in place before the count it reloads.
			hw::isb();
			put<PMSICR>(io, armature_spe_event_period_left(event));
		}
		// Buffer, filters and interval in effect before sampling starts.
		hw::isb();
		put<PMSCR>(io, p.pmscr);
		platform_.started_local();
	}

	void stop(perf_event *event, int flags)
	{
		int state = armature_spe_event_state(event);
		if (state & ARMATURE_SPE_HES_STOPPED)
			return;
		auto &&io = platform_.io();
		disable_and_drain(io);
		if (flags & ARMATURE_SPE_EF_UPDATE) {
			// A context switch may stop a session whose fault is pending:
			// the fault belongs to this buffer.
			if (armature_spe_aux_active_local(s_)) {
				if (end_session(io) == Action::spurious)
					output_end(io);
				else
					put<PMBSR>(io, 0);
			}
			armature_spe_event_set_period_left(event, get<PMSICR>(io));
			state |= ARMATURE_SPE_HES_UPTODATE;
		}
		armature_spe_event_set_state(event, state | ARMATURE_SPE_HES_STOPPED);
	}

	int check_period(u64 period) const { return spe::check_period(caps_, period); }

	void *setup_aux(void **pages, int nr_pages, bool snapshot)
	{
		auto geometry = Geometry::make(u64(nr_pages), armature_spe_page_size(), caps_.records,
					       snapshot);
		if (!geometry)
			return nullptr;
		auto **list = static_cast<page **>(kcpp_kmalloc(sizeof(page *) * unsigned(nr_pages),
								 kcpp::gfp::kernel));
		if (!list)
			return nullptr;
		// perf may back the area with high-order pages; pages[] still
		// lists every page of it.
		for (int i = 0; i < nr_pages; i++)
			list[i] = armature_spe_virt_to_page(pages[i]);
		auto *base = static_cast<u8 *>(armature_spe_vmap(list, unsigned(nr_pages)));
		kcpp_kfree(list);
		if (!base)
			return nullptr;
		auto buf = kcpp::make<Buffer>(kcpp::gfp::kernel, base, geometry.value());
		if (!buf)
			armature_spe_vunmap(base);
		return buf.release();
	}

	static void free_aux(void *data)
	{
		kcpp::Box<Buffer> buf(static_cast<Buffer *>(data));
		armature_spe_vunmap(buf->base);
	}

	bool handle_irq_local()
	{
		perf_event *event = armature_spe_aux_event_local(s_);
		if (!event)
			return false;
		auto &&io = platform_.io();
		const Action action = end_session(io);
		if (action == Action::spurious)
			return false;
		count(local_counters(s_).irqs, 1);
		// Pending perf work first, such as the disable a truncation queued:
		// it may already have stopped this event.
		armature_spe_irq_work_run();
		if (action == Action::fatal) {
			// Off before PMBSR is cleared: clearing it restarts profiling.
			disable_and_drain(io);
		} else {
			armature_spe_handle_state h;
			armature_spe_aux_state_local(s_, &h);
			if (!(h.aux_flags & ARMATURE_SPE_AUX_FLAG_TRUNCATED)) {
				armature_spe_event_info info;
				armature_spe_event_get(s_, event, &info);
				if (output_begin(event, programming(event, info), io) < 0)
					stop(event, ARMATURE_SPE_EF_UPDATE);
				else
					hw::isb(); // the new PMBPTR before PMBSR resumes
			}
		}
		put<PMBSR>(io, 0);
		return true;
	}

	// A CPU going down: its hardware is reset before perf stops its events
	// (perf's hotplug state comes later), so a live session ends here, at
	// the pointer the hardware reached, and perf disables the event.
	void cpu_stopping_local()
	{
		auto &&io = platform_.io();
		disable_and_drain(io);
		if (armature_spe_aux_active_local(s_)) {
			armature_spe_aux_flag_local(s_, ARMATURE_SPE_AUX_FLAG_TRUNCATED);
			output_end(io);
		}
		reset_local();
		platform_.stopping_local();
	}

	// Hotplug and probe: this CPU's profiling off, its buffer forgotten.
	void reset_local()
	{
		auto &&io = platform_.io();
		disable_and_drain(io);
		put<PMBPTR>(io, 0);
		hw::isb();
		put<PMBSR>(io, 0);
		hw::isb();
	}

	// debugfs: a line per counter, summed over the CPUs while they count:
	// each value is single-copy atomic, the sum is not a snapshot.
	void show_stats(seq_file *m) const
	{
		armature_spe_counters sum{};
		for_each_cpu(s_, [&](unsigned cpu) {
			const armature_spe_counters &c = *armature_spe_cpu_counters(s_, cpu);
			sum.irqs += peek(c.irqs);
			sum.pad_bytes += peek(c.pad_bytes);
			sum.truncated += peek(c.truncated);
		});
		armature_spe_stat(m, "irqs", sum.irqs);
		armature_spe_stat(m, "pad_bytes", sum.pad_bytes);
		armature_spe_stat(m, "truncated", sum.truncated);
		platform_.show_stats(s_, m);
	}

	u64 cap(unsigned index) const { return cap_files[index].value(caps_); }

	bool format_visible(unsigned index) const
	{
		return index < nr_format_fields &&
		       (caps_.features & format_fields[index].needs) == format_fields[index].needs;
	}

private:
	static Attr attr(const armature_spe_event_info &info)
	{
		Attr a{};
		a.config = info.config;
		a.config1 = info.config1;
		a.config2 = info.config2;
		a.config3 = info.config3;
		a.sample_period = info.sample_period;
		a.freq = info.freq;
		a.exclude_user = info.exclude_user;
		a.exclude_kernel = info.exclude_kernel;
		a.exclude_idle = info.exclude_idle;
		return a;
	}

	// event_init accepted this event: the same rules give the same values.
	Programming programming(perf_event *event, const armature_spe_event_info &info) const
	{
		auto p = program(caps_, attr(info), armature_spe_pid_in_contextidr(),
				 KernelRights{nullptr, armature_spe_event_flags(event)});
		return p ? p.value() : Programming{};
	}

	// Starts a session in this CPU's handle: -EIO when there is no room
	// (the handle is then ended) or no AUX area.
	int output_begin(perf_event *event, const Programming &p, Io &io)
	{
		if (p.discard) {
			PMBLIMITR::Get().set_fm(PMBLIMITR::fm_discard).set_e(1).WriteTo(io);
			return 0;
		}
		auto *buf = static_cast<Buffer *>(armature_spe_aux_begin_local(s_, event));
		if (!buf) {
			// Profiling may have stopped on a fault: the limit goes anyway.
			put<PMBLIMITR>(io, 0);
			return -EIO;
		}
		HandleOutput out(s_, *buf);
		auto window = next_window(buf->geometry, out);
		if (!window) {
			put<PMBLIMITR>(io, 0);
			return -EIO;
		}
		if (buf->geometry.snapshot())
			armature_spe_aux_set_head_local(s_, window.value().base);
		put<PMBPTR>(io, u64(buf->base + window.value().base));
		PMBLIMITR::Get()
			.set_limit(u64(buf->base + window.value().limit) >> 12)
			.set_e(1)
			.WriteTo(io);
		return 0;
	}

	// Hands perf what the hardware wrote since the session began.
	void output_end(Io &io)
	{
		auto *buf = static_cast<Buffer *>(armature_spe_aux_active_local(s_));
		armature_spe_handle_state h;
		armature_spe_aux_state_local(s_, &h);
		const u64 offset = get<PMBPTR>(io) - u64(buf->base);
		const u64 size = offset - buf->geometry.offset(h.head);
		if (buf->geometry.snapshot())
			armature_spe_aux_set_head_local(s_, offset);
		armature_spe_aux_end_local(s_, size);
	}

	// Why profiling stopped, with the session ended unless nothing is
	// pending. A fault is reported once per rate-limit interval.
	Action end_session(Io &io)
	{
		// Records in flight reach memory, aborts resolve, and the
		// hardware's PMBPTR is visible to the reads below.
		hw::psb_csync();
		hw::dsb_nsh();
		hw::isb();
		const u64 pmbsr = get<PMBSR>(io);
		const Syndrome syn = decode(pmbsr);
		if (syn.action == Action::spurious)
			return syn.action;
		if (syn.aux_flags)
			armature_spe_aux_flag_local(s_, syn.aux_flags);
		if (syn.action == Action::fatal)
			armature_spe_err_ratelimited(
				"%s on CPU %d [PMBSR=0x%llx, PMBPTR=0x%llx, PMBLIMITR=0x%llx]\n",
				describe(syn.fault), armature_spe_this_cpu(), (unsigned long long)pmbsr,
				(unsigned long long)get<PMBPTR>(io),
				(unsigned long long)get<PMBLIMITR>(io));
		output_end(io);
		return syn.action;
	}

	static void disable_and_drain(Io &io)
	{
		put<PMSCR>(io, 0);
		hw::isb();          // no new samples
		hw::psb_csync();    // sampled operations in flight written out
		hw::dsb_nsh();      // and those writes complete
		put<PMBLIMITR>(io, 0);
		hw::isb();
	}

	armature_spe *s_;
	Caps caps_{};
	Platform platform_;
};

// What probe reads on one supported CPU, through that CPU's registers.
template <typename Platform>
struct IdRead {
	Platform *platform;
	u64 dfr0, pmbidr, pmsidr, pmsevfr;
};

template <typename Platform>
void read_ids(void *arg)
{
	auto &r = *static_cast<IdRead<Platform> *>(arg);
	auto &&io = r.platform->io();
	r.dfr0 = get<ID_AA64DFR0>(io);
	if (!ID_AA64DFR0::FromValue(r.dfr0).pmsver())
		return; // the registers below do not exist
	// PMBIDR first: with P set, a higher exception level may trap every
	// other SPE register.
	r.pmbidr = get<PMBIDR>(io);
	if (PMBIDR::FromValue(r.pmbidr).p())
		return;
	r.pmsidr = get<PMSIDR>(io);
	// Unimplemented event-filter bits read as zero.
	put<PMSEVFR>(io, ~u64(0));
	r.pmsevfr = get<PMSEVFR>(io);
	put<PMSEVFR>(io, 0);
}

// The profiling interrupt is one PPI, its CPUs the ones SPE is used on.
int get_ppi(armature_spe *s)
{
	const int irq = armature_spe_platform_irq(s);
	if (irq < 0)
		return -ENXIO;
	if (!armature_spe_irq_is_percpu(irq)) {
		armature_spe_err(s, "expected a PPI but got SPI %d\n", irq);
		return -EINVAL;
	}
	if (armature_spe_set_ppi(s, irq)) {
		armature_spe_err(s, "cannot get the CPUs of PPI %d\n", irq);
		return -EINVAL;
	}
	return 0;
}

// Reads the CPU's SPE description into the driver's object.
template <typename Platform>
int read_caps(armature_spe *s, Spe<Platform> &core)
{
	IdRead<Platform> ids{&core.platform(), 0, 0, 0, 0};
	if (int ret = armature_spe_call_on_supported_cpu(s, read_ids<Platform>, &ids))
		return ret;
	const ProbeReport report = probe_caps(ids.dfr0, ids.pmbidr, ids.pmsidr, ids.pmsevfr);
	if (report.status != ProbeStatus::ok) {
		armature_spe_err(s, "%s [%u]\n", describe(report.status), report.raw_field);
		return -ENXIO;
	}
	if (report.interval_assumed)
		armature_spe_warn(s, "unknown PMSIDR_EL1.Interval [%u]; assuming 4096\n",
				  unsigned(PMSIDR::FromValue(ids.pmsidr).interval()));
	if (report.count_size_assumed)
		armature_spe_warn(s, "unknown PMSIDR_EL1.CountSize [%u]; assuming 12 bits\n",
				  unsigned(PMSIDR::FromValue(ids.pmsidr).countsize()));
	core.set_caps(report.caps);
	return 0;
}

constexpr unsigned nr_cap_files = sizeof(cap_files) / sizeof(cap_files[0]);

int set_attrs(armature_spe *s)
{
	if (int ret = armature_spe_alloc_attrs(s, nr_cap_files, nr_format_fields))
		return ret;
	for (unsigned i = 0; i < nr_cap_files; i++)
		armature_spe_set_cap_attr(s, i, cap_files[i].name, cap_files[i].hex);
	for (unsigned i = 0; i < nr_format_fields; i++)
		armature_spe_set_format_attr(s, i, format_fields[i].name, format_fields[i].spec);
	return 0;
}

// The driver's object of a device, made and registered.
template <typename Platform>
int probe(armature_spe *s)
{
	// The buffer is a kernel virtual address, which the profiler cannot
	// reach while the kernel is unmapped at EL0.
	if (armature_spe_kernel_unmapped_at_el0()) {
		armature_spe_err(s, "profiling buffer inaccessible with kernel page-table isolation; boot with kpti=off\n");
		return -EPERM;
	}
	if (int ret = get_ppi(s))
		return ret;
	auto core = kcpp::make<Spe<Platform>>(kcpp::gfp::kernel, s);
	if (!core)
		return -ENOMEM;
	if (int ret = core->platform().init(s))
		return ret;
	if (int ret = read_caps(s, *core))
		return ret;
	if (int ret = set_attrs(s))
		return ret;
	armature_spe_set_core(s, core.get());
	if (int ret = armature_spe_register(s)) {
		armature_spe_set_core(s, nullptr);
		return ret;
	}
	const Caps &caps = core->caps();
	armature_spe_info(s, "probed SPEv1.%u [max_record_sz %u, align %u, features 0x%x]\n",
			  caps.pmsver - 1, caps.records.max_size(), caps.records.align(), caps.features);
	(void)core.release();
	return 0;
}

} // namespace
} // namespace armature::spe
