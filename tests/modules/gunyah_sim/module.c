// SPDX-License-Identifier: GPL-2.0
/*
 * gunyah_sim (tests only): a simulated Gunyah hypervisor and resource
 * manager for gunyah_rsc_mgr, on machines without Gunyah (QEMU). It finds
 * the RM's devicetree node (tools/qemu/gunyah-fixture) for the message
 * queues' capability IDs and the two interrupts, and registers a
 * gunyah_hypervisor with gunyah_rsc_mgr; it never binds the node itself.
 * Here: the module parameters, debugfs, the work items that run the RM, the
 * interrupts and the hypervisor's view of guest memory; the simulator is
 * sim.cpp. Test code, so not held to the rule of the drivers' C files
 * (scripts/check-glue): this is plumbing no shipped module needs, and
 * kcpp.ko carries nothing only tests use.
 */
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/jiffies.h>
#include <linux/kstrtox.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "sim.h"

static char *identity = "gunyah";
module_param(identity, charp, 0444);
MODULE_PARM_DESC(identity, "gunyah (plain Gunyah UUID) or qcom (also answers the Qualcomm UUID query)");

static bool register_hypervisor = true;
module_param(register_hypervisor, bool, 0444);
MODULE_PARM_DESC(register_hypervisor,
		 "N: do not register with gunyah_rsc_mgr (for the self-tests, which need the IRQs free)");

/* --- Fault-injection knobs: /sys/module/gunyah_sim/parameters/ --- */

static int knob_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret = kstrtouint(val, 0, &v);

	if (ret)
		return ret;
	return gunyah_sim_knob_set((enum gunyah_sim_knob)(uintptr_t)kp->arg, v);
}

static int knob_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n",
			  gunyah_sim_knob_get((enum gunyah_sim_knob)(uintptr_t)kp->arg));
}

static const struct kernel_param_ops knob_ops = {
	.set = knob_set,
	.get = knob_get,
};

#define SIM_KNOB(name, knob, mode, desc)                                       \
	module_param_cb(name, &knob_ops, (void *)(uintptr_t)(knob), mode);     \
	MODULE_PARM_DESC(name, desc)

SIM_KNOB(drop_next, GUNYAH_SIM_DROP_NEXT, 0644,
	 "1: the next request is lost (no effect, no reply); reads 0 once taken");
SIM_KNOB(delay_next_ms, GUNYAH_SIM_DELAY_NEXT_MS, 0644,
	 "The next reply reaches the client this many ms late");
SIM_KNOB(error_next, GUNYAH_SIM_ERROR_NEXT, 0644,
	 "The next request fails with this RM error (e.g. 5 BUSY), without effect");
SIM_KNOB(fail_msg_id, GUNYAH_SIM_FAIL_MSG_ID, 0644,
	 "With fail_nth, fail_error: the msg_id whose Nth request fails");
SIM_KNOB(fail_nth, GUNYAH_SIM_FAIL_NTH, 0644,
	 "The fail_nth-th request with fail_msg_id from now fails (0: off); counts down");
SIM_KNOB(fail_error, GUNYAH_SIM_FAIL_ERROR, 0644, "The RM error of fail_nth's request");
SIM_KNOB(malformed_next, GUNYAH_SIM_MALFORMED_NEXT, 0644,
	 "1: the next request is not carried out and its reply is cut 2 bytes into rm_error");
SIM_KNOB(duplicate_next, GUNYAH_SIM_DUPLICATE_NEXT, 0644,
	 "1: the next reply is sent twice, with the same seq");
SIM_KNOB(notify, GUNYAH_SIM_NOTIFY, 0200,
	 "Write a msg_id: the RM sends a notification with it (4 zero bytes of payload)");
SIM_KNOB(accept, GUNYAH_SIM_ACCEPT, 0200,
	 "Write a handle: that parcel counts as accepted by a VM (RECLAIM: MEM_INUSE)");
SIM_KNOB(release, GUNYAH_SIM_RELEASE, 0200, "Write a handle: undoes accept");

/* --- The hypervisor's view of memory, allocation --- */

void *gunyah_sim_map(__u64 phys, __u64 size)
{
	__u64 pfn, last;

	if (!size || phys + size < phys)
		return NULL;
	last = PHYS_PFN(phys + size - 1);
	/* RAM in the linear map (not a no-map carve-out such as the
	 * cspmu fixture's): what the hypervisor would find in the VM. */
	for (pfn = PHYS_PFN(phys); pfn <= last; pfn++)
		if (!pfn_is_map_memory(pfn))
			return NULL;
	return phys_to_virt(phys);
}

void *gunyah_sim_vzalloc(unsigned long size)
{
	return vzalloc(size);
}

void gunyah_sim_vfree(void *p)
{
	vfree(p);
}

/* --- The RM's run --- */

static struct workqueue_struct *sim_wq;

