"""`belie check` on a Dask cluster: 1 and 2 local workers against the single process.

Run from the project root (heavy sizes under the machine-wide lock):

    flock /tmp/belie-heavy.lock nice .venv/bin/python benchmarks/check_cluster_bench.py \\
        --claims 1000000 --workers 1,2 --single

The synthetic case of benchmarks/gen_case.py is generated in memory (as
benchmarks/check_bench.py does: reading a million claims from files is measured
separately, in docs/benchmarks.md "End to end through the CLI").  Then

* ``--single``: ``belie.check(case)``, its wall and CPU time and the process's peak
  memory (ru_maxrss, the case included);
* for each worker count: a fresh ``LocalCluster`` of that many one-thread worker
  processes (`belie.scale.cluster.open_client`) and
  ``belie.scale.check.check_on_cluster``: wall time; the client's CPU time (the
  partitioning, the merge, the grouping, and the scheduler, which a LocalCluster runs
  in the client's process); every task's CPU and wall time, claims and its worker's
  peak memory so far (VmHWM of the worker process); each worker process's own CPU
  time (user + sys, tasks, transfers and its share of the runtime) and peak memory at the
  end; and whether the JSON output is
  the single run's (seconds per rule left out).

The projection to P workers: the client's CPU time (serial) plus the tasks' CPU time
spread over P workers, but never less than the costliest task of each step (a
component is never split).  Prints one JSON object (and each run's part to standard
error as soon as it is done).
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))


def _rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _json(result) -> str:
    from belie.report import jsonout

    d = jsonout.check_to_dict(result)
    d["stats"].pop("seconds_by_rule", None)
    return jsonout.dumps(d)


def _worker_usage() -> dict:
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    hwm = None
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                hwm = round(int(line.split()[1]) / 1024, 1)
    return {"cpu_s": round(r.ru_utime + r.ru_stime, 1), "peak_rss_mib": hwm}


def project(client_cpu: float, costs: list[dict], p: int) -> float:
    """Seconds on p workers: the serial client, then each step's tasks spread over p
    workers (at least its costliest task)."""
    by_step: dict[str, list[float]] = defaultdict(list)
    for c in costs:
        by_step[c["step"]].append(c["cpu_s"])
    return round(client_cpu + sum(max(sum(v) / p, max(v)) for v in by_step.values()), 1)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", default="1,2", help="worker counts to run, e.g. 1,2")
    ap.add_argument("--partitions", type=int, default=None, help="partitions per rule (default: the library's)")
    ap.add_argument("--single", action="store_true", help="also run the single-process check and compare")
    ap.add_argument("--project", default="2,8,64", help="worker counts to project to")
    args = ap.parse_args(argv)

    import gen_case

    import belie
    from belie.scale.check import ClusterRun, check_on_cluster
    from belie.scale.cluster import open_client

    out: dict = {"claims_asked": args.claims, "seed": args.seed}
    t0 = time.perf_counter()
    syn = gen_case.generate(args.claims, seed=args.seed)
    case = syn.case
    case.places                                   # the gazetteer index, outside the clock
    out["claims"] = len(case.claims)
    out["generate_s"] = round(time.perf_counter() - t0, 1)
    out["rss_after_generate_mib"] = _rss_mib()
    single_json = None
    if args.single:
        t0, c0 = time.perf_counter(), time.process_time()
        res = belie.check(case)
        out["single"] = {"wall_s": round(time.perf_counter() - t0, 1),
                         "cpu_s": round(time.process_time() - c0, 1), "peak_rss_mib": _rss_mib(),
                         "findings": len(res.findings), "conflicts": len(res.conflicts)}
        single_json = _json(res)
        del res
        print(json.dumps({"single": out["single"]}), file=sys.stderr, flush=True)
    for w in [int(x) for x in args.workers.split(",") if x]:
        with open_client(workers=w) as client:
            run = ClusterRun()
            t0, c0 = time.perf_counter(), time.process_time()
            res = check_on_cluster(case, client, partitions=args.partitions, run=run)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            usage = sorted(client.run(_worker_usage).values(), key=lambda u: -u["cpu_s"])
        costs = [c.__dict__ for c in run.costs]
        peak: dict[int, float] = {}
        for c in costs:
            peak[c["pid"]] = max(peak.get(c["pid"], 0.0), c["worker_peak_rss_mib"])
        steps: dict[str, dict] = {}
        for c in costs:
            key = c["step"] + ("" if c["step"] != "rules" else ":" + "+".join(c["rules"]))
            s = steps.setdefault(key, {"tasks": 0, "cpu_s": 0.0, "max_task_cpu_s": 0.0, "claims": 0,
                                       "max_task_claims": 0})
            s["tasks"] += 1
            s["cpu_s"] = round(s["cpu_s"] + c["cpu_s"], 2)
            s["max_task_cpu_s"] = max(s["max_task_cpu_s"], c["cpu_s"])
            s["claims"] += c["claims"]
            s["max_task_claims"] = max(s["max_task_claims"], c["claims"])
        entry = {
            "wall_s": round(wall, 1), "client_cpu_s": round(cpu, 1), "client_peak_rss_mib": _rss_mib(),
            "tasks": len(costs), "tasks_cpu_s": round(sum(c["cpu_s"] for c in costs), 1),
            "worker_peak_rss_mib": sorted(peak.values(), reverse=True),
            "worker_processes": usage,
            "client_steps_s": run.seconds, "steps": steps,
            "largest_component": {"+".join(k): v for k, v in run.largest.items()},
            "findings": len(res.findings), "conflicts": len(res.conflicts),
            "projection_s": {p: project(cpu, costs, p) for p in
                             [int(x) for x in args.project.split(",") if x]},
        }
        if single_json is not None:
            entry["same_as_single"] = _json(res) == single_json
        out[f"workers_{w}"] = entry
        print(json.dumps({f"workers_{w}": entry}), file=sys.stderr, flush=True)
        del res
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
