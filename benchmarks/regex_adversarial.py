"""Every regular expression that sees user text, against adversarial 100 KB input.

A regular expression with nested or overlapping quantifiers can take time quadratic or
worse in the length of its input (a 12 KB markdown file once hung `belie add` for 88 s).
This script runs each expression belie applies to text from a case, a source or a web
request -- and each reader built on them -- on inputs built to make backtracking
expensive (long runs of one character, of a repeated prefix the expression almost
matches, of whitespace before a missing terminator), and reports the slowest.

    python benchmarks/regex_adversarial.py            # 100 KB inputs, budget 5 s each
    python benchmarks/regex_adversarial.py --size 20000 --budget 1

Prints a Markdown summary (benchmarks/run_all.py puts it in docs/benchmarks.md).  Exit
status 1 when any run exceeds the budget.  A linear expression takes milliseconds on
100 KB; a quadratic one takes seconds to minutes, a cubic one hours.  The budget is
generous because the machine is shared: it separates linear from quadratic, it does not
measure speed.  Times are CPU seconds of this process (time.process_time), which other
work on the machine disturbs less than the wall clock.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _patterns() -> list[tuple[str, re.Pattern, str]]:
    """(name, compiled, use) for every module-level expression (used to search, the most
    expensive use) and the inline ones, compiled here."""
    import belie.extract as ex
    import belie.extract.dates as xd
    import belie.extract.lexicon as lx
    import belie.extract.linking as lk
    import belie.model.dates as md
    import belie.model.places as pl
    import belie.rules.escalation as es
    import belie.sources.reuse as ru
    import belie.sources.similarity as si
    import belie.store.ingest as ing
    import belie.store.quotes as qu

    out = []
    for mod in (ex, xd, lx, lk, md, pl, es, ru, si, ing, qu):
        for name, value in vars(mod).items():
            if isinstance(value, re.Pattern):
                out.append((f"{mod.__name__}.{name}", value, "search"))
    # Expressions written inline where they are used, with the way each is used: "search"
    # (also re.sub, which scans the same way) or "fullmatch" (one try, from the start).
    inline = {
        "extract: sentence end": (r"[.!?:;”\"]\s*$", "search"),
        "extract: date entity": (r"\d|next day|morrow|following", "search"),
        "extract.dates: year range": (r"\d{4}(?:\s*[–-]\s*\d{2,4})?", "fullmatch"),
        "report.html: anchor": (r"[^A-Za-z0-9_.:-]+", "search"),
        "ingest: html whitespace": (r"\s+", "search"),
        "ingest: slug": (r"[^a-z0-9]+", "search"),
        "dates: clean full stop": (r"(?<=\w)\.(?=\s|$)", "search"),
        "dates: clean dash": (r"(?<!\s)\s*+-\s*", "search"),
        "dates: range between": (r"(?:between|from) (.+?) (?:and|to|till|until) (.+)", "fullmatch"),
        "dates: range dash": (r"(.+?)(?: to |-| till | until )(.+)", "fullmatch"),
        "dates: open end": (r"(before|until|till|up to|not later than|by) (.+)", "fullmatch"),
        "dates: open start": (r"(after|since|from|not earlier than) (.+)", "fullmatch"),
        "dates: inner range": (r" (to|and|until|till) ", "search"),
        "dates: masked digit": (r"X[0-9]", "search"),
        "dates: interval end": (r"(\.\.|[0-9X\-?~%]*)", "fullmatch"),
    }
    out += [(name, re.compile(rx), use) for name, (rx, use) in inline.items()]
    return out


def adversarial(size: int) -> dict[str, str]:
    """Inputs that make backtracking expensive, each about *size* characters."""
    n = size
    return {
        "spaces": " " * n,
        "spaces then x": " " * n + "x",
        "newlines": "\n" * n,
        "tabs and spaces": " \t" * (n // 2),
        "letters": "a" * n,
        "word space": "ab " * (n // 3),
        "digits": "1" * n,
        "dashes": "-" * n,
        "dots": "." * n,
        "dot space": ". " * (n // 2),
        "initials": "A." * (n // 2),
        "hashes": "#" * n,
        "heading no end": "# " + " " * n + "#" * 10 + " x",
        "heading spaces": "# a" + " " * n + "b",
        "heading hashes": "# " + "# " * (n // 2) + "x",
        "masked": "X" * n,
        "to to": " to" * (n // 3),
        "until": "until " * (n // 6),
        "from": "from " * (n // 5),
        "between": "between " * (n // 8),
        "digits dashes": "1-" * (n // 2),
        "years": "1932 " * (n // 5),
        "months": "January " * (n // 8),
        "meta": "<meta " * (n // 6),
        "meta charset": "<meta charset" * (n // 13),
        "hyphen newline": "a-\n" * (n // 3),
        "brackets": "[..." * (n // 4),
        "ellipsis spaces": " " * n + "…x",
        "apostrophes": "a'" * (n // 2),
        "underscores": "_" * n,
        "quotes": "\"" * n,
    }


def run(size: int, budget: float) -> int:
    inputs = adversarial(size)
    worst: list[tuple[float, str, str]] = []
    for name, rx, use in _patterns():
        for label, text in inputs.items():
            if isinstance(rx.pattern, bytes):
                text = text.encode("utf-8")
            t0 = time.process_time()
            if use == "fullmatch":
                rx.fullmatch(text)
            else:
                for _ in rx.finditer(text):
                    pass
            worst.append((time.process_time() - t0, name, label))
            if worst[-1][0] > budget:
                print(f"SLOW {worst[-1][0]:.2f}s  {name} on {label!r}", flush=True)
    worst += _readers(inputs, budget)
    worst.sort(reverse=True)
    over = [w for w in worst if w[0] > budget]
    print(f"{len(worst):,} runs: {len(_patterns())} expressions and 5 readers, each on {len(inputs)} "
          f"adversarial inputs of {size:,} characters; budget {budget:.1f} CPU s a run; "
          f"**{len(over)} over budget**. The ten slowest:\n")
    print("| CPU seconds | expression or reader | input |")
    print("|---:|---|---|")
    for secs, name, label in worst[:10]:
        print(f"| {secs:.3f} | `{name}` | {label} |")
    return 1 if over else 0


def _readers(inputs: dict[str, str], budget: float) -> list[tuple[float, str, str]]:
    """The functions a user's text goes through whole (title, HTML, dates, quotes)."""
    from belie.errors import BelieError
    from belie.model.dates import DateError, parse_date
    from belie.store import ingest
    from belie.store.quotes import locate_quote

    def markdown_title(text):
        return ingest.markdown_title(text)

    def html(text):
        return ingest.html_to_text(text)

    def meta(text):
        return ingest._decode_html(text.encode("utf-8"))

    def date(text):
        try:
            parse_date(text)
        except DateError:
            pass

    source = "The quick brown fox. " * 40_000      # about 0.8 MB, normalised once, as ingest does
    locate_quote("warm", source)

    def quote(text):
        return locate_quote(text[:3000], source)

    out = []
    for fname, fn in (("ingest.markdown_title", markdown_title), ("ingest.html_to_text", html),
                      ("ingest._decode_html", meta), ("dates.parse_date", date), ("quotes.locate_quote", quote)):
        for label, text in inputs.items():
            t0 = time.process_time()
            try:
                fn(text)
            except BelieError:
                pass
            out.append((time.process_time() - t0, fname, label))
            if out[-1][0] > budget:
                print(f"SLOW {out[-1][0]:.2f}s  {fname} on {label!r}", flush=True)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=100_000, help="characters per input (default 100000)")
    ap.add_argument("--budget", type=float, default=5.0, help="seconds allowed per run (default 5)")
    args = ap.parse_args(argv)
    return run(args.size, args.budget)


if __name__ == "__main__":
    sys.exit(main())
