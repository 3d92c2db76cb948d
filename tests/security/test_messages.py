"""Messages a user can act on (issue 13, item 6): where, what, and what belie assumed."""
from __future__ import annotations

import codecs
import json

import pytest

import belie
from belie.cli import main
from belie.errors import InputError
from belie.store.ingest import extract


def test_a_control_character_in_yaml_names_line_and_column(tmp_path, capsys):
    case = tmp_path / "case"
    case.mkdir()
    (case / "case.yaml").write_text("case: x\ndescription: ab\x07cd\n", encoding="utf-8")
    assert main(["check", str(case)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "case.yaml:2:16:" in err and "#x0007" in err and "position" not in err


def test_a_case_json_with_a_byte_order_mark_is_read(tmp_path):
    case = tmp_path / "case"
    case.mkdir()
    body = json.dumps({"case": "BOM", "entities": {"a": {"type": "person", "names": ["A"]}},
                       "sources": {"s": {"kind": "press"}},
                       "claims": [{"source": "s", "statement": "x"}]})
    (case / "case.json").write_bytes(codecs.BOM_UTF8 + body.encode("utf-8"))
    loaded = belie.load_case(case)
    assert loaded.name == "BOM" and len(loaded.claims) == 1


def test_text_mixing_utf8_and_latin1_is_read_whole_and_says_so(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("Le café de Lyon, ".encode("utf-8") + "où il était.".encode("latin-1"))
    ext = extract(path)
    assert ext.text == "Le café de Lyon, où il était."
    assert ext.note and "UTF-8" in ext.note and "Windows-1252" in ext.note


def test_a_legacy_encoding_is_detected_and_named(tmp_path):
    path = tmp_path / "cyrillic.txt"
    text = ("Показания свидетеля о встрече в гостинице Бристоль в Копенгагене в ноябре "
            "тысяча девятьсот тридцать второго года. ") * 3
    path.write_bytes(text.encode("cp1251"))
    ext = extract(path)
    assert ext.text == text
    assert ext.note and "cp1251" in ext.note.lower().replace("windows-1251", "cp1251")


def test_utf8_is_read_without_a_note(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Le café de Lyon.", encoding="utf-8")
    ext = extract(path)
    assert ext.text == "Le café de Lyon." and ext.note is None


def test_html_declaring_utf16_without_a_bom_is_read_as_utf8(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes('<html><head><meta charset="utf-16"></head><body><p>Le café</p></body></html>'
                     .encode("utf-8"))
    ext = extract(path)
    assert ext.text == "Le café"
    assert ext.note and "utf-16" in ext.note


def test_an_unclosed_title_is_not_reported_as_a_scanned_pdf(tmp_path, capsys):
    case = tmp_path / "case"
    (case / "sources").mkdir(parents=True)
    (case / "case.yaml").write_text("case: t\n", encoding="utf-8")
    page = case / "sources" / "page.html"
    page.write_text("<html><head><title>The trial<body><p>He was in Lyon.</p></body></html>",
                    encoding="utf-8")
    assert main(["add", str(case), str(page)]) == 0
    out = capsys.readouterr().out
    assert "scanned PDF" not in out and "no text" not in out
    assert extract(page).text == "He was in Lyon."


def test_an_unknown_rule_is_a_typed_error_and_a_message(tmp_path, capsys):
    from belie.errors import UnknownRule

    case = belie.load_case("examples/moscow-1936")
    with pytest.raises(UnknownRule) as exc:
        belie.check(case, rules=["alibi", "no-such-rule"])
    assert exc.value.names == ["no-such-rule"]
    assert main(["check", "examples/moscow-1936", "--rule", "no-such-rule", "--no-store"]) == 2
    assert "--rule: unknown rule(s): no-such-rule" in capsys.readouterr().err


def test_a_bug_in_a_rule_is_not_reported_as_a_bad_rule_name(monkeypatch, capsys):
    import dataclasses

    import belie.rules as rules

    def broken(ctx):
        raise ValueError("a bug inside the rule")

    real = rules.all_rules()
    monkeypatch.setattr(rules, "all_rules", lambda: [dataclasses.replace(r, check=broken)
                                                     if r.name == "alibi" else r for r in real])
    with pytest.raises(ValueError, match="a bug inside the rule"):
        main(["check", "examples/moscow-1936", "--rule", "alibi", "--no-store"])
    assert "--rule" not in capsys.readouterr().err


def test_a_report_section_that_cannot_be_computed_says_so(tmp_path, monkeypatch):
    import belie.report.html as html
    from belie.errors import MissingExtra

    def unavailable(texts, **kw):
        raise MissingExtra("text reuse", "bench", "datasketch")

    import belie.sources.reuse as reuse

    monkeypatch.setattr(reuse, "find_reuse", unavailable)
    out = tmp_path / "r.html"
    html.write_report("examples/moscow-1936", out)
    page = out.read_text(encoding="utf-8")
    assert "Not in this report" in page and "datasketch" in page
