"""Findings grouped by the conflict they share (belie.reason.groups)."""
from __future__ import annotations

from belie.rules import check

CASE = """
case: two stories
entities:
  anna:  {type: person, names: [Anna]}
  boris: {type: person, names: [Boris]}
  paris: {type: place, at: [48.85, 2.35]}
  rome:  {type: place, at: [41.90, 12.50]}
  oslo:  {type: place, at: [59.91, 10.75]}
sources:
  hotel:  {kind: record, said: 1921}
  police: {kind: record, said: 1921}
  guest:  {kind: testimony, said: 1922}
  rumour: {kind: confession, said: 1922}
claims:
  - {id: anna-paris, source: hotel, presence: anna, where: paris, throughout: 1921-05-01/1921-05-10}
  - {id: anna-rome, source: rumour, presence: anna, where: rome, when: 1921-05-05}
  - {id: anna-oslo, source: guest, presence: anna, where: oslo, when: 1921-05-06}
  - {id: boris-oslo, source: police, presence: boris, where: oslo, throughout: 1921-07-01/1921-07-09}
  - {id: boris-rome, source: rumour, presence: boris, where: rome, when: 1921-07-03}
"""


def test_two_stories_make_two_groups_each_with_its_findings(case_from_yaml):
    result = check(case_from_yaml(CASE))
    impossible = [g for g in result.groups if g.severity == "impossible"]
    assert [set(g.claims) for g in impossible] == [{"anna-paris", "anna-rome", "anna-oslo"},
                                                   {"boris-oslo", "boris-rome"}]
    assert [len(g.findings) for g in impossible] == [2, 1]          # the bigger story first
    # every finding in exactly one group
    assert sorted(id(f) for g in result.groups for f in g.findings) == sorted(id(f) for f in result.findings)
    assert impossible[0].rejected == ["anna-rome", "anna-oslo"]
    assert impossible[1].rejected == ["boris-rome"]


def test_the_strongest_finding_comes_first(case_from_yaml):
    first = check(case_from_yaml(CASE)).groups[0]
    # Both findings set the hotel record against a weaker claim; the one whose weakest
    # claim weighs more (the testimony, 0.6, against the confession's 0.3) comes first.
    assert set(first.findings[0].claims) == {"anna-paris", "anna-oslo"}
    assert set(first.findings[1].claims) == {"anna-paris", "anna-rome"}
