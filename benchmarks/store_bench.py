"""The case store's share of `belie check`: the first sync into a new store, and the
unchanged second one, timed in process (CPU seconds of this process) on a case read from
disk, with the cyclic garbage collector paused as `belie check` pauses it (``--gc`` leaves
it on); with the store's size.

    PYTHONPATH=src .venv/bin/python benchmarks/store_bench.py CASE_DIR
    PYTHONPATH=src .venv/bin/python benchmarks/store_bench.py --claims 100000   # a synthetic case

The case folder is left as it was: the store is written into a copy of its files.
"""
from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def cpu() -> float:
    t = os.times()
    return t.user + t.system


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("case", nargs="?", help="a case folder (default: the synthetic case of --claims)")
    ap.add_argument("--claims", type=int, default=10_000, help="claims of the synthetic case (gen_case.py, seed 1)")
    ap.add_argument("--gc", action="store_true", help="leave the cyclic garbage collector on during the sync")
    args = ap.parse_args(argv)
    import belie
    from belie.store.db import store_path
    from belie.store.sync import record_run

    try:                                  # an older belie (for a before-and-after) has no snapshot
        from belie.report.stored import snapshot
        from belie.store.inputs import files_hash, options_key
    except ImportError:
        snapshot = None

    with tempfile.TemporaryDirectory(prefix="belie-store-bench-") as tmp:
        if args.case:
            folder = Path(tmp) / Path(args.case).name
            shutil.copytree(args.case, folder, ignore=shutil.ignore_patterns(".belie"))
        else:
            import subprocess

            folder = Path(tmp) / f"jsonl-{args.claims}"
            subprocess.run([sys.executable, str(Path(__file__).resolve().parent / "gen_case.py"), "--claims",
                            str(args.claims), "--seed", "1", "--write", str(folder), "--claims-format", "jsonl"],
                           check=True, stderr=subprocess.DEVNULL)
        t = cpu()
        case = belie.load_case(folder)
        result = belie.check(case)
        print(f"load and check: {cpu() - t:.1f} s CPU, {len(case.claims):,} claims, {len(result.findings):,} findings")
        findings = [f.to_dict() for f in result.findings]
        # As `belie check` runs it (with the collector paused); --gc keeps the collector on.
        if not args.gc:
            gc.disable()
        for label in ("first sync (new store)", "unchanged second sync"):
            t = cpu()
            w = time.perf_counter()
            if snapshot is None:
                record_run(case, "check", findings)
            else:
                record_run(case, "check", findings,
                           snapshot=(options_key((), True, False), files_hash(folder), snapshot(result)))
            print(f"{label}: {cpu() - t:.1f} s CPU, {time.perf_counter() - w:.1f} s wall")
        size = sum(p.stat().st_size for p in store_path(folder).parent.iterdir())
        print(f"store: {size / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
