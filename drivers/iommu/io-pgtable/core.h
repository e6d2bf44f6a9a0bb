/* SPDX-License-Identifier: GPL-2.0 */
/* Between core.cpp and core_glue.c. */
#ifndef ARMATURE_IO_PGTABLE_CORE_H
#define ARMATURE_IO_PGTABLE_CORE_H

#include "format.h"

#ifdef __cplusplus
extern "C" {
#endif

int armature_pgtable_init(void);
void armature_pgtable_exit(void);

#ifdef __cplusplus
}
#endif

#endif
