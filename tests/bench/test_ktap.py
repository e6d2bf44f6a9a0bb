"""Tests of tools/qemu/ktap.py, the reader of guest console logs: what it
counts, and every way a run must fail."""
import importlib.util
import io
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "ktap", os.path.join(HERE, "..", "..", "tools", "qemu", "ktap.py"))
ktap = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ktap)

KUNIT_SUITE = """\
[    3.100000] KTAP version 1
[    3.100001] 1..1
[    3.100002]     KTAP version 1
[    3.100003]     # Subtest: demo
[    3.100004]     # module: demo_test
[    3.100005]     1..4
[    3.100006]     ok 1 first
[    3.100007]     # second: EXPECTATION FAILED at demo.cpp:10
[    3.100008]     not ok 2 second
[    3.100009]         KTAP version 1
[    3.100010]         # Subtest: params
[    3.100011]         ok 1 p0
[    3.100012]         not ok 2 p1
[    3.100013]     not ok 3 params
[    3.100014]     ok 4 later # SKIP no hardware here
[    3.100015] # demo: pass:1 fail:2 skip:1 total:4
[    3.100016] not ok 1 demo
"""
DONE = "[    9.000000] armature: guest done, status 0\n"


def run(text):
    """ktap's parse and trouble on a log with the given text."""
    lines = text.splitlines(keepends=True)
    return ktap.parse(lines), ktap.trouble(lines)


class Parse(unittest.TestCase):
    def test_counts_cases_not_parameters(self):
        suites, trouble = run(KUNIT_SUITE + DONE)
        s = suites["demo"]
        self.assertEqual((s["passed"], s["failed"], s["skipped"]), (1, 2, 1))
        self.assertEqual(s["failures"], ["second", "params"])
        self.assertTrue(s["ended"])
        self.assertEqual(trouble, [])

    def test_skip_keeps_its_reason(self):
        suites, _ = run(KUNIT_SUITE)
        self.assertEqual(suites["demo"]["skips"], ["later: no hardware here"])

    def test_unfinished_suite_is_seen(self):
        cut = KUNIT_SUITE.split("[    3.100013]")[0]
        suites, _ = run(cut)
        self.assertFalse(suites["demo"]["ended"])

    def test_lines_without_timestamps(self):
        suites, _ = run("    # Subtest: plain\n    ok 1 a\nok 1 plain\n")
        self.assertEqual(suites["plain"]["passed"], 1)
        self.assertTrue(suites["plain"]["ended"])


def run_main(text, expect=()):
    """ktap.main() on a log with the given text: (exit status, output)."""
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
        f.write(text)
    argv, out = sys.argv, sys.stdout
    sys.argv = ["ktap.py", f.name, "--expect", *expect]
    sys.stdout = io.StringIO()
    try:
        return ktap.main(), sys.stdout.getvalue()
    finally:
        sys.argv, sys.stdout = argv, out
        os.unlink(f.name)


class Verdicts(unittest.TestCase):
    def test_suite_whose_init_failed_fails(self):
        text = ("    # Subtest: s\n    # failed to initialize (-12)\nnot ok 1 s\n" + DONE)
        status, out = run_main(text, ["s"])
        self.assertEqual(status, 1)
        self.assertIn("the suite itself reported not ok", out)

    def test_fewer_cases_than_planned_fails(self):
        text = "    # Subtest: s\n    1..3\n    ok 1 a\n    ok 2 b\nok 1 s\n" + DONE
        status, out = run_main(text, ["s"])
        self.assertEqual(status, 1)
        self.assertIn("planned 3 cases, ran 2", out)

    def test_plan_after_cases_counts_too(self):
        text = "    # Subtest: s\n    ok 1 a\n    1..1\nok 1 s\n" + DONE
        status, _ = run_main(text, ["s"])
        self.assertEqual(status, 0)


