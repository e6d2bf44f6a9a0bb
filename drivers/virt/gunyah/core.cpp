// SPDX-License-Identifier: GPL-2.0
// gunyah_rsc_mgr's core: the registries of platform ops and of hypervisors
// reached without firmware, and the platform driver on the RM's devicetree
// node. A probe binds, once, the hypervisor and the platform ops that the
// hypervisor's identification names; until both exist the device stays
// deferred, with the reason in devices_deferred, and nothing is exposed.
#include <kcpp/device.hpp>
#include <kcpp/module.hpp>
#include <kcpp/name.hpp>
#include <kcpp/static.hpp>

#include "core.h"
#include "hypercall.hpp"
#include "platform.hpp"
#include "rm.hpp"
#include "vm_mgr.hpp"

using namespace armature::gunyah;

namespace {

kcpp::Static<PlatformRegistry> platforms;
kcpp::Static<HypervisorRegistry> hypervisors;

// Probing requests platform modules, and module_init must not wait for
// another module to load: the driver registers from a work item. The same
// work item probes the deferred RM again when something it waits for
// registers (a platform module or a hypervisor), which the kernel's
// deferred-probe list does not notice: loading a module binds no device.
struct Driver {
	kcpp::Work work{[](work_struct *) { driver->attach(); },
			KCPP_LOCK_CLASS("gunyah_rsc_mgr_attach")};
	kcpp::Mutex lock{KCPP_LOCK_CLASS("gunyah_rsc_mgr_driver")};
	bool registered = false;
	bool stopping = false;

	void attach()
	{
		kcpp::Guard held(lock);
		if (stopping)
			return;
		if (!registered) {
			int ret = kcpp_platform_driver_register(&gunyah_rm_driver,
								kcpp::this_module());
			if (ret)
				KCPP_ERR("gunyah_rsc_mgr: cannot register the platform driver: %d\n",
					 ret);
			registered = !ret;
			return;
		}
		kcpp_platform_driver_attach(&gunyah_rm_driver);
	}

	static kcpp::Static<Driver> driver;
};
constinit kcpp::Static<Driver> Driver::driver;

// The module alias of a platform's ops: GUNYAH_PLATFORM_ALIAS of its UUID.
kcpp::NameBuf<56> platform_alias(const Uuid &uuid)
{
	kcpp::NameBuf<56> alias;
	alias.append("gunyah-platform-");
	for (unsigned i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			alias.append("-");
		if (uuid.b[i] < 0x10)
			alias.append("0");
		alias.append_uint(uuid.b[i], 16);
	}
	return alias;
}

constexpr gunyah_platform_ops null_ops = {};

// The bound RM, for gunyah_rm_get(): one at most, as one hypervisor runs us.
struct Bound {
	kcpp::Mutex lock{KCPP_LOCK_CLASS("gunyah_rm_bound")};
	Rm *rm = nullptr;
	// RMs not yet freed, the bound one and any an unbind left to its open
	// VM files (which still own the interrupts and the queues).
	unsigned live = 0;
	bool waiting = false;  // a probe deferred until they are gone
};
kcpp::Static<Bound> bound;

class Binder {
public:
	// The hypervisor (the firmware's, else one registered in the kernel),
	// its platform ops (requested by alias when absent), then the RM on
	// the node's capabilities and interrupts, then /dev/gunyah. Until the
	// hypervisor and the ops exist the device is deferred, with the reason.
	static int probe(kcpp_device *dev)
	{
		{
			kcpp::Guard held(bound->lock);
			if (bound->rm)
				return kcpp_dev_err_probe(dev->dev, -EBUSY,
							  "another RM is bound: one hypervisor runs this VM\n");
			if (bound->live) {
				bound->waiting = true;
				return kcpp_dev_err_probe(dev->dev, -KCPP_EPROBE_DEFER,
							  "the previous RM is still in use by open VM files\n");
			}
		}
		Hypercalls hyp = firmware_hypercalls();
		Identity id = hyp.identify();
		HypervisorRegistry::Handle software;
		if (!id.is_gunyah) {
			auto found = hypervisors->get(HypervisorSlot{});
			if (!found)
				return kcpp_dev_err_probe(dev->dev, -KCPP_EPROBE_DEFER,
							  "no Gunyah hypervisor: %s\n", id.reason);
			software = std::move(found.value());
			hyp = in_kernel_hypercalls(software->call);
			id = hyp.identify();
			if (!id.is_gunyah)
				return kcpp_dev_err_probe(dev->dev, -ENODEV,
							  "the in-kernel hypervisor is not Gunyah: %s\n",
							  id.reason);
		}

		__u64 caps[2];
		int ret = kcpp_device_property_read_u64_array(dev, "reg", caps, 2);
		if (ret)
			return kcpp_dev_err_probe(dev->dev, ret,
						  "reg: no TX and RX capability IDs (%d)\n", ret);
		int tx_irq = kcpp_device_irq(dev, 0);
		if (tx_irq < 0)
			return kcpp_dev_err_probe(dev->dev, tx_irq, "no TX interrupt\n");
		int rx_irq = kcpp_device_irq(dev, 1);
		if (rx_irq < 0)
			return kcpp_dev_err_probe(dev->dev, rx_irq, "no RX interrupt\n");

		// Plain Gunyah needs no ops: it binds the null ones, with no module
		// to pin.
		PlatformRegistry::Handle ops;
		PlatformBinding binding{&null_ops, nullptr};
		if (id.platform != armature::gunyah::gunyah_uuid) {
			kcpp::NameBuf<56> alias = platform_alias(id.platform);
			auto found = platforms->get(id.platform, alias.c_str());
			if (!found)
				return kcpp_dev_err_probe(dev->dev, -KCPP_EPROBE_DEFER,
							  "no platform ops for this hypervisor (%s): %d\n",
							  alias.c_str(), found.code());
			ops = std::move(found.value());
			binding.ops = ops.get();
		}
		if (binding.ops->bind) {
			const char *reason = "the platform ops refused to bind";
			ret = binding.ops->bind(&binding.state, &reason);
			if (ret)
				return kcpp_dev_err_probe(dev->dev, ret, "%s (%d)\n", reason, ret);
		}

		const bool in_kernel = static_cast<bool>(software);
		auto rm = Rm::create({
			.hyp = hyp,
			.tx_cap = caps[0],
			.rx_cap = caps[1],
			.tx_irq = tx_irq,
			.rx_irq = rx_irq,
			.platform = binding,
			.platform_handle = std::move(ops),
			.hypervisor_handle = std::move(software),
			.dev = dev->dev,
			.released = released,
		});
		if (!rm)
			return kcpp_dev_err_probe(dev->dev, rm.code(), "cannot set up the RM: %d\n",
						  rm.code());
		ret = publish(dev, rm.value());
		if (ret)
			return ret;
		// Last: userspace sees /dev/gunyah only once everything it needs is
		// bound, and unbind removes it first.
		auto vms = VmManager::create(dev);
		if (!vms)
			return vms.code();
		KCPP_DEV_INFO(dev, "Gunyah API %u, %s platform ops, %s hypervisor\n",
			      id.api.version(), id.is_qcom() ? "Qualcomm" : "null",
			      in_kernel ? "in-kernel" : "firmware");
		return 0;
	}

private:
	// The last reference to an RM went: an RM device waiting for it binds.
	static void released()
	{
		bool retry;
		{
			kcpp::Guard held(bound->lock);
			retry = !--bound->live && bound->waiting;
			bound->waiting &= !retry;
		}
		if (retry)
			gunyah_rm_retry_bind();
	}

