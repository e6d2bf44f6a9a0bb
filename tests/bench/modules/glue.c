// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <kcpp/glue.h>

int bench_init(void);
void bench_exit(void);

KCPP_MODULE_INIT_EXIT(bench_init, bench_exit);
MODULE_DESCRIPTION("armature bench: a module for check-ko to judge");
MODULE_LICENSE("GPL");
