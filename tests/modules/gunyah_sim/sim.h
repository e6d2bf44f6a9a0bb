/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gunyah_sim: the boundary between the simulator's C++ (sim.cpp: the
 * hypervisor calls, the RM's run, the knobs) and its C (module.c: module
 * parameters, debugfs, the work items, the devicetree node, interrupts).
 */
#ifndef ARMATURE_GUNYAH_SIM_H
#define ARMATURE_GUNYAH_SIM_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What module.c found in the RM's devicetree node. */
struct gunyah_sim_config {
	__u64 tx_cap, rx_cap;
	bool qcom;            /* identify as Qualcomm's Gunyah */
	bool register_hypervisor; /* false: not for gunyah_rsc_mgr (self-tests) */
};

/* Fault-injection knobs (module parameters). */
enum gunyah_sim_knob {
	GUNYAH_SIM_DROP_NEXT,       /* 1: the next request is lost (no effect, no reply) */
	GUNYAH_SIM_DELAY_NEXT_MS,   /* the next reply waits this many ms */
	GUNYAH_SIM_ERROR_NEXT,      /* the next request fails with this RM error */
	GUNYAH_SIM_FAIL_MSG_ID,     /* with FAIL_NTH and FAIL_ERROR: the Nth request */
	GUNYAH_SIM_FAIL_NTH,        /*   with this msg_id from now fails with the error */
	GUNYAH_SIM_FAIL_ERROR,
	GUNYAH_SIM_MALFORMED_NEXT,  /* 1: the next request is not carried out, its reply cut 2 bytes into rm_error */
	GUNYAH_SIM_DUPLICATE_NEXT,  /* 1: the next reply is sent twice */
	GUNYAH_SIM_NOTIFY,          /* write: the RM sends a notification with this msg_id */
	GUNYAH_SIM_ACCEPT,          /* write: the parcel with this handle is accepted */
	GUNYAH_SIM_RELEASE,         /* write: ... and released again */
	GUNYAH_SIM_NR_KNOBS
};

struct gunyah_sim_stats {
	unsigned int parcels, vmids, next_handle;
	__u64 lent_bytes, shared_bytes;
	unsigned int requests, replies, dropped, ignored, discarded_partials;
	unsigned int tx_queued, rx_queued, outbox;
	bool delayed;
};

struct gunyah_sim_parcel_info {
	__u32 handle, label;
	__u16 owner;
	__u8 mem_type;
	bool lend, open, accepted;
	__u64 entries, bytes;
	unsigned int n_acl;
	__u16 acl_vmid[8];
	__u8 acl_rights[8];
};

/* --- C++ (sim.cpp) --- */
int gunyah_sim_start(const struct gunyah_sim_config *config);
void gunyah_sim_stop(void);
/* The RM's run (the work item); the delayed reply's time has come. */
void gunyah_sim_rm_run(void);
void gunyah_sim_delay_over(void);
/* 0, -EINVAL for a value out of range, -EBUSY when the RM cannot send now. */
int gunyah_sim_knob_set(enum gunyah_sim_knob knob, unsigned int value);
unsigned int gunyah_sim_knob_get(enum gunyah_sim_knob knob);
void gunyah_sim_get_stats(struct gunyah_sim_stats *out);
/* The index-th parcel (in slot order); false past the last. */
bool gunyah_sim_get_parcel(unsigned int index, struct gunyah_sim_parcel_info *out);
/* One SGL entry of the index-th parcel. */
bool gunyah_sim_get_parcel_entry(unsigned int index, __u64 entry, __u64 *ipa, __u64 *size);

/* The hypervisor_ops call, for the self-test's client. */
void gunyah_sim_hypercall(const unsigned long args[8], unsigned long res[4]);
/* selftest.cpp: 0, or why the round trips failed (logged). */
int gunyah_sim_selftest(__u64 tx_cap, __u64 rx_cap);

/* --- C (module.c) --- */
/* The self-test's wait for interrupt which (0 TX, 1 RX), which it holds;
 * false on timeout. */
bool gunyah_sim_selftest_wait(unsigned int which, unsigned int ms);
/* The kernel's mapping of [phys, phys + size) if it is RAM, or NULL. */
void *gunyah_sim_map(__u64 phys, __u64 size);
void *gunyah_sim_vzalloc(unsigned long size);
void gunyah_sim_vfree(void *p);
/* Runs gunyah_sim_rm_run() in process context, soon / in ms milliseconds
 * (gunyah_sim_delay_over() then). */
void gunyah_sim_wake_rm(void);
void gunyah_sim_wake_after(unsigned int ms);
/* Stops both (waiting for a running one). */
void gunyah_sim_cancel_work(void);
/* Asserts the client's interrupt: 0 TX (not full), 1 RX (not empty). */
void gunyah_sim_raise(unsigned int which);

#ifdef __cplusplus
}
#endif

#endif
