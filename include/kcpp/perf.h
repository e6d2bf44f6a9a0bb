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
};

struct kcpp_pmu_type {
	struct kcpp_pmu_callbacks perf;
	struct kcpp_pmu_driver_ops driver;
	int task_ctx_nr; /* KCPP_PERF_*_CONTEXT */
};

/* The trampolines. event_init runs where it may sleep; add, del, start,
 * stop, read, pmu_enable and pmu_disable with interrupts off, which they
 * assert on lockdep kernels. */
int kcpp_pmu_event_init(struct perf_event *event);
int kcpp_pmu_add(struct perf_event *event, int flags);
void kcpp_pmu_del(struct perf_event *event, int flags);
void kcpp_pmu_start(struct perf_event *event, int flags);
void kcpp_pmu_stop(struct perf_event *event, int flags);
void kcpp_pmu_read(struct perf_event *event);
void kcpp_pmu_enable(struct pmu *pmu);
void kcpp_pmu_disable(struct pmu *pmu);

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

#ifdef __cplusplus
}
#endif

#endif /* KCPP_PERF_H */
