"""alibi: one person at two incompatible places at times that must, or may, overlap."""
from __future__ import annotations

from belie.rules import check

CASE = """
entities:
  sedov:    {type: person, names: [Lev Sedov, Sedov]}
  holtzman: {type: person, names: [Holtzman]}
  trotsky:  {type: person, names: [Trotsky]}
  berlin:   {type: place, names: [Berlin], at: [52.5200, 13.4050]}
  copenhagen: {type: place, names: [Copenhagen], at: [55.6761, 12.5683]}
  bristol:  {type: place, names: [Hotel Bristol], within: copenhagen, at: [55.6757, 12.5690]}
  station:  {type: place, names: [Central Station], within: copenhagen, at: [55.6726, 12.5646]}
  lisbon:   {type: place, names: [Lisbon], at: [38.7223, -9.1393]}
  moscow:   {type: place, names: [Moscow], at: [55.7558, 37.6173]}
  buenos-aires: {type: place, names: [Buenos Aires], at: [-34.6037, -58.3816]}
sources:
  passport: {kind: record, said: 1933}
  confession: {kind: confession, speaker: holtzman, said: 1936-08-20}
claims:
"""


def alibis(case_from_yaml, claims: str, extra: str = ""):
    case = case_from_yaml(CASE.replace("sources:", extra + "sources:") + claims)
    return [f for f in check(case, reason=False).findings if f.rule == "alibi"]


def test_a_stay_covering_the_whole_of_the_other_claim_is_impossible(case_from_yaml):
    found = alibis(case_from_yaml, """
  - {id: sedov-in-berlin, source: passport, presence: sedov, where: berlin, throughout: 1932-11-20/1932-12-05}
  - {id: bristol-meeting, source: confession, meeting: [holtzman, sedov], where: bristol, when: 1932-11-25/1932-12-01,
     quote: "I met Sedov at the Hotel Bristol"}
""")
    (f,) = found
    assert f.severity == "impossible"
    assert sorted(f.claims) == ["bristol-meeting", "sedov-in-berlin"]
    assert sorted(f.sources) == ["confession", "passport"]
    assert f.window is None
    assert "“I met Sedov at the Hotel Bristol”" in f.explanation
    assert "25 Nov 1932 .. 1 Dec 1932" in f.explanation
    assert 340 < f.details["distance_km"] < 370


def test_two_overlapping_documented_stays_are_impossible(case_from_yaml):
    (f,) = alibis(case_from_yaml, """
  - {id: a, source: passport, presence: sedov, where: berlin, throughout: 1932-11-20/1932-11-28}
  - {id: b, source: confession, presence: sedov, where: copenhagen, throughout: 1932-11-27/1932-12-02}
""")
    assert f.severity == "impossible"
    assert f.details["shared_days"] == 2
    assert "27 Nov 1932 .. 28 Nov 1932" in f.explanation


def test_a_partial_overlap_says_in_which_days_the_claim_can_still_be_true(case_from_yaml):
    # The meeting reads as 23 Nov .. 2 Dec; Sedov was in Berlin from 20 Nov to 30 Nov.
    (f,) = alibis(case_from_yaml, """
  - {id: stay, source: passport, presence: sedov, where: berlin, throughout: 1932-11-20/1932-11-30}
  - {id: meeting, source: confession, meeting: [holtzman, sedov], where: bristol, when: 1932-11-23/1932-12-02}
""")
    assert f.severity == "strained"                 # 2 of 10 days left
    assert f.window == "1932-12-01/1932-12-02"
    assert f.details["days_possible"] == 2 and f.details["claim_days"] == 10


def test_a_claim_half_outside_the_stay_is_a_note(case_from_yaml):
    (f,) = alibis(case_from_yaml, """
  - {id: stay, source: passport, presence: sedov, where: berlin, throughout: 1932-11-01/1932-11-18}
  - {id: seen, source: confession, presence: sedov, where: copenhagen, when: 1932-11}
""")
    assert f.severity == "note"
    assert f.window == "1932-11-19/1932-11-30"
    assert f.details["days_possible"] == 12


def test_a_short_stay_within_a_wide_claim_is_no_finding(case_from_yaml):
    # Five days in Berlin take out 5 of the 30 days of "November": comfortably true.
    assert alibis(case_from_yaml, """
  - {id: stay, source: passport, presence: sedov, where: berlin, throughout: 1932-11-01/1932-11-05}
  - {id: seen, source: confession, presence: sedov, where: copenhagen, when: 1932-11}
""") == []


