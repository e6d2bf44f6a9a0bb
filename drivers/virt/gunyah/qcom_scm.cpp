// SPDX-License-Identifier: GPL-2.0
// gunyah_qcom_scm: the secure world of a real Qualcomm SoC for gunyah_qcom,
// through qcom_scm. It refuses to load where the SCM firmware interface is
// not available (QEMU, or a board whose firmware lacks it): gunyah_qcom then
// has no secure world, and the RM of a Qualcomm platform stays unbound.
#include <kcpp/log.hpp>
#include <kcpp/qcom_scm.h>

#include "qcom_module.h"
#include "qcom_scm.hpp"

using namespace armature::gunyah::qcom;

namespace {

static_assert(sizeof(gunyah_qcom_vmperm) == sizeof(kcpp_qcom_scm_vmperm) &&
	      __builtin_offsetof(gunyah_qcom_vmperm, vmid) == __builtin_offsetof(kcpp_qcom_scm_vmperm, vmid) &&
	      __builtin_offsetof(gunyah_qcom_vmperm, perm) == __builtin_offsetof(kcpp_qcom_scm_vmperm, perm));

int assign_mem(__u64 phys, __u64 size, __u64 *srcvm, const gunyah_qcom_vmperm *newvm,
	       unsigned dest_cnt)
{
	return kcpp_qcom_scm_assign_mem(phys, size, srcvm,
					reinterpret_cast<const kcpp_qcom_scm_vmperm *>(newvm),
					dest_cnt);
}

constexpr gunyah_qcom_scm_ops ops = {
	.assign_mem = assign_mem,
};

constinit gunyah_qcom_scm entry{ScmSlot{}, &ops, &__this_module};

} // namespace

int gunyah_qcom_scm_init()
{
	if (!kcpp_qcom_scm_is_available()) {
		KCPP_INFO("gunyah_qcom_scm: the SCM firmware interface is not available\n");
		return -ENODEV;
	}
	return gunyah_qcom_scm_register(&entry);
}

void gunyah_qcom_scm_exit()
{
	gunyah_qcom_scm_unregister(&entry);
}