class Trouble(unittest.TestCase):
    def check(self, line, kind):
        _, trouble = run(f"[    5.000000] {line}\n")
        self.assertEqual(len(trouble), 1, line)
        self.assertTrue(trouble[0].startswith(kind + ":"), trouble)

    def test_reports(self):
        self.check("BUG: KASAN: slab-use-after-free in foo+0x10/0x20", "KASAN")
        self.check("UBSAN: shift-out-of-bounds in drivers/x.c:3:4", "UBSAN")
        self.check("WARNING: possible recursive locking detected", "lockdep")
        self.check("WARNING: possible circular locking dependency detected", "lockdep")
        self.check("BUG: sleeping function called from invalid context at x.c:1", "atomic sleep")
        self.check("kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)", "kmemleak")
        self.check("kmemleak: Kernel memory leak detector disabled", "kmemleak")
        self.check("armature: kmemleak scan failed", "kmemleak")
        self.check("WARNING: CPU: 1 PID: 5 at kernel/foo.c:3 bar+0x4/0x8", "WARNING")
        self.check("BUG: unable to handle page fault", "BUG")
        self.check("Internal error: Oops: 0000000096000005 [#1] SMP", "Oops")
        self.check("Kernel panic - not syncing: Oops: Fatal exception", "panic")

    def test_ordinary_lines_are_not_trouble(self):
        _, trouble = run("[    1.0] kcpp: loading out-of-tree module taints kernel.\n"
                         "[    1.1]     ok 1 warning_free\n")
        self.assertEqual(trouble, [])


class Main(unittest.TestCase):
    def test_clean_run_passes(self):
        text = "    # Subtest: s\n    ok 1 a\nok 1 s\n" + DONE
        status, out = run_main(text, ["s"])
        self.assertEqual(status, 0)
        self.assertIn("RESULT passed=1 failed=0 skipped=0", out)

    def test_missing_expected_suite_fails(self):
        status, out = run_main("    # Subtest: s\n    ok 1 a\nok 1 s\n" + DONE, ["s", "t"])
        self.assertEqual(status, 1)
        self.assertIn("t: never reported", out)

    def test_guest_that_did_not_finish_fails(self):
        status, out = run_main("    # Subtest: s\n    ok 1 a\nok 1 s\n", ["s"])
        self.assertEqual(status, 1)
        self.assertIn("did not finish its run", out)

    def test_kernel_report_fails_a_passing_run(self):
        text = "    # Subtest: s\n    ok 1 a\nok 1 s\n[ 2.0] BUG: KASAN: oops\n" + DONE
        status, out = run_main(text, ["s"])
        self.assertEqual(status, 1)
        self.assertIn("RESULT passed=1 failed=1", out)


TIMED_RUN = """\
[   10.000000] armature: guest up on 6.12, 4 CPUs
[   10.500000] armature: script first.sh
[   10.600000]     # Subtest: a
[   11.600000]     ok 1 quick
[   41.600000]     ok 2 slow
[   42.000000] ok 1 a
[   42.100000] armature: script second.sh
[   42.200000]     # Subtest: b
[   44.200000]     ok 1 middling
"""
TIMED_DONE = "[   50.000000] armature: guest done, status 0\n"


class Timings(unittest.TestCase):
    def test_cases_are_timed_from_the_previous_line(self):
        suites, _ = run(TIMED_RUN)
        self.assertEqual([(round(t, 3), n) for t, n in suites["a"]["cases"]],
                         [(1.0, "quick"), (30.0, "slow")])

    def test_scripts_and_boot(self):
        boot, scripts, running, killed = ktap.timings((TIMED_RUN + TIMED_DONE).splitlines(True))
        self.assertEqual(boot, 10.0)
        self.assertEqual([(n, round(t, 3)) for n, t in scripts],
                         [("first.sh", 31.6), ("second.sh", 7.9)])
        self.assertIsNone(running)
        self.assertIsNone(killed)

    def test_summary_lines(self):
        status, out = run_main(TIMED_RUN + "[   45.000000] ok 1 b\n" + TIMED_DONE, ["a", "b"])
        self.assertEqual(status, 0)
        self.assertIn("  TIME boot 10.0s, first.sh 31.6s, second.sh 7.9s\n", out)
        slow = [l for l in out.splitlines() if l.startswith("  SLOW")]
        self.assertEqual(slow, ["  SLOW 30.0s a: slow", "  SLOW 2.0s b: middling",
                                "  SLOW 1.0s a: quick"])

    def test_a_killed_guest_names_its_script_and_check(self):
        text = TIMED_RUN + "armature: guest killed after 600s\n"
        status, out = run_main(text, ["a", "b"])
        self.assertEqual(status, 1)
        self.assertIn("did not finish its run (killed after 600s; in second.sh; "
                      "b: after 'middling')", out)
        self.assertIn("second.sh 2.1s (did not finish)", out)


if __name__ == "__main__":
    unittest.main()
