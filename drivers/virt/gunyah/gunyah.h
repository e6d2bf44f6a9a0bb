/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gunyah_rsc_mgr's kernel interface (namespace GUNYAH): the memory calls of
 * the resource manager, the platform-ops table a platform module registers,
 * and the call interface of a hypervisor that is not reached through
 * firmware (the simulator). C, for any kernel module; the core is C++.
 */
#ifndef ARMATURE_GUNYAH_H
#define ARMATURE_GUNYAH_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct module;
struct gunyah_rm;

/* --- Memory parcels --- */

#define GUNYAH_RM_ACL_X 0x1
#define GUNYAH_RM_ACL_W 0x2
#define GUNYAH_RM_ACL_R 0x4

#define GUNYAH_RM_MEM_TYPE_NORMAL 0
#define GUNYAH_RM_MEM_TYPE_IO 1

/* VMIDs the RM knows without allocation. */
#define GUNYAH_VMID_HLOS 3   /* this VM, the parcels' owner */
#define GUNYAH_VMID_ANY 0xff

struct gunyah_rm_acl_entry {
	__u16 vmid;
	__u8 rights;     /* GUNYAH_RM_ACL_* */
};

struct gunyah_rm_mem_entry {
	__u64 phys;      /* intermediate physical address of this VM */
	__u64 size;
};

/* mem_handle of a parcel that does not exist (the RM's handles start at 0). */
#define GUNYAH_RM_INVALID_HANDLE 0xffffffffU

/*
 * What is lent or shared. The caller owns the arrays; mem_handle is set
 * when the parcel is created and names it for reclaim.
 */
struct gunyah_rm_mem_parcel {
	__u8 mem_type;   /* GUNYAH_RM_MEM_TYPE_* */
	__u32 label;
	__u32 n_acl_entries;
	struct gunyah_rm_acl_entry *acl_entries;
	__u32 n_mem_entries;
	struct gunyah_rm_mem_entry *mem_entries;
	__u32 mem_handle;
};

/*
 * The bound resource manager, or an ERR_PTR: -EPROBE_DEFER while none is
 * bound. The reference keeps gunyah_rsc_mgr and the binding alive until
 * gunyah_rm_put().
 */
struct gunyah_rm *gunyah_rm_get(void);
void gunyah_rm_put(struct gunyah_rm *rm);

/*
 * Lends (one ACL entry) or shares (several, the owner among them) the
 * parcel's memory: the platform's pre_mem_share first, the RM calls (APPEND
 * for entries beyond the first message's, END on the last), and the
 * platform's post_mem_reclaim when they fail. 0 and parcel->mem_handle set,
 * or a negative errno (RM errors are mapped and logged by name) with
 * parcel->mem_handle GUNYAH_RM_INVALID_HANDLE. Two exceptions, where the RM
 * (and the other VM) may still hold the memory, so the caller must not free
 * or unpin it: an APPEND failed and the parcel it extended could not be
 * reclaimed either (the error comes with mem_handle naming that parcel), and
 * -ETIMEDOUT for the first message (the RM may have made a parcel whose
 * handle never came back).
 */
int gunyah_rm_mem_share(struct gunyah_rm *rm, struct gunyah_rm_mem_parcel *parcel);
/* Takes the parcel back; post_mem_reclaim runs only when the RM agreed. */
int gunyah_rm_mem_reclaim(struct gunyah_rm *rm, struct gunyah_rm_mem_parcel *parcel);
/* A new VM's VMID: vmid 0 asks the RM to choose one. */
int gunyah_rm_alloc_vmid(struct gunyah_rm *rm, __u16 vmid, __u16 *allocated);
/* Gives an allocated VMID back (the VM must not be running). */
int gunyah_rm_dealloc_vmid(struct gunyah_rm *rm, __u16 vmid);

/* --- Platform ops: one table per platform, keyed by the hypervisor's
 * platform UUID, bound once when the RM is set up --- */

struct gunyah_uuid {
	__u8 b[16];
};

struct gunyah_platform_ops {
	/*
	 * Called once when the RM binds this table: 0, or an error that
	 * leaves the RM unbound (-EPROBE_DEFER with *reason set for "not
	 * yet", which the RM reports through dev_err_probe). binding is the
	 * platform's state until unbind.
	 */
	int (*bind)(void **binding, const char **reason);
	void (*unbind)(void *binding);
	int (*pre_mem_share)(void *binding, struct gunyah_rm_mem_parcel *parcel);
	int (*post_mem_reclaim)(void *binding, struct gunyah_rm_mem_parcel *parcel);
	int (*pre_demand_page)(void *binding, __u16 vmid, __u32 flags, __u64 phys, __u64 size);
	int (*release_demand_page)(void *binding, __u16 vmid, __u32 flags, __u64 phys, __u64 size);
};

struct gunyah_platform;   /* a registry entry (kcpp::Registry) */

/*
 * Defines a platform's entry, static in its module. The module's alias
 * must be GUNYAH_PLATFORM_ALIAS of the UUID's string form, so the RM can
 * request it.
 */
#define GUNYAH_PLATFORM_ALIAS(uuid_string) "gunyah-platform-" uuid_string

/* -EEXIST when the UUID has ops already. An RM waiting for these ops binds. */
int gunyah_platform_register(struct gunyah_platform *platform);
void gunyah_platform_unregister(struct gunyah_platform *platform);
/* A platform module whose own prerequisites (bind) changed asks the RM to
 * try binding again. */
void gunyah_rm_retry_bind(void);

/* --- A hypervisor reached without firmware (a simulator): SMCCC-shaped
 * calls answered in the kernel --- */

struct gunyah_hypervisor_ops {
	/* A fast call: args[0] is the function ID, args[1..7] x1..x7; res
	 * x0..x3. Buffers are passed by physical address, as to the real
	 * hypervisor. */
	void (*call)(const unsigned long args[8], unsigned long res[4]);
};

struct gunyah_hypervisor;   /* a registry entry */

/* An RM waiting for a hypervisor binds. -EEXIST when one is registered. */
int gunyah_hypervisor_register(struct gunyah_hypervisor *hyp);
void gunyah_hypervisor_unregister(struct gunyah_hypervisor *hyp);

#ifdef __cplusplus
}
#endif

#endif /* ARMATURE_GUNYAH_H */
