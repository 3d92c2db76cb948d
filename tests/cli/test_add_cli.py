"""`belie add`: declares what it ingests, refuses a second copy of the same bytes, and
leaves nothing behind when it refuses a file."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import belie
from belie.store.db import CaseStore

ROOT = Path(__file__).resolve().parents[2]

CASE = """\
case: Council   # a journalist's case
entities:
  okafor: {type: person, names: [Grace Okafor]}
  pryce: {type: person, names: [Tom Pryce]}
  press-office: {type: organisation, names: [Council Press Office]}
# the sources, as I find them
sources:
  minutes: {kind: record, said: 2023-04-02}   # the council's own minutes
claims: []
"""


def run(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "belie.cli", *args], capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.fixture
def case(tmp_path) -> Path:
    folder = tmp_path / "case"
    (folder / "sources").mkdir(parents=True)
    (folder / "case.yaml").write_text(CASE, encoding="utf-8")
    return folder


def test_declares_the_source_with_the_flags_and_keeps_comments(case, tmp_path):
    f = tmp_path / "okafor.txt"
    f.write_text("I saw Tom Pryce at the harbour.\n", encoding="utf-8")
    out = run("add", str(case), str(f), "--copy", "--kind", "testimony", "--speaker", "okafor",
              "--said", "2023-04-05")
    assert out.returncode == 0, out.stderr
    assert "declared source 'okafor' in case.yaml:" in out.stdout
    text = (case / "case.yaml").read_text(encoding="utf-8")
    assert "# a journalist's case" in text and "# the council's own minutes" in text
    src = belie.load_case(case).sources["okafor"]
    assert (src.kind, src.speaker, src.file) == ("testimony", "okafor", "sources/okafor.txt")


EML = """\
From: Council Press Office <press@council.example>
Date: Mon, 03 Apr 2023 09:15:00 +0100
Subject: Councillor Pryce chaired the meeting

