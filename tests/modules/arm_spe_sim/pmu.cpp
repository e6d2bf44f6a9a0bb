// SPDX-License-Identifier: GPL-2.0
// arm_spe_sim (tests only): the driver (driver.hpp) on a simulated SPE, a
// Model per CPU (model.hpp) for machines without SPE such as QEMU. A timer
// per CPU (module.c) runs the model of a CPU that profiles, and calls the
// driver's interrupt handler where the hardware would raise the PPI.
#include <new>

#include "driver.hpp"
#include "model.hpp"
#include "sim.h"

namespace armature::spe {
namespace {

// The simulated CPU when module parameters leave a value at 0: SPEv1p2
// (discard mode exists), byte-aligned 64-byte records, without FnE (perf 6.1
// warns about the config3 format), with a minimum interval of 4096 (perf's
// default period) rather than 256.
constexpr sim::IdRegisters default_ids = [] {
	sim::IdRegisters ids = sim::typical_ids(3);
	ids.pmsidr = PMSIDR::FromValue(ids.pmsidr).set_interval(8).reg_value();
	return ids;
}();
constexpr unsigned default_ops_per_us = 100;

// A fault queued through the inject parameter, taken by the first
// profiling CPU to tick.
constinit sim::Injection pending_injection = sim::Injection::none;

} // namespace

// The models of every possible CPU and the timers of the supported ones.
class Platform {
public:
	using Io = sim::Model;

	Platform() = default;
	~Platform()
	{
		// Stopped before the models they run go.
		if (timers_) {
			cpus_->for_each([this](unsigned cpu) {
				armature_spe_sim_timer_cancel(timers_, cpu);
			});
			armature_spe_sim_free(timers_);
		}
		kcpp_kfree(models_);
	}
	Platform(const Platform &) = delete;
	Platform &operator=(const Platform &) = delete;

	int init(kcpp_device *dev, const kcpp::CpuMask &cpus, void *driver)
	{
		const armature_spe_sim_params &params = *armature_spe_sim_module_params();
		const unsigned nr = kcpp_nr_cpu_ids();
		cpus_ = &cpus;
		models_ = static_cast<sim::Model *>(kcpp_kmalloc(sizeof(sim::Model) * nr,
								 kcpp::gfp::kernel));
		if (!models_)
			return -ENOMEM;
		// Nothing fails from here on: the destructor finds the timers
		// set up.
		timers_ = armature_spe_sim_alloc(driver);
		if (!timers_)
			return -ENOMEM;
		const sim::IdRegisters ids{
			params.pmsver ? params.pmsver : default_ids.pmsver,
			params.pmbidr ? params.pmbidr : default_ids.pmbidr,
			params.pmsidr ? params.pmsidr : default_ids.pmsidr,
		};
		for (unsigned cpu = 0; cpu < nr; cpu++)
			new (&models_[cpu]) sim::Model(ids, cpu + 1);
		cpus.for_each([this](unsigned cpu) { armature_spe_sim_timer_init(timers_, cpu); });
		ops_per_us_ = params.ops_per_us ? params.ops_per_us : default_ops_per_us;
		KCPP_DEV_WARN(dev, "simulated SPE, a test model and not hardware: PMSVer %u, PMBIDR 0x%llx, PMSIDR 0x%llx\n",
				  ids.pmsver, (unsigned long long)ids.pmbidr,
				  (unsigned long long)ids.pmsidr);
		return 0;
	}

	Io &io() const { return models_[kcpp_this_cpu()]; }

	// The timer runs while the model profiles.
	void started_local()
	{
		if (!armature_spe_sim_timer_pending_local(timers_))
			armature_spe_sim_timer_start_local(timers_);
	}

	void stopping_local() { armature_spe_sim_timer_cancel(timers_, kcpp_this_cpu()); }

