// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp's device adapter (include/kcpp/device.h): the probe and remove
 * trampolines of a platform driver written in C++, and forwarders for what
 * a driver asks of its device.
 */
#include <linux/acpi.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/ratelimit.h>
#include <linux/workqueue.h>
#ifdef CONFIG_ACPI
#include <acpi/processor.h>
#endif

#include <kcpp_compat.h>
#include <kcpp/device.h>
#include <kcpp/glue.h>
#include <kcpp/log.h>

/* A kcpp_device and its rate limit, in one allocation. */
struct kcpp_bound_device {
	struct kcpp_device kdev;
	struct ratelimit_state ratelimit;
};

/* The platform driver */

static int kcpp_platform_probe(struct platform_device *pdev)
{
	struct kcpp_platform_driver *drv =
		container_of(to_platform_driver(pdev->dev.driver), struct kcpp_platform_driver,
			     driver);
	struct kcpp_bound_device *b = devm_kzalloc(&pdev->dev, sizeof(*b), GFP_KERNEL);

	might_sleep();
	if (!b)
		return -ENOMEM;
	kcpp_ratelimit_init(&b->ratelimit);
	b->kdev = (struct kcpp_device){ .dev = &pdev->dev, .ratelimit = &b->ratelimit };
	platform_set_drvdata(pdev, &b->kdev);
	return drv->ops->probe(&b->kdev);
}

static void kcpp_platform_remove(struct platform_device *pdev)
{
	struct kcpp_platform_driver *drv =
		container_of(to_platform_driver(pdev->dev.driver), struct kcpp_platform_driver,
			     driver);

	might_sleep();
	drv->ops->remove(platform_get_drvdata(pdev));
}

int kcpp_platform_driver_register(struct kcpp_platform_driver *drv, struct module *owner)
{
	drv->driver.probe = kcpp_platform_probe;
#ifdef KCPP_HAVE_PLATFORM_REMOVE_VOID
	drv->driver.remove = kcpp_platform_remove;
#else
	drv->driver.remove_new = kcpp_platform_remove;
#endif
	return __platform_driver_register(&drv->driver, owner);
}
EXPORT_SYMBOL_NS_GPL(kcpp_platform_driver_register, KCPP);

