// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp's logging (include/kcpp/log.h): the kernel's printk family for C++.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>

#include <kcpp/glue.h>
#include <kcpp/log.h>

static_assert(KCPP_LOG_ERR == LOGLEVEL_ERR);
static_assert(KCPP_LOG_WARNING == LOGLEVEL_WARNING);
static_assert(KCPP_LOG_INFO == LOGLEVEL_INFO);

void kcpp_dev_log(const struct device *dev, int level, const char *fmt, ...)
{
	const char lvl[] = { KERN_SOH_ASCII, '0' + level, '\0' };

	KCPP_VA_FORMAT(fmt, vaf, dev_printk(lvl, dev, "%pV", &vaf));
}
EXPORT_SYMBOL_NS_GPL(kcpp_dev_log, KCPP);

void kcpp_dev_dbg(const struct device *dev, const char *fmt, ...)
{
	KCPP_VA_FORMAT(fmt, vaf, dev_dbg(dev, "%pV", &vaf));
}
EXPORT_SYMBOL_NS_GPL(kcpp_dev_dbg, KCPP);

int kcpp_dev_err_probe(const struct device *dev, int err, const char *fmt, ...)
{
	KCPP_VA_FORMAT(fmt, vaf, dev_err_probe(dev, err, "%pV", &vaf));
	return err;
}
EXPORT_SYMBOL_NS_GPL(kcpp_dev_err_probe, KCPP);

void kcpp_log(int level, const char *fmt, ...)
{
	KCPP_VA_FORMAT(fmt, vaf, printk("%c%c%pV", KERN_SOH_ASCII, '0' + level, &vaf));
}
EXPORT_SYMBOL_NS_GPL(kcpp_log, KCPP);

void kcpp_dev_vlog(const struct device *dev, int level, const char *prefix, const char *fmt,
		   va_list args)
{
	const char lvl[] = { KERN_SOH_ASCII, '0' + level, '\0' };
	struct va_format vaf = { .fmt = fmt, .va = &args };

	dev_printk(lvl, dev, "%s%pV", prefix, &vaf);
}
EXPORT_SYMBOL_NS_GPL(kcpp_dev_vlog, KCPP);

void kcpp_vlog(int level, const char *prefix, const char *fmt, va_list args)
{
	struct va_format vaf = { .fmt = fmt, .va = &args };

	printk("%c%c%s%pV", KERN_SOH_ASCII, '0' + level, prefix, &vaf);
}
EXPORT_SYMBOL_NS_GPL(kcpp_vlog, KCPP);

void kcpp_ratelimit_init(struct ratelimit_state *rs)
{
	ratelimit_state_init(rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
}
EXPORT_SYMBOL_NS_GPL(kcpp_ratelimit_init, KCPP);

bool kcpp_ratelimit(struct ratelimit_state *rs)
{
	return __ratelimit(rs);
}
EXPORT_SYMBOL_NS_GPL(kcpp_ratelimit, KCPP);
