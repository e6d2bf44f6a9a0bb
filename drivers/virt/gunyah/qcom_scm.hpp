// SPDX-License-Identifier: GPL-2.0
// gunyah_qcom's slot for the secure-world interface (C++ side of qcom.h).
// A provider module keeps its entry in its static data:
//   constinit gunyah_qcom_scm entry{ScmSlot{}, &scm_ops, &__this_module};
#pragma once

#include "qcom.h"
#include <kcpp/module.hpp>

namespace armature::gunyah::qcom {

// One slot: a machine has one secure world.
struct ScmSlot {
	constexpr bool operator==(const ScmSlot &) const = default;
};
using ScmRegistry = kcpp::KernelRegistry<ScmSlot, gunyah_qcom_scm_ops>;

} // namespace armature::gunyah::qcom

struct gunyah_qcom_scm : armature::gunyah::qcom::ScmRegistry::Entry {
	using Entry::Entry;
};
