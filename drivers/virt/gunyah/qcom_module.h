/* SPDX-License-Identifier: GPL-2.0 */
/* gunyah_qcom and gunyah_qcom_scm: init and exit, between their C++ and C glue. */
#ifndef ARMATURE_GUNYAH_QCOM_MODULE_H
#define ARMATURE_GUNYAH_QCOM_MODULE_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

int gunyah_qcom_init(void);
void gunyah_qcom_exit(void);

int gunyah_qcom_scm_init(void);
void gunyah_qcom_scm_exit(void);

#ifdef __cplusplus
}
#endif

#endif
