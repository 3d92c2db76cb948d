"""Crash injection: every write belie does in two steps is interrupted between them, and
what a user finds afterwards is the state before or after the write, never half of it;
the next run completes it.  (The review app's claims/reviewed.yaml and its store are
tested with their own fault injection, in tests/web.)"""
from __future__ import annotations

import os
import textwrap

import pytest

from belie.cli import main
from belie.store.db import CaseStore


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so no handler swallows it."""


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
def test_an_atomic_write_interrupted_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, step):
    from belie import util

    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    real = {"write": None, "fsync": os.fsync, "replace": os.replace}

    def crash(*a, **k):
        raise Crash(step)

    if step == "write":
        monkeypatch.setattr(util.os, "fdopen", crash)
    else:
        monkeypatch.setattr(util.os, step, crash)
    with pytest.raises(Crash):
        util.atomic_write_text(target, "new")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []
    util.atomic_write_text(target, "new")       # the next run completes it
    assert target.read_text(encoding="utf-8") == "new"
    assert real  # (the real functions are back)


def test_a_copy_into_the_case_interrupted_leaves_no_partial_copy(tmp_path, monkeypatch, capsys):
    import shutil

    case = tmp_path / "case"
    (case / "sources").mkdir(parents=True)
    (case / "case.yaml").write_text("case: t\n", encoding="utf-8")
    outside = tmp_path / "letter.txt"
    outside.write_text("Dear Dubois, " * 10_000, encoding="utf-8")

    def crash_midway(src, dst, length=0):
        dst.write(src.read(1000))
        raise Crash("copy")

    monkeypatch.setattr(shutil, "copyfileobj", crash_midway)
    with pytest.raises(Crash):
        main(["add", str(case), str(outside)])
    monkeypatch.undo()
    assert not (case / "sources" / "letter.txt").exists()
    assert _leftovers(case / "sources") == []
    assert main(["add", str(case), str(outside)]) == 0
    assert (case / "sources" / "letter.txt").read_bytes() == outside.read_bytes()
    with CaseStore.open(case, create=False) as store:
        assert [d["decision"] for d in store.decisions("letter")] == ["source-copied"]


def test_a_copied_file_whose_ingest_is_interrupted_is_ingested_and_logged_next_time(tmp_path, monkeypatch):
    import belie.store.ingest as ingest

    case = tmp_path / "case"
    case.mkdir()
    (case / "case.yaml").write_text("case: t\n", encoding="utf-8")
    outside = tmp_path / "letter.txt"
    outside.write_text("Dear Dubois,", encoding="utf-8")
    monkeypatch.setattr(ingest, "extract", lambda path: (_ for _ in ()).throw(Crash("extract")))
    with pytest.raises(Crash):
        main(["add", str(case), str(outside)])
    monkeypatch.undo()
    assert (case / "sources" / "letter.txt").exists()          # the copy was done
    with CaseStore.open(case, create=False) as store:
        assert store.get_source("letter") is None               # the ingest was not
    assert main(["add", str(case), str(outside)]) == 0
    with CaseStore.open(case, create=False) as store:
        assert store.get_source("letter").text == "Dear Dubois,"
        assert [d["decision"] for d in store.decisions("letter")] == ["source-copied"]


def test_a_changed_source_interrupted_between_log_and_record_changes_neither(tmp_path, monkeypatch):
    from belie.store.ingest import ingest

    case = tmp_path / "case"
    (case / "sources").mkdir(parents=True)
    (case / "case.yaml").write_text(textwrap.dedent("""\
        case: t
        sources:
          s: {kind: press, file: sources/s.txt}
        """), encoding="utf-8")
    src = case / "sources" / "s.txt"
    src.write_text("first", encoding="utf-8")
    with CaseStore.open(case) as store:
        [first] = ingest(store, case, [src])
    src.write_text("second", encoding="utf-8")
    with CaseStore.open(case) as store:
        monkeypatch.setattr(store, "add_source", lambda rec: (_ for _ in ()).throw(Crash("add_source")))
        with pytest.raises(Crash):
            ingest(store, case, [src])
        monkeypatch.undo()
    with CaseStore.open(case) as store:
        assert store.get_source("s").sha256 == first.sha256      # the old record stands
        assert store.decisions("s") == []                       # and nothing was logged
        [again] = ingest(store, case, [src])
        assert again.status == "changed"
        assert [d["decision"] for d in store.decisions("s")] == ["source-changed"]


def test_the_gazetteer_index_interrupted_leaves_no_partial_file(tmp_path, monkeypatch):
    from belie.model import places

    path = tmp_path / "towns.sqlite"

    def crash(*a):
        raise Crash("replace")

    monkeypatch.setattr(places.os, "replace", crash)
    with pytest.raises(Crash):
        places._build_sqlite(path, 0, [("Lyon", 45.75, 4.85, "FR", 500_000, 2996944, {"lyon"})])
    monkeypatch.undo()
    assert not path.exists() and _leftovers(tmp_path) == []
