// SPDX-License-Identifier: GPL-2.0
/* nvidia_cspmu: the NVIDIA backend of arm_cspmu_module (nvidia_module.cpp). */
#include <linux/module.h>
#include <kcpp/glue.h>

#include "nvidia_module.h"

KCPP_MODULE_INIT_EXIT(nvidia_cspmu_init, nvidia_cspmu_exit);
MODULE_DESCRIPTION("armature: NVIDIA CoreSight PMU backend (Grace, Tegra410)");
MODULE_VERSION(ARMATURE_VERSION);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
MODULE_IMPORT_NS(ARMATURE_CSPMU);
