// SPDX-License-Identifier: GPL-2.0
/*
 * arm_cspmu_module: the kernel objects of a CoreSight PMU and the platform
 * driver; every decision is in core.cpp.
 *
 * The driver registers from a work item, not from module_init: probing
 * requests the vendor backend's module, and module_init must not wait for
 * another module to load.
 */
#include <linux/acpi.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/perf_event.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/workqueue.h>
#include <kcpp/glue.h>
#ifdef CONFIG_ACPI
#include <acpi/processor.h>
#endif

#include "core.h"

#define DRVNAME "arm-cs-arch-pmu"

struct armature_cspmu {
	struct pmu pmu;
	struct device *dev;
	struct armature_cspmu_core *core;
	struct hlist_node cpuhp_node;
	cpumask_t associated_cpus;
	cpumask_t active_cpu;
	int irq;
	struct dev_ext_attribute identifier_attr; /* var: the C++ object's string */
	struct attribute *identifier_list[2];
	struct attribute_group identifier_group;
	struct perf_pmu_events_attr *event_attrs;
	struct dev_ext_attribute *format_attrs;
	struct attribute **event_list;
	struct attribute **format_list;
	struct attribute_group events_group;
	struct attribute_group format_group;
	const struct attribute_group *groups[5];
	struct acpi_device *acpi_dev; /* APMT nodes of type "ACPI device" */
};

/*
 * notrace: the functions C++ calls stand in for accesses upstream's driver
 * makes inline, and the perf, hotplug and sysfs callbacks that only forward
 * to core.cpp leave the trace site to the C++ function they call: every
 * path upstream can trace still has a function ftrace can patch, and these
 * small ones go without the 16 bytes of patchable-entry NOPs and the 8-byte
 * __patchable_function_entries record each.
 */

static_assert(ARMATURE_CSPMU_HES_STOPPED == PERF_HES_STOPPED);
static_assert(ARMATURE_CSPMU_HES_UPTODATE == PERF_HES_UPTODATE);
static_assert(ARMATURE_CSPMU_EF_START == PERF_EF_START);
static_assert(ARMATURE_CSPMU_EF_RELOAD == PERF_EF_RELOAD);

static enum cpuhp_state cspmu_cpuhp_state;

static struct armature_cspmu *to_cspmu(struct pmu *pmu)
{
	return container_of(pmu, struct armature_cspmu, pmu);
}

static struct armature_cspmu *dev_to_cspmu(struct device *dev)
{
	return to_cspmu(dev_get_drvdata(dev));
}

/* perf callbacks */

static struct armature_cspmu_core *core_of(struct perf_event *event)
{
	return to_cspmu(event->pmu)->core;
}

static notrace int cspmu_event_init(struct perf_event *event)
{
	return armature_cspmu_event_init(core_of(event), event, &event->cpu, &event->hw.idx);
}

static notrace int cspmu_add(struct perf_event *event, int flags)
{
	return armature_cspmu_add(core_of(event), event, flags, &event->hw.idx, &event->hw.state);
}

static notrace void cspmu_del(struct perf_event *event, int flags)
{
	armature_cspmu_del(core_of(event), event, &event->hw.idx, &event->hw.state);
}

static notrace void cspmu_start(struct perf_event *event, int flags)
{
	armature_cspmu_start(core_of(event), event->hw.idx, &event->hw.state);
}

static notrace void cspmu_stop(struct perf_event *event, int flags)
{
	armature_cspmu_stop(core_of(event), event, event->hw.idx, &event->hw.state);
}

static notrace void cspmu_read(struct perf_event *event)
{
	armature_cspmu_read(core_of(event), event, event->hw.idx);
}

static notrace void cspmu_enable(struct pmu *pmu)
{
	armature_cspmu_enable(to_cspmu(pmu)->core);
}

static notrace void cspmu_disable(struct pmu *pmu)
{
	armature_cspmu_disable(to_cspmu(pmu)->core);
}

