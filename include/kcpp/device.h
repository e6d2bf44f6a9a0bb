/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcpp's device adapter, C side (kcpp/device.c): a platform driver whose
 * probe and remove are C++ functions, and what a driver asks of its device:
 * register frames, interrupts, firmware properties, devm actions, logging,
 * CPUs, CPU hotplug instances, work items. C++ wrappers: kcpp/device.hpp;
 * logging: kcpp/log.h.
 *
 * Every function forwards to the kernel; a NULL or "absent" the kernel
 * returns becomes an errno, and nothing else is decided here.
 */
#ifndef KCPP_DEVICE_H
#define KCPP_DEVICE_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct acpi_device;
struct cpumask;
struct device;
struct kcpp_cpuhp_instance;
struct kcpp_platform_driver;
struct module;
struct ratelimit_state;
struct work_struct;

/* A bound platform device, as probe gets it; freed at unbind. */
struct kcpp_device {
	struct device *dev;
	void *data;                         /* the driver's, set by probe */
	struct ratelimit_state *ratelimit;  /* the kernel's default interval and burst */
};

/* --- The platform driver (defined in the driver's C file with
 * KCPP_PLATFORM_DRIVER, kcpp/glue.h) --- */

/* The driver's C++: probe may keep its object in kdev->data for remove.
 * Both run where they may sleep. */
struct kcpp_driver_ops {
	int (*probe)(struct kcpp_device *kdev);
	void (*remove)(struct kcpp_device *kdev);
};

/* The driver is owned by owner (the calling module: perf and sysfs pin it). */
int kcpp_platform_driver_register(struct kcpp_platform_driver *drv, struct module *owner);
void kcpp_platform_driver_unregister(struct kcpp_platform_driver *drv);
/* Probes the driver's unbound devices again now (a device deferred until
 * something appeared that the deferred-probe list does not wait for). */
int kcpp_platform_driver_attach(struct kcpp_platform_driver *drv);

/* --- A bound device --- */

void *kcpp_device_platdata(const struct kcpp_device *kdev);
/* Zeroed memory freed at unbind, or NULL. */
void *kcpp_device_zalloc(struct kcpp_device *kdev, unsigned long size);
/* fn(data) at unbind, after remove, in reverse order of adding; called at
 * once when it cannot be added (then the error). */
int kcpp_device_add_action(struct kcpp_device *kdev, void (*fn)(void *), void *data);

/* Memory resource index, mapped until unbind: 0, -ENOENT when there is none,
 * or the mapping's error. */
int kcpp_device_map(struct kcpp_device *kdev, unsigned int index, void **base, __u64 *size);
/* Interrupt index: the number, or an error; the first form logs a missing
 * one, the optional one returns -ENXIO for it without a word. */
int kcpp_device_irq(struct kcpp_device *kdev, unsigned int index);
int kcpp_device_irq_optional(struct kcpp_device *kdev, unsigned int index);
/* handler(data) in hard-IRQ context, true when the interrupt was the
 * device's; freed at unbind. flags: KCPP_IRQF_* (kcpp_layout.h). */
int kcpp_device_request_irq(struct kcpp_device *kdev, int irq, unsigned long flags,
			    bool (*handler)(void *data), void *data);
int kcpp_irq_set_affinity(int irq, const struct cpumask *mask);
/* A per-CPU interrupt (PPI): whether irq is one, and the CPUs it reaches
 * (0, or the error finding them). */
bool kcpp_irq_is_percpu(int irq);
int kcpp_irq_percpu_cpus(int irq, struct cpumask *cpus);
/* handler(data) on the CPU it arrives on, in hard-IRQ context, named name
 * in /proc/interrupts; freed at unbind (every CPU must have disabled it by
 * then). */
int kcpp_device_request_percpu_irq(struct kcpp_device *kdev, int irq, const char *name,
				   bool (*handler)(void *data), void *data);
/* On this CPU. */
void kcpp_enable_percpu_irq_local(int irq);
void kcpp_disable_percpu_irq_local(int irq);

/* Firmware properties (devicetree or ACPI _DSD). */
bool kcpp_device_property_present(const struct kcpp_device *kdev, const char *name);
int kcpp_device_property_read_u32(const struct kcpp_device *kdev, const char *name, __u32 *value);
int kcpp_device_property_read_u64_array(const struct kcpp_device *kdev, const char *name,
					__u64 *values, unsigned long count);
/* The logical CPU of the index-th phandle of property name: 0 and *cpu (-1
 * for a CPU that is not possible), -ENOENT past the last. */
