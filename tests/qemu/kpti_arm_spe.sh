# arm_spe_pmu under kernel page-table isolation (tools/check boots this
# script alone with kpti=1): the kernel is unmapped at EL0, where the
# profiler would write its buffer, so even the simulated SPE is refused.
. ./lib.sh

suite kpti_arm_spe

check "the kernel is unmapped at EL0 (kpti=1)" sh -c "dmesg | grep -q 'page table isolation forced ON'"
before=$(dmesg | grep -c 'arm_spe_pmu')
check "modprobe arm_spe_pmu simulate=1" modprobe arm_spe_pmu simulate=1
expect_fail "no arm_spe PMU under KPTI" test -e /sys/bus/event_source/devices/arm_spe_0
check "the log says to boot with kpti=off" \
	sh -c "dmesg | grep 'arm_spe_pmu' | tail -n +$((before + 1)) | grep -q 'kpti=off'"
check "rmmod arm_spe_pmu" rmmod arm_spe_pmu

end_suite
