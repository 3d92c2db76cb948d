"""Where the CPU of one ``belie check CASE --format json -o FILE`` goes, phase by phase.

Runs in this process what the command runs -- ``belie.load_case``, ``belie.check``, the
store's ``record_run`` (unless ``--no-store``) and the JSON output written atomically --
and reads the CPU clock (user + system of this process) around each, and around the
loader's own steps, by wrapping them (nothing in belie is changed):

* read: the case files' text parsed (YAML by libyaml, JSON Lines, CSV, Parquet);
* claims cache: reading the parsed-claims cache (``.belie/claims/``), or encoding and
  writing it after a file was read;
* claims: building and checking every claim (the fast path and the general reader);
* rest of loading: entities, sources, references, time zones, duplicate ids;
* rules (belie.check: every rule and the reasoning), store, output.

    PYTHONPATH=src .venv/bin/python benchmarks/check_phases.py CASE [--no-store]
    PYTHONPATH=src .venv/bin/python benchmarks/check_phases.py CASE --load-only

Prints one Markdown row; the peak resident memory is the process's.  ``--load-only``
stops after ``belie.load_case``: run it twice on a case of bulk claims, the first load
parses them and writes the parsed-claims cache, the second reads it.
``cli_bench.py --phases`` runs it on each case it times.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def cpu() -> float:
    t = os.times()
    return t.user + t.system


class Clock:
    def __init__(self):
        self.spent: dict[str, float] = {}
        self.depth = 0

    def wrap(self, owner, name: str, phase: str):
        real = getattr(owner, name)

        def timed(*args, **kwargs):
            if self.depth:                      # a phase inside another: counted by the outer one
                return real(*args, **kwargs)
            self.depth += 1
            t0 = cpu()
            try:
                return real(*args, **kwargs)
            finally:
                self.spent[phase] = self.spent.get(phase, 0.0) + cpu() - t0
                self.depth -= 1

        setattr(owner, name, timed)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("case")
    ap.add_argument("--no-store", action="store_true")
    ap.add_argument("-o", "--output", help="where the JSON goes (default: a temporary file)")
    ap.add_argument("--load-only", action="store_true", help="stop after loading the case")
    args = ap.parse_args(argv)

    import belie
    from belie.model import claimcache, loading
    from belie.report import jsonout
    from belie.util import atomic_write_text

    clock = Clock()
    t_start = cpu()
    clock.wrap(loading, "read_fast", "read")
    clock.wrap(loading, "read_located", "read")
    clock.wrap(loading, "read_bulk", "read")
    clock.wrap(claimcache, "load", "claims cache")
    clock.wrap(claimcache, "save", "claims cache")
    t0 = cpu()
    real_build = loading._build_claims

    def build(*a, **k):
        before = dict(clock.spent)
        t = cpu()
        try:
            return real_build(*a, **k)
        finally:
            inner = sum(clock.spent.get(p, 0) - before.get(p, 0) for p in ("read", "claims cache"))
            clock.spent["claims"] = clock.spent.get("claims", 0.0) + cpu() - t - inner

    loading._build_claims = build
    case = belie.load_case(args.case)
    load = cpu() - t0
    clock.spent["rest of loading"] = load - sum(clock.spent.values())
    if args.load_only:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{Path(args.case).name}: {len(case.claims):,} claims, load CPU {load:.2f} s ("
              + ", ".join(f"{p} {clock.spent.get(p, 0.0):.2f}" for p in
                          ("read", "claims cache", "claims", "rest of loading")) + f"), peak {peak:,.0f} MB")
        return 0
    t0 = cpu()
    result = belie.check(case)
    clock.spent["rules"] = cpu() - t0
    if not args.no_store:
        from belie.store.sync import record_run

        t0 = cpu()
        record_run(case, "check", [f.to_dict() for f in result.findings])
        clock.spent["store"] = cpu() - t0
    t0 = cpu()
    out = args.output or os.path.join(tempfile.mkdtemp(), "findings.json")
    atomic_write_text(out, jsonout.dumps(jsonout.check_to_dict(result)) + "\n")
    clock.spent["output"] = cpu() - t0
    total = cpu() - t_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    phases = ["read", "claims cache", "claims", "rest of loading", "rules", "store", "output"]
    print("| claims | " + " | ".join(phases) + " | total CPU s | peak MB |")
    print("|---|" + "---|" * (len(phases) + 2))
    print(f"| {len(case.claims):,} | " + " | ".join(f"{clock.spent.get(p, 0.0):.1f}" for p in phases)
          + f" | {total:.1f} | {peak:,.0f} |")
    print(f"({Path(args.case).name}: {len(result.findings):,} findings)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
