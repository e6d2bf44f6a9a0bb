// SPDX-License-Identifier: GPL-2.0
/* arm_spe_sim: the driver's C glue, compiled again for this module. */
#include "../glue.c"
