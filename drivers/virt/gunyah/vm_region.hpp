// SPDX-License-Identifier: GPL-2.0
// The VM manager's pure decisions (vm_mgr.cpp does the pinning and the RM
// calls): whether a GUNYAH_VM_SET_USER_MEM_REGION request is well formed,
// whether it conflicts with the VM's other regions, the ACL it asks for, and
// the scatter-gather list of its pinned pages, physically contiguous pages
// merged into one entry. Built unchanged into KUnit and the host tests.
#pragma once

#include "gunyah.h"
#include <kcpp/types.hpp>
#include <uapi/linux/gunyah.h>

namespace armature::gunyah::vm {

using kcpp::u16;
using kcpp::u32;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;

inline constexpr u32 known_flags = GUNYAH_MEM_ALLOW_RWX | GUNYAH_MEM_LENT;

// Why a request is refused (EINVAL), for the log.
enum class Invalid : u8 {
	none,
	unknown_flags,
	no_read,
	size_unaligned,
	size_too_big,
	guest_unaligned,
	guest_wraps,
	user_unaligned,
	user_wraps,
	user_not_canonical,
};

constexpr const char *describe(Invalid why)
{
	switch (why) {
	case Invalid::none: return "valid";
	case Invalid::unknown_flags: return "unknown flag bits";
	case Invalid::no_read: return "the VM must be allowed to read (the RM accepts R, RW, RX, RWX)";
	case Invalid::size_unaligned: return "memory_size is not page-aligned";
	case Invalid::size_too_big: return "memory_size is above GUNYAH_VM_MAX_REGION_SIZE";
	case Invalid::guest_unaligned: return "guest_phys_addr is not page-aligned";
	case Invalid::guest_wraps: return "guest_phys_addr + memory_size wraps";
	case Invalid::user_unaligned: return "userspace_addr is not page-aligned";
	case Invalid::user_wraps: return "userspace_addr + memory_size wraps";
	case Invalid::user_not_canonical: return "userspace_addr is above the user address space";
	}
	return "?";
}

// A request to add a region (memory_size != 0). user_limit: the top of the
// user address space (TASK_SIZE), exclusive.
constexpr Invalid check_region(const gunyah_userspace_memory_region &r, u64 page_size,
			       u64 user_limit)
{
	const u64 mask = page_size - 1;
	if (r.flags & ~known_flags)
		return Invalid::unknown_flags;
	if (!(r.flags & GUNYAH_MEM_ALLOW_READ))
		return Invalid::no_read;
	if (r.memory_size & mask)
		return Invalid::size_unaligned;
	if (r.memory_size > GUNYAH_VM_MAX_REGION_SIZE)
		return Invalid::size_too_big;
	if (r.guest_phys_addr & mask)
		return Invalid::guest_unaligned;
	if (r.guest_phys_addr + r.memory_size < r.guest_phys_addr)
		return Invalid::guest_wraps;
	if (r.userspace_addr & mask)
		return Invalid::user_unaligned;
	if (r.userspace_addr + r.memory_size < r.userspace_addr)
		return Invalid::user_wraps;
	if (r.userspace_addr + r.memory_size > user_limit)
		return Invalid::user_not_canonical;
	return Invalid::none;
}

// Where a region lives: its label, guest range and user range.
struct RegionKey {
	u32 label;
	u64 guest;
	u64 user;
	u64 size;
};

constexpr bool ranges_overlap(u64 a, u64 a_size, u64 b, u64 b_size)
{
	return a_size && b_size && a < b + b_size && b < a + a_size;
}

enum class Conflict : u8 { none, label, guest_overlap, user_overlap };

constexpr const char *describe(Conflict c)
{
	switch (c) {
	case Conflict::none: return "none";
	case Conflict::label: return "the label is in use";
	case Conflict::guest_overlap: return "its guest range overlaps another region's";
	case Conflict::user_overlap: return "its user range overlaps another region's";
	}
	return "?";
}

// The first conflict of key with the regions keys(0..n-1) (EEXIST).
template <typename KeyOf>
constexpr Conflict find_conflict(const RegionKey &key, usize n, KeyOf key_of)
{
	for (usize i = 0; i < n; i++) {
		const RegionKey &other = key_of(i);
		if (other.label == key.label)
			return Conflict::label;
		if (ranges_overlap(key.guest, key.size, other.guest, other.size))
			return Conflict::guest_overlap;
		if (ranges_overlap(key.user, key.size, other.user, other.size))
			return Conflict::user_overlap;
	}
	return Conflict::none;
}

// The RM's rights (R=4, W=2, X=1) for the UAPI's access bits (R=1, W=2, X=4).
constexpr u8 rm_rights(u32 flags)
{
	return static_cast<u8>(((flags & GUNYAH_MEM_ALLOW_READ) ? GUNYAH_RM_ACL_R : 0) |
			       ((flags & GUNYAH_MEM_ALLOW_WRITE) ? GUNYAH_RM_ACL_W : 0) |
			       ((flags & GUNYAH_MEM_ALLOW_EXEC) ? GUNYAH_RM_ACL_X : 0));
}

// The parcel's ACL: a lend names the VM alone; a share names the VM and
// this VM (the owner, which keeps RWX). The count (1 or 2).
inline usize make_acl(u32 flags, u16 vmid, gunyah_rm_acl_entry acl[2])
{
	acl[0] = {};
	acl[0].vmid = vmid;
	acl[0].rights = rm_rights(flags);
	if (flags & GUNYAH_MEM_LENT)
		return 1;
	acl[1] = {};
	acl[1].vmid = GUNYAH_VMID_HLOS;
	acl[1].rights = GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W | GUNYAH_RM_ACL_X;
	return 2;
}

// The scatter-gather list of n pages, page i at phys_of(i): each run of
// physically contiguous pages (in the region's order) is one emit(phys,
// size). Returns the number of entries.
template <typename PhysOf, typename Emit>
usize build_sgl(usize n, u64 page_size, PhysOf phys_of, Emit emit)
{
	usize entries = 0;
	u64 start = 0, size = 0;
	for (usize i = 0; i < n; i++) {
		const u64 phys = phys_of(i);
		if (size && phys == start + size) {
			size += page_size;
			continue;
		}
		if (size)
			emit(start, size);
		start = phys;
		size = page_size;
		entries++;
	}
	if (size)
		emit(start, size);
	return entries;
}

} // namespace armature::gunyah::vm
