// SPDX-License-Identifier: GPL-2.0
// The VM manager: /dev/gunyah (mode 0600), its VM file descriptors, and the
// anonymous user memory each VM is lent or shared (include/uapi/linux/gunyah.h).
//
// The RM core creates it last in probe, once the platform ops are bound:
//
//   KCPP_TRY(VmManager::create(kdev));
//
// and it goes first at unbind (a device action): /dev/gunyah is deregistered
// before the binding's RM reference is dropped. Files already open keep
// working: a /dev/gunyah file refers to nothing of the manager (its
// GUNYAH_CREATE_VM takes a new RM reference with gunyah_rm_get(), ENODEV
// once no RM is bound), and each VM file holds its RM reference until its
// release has reclaimed the VM's memory. Each file also pins this module.
#pragma once

#include "gunyah.h"
#include "vm_region.hpp"
#include <kcpp/device.h>
#include <kcpp/log.hpp>
#include <kcpp/lock.hpp>
#include <kcpp/misc.hpp>
#include <kcpp/result.hpp>
#include <kcpp/user_pages.hpp>

namespace armature::gunyah {

class VmManager {
public:
	// Registers /dev/gunyah for dev's binding; deregistered at unbind.
	static kcpp::Result<VmManager *> create(kcpp_device *dev);
	// Module init, before any create(): the log's rate limit.
	static void init();

	explicit VmManager(device *dev) : dev_(dev) {}
	~VmManager();
	VmManager(const VmManager &) = delete;
	VmManager &operator=(const VmManager &) = delete;

	device *dev() const { return dev_; }

private:
	device *dev_;
	kcpp_misc *misc_ = nullptr;
};

// An open /dev/gunyah.
class VmClient {
public:
	static kcpp::Result<VmClient *> open(VmManager *mgr);
	static void release(VmClient *client);
	long ioctl(unsigned cmd, unsigned long arg);

	explicit VmClient(device *dev);
	~VmClient();
	VmClient(const VmClient &) = delete;
	VmClient &operator=(const VmClient &) = delete;

private:
	kcpp::Result<int> create_vm(unsigned long arg);

	device *dev_;  // referenced
};

// A region of user memory a VM holds: pinned, charged, lent or shared.
struct VmRegion {
	vm::RegionKey key{};
	kcpp::u32 flags = 0;
	kcpp::KvArray<page *> pages;
	kcpp::KvArray<gunyah_rm_mem_entry> sgl;
	gunyah_rm_acl_entry acl[2]{};
	gunyah_rm_mem_parcel parcel{};
};

// A VM file.
class Vm {
public:
	Vm(device *dev, gunyah_rm *rm, mm_struct *mm, kcpp::u16 vmid);
	~Vm();
	Vm(const Vm &) = delete;
	Vm &operator=(const Vm &) = delete;

	static void release(Vm *vm);
	long ioctl(unsigned cmd, unsigned long arg);

private:
	kcpp::Result<void> set_region(const gunyah_userspace_memory_region &req);
	kcpp::Result<void> add_region(const gunyah_userspace_memory_region &req);
	kcpp::Result<void> remove_region(kcpp::u32 label);
	kcpp::Result<void> pin(VmRegion &region);
	kcpp::Result<void> build_parcel(VmRegion &region);
	void unpin(VmRegion &region);
	// RM reclaim, then unpin and uncharge; on an RM error the pages stay
	// pinned (the other VM may still hold them) and the region stays.
	kcpp::Result<void> reclaim(VmRegion &region);
	VmRegion *find(kcpp::u32 label, kcpp::usize *index);

	device *dev_;       // referenced
	gunyah_rm *rm_;     // referenced
	kcpp::MmRef mm_;    // the creator's: pins and locked_vm are its
	kcpp::u16 vmid_;
	kcpp::Mutex lock_{KCPP_LOCK_CLASS("gunyah_vm")};
	VmRegion *regions_[GUNYAH_VM_MAX_REGIONS] = {};
	kcpp::usize n_regions_ = 0;
	kcpp::u64 pinned_ = 0;
};

} // namespace armature::gunyah
