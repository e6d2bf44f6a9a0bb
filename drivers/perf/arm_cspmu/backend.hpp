// SPDX-License-Identifier: GPL-2.0
// Vendor backends register with the core by the key of their entry in the
// core's PMIIDR table (core.cpp): the implementer they handle. The core
// requests a backend's module when it probes a PMU of that implementer.
#pragma once

#include "core.h"
#include "pmu.hpp"
#include <kcpp/module.hpp>

namespace armature::cspmu {

using BackendRegistry = kcpp::KernelRegistry<u32, Backend>;

} // namespace armature::cspmu

// A backend module keeps one in its static data:
//   constinit armature_cspmu_backend entry{implementer_nvidia, &backend, &__this_module};
struct armature_cspmu_backend : armature::cspmu::BackendRegistry::Entry {
	using Entry::Entry;
};
