"""`belie.check` of two versions of belie on the same synthetic case, back to back, CPU by rule.

Run from the project root (the older version checked out beside it, e.g. with
``git worktree add --detach /tmp/old1359 1359f1c``):

    .venv/bin/python benchmarks/check_compare.py --old /tmp/old1359 --claims 1000000 --repeat 2

Each run is a fresh process that puts one tree's ``src/`` and ``benchmarks/`` first on its
path, generates the case with that tree's own ``benchmarks/gen_case.py`` (the same seed
gives the same claims in every version since 1359f1c: 987,244 at 1M), loads the
gazetteer's cached index, and then times ``belie.check(case)`` -- every rule and the
global view -- by the process's CPU time.  Each rule's CPU time is measured around each
step of its generator (``seconds_by_rule`` in the result is wall-clock time, which a
loaded machine inflates); the global view is the rest.  Peak memory is the process's
``ru_maxrss`` (the case included; the figure after generating it is given beside).
The runs alternate old, new, old, new ... so that both see the same load.

``--worker ROOT`` runs one measurement and prints it as one JSON line.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def worker(root: str, n: int, seed: int) -> dict:
    import dataclasses
    import gc
    import resource
    import time

    sys.path.insert(0, root + "/benchmarks")
    sys.path.insert(0, root + "/src")
    from gen_case import generate

    import belie
    import belie.rules as rules
    from belie.model.places import Gazetteer

    Gazetteer().lookup("Paris")                  # the cached index, read once per process
    cpu: dict[str, float] = {}
    pt = time.process_time

    def timed(rule):
        fn = rule.check

        def check(ctx):
            t = pt()
            it = iter(fn(ctx))
            cpu[rule.name] = cpu.get(rule.name, 0.0) + pt() - t
            while True:
                t = pt()
                try:
                    x = next(it)
                except StopIteration:
                    cpu[rule.name] += pt() - t
                    return
                cpu[rule.name] += pt() - t
                yield x
        return dataclasses.replace(rule, check=check)

    every = rules.all_rules
    rules.all_rules = lambda: [timed(r) for r in every()]
    syn = generate(n, seed)
    gc.collect()
    rss_case = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    c0, w0 = pt(), time.perf_counter()
    res = belie.check(syn.case)
    total, wall = pt() - c0, time.perf_counter() - w0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"root": root, "claims": syn.counts["claims"], "cpu": round(total, 2), "wall": round(wall, 2),
            "rules_cpu": round(sum(cpu.values()), 2), "global_cpu": round(total - sum(cpu.values()), 2),
            "cpu_by_rule": {k: round(v, 2) for k, v in sorted(cpu.items())},
            "findings": res.stats["by_severity"], "rss_case_mb": round(rss_case), "rss_peak_mb": round(rss)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="belie.check of two trees on the same case, CPU by rule.")
    ap.add_argument("--old", help="the older tree (a checkout with src/ and benchmarks/)")
    ap.add_argument("--new", default=str(ROOT), help="the newer tree (default: this one)")
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=2, help="pairs of runs, alternating (default 2)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.claims, args.seed)))
        return 0
    if not args.old:
        ap.error("--old is required")
    rows = []
    for _ in range(args.repeat):
        for tree in (args.old, args.new):
            proc = subprocess.run([sys.executable, __file__, "--worker", tree, "--claims", str(args.claims),
                                   "--seed", str(args.seed)], capture_output=True, text=True, cwd="/")
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return proc.returncode
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            rows.append(r)
            print(json.dumps(r), flush=True)
    old = [r["cpu"] for r in rows if r["root"] == args.old]
    new = [r["cpu"] for r in rows if r["root"] == args.new]
    print(f"check CPU s, old: {', '.join(map(str, old))}; new: {', '.join(map(str, new))}; "
          f"new / old (medians): {sorted(new)[len(new) // 2] / sorted(old)[len(old) // 2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
