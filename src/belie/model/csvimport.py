"""Turn a spreadsheet of claims (one a row, columns named as casefile.md keys) into claims.

Cells are text.  A cell holding several entities is written ``[a, b]`` or ``a; b``;
``denies`` reads yes/no/true/false/1/0; empty cells are left out.  Every row must name
exactly one claim kind.  Problems name the file and the row's line.
"""
from __future__ import annotations

import csv
from pathlib import Path

import yaml

from belie.errors import InputError, Problem
from belie.model.claims import COMMON_KEYS, KEY_KIND, KIND_KEYS

LIST_KEYS = {"meeting", "message", "lists", "stance", "about"}
KNOWN = set(KEY_KIND) | set(COMMON_KEYS) | {k for v in KIND_KEYS.values() for k in v}
TRUE = {"true", "yes", "y", "1", "x"}
FALSE = {"false", "no", "n", "0", ""}


def _cell(key: str, value: str):
    v = value.strip()
    if key == "denies":
        if v.lower() in TRUE:
            return True
        if v.lower() in FALSE:
            return False
        raise ValueError(f"denies: expected yes or no, got {value!r}")
    if key in LIST_KEYS:
        if v.startswith("["):
            items = yaml.safe_load(v)
            if not isinstance(items, list):
                raise ValueError(f"{key}: cannot read {value!r} as a list")
            return [str(x) for x in items]
        return [x.strip() for x in v.replace(",", ";").split(";") if x.strip()]
    return v


def read_claims_csv(path) -> list[dict]:
    path = Path(path)
    name = str(path)
    problems: list[Problem] = []
    try:
        fh = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(Problem(name, None, None, f"cannot read: {exc.strerror}"))
    claims = []
    with fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        if not header:
            raise InputError(Problem(name, 1, None, "the sheet is empty: expected a header row of claim keys"))
        import difflib

        for col, h in enumerate(header, 1):
            if h is None or h.strip() not in KNOWN:
                close = difflib.get_close_matches(str(h), sorted(KNOWN), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problems.append(Problem(name, 1, col, f"unknown column {h!r}{hint}"))
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
                    problems.append(Problem(name, line, header.index(key) + 1, str(exc)))
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
    return claims


def claims_to_yaml(claims: list[dict]) -> str:
    """Claims as a `claims:` YAML document, one flow mapping a claim (as casefile.md writes them)."""
    lines = ["claims:"]
    for c in claims:
        body = yaml.safe_dump(c, default_flow_style=True, sort_keys=False, allow_unicode=True, width=10_000).strip()
        lines.append(f"  - {body}")
    return "\n".join(lines) + "\n"
