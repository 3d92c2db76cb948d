"""An unchanged case is not read and checked again: `belie check` prints the stored run's
findings, byte for byte what the full run printed; any change, another option, a damaged
or edited store, or --no-cache gives a full run (docs/store.md, "An unchanged check")."""
from __future__ import annotations

import shutil
import sqlite3

import pytest

from belie.cli import main
from belie.store.db import store_path
from tests.conftest import EXAMPLE


@pytest.fixture
def case(tmp_path):
    folder = tmp_path / "moscow"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".belie"))
    return folder


def _runs(folder) -> int:
    conn = sqlite3.connect(store_path(folder))
    try:
        return conn.execute("SELECT count(*) FROM runs WHERE kind = 'check'").fetchone()[0]
    finally:
        conn.close()


def check(folder, tmp_path, *args) -> bytes:
    out = tmp_path / "out"
    assert main(["check", str(folder), "-o", str(out), *args]) == 0
    return out.read_bytes()


@pytest.mark.parametrize("example", [EXAMPLE, EXAMPLE.parent / "karvonen-2022"], ids=lambda p: p.name)
def test_an_unchanged_case_is_printed_again_byte_for_byte_in_every_format(example, tmp_path, capsys):
    case = tmp_path / example.name
    shutil.copytree(example, case, ignore=shutil.ignore_patterns(".belie"))
    for args in (["--format", "json"], [], ["--format", "markdown"], ["--severity", "impossible,strained"],
                 ["--quiet"], ["--format", "json", "--severity", "note"]):
        full = check(case, tmp_path, "--no-cache", *args)          # read and checked
        runs = _runs(case)
        again = check(case, tmp_path, *args)                         # printed from the store
        assert _runs(case) == runs, f"{args}: the unchanged case was checked again"
        assert again == full, f"{args}: the stored run prints differently"
    # Standard output (not a terminal) too.
    assert main(["check", str(case), "--no-cache"]) == 0
    full = capsys.readouterr().out
    assert main(["check", str(case)]) == 0
    assert capsys.readouterr().out == full and "impossible" in full


def test_the_stored_run_gives_the_exit_status_of_fail_on(case, tmp_path):
    check(case, tmp_path)
    runs = _runs(case)
    assert main(["check", str(case), "-o", str(tmp_path / "o"), "--fail-on", "impossible"]) == 1
    assert _runs(case) == runs


def test_a_changed_claim_file_is_read_and_checked_again(case, tmp_path):
    before = check(case, tmp_path, "--format", "json")
    claims = case / "claims" / "romm.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text + "\n# a comment: the bytes changed, not the claims\n", encoding="utf-8")
    runs = _runs(case)
    same = check(case, tmp_path, "--format", "json")
    assert _runs(case) == runs + 1
    assert _findings(same) == _findings(before)
    # A claim taken out: the findings that named it are gone.
    claims.write_text("claims: []\n", encoding="utf-8")
    fewer = check(case, tmp_path, "--format", "json")
    assert _runs(case) == runs + 2 and len(_findings(fewer)) < len(_findings(before))


def test_a_new_file_under_claims_is_read(case, tmp_path):
    check(case, tmp_path)
    runs = _runs(case)
    (case / "claims" / "extra.yaml").write_text("claims: []\n", encoding="utf-8")
    check(case, tmp_path)
    assert _runs(case) == runs + 1


def test_other_options_are_checked_and_each_kept(case, tmp_path):
    everything = check(case, tmp_path, "--format", "json")
    runs = _runs(case)
    alibi = check(case, tmp_path, "--format", "json", "--rule", "alibi")
    assert _runs(case) == runs + 1
    assert {f["rule"] for f in _findings(alibi)} == {"alibi"}
    check(case, tmp_path, "--format", "json", "--no-reason")
    assert _runs(case) == runs + 2
    # Each set of options keeps its own run: both are printed again as they were.
    assert check(case, tmp_path, "--format", "json") == everything
    assert check(case, tmp_path, "--format", "json", "--rule", "alibi") == alibi
    assert _runs(case) == runs + 2


def test_no_cache_reads_and_checks_again(case, tmp_path):
    check(case, tmp_path)
    runs = _runs(case)
    check(case, tmp_path, "--no-cache")
    assert _runs(case) == runs + 1


@pytest.mark.parametrize("edit", [
    "UPDATE findings SET data = replace(data, 'impossible', 'note') "
    "WHERE id = (SELECT max(id) FROM findings WHERE severity = 'impossible')",
    "DELETE FROM findings WHERE id = (SELECT max(id) FROM findings)",
    "UPDATE check_snapshots SET data = replace(data, '\"case\": \"', '\"case\": \"X')",
])
def test_an_edited_store_is_not_believed(case, tmp_path, edit):
    full = check(case, tmp_path, "--format", "json")
    conn = sqlite3.connect(store_path(case))
    with conn:
        assert conn.execute(edit).rowcount == 1
    conn.close()
    runs = _runs(case)
    again = check(case, tmp_path, "--format", "json")
    assert _runs(case) == runs + 1                                   # checked in full again
    assert _findings(again) == _findings(full)


def test_a_damaged_store_is_not_read(case, tmp_path):
    full = check(case, tmp_path, "--format", "json", "--no-store")
    check(case, tmp_path)
    path = store_path(case)
    for extra in path.parent.glob(path.name + "-*"):
        extra.unlink()
    path.write_bytes(b"not a database" * 100)
    # The check is made in full (--no-store: the damaged store is then left alone).
    assert _findings(check(case, tmp_path, "--format", "json", "--no-store")) == _findings(full)


def test_another_belie_checks_again(case, tmp_path, monkeypatch):
    check(case, tmp_path)
    runs = _runs(case)
    import belie.store.inputs as inputs

    monkeypatch.setattr(inputs, "code_fingerprint", lambda: "another belie")
    check(case, tmp_path)
    assert _runs(case) == runs + 1


def test_a_missing_source_file_is_reported_not_hidden(tmp_path):
    folder = tmp_path / "c"
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "letter.txt").write_text("Anna was in Paris.", encoding="utf-8")
    (folder / "case.yaml").write_text(
        "case: Sources\nentities:\n  anna: {type: person}\n  paris: {type: place, at: [48.85, 2.35]}\n"
        "sources:\n  letter: {kind: testimony, said: 1921, file: sources/letter.txt}\n"
        "claims:\n  - {source: letter, presence: anna, where: paris, when: 1921-03-01}\n", encoding="utf-8")
    check(folder, tmp_path)
    (folder / "sources" / "letter.txt").unlink()
    assert main(["check", str(folder), "-o", str(tmp_path / "o")]) == 2


def _findings(data: bytes) -> list:
    import json

    return json.loads(data)["findings"]


def test_a_source_ingested_since_gives_a_full_run(case, tmp_path):
    from belie.store.db import CaseStore, SourceRecord, utc_now

    check(case, tmp_path)
    runs = _runs(case)
    with CaseStore.open(case) as store:
        store.add_source(SourceRecord(id="note", file="sources/note.txt", sha256="0" * 64, size=4,
                                      media_type="text/plain", ingested_at=utc_now(), text="note"))
    check(case, tmp_path)
    assert _runs(case) == runs + 1
