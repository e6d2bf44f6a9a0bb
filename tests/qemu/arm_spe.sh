# arm_spe_pmu and arm_spe_sim in the guest, on the SPE nodes
# tools/qemu/spe-fixture adds to the devicetree. QEMU has no SPE: the
# shipped arm_spe_pmu must refuse the hardware's node and leave the
# simulated one alone; arm_spe_sim, the same driver on the simulated SPE,
# binds only its own node, and perf profiles through it, with perf's own
# decoder reading what the driver handed over.
. ./lib.sh

suite arm_spe

devices=/sys/bus/event_source/devices
spe=$devices/arm_spe_0
hw_node=/sys/bus/platform/devices/spe-pmu
sim_node=/sys/bus/platform/devices/spe-sim
params=/sys/module/arm_spe_sim/parameters
bin=/armature/bin
export PATH=$bin:$PATH

log_count() { dmesg | grep -c "$1"; }
# bad_packets FILE [FROM]: packets perf's decoder could not parse (at
# offsets from FROM on in their AUX chunk)
bad_packets() {
	spe_decode "$1" | sed -n 's/^\. *\([0-9a-f]*\): .*Bad packet!$/\1/p' |
		while read -r offset; do [ $((0x$offset)) -lt ${2:-0} ] || echo "$offset"; done |
		grep -c .
}
# has_aux_flag FILE MASK: a session end perf recorded has a flag of MASK
# (1 TRUNCATED, 4 PARTIAL, 8 COLLISION)
has_aux_flag() {
	spe_decode "$1" | sed -n 's/.*PERF_RECORD_AUX .*flags: \(0x[0-9a-f]*\).*/\1/p' |
		while read -r f; do [ $((f & $2)) = $2 ] && echo y; done | grep -q y
}
# largest_size FILE RECORD: the largest size in perf's RECORDs (AUX: a
# session's end; AUXTRACE: the AUX data perf took)
largest_size() {
	spe_decode "$1" | sed -n "s/.*PERF_RECORD_$2 .*size: \([0-9a-fx]*\).*/\1/p" |
		while read -r n; do echo $((n)); done | sort -n | tail -1
}
# modules_for MODALIAS: the modules modprobe loads for a device, from
# depmod's modules.alias (busybox's modprobe cannot resolve an alias)
modules_for() {
	while read -r _ pattern module; do
		case "$1" in $pattern) echo "$module" ;; esac
	done </lib/modules/$KVER/modules.alias | sort -u | paste -sd' '
}
# driver_of NODE: the driver bound to a platform device, or "none"
driver_of() { if [ -e "$1/driver" ]; then basename "$(readlink -f "$1/driver")"; else echo none; fi; }

# --- The two modules' aliases: modprobe never loads one for the other ---
expect_eq "the hardware's node resolves to arm_spe_pmu only" arm_spe_pmu \
	"$(modules_for "$(cat $hw_node/modalias)")"
expect_eq "the simulated node resolves to arm_spe_sim only" arm_spe_sim \
	"$(modules_for "$(cat $sim_node/modalias)")"
expect_eq "ACPI's arm,spe-v1 device resolves to arm_spe_pmu only" arm_spe_pmu \
	"$(modules_for 'platform:arm,spe-v1')"
expect_eq "and its arm_spe_sim twin to arm_spe_sim only" arm_spe_sim \
	"$(modules_for 'platform:armature,spe-sim')"

