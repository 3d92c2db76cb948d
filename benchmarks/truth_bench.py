"""Truth discovery: belie's methods beside the PyPI packages `truthdiscovery` and `crowd-kit`.

Run from the project root:

    .venv/bin/python benchmarks/truth_bench.py            # everything (about 20 minutes)
    .venv/bin/python benchmarks/truth_bench.py --quick    # without crowd-kit's Dawid-Skene
    .venv/bin/python benchmarks/truth_bench.py --methods accucopy pooled_investment \
        --peer-methods PooledInvestment --datasets book flight     # the speed anchor only

Data: ../shared/data/truth/ (see its README): the normalised triples of the
book and flight sets (flight also without the three airline sources whose
pages are the gold) and the BirthPlaces set with its place hierarchy.

Scoring, the same for every implementation: the share of gold items whose
chosen value equals the gold value exactly.  Book values are already
normalised in the triples (an order-free set of lower-case name tokens, as
the triples README describes: "Knuth, Donald E." and "Donald E. Knuth" are
both `donald knuth`), so equality of those strings is the comparison.
BirthPlaces: "exact" = the chosen place is the gold path's first (most
specific) place; "general" = it is any place on the gold path (right but
perhaps coarser), both case-insensitive.

Each run is a fresh process (`--worker`), timed from the triples in memory to
the answer (building the library's own data structure included, reading the
CSV not), and its peak resident memory taken from the kernel at the end
(interpreter and imports included).  The peers live in their own virtual
environments, made on first run:

* benchmarks/.venv-truthdiscovery: truthdiscovery 1.0.4 with --no-deps plus
  the three packages its algorithms import (numpy 1.24.2, scipy 1.10.1,
  bidict 0.22.1).  Its other pins (pycairo, matplotlib, Flask, pytest, ...)
  serve its drawing and web client only; pycairo needs the system cairo
  library to build, so the drawing modules are stubbed out at import time.
* benchmarks/.venv-crowdkit: crowd-kit 1.4.2.

Dawid-Skene runs under a 300 s limit (``--timeout``); past it the table says
"did not finish in 300 s".
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import time
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared" / "data" / "truth"

TD_VENV = HERE / ".venv-truthdiscovery"
TD_PACKAGES = ["truthdiscovery==1.0.4", "numpy==1.24.2", "scipy==1.10.1", "bidict==0.22.1"]
CK_VENV = HERE / ".venv-crowdkit"
CK_PACKAGES = ["crowd-kit==1.4.2"]

DATASETS = {
    "book": ("triples/book.csv", "triples/book.gold.csv"),
    "flight": ("triples/flight-2011-12-01.csv", "triples/flight-2011-12-01.gold.csv"),
    "flight w/o airlines": ("triples/flight-2011-12-01-noairline.csv", "triples/flight-2011-12-01.gold.csv"),
    "birthplaces": ("hierarchical/birthplaces/claims.csv", "hierarchical/birthplaces/groundtruths.csv"),
}

BELIE_METHODS = ["majority", "truthfinder", "pooled_investment", "accucopy"]
TD_METHODS = ["MajorityVoting", "TruthFinder", "PooledInvestment", "CRH"]
CK_METHODS = ["MajorityVote", "DawidSkene"]
SAME_AS = {"majority": "MajorityVoting", "truthfinder": "TruthFinder",
           "pooled_investment": "PooledInvestment", "accucopy": "PooledInvestment"}


# ------------------------------------------------------------------ data
def load_claims(name: str) -> list[tuple[str, str, str]]:
    path = SHARED / DATASETS[name][0]
    with open(path, newline="", encoding="utf-8") as fh:
        rows = csv.DictReader(fh)
        if name == "birthplaces":
            return [(r["src"], r["obj"], r["value"]) for r in rows]
        return [(r["source"], r["item"], r["value"]) for r in rows]


def load_gold(name: str) -> dict:
    path = SHARED / DATASETS[name][1]
    with open(path, newline="", encoding="utf-8") as fh:
        rows = csv.DictReader(fh)
        if name == "birthplaces":
            return {r["obj"]: [p.strip().casefold() for p in r["value"].split(",")] for r in rows}
        return {r["item"]: r["value"] for r in rows}


def place_edges() -> list[tuple[str, str]]:
    path = SHARED / "hierarchical/birthplaces/hierarchy.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    name = {r["ID"]: r["name"] for r in rows}
    return [(r["name"], name[r["parentID"]]) for r in rows
            if r["parentID"] in name and name[r["parentID"]] != "Root"]


def score(name: str, truths: dict, gold: dict) -> dict:
    if name == "birthplaces":
        exact = sum(str(truths.get(o, "")).casefold() == path[0] for o, path in gold.items())
        general = sum(str(truths.get(o, "")).casefold() in path for o, path in gold.items())
        return {"accuracy": exact / len(gold), "general": general / len(gold)}
    return {"accuracy": sum(truths.get(i) == v for i, v in gold.items()) / len(gold)}


# ---------------------------------------------------------------- workers
def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0   # Linux: KiB


def worker_belie(dataset: str, method: str, similarity: str) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from belie.sources.similarity import Places, TokenSet
    from belie.sources.truth import discover

    claims = load_claims(dataset)
    # "auto" is belie's default: the similarity chosen from the values themselves.
    sim = {"exact": "exact", "tokens": TokenSet(), "auto": None}.get(similarity)
    if similarity == "places":
        sim = Places(place_edges())
    t0, c0 = time.perf_counter(), time.process_time()
    result = discover(claims, method=method, similarity=sim)
    seconds = time.perf_counter() - t0
    out = {"truths": result.truths, "seconds": seconds, "cpu_seconds": time.process_time() - c0}
    if method == "accucopy":
        out["copying"] = result.copying
        out["clusters"] = result.clusters(0.5)
    return out


def _stub_drawing_modules() -> None:
    """truthdiscovery imports its drawing code (pycairo, imageio) at package import."""
    for mod in ("cairo", "imageio", "imageio.v2"):
        sys.modules.setdefault(mod, types.ModuleType(mod))
    sys.modules["imageio"].v2 = sys.modules["imageio.v2"]


def worker_truthdiscovery(dataset: str, method: str) -> dict:
    _stub_drawing_modules()
    import truthdiscovery as td

    claims = load_claims(dataset)
    t0, c0 = time.perf_counter(), time.process_time()
    data = td.Dataset(claims)
    result = getattr(td, method)().run(data)
    truths = {}
    for item in result.belief:
        truths[item] = next(iter(result.get_most_believed_values(item)))
    seconds = time.perf_counter() - t0
    return {"truths": truths, "seconds": seconds, "cpu_seconds": time.process_time() - c0}


def worker_crowdkit(dataset: str, method: str) -> dict:
    import pandas as pd
    from crowdkit import aggregation

    claims = load_claims(dataset)
    t0, c0 = time.perf_counter(), time.process_time()
    df = pd.DataFrame(claims, columns=["worker", "task", "label"])
    model = getattr(aggregation, method)()
    labels = model.fit_predict(df)
    truths = {str(k): str(v) for k, v in labels.items()}
    seconds = time.perf_counter() - t0
    return {"truths": truths, "seconds": seconds, "cpu_seconds": time.process_time() - c0}


def worker_main(args: list[str]) -> None:
    kind, dataset, method, similarity = args
    if kind == "belie":
        out = worker_belie(dataset, method, similarity)
    elif kind == "truthdiscovery":
        out = worker_truthdiscovery(dataset, method)
    else:
        out = worker_crowdkit(dataset, method)
    out["peak_mb"] = peak_mb()
    json.dump(out, sys.stdout)


def worker_truthdiscovery_file(path: str) -> None:
    """The peer's whole path from a CSV of source,item,value: read, run PooledInvestment, print JSON."""
    _stub_drawing_modules()
    import truthdiscovery as td

    with open(path, newline="", encoding="utf-8") as fh:
        claims = [(r["source"], r["item"], r["value"]) for r in csv.DictReader(fh) if r["value"]]
    result = td.PooledInvestment().run(td.Dataset(claims))
    truths = {item: next(iter(result.get_most_believed_values(item))) for item in result.belief}
    json.dump({"truths": truths}, sys.stdout, ensure_ascii=False, indent=2)