static void sim_rm_work(struct work_struct *work)
{
	gunyah_sim_rm_run();
}
static DECLARE_WORK(rm_work, sim_rm_work);

static void sim_delay_work(struct work_struct *work)
{
	gunyah_sim_delay_over();
}
static DECLARE_DELAYED_WORK(delay_work, sim_delay_work);

void gunyah_sim_wake_rm(void)
{
	queue_work(sim_wq, &rm_work);
}

void gunyah_sim_wake_after(unsigned int ms)
{
	queue_delayed_work(sim_wq, &delay_work, msecs_to_jiffies(ms));
}

void gunyah_sim_cancel_work(void)
{
	cancel_delayed_work_sync(&delay_work);
	cancel_work_sync(&rm_work);
}

/* --- Interrupts: the RM node's, TX then RX --- */

static unsigned int sim_irqs[2];

void gunyah_sim_raise(unsigned int which)
{
	int ret = irq_set_irqchip_state(sim_irqs[which], IRQCHIP_STATE_PENDING, true);

	if (ret)
		pr_warn_ratelimited("gunyah_sim: cannot raise IRQ %u: %d\n", sim_irqs[which], ret);
}

static unsigned long hwirq_of(unsigned int irq)
{
	struct irq_data *d = irq_get_irq_data(irq);

	return d ? irqd_to_hwirq(d) : 0;
}

/*
 * The self-tests, only while no driver holds the IRQs (gunyah_rsc_mgr not
 * bound): they take both, with handlers that count into selftest_done[].
 */
static struct completion selftest_done[2];
static struct gunyah_sim_config sim_config;

static irqreturn_t selftest_handler(int irq, void *data)
{
	complete(data);
	return IRQ_HANDLED;
}

bool gunyah_sim_selftest_wait(unsigned int which, unsigned int ms)
{
	return wait_for_completion_timeout(&selftest_done[which], msecs_to_jiffies(ms));
}

static int selftest_take_irqs(void)
{
	int i, ret;

	for (i = 0; i < 2; i++) {
		init_completion(&selftest_done[i]);
		ret = request_irq(sim_irqs[i], selftest_handler, 0, "gunyah_sim_selftest",
				  &selftest_done[i]);
		if (ret) {
			if (i)
				free_irq(sim_irqs[0], &selftest_done[0]);
			return ret;
		}
	}
	return 0;
}

static void selftest_free_irqs(void)
{
	free_irq(sim_irqs[0], &selftest_done[0]);
	free_irq(sim_irqs[1], &selftest_done[1]);
}

/* Write 1: raises each IRQ pending and waits for its handler. */
static int irq_selftest_set(const char *val, const struct kernel_param *kp)
{
	int i, ret;

	if (!sim_wq)
		return -ENODEV;
	ret = selftest_take_irqs();
	if (ret)
		return ret;
	for (i = 0; i < 2 && !ret; i++) {
		gunyah_sim_raise(i);
		if (!gunyah_sim_selftest_wait(i, 1000)) {
			pr_err("gunyah_sim: IRQ self-test: IRQ %u did not reach its handler\n",
			       sim_irqs[i]);
			ret = -ETIMEDOUT;
		}
	}
	selftest_free_irqs();
	if (!ret)
		pr_info("gunyah_sim: IRQ self-test: IRQs %u and %u reached their handlers\n",
			sim_irqs[0], sim_irqs[1]);
	return ret;
}

static const struct kernel_param_ops irq_selftest_ops = {
	.set = irq_selftest_set,
};
module_param_cb(irq_selftest, &irq_selftest_ops, NULL, 0200);
MODULE_PARM_DESC(irq_selftest,
		 "Write 1 while gunyah_rsc_mgr is not bound: raise both IRQs, check they are delivered");

/* Write 1: round trips of a client of the self-test's own (selftest.cpp). */
static int selftest_set(const char *val, const struct kernel_param *kp)
{
	int ret;

	if (!sim_wq)
		return -ENODEV;
	ret = selftest_take_irqs();
	if (ret)
		return ret;
	ret = gunyah_sim_selftest(sim_config.tx_cap, sim_config.rx_cap);
	selftest_free_irqs();
	if (!ret)
		pr_info("gunyah_sim: self-test: RPC round trips passed\n");
	return ret;
}

static const struct kernel_param_ops selftest_ops = {
	.set = selftest_set,
};
module_param_cb(selftest, &selftest_ops, NULL, 0200);
MODULE_PARM_DESC(selftest,
		 "Write 1 while gunyah_rsc_mgr is not bound: a client of its own makes RM calls through the simulator");

/* --- debugfs: /sys/kernel/debug/gunyah_sim/ --- */

static struct dentry *sim_debugfs;