# --- The shipped module: no simulator in it, and no SPE here ---
ko=/lib/modules/$KVER/updates/armature/arm_spe_pmu.ko
expect_eq "arm_spe_pmu has no module parameters (upstream has none)" "" "$(modinfo -F parm $ko)"
# The simulator's sysfs file would be a name in the module's strings.
expect_fail "arm_spe_pmu names no simulated file" grep -aq simulated $ko
before=$(log_count 'arm_spe_pmu spe-pmu')
check "modprobe arm_spe_pmu on a CPU without SPE" modprobe arm_spe_pmu
expect_fail "no arm_spe PMU without SPE" test -e $spe
check "the log says the CPU has no SPE" sh -c "dmesg | grep 'arm_spe_pmu spe-pmu' | tail -n +$((before + 1)) | grep -qi 'PMSVer'"
expect_eq "arm_spe_pmu leaves the simulated node alone" none "$(driver_of $sim_node)"
expect_fail "arm_spe_pmu has no parameters in sysfs" test -e /sys/module/arm_spe_pmu/parameters
check "rmmod arm_spe_pmu" rmmod arm_spe_pmu

# --- PMBIDR_EL1.P: a higher exception level owns the buffer ---
before=$(log_count 'arm_spe_sim')
check "modprobe arm_spe_sim pmbidr=0x10 (P set)" modprobe arm_spe_sim pmbidr=0x10
expect_fail "no arm_spe PMU when a higher EL owns the buffer" test -e $spe
check "the log says a higher EL owns the buffer" sh -c "dmesg | grep 'arm_spe_sim' | tail -n +$((before + 1)) | grep -q 'owned by higher exception level'"
check "rmmod arm_spe_sim" rmmod arm_spe_sim

# --- The simulated SPE ---
check "modprobe arm_spe_sim" modprobe arm_spe_sim
check "arm_spe_0 is registered" wait_for_pmus arm_spe_0
expect_eq "arm_spe_sim binds its own node only" "arm_spe_sim none" \
	"$(driver_of $sim_node) $(driver_of $hw_node)"
if [ "$KSERIES" = 6.1 ]; then
	expect_eq "arm_spe_0 has no parent device on 6.1" /sys/devices/arm_spe_0 "$(readlink -f $spe)"
else
	check "arm_spe_0 is the simulated node's" sh -c "readlink -f $spe | grep -q '/spe-sim/'"
fi
expect_fail "no simulated file: the PMU's files are upstream's" test -e $spe/simulated
check "the log says it is a simulated test model" sh -c "dmesg | grep -q 'simulated SPE, a test model'"
expect_eq "cpumask: every CPU" "$(cat /sys/devices/system/cpu/possible)" "$(cat $spe/cpumask)"
sysfs() { (cd $spe/$1 && for f in *; do echo "$f=$(cat $f)"; done) | paste -sd' '; }
expect_eq "caps of the simulated SPEv1p2" \
	"arch_inst=0 count_size=12 ernd=0 event_filter=0xffff0000ff06f8ea min_interval=4096" \
	"$(sysfs caps)"
# SPEv1p2 has discard mode; no FnE (inv_event_filter) and no EFT masks.
expect_eq "formats of the simulated SPEv1p2" \
	"branch_filter=config:32 discard=config:35 event_filter=config1:0-63 jitter=config:16 load_filter=config:33 min_latency=config2:0-11 pa_enable=config:1 pct_enable=config:2 store_filter=config:34 ts_enable=config:0" \
	"$(sysfs format)"

# --- event_init, as upstream decides, through perf_event_open itself ---
expect_eq "a plain event opens" ok "$(perf_open)"
expect_eq "freq is refused" EINVAL "$(perf_open freq=1 period=1000)"
expect_eq "exclude_idle is refused" EOPNOTSUPP "$(perf_open exclude_idle=1)"
expect_eq "reserved event-filter bit 0 is refused" EOPNOTSUPP "$(perf_open config1=0x1)"
expect_eq "an event-filter bit SPEv1p2 lacks (2) is refused" EOPNOTSUPP "$(perf_open config1=0x4)"
if [ "$KSERIES" = 6.1 ]; then
	expect_eq "config3 is refused by 6.1's perf core" E2BIG "$(perf_open config3=0x2)"
else
	expect_eq "inv_event_filter without FnE is refused" EOPNOTSUPP "$(perf_open config3=0x2)"
