"""impossible-travel: whereabouts too far apart for the time between them, and journeys
too long for their own dates and mode."""
from __future__ import annotations

from belie.rules import check

PLACES = """
entities:
  pyatakov: {type: person, names: [Pyatakov]}
  moscow:   {type: place, names: [Moscow], at: [55.7558, 37.6173]}
  oslo:     {type: place, names: [Oslo], at: [59.9139, 10.7522]}
  lisbon:   {type: place, names: [Lisbon], at: [38.7223, -9.1393]}
  berlin:   {type: place, names: [Berlin], at: [52.5200, 13.4050]}
  potsdam:  {type: place, names: [Potsdam], at: [52.3906, 13.0645]}
  buenos-aires: {type: place, names: [Buenos Aires], at: [-34.6037, -58.3816]}
  kremlin:  {type: place, names: [Kremlin], within: moscow, at: [55.7520, 37.6175]}
sources:
  log:   {kind: record, said: 1937}
  trial: {kind: confession, speaker: pyatakov, said: 1937-01-23}
"""


def run(case_from_yaml, claims: str, settings: str = ""):
    case = case_from_yaml(settings + PLACES + "claims:\n" + claims)
    return [f for f in check(case, reason=False).findings if f.rule == "impossible-travel"]


def test_back_to_back_stays_a_continent_apart_are_impossible(case_from_yaml):
    found = run(case_from_yaml, """
  - {id: in-moscow, source: log, presence: pyatakov, where: moscow, throughout: 1935-12-01/1935-12-11}
  - {id: in-oslo, source: trial, presence: pyatakov, where: oslo, throughout: 1935-12-12/1935-12-13}
""")
    assert len(found) == 1
    f = found[0]
    assert f.severity == "impossible"
    assert sorted(f.claims) == ["in-moscow", "in-oslo"]
    assert sorted(f.sources) == ["log", "trial"]
    assert f.details["available_hours"] == 0
    assert 1550 < f.details["distance_km"] < 1700
    assert "air" in f.explanation and "330 km/h" in f.explanation
    assert "1935-12-01/1935-12-11" in f.explanation and "11 Dec 1935" in f.explanation


def test_a_journey_only_an_aircraft_could_make_is_strained_with_its_window(case_from_yaml):
    # Moscow to Lisbon (~3,900 km) between the end of 23 July and the end of 24 July 1936:
    # 24 h.  Rail (125 km/h) needs ~31 h; a DC-3 (330 km/h) ~12 h.
    found = run(case_from_yaml, """
  - {id: in-moscow, source: log, presence: pyatakov, where: moscow, throughout: 1936-07-20/1936-07-23}
  - {id: in-lisbon, source: trial, presence: pyatakov, where: lisbon, when: 24 July 1936}
""")
    assert len(found) == 1
    f = found[0]
    assert f.severity == "strained"
    assert sorted(f.claims) == ["in-lisbon", "in-moscow"]
    assert f.window == "1936-07-24"
    assert f.details["available_hours"] == 24
    assert f.details["fastest_mode"] == "air" and f.details["reference_mode"] == "rail"
    assert 3800 < f.details["distance_km"] < 4000
    assert "only air could" in f.explanation and "125 km/h" in f.explanation
    assert "“24 July 1936” (read as 1936-07-24" in f.explanation     # as written, EDTF, bounds


def test_wide_dates_leave_room_for_the_journey(case_from_yaml):
    # The Lisbon claim reads as 21..31 July: arriving on the 25th by rail fits.
    assert run(case_from_yaml, """
  - {source: log, presence: pyatakov, where: moscow, throughout: 1936-07-10/1936-07-20}
  - {source: trial, presence: pyatakov, where: lisbon, when: end of July 1936}
""") == []


def test_enough_days_between_is_no_finding(case_from_yaml):
    assert run(case_from_yaml, """
  - {source: log, presence: pyatakov, where: moscow, throughout: 1935-12-01/1935-12-08}
  - {source: trial, presence: pyatakov, where: oslo, when: 1935-12-10}
""") == []


def test_nested_places_need_no_travel(case_from_yaml):
    assert run(case_from_yaml, """
  - {source: log, presence: pyatakov, where: moscow, throughout: 1935-12-01/1935-12-11}
  - {source: trial, presence: pyatakov, where: kremlin, throughout: 1935-12-12/1935-12-13}
""") == []


def test_overlapping_dates_are_left_to_the_alibi_rule(case_from_yaml):
    case = case_from_yaml(PLACES + """claims:
  - {id: a, source: log, presence: pyatakov, where: moscow, throughout: 1935-12-01/1935-12-20}
  - {id: b, source: trial, presence: pyatakov, where: oslo, when: 1935-12-12}
""")
    findings = check(case, reason=False).findings
    assert [f.rule for f in findings if set(f.claims) == {"a", "b"}] == ["alibi"]


def test_far_beyond_the_fastest_aircraft_is_impossible_even_with_a_day(case_from_yaml):
    # Moscow to Buenos Aires (~13,500 km) in 1936: more than a day even by air.
    found = run(case_from_yaml, """
  - {id: m, source: log, presence: pyatakov, where: moscow, throughout: 1936-03-01}
  - {id: b, source: trial, presence: pyatakov, where: buenos-aires, when: 1936-03-02}
""")
    (f,) = found
    assert f.severity == "impossible"
    assert f.details["available_hours"] == 24
    assert f.details["needed_hours_fastest"] > 40