static notrace irqreturn_t cspmu_irq(int irq, void *data)
{
	struct armature_cspmu *c = data;
	struct armature_cspmu_core *core = READ_ONCE(c->core);

	/* Requested before the PMU is registered: nothing counts yet. */
	if (!core)
		return IRQ_NONE;
	return IRQ_RETVAL(armature_cspmu_handle_irq(core));
}

/* Event accessors */

notrace struct armature_cspmu_event_info armature_cspmu_event_get(struct armature_cspmu *c,
								  struct perf_event *event)
{
	struct perf_event *leader = event->group_leader;

	return (struct armature_cspmu_event_info){
		.config = event->attr.config,
		.config1 = event->attr.config1,
		.config2 = event->attr.config2,
		.leader_config = leader->attr.config,
		.leader_config1 = leader->attr.config1,
		.leader_config2 = leader->attr.config2,
		.leader = leader,
		.matches_type = event->attr.type == c->pmu.type,
		.on_this_pmu = event->pmu == &c->pmu,
		.is_software = is_software_event(event),
		.leader_on_this_pmu = leader->pmu == &c->pmu,
		.leader_is_software = is_software_event(leader),
		.sampling = is_sampling_event(event),
		.per_task = event->attach_state & PERF_ATTACH_TASK,
	};
}

notrace struct perf_event *armature_cspmu_next_sibling(struct perf_event *leader,
						       struct perf_event *pos)
{
	/* The leader's sibling_list is the head of the list. */
	struct list_head *next = pos->sibling_list.next;

	return next == &leader->sibling_list ? NULL :
	       list_entry(next, struct perf_event, sibling_list);
}

notrace void armature_cspmu_event_add_count(void *event, u64 delta)
{
	local64_add(delta, &((struct perf_event *)event)->count);
}

notrace void armature_cspmu_event_update_userpage(struct perf_event *event)
{
	perf_event_update_userpage(event);
}

notrace void armature_cspmu_set_core(struct armature_cspmu *c, struct armature_cspmu_core *core)
{
	WRITE_ONCE(c->core, core);
}

/* Resources */

static int cspmu_map_resource(struct armature_cspmu *c, struct resource *res, void **base,
			      u64 *size)
{
	void __iomem *mapped;

	if (!res)
		return -ENOENT;
	mapped = devm_ioremap_resource(c->dev, res);
	if (IS_ERR(mapped))
		return PTR_ERR(mapped);
	*base = (void __force *)mapped;
	*size = resource_size(res);
	return 0;
}

notrace int armature_cspmu_map_frame(struct armature_cspmu *c, unsigned int index, void **base,
				     u64 *size)
{
	return cspmu_map_resource(c, platform_get_resource(to_platform_device(c->dev),
							   IORESOURCE_MEM, index),
				  base, size);
}

notrace int armature_cspmu_request_irq(struct armature_cspmu *c)
{
	int irq = platform_get_irq_optional(to_platform_device(c->dev), 0);
	int ret;

	if (irq == -ENXIO)
		return 0;
	if (irq < 0)
		return dev_err_probe(c->dev, irq, "overflow interrupt\n");
	ret = devm_request_irq(c->dev, irq, cspmu_irq, IRQF_NOBALANCING | IRQF_NO_THREAD,
			       dev_name(c->dev), c);
	if (ret)
		return dev_err_probe(c->dev, ret, "cannot request overflow interrupt %d\n", irq);
	c->irq = irq;
	return 0;
}

/* CPUs */

notrace int armature_cspmu_next_possible_cpu(int prev)
{
	unsigned int cpu = cpumask_next(prev, cpu_possible_mask);

	return cpu < nr_cpu_ids ? cpu : -1;
}

notrace bool armature_cspmu_dt_has_cpus(struct armature_cspmu *c)
{
	return device_property_present(c->dev, "cpus");
}

