// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp_qcom_scm: Qualcomm's SCM calls for C++ (include/kcpp/qcom_scm.h).
 */
#if __has_include(<linux/firmware/qcom/qcom_scm.h>)
#include <linux/firmware/qcom/qcom_scm.h>
#else
#include <linux/qcom_scm.h> /* before 6.3 */
#endif
#include <linux/module.h>

#include <kcpp_compat.h>
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
#ifdef KCPP_HAVE_QCOM_SCM_SRCVM_U64
	return qcom_scm_assign_mem(phys, size, srcvm, (const struct qcom_scm_vmperm *)newvm,
				   dest_cnt);
#else
	/* The source VMs as a 32-bit mask: no VMID above 31 fits in it. */
	unsigned int src = *srcvm;
	int ret;

	if (src != *srcvm)
		return -EINVAL;
	ret = qcom_scm_assign_mem(phys, size, &src, (const struct qcom_scm_vmperm *)newvm,
				  dest_cnt);
	*srcvm = src;
	return ret;
#endif
}
EXPORT_SYMBOL_NS_GPL(kcpp_qcom_scm_assign_mem, KCPP);

MODULE_DESCRIPTION("armature: kcpp's bridge to Qualcomm's SCM firmware calls");
MODULE_VERSION(ARMATURE_VERSION);
MODULE_LICENSE("GPL");
