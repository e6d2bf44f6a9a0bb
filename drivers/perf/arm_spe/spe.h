/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm_spe: what a module's C file (module.c; tests/modules/arm_spe_sim/module.c) and the driver's
 * C++ (entry.hpp, built by pmu.cpp and arm_spe_sim's pmu.cpp) share.
 */
#ifndef ARMATURE_SPE_H
#define ARMATURE_SPE_H

#include <kcpp/device.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The platform driver: its metadata in C, its probe in C++. */
extern struct kcpp_platform_driver armature_spe_driver;
extern const struct kcpp_driver_ops armature_spe_driver_ops;

int armature_spe_init(void);
void armature_spe_exit(void);

#ifdef __cplusplus
}
#endif

#endif
