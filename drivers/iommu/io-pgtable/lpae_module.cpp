// SPDX-License-Identifier: GPL-2.0
// armature_io_pgtable_lpae: registers the LPAE formats with the core.
#include "format_registry.hpp"
#include "kernel_env.hpp"
#include "lpae.hpp"
#include "modules.h"

using namespace armature::iopt;

namespace {

constexpr const armature_pgtable_init_fns *fns = &lpae::init_fns<KernelEnv>;

constinit armature_pgtable_format lpae_formats[] = {
	{ARMATURE_PGTABLE_ARM_32_LPAE_S1, fns, &__this_module},
	{ARMATURE_PGTABLE_ARM_32_LPAE_S2, fns, &__this_module},
	{ARMATURE_PGTABLE_ARM_64_LPAE_S1, fns, &__this_module},
	{ARMATURE_PGTABLE_ARM_64_LPAE_S2, fns, &__this_module},
	{ARMATURE_PGTABLE_ARM_MALI_LPAE, fns, &__this_module},
};

} // namespace

int armature_pgtable_lpae_init()
{
	return register_formats(lpae_formats);
}

void armature_pgtable_lpae_exit()
{
	unregister_formats(lpae_formats);
}
