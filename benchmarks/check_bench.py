"""The reasoning core at scale: `belie.check` on synthetic cases of 10k, 100k and 1M claims.

Run from the project root:

    .venv/bin/python benchmarks/check_bench.py                      # 10k, 100k, 1M claims
    .venv/bin/python benchmarks/check_bench.py --sizes 10000,100000 --seed 1

For each size a fresh process (``--worker``) generates the case in memory
(benchmarks/gen_case.py: consistent itineraries with planted contradictions of every
rule), then

1. runs ``belie.check(case)`` -- every rule and the global view -- timed by the wall
   clock and by the process's CPU time, and reads its peak resident memory from the
   kernel (``ru_maxrss``; the case itself included: the figure after generating it is
   given beside);
2. scores it: *recall* -- each plant found by its rule, with exactly its claim ids and
   its severity (and window, where it has one); *impossible precision* -- the share of
   impossible findings whose claims all belong to plants (none may touch another claim);
3. runs the peer: the alibi rule as a DuckDB self-join over the same stays (a
   table of person, place, first and last day, throughout, claim), joined with itself
   on the person, overlapping days, different places that are not compatible (the
   compatible pairs -- one place within the other -- are a table), the least distance
   as belie computes it (great-circle distance less both uncertainty radii) and the
   speeds of belie's era table for the year of the earlier stay, classified as belie's
   alibi rule does (docs/rules/alibi.md).  Only the query is timed (the tables are
   loaded first); its impossible pairs are compared with belie's impossible alibi
   findings.  The ratios are DuckDB's time over belie's alibi rule
   (``stats["seconds_by_rule"]["alibi"]``, which also builds the stays and runs the pair
   engine that the impossible-travel rule shares) and over the whole check.

The gazetteer's index (used for the powers, which have no coordinates) is loaded
before the clock starts: it is read once per process from the user cache.  The growth
exponent between two sizes is log(t2/t1) / log(n2/n1) (1 is linear; N log N from 10k
to 1M is about 1.2).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

from heavy import HEAVY_CLAIMS, heavy_lock  # noqa: E402

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
SEVERITY_RANK = {"impossible": 0, "strained": 1, "note": 2}

# ------------------------------------------------------------------ the DuckDB peer

ALIBI_SQL = """
WITH pairs AS (
    SELECT s.claim AS ca, t.claim AS cb, s.place AS pa, t.place AS pb,
           s.lo AS la, s.hi AS ha, t.lo AS lb, t.hi AS hb, s.thr AS ta, t.thr AS tb,
           CASE WHEN s.lo <= t.lo THEN s.yr ELSE t.yr END AS yr
    FROM stays s JOIN stays t
      ON s.person = t.person AND s.sid < t.sid
     AND s.lo <= t.hi AND t.lo <= s.hi
     AND s.claim <> t.claim AND s.place <> t.place
    WHERE NOT EXISTS (SELECT 1 FROM compatible c WHERE c.a = s.place AND c.b = t.place)
),
measured AS (
    SELECT p.*, sp.fast_v, sp.ref_v,
           greatest(0.0, 2 * 6371.0088 * asin(least(1.0, sqrt(
               pow(sin((B.lat - A.lat) / 2), 2)
               + cos(A.lat) * cos(B.lat) * pow(sin((B.lon - A.lon) / 2), 2))))
               - A.rad - B.rad) AS dmin
    FROM pairs p
    JOIN places A ON A.place = p.pa
    JOIN places B ON B.place = p.pb
    JOIN speeds sp ON sp.yr = p.yr
),
mixed AS (   -- the `throughout` stay (a, b) and the `some moment` claim (c, d)
    SELECT m.*,
           CASE WHEN ta THEN la ELSE lb END AS a, CASE WHEN ta THEN ha ELSE hb END AS b,
           CASE WHEN ta THEN lb ELSE la END AS c, CASE WHEN ta THEN hb ELSE ha END AS d,
           dmin / fast_v / 24 AS t_fast, dmin / ref_v / 24 AS t_ref
    FROM measured m
),
days AS (    -- days of (c, d) outside the stay, less the journey, at each speed
    SELECT x.*,
        greatest(0, least(d, a - 1, CAST(floor(a - t_fast) AS BIGINT)) - c + 1)
          + greatest(0, d - greatest(c, b + 1, CAST(ceil(b + t_fast) AS BIGINT)) + 1) AS n_fast,
        greatest(0, least(d, a - 1, CAST(floor(a - t_ref) AS BIGINT)) - c + 1)
          + greatest(0, d - greatest(c, b + 1, CAST(ceil(b + t_ref) AS BIGINT)) + 1) AS n_ref,
        greatest(hb + 1 - la, ha + 1 - lb) * 24 AS avail_h
    FROM mixed x
),
judged AS (
    SELECT least(ca, cb) AS c1, greatest(ca, cb) AS c2,
        CASE
          WHEN ta AND tb THEN 0
          WHEN ta OR tb THEN CASE
              WHEN a <= c AND d <= b THEN 0
              WHEN n_fast = 0 THEN 0
              WHEN n_ref = 0 THEN 1
              WHEN n_ref > 0.5 * (d - c + 1) THEN NULL
              WHEN n_ref <= 0.25 * (d - c + 1) THEN 1
              ELSE 2 END
          WHEN dmin <= 0 THEN NULL
          WHEN dmin / ref_v <= avail_h + 1e-6 THEN NULL
          WHEN dmin / fast_v > avail_h + 1e-6 THEN 0
          ELSE 1
        END AS rank
    FROM days
)
SELECT c1, c2, min(rank) AS rank FROM judged WHERE rank IS NOT NULL GROUP BY c1, c2
"""


def duckdb_alibi(case) -> dict:
    """The stays of the case as DuckDB tables, and the alibi query over them, timed apart:
    ``extract_s`` (the stays out of the claims into columns, as belie's engine does),
    ``load_s`` (the columns into DuckDB tables) and ``query_s`` (the join)."""
    from operator import attrgetter

    import duckdb
    import numpy as np

    from belie.model.dates import DAY, OPEN_START
    from belie.rules.base import Context
    from belie.rules.whereabouts import Speeds

    t0 = time.perf_counter()
    stays = Context(case).stays
    n = len(stays)

    def ids(attr: str) -> np.ndarray:
        first: dict[str, int] = {}
        return np.fromiter(map(first.setdefault, map(attrgetter(attr), stays), range(n)), np.int64, n)

    # the peer reasons in days, as the synthetic case is dated (belie's bounds are seconds)
    lo = np.fromiter(map(attrgetter("lo"), stays), np.int64, n) // DAY
    hi = np.fromiter(map(attrgetter("hi"), stays), np.int64, n) // DAY
    first_day = np.where(lo <= OPEN_START // DAY, hi, lo)
    lo = np.clip(lo, 1, 3_652_059)
    hi = np.clip(hi, 1, 3_652_059)
    years = ((np.clip(first_day, 1, 3_652_059) - 719_163).astype("datetime64[D]")
             .astype("datetime64[Y]").astype(np.int64) + 1970)
    cols = {"sid": np.arange(n, dtype=np.int64), "person": ids("person"), "place": ids("place"),
            "lo": lo, "hi": hi, "thr": np.fromiter(map(attrgetter("throughout"), stays), bool, n),
            "claim": ids("claim"), "yr": years}
    # places (by the index of their first stay): radians, radii; compatible pairs, both ways
    places = case.places
    first_of = {stays[int(i)].place: int(i) for i in np.unique(cols["place"])}
    pid = np.array(list(first_of.values()), dtype=np.int64)
    coords = [places.coords(p) for p in first_of]
    lat = np.radians([c[0] if c else np.nan for c in coords])
    lon = np.radians([c[1] if c else np.nan for c in coords])
    rad = np.array([places.precision_km(p) or 0.0 for p in first_of])
    ca, cb = [], []
    for p, i in first_of.items():
        for anc in places.ancestors(p):
            j = first_of.get(anc)
            if j is not None:
                ca += [i, j]
                cb += [j, i]
    sp = Speeds(case.settings)
    uy = [int(y) for y in np.unique(years)]
    speeds = {"yr": np.array(uy, dtype=np.int64), "fast_v": np.array([sp.of_year(y)[1] for y in uy]),
              "ref_v": np.array([sp.of_year(y)[3] for y in uy])}
    extract_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    con = duckdb.connect()
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    for name, data in (("stays", cols), ("places", {"place": pid, "lat": lat, "lon": lon, "rad": rad}),
                       ("compatible", {"a": np.array(ca, dtype=np.int64), "b": np.array(cb, dtype=np.int64)}),
                       ("speeds", speeds)):
        con.register(f"{name}_np", data)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_np")
        con.unregister(f"{name}_np")
    load_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    rows = con.execute(ALIBI_SQL).fetchall()
    query_s = time.perf_counter() - t2
    con.close()
    claim_of = {}
    for i in np.unique(cols["claim"]):
        claim_of[int(i)] = stays[int(i)].claim
    counts = {"impossible": 0, "strained": 0, "note": 0}
    impossible = set()
    for c1, c2, rank in rows:
        counts[("impossible", "strained", "note")[rank]] += 1
        if rank == 0:
            impossible.add(frozenset((claim_of[c1], claim_of[c2])))
    return {"query_s": query_s, "load_s": load_s, "extract_s": extract_s, "threads": threads, "stays": n,
            "version": duckdb.__version__, "counts": counts, "impossible": impossible}


# ------------------------------------------------------------------ one size, in a fresh process


def worker(n_claims: int, seed: int) -> dict:
    import gc

    from gen_case import generate, score

    import belie
    from belie.model.places import Gazetteer

    Gazetteer().lookup("Paris")                       # the cached index, read once per process
    t0 = time.perf_counter()
    syn = generate(n_claims, seed)
    gen_s = time.perf_counter() - t0
    gc.collect()
    rss_case = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    w0, c0 = time.perf_counter(), time.process_time()
    result = belie.check(syn.case)
    check_s, check_cpu = time.perf_counter() - w0, time.process_time() - c0
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sc = score(result.findings, syn)
    # The peer judges pairs of stays; belie's joint windows of meetings (three claims or
    # more) are left out of the comparison.
    belie_alibi_impossible = {frozenset(f.claims) for f in result.findings
                              if f.rule == "alibi" and f.severity == "impossible" and len(f.claims) == 2}
    by_rule = result.stats["seconds_by_rule"]
    rules_s = sum(by_rule.values())
    out = {
        "claims": syn.counts["claims"], "people": syn.counts["people"], "plants": len(syn.plants),
        "generate_s": gen_s, "check_s": check_s, "check_cpu_s": check_cpu,
        "alibi_s": by_rule.get("alibi"), "seconds_by_rule": by_rule, "global_view_s": check_s - rules_s,
        "rss_case_mb": rss_case, "rss_peak_mb": rss_peak,
        "findings": result.stats["by_severity"], "conflicts": len(result.conflicts),
        "recall": sc["recall"], "found": sc["found"], "missed": sc["missed"][:5],
        "impossible": sc["impossible"], "impossible_unplanted": sc["impossible_unplanted"],
        "precision_impossible": sc["precision_impossible"], "stray": sc["stray"][:5],
        "load_avg": os.getloadavg(),
    }
    del result
    gc.collect()
    peer = duckdb_alibi(syn.case)
    out["duckdb"] = {k: v for k, v in peer.items() if k != "impossible"}
    out["duckdb_s"] = peer["query_s"]
    out["duckdb_agrees"] = peer["impossible"] == belie_alibi_impossible
    out["duckdb_only"] = len(peer["impossible"] - belie_alibi_impossible)
    out["belie_only"] = len(belie_alibi_impossible - peer["impossible"])
    return out


# ------------------------------------------------------------------ the table


def _mem_total_gb() -> float | None:
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        return None
    return None


def table(rows: list[dict]) -> str:
    head = ("| claims | people | check s (wall / CPU) | belie alibi s | DuckDB alibi s: query (from the claims) | "
            "alibi speed-up, DuckDB s ÷ belie s: query (from the claims) | check ÷ DuckDB query | "
            "peak MB (case alone) | recall | impossible precision | growth exponent (wall / CPU) |")
    lines = [head, "|" + "|".join(["---"] * (head.count("|") - 1)) + "|"]
    prev = None
    for r in rows:
        growth = "—"
        if prev is not None:
            ln = math.log(r["claims"] / prev["claims"])
            growth = (f"{math.log(r['check_s'] / prev['check_s']) / ln:.2f} / "
                      f"{math.log(r['check_cpu_s'] / prev['check_cpu_s']) / ln:.2f}")
        d = r["duckdb"]
        whole = d["extract_s"] + d["load_s"] + d["query_s"]
        lines.append(
            f"| {r['claims']:,} | {r['people']:,} | {r['check_s']:.1f} / {r['check_cpu_s']:.1f} | {r['alibi_s']:.2f} | "
            f"{d['query_s']:.2f} ({whole:.2f}) | {d['query_s'] / r['alibi_s']:.2f}× ({whole / r['alibi_s']:.2f}×) | "
            f"{r['check_s'] / d['query_s']:,.0f}× | "
            f"{r['rss_peak_mb']:,.0f} ({r['rss_case_mb']:,.0f}) | {r['found']}/{r['plants']} | "
            f"{r['precision_impossible']:.3f} ({r['impossible']:,} impossible) | {growth} |")
        prev = r
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="belie check at 10k, 100k and 1M claims, beside a DuckDB alibi join.")
    ap.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES),
                    help="comma-separated claim counts (default 10000,100000,1000000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", metavar="FILE", help="also write every figure to this JSON file")
    ap.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.seed)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    for n in sizes:
        print(f"-- {n:,} claims ...", file=sys.stderr, flush=True)
        with heavy_lock(n >= HEAVY_CLAIMS):
            proc = subprocess.run([sys.executable, __file__, "--worker", str(n), "--seed", str(args.seed)],
                                  capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append(r)
        print(f"   {r['claims']:,} claims: check {r['check_s']:.1f} s wall, {r['check_cpu_s']:.1f} s CPU "
              f"(rules {r['seconds_by_rule']}, global view {r['global_view_s']:.1f} s); "
              f"DuckDB query {r['duckdb_s']:.2f} s (extract {r['duckdb']['extract_s']:.2f} s, load {r['duckdb']['load_s']:.2f} s, "
              f"{r['duckdb']['threads']} threads, {r['duckdb']['counts']}, "
              f"agrees on impossible alibis: {r['duckdb_agrees']}); peak {r['rss_peak_mb']:,.0f} MB; "
              f"recall {r['found']}/{r['plants']}; impossible precision {r['precision_impossible']:.3f}; "
              f"load average {', '.join(f'{x:.1f}' for x in r['load_avg'])}", file=sys.stderr, flush=True)
        for m in r["missed"]:
            print(f"   MISSED {m}", file=sys.stderr)
        for s in r["stray"]:
            print(f"   STRAY {s}", file=sys.stderr)
    import duckdb

    print(f"machine: {os.cpu_count()} CPUs, {_mem_total_gb():.0f} GiB memory, Python {platform.python_version()}, "
          f"DuckDB {duckdb.__version__}, {platform.platform()}")
    print()
    print(table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
