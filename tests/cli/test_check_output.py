"""What `belie check` prints: the verdict first, findings grouped by the conflict they share,
nothing cut when piped, and the switches a pipeline needs (--severity, --quiet, --fail-on)."""
from __future__ import annotations

import json
import re

import pytest

from .test_cli import _write_case, run


@pytest.fixture(scope="module")
def example_text(example_case_dir_module):
    out = run("check", str(example_case_dir_module), "--no-store")
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture(scope="module")
def example_case_dir_module():
    from tests.conftest import EXAMPLE

    return EXAMPLE


def test_the_verdict_comes_before_the_details(example_text):
    lines = example_text.splitlines()
    assert lines[0].startswith("belie check — ")
    assert "impossible" in lines[1] and "conflicts" in lines[1]
    reading = next(i for i, ln in enumerate(lines) if ln.startswith("Most plausible reading"))
    key = next(i for i, ln in enumerate(lines) if ln.startswith("Key findings"))
    details = next(i for i, ln in enumerate(lines) if ln.startswith("Details"))
    assert reading < 10 and reading < key < details
    # every finding is still there, once, after the summary
    counts = re.search(r"(\d+) impossible, (\d+) strained, (\d+) notes", lines[1])
    numbered = [ln for ln in lines[details:] if re.match(r"  \d+\.\d+ (impossible|strained|note) · ", ln)]
    assert len(numbered) == sum(int(n) for n in counts.groups())


def test_piped_output_cuts_no_id_quote_or_title(example_text, example_case_dir_module):
    import belie

    case = belie.load_case(example_case_dir_module)
    result = belie.check(case)
    for f in result.findings:
        assert f.title in example_text
        for cid in f.claims:
            c = case.claim_by_id[cid]
            assert cid in example_text
            if c.quote:
                assert " ".join(c.quote.split()) in example_text
    assert max(len(ln) for ln in example_text.splitlines()) > 200     # not wrapped at 80


def test_findings_of_one_story_are_grouped_strongest_first(example_case_dir_module):
    out = run("check", str(example_case_dir_module), "--no-store", "--format", "json")
    data = json.loads(out.stdout)
    placed = [i for g in data["groups"] for i in g["findings"]]
    assert sorted(placed) == list(range(len(data["findings"])))       # each finding once
    big = data["groups"][0]
    sev = [data["findings"][i]["severity"] for i in big["findings"]]
    assert sev[0] == "impossible" and sev.count("impossible") > 5
    assert sev == sorted(sev, key=["impossible", "strained", "note"].index)
    assert set(big["rejected"]) <= set(big["claims"]) and big["rejected"]


def test_severity_filters_and_quiet_stops_after_the_summary(example_case_dir_module):
    out = run("check", str(example_case_dir_module), "--no-store", "--severity", "impossible,strained")
    assert out.returncode == 0
    assert " note · " not in out.stdout and " strained · " in out.stdout
    quiet = run("check", str(example_case_dir_module), "--no-store", "--quiet")
    assert "Most plausible reading" in quiet.stdout and "Details" not in quiet.stdout
    assert len(quiet.stdout.splitlines()) < len(out.stdout.splitlines())
    bad = run("check", str(example_case_dir_module), "--no-store", "--severity", "fatal")
    assert bad.returncode == 2 and "impossible, strained, note" in bad.stderr


def test_fail_on_gives_exit_1_only_when_such_a_finding_exists(tmp_path, example_case_dir_module):
    assert run("check", str(example_case_dir_module), "--no-store", "--quiet",
               "--fail-on", "impossible").returncode == 1
    calm = _write_case(tmp_path / "c", "  - {source: reg, presence: anna, where: paris, when: 1921-05}\n")
    assert run("check", str(calm), "--no-store", "--fail-on", "impossible").returncode == 0
    assert run("check", str(tmp_path / "missing"), "--fail-on", "impossible").returncode == 2


def test_one_note_is_one_note(tmp_path):
    case = _write_case(tmp_path / "c", "  - {source: reg, meeting: [anna, bob], where: paris, when: 1921-05}\n")
    (case / "case.yaml").write_text((case / "case.yaml").read_text().replace(
        "reg: {kind: record, said: 1921}", "reg: {kind: testimony, said: 1921}").replace(
        "sources:", "  bob: {type: person, names: [Bob]}\nsources:"))
    out = run("check", str(case), "--no-store")
    assert "1 note." in out.stdout and "1 notes" not in out.stdout


def test_records_in_conflict_are_named_with_their_weights(tmp_path):
    case = tmp_path / "c"
    case.mkdir()
    (case / "case.yaml").write_text("""\
case: two records disagree
entities:
  anna:  {type: person, names: [Anna]}
  paris: {type: place, at: [48.85, 2.35]}
  rome:  {type: place, at: [41.90, 12.50]}
sources:
  hotel: {kind: record, said: 1921}
  visa:  {kind: record, said: 1921}
  guard: {kind: record, said: 1921}
claims:
  - {id: hotel-stay, source: hotel, presence: anna, where: paris, throughout: 1921-05-01/1921-05-10}
  - {id: visa-rome, source: visa, presence: anna, where: rome, when: 1921-05-05}
  - {id: guard-rome, source: guard, presence: anna, where: rome, when: 1921-05-05}
""", encoding="utf-8")
    out = run("check", str(case), "--no-store")
    head = out.stdout.split("Key findings")[0]
    assert "The records conflict with each other" in head
    assert "If the records hold" not in head
    assert "✗ hotel-stay  hotel (record, weight 0.95)" in head
    assert "against visa-rome (record 0.95), guard-rome (record 0.95)" in head


def test_markdown_opens_with_the_verdict_too(example_case_dir_module):
    out = run("check", str(example_case_dir_module), "--no-store", "--format", "markdown")
    assert out.returncode == 0, out.stderr
    heads = [ln for ln in out.stdout.splitlines() if ln.startswith("## ")]
    assert heads[:3] == ["## Most plausible reading",
                         "## Key findings — those that carry the reading, the strongest of each conflict first",
                         "## Details: every finding, by conflict"]
    data = json.loads(run("check", str(example_case_dir_module), "--no-store", "--format", "json").stdout)
    via = {v for k in data["conflicts"] for v in k.get("via", [])}
    assert via                                  # the example's sets go through implied claims...
    for v in via:                               # ...and each is shown with what it says
        assert f"through the implied claim `{v}`" in out.stdout


def test_piped_output_is_plain_text_whatever_the_terminal_type(example_case_dir_module):
    """Piped into a file or another program, the output carries no colour or cursor codes,
    even where the environment names a colour terminal (only a real terminal gets them)."""
    import os
    import subprocess
    import sys

    from .test_cli import ROOT

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), TERM="xterm-256color", COLORTERM="truecolor")
    env.pop("FORCE_COLOR", None)
    out = subprocess.run([sys.executable, "-m", "belie.cli", "check", str(example_case_dir_module), "--no-store"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "impossible" in out.stdout and "\x1b" not in out.stdout
