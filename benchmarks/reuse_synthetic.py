"""Text-reuse speed and recall on synthetic documents with planted passages.

Run:  .venv/bin/python benchmarks/reuse_synthetic.py [--sizes 2000,10000,50000,100000]
          [--peer-sizes 2000,10000,50000,100000] [--seed 1]

Generator (``generate``): documents of about 300 words drawn from a Zipf
(s = 1.1) vocabulary of 50,000 made-up words, in sentences of 8–25 words.  A
quarter of the documents (the *copies*) each receive one passage of 40–80
words taken from a random other, unmodified document (its *source*), placed at
a random sentence boundary, with light edits: each word of the passage is
replaced (2 %), deleted (2 %) or followed by an inserted word (2 %).  A source
may be copied by several documents.  The ground truth records the character
span of every planted passage in its source and in its copy.

Measures, each size run in a fresh process (so peak memory is per size):

* belie ``find_reuse`` with default parameters: seconds, peak RSS, recall of
  planted passages (found = some reported passage between the two documents
  overlaps at least half of the planted span on both sides), precision of
  reported passages (a reported passage is right when it overlaps, on both
  sides, text that stems from the same source passage), and the mean Jaccard
  overlap (characters) between a found passage and the planted span.
* datasketch (peer, document level): MinHash (128 permutations) of each
  document's word 5-shingles (same tokeniser) and a MinHashLSH index (Jaccard
  threshold 0.03, see PEER_THRESHOLD), queried with every document: seconds,
  peak RSS, recall of planted pairs (source, copy) among the pairs returned,
  and the share of returned pairs that truly share text.  It locates no
  passages.

Seconds are wall-clock and CPU (process time) of the call alone, without
loading or scoring; "peak MiB" is the highest resident memory sampled (every
5 ms) during the call, with the memory held by the loaded texts in brackets.

Anchor from the issue: passim took 252 s and 1.6 GB for 2,000 such documents
on this 2-core machine.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

CACHE = Path(os.environ.get("BELIE_BENCH_CACHE", "/tmp/belie-bench-reuse"))
VOCAB = 50_000
DOC_WORDS = 300
COPY_SHARE = 0.25
EDIT_P = 0.02  # each of replace / delete / insert, per word of a passage
# The peer's Jaccard threshold: a planted 40-80-word passage in two 300-word
# documents gives a shingle Jaccard near 0.1, so the threshold must sit well
# below that for document-level recall near belie's (0.1 gave 0.33 on 2,000
# documents, 0.05 gave 0.89, 0.03 gave 0.97).
PEER_THRESHOLD = 0.03


# --------------------------------------------------------------------------
# Generator


def _vocabulary(rng: np.random.Generator) -> list[str]:
    consonants = list("bcdfghjklmnprstvz")
    vowels = list("aeiou")
    words, seen = [], set()
    while len(words) < VOCAB:
        k = int(rng.integers(1, 4))
        w = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(k))
        if rng.random() < 0.5:
            w += rng.choice(consonants)
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


def generate(n_docs: int, seed: int = 1):
    """Return (texts, truth): texts is a list of strings; truth a list of
    (source doc, source char span, copy doc, copy char span)."""
    rng = np.random.default_rng(seed)
    vocab = _vocabulary(rng)
    ranks = np.arange(1, VOCAB + 1, dtype=np.float64)
    prob = ranks ** -1.1
    prob /= prob.sum()

    n_copies = int(n_docs * COPY_SHARE)
    copies = rng.choice(n_docs, size=n_copies, replace=False)
    is_copy = np.zeros(n_docs, dtype=bool)
    is_copy[copies] = True
    originals = np.flatnonzero(~is_copy)

    # Word-id lists for every document (own words).
    own = rng.choice(VOCAB, size=(n_docs, DOC_WORDS), p=prob)

    def render(ids: list[int]) -> tuple[str, list[int], list[int]]:
        """Text with sentences; returns text and per-word char starts/ends."""
        out, starts, ends = [], [], []
        pos = 0
        left = int(rng.integers(8, 26))
        first = True
        for i, w in enumerate(ids):
            word = vocab[w]
            if first:
                word = word.capitalize()
                first = False
            if i:
                out.append(" ")
                pos += 1
            starts.append(pos)
            out.append(word)
            pos += len(word)
            ends.append(pos)
            left -= 1
            if left == 0 or i == len(ids) - 1:
                out.append(".")
                pos += 1
                left = int(rng.integers(8, 26))
                first = True
        return "".join(out), starts, ends

    texts: list[str] = [""] * n_docs
    spans: dict[int, tuple[list[int], list[int]]] = {}
    for d in originals:
        text, s, e = render(own[d].tolist())
        texts[d] = text
        spans[d] = (s, e)

    # Words for edits, drawn from the same distribution in advance.
    pool = iter(rng.choice(VOCAB, size=max(16, n_copies * 8), p=prob).tolist())
    truth = []
    for d in copies:
        src = int(rng.choice(originals))
        length = int(rng.integers(40, 81))
        s0 = int(rng.integers(0, DOC_WORDS - length + 1))
        passage = []
        for w in own[src, s0:s0 + length].tolist():
            r = rng.random()
            if r < EDIT_P:
                passage.append(next(pool))  # replaced
            elif r < 2 * EDIT_P:
                continue  # deleted
            else:
                passage.append(w)
            if rng.random() < EDIT_P:
                passage.append(next(pool))  # inserted
        keep = DOC_WORDS - len(passage)
        at = int(rng.integers(0, keep + 1))
        ids = own[d, :at].tolist() + passage + own[d, at:keep].tolist()
        text, s, e = render(ids)
        texts[d] = text
        ss, se = spans[src]
        truth.append((src, (ss[s0], se[s0 + length - 1]),
                      int(d), (s[at], e[at + len(passage) - 1])))
    return texts, truth


def cached(n_docs: int, seed: int) -> tuple[Path, Path]:
    """Generate once; texts one per line (they hold no newline), truth as JSON."""
    texts_path = CACHE / f"synthetic-{n_docs}-{seed}.txt"
    truth_path = CACHE / f"synthetic-{n_docs}-{seed}.truth.json"
    if not (texts_path.is_file() and truth_path.is_file()):
        CACHE.mkdir(parents=True, exist_ok=True)
        texts, truth = generate(n_docs, seed)
        tmp = texts_path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            for t in texts:
                fh.write(t + "\n")
        tmp.replace(texts_path)
        truth_path.write_text(json.dumps(truth))
    return texts_path, truth_path


def load(n_docs: int, seed: int):
    texts_path, truth_path = cached(n_docs, seed)
    with open(texts_path, encoding="utf-8") as fh:
        texts = [line.rstrip("\n") for line in fh]
    truth = [(s, tuple(ss), d, tuple(ds)) for s, ss, d, ds in json.loads(truth_path.read_text())]
    return texts, truth


# --------------------------------------------------------------------------
# One measurement (run in a child process)


def _rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _overlap(x, y) -> int:
    return max(0, min(x[1], y[1]) - max(x[0], y[0]))


def measure_belie(texts, truth) -> dict:
    from belie.sources.reuse import find_reuse

    ids = [str(i) for i in range(len(texts))]
    t0, c0 = time.perf_counter(), time.process_time()
    pairs = find_reuse(dict(zip(ids, texts)))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0

    found: dict[tuple[int, int], list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    n_passages = 0
    for p in pairs:
        a, b = int(p.a), int(p.b)
        for q in p.passages:
            n_passages += 1
            found.setdefault((a, b), []).append(((q.a_start, q.a_end), (q.b_start, q.b_end)))
            found.setdefault((b, a), []).append(((q.b_start, q.b_end), (q.a_start, q.a_end)))

    hits, jaccard = 0, []
    for src, sspan, dst, dspan in truth:
        best = None
        for fa, fb in found.get((src, dst), []):
            oa, ob = _overlap(fa, sspan), _overlap(fb, dspan)
            if oa >= 0.5 * (sspan[1] - sspan[0]) and ob >= 0.5 * (dspan[1] - dspan[0]):
                ja = oa / (max(fa[1], sspan[1]) - min(fa[0], sspan[0]))
                jb = ob / (max(fb[1], dspan[1]) - min(fb[0], dspan[0]))
                j = (ja + jb) / 2
                best = j if best is None else max(best, j)
        if best is not None:
            hits += 1
            jaccard.append(best)

    # Precision: a reported passage is right when both sides overlap text
    # stemming from the same source passage (the source itself or a copy).
    stems: dict[int, list[tuple[int, tuple[int, int], tuple[int, int]]]] = {}
    for src, sspan, dst, dspan in truth:
        stems.setdefault(src, []).append((src, sspan, sspan))
        stems.setdefault(dst, []).append((src, sspan, dspan))
    right = 0
    for p in pairs:
        a, b = int(p.a), int(p.b)
        for q in p.passages:
            ok = False
            for sa, ssa, da in stems.get(a, []):
                if _overlap(da, (q.a_start, q.a_end)) == 0:
                    continue
                for sb, ssb, db in stems.get(b, []):
                    if sb == sa and _overlap(ssa, ssb) and _overlap(db, (q.b_start, q.b_end)):
                        ok = True
                        break
                if ok:
                    break
            right += ok
    return {
        "seconds": seconds,
        "cpu": cpu,
        "recall": hits / len(truth) if truth else 1.0,
        "precision": right / n_passages if n_passages else 1.0,
        "boundary_jaccard": sum(jaccard) / len(jaccard) if jaccard else 0.0,
        "pairs": len(pairs),
        "passages": n_passages,
    }


def measure_datasketch(texts, truth) -> dict:
    from datasketch import MinHash, MinHashLSH

    from belie.sources.reuse import TOKEN, normalize_word

    t0, c0 = time.perf_counter(), time.process_time()
    lsh = MinHashLSH(threshold=PEER_THRESHOLD, num_perm=128)
    sketches = []
    for i, text in enumerate(texts):
        words = [normalize_word(w) for w in TOKEN.findall(text)]
        shingles = {" ".join(words[j:j + 5]).encode() for j in range(len(words) - 4)}
        m = MinHash(num_perm=128, seed=1)
        m.update_batch(list(shingles))
        lsh.insert(i, m, check_duplication=False)
        sketches.append(m)
    returned = set()
    for i, m in enumerate(sketches):
        for j in lsh.query(m):
            if j != i:
                returned.add((min(i, j), max(i, j)))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    planted = {(min(s, d), max(s, d)) for s, _, d, _ in truth}
    # Pairs that truly share text: a source and its copies, and two copies of
    # overlapping spans of one source.
    family: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for s, ss, d, _ in truth:
        family.setdefault(s, []).append((d, ss))
    related = set(planted)
    for members in family.values():
        for x, (d1, s1) in enumerate(members):
            for d2, s2 in members[x + 1:]:
                if _overlap(s1, s2):
                    related.add((min(d1, d2), max(d1, d2)))
    return {
        "seconds": seconds,
        "cpu": cpu,
        "recall": len(planted & returned) / len(planted) if planted else 1.0,
        "precision": len(related & returned) / len(returned) if returned else 1.0,
        "pairs": len(returned),
    }


class PeakRSS:
    """Samples this process's resident memory every 5 ms while active."""

    def __enter__(self):
        self.peak = _rss_mib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss_mib())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mib())


