"""Readers built on regular expressions give the right answer on moderately sized hostile
input (their speed on 100 KB is measured by benchmarks/regex_adversarial.py, not here).
Each input below took belie from seconds to hours before its expression was rewritten."""
from __future__ import annotations

from belie.cli import main
from belie.store.ingest import extract, markdown_title
from belie.store.quotes import locate_quote


def test_the_markdown_title_of_a_line_of_spaces(tmp_path, capsys):
    # 6 KB: 10.9 s with the old expression (cubic); 12 KB: 88 s
    doc = tmp_path / "case" / "sources" / "notes.md"
    doc.parent.mkdir(parents=True)
    (tmp_path / "case" / "case.yaml").write_text("case: t\n", encoding="utf-8")
    doc.write_text("# a" + " " * 6000 + "b\n\nbody\n", encoding="utf-8")
    assert extract(doc).title == "a" + " " * 6000 + "b"
    assert main(["add", str(tmp_path / "case"), str(doc)]) == 0
    assert "notes" in capsys.readouterr().out


def test_markdown_titles_as_before():
    assert markdown_title("intro\n# The Trial #\n# Second\n") == "The Trial"
    assert markdown_title("## Sub\n#\tTabbed ##\n") == "Tabbed"
    assert markdown_title("#hashtag\nno title\n") is None


def test_a_quote_with_a_long_run_of_spaces_is_located(tmp_path):
    text = "He said: I was in Lyon ... all March.\n"
    quote = "I was in Lyon" + " " * 30_000 + "... all March"
    m = locate_quote(quote, text)
    assert m.found and text[m.start:m.end].startswith("I was in Lyon")


def test_sentences_split_after_a_run_of_initials():
    from belie.extract import _CUT

    text = "A." * 20_000 + " The next sentence."
    cuts = [m.end(1) for m in _CUT.finditer(text)]
    assert cuts == [40_000]
    assert [m.end(1) for m in _CUT.finditer("He met J.V. Stalin there.")] == [11]
    assert [m.end(1) for m in _CUT.finditer("Ask the U.S. Army. Then go.")] == [12]
