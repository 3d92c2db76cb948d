"""Text reuse over a Parquet corpus through `belie reuse`, single-process or on a cluster.

Run:
  .venv/bin/python benchmarks/reuse_cluster.py generate --docs 1000000
  .venv/bin/python benchmarks/reuse_cluster.py run --docs 1000000 --workers 2 [--reuse '-n 5']

``generate`` writes the documents of ``benchmarks/reuse_synthetic.py`` (about 300
words, a quarter with a planted 40–80-word passage, lightly edited) as Parquet files of
20,000 rows (``id`` = ``d<number>``, ``date``, ``text``) under
``$BELIE_BENCH_CACHE/corpus-<docs>/`` with the planted pairs beside it.

``run`` runs the command a user runs, ``belie reuse CORPUS --out RESULTS`` (with
``--workers N --worker-memory 4GB`` when N > 0), samples every 0.5 s the resident
memory and CPU time of the command and of every process under it (the Dask scheduler
and workers), and scores the results file against the planted passages with the
measures of reuse_synthetic.py (recall: planted passages covered at least half on
both sides; precision: reported passages lying on text of the same source passage).
It prints one JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

CACHE = Path(os.environ.get("BELIE_BENCH_CACHE", "/tmp/belie-bench-reuse"))
ROWS = 20_000
VOCAB = 50_000
DOC_WORDS = 300


def corpus_dir(docs: int, seed: int) -> Path:
    return CACHE / f"corpus-{docs}-{seed}"


def _u(seed: int, keys: np.ndarray) -> np.ndarray:
    """Uniform numbers in [0, 1), one per key, the same every time (splitmix64)."""
    x = keys.astype(np.uint64) + np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / float(1 << 53)


# Random numbers of document d are drawn from keys d * _KEYS + offset:
_KEYS = 1024            # 0..299 its words, 300..339 its sentence lengths, 340.. its copy
_WORDS, _SENT, _COPY = 0, 300, 340


def _own_words(seed: int, docs: np.ndarray, cdf: np.ndarray) -> np.ndarray:
    """The 300 own word numbers of each of ``docs`` (a Zipf draw), shape (len(docs), 300)."""
    keys = docs[:, None].astype(np.uint64) * np.uint64(_KEYS) + np.arange(DOC_WORDS, dtype=np.uint64)
    return np.searchsorted(cdf, _u(seed, keys), side="right").clip(0, VOCAB - 1)


def _render(ids: list[int], vocab: list[str], sent: list[int]) -> tuple[str, list[int], list[int]]:
    """Sentences of the given lengths, capitalised, ending with a full stop; per-word
    char starts and ends."""
    pieces, starts, ends = [], [], []
    pos = i = 0
    for length in sent:
        if i >= len(ids):
            break
        words = [vocab[w] for w in ids[i:i + length]]
        words[0] = words[0].capitalize()
        for w in words:
            starts.append(pos)
            pos += len(w)
            ends.append(pos)
            pos += 1
        pos += 1                          # the full stop
        pieces.append(" ".join(words) + ".")
        i += length
    return " ".join(pieces), starts, ends


def _sentences(seed: int, d: int) -> list[int]:
    keys = np.uint64(d) * np.uint64(_KEYS) + np.arange(_SENT, _SENT + 40, dtype=np.uint64)
    return (8 + (_u(seed, keys) * 18).astype(np.int64)).tolist()


def generate(docs: int, seed: int) -> Path:
    """Write the corpus block by block (20,000 documents in memory at a time).  Each
    document's random numbers come from its own keys, so a copy can draw its source's
    words in any block."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from reuse_synthetic import COPY_SHARE, EDIT_P, _vocabulary

    out = corpus_dir(docs, seed)
    if (out / "truth.json").is_file():
        return out
    rng = np.random.default_rng(seed)
    vocab = _vocabulary(rng)
    prob = np.arange(1, VOCAB + 1, dtype=np.float64) ** -1.1
    cdf = np.cumsum(prob / prob.sum())
    n_copies = int(docs * COPY_SHARE)
    copies = rng.choice(docs, size=n_copies, replace=False)
    is_copy = np.zeros(docs, dtype=bool)
    is_copy[copies] = True
    originals = np.flatnonzero(~is_copy)
    source_of = np.full(docs, -1, dtype=np.int64)
    source_of[copies] = rng.choice(originals, size=n_copies)
    out.mkdir(parents=True, exist_ok=True)
    truth = []
    pending = []
    for k in range(0, docs, ROWS):
        block = np.arange(k, min(docs, k + ROWS))
        own = _own_words(seed, block, cdf)
        srcs = source_of[block]
        src_words = _own_words(seed, np.where(srcs >= 0, srcs, 0), cdf)
        texts = []
        for row, d in enumerate(block.tolist()):
            if not is_copy[d]:
                texts.append(_render(own[row].tolist(), vocab, _sentences(seed, d))[0])
                continue
            u = _u(seed, np.uint64(d) * np.uint64(_KEYS)
                   + np.arange(_COPY, _KEYS, dtype=np.uint64)).tolist()
            length = 40 + int(u[0] * 41)
            s0 = int(u[1] * (DOC_WORDS - length + 1))
            draws = iter(u[3:])
            passage = []
            for w in src_words[row, s0:s0 + length].tolist():
                r = next(draws)
                if r < EDIT_P:
                    passage.append(int(np.searchsorted(cdf, next(draws))))
                elif r < 2 * EDIT_P:
                    continue
                else:
                    passage.append(w)
                if next(draws) < EDIT_P:
                    passage.append(int(np.searchsorted(cdf, next(draws))))
            keep = DOC_WORDS - len(passage)
            at = int(u[2] * (keep + 1))
            ids = own[row, :at].tolist() + passage + own[row, at:keep].tolist()
            text, st, en = _render(ids, vocab, _sentences(seed, d))
            texts.append(text)
            pending.append((int(srcs[row]), s0, length, d, st[at], en[at + len(passage) - 1]))
        table = pa.table({"id": [f"d{i}" for i in block.tolist()],
                          "date": [f"{1900 + (i % 100)}-01-01" for i in block.tolist()],
                          "text": texts})
        pq.write_table(table, out / f"part-{k // ROWS:05d}.parquet", row_group_size=ROWS)
    # The planted span in each source: render the source's words again.
    for src, s0, length, d, c0, c1 in pending:
        _t, st, en = _render(_own_words(seed, np.array([src]), cdf)[0].tolist(), vocab,
                             _sentences(seed, src))
        truth.append((src, (st[s0], en[s0 + length - 1]), d, (c0, c1)))
    (out / "truth.json").write_text(json.dumps(truth))
    return out


