// SPDX-License-Identifier: GPL-2.0
// gunyah_sim_scm (tests only): a Qualcomm secure world's memory assignment,
// pure. It records the owners of every 4 KiB page (a bitmap of VMIDs; a page
// never assigned belongs to HLOS, VMID 3, alone) and does what
// qcom_scm_assign_mem() asks the firmware: [phys, phys + size) goes from
// the owners *srcvm names to the VMIDs of newvm, and *srcvm becomes the new
// owners. As the firmware would, it refuses (-EINVAL), changing nothing: an
// unaligned or empty range, no destination, a destination VMID above 63, or
// a page whose recorded owners are not exactly *srcvm. A test can make the
// Nth call from now fail (-EIO) before anything is looked at.
#pragma once

#include <kcpp/errno.hpp>
#include <kcpp/types.hpp>

#include "qcom.h"

namespace armature::gunyah::sim {

using kcpp::u64;
using kcpp::usize;

// Env: static void *alloc(usize bytes) (nullptr on failure), static void free(void *).
template <typename Env>
class ScmModel {
public:
	static constexpr u64 page = 4096;
	static constexpr u64 hlos = u64{1} << GUNYAH_QCOM_VMID_HLOS;

	struct Page {
		u64 pfn;
		u64 owners;
	};

	struct Stats {
		unsigned long calls = 0, refused = 0, injected = 0;
	};

	ScmModel() = default;
	~ScmModel()
	{
		if (pages_)
			Env::free(pages_);
	}
	ScmModel(const ScmModel &) = delete;
	ScmModel &operator=(const ScmModel &) = delete;

	unsigned fail_nth = 0;  // the fail_nth-th call from now fails (0: off)

	int assign(u64 phys, u64 size, u64 *srcvm, const gunyah_qcom_vmperm *newvm, unsigned n)
	{
		stats_.calls++;
		if (fail_nth && --fail_nth == 0) {
			stats_.injected++;
			return -EIO;
		}
		u64 owners = 0;
		for (unsigned i = 0; i < n; i++) {
			if (newvm[i].vmid < 0 || newvm[i].vmid > 63) {
				stats_.refused++;
				return -EINVAL;
			}
			owners |= u64{1} << newvm[i].vmid;
		}
		if (!srcvm || !n || !size || (phys | size) % page || phys + size < phys) {
			stats_.refused++;
			return -EINVAL;
		}
		const u64 first = phys / page, count = size / page;
		for (u64 i = 0; i < count; i++) {
			if (owners_of(first + i) != *srcvm) {
				stats_.refused++;
				return -EINVAL;
			}
		}
		// Room for every page first, so that nothing changes on failure.
		if (owners != hlos && !reserve(n_ + count))
			return -ENOMEM;
		for (u64 i = 0; i < count; i++)
			set(first + i, owners);
		*srcvm = owners;
		return 0;
	}

	u64 owners_of(u64 pfn) const
	{
		usize i = lower_bound(pfn);
		return i < n_ && pages_[i].pfn == pfn ? pages_[i].owners : hlos;
	}
	// Pages not owned by HLOS alone, in address order.
	usize count() const { return n_; }
	const Page &at(usize i) const { return pages_[i]; }
	const Stats &stats() const { return stats_; }

private:
	usize lower_bound(u64 pfn) const
	{
		usize lo = 0, hi = n_;
		while (lo < hi) {
			usize mid = lo + (hi - lo) / 2;
			if (pages_[mid].pfn < pfn)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo;
	}

	bool reserve(usize want)
	{
		if (want <= cap_)
			return true;
		usize cap = cap_ ? cap_ : 64;
		while (cap < want)
			cap *= 2;
		auto *grown = static_cast<Page *>(Env::alloc(cap * sizeof(Page)));
		if (!grown)
			return false;
		for (usize i = 0; i < n_; i++)
			grown[i] = pages_[i];
		if (pages_)
			Env::free(pages_);
		pages_ = grown;
		cap_ = cap;
		return true;
	}

	void set(u64 pfn, u64 owners)
	{
		usize i = lower_bound(pfn);
		bool present = i < n_ && pages_[i].pfn == pfn;
		if (owners == hlos) {
			if (present) {
				for (usize j = i; j + 1 < n_; j++)
					pages_[j] = pages_[j + 1];
				n_--;
			}
			return;
		}
		if (present) {
			pages_[i].owners = owners;
			return;
		}
		for (usize j = n_; j > i; j--)
			pages_[j] = pages_[j - 1];
		pages_[i] = {pfn, owners};
		n_++;
	}

	Page *pages_ = nullptr;
	usize n_ = 0, cap_ = 0;
	Stats stats_;
};

} // namespace armature::gunyah::sim
