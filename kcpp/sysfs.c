// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp's sysfs adapter (include/kcpp/sysfs.h): attribute groups whose files
 * C++ shows.
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/sysfs.h>

#include <kcpp/device.h>
#include <kcpp/sysfs.h>

struct kcpp_attr {
	struct device_attribute attr;
	kcpp_sysfs_show show;
	const void *arg;
	u64 value;
};

struct kcpp_sysfs {
	const struct attribute_group **groups; /* groups + 1 */
	struct attribute_group *group;         /* groups */
	struct kcpp_attr *attrs;
	struct attribute **slots;              /* attrs + groups */
};

static ssize_t kcpp_attr_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct kcpp_attr *a = container_of(attr, struct kcpp_attr, attr);

	return a->show(a->arg, a->value, buf);
}

struct kcpp_sysfs *kcpp_sysfs_alloc(struct kcpp_device *kdev, unsigned int groups,
				    unsigned int attrs)
{
	/* One allocation, each part a multiple of the pointer size. */
	size_t size = sizeof(struct kcpp_sysfs) + (groups + 1) * sizeof(void *) +
		      groups * sizeof(struct attribute_group) + attrs * sizeof(struct kcpp_attr) +
		      (attrs + groups) * sizeof(void *);
	struct kcpp_sysfs *s = kcpp_device_zalloc(kdev, size);

	if (!s)
		return NULL;
	s->groups = (void *)(s + 1);
	s->group = (void *)(s->groups + groups + 1);
	s->attrs = (void *)(s->group + groups);
	s->slots = (void *)(s->attrs + attrs);
	return s;
}
EXPORT_SYMBOL_NS_GPL(kcpp_sysfs_alloc, KCPP);
static_assert(sizeof(struct attribute_group) % sizeof(void *) == 0);
static_assert(sizeof(struct kcpp_attr) % sizeof(void *) == 0);

void kcpp_sysfs_set_group(struct kcpp_sysfs *s, unsigned int g, const char *name,
			  unsigned int first)
{
	s->group[g] = (struct attribute_group){ .name = name, .attrs = &s->slots[first] };
	s->groups[g] = &s->group[g];
}
EXPORT_SYMBOL_NS_GPL(kcpp_sysfs_set_group, KCPP);

void kcpp_sysfs_set_attr(struct kcpp_sysfs *s, unsigned int i, unsigned int slot,
			 const char *name, kcpp_sysfs_show show, const void *arg, u64 value)
{
	struct kcpp_attr *a = &s->attrs[i];

	*a = (struct kcpp_attr){
		.attr = { .attr = { .name = name, .mode = 0444 }, .show = kcpp_attr_show },
		.show = show,
		.arg = arg,
		.value = value,
	};
	sysfs_attr_init(&a->attr.attr);
	s->slots[slot] = &a->attr.attr;
}
EXPORT_SYMBOL_NS_GPL(kcpp_sysfs_set_attr, KCPP);

const struct attribute_group **kcpp_sysfs_groups(struct kcpp_sysfs *s)
{
	return s->groups;
}
EXPORT_SYMBOL_NS_GPL(kcpp_sysfs_groups, KCPP);

long kcpp_sysfs_show_string(const void *arg, u64 value, char *buf)
{
	return sysfs_emit(buf, "%s\n", (const char *)arg);
}
EXPORT_SYMBOL_NS_GPL(kcpp_sysfs_show_string, KCPP);

long kcpp_sysfs_show_event(const void *arg, u64 value, char *buf)
{
	return sysfs_emit(buf, "event=0x%llx\n", value);
}
EXPORT_SYMBOL_NS_GPL(kcpp_sysfs_show_event, KCPP);

long kcpp_sysfs_show_cpumask(const void *arg, u64 value, char *buf)
{
	return cpumap_print_to_pagebuf(true, buf, arg);
}
EXPORT_SYMBOL_NS_GPL(kcpp_sysfs_show_cpumask, KCPP);

long kcpp_sysfs_show_u64(const void *arg, u64 value, char *buf)
{
	return sysfs_emit(buf, "%llu\n", value);
}
EXPORT_SYMBOL_NS_GPL(kcpp_sysfs_show_u64, KCPP);

long kcpp_sysfs_show_hex(const void *arg, u64 value, char *buf)
{
	return sysfs_emit(buf, "0x%llx\n", value);
}
EXPORT_SYMBOL_NS_GPL(kcpp_sysfs_show_hex, KCPP);

/* debugfs */

struct dentry *kcpp_debugfs_dir(const char *name)
{
	return debugfs_create_dir(name, NULL);
}
EXPORT_SYMBOL_NS_GPL(kcpp_debugfs_dir, KCPP);

void kcpp_debugfs_remove(struct dentry *dentry)
{
	debugfs_remove(dentry);
}
EXPORT_SYMBOL_NS_GPL(kcpp_debugfs_remove, KCPP);

struct kcpp_debugfs_file {
	void (*show)(const void *data, struct seq_file *m);
	const void *data;
};

static int kcpp_debugfs_show(struct seq_file *m, void *unused)
{
	const struct kcpp_debugfs_file *f = m->private;

	f->show(f->data, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kcpp_debugfs);

static void kcpp_debugfs_remove_action(void *dentry)
{
	debugfs_remove(dentry);
}

int kcpp_device_debugfs_file(struct kcpp_device *kdev, const char *name, struct dentry *parent,
			     void (*show)(const void *data, struct seq_file *m), const void *data)
{
	struct kcpp_debugfs_file *f = kcpp_device_zalloc(kdev, sizeof(*f));

	if (!f)
		return -ENOMEM;
	*f = (struct kcpp_debugfs_file){ show, data };
	return kcpp_device_add_action(kdev, kcpp_debugfs_remove_action,
				      debugfs_create_file(name, 0444, parent, f, &kcpp_debugfs_fops));
}
EXPORT_SYMBOL_NS_GPL(kcpp_device_debugfs_file, KCPP);

void kcpp_seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	seq_vprintf(m, fmt, args);
	va_end(args);
}
EXPORT_SYMBOL_NS_GPL(kcpp_seq_printf, KCPP);
