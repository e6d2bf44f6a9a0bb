// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled to assembly only: the DEFINE()s become kcpp_layout.h, the sizes,
 * alignments and constants of kernel objects that C++ embeds or passes on.
 * They differ between kernels (lockdep, KASAN), so each build makes its own.
 */
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/kbuild.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

int main(void);
int main(void)
{
	DEFINE(KCPP_MUTEX_SIZE, sizeof(struct mutex));
	DEFINE(KCPP_MUTEX_ALIGN, __alignof__(struct mutex));
	DEFINE(KCPP_SPINLOCK_SIZE, sizeof(spinlock_t));
	DEFINE(KCPP_SPINLOCK_ALIGN, __alignof__(spinlock_t));
	DEFINE(KCPP_LOCK_CLASS_KEY_SIZE, sizeof(struct lock_class_key));
	DEFINE(KCPP_LOCK_CLASS_KEY_ALIGN, __alignof__(struct lock_class_key));
	BLANK();
	DEFINE(KCPP_GFP_KERNEL, GFP_KERNEL);
	DEFINE(KCPP_GFP_ATOMIC, GFP_ATOMIC);
	DEFINE(KCPP_GFP_NOWARN, __GFP_NOWARN);
	DEFINE(KCPP_GFP_ZERO, __GFP_ZERO);
	DEFINE(KCPP_GFP_DMA32, GFP_DMA32);
	DEFINE(KCPP_KMALLOC_MINALIGN, ARCH_KMALLOC_MINALIGN);
	DEFINE(KCPP_PAGE_SIZE, PAGE_SIZE);
#ifdef CONFIG_IOMMU_API
	BLANK();
	DEFINE(KCPP_IOTLB_GATHER_QUEUED, offsetof(struct iommu_iotlb_gather, queued));
#endif
	return 0;
}
