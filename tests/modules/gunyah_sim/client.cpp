// SPDX-License-Identifier: GPL-2.0
// gunyah_sim_client (tests only): drives gunyah_rsc_mgr's in-kernel API the
// way a kernel user would, for guest tests of the RM client against the
// simulator without /dev/gunyah: a VMID allocated once, then one parcel at
// a time of N separately allocated pages, lent (ACL: that VM) or shared
// (ACL: this VM and that one), kept until reclaimed so that a test can look
// at the simulator's and the secure world's records in between.
#include <kcpp/alloc.hpp>
#include <kcpp/errno.hpp>
#include <kcpp/layout.hpp>
#include <kcpp/log.hpp>
#include <kcpp/memory.h>

#include "client.h"
#include "gunyah.h"

namespace {

// Each entry is a whole page of the kernel's (order 0), as the VM manager lends.
constexpr __u64 page_bytes = KCPP_PAGE_SIZE;

struct Held {
	gunyah_rm *rm = nullptr;
	gunyah_rm_mem_parcel parcel{};
	gunyah_rm_acl_entry acl[2]{};
	void **pages = nullptr;
	bool shared = false;  // the RM has the parcel
};

constinit Held held;
constinit __u16 vmid = 0;

bool is_err(const void *p) { return reinterpret_cast<unsigned long>(p) >= static_cast<unsigned long>(-4095); }

void free_pages(Held &h)
{
	for (unsigned i = 0; h.pages && i < h.parcel.n_mem_entries; i++)
		if (h.pages[i])
			kcpp_free_pages(h.pages[i], 0);
	kcpp_kfree(h.pages);
	kcpp_kfree(h.parcel.mem_entries);
	h.pages = nullptr;
	h.parcel.mem_entries = nullptr;
	if (h.rm)
		gunyah_rm_put(h.rm);
	h = Held{};
}

} // namespace

extern "C" {

int gunyah_sim_client_share(unsigned pages, bool lend)
{
	if (held.rm)
		return -EBUSY;
	if (!pages)
		return -EINVAL;
	gunyah_rm *rm = gunyah_rm_get();
	if (is_err(rm))
		return static_cast<int>(reinterpret_cast<long>(rm));
	held.rm = rm;
	if (int ret = gunyah_sim_client_prepare()) {
		KCPP_ERR("gunyah_sim_client: VM allocate: %d\n", ret);
		free_pages(held);
		return ret;
	}
	held.pages = static_cast<void **>(kcpp_kmalloc(pages * sizeof(void *), kcpp::gfp::kernel | kcpp::gfp::zero));
	held.parcel.mem_entries = static_cast<gunyah_rm_mem_entry *>(
		kcpp_kmalloc(pages * sizeof(gunyah_rm_mem_entry), kcpp::gfp::kernel));
	held.parcel.n_mem_entries = pages;
	if (!held.pages || !held.parcel.mem_entries) {
		free_pages(held);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < pages; i++) {
		held.pages[i] = kcpp_alloc_pages(-1, kcpp::gfp::kernel | kcpp::gfp::zero, 0);
		if (!held.pages[i]) {
			free_pages(held);
			return -ENOMEM;
		}
		held.parcel.mem_entries[i] = {kcpp_virt_to_phys(held.pages[i]), page_bytes};
	}
	held.parcel.mem_type = GUNYAH_RM_MEM_TYPE_NORMAL;
	held.parcel.label = 0x5133;
	held.parcel.acl_entries = held.acl;
	if (lend) {
		held.acl[0] = {vmid, GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W | GUNYAH_RM_ACL_X};
		held.parcel.n_acl_entries = 1;
	} else {
		held.acl[0] = {GUNYAH_VMID_HLOS, GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W | GUNYAH_RM_ACL_X};
		held.acl[1] = {vmid, GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W};
		held.parcel.n_acl_entries = 2;
	}
	int ret = gunyah_rm_mem_share(rm, &held.parcel);
	if (ret) {
		free_pages(held);
		return ret;
	}
	held.shared = true;
	return 0;
}

int gunyah_sim_client_reclaim()
{
	if (!held.shared)
		return -ENOENT;
	int ret = gunyah_rm_mem_reclaim(held.rm, &held.parcel);
	if (ret)
		return ret;  // still the RM's: the pages stay allocated
	free_pages(held);
	return 0;
}

int gunyah_sim_client_round(unsigned index)
{
	gunyah_rm *rm = gunyah_rm_get();
	if (is_err(rm))
		return static_cast<int>(reinterpret_cast<long>(rm));
	int ret = -ENOMEM;
	void *mem = kcpp_alloc_pages(-1, kcpp::gfp::kernel | kcpp::gfp::zero, 0);
	if (mem) {
		gunyah_rm_mem_entry entry = {kcpp_virt_to_phys(mem), page_bytes};
		gunyah_rm_acl_entry acl[2] = {
			{GUNYAH_VMID_HLOS, GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W},
			{__atomic_load_n(&vmid, __ATOMIC_ACQUIRE), GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W},
		};
		// Odd rounds lend (the other VM alone), even ones share.
		const bool lend = index & 1;
		gunyah_rm_mem_parcel parcel = {
			.mem_type = GUNYAH_RM_MEM_TYPE_NORMAL,
			.label = index,
			.n_acl_entries = lend ? 1u : 2u,
			.acl_entries = lend ? acl + 1 : acl,
			.n_mem_entries = 1,
			.mem_entries = &entry,
			.mem_handle = 0,
		};
		ret = gunyah_rm_mem_share(rm, &parcel);
		if (!ret) {
			ret = gunyah_rm_mem_reclaim(rm, &parcel);
			if (ret)
				mem = nullptr;  // still lent: leaked, never reused
		}
		if (mem)
			kcpp_free_pages(mem, 0);
	}
	gunyah_rm_put(rm);
	return ret;
}

int gunyah_sim_client_prepare()
{
	if (vmid)
		return 0;
	gunyah_rm *rm = gunyah_rm_get();
	if (is_err(rm))
		return static_cast<int>(reinterpret_cast<long>(rm));
	__u16 got;
	int ret = gunyah_rm_alloc_vmid(rm, 0, &got);
	if (!ret)
		__atomic_store_n(&vmid, got, __ATOMIC_RELEASE);
	gunyah_rm_put(rm);
	return ret;
}

unsigned gunyah_sim_client_handle()
{
	return held.shared ? held.parcel.mem_handle : ~0u;
}

unsigned gunyah_sim_client_vmid()
{
	return vmid;
}

void gunyah_sim_client_exit()
{
	// A parcel still lent at unload: reclaim it, or leak the pages rather
	// than free memory another VM may hold.
	if (held.shared && gunyah_sim_client_reclaim())
		KCPP_ERR("gunyah_sim_client: parcel %u not reclaimed at unload: its pages are leaked\n",
			 held.parcel.mem_handle);
	else if (held.rm)
		free_pages(held);
}

} // extern "C"
