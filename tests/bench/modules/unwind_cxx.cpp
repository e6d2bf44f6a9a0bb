// SPDX-License-Identifier: GPL-2.0
// Built with unwind tables (see Kbuild): must be rejected for .eh_frame.
extern "C" int bench_init() { return 0; }
extern "C" void bench_exit() {}