def test_a_travel_claim_too_slow_for_its_own_mode(case_from_yaml):
    found = run(case_from_yaml, """
  - {id: walk, source: trial, travel: pyatakov, from: moscow, to: oslo, when: 1935-12-12, by: foot}
  - {id: train, source: trial, travel: pyatakov, from: berlin, to: oslo, when: 1935-12-14, by: rail}
""")
    (f,) = found
    assert f.claims == ["walk"]
    assert f.severity == "strained"            # afoot: ~235 h; by rail ~13 h, by air ~5 h
    assert f.details["mode"] == "foot" and f.details["mode_kmh"] == 7
    assert f.details["modes_that_could"] == ["air", "rail"]
    assert "only air or rail could" in f.explanation


def test_a_journey_no_means_of_the_era_could_make(case_from_yaml):
    found = run(case_from_yaml, """
  - {id: hop, source: trial, travel: pyatakov, from: moscow, to: buenos-aires, when: 1936-03-01, by: air}
""")
    (f,) = found
    assert f.severity == "impossible" and f.claims == ["hop"]


def test_a_mode_that_did_not_exist_yet(case_from_yaml):
    found = run(case_from_yaml, """
  - {id: flight, source: trial, travel: pyatakov, from: berlin, to: potsdam, when: 1890-05, by: air}
""")
    (f,) = found
    assert f.severity == "impossible"
    assert "no air travel in 1890" in f.explanation


def test_speeds_follow_the_case_settings(case_from_yaml):
    claims = """
  - {id: m, source: log, presence: pyatakov, where: moscow, throughout: 1935-12-01/1935-12-11}
  - {id: o, source: trial, presence: pyatakov, where: oslo, when: 1935-12-12}
"""
    # By default: 24 h are enough by rail (1,645 km at 125 km/h: 13 h).
    assert run(case_from_yaml, claims) == []
    slow = "settings:\n  travel:\n    1919: {rail: 40, air: 60, road: 40, sea: 30}\n"
    (f,) = run(case_from_yaml, claims, settings=slow)
    assert f.severity == "impossible" and f.details["fastest_kmh"] == 60


def test_denied_whereabouts_are_not_travel(case_from_yaml):
    assert run(case_from_yaml, """
  - {source: log, presence: pyatakov, where: moscow, throughout: 1935-12-01/1935-12-11}
  - {source: trial, presence: pyatakov, where: oslo, when: 1935-12-12, denies: true}
""") == []


# -- things that move (entity `type: object`, with an optional `speed:` cap) ------------------

THINGS = """
entities:
  barge:   {type: object, names: [the barge], speed: 12}
  truck:   {type: object, names: [the truck]}
  firm:    {type: organisation, names: [the firm]}
  lyon:    {type: place, names: [Lyon], at: [45.76, 4.84]}
  paris:   {type: place, names: [Paris], at: [48.85, 2.35]}
sources:
  log:   {kind: record, said: 2021}
  tip:   {kind: testimony, said: 2021}
claims:
"""


def things(case_from_yaml, claims: str, rules=("impossible-travel", "alibi")):
    case = case_from_yaml(THINGS + claims)
    return [f for f in check(case, reason=False, rules=list(rules)).findings]


def test_a_thing_never_moves_faster_than_its_own_speed(case_from_yaml):
    # Lyon to Paris, ~390 km, with the 4th free: more than a day at 12 km/h, a few hours
    # for a truck.
    found = things(case_from_yaml, """
  - {id: a, source: log, presence: barge, where: lyon, throughout: 2021-05-01/2021-05-03}
  - {id: b, source: tip, presence: barge, where: paris, throughout: 2021-05-05/2021-05-06}
  - {id: c, source: log, presence: truck, where: lyon, throughout: 2021-05-01/2021-05-03}
  - {id: d, source: tip, presence: truck, where: paris, throughout: 2021-05-05/2021-05-06}
""")
    assert [sorted(f.claims) for f in found] == [["a", "b"]]
    f = found[0]
    assert f.severity == "impossible" and f.rule == "impossible-travel"
    assert "12 km/h" in f.explanation and "its own top speed" in f.explanation
    assert "the barge" in f.explanation


def test_a_capped_thing_is_not_saved_by_the_means_its_journey_names(case_from_yaml):
    # "by air" is the era's fastest means, but the barge moves at 12 km/h whatever it is on.
    found = things(case_from_yaml, """
  - {id: trip, source: tip, travel: barge, from: lyon, to: paris, by: air, when: 2021-05-04}
""")
    assert len(found) == 1 and found[0].severity == "impossible"
    assert found[0].details["mode_kmh"] == 12


def test_a_thing_at_two_places_at_once_is_an_alibi(case_from_yaml):
    found = things(case_from_yaml, """
  - {id: a, source: log, presence: truck, where: lyon, throughout: 2021-05-01/2021-05-03}
  - {id: b, source: tip, presence: truck, where: paris, when: 2021-05-02}
""")
    assert [(f.rule, f.severity, sorted(f.claims)) for f in found] == [("alibi", "impossible", ["a", "b"])]


def test_a_thing_at_a_meeting_is_placed_there_an_organisation_is_not(case_from_yaml):
    found = things(case_from_yaml, """
  - {id: a, source: log, presence: truck, where: lyon, throughout: 2021-05-01/2021-05-03}
  - {id: f, source: log, presence: firm, where: lyon, throughout: 2021-05-01/2021-05-03}
  - {id: m, source: tip, meeting: [truck, firm], where: paris, when: 2021-05-02}
""")
    assert [(f.rule, sorted(f.claims)) for f in found] == [("alibi", ["a", "m"])]
