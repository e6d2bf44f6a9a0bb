// SPDX-License-Identifier: GPL-2.0
// arm_spe: the Statistical Profiling Extension as a perf AUX PMU.
//
// Each CPU profiles into the AUX area of the event running on it: the
// hardware writes records from PMBPTR up to PMBLIMITR and raises the
// buffer-management PPI when it stops (limit reached, fault). Where a session
// may write comes from buffer.hpp, what an event asks for from config.hpp,
// what a stop means from syndrome.hpp; this file sequences the registers.
//
// The driver is Spe<Platform>, on kcpp's device, perf and sysfs adapters,
// built once per module: pmu.cpp's Platform is the CPU's own registers
// (arm_spe_pmu.ko), tests/modules/arm_spe_sim's the simulated SPE (arm_spe_sim.ko, tests
// only). A Platform supplies:
//
//   using Io = ...;             the register policy (kcpp RegisterIo)
//   int init(kcpp_device *, const kcpp::CpuMask &cpus, void *driver);
//                               at probe, before anything else of it; the
//                               CPUs SPE is used on, the Spe<Platform>
//   Io io();                    this CPU's registers (IRQs or preemption
//                               off), or a reference to them
//   void started_local();       after start() enabled profiling on this CPU
//   void stopping_local();      this CPU goes down, its profiling off
//   void show_stats(seq_file *) const;   its debugfs lines
//
// Each module's .cpp defines its Platform, then includes entry.hpp.
#pragma once

#include <kcpp_compat.h>
#include <kcpp/alloc.hpp>
#include <kcpp/device.hpp>
#include <kcpp/errno.hpp>
#include <kcpp/log.hpp>
#include <kcpp/memory.h>
#include <kcpp/module.hpp>
#include <kcpp/name.hpp>
#include <kcpp/perf.hpp>
#include <kcpp/result.hpp>
#include <kcpp/sysfs.hpp>

#include "buffer.hpp"
#include "caps.hpp"
#include "config.hpp"
#include "hardware.hpp"
#include "regs.hpp"
#include "syndrome.hpp"

namespace armature::spe {
// Included once per module: what is not used there is not emitted.
namespace {

// hw.flags: whether event_init asked perf_allow_kernel(), and its answer.
// start() rebuilds the registers from attr in whatever context it runs in,
// so the opener's rights are those recorded at open.
// The features this kernel's perf can ask for: without attr.config3 (before
// 6.3) no inverted event filter, so its format file is not offered.
#ifdef KCPP_HAVE_PERF_ATTR_CONFIG3
constexpr u32 kernel_features = ~u32(0);
#else
constexpr u32 kernel_features = ~u32(inv_filt_evt);
#endif

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
		const int ret = kcpp_perf_allow_kernel();
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

using kcpp::perf::Event;

// What the driver did on one CPU, counted by that CPU (IRQs off) and read
// by any (debugfs), hence single-copy atomic accesses on both sides.
struct Counters {
	u64 irqs;      // buffer-management interrupts that were ours
	u64 pad_bytes; // padding written to align a window or end one early
	u64 truncated; // sessions refused for want of room: TRUNCATED
};

// Counts on this CPU what debugfs reads on any.
inline void count(u64 &counter, u64 n)
{
	__atomic_store_n(&counter, counter + n, __ATOMIC_RELAXED);
}

// One "name value" line of a stats file.
inline void stat(seq_file *m, const char *name, u64 value)
{
	kcpp_seq_printf(m, "%s %llu\n", name, static_cast<unsigned long long>(value));
}

template <typename T>
T peek(const T &value)
{
	return __atomic_load_n(&value, __ATOMIC_RELAXED);
}

// perf's output handle of this CPU, as buffer.hpp's Output.
class HandleOutput {
public:
	HandleOutput(kcpp_aux_handles *aux, const Buffer &buf, Counters &counters)
		: aux_(aux), buf_(buf), counters_(counters)
	{
	}

