// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp_qcom_scm: Qualcomm's SCM calls for C++ (include/kcpp/qcom_scm.h).
 */
#include <linux/firmware/qcom/qcom_scm.h>
#include <linux/module.h>

#include <kcpp/qcom_scm.h>

static_assert(sizeof(struct kcpp_qcom_scm_vmperm) == sizeof(struct qcom_scm_vmperm));
static_assert(offsetof(struct kcpp_qcom_scm_vmperm, vmid) == offsetof(struct qcom_scm_vmperm, vmid));
static_assert(offsetof(struct kcpp_qcom_scm_vmperm, perm) == offsetof(struct qcom_scm_vmperm, perm));

bool kcpp_qcom_scm_is_available(void)
{
	return qcom_scm_is_available();
}
EXPORT_SYMBOL_NS_GPL(kcpp_qcom_scm_is_available, KCPP);

int kcpp_qcom_scm_assign_mem(u64 phys, u64 size, u64 *srcvm,
			     const struct kcpp_qcom_scm_vmperm *newvm, unsigned int dest_cnt)
{
	return qcom_scm_assign_mem(phys, size, srcvm, (const struct qcom_scm_vmperm *)newvm,
				   dest_cnt);
}
EXPORT_SYMBOL_NS_GPL(kcpp_qcom_scm_assign_mem, KCPP);

MODULE_DESCRIPTION("armature: kcpp's bridge to Qualcomm's SCM firmware calls");
MODULE_VERSION(ARMATURE_VERSION);
MODULE_LICENSE("GPL");
