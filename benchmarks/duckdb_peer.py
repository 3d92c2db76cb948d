"""The DuckDB peer of `belie check` from the case files (issue 14): the alibi rule as one query.

Run on a case folder whose claims are in ``claims/claims.parquet`` (``gen_case.py
--claims-format parquet``); benchmarks/cli_bench.py runs it in a fresh process beside
`belie check` and times the whole process from outside:

    PYTHONPATH=src .venv/bin/python benchmarks/duckdb_peer.py /tmp/belie-clibench/parquet-10000

End to end means: DuckDB reads the Parquet file itself, turns the presence, meeting and
travel claims into stays (person, place, first and last day, throughout, claim) in SQL
-- the dates parsed in SQL too, for the forms the synthetic generator writes (ISO days,
months and intervals, "3 May 1931", "May 1931", "between 3 and 9 May 1931"; a date in
any other form leaves its claim out, and the count of those is printed) -- and runs the
alibi join of benchmarks/check_bench.py (``ALIBI_SQL``: the stays joined with
themselves on the person and overlapping days, at places that do not nest, judged with
belie's least distance and era speeds).  What DuckDB is not asked to do: it reads the
case's small table of places (coordinates, uncertainty radii, nesting), the era speeds
and which entities are people from belie's own model of ``case.yaml`` (loaded without
the claims), so that both sides judge with the same geography.  belie, beside it, runs
every rule, the store and the output; this runs one join.

Prints one JSON object: seconds of each step (wall, in the process), the stays, the
pairs found by severity, and the impossible pairs (claim ids) for comparison.
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

MONTHS = ("January February March April May June July August September October November "
          "December").split()

# One date text -> first and last day (DuckDB DATE), for the forms the generator writes.
_DAY = r"^\d{4}-\d{2}-\d{2}$"
_MONTH = r"^\d{4}-\d{2}$"
_DMY = r"^\d{1,2} [A-Z][a-z]+ \d{4}$"
_MY = r"^[A-Z][a-z]+ \d{4}$"
_BETWEEN = r"^between (\d{1,2}) and (\d{1,2}) ([A-Z][a-z]+ \d{4})$"


def _first(x: str) -> str:
    return f"""CASE
        WHEN regexp_matches({x}, '{_DAY}') THEN CAST({x} AS DATE)
        WHEN regexp_matches({x}, '{_MONTH}') THEN CAST({x} || '-01' AS DATE)
        WHEN regexp_matches({x}, '{_DMY}') THEN CAST(try_strptime({x}, '%d %B %Y') AS DATE)
        WHEN regexp_matches({x}, '{_MY}') THEN CAST(try_strptime('1 ' || {x}, '%d %B %Y') AS DATE)
        WHEN regexp_matches({x}, '{_BETWEEN}') THEN CAST(try_strptime(
             regexp_extract({x}, '{_BETWEEN}', 1) || ' ' || regexp_extract({x}, '{_BETWEEN}', 3), '%d %B %Y') AS DATE)
        END"""


def _last(x: str) -> str:
    return f"""CASE
        WHEN regexp_matches({x}, '{_DAY}') THEN CAST({x} AS DATE)
        WHEN regexp_matches({x}, '{_MONTH}') THEN last_day(CAST({x} || '-01' AS DATE))
        WHEN regexp_matches({x}, '{_DMY}') THEN CAST(try_strptime({x}, '%d %B %Y') AS DATE)
        WHEN regexp_matches({x}, '{_MY}') THEN last_day(CAST(try_strptime('1 ' || {x}, '%d %B %Y') AS DATE))
        WHEN regexp_matches({x}, '{_BETWEEN}') THEN CAST(try_strptime(
             regexp_extract({x}, '{_BETWEEN}', 2) || ' ' || regexp_extract({x}, '{_BETWEEN}', 3), '%d %B %Y') AS DATE)
        END"""


def stays_sql(parquet: str) -> str:
    """The stays of the claims in ``parquet``, one row each, as belie's rules take them
    (``belie.rules.base.Context.stays``): a presence places its person, a meeting each
    participant who is a person, a journey its traveller at the origin and at the
    destination (some moment of its dates); denials and undated claims place no one."""
    a, b = "split_part(d, '/', 1)", "coalesce(nullif(split_part(d, '/', 2), ''), split_part(d, '/', 1))"
    return f"""
    CREATE TABLE raw AS
    WITH c AS (SELECT * FROM read_parquet('{parquet}') WHERE NOT coalesce(denies, false)),
    s AS (
        SELECT presence AS person, "where" AS place, coalesce(throughout, "when") AS d,
               throughout IS NOT NULL AS thr, id AS claim
          FROM c WHERE presence IS NOT NULL AND "where" IS NOT NULL
        UNION ALL
        SELECT person, place, d, false, claim FROM (
            SELECT unnest(meeting) AS person, "where" AS place, "when" AS d, id AS claim
              FROM c WHERE meeting IS NOT NULL AND "where" IS NOT NULL) m
         WHERE person IN (SELECT id FROM movers)
        UNION ALL
        SELECT travel, "from", "when", false, id FROM c WHERE travel IS NOT NULL AND "from" IS NOT NULL
        UNION ALL
        SELECT travel, "to", "when", false, id FROM c WHERE travel IS NOT NULL AND "to" IS NOT NULL
    )
    SELECT person, place, thr, claim, d,
           {_first(a)} AS first_day, {_last(b)} AS last_day
      FROM s WHERE d IS NOT NULL;
    CREATE TABLE stays AS
    SELECT row_number() OVER () AS sid, person, place, thr, claim,
           date_diff('day', DATE '0001-01-01', first_day) + 1 AS lo,
           date_diff('day', DATE '0001-01-01', last_day) + 1 AS hi,
           year(first_day) AS yr
      FROM raw WHERE first_day IS NOT NULL AND last_day IS NOT NULL;
    """


def case_tables(folder: Path):
    """Places (id, lat, lon in radians, radius km), nesting pairs, movers and era speeds,
    from belie's model of case.yaml alone (no claims read)."""
    import math

    import belie
    from belie.rules.base import Context
    from belie.rules.whereabouts import Speeds

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(folder / "case.yaml", Path(tmp) / "case.yaml")
        case = belie.load_case(tmp)
    places = case.places
    ids, lat, lon, rad, ca, cb = [], [], [], [], [], []
    for eid in case.entities:
        xy = places.coords(eid)
        if xy is None:
            continue
        ids.append(eid)
        lat.append(math.radians(xy[0]))
        lon.append(math.radians(xy[1]))
        rad.append(places.precision_km(eid) or 0.0)
        for anc in places.ancestors(eid):
            ca += [eid, anc]
            cb += [anc, eid]
    movers = sorted(Context(case).movers)
    sp = Speeds(case.settings)
    years = list(range(1, 3000))
    fast = [sp.of_year(y)[1] for y in years]
    ref = [sp.of_year(y)[3] for y in years]
    return ({"place": ids, "lat": lat, "lon": lon, "rad": rad}, {"a": ca, "b": cb},
            {"id": movers}, {"yr": years, "fast_v": fast, "ref_v": ref})


