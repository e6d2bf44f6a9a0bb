/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/gunyah: Gunyah virtual machines and the memory userspace gives them.
 *
 * EXPERIMENTAL. The interface of the Linux series "Drivers for Gunyah
 * hypervisor" (Elliot Berman, v10..v17, 2023-2024) was never merged, so
 * there is no stable ABI to follow; this is the subset armature needs, with
 * the series' names and ioctl numbers where the series has them, and it may
 * change. Written for C and C++ userspace (tools/gunyah/gunyah-vm.c) and for
 * the driver (drivers/virt/gunyah/vm_mgr.cpp).
 *
 * Where the numbers come from:
 *   GUNYAH_CREATE_VM               'G' 0x0  every version of the series.
 *   GUNYAH_VM_SET_USER_MEM_REGION  'G' 0x1  v10..v14 (GH_VM_SET_USER_MEM_REGION,
 *        struct gh_userspace_memory_region, flags GH_MEM_ALLOW_* and
 *        GH_MEM_LENT). v15..v17 replaced it with guest_memfd-backed memory
 *        (GUNYAH_CREATE_GUEST_MEM 0x8, GUNYAH_VM_MAP_MEM 0x9 with struct
 *        gunyah_map_mem_args {guest_addr, flags, guest_mem_fd, offset,
 *        size}); armature gives a VM anonymous user memory, which is what
 *        0x1 did, so it keeps 0x1 and its layout. The access bits are the
 *        same in both (v17's GUNYAH_MEM_ALLOW_READ/WRITE/EXEC).
 *   GUNYAH_VM_GET_INFO, GUNYAH_VM_GET_REGION  0x80, 0x81: armature's own
 *        (read-only introspection for tests and tools), above every number
 *        the series used.
 */
#ifndef _UAPI_LINUX_GUNYAH_H
#define _UAPI_LINUX_GUNYAH_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define GUNYAH_IOCTL_TYPE 'G'

/*
 * ioctls on /dev/gunyah
 *
 * GUNYAH_CREATE_VM: the argument must be 0. Asks the resource manager for a
 * new VM (its VMID: GUNYAH_VM_GET_INFO) and returns a VM file descriptor
 * (close-on-exec). Closing the last reference to it reclaims every region
 * the VM still holds, unpins the pages and uncharges RLIMIT_MEMLOCK; so does
 * the death of the process.
 */
#define GUNYAH_CREATE_VM _IO(GUNYAH_IOCTL_TYPE, 0x0)

/*
 * ioctls on a VM file descriptor
 */

/* Access the VM gets to a region (struct gunyah_userspace_memory_region.flags). */
#define GUNYAH_MEM_ALLOW_READ (1U << 0)   /* required: the RM accepts R, RW, RX, RWX */
#define GUNYAH_MEM_ALLOW_WRITE (1U << 1)
#define GUNYAH_MEM_ALLOW_EXEC (1U << 2)
#define GUNYAH_MEM_ALLOW_RWX (GUNYAH_MEM_ALLOW_READ | GUNYAH_MEM_ALLOW_WRITE | GUNYAH_MEM_ALLOW_EXEC)
/*
 * Lend instead of share: the VM gets the memory exclusively and this VM
 * loses access until it is reclaimed. Without it the memory is shared: both
 * keep access (this VM with RWX).
 */
#define GUNYAH_MEM_LENT (1U << 3)

/**
 * struct gunyah_userspace_memory_region - memory of the caller given to a VM
 * @label: names the region within the VM (unique per VM); also the RM
 *         parcel's label.
 * @flags: GUNYAH_MEM_ALLOW_* and GUNYAH_MEM_LENT; other bits must be 0.
 * @guest_phys_addr: where the VM sees it (page-aligned, no overlap with the
 *                   VM's other regions).
 * @memory_size: bytes, page-aligned; 0 reclaims the region named @label
 *               (the series' convention, as KVM_SET_USER_MEMORY_REGION).
 * @userspace_addr: the caller's memory, page-aligned: private anonymous
 *                  mappings only (no file, shared or special mappings).
 *
 * The pages are pinned for as long as the VM holds them and charged to the
 * caller's RLIMIT_MEMLOCK (ENOMEM beyond it, unless CAP_IPC_LOCK). Errors:
 * EINVAL (flags, alignment, size, not anonymous memory), EEXIST (label in
 * use, or overlap in guest or user addresses with another region), ENOSPC
 * (the VM has GUNYAH_VM_MAX_REGIONS regions), EFAULT (unmapped memory), EIO
 * (called from a process other than the VM's creator), ENOENT (reclaim of
 * an unknown label), or the resource manager's error.
 */
struct gunyah_userspace_memory_region {
	__u32 label;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
};

#define GUNYAH_VM_SET_USER_MEM_REGION \
	_IOW(GUNYAH_IOCTL_TYPE, 0x1, struct gunyah_userspace_memory_region)

/* Limits of one VM: the RM keeps at most 64 parcels per VM. */
#define GUNYAH_VM_MAX_REGIONS 64
#define GUNYAH_VM_MAX_REGION_SIZE (1ULL << 30)

/**
 * struct gunyah_vm_info - what GUNYAH_VM_GET_INFO reports (armature's own)
 * @vmid: the VMID the resource manager gave the VM.
 * @reserved: 0.
 * @n_regions: regions the VM holds.
 * @pinned_pages: pages pinned (and charged) for them.
 */
struct gunyah_vm_info {
	__u16 vmid;
	__u16 reserved;
	__u32 n_regions;
	__u64 pinned_pages;
};

#define GUNYAH_VM_GET_INFO _IOR(GUNYAH_IOCTL_TYPE, 0x80, struct gunyah_vm_info)

/**
 * struct gunyah_vm_region_info - one region, by label (armature's own)
 * @label: in: the region's label.
 * @mem_handle: out: the RM's parcel handle.
 * @sgl_entries: out: physically contiguous runs the parcel's list has.
 * @flags: out: as given.
 * @pages: out: pages pinned for it.
 */
struct gunyah_vm_region_info {
	__u32 label;
	__u32 mem_handle;
	__u32 sgl_entries;
	__u32 flags;
	__u64 pages;
};

#define GUNYAH_VM_GET_REGION _IOWR(GUNYAH_IOCTL_TYPE, 0x81, struct gunyah_vm_region_info)

#endif /* _UAPI_LINUX_GUNYAH_H */
