"""The parsed-claims cache: the claims of each bulk claims file (and of each YAML file
under ``claims/`` that holds claims only), as built, kept in the case's ``.belie/claims/``
folder so that an unchanged file is not read and checked again (docs/casefile.md,
"Claims in bulk"; issue 14).

One cache file per claims file (named by a hash of its path in the case), an Arrow IPC
file of columns: one row a claim, one column a field of `Claim`; the dates of a file as a
small table of distinct spans that the claims point into.  It is used only when its key
matches, and the key covers everything the claims are built from:

* the SHA-256 of the claims file's bytes;
* belie's version, the cache format and the schema (belie/data/schema.yaml);
* what the claims are checked and read against: the entities (id, type, names, nesting,
  coordinates, time zone), the sources (id, calendar, date, time zone) and the settings
  (date margins, time zone) -- so editing an entity or a source rebuilds the cache, while
  editing a description or another claims file does not.

A stale, unreadable or corrupt cache file, or one whose claims name an entity, source or
kind the case does not declare, is ignored (and rewritten after the claims are read from
the file).  It is written through a temporary file and renamed, so a reader never sees
half of one; a case folder that cannot be written keeps no cache and loses nothing.

The cache needs pyarrow (the extra ``bulk``).  Without it nothing is cached: a pickle
would load as fast but runs code when read, and a case folder may come from someone
else; numpy's ``.npz`` holds text and lists of ids only through pickled object arrays.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import fields as _fields
from operator import attrgetter
from pathlib import Path

from belie.model.claims import Claim
from belie.model.dates import DateSpan
from belie.limits import MAX_ID_CHARS, MAX_QUOTE_CHARS
from belie.model.schema import CLAIM_KINDS, SCHEMA

#: Bumped whenever the cache's columns or the way claims are built change.
FORMAT = 1
FOLDER = Path(".belie") / "claims"

_STR = ("id", "kind", "source", "where", "origin", "destination", "by", "scope", "reg_to", "reg_from",
        "serving", "stance", "text", "quote", "event", "speaker")
_LISTS = ("people", "lists")
_BOOLS = ("throughout", "denies", "generated_id")
_REFS = ("where", "origin", "destination", "reg_to", "reg_from", "serving", "speaker")
_DATE_FIELDS = ("text", "edtf", "qualifier", "calendar", "precision", "zone", "read")
_QUALIFIERS = (None, "approximate", "uncertain", "uncertain-approximate")
_PRECISIONS = ("day", "month", "season", "year", "decade", "interval", "open", "minute", "second")
_BY = {None, *(v for e in SCHEMA.enums.values() for v in e.values)}     # a register scope may name its own
_STANCES = {None, *SCHEMA.enum("stances")}
_SCOPES = {None, *SCHEMA.enum("register_scopes")}
#: The fields of `Claim` in order: the cache makes claims by position (_decode).
_ORDER = ("id", "kind", "source", "people", "where", "origin", "destination", "when", "throughout", "by",
          "scope", "lists", "reg_to", "reg_from", "serving", "stance", "text", "quote", "event", "denies",
          "note", "speaker", "generated_id", "file", "line", "raw")
assert tuple(f.name for f in _fields(Claim)) == _ORDER, "Claim's fields changed: update claimcache"


def available() -> bool:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.ipc  # noqa: F401
    except ImportError:
        return False
    return True


def _schema_digest() -> str:
    from importlib import resources

    return hashlib.sha256(resources.files("belie").joinpath("data/schema.yaml").read_bytes()).hexdigest()


def context_digest(entities: dict, sources: dict, settings) -> str:
    """A digest of what building a claim reads besides the claim itself."""
    from belie import __version__

    h = hashlib.sha256()
    h.update(repr((__version__, FORMAT, _schema_digest(), repr(settings))).encode())
    for e in entities.values():
        h.update(repr((e.id, e.type, e.names, e.within, e.at, (e.extra or {}).get("timezone"),
                       (e.extra or {}).get("country"))).encode())
    for s in sources.values():
        h.update(repr((s.id, s.calendar, s.said, (s.extra or {}).get("timezone"))).encode())
    return h.hexdigest()


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def holds(path: Path, source: Path) -> bool:
    """Whether the cache file *path* was made from *source* as its bytes are now (whatever
    the declarations were then: `load` checks the whole key)."""
    try:
        with open(path, "rb") as fh:
            head = fh.readline(200)
        return head.rstrip(b"\n").rsplit(b":", 1)[-1] == file_digest(source.read_bytes()).encode("ascii")
    except (OSError, ValueError):
        return False


def cache_path(root: Path, rel: str) -> Path:
    return root / FOLDER / (hashlib.sha256(rel.encode("utf-8")).hexdigest()[:32] + ".arrow")


# -- writing ---------------------------------------------------------------------------------

def _exact(v) -> bool:
    """Whether JSON gives *v* back as it is."""
    t = type(v)
    if t is str or t is bool or t is int or v is None:
        return True
    if t is float:
        return v == v and v not in (float("inf"), float("-inf"))
    if isinstance(v, list):            # a located list (LList) is written as a list
        return all(_exact(x) for x in v)
    if isinstance(v, dict):
        return all(type(k) is str and _exact(x) for k, x in v.items())
    return False


class _NotCacheable(Exception):
    """A claim holds a value the cache cannot keep exactly."""


#: Claims a record batch: the cache is written and read a slice at a time.
CHUNK = 1 << 16


def save(path: Path, key: str, claims: list[Claim], ids: list[str], whens: list,
         texts: "list[str] | None" = None) -> bool:
    """Write the cache file *path* for *claims* under *key*, atomically, one slice of claims
    at a time (bounded memory); *ids* and *whens* are the claims' ids and dates as built,
    before the case renamed duplicates or read days in a zone; *texts*, when the file gave
    them so (JSON Lines), each claim's mapping as JSON text.  False, and nothing written,
    when a claim holds a value the cache cannot keep exactly or the folder cannot be
    written."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    from belie.util import atomic_write_stream

    if texts is None and not all(_exact(c.raw) for c in claims):
        return False
    if not all(c.note is None or _exact(c.note) for c in claims):
        return False
    spans: dict[int, int] = {}
    table_rows: list[DateSpan] = []
    when_idx = []
    for w in whens:
        if w is None:
            when_idx.append(-1)
            continue
        i = spans.get(id(w))
        if i is None:
            i = spans[id(w)] = len(table_rows)
            table_rows.append(w)
        when_idx.append(i)
    dates = {f: [getattr(d, f) for d in table_rows] for f in _DATE_FIELDS}
    dates["earliest"] = [None if d.earliest is None else d.earliest.toordinal() for d in table_rows]
    dates["latest"] = [None if d.latest is None else d.latest.toordinal() for d in table_rows]
    dates["lo"] = [None if d.instants is None else d.instants[0] for d in table_rows]
    dates["hi"] = [None if d.instants is None else d.instants[1] for d in table_rows]
    names = (*_STR[1:], *_LISTS, *_BOOLS, "line")
    types = {**{n: pa.string() for n in _STR}, **{n: pa.list_(pa.string()) for n in _LISTS},
             **{n: pa.bool_() for n in _BOOLS}, "line": pa.int64(), "when": pa.int32(), "note": pa.string(),
             "raw": pa.string()}
    order = ("id", *names, "when", "note", "raw")
    schema = pa.schema([(n, types[n]) for n in order], metadata={"belie-dates": json.dumps(dates)})
    get = attrgetter(*names)

    def batch(lo: int, hi: int):
        part = claims[lo:hi]
        # One C call a claim for all its fields, then one column a field.
        by_field = dict(zip(names, zip(*map(get, part))))
        raw = texts[lo:hi] if texts is not None else [json.dumps(c.raw, ensure_ascii=False) for c in part]
        note = [None if c.note is None else json.dumps(c.note, ensure_ascii=False) for c in part]
        try:
            arrays = [pa.array(ids[lo:hi], pa.string()), *(pa.array(by_field[n], types[n]) for n in names),
                      pa.array(when_idx[lo:hi], pa.int32()), pa.array(note, pa.string()),
                      pa.array(raw, pa.string())]
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as exc:
            raise _NotCacheable(str(exc)) from exc
        return pa.record_batch(arrays, schema=schema)

    def write(fh):
        fh.write(key.encode("ascii") + b"\n")
        with ipc.new_file(fh, schema) as w:
            for lo in range(0, len(claims), CHUNK):
                w.write_batch(batch(lo, lo + CHUNK))

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_stream(path, write)
    except (OSError, _NotCacheable, pa.ArrowException):
        return False
    return True


