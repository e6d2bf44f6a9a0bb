/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gunyah_rsc_mgr: what its C file (core_glue.c) and its C++ (core.cpp)
 * share. The exported interface is gunyah.h.
 */
#ifndef ARMATURE_GUNYAH_CORE_H
#define ARMATURE_GUNYAH_CORE_H

#include <kcpp/device.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The platform driver: its metadata in C, its probe in C++. */
extern struct kcpp_platform_driver gunyah_rm_driver;
extern const struct kcpp_driver_ops gunyah_rm_driver_ops;

int gunyah_rsc_mgr_init(void);
void gunyah_rsc_mgr_exit(void);

#ifdef __cplusplus
}
#endif

#endif
