"""`belie check` end to end through the CLI, from the case files on disk (issue 14).

For each size, writes the synthetic case (benchmarks/gen_case.py, seed 1) with its claims
in YAML (case.yaml), JSON Lines (claims/claims.jsonl) and, when pyarrow is installed,
Parquet (claims/claims.parquet); then runs, each in a fresh process, the command a user
runs -- ``belie check CASE -o FILE`` (text output, or ``--output-format json``; the store
written) -- twice: the first run on a case without a store or parsed-claims cache
(``.belie/`` removed), the second on the unchanged case (which prints the first run's
findings again from the store: docs/store.md, "An unchanged check"; the two outputs are
compared byte for byte).  ``--formats`` may also name ``yaml-files`` (the claims in YAML
files under claims/, as a case past the size limit of one case file must be written).
Each run is timed from
outside (wall clock, CPU of the process, its peak resident memory via ``os.wait4``).  The
floor for reading: ``json.loads`` of every line of the JSON Lines file, in a fresh process.
The findings of the three formats are compared (``--format json`` of the first size).

Side by side with the Parquet case, in the same run and each in a fresh process timed the
same way: DuckDB reading the same Parquet file and running the alibi rule as one join, end
to end (benchmarks/duckdb_peer.py: its stays made in SQL from the claims, the join of
check_bench.py), and the ``json.loads`` floor; the ratios are belie's CPU over theirs.
belie runs every rule, the store and the output; DuckDB runs one join.  At the first size
DuckDB's impossible pairs are compared with belie's pairwise impossible alibi findings.

Sizes of ``--large`` claims or more (default 500,000) run only the formats of
``--large-formats`` (default parquet: the YAML of a million claims is over the 64 MB
limit of one case file; the JSON Lines file is still written for the floor) and take the machine-wide lock /tmp/belie-heavy.lock first,
so that two heavy runs never overlap.

    PYTHONPATH=src .venv/bin/python benchmarks/cli_bench.py --sizes 10000 100000 --dir /tmp/clibench
    PYTHONPATH=src .venv/bin/python benchmarks/cli_bench.py --sizes 10000 100000 1000000
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
sys.path.insert(0, str(HERE))

from heavy import HEAVY_CLAIMS, heavy_lock  # noqa: E402


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


def timed_output(cmd: list[str], env=None) -> tuple[dict, str]:
    """Like :func:`timed`, keeping the command's standard output."""
    import tempfile
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.PIPE)
        err = proc.stderr.read().decode(errors="replace")
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.stderr.close()
        rc = os.waitstatus_to_exitcode(status)
        if rc != 0:
            raise SystemExit(f"{' '.join(cmd)} failed ({rc}): {err[-2000:]}")
        out.seek(0)
        return ({"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "peak_mb": ru.ru_maxrss / 1024},
                out.read().decode("utf-8"))


def has_duckdb() -> bool:
    try:
        import duckdb  # noqa: F401
        return True
    except ImportError:
        return False


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


def fmt_run(r: dict) -> str:
    return f"{r['wall']:.1f} / {r['cpu']:.1f} / {r['peak_mb']:,.0f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--dir", default="/tmp/belie-clibench", help="where the cases are written")
    ap.add_argument("--formats", nargs="+", default=None, help="yaml jsonl parquet (default: all available)")
    ap.add_argument("--large", type=int, default=HEAVY_CLAIMS,
                    help="from this many claims on: only --large-formats, under /tmp/belie-heavy.lock")
    ap.add_argument("--large-formats", nargs="+", default=["parquet"])
    ap.add_argument("--no-compare", action="store_true", help="skip the comparison of findings across formats")
    ap.add_argument("--no-peers", action="store_true", help="skip DuckDB and the json.loads floor")
    ap.add_argument("--output-format", choices=["text", "json"], default="text",
                    help="the output of the timed runs (belie check --format)")
    ap.add_argument("--phases", action="store_true",
                    help="after each case's timed runs, its first run again by phase (check_phases.py)")
    ap.add_argument("--keep", action="store_true",
                    help="reuse a case already written under --dir (its .belie/ removed: no store, no cache)")
    args = ap.parse_args(argv)
    py = sys.executable
    base = Path(args.dir)
    fmts = args.formats or formats()
    duck = not args.no_peers and has_duckdb() and "parquet" in fmts
    print(f"Machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f} at start, {time.strftime('%Y-%m-%d %H:%M')} "
          "(claims: the size asked of gen_case.py).\n")
    print("| claims | format | case files MB | first run: wall s / CPU s / peak MB | unchanged second run: wall s / CPU s / peak MB |")
    print("|---|---|---|---|---|")
    rows, side, differ = [], [], []
    for n in args.sizes:
        large = n >= args.large
        size_fmts = [f for f in fmts if not large or f in args.large_formats]
        peer = {"claims": n}
        with heavy_lock(large):
            for fmt in size_fmts:
                folder = base / f"{fmt}-{n}"
                if args.keep and (folder / "case.yaml").is_file():
                    shutil.rmtree(folder / ".belie", ignore_errors=True)      # first run: no store, no cache
                else:
                    if folder.exists():
                        shutil.rmtree(folder)
                    subprocess.run([py, str(HERE / "gen_case.py"), "--claims", str(n), "--seed", "1",
                                    "--write", str(folder), "--claims-format", fmt],
                                   env=env(), check=True, stderr=subprocess.DEVNULL)
                size = sum(f.stat().st_size for f in folder.rglob("*")
                           if f.is_file() and f.name not in ("planted.json", "findings.json")
                           and ".belie" not in f.parts and not f.name.startswith(("out.", "out-2.")))
                out_name = "out.json" if args.output_format == "json" else "out.txt"
                cmd = [py, "-m", "belie.cli", "check", str(folder), "--format", args.output_format,
                       "-o", str(folder / out_name)]
                second_out = folder / out_name.replace("out.", "out-2.")
                first = timed(cmd, env())
                second = timed([*cmd[:-1], str(second_out)], env())
                if (folder / out_name).read_bytes() != second_out.read_bytes():
                    differ.append(f"{fmt}-{n}")
                row = {"claims": n, "format": fmt, "mb": size / 1e6, "first": first, "second": second}
                if n == args.sizes[0] and not args.no_compare:
                    timed([py, "-m", "belie.cli", "check", str(folder), "--no-store", "--format", "json",
                           "-o", str(folder / "findings.json")], env())
                rows.append(row)
                if args.phases:
                    shutil.rmtree(folder / ".belie", ignore_errors=True)
                    for _ in ("first", "second"):
                        ph = subprocess.run([py, str(HERE / "check_phases.py"), str(folder)], env=env(),
                                            check=True, capture_output=True, text=True)
                        print(f"<!-- {fmt} {n:,} {_} run by phase:\n{ph.stdout.strip()}\n-->", flush=True)
                peer[fmt] = first
                print(f"| {n:,} | {fmt} | {size / 1e6:.1f} | {fmt_run(first)} | {fmt_run(second)} |", flush=True)
            if not args.no_peers:
                jl = base / f"jsonl-{n}" / "claims" / "claims.jsonl"
                if "jsonl" not in size_fmts:          # the floor's file only
                    if jl.parent.parent.exists():
                        shutil.rmtree(jl.parent.parent)
                    subprocess.run([py, str(HERE / "gen_case.py"), "--claims", str(n), "--seed", "1",
                                    "--write", str(jl.parent.parent), "--claims-format", "jsonl"],
                                   env=env(), check=True, stderr=subprocess.DEVNULL)
                floor = timed([py, "-c", "import json,sys\n[json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]",
                               str(jl)])
                peer["floor"] = floor
                print(f"| {n:,} | floor: `json.loads` of each line of claims.jsonl | — | {fmt_run(floor)} | |",
                      flush=True)
            if duck and "parquet" in size_fmts:
                stats, out = timed_output([py, str(HERE / "duckdb_peer.py"), str(base / f"parquet-{n}")], env())
                peer["duckdb"] = stats
                peer["duckdb_inner"] = json.loads(out)
        side.append(peer)
    if duck or not args.no_peers:
        print(side_by_side(side, base, args.sizes[0], args.no_compare))
    print(f"\nUnchanged second run's output byte for byte the first's: "
          f"{'yes, every case' if not differ else 'NO for ' + ', '.join(differ)}.")
    if args.no_compare:
        return 1 if differ else 0
    n0 = args.sizes[0]
    found = {}
    for fmt in fmts:
        p = base / f"{fmt}-{n0}" / "findings.json"
        found[fmt] = json.loads(p.read_text(encoding="utf-8"))["findings"]
    same = all(found[f] == found[fmts[0]] for f in fmts)
    print(f"\nFindings at {n0:,} claims: {len(found[fmts[0]]):,}, "
          f"{'identical' if same else 'DIFFERENT'} across {', '.join(fmts)}.")
    return 0 if same and not differ else 1


