// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled to assembly only: the DEFINE()s become kcpp_layout.h, the sizes,
 * alignments and constants of kernel objects that C++ embeds or passes on.
 * They differ between kernels (lockdep, KASAN), so each build makes its own.
 */
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/iommu.h>
#include <linux/kbuild.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/perf_event.h>
#include <linux/ratelimit.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

/* A field C++ reads or writes in place: its offset and its size (checked
 * against the C++ type, kcpp/layout.hpp). */
#define FIELD(sym, type, member)                                               \
	do {                                                                   \
		DEFINE(sym, offsetof(type, member));                           \
		DEFINE(sym##_SIZE, sizeof(((type *)0)->member));               \
	} while (0)

int main(void);
int main(void)
{
	DEFINE(KCPP_MUTEX_SIZE, sizeof(struct mutex));
	DEFINE(KCPP_MUTEX_ALIGN, __alignof__(struct mutex));
	DEFINE(KCPP_SPINLOCK_SIZE, sizeof(spinlock_t));
	DEFINE(KCPP_SPINLOCK_ALIGN, __alignof__(spinlock_t));
	DEFINE(KCPP_LOCK_CLASS_KEY_SIZE, sizeof(struct lock_class_key));
	DEFINE(KCPP_LOCK_CLASS_KEY_ALIGN, __alignof__(struct lock_class_key));
	DEFINE(KCPP_CPUMASK_SIZE, sizeof(cpumask_t));
	DEFINE(KCPP_CPUMASK_ALIGN, __alignof__(cpumask_t));
	DEFINE(KCPP_WORK_SIZE, sizeof(struct work_struct));
	DEFINE(KCPP_WORK_ALIGN, __alignof__(struct work_struct));
	DEFINE(KCPP_RATELIMIT_SIZE, sizeof(struct ratelimit_state));
	DEFINE(KCPP_RATELIMIT_ALIGN, __alignof__(struct ratelimit_state));
	DEFINE(KCPP_COMPLETION_SIZE, sizeof(struct completion));
	DEFINE(KCPP_COMPLETION_ALIGN, __alignof__(struct completion));
	DEFINE(KCPP_REFCOUNT_SIZE, sizeof(refcount_t));
	DEFINE(KCPP_REFCOUNT_ALIGN, __alignof__(refcount_t));
	BLANK();
	DEFINE(KCPP_GFP_KERNEL, GFP_KERNEL);
	DEFINE(KCPP_GFP_ATOMIC, GFP_ATOMIC);
	DEFINE(KCPP_GFP_NOWARN, __GFP_NOWARN);
	DEFINE(KCPP_GFP_ZERO, __GFP_ZERO);
	DEFINE(KCPP_GFP_DMA32, GFP_DMA32);
	DEFINE(KCPP_KMALLOC_MINALIGN, ARCH_KMALLOC_MINALIGN);
	DEFINE(KCPP_PAGE_SIZE, PAGE_SIZE);
	DEFINE(KCPP_PID_IN_CONTEXTIDR, IS_ENABLED(CONFIG_PID_IN_CONTEXTIDR));
	DEFINE(KCPP_NUMA_NO_NODE, NUMA_NO_NODE);
	DEFINE(KCPP_ZONE_DMA32, IS_ENABLED(CONFIG_ZONE_DMA32));
	DEFINE(KCPP_SLAB_CACHE_DMA32, (__force unsigned long)SLAB_CACHE_DMA32);
	DEFINE(KCPP_IRQF_NOBALANCING, IRQF_NOBALANCING);
	DEFINE(KCPP_IRQF_NO_THREAD, IRQF_NO_THREAD);
	DEFINE(KCPP_EPROBE_DEFER, EPROBE_DEFER);
	BLANK();
	FIELD(KCPP_PERF_EVENT_ATTR, struct perf_event, attr);
	FIELD(KCPP_PERF_EVENT_PMU, struct perf_event, pmu);
	FIELD(KCPP_PERF_EVENT_GROUP_LEADER, struct perf_event, group_leader);
	FIELD(KCPP_PERF_EVENT_CPU, struct perf_event, cpu);
	FIELD(KCPP_PERF_EVENT_COUNT, struct perf_event, count);
	FIELD(KCPP_PERF_EVENT_ATTACH_STATE, struct perf_event, attach_state);
	FIELD(KCPP_PERF_EVENT_HW_IDX, struct perf_event, hw.idx);
	FIELD(KCPP_PERF_EVENT_HW_STATE, struct perf_event, hw.state);
	FIELD(KCPP_PERF_EVENT_HW_FLAGS, struct perf_event, hw.flags);
	FIELD(KCPP_PERF_EVENT_HW_SAMPLE_PERIOD, struct perf_event, hw.sample_period);
	FIELD(KCPP_PERF_EVENT_HW_PERIOD_LEFT, struct perf_event, hw.period_left);
	FIELD(KCPP_PMU_TYPE, struct pmu, type);
	DEFINE(KCPP_PERF_EVENT_FLAG_ARCH, PERF_EVENT_FLAG_ARCH);
	DEFINE(KCPP_PERF_ATTACH_TASK, PERF_ATTACH_TASK);
	DEFINE(KCPP_PERF_HES_STOPPED, PERF_HES_STOPPED);
	DEFINE(KCPP_PERF_HES_UPTODATE, PERF_HES_UPTODATE);
	DEFINE(KCPP_PERF_EF_START, PERF_EF_START);
	DEFINE(KCPP_PERF_EF_RELOAD, PERF_EF_RELOAD);
	DEFINE(KCPP_PERF_EF_UPDATE, PERF_EF_UPDATE);
	DEFINE(KCPP_PERF_PMU_CAP_NO_INTERRUPT, PERF_PMU_CAP_NO_INTERRUPT);
	DEFINE(KCPP_PERF_PMU_CAP_NO_EXCLUDE, PERF_PMU_CAP_NO_EXCLUDE);
	DEFINE(KCPP_PERF_PMU_CAP_EXCLUSIVE, PERF_PMU_CAP_EXCLUSIVE);
	DEFINE(KCPP_PERF_PMU_CAP_ITRACE, PERF_PMU_CAP_ITRACE);
	DEFINE(KCPP_PERF_INVALID_CONTEXT, perf_invalid_context);
	DEFINE(KCPP_PERF_SW_CONTEXT, perf_sw_context);
#ifdef CONFIG_IOMMU_API
	BLANK();
	DEFINE(KCPP_IOTLB_GATHER_QUEUED, offsetof(struct iommu_iotlb_gather, queued));
#endif
	return 0;
}
