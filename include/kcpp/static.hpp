// SPDX-License-Identifier: GPL-2.0
// Storage for an object with static lifetime that is constructed in
// module_init and destroyed in module_exit: kernel modules run no global
// constructors, and objects holding kernel locks must not have one.
#pragma once

#include <new>
#include <utility>

namespace kcpp {

template <typename T>
class Static {
public:
	constexpr Static() = default;
	Static(const Static &) = delete;
	Static &operator=(const Static &) = delete;

	template <typename... Args>
	T &construct(Args &&...args)
	{
		return *new (storage_) T(std::forward<Args>(args)...);
	}
	void destroy() { get().~T(); }

	T &get() { return *std::launder(reinterpret_cast<T *>(storage_)); }
	T *operator->() { return &get(); }
	T &operator*() { return get(); }

private:
	alignas(T) unsigned char storage_[sizeof(T)] = {};
};

} // namespace kcpp
