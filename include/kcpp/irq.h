/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcpp's interrupt adapter, C side (kcpp/irq.c): an interrupt by its Linux
 * number, requested and freed by its owner (not devm: the owner's lifetime
 * is not a device binding's). C++ wrapper: kcpp/irq.hpp.
 */
#ifndef KCPP_IRQ_H
#define KCPP_IRQ_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kcpp_irq_action;

/*
 * request_irq(): handler(data) runs in hard interrupt context and returns
 * true when the interrupt was its own. name must outlive the action. The
 * action, or an ERR_PTR.
 */
struct kcpp_irq_action *kcpp_request_irq(int irq, const char *name,
					 bool (*handler)(void *data), void *data);
/*
 * request_threaded_irq() with no primary handler (IRQF_ONESHOT): handler
 * runs in the interrupt's kernel thread, where it may sleep.
 */
struct kcpp_irq_action *kcpp_request_threaded_irq(int irq, const char *name,
						  bool (*handler)(void *data), void *data);
/* free_irq(): waits for a running handler to return. Sleeps. */
void kcpp_free_irq(struct kcpp_irq_action *action);

#ifdef __cplusplus
}
#endif

#endif /* KCPP_IRQ_H */
