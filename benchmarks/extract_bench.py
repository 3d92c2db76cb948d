"""Extraction: accuracy on the development set and the seeds, date readers, and speed.

Run from the project root (needs the `nlp` extra: pip install -r requirements-nlp.lock):

    PYTHONPATH=src .venv/bin/python benchmarks/extract_bench.py             # everything
    PYTHONPATH=src .venv/bin/python benchmarks/extract_bench.py --dev-only  # accuracy only
    PYTHONPATH=src .venv/bin/python benchmarks/extract_bench.py --no-speed

Accuracy (`belie.extract.evaluate`):

* the development set, tests/extract/dev/ (20 annotated excerpts of public texts, rules in
  tests/extract/ANNOTATION.md), each with its main entities declared; the **test** split
  (7 files fixed before any tuning) is the evidence, the dev split is what was tuned on;
  the same with no entity declared, for comparison;
* the two seed texts (../shared/seeds/) against tests/extract/gold_seeds.yaml, with the
  entities of examples/moscow-1936: the original gold, and the gold with the claims the
  broadened rules make (`added:`).

Per kind: precision/recall (matched predictions / gold found / gold claims), and the
recall of *dated* claims (a dated gold claim found by a prediction that carries a date).

Dates: every date phrase the extractor finds in the dev texts is read by belie's own reader
(belie.extract.dates.read, anchored on the last date given) and by `dateparser` (1.5.0,
if installed; offline, RELATIVE_BASE = the same anchor, PREFER_DAY_OF_MONTH=first); the
table counts what each reads, and how many of the dev split's dated gold claims each
reading agrees with.

Speed: words per second of `extract` with the pipeline loaded (best of --repeat runs after
a warm-up) over the seeds read --copies times plus the dev texts; and the cold CLI, a new
process running `belie extract CASE --no-store --format json` on one seed.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEV = ROOT / "tests" / "extract" / "dev"
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


def _f(x):
    return "  n/a" if x is None else f"{x:5.2f}"


def _table(rows) -> None:
    from belie.extract.evaluate import KINDS

    print(f"{'':30} " + " ".join(f"{k[:10]:>18}" for k in KINDS) + f" {'overall':>18}"
          + f" {'dated R':>14}")
    for label, rep in rows:
        cells = []
        for k in KINDS:
            s = rep.by_kind[k]
            cells.append(f"{_f(s.precision)}/{_f(s.recall)} ({s.tp}/{s.found}/{s.gold})"
                         if s.gold or s.tp or s.fp else "-")
        o = rep.overall
        cells.append(f"{_f(o.precision)}/{_f(o.recall)} ({o.tp}/{o.found}/{o.gold})")
        cells.append(f"{_f(o.dated_recall)} ({o.found_dated}/{o.gold_dated})")
        print(f"{label:30} " + " ".join(f"{c:>18}" for c in cells[:-1]) + f" {cells[-1]:>14}")
    print("cells: precision/recall (matched predictions/gold found/gold claims); "
          "dated R: dated gold claims found with a date")


def dev_accuracy() -> None:
    from belie.extract.evaluate import score_dev

    rows = []
    for split in ("test", "dev"):
        _per, rep = score_dev(DEV, split)
        rows.append((f"{split} split, entities declared", rep))
    for split in ("test", "dev"):
        _per, rep = score_dev(DEV, split, declare=False)
        rows.append((f"{split} split, nothing declared", rep))
    print("\n== development set (tests/extract/dev)")
    _table(rows)


def seed_accuracy() -> None:
    import yaml

    import belie
    from belie.extract import extract
    from belie.extract.evaluate import KINDS, Report, Score, score

    gold = yaml.safe_load((ROOT / "tests" / "extract" / "gold_seeds.yaml").read_text("utf-8"))
    case = belie.load_case(ROOT / "examples" / "moscow-1936")
    rows = []
    for label, with_added in (("seeds, original gold", False), ("seeds, gold + added", True)):
        total = Report(by_kind={k: Score() for k in KINDS})
        for name, seed in gold["seeds"].items():
            text = (SHARED / "seeds" / seed["file"]).read_text(encoding="utf-8")
            res = extract(case, texts={seed["source"]: text})
            claims = list(seed["claims"])
            if with_added:
                claims += (gold.get("added") or {}).get(name, [])
            rep = score(res.claims, claims, seed.get("ignore"), res.entities, text)
            for k in KINDS:
                total.by_kind[k].add(rep.by_kind[k])
            total.overall.add(rep.overall)
        rows.append((label, total))
    print("\n== seeds (../shared/seeds, gold tests/extract/gold_seeds.yaml)")
    _table(rows)


def date_readers() -> None:
    import yaml

    from belie.extract import dates as xd
    from belie.extract.evaluate import _date

    try:
        import dateparser
    except ImportError:
        dateparser = None
    read_ours = read_theirs = phrases = 0
    agree_ours = agree_theirs = gold_dated = 0
    for path in sorted(DEV.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if doc.get("split") != "dev":
            continue
        text = doc["text"]
        said = None
        if doc.get("said") is not None:
            said = xd.read(str(doc["said"]))
        last = said if xd.day_of(said) is not None else None
        found = xd.find(text)
        readings = []
        for ph in found:
            if ph.kind == "time":
                continue
            phrases += 1
            ours = xd.read(ph.text, previous=last, kind=ph.kind,
                           anchor=xd.day_of(last))
            theirs = None
            if dateparser is not None:
                settings = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
                if xd.day_of(last) is not None:
                    import datetime as dt
                    d = xd.day_of(last)
                    settings["RELATIVE_BASE"] = dt.datetime(d.year, d.month, d.day)
                try:
                    got = dateparser.parse(ph.text, languages=["en"], settings=settings)
                except Exception:
                    got = None
                theirs = got.date() if got is not None else None
            read_ours += ours is not None
            read_theirs += theirs is not None
            readings.append((ph, ours, theirs))
            if ours is not None and ph.kind in ("date", "yearless", "numeric", "weekday"):
                last = ours
        for g in doc.get("claims") or []:
            gd = _date(g)
            if gd is None:
                continue
            gold_dated += 1
            q = text.find(g["quote"])
            near = [r for r in readings if q <= r[0].start <= q + len(g["quote"])]
            if not near:
                continue
            _ph, ours, theirs = near[0]
            if ours is not None and gd.overlaps(ours):
                agree_ours += 1
            if theirs is not None and gd.earliest is not None and \
                    gd.earliest <= theirs <= gd.latest:
                agree_theirs += 1
    print("\n== date readers on the dev split's date phrases")
    print(f"{phrases} phrases; belie reads {read_ours}, dateparser reads "
          f"{read_theirs if dateparser else 'n/a (not installed)'}")
    print(f"{gold_dated} dated gold claims; the first phrase in the quote agrees with the gold "
          f"date: belie {agree_ours}, dateparser {agree_theirs if dateparser else 'n/a'}")


def speed(copies: int, repeat: int) -> None:
    import yaml

    import belie
    from belie.extract import extract
    from belie.extract.nlp import load_parser

    case = belie.load_case(ROOT / "examples" / "moscow-1936")
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    texts = {f"{p.stem}#{i}": p.read_text(encoding="utf-8") for i in range(copies) for p in seeds}
    for p in sorted(DEV.glob("*.yaml")):
        texts[p.stem] = yaml.safe_load(p.read_text(encoding="utf-8"))["text"]
    words = sum(len(t.split()) for t in texts.values())
    load_parser()
    extract(case, texts=dict(list(texts.items())[:1]))            # warm-up (gazetteer, caches)
    runs, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        extract(case, texts=texts)
        runs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(f"\n== speed ({words} words: {len(seeds)} seeds x {copies} + {len(texts) - len(seeds) * copies}"
          f" dev texts), best of {repeat}")
    # wall time on a shared machine depends on its load; CPU time (this process, one core)
    # does much less, so both are printed
    print(f"extract, pipeline loaded : {words / min(runs):8.0f} words/s "
          f"({words / min(cpu):.0f} words per CPU-second)")
    # the peer, same run: spaCy's small English pipeline with all its components, nothing else
    import spacy

    from belie.extract.nlp import MODEL_NAMES

    bare = None
    for name in MODEL_NAMES:
        try:
            bare = spacy.load(name)
            break
        except (OSError, ImportError):
            continue
    docs = list(texts.values())
    list(bare.pipe(docs[:1]))
    peer, peer_cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        for _doc in bare.pipe(docs):
            pass
        peer.append(time.perf_counter() - t0)
        peer_cpu.append(time.process_time() - c0)
    print(f"spaCy alone, nlp.pipe    : {words / min(peer):8.0f} words/s "
          f"({words / min(peer_cpu):.0f} words per CPU-second) "
          f"(ratio belie/spaCy {min(peer) / min(runs):.2f}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    # the cold CLI: a fresh process, one seed, from files on disk
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "case"
        (root / "sources").mkdir(parents=True)
        seed = seeds[0]
        (root / "sources" / "seed.txt").write_text(seed.read_text(encoding="utf-8"), "utf-8")
        (root / "case.yaml").write_text(
            "case: cold\nentities: {}\nsources:\n  seed: {kind: testimony, said: 1937, "
            "file: sources/seed.txt}\n", encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "belie.cli", "extract", str(root), "--no-store",
                        "--format", "json"], check=True, env=env, stdout=subprocess.DEVNULL)
        cold = time.perf_counter() - t0
        n = len(seed.read_text(encoding="utf-8").split())
    print(f"cold CLI, one seed       : {cold:8.2f} s for {n} words "
          f"({n / cold:.0f} words/s with start-up and model load)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--dev-only", action="store_true")
    args = ap.parse_args()
    print(f"machine: {_machine()}")
    dev_accuracy()
    if args.dev_only:
        return 0
    if (SHARED / "seeds").is_dir():
        seed_accuracy()
    else:
        print(f"(no {SHARED / 'seeds'}: seeds skipped)")
    date_readers()
    if not args.no_speed and (SHARED / "seeds").is_dir():
        speed(args.copies, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
