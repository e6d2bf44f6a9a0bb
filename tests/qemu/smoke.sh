# The smoke test every kernel of the matrix runs (tools/check, make
# check-matrix), the DKMS-installed tree among them: each module users
# install loads with modprobe from updates/ (where it replaces an in-tree
# module of the same name), the CoreSight PMUs show their sysfs and count
# with perf, the simulated SPE records one session, and io-pgtable maps
# through the harness. Everything is unloaded at the end.
. ./lib.sh

suite smoke

user_modules="kcpp armature_io_pgtable armature_io_pgtable_lpae armature_io_pgtable_v7s armature_io_pgtable_dart
	arm_cspmu_module nvidia_cspmu ampere_cspmu arm_spe_pmu gunyah_rsc_mgr gunyah_qcom"
for m in $user_modules; do
	path=$(modinfo -n "$m" 2>&1)
	case $path in
	"/lib/modules/$KVER/updates/"*) pass "$m is found under updates/" ;;
	*) fail "$m is found under updates/" "modinfo -n $m: $path" ;;
	esac
	check "modprobe $m" modprobe "$m"
done

devices=/sys/bus/event_source/devices
check "the CoreSight PMUs of the fixture register" \
	wait_for_pmus arm_cspmu_0 nvidia_scf_pmu_0 ampere_mcu_pmu_0
expect_eq "a vendor PMU shows its PMIIDR" \
	"$(awk '$1 == "ampere" { print $3 }' ./cspmu_fixture)" "$(cat $devices/ampere_mcu_pmu_0/identifier 2>&1)"
check "its events and formats are in sysfs" \
	test -e $devices/nvidia_scf_pmu_0/events/bus_cycles -a -e $devices/nvidia_scf_pmu_0/format/event
check "perf stat counts with a CoreSight PMU" \
	perf stat -a -e nvidia_scf_pmu_0/bus_cycles/ -- true

check "modprobe arm_spe_sim (the driver on a simulated SPE)" modprobe arm_spe_sim
check "perf record -e arm_spe//" \
	perf record -q -e arm_spe// -o /tmp/smoke.data -- sh -c 'i=0; while [ $i -lt 5000 ]; do i=$((i + 1)); done'
check "the session holds AUX data" sh -c "perf report -i /tmp/smoke.data -D 2>/dev/null | grep -q 'PERF_RECORD_AUX'"

h=/sys/module/armature_io_pgtable_harness/parameters
check "modprobe the io-pgtable harness" modprobe armature_io_pgtable_harness
check "maps and unmaps: the same translations and descriptors as the kernel's io-pgtable" \
	sh -c "echo 1 >$h/quick_compare"
expect_eq "it compares every family this kernel builds in" "$(iopt_compare_skips)" "$(iopt_compare_skipped)"

# The core holds the backends while their PMUs exist: unbind those first.
unbind_pmus() {
	local d drv=/sys/bus/platform/drivers/arm-cs-arch-pmu
	for d in $drv/*.pmu; do echo "$(basename "$d")" >$drv/unbind || return 1; done
}
check "the CoreSight PMUs unbind" unbind_pmus
check "everything unloads" rmmod arm_spe_sim armature_io_pgtable_harness armature_io_pgtable_v7s \
	armature_io_pgtable_dart \
	armature_io_pgtable_lpae armature_io_pgtable arm_spe_pmu ampere_cspmu nvidia_cspmu \
	arm_cspmu_module gunyah_qcom gunyah_rsc_mgr kcpp
end_suite
