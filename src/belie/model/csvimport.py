"""Turn a spreadsheet of claims (one a row, columns named as casefile.md keys) into claims.

Cells are text.  A cell holding several entities is written ``[a, b]`` or ``a; b``;
``denies`` reads yes/no/true/false/1/0; empty cells are left out.  Every row must name
exactly one claim kind.  Problems name the file, the row's line and the cell's column.

Given the case's entities, a cell may name an entity by one of its names ("Rhona Vell")
as well as by its id (`resolve_names`).  The columns that `belie export --to csv` adds
(`EXPORT_ONLY_COLUMNS`: computed from the claim, never read) are accepted and skipped,
so an exported sheet reads back as the same claims.
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
#: Columns `belie export --to csv` writes beside the claim's own keys: computed from the
#: claim (the date's EDTF and bounds, the findings that touch it); skipped on import.
EXPORT_ONLY_COLUMNS = ("edtf", "earliest", "latest", "findings")
#: The columns whose cells name entities (by id, or with a case, by name).
ENTITY_KEYS = frozenset(
    [k.key for k in SCHEMA.kinds.values() if k.subject.value == "entity"]
    + [a for k in SCHEMA.kinds.values() if k.subject.value == "entity" for a in k.aliases]
    + [kn for k in SCHEMA.kinds.values() for kn, ks in k.keys.items() if ks.value == "entity"]
    + [kn for kn, ks in SCHEMA.claim_common_keys.items() if ks.value == "entity"])
TRUE = {"true", "yes", "y", "1", "x"}
FALSE = {"false", "no", "n", "0", ""}


def cell(key: str, value: str):
    """A spreadsheet cell's text as the value of claim key *key* (ValueError if it cannot be)."""
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


def header_problems(header, name: str, line: int | None, extra=()) -> list[Problem]:
    """Unknown and repeated column names of a sheet's header (columns numbered from 1);
    *extra* names columns accepted beside the claim keys."""
    import difflib

    problems = []
    for col, h in enumerate(header, 1):
        if h is None or h.strip() not in KNOWN and h.strip() not in extra:
            close = difflib.get_close_matches(str(h), sorted(KNOWN), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(name, line, col, f"unknown column {h!r}{hint}"))
    seen: set[str] = set()
    for col, h in enumerate(header, 1):
        if h is not None and h.strip() in seen:
            problems.append(Problem(name, line, col, f"column {h.strip()!r} appears twice"))
        seen.add(str(h).strip())
    return problems


def read_claims_csv(path) -> list[dict]:
    """The claims of a sheet (see the module); InputError naming row and column on mistakes."""
    return read_claims_csv_located(path)[0]


def read_claims_csv_located(path) -> tuple[list[dict], list[dict[str, tuple[int, int]]]]:
    """The claims of a sheet, and for each the (line, column) in the sheet of each key."""
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
    claims: list[dict] = []
    where: list[dict] = []
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        return _read_rows(reader, name, problems, claims, where), where
    except csv.Error as exc:
        if "end of data" in str(exc):
            # The reader stops at the end of the file; the row at fault began after the last one read.
            raise InputError(Problem(name, reader.line_num + 1, None,
                                     "cannot read the CSV: a quoted cell on this line is never closed"))
        raise InputError(Problem(name, reader.line_num or 1, None, f"cannot read the CSV: {exc}"))


def _read_rows(reader, name: str, problems: list, claims: list, where: list) -> list[dict]:
    header = reader.fieldnames or []
    if not header:
        raise InputError(Problem(name, 1, None, "the sheet is empty: expected a header row of claim keys"))
    problems.extend(header_problems(header, name, 1, extra=EXPORT_ONLY_COLUMNS))
    if problems:
        raise InputError(problems)
    column = {h.strip(): i for i, h in enumerate(header, 1) if h is not None}
    for row in reader:
        line = reader.line_num
        claim: dict = {}
        for key, value in row.items():
            if key is None:
                problems.append(Problem(name, line, None, "more cells than columns in the header"))
                continue
            key = key.strip()
            if value is None or not value.strip() or key in EXPORT_ONLY_COLUMNS:
                continue
            try:
                claim[key] = cell(key, value)
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
        where.append({k: (line, column.get(k)) for k in claim} | {"": (line, None)})
    if problems:
        raise InputError(problems)
    if not claims:
        raise InputError(Problem(name, 2, None, "no claims: the sheet has a header but no row with a value"))
    return claims


def resolve_names(claims: list[dict], entities, where: list[dict] | None = None, file: str = "",
                  problems: list[Problem] | None = None) -> list[dict]:
    """The claims with every entity named by one of its names replaced by its id.

    A cell that is an id stays as it is; one that matches the names of exactly one
    entity (case, accents and punctuation aside) becomes its id; one that matches
    several is an error naming them (at the sheet's row and column, from ``where``);
    anything else is left for the loader to report (with its did-you-mean).  Given a
    ``problems`` list, the errors are added to it instead of raised.
    """
    raise_them = problems is None
    from belie.model.places import normalize_name

    by_name: dict[str, list[str]] = {}
    for eid, e in entities.items():
        for n in dict.fromkeys([*(e.names or []), str(eid)]):
            key = normalize_name(str(n))
            if key and eid not in by_name.setdefault(key, []):
                by_name[key].append(eid)
    problems = [] if problems is None else problems
    out = []
    for i, claim in enumerate(claims):
        new = dict(claim)
        for key, value in claim.items():
            if key not in ENTITY_KEYS:
                continue

            def one(v):
                v = str(v)
                if v in entities:
                    return v
                got = by_name.get(normalize_name(v), [])
                if len(got) == 1:
                    return got[0]
                if len(got) > 1:
                    line, col = (where[i].get(key) if where else None) or (None, None)
                    problems.append(Problem(file, line, col, f"{key}: {v!r} names {len(got)} entities "
                                                             f"({', '.join(got)}): write the id"))
                return v

            new[key] = [one(v) for v in value] if isinstance(value, list) else one(value)
        out.append(new)
    if problems and raise_them:
        raise InputError(problems)
    return out


def claims_to_yaml(claims: list[dict]) -> str:
    """Claims as a `claims:` YAML document, one flow mapping a claim (as casefile.md writes them)."""
    return "\n".join(["claims:"] + [_flow(c) for c in claims]) + "\n"


def _flow(claim: dict) -> str:
    body = yaml.safe_dump(claim, default_flow_style=True, sort_keys=False, allow_unicode=True, width=10_000).strip()
    return f"  - {body}"


def sheet_position(claims: list[dict], where: list[dict], line: int | None, col: int | None,
                   message: str) -> tuple[int, int | None] | None:
    """Where in the sheet a problem at (line, col) of `claims_to_yaml(claims)` lies: the
    row of the claim on that line, and the column of the key at (or named by) that place."""
    if line is None or not 2 <= line < len(claims) + 2:
        return None
    i = line - 2
    keys = list(claims[i])
    key = message.split(":", 1)[0].strip()
    if key not in keys and col is not None:
        text, start = _flow(claims[i]), 0
        for k in keys:                       # the last key that begins at or before col
            at = text.find(f"{k}: ", start)
            if at < 0 or at + 1 > col:
                break
            key, start = k, at + len(k)
    return where[i].get(key) or where[i][""]
