// SPDX-License-Identifier: GPL-2.0
// ampere_cspmu: registers the Ampere backend (ampere.hpp) with the core
// under Ampere's JEP106 implementer code, and hands out the MCU PMUs'
// instance IDs.
#include "ampere.hpp"
#include "ampere_module.h"
#include "backend.hpp"
#include <kcpp/device.hpp>

using namespace armature::cspmu;

namespace {

// Instance IDs of ampere_mcu_pmu_<id>: the lowest free one at probe,
// returned at remove (upstream's IDA never returns them).
constinit ampere::IdBitmap<4> ids;

int backend_init(Pmu &pmu)
{
	int id = ids.alloc();
	if (id < 0) {
		KCPP_DEV_ERR(pmu.dev(), "all %u %s<id> instance IDs are in use\n",
				   ids.capacity, ampere::name_prefix);
		return id;
	}
	int ret = ampere::init(pmu, id);
	if (ret) {
		ids.free(id);
		KCPP_DEV_ERR(pmu.dev(), "cannot set up %s%d: %d\n", ampere::name_prefix,
				   id, ret);
	}
	return ret;
}

// Called only after a successful init.
void backend_release(Pmu &pmu)
{
	ids.free(pmu.backend_data());
	pmu.backend_data() = -1;
}

constexpr Backend backend = {
	.init = backend_init,
	.release = backend_release,
};

constinit armature_cspmu_backend entry{implementer_ampere, &backend, &__this_module};

} // namespace

int ampere_cspmu_init()
{
	return armature_cspmu_register_backend(&entry);
}

void ampere_cspmu_exit()
{
	armature_cspmu_unregister_backend(&entry);
}
