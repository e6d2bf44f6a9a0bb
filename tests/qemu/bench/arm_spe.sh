# The SPE bench (make bench): perf record through the simulated SPE
# (arm_spe_sim, the driver of arm_spe_pmu on the simulator) into AUX
# buffers of 2 to 1024 pages. Per size, from the driver's debugfs counters
# before and after the run: buffer-management interrupts per MiB of records,
# padding (the driver's, to end windows early or align them, plus the
# alignment after records) per record byte, and what was lost. The guest
# logs "armature-bench arm_spe <pages> pages: ..." for tools/qemu/bench.
. ./lib.sh

suite arm_spe_bench

stats=/sys/kernel/debug/arm_spe_sim/arm_spe_0
# About 2 s of guest time under -icount: some 7 MiB of records.
workload='i=0; while [ $i -lt 150000 ]; do i=$((i + 1)); done'

# figures BEFORE AFTER PAGES: one line from two readings of $stats.
figures() {
	awk -v pages="$3" 'NR == FNR { before[$1] = $2; next }
	{ d[$1] = $2 - before[$1] }
	END {
		mib = d["sim_record_bytes"] / 1048576
		pad = d["pad_bytes"] + d["sim_align_bytes"]
		printf "%d pages: %.2f MiB in %d records, %.1f interrupts/MiB, padding %.4f%% (%d bytes), truncated %d, lost %d\n",
			pages, mib, d["sim_records"], mib ? d["irqs"] / mib : 0,
			d["sim_record_bytes"] ? 100 * pad / d["sim_record_bytes"] : 0, pad,
			d["truncated"], d["sim_lost"]
	}' "$1" "$2"
}

check "modprobe arm_spe_sim ops_per_us=250" modprobe arm_spe_sim ops_per_us=250
check "arm_spe_0 is registered" wait_for_pmus arm_spe_0
check "its debugfs stats are there" test -r $stats

for pages in 2 4 8 16 32 64 128 256 512 1024; do
	cat $stats >/tmp/stats.before
	check "perf record into $pages AUX pages" \
		perf record -q -e arm_spe// -m,$pages -o /tmp/bench.data -- sh -c "$workload"
	cat $stats >/tmp/stats.after
	line=$(figures /tmp/stats.before /tmp/stats.after $pages)
	echo "armature-bench arm_spe $line" >/dev/kmsg
	# The target: under 1% padding from 64 pages up, nothing lost.
	if [ $pages -ge 64 ]; then
		expect_eq "$pages pages: padding under 1%, nothing truncated or lost" "yes 0 0" \
			"$(echo "$line" | sed -n 's/.*padding \([0-9.]*\)%.*truncated \([0-9]*\), lost \([0-9]*\)/\1 \2 \3/p' |
				awk '{ print ($1 < 1 ? "yes" : "no (" $1 "%)"), $2, $3 }')"
	fi
	rm -f /tmp/bench.data
done
check "rmmod arm_spe_sim" rmmod arm_spe_sim

end_suite
