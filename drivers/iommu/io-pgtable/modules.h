/* SPDX-License-Identifier: GPL-2.0 */
/* The init and exit of the format modules, between their C++ and C glue. */
#ifndef ARMATURE_IO_PGTABLE_MODULES_H
#define ARMATURE_IO_PGTABLE_MODULES_H

#ifdef __cplusplus
extern "C" {
#endif

int armature_pgtable_lpae_init(void);
void armature_pgtable_lpae_exit(void);
int armature_pgtable_v7s_init(void);
void armature_pgtable_v7s_exit(void);
int armature_pgtable_dart_init(void);
void armature_pgtable_dart_exit(void);

#ifdef __cplusplus
}
#endif

#endif