notrace int armature_cspmu_dt_cpu(struct armature_cspmu *c, unsigned int index, int *cpu)
{
	struct device_node *np = of_parse_phandle(dev_of_node(c->dev), "cpus", index);

	if (!np)
		return -ENOENT;
	*cpu = of_cpu_node_to_id(np);
	of_node_put(np);
	return 0;
}

notrace bool armature_cspmu_acpi_cpu_uid(unsigned int cpu, u32 *uid)
{
#if defined(CONFIG_ACPI) && defined(CONFIG_ARM64)
	/* Without ACPI tables every CPU's MADT entry is empty. */
	if (acpi_disabled)
		return false;
	*uid = get_acpi_id_for_cpu(cpu);
	return true;
#else
	return false;
#endif
}

notrace bool armature_cspmu_cpu_in_acpi_container(unsigned int cpu, u32 container_uid)
{
#ifdef CONFIG_ACPI
	struct device *cpu_dev = get_cpu_device(cpu);
	struct acpi_device *adev = cpu_dev ? ACPI_COMPANION(cpu_dev) : NULL;

	for (; adev; adev = acpi_dev_parent(adev))
		if (acpi_dev_hid_uid_match(adev, ACPI_PROCESSOR_CONTAINER_HID, container_uid))
			return true;
#endif
	return false;
}

notrace void armature_cspmu_associate_cpu(struct armature_cspmu *c, unsigned int cpu)
{
	cpumask_set_cpu(cpu, &c->associated_cpus);
}

notrace bool armature_cspmu_cpu_associated(struct armature_cspmu *c, unsigned int cpu)
{
	return cpumask_test_cpu(cpu, &c->associated_cpus);
}

notrace int armature_cspmu_other_online_associated_cpu(struct armature_cspmu *c, unsigned int cpu)
{
	unsigned int other = cpumask_any_and_but(&c->associated_cpus, cpu_online_mask, cpu);

	return other < nr_cpu_ids ? other : -1;
}

notrace int armature_cspmu_cpu_to_node(unsigned int cpu)
{
	return cpu_to_node(cpu);
}

notrace void armature_cspmu_set_active_cpu(struct armature_cspmu *c, int cpu)
{
	int ret;

	cpumask_clear(&c->active_cpu);
	if (cpu < 0)
		return;
	cpumask_set_cpu(cpu, &c->active_cpu);
	if (!c->irq)
		return;
	ret = irq_set_affinity(c->irq, &c->active_cpu);
	if (ret)
		dev_err(c->dev, "cannot move the overflow interrupt to CPU %d: %d\n", cpu, ret);
}

notrace void armature_cspmu_migrate(struct armature_cspmu *c, unsigned int from, unsigned int to)
{
	perf_pmu_migrate_context(&c->pmu, from, to);
}

static notrace int cspmu_cpu_online(unsigned int cpu, struct hlist_node *node)
{
	armature_cspmu_cpu_online(hlist_entry(node, struct armature_cspmu, cpuhp_node)->core, cpu);
	return 0;
}

static notrace int cspmu_cpu_teardown(unsigned int cpu, struct hlist_node *node)
{
	armature_cspmu_cpu_teardown(hlist_entry(node, struct armature_cspmu, cpuhp_node)->core,
				    cpu);
	return 0;
}

/* sysfs */

static ssize_t cspmu_event_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "event=0x%llx\n",
			  container_of(attr, struct perf_pmu_events_attr, attr)->id);
}

notrace int armature_cspmu_alloc_attrs(struct armature_cspmu *c, unsigned int events,
				       unsigned int formats)
{
	/* One allocation: the attributes, then the two NULL-terminated lists
	 * (every part a multiple of 8 bytes, so each stays aligned). */
	size_t size = events * sizeof(*c->event_attrs) + formats * sizeof(*c->format_attrs) +
		      (events + 1 + formats + 1) * sizeof(*c->event_list);
	void *mem = devm_kzalloc(c->dev, size, GFP_KERNEL);

	if (!mem)
		return -ENOMEM;
	c->event_attrs = mem;
	c->format_attrs = (void *)(c->event_attrs + events);
	c->event_list = (void *)(c->format_attrs + formats);
	c->format_list = c->event_list + events + 1;
	return 0;
}
static_assert(sizeof(struct perf_pmu_events_attr) % sizeof(void *) == 0);
static_assert(sizeof(struct dev_ext_attribute) % sizeof(void *) == 0);

