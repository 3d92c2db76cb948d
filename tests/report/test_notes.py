"""Past a limit, the notes are summarised by rule in the text and Markdown outputs; the
JSON output and the store keep every one."""
from __future__ import annotations

import json
from collections import Counter
from io import StringIO
from pathlib import Path

from click.testing import CliRunner
from rich.console import Console

import belie
from belie.cli import cli
from belie.report import notes, text

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "moscow-1936"


def _text(result) -> str:
    buf = StringIO()
    text.print_check(result, Console(file=buf, width=200, force_terminal=False))
    return buf.getvalue()


def _alone(result):
    """The notes in groups of notes only (a note that belongs to a conflict is shown with it)."""
    return [f for g in result.groups if g.severity == "note" for f in g.findings]


def test_notes_past_the_limit_are_counted_by_rule(monkeypatch):
    result = belie.check(belie.load_case(EXAMPLE))
    found = _alone(result)
    assert len(found) > 2
    full = _text(result)
    monkeypatch.setattr(notes, "NOTE_LIMIT", 2)
    out = _text(result)
    md = text.check_markdown(result)
    assert f"{len(found)} notes, by rule" in out and f"{len(found)} notes, by rule" in md
    # Those notes are no longer listed one by one; the notes within conflicts still are.
    assert full.count("note · ") - out.count("note · ") == len(found)
    for rule, n in Counter(f.rule for f in found).items():
        assert f"  {n} {rule}" in out and f"- {n} {rule}" in md
    # The impossible findings are still shown in full.
    impossible = [f for f in result.findings if f.severity == "impossible"]
    assert impossible and all(" ".join(f.explanation.split()[:6]) in " ".join(out.split()) for f in impossible)


def test_notes_within_the_limit_are_all_shown():
    result = belie.check(belie.load_case(EXAMPLE))
    found = [f for f in result.findings if f.severity == "note"]
    assert 0 < len(_alone(result)) <= len(found) <= notes.NOTE_LIMIT
    out = " ".join(_text(result).split())
    assert "notes, by rule" not in out
    assert all(" ".join(f.explanation.split()[:6]) in out for f in found)


def test_json_keeps_every_note_past_the_limit(monkeypatch, tmp_path):
    monkeypatch.setattr(notes, "NOTE_LIMIT", 2)
    r = CliRunner().invoke(cli, ["check", str(EXAMPLE), "--no-store", "--format", "json"])
    assert r.exit_code == 0
    expected = [f for f in belie.check(belie.load_case(EXAMPLE)).findings if f.severity == "note"]
    got = [f for f in json.loads(r.output)["findings"] if f["severity"] == "note"]
    assert len(got) == len(expected) > 2
