# The io-pgtable benchmark (make bench): each case on ours and on the
# kernel's built-in io-pgtable, same config, same guest; the harness logs
# "armature-bench io-pgtable <case>: ours .., upstream .., ratio ..".
. ./lib.sh

suite io_pgtable_bench

h=/sys/module/armature_io_pgtable_harness/parameters
check "modprobe the harness" modprobe armature_io_pgtable_harness
for c in map_then_unmap_4k map_unmap_4k map_pages_2m block_2m block_1g iova_to_phys \
	map_2m map_512 unmap_2m unmap_512 map_2m_nc map_512_nc unmap_2m_nc unmap_512_nc \
	tlb_entries; do
	check "bench $c" sh -c "echo $c >$h/bench"
done
check "rmmod of everything" rmmod armature_io_pgtable_lpae armature_io_pgtable_harness armature_io_pgtable

end_suite
