// SPDX-License-Identifier: GPL-2.0
// kcpp's device adapter, C++ side (C side: kcpp/device.h): a platform
// driver's probe as a C++ class, objects whose lifetime is the device's
// binding, CPU masks, hotplug instances, work items.
//
//   class Foo {
//   public:
//           static int probe(kcpp_device *dev);      // the platform driver's probe
//           void cpu_online(unsigned cpu);            // for kcpp::cpuhp_ops<Foo>
//           void cpu_offline(unsigned cpu);
//   };
//   extern "C" const kcpp_driver_ops foo_driver_ops = kcpp::driver_ops<Foo>;
//
// The driver's C file names foo_driver_ops in KCPP_PLATFORM_DRIVER (kcpp/glue.h).
#pragma once

#include <kcpp/device.h>
#include <kcpp/layout.hpp>
#include <kcpp/lock.hpp>
#include <kcpp/log.hpp>
#include <kcpp/result.hpp>
#include <kcpp/types.hpp>
#include <new>
#include <type_traits>
#include <utility>

namespace kcpp {

// The platform driver's operations for T: T::probe(kcpp_device *) returns 0
// or an error; what it sets up is torn down by the device's actions (devm),
// in reverse order, after T::remove(kcpp_device *) when T has one.
template <typename T>
inline constexpr kcpp_driver_ops driver_ops = {
	.probe = [](kcpp_device *dev) { return T::probe(dev); },
	.remove = [](kcpp_device *dev) {
		if constexpr (requires { T::remove(dev); })
			T::remove(dev);
	},
};

// A T living as long as the device's binding: constructed now, destroyed
// among the device's actions (after those added later, before those added
// earlier). nullptr when out of memory.
template <typename T, typename... Args>
T *make_bound(kcpp_device *dev, Args &&...args)
{
	void *mem = kcpp_device_zalloc(dev, sizeof(T));
	if (!mem)
		return nullptr;
	T *obj = new (mem) T(std::forward<Args>(args)...);
	if (kcpp_device_add_action(dev, [](void *p) { static_cast<T *>(p)->~T(); }, obj))
		return nullptr;
	return obj;
}

// A memory resource of the device, mapped until unbind.
struct Frame {
	volatile void *base;
	u64 size;
};
inline Result<Frame> map_frame(kcpp_device *dev, unsigned index)
{
	void *base = nullptr;
	__u64 size = 0;
	KCPP_TRY(to_result(kcpp_device_map(dev, index, &base, &size)));
	return Frame{base, size};
}

// T::handle_irq() for a device interrupt: true when it was the device's.
template <typename T>
int request_irq(kcpp_device *dev, int irq, unsigned long flags, T *obj)
{
	return kcpp_device_request_irq(
		dev, irq, flags, [](void *p) { return static_cast<T *>(p)->handle_irq(); }, obj);
}

// A cpumask embedded in a C++ object (empty when zeroed).
class CpuMask {
public:
	constexpr CpuMask() = default;
	CpuMask(const CpuMask &) = delete;
	CpuMask &operator=(const CpuMask &) = delete;

	void set(unsigned cpu) { kcpp_cpumask_set(raw(), cpu); }
	bool test(unsigned cpu) const { return kcpp_cpumask_test(raw(), cpu); }
	void clear() { kcpp_cpumask_clear(raw()); }
	// An online CPU of the mask other than cpu, or -1.
	int any_online_but(unsigned cpu) const { return kcpp_cpumask_any_online_but(raw(), cpu); }
	// fn(cpu) for each CPU of the mask, in order.
	template <typename F>
	void for_each(F &&fn) const
	{
		for (unsigned cpu = 0; cpu < kcpp_nr_cpu_ids(); cpu++)
			if (test(cpu))
				fn(cpu);
	}
	cpumask *raw() { return reinterpret_cast<cpumask *>(bits_); }
	const cpumask *raw() const { return reinterpret_cast<const cpumask *>(bits_); }

private:
	alignas(KCPP_CPUMASK_ALIGN) unsigned char bits_[KCPP_CPUMASK_SIZE] = {};
};

// This CPU's interrupts off for the guard's scope, then as they were.
class [[nodiscard]] LocalIrqsOff {
public:
	LocalIrqsOff() : flags_(kcpp_local_irq_save()) {}
	~LocalIrqsOff() { kcpp_local_irq_restore(flags_); }
	LocalIrqsOff(const LocalIrqsOff &) = delete;
	LocalIrqsOff &operator=(const LocalIrqsOff &) = delete;

private:
	unsigned long flags_;
};

// The CPUs that may be possible, in order.
template <typename F>
void for_each_possible_cpu(F &&f)
{
	for (int cpu = -1; (cpu = kcpp_next_possible_cpu(cpu)) >= 0;)
		f(static_cast<unsigned>(cpu));
}

// One T per possible CPU, zeroed (T must be an implicit-lifetime type: no
// constructor runs), freed at the device's unbind.
template <typename T>
class PerCpu {
public:
	constexpr PerCpu() = default;
	static Result<PerCpu> create(kcpp_device *dev)
	{
		static_assert(std::is_trivially_default_constructible_v<T> &&
			      std::is_trivially_destructible_v<T>);
		void *p = kcpp_device_alloc_percpu(dev, sizeof(T), alignof(T));
		if (!p)
			return Error(-ENOMEM);
		return PerCpu(p);
	}
	T &on(unsigned cpu) const { return *static_cast<T *>(kcpp_per_cpu_ptr(p_, cpu)); }
	// This CPU's; preemption must be off.
	T &local() const { return *static_cast<T *>(kcpp_this_cpu_ptr(p_)); }

private:
	explicit PerCpu(void *p) : p_(p) {}
	void *p_ = nullptr;
};

// Hotplug callbacks calling T::cpu_online(cpu) and T::cpu_offline(cpu).
template <typename T>
inline constexpr kcpp_cpuhp_ops cpuhp_ops = {
	.online = [](void *p, unsigned cpu) { static_cast<T *>(p)->cpu_online(cpu); },
	.offline = [](void *p, unsigned cpu) { static_cast<T *>(p)->cpu_offline(cpu); },
};

// A work item embedded in a C++ object; fn gets the work_struct.
class Work {
public:
	Work(void (*fn)(work_struct *), LockClass &cls) { kcpp_work_init(raw(), fn, cls.name, cls.raw()); }
	Work(const Work &) = delete;
	Work &operator=(const Work &) = delete;

	void queue_unbound() { kcpp_queue_work_unbound(raw()); }
	void flush() { kcpp_flush_work(raw()); }
	work_struct *raw() { return reinterpret_cast<work_struct *>(storage_); }

private:
	alignas(KCPP_WORK_ALIGN) unsigned char storage_[KCPP_WORK_SIZE];
};

} // namespace kcpp
