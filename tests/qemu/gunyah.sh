# gunyah_rsc_mgr's binding, through the real module loader, on the simulated
# hypervisor (gunyah_sim) and secure world (gunyah_sim_scm): the RM stays
# deferred, with its reason and nothing exposed, until its hypervisor and
# platform ops exist, in whichever order the modules come; platform ops are
# loaded by alias; what the RM holds cannot be unloaded under it.
. ./lib.sh

suite gunyah

updates=/lib/modules/$KVER/updates/armature
drv=/sys/bus/platform/drivers/gunyah_rsc_mgr
rm_dev="hypervisor:qcom,resource-manager-rpc@10"
qcom_alias=gunyah-platform-19bd54bd-0b37-571b-946f-609b54539de6

bound() { [ -e "$drv/$rm_dev" ]; }
deferred() { grep -F "$rm_dev" /sys/kernel/debug/devices_deferred 2>/dev/null; }

# wait_until CMD...: up to 10 s (the driver registers, and probes again,
# from a work item: modprobe returns first).
wait_until() {
	local i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -le 200 ] || return 1
		sleep 0.05
	done
}

# deferred_for TEXT: the RM is deferred, and its reason has TEXT.
deferred_for() { wait_until sh -c "grep -F '$rm_dev' /sys/kernel/debug/devices_deferred | grep -qF '$1'"; }

# Unbinds the RM (it pins the modules behind it), then unloads every gunyah
# module that is loaded.
unload_all() {
	! bound || echo "$rm_dev" >"$drv/unbind" || return 1
	for m in gunyah_sim_scm gunyah_qcom_scm gunyah_qcom gunyah_sim gunyah_rsc_mgr kcpp_qcom_scm; do
		! module_loaded $m || rmmod $m || return 1
	done
}

no_probe_failure() { ! dmesg | grep -E "gunyah.*(probe.*failed|failed with error)"; }

# --- The core first, then the hypervisor (plain Gunyah) ---
check "modprobe gunyah_rsc_mgr, no hypervisor yet" modprobe gunyah_rsc_mgr
check "deferred: no Gunyah hypervisor (QEMU's firmware has no SMCCC 1.1 conduit)" \
	deferred_for "no Gunyah hypervisor: no SMCCC 1.1 conduit"
expect_fail "no /dev/gunyah while deferred" test -e /dev/gunyah
expect_fail "gunyah_rsc_mgr is not bound" bound
check "modprobe gunyah_sim (plain Gunyah)" modprobe gunyah_sim
check "the RM binds when the hypervisor registers" wait_until bound
check "it is no longer deferred" sh -c "! deferred"
check "plain Gunyah binds the null platform ops" sh -c "dmesg | grep -q 'null platform ops, in-kernel hypervisor'"
check "/dev/gunyah appears once bound" wait_until test -c /dev/gunyah
expect_eq "/dev/gunyah is 0600" "crw-------" "$(ls -l /dev/gunyah | cut -c1-10)"
expect_fail "rmmod gunyah_sim is refused while the RM is bound to it" rmmod gunyah_sim

# A reply the RM never sends: the call times out (10 s), says which, and the
# RM works on.
export PATH=/armature/bin:$PATH
sim=/sys/module/gunyah_sim/parameters
check "a dropped VM_ALLOCATE reply: GUNYAH_CREATE_VM fails with ETIMEDOUT" sh -c \
	"echo 1 >$sim/drop_next && gunyah-vm -e ETIMEDOUT lend 1"
check "the timeout is logged with the msg_id" sh -c \
	"dmesg | grep -q 'RM call msg_id 0x56000001 seq [0-9]*: no reply within 10000 ms'"
check "the next call works" gunyah-vm lend 4
check "unbind, then everything unloads" unload_all
expect_fail "/dev/gunyah goes with the binding" test -e /dev/gunyah

# --- The transport first, as Qualcomm, with gunyah_qcom absent from disk ---
hide_qcom() { mv $updates/gunyah_qcom.ko /tmp/ && depmod; }
restore_qcom() { mv /tmp/gunyah_qcom.ko $updates/ && depmod; }
check "gunyah_qcom.ko removed from the module tree" hide_qcom
check "modprobe gunyah_sim identity=qcom (pulls in gunyah_rsc_mgr)" modprobe gunyah_sim identity=qcom
check "deferred: no platform ops for Qualcomm's UUID" deferred_for "no platform ops for this hypervisor ($qcom_alias)"
expect_fail "no /dev/gunyah without the platform ops" test -e /dev/gunyah
check "gunyah_qcom.ko back in the module tree" restore_qcom
check "modprobe gunyah_qcom" modprobe gunyah_qcom
check "deferred again: the ops need a secure world" deferred_for "no secure-world interface"
if module_built gunyah_qcom_scm; then
	expect_fail "gunyah_qcom_scm refuses to load: QEMU has no SCM firmware" modprobe gunyah_qcom_scm
	check "and says why" sh -c "dmesg | grep -q 'gunyah_qcom_scm: the SCM firmware interface is not available'"
else
	skip "gunyah_qcom_scm refuses to load without SCM firmware" "this kernel has no QCOM_SCM (the module is not built)"
fi
expect_fail "still no /dev/gunyah" test -e /dev/gunyah
check "modprobe gunyah_sim_scm: the secure world arrives" modprobe gunyah_sim_scm
check "the RM binds without a reload" wait_until bound
check "with Qualcomm's platform ops" sh -c "dmesg | grep -q 'Qualcomm platform ops, in-kernel hypervisor'"
check "/dev/gunyah appears" wait_until test -c /dev/gunyah
expect_fail "rmmod gunyah_qcom is refused while bound" rmmod gunyah_qcom
expect_fail "rmmod gunyah_sim_scm is refused while bound" rmmod gunyah_sim_scm
check "gunyah_qcom is still loaded" module_loaded gunyah_qcom

# --- The platform ops loaded by alias ---
check "unbind" sh -c "echo '$rm_dev' >$drv/unbind"
check "rmmod gunyah_sim_scm gunyah_qcom once unbound" rmmod gunyah_sim_scm gunyah_qcom
check "bind again: the RM requests $qcom_alias" sh -c "echo '$rm_dev' >$drv/bind; true"
check "gunyah_qcom was loaded by its alias" module_loaded gunyah_qcom
check "deferred for the secure world" deferred_for "no secure-world interface"
check "modprobe gunyah_sim_scm" modprobe gunyah_sim_scm
check "bound" wait_until bound
check "unbind, then everything unloads" unload_all

# --- The ops first ---
check "modprobe gunyah_sim_scm (pulls in gunyah_qcom and the core)" modprobe gunyah_sim_scm
check "deferred: no hypervisor yet" deferred_for "no Gunyah hypervisor"
check "modprobe gunyah_sim identity=qcom" modprobe gunyah_sim identity=qcom
check "bound" wait_until bound
check "unbind, then everything unloads" unload_all

check "no probe failure was logged (deferrals only)" no_probe_failure
expect_eq "no gunyah module is left loaded" "" "$(lsmod | grep -o '^gunyah[a-z_]*')"

end_suite