def child(tool: str, n_docs: int, seed: int) -> None:
    texts, truth = load(n_docs, seed)
    base = _rss_mib()
    cpu0 = time.process_time()
    with PeakRSS() as peak:
        result = measure_belie(texts, truth) if tool == "belie" else measure_datasketch(texts, truth)
    result["cpu_seconds_incl_scoring"] = time.process_time() - cpu0
    result["peak_mib"] = peak.peak
    result["base_mib"] = base
    result["words"] = sum(len(t.split()) for t in texts)
    print(json.dumps(result))


def run_child(tool: str, n_docs: int, seed: int, timeout: float) -> dict | None:
    cmd = [sys.executable, __file__, "--child", tool, "--n", str(n_docs), "--seed", str(seed)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    except subprocess.CalledProcessError as exc:
        return {"error": exc.stderr.strip().splitlines()[-1] if exc.stderr else str(exc)}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="2000,10000,50000,100000")
    ap.add_argument("--peer-sizes", default="2000,10000,50000,100000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--child", choices=["belie", "datasketch"])
    ap.add_argument("--n", type=int)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.n, args.seed)
        return 0

    sizes = [int(s) for s in args.sizes.split(",") if s]
    peer_sizes = {int(s) for s in args.peer_sizes.split(",") if s}
    print(f"Synthetic documents: ~{DOC_WORDS} words, {int(COPY_SHARE * 100)} % carry a planted "
          f"40–80-word passage with {int(EDIT_P * 100)} % replace / delete / insert edits; "
          f"seed {args.seed}; CPUs: {os.cpu_count()}, Python {sys.version.split()[0]}\n")
    print("| documents | belie wall s | belie CPU s | belie peak MiB (texts alone) | recall "
          "| precision | boundary Jaccard | datasketch wall s | datasketch CPU s "
          "| datasketch peak MiB | datasketch pair recall | pair precision "
          "| CPU ratio datasketch / belie |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        t0 = time.perf_counter()
        cached(n, args.seed)
        gen_s = time.perf_counter() - t0
        b = run_child("belie", n, args.seed, args.timeout)
        d = run_child("datasketch", n, args.seed, args.timeout) if n in peer_sizes else None

        def cell(r, key, fmt):
            if r is None:
                return "not run"
            if "timeout" in r:
                return f"> {r['timeout']:.0f} s"
            if "error" in r:
                return "error: " + r["error"][:60]
            return format(r[key], fmt)

        ratio = "–"
        if d and b and "cpu" in d and "cpu" in b:
            ratio = f"{d['cpu'] / b['cpu']:.1f}×"
        mem = "–" if not b or "peak_mib" not in b else f"{b['peak_mib']:.0f} ({b['base_mib']:.0f})"
        print(f"| {n:,} | {cell(b, 'seconds', '.2f')} | {cell(b, 'cpu', '.2f')} | {mem} | "
              f"{cell(b, 'recall', '.4f')} | {cell(b, 'precision', '.4f')} | "
              f"{cell(b, 'boundary_jaccard', '.3f')} | {cell(d, 'seconds', '.2f')} | "
              f"{cell(d, 'cpu', '.2f')} | {cell(d, 'peak_mib', '.0f')} | "
              f"{cell(d, 'recall', '.3f')} | {cell(d, 'precision', '.3f')} | {ratio} |",
              flush=True)
        print(f"<!-- n={n}: generated in {gen_s:.1f} s; belie {b}; datasketch {d} -->",
              file=sys.stderr, flush=True)
    print("\nAnchor (issue): passim 252 s and 1.6 GB for 2,000 documents on this 2-core machine.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
