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
and a guest that did not reach the end of its run.

From the printk timestamps (guest seconds since boot) it also prints where
the time went: a TIME line with the boot and each guest script (the
"armature: script NAME" markers of tools/qemu/run's guest program), and
SLOW lines with the checks that took longest. A guest that did not finish is
reported with the script and the last check it was in."""
import argparse
import re
import sys

TIMESTAMP = re.compile(r"^\[\s*(\d+\.\d+)\] ?")
SUBTEST = re.compile(r"^ {4}# Subtest: (\S+)")
CASE = re.compile(r"^ {4}(ok|not ok) \d+ (.+?)(?: # SKIP(?: (.*))?)?$")
SUITE_END = re.compile(r"^(ok|not ok) \d+ (\S+)(?: # SKIP.*)?$")
PLAN = re.compile(r"^ {4}1\.\.(\d+)$")
# Markers of tools/qemu/run's guest program and guest-init, and the line
# tools/qemu/run appends when it kills the guest.
GUEST_UP = "armature: guest up"
GUEST_DONE = "armature: guest done"
SCRIPT = re.compile(r"^armature: script (\S+)$")
KILLED = re.compile(r"^armature: guest killed after (.*)$")
SLOWEST = 3

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


def split_time(raw):
    """(guest seconds or None, the line without its timestamp)."""
    line = raw.rstrip("\r\n")
    m = TIMESTAMP.match(line)
    if not m:
        return None, line
    return float(m.group(1)), line[m.end():]


def parse(lines):
    """Suites by name: counts, failures, skips, and each case's duration
    ("cases": (seconds, name), timed from the previous case or the suite's
    start) where the log has timestamps."""
    suites = {}
    current = None
    last = None  # timestamp of the current suite's previous line that counted
    for raw in lines:
        ts, line = split_time(raw)
        m = SUBTEST.match(line)
        if m:
            current = m.group(1)
            suites[current] = dict(passed=0, failed=0, skipped=0, ended=False,
                                   failures=[], skips=[], plan=None, verdict=None,
                                   cases=[], last_case=None)
            last = ts
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
            s["last_case"] = m.group(2)
            if ts is not None and last is not None:
                s["cases"].append((ts - last, m.group(2)))
            last = ts
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


def timings(lines):
    """Where a run's guest time went: (boot seconds or None, [(script,
    seconds)], the script the guest was in at the end of the log or None,
    how the host said it killed the guest or None)."""
    boot = None
    scripts = []  # [name, start, end]
    end = None
    killed = None
    for raw in lines:
        ts, line = split_time(raw)
        m = KILLED.match(line)
        if m:
            killed = m.group(1)
        if ts is None:
            continue
        if line.startswith(GUEST_UP):
            boot = ts
        m = SCRIPT.match(line)
        if m or line.startswith(GUEST_DONE):
            if scripts and scripts[-1][2] is None:
                scripts[-1][2] = ts
            if m:
                scripts.append([m.group(1), ts, None])
        end = ts
    running = None
    if scripts and scripts[-1][2] is None:
        running = scripts[-1][0]
        scripts[-1][2] = end
    return boot, [(n, e - s) for n, s, e in scripts], running, killed


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
    boot, scripts, running, killed = timings(lines)
    if scripts or boot is not None:
        parts = [f"boot {boot:.1f}s"] if boot is not None else []
        parts += [f"{n} {t:.1f}s" + (" (did not finish)" if n == running else "")
                  for n, t in scripts]
        print(f"  TIME {label}" + ", ".join(parts))
    slow = sorted(((t, f"{n}: {c}") for n, s in suites.items() for t, c in s["cases"]),
                  reverse=True)[:SLOWEST]
    for t, what in slow:
        print(f"  SLOW {label}{t:.1f}s {what}")
    if not any(GUEST_DONE in l for l in lines):
        where = []
        if killed:
            where.append(f"killed after {killed}")
        if running:
            where.append(f"in {running}")
        last = next((f"{n}: after '{s['last_case']}'" for n, s in reversed(suites.items())
                     if not s["ended"] and s["last_case"]), None)
        if last:
            where.append(last)
        print(f"  FAIL {label}guest: did not finish its run"
              + (f" ({'; '.join(where)})" if where else ""))
        failed += 1
    for t in trouble(lines):
        print(f"  FAIL {label}kernel log: {t}")
        failed += 1
    print(f"RESULT passed={passed} failed={failed} skipped={skipped}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