notrace void armature_cspmu_set_event_attr(struct armature_cspmu *c, unsigned int i,
					   const char *name, u64 id)
{
	struct perf_pmu_events_attr *a = &c->event_attrs[i];

	sysfs_attr_init(&a->attr.attr);
	a->attr.attr.name = name;
	a->attr.attr.mode = 0444;
	a->attr.show = cspmu_event_show;
	a->id = id;
	c->event_list[i] = &a->attr.attr;
}

notrace void armature_cspmu_set_format_attr(struct armature_cspmu *c, unsigned int i,
					    const char *name, const char *spec)
{
	struct dev_ext_attribute *a = &c->format_attrs[i];

	sysfs_attr_init(&a->attr.attr);
	a->attr.attr.name = name;
	a->attr.attr.mode = 0444;
	a->attr.show = device_show_string;
	a->var = (void *)spec;
	c->format_list[i] = &a->attr.attr;
}

/* cpumask and associated_cpus: one show, var the offset of the mask. */
static ssize_t cspmu_cpus_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	size_t offset = (size_t)container_of(attr, struct dev_ext_attribute, attr)->var;

	return cpumap_print_to_pagebuf(true, buf, (void *)dev_to_cspmu(dev) + offset);
}

#define CSPMU_CPUS_ATTR(_name, _field)                                         \
	static struct dev_ext_attribute dev_attr_##_name = {                   \
		__ATTR(_name, 0444, cspmu_cpus_show, NULL),                    \
		(void *)offsetof(struct armature_cspmu, _field)                \
	}
CSPMU_CPUS_ATTR(cpumask, active_cpu);
CSPMU_CPUS_ATTR(associated_cpus, associated_cpus);

static struct attribute *cpumask_attrs[] = {
	&dev_attr_cpumask.attr.attr,
	&dev_attr_associated_cpus.attr.attr,
	NULL,
};

static const struct attribute_group cpumask_group = {
	.attrs = cpumask_attrs,
};

/* Registration */

notrace int armature_cspmu_register(struct armature_cspmu *c, const char *name,
				    const char *identifier)
{
	int ret;

	c->identifier_attr = (struct dev_ext_attribute){
		__ATTR(identifier, 0444, device_show_string, NULL),
		(void *)identifier,
	};
	sysfs_attr_init(&c->identifier_attr.attr.attr);
	c->identifier_list[0] = &c->identifier_attr.attr.attr;
	c->identifier_group.attrs = c->identifier_list;
	c->events_group = (struct attribute_group){
		.name = "events",
		.attrs = c->event_list,
	};
	c->format_group = (struct attribute_group){
		.name = "format",
		.attrs = c->format_list,
	};
	c->groups[0] = &c->events_group;
	c->groups[1] = &c->format_group;
	c->groups[2] = &c->identifier_group;
	c->groups[3] = &cpumask_group;
	c->pmu = (struct pmu){
		.module = THIS_MODULE,
		.parent = c->dev,
		.task_ctx_nr = perf_invalid_context,
		.pmu_enable = cspmu_enable,
		.pmu_disable = cspmu_disable,
		.event_init = cspmu_event_init,
		.add = cspmu_add,
		.del = cspmu_del,
		.start = cspmu_start,
		.stop = cspmu_stop,
		.read = cspmu_read,
		.attr_groups = c->groups,
		.capabilities = PERF_PMU_CAP_NO_EXCLUDE | (c->irq ? 0 : PERF_PMU_CAP_NO_INTERRUPT),
	};
	ret = perf_pmu_register(&c->pmu, name, -1);
	if (ret)
		return ret;
	/* Picks the CPU that handles the PMU, from those online. */
	ret = cpuhp_state_add_instance(cspmu_cpuhp_state, &c->cpuhp_node);
	if (ret)
		perf_pmu_unregister(&c->pmu);
	return ret;
}

