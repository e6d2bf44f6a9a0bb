/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm_spe: the boundary between the C++ driver (driver.hpp, built by pmu.cpp
 * and sim/pmu.cpp) and the C glue (glue.c). C++ makes every decision; C owns
 * the kernel objects (struct armature_spe: the perf PMU, the per-CPU output
 * handles, the PPI, the hotplug node, sysfs, debugfs) and gives access to
 * them through these functions. Functions named *_local act on the calling
 * CPU, which must not change under them (IRQs or preemption off). The
 * simulated build adds sim/sim.h.
 */
#ifndef ARMATURE_SPE_H
#define ARMATURE_SPE_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct armature_spe;
struct page;
struct perf_event;
struct seq_file;

/* perf's values, as C++ cannot see them (checked against the kernel's in C). */
enum {
	ARMATURE_SPE_HES_STOPPED = 0x01,
	ARMATURE_SPE_HES_UPTODATE = 0x02,
	ARMATURE_SPE_EF_START = 0x01,
	ARMATURE_SPE_EF_RELOAD = 0x02,
	ARMATURE_SPE_EF_UPDATE = 0x04,
	ARMATURE_SPE_AUX_FLAG_TRUNCATED = 0x01,
};

/* What the driver did on one CPU, counted by that CPU (IRQs off) and read
 * by any (debugfs), hence single-copy atomic accesses on both sides. */
struct armature_spe_counters {
	__u64 irqs;      /* buffer-management interrupts that were ours */
	__u64 pad_bytes; /* padding written to align a window or end one early */
	__u64 truncated; /* sessions refused for want of room: TRUNCATED */
};

/* --- C++ (entry.hpp), called by the glue --- */

int armature_spe_probe(struct armature_spe *s);
void armature_spe_remove(struct armature_spe *s);
/* On each supported CPU, as it comes up and before it goes down. */
void armature_spe_cpu_starting(struct armature_spe *s, unsigned int cpu);
void armature_spe_cpu_stopping(struct armature_spe *s, unsigned int cpu);

int armature_spe_event_init(struct armature_spe *s, struct perf_event *event);
int armature_spe_add(struct armature_spe *s, struct perf_event *event, int flags);
void armature_spe_start(struct armature_spe *s, struct perf_event *event, int flags);
void armature_spe_stop(struct armature_spe *s, struct perf_event *event, int flags);
void armature_spe_del(struct armature_spe *s, struct perf_event *event, int flags);
int armature_spe_check_period(struct armature_spe *s, struct perf_event *event, __u64 period);
void *armature_spe_setup_aux(struct armature_spe *s, struct perf_event *event, void **pages,
			     int nr_pages, bool snapshot);
void armature_spe_free_aux(void *buf);
/* The buffer-management interrupt, on this CPU: true when it was ours. */
bool armature_spe_handle_irq_local(struct armature_spe *s);
/* sysfs: the caps/ files' values and which format/ files exist. */
__u64 armature_spe_cap(struct armature_spe *s, unsigned int index);
bool armature_spe_format_visible(struct armature_spe *s, unsigned int index);
/* debugfs: the PMU's stats file, through armature_spe_stat(). */
void armature_spe_show_stats(struct armature_spe *s, struct seq_file *m);

/* --- C (glue.c), called by C++ --- */

void *armature_spe_core(struct armature_spe *s);
void armature_spe_set_core(struct armature_spe *s, void *core);

/* Kernel configuration and the opener's rights. */
bool armature_spe_kernel_unmapped_at_el0(void);
bool armature_spe_pid_in_contextidr(void);
int armature_spe_allow_kernel(void);

/* Runs fn(arg) on one supported CPU and waits: 0 or the call's error. */
int armature_spe_call_on_supported_cpu(struct armature_spe *s, void (*fn)(void *), void *arg);
int armature_spe_this_cpu(void);
unsigned int armature_spe_nr_cpu_ids(void);
bool armature_spe_cpu_supported(struct armature_spe *s, int cpu);
struct armature_spe_counters *armature_spe_cpu_counters(struct armature_spe *s, unsigned int cpu);
/* The device's first interrupt: platform_get_irq()'s result (it logs a
 * missing one). */
