# arm_spe_pmu under kernel page-table isolation (tools/check boots this
# script alone with kpti=1): the kernel is unmapped at EL0, where the
# profiler would write its buffer, so the driver refuses before it reads
# the CPU's ID registers: arm_spe_pmu on the hardware's node, and the same
# driver on the simulated SPE (arm_spe_sim), which has the registers.
. ./lib.sh

suite kpti_arm_spe

check "the kernel is unmapped at EL0 (kpti=1)" sh -c "dmesg | grep -q 'page table isolation forced ON'"
for m in arm_spe_pmu arm_spe_sim; do
	before=$(dmesg | grep -c "$m")
	check "modprobe $m" modprobe $m
	expect_fail "$m: no arm_spe PMU under KPTI" test -e /sys/bus/event_source/devices/arm_spe_0
	check "$m: the log says to boot with kpti=off" \
		sh -c "dmesg | grep '$m' | tail -n +$((before + 1)) | grep -q 'kpti=off'"
	check "rmmod $m" rmmod $m
done

end_suite
