// SPDX-License-Identifier: GPL-2.0
// Kernel modules from C++: this module's own struct module, and the kernel
// environment of kcpp::Registry.
#pragma once

#include <kcpp/abi.h>
#include <kcpp/lock.hpp>
#include <kcpp/registry.hpp>

// Defined for every module by modpost's generated .mod.c (THIS_MODULE in C).
extern "C" struct module __this_module;

namespace kcpp {

inline module *this_module() { return &__this_module; }

struct KernelEnv {
	using Module = module;
	using Lock = Mutex;
	using LockClass = kcpp::LockClass;

	static bool module_get(Module *m) { return kcpp_module_get(m); }
	static void module_put(Module *m) { kcpp_module_put(m); }
	static int request_module(const char *name) { return kcpp_request_module(name); }
};

template <typename Key, typename Ops>
using KernelRegistry = Registry<Key, Ops, KernelEnv>;

} // namespace kcpp
