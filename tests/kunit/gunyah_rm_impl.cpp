// SPDX-License-Identifier: GPL-2.0
// The RM engine (drivers/virt/gunyah/rm.cpp) built into the KUnit module,
// which drives it on a fake hypervisor without gunyah_rsc_mgr loaded.
#include "rm.cpp"