def _overlap(x, y) -> int:
    return max(0, min(x[1], y[1]) - max(x[0], y[0]))


def score(results: Path, truth_path: Path) -> dict:
    import pyarrow.parquet as pq

    truth = [(s, tuple(ss), d, tuple(ds)) for s, ss, d, ds in json.loads(truth_path.read_text())]
    t = pq.read_table(results, columns=["a", "b", "a_start", "a_end", "b_start", "b_end"])
    cols = {c: t.column(c).to_pylist() for c in t.column_names}
    found: dict = {}
    passages = []
    for a, b, a0, a1, b0, b1 in zip(*(cols[c] for c in ("a", "b", "a_start", "a_end",
                                                      "b_start", "b_end"))):
        a, b = int(a[1:]), int(b[1:])
        passages.append((a, b, (a0, a1), (b0, b1)))
        found.setdefault((a, b), []).append(((a0, a1), (b0, b1)))
        found.setdefault((b, a), []).append(((b0, b1), (a0, a1)))
    hits = 0
    for src, sspan, dst, dspan in truth:
        for fa, fb in found.get((src, dst), []):
            if (_overlap(fa, sspan) >= 0.5 * (sspan[1] - sspan[0])
                    and _overlap(fb, dspan) >= 0.5 * (dspan[1] - dspan[0])):
                hits += 1
                break
    stems: dict = {}
    for src, sspan, dst, dspan in truth:
        stems.setdefault(src, []).append((src, sspan, sspan))
        stems.setdefault(dst, []).append((src, sspan, dspan))
    right = 0
    for a, b, qa, qb in passages:
        ok = any(sa == sb and _overlap(ssa, ssb) and _overlap(da, qa) and _overlap(db, qb)
                 for sa, ssa, da in stems.get(a, []) for sb, ssb, db in stems.get(b, []))
        right += ok
    return {"planted": len(truth), "recall": hits / len(truth) if truth else 1.0,
            "passages": len(passages),
            "precision": right / len(passages) if passages else 1.0,
            "pairs": len({(a, b) for a, b, _x, _y in passages})}


def _sample(procs, peak, cpu, psutil):
    for pr in procs:
        try:
            rss = pr.memory_info().rss / 2**20
            ct = pr.cpu_times()
            peak[pr.pid] = max(peak.get(pr.pid, 0.0), rss)
            cpu[pr.pid] = ct.user + ct.system
        except psutil.Error:
            pass


ROUNDS = ("_shingle_part", "_seed_bucket", "_chain_bucket", "_fetch_part", "_align_bucket")


