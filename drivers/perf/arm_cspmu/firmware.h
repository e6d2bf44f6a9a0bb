/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What firmware says about a CoreSight PMU, from its devicetree node or from
 * the APMT node (ACPI DEN0117) the kernel's APMT parser gives as platform
 * data. Filled in by core_glue.c, read by C++.
 */
#ifndef ARMATURE_CSPMU_FIRMWARE_H
#define ARMATURE_CSPMU_FIRMWARE_H

#include <linux/types.h>

struct armature_cspmu_firmware {
	bool from_apmt;
	bool atomic_64bit;	/* reg-io-width = <8>, or the APMT atomic flag */
	bool page1_present;	/* a second register frame */
	__u8 apmt_type;
	__u8 apmt_flags;
	__u32 apmt_impl_id;	/* overrides PMIIDR when nonzero */
	__u64 apmt_inst_primary;	/* ACPI-device nodes: the _HID */
	__u32 apmt_inst_secondary;	/* and the _UID */
	__u32 apmt_proc_affinity;	/* a processor or container UID */
	bool has_instance_id;
	__u32 instance_id;	/* "instance_id": the ACPI device's _DSD, or the DT node's */
};

#endif
