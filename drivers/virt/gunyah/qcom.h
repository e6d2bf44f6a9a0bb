/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gunyah_qcom's interface to the secure world (namespace GUNYAH_QCOM): the
 * one call Qualcomm's platform ops make, qcom_scm_assign_mem()'s, supplied
 * by a module of its own so that gunyah_qcom references no qcom_scm_*
 * symbol: gunyah_qcom_scm (the real SCM) or the simulator's.
 */
#ifndef ARMATURE_GUNYAH_QCOM_H
#define ARMATURE_GUNYAH_QCOM_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The secure world's VMIDs and permissions (qcom_scm's values). */
#define GUNYAH_QCOM_VMID_HLOS 0x3
#define GUNYAH_QCOM_VMID_RM_MANAGED 0x3a
#define GUNYAH_QCOM_PERM_X 0x1
#define GUNYAH_QCOM_PERM_W 0x2
#define GUNYAH_QCOM_PERM_R 0x4
#define GUNYAH_QCOM_PERM_RWX 0x7

struct gunyah_qcom_vmperm {
	int vmid;
	int perm;
};

struct gunyah_qcom_scm_ops {
	/*
	 * qcom_scm_assign_mem(): gives [phys, phys + size) to the dest_cnt
	 * owners of newvm. *srcvm is the bitmap of current owners (bit n for
	 * VMID n) and is updated to the new owners on success.
	 */
	int (*assign_mem)(__u64 phys, __u64 size, __u64 *srcvm,
			  const struct gunyah_qcom_vmperm *newvm, unsigned int dest_cnt);
};

struct gunyah_qcom_scm;   /* a registry entry, static in the provider's module */

/* -EEXIST when a provider is registered. An RM waiting for it binds. */
int gunyah_qcom_scm_register(struct gunyah_qcom_scm *scm);
void gunyah_qcom_scm_unregister(struct gunyah_qcom_scm *scm);

#ifdef __cplusplus
}
#endif

#endif /* ARMATURE_GUNYAH_QCOM_H */
