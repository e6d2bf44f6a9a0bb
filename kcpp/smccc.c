// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp's SMCCC adapter (include/kcpp/smccc.h).
 */
#include <linux/arm-smccc.h>
#include <linux/module.h>

#include <kcpp/smccc.h>

static_assert((int)KCPP_SMCCC_CONDUIT_NONE == (int)SMCCC_CONDUIT_NONE);
static_assert((int)KCPP_SMCCC_CONDUIT_SMC == (int)SMCCC_CONDUIT_SMC);
static_assert((int)KCPP_SMCCC_CONDUIT_HVC == (int)SMCCC_CONDUIT_HVC);

int kcpp_smccc_conduit(void)
{
	return arm_smccc_1_1_get_conduit();
}
EXPORT_SYMBOL_NS_GPL(kcpp_smccc_conduit, KCPP);

void kcpp_smccc_invoke(const unsigned long args[8], unsigned long res[4])
{
	struct arm_smccc_res r;

	arm_smccc_1_1_invoke(args[0], args[1], args[2], args[3], args[4], args[5], args[6],
			     args[7], &r);
	res[0] = r.a0;
	res[1] = r.a1;
	res[2] = r.a2;
	res[3] = r.a3;
}
EXPORT_SYMBOL_NS_GPL(kcpp_smccc_invoke, KCPP);