def test_the_window_allows_for_the_journey(case_from_yaml):
    # Lisbon is ~3,900 km from Moscow: by rail (1932) ~31 h, more than a day, so neither
    # 9 Nov (the day before the stay) nor 29 Nov (the day after) leaves time to travel.
    (f,) = alibis(case_from_yaml, """
  - {id: stay, source: passport, presence: sedov, where: moscow, throughout: 1932-11-10/1932-11-28}
  - {id: seen, source: confession, presence: sedov, where: lisbon, when: 1932-11}
""")
    assert f.details["windows"] == ["1932-11-01/1932-11-08", "1932-11-30"]
    assert f.window == "1932-11-01/1932-11-08"          # the longest run
    assert f.details["days_possible"] == 9


def test_same_day_a_short_walk_apart_is_no_alibi(case_from_yaml):
    assert alibis(case_from_yaml, """
  - {source: passport, presence: sedov, where: bristol, when: 1932-11-27}
  - {source: confession, presence: sedov, where: station, when: 1932-11-27}
""") == []


def test_same_day_at_opposite_ends_of_the_world_is_impossible(case_from_yaml):
    (f,) = alibis(case_from_yaml, """
  - {id: m, source: passport, presence: sedov, where: moscow, when: 1936-03-01}
  - {id: b, source: confession, presence: sedov, where: buenos-aires, when: 1936-03-01}
""")
    assert f.severity == "impossible"
    assert f.details["available_hours"] == 24


def test_same_day_only_an_aircraft_could_join_is_strained(case_from_yaml):
    # Moscow-Lisbon ~3,900 km in one day of 1936: rail 31 h, air 12 h.
    (f,) = alibis(case_from_yaml, """
  - {id: m, source: passport, presence: sedov, where: moscow, when: 1936-03-01}
  - {id: l, source: confession, presence: sedov, where: lisbon, when: 1936-03-01}
""")
    assert f.severity == "strained"
    assert f.window == "1936-03-01"
    assert "went by air" in f.explanation


def test_a_place_within_the_other_is_compatible(case_from_yaml):
    assert alibis(case_from_yaml, """
  - {source: passport, presence: sedov, where: copenhagen, throughout: 1932-11-20/1932-12-05}
  - {source: confession, meeting: [holtzman, sedov], where: bristol, when: 1932-11-27}
""") == []


def test_disjoint_dates_are_not_an_alibi(case_from_yaml):
    assert alibis(case_from_yaml, """
  - {source: passport, presence: sedov, where: berlin, throughout: 1932-11-20/1932-11-26}
  - {source: confession, presence: sedov, where: buenos-aires, when: 1932-11-27}
""") == []


def test_denied_presence_is_skipped(case_from_yaml):
    assert alibis(case_from_yaml, """
  - {source: passport, presence: sedov, where: berlin, throughout: 1932-11-20/1932-12-05}
  - {source: confession, presence: sedov, where: copenhagen, when: 1932-11-27, denies: true}
""") == []


def test_every_participant_of_a_meeting_has_an_alibi_checked(case_from_yaml):
    (f,) = alibis(case_from_yaml, """
  - {id: h-in-moscow, source: passport, presence: holtzman, where: moscow, throughout: 1932-11}
  - {id: meeting, source: confession, meeting: [holtzman, sedov], where: bristol, when: 1932-11-27}
""")
    assert f.severity == "impossible" and f.details["person"] == "holtzman"


def test_a_journey_departure_is_a_whereabouts(case_from_yaml):
    (f,) = alibis(case_from_yaml, """
  - {id: stay, source: passport, presence: sedov, where: berlin, throughout: 1932-11-20/1932-12-05}
  - {id: trip, source: confession, travel: sedov, from: copenhagen, to: berlin, when: 1932-11-27, by: rail}
""")
    assert f.severity == "impossible" and sorted(f.claims) == ["stay", "trip"]
    assert "leaving" in f.explanation


def test_days_outside_the_stay_reachable_only_by_air_are_strained(case_from_yaml):
    # Moscow-Lisbon, ~3,900 km: the one free day, 1 Nov, leaves until the start of 2 Nov
    # to reach Moscow: 31 h by rail is too long, 12 h by air is not.
    (f,) = alibis(case_from_yaml, """
  - {id: stay, source: passport, presence: sedov, where: moscow, throughout: 1932-11-02/1932-11-30}
  - {id: seen, source: confession, presence: sedov, where: lisbon, when: 1932-11}
""")
    assert f.severity == "strained"
    assert f.window == "1932-11-01"
    assert "only by air" in f.explanation


