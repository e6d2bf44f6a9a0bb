// SPDX-License-Identifier: GPL-2.0
// kcpp's character-device adapter, C++ side (C side: kcpp/misc.h): a misc
// device and anonymous-inode files whose operations are a C++ class's.
//
//   class Session {                          // one open file
//   public:
//           static kcpp::Result<Session *> open(Manager *m);  // misc devices
//           static void release(Session *s);  // the last reference is gone
//           long ioctl(unsigned cmd, unsigned long arg);
//   };
//   kcpp::misc_register("foo", 0600, parent, &kcpp::file_ops<Session, Manager>, mgr);
//   kcpp::anon_getfd("foo-thing", &kcpp::file_ops<Thing>, thing, true);
#pragma once

#include <kcpp/misc.h>
#include <kcpp/module.hpp>
#include <kcpp/result.hpp>
#include <kcpp/types.hpp>

namespace kcpp {

template <typename F, typename Data = void>
inline constexpr kcpp_file_ops file_ops = {
	.open = [](void *data, void **priv) -> int {
		if constexpr (requires { F::open(static_cast<Data *>(data)); }) {
			auto file = F::open(static_cast<Data *>(data));
			if (!file)
				return file.code();
			*priv = file.value();
			return 0;
		} else {
			return -ENODEV;
		}
	},
	.release = [](void *priv) { F::release(static_cast<F *>(priv)); },
	.ioctl = [](void *priv, unsigned cmd, unsigned long arg) -> long {
		return static_cast<F *>(priv)->ioctl(cmd, arg);
	},
};

// /dev/name, owned by this module: the registration for
// kcpp_misc_deregister().
template <typename Data>
Result<kcpp_misc *> misc_register(const char *name, u16 mode, device *parent,
				  const kcpp_file_ops *ops, Data *data)
{
	return from_err_ptr(kcpp_misc_register(name, mode, parent, ops, data, this_module()));
}

// A file descriptor for obj, owned by this module; on error obj is still
// the caller's.
template <typename F>
Result<int> anon_getfd(const char *name, const kcpp_file_ops *ops, F *obj, bool cloexec)
{
	int fd = kcpp_anon_getfd(name, ops, obj, this_module(), cloexec);
	if (fd < 0)
		return Error(fd);
	return fd;
}

// A T from user memory at addr (the ioctl's argument); -EFAULT.
template <typename T>
Result<T> copy_from_user(unsigned long addr)
{
	T value{};
	KCPP_TRY(to_result(kcpp_copy_from_user(&value, addr, sizeof(T))));
	return value;
}

template <typename T>
Result<void> copy_to_user(unsigned long addr, const T &value)
{
	return to_result(kcpp_copy_to_user(addr, &value, sizeof(T)));
}

} // namespace kcpp
