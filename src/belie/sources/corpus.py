"""Corpora at archive size: documents read in partitions, results written as Parquet.

A corpus is any mix of

* Parquet files (or folders of ``.parquet`` files) with the columns ``id`` and
  ``text`` and, optionally, ``date`` (an ISO date or a date type) and any other
  metadata columns, which are left alone;
* JSON Lines files (``.jsonl``, ``.ndjson``), one object a line with the same keys;
* folders of ``.txt`` / ``.md`` files and single text files (id: the path as given,
  joined with the path below the folder, as ``belie reuse`` names them; no date).

:func:`open_corpus` reads only what it needs to cut the corpus into partitions
(Parquet metadata, the file list, the line ends of a JSON Lines file); each partition
(:class:`Part`) is read by :func:`read_part` where it is processed, so a cluster run
never loads the whole corpus in one process.  Documents are numbered in the order of
the paths given, then of row groups, lines or sorted file names: the order of the
single-process run.

:func:`write_results` writes the pairs a reuse run finds as one Parquet table, one row
a passage (see docs/reuse.md, "Corpora at archive size"); :func:`read_results` reads it
back pair by pair, for a case to ingest (:func:`belie.sources.casereuse.ingest_results`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from belie.errors import InputError, MissingExtra, Problem

__all__ = ["Part", "Corpus", "open_corpus", "read_part", "read_all", "is_corpus",
           "results_path", "write_results", "read_results", "RESULT_COLUMNS",
           "TEXT_SUFFIXES", "read_text_file"]

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet", ".pq")
#: Documents per partition, unless the caller says otherwise (a Parquet row group
#: larger than this is one partition).
PART_DOCS = 20_000

RESULT_COLUMNS = ("pair", "a", "b", "a_date", "b_date", "score", "coverage_a", "coverage_b",
                  "a_start", "a_end", "b_start", "b_end", "a_text", "b_text")


def _pyarrow():
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise MissingExtra("reading and writing Parquet corpora", "bulk", "pyarrow") from exc
    import pyarrow
    return pyarrow


# ----------------------------------------------------------------------------- text files


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else Latin-1."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for enc in ("utf-8", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def read_text_file(path: Path, shown: str) -> str:
    """A text file's text; HTML and PDF through the extraction of ``belie add``."""
    if path.suffix.lower() in (".html", ".htm", ".pdf"):
        from belie.store.ingest import extract_text

        return extract_text(path)[0]
    try:
        return _decode(path.read_bytes())
    except OSError as exc:
        raise InputError(Problem(shown, None, None, f"cannot read: {exc.strerror or exc}")) from exc


# ----------------------------------------------------------------------------- partitions


@dataclass(frozen=True)
class Part:
    """One partition of a corpus: ``count`` documents, the first numbered ``first``."""

    kind: str                       # "parquet" | "jsonl" | "text"
    path: str                       # the file (parquet, jsonl) or "" (text)
    first: int
    count: int
    row_groups: tuple[int, ...] = ()                 # parquet
    byte_start: int = 0                              # jsonl: [byte_start, byte_end)
    byte_end: int = 0
    line: int = 1                                    # jsonl: line number of byte_start
    files: tuple[tuple[str, str], ...] = ()          # text: (file, id)


@dataclass
class Corpus:
    parts: list[Part] = field(default_factory=list)
    ndocs: int = 0
    dated: bool = False             # some partition has a date column


def is_corpus(path: str | Path) -> bool:
    """A Parquet or JSON Lines file, or a folder holding Parquet files."""
    p = Path(path)
    if p.is_file():
        return p.suffix.lower() in PARQUET_SUFFIXES + JSONL_SUFFIXES
    return p.is_dir() and any(p.glob("*.parquet"))


def _parquet_parts(path: Path, shown: str, first: int, part_docs: int) -> list[Part]:
    _pyarrow()
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds
        raise InputError(Problem(shown, None, None, f"not a readable Parquet file: {exc}")) from exc
    names = set(meta.schema_arrow.names)
    missing = [c for c in ("id", "text") if c not in names]
    if missing:
        raise InputError(Problem(shown, None, None,
                                 "a corpus needs the columns `id` and `text`; missing: "
                                 + ", ".join(f"`{c}`" for c in missing)))
    parts, groups, count = [], [], 0
    for g in range(meta.num_row_groups):
        rows = meta.metadata.row_group(g).num_rows
        if groups and count + rows > part_docs:
            parts.append(Part("parquet", str(path), first, count, tuple(groups)))
            first, groups, count = first + count, [], 0
        groups.append(g)
        count += rows
    if groups:
        parts.append(Part("parquet", str(path), first, count, tuple(groups)))
    return parts


