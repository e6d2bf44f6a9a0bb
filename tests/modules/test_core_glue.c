// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp_test_core: a test-only driver core with a kcpp::Registry of backends.
 * Writing a backend id to the "hold" parameter looks the backend up (loading
 * its module on demand) and keeps it in use; writing 0 lets it go.
 */
#include <linux/module.h>
#include <kcpp/glue.h>
#include <linux/moduleparam.h>

#include "test_core.h"

EXPORT_SYMBOL_NS_GPL(kcpp_test_core_registry, KCPP_TEST);

static int hold_set(const char *val, const struct kernel_param *kp)
{
	unsigned int id;
	int ret = kstrtouint(val, 0, &id);

	return ret ? ret : kcpp_test_core_hold(id);
}

static int hold_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%#x\n", kcpp_test_core_held());
}

static const struct kernel_param_ops hold_ops = {
	.set = hold_set,
	.get = hold_get,
};
module_param_cb(hold, &hold_ops, NULL, 0644);
MODULE_PARM_DESC(hold, "id of a backend to look up and keep in use (0: none)");

KCPP_MODULE_INIT_EXIT(kcpp_test_core_init, kcpp_test_core_exit);
MODULE_DESCRIPTION("armature test: a registry core with loadable backends");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
