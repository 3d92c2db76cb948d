"""register: journeys and messages that a complete register excludes."""
from __future__ import annotations

import pytest

from belie.rules import check

HEAD = """
case: register tests
entities:
  marchand: {type: person, names: [Marchand]}
  dubois:   {type: person, names: [Dubois]}
  ravel:    {type: person, names: [Ravel]}
  france:   {type: place, names: [France], at: [46.6, 2.4]}
  lyon:     {type: place, names: [Lyon], within: france, at: [45.76, 4.84]}
  bron:     {type: place, names: [Bron airfield], within: lyon, at: [45.73, 4.94]}
  nice:     {type: place, names: [Nice], within: france, at: [43.70, 7.27]}
  geneva:   {type: place, names: [Geneva], at: [46.20, 6.14]}
sources:
  dubois-statement: {kind: confession, speaker: dubois, said: 1923-02-14}
  prefecture:       {kind: record, said: 1921-06-01}
  mail-log:         {kind: record, said: 1921-06-01}
claims:
"""


def run(case_from_yaml, claims: str):
    case = case_from_yaml(HEAD + claims)
    return [f for f in check(case, rules=["register"], reason=False).findings]


def one(findings):
    assert len(findings) == 1, [f.explanation for f in findings]
    return findings[0]


def test_flight_wholly_within_an_empty_register_is_impossible(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: flight, source: dubois-statement, travel: marchand, from: nice, to: lyon, when: 1921-03, by: air}
  - {id: arrivals, source: prefecture, register: arrivals, at: lyon, by: air, when: 1921-03, lists: []}
"""))
    assert f.severity == "impossible"
    assert set(f.claims) == {"flight", "arrivals"}
    assert set(f.sources) == {"dubois-statement", "prefecture"}
    assert "1921-03" in f.explanation and "lists nobody" in f.explanation
    assert f.details["days_covered"] == 31


def test_arrival_at_a_place_within_the_register_place(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: flight, source: dubois-statement, travel: marchand, from: geneva, to: bron, when: 1921-03-12, by: air}
  - {id: arrivals, source: prefecture, register: arrivals, at: france, by: air, when: 1921, lists: [dubois]}
"""))
    assert f.severity == "impossible"
    assert "Dubois" in f.explanation     # what the register does list


@pytest.mark.parametrize("claim,lists", [
    # the register lists him
    ("travel: marchand, from: nice, to: lyon, when: 1921-03, by: air", "[marchand]"),
    # another means than the register covers
    ("travel: marchand, from: nice, to: lyon, when: 1921-03, by: rail", "[]"),
    # outside its period
    ("travel: marchand, from: nice, to: lyon, when: 1921-05, by: air", "[]"),
    # a journey inside the place arrives nowhere
    ("travel: marchand, from: bron, to: lyon, when: 1921-03, by: air", "[]"),
    # a departure is no arrival
    ("travel: marchand, from: lyon, to: nice, when: 1921-03, by: air", "[]"),
    # denied
    ("travel: marchand, from: nice, to: lyon, when: 1921-03, by: air, denies: true", "[]"),
])
def test_no_finding(case_from_yaml, claim, lists):
    found = run(case_from_yaml, f"""
  - {{id: flight, source: dubois-statement, {claim}}}
  - {{id: arrivals, source: prefecture, register: arrivals, at: lyon, by: air, when: 1921-03, lists: {lists}}}
""")
    assert found == []


def test_journey_without_means_is_strained(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: trip, source: dubois-statement, travel: marchand, from: nice, to: lyon, when: 1921-03-10}
  - {id: arrivals, source: prefecture, register: arrivals, at: lyon, by: air, when: 1921-03, lists: []}
"""))
    assert f.severity == "strained"
    assert "not by air" in f.explanation


def test_journey_without_means_partly_covered_is_a_note(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: trip, source: dubois-statement, travel: marchand, to: lyon, when: 1921-03-20/1921-04-10}
  - {id: arrivals, source: prefecture, register: arrivals, at: lyon, by: air, when: 1921-03, lists: []}
"""))
    assert f.severity == "note"
    assert "1 Apr 1921 .. 10 Apr 1921" in f.explanation


def test_message_without_medium_against_a_letter_register_is_strained(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: m, source: dubois-statement, message: [dubois, marchand], when: 1921-04-02}
  - {id: log, source: mail-log, register: messages, to: marchand, by: letter, when: 1921-04, lists: []}
"""))
    assert f.severity == "strained"
    assert "not by letter" in f.explanation


def test_partly_covered_journey_is_strained_with_window(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: flight, source: dubois-statement, travel: marchand, from: nice, to: lyon, when: 1921-03-20/1921-04-10, by: air}
  - {id: arrivals, source: prefecture, register: arrivals, at: lyon, when: 1921-03, lists: []}
"""))
    assert f.severity == "strained"
    assert f.details["days_covered"] == 12 and f.details["days_free"] == 10
    assert f.window is not None and f.window.startswith("1921-04")
    assert "10 Apr 1921" in f.explanation


