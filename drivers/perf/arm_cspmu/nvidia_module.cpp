// SPDX-License-Identifier: GPL-2.0
// nvidia_cspmu: registers the NVIDIA backend (nvidia.hpp) with the core
// under NVIDIA's JEP106 implementer code.
#include <kcpp/alloc.hpp>
#include <kcpp/device.hpp>
#include "backend.hpp"
#include "nvidia.hpp"
#include "nvidia_module.h"

using namespace armature::cspmu;

namespace {

// Generic PMUs are numbered in probe order for the module's lifetime, as
// upstream does; PMUs of a known product do not take a number.
constinit u32 next_generic_index = 0;

void report_no_address_filter(const Pmu &pmu, u64 base, u64 mask)
{
	KCPP_DEV_ERR_RATELIMITED(pmu.dev(),
				       "no free address filter for base 0x%llx mask 0x%llx; "
				       "the counter counts nothing\n",
				       static_cast<unsigned long long>(base),
				       static_cast<unsigned long long>(mask));
}

// PCIe-TGT address filters live in the ACPI device's memory resource.
// Without one the PMU still counts, without dst_addr_en.
int attach_address_filters(Pmu &pmu)
{
	void *frame = nullptr;
	__u64 size = 0;
	acpi_device *adev = pmu.firmware().acpi_dev;
	int ret = adev ? kcpp_acpi_device_map(pmu.dev(), adev, &frame, &size) : -ENODEV;
	if (ret == -ENODEV || ret == -ENOENT) {
		KCPP_DEV_INFO(pmu.dev(), "no ACPI device memory resource with address "
				    "filters; dst_addr_en is refused\n");
		return 0;
	}
	if (ret) {
		KCPP_DEV_ERR(pmu.dev(), "cannot map the address filters: %d\n", ret);
		return ret;
	}
	if (size < nvidia::pcie_tgt::addr_frame_size) {
		KCPP_DEV_ERR(pmu.dev(), "address-filter frame is %llu bytes; it needs %llu\n",
				   static_cast<unsigned long long>(size),
				   static_cast<unsigned long long>(nvidia::pcie_tgt::addr_frame_size));
		return -EINVAL;
	}
	auto filters = kcpp::make<nvidia::pcie_tgt::AddressFilters>(kcpp::gfp::kernel, frame,
								      report_no_address_filter);
	if (!filters)
		return -ENOMEM;
	pmu.set_backend_state(filters.release());
	return 0;
}

int backend_init(Pmu &pmu)
{
	const nvidia::Variant &v = nvidia::match(pmu.pmiidr());
	u32 index = 0;
	if (v.naming == nvidia::Naming::generic)
		index = __atomic_fetch_add(&next_generic_index, 1, __ATOMIC_RELAXED);
	int ret = nvidia::init(pmu, index);
	if (ret == -ENODEV && v.naming == nvidia::Naming::socket_inst)
		KCPP_DEV_ERR(pmu.dev(),
				   "PMIIDR 0x%x: %s<socket>_rc_<instance> needs an \"instance_id\" "
				   "from firmware, and there is none\n",
				   pmu.pmiidr(), v.name);
	else if (ret)
		KCPP_DEV_ERR(pmu.dev(), "PMIIDR 0x%x: cannot set up %s PMU: %d\n",
				   pmu.pmiidr(), v.name, ret);
	else if (v.address_filters)
		ret = attach_address_filters(pmu);
	return ret;
}

void backend_release(Pmu &pmu)
{
	kcpp::Box<nvidia::pcie_tgt::AddressFilters> filters(
		pmu.backend_state<nvidia::pcie_tgt::AddressFilters>());
	pmu.set_backend_state(nullptr);
}

constexpr Backend backend = {
	.init = backend_init,
	.release = backend_release,
};

constinit armature_cspmu_backend entry{implementer_nvidia, &backend, &__this_module};

} // namespace

int nvidia_cspmu_init()
{
	return armature_cspmu_register_backend(&entry);
}

void nvidia_cspmu_exit()
{
	armature_cspmu_unregister_backend(&entry);
}
