"""The `belie` command as a user runs it: help, exit codes, messages on bad input."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BELIE = [sys.executable, "-m", "belie.cli"]


def run(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="120")
    return subprocess.run([*BELIE, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def test_help_lists_every_command_with_an_example():
    out = run("--help")
    assert out.returncode == 0
    names = [ln.split()[0] for ln in out.stdout.split("Commands:")[1].splitlines() if ln.strip()]
    assert {"init", "add", "show", "check", "reuse", "truth", "sources", "extract", "report", "export", "serve"} <= set(names)
    for name in names:
        sub = run(name, "--help")
        assert sub.returncode == 0
        assert "Example" in sub.stdout, f"`belie {name} --help` gives no example"


def _write_case(folder: Path, claims: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.yaml").write_text(
        "case: CLI test\n"
        "entities:\n"
        "  anna: {type: person, names: [Anna]}\n"
        "  paris: {type: place, at: [48.85, 2.35]}\n"
        "sources:\n"
        "  reg: {kind: record, said: 1921}\n"
        "claims:\n" + claims, encoding="utf-8")
    return folder


def test_bad_input_exits_2_with_one_line_per_problem_and_no_traceback(tmp_path):
    case = _write_case(tmp_path / "c", "  - {source: reg, presence: anna, where: pariss, whn: 1921}\n")
    out = run("check", str(case))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    lines = [ln for ln in out.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 2
    assert all("case.yaml:8:" in ln for ln in lines)
    assert any("did you mean 'when'" in ln for ln in lines)
    assert any("unknown entity 'pariss' (did you mean 'paris'?)" in ln for ln in lines)


def test_missing_case_folder_exits_2(tmp_path):
    out = run("show", str(tmp_path / "nowhere"))
    assert out.returncode == 2
    assert "no such file or folder" in out.stderr


def test_show_json_counts_claims_by_kind(tmp_path):
    case = _write_case(tmp_path / "c", "  - {source: reg, presence: anna, where: paris, when: 1921-05}\n")
    out = run("show", str(case), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["claims_by_kind"] == {"presence": 1}
    assert data["date_range"] == ["1 May 1921", "31 May 1921"]


def test_import_csv_round_trips_into_a_loadable_case(tmp_path):
    case = _write_case(tmp_path / "c", "  []\n".replace("  []\n", ""))
    (case / "case.yaml").write_text((case / "case.yaml").read_text() + "  []\n")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("source,presence,where,when,quote,denies\n"
                     "reg,anna,paris,end of July 1933,I was in Paris,no\n"
                     "reg,anna,paris,1933-08,,yes\n", encoding="utf-8")
    target = case / "claims" / "sheet.yaml"
    out = run("import-csv", str(sheet), "--case", str(case), "-o", str(target))
    assert out.returncode == 0, out.stderr
    from belie.model.loading import load_case

    loaded = load_case(case)
    assert [c.when.edtf for c in loaded.claims] == ["1933-07-21/1933-07-31", "1933-08"]
    assert [c.denies for c in loaded.claims] == [False, True]


def test_import_csv_reports_row_line(tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("source,presence,meeting,where\nreg,anna,,paris\nreg,anna,\"[anna, bob]\",paris\n", encoding="utf-8")
    out = run("import-csv", str(sheet))
    assert out.returncode == 2
    assert "sheet.csv:3: row has 2 kinds (presence, meeting)" in out.stderr


def test_import_csv_unknown_column_did_you_mean(tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("source,presense,where\nreg,anna,paris\n", encoding="utf-8")
    out = run("import-csv", str(sheet))
    assert out.returncode == 2
    assert "unknown column 'presense' (did you mean 'presence'?)" in out.stderr
