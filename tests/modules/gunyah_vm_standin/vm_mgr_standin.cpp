// SPDX-License-Identifier: GPL-2.0
// The VM manager, unchanged, and the probe of the stand-in's device.
#include "../../../drivers/virt/gunyah/vm_mgr.cpp"

extern "C" int gunyah_vm_standin_create(kcpp_device *kdev);
int gunyah_vm_standin_create(kcpp_device *kdev)
{
	return armature::gunyah::VmManager::create(kdev).code();
}
