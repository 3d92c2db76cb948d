"""`belie extract` on a Dask cluster against one process: same candidates, time.

Run:  .venv/bin/python benchmarks/extract_cluster.py [--copies 20] [--workers 1,2]

Reads the seed texts of ../shared/seeds, gives each `--copies` times to the bundled case
under different source ids, and runs `belie.extract.extract` in this process, then
`belie.scale.cluster_extract` on a LocalCluster of each number of workers (the spaCy
pipeline loaded in every process before timing).  Prints wall and CPU seconds of this
process (the client) and whether the candidates are identical.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--workers", default="1,2")
    args = ap.parse_args(argv)

    import belie
    from belie.extract import extract
    from belie.extract.nlp import load_parser
    from belie.scale.cluster import open_client
    from belie.scale.extract import cluster_extract

    case = belie.load_case(ROOT / "examples" / "moscow-1936")
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))]
    texts = {f"s{i:03d}": seeds[i % len(seeds)] for i in range(args.copies * len(seeds))}
    load_parser()
    w0, c0 = time.perf_counter(), time.process_time()
    single = extract(case, texts=texts)
    print(f"one process: {time.perf_counter() - w0:.1f} s wall, {time.process_time() - c0:.1f} "
          f"CPU s, {len(single.claims)} candidates from {len(texts)} sources")
    for n in (int(x) for x in args.workers.split(",") if x):
        with open_client(workers=n) as client:
            client.run(load_parser)
            w0, c0 = time.perf_counter(), time.process_time()
            got = cluster_extract(client, case, texts=texts)
            print(f"{n} worker(s): {time.perf_counter() - w0:.1f} s wall, client "
                  f"{time.process_time() - c0:.1f} CPU s, identical: "
                  f"{got.to_json() == single.to_json()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
