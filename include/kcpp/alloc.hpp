// SPDX-License-Identifier: GPL-2.0
// Kernel allocation for C++ objects: make<T>() returns an owning Box that is
// empty when kmalloc() fails; nothing throws, the caller checks.
//
//   auto foo = kcpp::make<Foo>(kcpp::gfp::kernel, args...);
//   if (!foo)
//           return kcpp::Error(-ENOMEM);
#pragma once

#include <kcpp/abi.h>
#include <kcpp/layout.hpp>
#include <new>
#include <utility>

namespace kcpp {

namespace gfp {
inline constexpr unsigned kernel = KCPP_GFP_KERNEL;
inline constexpr unsigned atomic = KCPP_GFP_ATOMIC;
inline constexpr unsigned nowarn = KCPP_GFP_NOWARN;
inline constexpr unsigned zero = KCPP_GFP_ZERO;
} // namespace gfp

template <typename T>
class Box {
public:
	constexpr Box() = default;
	explicit Box(T *owned) : ptr_(owned) {}
	Box(Box &&other) : ptr_(std::exchange(other.ptr_, nullptr)) {}
	Box &operator=(Box &&other)
	{
		reset(std::exchange(other.ptr_, nullptr));
		return *this;
	}
	Box(const Box &) = delete;
	Box &operator=(const Box &) = delete;
	~Box() { reset(); }

	T *get() const { return ptr_; }
	T *operator->() const { return ptr_; }
	T &operator*() const { return *ptr_; }
	explicit operator bool() const { return ptr_ != nullptr; }
	[[nodiscard]] T *release() { return std::exchange(ptr_, nullptr); }
	void reset(T *owned = nullptr)
	{
		if (T *old = std::exchange(ptr_, owned)) {
			old->~T();
			kcpp_kfree(old);
		}
	}

private:
	T *ptr_ = nullptr;
};

template <typename T, typename... Args>
Box<T> make(unsigned gfp_flags, Args &&...args)
{
	static_assert(alignof(T) <= KCPP_KMALLOC_MINALIGN,
		      "kmalloc() does not guarantee this alignment");
	void *mem = kcpp_kmalloc(sizeof(T), gfp_flags);
	if (!mem)
		return {};
	return Box<T>(new (mem) T(std::forward<Args>(args)...));
}

} // namespace kcpp
