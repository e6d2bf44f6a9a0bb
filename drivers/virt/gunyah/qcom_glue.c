// SPDX-License-Identifier: GPL-2.0
/* gunyah_qcom: Qualcomm's platform ops for gunyah_rsc_mgr (qcom_module.cpp). */
#include <linux/module.h>
#include <kcpp/glue.h>

#include "gunyah.h"
#include "qcom.h"
#include "qcom_module.h"

KCPP_MODULE_INIT_EXIT(gunyah_qcom_init, gunyah_qcom_exit);
EXPORT_SYMBOL_NS_GPL(gunyah_qcom_scm_register, GUNYAH_QCOM);
EXPORT_SYMBOL_NS_GPL(gunyah_qcom_scm_unregister, GUNYAH_QCOM);
/* The RM requests the ops of Qualcomm's platform UUID by this alias
 * (GUNYAH_PLATFORM_ALIAS of the UUID). */
MODULE_ALIAS("gunyah-platform-19bd54bd-0b37-571b-946f-609b54539de6");
MODULE_DESCRIPTION("armature: Qualcomm platform ops for the Gunyah resource manager");
MODULE_VERSION(ARMATURE_VERSION);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
MODULE_IMPORT_NS(GUNYAH);
