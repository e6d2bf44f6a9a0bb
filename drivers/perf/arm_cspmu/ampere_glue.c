// SPDX-License-Identifier: GPL-2.0
/* ampere_cspmu: the Ampere backend of arm_cspmu_module (ampere_module.cpp). */
#include <linux/module.h>
#include <kcpp/glue.h>

#include "ampere_module.h"

KCPP_MODULE_INIT_EXIT(ampere_cspmu_init, ampere_cspmu_exit);
MODULE_DESCRIPTION("armature: Ampere CoreSight PMU backend (AmpereOne MCU)");
MODULE_VERSION(ARMATURE_VERSION);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
MODULE_IMPORT_NS(ARMATURE_CSPMU);
