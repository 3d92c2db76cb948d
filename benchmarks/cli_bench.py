"""`belie check` end to end through the CLI, from the case files on disk (issue 14).

For each size, writes the synthetic case (benchmarks/gen_case.py, seed 1) with its claims
in YAML (case.yaml), JSON Lines (claims/claims.jsonl) and, when pyarrow is installed,
Parquet (claims/claims.parquet); then runs, each in a fresh process, the command a user
runs -- ``belie check CASE -o FILE`` (text output, or ``--format json``; the store written)
-- twice: the first run on a case without a store, the second on the unchanged case (which
prints the first run's findings again from the store: docs/store.md, "An unchanged check";
its output is compared byte for byte with the first's).  Each run is timed from
outside (wall clock, CPU of the process, its peak resident memory via ``os.wait4``).  The
floor for reading: ``json.loads`` of every line of the JSON Lines file, in a fresh process.
The findings of the three formats are compared (``--format json`` of the first size).

    PYTHONPATH=src .venv/bin/python benchmarks/cli_bench.py --sizes 10000 100000 --dir /tmp/clibench
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def timed(cmd: list[str], env=None) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    rc = os.waitstatus_to_exitcode(status)
    if rc != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({rc}): {err[-2000:]}")
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "peak_mb": ru.ru_maxrss / 1024}


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    return e


def formats() -> list[str]:
    try:
        import pyarrow  # noqa: F401
        return ["yaml", "jsonl", "parquet"]
    except ImportError:
        return ["yaml", "jsonl"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--dir", default="/tmp/belie-clibench", help="where the cases are written")
    ap.add_argument("--formats", nargs="+", default=None, help="yaml jsonl parquet (default: all available)")
    ap.add_argument("--no-compare", action="store_true", help="skip the comparison of findings across formats")
    ap.add_argument("--output-format", choices=["text", "json"], default="text",
                    help="what belie check writes (default: text)")
    ap.add_argument("--keep", action="store_true", help="reuse a case already written in --dir (and its store)")
    args = ap.parse_args(argv)
    py = sys.executable
    base = Path(args.dir)
    fmts = args.formats or formats()
    print(f"# {platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f} at start, {time.strftime('%Y-%m-%d %H:%M')}\n")
    print("| claims | format | case files MB | first run: wall s / CPU s / peak MB | unchanged second run: wall s / CPU s / peak MB | second output = first |")
    print("|---|---|---|---|---|---|")
    rows = []
    for n in args.sizes:
        for fmt in fmts:
            folder = base / f"{fmt}-{n}"
            if not (args.keep and (folder / "case.yaml").is_file()):
                if folder.exists():
                    shutil.rmtree(folder)
                subprocess.run([py, str(HERE / "gen_case.py"), "--claims", str(n), "--seed", "1",
                                "--write", str(folder), "--claims-format", fmt],
                               env=env(), check=True, stderr=subprocess.DEVNULL)
            shutil.rmtree(folder / ".belie", ignore_errors=True)
            size = sum(f.stat().st_size for f in folder.rglob("*")
                       if f.is_file() and f.name != "planted.json" and not f.name.startswith("out"))
            cmd = [py, "-m", "belie.cli", "check", str(folder), "--format", args.output_format, "-o"]
            first = timed([*cmd, str(folder / "out-1")], env())
            second = timed([*cmd, str(folder / "out-2")], env())
            same = (folder / "out-1").read_bytes() == (folder / "out-2").read_bytes()
            row = {"claims": n, "format": fmt, "mb": size / 1e6, "first": first, "second": second}
            if n == args.sizes[0] and not args.no_compare:
                timed([py, "-m", "belie.cli", "check", str(folder), "--no-store", "--format", "json",
                       "-o", str(folder / "findings.json")], env())
            rows.append(row)
            f, s = first, second
            print(f"| {n:,} | {fmt} | {size / 1e6:.1f} | {f['wall']:.1f} / {f['cpu']:.1f} / {f['peak_mb']:,.0f} "
                  f"| {s['wall']:.1f} / {s['cpu']:.1f} / {s['peak_mb']:,.0f} | {'yes' if same else 'NO'} |", flush=True)
        if "jsonl" in fmts:
            jl = base / f"jsonl-{n}" / "claims" / "claims.jsonl"
            floor = timed([py, "-c", "import json,sys\n[json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]",
                           str(jl)])
            print(f"| {n:,} | floor: `json.loads` of each line of claims.jsonl | — | "
                  f"{floor['wall']:.1f} / {floor['cpu']:.1f} / {floor['peak_mb']:,.0f} | | |", flush=True)
    if args.no_compare:
        return 0
    n0 = args.sizes[0]
    found = {}
    for fmt in fmts:
        p = base / f"{fmt}-{n0}" / "findings.json"
        found[fmt] = json.loads(p.read_text(encoding="utf-8"))["findings"]
    same = all(found[f] == found[fmts[0]] for f in fmts)
    print(f"\nFindings at {n0:,} claims: {len(found[fmts[0]]):,}, "
          f"{'identical' if same else 'DIFFERENT'} across {', '.join(fmts)}.")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
