"""Input that once gave a traceback now gives a message naming file, line and column.

Each case below crashed belie (issue 13, item 4); each must now be refused with exit 2 and
a one-line message, or read correctly, by the library and by every command.
"""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from belie.cli import main
from belie.errors import InputError
from belie.model.dates import DateError, parse_date

HEAD = """\
case: Trace test
entities:
  dubois: {type: person, names: [Jean Dubois]}
  marchand: {type: person, names: [Paul Marchand]}
  lyon: {type: place, names: [Lyon]}
  italy: {type: power, names: [Italy]}
  france: {type: power, names: [France]}
sources:
  s1: {kind: testimony, speaker: dubois, said: 1923-02-14}
claims:
"""


def write_case(tmp_path: Path, body: str, name: str = "case") -> Path:
    case = tmp_path / name
    case.mkdir()
    (case / "case.yaml").write_text(HEAD + textwrap.indent(textwrap.dedent(body), "  "), encoding="utf-8")
    return case


def run_all(case: Path, tmp_path: Path, capsys) -> list[tuple[list[str], int, str]]:
    """Every command that reads a case; each must end with 0 (read) or 2 (refused)."""
    out = []
    for argv in (["show", str(case)], ["check", str(case)], ["check", str(case), "--format", "json"],
                 ["report", str(case), "-o", str(tmp_path / "r.html")],
                 ["export", str(case), "--to", "json"], ["export", str(case), "--to", "ftm"],
                 ["export", str(case), "--to", "csv"], ["export", str(case), "--to", "markdown"]):
        code = main(argv)
        got = capsys.readouterr()
        assert code in (0, 2), (argv, code, got.err[-2000:])
        assert "Traceback" not in got.err
        out.append((argv, code, got.err))
    return out


# -- YAML explicit tags --------------------------------------------------------------

TAGS = ["!!float x", "!!int x", "!!timestamp 2001-13-45", "!!bool maybe", "!!seq x", "!!map x",
        "!!binary x", "!!binary aGVsbG8=", "!!set x", "!!set {a: null}", "!!omap x", "!!omap [{a: 1}]",
        "!!pairs x", "!!pairs [{a: 1}]", "!!str x", "!!null x", "!!merge x", "!!value x",
        "!!timestamp 2001-01-01", "!!python/object:os.system {}", "!custom x", "!!int 99999999999999999999999"]


@pytest.mark.parametrize("tag", TAGS)
def test_a_yaml_tag_never_gives_a_traceback(tmp_path, tag, capsys):
    case = write_case(tmp_path, f"""\
        - {{id: c1, source: s1, presence: dubois, where: lyon, when: 1923, note: {tag}}}
        """)
    (case / "case.yaml").write_text((case / "case.yaml").read_text() + f"description: {tag}\n")
    for argv, code, err in run_all(case, tmp_path, capsys):
        if code == 2:
            assert "case.yaml:" in err


@pytest.mark.parametrize("tag", ["!!float x", "!!timestamp 2001-13-45", "!!bool maybe", "!!map x"])
def test_a_bad_tag_names_its_line_and_column(tmp_path, tag):
    case = write_case(tmp_path, f"- {{source: s1, statement: {tag}}}\n")
    with pytest.raises(InputError) as exc:
        import belie

        belie.load_case(case)
    p = exc.value.problems[0]
    assert (p.line, p.column) == (11, 29)
    assert tag.split()[0] in p.message


def test_serve_starts_and_an_edit_with_a_tag_is_a_400(tmp_path):
    from belie.web.app import create_app

    case = write_case(tmp_path, "- {id: c1, source: s1, statement: !!float x}\n")
    app = create_app(case)
    app.testing = True
    try:
        client = app.test_client()
        assert client.get("/").status_code == 200
        body = client.get("/api/case").get_json()
        assert any("!!float" in p["message"] for p in body["problems"])
    finally:
        app.extensions["belie"].close()


