# The simulated Gunyah hypervisor, RM and secure world (the RM client's own
# tests are gunyah.sh). First on its own (register_hypervisor=0, so that no
# RM client holds its interrupts): it finds the RM's devicetree node
# (tools/qemu/gunyah-fixture) and its two SPIs, raises them, and answers RM
# calls of a self-test client through the hypercall interface. Then under
# gunyah_rsc_mgr, driven through the kernel API by gunyah_sim_client: lends
# and shares of 1, 512, 513 and 1025 pages (APPEND, END), injected faults,
# 100 concurrent callers, everything reclaimed in the end. Then as
# Qualcomm's Gunyah with gunyah_sim_scm (which loads without gunyah_sim):
# pages go to the secure world's RM-managed VMID and come back.
. ./lib.sh

suite gunyah_sim

dbg=/sys/kernel/debug/gunyah_sim
params=/sys/module/gunyah_sim/parameters
client=/sys/module/gunyah_sim_client/parameters
rm_dev=hypervisor:qcom,resource-manager-rpc@10
field() { sed -n "s/^$2 //p" "$1"; }
put() { echo "$2" >"$1"; }

# --- On its own ---
check "modprobe gunyah_sim register_hypervisor=0 (pulls in gunyah_rsc_mgr)" \
	modprobe gunyah_sim register_hypervisor=0
check "gunyah_rsc_mgr is loaded as a dependency" module_loaded gunyah_rsc_mgr
expect_eq "plain Gunyah by default" gunyah "$(field $dbg/state identity)"
# SPI n is INTID n + 32: the fixture's SPIs 200 and 201.
expect_eq "TX interrupt: the node's first, SPI 200" 232 "$(field $dbg/state tx_irq | cut -d' ' -f2)"
expect_eq "RX interrupt: the node's second, SPI 201" 233 "$(field $dbg/state rx_irq | cut -d' ' -f2)"
check "raising either SPI pending reaches its handler" put $params/irq_selftest 1
check "RM calls through the hypercall interface: the one pending reply, a 36-fragment LEND, faults" \
	put $params/selftest 1
expect_eq "nothing left lent" 0 "$(field $dbg/state lent_bytes)"
check "a knob takes a value" put $params/fail_msg_id 0x56000001
expect_eq "and reads it back" 1442840577 "$(cat $params/fail_msg_id)"
expect_fail "a knob refuses what is not a number" put $params/fail_nth x
check "rmmod, then modprobe again as Qualcomm's Gunyah" \
	sh -c "rmmod gunyah_sim && modprobe gunyah_sim identity=qcom register_hypervisor=0"
expect_eq "identity=qcom" qcom "$(field $dbg/state identity)"
check "rmmod gunyah_sim" rmmod gunyah_sim
expect_fail "identity must be gunyah or qcom" modprobe gunyah_sim identity=kvm

# --- Under gunyah_rsc_mgr ---
check "modprobe gunyah_sim: gunyah_rsc_mgr binds" \
	sh -c "modprobe gunyah_sim && sleep 1 && [ -e /sys/bus/platform/drivers/gunyah_rsc_mgr/$rm_dev ]"
expect_fail "rmmod gunyah_sim is refused while the RM is bound to it" rmmod gunyah_sim
check "modprobe gunyah_sim_client" modprobe gunyah_sim_client
for n in 1 512 513 1025; do
	for op in lend share; do
		check "$op $n pages, kept" put $client/$op $n
		expect_eq "the RM has one $op parcel of $n entries" "$op $n" \
			"$(awk '{print $2, $14}' $dbg/parcels | paste -sd' ')"
		check "reclaim them" put $client/reclaim 1
	done
done
expect_eq "nothing left in the RM" "0 0 0" \
	"$(field $dbg/state parcels) $(field $dbg/state lent_bytes) $(field $dbg/state shared_bytes)"

check "error_next=5 (BUSY): the lend fails" sh -c "echo 5 >$params/error_next && ! echo 1 >$client/lend"
check "malformed_next: the lend fails" sh -c "echo 1 >$params/malformed_next && ! echo 1 >$client/lend"
check "fail_nth: the second APPEND of 1025 entries fails" sh -c "echo 0x51000018 >$params/fail_msg_id &&
	echo 5 >$params/fail_error && echo 2 >$params/fail_nth && ! echo 1025 >$client/share"
expect_eq "no parcel left by a failed call" 0 "$(field $dbg/state parcels)"
check "duplicate_next: the lend works, the duplicate is dropped" \
	sh -c "echo 1 >$params/duplicate_next && echo 1 >$client/lend && echo 1 >$client/reclaim"
