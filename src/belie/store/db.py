"""The case store: one SQLite file per case, at ``<case>/.belie/case.sqlite``.

The store holds what belie has read and decided about a case: the ingested
sources (hash, size, extracted text), the claims as last loaded, candidate
claims proposed by extraction and the reviewers' decisions on them, the
findings of each run, and text-reuse edges.  See docs/store.md.

It is a plain SQLite database -- ordinary tables, TEXT/INTEGER/REAL columns,
JSON kept as TEXT -- so ``sqlite3 case/.belie/case.sqlite`` and
``datasette case/.belie/case.sqlite`` open it as is.

Rules of the house:

* every write runs inside one transaction (``with store.transaction(): ...``,
  which issues ``BEGIN IMMEDIATE``); nested ``transaction()`` blocks become
  savepoints of the outer one;
* the database is in WAL mode with ``synchronous=FULL``: a committed
  transaction survives a kill or a power cut;
* the schema carries its version in ``PRAGMA user_version``; opening an older
  store applies the missing migrations in one transaction, and a store newer
  than this code raises :class:`StoreVersionError`.

Claims, candidates and findings are generic: dicts serialised as JSON.  The
model's dataclasses are built from them elsewhere.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from belie.errors import BelieError, InputError, Problem

STORE_DIR = ".belie"
STORE_FILE = "case.sqlite"

REVIEW_STATUSES = ("proposed", "accepted", "rejected", "edited")


def store_path(case_dir: str | Path) -> Path:
    """Where the store of the case in *case_dir* lives."""
    return Path(case_dir) / STORE_DIR / STORE_FILE


def utc_now() -> str:
    """The current time, UTC, ISO 8601 with seconds and a ``Z``-free offset."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


#: The claims' data: keys sorted (a claim's text is compared with the stored one), no
#: spaces (a million claims are stored); one encoder for them all.
_CLAIM_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode


