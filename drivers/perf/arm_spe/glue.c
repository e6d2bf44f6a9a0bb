// SPDX-License-Identifier: GPL-2.0
/*
 * arm_spe: the kernel objects of an SPE PMU and the platform driver; every
 * decision is in driver.hpp. Shared by both builds of the driver: the
 * devices a module binds and its metadata are in its module.c, and
 * KBUILD_MODNAME names the driver, its PPI and its debugfs directory.
 */
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/perf_event.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/mmu.h>
#include <kcpp/glue.h>

#include "spe.h"

struct armature_spe_cpu {
	struct perf_output_handle handle;
	struct armature_spe *spe;
	struct armature_spe_counters counters;
};

struct armature_spe {
	struct pmu pmu;
	struct device *dev;
	void *core;
	struct armature_spe_cpu __percpu *cpus;
	cpumask_t supported_cpus;
	int irq;
	struct hlist_node cpuhp_node;
	struct dev_ext_attribute *cap_attrs;
	struct dev_ext_attribute *format_attrs;
	struct attribute **cap_list;
	struct attribute **format_list;
	struct attribute_group caps_group;
	struct attribute_group format_group;
	const struct attribute_group *groups[4];
	struct dentry *stats_file;
};

static_assert(ARMATURE_SPE_HES_STOPPED == PERF_HES_STOPPED);
static_assert(ARMATURE_SPE_HES_UPTODATE == PERF_HES_UPTODATE);
static_assert(ARMATURE_SPE_EF_START == PERF_EF_START);
static_assert(ARMATURE_SPE_EF_RELOAD == PERF_EF_RELOAD);
static_assert(ARMATURE_SPE_EF_UPDATE == PERF_EF_UPDATE);
static_assert(ARMATURE_SPE_AUX_FLAG_TRUNCATED == PERF_AUX_FLAG_TRUNCATED);

/* The devices the module binds: its module.c's. */
extern const struct platform_device_id armature_spe_platform_ids[];
extern const struct of_device_id armature_spe_of_ids[];

static enum cpuhp_state spe_cpuhp_state;
/* /sys/kernel/debug/<module>/: a stats file per PMU. */
static struct dentry *spe_debugfs;

static struct armature_spe *to_spe(struct pmu *pmu)
{
	return container_of(pmu, struct armature_spe, pmu);
}

static struct armature_spe *dev_to_spe(struct device *dev)
{
	return to_spe(dev_get_drvdata(dev));
}

/* perf callbacks */

static int spe_event_init(struct perf_event *event)
{
	return armature_spe_event_init(to_spe(event->pmu), event);
}

static int spe_add(struct perf_event *event, int flags)
{
	return armature_spe_add(to_spe(event->pmu), event, flags);
}

static void spe_stop(struct perf_event *event, int flags)
{
	armature_spe_stop(to_spe(event->pmu), event, flags);
}

static void spe_del(struct perf_event *event, int flags)
{
	armature_spe_del(to_spe(event->pmu), event, flags);
}

static void spe_start(struct perf_event *event, int flags)
{
	armature_spe_start(to_spe(event->pmu), event, flags);
}

/* Samples go to the AUX area; there is no count to read. */
static void spe_read(struct perf_event *event)
{
}

static int spe_check_period(struct perf_event *event, u64 period)
{
	return armature_spe_check_period(to_spe(event->pmu), event, period);
}

static void *spe_setup_aux(struct perf_event *event, void **pages, int nr_pages, bool snapshot)
{
	return armature_spe_setup_aux(to_spe(event->pmu), event, pages, nr_pages, snapshot);
}

static irqreturn_t spe_irq(int irq, void *dev_id)
{
	struct armature_spe_cpu *cpu = dev_id;

	return IRQ_RETVAL(armature_spe_handle_irq_local(cpu->spe));
}

/* Accessors */

void *armature_spe_core(struct armature_spe *s)
{
	return READ_ONCE(s->core);
}

void armature_spe_set_core(struct armature_spe *s, void *core)
{
	WRITE_ONCE(s->core, core);
}

bool armature_spe_kernel_unmapped_at_el0(void)
{
	return arm64_kernel_unmapped_at_el0();
}

bool armature_spe_pid_in_contextidr(void)
{
	return IS_ENABLED(CONFIG_PID_IN_CONTEXTIDR);
}

int armature_spe_allow_kernel(void)
{
	return perf_allow_kernel();
}

int armature_spe_call_on_supported_cpu(struct armature_spe *s, void (*fn)(void *), void *arg)
{
	return smp_call_function_any(&s->supported_cpus, fn, arg, 1);
}

int armature_spe_this_cpu(void)
{
	return smp_processor_id();
}

