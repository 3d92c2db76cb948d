"""Issue 13, item 7: a guessable token, a GET that wrote, hidden characters, the umask."""
from __future__ import annotations

import os
import sqlite3
import threading

import pytest

from belie.store.db import store_path


def test_a_guessable_token_on_an_open_address_is_warned_of():
    from belie.commands.serve import token_warning

    assert "guess" in token_warning("0.0.0.0", "a")
    assert "guess" in token_warning("192.168.1.5", "password")
    assert token_warning("0.0.0.0", "k3J9-xQ2v_Lm8pR4tZ7w") is None     # 20 varied characters
    assert token_warning("127.0.0.1", "a") is None                       # loopback: only this machine


CASE = """\
case: GET test
entities:
  trotsky: {type: person, names: [Leon Trotsky]}
  copenhagen: {type: place, names: [Copenhagen]}
  berlin: {type: place, names: [Berlin]}
sources:
  visa: {kind: record, said: 1932-12-02}
  statement: {kind: testimony, said: 1936-08-20}
claims:
  - {id: in-copenhagen, source: visa, presence: trotsky, where: copenhagen, throughout: 1932-11-23/1932-12-02}
"""
BERLIN = {"source": "statement", "presence": "trotsky", "where": "berlin", "when": "1932-11-25"}
SAME_ORIGIN = {"Origin": "http://localhost"}


def make_case(folder):
    from belie.store.db import CaseStore

    folder.mkdir(parents=True)
    (folder / "case.yaml").write_text(CASE, encoding="utf-8")
    CaseStore.open(folder).close()
    return folder


def test_get_findings_writes_nothing(tmp_path):
    from belie.web.app import create_app

    case = make_case(tmp_path / "case")
    before = _runs(case)
    app = create_app(case)
    app.testing = True
    try:
        client = app.test_client()
        for url in ("/findings", "/api/findings", "/api/findings/summary", "/", "/sources"):
            assert client.get(url).status_code == 200
    finally:
        app.extensions["belie"].close()
    assert _runs(case) == before


def _runs(case) -> int:
    con = sqlite3.connect(store_path(case))
    try:
        return con.execute("SELECT count(*) FROM runs").fetchone()[0]
    finally:
        con.close()


def test_a_decision_records_the_findings_it_leads_to(tmp_path):
    from belie.web.app import create_app

    case = make_case(tmp_path / "case")
    app = create_app(case)
    app.testing = True
    ws = app.extensions["belie"]
    try:
        [cid] = ws.store.add_candidates([{"source_id": "statement", "data": BERLIN}])
        before = _runs(case)
        r = app.test_client().post(f"/api/candidates/{cid}/decision", headers=SAME_ORIGIN,
                                   json={"decision": "accepted", "expected_version": 1, "reviewer": "t"})
        assert r.status_code == 200, r.get_json()
        assert _runs(case) == before + 1
    finally:
        ws.close()


@pytest.mark.parametrize("evil", ["evil\u202etxt.exe", "a\u2066b\u2069c", "x\u200by", "bell\x07"])
def test_hidden_characters_in_names_and_ids_are_shown_escaped(tmp_path, evil, capsys):
    from belie.cli import main

    case = tmp_path / "case"
    case.mkdir()
    (case / "case.yaml").write_text(
        "case: t\nentities:\n"
        f"  person1: {{type: person, names: [\"{evil.encode('unicode_escape').decode()}\"]}}\n"
        "sources:\n  s: {kind: testimony, speaker: person1}\nclaims:\n  - {id: c1, source: s, statement: x, about: person1}\n",
        encoding="utf-8")
    assert main(["show", str(case)]) == 0
    out = capsys.readouterr().out
    assert evil not in out
    hidden = next(c for c in evil if not c.isalnum() and c not in ".")
    assert (f"\\u{ord(hidden):04x}" if ord(hidden) > 0xff else f"\\x{ord(hidden):02x}") in out

    from belie.report.html import write_report

    page = write_report(case, tmp_path / "r.html").read_text(encoding="utf-8")
    assert evil not in page

    from belie.web.app import create_app

    app = create_app(case)
    app.testing = True
    try:
        for url in ("/sources", "/review", "/"):
            body = app.test_client().get(url).get_data(as_text=True)
            assert evil not in body, url
    finally:
        app.extensions["belie"].close()


def test_atomic_writes_never_touch_the_umask(tmp_path, monkeypatch):
    from belie.util import atomic_write_text

    mask = os.umask(0o027)
    os.umask(mask := 0o027)
    try:
        def no_umask(*a):
            raise AssertionError("os.umask called: it is process-wide and races with other threads")

        monkeypatch.setattr(os, "umask", no_umask)
        atomic_write_text(tmp_path / "new.txt", "x")
        assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o640
        (tmp_path / "kept.txt").write_text("old")
        os.chmod(tmp_path / "kept.txt", 0o600)
        atomic_write_text(tmp_path / "kept.txt", "new")
        assert (tmp_path / "kept.txt").stat().st_mode & 0o777 == 0o600
        errors = []

        def writer(i):
            try:
                atomic_write_text(tmp_path / f"t{i}.txt", "x" * 1000)
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert {(tmp_path / f"t{i}.txt").stat().st_mode & 0o777 for i in range(16)} == {0o640}
    finally:
        monkeypatch.undo()
        os.umask(0o022)
