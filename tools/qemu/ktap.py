#!/usr/bin/env python3
"""Reads a guest's console log: the KTAP results of KUnit and of the guest
scripts (tests/qemu/lib.sh writes the same form), and the kernel's own
reports of trouble. Prints one line per suite and a final
'RESULT passed=N failed=N skipped=N' line; exits 1 on any failure.

A suite that was expected but never reported, that began and never ended
(the guest crashed or hung in it), that ran fewer cases than its plan, or
whose own result line says "not ok" (e.g. its init failed before any case
ran) is a failure. So is any KASAN,
UBSAN, lockdep, kmemleak, WARNING, BUG or Oops report anywhere in the log,
and a guest that did not reach the end of its run."""
import argparse
import re
import sys

TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\] ?")
SUBTEST = re.compile(r"^ {4}# Subtest: (\S+)")
CASE = re.compile(r"^ {4}(ok|not ok) \d+ (.+?)(?: # SKIP(?: (.*))?)?$")
SUITE_END = re.compile(r"^(ok|not ok) \d+ (\S+)(?: # SKIP.*)?$")
PLAN = re.compile(r"^ {4}1\.\.(\d+)$")

# The kernel's reports of a bug somewhere: each fails the run.
TROUBLE = [
    (re.compile(r"BUG: KASAN"), "KASAN"),
    (re.compile(r"UBSAN:"), "UBSAN"),
    (re.compile(r"WARNING: possible (circular|recursive) locking"), "lockdep"),
    (re.compile(r"WARNING: (suspicious RCU usage|inconsistent lock state)"), "lockdep"),
    (re.compile(r"INFO: possible irq lock inversion"), "lockdep"),
    (re.compile(r"BUG: (sleeping function called from invalid context|scheduling while atomic)"), "atomic sleep"),
    (re.compile(r"kmemleak: \d+ new suspected memory leaks"), "kmemleak"),
    (re.compile(r"Kernel memory leak detector disabled|armature: kmemleak scan failed"), "kmemleak"),
    (re.compile(r"(^|\] )WARNING:"), "WARNING"),
    (re.compile(r"(^|\] )BUG:"), "BUG"),
    (re.compile(r"Internal error: Oops|(^|\] )Oops"), "Oops"),
    (re.compile(r"Kernel panic"), "panic"),
]


def parse(lines):
    suites = {}  # name -> dict(passed, failed, skipped, ended, failures)
    current = None
    for raw in lines:
        line = TIMESTAMP.sub("", raw.rstrip("\r\n"))
        m = SUBTEST.match(line)
        if m:
            current = m.group(1)
            suites[current] = dict(passed=0, failed=0, skipped=0, ended=False,
                                   failures=[], skips=[], plan=None, verdict=None)
            continue
        if current is None:
            continue
        m = PLAN.match(line)
        if m:
            suites[current]["plan"] = int(m.group(1))
            continue
        m = CASE.match(line)
        if m:
            s = suites[current]
            if m.group(3) is not None:
                s["skipped"] += 1
                s["skips"].append(f"{m.group(2)}: {m.group(3)}")
            elif m.group(1) == "ok":
                s["passed"] += 1
            else:
                s["failed"] += 1
                s["failures"].append(m.group(2))
            continue
        m = SUITE_END.match(line)
        if m and m.group(2) == current:
            suites[current]["ended"] = True
            suites[current]["verdict"] = m.group(1)
            current = None
    return suites


def trouble(lines):
    found = []
    for raw in lines:
        for pattern, kind in TROUBLE:
            if pattern.search(raw):
                found.append(f"{kind}: {raw.strip()}")
                break
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("log")
    ap.add_argument("--label", default="", help="prefix for the suite lines")
    ap.add_argument("--expect", nargs="*", default=[], help="suites that must report")
    args = ap.parse_args()
    with open(args.log, errors="replace") as f:
        lines = f.readlines()

    suites = parse(lines)
    passed = failed = skipped = 0
    label = f"{args.label}: " if args.label else ""
    for name, s in suites.items():
        cases = s["passed"] + s["failed"] + s["skipped"]
        if not s["ended"]:
            s["failed"] += 1
            s["failures"].append("(suite did not finish)")
        elif s["plan"] is not None and cases != s["plan"]:
            s["failed"] += 1
            s["failures"].append(f"(planned {s['plan']} cases, ran {cases})")
        elif s["verdict"] == "not ok" and s["failed"] == 0:
            s["failed"] += 1
            s["failures"].append("(the suite itself reported not ok)")
        ok = s["failed"] == 0
        print(f"  {'PASS' if ok else 'FAIL'} {label}{name}: {s['passed']} passed, "
              f"{s['failed']} failed, {s['skipped']} skipped")
        for f in s["failures"]:
            print(f"       failed: {f}")
        for sk in s["skips"]:
            print(f"       skipped: {sk}")
        passed += s["passed"]
        failed += s["failed"]
        skipped += s["skipped"]
    for name in args.expect:
        if name not in suites:
            print(f"  FAIL {label}{name}: never reported")
            failed += 1
    if not any("armature: guest done" in l for l in lines):
        print(f"  FAIL {label}guest: did not finish its run")
        failed += 1
    for t in trouble(lines):
        print(f"  FAIL {label}kernel log: {t}")
        failed += 1
    print(f"RESULT passed={passed} failed={failed} skipped={skipped}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
