// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp's character-device adapter (include/kcpp/misc.h): misc devices and
 * anonymous-inode files whose operations are C++ functions, and user copies.
 */
#include <linux/anon_inodes.h>
#include <linux/device.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <kcpp/misc.h>

struct kcpp_misc {
	struct miscdevice misc;
	const struct kcpp_file_ops *ops;
	void *data;
	struct module *owner;
};

/* An open file's private data: what its calls go to, and the module they
 * keep loaded. */
struct kcpp_file {
	const struct kcpp_file_ops *ops;
	void *priv;
	struct module *owner;
};

static int kcpp_file_release(struct inode *inode, struct file *file)
{
	struct kcpp_file *f = file->private_data;
	struct module *owner = f->owner;

	might_sleep();
	f->ops->release(f->priv);
	kfree(f);
	module_put(owner);
	return 0;
}

static long kcpp_file_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct kcpp_file *f = file->private_data;

	return f->ops->ioctl(f->priv, cmd, arg);
}

/* misc_open() holds misc_mtx around this: the registration cannot go away
 * under it, and the owner is live unless its exit is running. */
static int kcpp_misc_open(struct inode *inode, struct file *file)
{
	struct kcpp_misc *m = container_of(file->private_data, struct kcpp_misc, misc);
	struct kcpp_file *f = kzalloc(sizeof(*f), GFP_KERNEL);
	int ret;

	if (!f)
		return -ENOMEM;
	if (!try_module_get(m->owner)) {
		kfree(f);
		return -ENODEV;
	}
	*f = (struct kcpp_file){ .ops = m->ops, .owner = m->owner };
	ret = m->ops->open(m->data, &f->priv);
	if (ret) {
		module_put(m->owner);
		kfree(f);
		return ret;
	}
	file->private_data = f;
	return 0;
}

static const struct file_operations kcpp_misc_fops = {
	.owner = THIS_MODULE,
	.open = kcpp_misc_open,
	.release = kcpp_file_release,
	.unlocked_ioctl = kcpp_file_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static const struct file_operations kcpp_anon_fops = {
	.owner = THIS_MODULE,
	.release = kcpp_file_release,
	.unlocked_ioctl = kcpp_file_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

struct kcpp_misc *kcpp_misc_register(const char *name, u16 mode, struct device *parent,
				     const struct kcpp_file_ops *ops, void *data,
				     struct module *owner)
{
	struct kcpp_misc *m = kzalloc(sizeof(*m), GFP_KERNEL);
	int ret;

	if (!m)
		return ERR_PTR(-ENOMEM);
	*m = (struct kcpp_misc){
		.misc = {
			.minor = MISC_DYNAMIC_MINOR,
			.name = name,
			.fops = &kcpp_misc_fops,
			.parent = parent,
			.mode = mode,
		},
		.ops = ops,
		.data = data,
		.owner = owner,
	};
	ret = misc_register(&m->misc);
	if (ret) {
		kfree(m);
		return ERR_PTR(ret);
	}
	return m;
}
EXPORT_SYMBOL_NS_GPL(kcpp_misc_register, KCPP);

void kcpp_misc_deregister(struct kcpp_misc *misc)
{
	misc_deregister(&misc->misc);
	kfree(misc);
}
EXPORT_SYMBOL_NS_GPL(kcpp_misc_deregister, KCPP);

int kcpp_anon_getfd(const char *name, const struct kcpp_file_ops *ops, void *priv,
		    struct module *owner, bool cloexec)
{
	struct kcpp_file *f = kzalloc(sizeof(*f), GFP_KERNEL);
	int fd;

	if (!f)
		return -ENOMEM;
	*f = (struct kcpp_file){ .ops = ops, .priv = priv, .owner = owner };
	__module_get(owner);
	fd = anon_inode_getfd(name, &kcpp_anon_fops, f, O_RDWR | (cloexec ? O_CLOEXEC : 0));
	if (fd < 0) {
		module_put(owner);
		kfree(f);
	}
	return fd;
}
EXPORT_SYMBOL_NS_GPL(kcpp_anon_getfd, KCPP);

int kcpp_copy_from_user(void *to, unsigned long from, unsigned long n)
{
	return copy_from_user(to, (const void __user *)from, n) ? -EFAULT : 0;
}
EXPORT_SYMBOL_NS_GPL(kcpp_copy_from_user, KCPP);

int kcpp_copy_to_user(unsigned long to, const void *from, unsigned long n)
{
	return copy_to_user((void __user *)to, from, n) ? -EFAULT : 0;
}
EXPORT_SYMBOL_NS_GPL(kcpp_copy_to_user, KCPP);

struct device *kcpp_get_device(struct device *dev)
{
	return get_device(dev);
}
EXPORT_SYMBOL_NS_GPL(kcpp_get_device, KCPP);

void kcpp_put_device(struct device *dev)
{
	put_device(dev);
}
EXPORT_SYMBOL_NS_GPL(kcpp_put_device, KCPP);