Councillor Pryce chaired the meeting in Cardiff all day on 2 April 2023.
"""


def test_an_emails_sender_and_date_fill_the_declaration(case):
    (case / "sources" / "press.eml").write_text(EML, encoding="utf-8")
    out = run("add", str(case), str(case / "sources" / "press.eml"), "--kind", "press")
    assert out.returncode == 0, out.stderr
    src = belie.load_case(case).sources["press"]
    assert src.speaker == "press-office" and src.said.text == "2023-04-03" and src.kind == "press"
    assert "from the file's sender" in out.stdout and "from the file's Date header" in out.stdout


def test_without_a_kind_a_stub_says_what_to_finish(case):
    (case / "sources" / "notes.txt").write_text("Some notes.\n", encoding="utf-8")
    out = run("add", str(case), str(case / "sources" / "notes.txt"))
    assert out.returncode == 0 and "finish it: give its kind" in out.stdout
    text = (case / "case.yaml").read_text(encoding="utf-8")
    assert "notes:   # belie add: declare it: give its kind (confession | testimony" in text
    check = run("check", str(case))
    assert check.returncode == 2 and "source 'notes': missing `kind`" in check.stderr
    import re

    line = text.splitlines().index(next(ln for ln in text.splitlines() if ln.startswith("  notes:"))) + 1
    at = int(re.search(r"case\.yaml:(\d+):", check.stderr).group(1))
    assert line <= at <= line + 1             # the stub's own lines


def test_a_second_copy_of_the_same_bytes_is_refused(case, tmp_path):
    (case / "sources" / "witness-okafor.txt").write_text("I saw him.\n", encoding="utf-8")
    assert run("add", str(case), str(case / "sources" / "witness-okafor.txt"), "--kind", "testimony").returncode == 0
    elsewhere = tmp_path / "downloads" / "witness-okafor.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_text("I saw him.\n", encoding="utf-8")
    (case / "sources" / "copy.txt").write_text("I saw him.\n", encoding="utf-8")
    for args in ([str(case / "sources" / "copy.txt")], [str(elsewhere)]):
        out = run("add", str(case), *args)
        assert out.returncode == 2
        assert "already source 'witness-okafor'" in out.stderr and "not added again" in out.stderr
    with CaseStore.open(case) as store:
        assert [s.id for s in store.sources()] == ["witness-okafor"]
    assert "witness-okafor-2" not in (case / "case.yaml").read_text(encoding="utf-8")
    # the same file again is no copy: unchanged, nothing refused
    again = run("add", str(case), str(case / "sources" / "witness-okafor.txt"))
    assert again.returncode == 0 and again.stdout.startswith("unchanged")


@pytest.mark.parametrize("name,content,why", [
    ("notes.odt", b"PK\x03\x04 not a format belie reads", "unsupported file type"),
    ("notes.docx", b"PK\x03\x04 a damaged Word file", "cannot read it as docx"),
])
def test_a_refused_file_leaves_nothing_behind(case, tmp_path, name, content, why):
    f = tmp_path / name
    f.write_bytes(content)
    before = (case / "case.yaml").read_text(encoding="utf-8")
    out = run("add", str(case), str(f), "--copy", "--kind", "testimony")
    assert out.returncode == 2 and why in out.stderr and "Traceback" not in out.stderr
    assert list((case / "sources").iterdir()) == []
    assert (case / "case.yaml").read_text(encoding="utf-8") == before


def test_a_photo_proposes_its_exif_for_review(case, tmp_path):
    pytest.importorskip("PIL")
    from PIL import Image

    img = Image.new("RGB", (16, 16))
    exif = Image.Exif()
    exif[271], exif[272] = "Canon", "Canon EOS 5D"
    exif.get_ifd(0x8769)[36867] = "2023:04:02 12:10:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (51.0, 30.0, 0.0), "W", (0.0, 7.0, 30.0)
    img.save(case / "sources" / "photo.jpg", exif=exif)
    out = run("add", str(case), str(case / "sources" / "photo.jpg"), "--kind", "record")
    assert out.returncode == 0, out.stderr
    assert "proposed 1 candidate claim(s) from its EXIF" in out.stdout and "forged" in out.stdout
    with CaseStore.open(case) as store:
        (cand,) = store.candidates("proposed")
    assert cand["source_id"] == "photo" and cand["data"]["entities"][cand["data"]["presence"]]["type"] == "object"
    assert belie.load_case(case).sources["photo"].said.text == "2023-04-02"


def test_a_run_stopped_between_the_store_and_case_yaml_is_finished_by_the_next(case):
    """The store commits a source before case.yaml declares it; a run killed in between
    (simulated: the file ingested by the library alone) is finished by adding it again."""
    from belie.store.ingest import ingest

    f = case / "sources" / "okafor.txt"
    f.write_text("I saw him.\n", encoding="utf-8")
    with CaseStore.open(case) as store:
        ingest(store, case, [f])
    assert "okafor" not in belie.load_case(case).sources
    out = run("add", str(case), str(f), "--kind", "testimony")
    assert out.returncode == 0 and out.stdout.startswith("unchanged")
    assert belie.load_case(case).sources["okafor"].kind == "testimony"


def test_from_belie_init_the_sources_are_declared_without_hand_editing(tmp_path):
    """`belie init` writes `sources: {}`; `belie add` declares into it, and the case checks."""
    folder = tmp_path / "council"
    assert run("init", str(folder)).returncode == 0
    (folder / "sources" / "release-a.eml").write_text(EML, encoding="utf-8")
    (folder / "sources" / "release-b.eml").write_text(EML.replace("all day", "in the morning")
                                                       .replace("09:15", "11:40"), encoding="utf-8")
    (folder / "sources" / "cameras.csv").write_text("camera,time,plate\nC1,2023-04-02 12:05,AB12CDE\n",
                                                    encoding="utf-8")
    for args in (["release-a.eml", "release-b.eml", "--kind", "press"], ["cameras.csv", "--kind", "record"]):
        out = run("add", str(folder), *[str(folder / "sources" / a) if a.endswith(("eml", "csv")) else a
                                        for a in args])
        assert out.returncode == 0, out.stderr
    text = (folder / "case.yaml").read_text(encoding="utf-8")
    assert "# The sources." in text and "#  dubois-statement:" in text     # the starter's comments stay
    case = belie.load_case(folder)
    assert {s: case.sources[s].kind for s in case.sources} == {
        "release-a": "press", "release-b": "press", "cameras": "record"}
    assert case.sources["release-a"].said.text == "2023-04-03"
    assert run("check", str(folder)).returncode == 0
