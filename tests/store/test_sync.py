"""The store sync writes only what changed since the last run."""
from __future__ import annotations

import shutil
from pathlib import Path

from belie.model.loading import load_case
from belie.store.db import CaseStore, SourceRecord, utc_now
from belie.store.sync import record_claims, record_run

ROOT = Path(__file__).resolve().parents[2]

CASE = """case: Sync
entities:
  anna: {type: person}
  paris: {type: place, at: [48.85, 2.35]}
  lyon: {type: place, at: [45.76, 4.84]}
sources:
  reg: {kind: record, said: 1921-03-21}
claims:
  - {id: c1, source: reg, presence: anna, where: paris, when: 1921-03-01, quote: "Anna in Paris"}
  - {id: c2, source: reg, presence: anna, where: lyon, when: 1921-03-09}
  - {id: c3, source: reg, presence: anna, where: paris, when: 1921-03-15}
"""


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "case.yaml").write_text(text, encoding="utf-8")
    return folder


def _changes(store: CaseStore, case):
    before = store.conn.total_changes
    report = record_claims(store, case)
    return report, store.conn.total_changes - before


def test_second_unchanged_run_writes_no_claim(tmp_path):
    folder = _write(tmp_path / "c", CASE)
    with CaseStore.open(folder) as store:
        first, n1 = _changes(store, load_case(folder))
        assert sorted(first.added) == ["c1", "c2", "c3"] and n1 >= 3
        second, n2 = _changes(store, load_case(folder))
        assert second.skipped and n2 == 0
        assert [c["id"] for c in store.claims()] == ["c1", "c2", "c3"]


def test_a_changed_claim_is_updated_and_the_others_kept(tmp_path):
    folder = _write(tmp_path / "c", CASE)
    with CaseStore.open(folder) as store:
        record_claims(store, load_case(folder))
        _write(folder, CASE.replace("where: lyon, when: 1921-03-09", "where: paris, when: 1921-03-09")
               .replace("  - {id: c3, source: reg, presence: anna, where: paris, when: 1921-03-15}\n", ""))
        report, _ = _changes(store, load_case(folder))
        assert not report.skipped
        assert (report.added, report.updated, report.removed, report.unchanged) == ([], ["c2"], 1, 1)
        stored = {c["id"]: c for c in store.claims()}
        assert sorted(stored) == ["c1", "c2"] and stored["c2"]["data"]["where"] == "paris"


def test_a_case_built_in_memory_is_compared_claim_by_claim(tmp_path):
    folder = _write(tmp_path / "c", CASE)
    case = load_case(folder)
    case.files = []                      # not read from files: no hash to skip on
    with CaseStore.open(folder) as store:
        record_claims(store, case)
        report, n = _changes(store, case)
        assert not report.skipped and report.written == 0 and report.unchanged == 3
        assert n == 0


def test_a_newly_ingested_source_locates_the_quotes_again(tmp_path):
    folder = _write(tmp_path / "c", CASE)
    with CaseStore.open(folder) as store:
        record_claims(store, load_case(folder))
        assert store.claims()[0]["quote_status"] is None
        store.add_source(SourceRecord(id="reg", file="sources/reg.txt", sha256="0" * 64, size=30,
                                      media_type="text/plain", ingested_at=utc_now(),
                                      text="Register: Anna in Paris, 1 March."))
        report, _ = _changes(store, load_case(folder))
        assert not report.skipped and report.written == 0
        assert store.claims()[0]["quote_status"] == "exact"


def test_check_twice_keeps_every_finding_of_each_run(tmp_path):
    folder = tmp_path / "moscow"
    shutil.copytree(ROOT / "examples" / "moscow-1936", folder, ignore=shutil.ignore_patterns(".belie"))
    case = load_case(folder)
    first = record_run(case, "check", [{"rule": "alibi", "severity": "note", "n": 1}])
    second = record_run(load_case(folder), "check", [{"rule": "alibi", "severity": "note", "n": 2}])
    with CaseStore.open(folder) as store:
        assert second == first + 1
        assert len(store.claims()) == len(case.claims)
        assert store.latest_findings("check")[0]["n"] == 2
