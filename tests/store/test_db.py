"""The case store: schema, migrations, transactions, review concurrency."""
from __future__ import annotations

import sqlite3
import threading

import pytest

from belie.errors import InputError
from belie.store import db
from belie.store.db import (SCHEMA_VERSION, CaseStore, ConflictError, SourceRecord,
                            StoreVersionError, store_path)


def make_record(sid="dubois", text="I met Marchand.", sha="ab" * 32, **kw) -> SourceRecord:
    return SourceRecord(id=sid, file=f"sources/{sid}.txt", sha256=sha, size=len(text),
                        media_type="text/plain", ingested_at="2024-01-01T00:00:00+00:00",
                        text=text, **kw)


@pytest.fixture
def store(tmp_path):
    s = CaseStore.open(tmp_path, create=True)
    yield s
    s.close()


def test_store_is_a_plain_sqlite_file_inside_the_case(tmp_path, store):
    path = tmp_path / ".belie" / "case.sqlite"
    assert store.path == path == store_path(tmp_path)
    assert path.is_file()
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"sources", "claims", "review", "decisions", "findings", "runs", "reuse_edges"} <= tables
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    cols = {r[1] for r in conn.execute("PRAGMA table_info(sources)")}
    assert cols >= {"id", "kind", "file", "sha256", "size", "media_type", "ingested_at",
                    "text", "title", "chars"}
    conn.close()
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.integrity_check() == "ok"


def test_open_without_create_needs_a_store(tmp_path):
    with pytest.raises(InputError, match="no case store"):
        CaseStore.open(tmp_path, create=False)
    assert not (tmp_path / ".belie").exists()


def test_a_file_that_is_not_a_database_is_an_input_error(tmp_path):
    path = store_path(tmp_path)
    path.parent.mkdir()
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(InputError, match="not a readable belie case store"):
        CaseStore.open(tmp_path)


# -- migrations ----------------------------------------------------------------

V1_BY_HAND = [
    """CREATE TABLE sources (id TEXT PRIMARY KEY, kind TEXT, file TEXT NOT NULL,
       sha256 TEXT NOT NULL, size INTEGER NOT NULL, media_type TEXT NOT NULL,
       ingested_at TEXT NOT NULL, text TEXT NOT NULL)""",
    """CREATE TABLE claims (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, kind TEXT, source_id TEXT,
       data TEXT NOT NULL, file TEXT, line INTEGER, quote_start INTEGER, quote_end INTEGER,
       quote_status TEXT)""",
    "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL, kind TEXT NOT NULL)",
    """CREATE TABLE findings (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL,
       rule TEXT, severity TEXT, data TEXT NOT NULL)""",
    """INSERT INTO sources VALUES ('old', 'record', 'sources/old.txt', 'cd', 11, 'text/plain',
       '2020-01-01T00:00:00+00:00', 'hello world')""",
    "PRAGMA user_version = 1",
]


def build_v1(tmp_path):
    path = store_path(tmp_path)
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    for sql in V1_BY_HAND:
        conn.execute(sql)
    conn.commit()
    conn.close()
    return path


def test_opening_a_version_1_store_migrates_it(tmp_path):
    path = build_v1(tmp_path)
    with CaseStore.open(tmp_path) as store:
        assert store.version == SCHEMA_VERSION
        old = store.get_source("old")
        assert old.text == "hello world" and old.chars == 11 and old.title is None
        assert store.candidates() == [] and store.reuse_edges() == []
        store.add_candidates([{"source_id": "old", "data": {"statement": "hello"}}])
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT chars FROM sources WHERE id='old'").fetchone()[0] == 11
    conn.close()
    # Reopening a current store changes nothing.
    with CaseStore.open(tmp_path) as store:
        assert store.version == SCHEMA_VERSION and len(store.candidates()) == 1


def test_a_failing_migration_leaves_the_store_at_its_old_version(tmp_path):
    path = build_v1(tmp_path)

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("migration bug")

    conn = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(RuntimeError, match="migration bug"):
        db.migrate(conn, path, migrations=[db._m1_initial, db._m2_review, broken])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "review" not in tables and "half_done" not in tables  # all or nothing
    conn.close()


