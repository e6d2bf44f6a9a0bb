// SPDX-License-Identifier: GPL-2.0
/*
 * kcpp's interrupt adapter (include/kcpp/irq.h).
 */
#include <linux/err.h>
#include <linux/interrupt.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <kcpp/irq.h>

struct kcpp_irq_action {
	int irq;
	bool (*handler)(void *data);
	void *data;
};

/* Hard-IRQ context, interrupts off; but threaded, interrupts on, where the
 * kernel forces handlers into threads (PREEMPT_RT, threadirqs). */
static irqreturn_t kcpp_irq_action_hard(int irq, void *arg)
{
	struct kcpp_irq_action *a = arg;

	return IRQ_RETVAL(a->handler(a->data));
}

static irqreturn_t kcpp_irq_action_thread(int irq, void *arg)
{
	struct kcpp_irq_action *a = arg;

	return IRQ_RETVAL(a->handler(a->data));
}

static struct kcpp_irq_action *kcpp_irq_action_new(int irq, bool (*handler)(void *), void *data)
{
	struct kcpp_irq_action *a = kmalloc(sizeof(*a), GFP_KERNEL);

	if (!a)
		return ERR_PTR(-ENOMEM);
	*a = (struct kcpp_irq_action){ irq, handler, data };
	return a;
}

static struct kcpp_irq_action *kcpp_irq_action_or_free(struct kcpp_irq_action *a, int ret)
{
	if (!ret)
		return a;
	kfree(a);
	return ERR_PTR(ret);
}

struct kcpp_irq_action *kcpp_request_irq(int irq, const char *name,
					 bool (*handler)(void *data), void *data)
{
	struct kcpp_irq_action *a = kcpp_irq_action_new(irq, handler, data);

	if (IS_ERR(a))
		return a;
	return kcpp_irq_action_or_free(a, request_irq(irq, kcpp_irq_action_hard, 0, name, a));
}
EXPORT_SYMBOL_NS_GPL(kcpp_request_irq, KCPP);

struct kcpp_irq_action *kcpp_request_threaded_irq(int irq, const char *name,
						  bool (*handler)(void *data), void *data)
{
	struct kcpp_irq_action *a = kcpp_irq_action_new(irq, handler, data);

	if (IS_ERR(a))
		return a;
	return kcpp_irq_action_or_free(a, request_threaded_irq(irq, NULL, kcpp_irq_action_thread,
								IRQF_ONESHOT, name, a));
}
EXPORT_SYMBOL_NS_GPL(kcpp_request_threaded_irq, KCPP);

void kcpp_free_irq(struct kcpp_irq_action *a)
{
	free_irq(a->irq, a);
	kfree(a);
}
EXPORT_SYMBOL_NS_GPL(kcpp_free_irq, KCPP);