def side_by_side(side: list[dict], base: Path, first_size: int, no_compare: bool) -> str:
    """The peers in the same run: belie's CPU over DuckDB's and over the floor's."""
    out = ["", "Side by side, same run, each a fresh process timed from outside (wall s / CPU s / peak MB). "
           "belie: `belie check CASE` from Parquet, first run (every rule, the store, the text output). "
           "DuckDB: reads the same Parquet file and runs the alibi rule as one join, end to end "
           "(benchmarks/duckdb_peer.py; one rule, no store, no output); in brackets its own steps: "
           "belie's model of case.yaml for the places / the stays made in SQL from the Parquet file "
           "/ the join. Floor: `json.loads` of each line of the same claims as JSON Lines.", "",
           "| claims | belie check (Parquet) | DuckDB read + alibi join | belie ÷ DuckDB (CPU) "
           "| floor: `json.loads` | belie ÷ floor (CPU) | DuckDB's impossible pairs |",
           "|---|---|---|---|---|---|---|"]
    for p in side:
        b = p.get("parquet") or p.get("jsonl")
        bname = "" if p.get("parquet") else " (JSON Lines)"
        d, inner, fl = p.get("duckdb"), p.get("duckdb_inner"), p.get("floor")
        dcell = "—"
        agree = "—"
        if d:
            dcell = (f"{fmt_run(d)} ({inner['case_s']:.1f} / {inner['stays_s']:.1f} / {inner['query_s']:.2f}; "
                     f"{inner['stays']:,} stays, DuckDB {inner['version']}, {inner['threads']} threads)")
            agree = f"{inner['counts']['impossible']:,}"
            fj = base / f"parquet-{p['claims']}" / "findings.json"
            if p["claims"] == first_size and not no_compare and fj.exists():
                found = json.loads(fj.read_text(encoding="utf-8"))["findings"]
                mine = sorted(sorted(f["claims"]) for f in found
                              if f["rule"] == "alibi" and f["severity"] == "impossible" and len(f["claims"]) == 2)
                agree += (", the same as belie's pairwise impossible alibi findings"
                          if mine == inner["impossible"] else f", belie has {len(mine)}: DIFFERENT")
            if inner["unparsed"]:
                agree += f"; {inner['unparsed']:,} stays with a date form the SQL does not read"
        ratio_d = f"{b['cpu'] / d['cpu']:.1f}×" if b and d else "—"
        ratio_f = f"{b['cpu'] / fl['cpu']:.1f}×" if b and fl else "—"
        out.append(f"| {p['claims']:,} | {fmt_run(b) + bname if b else '—'} | {dcell} | {ratio_d} | "
                   f"{fmt_run(fl) if fl else '—'} | {ratio_f} | {agree} |")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
