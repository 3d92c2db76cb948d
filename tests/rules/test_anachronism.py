"""anachronism: a source that reports as done what, by the claim's own dates, came after it."""
from __future__ import annotations

from pathlib import Path

import pytest

from belie.rules import check

HEAD = """
case: anachronism tests
entities:
  pyatakov: {type: person, names: [Pyatakov]}
  trotsky:  {type: person, names: [Trotsky]}
  van:      {type: object, names: [the white van]}
  germany:  {type: power, names: [Germany]}
  japan:    {type: power, names: [Japan]}
  oslo:     {type: place, names: [Oslo], at: [59.91, 10.75]}
  berlin:   {type: place, names: [Berlin], at: [52.52, 13.40]}
sources:
  confession: {kind: confession, speaker: pyatakov, said: 1937-01-23}
  early-news: {kind: press, title: the morning paper, said: 1937-01-23}
  vague:      {kind: press, said: 1937-01/1937-02}
  undated:    {kind: testimony}
  open:       {kind: study, said: 1937/..}
  hotel:      {kind: record, title: the hotel book, said: 1937-01-10}
claims:
"""


def run(case_from_yaml, claims: str):
    case = case_from_yaml(HEAD + claims)
    return check(case, rules=["anachronism"], reason=False).findings


def one(found):
    assert len(found) == 1, [f.explanation for f in found]
    return found[0]


@pytest.mark.parametrize("claim", [
    "meeting: [pyatakov, trotsky], where: oslo, when: 1937-02-05",
    "travel: pyatakov, from: berlin, to: oslo, when: 1937-01-24",
    "message: [trotsky, pyatakov], by: letter, when: 1937-02",
    "presence: van, where: oslo, when: 1937-01-24/1937-01-30",
    "register: arrivals, at: oslo, when: 1937-02, lists: []",
    "statement: Trotsky gave the order, when: 1937-03",
    "accuses: pyatakov, serving: germany, during: 1938",
])
def test_an_event_wholly_after_its_source_is_impossible(case_from_yaml, claim):
    f = one(run(case_from_yaml, f"  - {{id: c, source: confession, {claim}}}\n"))
    assert f.rule == "anachronism" and f.severity == "impossible"
    assert f.claims == ["c"] and f.sources == ["confession"]
    assert "1937-01-23 (23 Jan 1937)" in f.explanation
    assert "latest moment the source can date from, 23 Jan 1937" in f.explanation


@pytest.mark.parametrize("claim", [
    "meeting: [pyatakov, trotsky], where: oslo, when: 1937-01-23",                 # the same day
    "meeting: [pyatakov, trotsky], where: oslo, when: 1935-12",                    # before
    "meeting: [pyatakov, trotsky], where: oslo, when: 1937-02-05, denies: true",   # a denial
    "stance: [germany, japan], is: friendly, during: 1937/1945",                   # context, no event
    "existed: oslo, during: 1000/2100",
    "accuses: pyatakov, serving: germany",                                         # during = the source's date
    "meeting: [pyatakov, trotsky], where: oslo, when: 1937-02-05/..",              # open end
    "meeting: [pyatakov, trotsky], where: oslo, when: 1937",                       # "in 1937", said in 1937
    "meeting: [pyatakov, trotsky], where: oslo, when: 1937-01",                    # "in January", said then
    "meeting: [pyatakov, trotsky], where: oslo, when: 1937-01-10/1937-01-30",      # 14 of 21 days before
])
def test_no_finding(case_from_yaml, claim):
    assert run(case_from_yaml, f"  - {{id: c, source: confession, {claim}}}\n") == []


@pytest.mark.parametrize("source", ["vague", "undated", "open"])
def test_a_source_of_uncertain_or_no_date_gives_nothing_before_its_latest_moment(case_from_yaml, source):
    # vague: said in January or February 1937, so 10 February may precede it.
    assert run(case_from_yaml, f"  - {{id: c, source: {source}, presence: van, where: oslo, when: 1937-02-10}}\n") == []


def test_an_interval_mostly_after_the_source_holds_only_in_its_part_before(case_from_yaml):
    # 20 Jan .. 31 Jan, said on the 23rd: 4 of 12 days (a third) can precede it: a note.
    f = one(run(case_from_yaml, "  - {id: c, source: early-news, meeting: [pyatakov, trotsky], "
                                "where: oslo, when: 1937-01-20/1937-01-31}\n"))
    assert f.severity == "note" and f.window == "1937-01-20/1937-01-23"
    assert "the morning paper (press) is dated 1937-01-23" in f.explanation
    assert "4 of its 12 days" in f.explanation
    # 22 Jan .. 28 Feb: 2 of 38 days: strained.
    f = one(run(case_from_yaml, "  - {id: c, source: early-news, travel: van, to: oslo, "
                                "when: 1937-01-22/1937-02-28}\n"))
    assert f.severity == "strained" and f.window == "1937-01-22/1937-01-23"
    assert f.details["window_days"] == 2 and f.details["claim_days"] == 38


@pytest.mark.parametrize("claim, window", [
    ("presence: pyatakov, where: oslo, throughout: 1937-01-01/1937-01-31", "1937-01-01/1937-01-10"),
    ("register: arrivals, at: oslo, when: 1937-01, lists: [trotsky]", "1937-01-01/1937-01-10"),
])
def test_a_whole_period_that_runs_past_its_source_is_a_note(case_from_yaml, claim, window):
    f = one(run(case_from_yaml, f"  - {{id: c, source: hotel, {claim}}}\n"))
    assert f.severity == "note" and f.window == window
    assert "can have seen it only up to 10 Jan 1937" in f.explanation


def test_the_docs_page_example(tmp_path):
    from belie.model.loading import load_case

    page = (Path(__file__).resolve().parents[2] / "docs" / "rules" / "anachronism.md").read_text(encoding="utf-8")
    example = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "case.yaml").write_text(example, encoding="utf-8")
    found = check(load_case(tmp_path), rules=["anachronism"], reason=False).findings
    shown = page.split("```json\n", 1)[1].split("```", 1)[0]
    import json

    assert [f.to_dict() for f in found] == json.loads(shown)


@pytest.mark.shared
def test_the_spec_times_example(shared_dir, tmp_path):
    # The blog post, published at 07:30 UTC, reports the market sighting of 09:00 UTC as done.
    import shutil

    from belie.model.loading import load_case

    shutil.copy(shared_dir / "spec" / "example" / "times.yaml", tmp_path / "case.yaml")
    found = check(load_case(tmp_path), rules=["anachronism"], reason=False).findings
    assert [(f.severity, f.claims) for f in found] == [("impossible", ["blog-sighting"])]
