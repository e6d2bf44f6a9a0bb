// SPDX-License-Identifier: GPL-2.0
/*
 * gunyah_sim_client (tests only): gunyah_rsc_mgr's in-kernel API driven
 * from module parameters (client.cpp). Test code, so not held to the rule
 * of the drivers' C files (scripts/check-glue).
 */
#include <linux/completion.h>
#include <linux/kstrtox.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "client.h"

static int lend_set(const char *val, const struct kernel_param *kp)
{
	unsigned int pages;
	int ret = kstrtouint(val, 0, &pages);

	return ret ? ret : gunyah_sim_client_share(pages, kp->arg != NULL);
}

static int handle_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", (int)gunyah_sim_client_handle());
}

static const struct kernel_param_ops share_ops = {
	.set = lend_set,
	.get = handle_get,
};
module_param_cb(lend, &share_ops, (void *)1, 0644);
MODULE_PARM_DESC(lend, "Write N: lend N pages to a VM of the RM's (kept); reads the handle (-1: none)");
module_param_cb(share, &share_ops, NULL, 0644);
MODULE_PARM_DESC(share, "Write N: share N pages with a VM of the RM's (kept); reads the handle");

static int reclaim_set(const char *val, const struct kernel_param *kp)
{
	return gunyah_sim_client_reclaim();
}

static const struct kernel_param_ops reclaim_ops = {
	.set = reclaim_set,
};
module_param_cb(reclaim, &reclaim_ops, NULL, 0200);
MODULE_PARM_DESC(reclaim, "Write 1: reclaim the parcel held (it stays held when that fails)");

static int vmid_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n", gunyah_sim_client_vmid());
}

static const struct kernel_param_ops vmid_ops = {
	.get = vmid_get,
};
module_param_cb(vmid, &vmid_ops, NULL, 0444);
MODULE_PARM_DESC(vmid, "The VMID allocated at the first lend or share (0: none yet)");

/* --- Concurrent callers --- */

static unsigned int stress_rounds = 10;
module_param(stress_rounds, uint, 0644);
MODULE_PARM_DESC(stress_rounds, "Rounds (share or lend 1 page, reclaim) of each stress thread");

/* The RM keeps at most 64 parcels per VM: more callers than that at once
 * may be refused with NO_RESOURCES (-ENOSPC). Counted, not failures. */
static atomic_t stress_refused = ATOMIC_INIT(0);

static int refused_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&stress_refused));
}

static const struct kernel_param_ops refused_ops = {
	.get = refused_get,
};
module_param_cb(stress_refused, &refused_ops, NULL, 0444);
MODULE_PARM_DESC(stress_refused, "Rounds of the last stress run refused with -ENOSPC (the RM's 64 parcels per VM)");

struct stress {
	atomic_t running;
	atomic_t failed;
	int first_error;
	struct completion done;
};

static int stress_thread(void *data)
{
	struct stress *s = data;
	unsigned int r;
	int ret;

	for (r = 0; r < stress_rounds; r++) {
		ret = gunyah_sim_client_round(r);
		if (ret == -ENOSPC) {
			atomic_inc(&stress_refused);
			continue;
		}
		if (ret) {
			if (atomic_inc_return(&s->failed) == 1)
				s->first_error = ret;
			break;
		}
	}
	if (atomic_dec_and_test(&s->running))
		complete(&s->done);
	return 0;
}

/* Write N: N threads run stress_rounds rounds each, at once; 0, or the
 * first error (each failing thread stops). */
static int stress_set(const char *val, const struct kernel_param *kp)
{
	struct stress s = {};
	unsigned int n, i;
	int ret = kstrtouint(val, 0, &n);

	if (ret)
		return ret;
	if (!n || n > 1000)
		return -EINVAL;
	ret = gunyah_sim_client_prepare();
	if (ret)
		return ret;
	init_completion(&s.done);
	atomic_set(&stress_refused, 0);
	atomic_set(&s.running, n + 1);
	for (i = 0; i < n; i++) {
		struct task_struct *t = kthread_run(stress_thread, &s, "gunyah_stress/%u", i);

		if (IS_ERR(t)) {
			atomic_sub(n - i, &s.running);
			ret = PTR_ERR(t);
			break;
		}
	}
	if (atomic_dec_and_test(&s.running))
		complete(&s.done);
	wait_for_completion(&s.done);
	if (atomic_read(&s.failed)) {
		pr_err("gunyah_sim_client: %d of %u threads failed, first with %d\n",
		       atomic_read(&s.failed), n, s.first_error);
		ret = s.first_error;
	}
	return ret;
}

static const struct kernel_param_ops stress_ops = {
	.set = stress_set,
};
module_param_cb(stress, &stress_ops, NULL, 0200);
MODULE_PARM_DESC(stress,
		 "Write N: N concurrent callers, stress_rounds rounds each; fails with the first error other than -ENOSPC");

static int __init gunyah_sim_client_init(void)
{
	return 0;
}

static void __exit gunyah_sim_client_cleanup(void)
{
	gunyah_sim_client_exit();
}

module_init(gunyah_sim_client_init);
module_exit(gunyah_sim_client_cleanup);

MODULE_DESCRIPTION("armature test: gunyah_rsc_mgr's in-kernel API driven from parameters");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
MODULE_IMPORT_NS(GUNYAH);
