// SPDX-License-Identifier: GPL-2.0
// kcpp's perf PMU adapter, C++ side (C side: kcpp/perf.h).
//
// A driver's PMU is a class with perf's operations as member functions
// taking a kcpp::perf::Event; kcpp::perf::pmu_type<T> is the table perf
// calls through. As with Rust's #[vtable], an optional operation the class
// does not define is not given to perf at all (perf then does what it does
// for a PMU without it):
//
//   class Foo {
//   public:
//           static constexpr int task_ctx_nr = KCPP_PERF_INVALID_CONTEXT;
//           int event_init(kcpp::perf::Event e);
//           int add(kcpp::perf::Event e, int flags);
//           ... del, start, stop, read; optionally pmu_enable and
//           pmu_disable, check_period, setup_aux and (static) free_aux
//   };
//   kcpp_pmu *p = kcpp_pmu_alloc(dev, &kcpp::perf::pmu_type<Foo>, foo);
#pragma once

#include <kcpp/layout.hpp>
#include <kcpp/perf.h>
#include <kcpp/types.hpp>
#include <linux/perf_event.h> // UAPI: struct perf_event_attr

namespace kcpp::perf {

inline constexpr int hes_stopped = KCPP_PERF_HES_STOPPED;
inline constexpr int hes_uptodate = KCPP_PERF_HES_UPTODATE;
inline constexpr int ef_start = KCPP_PERF_EF_START;
inline constexpr int ef_reload = KCPP_PERF_EF_RELOAD;
inline constexpr int ef_update = KCPP_PERF_EF_UPDATE;

// A perf event, its fields read and written in place.
class Event {
public:
	explicit Event(perf_event *e) : e_(e) {}

	perf_event *raw() const { return e_; }
	bool operator==(const Event &) const = default;

	const perf_event_attr &attr() const
	{
		return layout::field<const perf_event_attr, KCPP_PERF_EVENT_ATTR,
				     KCPP_PERF_EVENT_ATTR_SIZE>(e_);
	}
	// The CPU the event counts on; -1 for a per-task event of any CPU.
	int &cpu() const { return layout::field<int, KCPP_PERF_EVENT_CPU, KCPP_PERF_EVENT_CPU_SIZE>(e_); }
	// hw.idx and hw.state (hes_*), the driver's.
	int &idx() const { return layout::field<int, KCPP_PERF_EVENT_HW_IDX, KCPP_PERF_EVENT_HW_IDX_SIZE>(e_); }
	int &state() const
	{
		return layout::field<int, KCPP_PERF_EVENT_HW_STATE, KCPP_PERF_EVENT_HW_STATE_SIZE>(e_);
	}
	Event leader() const
	{
		return Event(layout::field<perf_event *const, KCPP_PERF_EVENT_GROUP_LEADER,
					   KCPP_PERF_EVENT_GROUP_LEADER_SIZE>(e_));
	}
	// The leader's siblings after this event (the leader: its first); an
	// event with a null raw() after the last.
	Event next_sibling(Event leader) const { return Event(kcpp_perf_event_next_sibling(leader.e_, e_)); }
	// The event is p's (event_init: perf offers every PMU's events to each
	// PMU whose type they name, and groups mix PMUs).
	bool on(const kcpp_pmu *p) const
	{
		return layout::field<pmu *const, KCPP_PERF_EVENT_PMU, KCPP_PERF_EVENT_PMU_SIZE>(e_) ==
		       reinterpret_cast<const pmu *>(p);
	}
	// attr.type names p.
	bool names(const kcpp_pmu *p) const
	{
		return attr().type ==
		       static_cast<u32>(layout::field<const int, KCPP_PMU_TYPE, KCPP_PMU_TYPE_SIZE>(p));
	}
	bool per_task() const
	{
		return layout::field<const unsigned, KCPP_PERF_EVENT_ATTACH_STATE,
				     KCPP_PERF_EVENT_ATTACH_STATE_SIZE>(e_) & KCPP_PERF_ATTACH_TASK;
	}
	bool sampling() const { return attr().sample_period != 0; }
	// hw.flags: the driver's bits (KCPP_PERF_EVENT_FLAG_ARCH) and perf's.
	int &flags() const
	{
		return layout::field<int, KCPP_PERF_EVENT_HW_FLAGS, KCPP_PERF_EVENT_HW_FLAGS_SIZE>(e_);
	}
	u64 &sample_period() const
	{
		return layout::field<u64, KCPP_PERF_EVENT_HW_SAMPLE_PERIOD,
				     KCPP_PERF_EVENT_HW_SAMPLE_PERIOD_SIZE>(e_);
	}
	// hw.period_left, a local64_t: one CPU writes it, others may read it.
	u64 period_left() const { return __atomic_load_n(&period_left_field(), __ATOMIC_RELAXED); }
	void set_period_left(u64 left) const
	{
		__atomic_store_n(&period_left_field(), left, __ATOMIC_RELAXED);
	}
	bool software() const { return kcpp_perf_event_is_software(e_); }
	// The count perf reports, as local64_add() adds to it.
	void add_count(u64 delta) const
	{
		__atomic_fetch_add(&layout::field<u64, KCPP_PERF_EVENT_COUNT, KCPP_PERF_EVENT_COUNT_SIZE>(e_),
				   delta, __ATOMIC_RELAXED);
	}
	void update_userpage() const { perf_event_update_userpage(e_); }

private:
	u64 &period_left_field() const
	{
		return layout::field<u64, KCPP_PERF_EVENT_HW_PERIOD_LEFT,
				     KCPP_PERF_EVENT_HW_PERIOD_LEFT_SIZE>(e_);
	}