void kcpp_platform_driver_unregister(struct kcpp_platform_driver *drv)
{
	platform_driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_NS_GPL(kcpp_platform_driver_unregister, KCPP);

int kcpp_platform_driver_attach(struct kcpp_platform_driver *drv)
{
	return driver_attach(&drv->driver.driver);
}
EXPORT_SYMBOL_NS_GPL(kcpp_platform_driver_attach, KCPP);

/* The device */

void *kcpp_device_platdata(const struct kcpp_device *kdev)
{
	return dev_get_platdata(kdev->dev);
}
EXPORT_SYMBOL_NS_GPL(kcpp_device_platdata, KCPP);

void *kcpp_device_zalloc(struct kcpp_device *kdev, unsigned long size)
{
	return devm_kzalloc(kdev->dev, size, GFP_KERNEL);
}
EXPORT_SYMBOL_NS_GPL(kcpp_device_zalloc, KCPP);

int kcpp_device_add_action(struct kcpp_device *kdev, void (*fn)(void *), void *data)
{
	return devm_add_action_or_reset(kdev->dev, fn, data);
}
EXPORT_SYMBOL_NS_GPL(kcpp_device_add_action, KCPP);

static int kcpp_map_resource(struct kcpp_device *kdev, struct resource *res, void **base,
			     u64 *size)
{
	void __iomem *mapped;

	if (!res)
		return -ENOENT;
	mapped = devm_ioremap_resource(kdev->dev, res);
	if (IS_ERR(mapped))
		return PTR_ERR(mapped);
	*base = (void __force *)mapped;
	*size = resource_size(res);
	return 0;
}

int kcpp_device_map(struct kcpp_device *kdev, unsigned int index, void **base, u64 *size)
{
	return kcpp_map_resource(kdev, platform_get_resource(to_platform_device(kdev->dev),
							      IORESOURCE_MEM, index),
				 base, size);
}
EXPORT_SYMBOL_NS_GPL(kcpp_device_map, KCPP);

int kcpp_device_irq(struct kcpp_device *kdev, unsigned int index)
{
	return platform_get_irq(to_platform_device(kdev->dev), index);
}
EXPORT_SYMBOL_NS_GPL(kcpp_device_irq, KCPP);

int kcpp_device_irq_optional(struct kcpp_device *kdev, unsigned int index)
{
	return platform_get_irq_optional(to_platform_device(kdev->dev), index);
}
EXPORT_SYMBOL_NS_GPL(kcpp_device_irq_optional, KCPP);

struct kcpp_irq {
	bool (*handler)(void *data);
	void *data;
};

/* Interrupts are off unless the kernel forced it into a thread (PREEMPT_RT,
 * threadirqs) because flags lack IRQF_NO_THREAD. */
static irqreturn_t kcpp_irq_handler(int irq, void *arg)
{
	struct kcpp_irq *i = arg;

	return IRQ_RETVAL(i->handler(i->data));
}

int kcpp_device_request_irq(struct kcpp_device *kdev, int irq, unsigned long flags,
			    bool (*handler)(void *data), void *data)
{
	struct kcpp_irq *i = devm_kmalloc(kdev->dev, sizeof(*i), GFP_KERNEL);

	if (!i)
		return -ENOMEM;
	*i = (struct kcpp_irq){ handler, data };
	return devm_request_irq(kdev->dev, irq, kcpp_irq_handler, flags, dev_name(kdev->dev), i);
}
EXPORT_SYMBOL_NS_GPL(kcpp_device_request_irq, KCPP);

struct kcpp_percpu_irq {
	bool (*handler)(void *data);
	void *data;
	int irq;
	struct kcpp_irq __percpu *cpus;
};

static irqreturn_t kcpp_percpu_irq_handler(int irq, void *arg)
{
	struct kcpp_irq *i = arg;

	lockdep_assert_irqs_disabled();
	return IRQ_RETVAL(i->handler(i->data));
}

static void kcpp_percpu_irq_free(void *arg)
{
	struct kcpp_percpu_irq *p = arg;

	free_percpu_irq(p->irq, p->cpus);
	free_percpu(p->cpus);
}

int kcpp_device_request_percpu_irq(struct kcpp_device *kdev, int irq, const char *name,
				   bool (*handler)(void *data), void *data)
{
	struct kcpp_percpu_irq *p = devm_kzalloc(kdev->dev, sizeof(*p), GFP_KERNEL);
	unsigned int cpu;
	int ret;

	if (!p)
		return -ENOMEM;
	p->irq = irq;
	p->cpus = alloc_percpu(struct kcpp_irq);
	if (!p->cpus)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		*per_cpu_ptr(p->cpus, cpu) = (struct kcpp_irq){ handler, data };
	ret = request_percpu_irq(irq, kcpp_percpu_irq_handler, name, p->cpus);
	if (ret) {
		free_percpu(p->cpus);
		return ret;
	}
	return devm_add_action_or_reset(kdev->dev, kcpp_percpu_irq_free, p);
}
EXPORT_SYMBOL_NS_GPL(kcpp_device_request_percpu_irq, KCPP);

bool kcpp_irq_is_percpu(int irq)
{
	return irq_is_percpu(irq);
}
EXPORT_SYMBOL_NS_GPL(kcpp_irq_is_percpu, KCPP);

int kcpp_irq_percpu_cpus(int irq, struct cpumask *cpus)
{
	return irq_get_percpu_devid_partition(irq, cpus);
}
EXPORT_SYMBOL_NS_GPL(kcpp_irq_percpu_cpus, KCPP);

void kcpp_enable_percpu_irq_local(int irq)
{
	enable_percpu_irq(irq, IRQ_TYPE_NONE);
}
EXPORT_SYMBOL_NS_GPL(kcpp_enable_percpu_irq_local, KCPP);

void kcpp_disable_percpu_irq_local(int irq)
{
	disable_percpu_irq(irq);
}
EXPORT_SYMBOL_NS_GPL(kcpp_disable_percpu_irq_local, KCPP);

int kcpp_irq_set_affinity(int irq, const struct cpumask *mask)
{
	return irq_set_affinity(irq, mask);
}
EXPORT_SYMBOL_NS_GPL(kcpp_irq_set_affinity, KCPP);

/* Firmware */

bool kcpp_device_property_present(const struct kcpp_device *kdev, const char *name)
{
	return device_property_present(kdev->dev, name);
}
EXPORT_SYMBOL_NS_GPL(kcpp_device_property_present, KCPP);

int kcpp_device_property_read_u32(const struct kcpp_device *kdev, const char *name, u32 *value)
{
	return device_property_read_u32(kdev->dev, name, value);
}
EXPORT_SYMBOL_NS_GPL(kcpp_device_property_read_u32, KCPP);

int kcpp_device_property_read_u64_array(const struct kcpp_device *kdev, const char *name,
					u64 *values, unsigned long count)
{
	return device_property_read_u64_array(kdev->dev, name, values, count);
}
EXPORT_SYMBOL_NS_GPL(kcpp_device_property_read_u64_array, KCPP);

int kcpp_device_of_cpu(const struct kcpp_device *kdev, const char *name, unsigned int index,
		       int *cpu)
{
	struct device_node *np = of_parse_phandle(dev_of_node(kdev->dev), name, index);

	if (!np)
		return -ENOENT;
	*cpu = of_cpu_node_to_id(np);
	of_node_put(np);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(kcpp_device_of_cpu, KCPP);

#ifdef CONFIG_ACPI
static void kcpp_acpi_device_put(void *adev)
{
	acpi_dev_put(adev);
}

struct acpi_device *kcpp_acpi_device_get(struct kcpp_device *kdev, const char *hid,
					 const char *uid)
{
	struct acpi_device *adev = acpi_dev_get_first_match_dev(hid, uid, -1);

	if (adev && devm_add_action_or_reset(kdev->dev, kcpp_acpi_device_put, adev))
		return NULL;
	return adev;
}

int kcpp_acpi_device_read_u32(struct acpi_device *adev, const char *name, u32 *value)
{
	return fwnode_property_read_u32(acpi_fwnode_handle(adev), name, value);
}

int kcpp_acpi_device_map(struct kcpp_device *kdev, struct acpi_device *adev, void **base,
			 u64 *size)
{
	LIST_HEAD(resources);
	struct resource_entry *first;
	int ret = acpi_dev_get_memory_resources(adev, &resources);

	if (ret < 0)
		return ret;
	first = list_first_entry_or_null(&resources, struct resource_entry, node);
	/* The mapping's request copies the range: the list can go. */
	ret = kcpp_map_resource(kdev, first ? first->res : NULL, base, size);
	acpi_dev_free_resource_list(&resources);
	return ret;
}

struct acpi_device *kcpp_acpi_device_parent(struct acpi_device *adev)
{
	return acpi_dev_parent(adev);
}

bool kcpp_acpi_device_is(struct acpi_device *adev, const char *hid, u64 uid)
{
#ifdef KCPP_HAVE_ACPI_UID_INTEGER
	return acpi_dev_hid_uid_match(adev, hid, uid);
#else
	/* The UID as the kernel reads an integer one (acpi_dev_uid_to_integer). */
	u64 value;

	return acpi_dev_hid_uid_match(adev, hid, NULL) &&
	       !acpi_dev_uid_to_integer(adev, &value) && value == uid;
#endif
}

struct acpi_device *kcpp_acpi_cpu_device(unsigned int cpu)
{
	struct device *dev = get_cpu_device(cpu);

	return dev ? ACPI_COMPANION(dev) : NULL;
}

bool kcpp_acpi_cpu_uid(unsigned int cpu, u32 *uid)
{
#ifdef CONFIG_ARM64
	/* Without ACPI tables every CPU's MADT entry is empty. */
	if (acpi_disabled)
		return false;
	*uid = get_acpi_id_for_cpu(cpu);
	return true;
#else
	return false;
#endif
}
#else
struct acpi_device *kcpp_acpi_device_get(struct kcpp_device *kdev, const char *hid,
					 const char *uid)
{
	return NULL;
}

int kcpp_acpi_device_read_u32(struct acpi_device *adev, const char *name, u32 *value)
{
	return -ENODEV;
}

int kcpp_acpi_device_map(struct kcpp_device *kdev, struct acpi_device *adev, void **base,
			 u64 *size)
{
	return -ENODEV;
}

struct acpi_device *kcpp_acpi_device_parent(struct acpi_device *adev)
{
	return NULL;
}

bool kcpp_acpi_device_is(struct acpi_device *adev, const char *hid, u64 uid)
{
	return false;
}

struct acpi_device *kcpp_acpi_cpu_device(unsigned int cpu)
{
	return NULL;
}

bool kcpp_acpi_cpu_uid(unsigned int cpu, u32 *uid)
{
	return false;
}
#endif
EXPORT_SYMBOL_NS_GPL(kcpp_acpi_device_get, KCPP);
EXPORT_SYMBOL_NS_GPL(kcpp_acpi_device_read_u32, KCPP);
EXPORT_SYMBOL_NS_GPL(kcpp_acpi_device_map, KCPP);
EXPORT_SYMBOL_NS_GPL(kcpp_acpi_device_parent, KCPP);
EXPORT_SYMBOL_NS_GPL(kcpp_acpi_device_is, KCPP);
EXPORT_SYMBOL_NS_GPL(kcpp_acpi_cpu_device, KCPP);
EXPORT_SYMBOL_NS_GPL(kcpp_acpi_cpu_uid, KCPP);

/* CPUs */

int kcpp_next_possible_cpu(int prev)
{
	unsigned int cpu = cpumask_next(prev, cpu_possible_mask);

	return cpu < nr_cpu_ids ? cpu : -1;
}
EXPORT_SYMBOL_NS_GPL(kcpp_next_possible_cpu, KCPP);

int kcpp_cpu_to_node(unsigned int cpu)
{
	return cpu_to_node(cpu);
}
EXPORT_SYMBOL_NS_GPL(kcpp_cpu_to_node, KCPP);

unsigned int kcpp_nr_cpu_ids(void)
{
	return nr_cpu_ids;
}
EXPORT_SYMBOL_NS_GPL(kcpp_nr_cpu_ids, KCPP);

unsigned int kcpp_this_cpu(void)
{
	return smp_processor_id();
}
EXPORT_SYMBOL_NS_GPL(kcpp_this_cpu, KCPP);

unsigned long kcpp_local_irq_save(void)
{
	unsigned long flags;

	local_irq_save(flags);
	return flags;
}
EXPORT_SYMBOL_NS_GPL(kcpp_local_irq_save, KCPP);

void kcpp_local_irq_restore(unsigned long flags)
{
	local_irq_restore(flags);
}
EXPORT_SYMBOL_NS_GPL(kcpp_local_irq_restore, KCPP);

int kcpp_call_on_any_cpu(const struct cpumask *mask, void (*fn)(void *arg), void *arg)
{
	return smp_call_function_any(mask, fn, arg, 1);
}
EXPORT_SYMBOL_NS_GPL(kcpp_call_on_any_cpu, KCPP);

static void kcpp_percpu_free(void *percpu)
{
	free_percpu((void __force __percpu *)percpu);
}

void *kcpp_device_alloc_percpu(struct kcpp_device *kdev, unsigned long size, unsigned long align)
{
	void *percpu = (void __force *)__alloc_percpu(size, align);

	if (!percpu || devm_add_action_or_reset(kdev->dev, kcpp_percpu_free, percpu))
		return NULL;
	return percpu;
}
EXPORT_SYMBOL_NS_GPL(kcpp_device_alloc_percpu, KCPP);

void *kcpp_per_cpu_ptr(void *percpu, unsigned int cpu)
{
	return per_cpu_ptr((void __force __percpu *)percpu, cpu);
}
EXPORT_SYMBOL_NS_GPL(kcpp_per_cpu_ptr, KCPP);

void *kcpp_this_cpu_ptr(void *percpu)
{
	return this_cpu_ptr((void __force __percpu *)percpu);
}
EXPORT_SYMBOL_NS_GPL(kcpp_this_cpu_ptr, KCPP);

void kcpp_cpumask_set(struct cpumask *mask, unsigned int cpu)
{
	cpumask_set_cpu(cpu, mask);
}
EXPORT_SYMBOL_NS_GPL(kcpp_cpumask_set, KCPP);

bool kcpp_cpumask_test(const struct cpumask *mask, unsigned int cpu)
{
	return cpumask_test_cpu(cpu, mask);
}
EXPORT_SYMBOL_NS_GPL(kcpp_cpumask_test, KCPP);

void kcpp_cpumask_clear(struct cpumask *mask)
{
	cpumask_clear(mask);
}
EXPORT_SYMBOL_NS_GPL(kcpp_cpumask_clear, KCPP);

int kcpp_cpumask_any_online_but(const struct cpumask *mask, unsigned int cpu)
{
#ifdef KCPP_HAVE_CPUMASK_ANY_AND_BUT
	unsigned int other = cpumask_any_and_but(mask, cpu_online_mask, cpu);
#else
	unsigned int other = cpumask_first_and(mask, cpu_online_mask);

	if (other == cpu)
		other = cpumask_next_and(cpu, mask, cpu_online_mask);
#endif

	return other < nr_cpu_ids ? other : -1;
}
EXPORT_SYMBOL_NS_GPL(kcpp_cpumask_any_online_but, KCPP);

/* CPU hotplug */

struct kcpp_cpuhp_instance {
	struct hlist_node node;
	const struct kcpp_cpuhp_ops *ops;
	void *data;
};

static int kcpp_cpuhp_online(unsigned int cpu, struct hlist_node *node)
{
	struct kcpp_cpuhp_instance *inst = hlist_entry(node, struct kcpp_cpuhp_instance, node);

	might_sleep();
	inst->ops->online(inst->data, cpu);
	return 0;
}

static int kcpp_cpuhp_offline(unsigned int cpu, struct hlist_node *node)
{
	struct kcpp_cpuhp_instance *inst = hlist_entry(node, struct kcpp_cpuhp_instance, node);

	might_sleep();
	inst->ops->offline(inst->data, cpu);
	return 0;
}

int kcpp_cpuhp_setup(const char *name)
{
	return cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, name, kcpp_cpuhp_online,
				       kcpp_cpuhp_offline);
}
EXPORT_SYMBOL_NS_GPL(kcpp_cpuhp_setup, KCPP);

void kcpp_cpuhp_remove(int state)
{
	cpuhp_remove_multi_state(state);
}
EXPORT_SYMBOL_NS_GPL(kcpp_cpuhp_remove, KCPP);

struct kcpp_cpuhp_instance *kcpp_cpuhp_instance_alloc(struct kcpp_device *kdev,
						const struct kcpp_cpuhp_ops *ops, void *data)
{
	struct kcpp_cpuhp_instance *inst = devm_kzalloc(kdev->dev, sizeof(*inst), GFP_KERNEL);

	if (inst)
		*inst = (struct kcpp_cpuhp_instance){ .ops = ops, .data = data };
	return inst;
}
EXPORT_SYMBOL_NS_GPL(kcpp_cpuhp_instance_alloc, KCPP);

int kcpp_cpuhp_add(int state, struct kcpp_cpuhp_instance *inst)
{
	return cpuhp_state_add_instance(state, &inst->node);
}
EXPORT_SYMBOL_NS_GPL(kcpp_cpuhp_add, KCPP);

void kcpp_cpuhp_del(int state, struct kcpp_cpuhp_instance *inst)
{
	cpuhp_state_remove_instance(state, &inst->node);
}
EXPORT_SYMBOL_NS_GPL(kcpp_cpuhp_del, KCPP);

void kcpp_cpuhp_del_nocalls(int state, struct kcpp_cpuhp_instance *inst)
{
	cpuhp_state_remove_instance_nocalls(state, &inst->node);
}
EXPORT_SYMBOL_NS_GPL(kcpp_cpuhp_del_nocalls, KCPP);

/* Work items */

void kcpp_work_init(struct work_struct *work, void (*fn)(struct work_struct *work),
		    const char *name, struct lock_class_key *key)
{
	__INIT_WORK_KEY(work, fn, 0, key);
#ifdef CONFIG_LOCKDEP
	lockdep_init_map(&work->lockdep_map, name, key, 0);
#endif
}
EXPORT_SYMBOL_NS_GPL(kcpp_work_init, KCPP);

void kcpp_queue_work_unbound(struct work_struct *work)
{
	queue_work(system_unbound_wq, work);
}
EXPORT_SYMBOL_NS_GPL(kcpp_queue_work_unbound, KCPP);

void kcpp_flush_work(struct work_struct *work)
{
	flush_work(work);
}
EXPORT_SYMBOL_NS_GPL(kcpp_flush_work, KCPP);
