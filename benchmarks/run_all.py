"""Run every benchmark and write its tables into docs/benchmarks.md.

Run from the project root (``make bench`` does it):

    .venv/bin/python benchmarks/run_all.py             # every benchmark, full sizes
    .venv/bin/python benchmarks/run_all.py --quick     # small sizes, minutes not hours
    .venv/bin/python benchmarks/run_all.py --only reuse-clough truth

Each benchmark runs as its own process (so memory figures are its own) and prints
Markdown.  Its output goes, with the command and the machine, between the markers
``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->`` of docs/benchmarks.md, which
hold the latest run; the prose around them says what the figures mean.  Each runs
with ``PYTHONPATH`` set to this checkout's ``src/``, so that it measures this code
whatever belie the environment has installed; the heavy sizes (a million claims) take
the machine-wide lock /tmp/belie-heavy.lock (benchmarks/heavy.py) inside the scripts.  A marker
pair that is missing is added at the end of the page.  The page is written once,
atomically, after all runs; a benchmark that fails without printing anything keeps
its previous table, one that fails after printing its tables (a budget exceeded,
findings that differ) has them written marked as failed; either is named, and the
exit status is 1.  Raw output is also kept in benchmarks/out/NAME.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
OUT = ROOT / "benchmarks" / "out"

#: name -> (script, full arguments, quick arguments)
BENCHES: dict[str, tuple[str, list[str], list[str]]] = {
    "check": ("check_bench.py", [], ["--sizes", "10000,100000"]),
    "cli": ("cli_bench.py", ["--sizes", "10000", "100000", "1000000"], ["--sizes", "10000"]),
    "store": ("store_bench.py", ["--claims", "100000"], ["--claims", "10000"]),
    "reuse-clough": ("reuse_clough.py", [], []),
    "reuse-synthetic": ("reuse_synthetic.py", [], ["--sizes", "2000,10000", "--peer-sizes", "2000"]),
    "truth": ("truth_bench.py", [], ["--quick"]),
    "extract": ("extract_bench.py", [], ["--repeat", "2"]),
    "report-size": ("report_size.py", [], []),
    "timeline": ("timeline_bruteforce.py", ["--n", "10000"], ["--n", "1000"]),
    "review": ("review_bench.py", [], ["--quick"]),
    "regex": ("regex_adversarial.py", [], ["--size", "20000", "--budget", "1"]),
    "check-cluster": ("check_cluster_bench.py", ["--claims", "100000", "--single"],
                      ["--claims", "10000", "--single"]),
    "reuse-cluster": ("reuse_cluster.py",
                      ["run", "--docs", "100000", "--workers", "2", "--reuse", "-n 5 --min-words 15"],
                      ["run", "--docs", "20000", "--workers", "2", "--reuse", "-n 5 --min-words 15"]),
    "extract-cluster": ("extract_cluster.py", [], ["--copies", "2", "--workers", "2"]),
}

#: scripts in benchmarks/ that the benchmarks above import or run; not benchmarks themselves
#: (``check_compare.py`` sets two checkouts side by side: it needs an older tree to be
#: named, so `make bench` does not run it; docs/benchmarks.md gives its commands)
HELPERS = {"run_all.py", "gen_case.py", "duckdb_peer.py", "heavy.py", "check_phases.py", "check_compare.py"}


def machine() -> str:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            kib = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
        mem = f"{kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        mem = "RAM unknown"
    return (f"{os.cpu_count()} CPUs, {mem}, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}")


def markers(name: str) -> tuple[str, str]:
    return f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"


def splice(page: str, name: str, body: str) -> str:
    """``page`` with the text between NAME's markers replaced by ``body``."""
    start, end = markers(name)
    block = f"{start}\n{body.rstrip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(page):
        return pattern.sub(lambda _m: block, page, count=1)
    return page.rstrip() + f"\n\n### Latest run: {name}\n\n{block}\n"


def run(name: str, quick: bool, timeout: float) -> tuple[bool, str]:
    script, full, small = BENCHES[name]
    args = small if quick else full
    cmd = [sys.executable, str(ROOT / "benchmarks" / script), *args]
    shown = " ".join([".venv/bin/python", f"benchmarks/{script}", *args])
    # the belie of this checkout, whatever the environment has installed
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    t0 = time.perf_counter()
    rc = None
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)
        rc, output = proc.returncode, proc.stdout
        err = proc.stderr[-2000:]
    except subprocess.TimeoutExpired:
        output, err = "", f"timed out after {timeout:.0f} s"
    took = time.perf_counter() - t0
    head = (f"Command: `{shown}` — run {dt.date.today().isoformat()} in {took:.0f} s on {machine()}"
            " (other work may share the machine: timings are rough).")
    if rc == 0:
        return True, f"{head}\n\n{output.strip()}\n"
    why = err.strip().splitlines()[-1] if err.strip() else "no message"
    status = f"exit status {rc}" if rc is not None else "stopped"
    if output.strip():
        # a benchmark that reports a failure (a budget exceeded, findings that differ)
        # still printed what it measured: that is shown, marked as failed
        return False, f"{head}\n\n**Failed** ({status}: {why}); what it printed:\n\n{output.strip()}\n"
    return False, f"{head}\n\n**Failed** ({status}): {why}\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (minutes, not hours)")
    ap.add_argument("--only", nargs="+", choices=sorted(BENCHES), help="run only these")
    ap.add_argument("--timeout", type=float, default=4 * 3600, help="limit per benchmark, seconds")
    ap.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    args = ap.parse_args(argv)

    page = DOC.read_text(encoding="utf-8")
    OUT.mkdir(parents=True, exist_ok=True)
    failed = []
    for name in args.only or list(BENCHES):
        print(f"running {name} ...", file=sys.stderr, flush=True)
        ok, body = run(name, args.quick, args.timeout)
        (OUT / f"{name}.md").write_text(body, encoding="utf-8")
        if ok or "what it printed:" in body:
            page = splice(page, name, body)
        if not ok:
            failed.append(name)
            print(body, file=sys.stderr)
    if not args.no_docs:
        fd, tmp = tempfile.mkstemp(dir=DOC.parent, prefix=".benchmarks.", suffix=".md")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(page)
        os.replace(tmp, DOC)
        print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
