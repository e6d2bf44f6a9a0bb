// SPDX-License-Identifier: GPL-2.0
#include "test_core.hpp"
#include <kcpp/static.hpp>

namespace {

constinit kcpp::Static<kcpp_test_registry> registry;
constinit kcpp::Static<kcpp::Mutex> hold_lock;
constinit kcpp::Static<kcpp_test::Registry::Handle> held;
kcpp::u32 held_id;
// The "hold" parameter stays writable until after module_exit (sysfs goes
// in free_module), so exit marks the core dead under hold_lock and leaves
// that lock in place; a late write then finds nothing to use.
bool live;

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
	live = true;
	return 0;
}

void kcpp_test_core_exit()
{
	{
		kcpp::Guard guard(*hold_lock);
		live = false;
		held_id = 0;
		held.destroy();
	}
	registry.destroy();
}

int kcpp_test_core_hold(unsigned int id)
{
	kcpp::Guard guard(*hold_lock);
	if (!live)
		return -ENODEV;
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
