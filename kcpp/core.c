// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp.ko: the C side of the boundary for every armature module. Each
 * function forwards to a kernel inline function or macro that C++ cannot
 * call; none holds logic. Exported in the KCPP namespace.
 */
#include <linux/io.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <asm/mmu.h>

#include <kcpp/abi.h>

void kcpp_mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key)
{
	__mutex_init(lock, name, key);
}
EXPORT_SYMBOL_NS_GPL(kcpp_mutex_init, KCPP);

void kcpp_mutex_destroy(struct mutex *lock)
{
	mutex_destroy(lock);
}
EXPORT_SYMBOL_NS_GPL(kcpp_mutex_destroy, KCPP);

void kcpp_mutex_lock(struct mutex *lock)
{
	mutex_lock(lock);
}
EXPORT_SYMBOL_NS_GPL(kcpp_mutex_lock, KCPP);

void kcpp_mutex_unlock(struct mutex *lock)
{
	mutex_unlock(lock);
}
EXPORT_SYMBOL_NS_GPL(kcpp_mutex_unlock, KCPP);

int kcpp_mutex_trylock(struct mutex *lock)
{
	return mutex_trylock(lock);
}
EXPORT_SYMBOL_NS_GPL(kcpp_mutex_trylock, KCPP);

void kcpp_spin_lock_init(struct spinlock *lock, const char *name, struct lock_class_key *key)
{
#if defined(CONFIG_PREEMPT_RT)
	/* spinlock_t is an rt_mutex: spin_lock_init() with the caller's class. */
	rt_mutex_base_init(&lock->lock);
	__rt_spin_lock_init(lock, name, key, false);
#elif defined(CONFIG_DEBUG_SPINLOCK)
	__raw_spin_lock_init(spinlock_check(lock), name, key, LD_WAIT_CONFIG);
#else
	spin_lock_init(lock);
#endif
}
EXPORT_SYMBOL_NS_GPL(kcpp_spin_lock_init, KCPP);

void kcpp_spin_lock(struct spinlock *lock)
{
	spin_lock(lock);
}
EXPORT_SYMBOL_NS_GPL(kcpp_spin_lock, KCPP);

void kcpp_spin_unlock(struct spinlock *lock)
{
	spin_unlock(lock);
}
EXPORT_SYMBOL_NS_GPL(kcpp_spin_unlock, KCPP);

unsigned long kcpp_spin_lock_irqsave(struct spinlock *lock)
{
	unsigned long flags;

	spin_lock_irqsave(lock, flags);
	return flags;
}
EXPORT_SYMBOL_NS_GPL(kcpp_spin_lock_irqsave, KCPP);

void kcpp_spin_unlock_irqrestore(struct spinlock *lock, unsigned long flags)
{
	spin_unlock_irqrestore(lock, flags);
}
EXPORT_SYMBOL_NS_GPL(kcpp_spin_unlock_irqrestore, KCPP);

void *kcpp_kmalloc(unsigned long size, unsigned int gfp)
{
	return kmalloc(size, (__force gfp_t)gfp);
}
EXPORT_SYMBOL_NS_GPL(kcpp_kmalloc, KCPP);

void kcpp_kfree(const void *ptr)
{
	kfree(ptr);
}
EXPORT_SYMBOL_NS_GPL(kcpp_kfree, KCPP);

int kcpp_module_get(struct module *mod)
{
	return try_module_get(mod);
}
EXPORT_SYMBOL_NS_GPL(kcpp_module_get, KCPP);

void kcpp_module_put(struct module *mod)
{
	module_put(mod);
}
EXPORT_SYMBOL_NS_GPL(kcpp_module_put, KCPP);

int kcpp_module_refcount(struct module *mod)
{
	return module_refcount(mod);
}
EXPORT_SYMBOL_NS_GPL(kcpp_module_refcount, KCPP);

int kcpp_request_module(const char *name)
{
	return request_module("%s", name);
}
EXPORT_SYMBOL_NS_GPL(kcpp_request_module, KCPP);

u32 kcpp_readl(const volatile void *addr)
{
	return readl((const volatile void __iomem *)addr);
}
EXPORT_SYMBOL_NS_GPL(kcpp_readl, KCPP);

void kcpp_writel(u32 value, volatile void *addr)
{
	writel(value, (volatile void __iomem *)addr);
}
EXPORT_SYMBOL_NS_GPL(kcpp_writel, KCPP);

u64 kcpp_readq(const volatile void *addr)
{
	return readq((const volatile void __iomem *)addr);
}
EXPORT_SYMBOL_NS_GPL(kcpp_readq, KCPP);

void kcpp_writeq(u64 value, volatile void *addr)
{
	writeq(value, (volatile void __iomem *)addr);
}
EXPORT_SYMBOL_NS_GPL(kcpp_writeq, KCPP);

u32 kcpp_readl_relaxed(const volatile void *addr)
{
	return readl_relaxed((const volatile void __iomem *)addr);
}
EXPORT_SYMBOL_NS_GPL(kcpp_readl_relaxed, KCPP);

void kcpp_writel_relaxed(u32 value, volatile void *addr)
{
	writel_relaxed(value, (volatile void __iomem *)addr);
}
EXPORT_SYMBOL_NS_GPL(kcpp_writel_relaxed, KCPP);

u64 kcpp_readq_relaxed(const volatile void *addr)
{
	return readq_relaxed((const volatile void __iomem *)addr);
}
EXPORT_SYMBOL_NS_GPL(kcpp_readq_relaxed, KCPP);

void kcpp_writeq_relaxed(u64 value, volatile void *addr)
{
	writeq_relaxed(value, (volatile void __iomem *)addr);
}
EXPORT_SYMBOL_NS_GPL(kcpp_writeq_relaxed, KCPP);

bool kcpp_arm64_kernel_unmapped_at_el0(void)
{
	return arm64_kernel_unmapped_at_el0();
}
EXPORT_SYMBOL_NS_GPL(kcpp_arm64_kernel_unmapped_at_el0, KCPP);

MODULE_DESCRIPTION("armature: C helpers for freestanding C++ modules");
MODULE_VERSION(ARMATURE_VERSION);
MODULE_LICENSE("GPL");