unsigned int armature_spe_nr_cpu_ids(void)
{
	return nr_cpu_ids;
}

bool armature_spe_cpu_supported(struct armature_spe *s, int cpu)
{
	return cpumask_test_cpu(cpu, &s->supported_cpus);
}

struct armature_spe_counters *armature_spe_cpu_counters(struct armature_spe *s, unsigned int cpu)
{
	return &per_cpu_ptr(s->cpus, cpu)->counters;
}

int armature_spe_platform_irq(struct armature_spe *s)
{
	return platform_get_irq(to_platform_device(s->dev), 0);
}

bool armature_spe_irq_is_percpu(int irq)
{
	return irq_is_percpu(irq);
}

int armature_spe_set_ppi(struct armature_spe *s, int irq)
{
	s->irq = irq;
	return irq_get_percpu_devid_partition(irq, &s->supported_cpus);
}

void armature_spe_enable_irq_local(struct armature_spe *s)
{
	enable_percpu_irq(s->irq, IRQ_TYPE_NONE);
}

void armature_spe_disable_irq_local(struct armature_spe *s)
{
	disable_percpu_irq(s->irq);
}

void armature_spe_event_get(struct armature_spe *s, struct perf_event *event,
			    struct armature_spe_event_info *info)
{
	info->config = event->attr.config;
	info->config1 = event->attr.config1;
	info->config2 = event->attr.config2;
	info->config3 = event->attr.config3;
	info->sample_period = event->attr.sample_period;
	info->cpu = event->cpu;
	info->matches_type = event->attr.type == s->pmu.type;
	info->freq = event->attr.freq;
	info->exclude_user = event->attr.exclude_user;
	info->exclude_kernel = event->attr.exclude_kernel;
	info->exclude_idle = event->attr.exclude_idle;
}

int armature_spe_event_state(struct perf_event *event)
{
	return event->hw.state;
}

void armature_spe_event_set_state(struct perf_event *event, int state)
{
	event->hw.state = state;
}

unsigned int armature_spe_event_flags(struct perf_event *event)
{
	return event->hw.flags & PERF_EVENT_FLAG_ARCH;
}

void armature_spe_event_set_flags(struct perf_event *event, unsigned int flags)
{
	event->hw.flags = (event->hw.flags & ~PERF_EVENT_FLAG_ARCH) | (flags & PERF_EVENT_FLAG_ARCH);
}

void armature_spe_event_set_sample_period(struct perf_event *event, u64 period)
{
	event->hw.sample_period = period;
}

u64 armature_spe_event_period_left(struct perf_event *event)
{
	return local64_read(&event->hw.period_left);
}

void armature_spe_event_set_period_left(struct perf_event *event, u64 left)
{
	local64_set(&event->hw.period_left, left);
}

unsigned long armature_spe_page_size(void)
{
	return PAGE_SIZE;
}

struct page *armature_spe_virt_to_page(void *addr)
{
	return virt_to_page(addr);
}

void *armature_spe_vmap(struct page **pages, unsigned int nr_pages)
{
	return vmap(pages, nr_pages, VM_MAP, PAGE_KERNEL);
}

void armature_spe_vunmap(void *addr)
{
	vunmap(addr);
}

void armature_spe_fill(void *addr, u8 byte, u64 len)
{
	memset(addr, byte, len);
}

static struct perf_output_handle *spe_handle(struct armature_spe *s)
{
	return &this_cpu_ptr(s->cpus)->handle;
}

void *armature_spe_aux_begin_local(struct armature_spe *s, struct perf_event *event)
{
	return perf_aux_output_begin(spe_handle(s), event);
}

void *armature_spe_aux_active_local(struct armature_spe *s)
{
	return perf_get_aux(spe_handle(s));
}

struct perf_event *armature_spe_aux_event_local(struct armature_spe *s)
{
	struct perf_output_handle *handle = spe_handle(s);

	return perf_get_aux(handle) ? handle->event : NULL;
}

void armature_spe_aux_state_local(struct armature_spe *s, struct armature_spe_handle_state *h)
{
	struct perf_output_handle *handle = spe_handle(s);

	h->head = handle->head;
	h->size = handle->size;
	h->wakeup = handle->wakeup;
	h->aux_flags = handle->aux_flags;
}

void armature_spe_aux_skip_local(struct armature_spe *s, u64 len)
{
	perf_aux_output_skip(spe_handle(s), len);
}

void armature_spe_aux_flag_local(struct armature_spe *s, u64 flags)
{
	perf_aux_output_flag(spe_handle(s), flags);
}

void armature_spe_aux_set_head_local(struct armature_spe *s, u64 head)
{
	spe_handle(s)->head = head;
}

