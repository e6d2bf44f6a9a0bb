// SPDX-License-Identifier: GPL-2.0
/*
 * gunyah_vm_standin (tests only): a resource manager that keeps its parcels
 * in memory, under the RM core's kernel API (gunyah.h: gunyah_rm_get/put,
 * mem_share/reclaim, alloc_vmid), and a platform device whose probe creates
 * the VM manager on it. Test code, so not held to the rule of the drivers'
 * C files (scripts/check-glue). Its functions are not exported: it loads
 * beside gunyah_rsc_mgr without a clash.
 *
 * Parameters: rm_refs, vmids, parcels, lent_pages, last_entries (read-only: what
 * the stand-in holds), fail_share and fail_reclaim (fail the next N calls
 * with -EIO). Unbind through sysfs to test open files after unbind.
 */
#include <linux/err.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <kcpp/glue.h>

#include "gunyah.h"

int gunyah_vm_standin_create(struct kcpp_device *kdev);

struct gunyah_rm {
	int unused;
};

static struct gunyah_rm standin_rm;
static DEFINE_MUTEX(standin_lock);
static DEFINE_IDR(standin_parcels);
static bool standin_bound;
static int rm_refs, parcels, vmids, fail_share, fail_reclaim;
static unsigned long lent_pages, last_entries;
static u16 next_vmid = 0x80;

module_param(rm_refs, int, 0444);
MODULE_PARM_DESC(rm_refs, "References on the stand-in RM (gunyah_rm_get)");
module_param(vmids, int, 0444);
MODULE_PARM_DESC(vmids, "VMIDs allocated and not deallocated");
module_param(parcels, int, 0444);
MODULE_PARM_DESC(parcels, "Parcels lent or shared and not reclaimed");
module_param(lent_pages, ulong, 0444);
MODULE_PARM_DESC(lent_pages, "Pages in those parcels");
module_param(last_entries, ulong, 0444);
MODULE_PARM_DESC(last_entries, "SGL entries of the last parcel lent or shared");
module_param(fail_share, int, 0644);
MODULE_PARM_DESC(fail_share, "Fail the next N mem_share calls with -EIO");
module_param(fail_reclaim, int, 0644);
MODULE_PARM_DESC(fail_reclaim, "Fail the next N mem_reclaim calls with -EIO");

struct gunyah_rm *gunyah_rm_get(void)
{
	struct gunyah_rm *rm = ERR_PTR(-EPROBE_DEFER);

	mutex_lock(&standin_lock);
	if (standin_bound) {
		rm_refs++;
		rm = &standin_rm;
	}
	mutex_unlock(&standin_lock);
	return rm;
}

void gunyah_rm_put(struct gunyah_rm *rm)
{
	mutex_lock(&standin_lock);
	WARN_ON(rm != &standin_rm || rm_refs <= 0);
	rm_refs--;
	mutex_unlock(&standin_lock);
}

static bool standin_acl_valid(const struct gunyah_rm_mem_parcel *p)
{
	bool owner = false;
	u32 i;

	if (p->n_acl_entries < 1 || p->n_acl_entries > 2)
		return false;
	for (i = 0; i < p->n_acl_entries; i++) {
		if (p->acl_entries[i].rights < 4 || p->acl_entries[i].rights > 7)
			return false;
		owner |= p->acl_entries[i].vmid == GUNYAH_VMID_HLOS;
	}
	/* A lend must not name the owner, a share must. */
	return owner == (p->n_acl_entries == 2);
}

