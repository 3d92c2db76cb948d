"""CPU and peak memory of ``belie.load_case(CASE)`` alone, in this (fresh) process.

Run it twice on a case with bulk claims files: the first load parses them and writes the
parsed-claims cache (``.belie/claims/``), the second reads the cache.

    PYTHONPATH=src .venv/bin/python benchmarks/load_bench.py CASE
"""
from __future__ import annotations

import os
import resource
import sys


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    from belie.model.loading import load_case

    t = os.times()
    case = load_case(args[0])
    u = os.times()
    print(f"{os.path.basename(os.path.normpath(args[0]))}: {len(case.claims):,} claims, load CPU "
          f"{u.user + u.system - t.user - t.system:.2f} s, peak "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