def test_a_store_newer_than_the_code_is_refused_and_untouched(tmp_path):
    with CaseStore.open(tmp_path):
        pass
    path = store_path(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreVersionError) as info:
        CaseStore.open(tmp_path)
    message = str(info.value)
    assert str(SCHEMA_VERSION + 5) in message and "upgrade belie" in message
    assert isinstance(info.value, InputError)  # the CLI prints it and exits 2
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 5
    conn.close()


# -- transactions --------------------------------------------------------------

def test_a_failed_transaction_leaves_nothing_half_written(store):
    store.add_source(make_record("kept"))
    store.replace_claims([{"id": "c0", "source_id": "kept", "data": {"statement": "x"}}])
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add_source(make_record("lost"))
            store.replace_claims([{"id": "c1", "source_id": "lost"}])
            store.save_findings("check", [{"rule": "alibi", "severity": "impossible"}])
            raise RuntimeError("crash in the middle")
    assert [s.id for s in store.sources()] == ["kept"]
    assert [c["id"] for c in store.claims()] == ["c0"]
    assert store.latest_findings() == [] and store.counts()["runs"] == 0


def test_a_failing_write_rolls_back_its_own_transaction(store):
    store.replace_claims([{"id": "a"}, {"id": "b"}])
    with pytest.raises(sqlite3.IntegrityError):
        store.replace_claims([{"id": "x"}, {"id": "x"}])  # duplicate id, after the DELETE
    assert [c["id"] for c in store.claims()] == ["a", "b"]


def test_nested_transactions_are_savepoints(store):
    with store.transaction():
        store.add_source(make_record("outer"))
        with pytest.raises(ValueError):
            with store.transaction():
                store.add_source(make_record("inner"))
                raise ValueError
    assert [s.id for s in store.sources()] == ["outer"]


def test_uncommitted_writes_are_invisible_to_another_connection(tmp_path, store):
    other = CaseStore.open(tmp_path)
    try:
        with store.transaction():
            store.add_source(make_record("pending"))
            assert other.get_source("pending") is None
        assert other.get_source("pending") is not None
    finally:
        other.close()


# -- tables ---------------------------------------------------------------------

def test_sources_round_trip(store):
    rec = make_record("dubois", kind="confession", title="Statement")
    store.add_source(rec)
    got = store.get_source("dubois")
    assert got == rec and got.chars == len(rec.text)
    assert store.get_source("nobody") is None
    assert store.source_by_file("sources/dubois.txt").id == "dubois"


def test_claims_are_replaced_whole_and_keep_their_order(store):
    claims = [{"id": f"c{i}", "kind": "statement", "source": "s", "file": "case.yaml", "line": i,
               "data": {"statement": f"claim {i}", "when": "1921-03"}} for i in (3, 1, 2)]
    assert store.replace_claims(claims) == 3
    got = store.claims()
    assert [c["id"] for c in got] == ["c3", "c1", "c2"]
    assert got[0]["data"] == {"statement": "claim 3", "when": "1921-03"}
    assert got[0]["source_id"] == "s" and got[0]["line"] == 3
    assert store.set_quote_location("c1", 5, 9, "exact")
    assert not store.set_quote_location("nope", 5, 9, "exact")
    assert store.claims("s")[1]["quote_status"] == "exact"
    store.replace_claims([{"id": "only", "statement": "whole dict is the data"}])
    assert store.claims() == [{"id": "only", "kind": None, "source_id": None, "file": None,
                               "line": None, "quote_start": None, "quote_end": None,
                               "quote_status": None,
                               "data": {"id": "only", "statement": "whole dict is the data"}}]


