"""Source ingest: extraction, hashing, ids, files left untouched, kill safety; `belie init`/`add`."""
from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from belie.cli import main
from belie.errors import InputError
from belie.store.db import CaseStore, store_path
from belie.store.ingest import (IngestError, declared_sources, extract, extract_text, ingest,
                                load_case_leniently, quotes_in_case, read_declared_sources,
                                read_quotes, slugify)

SRC = Path(__file__).resolve().parents[2] / "src"


def minimal_pdf(text: str, title: str = "Gazette 1923") -> bytes:
    """A one-page PDF, written by hand, showing *text* in Helvetica."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Title (" + title.encode("latin-1") + b") >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def snapshot(path: Path) -> tuple:
    st = path.stat()
    return path.read_bytes(), st.st_mtime_ns, st.st_size, st.st_mode


@pytest.fixture
def case(tmp_path) -> Path:
    case = tmp_path / "case"
    (case / "sources").mkdir(parents=True)
    (case / "claims").mkdir()
    (case / "case.yaml").write_text(textwrap.dedent("""\
        case: test
        sources:
          dubois-statement: {kind: confession, said: 1923-02-14, file: sources/dubois.txt}
          gazette-1923: {kind: press, file: ./sources/gazette.pdf}
        claims:
          - {id: cafe, source: dubois-statement, statement: met Marchand,
             quote: "I met Marchand at the Grand Café in the middle of March"}
          - {source: dubois-statement, statement: espionage, quote: "He spoke of espionage in Lyon"}
        """), encoding="utf-8")
    (case / "sources" / "dubois.txt").write_text(
        "Statement of Jean Dubois.\r\n\r\nI met Marchand at the Grand Café in the mid-\r\n"
        "dle of March. He spoke of “sabo-\r\ntage” in Nice.\r\n", encoding="utf-8")
    (case / "sources" / "gazette.pdf").write_bytes(minimal_pdf("Marchand served Italy."))
    return case


# -- extraction ------------------------------------------------------------------

def test_plain_text_and_markdown_are_kept_as_is(tmp_path):
    raw = "Line one\r\n\tindented  twice\r\n# not a title\n"
    (tmp_path / "a.txt").write_bytes(raw.encode("utf-8"))
    assert extract_text(tmp_path / "a.txt") == (raw, "text/plain")
    (tmp_path / "b.md").write_text("intro\n\n# The Title\n\nbody *x*\n", encoding="utf-8")
    ext = extract(tmp_path / "b.md")
    assert ext.text == "intro\n\n# The Title\n\nbody *x*\n" and ext.media_type == "text/markdown"
    assert ext.title == "The Title"
    (tmp_path / "c.txt").write_bytes("caf\xe9 \x93quoted\x94".encode("latin-1"))  # cp1252 fallback
    assert extract_text(tmp_path / "c.txt")[0] == "café “quoted”"


def test_html_drops_scripts_and_styles_and_keeps_block_breaks(tmp_path):
    html = """<!doctype html><html><head><meta charset="utf-8"><title> La  Gazette </title>
      <style>body { color: red }</style><script>var secret = "SCRIPT TEXT";</script></head>
      <body><h1>Marchand &amp; Italy</h1>
      <p>The traitor   Marchand
         served&nbsp;Italy &mdash; so we&#39;re told.</p>
      <script type="text/javascript">document.write("MORE SCRIPT")</script>
      <ul><li>first</li><li>second</li></ul>
      <p>line<br>break</p><table><tr><td>a</td><td>b</td></tr></table>
      <noscript>enable js</noscript></body></html>"""
    (tmp_path / "g.html").write_text(html, encoding="utf-8")
    ext = extract(tmp_path / "g.html")
    assert ext.media_type == "text/html" and ext.title == "La Gazette"
    assert "SCRIPT" not in ext.text and "secret" not in ext.text and "color" not in ext.text
    assert ext.text == ("Marchand & Italy\n\nThe traitor Marchand served Italy — so we're told."
                        "\n\nfirst\nsecond\n\nline\nbreak\n\na\tb\n\nenable js")


def test_html_charset_is_honoured(tmp_path):
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    page += "</head><body><p>Caf\xe9</p></body></html>"
    (tmp_path / "x.htm").write_bytes(page.encode("cp1252"))
    assert extract_text(tmp_path / "x.htm") == ("Café", "text/html")


def test_pdf_text_and_title(tmp_path):
    (tmp_path / "g.pdf").write_bytes(minimal_pdf("Marchand served Italy in 1921."))
    ext = extract(tmp_path / "g.pdf")
    assert ext.media_type == "application/pdf"
    assert "Marchand served Italy in 1921." in ext.text
    assert ext.title == "Gazette 1923"


def test_encrypted_pdf_is_a_clear_input_error(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with open(tmp_path / "locked.pdf", "wb") as fh:
        writer.write(fh)
    with pytest.raises(InputError, match="encrypted") as info:
        extract_text(tmp_path / "locked.pdf")
    assert info.value.problems[0].file.endswith("locked.pdf")


def test_unreadable_pdf_is_an_input_error(tmp_path):
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    with pytest.raises(InputError, match="bad.pdf"):
        extract_text(tmp_path / "bad.pdf")


def test_unknown_type_names_the_file(tmp_path):
    (tmp_path / "notes.odt").write_bytes(b"PK\x03\x04 (an OpenDocument file)")
    with pytest.raises(InputError) as info:
        extract_text(tmp_path / "notes.odt")
    assert "notes.odt" in str(info.value) and "unsupported file type" in str(info.value)


# -- ingest ------------------------------------------------------------------------

def test_ingest_records_hash_size_type_and_leaves_the_file_untouched(case):
    path = case / "sources" / "dubois.txt"
    pdf = case / "sources" / "gazette.pdf"
    before = [snapshot(path), snapshot(pdf)]
    with CaseStore.open(case) as store:
        records = ingest(store, case, [path, pdf])
        assert [snapshot(path), snapshot(pdf)] == before
        dubois, gazette = records
        assert dubois.id == "dubois-statement" and dubois.kind == "confession"
        assert gazette.id == "gazette-1923" and gazette.media_type == "application/pdf"
        assert gazette.title == "Gazette 1923"
        assert dubois.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert dubois.size == path.stat().st_size and dubois.file == "sources/dubois.txt"
        assert dubois.text == path.read_bytes().decode("utf-8") and dubois.chars == len(dubois.text)
        assert dubois.ingested_at.endswith("+00:00") and dubois.status == "added"
        assert store.get_source("dubois-statement") == dubois


def test_readding_an_unchanged_file_is_a_no_op(case):
    path = case / "sources" / "dubois.txt"
    with CaseStore.open(case) as store:
        [first] = ingest(store, case, [path])
        [again] = ingest(store, case, [path])
        assert again.status == "unchanged" and again.ingested_at == first.ingested_at
        assert store.counts()["sources"] == 1 and store.decisions() == []


def test_a_changed_file_is_reported_and_logged(case):
    path = case / "sources" / "dubois.txt"
    with CaseStore.open(case) as store:
        [first] = ingest(store, case, [path])
        path.write_text("A different statement.", encoding="utf-8")
        [changed] = ingest(store, case, [path])
        assert changed.status == "changed" and changed.previous_sha256 == first.sha256
        assert changed.id == first.id and changed.sha256 != first.sha256
        assert store.get_source(first.id).text == "A different statement."
        [log] = store.decisions(first.id)
        assert log["decision"] == "source-changed"
        assert (log["before"]["sha256"], log["after"]["sha256"]) == (first.sha256, changed.sha256)


def test_ids_come_from_the_case_or_from_the_file_stem(case):
    (case / "sources" / "Gazette de Lyon (1923).txt").write_text("x", encoding="utf-8")
    (case / "sources" / "other").mkdir()
    (case / "sources" / "other" / "gazette-de-lyon-1923.md").write_text("y", encoding="utf-8")
    (case / "sources" / "dubois-statement.txt").write_text("z", encoding="utf-8")
    with CaseStore.open(case) as store:
        recs = ingest(store, case, [case / "sources" / "Gazette de Lyon (1923).txt",
                                    case / "sources" / "other" / "gazette-de-lyon-1923.md",
                                    case / "sources" / "dubois-statement.txt"])
        # the declared dubois-statement belongs to sources/dubois.txt, so this one is renamed
        assert [r.id for r in recs] == ["gazette-de-lyon-1923", "gazette-de-lyon-1923-2",
                                        "dubois-statement-2"]
        # re-adding keeps the ids
        again = ingest(store, case, [case / "sources" / "other" / "gazette-de-lyon-1923.md"])
        assert again[0].id == "gazette-de-lyon-1923-2" and again[0].status == "unchanged"
    assert slugify("Émile — Ravel's letter") == "emile-ravel-s-letter"
    assert slugify("***") == "source"


def test_sources_and_quotes_come_from_the_loader_when_the_case_is_valid(case):
    case_obj, problems = load_case_leniently(case)
    assert problems == [] and case_obj is not None
    declared = declared_sources(case)
    assert declared["dubois-statement"]["kind"] == "confession"
    quotes = quotes_in_case(case)
    assert [q.claim_id for q in quotes] == [c.id for c in case_obj.claims]
    assert quotes[0][:3] == ("cafe", "dubois-statement",
                             "I met Marchand at the Grand Café in the middle of March")


def test_an_invalid_case_falls_back_to_the_minimal_readers(case):
    (case / "claims" / "more.yaml").write_text(textwrap.dedent("""\
        sources:
          hotel: {kind: record, file: sources/hotel.txt}
        claims:
          - {source: hotel, presence: nobody-declared, where: nowhere, when: 1921-03}
          - source: hotel
            quote: Marchand, room 12
        """), encoding="utf-8")
    case_obj, problems = load_case_leniently(case)
    assert case_obj is None and problems
    declared = declared_sources(case)
    assert declared == read_declared_sources(case)
    assert declared["hotel"] == {"file": "sources/hotel.txt", "kind": "record", "title": None}
    assert declared["gazette-1923"]["file"] == "./sources/gazette.pdf"
    quotes = quotes_in_case(case)
    assert quotes == read_quotes(case)
    assert [(q.claim_id, q.source_id, q.line) for q in quotes] == [
        ("cafe", "dubois-statement", 6), ("case.yaml:8", "dubois-statement", 8),
        ("claims/more.yaml:5", "hotel", 5)]


def test_broken_case_yaml_is_reported_with_its_line(case):
    (case / "case.yaml").write_text("sources:\n  a: {kind: record\n", encoding="utf-8")
    with CaseStore.open(case) as store, pytest.raises(InputError) as info:
        ingest(store, case, [case / "sources" / "dubois.txt"])
    problem = info.value.problems[0]
    assert problem.file.endswith("case.yaml") and problem.line is not None


def test_bad_files_are_listed_and_good_ones_kept(case):
    (case / "sources" / "notes.docx").write_bytes(b"PK")
    with CaseStore.open(case) as store:
        with pytest.raises(IngestError) as info:
            ingest(store, case, [case / "sources" / "notes.docx", case / "sources" / "missing.txt",
                                 case / "sources" / "dubois.txt"])
        assert [r.id for r in info.value.records] == ["dubois-statement"]
        assert len(info.value.problems) == 2
        assert store.get_source("dubois-statement") is not None


KILL_SCRIPT = """
import sys
from pathlib import Path
from belie.store.db import CaseStore
from belie.store.ingest import ingest