int gunyah_rm_mem_share(struct gunyah_rm *rm, struct gunyah_rm_mem_parcel *p)
{
	unsigned long pages = 0;
	int ret = 0, id;
	u32 i;

	if (!standin_acl_valid(p) || !p->n_mem_entries)
		return -EINVAL;
	for (i = 0; i < p->n_mem_entries; i++) {
		if (!p->mem_entries[i].size || !PAGE_ALIGNED(p->mem_entries[i].size) ||
		    !PAGE_ALIGNED(p->mem_entries[i].phys))
			return -EINVAL;
		pages += p->mem_entries[i].size >> PAGE_SHIFT;
	}
	mutex_lock(&standin_lock);
	if (fail_share > 0) {
		fail_share--;
		ret = -EIO;
		goto out;
	}
	id = idr_alloc(&standin_parcels, (void *)pages, 0, 0, GFP_KERNEL);
	if (id < 0) {
		ret = id;
		goto out;
	}
	p->mem_handle = id;
	parcels++;
	lent_pages += pages;
	last_entries = p->n_mem_entries;
out:
	mutex_unlock(&standin_lock);
	return ret;
}

int gunyah_rm_mem_reclaim(struct gunyah_rm *rm, struct gunyah_rm_mem_parcel *p)
{
	int ret = 0;

	mutex_lock(&standin_lock);
	if (fail_reclaim > 0) {
		fail_reclaim--;
		ret = -EIO;
	} else if (!idr_find(&standin_parcels, p->mem_handle)) {
		ret = -EINVAL;
	} else {
		lent_pages -= (unsigned long)idr_remove(&standin_parcels, p->mem_handle);
		parcels--;
	}
	mutex_unlock(&standin_lock);
	return ret;
}

int gunyah_rm_alloc_vmid(struct gunyah_rm *rm, u16 vmid, u16 *allocated)
{
	mutex_lock(&standin_lock);
	*allocated = vmid ? vmid : next_vmid++;
	vmids++;
	mutex_unlock(&standin_lock);
	return 0;
}

int gunyah_rm_dealloc_vmid(struct gunyah_rm *rm, u16 vmid)
{
	mutex_lock(&standin_lock);
	WARN_ON(vmids <= 0);
	vmids--;
	mutex_unlock(&standin_lock);
	return 0;
}

static void standin_unbind(void *unused)
{
	mutex_lock(&standin_lock);
	standin_bound = false;
	mutex_unlock(&standin_lock);
}

static int standin_probe(struct kcpp_device *kdev)
{
	int ret;

	mutex_lock(&standin_lock);
	standin_bound = true;
	mutex_unlock(&standin_lock);
	ret = devm_add_action_or_reset(kdev->dev, standin_unbind, NULL);
	return ret ?: gunyah_vm_standin_create(kdev);
}

static void standin_remove(struct kcpp_device *kdev)
{
}

static const struct kcpp_driver_ops standin_ops = {
	.probe = standin_probe,
	.remove = standin_remove,
};

static const struct platform_device_id standin_ids[] = {
	{ "gunyah-vm-standin", 0 },
	{ },
};

KCPP_PLATFORM_DRIVER(standin_driver, "gunyah_vm_standin", NULL, NULL, standin_ids,
		     &standin_ops, false);

static struct platform_device *standin_pdev;

static int __init standin_init(void)
{
	int ret = kcpp_platform_driver_register(&standin_driver, THIS_MODULE);

	if (ret)
		return ret;
	standin_pdev = platform_device_register_simple("gunyah-vm-standin", -1, NULL, 0);
	if (IS_ERR(standin_pdev)) {
		kcpp_platform_driver_unregister(&standin_driver);
		return PTR_ERR(standin_pdev);
	}
	return 0;
}

static void __exit standin_exit(void)
{
	platform_device_unregister(standin_pdev);
	kcpp_platform_driver_unregister(&standin_driver);
	WARN(parcels || rm_refs || vmids, "gunyah_vm_standin: %d parcels, %d references, %d VMIDs left\n",
	     parcels, rm_refs, vmids);
	idr_destroy(&standin_parcels);
}

module_init(standin_init);
module_exit(standin_exit);
MODULE_DESCRIPTION("armature: the Gunyah VM manager on a stand-in resource manager (tests only)");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