void armature_spe_aux_end_local(struct armature_spe *s, u64 size)
{
	perf_aux_output_end(spe_handle(s), size);
}

void armature_spe_irq_work_run(void)
{
	irq_work_run();
}

/* Hotplug */

static int spe_cpu_startup(unsigned int cpu, struct hlist_node *node)
{
	armature_spe_cpu_starting(hlist_entry(node, struct armature_spe, cpuhp_node), cpu);
	return 0;
}

static int spe_cpu_teardown(unsigned int cpu, struct hlist_node *node)
{
	armature_spe_cpu_stopping(hlist_entry(node, struct armature_spe, cpuhp_node), cpu);
	return 0;
}

/* sysfs */

static u64 spe_cap_value(struct device *dev, struct device_attribute *attr)
{
	struct armature_spe *s = dev_to_spe(dev);

	return armature_spe_cap(s, container_of(attr, struct dev_ext_attribute, attr) - s->cap_attrs);
}

static ssize_t spe_cap_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", spe_cap_value(dev, attr));
}

static ssize_t spe_cap_hex_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0x%llx\n", spe_cap_value(dev, attr));
}

static ssize_t spe_format_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", (const char *)container_of(attr, struct dev_ext_attribute,
								  attr)->var);
}

static umode_t spe_format_is_visible(struct kobject *kobj, struct attribute *attr, int i)
{
	return armature_spe_format_visible(dev_to_spe(kobj_to_dev(kobj)), i) ? attr->mode : 0;
}

int armature_spe_alloc_attrs(struct armature_spe *s, unsigned int caps, unsigned int formats)
{
	s->cap_attrs = devm_kcalloc(s->dev, caps, sizeof(*s->cap_attrs), GFP_KERNEL);
	s->cap_list = devm_kcalloc(s->dev, caps + 1, sizeof(*s->cap_list), GFP_KERNEL);
	s->format_attrs = devm_kcalloc(s->dev, formats, sizeof(*s->format_attrs), GFP_KERNEL);
	s->format_list = devm_kcalloc(s->dev, formats + 1, sizeof(*s->format_list), GFP_KERNEL);
	if (!s->cap_attrs || !s->cap_list || !s->format_attrs || !s->format_list)
		return -ENOMEM;
	return 0;
}

static void spe_init_attr(struct dev_ext_attribute *a, struct attribute **list, const char *name,
			  ssize_t (*show)(struct device *, struct device_attribute *, char *),
			  void *var)
{
	sysfs_attr_init(&a->attr.attr);
	a->attr.attr.name = name;
	a->attr.attr.mode = 0444;
	a->attr.show = show;
	a->var = var;
	*list = &a->attr.attr;
}

void armature_spe_set_cap_attr(struct armature_spe *s, unsigned int i, const char *name, bool hex)
{
	spe_init_attr(&s->cap_attrs[i], &s->cap_list[i], name, hex ? spe_cap_hex_show : spe_cap_show,
		      NULL);
}

void armature_spe_set_format_attr(struct armature_spe *s, unsigned int i, const char *name,
				  const char *spec)
{
	spe_init_attr(&s->format_attrs[i], &s->format_list[i], name, spe_format_show, (void *)spec);
}

static ssize_t cpumask_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return cpumap_print_to_pagebuf(true, buf, &dev_to_spe(dev)->supported_cpus);
}
static DEVICE_ATTR_RO(cpumask);

static struct attribute *spe_pmu_attrs[] = {
	&dev_attr_cpumask.attr,
	NULL,
};

static const struct attribute_group spe_pmu_group = {
	.attrs = spe_pmu_attrs,
};

void armature_spe_stat(struct seq_file *m, const char *name, u64 value)
{
	seq_printf(m, "%s %llu\n", name, value);
}

