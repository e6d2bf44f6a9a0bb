/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcpp's SMCCC adapter, C side (kcpp/smccc.c): the firmware conduit the
 * kernel found at boot and a fast call through it (arm_smccc_1_1_invoke),
 * in the SMCCC shape of gunyah_hypervisor_ops: args[0] is the function ID,
 * args[1..7] are x1..x7, res[0..3] are x0..x3.
 */
#ifndef KCPP_SMCCC_H
#define KCPP_SMCCC_H

#ifdef __cplusplus
extern "C" {
#endif

/* arm_smccc_1_1_get_conduit(): NONE when the firmware has no SMCCC 1.1
 * (QEMU's answers 1.0: a raw hvc would reach its PSCI handler). */
enum {
	KCPP_SMCCC_CONDUIT_NONE = 0,
	KCPP_SMCCC_CONDUIT_SMC = 1,
	KCPP_SMCCC_CONDUIT_HVC = 2,
};
int kcpp_smccc_conduit(void);

/* arm_smccc_1_1_invoke() with eight argument registers; with no conduit,
 * res[0] is SMCCC_RET_NOT_SUPPORTED. */
void kcpp_smccc_invoke(const unsigned long args[8], unsigned long res[4]);

#ifdef __cplusplus
}
#endif

#endif /* KCPP_SMCCC_H */
