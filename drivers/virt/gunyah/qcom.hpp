// SPDX-License-Identifier: GPL-2.0
// Qualcomm's platform ops, pure: before memory is lent or shared, the
// secure world must give each of its entries from this VM (HLOS) to the
// VMs of the ACL; after a reclaim (or a failed share) it gives them back.
// The secure world manages VMIDs up to 0x3F itself; the RM's dynamic VMIDs
// above that are all "RM managed" (0x3A) to it. The call comes through a
// gunyah_qcom_scm_ops, so this code runs unchanged on a simulated one.
#pragma once

#include "gunyah.h"
#include "qcom.h"
#include <kcpp/errno.hpp>
#include <kcpp/types.hpp>

namespace armature::gunyah::qcom {

using kcpp::u64;

inline constexpr unsigned max_scm_vmid = 0x3f;
inline constexpr unsigned max_owners = 16;

// The secure world's view of an ACL: one permission entry per owner (VMIDs
// mapped, duplicates merged) and their bitmap.
struct Owners {
	gunyah_qcom_vmperm perms[max_owners];
	unsigned count = 0;
	u64 bitmap = 0;
};

constexpr unsigned scm_vmid(unsigned vmid)
{
	return vmid > max_scm_vmid ? GUNYAH_QCOM_VMID_RM_MANAGED : vmid;
}

// -E2BIG for more distinct owners than max_owners, -EINVAL for an entry
// with no rights.
constexpr int owners_of(const gunyah_rm_mem_parcel &parcel, Owners &out)
{
	out = {};
	for (unsigned i = 0; i < parcel.n_acl_entries; i++) {
		const gunyah_rm_acl_entry &e = parcel.acl_entries[i];
		if (!(e.rights & GUNYAH_QCOM_PERM_RWX))
			return -EINVAL;
		int vmid = static_cast<int>(scm_vmid(e.vmid));
		unsigned j = 0;
		while (j < out.count && out.perms[j].vmid != vmid)
			j++;
		if (j == out.count) {
			if (out.count == max_owners)
				return -E2BIG;
			out.perms[out.count++] = {vmid, 0};
		}
		out.perms[j].perm |= e.rights & GUNYAH_QCOM_PERM_RWX;
		out.bitmap |= u64{1} << vmid;
	}
	return out.count ? 0 : -EINVAL;
}

inline constexpr gunyah_qcom_vmperm hlos_rwx = {GUNYAH_QCOM_VMID_HLOS, GUNYAH_QCOM_PERM_RWX};

// What a share or reclaim did when it failed: the error, the memory entry
// it failed at, and how many entries could not be given back (which stay
// with the secure world's last owners: the caller must log them).
struct Outcome {
	int error = 0;
	unsigned entry = 0;
	unsigned stranded = 0;
};

// Gives entries [0, n) back to HLOS from owners; counts the failures.
inline unsigned give_back(const gunyah_qcom_scm_ops &scm, const gunyah_rm_mem_parcel &parcel,
			  unsigned n, u64 owners)
{
	unsigned stranded = 0;
	for (unsigned i = 0; i < n; i++) {
		__u64 src = owners;
		const gunyah_rm_mem_entry &m = parcel.mem_entries[i];
		if (scm.assign_mem(m.phys, m.size, &src, &hlos_rwx, 1))
			stranded++;
	}
	return stranded;
}

// Before the RM share: each entry from HLOS to the ACL's owners; on a
// failure, the entries given so far come back.
inline Outcome pre_mem_share(const gunyah_qcom_scm_ops &scm, const gunyah_rm_mem_parcel &parcel)
{
	Owners owners;
	if (int ret = owners_of(parcel, owners))
		return {ret, 0, 0};
	for (unsigned i = 0; i < parcel.n_mem_entries; i++) {
		__u64 src = u64{1} << GUNYAH_QCOM_VMID_HLOS;
		const gunyah_rm_mem_entry &m = parcel.mem_entries[i];
		if (int ret = scm.assign_mem(m.phys, m.size, &src, owners.perms, owners.count))
			return {ret, i, give_back(scm, parcel, i, owners.bitmap)};
	}
	return {};
}

// After the RM reclaim (or a failed share): every entry back to HLOS. The
// first error is returned; the other entries are still given back.
inline Outcome post_mem_reclaim(const gunyah_qcom_scm_ops &scm, const gunyah_rm_mem_parcel &parcel)
{
	Owners owners;
	if (int ret = owners_of(parcel, owners))
		return {ret, 0, 0};
	Outcome out;
	for (unsigned i = 0; i < parcel.n_mem_entries; i++) {
		__u64 src = owners.bitmap;
		const gunyah_rm_mem_entry &m = parcel.mem_entries[i];
		int ret = scm.assign_mem(m.phys, m.size, &src, &hlos_rwx, 1);
		if (ret && !out.error)
			out = {ret, i, 0};
		out.stranded += ret != 0;
	}
	return out;
}

} // namespace armature::gunyah::qcom