def test_days_outside_the_stay_too_close_even_by_air_are_impossible(case_from_yaml):
    # Buenos Aires is ~13,500 km from Moscow: 41 h even by air; the one free day is too close.
    (f,) = alibis(case_from_yaml, """
  - {id: stay, source: passport, presence: sedov, where: moscow, throughout: 1936-03-02/1936-03-31}
  - {id: seen, source: confession, presence: sedov, where: buenos-aires, when: 1936-03}
""")
    assert f.severity == "impossible" and f.window is None
    assert "1 Mar 1936" in f.explanation and "too close" in f.explanation


# ---------------------------------------------------------------- the joint window of a meeting
# Rail in 1932: 125 km/h.  Berlin-Copenhagen ~355 km (2.8 h), Moscow-Copenhagen ~1,560 km
# (12.5 h), Lisbon-Copenhagen ~2,480 km (19.8 h): each stay takes out its own days and,
# before it, the day on which the journey would not end in time.


def test_a_meeting_no_day_fits_for_all_is_impossible(case_from_yaml):
    # Alone, each has 20 of the 30 days (no pair finding): Holtzman 11-30 Nov, Sedov 1-10
    # and 21-30 Nov, Trotsky 1-20 Nov.  Together: no day.
    (f,) = alibis(case_from_yaml, """
  - {id: h-berlin, source: passport, presence: holtzman, where: berlin, throughout: 1932-11-01/1932-11-10}
  - {id: s-moscow, source: passport, presence: sedov, where: moscow, throughout: 1932-11-11/1932-11-20}
  - {id: t-lisbon, source: passport, presence: trotsky, where: lisbon, throughout: 1932-11-21/1932-11-30}
  - {id: meeting, source: confession, meeting: [holtzman, sedov, trotsky], where: copenhagen, when: 1932-11,
     quote: "We met, the three of us, in Copenhagen"}
""")
    assert f.severity == "impossible" and f.window is None
    assert sorted(f.claims) == ["h-berlin", "meeting", "s-moscow", "t-lisbon"]
    assert sorted(f.sources) == ["confession", "passport"]
    assert f.details["days_left"] == {"holtzman": ["1932-11-11/1932-11-30"],
                                      "sedov": ["1932-11-01/1932-11-10", "1932-11-21/1932-11-30"],
                                      "trotsky": ["1932-11-01/1932-11-20"]}
    assert f.details["days_possible"] == 0 and f.details["windows"] == []
    assert "“We met, the three of us, in Copenhagen”" in f.explanation
    assert "Sedov only 1 Nov 1932 .. 10 Nov 1932 or 21 Nov 1932 .. 30 Nov 1932" in f.explanation
    assert "No day fits all 3" in f.explanation


def test_a_meeting_whose_joint_window_is_narrow_is_strained(case_from_yaml):
    # Holtzman alone: 13-30 Nov (18 days); Sedov alone: 1-16 Nov (16 days); neither a
    # finding.  Together: 13-16 Nov, 4 of the 30 days.
    (f,) = alibis(case_from_yaml, """
  - {id: h-moscow, source: passport, presence: holtzman, where: moscow, throughout: 1932-11-01/1932-11-12}
  - {id: s-lisbon, source: passport, presence: sedov, where: lisbon, throughout: 1932-11-17/1932-11-30}
  - {id: meeting, source: confession, meeting: [holtzman, sedov], where: copenhagen, when: 1932-11}
""")
    assert f.severity == "strained"
    assert f.window == "1932-11-13/1932-11-16"
    assert sorted(f.claims) == ["h-moscow", "meeting", "s-lisbon"]
    assert f.details["days_possible"] == 4 and f.details["claim_days"] == 30
    assert "only 13 Nov 1932 .. 16 Nov 1932 (4 days of 30)" in f.explanation


