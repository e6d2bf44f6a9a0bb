// SPDX-License-Identifier: GPL-2.0
// A global whose initial value is computed at run time: a C++ global
// constructor the module loader would never run.
extern "C" int bench_init();
namespace {
struct Counter {
	int v;
	Counter() : v(bench_init()) {}
};
Counter counter;
} // namespace
extern "C" int bench_init() { return 0; }
extern "C" void bench_exit() { ++counter.v; }
