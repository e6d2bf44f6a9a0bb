/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm_cspmu_module: the boundary between the C++ core (core.cpp) and the C
 * glue (core_glue.c). C++ makes every decision; C owns the kernel objects
 * (struct armature_cspmu: the perf PMU, CPU masks, hotplug node, IRQ,
 * sysfs attributes) and gives access to them through these functions.
 */
#ifndef ARMATURE_CSPMU_CORE_H
#define ARMATURE_CSPMU_CORE_H

#include <linux/types.h>
#include "firmware.h"

#ifdef __cplusplus
extern "C" {
#endif

struct armature_cspmu;
struct armature_cspmu_backend;
struct perf_event;
/* The C++ object of a PMU (core.cpp), opaque to C. */
struct armature_cspmu_core;

/* --- Exported to the vendor backends (namespace ARMATURE_CSPMU) --- */

/* -EINVAL when the core's PMIIDR table has no entry with the backend's key;
 * -EEXIST when another backend has it. */
int armature_cspmu_register_backend(struct armature_cspmu_backend *backend);
void armature_cspmu_unregister_backend(struct armature_cspmu_backend *backend);
/* dev_err() on the PMU's device, for a backend refusing a PMU. */
__attribute__((format(printf, 2, 3)))
void armature_cspmu_err(struct armature_cspmu *c, const char *fmt, ...);
/* Rate-limited: for the counters' run-time failures. */
__attribute__((format(printf, 2, 3)))
void armature_cspmu_err_ratelimited(struct armature_cspmu *c, const char *fmt, ...);
__attribute__((format(printf, 2, 3)))
void armature_cspmu_info(struct armature_cspmu *c, const char *fmt, ...);
/* The first memory resource of the PMU's ACPI device (the device an APMT
 * node of type "ACPI device" names), mapped for a backend's own registers:
 * 0 when mapped; -ENODEV without such a device, -ENOENT when it has no
 * memory resource; the mapping's error otherwise. */
int armature_cspmu_map_acpi_device_frame(struct armature_cspmu *c, void **base, __u64 *size);

/* perf's flags, as C++ cannot see them (checked against the kernel's in C). */
enum {
	ARMATURE_CSPMU_HES_STOPPED = 0x01,
	ARMATURE_CSPMU_HES_UPTODATE = 0x02,
	ARMATURE_CSPMU_EF_START = 0x01,
	ARMATURE_CSPMU_EF_RELOAD = 0x02,
};

/* --- C++ (core.cpp), called by the glue --- */

int armature_cspmu_core_init(void);
void armature_cspmu_core_exit(void);
int armature_cspmu_probe(struct armature_cspmu *c, const struct armature_cspmu_firmware *fw);
void armature_cspmu_remove(struct armature_cspmu_core *core);

/*
 * perf's callbacks. The glue passes the fields of the event that the core
 * reads and writes (cpu, hw.idx, hw.state) by pointer, or hw.idx by value
 * where it is only read: one call across the boundary per callback.
 */
int armature_cspmu_event_init(struct armature_cspmu_core *core, struct perf_event *event,
			      int *cpu, int *idx);
int armature_cspmu_add(struct armature_cspmu_core *core, struct perf_event *event, int flags,
		       int *idx, int *state);
void armature_cspmu_del(struct armature_cspmu_core *core, struct perf_event *event, int *idx,
			int *state);
void armature_cspmu_start(struct armature_cspmu_core *core, int idx, int *state);
void armature_cspmu_stop(struct armature_cspmu_core *core, struct perf_event *event, int idx,
			 int *state);
void armature_cspmu_read(struct armature_cspmu_core *core, struct perf_event *event, int idx);
void armature_cspmu_enable(struct armature_cspmu_core *core);
void armature_cspmu_disable(struct armature_cspmu_core *core);
bool armature_cspmu_handle_irq(struct armature_cspmu_core *core);
void armature_cspmu_cpu_online(struct armature_cspmu_core *core, unsigned int cpu);
void armature_cspmu_cpu_teardown(struct armature_cspmu_core *core, unsigned int cpu);

/* --- C (core_glue.c), called by C++ --- */

/* An event and its group leader, in one call. */
struct armature_cspmu_event_info {
	__u64 config, config1, config2;
	__u64 leader_config, leader_config1, leader_config2;
	struct perf_event *leader;
	bool matches_type;	/* attr.type is this PMU's */
	bool on_this_pmu;	/* event->pmu is this PMU */
	bool is_software;
	bool leader_on_this_pmu;
	bool leader_is_software;
	bool sampling;
	bool per_task;
};

struct armature_cspmu_event_info armature_cspmu_event_get(struct armature_cspmu *c,
							  struct perf_event *event);
/* The leader's siblings in order, starting after pos (the leader: the first). */
struct perf_event *armature_cspmu_next_sibling(struct perf_event *leader, struct perf_event *pos);
void armature_cspmu_event_add_count(void *event, __u64 delta);
void armature_cspmu_event_update_userpage(struct perf_event *event);

/* The C++ object of a PMU: set at probe, cleared at remove. */
void armature_cspmu_set_core(struct armature_cspmu *c, struct armature_cspmu_core *core);

/* Register frames: 0 when mapped; -ENOENT when the device has no such
 * resource; the mapping's error otherwise. */
int armature_cspmu_map_frame(struct armature_cspmu *c, unsigned int index, void **base,
			     __u64 *size);
/* The overflow interrupt: 0 when the PMU has none, else the request's result. */
int armature_cspmu_request_irq(struct armature_cspmu *c);

/* CPUs. -1 where none. */
int armature_cspmu_next_possible_cpu(int prev);
bool armature_cspmu_dt_has_cpus(struct armature_cspmu *c);
int armature_cspmu_dt_cpu(struct armature_cspmu *c, unsigned int index, int *cpu);
bool armature_cspmu_acpi_cpu_uid(unsigned int cpu, __u32 *uid);
bool armature_cspmu_cpu_in_acpi_container(unsigned int cpu, __u32 container_uid);
void armature_cspmu_associate_cpu(struct armature_cspmu *c, unsigned int cpu);
bool armature_cspmu_cpu_associated(struct armature_cspmu *c, unsigned int cpu);
int armature_cspmu_other_online_associated_cpu(struct armature_cspmu *c, unsigned int cpu);
int armature_cspmu_cpu_to_node(unsigned int cpu);
void armature_cspmu_set_active_cpu(struct armature_cspmu *c, int cpu);
void armature_cspmu_migrate(struct armature_cspmu *c, unsigned int from, unsigned int to);

/* sysfs: the events and format groups. */
int armature_cspmu_alloc_attrs(struct armature_cspmu *c, unsigned int events, unsigned int formats);
void armature_cspmu_set_event_attr(struct armature_cspmu *c, unsigned int i, const char *name,
				   __u64 id);
void armature_cspmu_set_format_attr(struct armature_cspmu *c, unsigned int i, const char *name,
				    const char *spec);

/* perf: registration with hotplug state, name, identifier. The strings are
 * the C++ object's, which outlives the registration (freed after
 * armature_cspmu_unregister()). */
int armature_cspmu_register(struct armature_cspmu *c, const char *name, const char *identifier);
void armature_cspmu_unregister(struct armature_cspmu *c);

__attribute__((format(printf, 2, 3)))
void armature_cspmu_dbg(struct armature_cspmu *c, const char *fmt, ...);

#ifdef __cplusplus
}
#endif

#endif
