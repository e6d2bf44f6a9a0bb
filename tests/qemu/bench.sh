# The guest environment the other tests rely on: CPUs and hotplug, the
# module tools, perf, debugfs, and on the debug kernel the checkers.
. ./lib.sh

suite bench

expect_eq "4 CPUs online" 0-3 "$(cat /sys/devices/system/cpu/online)"
check "CPU 1 goes offline" sh -c 'echo 0 >/sys/devices/system/cpu/cpu1/online'
expect_eq "3 CPUs online" 0,2-3 "$(cat /sys/devices/system/cpu/online)"
check "CPU 1 comes back" sh -c 'echo 1 >/sys/devices/system/cpu/cpu1/online'
expect_eq "4 CPUs online again" 0-3 "$(cat /sys/devices/system/cpu/online)"

check "depmod indexed our modules" grep -q 'updates/armature/kcpp.ko:' /lib/modules/$KVER/modules.dep
check "modinfo reads our module" modinfo kcpp
check "perf runs" perf stat -e task-clock -- true
check "perf sees the PMUv3 PMU" test -d /sys/bus/event_source/devices/armv8_pmuv3
check "debugfs is mounted" grep -q ' /sys/kernel/debug debugfs ' /proc/mounts

# tools/qemu/run passes the release and page size it built the modules for.
expect_eq "the kernel booted is the one the modules were built for" "$ARMATURE_RELEASE" "$KVER"
expect_eq "the tests' page size is the kernel's" "$ARMATURE_PAGE_SIZE" "$page_size"
case $KVER in
*-armature-debug)
	check "kmemleak is on" test -e /sys/kernel/debug/kmemleak
	check "KUnit is on" test -d /sys/kernel/debug/kunit
	check "lockdep is on" test -e /proc/lockdep
	;;
esac

end_suite
