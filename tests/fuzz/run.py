"""Put generated cases, dates, CSV sheets and documents through belie, counting outcomes.

An outcome is *read* (belie read the input and every output was produced), *refused*
(a typed error: InputError, DateError -- a message for the user), or *unexpected* (any
other exception: a bug).  Unexpected exceptions are listed with the input that raised
them, and make the exit status 1.

The long run (issue 13 asks for at least 100,000 cases and 100,000 dates):

    PYTHONPATH=src nice python -m tests.fuzz.run --cases 100000 --dates 100000 --csv 20000 --documents 20000

Each case goes through the loader, `belie.check` (rules and the global view) and the JSON
output; every `--outputs-every`-th also through the terminal, CSV, Markdown and
FollowTheMoney outputs, and every `--report-every`-th through the HTML report.  Each
case hypothesis generates is run as it is and in `--variants - 1` random edits of its
text.  `--seed` makes a run repeatable.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed as hseed, settings
from hypothesis import strategies as st

from belie.errors import BelieError, InputError
from belie.model.dates import DateError

from tests.fuzz import strategies as S


class Tally:
    def __init__(self, name: str, keep: int = 20, loud: bool = False):
        self.name = name
        self.loud = loud
        self.counts: Counter = Counter()
        self.bugs: list[dict] = []
        self.keep = keep

    def run(self, fn, *args) -> None:
        try:
            self.counts[fn(*args)] += 1
        except (InputError, DateError):
            self.counts["refused"] += 1
        except Exception as exc:  # noqa: BLE001 - what the fuzzer is for
            self.counts["unexpected"] += 1
            if len(self.bugs) < self.keep:
                self.bugs.append({"input": repr(args[0])[:4000], "error": f"{type(exc).__name__}: {exc}"[:500],
                                  "where": traceback.format_exc(limit=-4)[-2000:]})
                if self.loud:
                    print(f"UNEXPECTED in {self.name}: {self.bugs[-1]}", flush=True)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> dict:
        return {"target": self.name, "total": self.total, **dict(self.counts), "bugs": self.bugs}


# -- targets -------------------------------------------------------------------------

def date_target(text: str, calendar: str, anchor) -> str:
    from belie.model.dates import parse_date

    span = parse_date(text, calendar=calendar, anchor=anchor)
    if span.earliest is not None and span.latest is not None:
        assert span.earliest <= span.latest, f"{text!r} ends before it begins: {span}"
    span.describe()
    str(span)
    return "read"


def case_target(text: str, folder: Path, html: bool, outputs: bool = True) -> str:
    import belie
    from belie.report import jsonout
    from belie.report import text as textout
    from belie.report.export import export_case

    (folder / "case.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    case = belie.load_case(folder)
    result = belie.check(case)
    jsonout.dumps(jsonout.check_to_dict(result))
    if not outputs:
        return "read"
    from rich.console import Console

    textout.print_check(result, Console(file=io.StringIO(), width=100, force_terminal=False))
    textout.check_markdown(result)
    for fmt in ("json", "csv", "markdown", "ftm"):
        export_case(case, fmt, result)
    if html:
        from belie.report.html import render_report

        render_report(case, result)
    return "read"


def csv_target(text: str, folder: Path) -> str:
    from belie.model.csvimport import claims_to_yaml, read_claims_csv

    path = folder / "sheet.csv"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    claims = read_claims_csv(path)
    claims_to_yaml(claims)
    return "read"


def document_target(doc: tuple[str, bytes], folder: Path) -> str:
    from belie.store.ingest import extract

    suffix, data = doc
    path = folder / f"doc{suffix}"
    path.write_bytes(data)
    ext = extract(path)
    assert isinstance(ext.text, str)
    ext.text.encode("utf-8")   # what the store will do with it
    return "read"


# -- driving hypothesis --------------------------------------------------------------

def _drive(strategy, n: int, body, seed: int | None) -> None:
    if n <= 0:
        return
    decorated = given(strategy)(body)
    decorated = settings(max_examples=n, phases=[Phase.generate], deadline=None, database=None,
                         suppress_health_check=list(HealthCheck), derandomize=seed is None and False)(decorated)
    if seed is not None:
        decorated = hseed(seed)(decorated)
    decorated()


def run(cases: int = 0, dates: int = 0, csv: int = 0, documents: int = 0, *, seed: int | None = None,
        report_every: int = 20, outputs_every: int = 1, variants: int = 1,
        progress: bool = False) -> list[Tally]:
    tallies = []
    if progress:
        print(f"fuzzing: {dates:,} dates, {cases:,} cases, {csv:,} CSV sheets, {documents:,} documents", flush=True)
    with tempfile.TemporaryDirectory(prefix="belie-fuzz-") as tmp:
        folder = Path(tmp)
        t = Tally("dates", loud=progress)
        _drive(st.tuples(S.date_text(), S.calendars, S.anchors), dates,
               lambda args: t.run(date_target, *args), seed)
        tallies.append(t)
        if progress:
            print(f"dates: {t.total:,} {dict(t.counts)}", flush=True)

        t = Tally("cases", loud=progress)
        case_dir = folder / "case"
        case_dir.mkdir()
        started = time.time()

        import random

        rng = random.Random(seed)

        def one_case(text):
            # each case hypothesis generates is run as it is and in `variants - 1` edits of it
            for k in range(variants):
                if t.total >= cases:
                    return
                t.run(case_target, text if k == 0 else S.mutate(text, rng), case_dir,
                      report_every > 0 and t.total % report_every == 0, t.total % outputs_every == 0)
                if progress and t.total % 1000 == 0:
                    print(f"cases: {t.total:,} in {time.time() - started:.0f} s {dict(t.counts)}", flush=True)

        _drive(S.case_text(), -(-cases // variants), one_case, seed)
        tallies.append(t)

        t = Tally("csv", loud=progress)
        _drive(S.csv_text(), csv, lambda text: t.run(csv_target, text, folder), seed)
        tallies.append(t)

        t = Tally("documents", loud=progress)
        _drive(S.document(), documents, lambda doc: t.run(document_target, doc, folder), seed)
        tallies.append(t)
    return [t for t in tallies if t.total]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Fuzz belie with generated input; see the module's documentation.")
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--dates", type=int, default=10000)
    ap.add_argument("--csv", type=int, default=1000)
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--report-every", type=int, default=20, help="HTML report for every Nth case (0: never)")
    ap.add_argument("--outputs-every", type=int, default=1,
                    help="terminal, CSV, Markdown and FtM outputs for every Nth case (JSON for all)")
    ap.add_argument("--variants", type=int, default=10,
                    help="run each generated case as is and in N-1 random edits of its text (default 10)")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--json", type=Path, default=None, help="also write the summary here")
    args = ap.parse_args(argv)
    t0 = time.time()
    tallies = run(args.cases, args.dates, args.csv, args.documents, seed=args.seed,
                  report_every=args.report_every, outputs_every=max(1, args.outputs_every),
                  variants=max(1, args.variants), progress=True)
    out = {"seconds": round(time.time() - t0), "seed": args.seed,
           "results": [t.summary() for t in tallies]}
    for t in tallies:
        print(f"{t.name}: {t.total:,} generated; " + ", ".join(f"{k} {v:,}" for k, v in sorted(t.counts.items())))
        for bug in t.bugs:
            print(f"  UNEXPECTED {bug['error']}\n    input: {bug['input'][:300]}\n{bug['where']}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
    return 1 if any(t.counts["unexpected"] for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
