# The demo: load armature's modules with modprobe, show them loaded, and
# show what perf sees. Not a test: it prints for a person to read. The
# CoreSight PMUs are the RAM-backed ones of tools/qemu/cspmu-fixture; QEMU
# has no SPE, so arm_spe_pmu finds none, and arm_spe_sim (a test module: the
# same driver on a simulated SPE) profiles instead. QEMU has no Gunyah
# either: gunyah_rsc_mgr stays deferred until gunyah_sim (a test module: a
# simulated hypervisor and RM) registers, and gunyah_qcom_scm refuses to load
# without Qualcomm's SCM firmware, so it is left out.
dir=/lib/modules/$(uname -r)/updates/armature
products=$(ls "$dir" | sed -n 's/\.ko$//p' |
	grep -v -e '_test$' -e '_harness$' -e '_fixture$' -e '^kcpp_test_' -e '^kcpp_kunit$' \
	-e '^nvidia_cspmu$' -e '^ampere_cspmu$' -e '^arm_spe_sim$' -e '^gunyah_sim' \
	-e 'qcom_scm$')
devices=/sys/bus/event_source/devices
echo
echo "== armature on $(uname -r): modprobe $(echo $products)"
for m in $products; do modprobe -v "$m"; done
modprobe -v arm_spe_sim
# arm_cspmu probes after modprobe returns, and loads the vendor backends.
for i in $(seq 100); do [ -e $devices/ampere_mcu_pmu_0 ] && [ -e $devices/arm_cspmu_0 ] && break; sleep 0.05; done
echo
echo "== lsmod"
lsmod
echo
echo "== CoreSight PMUs: name, identifier (PMIIDR), cpumask, events"
for p in $devices/*; do
	[ -e $p/identifier ] || continue
	echo "$(basename $p): $(cat $p/identifier), cpu $(cat $p/cpumask), $(ls $p/events | wc -l) events, formats: $(ls $p/format | paste -sd' ')"
done
echo
echo "== perf list nvidia_pcie_pmu_0"
perf list pmu 2>&1 | grep 'nvidia_pcie_pmu_0/' | head -8
echo
echo "== perf stat -a -e nvidia_scf_pmu_0/bus_cycles/,nvidia_pcie_pmu_0/rd_bytes_loc,root_port=0x3/ -- sleep 0.5"
echo "   (these PMUs are RAM in QEMU: the driver programs them, nothing counts)"
perf stat -a -e nvidia_scf_pmu_0/bus_cycles/,nvidia_pcie_pmu_0/rd_bytes_loc,root_port=0x3/ -- sleep 0.5 2>&1
echo "   PMEVTYPER0 of nvidia_scf_pmu_0 as perf left it: $(devmem 0x70000400 32)"
echo
echo "== perf stat -e cycles,task-clock -- ls /"
perf stat -e cycles,task-clock -- ls / 2>&1
echo
echo "== perf record -e arm_spe// (arm_spe_0 of $(basename "$(readlink -f $devices/arm_spe_0/../driver)"): the simulated SPE)"
perf record -q -e arm_spe// -o /tmp/spe.data -- sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); done' 2>&1
echo "== perf report --stdio (first lines)"
perf report -i /tmp/spe.data --stdio 2>&1 | grep -v '^$' | head -24
echo "== perf script (first samples)"
perf script -i /tmp/spe.data 2>&1 | head -6
echo
echo "== Gunyah: gunyah_rsc_mgr is deferred, QEMU has no hypervisor"
grep gunyah /sys/kernel/debug/devices_deferred
echo "== modprobe gunyah_sim: a simulated Gunyah hypervisor and resource manager"
modprobe -v gunyah_sim
for i in $(seq 200); do [ -c /dev/gunyah ] && break; sleep 0.05; done
ls -l /dev/gunyah
echo "== gunyah-vm -s lend 513: a VM, 513 scattered pages lent (LEND, then APPEND with END), reclaimed"
/armature/bin/gunyah-vm -s lend 513 2>&1
echo "== gunyah-vm share 16: the VM and this one share 16 pages, then reclaimed"
/armature/bin/gunyah-vm share 16 2>&1
echo "== the simulated RM afterwards"
cat /sys/kernel/debug/gunyah_sim/state
echo