# -- reading ---------------------------------------------------------------------------------

def load(path: Path, key: str, file: str, entities: dict, sources: dict) -> "list[Claim] | None":
    """The claims cached under *path* for *key*, with *file* as their file; None when there
    is no cache, it is stale or it does not hold up (see the module)."""
    import pyarrow as pa

    try:
        with open(path, "rb") as fh:
            head = fh.readline(200)
        if head.rstrip(b"\n") != key.encode("ascii"):
            return None
        data = pa.memory_map(str(path)).read_buffer().slice(len(head))
    except (OSError, ValueError, pa.ArrowException):
        return None
    try:
        return _decode(data, file, entities, sources)
    except Exception:      # noqa: BLE001 -- a corrupt cache is only a cache: read the file instead
        return None


def _sound(span: DateSpan) -> bool:
    """Whether a cached span is one the date reader could have made (its kinds of values)."""
    return (type(span.text) is str and type(span.edtf) is str and span.calendar in ("gregorian", "julian")
            and span.qualifier in _QUALIFIERS and span.precision in _PRECISIONS
            and all(v is None or type(v) is str for v in (span.zone, span.read))
            and (span.earliest is None or span.latest is None or span.earliest <= span.latest)
            and span.lo <= span.hi)


def _decode(data, file: str, entities: dict, sources: dict) -> "list[Claim] | None":
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.ipc as ipc

    table = ipc.open_file(pa.BufferReader(data)).read_all()
    meta = table.schema.metadata or {}
    d = json.loads(meta[b"belie-dates"])
    spans = []
    for i in range(len(d["edtf"])):
        e, l, lo, hi = d["earliest"][i], d["latest"][i], d["lo"][i], d["hi"][i]
        span = DateSpan(**{f: d[f][i] for f in _DATE_FIELDS},
                        earliest=None if e is None else _dt.date.fromordinal(e),
                        latest=None if l is None else _dt.date.fromordinal(l),
                        instants=None if lo is None else (int(lo), int(hi)))
        if not _sound(span):
            return None
        spans.append(span)
    # What the claims name must be declared in this case, and every value one the loader
    # could have made (a cache that does not hold up is ignored).
    if not set(table.column("kind").unique().to_pylist()) <= set(CLAIM_KINDS):
        return None
    for name, allowed in (("by", _BY), ("stance", _STANCES), ("scope", _SCOPES)):
        if not set(table.column(name).unique().to_pylist()) <= allowed:
            return None
    if (pc.max(pc.utf8_length(table.column("id"))).as_py() or 0) > MAX_ID_CHARS:
        return None
    if (pc.max(pc.utf8_length(table.column("quote"))).as_py() or 0) > MAX_QUOTE_CHARS:
        return None
    if not set(table.column("source").unique().to_pylist()) <= sources.keys():
        return None
    names = set()
    for name in _REFS:
        names.update(table.column(name).unique().to_pylist())
    for name in _LISTS:
        names.update(pc.list_flatten(table.column(name)).unique().to_pylist())
    names.discard(None)
    if not names <= entities.keys():
        return None
    when_col = table.column("when")
    if len(when_col) and (pc.min(when_col).as_py() < -1 or pc.max(when_col).as_py() >= len(spans)):
        return None
    out: list[Claim] = []
    append = out.append
    for batch in table.to_batches(max_chunksize=1 << 16):      # a slice at a time: bounded temporaries
        col = {name: batch.column(name).to_pylist() for name in batch.schema.names}
        raw = json.loads("[" + ",".join(col["raw"]) + "]")
        if len(raw) != batch.num_rows:
            return None
        note = [None if v is None else json.loads(v) for v in col["note"]]
        when = [None if w < 0 else spans[w] for w in col["when"]]
        for (cid, kind, source, people, where, origin, destination, w, throughout, by, scope, lists, reg_to,
             reg_from, serving, stance, text, quote, event, denies, nt, speaker, generated, line, rw) in zip(
                col["id"], col["kind"], col["source"], col["people"], col["where"], col["origin"],
                col["destination"], when, col["throughout"], col["by"], col["scope"], col["lists"],
                col["reg_to"], col["reg_from"], col["serving"], col["stance"], col["text"], col["quote"],
                col["event"], col["denies"], note, col["speaker"], col["generated_id"], col["line"], raw):
            append(Claim(cid, kind, source, tuple(people), where, origin, destination, w, throughout, by,
                         scope, tuple(lists), reg_to, reg_from, serving, stance, text, quote, event, denies,
                         nt, speaker, generated, file, line, rw))
    return out
