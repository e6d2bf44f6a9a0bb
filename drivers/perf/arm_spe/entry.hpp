// SPDX-License-Identifier: GPL-2.0
// The module's entry points for one build of the driver, Spe<Platform>:
// included last, once, by the .cpp of each module after it defines its
// Platform (pmu.cpp, tests/modules/arm_spe_sim/pmu.cpp).
#pragma once

#include "driver.hpp"
#include "spe.h"

namespace armature::spe {
using Driver = Spe<Platform>;
} // namespace armature::spe

extern "C" {

const kcpp_driver_ops armature_spe_driver_ops = kcpp::driver_ops<armature::spe::Driver>;

int armature_spe_init()
{
	using namespace armature::spe;
	const int state = kcpp_cpuhp_setup("perf/arm/spe:online");
	if (state < 0)
		return state;
	cpuhp_state = state;
	// /sys/kernel/debug/<module>/: a stats file per PMU.
	debugfs_dir = kcpp_debugfs_dir(KBUILD_MODNAME);
	const int ret = kcpp_platform_driver_register(&armature_spe_driver, kcpp::this_module());
	if (ret) {
		kcpp_debugfs_remove(debugfs_dir);
		kcpp_cpuhp_remove(cpuhp_state);
	}
	return ret;
}

void armature_spe_exit()
{
	using namespace armature::spe;
	kcpp_platform_driver_unregister(&armature_spe_driver);
	kcpp_debugfs_remove(debugfs_dir);
	kcpp_cpuhp_remove(cpuhp_state);
}

} // extern "C"
