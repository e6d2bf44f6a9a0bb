# arm_spe_pmu and arm_spe_sim on an ACPI boot (tools/qemu/run --acpi): the
# "arm,spe-v1" platform device the kernel makes from the MADT's SPE
# interrupt. QEMU's MADT has none, so the test-only module spe_acpi_fixture
# makes it the same way, on PPI 5 (GSI 21), with its twin "armature,spe-sim"
# for arm_spe_sim: arm_spe_pmu refuses the first (no SPE), arm_spe_sim runs
# the same probe path on the second to a PMU perf records through.
. ./lib.sh

suite acpi_arm_spe

spe=/sys/bus/event_source/devices/arm_spe_0
pdev=/sys/bus/platform/devices/arm,spe-v1
sim_pdev=/sys/bus/platform/devices/armature,spe-sim

check "the kernel booted with ACPI (MADT present)" [ -e /sys/firmware/acpi/tables/APIC ]
expect_fail "QEMU's MADT gives no SPE interrupt: no arm,spe-v1 device" test -e $pdev
check "modprobe spe_acpi_fixture" modprobe spe_acpi_fixture
check "the arm,spe-v1 platform device is there" test -e $pdev
check "and its armature,spe-sim twin" test -e $sim_pdev
before=$(dmesg | grep -c 'arm_spe_pmu arm,spe-v1')
check "modprobe arm_spe_pmu" modprobe arm_spe_pmu
check "arm_spe_pmu probed arm,spe-v1 and found no SPE" \
	sh -c "dmesg | grep 'arm_spe_pmu arm,spe-v1' | tail -n +$((before + 1)) | grep -qi 'PMSVer'"
expect_fail "arm_spe_pmu leaves the armature,spe-sim device alone" test -e $sim_pdev/driver
check "rmmod arm_spe_pmu" rmmod arm_spe_pmu
check "modprobe arm_spe_sim" modprobe arm_spe_sim
check "arm_spe_0 is registered" wait_for_pmus arm_spe_0
expect_eq "arm_spe_sim drives its device" arm_spe_sim "$(basename "$(readlink -f $sim_pdev/driver)")"
expect_fail "and not arm,spe-v1" test -e $pdev/driver
check "the PMU's parent is that device" sh -c "readlink -f $spe | grep -q '/armature,spe-sim/'"
expect_eq "cpumask: the PPI's CPUs, every CPU" "$(cat /sys/devices/system/cpu/possible)" \
	"$(cat $spe/cpumask)"
check "the PPI is requested" grep -q 'arm_spe_sim' /proc/interrupts
check "perf record -e arm_spe// -- workload" \
	perf record -q -e arm_spe// -o /tmp/acpi-spe.data -- sh -c "$spe_workload"
check "perf decodes SPE records" test "$(spe_records /tmp/acpi-spe.data)" -gt 100
check "rmmod arm_spe_sim" rmmod arm_spe_sim
expect_fail "arm_spe_0 is gone" test -e $spe
check "rmmod spe_acpi_fixture" rmmod spe_acpi_fixture
expect_fail "the device is gone" test -e $pdev
expect_fail "and its twin" test -e $sim_pdev

end_suite
