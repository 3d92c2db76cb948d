"""uncorroborated: allegations that only confessions, testimony or the press support."""
from __future__ import annotations

import pytest

from belie.rules import check

HEAD = """
case: uncorroborated tests
entities:
  holtzman: {type: person, names: [Holtzman]}
  olberg:   {type: person, names: [Olberg]}
  sedov:    {type: person, names: [Sedov]}
  trotsky:  {type: person, names: [Trotsky]}
  pravda:   {type: organisation, names: [Pravda]}
  germany:  {type: power, names: [Germany]}
  copenhagen: {type: place, names: [Copenhagen], at: [55.68, 12.57]}
  bristol:  {type: place, names: [Hotel Bristol], within: copenhagen, at: [55.676, 12.568]}
  oslo:     {type: place, names: [Oslo], at: [59.91, 10.75]}
sources:
  holtzman-c:  {kind: confession, speaker: holtzman, said: 1936-08-19}
  holtzman-c2: {kind: confession, speaker: holtzman, said: 1936-08-20}
  witness:     {kind: testimony, speaker: olberg, said: 1936-08-21}
  red-book:    {kind: testimony, speaker: sedov, said: 1936-10-01}
  prosecutor:  {kind: official, title: Prosecutor's speech, said: 1936-08-22}
  pravda-1:    {kind: press, speaker: pravda, said: 1936-08-22}
  hotel-book:  {kind: record, said: 1932-12-31}
  verdict:     {kind: finding, said: 1936-08-24}
  letter:      {kind: letter, speaker: trotsky, said: 1932-12-01}
claims:
"""


def run(case_from_yaml, claims: str):
    case = case_from_yaml(HEAD + claims)
    return check(case, rules=["uncorroborated"], reason=False).findings


def test_statement_only_in_a_confession(case_from_yaml):
    [f] = run(case_from_yaml, """
  - {id: order, source: holtzman-c, statement: "Trotsky ordered me to kill Stalin."}
""")
    assert f.severity == "note"
    assert f.claims == ["order"]
    assert f.details["by_kind"] == {"confession": 1}
    assert "1 confession (holtzman-c)" in f.explanation


def test_one_finding_per_event_listing_every_source(case_from_yaml):
    [f] = run(case_from_yaml, """
  - {id: h1, source: holtzman-c, event: bristol, meeting: [holtzman, sedov], where: bristol, when: 1932-11-2X}
  - {id: h2, source: holtzman-c2, event: bristol, meeting: [holtzman, sedov], where: bristol, when: 1932-11}
  - {id: p, source: pravda-1, event: bristol, presence: sedov, where: copenhagen, when: 1932-11}
  - {id: w, source: witness, event: bristol, meeting: [holtzman, sedov], where: copenhagen, when: 1932}
""")
    assert set(f.claims) == {"h1", "h2", "p", "w"}
    assert f.details["by_kind"] == {"confession": 2, "press": 1, "testimony": 1}
    assert f.details["n_sources"] == 4
    assert "2 confessions (holtzman-c, holtzman-c2)" in f.explanation
    assert "3 speakers" in f.explanation and "Olberg" in f.explanation


def test_a_record_in_the_event_corroborates(case_from_yaml):
    assert run(case_from_yaml, """
  - {id: h1, source: holtzman-c, event: bristol, meeting: [holtzman, sedov], where: bristol, when: 1932-11}
  - {id: book, source: hotel-book, event: bristol, presence: holtzman, where: bristol, when: 1932-11-25}
""") == []


def test_a_matching_record_corroborates_and_a_distant_one_does_not(case_from_yaml):
    assert run(case_from_yaml, """
  - {id: trip, source: holtzman-c, travel: holtzman, to: copenhagen, when: 1932-11}
  - {id: stamp, source: hotel-book, travel: holtzman, from: oslo, to: bristol, when: 1932-11-24}
""") == []
    [f] = run(case_from_yaml, """
  - {id: trip, source: holtzman-c, travel: holtzman, to: copenhagen, when: 1932-11}
  - {id: stamp, source: hotel-book, travel: holtzman, to: oslo, when: 1932-11-24}
  - {id: later, source: hotel-book, travel: holtzman, to: copenhagen, when: 1933-02}
  - {id: deny, source: hotel-book, travel: holtzman, to: copenhagen, when: 1932-11, denies: true}
""")
    assert f.claims == ["trip"]