check "an unknown notification, then a lend works" \
	sh -c "echo 0x56000099 >$params/notify && echo 1 >$client/lend && echo 1 >$client/reclaim"
check "delay_next_ms=300: the lend works" \
	sh -c "echo 300 >$params/delay_next_ms && echo 1 >$client/lend && echo 1 >$client/reclaim"
check "lend 2 pages" put $client/lend 2
h=$(cat $client/lend)
check "accept: the reclaim is refused (MEM_INUSE)" sh -c "echo $h >$params/accept && ! echo 1 >$client/reclaim"
check "release: the reclaim works" sh -c "echo $h >$params/release && echo 1 >$client/reclaim"
check "64 concurrent callers, 3 rounds each (share or lend a page, reclaim)" \
	sh -c "echo 3 >$client/stress_rounds && echo 64 >$client/stress"
expect_eq "64 callers: none refused (the RM keeps 64 parcels per VM)" 0 "$(cat $client/stress_refused)"
# More callers than the RM keeps parcels: the surplus may be refused, with
# NO_RESOURCES only.
check "100 concurrent callers, 3 rounds each: no error but -ENOSPC" \
	sh -c "echo 100 >$client/stress"
expect_eq "everything reclaimed" "0 0 0" \
	"$(field $dbg/state parcels) $(field $dbg/state lent_bytes) $(field $dbg/state shared_bytes)"
check "rmmod gunyah_sim_client" rmmod gunyah_sim_client
check "unbind the RM, then rmmod gunyah_sim" \
	sh -c "echo $rm_dev >/sys/bus/platform/drivers/gunyah_rsc_mgr/unbind && rmmod gunyah_sim"

# --- Qualcomm's Gunyah, with the simulated secure world ---
scm=/sys/kernel/debug/gunyah_sim_scm
if module_built gunyah_sim_scm; then
	check "modprobe gunyah_sim_scm (pulls in gunyah_qcom, not gunyah_sim)" \
		sh -c "modprobe gunyah_sim_scm && ! [ -d /sys/module/gunyah_sim ]"
	expect_eq "no page assigned away from HLOS" 0 "$(field $scm/state pages)"
	check "modprobe gunyah_sim identity=qcom: gunyah_rsc_mgr binds with Qualcomm's ops" \
		sh -c "modprobe gunyah_sim identity=qcom && sleep 1 &&
			[ -e /sys/bus/platform/drivers/gunyah_rsc_mgr/$rm_dev ]"
	check "modprobe gunyah_sim_client" modprobe gunyah_sim_client
	check "lend 3 pages" put $client/lend 3
	# VMIDs above 0x3F are the secure world's RM-managed 0x3A. The secure
	# world lists 4 KiB granules, whatever the kernel's page size.
	expect_eq "the secure world gave them to the RM-managed VMID" \
		"$(for i in $(seq $((3 * page_size / 4096))); do echo 0x400000000000000; done | paste -sd' ')" \
		"$(cut -d' ' -f2 $scm/pages | paste -sd' ')"
	check "reclaim them" put $client/reclaim 1
	expect_eq "back to HLOS" 0 "$(field $scm/state pages)"
	check "share 3 pages: HLOS keeps them too" sh -c "echo 3 >$client/share &&
		[ \"\$(cut -d' ' -f2 $scm/pages | sort -u)\" = 0x400000000000008 ]"
	check "reclaim them" put $client/reclaim 1
	check "the secure world fails its 2nd call: the lend fails" \
		sh -c "echo 2 >/sys/module/gunyah_sim_scm/parameters/fail_nth && ! echo 3 >$client/lend"
	expect_eq "back to HLOS, nothing in the RM" "0 0" "$(field $scm/state pages) $(field $dbg/state parcels)"
	expect_fail "rmmod gunyah_sim_scm is refused while the RM is bound" rmmod gunyah_sim_scm
	check "rmmod gunyah_sim_client, unbind the RM, rmmod gunyah_sim and gunyah_sim_scm" \
		sh -c "rmmod gunyah_sim_client && echo $rm_dev >/sys/bus/platform/drivers/gunyah_rsc_mgr/unbind &&
			rmmod gunyah_sim gunyah_sim_scm"
else
	skip "gunyah_sim_scm" "gunyah_qcom, and so gunyah_sim_scm, is not built"
fi
for m in gunyah_qcom gunyah_rsc_mgr; do
	! module_loaded $m || rmmod $m
done
end_suite
