// SPDX-License-Identifier: GPL-2.0
// Clean: constant-initialised data, no unwind tables, no GOT.
namespace {
constinit int counter = 1;
}
extern "C" int bench_init() { return counter - 1; }
extern "C" void bench_exit() { ++counter; }
