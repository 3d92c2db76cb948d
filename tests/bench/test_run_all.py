"""`make bench` (benchmarks/run_all.py) writes each benchmark's latest tables into the docs."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_all():
    name = "belie_benchmark_run_all"
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "run_all.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_every_benchmark_script_it_names_exists():
    mod = _run_all()
    for script, _full, _quick in mod.BENCHES.values():
        assert (ROOT / "benchmarks" / script).is_file(), script


def test_a_run_replaces_only_the_text_between_its_markers():
    mod = _run_all()
    page = ("# Benchmarks\n\nprose before\n<!-- bench:truth -->\nold table\n<!-- /bench:truth -->\n"
            "prose after\n")
    new = mod.splice(page, "truth", "| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "old table" not in new and "| 1 | 2 |" in new
    assert new.startswith("# Benchmarks\n\nprose before\n") and new.endswith("prose after\n")
    # a second run replaces the first, never stacks under it
    again = mod.splice(new, "truth", "| a | b |\n|---|---|\n| 3 | 4 |\n")
    assert "| 1 | 2 |" not in again and again.count("<!-- bench:truth -->") == 1


def test_a_benchmark_without_markers_gets_a_section_at_the_end():
    mod = _run_all()
    new = mod.splice("# Benchmarks\n", "reuse-clough", "figures\n")
    assert new.endswith("<!-- bench:reuse-clough -->\nfigures\n<!-- /bench:reuse-clough -->\n")
    assert "### Latest run: reuse-clough" in new


def test_the_docs_page_has_markers_for_every_benchmark():
    mod = _run_all()
    page = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    for name in mod.BENCHES:
        start, end = mod.markers(name)
        assert start in page and end in page, name


def test_every_script_in_benchmarks_is_run_or_is_a_helper_of_one():
    """`make bench` runs every benchmark: a new script must be added to BENCHES (or named a helper)."""
    mod = _run_all()
    scripts = {p.name for p in (ROOT / "benchmarks").glob("*.py")}
    run = {script for script, _full, _quick in mod.BENCHES.values()}
    assert scripts - mod.HELPERS == run
    assert mod.HELPERS <= scripts


def test_a_benchmark_that_fails_after_printing_keeps_what_it_printed(tmp_path, monkeypatch):
    mod = _run_all()
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "over_budget.py").write_text(
        "print('| run | s |\\n|---|---|\\n| slow | 9.0 |')\nraise SystemExit(1)\n")
    (tmp_path / "benchmarks" / "crashes.py").write_text(
        "import sys\nsys.stderr.write('boom\\n')\nraise SystemExit(3)\n")
    monkeypatch.setattr(mod, "ROOT", tmp_path)
    monkeypatch.setitem(mod.BENCHES, "slow", ("over_budget.py", [], []))
    monkeypatch.setitem(mod.BENCHES, "crash", ("crashes.py", [], []))
    ok, body = mod.run("slow", quick=False, timeout=60)
    assert not ok and "**Failed** (exit status 1" in body and "| slow | 9.0 |" in body
    assert "slow" in mod.splice("# B\n", "slow", body)
    ok, body = mod.run("crash", quick=False, timeout=60)
    assert not ok and "exit status 3" in body and "boom" in body and "what it printed" not in body