# ------------------------------------------------------------------ driver
def ensure_venv(path: Path, packages: list[str], no_deps_first: bool) -> Path:
    python = path / "bin" / "python"
    marker = path / ".belie-bench-ready"
    if marker.exists():
        return python
    print(f"(setting up {path.name}: pip install {' '.join(packages)})", file=sys.stderr)
    def step(cmd):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout + proc.stderr)
            raise SystemExit(f"could not set up {path}: {' '.join(cmd)} failed")

    step([sys.executable, "-m", "venv", str(path)])
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if no_deps_first:
        step(pip + ["--no-deps", packages[0]])
        step(pip + packages[1:])
    else:
        step(pip + packages)
    marker.write_text(" ".join(packages) + "\n")
    return python


def run_process(cmd: list[str], timeout: float, env: dict | None = None) -> tuple[int, str, str, dict]:
    """Run ``cmd`` in a fresh process: (exit code, stdout, stderr, {wall, cpu, peak_mb} of the process)."""
    import tempfile
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=str(ROOT), env=env)
        deadline = t0 + timeout
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                return -9, "", f"did not finish in {timeout:.0f} s", {}
            time.sleep(0.01)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stats = {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "peak_mb": ru.ru_maxrss / 1024}
        return (proc.returncode, out.read().decode("utf-8", "replace"),
                err.read().decode("utf-8", "replace"), stats)