def _jsonl_parts(path: Path, shown: str, first: int, part_docs: int) -> list[Part]:
    """Cut a JSON Lines file at line ends, ``part_docs`` non-blank lines a part."""
    parts = []
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise InputError(Problem(shown, None, None, f"cannot read: {exc.strerror or exc}")) from exc
    with fh:
        start, start_line, line, count, pos = 0, 1, 1, 0, 0
        for raw in fh:
            pos += len(raw)
            line += 1
            if raw.strip():
                count += 1
            if count == part_docs:
                parts.append(Part("jsonl", str(path), first, count, byte_start=start,
                                  byte_end=pos, line=start_line))
                first, count, start, start_line = first + count, 0, pos, line
        if count:
            parts.append(Part("jsonl", str(path), first, count, byte_start=start,
                              byte_end=pos, line=start_line))
    return parts


def open_corpus(paths, part_docs: int = PART_DOCS) -> Corpus:
    """Cut PATHS into partitions without reading the documents (see the module)."""
    corpus = Corpus()
    problems: list[Problem] = []
    text_files: list[tuple[str, str]] = []

    def flush_text():
        nonlocal text_files
        for i in range(0, len(text_files), part_docs):
            chunk = tuple(text_files[i:i + part_docs])
            corpus.parts.append(Part("text", "", corpus.ndocs, len(chunk), files=chunk))
            corpus.ndocs += len(chunk)
        text_files = []

    for given in paths:
        path = Path(given)
        try:
            if path.is_file() and path.suffix.lower() in PARQUET_SUFFIXES + JSONL_SUFFIXES:
                flush_text()
                files = [path]
            elif path.is_dir() and any(path.glob("*.parquet")):
                flush_text()
                files = sorted(path.glob("*.parquet"))
            elif path.is_dir():
                found = sorted(p for p in path.rglob("*")
                               if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
                if not found:
                    problems.append(Problem(given, None, None,
                                            "folder holds no .txt, .md or .parquet files"))
                text_files += [(str(f), str(path / f.relative_to(path))) for f in found]
                continue
            elif path.is_file():
                text_files.append((str(path), given))
                continue
            elif not path.exists():
                problems.append(Problem(given, None, None, "no such file or folder"))
                continue
            else:
                problems.append(Problem(given, None, None, "not a regular file or folder"))
                continue
            for f in files:
                shown = str(f)
                if f.suffix.lower() in JSONL_SUFFIXES:
                    parts = _jsonl_parts(f, shown, corpus.ndocs, part_docs)
                    corpus.dated = True
                else:
                    parts = _parquet_parts(f, shown, corpus.ndocs, part_docs)
                    import pyarrow.parquet as pq

                    corpus.dated |= "date" in pq.ParquetFile(f).schema_arrow.names
                corpus.parts += parts
                corpus.ndocs += sum(p.count for p in parts)
        except InputError as exc:
            problems.extend(exc.problems)
    flush_text()
    if problems:
        raise InputError(problems)
    return corpus


def _as_id(value, shown: str, line: int | None) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InputError(Problem(shown, line, None,
                                 f"`id` must be a string or a whole number, not {value!r}"))
    text = str(value)
    if not text.strip():
        raise InputError(Problem(shown, line, None, "`id` is empty"))
    return text


def _as_date(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def read_part(part: Part) -> tuple[list[str], list[str | None], list[str]]:
    """The ids, dates (ISO strings or None) and texts of one partition, in order."""
    if part.kind == "text":
        ids = [ident for _f, ident in part.files]
        texts = [read_text_file(Path(f), f) for f, _i in part.files]
        return ids, [None] * len(ids), texts
    if part.kind == "parquet":
        _pyarrow()
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(part.path)
        cols = ["id", "text"] + (["date"] if "date" in pf.schema_arrow.names else [])
        table = pf.read_row_groups(list(part.row_groups), columns=cols)
        ids_raw = table.column("id").to_pylist()
        texts = table.column("text").to_pylist()
        dates = ([_as_date(d) for d in table.column("date").to_pylist()] if "date" in cols
                 else [None] * len(ids_raw))
        ids = [_as_id(v, part.path, None) for v in ids_raw]
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise InputError(Problem(part.path, None, None,
                                         f"document {ids[i]!r}: `text` must be a string, "
                                         f"not {t!r}"))
        return ids, dates, texts
    # JSON Lines
    ids, dates, texts = [], [], []
    with open(part.path, "rb") as fh:
        fh.seek(part.byte_start)
        raw = fh.read(part.byte_end - part.byte_start)
    for k, line in enumerate(raw.split(b"\n")):
        lineno = part.line + k
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            col = getattr(exc, "colno", None)
            raise InputError(Problem(part.path, lineno, col,
                                     f"not a JSON object: {getattr(exc, 'msg', exc)}")) from exc
        if not isinstance(obj, dict):
            raise InputError(Problem(part.path, lineno, 1, "each line must be a JSON object"))
        for key in ("id", "text"):
            if key not in obj:
                raise InputError(Problem(part.path, lineno, None, f"no `{key}`"))
        if not isinstance(obj["text"], str):
            raise InputError(Problem(part.path, lineno, None, "`text` must be a string"))
        ids.append(_as_id(obj["id"], part.path, lineno))
        dates.append(_as_date(obj.get("date")))
        texts.append(obj["text"])
    return ids, dates, texts


def read_all(corpus: Corpus) -> tuple[dict[str, str], dict[str, str | None]]:
    """The whole corpus in one process (the single-process run): id -> text, id -> date.

    A repeated id is an input error (the single-process and cluster runs would
    otherwise count its documents differently).
    """
    texts: dict[str, str] = {}
    dates: dict[str, str | None] = {}
    for part in corpus.parts:
        ids, ds, ts = read_part(part)
        for i, d, t in zip(ids, ds, ts):
            if i in texts:
                raise InputError(Problem(part.path or i, None, None,
                                         f"the id {i!r} is given to more than one document"))
            texts[i] = t
            dates[i] = d
    return texts, dates


# ----------------------------------------------------------------------------- results


def results_path(paths) -> Path:
    """Where a corpus run writes its results: ``NAME.reuse.parquet`` beside the first
    path (``press.parquet`` -> ``press.reuse.parquet``; ``press/`` -> ``press.reuse.parquet``)."""
    first = Path(paths[0])
    name = first.name if first.is_dir() else first.stem
    return first.parent / f"{name}.reuse.parquet"


def _schema():
    pa = _pyarrow()
    return pa.schema([("pair", pa.int64()), ("a", pa.string()), ("b", pa.string()),
                      ("a_date", pa.string()), ("b_date", pa.string()),
                      ("score", pa.float64()), ("coverage_a", pa.float64()),
                      ("coverage_b", pa.float64()),
                      ("a_start", pa.int64()), ("a_end", pa.int64()),
                      ("b_start", pa.int64()), ("b_end", pa.int64()),
                      ("a_text", pa.string()), ("b_text", pa.string())])


def write_results(path, pairs, dates) -> int:
    """Write ``pairs`` (ReusePairs, in output order) as Parquet, one row a passage;
    ``dates`` maps ids to ISO dates (or None).  Atomic.  Returns the rows written."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    from belie.util import atomic_write_bytes

    cols: dict[str, list] = {c: [] for c in RESULT_COLUMNS}
    for k, pair in enumerate(pairs):
        for q in pair.passages:
            cols["pair"].append(k)
            cols["a"].append(pair.a)
            cols["b"].append(pair.b)
            cols["a_date"].append(dates.get(pair.a))
            cols["b_date"].append(dates.get(pair.b))
            cols["score"].append(pair.score)
            cols["coverage_a"].append(pair.coverage_a)
            cols["coverage_b"].append(pair.coverage_b)
            for key in ("a_start", "a_end", "b_start", "b_end", "a_text", "b_text"):
                cols[key].append(getattr(q, key))
    table = pa.table(cols, schema=_schema())
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, row_group_size=100_000)
    atomic_write_bytes(path, sink.getvalue().to_pybytes())
    return table.num_rows


def read_results(path):
    """Yield ``(ReusePair, a_date, b_date)`` from a results file, pair by pair."""
    _pyarrow()
    import pyarrow.parquet as pq

    from belie.sources.reuse import Passage, ReusePair

    shown = str(path)
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds
        raise InputError(Problem(shown, None, None, f"not a readable Parquet file: {exc}")) from exc
    missing = [c for c in RESULT_COLUMNS if c not in pf.schema_arrow.names]
    if missing:
        raise InputError(Problem(shown, None, None,
                                 "not a belie reuse results file; missing columns: "
                                 + ", ".join(missing)))
    current, head, passages = None, None, []
    for batch in pf.iter_batches(columns=list(RESULT_COLUMNS)):
        for row in batch.to_pylist():
            if row["pair"] != current:
                if head is not None:
                    yield _pair(head, passages, ReusePair)
                current, head, passages = row["pair"], row, []
            passages.append(Passage(row["a_start"], row["a_end"], row["b_start"], row["b_end"],
                                    row["a_text"], row["b_text"]))
    if head is not None:
        yield _pair(head, passages, ReusePair)


def _pair(head, passages, ReusePair):
    pair = ReusePair(head["a"], head["b"], head["score"], passages, head["coverage_a"],
                     head["coverage_b"])
    return pair, head["a_date"], head["b_date"]
