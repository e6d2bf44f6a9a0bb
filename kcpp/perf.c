// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp's perf PMU adapter (include/kcpp/perf.h): perf's callbacks, each a
 * trampoline to the driver's C++ operation.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/perf_event.h>

#include <kcpp/device.h>
#include <kcpp/perf.h>

struct kcpp_pmu {
	struct pmu pmu;
	const struct kcpp_pmu_type *type;
	void *drv;
	struct kcpp_device *kdev;
};
/* C++ tells its PMU's events by event->pmu == its kcpp_pmu. */
static_assert(offsetof(struct kcpp_pmu, pmu) == 0);

static struct kcpp_pmu *kcpp_pmu_of(struct pmu *pmu)
{
	return container_of(pmu, struct kcpp_pmu, pmu);
}

#define KCPP_PMU_CALL(event, op, ...)                                          \
	({                                                                     \
		struct kcpp_pmu *p = kcpp_pmu_of((event)->pmu);                \
		p->type->driver.op(p->drv, (event), ##__VA_ARGS__);            \
	})

int kcpp_pmu_event_init(struct perf_event *event)
{
	return KCPP_PMU_CALL(event, event_init);
}
EXPORT_SYMBOL_NS_GPL(kcpp_pmu_event_init, KCPP);

int kcpp_pmu_add(struct perf_event *event, int flags)
{
	lockdep_assert_irqs_disabled();
	return KCPP_PMU_CALL(event, add, flags);
}
EXPORT_SYMBOL_NS_GPL(kcpp_pmu_add, KCPP);

void kcpp_pmu_del(struct perf_event *event, int flags)
{
	lockdep_assert_irqs_disabled();
	KCPP_PMU_CALL(event, del, flags);
}
EXPORT_SYMBOL_NS_GPL(kcpp_pmu_del, KCPP);

void kcpp_pmu_start(struct perf_event *event, int flags)
{
	lockdep_assert_irqs_disabled();
	KCPP_PMU_CALL(event, start, flags);
}
EXPORT_SYMBOL_NS_GPL(kcpp_pmu_start, KCPP);

void kcpp_pmu_stop(struct perf_event *event, int flags)
{
	lockdep_assert_irqs_disabled();
	KCPP_PMU_CALL(event, stop, flags);
}
EXPORT_SYMBOL_NS_GPL(kcpp_pmu_stop, KCPP);

void kcpp_pmu_read(struct perf_event *event)
{
	lockdep_assert_irqs_disabled();
	KCPP_PMU_CALL(event, read);
}
EXPORT_SYMBOL_NS_GPL(kcpp_pmu_read, KCPP);

void kcpp_pmu_enable(struct pmu *pmu)
{
	struct kcpp_pmu *p = kcpp_pmu_of(pmu);

	lockdep_assert_irqs_disabled();
	p->type->driver.pmu_enable(p->drv);
}
EXPORT_SYMBOL_NS_GPL(kcpp_pmu_enable, KCPP);

void kcpp_pmu_disable(struct pmu *pmu)
{
	struct kcpp_pmu *p = kcpp_pmu_of(pmu);

	lockdep_assert_irqs_disabled();
	p->type->driver.pmu_disable(p->drv);
}
EXPORT_SYMBOL_NS_GPL(kcpp_pmu_disable, KCPP);

struct kcpp_pmu *kcpp_pmu_alloc(struct kcpp_device *kdev, const struct kcpp_pmu_type *type,
				void *drv)
{
	struct kcpp_pmu *p = kcpp_device_zalloc(kdev, sizeof(*p));

	if (p)
		*p = (struct kcpp_pmu){ .type = type, .drv = drv, .kdev = kdev };
	return p;
}
EXPORT_SYMBOL_NS_GPL(kcpp_pmu_alloc, KCPP);

int kcpp_pmu_register(struct kcpp_pmu *p, struct module *owner, const char *name,
		      unsigned int capabilities, const struct attribute_group **groups)
{
	const struct kcpp_pmu_callbacks *cb = &p->type->perf;

	p->pmu = (struct pmu){
		.module = owner,
		.parent = p->kdev->dev,
		.task_ctx_nr = p->type->task_ctx_nr,
		.capabilities = capabilities,
		.attr_groups = groups,
		.event_init = cb->event_init,
		.add = cb->add,
		.del = cb->del,
		.start = cb->start,
		.stop = cb->stop,
		.read = cb->read,
		.pmu_enable = cb->pmu_enable,
		.pmu_disable = cb->pmu_disable,
	};
	return perf_pmu_register(&p->pmu, name, -1);
}
EXPORT_SYMBOL_NS_GPL(kcpp_pmu_register, KCPP);

void kcpp_pmu_unregister(struct kcpp_pmu *p)
{
	perf_pmu_unregister(&p->pmu);
}
EXPORT_SYMBOL_NS_GPL(kcpp_pmu_unregister, KCPP);

void kcpp_pmu_migrate(struct kcpp_pmu *p, unsigned int from, unsigned int to)
{
	perf_pmu_migrate_context(&p->pmu, from, to);
}
EXPORT_SYMBOL_NS_GPL(kcpp_pmu_migrate, KCPP);

bool kcpp_perf_event_is_software(struct perf_event *event)
{
	return is_software_event(event);
}
EXPORT_SYMBOL_NS_GPL(kcpp_perf_event_is_software, KCPP);

struct perf_event *kcpp_perf_event_next_sibling(struct perf_event *leader, struct perf_event *pos)
{
	/* The leader's sibling_list is the head of the list. */
	struct list_head *next = pos->sibling_list.next;

	return next == &leader->sibling_list ? NULL :
	       list_entry(next, struct perf_event, sibling_list);
}
EXPORT_SYMBOL_NS_GPL(kcpp_perf_event_next_sibling, KCPP);