int armature_spe_platform_irq(struct armature_spe *s);
bool armature_spe_irq_is_percpu(int irq);
/* Takes a per-CPU interrupt as the PMU's, its CPUs as the supported ones:
 * 0, or the error finding them. */
int armature_spe_set_ppi(struct armature_spe *s, int irq);
void armature_spe_enable_irq_local(struct armature_spe *s);
void armature_spe_disable_irq_local(struct armature_spe *s);
/* Requests the PPI, adds the hotplug instance (bringing up every online
 * supported CPU), registers the PMU as arm_spe_<n>; undoes all on failure. */
int armature_spe_register(struct armature_spe *s);
void armature_spe_unregister(struct armature_spe *s);

/* The event. */
struct armature_spe_event_info {
	__u64 config, config1, config2, config3;
	__u64 sample_period;
	int cpu;
	bool matches_type, freq, exclude_user, exclude_kernel, exclude_idle;
};
void armature_spe_event_get(struct armature_spe *s, struct perf_event *event,
			    struct armature_spe_event_info *info);
int armature_spe_event_state(struct perf_event *event);
void armature_spe_event_set_state(struct perf_event *event, int state);
/* hw.flags: what event_init decided about the opener's rights. */
unsigned int armature_spe_event_flags(struct perf_event *event);
void armature_spe_event_set_flags(struct perf_event *event, unsigned int flags);
void armature_spe_event_set_sample_period(struct perf_event *event, __u64 period);
__u64 armature_spe_event_period_left(struct perf_event *event);
void armature_spe_event_set_period_left(struct perf_event *event, __u64 left);

/* The AUX area: the pages perf gives setup_aux, mapped contiguously. */
unsigned long armature_spe_page_size(void);
struct page *armature_spe_virt_to_page(void *addr);
void *armature_spe_vmap(struct page **pages, unsigned int nr_pages);
void armature_spe_vunmap(void *addr);
void armature_spe_fill(void *addr, __u8 byte, __u64 len);

/* This CPU's AUX output handle. */
struct armature_spe_handle_state {
	__u64 head, size, wakeup, aux_flags;
};
void *armature_spe_aux_begin_local(struct armature_spe *s, struct perf_event *event);
void *armature_spe_aux_active_local(struct armature_spe *s); /* NULL: none */
struct perf_event *armature_spe_aux_event_local(struct armature_spe *s);
void armature_spe_aux_state_local(struct armature_spe *s, struct armature_spe_handle_state *h);
void armature_spe_aux_skip_local(struct armature_spe *s, __u64 len);
void armature_spe_aux_flag_local(struct armature_spe *s, __u64 flags);
void armature_spe_aux_set_head_local(struct armature_spe *s, __u64 head);
void armature_spe_aux_end_local(struct armature_spe *s, __u64 size);
void armature_spe_irq_work_run(void);

/* sysfs and the log. */
int armature_spe_alloc_attrs(struct armature_spe *s, unsigned int caps, unsigned int formats);
void armature_spe_set_cap_attr(struct armature_spe *s, unsigned int i, const char *name, bool hex);
void armature_spe_set_format_attr(struct armature_spe *s, unsigned int i, const char *name,
				  const char *spec);
/* One "name value" line of a stats file. */
void armature_spe_stat(struct seq_file *m, const char *name, __u64 value);
__attribute__((format(printf, 2, 3)))
void armature_spe_err(struct armature_spe *s, const char *fmt, ...);
__attribute__((format(printf, 2, 3)))
void armature_spe_warn(struct armature_spe *s, const char *fmt, ...);
__attribute__((format(printf, 2, 3)))
void armature_spe_info(struct armature_spe *s, const char *fmt, ...);
/* Prefixed with the module's name. */
__attribute__((format(printf, 1, 2)))
void armature_spe_err_ratelimited(const char *fmt, ...);

#ifdef __cplusplus
}
#endif

#endif
