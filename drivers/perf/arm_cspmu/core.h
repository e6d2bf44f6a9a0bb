/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm_cspmu_module: what its C file (core_glue.c) and its C++ (core.cpp)
 * share, and what the vendor backends call.
 */
#ifndef ARMATURE_CSPMU_CORE_H
#define ARMATURE_CSPMU_CORE_H

#include <kcpp/device.h>

#ifdef __cplusplus
extern "C" {
#endif

struct armature_cspmu_backend;

/* Exported to the vendor backends (namespace ARMATURE_CSPMU): -EINVAL when
 * the core's PMIIDR table has no entry with the backend's key; -EEXIST when
 * another backend has it. */
int armature_cspmu_register_backend(struct armature_cspmu_backend *backend);
void armature_cspmu_unregister_backend(struct armature_cspmu_backend *backend);

/* The platform driver: its metadata in C, its probe in C++. */
extern struct kcpp_platform_driver armature_cspmu_driver;
extern const struct kcpp_driver_ops armature_cspmu_driver_ops;

int armature_cspmu_init(void);
void armature_cspmu_exit(void);

#ifdef __cplusplus
}
#endif

#endif
