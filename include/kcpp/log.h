/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcpp's logging, C side (kcpp/log.c): printk and dev_printk for C++,
 * which has none of the kernel's varargs macros. C++ wrappers with the
 * format checked: kcpp/log.hpp.
 */
#ifndef KCPP_LOG_H
#define KCPP_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

struct device;
struct ratelimit_state;

/* level: the kernel's LOGLEVEL_* */
enum {
	KCPP_LOG_ERR = 3,
	KCPP_LOG_WARNING = 4,
	KCPP_LOG_INFO = 6,
};
__attribute__((format(printf, 3, 4)))
void kcpp_dev_log(const struct device *dev, int level, const char *fmt, ...);
/* dev_dbg(): one dynamic-debug site, kcpp's ("module kcpp +p"). */
__attribute__((format(printf, 2, 3)))
void kcpp_dev_dbg(const struct device *dev, const char *fmt, ...);
/* A probe error, logged at debug level when it is -EPROBE_DEFER; err. */
__attribute__((format(printf, 3, 4)))
int kcpp_dev_err_probe(const struct device *dev, int err, const char *fmt, ...);
/* Without a device. */
__attribute__((format(printf, 2, 3)))
void kcpp_log(int level, const char *fmt, ...);
/* For a C++ varargs function of its own: prefix, then fmt's text. */
__attribute__((format(printf, 4, 0)))
void kcpp_dev_vlog(const struct device *dev, int level, const char *prefix, const char *fmt,
		   __builtin_va_list args);
__attribute__((format(printf, 3, 0)))
void kcpp_vlog(int level, const char *prefix, const char *fmt, __builtin_va_list args);

/* A rate limit of the kernel's default interval and burst, in C++ storage
 * (KCPP_RATELIMIT_SIZE); true when a message may go out now. */
void kcpp_ratelimit_init(struct ratelimit_state *rs);
bool kcpp_ratelimit(struct ratelimit_state *rs);

#ifdef __cplusplus
}
#endif

#endif /* KCPP_LOG_H */
