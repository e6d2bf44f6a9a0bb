// SPDX-License-Identifier: GPL-2.0
#include "test_core.hpp"
#include <kcpp/static.hpp>

namespace {

constinit kcpp::Static<kcpp_test_registry> registry;
constinit kcpp::Static<kcpp::Mutex> hold_lock;
constinit kcpp::Static<kcpp_test::Registry::Handle> held;
kcpp::u32 held_id;

} // namespace

kcpp_test_registry *kcpp_test_core_registry()
{
	return &registry.get();
}

int kcpp_test_core_init()
{
	registry.construct(KCPP_LOCK_CLASS("kcpp_test_registry"));
	hold_lock.construct(KCPP_LOCK_CLASS("kcpp_test_hold"));
	held.construct();
	return 0;
}

void kcpp_test_core_exit()
{
	held.destroy();
	hold_lock.destroy();
	registry.destroy();
}

int kcpp_test_core_hold(unsigned int id)
{
	kcpp::Guard guard(*hold_lock);
	if (id == 0) {
		held->reset();
		held_id = 0;
		return 0;
	}
	auto handle = registry->get(id, kcpp_test::module_for(id));
	if (!handle)
		return handle.code();
	*held = std::move(handle).value();
	held_id = id;
	return 0;
}

unsigned int kcpp_test_core_held()
{
	kcpp::Guard guard(*hold_lock);
	return held_id;
}
