// SPDX-License-Identifier: GPL-2.0
// The registry of formats, shared by the core and the format modules: a
// format module keeps one armature_pgtable_format per format in its static
// data and registers it at load time.
#pragma once

#include "format.h"
#include <kcpp/module.hpp>

namespace armature::iopt {

using FormatRegistry = kcpp::KernelRegistry<armature_pgtable_fmt, armature_pgtable_init_fns>;

} // namespace armature::iopt

struct armature_pgtable_format : armature::iopt::FormatRegistry::Entry {
	using Entry::Entry;
};
