"""self-contradiction: one speaker's claims, across their texts, that cannot all be true."""
from __future__ import annotations

import pytest

from belie.rules import check

HEAD = """
case: self-contradiction tests
entities:
  smirnov: {type: person, names: [I. N. Smirnov, Smirnov]}
  sedov:   {type: person, names: [Sedov]}
  vyshinsky: {type: person, names: [Vyshinsky]}
  moscow:  {type: place, names: [Moscow], at: [55.75, 37.62]}
  berlin:  {type: place, names: [Berlin], at: [52.52, 13.40]}
  tiergarten: {type: place, names: [Tiergarten], within: berlin, at: [52.514, 13.35]}
sources:
  interrogation-1: {kind: confession, speaker: smirnov, said: 1936-05-20}
  interrogation-2: {kind: confession, speaker: smirnov, said: 1936-07-13}
  trial:           {kind: testimony, speaker: smirnov, said: 1936-08-20}
  prosecutor:      {kind: testimony, speaker: vyshinsky, said: 1936-08-19}
claims:
"""


def run(case_from_yaml, claims: str, rule="self-contradiction"):
    case = case_from_yaml(HEAD + claims)
    return check(case, rules=[rule], reason=False).findings


def one(findings):
    assert len(findings) == 1, [f.explanation for f in findings]
    return findings[0]


def test_assertion_and_denial_in_two_texts(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: met, source: interrogation-1, meeting: [smirnov, sedov], where: berlin, when: 1931-07}
  - {id: never, source: trial, meeting: [smirnov, sedov], when: 1931, denies: true}
"""))
    assert f.severity == "impossible"
    assert set(f.claims) == {"met", "never"}
    assert "interrogation-1" in f.explanation and "trial" in f.explanation
    assert "I. N. Smirnov says both" in f.explanation


def test_denial_by_another_speaker_is_not_a_self_contradiction(case_from_yaml):
    assert run(case_from_yaml, """
  - {id: met, source: prosecutor, meeting: [smirnov, sedov], where: berlin, when: 1931-07}
  - {id: never, source: trial, meeting: [smirnov, sedov], when: 1931, denies: true}
""") == []


def test_two_places_at_once(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: home, source: interrogation-2, presence: smirnov, where: moscow, throughout: 1931-07-01/1931-08-31}
  - {id: met, source: interrogation-1, meeting: [smirnov, sedov], where: tiergarten, when: 1931-07}
"""))
    assert f.severity == "impossible"
    assert set(f.claims) == {"home", "met"}
    assert f.details["distance_km"] > 1500
    assert "1931-07-01/1931-08-31" in f.explanation


def test_two_overlapping_stays(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: home, source: interrogation-2, presence: smirnov, where: moscow, throughout: 1931-07-01/1931-08-31}
  - {id: abroad, source: trial, presence: smirnov, where: berlin, throughout: 1931-08-20/1931-09-10}
"""))
    assert f.severity == "impossible"
    assert f.details["overlap_days"] == 12


def test_mostly_inside_a_stay_is_strained(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: home, source: interrogation-2, presence: smirnov, where: moscow, throughout: 1931-07-01/1931-08-31}
  - {id: met, source: interrogation-1, meeting: [smirnov, sedov], where: berlin, when: 1931-08-25/1931-09-02}
"""))
    assert f.severity == "strained"
    assert f.details["days_outside"] == 2
    assert f.window is not None and f.window.startswith("1931-09-01")


def test_no_finding_when_compatible_or_other_speaker_or_loose(case_from_yaml):
    assert run(case_from_yaml, """
  - {id: stay, source: interrogation-2, presence: smirnov, where: berlin, throughout: 1931-07-01/1931-08-31}
  - {id: park, source: interrogation-1, presence: smirnov, where: tiergarten, when: 1931-07-14}
  - {id: other, source: prosecutor, presence: smirnov, where: moscow, when: 1931-07-14}
  - {id: loose, source: trial, presence: smirnov, where: moscow, when: 1931}
""") == []


def test_pairs_sharing_an_event_are_left_to_conflicting_accounts(case_from_yaml):
    claims = """
  - {id: home, source: interrogation-2, event: summer, presence: smirnov, where: moscow, throughout: 1931-07-01/1931-08-31}
  - {id: met, source: interrogation-1, event: summer, meeting: [smirnov, sedov], where: berlin, when: 1931-07}
"""
    assert run(case_from_yaml, claims) == []
    assert len(run(case_from_yaml, claims, rule="conflicting-accounts")) == 1


@pytest.mark.shared
def test_spec_example_has_none(shared_dir):
    from belie.model.loading import load_case

    case = load_case(shared_dir / "spec" / "example")
    assert check(case, rules=["self-contradiction"], reason=False).findings == []


def test_a_claim_the_text_only_reports_is_not_its_authors(case_from_yaml):
    """Smirnov's trial testimony reports what the prosecutor alleged (`speaker:`, belie's
    extension) and denies it: two people disagree; Smirnov does not contradict himself."""
    claims = """
  - {id: alleged, source: trial, speaker: vyshinsky, meeting: [smirnov, sedov], where: berlin, when: 1931-07}
  - {id: never, source: trial, meeting: [smirnov, sedov], when: 1931, denies: true}
"""
    assert run(case_from_yaml, claims) == []
    # without `speaker`, the allegation would be Smirnov's own word
    assert len(run(case_from_yaml, claims.replace("speaker: vyshinsky, ", ""))) == 1


def test_a_reported_stay_is_the_reported_speakers(case_from_yaml):
    claims = """
  - {id: stay, source: trial, presence: sedov, where: moscow, throughout: 1931-07-01/1931-07-31}
  - {id: seen, source: trial, speaker: vyshinsky, presence: sedov, where: berlin, when: 1931-07-10}
"""
    assert run(case_from_yaml, claims) == []
    assert len(run(case_from_yaml, claims.replace("speaker: vyshinsky, ", ""))) == 1


def test_a_claims_speaker_must_be_declared(case_from_yaml):
    from belie.errors import InputError

    with pytest.raises(InputError) as err:
        case_from_yaml(HEAD + """
  - {source: trial, speaker: vyshinksy, presence: sedov, where: berlin, when: 1931-07-10}
""")
    assert "speaker: unknown entity 'vyshinksy' (did you mean 'vyshinsky'?)" in str(err.value)
