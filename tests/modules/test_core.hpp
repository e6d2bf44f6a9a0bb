// SPDX-License-Identifier: GPL-2.0
// The registry of kcpp_test_core as its backends and tests see it: a model of
// a driver core that loads vendor backends by id.
#pragma once

#include "test_core.h"
#include <kcpp/module.hpp>
#include <kcpp/types.hpp>

namespace kcpp_test {

struct BackendOps {
	const char *name;
	kcpp::u32 (*answer)();
};

// Ids and the module that provides each, as a PMIIDR table would map them.
inline constexpr kcpp::u32 backend_a = 0xa;
inline constexpr kcpp::u32 backend_b = 0xb;
inline constexpr kcpp::u32 backend_missing = 0xc;

struct ModuleForId {
	kcpp::u32 id;
	const char *module;
};
inline constexpr ModuleForId modules_by_id[] = {
	{backend_a, "kcpp-test-backend-a"},
	{backend_b, "kcpp-test-backend-b"},
	{backend_missing, "kcpp-test-backend-missing"},
};

constexpr const char *module_for(kcpp::u32 id)
{
	for (const ModuleForId &m : modules_by_id)
		if (m.id == id)
			return m.module;
	return nullptr;
}

using Registry = kcpp::KernelRegistry<kcpp::u32, BackendOps>;

} // namespace kcpp_test

struct kcpp_test_registry : kcpp_test::Registry {
	using kcpp_test::Registry::Registry;
};
