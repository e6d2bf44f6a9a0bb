# /dev/gunyah, through tools/gunyah/gunyah-vm.c: a VM is created, lent and
# shared anonymous memory (SGLs of 1, 512, 513 and 1025 entries over
# physically non-contiguous pages, then contiguous ones), and reclaimed;
# file-backed, shared and malformed regions are refused; RLIMIT_MEMLOCK is
# enforced; a process killed with memory lent, one that exits without
# reclaiming, and one whose RM is unbound under it, all end with every page
# unpinned, uncharged and back from the RM.
#
# Two suites, one body (vm_tests) on gunyah_rsc_mgr bound to the simulated
# hypervisor and RM (tests/modules/gunyah_sim):
#   gunyah_vm       plain Gunyah (null platform ops)
#   gunyah_vm_qcom  Qualcomm's Gunyah: gunyah_qcom's ops on the simulated
#                   secure world (gunyah_sim_scm), which must hold away from
#                   HLOS exactly the pages the RM holds, after every step
# A backend is: BACKEND_setup, BACKEND_lent (pages the RM holds in parcels),
# BACKEND_vmids (VMIDs allocated), BACKEND_fail lend|append|reclaim (the RM
# fails its next such call with EPERM), BACKEND_unbind, BACKEND_teardown.
#
# Pins are counted by the kernel (/proc/vmstat nr_foll_pin_acquired -
# nr_foll_pin_released): every test ends with the count it started with.
. ./lib.sh

bin=/armature/bin
export PATH=$bin:$PATH
KB_PER_PAGE=$((page_size / 1024))

# --- backends -----------------------------------------------------------------

# The simulated RM: its debugfs state ("lent_bytes N", "shared_bytes N",
# "vmids N") and fault knobs (fail_msg_id, fail_error, fail_nth).
drv=/sys/bus/platform/drivers/gunyah_rsc_mgr
rm_dev="hypervisor:qcom,resource-manager-rpc@10"
simd=/sys/kernel/debug/gunyah_sim
simp=/sys/module/gunyah_sim/parameters
sim_setup() { modprobe gunyah_sim && modprobe gunyah_rsc_mgr && wait_for_dev; }
sim_state() { sed -n "s/^$1 //p" $simd/state; }
sim_bytes() { echo $(($(sim_state lent_bytes) + $(sim_state shared_bytes))); }
sim_lent() { echo $(($(sim_bytes) / page_size)); }
sim_vmids() { sim_state vmids; }
sim_fail() {
	local id
	case $1 in
	lend) id=0x51000012 ;;
	append) id=0x51000018 ;;
	reclaim) id=0x51000015 ;;
	*) return 2 ;;
	esac
	echo $id >$simp/fail_msg_id && echo 3 >$simp/fail_error && echo 1 >$simp/fail_nth
}
sim_unbind() {
	local d
	for d in /sys/bus/platform/drivers/gunyah_rsc_mgr/*; do
		[ -e "$d/of_node" ] || continue
		echo "${d##*/}" >/sys/bus/platform/drivers/gunyah_rsc_mgr/unbind
		return
	done
	return 1
}
sim_teardown() { rmmod gunyah_sim gunyah_rsc_mgr; }   # gunyah_sim uses gunyah_rsc_mgr's symbols

# Qualcomm's Gunyah: the same RM, and a secure world whose pages away from
# HLOS must be the RM's.
qcom_setup() {
	modprobe gunyah_sim identity=qcom && modprobe gunyah_sim_scm && wait_for_dev
}
# The secure world lists 4 KiB granules, whatever the kernel's page size:
# compared in bytes.
qcom_lent() {
	local rm=$(sim_bytes)
	local scm=$(($(wc -l </sys/kernel/debug/gunyah_sim_scm/pages) * 4096))
	[ "$rm" = "$scm" ] && echo $((rm / page_size)) || echo "RM $rm bytes, secure world $scm bytes"
}
qcom_vmids() { sim_vmids; }
qcom_fail() { sim_fail "$@"; }
qcom_unbind() { sim_unbind; }
qcom_teardown() { rmmod gunyah_sim_scm gunyah_qcom gunyah_sim gunyah_rsc_mgr; }

