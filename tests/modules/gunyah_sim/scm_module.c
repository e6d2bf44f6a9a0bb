// SPDX-License-Identifier: GPL-2.0
/*
 * gunyah_sim_scm (tests only): a simulated Qualcomm secure world for
 * gunyah_qcom, which records who owns each page (scm.cpp). Not a
 * dependency of gunyah_sim: a test runs the simulator as Qualcomm's Gunyah
 * without it. Here: its parameter and debugfs files. Test code, so not held
 * to the rule of the drivers' C files (scripts/check-glue).
 */
#include <linux/debugfs.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>

#include "scm.h"

static int fail_nth_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret = kstrtouint(val, 0, &v);

	if (!ret)
		gunyah_sim_scm_set_fail_nth(v);
	return ret;
}

static int fail_nth_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n", gunyah_sim_scm_get_fail_nth());
}

static const struct kernel_param_ops fail_nth_ops = {
	.set = fail_nth_set,
	.get = fail_nth_get,
};
module_param_cb(fail_nth, &fail_nth_ops, NULL, 0644);
MODULE_PARM_DESC(fail_nth,
		 "The Nth assign-mem call from now fails with -EIO, changing nothing (0: off); counts down");

static struct dentry *scm_debugfs;

/* One line per page not owned by HLOS alone: "0x<phys> 0x<owner bitmap>". */
static int pages_show(struct seq_file *s, void *unused)
{
	unsigned long i;
	__u64 phys, owners;

	for (i = 0; gunyah_sim_scm_get_page(i, &phys, &owners); i++)
		seq_printf(s, "0x%llx 0x%llx\n", phys, owners);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pages);

static int state_show(struct seq_file *s, void *unused)
{
	struct gunyah_sim_scm_stats st;

	gunyah_sim_scm_get_stats(&st);
	seq_printf(s, "pages %lu\ncalls %lu\nrefused %lu\ninjected %lu\n", st.pages, st.calls,
		   st.refused, st.injected);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(state);

static int __init gunyah_sim_scm_init(void)
{
	int ret = gunyah_sim_scm_start();

	if (ret)
		return ret;
	scm_debugfs = debugfs_create_dir("gunyah_sim_scm", NULL);
	debugfs_create_file("pages", 0444, scm_debugfs, NULL, &pages_fops);
	debugfs_create_file("state", 0444, scm_debugfs, NULL, &state_fops);
	return 0;
}

static void __exit gunyah_sim_scm_exit(void)
{
	debugfs_remove_recursive(scm_debugfs);
	gunyah_sim_scm_stop();
}

module_init(gunyah_sim_scm_init);
module_exit(gunyah_sim_scm_exit);

MODULE_DESCRIPTION("armature test: a simulated Qualcomm secure world for gunyah_qcom");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
MODULE_IMPORT_NS(GUNYAH_QCOM);
