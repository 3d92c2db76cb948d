"""A case folder is a boundary: no command and no URL of `belie serve` reads a file outside it.

A case may come from someone else (a colleague, a leak, a download).  Its `file:` keys,
links in `sources/` and `claims/` must not make belie read, store, print or hash a file
of the user's own (``../secret.txt``, ``/etc/passwd``).  Each hostile case below is put
through every command and every page of the review app; the secret's text, and its
SHA-256 and SHA-1, must appear in no output, no file written and not in the case store.
A file outside the case is read only when the user names it on the command line of
`belie add`, and then it is copied in first and the copy's origin is logged.
"""
from __future__ import annotations

import hashlib
import os
import textwrap
from pathlib import Path

import pytest

from belie.cli import main

MARKER = "SECRET-MARKER-4b1d9e"
SECRET = f"root:x:0:0:{MARKER}: the user's own file, never part of any case\n"

BASE = """\
case: Boundary test
entities:
  dubois: {type: person, names: [Jean Dubois]}
  lyon: {type: place, names: [Lyon]}
sources:
  inside: {kind: testimony, speaker: dubois, said: 1923, file: sources/inside.txt}
%s
claims:
  - {id: c1, source: inside, presence: dubois, where: lyon, when: 1923-03,
     quote: "I was in Lyon in March"}
"""


def _secret_digests() -> list[str]:
    data = SECRET.encode("utf-8")
    return [MARKER, hashlib.sha256(data).hexdigest(), hashlib.sha1(data).hexdigest()]