# -- dates ---------------------------------------------------------------------------

@pytest.mark.parametrize("text,lo,hi", [("last days of 1932", "1932-12-21", "1932-12-31"),
                                        ("first days of 1932", "1932-01-01", "1932-01-10")])
def test_first_and_last_days_of_a_year(text, lo, hi):
    span = parse_date(text)
    assert (span.earliest.isoformat(), span.latest.isoformat()) == (lo, hi)


@pytest.mark.parametrize("word", ["until", "by", "before", "after", "since", "from"])
def test_deeply_nested_bounds_are_a_date_error(word):
    with pytest.raises(DateError) as exc:
        parse_date(f"{word} " * 500 + "1932")
    assert "nested" in str(exc.value)
    assert parse_date(f"{word} 1932") is not None


@pytest.mark.parametrize("text", ["0000", "9999", "XXXX", "0000-01-01", "9999-12-31", "99XX", "0001"])
def test_julian_dates_beyond_the_years_belie_counts_are_date_errors(text):
    try:
        span = parse_date(text, calendar="julian")
    except DateError as exc:
        assert text in str(exc)
    else:
        assert span.earliest is None or span.earliest.year >= 1


def test_a_nested_date_in_a_case_is_a_message(tmp_path, capsys):
    case = write_case(tmp_path, "- {id: c1, source: s1, presence: dubois, where: lyon, when: '"
                      + "until " * 500 + "1932'}\n")
    assert main(["check", str(case)]) == 2
    assert "case.yaml:11:" in capsys.readouterr().err


# -- lone surrogates -----------------------------------------------------------------

@pytest.mark.parametrize("where", ["note", "statement", "quote", "id"])
def test_a_lone_surrogate_is_refused_with_its_place(tmp_path, where, capsys):
    body = {"note": '- {source: s1, statement: x, note: "a\\uD800b"}\n',
            "statement": '- {source: s1, statement: "a\\uDFFFb"}\n',
            "quote": '- {source: s1, statement: x, quote: "\\uD800"}\n',
            "id": '- {id: "c\\uD800", source: s1, statement: x}\n'}[where]
    case = write_case(tmp_path, body)
    results = run_all(case, tmp_path, capsys)
    assert all(code == 2 and "case.yaml:11:" in err and "surrogate" in err for _, code, err in results)


# -- nulls where an entity is needed -------------------------------------------------

@pytest.mark.parametrize("claim,key", [
    ("{source: s1, stance: [italy, null], is: hostile, during: 1923}", "stance"),
    ("{source: s1, accuses: null, serving: italy}", "accuses"),
    ("{source: s1, existed: null, during: 1923}", "existed"),
    ("{source: s1, presence: null, where: lyon, when: 1923}", "presence"),
    ("{source: s1, travel: null, to: lyon, when: 1923}", "travel"),
    ("{source: s1, meeting: [dubois, null], where: lyon, when: 1923}", "meeting"),
    ("{source: s1, message: [dubois, null], when: 1923}", "message"),
])
def test_a_null_entity_is_refused_by_the_loader(tmp_path, claim, key, capsys):
    case = write_case(tmp_path, f"- {claim}\n")
    for argv, code, err in run_all(case, tmp_path, capsys):
        assert code == 2 and "case.yaml:11:" in err and key in err, (argv, err)


# -- an alias bomb in a quote, through `belie add` -----------------------------------

def test_an_alias_bomb_in_a_quote_is_refused_by_add(tmp_path, capsys):
    lines = ['a0: &a0 "lol"']
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    case = tmp_path / "case"
    (case / "sources").mkdir(parents=True)
    (case / "sources" / "s.txt").write_text("text\n", encoding="utf-8")
    (case / "case.yaml").write_text("case: bomb\n" + "\n".join("x" + ln for ln in lines) + "\n"
                                    "sources:\n  s: {kind: press, file: sources/s.txt}\n"
                                    "claims:\n  - {source: s, statement: x, quote: *a11}\n", encoding="utf-8")
    # the anchors live in unknown top-level keys, so the full loader refuses the case and
    # `add` falls back on its minimal readers, which must refuse the bomb too
    assert main(["add", str(case), str(case / "sources" / "s.txt")]) == 2
    err = capsys.readouterr().err
    assert "aliases" in err and "case.yaml:" in err


