// SPDX-License-Identifier: GPL-2.0
// Built as position-independent code (see Kbuild): the address of an
// external object is loaded from the GOT.
extern "C" struct module __this_module;
extern "C" int bench_init() { return &__this_module == nullptr; }
extern "C" void bench_exit() {}