def run(folder: Path) -> dict:
    import duckdb
    import numpy as np

    from check_bench import ALIBI_SQL

    parquet = folder / "claims" / "claims.parquet"
    t0 = time.perf_counter()
    places, compatible, movers, speeds = case_tables(folder)
    t1 = time.perf_counter()
    con = duckdb.connect()
    for name, data in (("places", places), ("compatible", compatible), ("movers", movers), ("speeds", speeds)):
        arrays = {k: np.asarray(v) for k, v in data.items()}
        con.register(f"{name}_np", arrays)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_np")
        con.unregister(f"{name}_np")
    t2 = time.perf_counter()
    con.execute(stays_sql(str(parquet).replace("'", "''")))
    t3 = time.perf_counter()
    rows = con.execute(ALIBI_SQL).fetchall()
    t4 = time.perf_counter()
    n_stays = con.execute("SELECT count(*) FROM stays").fetchone()[0]
    unparsed = con.execute("SELECT count(*) FROM raw WHERE first_day IS NULL OR last_day IS NULL").fetchone()[0]
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.close()
    counts = {"impossible": 0, "strained": 0, "note": 0}
    impossible = []
    for c1, c2, rank in rows:
        counts[("impossible", "strained", "note")[rank]] += 1
        if rank == 0:
            impossible.append(sorted((c1, c2)))
    return {"case_s": t1 - t0, "load_s": t2 - t1, "stays_s": t3 - t2, "query_s": t4 - t3,
            "stays": n_stays, "unparsed": unparsed, "threads": threads, "version": duckdb.__version__,
            "counts": counts, "impossible": sorted(impossible)}


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]))))
