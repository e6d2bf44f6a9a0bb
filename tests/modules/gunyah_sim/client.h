/* SPDX-License-Identifier: GPL-2.0 */
/* gunyah_sim_client: between client.cpp and client_module.c. */
#ifndef ARMATURE_GUNYAH_SIM_CLIENT_H
#define ARMATURE_GUNYAH_SIM_CLIENT_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Lends (lend) or shares pages separately allocated pages; -EBUSY while a
 * parcel is held. */
int gunyah_sim_client_share(unsigned int pages, bool lend);
/* Reclaims the held parcel; on failure it stays held. */
int gunyah_sim_client_reclaim(void);
/* The VMID of the lends and shares, allocated once. */
int gunyah_sim_client_prepare(void);
/* One round of a stress test: a page shared (even index) or lent (odd),
 * then reclaimed. */
int gunyah_sim_client_round(unsigned int index);
/* The held parcel's handle (~0: none), the VMID allocated at first use. */
unsigned int gunyah_sim_client_handle(void);
unsigned int gunyah_sim_client_vmid(void);
void gunyah_sim_client_exit(void);

#ifdef __cplusplus
}
#endif

#endif