	Handle handle() const
	{
		kcpp_aux_state h;
		kcpp_aux_state_local(aux_, &h);
		return Handle{h.head, h.size, h.wakeup};
	}
	void pad(u64 offset, u64 len)
	{
		__builtin_memset(buf_.base + offset, padding_byte, len);
		count(counters_.pad_bytes, len);
	}
	void skip(u64 len) { kcpp_aux_skip_local(aux_, len); }
	void truncate()
	{
		kcpp_aux_flag_local(aux_, PERF_AUX_FLAG_TRUNCATED);
		kcpp_aux_end_local(aux_, 0);
		count(counters_.truncated, 1);
	}

private:
	kcpp_aux_handles *aux_;
	const Buffer &buf_;
	Counters &counters_;
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

// The module's: the hotplug state of its PMUs, its debugfs directory, and
// the number of the next PMU (arm_spe_<n>, from 0 in probe order).
constinit int cpuhp_state;
constinit dentry *debugfs_dir;
constinit int next_index = 0;

template <typename Platform>
class Spe {
public:
	using Io = typename Platform::Io;
	static constexpr int task_ctx_nr = KCPP_PERF_SW_CONTEXT; // per-task events: sched in/out

	explicit Spe(kcpp_device *dev) : dev_(dev) {}
	Spe(const Spe &) = delete;
	Spe &operator=(const Spe &) = delete;

	static int probe(kcpp_device *dev);

	int event_init(Event event)
	{
		if (!event.names(perf_))
			return -ENOENT;
		if (event.cpu() >= 0 && !supported_.test(event.cpu()))
			return -ENOENT;
		unsigned flags = 0;
		auto programming = program(caps_, attr(event), KCPP_PID_IN_CONTEXTIDR,
					   KernelRights{&flags, 0});
		if (!programming)
			return programming.code();
		event.flags() = (event.flags() & ~KCPP_PERF_EVENT_FLAG_ARCH) |
				(int(flags) & KCPP_PERF_EVENT_FLAG_ARCH);
		return 0;
	}

	int add(Event event, int flags)
	{
		if (!supported_.test(kcpp_this_cpu()))
			return -ENOENT;
		event.state() = kcpp::perf::hes_stopped | kcpp::perf::hes_uptodate;
		if (flags & kcpp::perf::ef_start) {
			start(event, kcpp::perf::ef_reload);
			if (event.state() & kcpp::perf::hes_stopped)
				return -EINVAL;
		}
		return 0;
	}

	void del(Event event, int) { stop(event, kcpp::perf::ef_update); }

	void start(Event event, int flags)
	{
		const Programming p = programming(event);
		auto &&io = platform_.io();

		event.state() = 0;
		if (output_begin(event, p, io) < 0) {
			stop(event, 0);
			return;
		}
		put<PMSFCR>(io, p.pmsfcr);
		put<PMSEVFR>(io, p.pmsevfr);
		if (caps_.has(inv_filt_evt))
			put<PMSNEVFR>(io, p.pmsnevfr);
		put<PMSLATFR>(io, p.pmslatfr);
		if (flags & kcpp::perf::ef_reload) {
			const u64 sample_period = event.attr().sample_period;
			const u64 period = sample_period ? sample_period : caps_.min_interval;
			event.sample_period() = interval(period);
			put<PMSIRR>(io, pmsirr(p, period));
			// The reload value is in place before the count it reloads.
			hw::isb();
			put<PMSICR>(io, event.period_left());
		}
		// Buffer, filters and interval in effect before sampling starts.
		hw::isb();
		put<PMSCR>(io, p.pmscr);
		platform_.started_local();
	}

	void stop(Event event, int flags)
	{
		int state = event.state();
		if (state & kcpp::perf::hes_stopped)
			return;
		auto &&io = platform_.io();
		disable_and_drain(io);
		if (flags & kcpp::perf::ef_update) {
			// A context switch may stop a session whose fault is pending:
			// the fault belongs to this buffer.
			if (kcpp_aux_active_local(aux_)) {
				if (end_session(io) == Action::spurious)
					output_end(io);
				else
					put<PMBSR>(io, 0);
			}
			event.set_period_left(get<PMSICR>(io));
			state |= kcpp::perf::hes_uptodate;
		}
		event.state() = state | kcpp::perf::hes_stopped;
	}

	// Samples go to the AUX area; there is no count to read.
	void read(Event) {}

	int check_period(Event, u64 period) const { return spe::check_period(caps_, period); }

	void *setup_aux(Event, void **pages, int nr_pages, bool snapshot)
	{
		auto geometry = Geometry::make(u64(nr_pages), KCPP_PAGE_SIZE, caps_.records, snapshot);
		if (!geometry)
			return nullptr;
		auto **list = static_cast<page **>(kcpp_kmalloc(sizeof(page *) * unsigned(nr_pages),
								 kcpp::gfp::kernel));
		if (!list)
			return nullptr;
		// perf may back the area with high-order pages; pages[] still
		// lists every page of it.
		for (int i = 0; i < nr_pages; i++)
			list[i] = kcpp_virt_to_page(pages[i]);
		auto *base = static_cast<u8 *>(kcpp_vmap(list, unsigned(nr_pages)));
		kcpp_kfree(list);
		if (!base)
			return nullptr;
		auto buf = kcpp::make<Buffer>(kcpp::gfp::kernel, base, geometry.value());
		if (!buf)
			kcpp_vunmap(base);
		return buf.release();
	}