	// The models' counts, after the driver's (see Spe::show_stats).
	void show_stats(seq_file *m) const
	{
		sim::Model::Stats sum{};
		cpus_->for_each([&](unsigned cpu) {
			const sim::Model::Stats &st = models_[cpu].stats();
			sum.samples += peek(st.samples);
			sum.records += peek(st.records);
			sum.record_bytes += peek(st.record_bytes);
			sum.padding_bytes += peek(st.padding_bytes);
			sum.lost += peek(st.lost);
		});
		stat(m, "sim_samples", sum.samples);
		stat(m, "sim_records", sum.records);
		stat(m, "sim_record_bytes", sum.record_bytes);
		stat(m, "sim_align_bytes", sum.padding_bytes);
		stat(m, "sim_lost", sum.lost);
	}

	unsigned ops_per_us() const { return ops_per_us_; }

private:
	const kcpp::CpuMask *cpus_ = nullptr;
	sim::Model *models_ = nullptr;
	armature_spe_sim *timers_ = nullptr;
	unsigned ops_per_us_ = 0;
};

} // namespace armature::spe

#include "entry.hpp"

namespace armature::spe {
namespace {

bool tick_local(Driver &core, const armature_spe_sim_context &ctx)
{
	const unsigned cpu = kcpp_this_cpu();
	// A CPU going down cancels its timer, but one started again on its way
	// down moves with its other timers to a CPU whose model is not this
	// timer's: the timer stops there (the CPU's own starts when it
	// profiles again).
	if (ctx.timer_cpu != cpu)
		return false;
	// Not from an interrupt: no context to sample, the time carries over
	// to the next tick.
	if (!ctx.interrupted)
		return true;
	const u64 elapsed_ns = ctx.now_ns - *ctx.last_tick_ns;
	*ctx.last_tick_ns = ctx.now_ns;
	sim::Model &model = core.platform().io();
	if (!model.active())
		return false;
	const auto injection = __atomic_exchange_n(&pending_injection, sim::Injection::none,
						   __ATOMIC_RELAXED);
	if (injection != sim::Injection::none)
		model.inject(injection);
	sim::Operation op{};
	op.pc = ctx.pc;
	op.user = ctx.user;
	// User operations "access" their stack; kernel ones a word of the
	// simulator's, whose physical address is known.
	op.data_va = ctx.user ? ctx.sp : ctx.data_va;
	op.data_pa = ctx.data_pa;
	op.has_pa = !ctx.user;
	op.context_id = ctx.pid;
	op.virtual_count = hw::virtual_count();
	op.physical_count = hw::physical_count();
	// The interrupt comes between two operations; the handler may restart
	// profiling for the rest of the time.
	u64 ops = elapsed_ns * core.platform().ops_per_us() / 1000;
	while (model.execute_until_event(ops, op))
		core.handle_irq();
	return model.active();
}

struct InjectionName {
	const char *name;
	sim::Injection injection;
};
constexpr InjectionName injection_names[] = {
	{"stage1_fault", sim::Injection::stage1_fault},
	{"unknown_code", sim::Injection::unknown_code},
	{"data_loss", sim::Injection::data_loss},
	{"collision", sim::Injection::collision},
};

// A parameter's value, without the newline echo leaves.
bool same_word(const char *value, const char *name)
{
	while (*name && *value == *name) {
		value++;
		name++;
	}
	return !*name && (!*value || (value[0] == '\n' && !value[1]));
}

kcpp::Result<sim::Injection> parse_injection(const char *value)
{
	for (const auto &entry : injection_names)
		if (same_word(value, entry.name))
			return entry.injection;
	return kcpp::Error(-EINVAL);
}

} // namespace
} // namespace armature::spe

using namespace armature::spe;

extern "C" {

bool armature_spe_sim_tick_local(void *driver, const armature_spe_sim_context *ctx)
{
	return tick_local(*static_cast<Driver *>(driver), *ctx);
}

int armature_spe_sim_inject(const char *what)
{
	const auto injection = parse_injection(what);
	if (!injection)
		return injection.code();
	__atomic_store_n(&pending_injection, injection.value(), __ATOMIC_RELAXED);
	return 0;
}

} // extern "C"