def test_registers_taken_together_cover_the_journey(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: flight, source: dubois-statement, travel: marchand, from: nice, to: lyon, when: 1921-03-20/1921-04-10, by: air}
  - {id: march, source: prefecture, register: arrivals, at: lyon, by: air, when: 1921-03, lists: []}
  - {id: april, source: prefecture, register: arrivals, at: lyon, when: 1921-04, lists: [dubois]}
"""))
    assert f.severity == "impossible"
    assert set(f.claims) == {"flight", "march", "april"}


def test_departures(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: trip, source: dubois-statement, travel: marchand, from: lyon, to: geneva, when: 1921-03-02, by: rail}
  - {id: departures, source: prefecture, register: departures, at: lyon, when: 1921-03, lists: [ravel]}
  - {id: arrivals, source: prefecture, register: arrivals, at: lyon, when: 1921-03, lists: []}
"""))
    assert f.severity == "impossible"
    assert set(f.claims) == {"trip", "departures"}


def test_message_the_mail_log_does_not_list(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: letter, source: dubois-statement, message: [dubois, marchand], by: letter, when: 1921-04}
  - {id: log, source: mail-log, register: messages, to: marchand, when: 1921-04, lists: []}
"""))
    assert f.severity == "impossible"
    assert set(f.claims) == {"letter", "log"}
    assert "Dubois is not listed" in f.explanation


@pytest.mark.parametrize("claim,reg", [
    ("message: [dubois, marchand], by: letter, when: 1921-04", "to: marchand, when: 1921-04, lists: [dubois]"),
    ("message: [dubois, ravel], by: letter, when: 1921-04", "to: marchand, when: 1921-04, lists: []"),
    ("message: [dubois, marchand], by: telegram, when: 1921-04", "to: marchand, by: letter, when: 1921-04, lists: []"),
    ("message: [marchand, dubois], by: letter, when: 1921-04", "to: marchand, when: 1921-04, lists: []"),
    ("message: [marchand, dubois], by: letter, when: 1921-04", "from: marchand, when: 1921-04, lists: [dubois]"),
])
def test_messages_not_excluded(case_from_yaml, claim, reg):
    assert run(case_from_yaml, f"""
  - {{id: m, source: dubois-statement, {claim}}}
  - {{id: log, source: mail-log, register: messages, {reg}}}
""") == []


def test_message_from_register_and_cable_alias(case_from_yaml):
    f = one(run(case_from_yaml, """
  - {id: m, source: dubois-statement, message: [marchand, dubois], by: cable, when: 1921-04-03}
  - {id: log, source: mail-log, register: messages, from: marchand, by: telegram, when: 1921-04, lists: [ravel]}
"""))
    assert f.severity == "impossible"


@pytest.mark.shared
def test_spec_example(shared_dir):
    from belie.model.loading import load_case

    case = load_case(shared_dir / "spec" / "example")
    found = {tuple(sorted(f.claims)): f.severity
             for f in check(case, rules=["register"], reason=False).findings}
    assert found == {("lyon-arrivals", "marchand-flight"): "impossible",
                     ("letter-to-marchand", "mail-log"): "impossible"}


# -- register: present (everyone and everything at a place during the period) -------------

PRESENT = """
case: present tests
entities:
  ana:    {type: person, names: [Ana]}
  bea:    {type: person, names: [Bea]}
  van:    {type: object, names: [the white van]}
  firm:   {type: organisation, names: [the firm]}
  elvas:  {type: place, names: [Elvas], at: [38.881, -7.163]}
  bridge: {type: place, names: [the bridge], at: [38.885, -7.030]}
  deck:   {type: place, names: [the bridge deck], within: bridge}
sources:
  camera: {kind: record, title: the bridge camera log, said: 2023-06-30}
  ana-st: {kind: testimony, speaker: ana, said: 2023-06-22}
  tip:    {kind: testimony, said: 2023-06-25}
claims:
  - {id: log, source: camera, register: present, at: bridge, when: 2023-06-10/2023-06-14, lists: [van, bea]}
