// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp's perf PMU adapter (include/kcpp/perf.h): perf's callbacks, each a
 * trampoline to the driver's C++ operation.
 */
#include <linux/device.h>
#include <linux/irq_work.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/perf_event.h>

#include <kcpp_compat.h>
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

int kcpp_pmu_check_period(struct perf_event *event, u64 period)
{
	return KCPP_PMU_CALL(event, check_period, period);
}
EXPORT_SYMBOL_NS_GPL(kcpp_pmu_check_period, KCPP);

void *kcpp_pmu_setup_aux(struct perf_event *event, void **pages, int nr_pages, bool snapshot)
{
	might_sleep();
	return KCPP_PMU_CALL(event, setup_aux, pages, nr_pages, snapshot);
}
EXPORT_SYMBOL_NS_GPL(kcpp_pmu_setup_aux, KCPP);

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
		/* Without a parent (6.1) it is /sys/devices/<name>. */
#ifdef KCPP_HAVE_PMU_PARENT
		.parent = p->kdev->dev,
#endif
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
		.check_period = cb->check_period,
		.setup_aux = cb->setup_aux,
		.free_aux = cb->free_aux,
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

int kcpp_perf_allow_kernel(void)
{
#ifdef KCPP_HAVE_PERF_ALLOW_KERNEL_VOID
	return perf_allow_kernel();
#else
	/* Inline here, reading a sysctl modules cannot: the test drivers made
	 * before perf_allow_kernel() was exported. */
	return perfmon_capable() ? 0 : -EACCES;
#endif
}
EXPORT_SYMBOL_NS_GPL(kcpp_perf_allow_kernel, KCPP);

void kcpp_irq_work_run(void)
{
	irq_work_run();
}
EXPORT_SYMBOL_NS_GPL(kcpp_irq_work_run, KCPP);

/* AUX output handles */

struct kcpp_aux_handles {
	struct perf_output_handle __percpu *handle;
};

static void kcpp_aux_handles_free(void *handle)
{
	free_percpu((struct perf_output_handle __percpu *)handle);
}

struct kcpp_aux_handles *kcpp_aux_handles_alloc(struct kcpp_device *kdev)
{
	struct kcpp_aux_handles *h = kcpp_device_zalloc(kdev, sizeof(*h));

	if (!h)
		return NULL;
	h->handle = alloc_percpu(struct perf_output_handle);
	if (!h->handle ||
	    kcpp_device_add_action(kdev, kcpp_aux_handles_free, (void __force *)h->handle))
		return NULL;
	return h;
}
EXPORT_SYMBOL_NS_GPL(kcpp_aux_handles_alloc, KCPP);

/*
 * The handle is shared with the PMU's interrupt and perf's callbacks on this
 * CPU, which may end its session: with interrupts on, one of them could end
 * it again from inside perf_aux_output_end() (whose truncation wakeup queues
 * perf's pending disable, a pmu->stop(), on this CPU).
 */
static struct perf_output_handle *kcpp_aux_local(struct kcpp_aux_handles *h)
{
	lockdep_assert_irqs_disabled();
	return this_cpu_ptr(h->handle);
}

void *kcpp_aux_begin_local(struct kcpp_aux_handles *h, struct perf_event *event)
{
	return perf_aux_output_begin(kcpp_aux_local(h), event);
}
EXPORT_SYMBOL_NS_GPL(kcpp_aux_begin_local, KCPP);

void *kcpp_aux_active_local(struct kcpp_aux_handles *h)
{
	return perf_get_aux(kcpp_aux_local(h));
}
EXPORT_SYMBOL_NS_GPL(kcpp_aux_active_local, KCPP);

struct perf_event *kcpp_aux_event_local(struct kcpp_aux_handles *h)
{
	struct perf_output_handle *handle = kcpp_aux_local(h);

	return perf_get_aux(handle) ? handle->event : NULL;
}
EXPORT_SYMBOL_NS_GPL(kcpp_aux_event_local, KCPP);

void kcpp_aux_state_local(struct kcpp_aux_handles *h, struct kcpp_aux_state *state)
{
	struct perf_output_handle *handle = kcpp_aux_local(h);

	*state = (struct kcpp_aux_state){
		.head = handle->head,
		.size = handle->size,
		.wakeup = handle->wakeup,
		.aux_flags = handle->aux_flags,
	};
}
EXPORT_SYMBOL_NS_GPL(kcpp_aux_state_local, KCPP);

void kcpp_aux_skip_local(struct kcpp_aux_handles *h, u64 len)
{
	perf_aux_output_skip(kcpp_aux_local(h), len);
}
EXPORT_SYMBOL_NS_GPL(kcpp_aux_skip_local, KCPP);

void kcpp_aux_flag_local(struct kcpp_aux_handles *h, u64 flags)
{
	perf_aux_output_flag(kcpp_aux_local(h), flags);
}
EXPORT_SYMBOL_NS_GPL(kcpp_aux_flag_local, KCPP);

void kcpp_aux_set_head_local(struct kcpp_aux_handles *h, u64 head)
{
	kcpp_aux_local(h)->head = head;
}
EXPORT_SYMBOL_NS_GPL(kcpp_aux_set_head_local, KCPP);

void kcpp_aux_end_local(struct kcpp_aux_handles *h, u64 size)
{
	perf_aux_output_end(kcpp_aux_local(h), size);
}
EXPORT_SYMBOL_NS_GPL(kcpp_aux_end_local, KCPP);