def test_findings_runs_and_reuse_edges(store):
    assert store.latest_findings() == []
    store.save_findings("check", [{"rule": "alibi", "severity": "impossible", "claims": ["a", "b"]}])
    run = store.save_findings("check", [{"rule": "register", "severity": "strained"}])
    store.save_findings("reuse", [])
    assert store.latest_findings() == []
    assert store.latest_findings("check") == [{"rule": "register", "severity": "strained"}]
    assert store.latest_run("check")["id"] == run
    rows = store.conn.execute("SELECT rule, severity FROM findings ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [("alibi", "impossible"), ("register", "strained")]

    store.save_reuse_edges([("a", "b", 0.5), {"a": "b", "b": "c", "score": 0.9, "shared": 12}])
    assert store.reuse_edges() == [{"a": "b", "b": "c", "score": 0.9, "data": {"shared": 12}},
                                   {"a": "a", "b": "b", "score": 0.5, "data": None}]
    store.save_reuse_edges([("x", "y", 1, {"n": 1})])
    assert [e["a"] for e in store.reuse_edges()] == ["x"]
    counts = store.counts()
    assert counts["runs"] == 3 and counts["findings"] == 2 and counts["reuse_edges"] == 1


# -- review and decisions ----------------------------------------------------------

def test_candidates_are_idempotent_and_decisions_logged(store):
    cand = {"source_id": "dubois", "data": {"source": "dubois", "statement": "He ordered it."}}
    (cid,) = store.add_candidates([cand])
    assert store.add_candidates([cand]) == [cid]  # same proposal, same id, no duplicate
    [c] = store.candidates("proposed")
    assert c["id"] == cid and c["version"] == 1 and c["status"] == "proposed"

    after = store.decide(cid, "accepted", "ana", expected_version=1)
    assert after["status"] == "accepted" and after["version"] == 2 and after["reviewer"] == "ana"
    store.add_candidates([cand])  # re-running extraction does not reset the decision
    assert store.get_candidate(cid)["status"] == "accepted"
    assert store.candidates("proposed") == []

    edited = {"source": "dubois", "statement": "He ordered the ledgers destroyed."}
    store.decide(cid, "edited", "ben", expected_version=2, data=edited)
    log = store.decisions(cid)
    assert [d["decision"] for d in log] == ["accepted", "edited"]
    assert log[1]["before"]["data"] == cand["data"] and log[1]["after"]["data"] == edited
    assert log[1]["reviewer"] == "ben" and log[1]["after"]["version"] == 3
    c = store.counts()
    assert c["review"] == 1 and c["review_edited"] == 1 and c["decisions"] == 2


def test_a_stale_decision_raises_conflict_and_writes_nothing(tmp_path, store):
    (cid,) = store.add_candidates([{"source_id": "s", "data": {"statement": "x"}}])
    # Two browser tabs load the candidate at version 1.
    tab1, tab2 = store, CaseStore.open(tmp_path)
    try:
        v1 = tab1.get_candidate(cid)["version"]
        v2 = tab2.get_candidate(cid)["version"]
        tab1.decide(cid, "accepted", "ana", expected_version=v1)
        with pytest.raises(ConflictError) as info:
            tab2.decide(cid, "rejected", "ben", expected_version=v2)
        assert info.value.current["status"] == "accepted"
        assert info.value.current["version"] == 2
        assert "ana" in str(info.value)
    finally:
        tab2.close()
    assert store.get_candidate(cid)["status"] == "accepted"
    assert [d["reviewer"] for d in store.decisions()] == ["ana"]


def test_concurrent_decisions_exactly_one_wins(tmp_path, store):
    (cid,) = store.add_candidates([{"source_id": "s", "data": {"statement": "race"}}])
    results = []

    def reviewer(name):
        s = CaseStore.open(tmp_path)
        try:
            s.decide(cid, "accepted", name, expected_version=1)
            results.append("ok")
        except ConflictError:
            results.append("conflict")
        finally:
            s.close()

    threads = [threading.Thread(target=reviewer, args=(f"r{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict"] * 5 + ["ok"]
    assert len(store.decisions(cid)) == 1


def test_decide_validates_its_arguments(store):
    (cid,) = store.add_candidates([{"data": {"statement": "x"}}])
    with pytest.raises(ValueError):
        store.decide(cid, "maybe", "ana", 1)
    with pytest.raises(ValueError):
        store.decide(cid, "edited", "ana", 1)
    with pytest.raises(KeyError):
        store.decide("nope", "accepted", "ana", 1)
    with pytest.raises(ValueError):
        store.candidates("maybe")


def test_the_decisions_log_is_append_only(store):
    store.log_decision("src", "source-changed", "belie add", {"sha256": "a"}, {"sha256": "b"})
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.conn.execute("UPDATE decisions SET decision = 'forged'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.conn.execute("DELETE FROM decisions")
    assert store.decisions()[0]["decision"] == "source-changed"
