/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm_spe_sim: what the simulated build adds to spe.h's boundary, between
 * pmu.cpp and module.c: the module parameters, the per-CPU timers
 * that run the models, fault injection.
 */
#ifndef ARMATURE_SPE_SIM_H
#define ARMATURE_SPE_SIM_H

#include "spe.h"
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A PMU's per-CPU timers (C). */
struct armature_spe_sim;

/* The module parameters: 0 leaves the simulator's default. */
struct armature_spe_sim_params {
	unsigned int pmsver;
	__u64 pmbidr, pmsidr;
	unsigned int ops_per_us;
};

/* A CPU's timer has fired: run the model for the time since its last tick,
 * with the interrupted context; false when the timer is to stop. */
struct armature_spe_sim_context {
	unsigned int timer_cpu; /* the CPU whose model the timer runs */
	__u64 now_ns;
	__u64 *last_tick_ns;    /* the timer's; the model ran up to it */
	bool interrupted;       /* pc, sp and user are the interrupted context */
	__u64 pc, sp;
	bool user;
	__u32 pid;
	__u64 data_va, data_pa; /* a kernel word of the PMU's, and where it is */
};

/* --- C++ (pmu.cpp), called by the C side --- */

/* driver: the one armature_spe_sim_alloc() was given. */
bool armature_spe_sim_tick_local(void *driver, const struct armature_spe_sim_context *ctx);
/* The inject parameter: parses and queues a fault for the next record. */
int armature_spe_sim_inject(const char *what);

/* --- C (module.c), called by C++ --- */

const struct armature_spe_sim_params *armature_spe_sim_module_params(void);
/* NULL: no memory. Each supported CPU's timer is then set up with
 * armature_spe_sim_timer_init(), and cancelled before the free. */
struct armature_spe_sim *armature_spe_sim_alloc(void *driver);
void armature_spe_sim_free(struct armature_spe_sim *sim);
void armature_spe_sim_timer_init(struct armature_spe_sim *sim, unsigned int cpu);
/* Waits for a running callback; on the CPU itself when it goes down, so
 * that its timer does not migrate. */
void armature_spe_sim_timer_cancel(struct armature_spe_sim *sim, unsigned int cpu);
/* This CPU's timer: queued or running; started now, one tick from now
 * (the tick's time counted from now). */
bool armature_spe_sim_timer_pending_local(struct armature_spe_sim *sim);
void armature_spe_sim_timer_start_local(struct armature_spe_sim *sim);

#ifdef __cplusplus
}
#endif

#endif