	static void free_aux(void *data)
	{
		kcpp::Box<Buffer> buf(static_cast<Buffer *>(data));
		kcpp_vunmap(buf->base);
	}

	// The buffer-management interrupt (or the simulator's), on this CPU.
	bool handle_irq()
	{
		perf_event *raw = kcpp_aux_event_local(aux_);
		if (!raw)
			return false;
		Event event(raw);
		auto &&io = platform_.io();
		const Action action = end_session(io);
		if (action == Action::spurious)
			return false;
		count(counters_.local().irqs, 1);
		// Pending perf work first, such as the disable a truncation queued:
		// it may already have stopped this event.
		kcpp_irq_work_run();
		if (action == Action::fatal) {
			// Off before PMBSR is cleared: clearing it restarts profiling.
			disable_and_drain(io);
		} else {
			kcpp_aux_state h;
			kcpp_aux_state_local(aux_, &h);
			if (!(h.aux_flags & PERF_AUX_FLAG_TRUNCATED)) {
				if (output_begin(event, programming(event), io) < 0)
					stop(event, kcpp::perf::ef_update);
				else
					hw::isb(); // the new PMBPTR before PMBSR resumes
			}
		}
		put<PMBSR>(io, 0);
		return true;
	}

	// Hotplug, on the CPU coming up or going down.
	void cpu_online(unsigned cpu)
	{
		if (!supported_.test(cpu))
			return;
		reset_local();
		kcpp_enable_percpu_irq_local(irq_);
	}

	void cpu_offline(unsigned cpu)
	{
		if (!supported_.test(cpu))
			return;
		kcpp_disable_percpu_irq_local(irq_);
		cpu_stopping_local();
	}

	Platform &platform() { return platform_; }

private:
	// A CPU going down: its hardware is reset before perf stops its events
	// (perf's hotplug state comes later), so a live session ends here, at
	// the pointer the hardware reached, and perf disables the event.
	// Interrupts off, as in stop(): the hotplug thread has them on, and the
	// truncation's wakeup queues perf's disable (6.1), which would otherwise
	// run stop() inside perf_aux_output_end(), before the handle is closed,
	// and end the session twice.
	void cpu_stopping_local()
	{
		{
			kcpp::LocalIrqsOff irqs_off;
			auto &&io = platform_.io();
			disable_and_drain(io);
			if (kcpp_aux_active_local(aux_)) {
				kcpp_aux_flag_local(aux_, PERF_AUX_FLAG_TRUNCATED);
				output_end(io);
			}
			reset_local();
		}
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
		Counters sum{};
		supported_.for_each([&](unsigned cpu) {
			const Counters &c = counters_.on(cpu);
			sum.irqs += peek(c.irqs);
			sum.pad_bytes += peek(c.pad_bytes);
			sum.truncated += peek(c.truncated);
		});
		stat(m, "irqs", sum.irqs);
		stat(m, "pad_bytes", sum.pad_bytes);
		stat(m, "truncated", sum.truncated);
		platform_.show_stats(m);
	}

	kcpp::Result<void> read_caps();
	kcpp::Result<void> find_ppi();
	kcpp::Result<const attribute_group **> make_attrs();
	kcpp::Result<void> register_pmu(const attribute_group **groups);

	static Attr attr(Event event)
	{
		const perf_event_attr &e = event.attr();
		Attr a{};
		a.config = e.config;
		a.config1 = e.config1;
		a.config2 = e.config2;
#ifdef KCPP_HAVE_PERF_ATTR_CONFIG3
		a.config3 = e.config3;
#endif
		a.sample_period = e.sample_period;
		a.freq = e.freq;
		a.exclude_user = e.exclude_user;
		a.exclude_kernel = e.exclude_kernel;
		a.exclude_idle = e.exclude_idle;
		return a;
	}

	// event_init accepted this event: the same rules give the same values.
	Programming programming(Event event) const
	{
		auto p = program(caps_, attr(event), KCPP_PID_IN_CONTEXTIDR,
				 KernelRights{nullptr, unsigned(event.flags())});
		return p ? p.value() : Programming{};
	}

