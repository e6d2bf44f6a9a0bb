// SPDX-License-Identifier: GPL-2.0
// armature_io_pgtable_v7s: registers the Arm v7s format with the core.
#include "format_registry.hpp"
#include "kernel_env.hpp"
#include "modules.h"
#include "v7s.hpp"

using namespace armature::iopt;

namespace {

constinit armature_pgtable_format v7s_format{ARMATURE_PGTABLE_ARM_V7S, &v7s::init_fns<KernelEnv>,
					     &__this_module};

} // namespace

int armature_pgtable_v7s_init()
{
	return armature_pgtable_register_format(&v7s_format);
}

void armature_pgtable_v7s_exit()
{
	armature_pgtable_unregister_format(&v7s_format);
}
