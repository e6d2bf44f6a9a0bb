/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcpp's user-memory adapter, C side (kcpp/user_pages.c): the calling
 * process's address space, its mappings, long-term pins of its pages and
 * RLIMIT_MEMLOCK accounting, as a driver that hands user memory to a device
 * or another VM needs them. C++ wrappers: kcpp/user_pages.hpp.
 */
#ifndef KCPP_USER_PAGES_H
#define KCPP_USER_PAGES_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mm_struct;
struct page;

/* current->mm (NULL in a kernel thread), not referenced. */
struct mm_struct *kcpp_current_mm(void);
/* mmgrab()/mmdrop(): the mm_struct stays allocated (its pages may go). */
void kcpp_mmgrab(struct mm_struct *mm);
void kcpp_mmdrop(struct mm_struct *mm);
/* TASK_SIZE of the caller: user addresses are below it. */
__u64 kcpp_task_size(void);

/* account_locked_vm(): charge (inc) or uncharge pages to mm's locked_vm,
 * checked against the caller's RLIMIT_MEMLOCK unless it has CAP_IPC_LOCK;
 * -ENOMEM beyond the limit. Takes mm's mmap lock for writing. */
int kcpp_account_locked_vm(struct mm_struct *mm, unsigned long pages, bool inc);

/* The mmap lock for reading, killable: 0 or -EINTR. */
int kcpp_mmap_read_lock_killable(struct mm_struct *mm);
void kcpp_mmap_read_unlock(struct mm_struct *mm);

/* A mapping, as a pinning caller checks it. */
struct kcpp_vma_info {
	__u64 start;
	__u64 end;          /* exclusive */
	bool anonymous;     /* private anonymous memory: no file, no shmem, no special mapping */
	bool io;            /* VM_IO or VM_PFNMAP */
};
/* The mapping containing addr (mmap lock held): 0 and *info, or -EFAULT
 * when addr is not mapped. */
int kcpp_vma_lookup(struct mm_struct *mm, __u64 addr, struct kcpp_vma_info *info);

/* pin_user_pages(FOLL_WRITE | FOLL_LONGTERM) of the caller's memory, with
 * the mmap lock held for reading: the number pinned (possibly fewer than
 * nr_pages), 0, or an errno. */
long kcpp_pin_user_pages_longterm(__u64 start, unsigned long nr_pages, struct page **pages);
/* Unpins; marks the pages dirty first when dirty (another writer had them). */
void kcpp_unpin_user_pages(struct page **pages, unsigned long nr_pages, bool dirty);
__u64 kcpp_page_to_phys(struct page *page);

/* kvcalloc()/kvfree(): zeroed, NULL when out of memory or n * size
 * overflows. */
void *kcpp_kvcalloc(unsigned long n, unsigned long size);
void kcpp_kvfree(const void *ptr);

#ifdef __cplusplus
}
#endif

#endif /* KCPP_USER_PAGES_H */