def run_worker(python: Path | str, kind: str, dataset: str, method: str, similarity: str,
               timeout: float, repeat: int = 1) -> dict:
    """One method on one data set, in ``repeat`` fresh processes: the median time is kept."""
    cmd = [str(python), str(Path(__file__).resolve()), "--worker", kind, dataset, method, similarity]
    runs = []
    for _ in range(max(1, repeat)):
        rc, out, err, stats = run_process(cmd, timeout)
        if rc == -9:
            return {"error": err}
        if rc != 0:
            tail = (err or out).strip().splitlines()[-1:] or ["?"]
            return {"error": f"failed: {tail[0][:120]}", "wall": stats.get("wall")}
        res = json.loads(out)
        res["process"] = stats
        runs.append(res)
    runs.sort(key=lambda r: r["cpu_seconds"])
    best = runs[len(runs) // 2]
    best["all_cpu_seconds"] = [r["cpu_seconds"] for r in runs]
    return best


def fmt(x, digits=3):
    return "–" if x is None else f"{x:.{digits}f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip crowd-kit's Dawid-Skene")
    ap.add_argument("--timeout", type=float, default=300.0, help="limit per peer run, seconds")
    ap.add_argument("--datasets", nargs="*", default=list(DATASETS), choices=list(DATASETS))
    ap.add_argument("--no-peers", action="store_true", help="belie only")
    ap.add_argument("--json", type=Path, help="also write every result here")
    ap.add_argument("--repeat", type=int, default=3,
                    help="fresh processes per belie method and per truthdiscovery method; the median "
                         "time is reported (default 3)")
    ap.add_argument("--methods", nargs="+", default=BELIE_METHODS, choices=BELIE_METHODS,
                    help="belie's methods to run")
    ap.add_argument("--peer-methods", nargs="+", default=TD_METHODS + CK_METHODS,
                    choices=TD_METHODS + CK_METHODS, help="the peers' methods to run")
    ap.add_argument("--no-cli", action="store_true",
                    help="skip the end-to-end comparison (belie truth CLI against the peer's whole process)")
    args = ap.parse_args()
    if not SHARED.is_dir():
        print(f"needs the benchmark data at {SHARED}", file=sys.stderr)
        return 2

    td_python = ck_python = None
    if not args.no_peers:
        td_python = ensure_venv(TD_VENV, TD_PACKAGES, no_deps_first=True)
        if any(m in args.peer_methods for m in CK_METHODS):
            ck_python = ensure_venv(CK_VENV, CK_PACKAGES, no_deps_first=False)

    rows = []      # (dataset, implementation, method, similarity, result)
    for dataset in args.datasets:
        gold = load_gold(dataset)
        sims = ["exact", "auto", "places"] if dataset == "birthplaces" else (
            ["exact", "auto", "tokens"] if dataset == "book" else ["exact", "auto"])
        for sim in sims:
            for method in args.methods:
                res = run_worker(sys.executable, "belie", dataset, method, sim, 600, args.repeat)
                rows.append((dataset, "belie", method, sim, res))
                print(f"  {dataset:20s} belie {method:18s} {sim:7s} {_brief(res, dataset, gold)}",
                      file=sys.stderr, flush=True)
        if td_python:
            for method in [m for m in TD_METHODS if m in args.peer_methods]:
                # the slow peers (CRH) once; the anchor (PooledInvestment) as often as belie
                rep = args.repeat if method in ("PooledInvestment", "MajorityVoting") else 1
                res = run_worker(td_python, "truthdiscovery", dataset, method, "exact", args.timeout, rep)
                rows.append((dataset, "truthdiscovery", method, "exact", res))
                print(f"  {dataset:20s} truthdiscovery {method:18s} {_brief(res, dataset, gold)}",
                      file=sys.stderr, flush=True)
        if ck_python:
            for method in [m for m in CK_METHODS if m in args.peer_methods]:
                if method == "DawidSkene" and args.quick:
                    continue
                res = run_worker(ck_python, "crowdkit", dataset, method, "exact", args.timeout)
                rows.append((dataset, "crowd-kit", method, "exact", res))
                print(f"  {dataset:20s} crowd-kit {method:18s} {_brief(res, dataset, gold)}",
                      file=sys.stderr, flush=True)
        for r in rows:
            if r[0] == dataset and "truths" in r[4]:
                r[4].update(score(dataset, r[4]["truths"], gold))

    e2e = [] if args.no_cli or not td_python else end_to_end(args.datasets, td_python, args.repeat,
                                                               args.timeout)
    print(report(rows, args.repeat))
    if e2e:
        print()
        print(report_end_to_end(e2e, args.repeat))
    if args.json:
        slim = [{"dataset": d, "implementation": i, "method": m, "similarity": s,
                 **{k: v for k, v in res.items() if k != "truths"}} for d, i, m, s, res in rows]
        args.json.write_text(json.dumps(slim, indent=1))
    return 0


