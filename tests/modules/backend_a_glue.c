// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <kcpp/glue.h>

#include "test_core.h"

KCPP_MODULE_INIT_EXIT(kcpp_test_backend_init, kcpp_test_backend_exit);
MODULE_ALIAS("kcpp-test-backend-a");
MODULE_DESCRIPTION("armature test: backend A of kcpp_test_core");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
MODULE_IMPORT_NS(KCPP_TEST);
