// SPDX-License-Identifier: GPL-2.0
// Calls a function no kernel exports.
extern "C" int armature_no_such_symbol();
extern "C" int bench_init() { return armature_no_such_symbol(); }
extern "C" void bench_exit() {}
