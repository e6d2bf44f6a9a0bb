# Loads every KUnit suite module (named *_test) of the suite; KUnit runs the
# suites as each module loads and prints their KTAP. Debug kernel only: the
# stock kernel has no KUnit. Then unloads them and what they pulled in, so
# that kmemleak sees everything freed.
dir=/lib/modules/$(uname -r)/updates/armature
tests=$(ls "$dir" | sed -n 's/\(.*_test\)\.ko$/\1/p')
for m in $tests; do
	modprobe "$m" || echo "armature: modprobe $m failed" >/dev/kmsg
done
modprobe -r $tests kcpp_test_backend_a kcpp_test_backend_b 2>/dev/null
modprobe -r armature_io_pgtable_lpae armature_io_pgtable_v7s armature_io_pgtable_dart 2>/dev/null
modprobe -r kcpp_test_core armature_io_pgtable kcpp_kunit kcpp 2>/dev/null
true