static int state_show(struct seq_file *s, void *unused)
{
	struct gunyah_sim_stats st;

	gunyah_sim_get_stats(&st);
	seq_printf(s, "identity %s\n", identity);
	seq_printf(s, "tx_irq %u %lu\nrx_irq %u %lu\n", sim_irqs[0], hwirq_of(sim_irqs[0]),
		   sim_irqs[1], hwirq_of(sim_irqs[1]));
	seq_printf(s, "parcels %u\nlent_bytes %llu\nshared_bytes %llu\n", st.parcels,
		   st.lent_bytes, st.shared_bytes);
	seq_printf(s, "vmids %u\nnext_handle %u\n", st.vmids, st.next_handle);
	seq_printf(s, "requests %u\nreplies %u\ndropped %u\nignored %u\ndiscarded_partials %u\n",
		   st.requests, st.replies, st.dropped, st.ignored, st.discarded_partials);
	seq_printf(s, "tx_queued %u\nrx_queued %u\noutbox %u\ndelayed %d\n", st.tx_queued,
		   st.rx_queued, st.outbox, st.delayed);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(state);

static int parcels_show(struct seq_file *s, void *unused)
{
	struct gunyah_sim_parcel_info p;
	unsigned int i, a;

	for (i = 0; gunyah_sim_get_parcel(i, &p); i++) {
		seq_printf(s, "%u %s owner %u mem_type %u label 0x%x open %d accepted %d entries %llu bytes %llu acl",
			   p.handle, p.lend ? "lend" : "share", p.owner, p.mem_type, p.label,
			   p.open, p.accepted, p.entries, p.bytes);
		for (a = 0; a < p.n_acl && a < ARRAY_SIZE(p.acl_vmid); a++)
			seq_printf(s, " %u:%u", p.acl_vmid[a], p.acl_rights[a]);
		seq_putc(s, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(parcels);

static int ranges_show(struct seq_file *s, void *unused)
{
	struct gunyah_sim_parcel_info p;
	unsigned int i;
	__u64 e, ipa, size;

	for (i = 0; gunyah_sim_get_parcel(i, &p); i++)
		for (e = 0; gunyah_sim_get_parcel_entry(i, e, &ipa, &size); e++)
			seq_printf(s, "%u 0x%llx 0x%llx\n", p.handle, ipa, size);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ranges);

/* --- Load and unload --- */

static struct device_node *rm_node;

static int __init gunyah_sim_init(void)
{
	struct gunyah_sim_config config = {};
	int ret;

	if (!strcmp(identity, "qcom")) {
		config.qcom = true;
	} else if (strcmp(identity, "gunyah")) {
		pr_err("gunyah_sim: identity must be gunyah or qcom, not %s\n", identity);
		return -EINVAL;
	}
	rm_node = of_find_compatible_node(NULL, NULL, "gunyah-resource-manager");
	if (!rm_node) {
		pr_err("gunyah_sim: no gunyah-resource-manager node in the devicetree\n");
		return -ENODEV;
	}
	ret = of_property_read_u64_index(rm_node, "reg", 0, &config.tx_cap);
	if (!ret)
		ret = of_property_read_u64_index(rm_node, "reg", 1, &config.rx_cap);
	sim_irqs[0] = irq_of_parse_and_map(rm_node, 0);
	sim_irqs[1] = irq_of_parse_and_map(rm_node, 1);
	if (ret || !sim_irqs[0] || !sim_irqs[1]) {
		pr_err("gunyah_sim: %pOF has no capability IDs or interrupts\n", rm_node);
		ret = -ENODEV;
		goto err_node;
	}
	sim_wq = alloc_ordered_workqueue("gunyah_sim", 0);
	if (!sim_wq) {
		ret = -ENOMEM;
		goto err_node;
	}
	config.register_hypervisor = register_hypervisor;
	sim_config = config;
	ret = gunyah_sim_start(&config);
	if (ret)
		goto err_wq;
	sim_debugfs = debugfs_create_dir("gunyah_sim", NULL);
	debugfs_create_file("state", 0444, sim_debugfs, NULL, &state_fops);
	debugfs_create_file("parcels", 0444, sim_debugfs, NULL, &parcels_fops);
	debugfs_create_file("ranges", 0444, sim_debugfs, NULL, &ranges_fops);
	return 0;

err_wq:
	destroy_workqueue(sim_wq);
	sim_wq = NULL;
err_node:
	of_node_put(rm_node);
	return ret;
}

static void __exit gunyah_sim_exit(void)
{
	debugfs_remove_recursive(sim_debugfs);
	gunyah_sim_stop();
	destroy_workqueue(sim_wq);
	sim_wq = NULL;
	of_node_put(rm_node);
}

module_init(gunyah_sim_init);
module_exit(gunyah_sim_exit);

MODULE_DESCRIPTION("armature test: a simulated Gunyah hypervisor and resource manager");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
MODULE_IMPORT_NS(GUNYAH);
