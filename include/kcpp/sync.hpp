// SPDX-License-Identifier: GPL-2.0
// Completions and reference counts in C++ objects (C side: kcpp/sync.h).
//
//   kcpp::Completion done;          // in an object, or on the stack
//   done.complete();                // any context, hard IRQ included
//   if (!done.wait_ms(100)) ...     // timed out
//
// Neither is copyable nor movable: the kernel queues waiters by address.
#pragma once

#include <kcpp/layout.hpp>
#include <kcpp/sync.h>

namespace kcpp {

class Completion {
public:
	Completion() { kcpp_completion_init(raw()); }
	Completion(const Completion &) = delete;
	Completion &operator=(const Completion &) = delete;

	void complete() { kcpp_complete(raw()); }
	void reinit() { kcpp_completion_reinit(raw()); }
	// True when completed within ms milliseconds. Sleeps.
	[[nodiscard]] bool wait_ms(unsigned ms) { return kcpp_completion_wait_ms(raw(), ms); }
	bool done() { return kcpp_completion_done(raw()); }
	completion *raw() { return reinterpret_cast<completion *>(storage_); }

private:
	alignas(KCPP_COMPLETION_ALIGN) unsigned char storage_[KCPP_COMPLETION_SIZE];
};

// A refcount_t: saturates and warns on overflow or underflow.
class Refcount {
public:
	explicit Refcount(unsigned n) { kcpp_refcount_set(raw(), n); }
	Refcount(const Refcount &) = delete;
	Refcount &operator=(const Refcount &) = delete;

	void inc() { kcpp_refcount_inc(raw()); }
	// True when this dropped the last reference.
	[[nodiscard]] bool dec_and_test() { return kcpp_refcount_dec_and_test(raw()); }
	unsigned read() const { return kcpp_refcount_read(raw()); }
	kcpp_refcount *raw() { return reinterpret_cast<kcpp_refcount *>(storage_); }
	const kcpp_refcount *raw() const { return reinterpret_cast<const kcpp_refcount *>(storage_); }

private:
	alignas(KCPP_REFCOUNT_ALIGN) unsigned char storage_[KCPP_REFCOUNT_SIZE];
};

inline void msleep(unsigned ms) { kcpp_msleep(ms); }

} // namespace kcpp