	// Publishes rm for gunyah_rm_get() until unbind, which then drops the
	// binding's reference.
	static int publish(kcpp_device *dev, Rm *rm)
	{
		{
			kcpp::Guard held(bound->lock);
			bound->rm = rm;
			bound->live++;
		}
		return kcpp_device_add_action(dev, [](void *p) {
			{
				kcpp::Guard held(bound->lock);
				bound->rm = nullptr;
			}
			static_cast<Rm *>(p)->put();
		}, rm);
	}
};

Rm *from_c(gunyah_rm *rm)
{
	return reinterpret_cast<Rm *>(rm);
}

} // namespace

extern "C" {

const kcpp_driver_ops gunyah_rm_driver_ops = kcpp::driver_ops<Binder>;

int gunyah_rsc_mgr_init()
{
	platforms.construct(KCPP_LOCK_CLASS("gunyah_platforms"));
	hypervisors.construct(KCPP_LOCK_CLASS("gunyah_hypervisors"));
	bound.construct();
	VmManager::init();
	Driver::driver.construct().work.queue_unbound();
	return 0;
}

void gunyah_rsc_mgr_exit()
{
	Driver &d = *Driver::driver;
	{
		kcpp::Guard held(d.lock);
		d.stopping = true;
	}
	d.work.flush();
	if (d.registered)
		kcpp_platform_driver_unregister(&gunyah_rm_driver);
	// The unbind's release of the RM queued the work again (it returns at
	// once, stopping).
	d.work.flush();
	Driver::driver.destroy();
	bound.destroy();
	hypervisors.destroy();
	platforms.destroy();
}

void gunyah_rm_retry_bind()
{
	Driver::driver->work.queue_unbound();
}

int gunyah_platform_register(gunyah_platform *platform)
{
	int ret = platforms->add(*platform).code();
	if (!ret)
		gunyah_rm_retry_bind();
	return ret;
}

void gunyah_platform_unregister(gunyah_platform *platform)
{
	platforms->remove(*platform);
}

int gunyah_hypervisor_register(gunyah_hypervisor *hyp)
{
	int ret = hypervisors->add(*hyp).code();
	if (!ret)
		gunyah_rm_retry_bind();
	return ret;
}

void gunyah_hypervisor_unregister(gunyah_hypervisor *hyp)
{
	hypervisors->remove(*hyp);
}

gunyah_rm *gunyah_rm_get()
{
	kcpp::Guard held(bound->lock);
	if (!bound->rm)
		return kcpp::err_ptr<gunyah_rm>(-KCPP_EPROBE_DEFER);
	if (!kcpp_module_get(kcpp::this_module()))
		return kcpp::err_ptr<gunyah_rm>(-ENODEV);
	bound->rm->get();
	return reinterpret_cast<gunyah_rm *>(bound->rm);
}

void gunyah_rm_put(gunyah_rm *rm)
{
	from_c(rm)->put();
	kcpp_module_put(kcpp::this_module());
}

int gunyah_rm_mem_share(gunyah_rm *rm, gunyah_rm_mem_parcel *parcel)
{
	return from_c(rm)->mem_share(parcel);
}

int gunyah_rm_mem_reclaim(gunyah_rm *rm, gunyah_rm_mem_parcel *parcel)
{
	return from_c(rm)->mem_reclaim(parcel);
}

int gunyah_rm_alloc_vmid(gunyah_rm *rm, __u16 vmid, __u16 *allocated)
{
	return from_c(rm)->alloc_vmid(vmid, allocated);
}

int gunyah_rm_dealloc_vmid(gunyah_rm *rm, __u16 vmid)
{
	return from_c(rm)->dealloc_vmid(vmid);
}

} // extern "C"
