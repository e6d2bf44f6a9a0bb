/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C/C++ boundary: helpers that kcpp.ko exports for what C++ cannot say
 * itself (kernel inline functions, macros, struct internals). Included by the
 * C glue, where the compiler checks each prototype against the kernel's, and
 * by C++, which sees the kernel structs only as incomplete types.
 */
#ifndef KCPP_ABI_H
#define KCPP_ABI_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct module;
struct mutex;
struct spinlock;
struct lock_class_key;
struct kunit;

/* Locks: the key is per initialisation site, so lockdep classes stay apart. */
void kcpp_mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key);
void kcpp_mutex_destroy(struct mutex *lock);
void kcpp_mutex_lock(struct mutex *lock);
void kcpp_mutex_unlock(struct mutex *lock);
int kcpp_mutex_trylock(struct mutex *lock);
void kcpp_spin_lock_init(struct spinlock *lock, const char *name, struct lock_class_key *key);
void kcpp_spin_lock(struct spinlock *lock);
void kcpp_spin_unlock(struct spinlock *lock);
unsigned long kcpp_spin_lock_irqsave(struct spinlock *lock);
void kcpp_spin_unlock_irqrestore(struct spinlock *lock, unsigned long flags);

/* Memory: null on failure, never a throw. */
void *kcpp_kmalloc(unsigned long size, unsigned int gfp);
void kcpp_kfree(const void *ptr);

/* Modules. */
int kcpp_module_get(struct module *mod);
void kcpp_module_put(struct module *mod);
int kcpp_module_refcount(struct module *mod);
int kcpp_request_module(const char *name);

/* MMIO with the ordering of readl()/writel() and their _relaxed forms. */
__u32 kcpp_readl(const volatile void *addr);
void kcpp_writel(__u32 value, volatile void *addr);
__u64 kcpp_readq(const volatile void *addr);
void kcpp_writeq(__u64 value, volatile void *addr);
__u32 kcpp_readl_relaxed(const volatile void *addr);
void kcpp_writel_relaxed(__u32 value, volatile void *addr);
__u64 kcpp_readq_relaxed(const volatile void *addr);
void kcpp_writeq_relaxed(__u64 value, volatile void *addr);

/* arm64: whether the kernel is unmapped at EL0 (KPTI), where a profiling
 * buffer must not be written from EL0's translation. */
bool kcpp_arm64_kernel_unmapped_at_el0(void);

/* KUnit, from kcpp_kunit.ko (debug kernels only): an expectation failure
 * reported at the C++ caller's file and line. */
__attribute__((format(printf, 4, 5)))
void kcpp_kunit_fail(struct kunit *test, const char *file, int line, const char *fmt, ...);

#ifdef __cplusplus
}
#endif

#endif /* KCPP_ABI_H */