def test_statements_corroborated_by_text_or_subject(case_from_yaml):
    assert run(case_from_yaml, """
  - {id: s1, source: witness, statement: "Trotsky sent instructions by courier."}
  - {id: s2, source: letter, statement: "trotsky sent instructions by courier"}
  - {id: s3, source: pravda-1, statement: "The centre was financed from abroad.", about: [sedov, trotsky]}
  - {id: s4, source: verdict, statement: "Sedov and Trotsky financed it.", about: [trotsky, sedov]}
""") == []


def test_accusation_corroborated_by_a_finding_only_for_the_same_power(case_from_yaml):
    [f] = run(case_from_yaml, """
  - {id: acc, source: holtzman-c, accusation: trotsky, serving: germany, during: 1935}
  - {id: ver, source: verdict, accusation: trotsky, serving: germany, during: 1933/1936}
  - {id: acc2, source: holtzman-c, accusation: sedov, serving: germany, during: 1935}
""")
    assert f.claims == ["acc2"]
    assert f.details["by_kind"] == {"confession": 1}


def test_the_prosecutions_own_charge_does_not_corroborate_an_accusation(case_from_yaml):
    [f] = run(case_from_yaml, """
  - {id: acc, source: holtzman-c, accusation: trotsky, serving: germany, during: 1935}
  - {id: charge, source: prosecutor, accusation: trotsky, serving: germany, during: 1933/1936}
""")
    assert f.claims == ["acc"]


def test_press_alone_is_not_reported(case_from_yaml):
    assert run(case_from_yaml, """
  - {id: acc, source: pravda-1, accusation: trotsky, serving: germany, during: 1935}
  - {id: say, source: pravda-1, statement: "Trotsky is an agent of Germany."}
""") == []


def test_the_other_partys_own_word_corroborates(case_from_yaml):
    # Sedov, the other party, says himself that he met Holtzman in Copenhagen.
    assert run(case_from_yaml, """
  - {id: h, source: holtzman-c, event: meet, meeting: [holtzman, sedov], where: bristol, when: 1932-11}
  - {id: s, source: red-book, event: meet, meeting: [sedov, holtzman], where: copenhagen, when: 1932}
  - {id: h2, source: holtzman-c, meeting: [holtzman, sedov], where: copenhagen, when: 1932-12}
  - {id: s2, source: red-book, meeting: [holtzman, sedov], where: copenhagen, when: 1932-12-05}
""") == []
    # ... but a party's word alone, or a third person's, is not corroboration.
    found = run(case_from_yaml, """
  - {id: s, source: red-book, meeting: [sedov, holtzman], where: copenhagen, when: 1932}
  - {id: h, source: holtzman-c, meeting: [holtzman, trotsky], where: copenhagen, when: 1932-11}
  - {id: w, source: witness, meeting: [holtzman, trotsky], where: copenhagen, when: 1932-11}
""")
    assert sorted(f.claims[0] for f in found) == ["h", "s", "w"]


def test_non_allegations_are_not_flagged(case_from_yaml):
    assert run(case_from_yaml, """
  - {id: stay, source: holtzman-c, presence: holtzman, where: oslo, when: 1932}
  - {id: reg, source: witness, register: arrivals, at: oslo, when: 1935-12, lists: []}
  - {id: gone, source: witness, existed: bristol, during: ../1917}
  - {id: rec, source: hotel-book, meeting: [holtzman, sedov], where: bristol, when: 1932-11}
  - {id: denied, source: witness, meeting: [holtzman, trotsky], denies: true}
""") == []


@pytest.mark.shared
def test_spec_example(shared_dir):
    from belie.model.loading import load_case

    case = load_case(shared_dir / "spec" / "example")
    found = {tuple(sorted(f.claims)) for f in check(case, rules=["uncorroborated"], reason=False).findings}
    assert ("ledgers-order",) in found
    # records, registers, stances and `existed` claims are never allegations
    flagged = {c for claims in found for c in claims}
    assert not flagged & {"marchand-at-villa", "lyon-arrivals", "mail-log", "cafe-closed"}
