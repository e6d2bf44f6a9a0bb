# arm_cspmu on an ACPI boot (tools/qemu/run --acpi): CoreSight PMUs that
# come, as on ACPI servers, from APMT nodes. The test-only module
# cspmu_apmt_fixture adds one such platform device per load, its node given
# by module parameters; the register frames are pages of an ivshmem BAR (RAM
# behind a PCI BAR, outside System RAM). Covers names by node type, the
# implementation-ID override choosing the backend, processor affinity by
# ACPI UID, dual-page frames with atomic 64-bit access, an ACPI-device node's
# instance ID and address-filter registers (NVIDIA PCIe-TGT), the overflow
# interrupt (trigger mode, affinity through CPU hotplug, handling, one that
# is taken), nodes that contradict their frames or the specification, and
# CPU hotplug.
. ./lib.sh

suite arm_cspmu_apmt

devices=/sys/bus/event_source/devices
drv=/sys/bus/platform/drivers/arm-cs-arch-pmu

# The frames: ivshmem's BAR 2, enabled by hand (no driver claims it).
bar=
for d in /sys/bus/pci/devices/*; do
	if [ "$(cat $d/vendor) $(cat $d/device)" = "0x1af4 0x1110" ]; then
		echo 1 >$d/enable
		bar=$(sed -n 3p $d/resource | awk '{ print $1 }')
	fi
done
check "an ivshmem BAR holds the fake register frames" [ -n "$bar" ]
check "the kernel booted with ACPI (MADT present)" [ -e /sys/firmware/acpi/tables/APIC ]
expect_eq "QEMU gives CPU 2 the ACPI processor UID 2" 2 \
	"$(cat /sys/devices/system/cpu/cpu2/firmware_node/uid)"

# frame PMCFGR PMIIDR: two fresh pages of the BAR (p0, p1), PMCFGR and
# PMIIDR written into the first.
slot=0
frame() {
	p0=$((bar + slot * 0x2000)) p1=$((bar + slot * 0x2000 + 0x1000))
	slot=$((slot + 1))
	w32 $((p0 + 0xe00)) $1
	w32 $((p0 + 0xe08)) $2
}
# add_node PARAM=VALUE...: the fixture module, with page0 = p0.
add_node() { modprobe cspmu_apmt_fixture page0=$p0 "$@"; }
del_node() { rmmod cspmu_apmt_fixture; }
node_dev() { basename $(ls -d /sys/bus/platform/devices/arm-cs-arch-pmu.* | head -1); }
refused() { # PATTERN: the node's device has no driver and the log says why
	local dev
	dev=$(node_dev)
	[ ! -e /sys/bus/platform/devices/$dev/driver ] || { echo "$dev was bound"; return 1; }
	dmesg | grep -q "$dev: $1" || { dmesg | grep "$dev" | tail -3; return 1; }
}

BASELINE_CFGR=0x1f03            # 4 counters of 32 bits, no cycle counter
WIDE_CFGR=0x7f08                # 8 counters of 64 bits and the cycle counter
UNKNOWN_IIDR=0x04200abc         # an implementer without a backend
SCF_IIDR=0x2cf0036b             # NVIDIA SCF

check "modprobe arm_cspmu_module" modprobe arm_cspmu_module
i=0
while [ ! -d $drv ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done

# --- Names by node type, processor affinity ---
frame $BASELINE_CFGR $UNKNOWN_IIDR
check "memory-controller node on processor UID 2" add_node type=0 affinity=2
check "is arm_cspmu_mc_0" wait_for_pmus arm_cspmu_mc_0
expect_eq "mc: identifier is PMIIDR in hex, as upstream" 4200abc "$(cat $devices/arm_cspmu_mc_0/identifier)"
expect_eq "mc: associated_cpus is the CPU with that UID" 2 \
	"$(cat $devices/arm_cspmu_mc_0/associated_cpus)"
expect_eq "mc: cpumask" 2 "$(cat $devices/arm_cspmu_mc_0/cpumask)"

# perf counts on it: the 32-bit counter starts at half range.
perf_bg arm_cspmu_mc_0/event=0x7/
check "mc: PMCR.E set while counting" wait_enabled $p0
expect_eq "mc: perf programmed PMEVTYPER0" 0x7 "$(r32 $((p0 + 0x400)))"
w32 $p0 0x80000063
perf_count
expect_eq "mc: perf counts the counter's advance" 100 "$count"

# CPU 2 is the only one with the node's UID: offline, the PMU has no CPU.
check "offline CPU 2" sh -c "echo 0 >/sys/devices/system/cpu/cpu2/online"
expect_eq "mc: no CPU in cpumask while CPU 2 is offline" "" "$(cat $devices/arm_cspmu_mc_0/cpumask)"
check "online CPU 2" sh -c "echo 1 >/sys/devices/system/cpu/cpu2/online"
expect_eq "mc: CPU 2 back in cpumask" 2 "$(cat $devices/arm_cspmu_mc_0/cpumask)"
check "removing the node removes the PMU" sh -c "rmmod cspmu_apmt_fixture && [ ! -e $devices/arm_cspmu_mc_0 ]"

# Numbers count up per type, as upstream's do, across removals.
frame $BASELINE_CFGR $UNKNOWN_IIDR
add_node type=0 affinity=0
check "a second memory-controller node is arm_cspmu_mc_1" wait_for_pmus arm_cspmu_mc_1
del_node
for t in 1:smmu 2:pcie 4:cache; do
	frame $BASELINE_CFGR $UNKNOWN_IIDR
	add_node type=${t%%:*} affinity=1
	check "type ${t%%:*} node is arm_cspmu_${t#*:}_0" wait_for_pmus arm_cspmu_${t#*:}_0
	del_node
done
frame $BASELINE_CFGR $UNKNOWN_IIDR
add_node type=3 hid=ABCD0001 uid=7 affinity=3
check "an ACPI-device node is named by its _HID and _UID" wait_for_pmus arm_cspmu_acpi_ABCD0001_7
del_node

# --- The implementation ID replaces PMIIDR and chooses the backend ---
frame $WIDE_CFGR $UNKNOWN_IIDR
check "a node whose impl_id is NVIDIA's SCF" add_node type=4 impl_id=$SCF_IIDR affinity=0
check "is nvidia_scf_pmu_0" wait_for_pmus nvidia_scf_pmu_0
check "the NVIDIA backend was loaded for it" module_loaded nvidia_cspmu
expect_eq "its identifier is the node's impl_id" 2cf0036b "$(cat $devices/nvidia_scf_pmu_0/identifier)"
check "the log says the node overrides PMIIDR" \
	sh -c "dmesg | grep -q \"$(node_dev): firmware's implementation ID 0x2cf0036b replaces PMIIDR 0x4200abc\""
expect_fail "rmmod of the backend in use is refused" rmmod nvidia_cspmu
del_node
check "the backend unloads once its PMU is gone" rmmod nvidia_cspmu

# --- Dual page and atomic 64-bit access: counters in page 1 ---
frame $WIDE_CFGR $UNKNOWN_IIDR
check "dual-page node with atomic access" add_node type=0 flags=5 page1=$p1 affinity=1
check "is registered" wait_for_pmus arm_cspmu_mc_2
perf_bg arm_cspmu_mc_2/event=0x3/
wait_enabled $p0
expect_eq "dual page: the 64-bit counter in page 1 starts at half range" 0x7fffffff \
	"$(r32 $((p1 + 4)))"
w32 $((p1 + 4)) 0x80000000
w32 $p1 0x3e7
perf_count
expect_eq "dual page: perf counts page 1's counter" 1000 "$count"
del_node

# --- The overflow interrupt: a GSI of the node (132 and 133, SPIs 100 and
# 101, which QEMU's virt machine leaves free) with the node's trigger mode;
# the driver requests it under the device's name, keeps it on the PMU's CPU
# and handles it ---
irq_of() { awk -v d="$1" '$NF == d { sub(":", "", $1); print $1 }' /proc/interrupts; }
irq_count() { awk -v i="$1:" '$1 == i { s = 0; for (c = 2; c <= 5; c++) s += $c; print s }' /proc/interrupts; }
frame $BASELINE_CFGR $UNKNOWN_IIDR
check "a node with a level-triggered overflow interrupt, GSI 132, on processor UID 2" \
	add_node type=0 affinity=2 ovflw_irq=132 ovflw_irq_flags=0
check "is registered" wait_for_pmus arm_cspmu_mc_3
dev=$(node_dev) irq=$(irq_of $(node_dev))
check "the driver requested it under the device's name" [ -n "$irq" ]
check "/proc/interrupts: GIC interrupt 132, level" \
	sh -c "grep -q '^ *$irq:.* GICv3 *132 Level *$dev\$' /proc/interrupts"
expect_eq "its affinity is the PMU's CPU" "$(cat $devices/arm_cspmu_mc_3/cpumask)" \
	"$(cat /proc/irq/$irq/smp_affinity_list)"
expect_eq "and is effective there" 2 "$(cat /proc/irq/$irq/effective_affinity_list)"
check "offline CPU 2" sh -c "echo 0 >/sys/devices/system/cpu/cpu2/online"
expect_eq "the PMU has no CPU" "" "$(cat $devices/arm_cspmu_mc_3/cpumask)"
check "the kernel moved the interrupt off CPU 2" [ "$(cat /proc/irq/$irq/effective_affinity_list)" != 2 ]
check "online CPU 2" sh -c "echo 1 >/sys/devices/system/cpu/cpu2/online"
expect_eq "the PMU is back on CPU 2" 2 "$(cat $devices/arm_cspmu_mc_3/cpumask)"
expect_eq "and the driver moved its interrupt back" 2 "$(cat /proc/irq/$irq/smp_affinity_list)"
expect_eq "effectively" 2 "$(cat /proc/irq/$irq/effective_affinity_list)"
# Raised through the GIC distributor's set-pending register with counter 0's
# overflow flag set: the handler brings the count up to date and restarts
# the 32-bit counter from half range.
perf_bg arm_cspmu_mc_3/event=0x7/
wait_enabled $p0
before=$(irq_count $irq)
w32 $p0 0xfff
w32 $((p0 + 0xc80)) 1
w32 $((0x08000000 + 0x200 + 4 * (132 / 32))) $((1 << (132 % 32)))
sleep 0.2
expect_eq "the overflow interrupt was handled" $((before + 1)) "$(irq_count $irq)"
expect_eq "the handler restarted the counter at half range" 0x7fffffff "$(r32 $p0)"
w32 $((p0 + 0xc80)) 0
perf_count
expect_eq "the count includes the advance up to the interrupt" $((0x80001000)) "$count"
del_node
check "the interrupt is free again" [ -z "$(irq_of $dev)" ]
frame $BASELINE_CFGR $UNKNOWN_IIDR
add_node type=0 affinity=1 ovflw_irq=133 ovflw_irq_flags=1
check "an edge-triggered one, GSI 133" wait_for_pmus arm_cspmu_mc_4
check "/proc/interrupts: GIC interrupt 133, edge" \
	sh -c "grep -q ' GICv3 *133 Edge *$(node_dev)\$' /proc/interrupts"
expect_eq "on the PMU's CPU" 1 "$(cat /proc/irq/$(irq_of $(node_dev))/effective_affinity_list)"
del_node

# --- An ACPI-device node's device (tools/qemu/cspmu-ssdt.asl): its _DSD
# names NVIDIA's PCIe-TGT PMU, its memory resource has the address filters ---
PCIE_TGT_IIDR=0x1070036b
filters=0x8000080000
check "the ACPI device's frame is inside the ivshmem BAR" \
	sh -c "[ $((bar)) = $((0x8000000000)) ] && grep -q '8000080000-8000080fff : ARMT0001:00' /proc/iomem"
frame $WIDE_CFGR $PCIE_TGT_IIDR
add_node type=3 hid=ARMT0001 uid=3 affinity=0
tgt=nvidia_pcie_tgt_pmu_0_rc_5
check "PCIe-TGT named by the instance_id of its ACPI device's _DSD" wait_for_pmus $tgt
perf_bg $tgt/rd_req,dst_rp_mask=0x3,dst_addr_en=1,dst_addr_base=0x123456789000,dst_addr_mask=0xfffffffff000/
check "pcie_tgt: PMCR.E set while counting" wait_enabled $p0
expect_eq "pcie_tgt: PMEVFILT2R0 has the ports and address filter 0" 0x103 "$(r32 $((p0 + 0x800)))"
expect_eq "pcie_tgt: address filter 0 enabled" 0x1 "$(r32 $((filters + 0xd38)))"
expect_eq "pcie_tgt: its base, low word" 0x56789000 "$(r32 $((filters + 0xd3c)))"
expect_eq "pcie_tgt: its base, high word" 0x1234 "$(r32 $((filters + 0xd40)))"
expect_eq "pcie_tgt: its mask, low word" 0xfffff000 "$(r32 $((filters + 0xd44)))"
perf_count
expect_eq "pcie_tgt: the filter is disabled when the event ends" 0x0 "$(r32 $((filters + 0xd38)))"
expect_eq "pcie_tgt: and its base cleared" 0x0 "$(r32 $((filters + 0xd3c)))"
del_node
check "the backend unloads" rmmod nvidia_cspmu
frame $WIDE_CFGR $PCIE_TGT_IIDR
add_node type=3 hid=ARMT0002 uid=1 affinity=0
check "PCIe-TGT whose ACPI device does not exist is refused (no instance_id)" \
	refused "PMIIDR 0x1070036b: nvidia_pcie_tgt_pmu_<socket>_rc_<instance> needs an \"instance_id\""
del_node
rmmod nvidia_cspmu

# --- Nodes the driver must refuse, with a reason and nothing registered ---
frame $BASELINE_CFGR $UNKNOWN_IIDR
add_node type=0 flags=1 affinity=0
check "dual-page flag without a page-1 frame is refused" \
	refused "APMT node describes a dual-page PMU but there is no page-1 frame"
del_node
frame $BASELINE_CFGR $UNKNOWN_IIDR
add_node type=0 page1=$p1 affinity=0
check "a page-1 frame without the dual-page flag is refused" \
	refused "APMT node does not describe a dual-page PMU but there is a page-1 frame"
del_node
frame $BASELINE_CFGR $UNKNOWN_IIDR
add_node type=5 affinity=0
check "an undefined node type is refused" refused "APMT node type 5 is not one the specification defines"
del_node
frame $BASELINE_CFGR $UNKNOWN_IIDR
add_node type=0 affinity=9
check "a processor UID no CPU has is refused" refused "no CPU has the APMT node's processor UID 9"
del_node
# QEMU's ACPI tables put the CPUs in no processor container (ACPI0010), so
# container affinity can be seen only to match nothing.
frame $BASELINE_CFGR $UNKNOWN_IIDR
add_node type=0 flags=2 affinity=0
check "container affinity with no such container is refused" \
	refused "no CPU has the APMT node's processor container UID 0"
del_node
# An interrupt another device holds (the console UART's, requested without
# sharing by ours): the request fails and so does the probe.
uart=$(sed -n 's/.* GICv3 *\([0-9]*\) Level *uart-pl011$/\1/p' /proc/interrupts)
if [ -n "$uart" ]; then
	frame $BASELINE_CFGR $UNKNOWN_IIDR
	add_node type=0 affinity=0 ovflw_irq=$uart
	check "an overflow interrupt in use (the UART's, GSI $uart) is refused" \
		refused "error -EBUSY: cannot request overflow interrupt"
	del_node
else
	skip "an overflow interrupt in use is refused" "no UART interrupt in /proc/interrupts"
fi
frame 0 0
add_node type=0 affinity=0
check "a frame whose PMCFGR reads 0 is refused" refused "PMCFGR 0x0: no PMU registers"
del_node
expect_eq "no PMU is left registered" "" "$(ls $devices | grep -e arm_cspmu -e nvidia)"

check "arm_cspmu_module unloads" rmmod arm_cspmu_module
end_suite
