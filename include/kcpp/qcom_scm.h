/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcpp_qcom_scm.ko (kcpp/qcom_scm.c): Qualcomm's SCM firmware calls for
 * C++. A module of its own, built only for kernels with QCOM_SCM, so that
 * kcpp.ko, which every armature module loads, never depends on qcom_scm.
 */
#ifndef KCPP_QCOM_SCM_H
#define KCPP_QCOM_SCM_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* qcom_scm's struct qcom_scm_vmperm, layout checked in kcpp/qcom_scm.c. */
struct kcpp_qcom_scm_vmperm {
	int vmid;
	int perm;
};

bool kcpp_qcom_scm_is_available(void);
int kcpp_qcom_scm_assign_mem(__u64 phys, __u64 size, __u64 *srcvm,
			     const struct kcpp_qcom_scm_vmperm *newvm, unsigned int dest_cnt);

#ifdef __cplusplus
}
#endif

#endif /* KCPP_QCOM_SCM_H */