int kcpp_device_of_cpu(const struct kcpp_device *kdev, const char *name, unsigned int index,
		       int *cpu);

/* ACPI (every function reports "none" on kernels without ACPI or booted
 * without it). The first device with this _HID and _UID, held until unbind. */
struct acpi_device *kcpp_acpi_device_get(struct kcpp_device *kdev, const char *hid,
					 const char *uid);
int kcpp_acpi_device_read_u32(struct acpi_device *adev, const char *name, __u32 *value);
/* The device's first memory resource, mapped until kdev's unbind: as
 * kcpp_device_map(). */
int kcpp_acpi_device_map(struct kcpp_device *kdev, struct acpi_device *adev, void **base,
			 __u64 *size);
struct acpi_device *kcpp_acpi_device_parent(struct acpi_device *adev);
bool kcpp_acpi_device_is(struct acpi_device *adev, const char *hid, __u64 uid);
/* A CPU's processor device, and its MADT UID (false without ACPI). */
struct acpi_device *kcpp_acpi_cpu_device(unsigned int cpu);
bool kcpp_acpi_cpu_uid(unsigned int cpu, __u32 *uid);

/* --- CPUs --- */
/* The next possible CPU after prev (-1: the first), -1 after the last. */
int kcpp_next_possible_cpu(int prev);
int kcpp_cpu_to_node(unsigned int cpu);
unsigned int kcpp_nr_cpu_ids(void);
/* smp_processor_id(): preemption must be off. */
unsigned int kcpp_this_cpu(void);
/* local_irq_save() and local_irq_restore(): this CPU's interrupts off, then
 * as they were. */
unsigned long kcpp_local_irq_save(void);
void kcpp_local_irq_restore(unsigned long flags);
/* Runs fn(arg) on one CPU of mask (this one if it is in it) and waits: 0,
 * or -ENXIO when none of them is online. */
int kcpp_call_on_any_cpu(const struct cpumask *mask, void (*fn)(void *arg), void *arg);
/* Per-CPU memory for C++ objects, zeroed, freed at kdev's unbind; NULL when
 * out of memory. The pointer is a __percpu one, for the two functions
 * after (C++ has no address spaces). */
void *kcpp_device_alloc_percpu(struct kcpp_device *kdev, unsigned long size, unsigned long align);
void *kcpp_per_cpu_ptr(void *percpu, unsigned int cpu);
void *kcpp_this_cpu_ptr(void *percpu);
/* C++ embeds cpumasks (KCPP_CPUMASK_SIZE). */
void kcpp_cpumask_set(struct cpumask *mask, unsigned int cpu);
bool kcpp_cpumask_test(const struct cpumask *mask, unsigned int cpu);
void kcpp_cpumask_clear(struct cpumask *mask);
/* An online CPU of mask other than cpu, or -1. */
int kcpp_cpumask_any_online_but(const struct cpumask *mask, unsigned int cpu);

/* --- CPU hotplug: a dynamic multi-instance state, its instances --- */
struct kcpp_cpuhp_ops {
	/* In the hotplug thread, on the CPU coming up / going down. */
	void (*online)(void *data, unsigned int cpu);
	void (*offline)(void *data, unsigned int cpu);
};
/* The state (>0) or an error. */
int kcpp_cpuhp_setup(const char *name);
void kcpp_cpuhp_remove(int state);
/* An instance calling ops with data, freed at kdev's unbind, or NULL. */
struct kcpp_cpuhp_instance *kcpp_cpuhp_instance_alloc(struct kcpp_device *kdev,
						const struct kcpp_cpuhp_ops *ops, void *data);
/* Adding calls online for each online CPU; removing calls offline for each
 * unless nocalls. */
int kcpp_cpuhp_add(int state, struct kcpp_cpuhp_instance *inst);
void kcpp_cpuhp_del(int state, struct kcpp_cpuhp_instance *inst);
void kcpp_cpuhp_del_nocalls(int state, struct kcpp_cpuhp_instance *inst);

/* --- Work items (C++ embeds them: KCPP_WORK_SIZE); the lockdep key is the
 * initialisation site's, as INIT_WORK's --- */
struct lock_class_key;
void kcpp_work_init(struct work_struct *work, void (*fn)(struct work_struct *work),
		    const char *name, struct lock_class_key *key);
void kcpp_queue_work_unbound(struct work_struct *work);
void kcpp_flush_work(struct work_struct *work);

#ifdef __cplusplus
}
#endif

#endif /* KCPP_DEVICE_H */