def _make(tmp_path: Path, variant: str) -> tuple[Path, Path]:
    """(case folder, the secret file outside it) for one way of reaching outside."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    case = tmp_path / "case"
    (case / "sources").mkdir(parents=True)
    (case / "sources" / "inside.txt").write_text("I was in Lyon in March 1923.\n", encoding="utf-8")
    extra = ""
    if variant == "dotdot":
        extra = "  leak: {kind: press, file: ../secret.txt}"
    elif variant == "absolute":
        extra = f"  leak: {{kind: press, file: {secret.as_posix()!r}}}"
    elif variant == "deep-dotdot":
        extra = "  leak: {kind: press, file: sources/../../secret.txt}"
    elif variant == "declared-link":
        os.symlink(secret, case / "sources" / "leak.txt")
        extra = "  leak: {kind: press, file: sources/leak.txt}"
    elif variant == "undeclared-link":
        os.symlink(secret, case / "sources" / "leak.txt")
    elif variant == "linked-folder":
        outside = tmp_path / "elsewhere"
        outside.mkdir()
        (outside / "leak.txt").write_text(SECRET, encoding="utf-8")
        os.symlink(outside, case / "sources" / "more")
        extra = "  leak: {kind: press, file: sources/more/leak.txt}"
    elif variant == "linked-claims":
        theirs = tmp_path / "secret-claims.yaml"
        theirs.write_text(f"- {{source: inside, statement: {MARKER}}}\n", encoding="utf-8")
        (case / "claims").mkdir()
        os.symlink(theirs, case / "claims" / "leak.yaml")
        secret.write_text(SECRET, encoding="utf-8")
    (case / "case.yaml").write_text(BASE % extra, encoding="utf-8")
    return case, secret


VARIANTS = ["dotdot", "absolute", "deep-dotdot", "declared-link", "undeclared-link",
            "linked-folder", "linked-claims"]

COMMANDS = [
    ["show", "{case}"],
    ["check", "{case}"],
    ["check", "{case}", "--format", "json"],
    ["check", "{case}", "--format", "markdown"],
    ["reuse", "{case}"],
    ["sources", "{case}"],
    ["extract", "{case}", "--no-store", "--format", "json"],
    ["extract", "{case}"],
    ["report", "{case}", "-o", "{out}/report.html"],
    ["export", "{case}", "--to", "json", "-o", "{out}/case.json"],
    ["export", "{case}", "--to", "ftm", "-o", "{out}/case.ftm.json"],
    ["export", "{case}", "--to", "csv", "-o", "{out}/case.csv"],
    ["export", "{case}", "--to", "markdown", "-o", "{out}/case.md"],
    ["add", "{case}", "{case}/sources"],
    ["add", "{case}", "{case}/sources/leak.txt"],
    ["add", "{case}", "{case}/sources/more/leak.txt"],
    ["add", "{case}", "{case}/sources/inside.txt"],
]

URLS = ["/", "/sources", "/sources/leak", "/sources/inside", "/review", "/findings",
        "/api/case", "/api/sources", "/api/sources/leak", "/api/sources/inside",
        "/api/candidates", "/api/candidates/leak", "/review?status=all", "/favicon.ico", "/api/decisions", "/api/findings", "/api/findings/summary",
        "/api/reuse", "/static/../../secret.txt", "/static/%2e%2e/%2e%2e/secret.txt",
        "/sources/..%2f..%2fsecret.txt", "/api/sources/..%2F..%2Fsecret.txt"]


def _everything_written(folder: Path) -> bytes:
    out = b""
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.is_symlink() and p.resolve().is_relative_to(folder.resolve()):
            out += p.read_bytes()
    return out


def _assert_clean(blob: bytes | str, what: str) -> None:
    if isinstance(blob, str):
        blob = blob.encode("utf-8", "surrogatepass")
    for needle in _secret_digests():
        assert needle.encode() not in blob, f"{what} shows the outside file ({needle[:12]}…)"


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_command_reads_a_file_outside_the_case(tmp_path, variant, capsys):
    case, secret = _make(tmp_path, variant)
    out = tmp_path / "out"
    out.mkdir()
    before = secret.stat().st_atime_ns, secret.read_bytes()
    for argv in COMMANDS:
        argv = [a.format(case=case, out=out) for a in argv]
        code = main(argv)
        got = capsys.readouterr()
        _assert_clean(got.out + got.err, " ".join(argv[:1]) + f" ({variant})")
        assert code in (0, 1, 2), (argv, code)
    _assert_clean(_everything_written(out), f"the files written ({variant})")
    _assert_clean(_everything_written(case), f"the case folder and its store ({variant})")
    assert secret.read_bytes() == before[1]


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_page_of_serve_reads_a_file_outside_the_case(tmp_path, variant):
    from belie.web.app import create_app

    case, _ = _make(tmp_path, variant)
    main(["add", str(case), str(case / "sources")])
    app = create_app(case)
    app.testing = True
    try:
        client = app.test_client()
        for url in URLS:
            resp = client.get(url)
            _assert_clean(resp.get_data(), f"GET {url} ({variant})")
            assert resp.status_code < 500, (url, resp.status_code)
    finally:
        app.extensions["belie"].close()
    _assert_clean(_everything_written(case), f"the case store after serve ({variant})")


@pytest.mark.parametrize("variant,key", [("dotdot", "../secret.txt"), ("absolute", "secret.txt"),
                                         ("declared-link", "sources/leak.txt"),
                                         ("linked-folder", "sources/more/leak.txt")])
def test_the_loader_says_the_file_lies_outside(tmp_path, variant, key, capsys):
    case, _ = _make(tmp_path, variant)
    assert main(["check", str(case)]) == 2
    err = capsys.readouterr().err
    assert "outside the case folder" in err and key in err and "case.yaml:" in err


def test_a_link_in_sources_is_refused_by_add_and_the_rest_is_added(tmp_path, capsys):
    case, _ = _make(tmp_path, "undeclared-link")
    assert main(["add", str(case), str(case / "sources")]) == 2
    got = capsys.readouterr()
    assert "leak.txt" in got.err and "outside the case folder" in got.err
    assert "inside" in got.out
    from belie.store.db import CaseStore

    with CaseStore.open(case, create=False) as store:
        assert [r.id for r in store.sources()] == ["inside"]


def test_a_file_named_on_the_command_line_is_copied_in_and_its_origin_logged(tmp_path, capsys):
    case, _ = _make(tmp_path, "none")
    letter = tmp_path / "Downloads" / "letter.txt"
    letter.parent.mkdir()
    letter.write_text("Dear Dubois,\n", encoding="utf-8")
    assert main(["add", str(case), str(letter)]) == 0
    out = capsys.readouterr().out
    assert "copied" in out and str(letter) in out
    assert (case / "sources" / "letter.txt").read_text(encoding="utf-8") == "Dear Dubois,\n"
    from belie.store.db import CaseStore

    with CaseStore.open(case, create=False) as store:
        rec = store.get_source("letter")
        assert rec.file == "sources/letter.txt"
        logged = [d for d in store.decisions("letter") if d["decision"] == "source-copied"]
    assert logged and str(letter) in str(logged[0])


def test_a_store_linked_outside_the_case_is_refused(tmp_path, capsys):
    case, _ = _make(tmp_path, "none")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, case / ".belie")
    assert main(["add", str(case), str(case / "sources" / "inside.txt")]) == 2
    assert "outside the case folder" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []
