/* SPDX-License-Identifier: GPL-2.0 */
/* Between core.cpp and core_glue.c. */
#ifndef ARMATURE_IO_PGTABLE_CORE_H
#define ARMATURE_IO_PGTABLE_CORE_H

#include "format.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 0 and *ops, or the errno armature_pgtable_alloc_ops() returns as ERR_PTR. */
int armature_pgtable_core_alloc(enum armature_pgtable_fmt fmt, struct armature_pgtable_cfg *cfg,
				void *cookie, struct armature_pgtable_ops **ops);
int armature_pgtable_core_init(void);
void armature_pgtable_core_exit(void);

#ifdef __cplusplus
}
#endif

#endif