static int spe_stats_show(struct seq_file *m, void *unused)
{
	armature_spe_show_stats(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(spe_stats);

/* Registration */

static atomic_t spe_pmu_index = ATOMIC_INIT(-1);

static void spe_init_cpus(struct armature_spe *s)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		per_cpu_ptr(s->cpus, cpu)->spe = s;
}

int armature_spe_register(struct armature_spe *s)
{
	char *name = devm_kasprintf(s->dev, GFP_KERNEL, "arm_spe_%d",
				    atomic_inc_return(&spe_pmu_index));
	int ret;

	if (!name)
		return -ENOMEM;
	s->caps_group = (struct attribute_group){ .name = "caps", .attrs = s->cap_list };
	s->format_group = (struct attribute_group){
		.name = "format",
		.attrs = s->format_list,
		.is_visible = spe_format_is_visible,
	};
	s->groups[0] = &spe_pmu_group;
	s->groups[1] = &s->caps_group;
	s->groups[2] = &s->format_group;
	s->pmu = (struct pmu){
		.module = THIS_MODULE,
		.parent = s->dev,
		.capabilities = PERF_PMU_CAP_EXCLUSIVE | PERF_PMU_CAP_ITRACE,
		.attr_groups = s->groups,
		/* Per-task events get sched in/out, as for any AUX PMU. */
		.task_ctx_nr = perf_sw_context,
		.event_init = spe_event_init,
		.add = spe_add,
		.del = spe_del,
		.start = spe_start,
		.stop = spe_stop,
		.read = spe_read,
		.check_period = spe_check_period,
		.setup_aux = spe_setup_aux,
		.free_aux = armature_spe_free_aux,
	};
	ret = request_percpu_irq(s->irq, spe_irq, KBUILD_MODNAME, s->cpus);
	if (ret) {
		dev_err(s->dev, "cannot request PPI %d: %d\n", s->irq, ret);
		return ret;
	}
	ret = cpuhp_state_add_instance(spe_cpuhp_state, &s->cpuhp_node);
	if (ret)
		goto free_irq;
	ret = perf_pmu_register(&s->pmu, name, -1);
	if (ret)
		goto remove_instance;
	s->stats_file = debugfs_create_file(name, 0444, spe_debugfs, s, &spe_stats_fops);
	return 0;

remove_instance:
	cpuhp_state_remove_instance(spe_cpuhp_state, &s->cpuhp_node);
free_irq:
	free_percpu_irq(s->irq, s->cpus);
	return ret;
}

void armature_spe_unregister(struct armature_spe *s)
{
	debugfs_remove(s->stats_file);
	perf_pmu_unregister(&s->pmu);
	cpuhp_state_remove_instance(spe_cpuhp_state, &s->cpuhp_node);
	free_percpu_irq(s->irq, s->cpus);
}

/* Logging */

void armature_spe_err(struct armature_spe *s, const char *fmt, ...)
{
	KCPP_DEV_VLOG(dev_err, s->dev, fmt);
}

void armature_spe_warn(struct armature_spe *s, const char *fmt, ...)
{
	KCPP_DEV_VLOG(dev_warn, s->dev, fmt);
}

void armature_spe_info(struct armature_spe *s, const char *fmt, ...)
{
	KCPP_DEV_VLOG(dev_info, s->dev, fmt);
}

void armature_spe_err_ratelimited(const char *fmt, ...)
{
	struct va_format vaf = { .fmt = fmt };
	va_list args;

	va_start(args, fmt);
	vaf.va = &args;
	pr_err_ratelimited(KBUILD_MODNAME ": %pV", &vaf);
	va_end(args);
}

/* The platform driver */

static void spe_free_cpus(void *cpus)
{
	free_percpu(cpus);
}

static int spe_probe(struct platform_device *pdev)
{
	struct armature_spe *s = devm_kzalloc(&pdev->dev, sizeof(*s), GFP_KERNEL);
	int ret;

	if (!s)
		return -ENOMEM;
	s->dev = &pdev->dev;
	s->cpus = alloc_percpu(struct armature_spe_cpu);
	if (!s->cpus)
		return -ENOMEM;
	ret = devm_add_action_or_reset(&pdev->dev, spe_free_cpus, s->cpus);
	if (ret)
		return ret;
	spe_init_cpus(s);
	platform_set_drvdata(pdev, &s->pmu);
	return armature_spe_probe(s);
}

static void spe_remove(struct platform_device *pdev)
{
	armature_spe_remove(dev_to_spe(&pdev->dev));
}

static struct platform_driver spe_driver = {
	.driver = {
		.name = KBUILD_MODNAME,
		.of_match_table = armature_spe_of_ids,
		/* A PMU in use cannot be unbound under perf's feet. */
		.suppress_bind_attrs = true,
	},
	.probe = spe_probe,
	.remove_new = spe_remove,
	.id_table = armature_spe_platform_ids,
};

static int spe_init(void)
{
	int ret = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "perf/arm/spe:online",
					  spe_cpu_startup, spe_cpu_teardown);

	if (ret < 0)
		return ret;
	spe_cpuhp_state = ret;
	spe_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	ret = platform_driver_register(&spe_driver);
	if (ret) {
		debugfs_remove(spe_debugfs);
		cpuhp_remove_multi_state(spe_cpuhp_state);
	}
	return ret;
}

static void spe_exit(void)
{
	platform_driver_unregister(&spe_driver);
	debugfs_remove(spe_debugfs);
	cpuhp_remove_multi_state(spe_cpuhp_state);
}

KCPP_MODULE_INIT_EXIT(spe_init, spe_exit);
