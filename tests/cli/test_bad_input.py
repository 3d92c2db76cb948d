"""Bad or odd input: a clear message naming file and line, exit status 2, no traceback,
and nothing half-written."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BELIE = [sys.executable, "-m", "belie.cli"]

BASE = ("case: T\n"
        "entities:\n"
        "  anna: {type: person, names: [Anna]}\n"
        "  paris: {type: place, at: [48.85, 2.35]}\n"
        "sources:\n"
        "  reg: {kind: record, said: 1921}\n"
        "claims:\n")


def run(*args, timeout=60):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="120")
    return subprocess.run([*BELIE, *map(str, args)], capture_output=True, text=True, env=env, timeout=timeout)


def bad(out, *expected):
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert "Traceback" not in out.stderr, out.stderr
    assert out.stderr.startswith("error:"), out.stderr
    for text in expected:
        assert text in out.stderr, out.stderr
    return out.stderr


def case(tmp_path, text, name="c"):
    folder = tmp_path / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.yaml").write_text(text, encoding="utf-8")
    return folder


def good_case(tmp_path):
    return case(tmp_path, BASE + "  - {source: reg, presence: anna, where: paris, when: 1921}\n", "good")


@pytest.mark.parametrize("body, expected", [
    ("settings: {weights: [a]}\n", "weights must map source kinds"),
    ("settings: {travel: [a]}\n", "travel must be a mapping"),
    ("settings: {travel: {eras: x}}\n", "travel.eras must be a list"),
    ("settings: {travel: {eras: [a]}}\n", "era 1 must be a mapping"),
    ("settings: {travel: {eras: [{speeds: {rail: 90}}]}}\n", "era 1 needs `from`"),
    ("settings: {travel: {air: fast}}\n", "travel.air must be a speed in km/h"),
    ("settings: {travel: {air: -5}}\n", "travel.air must be a speed in km/h"),
    ("settings: {travel: {1930: {air: fast}}}\n", "travel.1930.air must be a speed"),
    ("settings: {dates: {approximate: {day: -1}}}\n", "dates.approximate.day must be a whole number"),
    ("settings: {dates: {approximate: {day: true}}}\n", "dates.approximate.day must be a whole number"),
    ("settings: {weights: {record: 2}}\n", "weight of 'record' must be a number between 0 and 1"),
    ("settings: {weights: {record: yes}}\n", "weight of 'record' must be a number between 0 and 1"),
    ("settings: [a]\n", "settings: expected a mapping"),
])
def test_bad_settings(tmp_path, body, expected):
    folder = case(tmp_path, "case: T\n" + body)
    bad(run("check", folder), "case.yaml:2:1: settings: ", expected)


@pytest.mark.parametrize("text, expected", [
    ("", "case.yaml:1: the file is empty"),
    ("- a\n- b\n", "case.yaml:1: expected a mapping"),
    ("hello\n", "case.yaml:1: expected a mapping"),
    ("case: T\nentities:\n\tanna: {type: person}\n", "case.yaml:3:1: cannot parse"),
    ("case: T\ncase: U\n", "duplicate key 'case'"),
    ("case: {a: 1}\n", "case.yaml:1:1: case: expected text"),
    (BASE.replace("at: [48.85, 2.35]", "at: [true, false]") + "  []\n", "case.yaml:4:24: entity 'paris': `at` must be"),
    (BASE.replace("anna:", "yes:") + "  []\n", "case.yaml:3:3: entity 'True': YAML reads this id as true"),
    (BASE.replace("anna:", "null:") + "  []\n", "YAML reads this id as null"),
    (BASE.replace("reg:", "no:") + "  - {source: no, presence: anna, where: paris, when: 1921}\n",
     "case.yaml:8:6: source: YAML reads this id as false"),
    (BASE + "  - {source: reg, presence: yes, where: paris, when: 1921}\n", "case.yaml:8:19: presence: YAML reads"),
    (BASE + "  - {id: [1], source: reg, presence: anna, where: paris, when: 1921}\n", "case.yaml:8:6: id: an id must be"),
    (BASE + "  - {source: reg, presence: anna, where: paris, when: 1921, event: [a]}\n", "case.yaml:8:61: event:"),
    ("case: T\nsources: {r: {kind: record, file: [1]}}\n", "case.yaml:2:29: source 'r': `file` must be a path"),
])
def test_bad_case_file(tmp_path, text, expected):
    bad(run("check", case(tmp_path, text)), expected)


def test_non_utf8_case_file(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "case.yaml").write_bytes(b"case: \xff\xfe\n")
    bad(run("check", folder), "case.yaml: not UTF-8 text")


def test_alias_bomb_is_refused_quickly(tmp_path):
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    folder = case(tmp_path, "case: T\nentities:\n  anna: {type: person, note: {" + ", ".join(levels) + "}}\n")
    bad(run("check", folder, timeout=30), "case.yaml:3:", "aliases (*name) repeat the value anchored here")


def test_recursive_alias_is_refused(tmp_path):
    bad(run("check", case(tmp_path, "case: T\nentities: &a {x: *a}\n")),
        "case.yaml:2:11: an alias refers to the value that contains it")


def test_json_case_with_a_trailing_comma(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "case.json").write_text('{"case": "T",\n "entities": {},\n}\n', encoding="utf-8")
    bad(run("check", folder), "case.json:3:1: not valid JSON")


def test_a_date_at_the_end_of_the_calendar_does_not_break_the_report(tmp_path):
    folder = case(tmp_path, BASE + "  - {source: reg, presence: anna, where: paris, when: 9999-12-31}\n")
    out = run("report", folder, "-o", tmp_path / "r.html", "--no-reuse", "--no-reliability")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "r.html").is_file()


def test_report_into_a_missing_folder_creates_it(tmp_path):
    target = tmp_path / "nowhere" / "dir" / "x.html"
    out = run("report", good_case(tmp_path), "-o", target, "--no-reuse", "--no-reliability")
    assert out.returncode == 0, out.stderr
    assert target.is_file()


def test_report_below_a_file_is_refused_before_any_work(tmp_path):
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    bad(run("report", good_case(tmp_path), "-o", tmp_path / "plain" / "x.html"),
        "x.html: cannot write the file:", "is a file, not a folder")
    assert (tmp_path / "plain").read_text() == "x"


def test_a_failed_write_removes_the_folders_it_made(tmp_path):
    where = _unwritable(tmp_path)
    bad(run("report", good_case(tmp_path), "-o", where / "new" / "x.html"), "cannot write the file")
    assert not (where / "new").exists()


def test_report_onto_a_folder(tmp_path):
    (tmp_path / "out").mkdir()
    out = run("report", good_case(tmp_path), "-o", tmp_path / "out")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "is a directory" in out.stderr


def _unwritable(tmp_path) -> Path:
    """A folder this process cannot write in (root ignores modes, so use /proc)."""
    if os.geteuid() == 0:
        if not Path("/proc/self").is_dir():
            pytest.skip("needs /proc to find a folder root cannot write in")
        return Path("/proc")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    return ro


def test_export_into_a_read_only_place_writes_nothing(tmp_path):
    where = _unwritable(tmp_path)
    target = where / "belie-test-x.ftm.json"
    bad(run("export", good_case(tmp_path), "--to", "ftm", "-o", target), "cannot write the file", "nothing was written")
    assert not target.exists()
    if where != Path("/proc"):
        assert list(where.iterdir()) == []


def test_import_csv_into_a_read_only_place_writes_nothing(tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_text("source,presence,where,when\nreg,anna,paris,1921\n", encoding="utf-8")
    where = _unwritable(tmp_path)
    bad(run("import-csv", sheet, "-o", where / "sub" / "x.yaml"), "cannot write the file")
    assert not (where / "sub").exists()


def test_check_on_a_case_yaml_that_is_a_folder(tmp_path):
    (tmp_path / "c" / "case.yaml").mkdir(parents=True)
    bad(run("check", tmp_path / "c"), "not a case folder")


def test_check_on_a_file_path(tmp_path):
    folder = good_case(tmp_path)
    out = run("check", folder / "case.yaml")
    assert out.returncode == 0, out.stderr


def test_add_a_missing_corrupt_or_binary_file(tmp_path):
    folder = good_case(tmp_path)
    bad(run("add", folder, tmp_path / "missing.pdf"), "missing.pdf: no such file")
    (tmp_path / "corrupt.pdf").write_bytes(os.urandom(4000))
    err = bad(run("add", folder, tmp_path / "corrupt.pdf"), "corrupt.pdf: not a readable PDF")
    assert len(err.splitlines()) == 1
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" + os.urandom(4000))
    bad(run("add", folder, tmp_path / "bin.txt"), "bin.txt: not a text file: it holds binary data")


@pytest.mark.parametrize("content, expected", [
    (b"", "s.csv:1: the sheet is empty"),
    (b"source,presence,where,when\n", "s.csv:2: no claims"),
    (b"source,presence\n\xff\xfe,x\n", "s.csv:2: not UTF-8 text"),
    (b"source,presence,where,when,quote\nreg,anna,paris,1921,\"open\nstill open\n", "s.csv:2: cannot read the CSV: a quoted cell"),
    (b"source,presence,where,when,source\nreg,anna,paris,1921,reg\n", "s.csv:1:5: column 'source' appears twice"),
    (b"source,meeting,when\nreg,\"[*a]\",1921\n", "s.csv:2:2: meeting: cannot read"),
])
def test_import_csv_bad_sheets(tmp_path, content, expected):
    sheet = tmp_path / "s.csv"
    sheet.write_bytes(content)
    target = tmp_path / "out.yaml"
    bad(run("import-csv", sheet, "-o", target), expected)
    assert not target.exists()


def test_import_csv_bom_and_quoted_newlines(tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_bytes(b"\xef\xbb\xbfsource,presence,where,when,quote\nreg,anna,paris,1921,\"one\ntwo\"\n")
    folder = good_case(tmp_path)
    target = folder / "claims" / "s.yaml"
    out = run("import-csv", sheet, "--case", folder, "-o", target)
    assert out.returncode == 0, out.stderr
    assert run("check", folder).returncode == 0


def test_truth_empty_and_missing_value_column(tmp_path):
    (tmp_path / "e.csv").write_text("", encoding="utf-8")
    bad(run("truth", tmp_path / "e.csv"), "e.csv:1: empty file")
    (tmp_path / "m.csv").write_text("source,item\na,b\n", encoding="utf-8")
    bad(run("truth", tmp_path / "m.csv"), "m.csv:1: missing column 'value'")


def test_reuse_on_an_empty_folder(tmp_path):
    (tmp_path / "e").mkdir()
    bad(run("reuse", tmp_path / "e"))
