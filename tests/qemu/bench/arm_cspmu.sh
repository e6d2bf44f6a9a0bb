# The arm_cspmu probe benchmark (make bench): the time from modprobe of the
# core to (a) the first NVIDIA PMU registered through its backend and (b)
# every PMU of the devicetree fixture (./cspmu_fixture) registered, for
# upstream's modules and for ours, in alternate rounds of the same boot.
#
# Both are loaded the same way, "modprobe arm_cspmu_module", and both cores
# load their backends with request_module: for upstream's rounds the module
# tree of upstream's build (tools/qemu/run --upstream) is bind-mounted over
# /lib/modules/<release>, so modprobe and the kernel find upstream's three
# modules and none of ours. Ours include loading kcpp, which the core needs.
#
# Times come from ftrace, stamped by the kernel's clock, which under
# -icount shift=0 counts executed instructions (all CPUs): a marker written
# just before modprobe, and a kprobe on perf_pmu_register naming each PMU;
# exec events count the modprobe processes the kernel starts for backends
# (request_module; the shell's modprobe is busybox's applet, not exec'd),
# which is where upstream's time goes. Logs per round "# arm_cspmu round ..." and at the end, per case,
# the medians: "armature-bench arm_cspmu <case>: ours .., upstream ..,
# ratio ..".
. ./lib.sh

suite arm_cspmu_bench

rounds=7
t=/sys/kernel/tracing
drv=/sys/bus/platform/drivers/arm-cs-arch-pmu
devices=/sys/bus/event_source/devices
upstream_tree=/armature/upstream/lib/modules/$KVER
pmus=$(awk '!/^#/ && $2 != "-" { print $2 }' ./cspmu_fixture)

# Every fixture PMU registered; polls rarely, so that the shell takes little
# from the probe it measures.
wait_all() {
	local i=0 n missing
	while [ $i -lt 100 ]; do
		missing=
		for n in $pmus; do [ -e $devices/$n ] || missing=$n; done
		[ -n "$missing" ] || return 0
		sleep 0.2
		i=$((i + 1))
	done
	echo "missing: $missing"
	return 1
}

# No modprobe left running: upstream's core requests a backend per probe
# attempt and some of those finish after the last PMU is registered; one
# left over must not load modules into the next round.
settle() {
	local i=0
	while grep -qx modprobe /proc/[0-9]*/comm 2>/dev/null; do
		[ $i -lt 100 ] || { echo "modprobe still running"; return 1; }
		sleep 0.1
		i=$((i + 1))
	done
}

# Ours: unbind the PMUs, which releases the backends. Upstream's driver has
# no bind files; its backends unbind their PMUs when they unload.
unload() {
	local d i=0
	if [ $1 = ours ]; then
		while [ ! -e $drv/unbind ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
		for d in $drv/*.pmu; do
			[ -e "$d" ] && basename "$d" >$drv/unbind
		done
	fi
	for m in nvidia_cspmu ampere_cspmu arm_cspmu_module kcpp; do
		! module_loaded $m || rmmod $m || return 1
	done
	d=$(ls $devices | grep -e arm_cspmu -e nvidia -e ampere) || true
	[ -z "$d" ] || { echo "still registered: $d"; return 1; }
}

# From the trace of one round: "FIRST_NVIDIA_NS ALL_NS MODPROBES", the times
# after the marker and how many modprobe processes started until the last
# PMU was registered; empty when a fixture PMU is missing.
measure() {
	awk -v pmus="$pmus" '
	function ns(ts,   p) { sub(":", "", ts); split(ts, p, "."); return p[1] * 1000000000 + p[2] * 1000 }
	BEGIN { want = split(pmus, list, " "); for (i = 1; i <= want; i++) fixture[list[i]] = 1 }
	{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { ts = ns($i); break } }
	/tracing_mark_write: armature-bench start/ { start = ts; next }
	/sched_process_exec: filename=[^ ]*\/modprobe / && start != "" && got < want { modprobes++ }
	/pmu_register:/ && start != "" {
		name = $0; sub(/.*name="/, "", name); sub(/".*/, "", name)
		if (first == "" && name ~ /^nvidia_/) first = ts - start
		if (name in fixture && !(name in seen)) { seen[name] = 1; got++; last = ts - start }
	}
	END { if (got == want && first != "") print first, last, modprobes + 0 }' $t/trace
}

round() { # ours|upstream, round number
	local r
	if [ $1 = upstream ]; then mount --bind $upstream_tree /lib/modules/$KVER || return 1; fi
	echo >$t/trace
	echo 1 >$t/tracing_on
	echo "armature-bench start" >$t/trace_marker
	modprobe arm_cspmu_module || return 1
	wait_all || return 1
	echo 0 >$t/tracing_on
	# Every module of ours needs kcpp: loaded for ours, absent for upstream.
	if [ $1 = upstream ]; then
		! module_loaded kcpp || { echo "ours loaded in upstream's round"; return 1; }
	else
		module_loaded kcpp || { echo "ours not loaded"; return 1; }
	fi
	r=$(measure)
	[ -n "$r" ] || { echo "no complete trace:"; cat $t/trace; return 1; }
	echo "$1 $r" >>/tmp/cspmu_bench
	set -- $1 $2 $r
	ktap "    # arm_cspmu round $2 $1: first NVIDIA PMU $3 ns, all $4 ns, $5 backend modprobes"
	settle || return 1
	unload $1 || return 1
	settle || return 1
	if [ $1 = upstream ]; then umount /lib/modules/$KVER || return 1; fi
}

[ -e $t/trace ] || mount -t tracefs nodev $t
check "upstream's module tree is in the guest" test -e $upstream_tree/updates/upstream/arm_cspmu_module.ko
check "a kprobe on perf_pmu_register" \
	sh -c "echo 'p:armature/pmu_register perf_pmu_register name=+0(%x1):string' >>$t/kprobe_events"
check "it is enabled" sh -c "echo 1 >$t/events/armature/pmu_register/enable"
check "exec events on (to count modprobes)" sh -c "echo 1 >$t/events/sched/sched_process_exec/enable"
rm -f /tmp/cspmu_bench
i=1
while [ $i -le $rounds ]; do
	check "round $i, upstream" round upstream $i
	check "round $i, ours" round ours $i
	i=$((i + 1))
done
echo 0 >$t/events/armature/pmu_register/enable
echo 0 >$t/events/sched/sched_process_exec/enable
echo '-:armature/pmu_register' >>$t/kprobe_events

# Medians of the rounds, in guest microseconds (thousands of instructions).
median() { grep "^$1 " /tmp/cspmu_bench | cut -d' ' -f$2 | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v u=$1 -v o=$2 'BEGIN { printf "%.2f", u / o }'; }
for c in "first_nvidia_pmu 2" "all_pmus 3"; do
	set -- $c
	ours=$(median ours $2) up=$(median upstream $2)
	[ -n "$ours" ] && [ -n "$up" ] || continue
	ktap "armature-bench arm_cspmu $1: ours $((ours / 1000)) us, upstream $((up / 1000)) us, ratio upstream/ours $(ratio $up $ours)"
done
ours=$(median ours 4) up=$(median upstream 4)
[ -z "$ours" ] || [ -z "$up" ] ||
	ktap "armature-bench arm_cspmu backend_modprobes: ours $ours, upstream $up, ratio upstream/ours $(ratio $up $ours)"

end_suite
