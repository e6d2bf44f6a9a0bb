// SPDX-License-Identifier: GPL-2.0
// A test backend: adds itself to kcpp_test_core's registry while loaded.
#pragma once

#include "test_core.hpp"

namespace kcpp_test {

template <kcpp::u32 Id>
struct Backend {
	static kcpp::u32 answer() { return Id * 10; }
	static constexpr BackendOps ops = {module_for(Id), answer};
	static inline constinit Registry::Entry entry{Id, &ops, &__this_module};

	static int init() { return kcpp_test_core_registry()->add(entry).code(); }
	static void exit() { kcpp_test_core_registry()->remove(entry); }
};

} // namespace kcpp_test