# -- a JSON case nested too deeply ---------------------------------------------------

def test_a_json_case_nested_100k_deep_is_a_message(tmp_path, capsys):
    case = tmp_path / "case"
    case.mkdir()
    (case / "case.json").write_text('{"case": "x", "description": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert main(["check", str(case)]) == 2
    assert "nested too deeply" in capsys.readouterr().err


def test_a_json_body_nested_100k_deep_gets_the_json_error(tmp_path):
    from belie.web.app import create_app

    case = write_case(tmp_path, "- {id: c1, source: s1, statement: x}\n")
    app = create_app(case)
    app.testing = True
    try:
        resp = app.test_client().post("/api/candidates/x/decision", data="[" * 100_000 + "]" * 100_000,
                                      headers={"Origin": "http://localhost", "Content-Type": "application/json"})
        assert resp.status_code == 400
        assert "error" in json.loads(resp.get_data())
    finally:
        app.extensions["belie"].close()


@pytest.mark.parametrize("text,cal,anchor", [("next year", "gregorian", "9999-06-01"),
                                             ("the next day", "gregorian", "9999-12-31"),
                                             ("../0000", "julian", None),
                                             ("not later than 0000-12~", "julian", None)])
def test_dates_at_the_ends_of_the_calendar_are_date_errors(text, cal, anchor):
    # found by the fuzzer (tests/fuzz): a ValueError from datetime, not a DateError
    import datetime as dt

    with pytest.raises(DateError):
        parse_date(text, calendar=cal, anchor=dt.date.fromisoformat(anchor) if anchor else None)


@pytest.mark.parametrize("escape", ["\\U7fffffff", "\\U01e40000", "\\U" + "a" * 300])
def test_an_escape_naming_no_character_is_a_message(tmp_path, escape, capsys):
    # found by the fuzzer: PyYAML's scanner raised ValueError / OverflowError from chr()
    case = write_case(tmp_path, f'- {{source: s1, statement: "x{escape}"}}\n')
    assert main(["check", str(case)]) == 2
    err = capsys.readouterr().err
    assert "case.yaml:11:" in err and "names no character" in err


def test_a_reference_to_an_entity_with_a_bad_type_is_a_message(tmp_path, capsys):
    # found by the fuzzer after the schema-driven loader: an entity whose type is a list
    case = write_case(tmp_path, "- {source: s1, presence: dubois, where: lyon, when: 1923}\n")
    text = (case / "case.yaml").read_text().replace("lyon: {type: place", "lyon: {type: [place]")
    (case / "case.yaml").write_text(text)
    assert main(["check", str(case)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_source_file_name_too_long_for_the_system_is_a_message(tmp_path, capsys):
    # Found by the long fuzz run (tests.fuzz.run --cases 100000 --seed 42): the operating
    # system refuses to look up a name of more than 255 bytes (ENAMETOOLONG); before the
    # fix that OSError escaped the loader as a traceback.
    name = "a" * 300 + ".txt"
    case = tmp_path / "case"
    case.mkdir()
    (case / "case.yaml").write_text(HEAD.replace(
        "  s1: {kind: testimony, speaker: dubois, said: 1923-02-14}",
        f"  s1: {{kind: testimony, speaker: dubois, said: 1923-02-14, file: {name}}}") + "  []\n",
        encoding="utf-8")
    results = run_all(case, tmp_path, capsys)
    assert all(code == 2 for _argv, code, _err in results)
    assert "case.yaml" in results[0][2] and "not found in the case folder" in results[0][2]
