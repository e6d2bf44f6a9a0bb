# The simulated Gunyah hypervisor and secure world on their own (the RM
# client's tests are gunyah.sh): gunyah_sim loads as plain Gunyah and as
# Qualcomm's, finds the RM's devicetree node (tools/qemu/gunyah-fixture) and
# its two interrupts, raises them, and unloads; gunyah_sim_scm loads without
# gunyah_sim and starts with no page assigned away from HLOS.
. ./lib.sh

suite gunyah_sim

dbg=/sys/kernel/debug/gunyah_sim
params=/sys/module/gunyah_sim/parameters
field() { sed -n "s/^$2 //p" "$1"; }

check "modprobe gunyah_sim (pulls in gunyah_rsc_mgr)" modprobe gunyah_sim
check "gunyah_rsc_mgr is loaded as a dependency" module_loaded gunyah_rsc_mgr
expect_eq "plain Gunyah by default" gunyah "$(field $dbg/state identity)"
# SPI n is INTID n + 32: the fixture's SPIs 200 and 201.
expect_eq "TX interrupt: the node's first, SPI 200" 232 "$(field $dbg/state tx_irq | cut -d' ' -f2)"
expect_eq "RX interrupt: the node's second, SPI 201" 233 "$(field $dbg/state rx_irq | cut -d' ' -f2)"
# Only while nothing holds the IRQs: once gunyah_rsc_mgr binds, they are its.
selftest() { # NAME PARAM
	local out
	if out=$(sh -c "echo 1 >$params/$2" 2>&1); then
		pass "$1"
	elif grep -q "^ *$(field $dbg/state tx_irq | cut -d' ' -f1):" /proc/interrupts; then
		skip "$1" "gunyah_rsc_mgr holds the IRQs"
	else
		fail "$1" "$out" "$(dmesg | grep gunyah_sim | tail -3)"
	fi
}
selftest "raising either SPI pending reaches its handler" irq_selftest
selftest "RM calls through the simulator: allocate, a 36-fragment LEND, faults, RECLAIM" selftest
expect_eq "nothing left lent" 0 "$(field $dbg/state lent_bytes)"
check "a knob takes a value" sh -c "echo 0x56000001 >$params/fail_msg_id"
expect_eq "and reads it back" 1442840577 "$(cat $params/fail_msg_id)"
check "an out-of-range knob value is refused" sh -c "! echo x >$params/fail_nth"
expect_eq "no parcel at start" 0 "$(field $dbg/state parcels)"
check "rmmod, then modprobe again as Qualcomm's Gunyah" \
	sh -c "rmmod gunyah_sim && modprobe gunyah_sim identity=qcom"
expect_eq "identity=qcom" qcom "$(field $dbg/state identity)"
expect_fail "identity must be gunyah or qcom" sh -c "rmmod gunyah_sim && modprobe gunyah_sim identity=kvm"
check "rmmod gunyah_sim" sh -c "! [ -d /sys/module/gunyah_sim ] || rmmod gunyah_sim"

if module_built gunyah_qcom; then
	check "modprobe gunyah_sim_scm (pulls in gunyah_qcom, not gunyah_sim)" \
		sh -c "modprobe gunyah_sim_scm && ! [ -d /sys/module/gunyah_sim ]"
	expect_eq "no page assigned away from HLOS" 0 \
		"$(field /sys/kernel/debug/gunyah_sim_scm/state pages)"
	check "rmmod gunyah_sim_scm" rmmod gunyah_sim_scm
else
	skip "gunyah_sim_scm" "gunyah_qcom is not built"
fi
for m in gunyah_qcom gunyah_rsc_mgr; do
	! module_loaded $m || rmmod $m
done
end_suite
