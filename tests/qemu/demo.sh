# The demo: load armature's modules with modprobe, show them loaded, and
# show what perf sees. Not a test: it prints for a person to read.
dir=/lib/modules/$(uname -r)/updates/armature
products=$(ls "$dir" | sed -n 's/\.ko$//p' | grep -v -e '_test$' -e '^kcpp_test_' -e '^kcpp_kunit$')
echo
echo "== armature on $(uname -r): modprobe $(echo $products)"
for m in $products; do modprobe -v "$m"; done
echo
echo "== lsmod"
lsmod
echo
echo "== perf list (PMUs and hardware events)"
perf list pmu hw 2>&1 | grep -v '^$'
echo
echo "== perf stat -e cycles,task-clock -- ls /"
perf stat -e cycles,task-clock -- ls / 2>&1
echo
