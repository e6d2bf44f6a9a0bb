/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gunyah_sim_scm: the boundary between its C++ (scm.cpp: the secure world's
 * ownership records) and its C (scm_module.c: parameters, debugfs).
 */
#ifndef ARMATURE_GUNYAH_SIM_SCM_H
#define ARMATURE_GUNYAH_SIM_SCM_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- C++ (scm.cpp) --- */
int gunyah_sim_scm_start(void);
void gunyah_sim_scm_stop(void);
void gunyah_sim_scm_set_fail_nth(unsigned int nth);
unsigned int gunyah_sim_scm_get_fail_nth(void);
struct gunyah_sim_scm_stats {
	unsigned long calls, refused, injected;
	unsigned long pages; /* not owned by HLOS alone */
};
void gunyah_sim_scm_get_stats(struct gunyah_sim_scm_stats *out);
/* The index-th page not owned by HLOS alone; false past the last. */
bool gunyah_sim_scm_get_page(unsigned long index, __u64 *phys, __u64 *owners);

#ifdef __cplusplus
}
#endif

#endif
