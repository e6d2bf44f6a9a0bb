/* SPDX-License-Identifier: GPL-2.0 */
/* nvidia_cspmu: init and exit, between its C++ (nvidia_module.cpp) and C glue. */
#ifndef ARMATURE_CSPMU_NVIDIA_MODULE_H
#define ARMATURE_CSPMU_NVIDIA_MODULE_H

#ifdef __cplusplus
extern "C" {
#endif

int nvidia_cspmu_init(void);
void nvidia_cspmu_exit(void);

#ifdef __cplusplus
}
#endif

#endif
