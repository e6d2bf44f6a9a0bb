// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp's user-memory adapter (include/kcpp/user_pages.h).
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include <kcpp_compat.h>
#include <kcpp/user_pages.h>

struct mm_struct *kcpp_current_mm(void)
{
	return current->mm;
}
EXPORT_SYMBOL_NS_GPL(kcpp_current_mm, KCPP);

void kcpp_mmgrab(struct mm_struct *mm)
{
	mmgrab(mm);
}
EXPORT_SYMBOL_NS_GPL(kcpp_mmgrab, KCPP);

void kcpp_mmdrop(struct mm_struct *mm)
{
	mmdrop(mm);
}
EXPORT_SYMBOL_NS_GPL(kcpp_mmdrop, KCPP);

u64 kcpp_task_size(void)
{
	return TASK_SIZE;
}
EXPORT_SYMBOL_NS_GPL(kcpp_task_size, KCPP);

int kcpp_account_locked_vm(struct mm_struct *mm, unsigned long pages, bool inc)
{
	return account_locked_vm(mm, pages, inc);
}
EXPORT_SYMBOL_NS_GPL(kcpp_account_locked_vm, KCPP);

int kcpp_mmap_read_lock_killable(struct mm_struct *mm)
{
	return mmap_read_lock_killable(mm);
}
EXPORT_SYMBOL_NS_GPL(kcpp_mmap_read_lock_killable, KCPP);

void kcpp_mmap_read_unlock(struct mm_struct *mm)
{
	mmap_read_unlock(mm);
}
EXPORT_SYMBOL_NS_GPL(kcpp_mmap_read_unlock, KCPP);

int kcpp_vma_lookup(struct mm_struct *mm, u64 addr, struct kcpp_vma_info *info)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	if (!vma)
		return -EFAULT;
	*info = (struct kcpp_vma_info){
		.start = vma->vm_start,
		.end = vma->vm_end,
		.anonymous = vma_is_anonymous(vma),
		.io = vma->vm_flags & (VM_IO | VM_PFNMAP),
	};
	return 0;
}
EXPORT_SYMBOL_NS_GPL(kcpp_vma_lookup, KCPP);

long kcpp_pin_user_pages_longterm(u64 start, unsigned long nr_pages, struct page **pages)
{
	mmap_assert_locked(current->mm);
#ifdef KCPP_HAVE_PIN_USER_PAGES_NO_VMAS
	return pin_user_pages(start, nr_pages, FOLL_WRITE | FOLL_LONGTERM, pages);
#else
	return pin_user_pages(start, nr_pages, FOLL_WRITE | FOLL_LONGTERM, pages, NULL);
#endif
}
EXPORT_SYMBOL_NS_GPL(kcpp_pin_user_pages_longterm, KCPP);

void kcpp_unpin_user_pages(struct page **pages, unsigned long nr_pages, bool dirty)
{
	unpin_user_pages_dirty_lock(pages, nr_pages, dirty);
}
EXPORT_SYMBOL_NS_GPL(kcpp_unpin_user_pages, KCPP);

u64 kcpp_page_to_phys(struct page *page)
{
	return page_to_phys(page);
}
EXPORT_SYMBOL_NS_GPL(kcpp_page_to_phys, KCPP);

void *kcpp_kvcalloc(unsigned long n, unsigned long size)
{
	return kvcalloc(n, size, GFP_KERNEL_ACCOUNT);
}
EXPORT_SYMBOL_NS_GPL(kcpp_kvcalloc, KCPP);

void kcpp_kvfree(const void *ptr)
{
	kvfree(ptr);
}
EXPORT_SYMBOL_NS_GPL(kcpp_kvfree, KCPP);
