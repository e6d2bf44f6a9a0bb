// SPDX-License-Identifier: GPL-2.0
// An interrupt by its Linux number, owned by a C++ object (C side:
// kcpp/irq.h): requested in the owner's setup, freed by the owner (not
// devm). T::Handler is a member function returning true when the interrupt
// was the object's.
//
//   kcpp::Irq tx;
//   KCPP_TRY(tx.request<Foo, &Foo::on_tx>(irq, "foo_tx", this));
//   KCPP_TRY(rx.request_threaded<Foo, &Foo::on_rx>(irq, "foo_rx", this));
//   tx.free();   // also in ~Irq; waits for a running handler
#pragma once

#include <kcpp/irq.h>
#include <kcpp/result.hpp>
#include <utility>

namespace kcpp {

class Irq {
public:
	Irq() = default;
	Irq(const Irq &) = delete;
	Irq &operator=(const Irq &) = delete;
	~Irq() { free(); }

	// The handler runs in hard interrupt context: it may not sleep.
	template <typename T, bool (T::*Fn)()>
	Result<void> request(int irq, const char *name, T *obj)
	{
		return set(kcpp_request_irq(irq, name, trampoline<T, Fn>, obj));
	}
	// The handler runs in the interrupt's thread: it may sleep.
	template <typename T, bool (T::*Fn)()>
	Result<void> request_threaded(int irq, const char *name, T *obj)
	{
		return set(kcpp_request_threaded_irq(irq, name, trampoline<T, Fn>, obj));
	}
	void free()
	{
		if (kcpp_irq_action *a = std::exchange(action_, nullptr))
			kcpp_free_irq(a);
	}
	explicit operator bool() const { return action_ != nullptr; }

private:
	template <typename T, bool (T::*Fn)()>
	static bool trampoline(void *p)
	{
		return (static_cast<T *>(p)->*Fn)();
	}
	Result<void> set(kcpp_irq_action *a)
	{
		auto r = from_err_ptr(a);
		if (!r)
			return r.error();
		action_ = a;
		return {};
	}

	kcpp_irq_action *action_ = nullptr;
};

} // namespace kcpp