notrace void armature_cspmu_unregister(struct armature_cspmu *c)
{
	perf_pmu_unregister(&c->pmu);
	cpuhp_state_remove_instance_nocalls(cspmu_cpuhp_state, &c->cpuhp_node);
}

/* Logging */

notrace void armature_cspmu_err(struct armature_cspmu *c, const char *fmt, ...)
{
	KCPP_DEV_VLOG(dev_err, c->dev, fmt);
}
EXPORT_SYMBOL_NS_GPL(armature_cspmu_err, ARMATURE_CSPMU);

notrace void armature_cspmu_info(struct armature_cspmu *c, const char *fmt, ...)
{
	KCPP_DEV_VLOG(dev_info, c->dev, fmt);
}
EXPORT_SYMBOL_NS_GPL(armature_cspmu_info, ARMATURE_CSPMU);

notrace void armature_cspmu_dbg(struct armature_cspmu *c, const char *fmt, ...)
{
	KCPP_DEV_VLOG(dev_dbg, c->dev, fmt);
}

notrace void armature_cspmu_err_ratelimited(struct armature_cspmu *c, const char *fmt, ...)
{
	KCPP_DEV_VLOG(dev_err_ratelimited, c->dev, fmt);
}
EXPORT_SYMBOL_NS_GPL(armature_cspmu_err_ratelimited, ARMATURE_CSPMU);

notrace int armature_cspmu_map_acpi_device_frame(struct armature_cspmu *c, void **base, u64 *size)
{
#ifdef CONFIG_ACPI
	LIST_HEAD(resources);
	struct resource_entry *first;
	int ret;

	if (!c->acpi_dev)
		return -ENODEV;
	ret = acpi_dev_get_memory_resources(c->acpi_dev, &resources);
	if (ret < 0)
		return ret;
	first = list_first_entry_or_null(&resources, struct resource_entry, node);
	/* The mapping's request copies the range: the list can go. */
	ret = cspmu_map_resource(c, first ? first->res : NULL, base, size);
	acpi_dev_free_resource_list(&resources);
	return ret;
#else
	return -ENODEV;
#endif
}
EXPORT_SYMBOL_NS_GPL(armature_cspmu_map_acpi_device_frame, ARMATURE_CSPMU);

EXPORT_SYMBOL_NS_GPL(armature_cspmu_register_backend, ARMATURE_CSPMU);
EXPORT_SYMBOL_NS_GPL(armature_cspmu_unregister_backend, ARMATURE_CSPMU);

/* The platform driver */

#ifdef CONFIG_ACPI
static void cspmu_put_acpi_device(void *adev)
{
	acpi_dev_put(adev);
}

/*
 * The ACPI device an APMT node names by _HID and _UID, held until unbind:
 * its _DSD has the PMU's "instance_id", its resources a backend's registers.
 */
static struct acpi_device *cspmu_find_acpi_device(struct device *dev,
						  const struct acpi_apmt_node *node)
{
	char hid[sizeof(node->inst_primary) + 1] = {};
	char uid[11];
	struct acpi_device *adev;

	memcpy(hid, &node->inst_primary, sizeof(node->inst_primary));
	snprintf(uid, sizeof(uid), "%u", node->inst_secondary);
	adev = acpi_dev_get_first_match_dev(hid, uid, -1);
	if (adev && devm_add_action_or_reset(dev, cspmu_put_acpi_device, adev))
		return NULL;
	return adev;
}
#endif

static void cspmu_read_firmware(struct armature_cspmu *c, struct platform_device *pdev,
				struct armature_cspmu_firmware *fw)
{
	struct acpi_apmt_node **platdata = dev_get_platdata(&pdev->dev);
	struct acpi_apmt_node *node = platdata ? *platdata : NULL;
	u32 width = 0;