	perf_event *e_;
};

namespace detail {
template <typename T>
T &self(void *drv) { return *static_cast<T *>(drv); }
} // namespace detail

// The operations perf calls for a T (see above).
template <typename T>
inline constexpr kcpp_pmu_type pmu_type = [] {
	using detail::self;
	constexpr bool has_enable = requires(T &t) { t.pmu_enable(); };
	constexpr bool has_disable = requires(T &t) { t.pmu_disable(); };
	static_assert(has_enable == has_disable, "pmu_enable and pmu_disable go together");
	constexpr bool has_check_period = requires(T &t, Event e, u64 p) { t.check_period(e, p); };
	constexpr bool has_setup_aux = requires(T &t, Event e, void **p, int n, bool s) {
		t.setup_aux(e, p, n, s);
	};
	constexpr bool has_free_aux = requires(void *aux) { T::free_aux(aux); };
	static_assert(has_setup_aux == has_free_aux, "setup_aux and free_aux go together");
	kcpp_pmu_type t{};
	t.task_ctx_nr = T::task_ctx_nr;
	// Every PMU has these.
	t.perf.event_init = kcpp_pmu_event_init;
	t.driver.event_init = [](void *d, perf_event *e) { return self<T>(d).event_init(Event(e)); };
	t.perf.add = kcpp_pmu_add;
	t.driver.add = [](void *d, perf_event *e, int f) { return self<T>(d).add(Event(e), f); };
	t.perf.del = kcpp_pmu_del;
	t.driver.del = [](void *d, perf_event *e, int f) { self<T>(d).del(Event(e), f); };
	t.perf.start = kcpp_pmu_start;
	t.driver.start = [](void *d, perf_event *e, int f) { self<T>(d).start(Event(e), f); };
	t.perf.stop = kcpp_pmu_stop;
	t.driver.stop = [](void *d, perf_event *e, int f) { self<T>(d).stop(Event(e), f); };
	t.perf.read = kcpp_pmu_read;
	t.driver.read = [](void *d, perf_event *e) { self<T>(d).read(Event(e)); };
	// Optional.
	if constexpr (has_enable) {
		t.perf.pmu_enable = kcpp_pmu_enable;
		t.driver.pmu_enable = [](void *d) { self<T>(d).pmu_enable(); };
		t.perf.pmu_disable = kcpp_pmu_disable;
		t.driver.pmu_disable = [](void *d) { self<T>(d).pmu_disable(); };
	}
	if constexpr (has_check_period) {
		t.perf.check_period = kcpp_pmu_check_period;
		t.driver.check_period = [](void *d, perf_event *e, __u64 p) {
			return self<T>(d).check_period(Event(e), p);
		};
	}
	if constexpr (has_setup_aux) {
		t.perf.setup_aux = kcpp_pmu_setup_aux;
		t.driver.setup_aux = [](void *d, perf_event *e, void **pages, int n, bool snapshot) {
			return self<T>(d).setup_aux(Event(e), pages, n, snapshot);
		};
		t.perf.free_aux = [](void *aux) { T::free_aux(aux); };
	}
	return t;
}();

} // namespace kcpp::perf
