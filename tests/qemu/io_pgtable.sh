# io-pgtable in the guest: formats loaded on demand through the core, a
# format in use cannot be unloaded, an unavailable format is told apart,
# load/unload cycles (lib.sh says how many; kmemleak checks after); and the
# differential test:
# random map/unmap sequences on ours and on the kernel's built-in
# io-pgtable must translate the same and hold the same descriptors.
. ./lib.sh

suite io_pgtable

h=/sys/module/armature_io_pgtable_harness/parameters
refs() { cat /sys/module/armature_io_pgtable_lpae/refcnt; }

check "modprobe the harness (pulls in the core)" modprobe armature_io_pgtable_harness
check "the core is loaded" module_loaded armature_io_pgtable
expect_eq "no format module is loaded up front" "" "$(lsmod | grep -o '^armature_io_pgtable_lpae')"
check "a table of arm-64-lpae-s1 loads the LPAE module on demand" sh -c "echo arm-64-lpae-s1 >$h/hold"
check "armature_io_pgtable_lpae is loaded" module_loaded armature_io_pgtable_lpae
expect_eq "the table holds one reference on it" 1 "$(refs)"
expect_fail "rmmod of the format in use is refused" rmmod armature_io_pgtable_lpae
check "the format is still loaded" module_loaded armature_io_pgtable_lpae
check "a Mali table instead (the same module)" sh -c "echo arm-mali-lpae >$h/hold"
expect_eq "still one reference" 1 "$(refs)"
check "freeing the table" sh -c "echo >$h/hold"
expect_eq "no reference left" 0 "$(refs)"
check "rmmod of the format, no longer in use" rmmod armature_io_pgtable_lpae

dart_refs() { cat /sys/module/armature_io_pgtable_dart/refcnt; }
expect_eq "the DART module is not loaded up front" "" "$(lsmod | grep -o '^armature_io_pgtable_dart')"
check "a table of apple-dart loads the DART module on demand" sh -c "echo apple-dart >$h/hold"
expect_eq "the table holds one reference on it" 1 "$(dart_refs)"
expect_fail "rmmod of the DART module in use is refused" rmmod armature_io_pgtable_dart
check "an apple-dart2 table instead (the same module)" sh -c "echo apple-dart2 >$h/hold"
expect_eq "still one reference" 1 "$(dart_refs)"
check "freeing the table" sh -c "echo >$h/hold"
expect_eq "no reference left on the DART module" 0 "$(dart_refs)"
check "rmmod of the DART module, no longer in use" rmmod armature_io_pgtable_dart

# A format whose module cannot be loaded is "not available" (-ENODEV).
mkdir -p /etc/modprobe.d
echo "install armature_io_pgtable_lpae /bin/false" >/etc/modprobe.d/armature-test.conf
out=$(sh -c "echo arm-64-lpae-s2 >$h/hold" 2>&1)
expect_eq "a format that cannot be loaded fails with ENODEV" "No such device" "${out##*: }"
check "the log says which format is not available" sh -c \
	"dmesg | grep -q 'format arm-64-lpae-s2 not available: no module provides io-pgtable-fmt-arm-64-lpae-s2'"
rm /etc/modprobe.d/armature-test.conf

cycle() {
	for i in $(seq $cycles); do
		modprobe armature_io_pgtable_harness || return 1
		echo arm-64-lpae-s2 >$h/hold || return 1
		echo >$h/hold || return 1
		rmmod armature_io_pgtable_lpae armature_io_pgtable_harness armature_io_pgtable || return 1
	done
}
check "$cycles load, use, unload cycles" cycle

check "modprobe the harness again" modprobe armature_io_pgtable_harness
# Three seeds on Debian's kernels; one on our debug kernels, where KASAN
# makes a seed take a minute and DART is compared with the built-in one.
case $KVER in
*-armature-debug | *-armature-debug-rt) seeds=1 ;;
*) seeds="1 2 3" ;;
esac
for seed in $seeds; do
	check "random sequences with seed $seed: same translations and descriptors as the built-in io-pgtable" \
		sh -c "echo $seed >$h/compare"
done
# Formats the kernel does not build in have nothing to be compared with:
# exactly those, each skipped with the reason.
expect_eq "the compare left out just the families this kernel lacks" \
	"$(iopt_compare_skips)" "$(iopt_compare_skipped)"
while IFS= read -r why; do
	[ -z "$why" ] || skip "${why%%:*} compared with the built-in io-pgtable" "${why#*: }"
done <$h/compare_skipped
# v7s and DART are loaded by the compare only where the kernel has them to compare with.
formats=$(for m in armature_io_pgtable_v7s armature_io_pgtable_dart; do ! module_loaded $m || echo $m; done)
check "rmmod of everything" rmmod $formats armature_io_pgtable_lpae armature_io_pgtable_harness armature_io_pgtable
expect_eq "nothing of ours is left loaded" "" "$(lsmod | grep -o '^armature_io_pgtable[a-z_]*')"

end_suite
