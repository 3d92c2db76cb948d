"""conflicting-accounts: claims about one event that disagree, and denials of another's account."""
from __future__ import annotations

import pytest

from belie.rules import check

HEAD = """
case: conflicting accounts tests
entities:
  marchand:   {type: person, names: [Marchand]}
  dubois:     {type: person, names: [Dubois]}
  ravel:      {type: person, names: [Ravel]}
  lyon:       {type: place, names: [Lyon], at: [45.76, 4.84]}
  grand-cafe: {type: place, names: [Grand Café], within: lyon, at: [45.764, 4.836]}
  nice:       {type: place, names: [Nice], at: [43.70, 7.27]}
sources:
  dubois-1: {kind: confession, speaker: dubois, said: 1923-02-14}
  dubois-2: {kind: confession, speaker: dubois, said: 1923-03-01}
  ravel-t:  {kind: testimony, speaker: ravel, said: 1923-04-01}
  marchand-letter: {kind: letter, speaker: marchand, said: 1923-05-01}
claims:
"""


def run(case_from_yaml, claims: str, rule="conflicting-accounts"):
    case = case_from_yaml(HEAD + claims)
    return check(case, rules=[rule], reason=False).findings


def one(findings):
    assert len(findings) == 1, [f.explanation for f in findings]
    return findings[0]


def test_disjoint_dates_are_impossible(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: a, source: dubois-1, event: cafe, meeting: [dubois, marchand], where: grand-cafe, when: 1921-03-1X}
  - {id: b, source: ravel-t, event: cafe, meeting: [dubois, marchand], where: lyon, when: 1921-04}
"""))
    assert f.severity == "impossible"
    assert set(f.claims) == {"a", "b"}
    assert f.details["gap_days"] == 12          # 20..31 March
    assert "1921-03-1X" in f.explanation and "1921-04" in f.explanation


def test_same_speaker_is_reported_here_and_named(case_from_yaml):
    claims = """
  - {id: a, source: dubois-1, event: cafe, meeting: [dubois, marchand], where: grand-cafe, when: 1921-03-1X}
  - {id: b, source: dubois-2, event: cafe, meeting: [dubois, marchand], where: lyon, when: 1921-04}
"""
    f = one(run(case_from_yaml, claims))
    assert f.severity == "impossible"
    assert "Both accounts come from Dubois" in f.explanation
    assert run(case_from_yaml, claims, rule="self-contradiction") == []


def test_incompatible_places(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: a, source: dubois-1, event: cafe, meeting: [dubois, marchand], where: grand-cafe, when: 1921-03}
  - {id: b, source: ravel-t, event: cafe, meeting: [dubois, marchand], where: nice, when: 1921-03}
"""))
    assert f.severity == "impossible"
    assert "Nice" in f.explanation and "km" in f.explanation
    assert f.details["distance_km"] > 250


def test_agreeing_accounts_give_nothing(case_from_yaml):
    assert run(case_from_yaml, """
  - {id: a, source: dubois-1, event: cafe, meeting: [dubois, marchand], where: grand-cafe, when: 1921-03-15}
  - {id: b, source: ravel-t, event: cafe, meeting: [dubois, marchand], where: lyon, when: 1921-03}
  - {id: c, source: dubois-2, event: cafe, meeting: [marchand, dubois], where: lyon, when: 1921}
  - {id: d, source: ravel-t, event: other, meeting: [dubois, marchand], where: nice, when: 1921-05}
""") == []


def test_narrow_overlap_is_strained_with_window(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: a, source: dubois-1, event: cafe, meeting: [dubois, marchand], where: lyon, when: 1921-03}
  - {id: b, source: ravel-t, event: cafe, meeting: [dubois, marchand], where: lyon, when: 1921-03-30/1921-04-20}
"""))
    assert f.severity == "strained"
    assert f.details["overlap_days"] == 2
    assert f.window is not None and "1921-03-30" in f.window


def test_different_participants_is_a_note(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: a, source: dubois-1, event: cafe, meeting: [dubois, marchand, ravel], where: lyon, when: 1921-03}
  - {id: b, source: ravel-t, event: cafe, meeting: [dubois, marchand], where: lyon, when: 1921-03}
"""))
    assert f.severity == "note"
    assert "does not name Ravel" in f.explanation


def test_denial_of_the_same_event(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: a, source: dubois-1, event: cafe, meeting: [dubois, marchand], where: grand-cafe, when: 1921-03-15}
  - {id: b, source: marchand-letter, event: cafe, meeting: [dubois, marchand], where: lyon, when: 1921-03, denies: true}
"""))
    assert f.severity == "impossible"
    assert set(f.claims) == {"a", "b"}


def test_denial_by_another_speaker_without_event(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: met, source: dubois-1, meeting: [dubois, marchand], where: grand-cafe, when: 1921-03-15}
  - {id: never, source: marchand-letter, meeting: [marchand, dubois], denies: true}
"""))
    assert f.severity == "impossible"
    assert "Marchand's" in f.explanation and "Dubois's" in f.explanation


def test_denial_covering_part_of_the_date_is_strained(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: met, source: dubois-1, meeting: [dubois, marchand], where: lyon, when: 1921-03}
  - {id: not-then, source: marchand-letter, meeting: [marchand, dubois], where: lyon, when: 1921-03-01/1921-03-25, denies: true}
"""))
    assert f.severity == "strained"
    assert f.window is not None and "1921-03-26" in f.window


def test_denial_elsewhere_or_other_people_gives_nothing(case_from_yaml):
    assert run(case_from_yaml, """
  - {id: met, source: dubois-1, meeting: [dubois, marchand], where: lyon, when: 1921-03}
  - {id: n1, source: marchand-letter, meeting: [marchand, dubois], where: nice, denies: true}
  - {id: n2, source: marchand-letter, meeting: [marchand, ravel], denies: true}
  - {id: n3, source: marchand-letter, meeting: [marchand, dubois], when: 1922, denies: true}
""") == []


def test_same_speaker_denial_is_left_to_self_contradiction(case_from_yaml):
    claims = """
  - {id: met, source: dubois-1, meeting: [dubois, marchand], where: lyon, when: 1921-03}
  - {id: never, source: dubois-2, meeting: [marchand, dubois], denies: true}
"""
    assert run(case_from_yaml, claims) == []
    assert len(run(case_from_yaml, claims, rule="self-contradiction")) == 1


@pytest.mark.shared
def test_spec_example(shared_dir):
    from belie.model.loading import load_case

    case = load_case(shared_dir / "spec" / "example")
    [f] = check(case, rules=["conflicting-accounts"], reason=False).findings
    assert f.severity == "impossible"
    assert set(f.claims) == {"cafe-meeting-dubois", "cafe-meeting-second"}
    assert f.details["gap_days"] == 12


def test_denied_presence_answers_a_meeting_and_a_journey_there(case_from_yaml):
    found = run(case_from_yaml, """
  - {id: met, source: dubois-1, meeting: [dubois, marchand], where: grand-cafe, when: 1921-03-15}
  - {id: went, source: ravel-t, travel: marchand, from: nice, to: lyon, when: 1921-03-02}
  - {id: elsewhere, source: ravel-t, travel: marchand, from: nice, to: lyon, when: 1921-05-02}
  - {id: never, source: marchand-letter, presence: marchand, where: lyon, when: 1921-03, denies: true,
     quote: "I was not in Lyon that March"}
""")
    assert {tuple(sorted(f.claims)): f.severity for f in found} == {
        ("met", "never"): "impossible", ("never", "went"): "impossible"}
