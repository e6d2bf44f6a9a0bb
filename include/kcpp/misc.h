/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcpp's character-device adapter, C side (kcpp/misc.c): a misc device and
 * anonymous-inode files whose open, release and ioctl are C++ functions, and
 * copies to and from user memory. C++ wrappers: kcpp/misc.hpp.
 *
 * Lifetime: the file operations are kcpp's own (static, kcpp.ko pinned by
 * every open file); each open file also holds a reference on the owner
 * module given at registration, as fops->owner would, so the owner's C++
 * code stays loaded until the file's release has returned. A file outlives
 * the misc device's deregistration: its release and ioctl see only the
 * private pointer the C++ open returned, never the registration.
 */
#ifndef KCPP_MISC_H
#define KCPP_MISC_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct device;
struct module;
struct kcpp_misc;

struct kcpp_file_ops {
	/* Misc devices only: a new open file of the device registered with
	 * data; 0 and *priv for the file's other calls, or an errno. */
	int (*open)(void *data, void **priv);
	/* The file's last reference is gone. */
	void (*release)(void *priv);
	/* arg is the user pointer or value (compat callers' pointers are
	 * converted, compat_ptr_ioctl). -ENOTTY for an unknown cmd. */
	long (*ioctl)(void *priv, unsigned int cmd, unsigned long arg);
};

/*
 * /dev/name, mode (e.g. 0600), a dynamic minor, with parent (may be NULL);
 * ops and data live until kcpp_misc_deregister(), owner (THIS_MODULE) while
 * any file is open. The registration, or an ERR_PTR.
 */
struct kcpp_misc *kcpp_misc_register(const char *name, __u16 mode, struct device *parent,
				     const struct kcpp_file_ops *ops, void *data,
				     struct module *owner);
/* No new open after this returns; open files keep working. */
void kcpp_misc_deregister(struct kcpp_misc *misc);

/*
 * A new file on the anonymous inode, name "[name]" in /proc/PID/fd, whose
 * release and ioctl call ops with priv (ops->open is unused); close-on-exec
 * when cloexec. The descriptor, or an errno (then ops->release is not
 * called: priv is still the caller's). owner must be live (the caller runs
 * in it).
 */
int kcpp_anon_getfd(const char *name, const struct kcpp_file_ops *ops, void *priv,
		    struct module *owner, bool cloexec);

/* 0, or -EFAULT when a byte could not be copied. */
int kcpp_copy_from_user(void *to, unsigned long from, unsigned long n);
int kcpp_copy_to_user(unsigned long to, const void *from, unsigned long n);

/* get_device()/put_device(): dev stays allocated (not bound) until the put. */
struct device *kcpp_get_device(struct device *dev);
void kcpp_put_device(struct device *dev);

#ifdef __cplusplus
}
#endif

#endif /* KCPP_MISC_H */
