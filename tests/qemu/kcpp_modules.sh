# Module tests for kcpp and its Registry, through the real module loader:
# on-demand loading by alias, refusal to unload a backend in use, and
# load/unload cycles (lib.sh says how many).
. ./lib.sh

suite kcpp_modules

check "modprobe kcpp_test_core (pulls in kcpp)" modprobe kcpp_test_core
check "kcpp is loaded as a dependency" module_loaded kcpp
expect_eq "no backend is loaded up front" "" "$(lsmod | grep -o '^kcpp_test_backend_[ab]')"

hold=/sys/module/kcpp_test_core/parameters/hold
check "looking up backend A loads it by alias" sh -c "echo 0xa >$hold"
check "kcpp_test_backend_a is loaded" module_loaded kcpp_test_backend_a
expect_eq "the core holds one reference on it" 1 "$(cat /sys/module/kcpp_test_backend_a/refcnt)"
expect_fail "rmmod of the backend in use is refused" rmmod kcpp_test_backend_a
check "the backend is still loaded" module_loaded kcpp_test_backend_a

check "switching to backend B loads B" sh -c "echo 0xb >$hold"
expect_eq "A is no longer in use" 0 "$(cat /sys/module/kcpp_test_backend_a/refcnt)"
check "rmmod of A, no longer in use" rmmod kcpp_test_backend_a
expect_fail "looking up an id whose module does not exist fails" sh -c "echo 0xc >$hold"
expect_eq "a failed lookup keeps what was held" 0xb "$(cat $hold)"
check "releasing B" sh -c "echo 0 >$hold"
check "rmmod of B" rmmod kcpp_test_backend_b
check "rmmod of the core" rmmod kcpp_test_core
check "rmmod of kcpp" rmmod kcpp

cycle() {
	for i in $(seq $cycles); do
		modprobe kcpp_test_core || return 1
		echo 0xa >$hold || return 1
		echo 0 >$hold || return 1
		rmmod kcpp_test_backend_a kcpp_test_core kcpp || return 1
	done
}
check "$cycles load, use, unload cycles" cycle
expect_eq "nothing of ours is left loaded" "" "$(lsmod | grep -o '^kcpp[a-z_]*')"

end_suite
