"""The limits of belie.limits: input beyond one is refused with a message naming the file,
the line and the limit; output stays proportionate to the input (issue 13, item 5)."""
from __future__ import annotations

import io
import os
import textwrap

import pytest

import belie.limits as limits
from belie.cli import main
from belie.errors import InputError

HEAD = """\
case: Limits
entities:
  dubois: {type: person, names: [Jean Dubois]}
  lyon: {type: place, names: [Lyon]}
sources:
  s1: {kind: testimony, speaker: dubois, said: 1923-02-14}
claims:
"""


def write_case(tmp_path, body: str):
    case = tmp_path / "case"
    case.mkdir(exist_ok=True)
    (case / "case.yaml").write_text(HEAD + textwrap.indent(body, "  "), encoding="utf-8")
    return case


def test_a_quote_longer_than_the_limit_is_refused(tmp_path, capsys):
    quote = "word " * (limits.MAX_QUOTE_CHARS // 5 + 1)
    case = write_case(tmp_path, f"- {{source: s1, statement: x, quote: '{quote}'}}\n")
    assert main(["check", str(case)]) == 2
    err = capsys.readouterr().err
    assert "case.yaml:8:" in err and f"{limits.MAX_QUOTE_CHARS:,}" in err
    assert len(err) < 1000


@pytest.mark.parametrize("where", ["claim", "entity", "source"])
def test_an_id_longer_than_the_limit_is_refused(tmp_path, where, capsys):
    long = "x" * (limits.MAX_ID_CHARS + 1)
    body = {"claim": f"- {{id: {long}, source: s1, statement: x}}\n",
            "entity": "- {source: s1, statement: x}\n",
            "source": "- {source: s1, statement: x}\n"}[where]
    case = write_case(tmp_path, body)
    text = (case / "case.yaml").read_text()
    if where == "entity":
        text = text.replace("  lyon:", f"  {long}: {{type: place, names: [Nowhere]}}\n  lyon:")
    elif where == "source":
        text = text.replace("claims:", f"  {long}: {{kind: press}}\nclaims:")
    (case / "case.yaml").write_text(text)
    assert main(["show", str(case)]) == 2
    err = capsys.readouterr().err
    assert f"{limits.MAX_ID_CHARS} characters" in err and "case.yaml:" in err
    assert len(err) < 1000


def test_a_case_file_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch, capsys):
    case = write_case(tmp_path, "- {source: s1, statement: x}\n")
    with open(case / "case.yaml", "r+b") as fh:    # sparse: no disk used
        fh.truncate(limits.MAX_CASE_FILE_BYTES + 1)
    assert main(["check", str(case)]) == 2
    err = capsys.readouterr().err
    assert "case.yaml" in err and "64 MB" in err


def _sparse(path, size):
    with open(path, "wb") as fh:
        fh.truncate(size)


def test_a_source_over_the_limit_is_refused_without_reading_it(tmp_path, monkeypatch, capsys):
    case = write_case(tmp_path, "")
    (case / "sources").mkdir()
    big = case / "sources" / "huge.txt"
    _sparse(big, limits.MAX_SOURCE_BYTES + 1)      # 200 MB of NULs that take no disk
    import belie.store.ingest as ingest

    def no_reading(*a, **k):
        raise AssertionError("the file was read")

    monkeypatch.setattr(ingest, "hash_file", no_reading)
    assert main(["add", str(case), str(big)]) == 2
    err = capsys.readouterr().err
    assert "huge.txt" in err and "200 MB" in err


def test_a_sparse_gigabyte_is_refused_by_extract_too(tmp_path):
    from belie.store.ingest import extract

    big = tmp_path / "huge.txt"
    _sparse(big, 1 << 30)
    with pytest.raises(InputError) as exc:
        extract(big)
    assert "200 MB" in str(exc.value)


def test_a_long_word_in_the_terminal_is_shown_by_its_ends(tmp_path, capsys):
    """On a terminal, where rich wraps lines (in time that grows with the square of a
    word's length), a word too long to wrap is shown by its two ends; piped, nothing is
    cut (issue 12: never truncate ids or quotes when not a terminal)."""
    import io

    import belie
    from rich.console import Console

    from belie.report.text import print_check

    word = "A" * 9_000 + "Z"
    case = write_case(tmp_path, f"- {{id: c1, source: s1, presence: dubois, where: lyon, when: 1923-03, "
                                f"note: {word}}}\n- {{id: c2, source: s1, presence: dubois, where: lyon, "
                                f"when: 1923-03-05, denies: true, quote: 'x {word} y'}}\n")
    code = main(["check", str(case)])
    piped = capsys.readouterr().out
    assert code == 0 and "c2" in piped and word in piped
    buf = io.StringIO()
    print_check(belie.check(belie.load_case(case)), Console(file=buf, force_terminal=True, width=100))
    shown = buf.getvalue()
    assert "c2" in shown and "…" in shown and "Z" in shown and word not in shown
    assert len(shown) < 20_000


def test_terminal_words_are_cut_and_controls_escaped():
    from belie.report.text import terminal_text

    assert terminal_text("plain words stay") == "plain words stay"
    cut = terminal_text("x" * 1000 + " end")
    assert cut.endswith(" end") and "…" in cut and len(cut) < 200
    assert terminal_text("evil\u202eexe.txt") == "evil\\u202eexe.txt"
    assert terminal_text("a\x1b[31mred") == "a\\x1b[31mred"


def test_locating_a_long_unmatched_quote_is_bounded():
    from belie.store.quotes import locate_quote

    text = " ".join(f"word{i % 997} filler{i % 13}" for i in range(60_000))   # about 0.8 MB
    quote = " ".join(f"other{i} word{i % 997}" for i in range(300))            # about 3 KB, not in it
    m = locate_quote(quote, text)
    assert not m.found and m.nearest is not None and m.similarity < 0.9
