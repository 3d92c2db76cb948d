"""nonexistent: a claim that needs a place, person or organisation outside its lifetime."""
from __future__ import annotations

from belie.rules import check

CASE = """
entities:
  holtzman: {type: person, names: [Holtzman]}
  sedov:    {type: person, names: [Lev Sedov, Sedov], lived: 1906-02-24/1938-02-16}
  kirov:    {type: person, names: [Kirov], lived: ../1934-12-01}
  copenhagen: {type: place, names: [Copenhagen], at: [55.6761, 12.5683], existed: 1950/..}
  bristol:  {type: place, names: [Hotel Bristol], within: copenhagen, at: [55.6757, 12.5690], existed: ../1917}
  oslo:     {type: place, names: [Oslo], at: [59.9139, 10.7522]}
  gestapo:  {type: organisation, names: [Gestapo], existed: 1933-04-26/1945-05-08}
sources:
  directory: {kind: record, said: 1936}
  confession: {kind: confession, speaker: holtzman, said: 1936-08-20}
claims:
"""


def findings(case_from_yaml, claims: str):
    case = case_from_yaml(CASE + claims)
    return [f for f in check(case, reason=False).findings if f.rule == "nonexistent"]


def test_a_meeting_at_a_hotel_long_closed_is_impossible(case_from_yaml):
    (f,) = findings(case_from_yaml, """
  - {id: bristol-meeting, source: confession, meeting: [holtzman, sedov], where: bristol, when: 1932-11,
     quote: "I met Sedov at the Hotel Bristol"}
""")
    assert f.severity == "impossible"
    assert f.claims == ["bristol-meeting"] and f.sources == ["confession"]
    assert "“I met Sedov at the Hotel Bristol”" in f.explanation
    assert "31 Dec 1917" in f.explanation and "1 Nov 1932 .. 30 Nov 1932" in f.explanation
    assert "about 15 years" in f.explanation
    assert f.details["days_possible"] == 0


def test_the_place_named_counts_not_the_city_it_lies_within(case_from_yaml):
    # Copenhagen carries a (made-up) `existed: 1950/..`; the hotel's own lifetime is what
    # matters for a meeting at the hotel, and a presence in the city needs only the city.
    found = findings(case_from_yaml, """
  - {id: hotel-1910, source: confession, presence: holtzman, where: bristol, when: 1910}
""")
    assert found == []


def test_partly_outside_is_strained_with_the_days_inside(case_from_yaml):
    (f,) = findings(case_from_yaml, """
  - {id: m, source: confession, presence: holtzman, where: bristol, when: 1917-12-20/1918-01-10}
""")
    assert f.severity == "strained"
    assert f.window == "1917-12-20/1917-12-31"
    assert f.details["days_possible"] == 12 and f.details["claim_days"] == 22


def test_a_stay_throughout_that_outlasts_the_place_is_impossible(case_from_yaml):
    (f,) = findings(case_from_yaml, """
  - {id: stay, source: confession, presence: holtzman, where: bristol, throughout: 1917-12-20/1918-01-10}
""")
    assert f.severity == "impossible"
    assert "10 days fall outside" in f.explanation


def test_a_source_existed_claim_is_cited_with_the_finding(case_from_yaml):
    (f,) = findings(case_from_yaml, """
  - {id: closed, source: directory, existed: oslo, during: 1900/1920}
  - {id: visit, source: confession, presence: holtzman, where: oslo, when: 1935-12}
""")
    assert f.severity == "impossible"
    assert sorted(f.claims) == ["closed", "visit"]
    assert sorted(f.sources) == ["confession", "directory"]


def test_a_denied_existence_rules_out_the_period_it_names(case_from_yaml):
    found = findings(case_from_yaml, """
  - {id: gone, source: directory, existed: oslo, during: 1935-12-01/1935-12-20, denies: true}
  - {id: inside, source: confession, presence: holtzman, where: oslo, when: 1935-12-10}
  - {id: across, source: confession, presence: sedov, where: oslo, when: 1935-12-15/1935-12-24}
  - {id: after, source: confession, presence: sedov, where: oslo, when: 1935-12-25}
""")
    by = {tuple(sorted(f.claims)): f for f in found}
    assert set(by) == {("gone", "inside"), ("across", "gone")}
    assert by[("gone", "inside")].severity == "impossible"
    assert by[("across", "gone")].severity == "strained"
    assert by[("across", "gone")].window == "1935-12-21/1935-12-24"


def test_a_letter_from_a_dead_man_is_impossible(case_from_yaml):
    (f,) = findings(case_from_yaml, """
  - {id: letter, source: confession, message: [kirov, holtzman], by: letter, when: 1935-01}
""")
    assert f.severity == "impossible"
    assert "the sender" in f.explanation and "1 Dec 1934" in f.explanation


def test_a_letter_to_someone_not_yet_born(case_from_yaml):
    (f,) = findings(case_from_yaml, """
  - {id: letter, source: confession, message: [holtzman, sedov], by: letter, when: 1900}
""")
    assert f.severity == "impossible" and "the recipient" in f.explanation


def test_serving_an_organisation_before_it_existed(case_from_yaml):
    (f,) = findings(case_from_yaml, """
  - {id: charge, source: confession, accusation: holtzman, serving: gestapo, during: 1932}
""")
    assert f.severity == "impossible" and "Gestapo" in f.explanation


def test_within_the_lifetime_is_no_finding(case_from_yaml):
    assert findings(case_from_yaml, """
  - {source: confession, meeting: [holtzman, sedov], where: oslo, when: 1935-12}
  - {source: confession, presence: holtzman, where: bristol, when: 1917}
  - {source: confession, travel: sedov, from: oslo, to: bristol, when: 1910, by: sea}
""") == []


def test_denied_claims_are_skipped(case_from_yaml):
    assert findings(case_from_yaml, """
  - {source: confession, meeting: [holtzman, sedov], where: bristol, when: 1932-11, denies: true}
""") == []


def test_two_entities_out_of_time_give_one_finding(case_from_yaml):
    (f,) = findings(case_from_yaml, """
  - {id: m, source: confession, meeting: [kirov, sedov], where: bristol, when: 1936}
""")
    assert f.severity == "impossible"
    assert "Kirov" in f.explanation and "Hotel Bristol" in f.explanation
    assert f.details["entities"] == ["bristol", "kirov"]
