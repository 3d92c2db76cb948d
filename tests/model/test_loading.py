"""Loading a case: what a user sees when the case file is right, and when it is wrong."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from belie.errors import InputError
from belie.model.loading import load_case

SPEC_EXAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "example"

GOOD = """
case: Test
entities:
  anna: {type: person, names: [Anna]}
  paris: {type: place, names: [Paris]}
  lyon: {type: place, names: [Lyon]}
  cafe: {type: place, names: [Café X], within: paris, existed: ../1919}
  france: {type: power}
sources:
  reg: {kind: record, said: 1921-03-21}
  conf: {kind: confession, speaker: anna, said: 1923-02-14}
claims:
  - {id: a1, source: reg, presence: anna, where: paris, throughout: 1921-03-01/1921-03-20}
  - {source: conf, meeting: [anna, anna], where: cafe, when: "the middle of March 1921"}
  - {source: conf, accuses: anna, serving: france}
"""


def test_good_case_reads_every_field(case_from_yaml):
    case = case_from_yaml(GOOD)
    assert case.name == "Test"
    a1 = case.claim_by_id["a1"]
    assert a1.kind == "presence" and a1.throughout and a1.where == "paris"
    assert a1.when.describe() == "1 Mar 1921 .. 20 Mar 1921"
    meeting = case.claims_of("meeting")[0]
    assert meeting.when.edtf == "1921-03-11/1921-03-20"
    assert meeting.when.text == "the middle of March 1921"
    # An accusation's `during` defaults to the date the source was said.
    acc = case.claims_of("accusation")[0]
    assert acc.when.edtf == "1923-02-14"


def test_generated_ids_are_stable_and_distinct(case_from_yaml):
    ids1 = [c.id for c in case_from_yaml(GOOD).claims]
    ids2 = [c.id for c in case_from_yaml(GOOD).claims]
    assert ids1 == ids2
    assert len(set(ids1)) == len(ids1)
    assert ids1[1].startswith("meeting-")


def test_every_problem_reported_with_file_line_and_column(case_from_yaml):
    bad = GOOD.replace("where: paris, throughout", "wher: paris, throughout") \
              .replace("serving: france}", "serving: france, presence: anna}") \
              .replace('"the middle of March 1921"', '"Octember 1921"') \
              .replace("accuses: anna", "accuses: anne")
    with pytest.raises(InputError) as exc:
        case_from_yaml(bad)
    messages = [str(p) for p in exc.value.problems]
    text = "\n".join(messages)
    assert "unknown key 'wher' (did you mean 'where'?)" in text
    assert "cannot read 'Octember 1921' as a date" in text
    assert "2 kinds" in text
    # Every problem names case.yaml with a line and a column.
    for p in exc.value.problems:
        assert p.file.endswith("case.yaml") and p.line is not None and p.column is not None


def test_unknown_entity_gets_did_you_mean(case_from_yaml):
    with pytest.raises(InputError) as exc:
        case_from_yaml(GOOD.replace("presence: anna, where: paris", "presence: ana, where: paris"))
    (p,) = exc.value.problems
    assert "unknown entity 'ana' (did you mean 'anna'?)" in p.message
    assert p.line == 13


def test_claim_without_kind(case_from_yaml):
    with pytest.raises(InputError) as exc:
        case_from_yaml(GOOD + "  - {source: reg, presense: anna, where: paris, when: 1921}\n")
    assert "claim has no kind" in exc.value.problems[0].message
    assert "did you mean 'presence'" in exc.value.problems[0].message


def test_wrong_entity_type_is_named(case_from_yaml):
    with pytest.raises(InputError) as exc:
        case_from_yaml(GOOD + "  - {source: reg, presence: anna, where: france, when: 1921}\n")
    assert "'france' is a power, expected a place" in exc.value.problems[0].message


def test_yaml_syntax_error_names_line(tmp_path):
    (tmp_path / "case.yaml").write_text("case: x\nentities:\n  a: {type: person\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_case(tmp_path)
    p = exc.value.problems[0]
    assert p.line is not None and "cannot parse" in p.message


def test_claims_folder_and_json_are_read(tmp_path):
    case = {"case": "J", "entities": {"a": {"type": "person"}, "p": {"type": "place", "at": [48.85, 2.35]}},
            "sources": {"s": {"kind": "record", "said": "1930"}}}
    (tmp_path / "case.json").write_text(json.dumps(case), encoding="utf-8")
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "more.json").write_text(json.dumps(
        {"claims": [{"source": "s", "presence": "a", "where": "p", "when": "1930-05"}]}), encoding="utf-8")
    loaded = load_case(tmp_path)
    assert loaded.claims[0].when.edtf == "1930-05"
    assert loaded.claims[0].file.endswith("more.json")


def test_julian_source_dates_are_converted(case_from_yaml):
    case = case_from_yaml("""
        entities:
          a: {type: person}
          p: {type: place, at: [59.93, 30.31]}
        sources:
          old: {kind: record, calendar: julian, said: 1917-10-25}
        claims:
          - {source: old, presence: a, where: p, when: 1917-10-25}
    """)
    assert case.sources["old"].said.describe() == "7 Nov 1917"
    assert case.claims[0].when.describe() == "7 Nov 1917"


def test_settings_override_defaults(case_from_yaml):
    case = case_from_yaml("""
        settings:
          weights: {confession: 0.1}
          travel: {air: 900}
          dates: {approximate: {month: 5}}
        entities:
          a: {type: person}
          p: {type: place, at: [59.93, 30.31]}
        sources:
          s: {kind: confession}
        claims:
          - {source: s, presence: a, where: p, when: 1932-11~}
    """)
    assert case.settings.weight("confession") == 0.1
    assert case.settings.speed_kmh(1933, "air") == 900
    assert case.claims[0].when.describe() == "27 Oct 1932 .. 5 Dec 1932"


def test_bad_settings_key_is_reported(case_from_yaml):
    with pytest.raises(InputError) as exc:
        case_from_yaml("settings: {wieghts: {record: 1}}\n")
    assert "unknown settings key 'wieghts'" in exc.value.problems[0].message


@pytest.mark.shared
def test_spec_example_loads(tmp_path):
    shutil.copytree(SPEC_EXAMPLE, tmp_path / "ex")
    case = load_case(tmp_path / "ex")
    kinds = {c.kind for c in case.claims}
    assert kinds == {"presence", "meeting", "travel", "message", "register", "accusation",
                     "existed", "stance", "statement"}
    assert case.claim_by_id["cafe-meeting-dubois"].when.describe() == "10 Mar 1921 .. 19 Mar 1921"


def test_an_object_with_a_speed_takes_part_in_whereabouts_claims(case_from_yaml):
    case = case_from_yaml("""
