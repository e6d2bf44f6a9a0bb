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
	for (kcpp::usize i = 0; i < sizeof(lpae_formats) / sizeof(lpae_formats[0]); i++) {
		int ret = armature_pgtable_register_format(&lpae_formats[i]);
		if (ret) {
			while (i--)
				armature_pgtable_unregister_format(&lpae_formats[i]);
			return ret;
		}
	}
	return 0;
}

void armature_pgtable_lpae_exit()
{
	for (armature_pgtable_format &format : lpae_formats)
		armature_pgtable_unregister_format(&format);
}
