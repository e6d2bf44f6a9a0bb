/* SPDX-License-Identifier: GPL-2.0 */
/* ampere_cspmu: init and exit, between its C++ (ampere_module.cpp) and C glue. */
#ifndef ARMATURE_CSPMU_AMPERE_MODULE_H
#define ARMATURE_CSPMU_AMPERE_MODULE_H

#ifdef __cplusplus
extern "C" {
#endif

int ampere_cspmu_init(void);
void ampere_cspmu_exit(void);

#ifdef __cplusplus
}
#endif

#endif
