"""The map's data (belie.report.mapdata): what the map of the report and of the review
app draws — places where the case puts them, whereabouts by kind and time, journeys, and
the findings it overlays with their distances and speeds."""
from __future__ import annotations

import datetime as dt
import textwrap

import pytest

import belie
from belie.report.mapdata import distinct_colour, interval_ms, map_data, neighbours_in_time

CASE = """
case: Map test
entities:
  marchand: {type: person, names: [Paul Marchand]}
  dubois:   {type: person, names: [Dubois]}
  lyon:     {type: place, names: [Lyon], at: [45.76, 4.84]}
  nice:     {type: place, names: [Nice], at: [43.70, 7.27]}
  paris:    {type: place, names: [Paris], at: [48.857, 2.352]}
  cafe:     {type: place, names: [Grand Café], within: lyon}
  nowhere:  {type: place, names: [Xqzzyville]}
sources:
  register: {kind: record, said: 1921-03-21}
  dubois-statement: {kind: confession, speaker: dubois, said: 1923-02-14}
claims:
  - {id: at-nice, source: register, presence: marchand, where: nice, throughout: 1921-03-01/1921-03-20}
  - {id: cafe-meeting, source: dubois-statement, meeting: [dubois, marchand], where: cafe, when: 1921-03-10}
  - {id: not-paris, source: dubois-statement, presence: dubois, where: paris, when: 1921-03-12, denies: true}
  - {id: flight, source: dubois-statement, travel: dubois, from: paris, to: nice, when: 1921-03-15, by: rail}
  - {id: lost, source: dubois-statement, presence: dubois, where: nowhere, when: 1921-03-16}
  - {id: undated, source: dubois-statement, presence: dubois, where: lyon}
"""


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    d = tmp_path_factory.mktemp("map")
    (d / "case.yaml").write_text(textwrap.dedent(CASE), encoding="utf-8")
    case = belie.load_case(d)
    return case, belie.check(case)


def _ms(day: str) -> int:
    return int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.timezone.utc).timestamp() * 1000)


def test_places_are_drawn_where_the_case_puts_them(checked):
    case, result = checked
    data = map_data(case, result)
    places = {p["id"]: p for p in data["places"]}
    assert (places["nice"]["lat"], places["nice"]["lon"]) == (43.7, 7.27)
    # A place within another, without coordinates of its own, is drawn at its parent's
    # and says so; every place has an uncertainty radius.
    assert (places["cafe"]["lat"], places["cafe"]["lon"]) == (places["lyon"]["lat"], places["lyon"]["lon"])
    assert places["cafe"]["parent"] == "lyon" and places["cafe"]["via"].startswith("within:")
    assert all(p["r_km"] >= 0 for p in places.values())
    # A place the gazetteer does not know is not on the map (and its claim neither).
    assert "nowhere" not in places
    assert all(i["claim"] != "lost" for i in data["items"])


def test_whereabouts_by_kind_and_time(checked):
    case, result = checked
    data = map_data(case, result)
    by_claim = {}
    for i in data["items"]:
        by_claim.setdefault(i["claim"], []).append(i)
    (stay,) = by_claim["at-nice"]
    assert stay["kind"] == "stay" and stay["person"] == "marchand"
    # 1 to 20 March 1921, both days whole: from the first millisecond to the end of the 20th.
    assert (stay["t0"], stay["t1"]) == (_ms("1921-03-01"), _ms("1921-03-21"))
    assert {i["person"] for i in by_claim["cafe-meeting"]} == {"marchand", "dubois"}
    assert {i["kind"] for i in by_claim["cafe-meeting"]} == {"alleged"}
    assert [i["kind"] for i in by_claim["not-paris"]] == ["denied"]
    assert "undated" not in by_claim          # no interval, nothing to place in time
    (j,) = data["journeys"]
    assert (j["from"], j["to"], j["by"], j["claim"]) == ("paris", "nice", "rail", "flight")
    assert (j["t0"], j["t1"]) == (_ms("1921-03-15"), _ms("1921-03-16"))
    # The labels of the claims shown are there, as belie shows them.
    assert data["claims"]["at-nice"]["date"].startswith("1921-03-01/1921-03-20")
    assert data["claims"]["at-nice"]["kind"] == "record"


def test_each_person_has_a_colour_of_their_own(checked):
    case, result = checked
    data = map_data(case, result)
    colours = [p["color"] for p in data["people"]]
    assert len(set(colours)) == len(colours) == 2
    assert len({distinct_colour(i) for i in range(60)}) == 60


def test_an_alibi_is_drawn_between_its_two_places_with_the_distance(checked):
    case, result = checked
    data = map_data(case, result)
    alibis = [f for f in data["findings"] if f["rule"] == "alibi"]
    assert alibis, "the meeting in Lyon during the stay in Nice is an alibi finding"
    f = alibis[0]
    assert {f["a"], f["b"]} <= {"nice", "cafe", "lyon"} and f["a"] != f["b"]
    assert f["km"] > 200 and "km" in f["text"]
    assert set(f["claims"]) == {"at-nice", "cafe-meeting"}


def test_an_impossible_journey_carries_the_speed_it_needs(tmp_path):
    (tmp_path / "case.yaml").write_text(textwrap.dedent("""
        case: Speed
        entities:
          a: {type: person, names: [Anna]}
          lisbon: {type: place, names: [Lisbon], at: [38.72, -9.14]}
          moscow: {type: place, names: [Moscow], at: [55.75, 37.62]}
        sources:
          s: {kind: testimony, said: 1850-01-01}
        claims:
          - {id: trip, source: s, travel: a, from: lisbon, to: moscow, when: 1849-06-01, by: road}
        """), encoding="utf-8")
    case = belie.load_case(tmp_path)
    data = map_data(case, belie.check(case))
    (f,) = [f for f in data["findings"] if f["claims"] == ["trip"]]
    assert (f["a"], f["b"]) == ("lisbon", "moscow")
    assert f["needed_kmh"] > f["fastest_kmh"] > 0
    assert "needs" in f["text"] and "fastest in 1849" in f["text"]


def test_open_intervals_have_no_place_in_time():
    from belie.model.dates import DAY, OPEN_END, OPEN_START

    d = dt.date(1970, 1, 2).toordinal() * DAY
    assert interval_ms(OPEN_START, d) is None and interval_ms(d, OPEN_END) is None
    assert interval_ms(d, d + DAY - 1) == (86_400_000, 2 * 86_400_000)          # the whole day
    assert interval_ms(d + 3600, d + 3600 + 59) == (90_000_000, 90_060_000)     # 01:00 to 01:01


def test_the_review_map_keeps_the_neighbours_in_time(checked):
    case, _ = checked
    from belie.model.dates import DAY

    lo = dt.date(1921, 3, 15).toordinal() * DAY
    near = neighbours_in_time(case, lo, lo + DAY - 1, pad=3 * DAY)
    assert "flight" in near and "not-paris" in near and "at-nice" in near   # the stay runs to the 20th
    assert "cafe-meeting" not in near                                       # the 10th is 5 days away
    assert "lost" in near                  # near in time, though it has no place on the map
    data = map_data(case, None, claims=near, review={"claims": ["flight"]})
    assert {i["claim"] for i in data["items"]} <= near and data["review"] == ["flight"]
    assert data["findings"] == []          # no check given, nothing to overlay
