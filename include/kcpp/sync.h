/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcpp's synchronisation adapter, C side (kcpp/sync.c): completions and
 * reference counts embedded in C++ objects (sizes from kcpp_layout.h).
 * C++ wrappers: kcpp/sync.hpp.
 */
#ifndef KCPP_SYNC_H
#define KCPP_SYNC_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct completion;
struct kcpp_refcount;   /* a refcount_t */

void kcpp_completion_init(struct completion *c);
void kcpp_completion_reinit(struct completion *c);
/* complete(): may be called from any context, hard interrupts included. */
void kcpp_complete(struct completion *c);
/* wait_for_completion_timeout() in milliseconds: true when completed,
 * false when the time ran out. Sleeps (uninterruptibly). */
bool kcpp_completion_wait_ms(struct completion *c, unsigned int ms);
bool kcpp_completion_done(struct completion *c);

/* refcount_t: saturates and warns instead of wrapping. */
void kcpp_refcount_set(struct kcpp_refcount *r, unsigned int n);
void kcpp_refcount_inc(struct kcpp_refcount *r);
/* True when this dropped the last reference. */
bool kcpp_refcount_dec_and_test(struct kcpp_refcount *r);
unsigned int kcpp_refcount_read(const struct kcpp_refcount *r);

/* msleep(). */
void kcpp_msleep(unsigned int ms);

#ifdef __cplusplus
}
#endif

#endif /* KCPP_SYNC_H */
