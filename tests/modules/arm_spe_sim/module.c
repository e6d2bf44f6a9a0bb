// SPDX-License-Identifier: GPL-2.0
/*
 * arm_spe_sim (tests only): the SPE driver on a simulated SPE, for machines
 * without one (QEMU). It binds devices of its own, never the hardware's,
 * so modprobe loads it only when asked: the devicetree node
 * "armature,simulated-spe" (tools/qemu/spe-fixture) or the platform device
 * "armature,spe-sim" (tests/modules/spe_acpi_fixture.c). Here: those IDs,
 * the module parameters and the per-CPU timers that run the models; the
 * driver is pmu.cpp. Test code, so not held to the rule of the drivers'
 * C files (scripts/check-glue): the timers are plumbing no shipped module
 * needs, and kcpp.ko carries nothing only tests use.
 */
#include <linux/hrtimer.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <asm/irq_regs.h>
#include <kcpp/glue.h>

#include "sim.h"

/* How often a simulated CPU's model catches up with the time it ran. */
#define SIM_TICK_NS (1 * NSEC_PER_MSEC)

static const struct platform_device_id sim_platform_ids[] = {
	{ "armature,spe-sim", 0 },
	{ },
};
MODULE_DEVICE_TABLE(platform, sim_platform_ids);

static const struct of_device_id sim_of_ids[] = {
	{ .compatible = "armature,simulated-spe" },
	{ },
};
MODULE_DEVICE_TABLE(of, sim_of_ids);

KCPP_PLATFORM_DRIVER(armature_spe_driver, "arm_spe_sim", sim_of_ids, NULL, sim_platform_ids,
		     &armature_spe_driver_ops, true);
KCPP_MODULE_INIT_EXIT(armature_spe_init, armature_spe_exit);

static struct armature_spe_sim_params sim_params;
module_param_named(pmsver, sim_params.pmsver, uint, 0444);
MODULE_PARM_DESC(pmsver, "Simulated ID_AA64DFR0_EL1.PMSVer (0: 3, SPEv1p2)");
module_param_named(pmbidr, sim_params.pmbidr, ullong, 0444);
MODULE_PARM_DESC(pmbidr, "Simulated PMBIDR_EL1 (0: byte alignment)");
module_param_named(pmsidr, sim_params.pmsidr, ullong, 0444);
MODULE_PARM_DESC(pmsidr, "Simulated PMSIDR_EL1 (0: filters, 64-byte records, interval 4096)");
module_param_named(ops_per_us, sim_params.ops_per_us, uint, 0444);
MODULE_PARM_DESC(ops_per_us, "Operations a simulated CPU executes per microsecond (0: 100)");

static int sim_inject_set(const char *value, const struct kernel_param *kp)
{
	return armature_spe_sim_inject(value);
}

static const struct kernel_param_ops sim_inject_ops = {
	.set = sim_inject_set,
};
module_param_cb(inject, &sim_inject_ops, NULL, 0200);
MODULE_PARM_DESC(inject,
		 "Simulated fault at the next record: stage1_fault, unknown_code, data_loss, collision");

const struct armature_spe_sim_params *armature_spe_sim_module_params(void)
{
	return &sim_params;
}

struct armature_spe_sim_cpu {
	struct hrtimer timer;
	u64 last_ns;
	unsigned int cpu; /* whose model the timer runs */
	struct armature_spe_sim *sim;
};

struct armature_spe_sim {
	void *driver;
	struct armature_spe_sim_cpu __percpu *cpus;
	u64 word; /* what the simulated kernel loads and stores access */
};

static enum hrtimer_restart sim_timer(struct hrtimer *timer)
{
	struct armature_spe_sim_cpu *cpu = container_of(timer, struct armature_spe_sim_cpu, timer);
	struct pt_regs *regs = get_irq_regs();
	struct armature_spe_sim_context ctx = {
		.timer_cpu = cpu->cpu,
		.now_ns = ktime_get_ns(),
		.last_tick_ns = &cpu->last_ns,
		.interrupted = regs != NULL,
		.pid = task_pid_nr(current),
		.data_va = (unsigned long)&cpu->sim->word,
		.data_pa = virt_to_phys(&cpu->sim->word),
	};

	if (regs) {
		ctx.pc = instruction_pointer(regs);
		ctx.sp = user_stack_pointer(regs);
		ctx.user = user_mode(regs);
	}
	if (!armature_spe_sim_tick_local(cpu->sim->driver, &ctx))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ns_to_ktime(SIM_TICK_NS));
	return HRTIMER_RESTART;
}

struct armature_spe_sim *armature_spe_sim_alloc(void *driver)
{
	struct armature_spe_sim *sim = kzalloc(sizeof(*sim), GFP_KERNEL);

	if (!sim)
		return NULL;
	sim->driver = driver;
	sim->cpus = alloc_percpu(struct armature_spe_sim_cpu);
	if (!sim->cpus) {
		kfree(sim);
		return NULL;
	}
	return sim;
}

void armature_spe_sim_free(struct armature_spe_sim *sim)
{
	free_percpu(sim->cpus);
	kfree(sim);
}

void armature_spe_sim_timer_init(struct armature_spe_sim *sim, unsigned int cpu)
{
	struct armature_spe_sim_cpu *c = per_cpu_ptr(sim->cpus, cpu);

	c->sim = sim;
	c->cpu = cpu;
	hrtimer_init(&c->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	c->timer.function = sim_timer;
}

void armature_spe_sim_timer_cancel(struct armature_spe_sim *sim, unsigned int cpu)
{
	hrtimer_cancel(&per_cpu_ptr(sim->cpus, cpu)->timer);
}

bool armature_spe_sim_timer_pending_local(struct armature_spe_sim *sim)
{
	return hrtimer_active(&this_cpu_ptr(sim->cpus)->timer);
}

void armature_spe_sim_timer_start_local(struct armature_spe_sim *sim)
{
	struct armature_spe_sim_cpu *cpu = this_cpu_ptr(sim->cpus);

	cpu->last_ns = ktime_get_ns();
	hrtimer_start(&cpu->timer, ns_to_ktime(SIM_TICK_NS), HRTIMER_MODE_REL_PINNED_HARD);
}

MODULE_DESCRIPTION("armature test: the Arm SPE perf PMU driver on a simulated SPE");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
