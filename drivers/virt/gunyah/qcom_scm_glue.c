// SPDX-License-Identifier: GPL-2.0
/* gunyah_qcom_scm: Qualcomm's SCM for gunyah_qcom (qcom_scm.cpp). */
#include <linux/module.h>
#include <kcpp/glue.h>

#include "qcom_module.h"

KCPP_MODULE_INIT_EXIT(gunyah_qcom_scm_init, gunyah_qcom_scm_exit);
/* gunyah_qcom requests its secure world by this alias. */
MODULE_ALIAS("gunyah-qcom-scm");
MODULE_DESCRIPTION("armature: Qualcomm SCM (assign-mem) for gunyah_qcom");
MODULE_VERSION(ARMATURE_VERSION);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
MODULE_IMPORT_NS(GUNYAH_QCOM);