	// Starts a session in this CPU's handle: -EIO when there is no room
	// (the handle is then ended) or no AUX area.
	int output_begin(Event event, const Programming &p, Io &io)
	{
		if (p.discard) {
			PMBLIMITR::Get().set_fm(PMBLIMITR::fm_discard).set_e(1).WriteTo(io);
			return 0;
		}
		auto *buf = static_cast<Buffer *>(kcpp_aux_begin_local(aux_, event.raw()));
		if (!buf) {
			// Profiling may have stopped on a fault: the limit goes anyway.
			put<PMBLIMITR>(io, 0);
			return -EIO;
		}
		HandleOutput out(aux_, *buf, counters_.local());
		auto window = next_window(buf->geometry, out);
		if (!window) {
			put<PMBLIMITR>(io, 0);
			return -EIO;
		}
		if (buf->geometry.snapshot())
			kcpp_aux_set_head_local(aux_, window.value().base);
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
		auto *buf = static_cast<Buffer *>(kcpp_aux_active_local(aux_));
		kcpp_aux_state h;
		kcpp_aux_state_local(aux_, &h);
		const u64 offset = get<PMBPTR>(io) - u64(buf->base);
		const u64 size = offset - buf->geometry.offset(h.head);
		if (buf->geometry.snapshot())
			kcpp_aux_set_head_local(aux_, offset);
		kcpp_aux_end_local(aux_, size);
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
			kcpp_aux_flag_local(aux_, syn.aux_flags);
		if (syn.action == Action::fatal)
			KCPP_DEV_ERR_RATELIMITED(
				dev_, "%s on CPU %u [PMBSR=0x%llx, PMBPTR=0x%llx, PMBLIMITR=0x%llx]\n",
				describe(syn.fault), kcpp_this_cpu(), (unsigned long long)pmbsr,
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

	kcpp_device *dev_;
	kcpp_pmu *perf_ = nullptr;
	kcpp_aux_handles *aux_ = nullptr;
	kcpp::PerCpu<Counters> counters_;
	kcpp::CpuMask supported_;
	int irq_ = 0;
	Caps caps_{};
	kcpp::NameBuf<16> name_;
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
template <typename Platform>
kcpp::Result<void> Spe<Platform>::find_ppi()
{
	const int irq = kcpp_device_irq(dev_, 0);
	if (irq < 0)
		return kcpp::Error(-ENXIO);
	if (!kcpp_irq_is_percpu(irq)) {
		KCPP_DEV_ERR(dev_, "expected a PPI but got SPI %d\n", irq);
		return kcpp::Error(-EINVAL);
	}
	if (kcpp_irq_percpu_cpus(irq, supported_.raw())) {
		KCPP_DEV_ERR(dev_, "cannot get the CPUs of PPI %d\n", irq);
		return kcpp::Error(-EINVAL);
	}
	irq_ = irq;
	return {};
}

// The CPU's SPE description.
template <typename Platform>
kcpp::Result<void> Spe<Platform>::read_caps()
{
	IdRead<Platform> ids{&platform_, 0, 0, 0, 0};
	KCPP_TRY(kcpp::to_result(kcpp_call_on_any_cpu(supported_.raw(), read_ids<Platform>, &ids)));
	const ProbeReport report = probe_caps(ids.dfr0, ids.pmbidr, ids.pmsidr, ids.pmsevfr);
	if (report.status != ProbeStatus::ok) {
		KCPP_DEV_ERR(dev_, "%s [%u]\n", describe(report.status), report.raw_field);
		return kcpp::Error(-ENXIO);
	}
	if (report.interval_assumed)
		KCPP_DEV_WARN(dev_, "unknown PMSIDR_EL1.Interval [%u]; assuming 4096\n",
			      unsigned(PMSIDR::FromValue(ids.pmsidr).interval()));
	if (report.count_size_assumed)
		KCPP_DEV_WARN(dev_, "unknown PMSIDR_EL1.CountSize [%u]; assuming 12 bits\n",
			      unsigned(PMSIDR::FromValue(ids.pmsidr).countsize()));
	caps_ = report.caps;
	caps_.features &= kernel_features;
	return {};
}

constexpr unsigned nr_cap_files = sizeof(cap_files) / sizeof(cap_files[0]);

// Upstream's files: cpumask, caps/ and the format/ files this SPE has.
template <typename Platform>
kcpp::Result<const attribute_group **> Spe<Platform>::make_attrs()
{
	auto files = KCPP_TRY(kcpp::SysfsGroups::create(dev_, 3, 1 + nr_cap_files + nr_format_fields));
	files.group(nullptr);
	files.cpumask("cpumask", supported_);
	files.group("caps");
	for (const CapFile &c : cap_files)
		files.number(c.name, c.value(caps_), c.hex);
	files.group("format");
	for (const auto &f : format_fields)
		if ((caps_.features & f.needs) == f.needs)
			files.string(f.name, f.spec);
	return files.groups();
}

// The PPI, the hotplug instance (bringing up every online supported CPU),
// the PMU as arm_spe_<n>, its stats file; each undone at unbind, in reverse.
template <typename Platform>
kcpp::Result<void> Spe<Platform>::register_pmu(const attribute_group **groups)
{
	int ret = kcpp_device_request_percpu_irq(
		dev_, irq_, KBUILD_MODNAME, [](void *p) { return static_cast<Spe *>(p)->handle_irq(); },
		this);
	if (ret) {
		KCPP_DEV_ERR(dev_, "cannot request PPI %d: %d\n", irq_, ret);
		return kcpp::Error(ret);
	}
	kcpp_cpuhp_instance *hotplug = kcpp_cpuhp_instance_alloc(dev_, &kcpp::cpuhp_ops<Spe>, this);
	perf_ = kcpp_pmu_alloc(dev_, &kcpp::perf::pmu_type<Spe>, this);
	if (!hotplug || !perf_)
		return kcpp::Error(-ENOMEM);
	KCPP_TRY(kcpp::to_result(kcpp_cpuhp_add(cpuhp_state, hotplug)));
	KCPP_TRY(kcpp::to_result(kcpp_device_add_action(
		dev_, [](void *h) {
			kcpp_cpuhp_del(cpuhp_state, static_cast<kcpp_cpuhp_instance *>(h));
		}, hotplug)));
	name_.append("arm_spe_").append_uint(__atomic_fetch_add(&next_index, 1, __ATOMIC_RELAXED));
	KCPP_TRY(kcpp::to_result(kcpp_pmu_register(
		perf_, kcpp::this_module(), name_.c_str(),
		KCPP_PERF_PMU_CAP_EXCLUSIVE | KCPP_PERF_PMU_CAP_ITRACE, groups)));
	KCPP_TRY(kcpp::to_result(kcpp_device_add_action(
		dev_, [](void *p) { kcpp_pmu_unregister(static_cast<kcpp_pmu *>(p)); }, perf_)));
	return kcpp::to_result(kcpp_device_debugfs_file(
		dev_, name_.c_str(), debugfs_dir,
		[](const void *p, seq_file *m) { static_cast<const Spe *>(p)->show_stats(m); }, this));
}

// The driver's object of a device, made and registered.
template <typename Platform>
int Spe<Platform>::probe(kcpp_device *dev)
{
	// The buffer is a kernel virtual address, which the profiler cannot
	// reach while the kernel is unmapped at EL0.
	if (kcpp_arm64_kernel_unmapped_at_el0()) {
		KCPP_DEV_ERR(dev, "profiling buffer inaccessible with kernel page-table isolation; boot with kpti=off\n");
		return -EPERM;
	}
	auto result = [&]() -> kcpp::Result<Spe *> {
		Spe *spe = kcpp::make_bound<Spe>(dev, dev);
		if (!spe)
			return kcpp::Error(-ENOMEM);
		KCPP_TRY(spe->find_ppi());
		spe->counters_ = KCPP_TRY(kcpp::PerCpu<Counters>::create(dev));
		spe->aux_ = kcpp_aux_handles_alloc(dev);
		if (!spe->aux_)
			return kcpp::Error(-ENOMEM);
		KCPP_TRY(kcpp::to_result(spe->platform_.init(dev, spe->supported_, spe)));
		KCPP_TRY(spe->read_caps());
		KCPP_TRY(spe->register_pmu(KCPP_TRY(spe->make_attrs())));
		return spe;
	}();
	if (!result)
		return result.code();
	const Caps &caps = result.value()->caps_;
	KCPP_DEV_INFO(dev, "probed SPEv1.%u [max_record_sz %u, align %u, features 0x%x]\n",
		      caps.pmsver - 1, caps.records.max_size(), caps.records.align(), caps.features);
	return 0;
}

} // namespace
} // namespace armature::spe
