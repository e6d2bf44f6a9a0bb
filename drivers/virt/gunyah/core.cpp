// SPDX-License-Identifier: GPL-2.0
// gunyah_rsc_mgr's core: the registries of platform ops and of hypervisors
// reached without firmware, and the platform driver on the RM's devicetree
// node. A probe binds, once, the hypervisor and the platform ops that the
// hypervisor's identification names; until both exist the device stays
// deferred, with the reason in devices_deferred, and nothing is exposed.
#include <kcpp/device.hpp>
#include <kcpp/module.hpp>
#include <kcpp/static.hpp>

#include "core.h"
#include "platform.hpp"

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

class Instance {
public:
	static int probe(kcpp_device *dev)
	{
		return kcpp_dev_err_probe(dev->dev, -KCPP_EPROBE_DEFER,
					  "no hypervisor call layer yet\n");
	}
};

} // namespace

extern "C" {

const kcpp_driver_ops gunyah_rm_driver_ops = kcpp::driver_ops<Instance>;

int gunyah_rsc_mgr_init()
{
	platforms.construct(KCPP_LOCK_CLASS("gunyah_platforms"));
	hypervisors.construct(KCPP_LOCK_CLASS("gunyah_hypervisors"));
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
	Driver::driver.destroy();
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
	return nullptr;
}

void gunyah_rm_put(gunyah_rm *) {}

int gunyah_rm_mem_share(gunyah_rm *, gunyah_rm_mem_parcel *)
{
	return -ENODEV;
}

int gunyah_rm_mem_reclaim(gunyah_rm *, gunyah_rm_mem_parcel *)
{
	return -ENODEV;
}

int gunyah_rm_alloc_vmid(gunyah_rm *, __u16, __u16 *)
{
	return -ENODEV;
}

} // extern "C"
