/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcpp's sysfs adapter, C side (kcpp/sysfs.c): attribute groups for a
 * device (a PMU's events/, format/, identifier, cpumask ...), read-only
 * files shown by a function of (arg, value). C++ builds them from its
 * tables (kcpp/sysfs.hpp); the memory goes with the device's unbind. And
 * debugfs files of a device.
 */
#ifndef KCPP_SYSFS_H
#define KCPP_SYSFS_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct attribute_group;
struct cpumask;
struct kcpp_device;
struct kcpp_sysfs;

/* Writes the file's text to buf (a page); its length or an error. */
typedef long (*kcpp_sysfs_show)(const void *arg, __u64 value, char *buf);

/* Room for groups groups and attrs attributes, freed at kdev's unbind: the
 * attributes' list has attrs + groups slots, one empty slot ending each
 * group's part. */
struct kcpp_sysfs *kcpp_sysfs_alloc(struct kcpp_device *kdev, unsigned int groups,
				    unsigned int attrs);
/* Group g (name NULL: the device's own directory) lists the attributes in
 * slots first, first + 1, ... up to an empty slot. */
void kcpp_sysfs_set_group(struct kcpp_sysfs *s, unsigned int g, const char *name,
			  unsigned int first);
/* Attribute i, mode 0444, in slot. */
void kcpp_sysfs_set_attr(struct kcpp_sysfs *s, unsigned int i, unsigned int slot,
			 const char *name, kcpp_sysfs_show show, const void *arg, __u64 value);
/* The NULL-terminated list of groups, for perf or a device. */
const struct attribute_group **kcpp_sysfs_groups(struct kcpp_sysfs *s);

/* Shows: arg is a string ("%s\n"); value is an event number
 * ("event=0x%llx\n"), a number ("%llu\n"), a number in hex ("0x%llx\n");
 * arg is a cpumask (a CPU list). */
long kcpp_sysfs_show_string(const void *arg, __u64 value, char *buf);
long kcpp_sysfs_show_event(const void *arg, __u64 value, char *buf);
long kcpp_sysfs_show_u64(const void *arg, __u64 value, char *buf);
long kcpp_sysfs_show_hex(const void *arg, __u64 value, char *buf);
long kcpp_sysfs_show_cpumask(const void *arg, __u64 value, char *buf);

/* debugfs: a directory (NULL or an error is fine to pass on, as debugfs'
 * own), and a file of kdev whose text show(data, m) writes, removed at
 * unbind. */
struct dentry;
struct seq_file;
struct dentry *kcpp_debugfs_dir(const char *name);
void kcpp_debugfs_remove(struct dentry *dentry);
int kcpp_device_debugfs_file(struct kcpp_device *kdev, const char *name, struct dentry *parent,
			     void (*show)(const void *data, struct seq_file *m), const void *data);
__attribute__((format(printf, 2, 3)))
void kcpp_seq_printf(struct seq_file *m, const char *fmt, ...);

#ifdef __cplusplus
}
#endif

#endif /* KCPP_SYSFS_H */
