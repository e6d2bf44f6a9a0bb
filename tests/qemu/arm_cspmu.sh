# arm_cspmu in the guest, on the RAM-backed CoreSight PMUs that
# tools/qemu/cspmu-fixture puts into the devicetree (listed in
# ./cspmu_fixture): backends loaded by PMIIDR, the sysfs upstream shows,
# registers programmed by perf, counts from values written to the counters,
# the overflow interrupt, bad PMUs refused, the baseline without a backend,
# CPU hotplug, and load/unload cycles (lib.sh says how many; kmemleak checks
# after).
. ./lib.sh

suite arm_cspmu

devices=/sys/bus/event_source/devices
drv=/sys/bus/platform/drivers/arm-cs-arch-pmu
fixture=./cspmu_fixture

field() { awk -v l="$1" -v f="$2" '$1 == l { print $f }' $fixture; }
pmus() { awk '!/^#/ && $2 != "-" { print $2 }' $fixture; }

unload_all() {
	local d i=0
	# The driver's bind files appear only once every device was probed.
	while [ ! -e $drv/unbind ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	for d in $drv/*.pmu; do
		[ -e "$d" ] && basename "$d" >$drv/unbind
	done
	for m in nvidia_cspmu ampere_cspmu arm_cspmu_module; do
		! module_loaded $m || rmmod $m || return 1
	done
}


# --- Backends by PMIIDR ---
check "modprobe arm_cspmu_module" modprobe arm_cspmu_module
check "every PMU is registered" wait_for_pmus $(pmus)
check "the NVIDIA backend was loaded for its PMIIDRs" module_loaded nvidia_cspmu
check "the Ampere backend was loaded for its PMIIDR" sh -c "lsmod | grep -q ^ampere_cspmu || { lsmod; ls $devices; false; }"
expect_eq "the core holds the backend while its PMUs exist" 10 \
	"$(cat /sys/module/nvidia_cspmu/refcnt)"
expect_fail "rmmod of a backend in use is refused" rmmod nvidia_cspmu

# --- sysfs, per PMU: identifier (PMIIDR, rebuilt from PMPIDR when zero),
# cpumask, associated_cpus ---
for label in $(awk '!/^#/ && $2 != "-" { print $1 }' $fixture); do
	name=$(field $label 2)
	cpus=0-3 first=0
	[ $label != unknown ] || cpus=1-2 first=1
	expect_eq "$name: identifier" "$(field $label 3)" "$(cat $devices/$name/identifier)"
	expect_eq "$name: cpumask" $first "$(cat $devices/$name/cpumask)"
	expect_eq "$name: associated_cpus" $cpus "$(cat $devices/$name/associated_cpus)"
done

# Formats and events as upstream defines them (Linux's nvidia_cspmu.c and
# ampere_cspmu.c, newest release).
sysfs() { (cd $devices/$1/$2 && for f in *; do echo "$f=$(cat $f)"; done) | paste -sd' '; }
expect_eq "scf formats" "event=config:0-32" "$(sysfs nvidia_scf_pmu_0 format)"
expect_eq "pcie formats" "event=config:0-32 root_port=config1:0-9" "$(sysfs nvidia_pcie_pmu_0 format)"
expect_eq "c2c formats" "event=config:0-32 port=config1:0-1" "$(sysfs nvidia_nvlink_c2c0_pmu_0 format)"
expect_eq "cnvlink formats" "event=config:0-32 rem_socket=config1:0-3" \
	"$(sysfs nvidia_cnvlink_pmu_0 format)"
expect_eq "generic NVIDIA formats" "event=config:0-32 filter=config1:0-31 filter2=config2:0-31" \
	"$(sysfs nvidia_uncore_pmu_0 format)"
expect_eq "Ampere formats" \
	"bank=config1:24-55 event=config:0-32 rank=config1:8-23 threshold=config1:0-7" \
	"$(sysfs ampere_mcu_pmu_0 format)"
expect_eq "baseline formats" "event=config:0-32 filter=config1:0-31 filter2=config2:0-31" \
	"$(sysfs arm_cspmu_0 format)"
expect_eq "scf: bus_cycles" "event=0x1d" "$(cat $devices/nvidia_scf_pmu_0/events/bus_cycles)"
expect_eq "scf: cycles" "event=0x100000000" "$(cat $devices/nvidia_scf_pmu_0/events/cycles)"
expect_eq "scf: 54 events (the list trimmed in Linux 6.14)" 54 "$(ls $devices/nvidia_scf_pmu_0/events | wc -l)"
expect_eq "mcf events (pcie)" 15 "$(ls $devices/nvidia_pcie_pmu_0/events | wc -l)"
expect_eq "Ampere: 58 events" 58 "$(ls $devices/ampere_mcu_pmu_0/events | wc -l)"
expect_eq "Ampere: act_sent" "event=0x1" "$(cat $devices/ampere_mcu_pmu_0/events/act_sent)"
expect_eq "baseline without a cycle counter hides cycles" "" "$(ls $devices/arm_cspmu_0/events)"

# --- Bad PMUs: refused with a reason, nothing registered ---
check "PMCFGR reading 0 is refused" sh -c "dmesg | grep -q '70018000.pmu: PMCFGR 0x0: no PMU registers'"
check "200 64-bit counters are refused" \
	sh -c "dmesg | grep -q '7001a000.pmu: PMCFGR 0x3fc7: more 64-bit counters'"
check "no driver bound to them" sh -c "[ ! -e $drv/70018000.pmu ] && [ ! -e $drv/7001a000.pmu ]"

# --- Registers programmed by perf, counts from the counter registers ---
# perf stat runs in the background (perf_bg); the test reads what the driver
# wrote and writes the counter, as hardware would count.
p0=$(field scf 4) p1=$(field scf 5)
core_refs=$(cat /sys/module/arm_cspmu_module/refcnt) kcpp_refs=$(cat /sys/module/kcpp/refcnt)
perf_bg nvidia_scf_pmu_0/bus_cycles/
check "scf: PMCR.E set while counting" wait_enabled $p0
# The event pins the module that registered its PMU (pmu->module), so
# rmmod is refused while it counts; kcpp, whose trampolines perf calls, is
# pinned by its users' dependency on it, not by the event.
expect_eq "an open event holds arm_cspmu_module" $((core_refs + 1)) \
	"$(cat /sys/module/arm_cspmu_module/refcnt)"
expect_eq "and not kcpp" "$kcpp_refs" "$(cat /sys/module/kcpp/refcnt)"
expect_eq "scf: PMEVTYPER0 = bus_cycles" 0x1d "$(r32 $((p0 + 0x400)))"
expect_eq "scf: PMCNTENSET0 enables counter 0" 0x1 "$(r32 $((p0 + 0xc00)))"
expect_eq "scf: PMINTENSET0 too" 0x1 "$(r32 $((p0 + 0xc40)))"
expect_eq "scf: the 64-bit counter starts at half range (high)" 0x7fffffff "$(r32 $((p1 + 4)))"
# The counter advances by 1234 (from 0x7fffffffffffffff).
w32 $((p1 + 4)) 0x80000000
w32 $p1 0x4d1
perf_count
expect_eq "scf: perf counts what the counter advanced" 1234 "$count"
expect_eq "scf: PMCNTENCLR0 disables it at the end" 0x1 "$(r32 $((p0 + 0xc20)))"
expect_eq "scf: PMCR cleared when nothing counts" 0x0 "$(r32 $((p0 + 0xe04)))"

perf_bg nvidia_scf_pmu_0/cycles/
wait_enabled $p0
expect_eq "scf: cycles use the cycle counter (PMCNTENSET0 bit 31)" 0x80000000 \
	"$(r32 $((p0 + 0xc00)))"
w32 $((p1 + 31 * 8 + 4)) 0x80000000
w32 $((p1 + 31 * 8)) 0x63
perf_count
expect_eq "scf: cycle count from PMEVCNTR31" 100 "$count"

# The overflow interrupt, raised through the GIC distributor's set-pending
# register for the PMU's SPI (100): the handler brings the count up to date
# and restarts the counter from half range.
w32 $((p0 + 0xc00)) 0
perf_bg nvidia_scf_pmu_0/bus_cycles/
wait_enabled $p0
irq=$(awk '/arm-cs-arch-pmu|70000000.pmu/ { sub(":", "", $1); print $1; exit }' /proc/interrupts)
before=$(awk -v i="$irq:" '$1 == i { s = 0; for (c = 2; c <= 5; c++) s += $c; print s }' /proc/interrupts)
w32 $((p1 + 4)) 0x80000000
w32 $p1 0xfff
w32 $((p1 + 0xc80)) 1
w32 $((0x08000000 + 0x200 + 4 * (132 / 32))) $((1 << (132 % 32)))
sleep 0.2
after=$(awk -v i="$irq:" '$1 == i { s = 0; for (c = 2; c <= 5; c++) s += $c; print s }' /proc/interrupts)
expect_eq "scf: the overflow interrupt was handled" $((before + 1)) "$after"
expect_eq "scf: the handler restarted the counter at half range" 0x7fffffff "$(r32 $((p1 + 4)))"
w32 $((p1 + 0xc80)) 0
perf_count
expect_eq "scf: the count includes the counter's advance up to the interrupt" 4096 "$count"

# Filters of each backend.
pp=$(field pcie 4)
perf_bg nvidia_pcie_pmu_0/rd_bytes_loc,root_port=0x3/
wait_enabled $pp
expect_eq "pcie: root_port goes to PMEVFILTR0" 0x3 "$(r32 $((pp + 0xa00)))"
perf_stop
perf_bg nvidia_pcie_pmu_0/rd_bytes_loc/
wait_enabled $pp
expect_eq "pcie: no root_port means all ports" 0x3ff "$(r32 $((pp + 0xa00)))"
perf_stop
pc=$(field c2c0 4)
perf_bg nvidia_nvlink_c2c0_pmu_0/rd_req_loc,port=1/
wait_enabled $pc
expect_eq "c2c: port goes to PMEVFILTR0" 0x1 "$(r32 $((pc + 0xa00)))"
perf_stop
pa=$(field ampere 4)
perf_bg ampere_mcu_pmu_0/act_sent,threshold=5,rank=0x12,bank=0x345/
wait_enabled $pa
expect_eq "ampere: threshold in PMAUXR0" 0x5 "$(r32 $((pa + 0xd80)))"
expect_eq "ampere: rank in PMAUXR1" 0x12 "$(r32 $((pa + 0xd84)))"
expect_eq "ampere: bank in PMAUXR2" 0x345 "$(r32 $((pa + 0xd88)))"
perf_stop
pu=$(field unknown 4)
perf_bg arm_cspmu_0/event=0x5,filter=0x77/
wait_enabled $pu
expect_eq "baseline: PMEVTYPER0" 0x5 "$(r32 $((pu + 0x400)))"
expect_eq "baseline: filter in PMEVFILTR0" 0x77 "$(r32 $((pu + 0xa00)))"
w32 $pu 0x8000004c
perf_count
expect_eq "baseline: 32-bit counter counts from 0x7fffffff" 77 "$count"

# Events perf must refuse: sampling, reserved bits, filters the PMU lacks,
# groups that cannot count at once, the cycle event without a cycle counter.
# perf stat shows an event the PMU refuses as "<not supported>".
refused() { perf stat -x, -a -e "$1" -- true 2>&1 | grep -q '<not supported>'; }
expect_fail "sampling is refused" perf record -o /tmp/perf.data -e nvidia_scf_pmu_0/bus_cycles/ -a -- true
check "reserved config bits are refused" refused nvidia_scf_pmu_0/config=0x200000000/
check "a filter the PMU does not have is refused" refused nvidia_scf_pmu_0/bus_cycles,config1=1/
check "cycles without a cycle counter is refused" refused arm_cspmu_0/event=0x100000000/
check "PCIe-TGT from devicetree has no address filters: dst_addr_en is refused" \
	refused nvidia_pcie_tgt_pmu_0_rc_3/rd_req,dst_addr_en=1/
check "a group of 5 on 4 counters is refused" \
	refused '{arm_cspmu_0/event=1/,arm_cspmu_0/event=2/,arm_cspmu_0/event=3/,arm_cspmu_0/event=4/,arm_cspmu_0/event=5/}'
check "a group of 4 on 4 counters counts" sh -c \
	"! perf stat -x, -a -e '{arm_cspmu_0/event=1/,arm_cspmu_0/event=2/,arm_cspmu_0/event=3/,arm_cspmu_0/event=4/}' -- true 2>&1 | grep -q '<not supported>'"
check "ampere: a group with different filters is refused" \
	refused '{ampere_mcu_pmu_0/act_sent,rank=1/,ampere_mcu_pmu_0/pre_sent,rank=2/}'
# Group leaders other than the PMU's own events, on the PMU's CPU (with -a
# perf splits a group whose members' CPUs differ): a software leader does
# not take a counter, another hardware PMU's cannot lead.
on_cpu=$(cat $devices/arm_cspmu_0/cpumask)
refused_on_cpu() { perf stat -x, -C $on_cpu -e "$1" -- true 2>&1 | grep -q '<not supported>'; }
bl='arm_cspmu_0/event=1/,arm_cspmu_0/event=2/,arm_cspmu_0/event=3/,arm_cspmu_0/event=4/'
check "a software leader and 4 events on 4 counters count" sh -c \
	"! perf stat -x, -C $on_cpu -e '{cpu-clock,$bl}' -- true 2>&1 | grep -q '<not supported>'"
check "a software leader and 5 events on 4 counters are refused" \
	refused_on_cpu "{cpu-clock,$bl,arm_cspmu_0/event=5/}"
sw_sibling='arm_cspmu_0/event=5/,cpu-clock,arm_cspmu_0/event=2/,arm_cspmu_0/event=3/,arm_cspmu_0/event=4/'
check "a software sibling does not take a counter either" sh -c \
	"! perf stat -x, -C $on_cpu -e '{$sw_sibling}' -- true 2>&1 | grep -q '<not supported>'"
check "a group led by the CPU PMU's cycles is refused" \
	refused_on_cpu '{cycles,arm_cspmu_0/event=1/}'

# --- CPU hotplug moves the PMU and its interrupt ---
check "offline CPU 1" sh -c "echo 0 >/sys/devices/system/cpu/cpu1/online"
expect_eq "the baseline PMU moved to CPU 2" 2 "$(cat $devices/arm_cspmu_0/cpumask)"
if echo 0 >/sys/devices/system/cpu/cpu0/online 2>/dev/null; then
	expect_eq "scf moved off CPU 0" 2 "$(cat $devices/nvidia_scf_pmu_0/cpumask)"
	expect_eq "its interrupt followed" 2 "$(cat /proc/irq/$irq/effective_affinity_list)"
	check "online CPU 0" sh -c "echo 1 >/sys/devices/system/cpu/cpu0/online"
else
	skip "scf moves off CPU 0" "CPU 0 cannot be taken offline here"
fi
check "online CPU 1" sh -c "echo 1 >/sys/devices/system/cpu/cpu1/online"
expect_eq "the baseline PMU stays on CPU 2" 2 "$(cat $devices/arm_cspmu_0/cpumask)"

# --- Without the backend module: the baseline, then the backend by rebind ---
check "unbind the PMUs, unload" unload_all
mkdir -p /etc/modprobe.d
echo "install nvidia_cspmu /bin/false" >/etc/modprobe.d/armature-test.conf
check "modprobe arm_cspmu_module without an NVIDIA backend" modprobe arm_cspmu_module
check "NVIDIA's PMUs come up as arm_cspmu_0..9, the unknown one as 10" \
	wait_for_pmus arm_cspmu_0 arm_cspmu_9 arm_cspmu_10 ampere_mcu_pmu_0
check "the log says why" sh -c "dmesg | grep -q '70000000.pmu: PMIIDR 0x2cf0036b: backend nvidia_cspmu not available'"
rm /etc/modprobe.d/armature-test.conf
check "the backend loaded by hand" modprobe nvidia_cspmu
expect_eq "is not used by bound PMUs" 2cf0036b "$(cat $devices/arm_cspmu_0/identifier)"
check "until the device is rebound" sh -c "echo 70000000.pmu >$drv/unbind && echo 70000000.pmu >$drv/bind"
check "then it is NVIDIA's SCF PMU" wait_for_pmus nvidia_scf_pmu_0
check "unload" unload_all

# --- cspmu_apmt_fixture is for ACPI boots: on a devicetree boot it refuses to load ---
if module_built cspmu_apmt_fixture; then
	expect_fail "cspmu_apmt_fixture refuses a boot without ACPI" modprobe cspmu_apmt_fixture
	check "cspmu_apmt_fixture says why" sh -c "dmesg | grep -q 'cspmu_apmt_fixture: needs a kernel booted with ACPI'"
else
	skip "cspmu_apmt_fixture refuses a boot without ACPI" "not built: this kernel has no ACPI"
fi

# --- Load/unload cycles (kmemleak scans after the scripts) ---
cycle() {
	for i in $(seq $cycles); do
		modprobe arm_cspmu_module || return 1
		wait_for_pmus $(pmus) >/dev/null || { echo "cycle $i"; return 1; }
		unload_all || return 1
	done
}
check "$cycles load/probe/unload cycles" cycle
end_suite