"""


def present(case_from_yaml, claims: str):
    case = case_from_yaml(PRESENT + claims)
    return [f for f in check(case, rules=["register"], reason=False).findings]


@pytest.mark.parametrize("claim", [
    "presence: ana, where: bridge, when: 2023-06-12",
    "presence: ana, where: deck, when: 2023-06-12",                  # a place within the bridge
    "presence: ana, where: bridge, throughout: 2023-06-14/2023-06-20",   # a stay that overlaps it
    "meeting: [ana, bea], where: bridge, when: 2023-06-11/2023-06-13",
    "travel: ana, from: bridge, to: elvas, when: 2023-06-13",          # a journey's start
    "travel: ana, from: elvas, to: deck, when: 2023-06-13",            # a journey's end
])
def test_someone_not_listed_where_the_register_lists_everyone_is_impossible(case_from_yaml, claim):
    f = one(present(case_from_yaml, f"  - {{id: c, source: ana-st, {claim}}}\n"))
    assert f.severity == "impossible" and f.rule == "register"
    assert sorted(f.claims) == ["c", "log"] and f.details["scope"] == "present"
    assert f.details["person"] == "ana"
    assert "The bridge camera log" in f.explanation and "lists the white van, Bea" in f.explanation
    assert "Ana is not listed" in f.explanation


def test_a_thing_not_listed_is_excluded_like_a_person(case_from_yaml):
    case = case_from_yaml(PRESENT.replace("lists: [van, bea]", "lists: [bea]")
                          + "  - {id: c, source: tip, presence: van, where: bridge, when: 2023-06-12}\n")
    f = one(check(case, rules=["register"], reason=False).findings)
    assert f.severity == "impossible" and "the white van is not listed" in f.explanation


@pytest.mark.parametrize("claim", [
    "presence: bea, where: bridge, when: 2023-06-12",          # listed
    "presence: van, where: deck, when: 2023-06-12",            # listed, a place within
    "presence: ana, where: bridge, when: 2023-06-20",          # outside the period
    "presence: ana, where: elvas, when: 2023-06-12",           # another place
    "presence: firm, where: bridge, when: 2023-06-12",         # an organisation is in many places
    "presence: ana, where: bridge, when: 2023-06-12, denies: true",
    "meeting: [firm, bea], where: bridge, when: 2023-06-12",
])
def test_present_register_no_finding(case_from_yaml, claim):
    assert present(case_from_yaml, f"  - {{id: c, source: ana-st, {claim}}}\n") == []


def test_a_moment_that_may_fall_outside_the_period_holds_only_then(case_from_yaml):
    # 8..15 June: 10..14 are covered, 8, 9 and 15 are left (3 of 8 days): strained.
    f = one(present(case_from_yaml, "  - {id: c, source: tip, presence: ana, where: bridge, when: 2023-06-08/2023-06-15}\n"))
    assert f.severity == "strained"
    assert f.window == "2023-06-08/2023-06-09"
    assert f.details["windows"] == ["2023-06-08/2023-06-09", "2023-06-15"]
    assert f.details["days_covered"] == 5 and f.details["days_free"] == 3
    assert "8 Jun 2023 .. 9 Jun 2023 or 15 Jun 2023" in f.explanation
    # 1..14 June: 9 of 14 days left: a note.
    f = one(present(case_from_yaml, "  - {id: c, source: tip, presence: ana, where: bridge, when: 2023-06-01/2023-06-14}\n"))
    assert f.severity == "note" and f.window == "2023-06-01/2023-06-09"


def test_a_meeting_with_two_unlisted_gives_one_finding(case_from_yaml):
    found = present(case_from_yaml, "  - {id: c, source: tip, meeting: [ana, firm], where: bridge, when: 2023-06-12}\n")
    assert [(f.severity, f.details["person"]) for f in found] == [("impossible", "ana")]


def test_a_present_register_takes_no_means(case_from_yaml):
    from belie.errors import InputError

    with pytest.raises(InputError) as exc:
        case_from_yaml(PRESENT.replace("lists: [van, bea]", "lists: [van, bea], by: air"))
    assert "key 'by' does not belong in a register claim of scope 'present'" in str(exc.value)


def test_the_docs_page_example_of_a_present_register(tmp_path):
    from pathlib import Path

    from belie.model.loading import load_case

    page = (Path(__file__).resolve().parents[2] / "docs" / "rules" / "register.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in page.split("```yaml\n")[1:]]
    example = next(b for b in blocks if "register: present" in b)
    (tmp_path / "case.yaml").write_text(example, encoding="utf-8")
    f = one(check(load_case(tmp_path), rules=["register"], reason=False).findings)
    assert (f.severity, sorted(f.claims)) == ("impossible", ["crossing", "log"])
    text = " ".join(page.split())
    assert " ".join(f.explanation.split()) in text.replace("“The bridge camera log", "The bridge camera log", 1)


@pytest.mark.shared
def test_the_spec_times_example_bridge_log(shared_dir, tmp_path):
    # The border post's log of everyone and everything at the bridge lists only the van.
    import shutil

    from belie.model.loading import load_case

    shutil.copy(shared_dir / "spec" / "example" / "times.yaml", tmp_path / "case.yaml")
    found = check(load_case(tmp_path), rules=["register"], reason=False).findings
    assert [(f.severity, sorted(f.claims)) for f in found] == [("impossible", ["bridge-log", "ruiz-crossing"])]