case = Path(sys.argv[1])
files = sorted((case / "sources").glob("*.txt"))

def progress(event, path, n, record):
    if event == "done":
        print("ACK", record.id, record.sha256, flush=True)

with CaseStore.open(case) as store:
    ingest(store, case, files, progress=progress)
print("FINISHED", flush=True)
"""


def test_a_killed_ingest_leaves_every_acknowledged_source_intact(tmp_path):
    case = tmp_path / "case"
    (case / "sources").mkdir(parents=True)
    (case / "case.yaml").write_text("case: kill test\n", encoding="utf-8")
    expected = {}
    for i in range(200):
        body = (f"Document {i}. " + "The witness repeated his account. " * 3000).encode()
        (case / "sources" / f"doc-{i:03d}.txt").write_bytes(body)
        expected[f"doc-{i:03d}"] = hashlib.sha256(body).hexdigest()

    env = dict(os.environ, PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(case)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, text=True)
    acked = {}
    try:
        for line in proc.stdout:
            assert line.startswith("ACK "), line
            _, sid, sha = line.split()
            acked[sid] = sha
            if len(acked) == 25:
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        proc.kill()
        rest, err = proc.communicate()
    assert proc.returncode == -signal.SIGKILL, err
    assert "FINISHED" not in rest
    # Lines already in the pipe when the kill landed were acknowledged too.
    for line in rest.splitlines():
        _, sid, sha = line.split()
        acked[sid] = sha
    assert 25 <= len(acked) < 200

    conn = sqlite3.connect(store_path(case))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = dict(conn.execute("SELECT id, sha256 FROM sources"))
    texts_ok = conn.execute("SELECT count(*) FROM sources WHERE chars = length(text) "
                            "AND size = length(CAST(text AS BLOB))").fetchone()[0]
    conn.close()
    for sid, sha in acked.items():
        assert stored.get(sid) == sha == expected[sid]
    # whatever else made it in is whole and correct as well
    assert all(expected[sid] == sha for sid, sha in stored.items())
    assert texts_ok == len(stored)

    # and the store can be opened and the ingest finished
    with CaseStore.open(case) as store:
        records = ingest(store, case, sorted((case / "sources").glob("*.txt")))
        assert {r.id for r in records if r.status == "unchanged"} >= set(acked)
        assert {s.id: s.sha256 for s in store.sources()} == expected


# -- the commands ------------------------------------------------------------------

def test_init_creates_a_case_and_refuses_to_overwrite(tmp_path, capsys):
    case = tmp_path / "new-case"
    assert main(["init", str(case)]) == 0
    assert (case / "case.yaml").is_file() and (case / "claims").is_dir()
    assert (case / "sources").is_dir() and store_path(case).is_file()
    import yaml

    data = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    assert data == {"case": "new case", "entities": {}, "sources": {}, "claims": []}
    assert load_case_leniently(case)[1] == []  # the full loader accepts the starter
    (case / "case.yaml").write_text("case: mine\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["init", str(case)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (case / "case.yaml").read_text(encoding="utf-8") == "case: mine\n"


def test_add_reports_each_file_and_its_quotes(case, capsys):
    path = case / "sources" / "dubois.txt"
    before = snapshot(path)
    assert main(["add", str(case), str(path)]) == 0
    out = capsys.readouterr().out
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert f"added     dubois-statement  sha256:{sha[:12]}" in out
    assert "text/plain  sources/dubois.txt" in out
    assert "quote cafe: found (normalised)" in out
    unnamed = quotes_in_case(case)[1].claim_id
    assert f"quote {unnamed}: NOT FOUND in dubois-statement; nearest passage" in out
    assert "problem(s)" not in out
    assert snapshot(path) == before

    assert main(["add", str(case), str(path)]) == 0
    assert "unchanged dubois-statement" in capsys.readouterr().out


def test_add_a_folder_and_bad_files(case, capsys, tmp_path):
    (case / "sources" / "extra.html").write_text("<p>hello</p>", encoding="utf-8")
    assert main(["add", str(case), str(case / "sources")]) == 0
    out = capsys.readouterr().out
    assert "dubois-statement" in out and "extra" in out and "not declared" not in out
    assert main(["add", str(case), str(case / "sources" / "nope.txt")]) == 2
    assert "nope.txt: no such file" in capsys.readouterr().err
    assert main(["add", str(tmp_path), str(case / "sources" / "dubois.txt")]) == 2
    assert "no case.yaml" in capsys.readouterr().err


def test_add_copy_brings_outside_files_into_the_case(case, tmp_path, capsys):
    outside = tmp_path / "Downloads" / "letter.txt"
    outside.parent.mkdir()
    outside.write_text("Dear Marchand,", encoding="utf-8")
    before = snapshot(outside)
    assert main(["add", str(case), str(outside), "--copy"]) == 0
    assert "sources/letter.txt" in capsys.readouterr().out
    assert (case / "sources" / "letter.txt").read_text(encoding="utf-8") == "Dear Marchand,"
    assert snapshot(outside) == before
