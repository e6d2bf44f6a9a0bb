// SPDX-License-Identifier: GPL-2.0
// nvidia_cspmu: registers the NVIDIA backend (nvidia.hpp) with the core
// under NVIDIA's JEP106 implementer code.
#include "backend.hpp"
#include "nvidia.hpp"
#include "nvidia_module.h"

using namespace armature::cspmu;

namespace {

// Generic PMUs are numbered in probe order for the module's lifetime, as
// upstream does; PMUs of a known product do not take a number.
constinit u32 next_generic_index = 0;

int backend_init(Pmu &pmu)
{
	const nvidia::Variant &v = nvidia::match(pmu.pmiidr());
	u32 index = 0;
	if (v.naming == nvidia::Naming::generic)
		index = __atomic_fetch_add(&next_generic_index, 1, __ATOMIC_RELAXED);
	int ret = nvidia::init(pmu, index);
	if (ret == -ENODEV && v.naming == nvidia::Naming::socket_inst)
		armature_cspmu_err(pmu.kobj(),
				   "PMIIDR 0x%x: %s<socket>_rc_<instance> needs an \"instance_id\" "
				   "from firmware, and there is none\n",
				   pmu.pmiidr(), v.name);
	else if (ret)
		armature_cspmu_err(pmu.kobj(), "PMIIDR 0x%x: cannot set up %s PMU: %d\n",
				   pmu.pmiidr(), v.name, ret);
	return ret;
}

constexpr Backend backend = {
	.init = backend_init,
	.release = nullptr,
};

constinit armature_cspmu_backend entry{implementer_nvidia, &backend, &__this_module};

} // namespace

int nvidia_cspmu_init()
{
	return armature_cspmu_register_backend(&entry);
}

void nvidia_cspmu_exit()
{
	armature_cspmu_unregister_backend(&entry);
}