def run(docs: int, seed: int, workers: int, memory: str, extra: list[str]) -> dict:
    """Run `belie reuse` on the corpus; with workers, on a LocalCluster started here
    (`--cluster ADDRESS`), so that the task stream (seconds per task) can be read."""
    import contextlib

    import psutil

    corpus = generate(docs, seed)      # once; kept in $BELIE_BENCH_CACHE
    results = CACHE / f"results-{docs}-{seed}-w{workers}.parquet"
    cmd = [sys.executable, "-m", "belie.cli", "reuse", str(corpus), "--out", str(results), *extra]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    me = psutil.Process()
    peak: dict[int, float] = {}
    cpu: dict[int, float] = {}
    with contextlib.ExitStack() as stack:
        client = stream = None
        if workers:
            from distributed import get_task_stream

            from belie.scale.cluster import open_client

            client = stack.enter_context(open_client(workers=workers, memory_limit=memory))
            stream = stack.enter_context(get_task_stream(client))
            cmd += ["--cluster", client.scheduler.address]
            worker_pids = set(client.run(os.getpid).values())
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        root = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                procs = [root] + root.children(recursive=True)
                procs += [c for c in me.children(recursive=True) if c.pid != proc.pid]
            except psutil.Error:
                procs = []
            _sample(procs, peak, cpu, psutil)
            time.sleep(0.5)
        wall = time.perf_counter() - t0
        err = proc.stderr.read()
        if workers:
            worker_pids |= set(client.run(os.getpid).values())
            tasks = stream.data if stream is not None else []
            metrics = client.run_on_scheduler(
                lambda dask_scheduler: dict(dask_scheduler.cumulative_worker_metrics))
    if proc.returncode != 0:
        return {"error": err.strip().splitlines()[-5:], "rc": proc.returncode}
    out = {"docs": docs, "workers": workers, "wall_s": round(wall, 1),
           "cpu_s_all_processes": round(sum(cpu.values()), 1),
           "client_peak_mib": round(peak.get(root.pid, 0.0)),
           "command": " ".join(cmd[1:]).replace(str(CACHE), "$BELIE_BENCH_CACHE")}
    if workers:
        out["worker_peaks_mib"] = sorted((round(peak[p]) for p in worker_pids if p in peak),
                                         reverse=True)
        out["other_peaks_mib"] = sorted((round(v) for p, v in peak.items()
                                         if p not in worker_pids and p != root.pid),
                                        reverse=True)[:3]
        per: dict[str, list[float]] = {}
        for t in tasks:
            name = str(t.get("key"))
            name = name.strip("()'\"").split("-")[0].split("'")[0]
            for ss in t.get("startstops", ()):
                if ss.get("action") == "compute":
                    per.setdefault(name, []).append(ss["stop"] - ss["start"])
        cpu_of = {k[1]: v for k, v in metrics.items()
                  if isinstance(k, tuple) and len(k) == 4 and k[0] == "execute"
                  and k[2] == "thread-cpu"}
        out["rounds"] = {r: {"tasks": len(per.get(r, [])),
                             "sum_s": round(sum(per.get(r, [])), 1),
                             "max_s": round(max(per.get(r, [0])), 2),
                             "cpu_s": round(cpu_of.get(r.lstrip("_"), 0.0), 1)} for r in ROUNDS}
        out["client_cpu_s"] = round(cpu.get(root.pid, 0.0), 1)
        out["other_task_s"] = round(sum(sum(v) for k, v in per.items() if k not in ROUNDS), 1)
    out.update(score(results, corpus / "truth.json"))
    return out


def project_cpu(measured: dict, workers: int) -> float:
    """Seconds for `workers` workers, one core each, from the CPU seconds the tasks
    used (Dask's thread-cpu metric): each round's tasks run in waves of `workers`,
    each task taking its round's mean CPU time, plus the client's CPU seconds (start,
    reading the partitions' metadata, sorting and writing the results).  Transfers
    between workers and waiting are not counted: a lower bound for a machine that is
    not shared."""
    import math

    total = measured.get("client_cpu_s", 0.0)
    for r in measured["rounds"].values():
        if r["tasks"]:
            total += math.ceil(r["tasks"] / workers) * r["cpu_s"] / r["tasks"]
    return total


def project(measured: dict, workers: int) -> float:
    """Seconds for `workers` workers from the measured task seconds: each round's tasks
    in waves of `workers` (mean task time per wave; a round waits for the last), plus
    what did not run in tasks (start-up, the client's reading of the metadata, sorting
    and writing the results): the measured wall minus the rounds' share at the measured
    number of workers."""
    import math

    def rounds_at(w: int) -> float:
        total = 0.0
        for r in measured["rounds"].values():
            if r["tasks"]:
                total += math.ceil(r["tasks"] / w) * r["sum_s"] / r["tasks"]
        return total

    serial = max(0.0, measured["wall_s"] - rounds_at(measured["workers"]))
    return serial + rounds_at(workers)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["generate", "run"])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory", default="4GB")
    ap.add_argument("--reuse", default="", help="options for belie reuse, e.g. '-n 5 --min-words 15'")
    args = ap.parse_args(argv)
    if args.what == "generate":
        t0 = time.perf_counter()
        path = generate(args.docs, args.seed)
        print(json.dumps({"corpus": str(path), "seconds": round(time.perf_counter() - t0, 1)}))
        return 0
    got = run(args.docs, args.seed, args.workers, args.memory, args.reuse.split())
    if args.workers and "rounds" in got:
        got["projected_s"] = {w: round(project(got, w), 1) for w in (1, 2, 8, 64)}
        got["projected_cpu_bound_s"] = {w: round(project_cpu(got, w), 1) for w in (1, 2, 8, 64)}
    print(json.dumps(got))
    return 0


if __name__ == "__main__":
    sys.exit(main())