entities:
  van:   {type: object, names: [the white van], speed: 120}
  anna:  {type: person}
  paris: {type: place, names: [Paris]}
  lyon:  {type: place, names: [Lyon]}
sources:
  log: {kind: record, said: 2021}
claims:
  - {id: p, source: log, presence: van, where: paris, when: 2021-05-04}
  - {id: m, source: log, meeting: [van, anna], where: paris, when: 2021-05-04}
  - {id: t, source: log, travel: van, from: paris, to: lyon, when: 2021-05-05}
  - {id: r, source: log, register: arrivals, at: lyon, when: 2021-05, lists: [van]}
""")
    assert case.entities["van"].speed == 120.0
    assert case.claim_by_id["t"].person == "van" and case.claim_by_id["r"].lists == ("van",)


@pytest.mark.parametrize("entity, message", [
    ("{type: object, speed: fast}", "`speed` must be a speed in km/h above zero, such as 120, got 'fast'"),
    ("{type: object, speed: 0}", "`speed` must be a speed in km/h above zero"),
    ("{type: person, speed: 30}", "only objects have `speed`"),
])
def test_bad_speed_is_named(case_from_yaml, entity, message):
    with pytest.raises(InputError) as exc:
        case_from_yaml(f"entities:\n  x: {entity}\n")
    assert f"entity 'x': {message}" in str(exc.value)


def test_an_object_cannot_send_messages_or_be_accused(case_from_yaml):
    with pytest.raises(InputError) as exc:
        case_from_yaml("""
entities:
  van:  {type: object}
  anna: {type: person}
  italy: {type: power}
sources:
  s: {kind: testimony}
claims:
  - {source: s, message: [van, anna]}
  - {source: s, accuses: van, serving: italy}
""")
    text = str(exc.value)
    assert "message: 'van' is an object, expected a person or organisation" in text
    assert "accuses: 'van' is an object, expected a person or organisation" in text