# --- helpers ------------------------------------------------------------------

wait_for_dev() {
	local i=0
	while [ ! -c /dev/gunyah ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
	[ -c /dev/gunyah ]
}

# field KEY LINE: the value of KEY=... in a line of gunyah-vm's output.
field() { echo "$2" | sed -n "s/.*\<$1=\([^ ]*\).*/\1/p"; }

# lend_and_reclaim OP PAGES [OPTIONS]: gunyah-vm OP PAGES, one region; checks
# its list entries (PAGES for sparse pages, at most PAGES otherwise) and
# that it reclaimed everything.
lend_and_reclaim() {
	local op=$1 pages=$2 out line entries
	shift 2
	out=$(gunyah-vm "$@" $op $pages 2>&1) || { echo "$out"; return 1; }
	line=$(echo "$out" | grep "^$op ")
	entries=$(field entries "$line")
	[ "$(field pages "$line")" = $pages ] || { echo "$out"; return 1; }
	[ -n "$entries" ] && [ "$entries" -ge 1 ] && [ "$entries" -le $pages ] ||
		{ echo "entries=$entries"; echo "$out"; return 1; }
	echo "$out" | grep -q "^reclaim label=0 pinned=0$" || { echo "$out"; return 1; }
	echo "$out"
}

# held PAGES OPTIONS...: starts gunyah-vm -H in the background; sets held_pid
# once it says the memory is lent (up to 20 s).
held() {
	local pages=$1
	shift
	rm -f /tmp/held.out
	gunyah-vm -H "$@" lend $pages >/tmp/held.out 2>&1 &
	held_pid=$!
	wait_line /tmp/held.out '^held ' $held_pid
}

# wait_line FILE PATTERN PID: until a line of FILE matches (up to 20 s, while
# PID lives); FILE is shown when it does not.
wait_line() {
	local i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		[ $i -lt 400 ] && kill -0 $3 2>/dev/null || { cat "$1"; return 1; }
		sleep 0.05
		i=$((i + 1))
	done
}

# rm_fails share|reclaim CMD...: CMD with the backend's RM failing its next
# such call with DENIED, EPERM to the caller ($b: the backend of vm_tests).
rm_fails() { local what=$1; shift; ${b}_fail $what && "$@"; }

# (stat_refresh folds the per-CPU counts in, else they lag.)
pins() { echo 1 >/proc/sys/vm/stat_refresh; awk '/^nr_foll_pin_acquired/ { a = $2 } /^nr_foll_pin_released/ { r = $2 }
	END { print a - r }' /proc/vmstat; }

# concurrently N: N processes lend two 64-page regions each and reclaim, at
# once; all must succeed.
concurrently() {
	local i pids= st=0 p
	for i in $(seq $1); do
		gunyah-vm -s -c 2 lend 64 >/tmp/conc.$i 2>&1 &
		pids="$pids $!"
	done
	for p in $pids; do wait $p || st=1; done
	[ $st = 0 ] || cat /tmp/conc.*
	rm -f /tmp/conc.*
	return $st
}

vmlck_kb() { sed -n 's/^VmLck:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$1/status; }

# --- the body -----------------------------------------------------------------

vm_tests() {
	local b=$1 pins0 vmids0 n out err=EPERM
	pins0=$(pins)
	vmids0=$(${b}_vmids)
	expect_eq "/dev/gunyah is a character device of mode 0600" "crw-------" \
		"$(ls -l /dev/gunyah | cut -c1-10)"

	for n in 1 512 513 1025; do
		check "lend $n sparse pages: $n list entries, then reclaim" lend_and_reclaim lend $n -s
		check "share $n sparse pages: $n list entries, then reclaim" lend_and_reclaim share $n -s
	done
	check "lend 1025 pages as they come (contiguous runs merged), then reclaim" \
		lend_and_reclaim lend 1025
	check "share 3 regions read-only, read-exec and rwx" sh -c \
		'gunyah-vm -r r share 4 && gunyah-vm -r rx share 4 && gunyah-vm -r rwx -c 3 share 2'
	check "8 processes lend and reclaim at once" concurrently 8
	expect_eq "the RM holds no page after the reclaims" 0 "$(${b}_lent)"
	expect_eq "no page is still pinned after the reclaims" $pins0 "$(pins)"

	check "a private file mapping (COW) is refused" gunyah-vm -m file -e EINVAL lend 4
	check "shared anonymous memory is refused" gunyah-vm -m shared -e EINVAL share 4
	check "a misaligned user address is refused" gunyah-vm -a 1 -e EINVAL lend 1
	check "a misaligned size is refused" gunyah-vm -S 4097 -e EINVAL lend 2
	check "a misaligned guest address is refused" gunyah-vm -g 0x80000010 -e EINVAL lend 1
	check "an absurd size is refused" gunyah-vm -S 0x10000000000 -e EINVAL lend 1
	check "a range with an unmapped page is refused" gunyah-vm -m hole -e EFAULT lend 4
	check "write-only access is refused (the RM needs R)" gunyah-vm -r w -e EINVAL lend 1
	check "overlapping guest ranges are refused" gunyah-vm -c 2 -G 0 -e EEXIST lend 1
	check "a 65th region is refused" gunyah-vm -c 65 -e ENOSPC share 1
	expect_eq "no page is left with the RM after the refusals" 0 "$(${b}_lent)"
	expect_eq "no page is still pinned after the refusals" $pins0 "$(pins)"

	# The RM failing: a share leaves nothing behind; a reclaim leaves the
	# region with the VM (the RM still has it), and the VM's release
	# reclaims it.
	check "the RM fails a lend of 513 pages: $err" \
		rm_fails lend gunyah-vm -s -e $err lend 513
	expect_eq "after the failed lend, nothing is lent" 0 "$(${b}_lent)"
	expect_eq "after the failed lend, nothing is pinned" $pins0 "$(pins)"
	check "the RM fails the APPEND of a 1025-page lend: $err" \
		rm_fails append gunyah-vm -s -e $err lend 1025
	expect_eq "after the failed APPEND, nothing is lent" 0 "$(${b}_lent)"
	expect_eq "after the failed APPEND, nothing is pinned" $pins0 "$(pins)"
	check "the RM fails a reclaim: $err, the region stays" \
		rm_fails reclaim gunyah-vm -e $err share 20
	expect_eq "the VM's release reclaimed it" 0 "$(${b}_lent)"
	expect_eq "after the failed reclaim, nothing is pinned" $pins0 "$(pins)"

	# RLIMIT_MEMLOCK binds a process without CAP_IPC_LOCK (-u: root opens
	# /dev/gunyah, then becomes user 1000).
	check "RLIMIT_MEMLOCK 64 KiB: lending $((64 / KB_PER_PAGE)) pages fits" sh -c \
		"ulimit -l 64 && gunyah-vm -u 1000 lend $((64 / KB_PER_PAGE))"
	check "RLIMIT_MEMLOCK 64 KiB: lending one page more is refused" sh -c \
		"ulimit -l 64 && gunyah-vm -u 1000 -e ENOMEM lend $((64 / KB_PER_PAGE + 1))"
	check "RLIMIT_MEMLOCK 64 KiB: the second of two $((48 / KB_PER_PAGE))-page regions is refused" sh -c \
		"ulimit -l 64 && gunyah-vm -u 1000 -c 2 -e ENOMEM lend $((48 / KB_PER_PAGE))"
	expect_eq "no page is left with the RM after RLIMIT_MEMLOCK" 0 "$(${b}_lent)"
	expect_eq "no page is still pinned after RLIMIT_MEMLOCK" $pins0 "$(pins)"

	# A process killed with memory lent: its locked_vm was charged, the
	# kernel reclaims at its death.
	if held 513 -s; then
		pass "a process holds 513 lent pages"
		expect_eq "its VmLck is 513 pages" $((513 * KB_PER_PAGE)) "$(vmlck_kb $held_pid)"
		expect_eq "the RM holds its 513 pages" 513 "$(${b}_lent)"
		kill -9 $held_pid
		wait $held_pid 2>/dev/null
		expect_eq "after kill -9 the RM holds no page" 0 "$(${b}_lent)"
		expect_eq "after kill -9 no page is pinned" $pins0 "$(pins)"
	else
		fail "a process holds 513 lent pages"
	fi
	check "a process exits without reclaiming 3 regions" gunyah-vm -k -c 3 lend 100
	expect_eq "its VM file's release reclaimed them" 0 "$(${b}_lent)"
	expect_eq "and unpinned them" $pins0 "$(pins)"
	expect_eq "every VM's VMID was deallocated" "$vmids0" "$(${b}_vmids)"

	# Unbind under a VM holding memory and an open /dev/gunyah: the device
	# goes, the VM file keeps its RM until it is closed, then everything
	# is reclaimed; the open /dev/gunyah creates no VM any more (ENODEV).
	rm -f /tmp/go /tmp/open.out
	gunyah-vm -w /tmp/go -e ENODEV lend 1 >/tmp/open.out 2>&1 &
	open_pid=$!
	if wait_line /tmp/open.out '^open ' $open_pid && held 64; then
		check "unbind with a VM holding memory" ${b}_unbind
		check "/dev/gunyah is gone after unbind" sh -c '! [ -e /dev/gunyah ]'
		expect_eq "the RM still holds the VM's 64 pages" 64 "$(${b}_lent)"
		touch /tmp/go
		wait $open_pid
		expect_eq "a /dev/gunyah open across the unbind: GUNYAH_CREATE_VM fails with ENODEV" \
			"0 expected errno=ENODEV" "$? $(tail -n 1 /tmp/open.out)"
		check "binding again is deferred (EAGAIN) while the VM file holds the old RM" sh -c \
			"! echo '$rm_dev' >$drv/bind 2>/dev/null && ! [ -e /dev/gunyah ]"
		kill -9 $held_pid
		wait $held_pid 2>/dev/null
		expect_eq "after the kill, nothing is lent" 0 "$(${b}_lent)"
		expect_eq "after the kill, nothing is pinned" $pins0 "$(pins)"
		check "once the old RM is gone, the deferred device binds" wait_for_dev
		check "unbind it again" ${b}_unbind
	else
		fail "/dev/gunyah open and a process holding 64 lent pages before unbind"
		kill $open_pid 2>/dev/null
	fi
	check "rmmod once nothing is open" ${b}_teardown
}

# The secure world refusing an assignment: the share fails with its error,
# and what gunyah_qcom assigned before the refusal comes back.
scm_fails() {
	local nth=$1
	shift
	echo $nth >/sys/module/gunyah_sim_scm/parameters/fail_nth && "$@"
}
qcom_tests() {
	local pins0=$(pins)
	check "the secure world refuses the first assignment of a 4-page lend: EIO" \
		scm_fails 1 gunyah-vm -s -e EIO lend 4
	expect_eq "nothing is lent or assigned away" 0 "$(qcom_lent)"
	check "the secure world refuses the third assignment of a 4-page share: EIO" \
		scm_fails 3 gunyah-vm -s -e EIO share 4
	expect_eq "the two assigned pages came back" 0 "$(qcom_lent)"
	expect_eq "nothing is pinned" $pins0 "$(pins)"
}

suite gunyah_vm
if ! out=$(sim_setup 2>&1); then
	fail "modprobe gunyah_sim gunyah_rsc_mgr and /dev/gunyah" "$out"
else
	vm_tests sim
fi
end_suite

suite gunyah_vm_qcom
if ! out=$(qcom_setup 2>&1); then
	fail "modprobe gunyah_sim identity=qcom gunyah_sim_scm and /dev/gunyah" "$out"
else
	qcom_tests
	vm_tests qcom
fi
end_suite