def end_to_end(datasets: list[str], td_python: Path, repeat: int, timeout: float) -> list[dict]:
    """What a user runs, from the CSV on disk to the answer on standard output, each a fresh process.

    belie: ``belie truth FILE.csv --format json`` (its default method, accucopy, and its
    default similarity, chosen from the values).  Peer: a Python process that reads the same
    CSV with the csv module, runs truthdiscovery's PooledInvestment and prints its chosen
    values as JSON.  Process CPU and wall from the kernel (``os.wait4``); median of ``repeat``.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    out = []
    for dataset in datasets:
        if dataset == "birthplaces":
            continue                      # its CSV has other column names (src, obj, value)
        path = str(SHARED / DATASETS[dataset][0])
        gold = load_gold(dataset)
        row = {"dataset": dataset}
        for who, cmd in (("belie", [sys.executable, "-m", "belie.cli", "truth", path, "--format", "json"]),
                         ("peer", [str(td_python), str(Path(__file__).resolve()), "--worker-file", path])):
            runs = []
            for _ in range(max(1, repeat)):
                rc, stdout, err, stats = run_process(cmd, timeout, env)
                if rc != 0:
                    runs = None
                    row[who] = {"error": (err.strip().splitlines() or ["?"])[-1][:120]}
                    break
                stats["accuracy"] = score(dataset, json.loads(stdout)["truths"], gold)["accuracy"]
                runs.append(stats)
            if runs:
                runs.sort(key=lambda r: r["cpu"])
                row[who] = runs[len(runs) // 2]
            print(f"  {dataset:20s} end to end {who}: {row[who]}", file=sys.stderr, flush=True)
        out.append(row)
    return out


def report_end_to_end(rows: list[dict], repeat: int) -> str:
    out = ["End to end, from the CSV on disk to the answer printed (each a fresh process, interpreter "
           f"start and imports included; median CPU of {repeat}): `belie truth FILE.csv --format json` "
           "(accucopy, similarity chosen from the values) against a Python process that reads the same "
           "CSV and runs truthdiscovery's PooledInvestment.", "",
           "| data | belie truth: accuracy, CPU s, wall s, peak MB | peer: accuracy, CPU s, wall s, peak MB "
           "| CPU speed-up (peer ÷ belie) |", "|---|---|---|---|---|"]
    for r in rows:
        cells = []
        for who in ("belie", "peer"):
            x = r.get(who, {})
            cells.append(x["error"] if "error" in x else
                         f"{x['accuracy']:.3f}, {x['cpu']:.2f}, {x['wall']:.2f}, {x['peak_mb']:.0f}")
        b, p = r.get("belie", {}), r.get("peer", {})
        ratio = f"{p['cpu'] / max(b['cpu'], 1e-9):.2f}" if "cpu" in b and "cpu" in p else "–"
        out.append(f"| {r['dataset']} | {cells[0]} | {cells[1]} | {ratio} |")
    return "\n".join(out)


def _brief(res: dict, dataset: str, gold: dict) -> str:
    if "truths" not in res:
        return res.get("error", "?")
    sc = score(dataset, res["truths"], gold)
    return f"acc {sc['accuracy']:.3f}  {res['cpu_seconds']:.2f} s CPU  {res['peak_mb']:.0f} MB"


def report(rows, repeat: int = 1) -> str:
    out = []
    nproc = os.cpu_count()
    out.append(f"Machine: {nproc} CPUs (os.cpu_count), Python {platform.python_version()}, "
               f"{platform.system()} {platform.machine()}, load average {os.getloadavg()[0]:.1f} at the end. "
               f"Seconds: from the triples in memory to the answer, CPU (wall in brackets; the machine is shared, "
               f"so CPU is the comparison), median of {repeat} fresh processes by CPU "
               "for belie's methods and the peers' majority vote and PooledInvestment (one run for the others).")
    out.append("")
    # the anchor of issue 14: belie's default (accucopy, similarity chosen from the values)
    # against truthdiscovery's PooledInvestment, in this same run
    anchor = [(d, res) for d, impl, m, s, res in rows if impl == "belie" and m == "accucopy" and s == "auto"]
    peers = {d: res for d, impl, m, s, res in rows if impl == "truthdiscovery" and m == "PooledInvestment"}
    if anchor and peers:
        out.append("belie's default (accucopy, similarity chosen from the values) against the anchor, "
                   "truthdiscovery's PooledInvestment, same run:")
        out.append("")
        out.append("| data | belie accucopy: accuracy, CPU s (wall s) | PooledInvestment: accuracy, CPU s (wall s) "
                   "| CPU speed-up (peer ÷ belie) |")
        out.append("|---|---|---|---|")
        for d, res in anchor:
            peer = peers.get(d)
            if "truths" not in res or not peer or "truths" not in peer:
                continue
            out.append(f"| {d} | {res['accuracy']:.3f}, {res['cpu_seconds']:.3f} ({res['seconds']:.3f}) | "
                       f"{peer['accuracy']:.3f}, {peer['cpu_seconds']:.3f} ({peer['seconds']:.3f}) | "
                       f"{peer['cpu_seconds'] / max(res['cpu_seconds'], 1e-9):.2f} |")
        out.append("")
    out.append("| data | implementation | method | similarity | accuracy | CPU s (wall s) | peak MB |")
    out.append("|---|---|---|---|---|---|---|")
    for d, impl, m, s, res in rows:
        if "truths" not in res:
            out.append(f"| {d} | {impl} | {m} | {s} | {res.get('error')} | | |")
            continue
        acc = f"{res['accuracy']:.3f}"
        if "general" in res:
            acc += f" (general {res['general']:.3f})"
        out.append(f"| {d} | {impl} | {m} | {s} | {acc} | {res['cpu_seconds']:.2f} ({res['seconds']:.2f}) "
                   f"| {res['peak_mb']:.0f} |")

    out.append("")
    out.append("Ratios to the peer (truthdiscovery's implementation of the same method; for accucopy, "
               "its PooledInvestment, the strongest peer): accuracy belie/peer, time peer/belie "
               "(CPU; above 1: belie faster), memory belie/peer.")
    out.append("")
    out.append("| data | belie method | similarity | peer | accuracy ratio | speed-up | memory ratio |")
    out.append("|---|---|---|---|---|---|---|")
    peers = {(d, m): res for d, impl, m, s, res in rows if impl == "truthdiscovery"}
    for d, impl, m, s, res in rows:
        if impl != "belie" or "truths" not in res:
            continue
        peer = peers.get((d, SAME_AS[m]))
        if not peer or "truths" not in peer:
            continue
        acc_ratio = res["accuracy"] / peer["accuracy"] if peer["accuracy"] else float("nan")
        out.append(f"| {d} | {m} | {s} | {SAME_AS[m]} | {acc_ratio:.3f} | "
                   f"{peer['cpu_seconds'] / max(res['cpu_seconds'], 1e-9):.1f} | "
                   f"{res['peak_mb'] / max(peer['peak_mb'], 1e-9):.2f} |")

    out.append("")
    out.append("Copy clusters found by accucopy (exact similarity; average dependence ≥ 0.5):")
    out.append("")
    for d, impl, m, s, res in rows:
        if impl == "belie" and m == "accucopy" and s == "exact" and "clusters" in res:
            clusters = res["clusters"]
            out.append(f"- **{d}**: {len(clusters)} clusters, {len(res['copying'])} dependent pairs"
                       + (":" if clusters else "."))
            shown = clusters if len(clusters) <= 8 else clusters[:6]
            for c in shown:
                out.append(f"  - {', '.join(c)}")
            if len(shown) < len(clusters):
                sizes = [len(c) for c in clusters[len(shown):]]
                out.append(f"  - … {len(sizes)} more, of sizes {', '.join(map(str, sizes))}")
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker_main(sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "--worker-file":
        worker_truthdiscovery_file(sys.argv[2])
    else:
        sys.exit(main())