fi
expect_eq "an EFT mask without EFT is refused" EOPNOTSUPP "$(perf_open config=0x1000000000)"
expect_eq "a config bit no format defines is refused" EOPNOTSUPP "$(perf_open config=0x80000000000)"
expect_eq "min_latency beyond its 12 bits is refused" EOPNOTSUPP "$(perf_open config2=0x1000)"
expect_eq "a period beyond PMSIRR is refused" EINVAL "$(perf_open period=0x100000000)"
expect_eq "filters the CPU has are accepted" ok \
	"$(perf_open config=0x700000000 config1=0x2 config2=100 period=8192)"
expect_eq "IOC_PERIOD: a valid period is taken" "ok ok" \
	"$(perf_open period=4096 aux_pages=4 exclude_kernel=1 new_period=8192)"
expect_eq "IOC_PERIOD: a period beyond PMSIRR is refused" "ok EINVAL" \
	"$(perf_open period=4096 aux_pages=4 exclude_kernel=1 new_period=0x100000000)"
# The new period is the one sampled at: 100 ms of the same user-space work
# writes 16 times fewer records at 65536 than at 4096 (a quarter allows for
# the interval's jitter and the timing of the simulator's ticks).
set -- $(perf_open period=4096 aux_pages=64 exclude_kernel=1 spin_ms=100)
expect_eq "IOC_PERIOD: a session at 4096 runs" ok "$1"
at_4096=${2:-0}
set -- $(perf_open period=4096 aux_pages=64 exclude_kernel=1 new_period=65536 spin_ms=100)
expect_eq "IOC_PERIOD: a session changed to 65536 runs" "ok ok" "$1 $2"
at_65536=${3:-0}
check "IOC_PERIOD: records at 4096 ($at_4096 bytes)" test "$at_4096" -gt 0
check "IOC_PERIOD: records at 65536 after the change ($at_65536 bytes)" test "$at_65536" -gt 0
check "IOC_PERIOD: the new period samples less often" test $((at_65536 * 4)) -lt "$at_4096"
expect_eq "an AUX area of one page is refused" "aux ENOMEM" "$(perf_open aux_pages=1)"
expect_eq "discard mode (SPEv1p2) opens and runs" ok "$(perf_open config=0x800000000 aux_pages=4)"

# --- perf record, report, script ---
# stat NAME: one of the driver's debugfs counters (summed over CPUs)
spe_stat() { sed -n "s/^$1 //p" /sys/kernel/debug/arm_spe_sim/arm_spe_0; }
written=$(spe_stat sim_records)
check "perf record -e arm_spe// -- workload" \
	perf record -q -e arm_spe// -o /tmp/spe.data -- sh -c "$spe_workload"
n=$(spe_records /tmp/spe.data)
check "perf decodes SPE records ($n)" test "$n" -gt 100
expect_eq "perf got every record the simulated SPE wrote" $(($(spe_stat sim_records) - written)) "$n"
expect_eq "no packet perf cannot decode" 0 "$(bad_packets /tmp/spe.data)"
# The events pin the module that registered their PMU (pmu->module), not
# kcpp, whose trampolines perf calls.
refs_before="$(cat /sys/module/arm_spe_sim/refcnt) $(cat /sys/module/kcpp/refcnt)"
check "perf record while reading the modules' references" \
	perf record -q -e arm_spe// -o /tmp/refs.data -- \
	sh -c "echo \$(cat /sys/module/arm_spe_sim/refcnt) \$(cat /sys/module/kcpp/refcnt) >/tmp/refs"
check "an open event holds arm_spe_sim" test "$(cut -d' ' -f1 /tmp/refs)" -gt "${refs_before% *}"
expect_eq "and not kcpp" "${refs_before#* }" "$(cut -d' ' -f2 /tmp/refs)"
check "perf report shows the synthesized SPE events" \
	sh -c "perf report -i /tmp/spe.data --stdio 2>&1 | grep -q 'memory\|l1d-access\|tlb-access'"
