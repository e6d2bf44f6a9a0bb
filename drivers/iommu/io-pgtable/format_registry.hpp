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

namespace armature::iopt {

// A module's formats, registered all or none; and unregistered.
template <kcpp::usize N>
int register_formats(armature_pgtable_format (&formats)[N])
{
	for (kcpp::usize i = 0; i < N; i++) {
		int ret = armature_pgtable_register_format(&formats[i]);
		if (ret) {
			while (i--)
				armature_pgtable_unregister_format(&formats[i]);
			return ret;
		}
	}
	return 0;
}

template <kcpp::usize N>
void unregister_formats(armature_pgtable_format (&formats)[N])
{
	for (armature_pgtable_format &format : formats)
		armature_pgtable_unregister_format(&format);
}

} // namespace armature::iopt
