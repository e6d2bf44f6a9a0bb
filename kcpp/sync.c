// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp's synchronisation adapter (include/kcpp/sync.h).
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/refcount.h>

#include <kcpp/sync.h>

/* C++ holds a refcount_t as this opaque struct. */
struct kcpp_refcount {
	refcount_t r;
};

void kcpp_completion_init(struct completion *c)
{
	init_completion(c);
}
EXPORT_SYMBOL_NS_GPL(kcpp_completion_init, KCPP);

void kcpp_completion_reinit(struct completion *c)
{
	reinit_completion(c);
}
EXPORT_SYMBOL_NS_GPL(kcpp_completion_reinit, KCPP);

void kcpp_complete(struct completion *c)
{
	complete(c);
}
EXPORT_SYMBOL_NS_GPL(kcpp_complete, KCPP);

bool kcpp_completion_wait_ms(struct completion *c, unsigned int ms)
{
	return wait_for_completion_timeout(c, msecs_to_jiffies(ms)) != 0;
}
EXPORT_SYMBOL_NS_GPL(kcpp_completion_wait_ms, KCPP);

bool kcpp_completion_done(struct completion *c)
{
	return completion_done(c);
}
EXPORT_SYMBOL_NS_GPL(kcpp_completion_done, KCPP);

void kcpp_refcount_set(struct kcpp_refcount *r, unsigned int n)
{
	refcount_set(&r->r, n);
}
EXPORT_SYMBOL_NS_GPL(kcpp_refcount_set, KCPP);

void kcpp_refcount_inc(struct kcpp_refcount *r)
{
	refcount_inc(&r->r);
}
EXPORT_SYMBOL_NS_GPL(kcpp_refcount_inc, KCPP);

bool kcpp_refcount_dec_and_test(struct kcpp_refcount *r)
{
	return refcount_dec_and_test(&r->r);
}
EXPORT_SYMBOL_NS_GPL(kcpp_refcount_dec_and_test, KCPP);

unsigned int kcpp_refcount_read(const struct kcpp_refcount *r)
{
	return refcount_read(&r->r);
}
EXPORT_SYMBOL_NS_GPL(kcpp_refcount_read, KCPP);

void kcpp_msleep(unsigned int ms)
{
	msleep(ms);
}
EXPORT_SYMBOL_NS_GPL(kcpp_msleep, KCPP);