check "perf script resolves samples to busybox (the workload)" \
	sh -c "perf script -i /tmp/spe.data 2>/dev/null | grep -q busybox"
kernel_pcs() { spe_decode "$1" | grep -c 'PC 0xff[0-9a-f]* el[12]'; }
check "a default session samples the kernel too" test "$(kernel_pcs /tmp/spe.data)" -gt 0
check "perf record with pa_enable=1" \
	perf record -q -e arm_spe/pa_enable=1/ -o /tmp/spe-pa.data -- sh -c "$spe_workload"
check "physical addresses are recorded when asked" \
	test "$(spe_decode /tmp/spe-pa.data | grep -c 'PA 0x')" -gt 0
expect_eq "and not otherwise" 0 "$(spe_decode /tmp/spe.data | grep -c 'PA 0x')"
# Records of a user-only event carry user PCs only (EL0: no top byte).
check "perf record of user-space only" \
	perf record -q -e arm_spe//u -o /tmp/spe-user.data -- sh -c "$spe_workload"
expect_eq "a user-space session has no kernel PCs" 0 "$(kernel_pcs /tmp/spe-user.data)"

# --- snapshot mode: perf takes the AUX area on SIGUSR2 ---
# A 4-page area the workload fills many times over: in snapshot mode the
# PMU laps it instead of stopping, and perf takes the whole area at the
# signal, oldest byte first. The PMU's windows end at the 2-page halves,
# padded there: only the bytes up to the half the PMU was writing (under
# 2 pages) are an older lap's, which may start inside a record; past the
# first half every packet must decode. Records are at most 64 bytes.
# perf's -m counts pages when given no unit.
half=$((2 * page_size))
check "perf record -S -m ,4 (pages) with a SIGUSR2 snapshot" \
	perf record -q -e arm_spe// -S -m ,4 -o /tmp/snap.data -- \
	sh -c "$spe_workload; kill -USR2 \$PPID; sleep 0.5; $spe_workload"
expect_eq "the snapshot is the whole lapped area" $((2 * half)) "$(largest_size /tmp/snap.data AUXTRACE)"
check "the snapshot holds a half area of records" test "$(spe_records /tmp/snap.data)" -ge $((half / 64))
expect_eq "no undecodable packet past the first half" 0 "$(bad_packets /tmp/snap.data $half)"
expect_fail "no session ended TRUNCATED in snapshot mode" has_aux_flag /tmp/snap.data 1

# --- a slow consumer: a 2-page AUX area at the highest rate truncates ---
truncated=$(spe_stat truncated) irqs=$(spe_stat irqs)
check "perf record into a 2-page AUX area at period 256" \
	perf record -q -e arm_spe// -c 256 -m ,2 -o /tmp/small.data -- sh -c "$spe_workload"
check "the session ended TRUNCATED" has_aux_flag /tmp/small.data 1
check "the driver counted the truncation" test "$(spe_stat truncated)" -gt "$truncated"
check "and buffer-management interrupts" test "$(spe_stat irqs)" -gt "$irqs"
expect_eq "what was kept decodes" 0 "$(bad_packets /tmp/small.data)"

# --- faults: each reported once, the next session works ---
fault_case() { # KIND LOG_PATTERN
	local before after
	before=$(log_count "$2")
	echo "$1" >$params/inject
	perf record -q -e arm_spe// -o /tmp/fault.data -- sh -c "$spe_workload" >/dev/null 2>&1
	after=$(log_count "$2")
	expect_eq "$1: reported once" 1 $((after - before))
	check "$1: the next session records" \
		perf record -q -e arm_spe// -o /tmp/after-$1.data -- sh -c "$spe_workload"
	check "$1: and decodes" test "$(spe_records /tmp/after-$1.data)" -gt 100
}
fault_case stage1_fault 'stage 1 fault'
fault_case unknown_code 'unknown PMBSR_EL1 exception class'
echo data_loss >$params/inject
check "data_loss: perf record" perf record -q -e arm_spe// -o /tmp/loss.data -- sh -c "$spe_workload"
check "data_loss: the session ends TRUNCATED and PARTIAL" has_aux_flag /tmp/loss.data 5
# A collision is reported with the next buffer-full event: a small area,
# and perf with its workload on one CPU, whose model takes the injection
# (a CPU the workload leaves soon may never fill its area).
echo collision >$params/inject
check "collision: perf record" \
	taskset -c 1 perf record -q -e arm_spe// -m ,4 -o /tmp/coll.data -- sh -c "$spe_workload"
