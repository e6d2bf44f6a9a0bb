// SPDX-License-Identifier: GPL-2.0
// The registries of gunyah_rsc_mgr (C++ side of gunyah.h): platform ops by
// the hypervisor's platform UUID, and hypervisors reached without firmware.
// A platform or hypervisor module keeps its entry in its static data:
//   constinit gunyah_platform entry{qcom_uuid, &qcom_ops, &__this_module};
#pragma once

#include "gunyah.h"
#include "uuid.hpp"
#include <kcpp/module.hpp>

namespace armature::gunyah {

using PlatformRegistry = kcpp::KernelRegistry<Uuid, gunyah_platform_ops>;

// A hypervisor registry has one slot: at most one hypervisor runs us.
struct HypervisorSlot {
	constexpr bool operator==(const HypervisorSlot &) const = default;
};
using HypervisorRegistry = kcpp::KernelRegistry<HypervisorSlot, gunyah_hypervisor_ops>;

} // namespace armature::gunyah

struct gunyah_platform : armature::gunyah::PlatformRegistry::Entry {
	using Entry::Entry;
};

struct gunyah_hypervisor : armature::gunyah::HypervisorRegistry::Entry {
	using Entry::Entry;
};
