# arm_spe_pmu on an ACPI boot (tools/qemu/run --acpi): the "arm,spe-v1"
# platform device the kernel makes from the MADT's SPE interrupt. QEMU's
# MADT has none, so the test-only module spe_acpi_fixture makes it the same
# way, on PPI 5 (GSI 21); the simulated SPE stands in for the hardware.
. ./lib.sh

suite acpi_arm_spe

spe=/sys/bus/event_source/devices/arm_spe_0
pdev=/sys/bus/platform/devices/arm,spe-v1

check "the kernel booted with ACPI (MADT present)" [ -e /sys/firmware/acpi/tables/APIC ]
expect_fail "QEMU's MADT gives no SPE interrupt: no arm,spe-v1 device" test -e $pdev
check "modprobe spe_acpi_fixture" modprobe spe_acpi_fixture
check "the arm,spe-v1 platform device is there" test -e $pdev
check "modprobe arm_spe_pmu simulate=1" modprobe arm_spe_pmu simulate=1
check "arm_spe_0 is registered" wait_for_pmus arm_spe_0
expect_eq "arm_spe_pmu drives the device" arm_spe_pmu "$(basename "$(readlink -f $pdev/driver)")"
check "the PMU's parent is that device" sh -c "readlink -f $spe | grep -q '/arm,spe-v1/'"
expect_eq "cpumask: the PPI's CPUs, every CPU" "$(cat /sys/devices/system/cpu/possible)" \
	"$(cat $spe/cpumask)"
check "the PPI is requested" grep -q 'arm_spe_pmu' /proc/interrupts
check "perf record -e arm_spe// -- workload" \
	perf record -q -e arm_spe// -o /tmp/acpi-spe.data -- sh -c "$spe_workload"
check "perf decodes SPE records" test "$(spe_records /tmp/acpi-spe.data)" -gt 100
check "rmmod arm_spe_pmu" rmmod arm_spe_pmu
expect_fail "arm_spe_0 is gone" test -e $spe
check "rmmod spe_acpi_fixture" rmmod spe_acpi_fixture
expect_fail "the device is gone" test -e $pdev

end_suite