def test_a_meeting_whose_only_common_day_needs_an_aircraft_is_strained(case_from_yaml):
    # Lisbon: ~3,900 km from Moscow (31 h by rail, 12 h by air), ~2,300 km from Berlin
    # (18.5 h by rail).  Sedov leaves Moscow after 10 Nov: in Lisbon from 12 Nov by rail,
    # from 11 Nov by air; Trotsky is in Berlin from 12 Nov: in Lisbon until 11 Nov.
    (f,) = [f for f in alibis(case_from_yaml, """
  - {id: s-moscow, source: passport, presence: sedov, where: moscow, throughout: 1932-11-01/1932-11-10}
  - {id: t-berlin, source: passport, presence: trotsky, where: berlin, throughout: 1932-11-12/1932-11-30}
  - {id: meeting, source: confession, meeting: [holtzman, sedov, trotsky], where: lisbon, when: 1932-11-01/1932-11-20}
""") if "t-berlin" in f.claims]
    assert f.severity == "strained" and f.window == "1932-11-11"
    assert sorted(f.claims) == ["meeting", "s-moscow", "t-berlin"]
    assert "only if Lev Sedov came by air" in f.explanation
    assert "Holtzman any day of it" in f.explanation


def test_a_meeting_whose_participants_share_plenty_of_days_is_no_finding(case_from_yaml):
    assert alibis(case_from_yaml, """
  - {id: h-berlin, source: passport, presence: holtzman, where: berlin, throughout: 1932-11-01/1932-11-05}
  - {id: s-lisbon, source: passport, presence: sedov, where: lisbon, throughout: 1932-11-25/1932-11-30}
  - {id: meeting, source: confession, meeting: [holtzman, sedov, trotsky], where: copenhagen, when: 1932-11}
""") == []


def test_a_participant_with_no_day_alone_is_left_to_the_pair_finding(case_from_yaml):
    # Sedov's stay covers the whole meeting: the pair finding says so; no joint finding too.
    (f,) = alibis(case_from_yaml, """
  - {id: s-berlin, source: passport, presence: sedov, where: berlin, throughout: 1932-11}
  - {id: h-moscow, source: passport, presence: holtzman, where: moscow, throughout: 1932-11-01/1932-11-12}
  - {id: meeting, source: confession, meeting: [holtzman, sedov], where: copenhagen, when: 1932-11}
""")
    assert f.severity == "impossible" and sorted(f.claims) == ["meeting", "s-berlin"]


def test_a_stay_at_the_meeting_place_takes_no_day_out(case_from_yaml):
    # Trotsky in Copenhagen 23 Nov - 2 Dec does not narrow a Copenhagen meeting: the joint
    # window is Sedov's own (20-22 Nov), already the pair's finding.
    found = alibis(case_from_yaml, """
  - {id: s-berlin, source: passport, presence: sedov, where: berlin, throughout: 1932-11-23/1932-12-02}
  - {id: t-copenhagen, source: passport, presence: trotsky, where: copenhagen, throughout: 1932-11-23/1932-12-02}
  - {id: meeting, source: confession, meeting: [holtzman, sedov, trotsky], where: bristol, when: 1932-11-2X}
""")
    assert [sorted(f.claims) for f in found] == [["meeting", "s-berlin"]]


def test_a_journey_to_the_stay_it_begins_is_no_alibi(case_from_yaml):
    from belie.rules import check

    case = case_from_yaml("""
        entities:
          t: {type: person}
          marseille: {type: place, at: [43.30, 5.37]}
          royan: {type: place, at: [45.62, -1.03]}
        sources:
          s: {kind: record}
        claims:
          - {id: drive, source: s, travel: t, from: marseille, to: royan, when: 1933-07-24/1933-07-25, by: road}
          - {id: stay, source: s, presence: t, where: royan, throughout: 1933-07-25/1933-10-08}
          - {id: late, source: s, travel: t, from: marseille, to: royan, when: 1933-08-10, by: road}
    """)
    found = {tuple(sorted(f.claims)): f.severity for f in check(case, reason=False).findings if f.rule == "alibi"}
    assert ("drive", "stay") not in found
    # A journey that starts elsewhere in the middle of the stay is still impossible.
    assert found[("late", "stay")] == "impossible"


def test_two_moments_without_a_distance_are_a_note_that_says_what_is_missing(case_from_yaml):
    found = alibis(case_from_yaml, """
  - {id: in-berlin, source: passport, presence: sedov, where: berlin, when: 1932-11-25}
  - {id: at-quay, source: confession, presence: sedov, where: quay, when: 1932-11-25}
""", extra="  quay: {type: place, names: [Xqzzy Quay]}\n")
    (f,) = found
    assert f.severity == "note"                 # never impossible without a distance
    assert "Xqzzy Quay has no coordinates" in f.explanation
    assert "cannot tell" in f.explanation
