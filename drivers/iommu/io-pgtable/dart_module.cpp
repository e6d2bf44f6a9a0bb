// SPDX-License-Identifier: GPL-2.0
// armature_io_pgtable_dart: registers Apple's DART formats with the core.
#include "dart.hpp"
#include "format_registry.hpp"
#include "kernel_env.hpp"
#include "modules.h"

using namespace armature::iopt;

namespace {

constexpr const armature_pgtable_init_fns *fns = &dart::init_fns<KernelEnv>;

constinit armature_pgtable_format dart_formats[] = {
	{ARMATURE_PGTABLE_APPLE_DART, fns, &__this_module},
	{ARMATURE_PGTABLE_APPLE_DART2, fns, &__this_module},
};

} // namespace

int armature_pgtable_dart_init()
{
	return register_formats(dart_formats);
}

void armature_pgtable_dart_exit()
{
	unregister_formats(dart_formats);
}
