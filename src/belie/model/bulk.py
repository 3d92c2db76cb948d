"""Claims in bulk: JSON Lines, CSV and Parquet files under ``claims/`` (belie's extension
of the case file, docs/casefile.md "Claims in bulk").

Each format holds claims only, one a line or row, with the keys of a YAML claim.  Every
reader returns an `LList` of `LDict` claims carrying the line (JSON Lines, CSV) or row
number (Parquet) and, for each key, its column, so the loader validates them by the same
schema-driven code as a YAML claim and names file, line and column in its messages:

* ``*.jsonl``: one JSON object a line (stdlib ``json``); blank lines are skipped.  The
  column of a key is found in the line's text when a problem must be reported
  (``located=True``).
* ``*.csv``: a header row of claim keys, then one claim a row, cells as the spreadsheet
  import reads them (belie.model.csvimport: ``[a, b]`` or ``a; b`` for several
  entities, yes/no for ``denies``, empty cells left out).  The column is the cell's.
* ``*.parquet``: one column a key (text, lists of text, booleans; null leaves the key
  out), read with pyarrow (the optional extra ``bulk``).  The "line" of a problem is the
  row number (1 = the first row) and the column the column's number.
"""
from __future__ import annotations

import json
from pathlib import Path

from belie.errors import InputError, Problem
from belie.model.yamlread import LDict, LList

#: The bulk formats, by suffix.
SUFFIXES = (".jsonl", ".csv", ".parquet")


def read_bulk(path: Path, display: str, *, located: bool) -> LList:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return read_jsonl(path, display, located=located)
    if suffix == ".csv":
        return read_csv(path, display)
    if suffix == ".parquet":
        return read_parquet(path, display)
    raise ValueError(f"not a bulk claims file: {path}")


def _text(path: Path, name: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(name, None, None, f"cannot read: {exc.strerror}"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(Problem(name, line, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))


class _Duplicate(ValueError):
    pass


def _pairs(pairs):
    d = LDict(pairs)
    if len(d) != len(pairs):
        seen = set()
        for k, _ in pairs:
            if k in seen:
                raise _Duplicate(k)
            seen.add(k)
    return d


def _key_columns(text: str, keys) -> dict:
    """The column (1-based) of each top-level key of the JSON object written in *text*."""
    decoder = json.JSONDecoder()
    out = {}
    i = text.index("{") + 1
    n = len(text)
    while i < n:
        while i < n and text[i] in " \t,\r\n":
            i += 1
        if i >= n or text[i] == "}":
            break
        key, end = decoder.raw_decode(text, i)
        out[key] = i + 1
        j = text.index(":", end) + 1
        while j < n and text[j] in " \t\r\n":
            j += 1
        _, i = decoder.raw_decode(text, j)
    return out


def read_jsonl(path: Path, name: str, *, located: bool = False) -> LList:
    text = _text(path, name)
    out = LList()
    out.line, out.col = 1, 1
    out.item_pos = []
    out.texts = []          # each item's line: the text the parsed-claims cache keeps as its `raw`
    loads = json.JSONDecoder(object_pairs_hook=_pairs).decode
    problems = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            value = loads(line)
        except _Duplicate as exc:
            col = None
            if located:
                col = _first_duplicate_column(line, exc.args[0])
            problems.append(Problem(name, n, col, f"duplicate key {exc.args[0]!r}"))
            continue
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, n, exc.colno, f"not valid JSON: {exc.msg}"))
            continue
        except RecursionError:
            problems.append(Problem(name, n, None, "not readable JSON: nested too deeply"))
            continue
        if isinstance(value, LDict):
            value.line, value.col = n, 1
            if located:
                try:
                    cols = _key_columns(line, value)
                except ValueError:
                    cols = {}
                value.key_pos = {k: (n, cols.get(k, 1)) for k in value}
        out.append(value)
        out.item_pos.append((n, 1))
        out.texts.append(line)
    if problems:
        raise InputError(problems)
    return out


def _first_duplicate_column(line: str, key) -> int | None:
    needle = json.dumps(key, ensure_ascii=False)
    first = line.find(needle)
    second = line.find(needle, first + 1) if first >= 0 else -1
    return second + 1 if second >= 0 else None


def _check_columns(header: list, name: str, line: int) -> list[Problem]:
    from belie.model.csvimport import header_problems

    return header_problems(header, name, line)


def read_csv(path: Path, name: str) -> LList:
    import csv
    import io

    from belie.model.csvimport import cell

    text = _text(path, name)
    if "\0" in text:
        line = text[: text.index("\0")].count("\n") + 1
        raise InputError(Problem(name, line, None, "not a CSV sheet: it holds binary data"))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out = LList()
    out.line, out.col = 1, 1
    out.item_pos = []
    problems: list[Problem] = []
    try:
        header = next(reader, None)
        if not header:
            return out
        problems = _check_columns(header, name, 1)
        if problems:
            raise InputError(problems)
        keys = [h.strip() for h in header]
        width = len(keys)
        last = 1
        for row in reader:
            line = last + 1                      # the line the row begins on
            last = reader.line_num
            if not any(v.strip() for v in row):
                continue
            if len(row) > width:
                problems.append(Problem(name, line, width + 1, "more cells than columns in the header"))
                continue
            claim = LDict()
            claim.line, claim.col = line, 1
            claim.key_pos = {}
            for col, (key, value) in enumerate(zip(keys, row), 1):
                if not value.strip():
                    continue
                try:
                    claim[key] = cell(key, value)
                except ValueError as exc:
                    problems.append(Problem(name, line, col, str(exc)))
                claim.key_pos[key] = (line, col)
            out.append(claim)
            out.item_pos.append((line, 1))
    except csv.Error as exc:
        raise InputError(Problem(name, reader.line_num or 1, None, f"cannot read the CSV: {exc}"))
    if problems:
        raise InputError(problems)
    return out


def read_parquet(path: Path, name: str) -> LList:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(Problem(name, None, None,
                                 "reading Parquet claims needs pyarrow, which is not installed: "
                                 "pip install 'belie[bulk]' (or write the claims as JSON Lines, *.jsonl)"))
    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as exc:
        raise InputError(Problem(name, None, None, f"cannot read as Parquet: {exc}"))
    keys = list(table.column_names)
    problems = _check_columns(keys, name, None)
    if problems:
        raise InputError(problems)
    columns = [table.column(k).to_pylist() for k in keys]
    out = LList()
    out.line, out.col = 1, 1
    out.item_pos = []
    cols = list(enumerate(zip(keys, columns), 1))
    for i in range(table.num_rows):
        row = i + 1
        claim = LDict()
        claim.line, claim.col = row, 1
        claim.key_pos = pos = {}
        for col, (key, values) in cols:
            v = values[i]
            if v is None:
                continue
            claim[key] = v
            pos[key] = (row, col)
        out.append(claim)
        out.item_pos.append((row, 1))
    return out