def _dumps_ordered(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _snapshot_digest(run_id: int, inputs: str, state: str, data: str, findings: list[str]) -> str:
    """SHA-256 over a check snapshot and its run's findings as stored (lengths delimit)."""
    h = hashlib.sha256(f"{run_id}\0{inputs}\0{len(state)}\0{state}\0{len(data)}\0".encode())
    h.update(data.encode())
    for text in findings:
        h.update(f"\0{len(text)}\0".encode())
        h.update(text.encode())
    return h.hexdigest()


def _loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


# --------------------------------------------------------------------------
# Errors


class StoreVersionError(InputError):
    """The store was written by a newer belie than this one."""

    def __init__(self, path: Path, found: int, known: int):
        self.path, self.found, self.known = path, found, known
        super().__init__(Problem(
            str(path), None, None,
            f"this case store has schema version {found}, but this belie only knows "
            f"versions up to {known}; upgrade belie to open it (the store was not changed)"))


class ConflictError(BelieError):
    """A review decision was made against a stale version of the candidate.

    Someone else (another browser tab, another reviewer) decided on it first.
    ``current`` is the candidate as it now stands, so the caller can show it
    and ask again.
    """

    def __init__(self, candidate_id: str, expected_version: int, current: dict):
        self.candidate_id = candidate_id
        self.expected_version = expected_version
        self.current = current
        who = current.get("reviewer") or "someone"
        super().__init__(
            f"candidate {candidate_id!r} changed since you loaded it: you had version "
            f"{expected_version}, it is now version {current['version']} "
            f"({current['status']} by {who} at {current.get('decided_at') or '?'}); "
            f"reload it and decide again")


# --------------------------------------------------------------------------
# Records


@dataclass
class SourceRecord:
    """One ingested source file, as stored in the ``sources`` table.

    ``status`` and ``previous_sha256`` describe what the last ingest did
    (``added`` | ``unchanged`` | ``changed``); they are not stored.
    """

    id: str
    file: str
    sha256: str
    size: int
    media_type: str
    ingested_at: str
    text: str
    kind: str | None = None
    title: str | None = None
    chars: int | None = None
    status: str = field(default="added", compare=False)
    previous_sha256: str | None = field(default=None, compare=False)
    #: what was assumed in reading the file (an encoding), to tell the user; not stored
    note: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.chars is None:
            self.chars = len(self.text)

    COLUMNS = ("id", "kind", "file", "sha256", "size", "media_type", "ingested_at",
               "text", "title", "chars")

    def row(self) -> tuple:
        return tuple(getattr(self, c) for c in self.COLUMNS)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "SourceRecord":
        return cls(**{c: row[c] for c in cls.COLUMNS}, status="unchanged")

    def to_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------
# Schema and migrations
#
# Each migration takes the connection, inside the open transaction, and brings
# the schema from version N-1 to N (N = its position in MIGRATIONS, from 1).
# Never edit a released migration: append a new one.  Statements run one by
# one with ``execute`` -- ``executescript`` would COMMIT the transaction.


def _run(conn: sqlite3.Connection, *statements: str) -> None:
    for sql in statements:
        conn.execute(sql)


def _m1_initial(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        """CREATE TABLE sources (
            id          TEXT PRIMARY KEY,
            kind        TEXT,
            file        TEXT NOT NULL,
            sha256      TEXT NOT NULL,
            size        INTEGER NOT NULL,
            media_type  TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            text        TEXT NOT NULL
        )""",
        "CREATE INDEX sources_sha256 ON sources(sha256)",
        """CREATE TABLE claims (
            id           TEXT PRIMARY KEY,
            seq          INTEGER NOT NULL,
            kind         TEXT,
            source_id    TEXT,
            data         TEXT NOT NULL,
            file         TEXT,
            line         INTEGER,
            quote_start  INTEGER,
            quote_end    INTEGER,
            quote_status TEXT
        )""",
        "CREATE INDEX claims_source ON claims(source_id)",
        """CREATE TABLE runs (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at TEXT NOT NULL,
            kind       TEXT NOT NULL
        )""",
        """CREATE TABLE findings (
            id       INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            rule     TEXT,
            severity TEXT,
            data     TEXT NOT NULL
        )""",
        "CREATE INDEX findings_run ON findings(run_id)",
    )


def _m2_review(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        """CREATE TABLE review (
            id         TEXT PRIMARY KEY,
            source_id  TEXT,
            data       TEXT NOT NULL,
            status     TEXT NOT NULL DEFAULT 'proposed'
                       CHECK (status IN ('proposed', 'accepted', 'rejected', 'edited')),
            reviewer   TEXT,
            decided_at TEXT,
            version    INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX review_status ON review(status)",
        "CREATE INDEX review_source ON review(source_id)",
        """CREATE TABLE decisions (
            id       INTEGER PRIMARY KEY AUTOINCREMENT,
            target   TEXT NOT NULL,
            decision TEXT NOT NULL,
            reviewer TEXT,
            at       TEXT NOT NULL,
            before   TEXT,
            after    TEXT
        )""",
        "CREATE INDEX decisions_target ON decisions(target)",
        """CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
           BEGIN SELECT RAISE(ABORT, 'decisions is an append-only log'); END""",
        """CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
           BEGIN SELECT RAISE(ABORT, 'decisions is an append-only log'); END""",
    )


def _m3_titles_and_reuse(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        "ALTER TABLE sources ADD COLUMN title TEXT",
        "ALTER TABLE sources ADD COLUMN chars INTEGER",
        "UPDATE sources SET chars = length(text)",
        """CREATE TABLE reuse_edges (
            a     TEXT NOT NULL,
            b     TEXT NOT NULL,
            score REAL NOT NULL,
            data  TEXT,
            PRIMARY KEY (a, b)
        )""",
        "CREATE INDEX reuse_edges_b ON reuse_edges(b)",
    )


def _m4_review_journal(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        # A change to a case file that a committed decision still owes: written in the
        # decision's own transaction, applied to the file, then deleted (belie.review).
        """CREATE TABLE review_journal (
            id        INTEGER PRIMARY KEY,
            candidate TEXT NOT NULL,
            file      TEXT NOT NULL,
            remove    TEXT,
            claim     TEXT,
            entities  TEXT,
            note      TEXT,
            at        TEXT NOT NULL
        )""",
    )


def _m5_sync_state(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        # What the last sync of the claims was made from (belie.store.sync): a run whose
        # case files and sources hash the same writes no claim.
        """CREATE TABLE sync_state (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
    )


def _m6_check_snapshots(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        # What an unchanged `belie check` prints again without reading the case: per set of
        # options, the run whose findings stand, what it was made from, and the rest of its
        # result (belie.store.inputs, belie.report.stored).
        """CREATE TABLE check_snapshots (
            options TEXT PRIMARY KEY,
            run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            inputs  TEXT NOT NULL,
            state   TEXT NOT NULL,
            digest  TEXT NOT NULL,
            data    TEXT NOT NULL
        )""",
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _m1_initial,
    _m2_review,
    _m3_titles_and_reuse,
    _m4_review_journal,
    _m5_sync_state,
    _m6_check_snapshots,
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, path: Path | str = "<store>",
            migrations: list[Callable[[sqlite3.Connection], None]] | None = None) -> int:
    """Bring the schema to the newest version, in one transaction.

    Returns the version found before migrating.  A store newer than the code
    raises :class:`StoreVersionError` and is left untouched.
    """
    migrations = MIGRATIONS if migrations is None else migrations
    known = len(migrations)
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > known:
        raise StoreVersionError(Path(path), found, known)
    if found == known:
        return found
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Read again under the write lock: another process may have migrated.
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if current > known:
            raise StoreVersionError(Path(path), current, known)
        for version in range(current + 1, known + 1):
            migrations[version - 1](conn)
        conn.execute(f"PRAGMA user_version = {known:d}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return found


# --------------------------------------------------------------------------
# The store


def candidate_id(source_id: str | None, data: Any) -> str:
    """A stable id for a candidate claim: the same proposal gets the same id."""
    digest = hashlib.sha256(_dumps([source_id, data]).encode("utf-8")).hexdigest()
    return f"cand-{digest[:16]}"


class CaseStore:
    """The SQLite store of one case.  Open with :meth:`CaseStore.open`.

    One ``CaseStore`` may be shared between threads (calls are serialised by a
    lock); several processes may open the same store at once (WAL, and writers
    wait up to ``timeout`` seconds for each other).
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, case_dir: Path | None = None):
        self.conn = conn
        self.path = path
        self.case_dir = case_dir
        self._lock = threading.RLock()
        self._depth = 0

    # -- opening and closing ------------------------------------------------

    @classmethod
    def open(cls, case_dir: str | Path, create: bool = True, *, timeout: float = 30.0) -> "CaseStore":
        """Open the store of the case in *case_dir*, creating it if asked."""
        from belie.util import within

        case_dir = Path(case_dir)
        path = store_path(case_dir)
        for p in (path.parent, path):
            if (p.exists() or p.is_symlink()) and not within(case_dir, p):
                raise InputError(Problem(str(p), None, None,
                                         "a link to a place outside the case folder; belie keeps its "
                                         "store inside the case (remove the link)"))
        return cls.open_file(path, create=create, timeout=timeout, case_dir=case_dir)

    @classmethod
    def open_file(cls, path: str | Path, create: bool = True, *, timeout: float = 30.0,
                  case_dir: Path | None = None) -> "CaseStore":
        """Open a store file by its own path (tests, tools)."""
        path = Path(path)
        if not path.exists():
            if not create:
                raise InputError(Problem(str(path), None, None,
                                         "no case store here; run `belie init` or `belie add` first"))
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise InputError(Problem(str(path), None, None, f"cannot open the case store: {exc}")) from exc
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            # A larger page cache than SQLite's 2 MB: a sync of a million claims touches
            # their whole primary-key index (memory, not durability: synchronous stays FULL).
            conn.execute("PRAGMA cache_size=-65536")
            migrate(conn, path)
        except StoreVersionError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise InputError(Problem(str(path), None, None,
                                     f"not a readable belie case store: {exc}")) from exc
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, case_dir)

    def close(self) -> None:
        with self._lock:
            if self.conn is not None:
                self.conn.close()
                self.conn = None  # type: ignore[assignment]

    def __enter__(self) -> "CaseStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def version(self) -> int:
        return self._query_one("PRAGMA user_version")[0]

    # -- transactions -------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator["CaseStore"]:
        """One atomic write: ``BEGIN IMMEDIATE`` .. ``COMMIT`` (or ``ROLLBACK``
        if the block raises).  Nested blocks are savepoints of the outer one."""
        with self._lock:
            if self.conn is None:
                raise BelieError("the case store is closed")
            depth = self._depth
            if depth == 0:
                self.conn.execute("BEGIN IMMEDIATE")
            else:
                self.conn.execute(f"SAVEPOINT sp{depth}")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                # SQLite may already have rolled back on its own (disk full, ...).
                if self.conn.in_transaction:
                    if depth == 0:
                        self.conn.execute("ROLLBACK")
                    else:
                        self.conn.execute(f"ROLLBACK TO sp{depth}")
                        self.conn.execute(f"RELEASE sp{depth}")
                raise
            self._depth -= 1
            if depth == 0:
                self.conn.execute("COMMIT")
            else:
                self.conn.execute(f"RELEASE sp{depth}")

    def _query(self, sql: str, params: Iterable = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self.conn.execute(sql, tuple(params)).fetchall()

    def _query_one(self, sql: str, params: Iterable = ()) -> sqlite3.Row | None:
        with self._lock:
            return self.conn.execute(sql, tuple(params)).fetchone()

    def integrity_check(self) -> str:
        """``ok``, or SQLite's description of what is damaged."""
        rows = self._query("PRAGMA integrity_check")
        return "\n".join(r[0] for r in rows)

    # -- sources ------------------------------------------------------------

    def add_source(self, record: SourceRecord) -> None:
        """Insert or replace one source record."""
        cols = SourceRecord.COLUMNS
        with self.transaction():
            self.conn.execute(
                f"INSERT OR REPLACE INTO sources ({', '.join(cols)}) "
                f"VALUES ({', '.join('?' for _ in cols)})",
                record.row())

    def get_source(self, source_id: str) -> SourceRecord | None:
        row = self._query_one("SELECT * FROM sources WHERE id = ?", (source_id,))
        return None if row is None else SourceRecord.from_row(row)

    def source_by_file(self, file: str) -> SourceRecord | None:
        row = self._query_one("SELECT * FROM sources WHERE file = ? ORDER BY id LIMIT 1", (file,))
        return None if row is None else SourceRecord.from_row(row)

    def sources_by_sha256(self, sha256: str) -> list[SourceRecord]:
        """The stored sources whose bytes have this SHA-256 (hex)."""
        return [SourceRecord.from_row(r) for r in
                self._query("SELECT * FROM sources WHERE sha256 = ? ORDER BY id", (sha256,))]

    def sources(self) -> list[SourceRecord]:
        return [SourceRecord.from_row(r) for r in self._query("SELECT * FROM sources ORDER BY id")]

    def source_hashes(self) -> list[tuple[str, str]]:
        """(id, sha256) of every stored source, by id (without reading their texts)."""
        return [(r[0], r[1]) for r in self._query("SELECT id, sha256 FROM sources ORDER BY id")]

    def source_ids(self) -> set[str]:
        return {r[0] for r in self._query("SELECT id FROM sources")}

    # -- claims -------------------------------------------------------------

    _CLAIM_COLUMNS = ("id", "kind", "source_id", "file", "line", "quote_start", "quote_end",
                      "quote_status")

    def replace_claims(self, claims: Iterable[dict]) -> int:
        """Replace every stored claim with *claims*, in one transaction.

        Each dict needs ``id``; it may carry the columns ``kind``, ``source_id``
        (or ``source``), ``file``, ``line``, ``quote_start``, ``quote_end``,
        ``quote_status``, and ``data`` (anything JSON can hold).  Without a
        ``data`` key the whole dict is stored as the data.  Returns the count.
        """
        rows = self._claim_rows(claims)
        with self.transaction():
            self.conn.execute("DELETE FROM claims")
            self.conn.execute("DELETE FROM sync_state")          # the claims no longer match it
            self.conn.executemany(
                "INSERT INTO claims (id, seq, kind, source_id, data, file, line, quote_start, "
                "quote_end, quote_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        return len(rows)

    @staticmethod
    def _claim_rows(claims: Iterable[dict]) -> list[tuple]:
        rows = []
        for seq, claim in enumerate(claims):
            if "id" not in claim or claim["id"] in (None, ""):
                raise ValueError(f"claim #{seq} has no id: {claim!r}")
            data = claim["data"] if "data" in claim else claim
            source_id = claim.get("source_id", claim.get("source"))
            rows.append((claim["id"], seq, claim.get("kind"), source_id, _CLAIM_JSON(data),
                         claim.get("file"), claim.get("line"), claim.get("quote_start"),
                         claim.get("quote_end"), claim.get("quote_status")))
        return rows

    def sync_claims(self, claims: Iterable[dict]) -> dict:
        """Make the stored claims *claims* (as `replace_claims` takes them), writing only the
        rows that differ: a claim is kept when its id, order, kind, source, data, file and
        line are all as stored (its quote location too); one that changed is rewritten
        (its quote location cleared), one no longer given is deleted.

        Returns ``{"added": [ids], "updated": [ids], "removed": n, "unchanged": n}``.
        """
        rows = self._claim_rows(claims)
        ids = [r[0] for r in rows]
        if len(set(ids)) != len(ids):
            raise ValueError("two claims have the same id")
        stored = {r[0]: tuple(r) for r in self._query(
            "SELECT id, seq, kind, source_id, data, file, line FROM claims")}
        added, updated, write = [], [], []
        for row in rows:
            old = stored.pop(row[0], None)
            if old is None:
                added.append(row[0])
                write.append(row)
            elif old != row[:7]:
                updated.append(row[0])
                write.append(row)
        with self.transaction():
            if stored:
                self.conn.executemany("DELETE FROM claims WHERE id = ?", [(i,) for i in stored])
            if write:
                self.conn.executemany(
                    "INSERT OR REPLACE INTO claims (id, seq, kind, source_id, data, file, line, "
                    "quote_start, quote_end, quote_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", write)
        return {"added": added, "updated": updated, "removed": len(stored),
                "unchanged": len(rows) - len(write)}

    def get_state(self, key: str) -> str | None:
        row = self._query_one("SELECT value FROM sync_state WHERE key = ?", (key,))
        return None if row is None else row[0]

    def set_state(self, key: str, value: str | None) -> None:
        with self.transaction():
            if value is None:
                self.conn.execute("DELETE FROM sync_state WHERE key = ?", (key,))
            else:
                self.conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
                                  (key, value))

    def claims(self, source_id: str | None = None) -> list[dict]:
        """The stored claims in the order given, each a dict of the columns
        with ``data`` decoded."""
        if source_id is None:
            rows = self._query("SELECT * FROM claims ORDER BY seq")
        else:
            rows = self._query("SELECT * FROM claims WHERE source_id = ? ORDER BY seq", (source_id,))
        out = []
        for r in rows:
            d = {c: r[c] for c in self._CLAIM_COLUMNS}
            d["data"] = _loads(r["data"])
            out.append(d)
        return out

    def set_quote_location(self, claim_id: str, start: int | None, end: int | None,
                           status: str) -> bool:
        """Record where a claim's quote was found; False if no such claim."""
        with self.transaction():
            cur = self.conn.execute(
                "UPDATE claims SET quote_start = ?, quote_end = ?, quote_status = ? WHERE id = ?",
                (start, end, status, claim_id))
        return cur.rowcount > 0

    # -- review: candidate claims and decisions -----------------------------

    def add_candidates(self, candidates: Iterable[dict]) -> list[str]:
        """Propose candidate claims (from extraction) for review.

        Each dict has ``data`` (the proposed claim) and optionally ``id`` and
        ``source_id``; a dict without ``data`` is itself the data.  Without an
        id, a stable one is derived from source and data, so re-running an
        extraction does not duplicate candidates nor reset decisions already
        taken: a candidate whose id exists is left as it is.  Returns the ids,
        in order.
        """
        now = utc_now()
        ids = []
        with self.transaction():
            for cand in candidates:
                data = cand["data"] if "data" in cand else cand
                source_id = cand.get("source_id", cand.get("source") if "data" in cand else None)
                if source_id is None and isinstance(data, dict):
                    source_id = data.get("source")
                cid = cand.get("id") or candidate_id(source_id, data)
                self.conn.execute(
                    "INSERT OR IGNORE INTO review (id, source_id, data, status, version, created_at) "
                    "VALUES (?, ?, ?, 'proposed', 1, ?)",
                    (cid, source_id, _dumps(data), now))
                ids.append(cid)
        return ids

    @staticmethod
    def _candidate(row: sqlite3.Row) -> dict:
        return {"id": row["id"], "source_id": row["source_id"], "data": _loads(row["data"]),
                "status": row["status"], "reviewer": row["reviewer"],
                "decided_at": row["decided_at"], "version": row["version"],
                "created_at": row["created_at"]}

    def candidates(self, status: str | None = None) -> list[dict]:
        """Candidate claims, oldest first; only those of *status* if given."""
        if status is not None and status not in REVIEW_STATUSES:
            raise ValueError(f"unknown review status {status!r}; one of {', '.join(REVIEW_STATUSES)}")
        if status is None:
            rows = self._query("SELECT * FROM review ORDER BY created_at, rowid")
        else:
            rows = self._query("SELECT * FROM review WHERE status = ? ORDER BY created_at, rowid",
                               (status,))
        return [self._candidate(r) for r in rows]

    def get_candidate(self, cid: str) -> dict | None:
        row = self._query_one("SELECT * FROM review WHERE id = ?", (cid,))
        return None if row is None else self._candidate(row)

    def decide(self, candidate_id: str, decision: str, reviewer: str | None,
               expected_version: int, data: Any = None) -> dict:
        """Record a reviewer's decision on a candidate, if nobody beat them to it.

        *decision* is ``accepted``, ``rejected``, ``edited`` (which needs
        *data*, the corrected claim) or ``proposed`` (undo).  The candidate
        must still be at *expected_version*, the version the reviewer saw;
        otherwise :class:`ConflictError` is raised and nothing is written.
        Every decision is appended to the ``decisions`` log with the candidate
        before and after.  Returns the candidate as it now stands.
        """
        if decision not in REVIEW_STATUSES:
            raise ValueError(f"unknown decision {decision!r}; one of {', '.join(REVIEW_STATUSES)}")
        if decision == "edited" and data is None:
            raise ValueError("an 'edited' decision needs the edited claim as data")
        now = utc_now()
        with self.transaction():
            row = self.conn.execute("SELECT * FROM review WHERE id = ?", (candidate_id,)).fetchone()
            if row is None:
                raise KeyError(f"no candidate {candidate_id!r}")
            before = self._candidate(row)
            if before["version"] != expected_version:
                raise ConflictError(candidate_id, expected_version, before)
            new_data = _dumps(data) if data is not None else row["data"]
            cur = self.conn.execute(
                "UPDATE review SET status = ?, reviewer = ?, decided_at = ?, data = ?, "
                "version = version + 1 WHERE id = ? AND version = ?",
                (decision, reviewer, now, new_data, candidate_id, expected_version))
            if cur.rowcount != 1:  # pragma: no cover - guarded by BEGIN IMMEDIATE
                raise ConflictError(candidate_id, expected_version, before)
            after = self._candidate(
                self.conn.execute("SELECT * FROM review WHERE id = ?", (candidate_id,)).fetchone())
            self._log(candidate_id, decision, reviewer, now, before, after)
        return after

    # -- the review journal -------------------------------------------------

    def journal_add(self, candidate: str, file: str, remove: str | None, claim: dict | None,
                    note: str | None, entities: dict | None = None) -> int:
        """Record a change a decision owes to a case file (take out the claim *remove*,
        declare *entities*, put in *claim*); call it in the decision's own transaction.
        Returns its id."""
        keep = lambda v: None if not v else json.dumps(v, ensure_ascii=False, default=str)  # noqa: E731 - order kept
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO review_journal (candidate, file, remove, claim, entities, note, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (candidate, file, remove, keep(claim), keep(entities), note, utc_now()))
            return int(cur.lastrowid)

    def journal(self) -> list[dict]:
        """The changes still owed to the case files, oldest first."""
        rows = self._query("SELECT * FROM review_journal ORDER BY id")
        return [{"id": r["id"], "candidate": r["candidate"], "file": r["file"], "remove": r["remove"],
                 "claim": _loads(r["claim"]), "entities": _loads(r["entities"]) or {}, "note": r["note"],
                 "at": r["at"]} for r in rows]

    def journal_done(self, entry_id: int) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM review_journal WHERE id = ?", (entry_id,))

    def log_decision(self, target: str, decision: str, reviewer: str | None,
                     before: Any = None, after: Any = None) -> None:
        """Append one entry to the decisions log (any claim, candidate or source id)."""
        with self.transaction():
            self._log(target, decision, reviewer, utc_now(), before, after)

    def _log(self, target, decision, reviewer, at, before, after) -> None:
        self.conn.execute(
            "INSERT INTO decisions (target, decision, reviewer, at, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (target, decision, reviewer, at,
             None if before is None else _dumps(before), None if after is None else _dumps(after)))

    def decisions(self, target: str | None = None) -> list[dict]:
        """The decisions log, oldest first."""
        if target is None:
            rows = self._query("SELECT * FROM decisions ORDER BY id")
        else:
            rows = self._query("SELECT * FROM decisions WHERE target = ? ORDER BY id", (target,))
        return [{"id": r["id"], "target": r["target"], "decision": r["decision"],
                 "reviewer": r["reviewer"], "at": r["at"], "before": _loads(r["before"]),
                 "after": _loads(r["after"])} for r in rows]

    # -- runs and findings --------------------------------------------------

    def save_findings(self, run_kind: str, findings: Iterable[dict]) -> int:
        """Record one run of *run_kind* (``check``, ``reuse``, ...) and its
        findings, in one transaction; returns the run id.  Each finding dict
        is stored whole as JSON; its ``rule`` and ``severity`` are also put in
        columns for querying."""
        findings = list(findings)
        with self.transaction():
            cur = self.conn.execute("INSERT INTO runs (started_at, kind) VALUES (?, ?)",
                                    (utc_now(), run_kind))
            run_id = cur.lastrowid
            # In the finding's own key order, so that it reads back as it was made.
            self.conn.executemany(
                "INSERT INTO findings (run_id, rule, severity, data) VALUES (?, ?, ?, ?)",
                [(run_id, f.get("rule"), f.get("severity"), _dumps_ordered(f)) for f in findings])
        return run_id

    # -- check snapshots: an unchanged check printed again ---------------------

    def _run_texts(self, run_id: int) -> list[str]:
        return [t for (t,) in self.conn.execute("SELECT data FROM findings WHERE run_id = ? ORDER BY id",
                                                (run_id,))]

    def save_snapshot(self, options: str, run_id: int, inputs: str, state: dict, data: dict) -> None:
        """Keep what run *run_id* (already saved with its findings) needs to be printed again
        without reading the case: *inputs* (the hash of what it was made from), *state* (what
        else must still hold: the source files it found, the store's claims as synced) and
        *data* (the rest of its result), for the check options *options*.  One per options;
        a digest over it and the run's findings tells a damaged or edited one."""
        state_text = json.dumps(state, ensure_ascii=False, sort_keys=True, default=str)
        data_text = _dumps_ordered(data)
        with self.transaction():
            digest = _snapshot_digest(run_id, inputs, state_text, data_text, self._run_texts(run_id))
            self.conn.execute(
                "INSERT OR REPLACE INTO check_snapshots (options, run_id, inputs, state, digest, data) "
                "VALUES (?, ?, ?, ?, ?, ?)", (options, run_id, inputs, state_text, digest, data_text))

    def snapshot_inputs(self, options: str) -> tuple[str, dict, str] | None:
        """(the inputs hash, the state, the digest) of the snapshot for *options*, or None."""
        row = self._query_one("SELECT inputs, state, digest FROM check_snapshots WHERE options = ?", (options,))
        return None if row is None else (row["inputs"], json.loads(row["state"]), row["digest"])

    def snapshot(self, options: str, digest: str | None = None) -> tuple[dict, list[dict]] | None:
        """(the snapshot's data, its run's findings in order) for *options*; None when there
        is none, when it or its findings do not match the digest written with them, or
        when its digest is not *digest* (the one `snapshot_inputs` gave: another run has
        replaced it since)."""
        with self._lock:
            row = self.conn.execute("SELECT run_id, inputs, state, digest, data FROM check_snapshots "
                                    "WHERE options = ?", (options,)).fetchone()
            if row is None or (digest is not None and row["digest"] != digest):
                return None
            texts = self._run_texts(row["run_id"])
        if _snapshot_digest(row["run_id"], row["inputs"], row["state"], row["data"], texts) != row["digest"]:
            return None
        return json.loads(row["data"]), [json.loads(t) for t in texts]

    def runs(self) -> list[dict]:
        return [dict(r) for r in self._query("SELECT * FROM runs ORDER BY id")]

    def latest_run(self, run_kind: str | None = None) -> dict | None:
        if run_kind is None:
            row = self._query_one("SELECT * FROM runs ORDER BY id DESC LIMIT 1")
        else:
            row = self._query_one("SELECT * FROM runs WHERE kind = ? ORDER BY id DESC LIMIT 1",
                                  (run_kind,))
        return None if row is None else dict(row)

    def latest_findings(self, run_kind: str | None = None) -> list[dict]:
        """The findings of the latest run (of *run_kind*, if given), as saved."""
        run = self.latest_run(run_kind)
        if run is None:
            return []
        return [_loads(r["data"]) for r in
                self._query("SELECT data FROM findings WHERE run_id = ? ORDER BY id", (run["id"],))]

    # -- reuse edges --------------------------------------------------------

    def save_reuse_edges(self, edges: Iterable[dict | tuple], *, replace_all: bool = True) -> int:
        """Replace all reuse edges.  Each edge is a dict ``{a, b, score, data?}``
        (extra keys go into data) or a tuple ``(a, b, score[, data])``.  With
        ``replace_all=False`` the edges are added, replacing only those of the same
        two ids."""
        rows = []
        for e in edges:
            if isinstance(e, dict):
                extra = {k: v for k, v in e.items() if k not in ("a", "b", "score", "data")}
                data = e.get("data", extra or None)
                rows.append((e["a"], e["b"], float(e["score"]), None if data is None else _dumps(data)))
            else:
                a, b, score, *rest = e
                data = rest[0] if rest else None
                rows.append((a, b, float(score), None if data is None else _dumps(data)))
        with self.transaction():
            if replace_all:
                self.conn.execute("DELETE FROM reuse_edges")
            self.conn.executemany(
                "INSERT OR REPLACE INTO reuse_edges (a, b, score, data) VALUES (?, ?, ?, ?)", rows)
        return len(rows)

    def add_reuse_edges(self, edges: Iterable[dict | tuple]) -> int:
        """Add reuse edges, keeping the others (an edge of the same two ids is replaced)."""
        return self.save_reuse_edges(edges, replace_all=False)

    def reuse_edges(self) -> list[dict]:
        return [{"a": r["a"], "b": r["b"], "score": r["score"], "data": _loads(r["data"])}
                for r in self._query("SELECT * FROM reuse_edges ORDER BY score DESC, a, b")]

    # -- summary ------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per table, and candidates per review status."""
        out = {}
        for table in ("sources", "claims", "review", "decisions", "runs", "findings", "reuse_edges"):
            out[table] = self._query_one(f"SELECT count(*) FROM {table}")[0]
        for status in REVIEW_STATUSES:
            out[f"review_{status}"] = 0
        for r in self._query("SELECT status, count(*) FROM review GROUP BY status"):
            out[f"review_{r[0]}"] = r[1]
        return out
