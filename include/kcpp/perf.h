/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcpp's perf PMU adapter, C side (kcpp/perf.c): perf's callbacks are
 * kcpp's trampolines, which find the driver's C++ object and call its
 * operation. C++ wrappers: kcpp/perf.hpp, which also reads and writes the
 * event's fields through the offsets in kcpp_layout.h.
 */
#ifndef KCPP_PERF_H
#define KCPP_PERF_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct attribute_group;
struct kcpp_device;
struct kcpp_pmu;
struct module;
struct perf_event;
struct pmu;

/* The driver's operations (C++); drv is the object given to kcpp_pmu_alloc. */
struct kcpp_pmu_driver_ops {
	int (*event_init)(void *drv, struct perf_event *event);
	int (*add)(void *drv, struct perf_event *event, int flags);
	void (*del)(void *drv, struct perf_event *event, int flags);
	void (*start)(void *drv, struct perf_event *event, int flags);
	void (*stop)(void *drv, struct perf_event *event, int flags);
	void (*read)(void *drv, struct perf_event *event);
	void (*pmu_enable)(void *drv);
	void (*pmu_disable)(void *drv);
	int (*check_period)(void *drv, struct perf_event *event, __u64 period);
	void *(*setup_aux)(void *drv, struct perf_event *event, void **pages, int nr_pages,
			   bool snapshot);
};

/* What perf calls: for each operation the driver has, kcpp's trampoline;
 * NULL for those it has not, so perf does what it does for a PMU without
 * them. kcpp/perf.hpp fills it in at compile time. */
struct kcpp_pmu_callbacks {
	int (*event_init)(struct perf_event *event);
	int (*add)(struct perf_event *event, int flags);
	void (*del)(struct perf_event *event, int flags);
	void (*start)(struct perf_event *event, int flags);
	void (*stop)(struct perf_event *event, int flags);
	void (*read)(struct perf_event *event);
	void (*pmu_enable)(struct pmu *pmu);
	void (*pmu_disable)(struct pmu *pmu);
	int (*check_period)(struct perf_event *event, __u64 period);
	void *(*setup_aux)(struct perf_event *event, void **pages, int nr_pages, bool snapshot);
	/* The driver's own: perf gives it only the AUX buffer. */
	void (*free_aux)(void *aux);
};

struct kcpp_pmu_type {
	struct kcpp_pmu_callbacks perf;
	struct kcpp_pmu_driver_ops driver;
	int task_ctx_nr; /* KCPP_PERF_*_CONTEXT */
};

/* The trampolines. event_init, check_period and setup_aux run where they
 * may sleep (setup_aux says so on debug kernels); add, del, start, stop,
 * read, pmu_enable and pmu_disable with interrupts off, which they assert on
 * lockdep kernels. */
int kcpp_pmu_event_init(struct perf_event *event);
int kcpp_pmu_add(struct perf_event *event, int flags);
void kcpp_pmu_del(struct perf_event *event, int flags);
void kcpp_pmu_start(struct perf_event *event, int flags);
void kcpp_pmu_stop(struct perf_event *event, int flags);
void kcpp_pmu_read(struct perf_event *event);
void kcpp_pmu_enable(struct pmu *pmu);
void kcpp_pmu_disable(struct pmu *pmu);
int kcpp_pmu_check_period(struct perf_event *event, __u64 period);
void *kcpp_pmu_setup_aux(struct perf_event *event, void **pages, int nr_pages, bool snapshot);

/* A PMU for kdev calling type's operations with drv; freed at unbind (after
 * remove, which unregisters it). NULL when out of memory. */
struct kcpp_pmu *kcpp_pmu_alloc(struct kcpp_device *kdev, const struct kcpp_pmu_type *type,
				void *drv);
/* Registers as name, owned by owner (an event pins it), with capabilities
 * (KCPP_PERF_PMU_CAP_*) and sysfs groups (NULL-terminated); name and groups
 * must outlive the registration. */
int kcpp_pmu_register(struct kcpp_pmu *p, struct module *owner, const char *name,
		      unsigned int capabilities, const struct attribute_group **groups);
void kcpp_pmu_unregister(struct kcpp_pmu *p);
void kcpp_pmu_migrate(struct kcpp_pmu *p, unsigned int from, unsigned int to);

/* Events. */
bool kcpp_perf_event_is_software(struct perf_event *event);
/* The leader's siblings in order, after pos (the leader: the first); NULL
 * after the last. */
struct perf_event *kcpp_perf_event_next_sibling(struct perf_event *leader,
						struct perf_event *pos);
/* The kernel's own (exported) functions, declared here so that C checks them. */
void perf_event_update_userpage(struct perf_event *event);
/* perf_allow_kernel(): 0 when the caller may profile the kernel. */
int kcpp_perf_allow_kernel(void);
/* Runs this CPU's pending irq_work (perf's wakeups) now. */
void kcpp_irq_work_run(void);

/* AUX output: one perf_output_handle per CPU, freed at kdev's unbind. The
 * *_local functions act on this CPU's handle, with interrupts off (lockdep
 * checks), as in perf's callbacks and the PMU's interrupt: a hotplug callback
 * turns them off itself (kcpp::LocalIrqsOff). */
struct kcpp_aux_handles;
struct kcpp_aux_state {
	__u64 head, size, wakeup, aux_flags;
};
struct kcpp_aux_handles *kcpp_aux_handles_alloc(struct kcpp_device *kdev);
/* perf_aux_output_begin(): the buffer (the driver's setup_aux object), or NULL. */
void *kcpp_aux_begin_local(struct kcpp_aux_handles *h, struct perf_event *event);
/* The buffer of the handle's open session, or NULL. */
void *kcpp_aux_active_local(struct kcpp_aux_handles *h);
struct perf_event *kcpp_aux_event_local(struct kcpp_aux_handles *h);
void kcpp_aux_state_local(struct kcpp_aux_handles *h, struct kcpp_aux_state *state);
void kcpp_aux_skip_local(struct kcpp_aux_handles *h, __u64 len);
void kcpp_aux_flag_local(struct kcpp_aux_handles *h, __u64 flags);
void kcpp_aux_set_head_local(struct kcpp_aux_handles *h, __u64 head);
void kcpp_aux_end_local(struct kcpp_aux_handles *h, __u64 size);

#ifdef __cplusplus
}
#endif

#endif /* KCPP_PERF_H */
