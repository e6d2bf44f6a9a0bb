// SPDX-License-Identifier: GPL-2.0
// The VM manager (vm_mgr.hpp): /dev/gunyah, VM files, user memory lent or
// shared to a VM through the resource manager.
#include "vm_mgr.hpp"

#include <kcpp/alloc.hpp>
#include <kcpp/device.hpp>
#include <kcpp/layout.hpp>
#include <kcpp/static.hpp>
#include <new>
#include <utility>

namespace armature::gunyah {

using kcpp::Error;
using kcpp::Result;
using kcpp::u16;
using kcpp::u32;
using kcpp::u64;
using kcpp::usize;

namespace {

constexpr u64 page_size = KCPP_PAGE_SIZE;

// A refusal the caller caused (bad arguments): dynamic debug, so a careless
// program cannot fill the log.
#define VM_DBG(self, fmt, ...) KCPP_DEV_DBG((self)->dev_, "vm %u: " fmt, (self)->vmid_, ##__VA_ARGS__)
// A failure worth an operator's attention that a user can still cause
// (RLIMIT_MEMLOCK, the RM refusing): rate limited, by one limit for the
// module, as a limit per file or per VM is reset by opening another.
kcpp::Static<kcpp::RateLimit> ratelimit;
#define VM_ERR(self, fmt, ...)                                                 \
	do {                                                                   \
		if (ratelimit->allow())                                        \
			KCPP_DEV_ERR((self)->dev_, "vm %u: " fmt, (self)->vmid_, ##__VA_ARGS__); \
	} while (0)

} // namespace

void VmManager::init() { ratelimit.construct(); }

// --- /dev/gunyah --------------------------------------------------------------

Result<VmManager *> VmManager::create(kcpp_device *kdev)
{
	VmManager *mgr = kcpp::make_bound<VmManager>(kdev, kdev->dev);
	if (!mgr)
		return Error(-ENOMEM);
	auto misc = kcpp::misc_register("gunyah", 0600, kdev->dev,
					&kcpp::file_ops<VmClient, VmManager>, mgr);
	if (!misc) {
		KCPP_DEV_ERR(kdev, "cannot register /dev/gunyah: %d\n", misc.code());
		return misc.error();
	}
	mgr->misc_ = misc.value();
	KCPP_DEV_DBG(kdev, "/dev/gunyah registered\n");
	return mgr;
}

VmManager::~VmManager()
{
	if (misc_)
		kcpp_misc_deregister(misc_);
}

VmClient::VmClient(device *dev) : dev_(kcpp_get_device(dev)) {}

VmClient::~VmClient() { kcpp_put_device(dev_); }

// Called under the misc core's lock: mgr's binding cannot end meanwhile.
Result<VmClient *> VmClient::open(VmManager *mgr)
{
	auto client = kcpp::make<VmClient>(kcpp::gfp::kernel, mgr->dev());
	if (!client)
		return Error(-ENOMEM);
	return client.release();
}

void VmClient::release(VmClient *client) { kcpp::Box<VmClient> drop(client); }

long VmClient::ioctl(unsigned cmd, unsigned long arg)
{
	switch (cmd) {
	case GUNYAH_CREATE_VM: {
		auto fd = create_vm(arg);
		return fd ? fd.value() : fd.code();
	}
	default:
		return -ENOTTY;
	}
}

Result<int> VmClient::create_vm(unsigned long arg)
{
	if (arg) {
		KCPP_DEV_DBG(dev_, "GUNYAH_CREATE_VM: the argument must be 0, not %lu\n", arg);
		return Error(-EINVAL);
	}
	mm_struct *mm = kcpp_current_mm();
	if (!mm)
		return Error(-EINVAL);
	auto got = kcpp::from_err_ptr(gunyah_rm_get());
	if (!got || !got.value()) {
		// The RM was unbound since this file was opened.
		KCPP_DEV_DBG(dev_, "GUNYAH_CREATE_VM: no resource manager bound (%d)\n", got.code());
		return Error(-ENODEV);
	}
	gunyah_rm *rm = got.value();
	u16 vmid = 0;
	int ret = gunyah_rm_alloc_vmid(rm, 0, &vmid);
	if (ret) {
		if (ratelimit->allow())
			KCPP_DEV_ERR(dev_, "GUNYAH_CREATE_VM: the RM gave no VMID: %d\n", ret);
		gunyah_rm_put(rm);
		return Error(ret);
	}
	// From here the Vm owns the RM reference and the VMID.
	auto vm = kcpp::make<Vm>(kcpp::gfp::kernel, dev_, rm, mm, vmid);
	if (!vm) {
		gunyah_rm_dealloc_vmid(rm, vmid);
		gunyah_rm_put(rm);
		return Error(-ENOMEM);
	}
	auto fd = kcpp::anon_getfd("gunyah-vm", &kcpp::file_ops<Vm>, vm.get(), true);
	if (!fd)
		return fd.error();   // vm's destructor gives back the VMID and the reference
	// The file owns the VM now: another thread may already have closed it.
	(void)vm.release();
	KCPP_DEV_DBG(dev_, "vm %u created, fd %d\n", vmid, fd.value());
	return fd.value();
}

// --- a VM ---------------------------------------------------------------------

Vm::Vm(device *dev, gunyah_rm *rm, mm_struct *mm, u16 vmid)
	: dev_(kcpp_get_device(dev)), rm_(rm), mm_(mm), vmid_(vmid)
{
}

// The last reference to the VM file is gone (close, or the process's exit):
// everything it holds goes back.
Vm::~Vm()
{
	{
		kcpp::Guard guard(lock_);
		while (n_regions_) {
			VmRegion *region = regions_[n_regions_ - 1];
			if (!reclaim(*region)) {
				// The RM still has the pages, so they stay pinned
				// for good; the charge goes with the VM.
				KCPP_DEV_ERR(dev_, "vm %u: region %u (%llu pages) not reclaimed: its pages stay pinned\n",
					     vmid_, region->key.label,
					     static_cast<unsigned long long>(region->pages.size()));
				kcpp_account_locked_vm(mm_.get(), region->pages.size(), false);
				pinned_ -= region->pages.size();
				regions_[--n_regions_] = nullptr;
				// Forget the page array without unpinning.
				region->pages.reset();
				kcpp::Box<VmRegion> drop(region);
			}
		}
	}
	// Its memory is back: the VMID can go too (the RM keeps 64 at most).
	if (int ret = gunyah_rm_dealloc_vmid(rm_, vmid_))
		KCPP_DEV_ERR(dev_, "vm %u: the RM refused to deallocate the VMID: %d\n", vmid_, ret);
	KCPP_DEV_DBG(dev_, "vm %u released\n", vmid_);
	gunyah_rm_put(rm_);
	kcpp_put_device(dev_);
}

void Vm::release(Vm *vm) { kcpp::Box<Vm> drop(vm); }

long Vm::ioctl(unsigned cmd, unsigned long arg)
{
	switch (cmd) {
	case GUNYAH_VM_SET_USER_MEM_REGION: {
		auto req = kcpp::copy_from_user<gunyah_userspace_memory_region>(arg);
		if (!req)
			return req.code();
		return set_region(req.value()).code();
	}
	case GUNYAH_VM_GET_INFO: {
		gunyah_vm_info info{};
		{
			kcpp::Guard guard(lock_);
			info.vmid = vmid_;
			info.n_regions = static_cast<u32>(n_regions_);
			info.pinned_pages = pinned_;
		}
		return kcpp::copy_to_user(arg, info).code();
	}
	case GUNYAH_VM_GET_REGION: {
		auto info = kcpp::copy_from_user<gunyah_vm_region_info>(arg);
		if (!info)
			return info.code();
		gunyah_vm_region_info &out = info.value();
		{
			kcpp::Guard guard(lock_);
			VmRegion *region = find(out.label, nullptr);
			if (!region)
				return -ENOENT;
			out.mem_handle = region->parcel.mem_handle;
			out.sgl_entries = region->parcel.n_mem_entries;
			out.flags = region->flags;
			out.pages = region->pages.size();
		}
		return kcpp::copy_to_user(arg, out).code();
	}
	default:
		return -ENOTTY;
	}
}

VmRegion *Vm::find(u32 label, usize *index)
{
	for (usize i = 0; i < n_regions_; i++) {
		if (regions_[i]->key.label == label) {
			if (index)
				*index = i;
			return regions_[i];
		}
	}
	return nullptr;
}

Result<void> Vm::set_region(const gunyah_userspace_memory_region &req)
{
	// Pins and charges are the creator's: another process (a passed
	// descriptor) may not give its memory through this VM.
	if (kcpp_current_mm() != mm_.get()) {
		VM_DBG(this, "memory region from a process other than the VM's creator\n");
		return Error(-EIO);
	}
	kcpp::Guard guard(lock_);
	if (!req.memory_size)
		return remove_region(req.label);
	return add_region(req);
}

Result<void> Vm::add_region(const gunyah_userspace_memory_region &req)
{
	const vm::Invalid why = vm::check_region(req, page_size, kcpp_task_size());
	if (why != vm::Invalid::none) {
		VM_DBG(this, "region %u refused: %s\n", req.label, vm::describe(why));
		return Error(-EINVAL);
	}
	const vm::RegionKey key{req.label, req.guest_phys_addr, req.userspace_addr, req.memory_size};
	const vm::Conflict conflict =
		vm::find_conflict(key, n_regions_, [this](usize i) -> const vm::RegionKey & {
			return regions_[i]->key;
		});
	if (conflict != vm::Conflict::none) {
		VM_DBG(this, "region %u refused: %s\n", req.label, vm::describe(conflict));
		return Error(-EEXIST);
	}
	if (n_regions_ == GUNYAH_VM_MAX_REGIONS) {
		VM_DBG(this, "region %u refused: the VM has %u regions already\n", req.label,
		       GUNYAH_VM_MAX_REGIONS);
		return Error(-ENOSPC);
	}

	auto owned = kcpp::make<VmRegion>(kcpp::gfp::kernel);
	if (!owned)
		return Error(-ENOMEM);
	VmRegion &region = *owned;
	region.key = key;
	region.flags = req.flags;
	const usize n = req.memory_size / page_size;

	int ret = kcpp_account_locked_vm(mm_.get(), n, true);
	if (ret) {
		VM_ERR(this, "region %u: %zu pages exceed RLIMIT_MEMLOCK\n", req.label, n);
		return Error(ret);
	}
	if (!region.pages.allocate(n)) {
		kcpp_account_locked_vm(mm_.get(), n, false);
		return Error(-ENOMEM);
	}
	if (auto pinned = pin(region); !pinned) {
		region.pages.reset();
		kcpp_account_locked_vm(mm_.get(), n, false);
		return pinned.error();
	}
	if (auto built = build_parcel(region); !built) {
		unpin(region);
		return built.error();
	}
	ret = gunyah_rm_mem_share(rm_, &region.parcel);
	if (ret) {
		VM_ERR(this, "region %u: the RM refused to %s %zu pages (%u entries): %d\n",
		       req.label, (req.flags & GUNYAH_MEM_LENT) ? "lend" : "share", n,
		       region.parcel.n_mem_entries, ret);
		if (region.parcel.mem_handle != GUNYAH_RM_INVALID_HANDLE || ret == -ETIMEDOUT) {
			// A parcel with the pages may exist (one that could not be
			// reclaimed, or one the RM never confirmed): the other VM
			// may still reach them, so they stay pinned for good, as in
			// ~Vm; the charge goes.
			KCPP_DEV_ERR(dev_, "vm %u: region %u (%zu pages) may be left with the RM (parcel %d): its pages stay pinned\n",
				     vmid_, req.label, n, static_cast<int>(region.parcel.mem_handle));
			region.pages.reset();
			region.sgl.reset();
			kcpp_account_locked_vm(mm_.get(), n, false);
			return Error(ret);
		}
		unpin(region);
		return Error(ret);
	}
	regions_[n_regions_++] = owned.release();
	pinned_ += n;
	VM_DBG(this, "region %u: %s %zu pages at guest %#llx, %u entries, handle %u\n", req.label,
	       (req.flags & GUNYAH_MEM_LENT) ? "lent" : "shared", n,
	       static_cast<unsigned long long>(req.guest_phys_addr), region.parcel.n_mem_entries,
	       region.parcel.mem_handle);
	return {};
}

// Pins every page of the region, which must be private anonymous memory,
// checked under the same mmap lock as the pin (no mapping can change in
// between). All or nothing.
Result<void> Vm::pin(VmRegion &region)
{
	mm_struct *mm = mm_.get();
	const u64 start = region.key.user, end = start + region.key.size;
	const usize n = region.pages.size();

	KCPP_TRY(kcpp::to_result(kcpp_mmap_read_lock_killable(mm)));
	int err = 0;
	bool refused = false;   // by the mapping check, logged already
	for (u64 addr = start; addr < end && !err;) {
		kcpp_vma_info vma{};
		if (kcpp_vma_lookup(mm, addr, &vma)) {
			VM_DBG(this, "region %u refused: %#llx is not mapped\n", region.key.label,
			       static_cast<unsigned long long>(addr));
			err = -EFAULT;
			refused = true;
		} else if (!vma.anonymous || vma.io) {
			VM_DBG(this, "region %u refused: %#llx is not private anonymous memory\n",
			       region.key.label, static_cast<unsigned long long>(addr));
			err = -EINVAL;
			refused = true;
		}
		addr = vma.end;
	}
	usize done = 0;
	while (!err && done < n) {
		long got = kcpp_pin_user_pages_longterm(start + done * page_size, n - done,
							region.pages.data() + done);
		if (got <= 0)
			err = got ? static_cast<int>(got) : -EFAULT;
		else
			done += static_cast<usize>(got);
	}
	kcpp_mmap_read_unlock(mm);
	if (err) {
		if (!refused)
			VM_ERR(this, "region %u: pinned %zu of %zu pages: %d\n", region.key.label, done,
			       n, err);
		kcpp_unpin_user_pages(region.pages.data(), done, false);
	}
	return kcpp::to_result(err);
}

Result<void> Vm::build_parcel(VmRegion &region)
{
	auto phys_of = [&region](usize i) { return kcpp_page_to_phys(region.pages[i]); };
	const usize entries =
		vm::build_sgl(region.pages.size(), page_size, phys_of, [](u64, u64) {});
	if (!region.sgl.allocate(entries))
		return Error(-ENOMEM);
	usize i = 0;
	vm::build_sgl(region.pages.size(), page_size, phys_of, [&region, &i](u64 phys, u64 size) {
		region.sgl[i].phys = phys;
		region.sgl[i].size = size;
		i++;
	});
	region.parcel.mem_type = GUNYAH_RM_MEM_TYPE_NORMAL;
	region.parcel.label = region.key.label;
	region.parcel.n_acl_entries = static_cast<u32>(vm::make_acl(region.flags, vmid_, region.acl));
	region.parcel.acl_entries = region.acl;
	region.parcel.n_mem_entries = static_cast<u32>(entries);
	region.parcel.mem_entries = region.sgl.data();
	return {};
}

// Unpins and uncharges the pages of a region the RM does not hold, and
// frees its arrays.
void Vm::unpin(VmRegion &region)
{
	const usize n = region.pages.size();
	kcpp_unpin_user_pages(region.pages.data(), n, region.flags & GUNYAH_MEM_ALLOW_WRITE);
	region.pages.reset();
	region.sgl.reset();
	kcpp_account_locked_vm(mm_.get(), n, false);
}

Result<void> Vm::reclaim(VmRegion &region)
{
	int ret = gunyah_rm_mem_reclaim(rm_, &region.parcel);
	if (ret) {
		VM_ERR(this, "region %u: the RM refused to reclaim handle %u: %d\n", region.key.label,
		       region.parcel.mem_handle, ret);
		return Error(ret);
	}
	usize index = 0;
	find(region.key.label, &index);
	pinned_ -= region.pages.size();
	unpin(region);
	regions_[index] = regions_[--n_regions_];
	regions_[n_regions_] = nullptr;
	kcpp::Box<VmRegion> drop(&region);
	return {};
}

Result<void> Vm::remove_region(u32 label)
{
	VmRegion *region = find(label, nullptr);
	if (!region) {
		VM_DBG(this, "no region %u to reclaim\n", label);
		return Error(-ENOENT);
	}
	return reclaim(*region);
}

} // namespace armature::gunyah