check "collision: a session end says COLLISION" has_aux_flag /tmp/coll.data 8
expect_eq "an unknown injection is refused" 1 \
	"$(echo bogus >$params/inject 2>/dev/null; echo $?)"

# --- an unprivileged user ---
echo 2 >/proc/sys/kernel/perf_event_paranoid
expect_eq "user: physical addresses are refused" EACCES \
	"$(runas 1000 perf_open config=0x2 exclude_kernel=1)"
expect_eq "user: physical timestamps are refused" EACCES \
	"$(runas 1000 perf_open config=0x4 exclude_kernel=1)"
expect_eq "user: user-space profiling opens" ok "$(runas 1000 perf_open exclude_kernel=1)"
check "user: perf record -e arm_spe//u" \
	runas 1000 perf record -q -e arm_spe//u -o /tmp/user.data -- sh -c "$spe_workload"
expect_eq "user: no kernel PCs in the records" 0 "$(kernel_pcs /tmp/user.data)"

# --- CPU offline and online during a system-wide session ---
cpu1=/sys/devices/system/cpu/cpu1/online
check "perf record -a while CPU 1 goes offline and online" \
	perf record -q -a -e arm_spe// -c 65536 -o /tmp/hotplug.data -- \
	sh -c "$spe_workload; echo 0 >$cpu1; $spe_workload; echo 1 >$cpu1; $spe_workload"
expect_eq "CPU 1 is back online" 1 "$(cat $cpu1)"
check "the session decodes" test "$(spe_records /tmp/hotplug.data)" -gt 10
expect_eq "no undecodable packet across hotplug" 0 "$(bad_packets /tmp/hotplug.data)"
# A session ended by the CPU going down hands perf what was written, no
# more than the 4 MiB area (a reset pointer would make it ~2^47 bytes).
check "no session end larger than the AUX area" test "$(largest_size /tmp/hotplug.data AUX)" -le 4194304

check "rmmod arm_spe_sim" rmmod arm_spe_sim
expect_fail "arm_spe_0 is gone" test -e $spe

# --- FnE: the inverted event filter is config3, which 6.1's perf lacks ---
check "modprobe arm_spe_sim with FnE" modprobe arm_spe_sim pmsidr=0x26857
check "arm_spe_0 is registered with FnE" wait_for_pmus arm_spe_0
if [ "$KSERIES" = 6.1 ]; then
	expect_fail "no inv_event_filter format on 6.1" test -e $spe/format/inv_event_filter
	expect_eq "config3 is refused by 6.1's perf core, FnE or not" E2BIG "$(perf_open config3=0x2)"
else
	expect_eq "inv_event_filter with FnE" config3:0-63 "$(cat $spe/format/inv_event_filter)"
	expect_eq "an inverted filter the CPU has opens" ok "$(perf_open config3=0x2)"
fi
check "rmmod arm_spe_sim after FnE" rmmod arm_spe_sim

# --- spe_acpi_fixture is for ACPI boots: on a devicetree boot it refuses to load ---
if module_built spe_acpi_fixture; then
	expect_fail "spe_acpi_fixture refuses a boot without ACPI" modprobe spe_acpi_fixture
	check "spe_acpi_fixture says why" sh -c "dmesg | grep -q 'spe_acpi_fixture: needs a kernel booted with ACPI'"
else
	skip "spe_acpi_fixture refuses a boot without ACPI" "not built: this kernel has no ACPI"
fi

end_suite
