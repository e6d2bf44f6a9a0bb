// SPDX-License-Identifier: GPL-2.0
// Kernel mutexes and spinlocks with RAII guards.
//
// Lockdep tells locks apart by a class key that C gives every mutex_init()
// call site. Here each KCPP_LOCK_CLASS() expression is such a site: it owns a
// static key, so locks initialised at different places never share a class
// (a shared class would make lockdep report nesting of unrelated locks).
//
//   class Foo {
//           kcpp::Mutex lock_{KCPP_LOCK_CLASS("foo_lock")};
//   };
//   kcpp::Guard guard(foo.lock_);
//
// The locks are neither copyable nor movable: the kernel links them into
// wait lists and lockdep maps by address.
#pragma once

#include <kcpp/abi.h>
#include <kcpp/layout.hpp>

namespace kcpp {

struct LockClass {
	alignas(KCPP_LOCK_CLASS_KEY_ALIGN) unsigned char key[layout::storage_size(KCPP_LOCK_CLASS_KEY_SIZE)];
	const char *name;

	constexpr explicit LockClass(const char *n) : key{}, name(n) {}
	LockClass(const LockClass &) = delete;
	LockClass &operator=(const LockClass &) = delete;
	lock_class_key *raw() { return reinterpret_cast<lock_class_key *>(key); }
};

} // namespace kcpp

// A lock class with static storage, one per place this expression is written.
#define KCPP_LOCK_CLASS(NAME)                                                  \
	([]() -> ::kcpp::LockClass & {                                         \
		static constinit ::kcpp::LockClass kcpp_lock_class_(NAME);    \
		return kcpp_lock_class_;                                      \
	}())

namespace kcpp {

class Mutex {
public:
	explicit Mutex(LockClass &cls) { kcpp_mutex_init(raw(), cls.name, cls.raw()); }
	~Mutex() { kcpp_mutex_destroy(raw()); }
	Mutex(const Mutex &) = delete;
	Mutex &operator=(const Mutex &) = delete;

	void lock() { kcpp_mutex_lock(raw()); }
	void unlock() { kcpp_mutex_unlock(raw()); }
	bool try_lock() { return kcpp_mutex_trylock(raw()); }
	mutex *raw() { return reinterpret_cast<mutex *>(storage_); }

private:
	alignas(KCPP_MUTEX_ALIGN) unsigned char storage_[KCPP_MUTEX_SIZE];
};

class SpinLock {
public:
	explicit SpinLock(LockClass &cls) { kcpp_spin_lock_init(raw(), cls.name, cls.raw()); }
	SpinLock(const SpinLock &) = delete;
	SpinLock &operator=(const SpinLock &) = delete;

	void lock() { kcpp_spin_lock(raw()); }
	void unlock() { kcpp_spin_unlock(raw()); }
	[[nodiscard]] unsigned long lock_irqsave() { return kcpp_spin_lock_irqsave(raw()); }
	void unlock_irqrestore(unsigned long flags) { kcpp_spin_unlock_irqrestore(raw(), flags); }
	spinlock *raw() { return reinterpret_cast<spinlock *>(storage_); }

private:
	alignas(KCPP_SPINLOCK_ALIGN) unsigned char storage_[KCPP_SPINLOCK_SIZE];
};

// Holds any lock with lock()/unlock() for the guard's scope.
template <typename Lock>
class [[nodiscard]] Guard {
public:
	explicit Guard(Lock &lock) : lock_(lock) { lock_.lock(); }
	~Guard() { lock_.unlock(); }
	Guard(const Guard &) = delete;
	Guard &operator=(const Guard &) = delete;

private:
	Lock &lock_;
};

// Holds a spinlock with interrupts disabled for the guard's scope.
class [[nodiscard]] IrqSaveGuard {
public:
	explicit IrqSaveGuard(SpinLock &lock) : lock_(lock), flags_(lock.lock_irqsave()) {}
	~IrqSaveGuard() { lock_.unlock_irqrestore(flags_); }
	IrqSaveGuard(const IrqSaveGuard &) = delete;
	IrqSaveGuard &operator=(const IrqSaveGuard &) = delete;

private:
	SpinLock &lock_;
	unsigned long flags_;
};

} // namespace kcpp