	fw->page1_present = platform_get_resource(pdev, IORESOURCE_MEM, 1) != NULL;
	fw->has_instance_id = !device_property_read_u32(&pdev->dev, "instance_id",
							&fw->instance_id);
	if (!node) {
		device_property_read_u32(&pdev->dev, "reg-io-width", &width);
		fw->atomic_64bit = width == 8;
		return;
	}
	fw->from_apmt = true;
	fw->atomic_64bit = node->flags & ACPI_APMT_FLAGS_ATOMIC;
	fw->apmt_flags = node->flags;
	fw->apmt_type = node->type;
	fw->apmt_impl_id = node->impl_id;
	fw->apmt_inst_primary = node->inst_primary;
	fw->apmt_inst_secondary = node->inst_secondary;
	fw->apmt_proc_affinity = node->proc_affinity;
#ifdef CONFIG_ACPI
	if (node->type == ACPI_APMT_NODE_TYPE_ACPI)
		c->acpi_dev = cspmu_find_acpi_device(&pdev->dev, node);
	if (c->acpi_dev)
		fw->has_instance_id = !fwnode_property_read_u32(acpi_fwnode_handle(c->acpi_dev),
								"instance_id", &fw->instance_id);
#endif
}

static int cspmu_probe(struct platform_device *pdev)
{
	struct armature_cspmu_firmware fw = {};
	struct armature_cspmu *c = devm_kzalloc(&pdev->dev, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->dev = &pdev->dev;
	platform_set_drvdata(pdev, c);
	cspmu_read_firmware(c, pdev, &fw);
	return armature_cspmu_probe(c, &fw);
}

static notrace void cspmu_remove(struct platform_device *pdev)
{
	struct armature_cspmu *c = platform_get_drvdata(pdev);

	armature_cspmu_remove(c->core);
}

static const struct platform_device_id cspmu_ids[] = {
	{ DRVNAME, 0 },
	{ },
};
MODULE_DEVICE_TABLE(platform, cspmu_ids);

static const struct of_device_id cspmu_of_match[] = {
	{ .compatible = "arm,coresight-pmu" },
	{ },
};
MODULE_DEVICE_TABLE(of, cspmu_of_match);

static struct platform_driver cspmu_driver = {
	.driver = {
		.name = DRVNAME,
		.of_match_table = cspmu_of_match,
	},
	.probe = cspmu_probe,
	.remove_new = cspmu_remove,
	.id_table = cspmu_ids,
};

static bool cspmu_driver_registered;

static void cspmu_register_driver(struct work_struct *work)
{
	int ret = platform_driver_register(&cspmu_driver);

	if (ret)
		pr_err("arm_cspmu: cannot register the platform driver: %d\n", ret);
	cspmu_driver_registered = !ret;
}
static DECLARE_WORK(cspmu_register_work, cspmu_register_driver);

static int cspmu_init(void)
{
	int ret = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "perf/arm/cspmu:online",
					  cspmu_cpu_online, cspmu_cpu_teardown);

	if (ret < 0)
		return ret;
	cspmu_cpuhp_state = ret;
	ret = armature_cspmu_core_init();
	if (ret) {
		cpuhp_remove_multi_state(cspmu_cpuhp_state);
		return ret;
	}
	queue_work(system_unbound_wq, &cspmu_register_work);
	return 0;
}

static void cspmu_exit(void)
{
	flush_work(&cspmu_register_work);
	if (cspmu_driver_registered)
		platform_driver_unregister(&cspmu_driver);
	armature_cspmu_core_exit();
	cpuhp_remove_multi_state(cspmu_cpuhp_state);
}

KCPP_MODULE_INIT_EXIT(cspmu_init, cspmu_exit);
MODULE_DESCRIPTION("armature: Arm CoreSight architecture PMU, core and vendor backend registry");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
