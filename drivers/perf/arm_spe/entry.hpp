// SPDX-License-Identifier: GPL-2.0
// The C++ half of spe.h's boundary for one build of the driver, Spe<Platform>:
// included last, once, by the .cpp of each module after it defines its
// Platform (pmu.cpp, sim/pmu.cpp).
#pragma once

#include "driver.hpp"

namespace armature::spe {
namespace {

using Driver = Spe<Platform>;

Driver *spe(armature_spe *s)
{
	return static_cast<Driver *>(armature_spe_core(s));
}

} // namespace
} // namespace armature::spe

using namespace armature::spe;

extern "C" {

int armature_spe_probe(armature_spe *s)
{
	return probe<Platform>(s);
}

void armature_spe_remove(armature_spe *s)
{
	kcpp::Box<Driver> core(spe(s));
	armature_spe_unregister(s);
	armature_spe_set_core(s, nullptr);
}

void armature_spe_cpu_starting(armature_spe *s, unsigned int cpu)
{
	if (!armature_spe_cpu_supported(s, int(cpu)))
		return;
	spe(s)->reset_local();
	armature_spe_enable_irq_local(s);
}

void armature_spe_cpu_stopping(armature_spe *s, unsigned int cpu)
{
	if (!armature_spe_cpu_supported(s, int(cpu)))
		return;
	armature_spe_disable_irq_local(s);
	spe(s)->cpu_stopping_local();
}

int armature_spe_event_init(armature_spe *s, perf_event *event)
{
	return spe(s)->event_init(event);
}

int armature_spe_add(armature_spe *s, perf_event *event, int flags)
{
	return spe(s)->add(event, flags);
}

void armature_spe_start(armature_spe *s, perf_event *event, int flags)
{
	spe(s)->start(event, flags);
}

void armature_spe_stop(armature_spe *s, perf_event *event, int flags)
{
	spe(s)->stop(event, flags);
}

void armature_spe_del(armature_spe *s, perf_event *event, int)
{
	spe(s)->stop(event, ARMATURE_SPE_EF_UPDATE);
}

int armature_spe_check_period(armature_spe *s, perf_event *, __u64 period)
{
	return spe(s)->check_period(period);
}

void *armature_spe_setup_aux(armature_spe *s, perf_event *, void **pages, int nr_pages,
			     bool snapshot)
{
	return spe(s)->setup_aux(pages, nr_pages, snapshot);
}

void armature_spe_free_aux(void *buf)
{
	Driver::free_aux(buf);
}

bool armature_spe_handle_irq_local(armature_spe *s)
{
	Driver *core = spe(s);
	return core && core->handle_irq_local();
}

__u64 armature_spe_cap(armature_spe *s, unsigned int index)
{
	return spe(s)->cap(index);
}

bool armature_spe_format_visible(armature_spe *s, unsigned int index)
{
	return spe(s)->format_visible(index);
}

void armature_spe_show_stats(armature_spe *s, seq_file *m)
{
	spe(s)->show_stats(m);
}

} // extern "C"
