"""Turn a spreadsheet of claims (one a row, columns named as casefile.md keys) into claims.

Cells are text.  A cell holding several entities is written ``[a, b]`` or ``a; b``;
``denies`` reads yes/no/true/false/1/0; empty cells are left out.  Every row must name
exactly one claim kind.  Problems name the file and the row's line.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from belie.errors import InputError, Problem
from belie.model.schema import KEY_KIND, LIST_KEYS, SCHEMA

#: The columns a sheet may have: every claim key of the schema (belie/data/schema.yaml).
#: A column in LIST_KEYS holds several entities.
KNOWN = SCHEMA.all_claim_keys()
#: Columns read as yes / no.
BOOL_KEYS = {k for k, ks in SCHEMA.claim_common_keys.items() if ks.value == "bool"}
TRUE = {"true", "yes", "y", "1", "x"}
FALSE = {"false", "no", "n", "0", ""}


def _cell(key: str, value: str):
    v = value.strip()
    if key in BOOL_KEYS:
        if v.lower() in TRUE:
            return True
        if v.lower() in FALSE:
            return False
        raise ValueError(f"{key}: expected yes or no, got {value!r}")
    if key in LIST_KEYS:
        if v.startswith("["):
            try:
                items = yaml.safe_load(v)
            except (yaml.YAMLError, ValueError, OverflowError, RecursionError):
                items = None   # (PyYAML lets chr() fail on an escape such as "\U7fffffff")
            if not isinstance(items, list) or not all(isinstance(x, (str, int)) for x in items):
                raise ValueError(f"{key}: cannot read {value!r} as a list of ids such as [anna, boris]")
            return [str(x) for x in items]
        return [x.strip() for x in v.replace(",", ";").split(";") if x.strip()]
    return v


def read_claims_csv(path) -> list[dict]:
    path = Path(path)
    name = str(path)
    problems: list[Problem] = []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(name, None, None, f"cannot read: {exc.strerror}"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(Problem(name, line, None, "not UTF-8 text (save the sheet as CSV, UTF-8)"))
    if "\0" in text:
        line = text[: text.index("\0")].count("\n") + 1
        raise InputError(Problem(name, line, None, "not a CSV sheet: it holds binary data"))
    claims = []
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        return _read_rows(reader, name, problems, claims)
    except csv.Error as exc:
        if "end of data" in str(exc):
            # The reader stops at the end of the file; the row at fault began after the last one read.
            raise InputError(Problem(name, reader.line_num + 1, None,
                                     "cannot read the CSV: a quoted cell on this line is never closed"))
        raise InputError(Problem(name, reader.line_num or 1, None, f"cannot read the CSV: {exc}"))


def _read_rows(reader, name: str, problems: list, claims: list) -> list[dict]:
    header = reader.fieldnames or []
    if not header:
        raise InputError(Problem(name, 1, None, "the sheet is empty: expected a header row of claim keys"))
    import difflib

    for col, h in enumerate(header, 1):
        if h is None or h.strip() not in KNOWN:
            close = difflib.get_close_matches(str(h), sorted(KNOWN), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(name, 1, col, f"unknown column {h!r}{hint}"))
    seen: set[str] = set()
    for col, h in enumerate(header, 1):
        if h is not None and h.strip() in seen:
            problems.append(Problem(name, 1, col, f"column {h.strip()!r} appears twice"))
        seen.add(str(h).strip())
    if problems:
        raise InputError(problems)
    for row in reader:
        line = reader.line_num
        claim: dict = {}
        for key, value in row.items():
            if key is None:
                problems.append(Problem(name, line, None, "more cells than columns in the header"))
                continue
            key = key.strip()
            if value is None or not value.strip():
                continue
            try:
                claim[key] = _cell(key, value)
            except (ValueError, yaml.YAMLError) as exc:
                col = next((i for i, h in enumerate(header, 1) if h is not None and h.strip() == key), None)
                problems.append(Problem(name, line, col, str(exc)))
        if not claim:
            continue
        kinds = [k for k in KEY_KIND if k in claim]
        if len(kinds) != 1:
            problems.append(Problem(name, line, None,
                                    "row has no claim kind" if not kinds else
                                    f"row has {len(kinds)} kinds ({', '.join(kinds)}): give exactly one"))
            continue
        if "source" not in claim:
            problems.append(Problem(name, line, None, "row has no source"))
            continue
        claims.append(claim)
    if problems:
        raise InputError(problems)
    if not claims:
        raise InputError(Problem(name, 2, None, "no claims: the sheet has a header but no row with a value"))
    return claims


def claims_to_yaml(claims: list[dict]) -> str:
    """Claims as a `claims:` YAML document, one flow mapping a claim (as casefile.md writes them)."""
    lines = ["claims:"]
    for c in claims:
        body = yaml.safe_dump(c, default_flow_style=True, sort_keys=False, allow_unicode=True, width=10_000).strip()
        lines.append(f"  - {body}")
    return "\n".join(lines) + "\n"
