# The modules DKMS installed (tools/dkms-check boots its staged tree with
# tools/qemu/run --module-tree): each loads from updates/dkms, the kernel's
# own arm_spe_pmu beside it notwithstanding (gunyah_qcom_scm refuses to:
# QEMU has no SCM firmware), and the perf drivers work:
# arm_cspmu's PMUs on tools/qemu/cspmu-fixture's devicetree nodes, with a
# backend loaded on demand, count through perf; arm_spe_pmu refuses a CPU
# without SPE.
. ./lib.sh

suite dkms_smoke

dkms=/lib/modules/$KVER/updates/dkms
devices=/sys/bus/event_source/devices

check "the kernel's own arm_spe_pmu is installed too" \
	sh -c "find /lib/modules/$KVER/kernel -name 'arm_spe_pmu.ko*' | grep -q ."
modules=$(ls $dkms | sed 's/\.ko.*//')
check "DKMS installed modules" test -n "$modules"
for m in $modules; do
	expect_eq "$m: modprobe finds it in updates/dkms" "$dkms/$m.ko" "$(modinfo -n $m)"
	if [ $m = gunyah_qcom_scm ]; then
		expect_fail "gunyah_qcom_scm refuses to load: QEMU has no SCM firmware" modprobe $m
		check "and says why" sh -c "dmesg | grep -q 'gunyah_qcom_scm: the SCM firmware interface is not available'"
		continue
	fi
	check "modprobe $m" modprobe $m
	version=$(modinfo -F version $m)
	check "$m: has a version" test -n "$version"
	expect_eq "$m: the loaded module is that one" "$version" "$(cat /sys/module/$m/version 2>&1)"
done

check "arm_cspmu registers its PMUs" wait_for_pmus nvidia_scf_pmu_0 arm_cspmu_0
expect_eq "scf's event format, as upstream's" "config:0-32" "$(cat $devices/nvidia_scf_pmu_0/format/event)"
check "perf counts on a CoreSight PMU" sh -c \
	"perf stat -x, -a -e nvidia_scf_pmu_0/cycles/ -- true 2>&1 | grep -q ',nvidia_scf_pmu_0/cycles/'"
check "the log says the CPU has no SPE" sh -c "dmesg | grep 'arm_spe_pmu spe-pmu' | grep -qi 'PMSVer'"
expect_fail "so no arm_spe PMU" test -e $devices/arm_spe_0

end_suite
