# Guest test helpers, sourced by the scripts in tests/qemu (busybox sh).
# Each script is one suite; results are KTAP lines written to /dev/kmsg in
# the form KUnit uses, so one parser on the host reads both.
#
#   suite modprobe
#   check "loads kcpp" modprobe kcpp
#   expect_fail "refuses rmmod in use" rmmod kcpp
#   end_suite

KVER=$(uname -r)
# The kernel's page size in bytes (4K, 16K or 64K kernels): what perf's AUX
# areas and pinned memory are counted in. It is AT_PAGESZ (6) of the
# auxiliary vector: the guest root has no getconf, and the debug kernels no
# /proc/self/smaps (PROC_PAGE_MONITOR).
page_size=$(od -An -v -w16 -tu8 /proc/self/auxv | awk '$1 == 6 { print $2 }')
# The kernel series, "6.1" or "6.12": on 6.1 a test checks that what the
# drivers cannot offer there is absent (Documentation/kcpp.rst).
KSERIES=$(echo "$KVER" | cut -d. -f1-2)
# How many cycles the load/unload endurance loops run: 100, unless the
# kernel command line says armature.cycles=N (make check gives the debug
# kernel fewer, with a kmemleak scan after; make stress the full count).
cycles=$(sed -n 's/.*armature\.cycles=\([0-9]*\).*/\1/p' /proc/cmdline)
cycles=${cycles:-100}
_suite= _n=0 _failed=0

ktap() { echo "$*" >/dev/kmsg; }

suite() {
	_suite=$1 _n=0 _failed=0
	ktap "    # Subtest: $_suite"
}

_result() { # ok|not ok, name, [diagnostic lines on stdin]
	_n=$((_n + 1))
	[ "$1" = ok ] || _failed=1
	ktap "    $1 $_n $2"
}

pass() { _result ok "$1"; }

fail() {
	_result "not ok" "$1"
	shift
	[ $# -eq 0 ] || printf '%s\n' "$@" | while IFS= read -r line; do ktap "    # $line"; done
}

# A test that cannot run here must say why (counted as skipped, not passed).
skip() { _n=$((_n + 1)); ktap "    ok $_n $1 # SKIP $2"; }

# check NAME CMD...: passes when CMD exits 0; its output is shown on failure.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "\$ $*" "$out"; fi
}

# expect_fail NAME CMD...: passes when CMD exits non-zero.
expect_fail() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then fail "$name" "\$ $* succeeded" "$out"; else pass "$name"; fi
}

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected '$2', got '$3'"; fi
}

end_suite() {
	ktap "    1..$_n"
	if [ $_failed = 0 ]; then ktap "ok 1 $_suite"; else ktap "not ok 1 $_suite"; fi
}

module_loaded() { [ -d "/sys/module/$1" ]; }
# The format families the io-pgtable harness has nothing to compare with on
# this kernel, as its compare_skipped names them: our debug kernels build
# every one in, Debian's build no DART, and its 6.1 no v7s either.
iopt_compare_skips() {
	case $KVER in
	*-armature-debug | *-armature-debug-rt) echo "" ;;
	6.1.*) echo "v7s DART" ;;
	*) echo "DART" ;;
	esac
}
# The families the harness's last compare left out, on one line.
iopt_compare_skipped() {
	echo $(sed 's/:.*//' /sys/module/armature_io_pgtable_harness/parameters/compare_skipped)
}
# Whether this build has module $1 of ours (kmod's modinfo exits 0 even for
# a module it cannot find).
module_built() { [ -e "/lib/modules/$KVER/updates/armature/$1.ko" ]; }

# wait_for_pmus NAME...: until every perf PMU NAME is registered (up to 10 s;
# drivers may probe after modprobe returns). Every name is looked at again
# each time round, and no name at all is an error. Names the missing ones.
wait_for_pmus() {
	local i=0 pmu missing
	[ $# -gt 0 ] || { echo "wait_for_pmus: no PMU named"; return 1; }
	while :; do
		missing=
		for pmu in "$@"; do
			[ -e /sys/bus/event_source/devices/$pmu ] || missing="$missing $pmu"
		done
		[ -n "$missing" ] || return 0
		[ $i -lt 200 ] || break
		sleep 0.05
		i=$((i + 1))
	done
	echo "missing:$missing"
	return 1
}

# Registers of the RAM-backed PMUs, through /dev/mem (iomem=relaxed).
r32() { printf '0x%x' $(devmem "$1" 32); }
w32() { devmem "$1" 32 "$2"; }

# CoreSight PMU counting: perf_bg PMU/EVENT/ counts system-wide into
# /tmp/perf.out until perf_stop ends its workload (or 600 polls later);
# wait_enabled PAGE0 waits for PMCR.E; perf_count stops perf and sets count.
perf_bg() {
	rm -f /tmp/perf.stop
	perf stat -x, -a -e "$1" -- sh -c 'i=0
		while [ ! -e /tmp/perf.stop ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done' \
		>/tmp/perf.out 2>&1 &
	perf_pid=$!
}
perf_stop() {
	touch /tmp/perf.stop
	wait $perf_pid
}
wait_enabled() {
	local i=0 v
	while [ $i -lt 100 ]; do
		v=$(devmem $(($1 + 0xe04)) 32) || return 1
		[ $((v & 1)) = 1 ] && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
perf_count() {
	perf_stop
	count=$(sed -n 's/^\([0-9]*\),.*/\1/p' /tmp/perf.out | head -1)
	[ -n "$count" ] || cat /tmp/perf.out >&2
}

# SPE: a user-mode workload of about a third of a second under TCG (perf
# decodes its records slowly, most of all on the debug kernel);
# spe_decode FILE, perf's raw dump of the AUX data (made once per file);
# spe_records FILE, how many SPE records perf decoded.
spe_workload='i=0; while [ $i -lt 10000 ]; do i=$((i + 1)); done'
spe_decode() {
	[ -e "$1.dump" ] || perf report -D -i "$1" >"$1.dump" 2>&1
	cat "$1.dump"
}
spe_records() { spe_decode "$1" | grep -c '^\. .*\(END\|TS \)'; }
