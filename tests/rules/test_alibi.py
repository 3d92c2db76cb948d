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


def alibis(case_from_yaml, claims: str):
    case = case_from_yaml(CASE + claims)
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


# ---------------------------------------------------------------- one timeline per person
# The two timelines of issue 10, paragraph 1, on an invented country (1936: rail 125 km/h,
# air 330 km/h).  Veltra, the capital, lies about 1,400 km north of the south coast.

COUNTRY = """
entities:
  kessler:  {type: person, names: [Anton Kessler, Kessler]}
  veltra:   {type: place, names: [Veltra], at: [50.0, 10.0]}
  orsin:    {type: place, names: [Orsin Park], within: veltra, at: [50.01, 10.01]}
  marisol:  {type: place, names: [the steamer Marisol], at: [36.5, 12.5]}
  sallo:    {type: place, names: [Sallo], at: [37.0, 12.0]}
  brenn:    {type: place, names: [Brenn], at: [37.5, 15.0]}
  corra:    {type: place, names: [Villa Corra], at: [38.0, 8.0]}
  amsel:    {type: place, names: [Amsel], at: [48.0, 16.0]}
  tarso:    {type: place, names: [Tarso], at: [20.0, 40.0]}
  orm:      {type: place, names: [Orm], at: [10.0, 60.0]}
sources:
  ship-log:     {kind: record, title: the Marisol's log, said: 1936-06-01}
  harbour:      {kind: record, title: Sallo harbour register, said: 1936-05-24}
  brenn-police: {kind: record, title: Brenn police register, said: 1936-05-26}
  lease:        {kind: record, title: the lease of Villa Corra, said: 1936-05-20}
  hotel:        {kind: record, title: Veltra hotel register, said: 1936-10-09}
  consulate:    {kind: record, title: Sallo consulate file, said: 1936-12-01}
  witness:      {kind: testimony, title: Witness statement, said: 1937-02-01}
claims:
"""


def joint_of(case_from_yaml, claims: str, claim: str):
    case = case_from_yaml(COUNTRY + claims)
    found = [f for f in check(case, reason=False).findings if f.rule in ("alibi", "impossible-travel")]
    return [f for f in found if claim in f.claims], found


def test_the_whole_timeline_leaves_only_one_day_and_only_by_air(case_from_yaml):
    # Alone, the villa leaves 21-24 May (a note) and the ship 24-31 May (nothing).  Together
    # only the 24th, and on the 24th Kessler was also at Brenn, at the other end of the
    # country: by rail, the capital and Brenn cannot both fit between leaving the ship and
    # reaching the villa; by air they can.  (The harbour register adds nothing the ship's
    # log, off Sallo, does not already say, so it is not named.)
    mine, found = joint_of(case_from_yaml, """
  - {id: ship, source: ship-log, presence: kessler, where: marisol, throughout: 1936-05-17/1936-05-23}
  - {id: port, source: harbour, presence: kessler, where: sallo, when: 1936-05-24}
  - {id: town, source: brenn-police, presence: kessler, where: brenn, when: 1936-05-24/1936-05-25}
  - {id: villa, source: lease, presence: kessler, where: corra, throughout: 1936-05-25/1936-08-09}
  - {id: park, source: witness, presence: kessler, where: orsin, when: end of May 1936,
     quote: "I met Kessler in Orsin Park at the end of May"}
""", "park")
    (f,) = mine
    assert f.severity == "strained"
    assert f.window == "1936-05-24"
    assert f.details["windows"] == ["1936-05-24"] and f.details["claim_days"] == 11
    assert sorted(f.claims) == ["park", "ship", "town", "villa"]
    for name in ("the Marisol's log", "Brenn police register", "the lease of Villa Corra"):
        assert name in f.explanation
    assert "By rail no day is left" in f.explanation and "only if Anton Kessler came by air" in f.explanation
    # The villa's pair note is explained by the joint finding, not repeated.
    assert not [g for g in found if sorted(g.claims) == ["park", "villa"]]


def test_the_villa_alone_is_still_a_note(case_from_yaml):
    (f,), _ = joint_of(case_from_yaml, """
  - {id: villa, source: lease, presence: kessler, where: corra, throughout: 1936-05-25/1936-08-09}
  - {id: park, source: witness, presence: kessler, where: orsin, when: end of May 1936}
""", "park")
    assert f.severity == "note" and f.window == "1936-05-21/1936-05-24"
    assert sorted(f.claims) == ["park", "villa"]


def test_two_stays_around_a_month_leave_two_days(case_from_yaml):
    # Until 9 October at Veltra, from 12 October at Sallo: a meeting at Amsel "in October"
    # can only have been on the 10th or the 11th (the pair with Sallo alone: 1-11 October, a note).
    (f,), found = joint_of(case_from_yaml, """
  - {id: hotel-stay, source: hotel, presence: kessler, where: veltra, throughout: 1936-09-01/1936-10-09}
  - {id: consulate-stay, source: consulate, presence: kessler, where: sallo, throughout: 1936-10-12/1936-11-30}
  - {id: amsel-meeting, source: witness, presence: kessler, where: amsel, when: 1936-10}
""", "amsel-meeting")
    assert f.severity == "strained"
    assert f.window == "1936-10-10/1936-10-11"
    assert f.details["days_possible"] == 2 and f.details["claim_days"] == 31
    assert sorted(f.claims) == ["amsel-meeting", "consulate-stay", "hotel-stay"]
    assert "Veltra hotel register" in f.explanation and "Sallo consulate file" in f.explanation


def test_a_claim_from_the_same_source_does_not_cut_the_window(case_from_yaml):
    # The witness's own account of the ship does not count against the witness.
    mine, _ = joint_of(case_from_yaml, """
  - {id: ship, source: witness, presence: kessler, where: marisol, throughout: 1936-05-17/1936-05-23}
  - {id: villa, source: lease, presence: kessler, where: corra, throughout: 1936-05-25/1936-08-09}
  - {id: park, source: witness, presence: kessler, where: orsin, when: end of May 1936}
""", "park")
    (f,) = [g for g in mine if g.title == "Alibi"]
    assert sorted(f.claims) == ["park", "villa"] and f.severity == "note"


def test_moments_elsewhere_narrow_the_window_together(case_from_yaml):
    # No stay throughout.  Tarso is ~3,800 km from Amsel: 30 h by rail, 11.5 h by air.  Seen
    # at Tarso on 3 and on 5 October, Kessler cannot have been at Amsel on the 3rd or the
    # 5th by rail (each alone: 3 of the 4 days left, nothing to say); together they also
    # leave only the 4th between them (a round trip of 61 h inside at most 72 h) and the 6th.
    mine, _ = joint_of(case_from_yaml, """
  - {id: t3, source: harbour, presence: kessler, where: tarso, when: 1936-10-03}
  - {id: t5, source: consulate, presence: kessler, where: tarso, when: 1936-10-05}
  - {id: amsel, source: witness, presence: kessler, where: amsel, when: 1936-10-03/1936-10-06}
""", "amsel")
    (f,) = mine
    assert f.severity == "note"
    assert f.details["windows"] == ["1936-10-04", "1936-10-06"]
    assert sorted(f.claims) == ["amsel", "t3", "t5"]
    assert "at Tarso at some moment in 3 Oct 1936" in f.explanation


def test_a_journey_is_read_by_its_two_ends(case_from_yaml):
    # At Sallo until the 6th, at Brenn from the 8th: the journey from Veltra to Amsel "in
    # the first ten days of October" can only be made on the 7th (the pair with Sallo: a note).
    mine, found = joint_of(case_from_yaml, """
  - {id: sallo-stay, source: consulate, presence: kessler, where: sallo, throughout: 1936-09-20/1936-10-06}
  - {id: brenn-stay, source: brenn-police, presence: kessler, where: brenn, throughout: 1936-10-08/1936-10-30}
  - {id: trip, source: witness, travel: kessler, from: veltra, to: amsel, when: 1936-10-01/1936-10-10, by: rail}
""", "trip")
    (f,) = mine
    assert f.severity == "strained" and f.window == "1936-10-07"
    assert sorted(f.claims) == ["brenn-stay", "sallo-stay", "trip"]
    assert "(leaving)" not in f.explanation and "travels from Veltra to Amsel" in f.explanation


def test_impossible_travel_pairs_the_joint_finding_explains_are_not_repeated(case_from_yaml):
    # Amsel on 5 October between Tarso (until the 4th, 11.5 h by air) and Orm (from the 6th,
    # ~18 h by air): each alone leaves the 5th by air (two strained impossible-travel pairs);
    # together nothing is left.
    mine, found = joint_of(case_from_yaml, """
  - {id: tarso-stay, source: consulate, presence: kessler, where: tarso, throughout: 1936-09-20/1936-10-04}
  - {id: orm-stay, source: hotel, presence: kessler, where: orm, throughout: 1936-10-06/1936-10-30}
  - {id: amsel, source: witness, presence: kessler, where: amsel, when: 1936-10-05}
""", "amsel")
    (f,) = mine
    assert f.rule == "alibi" and f.severity == "impossible" and f.window is None
    assert sorted(f.claims) == ["amsel", "orm-stay", "tarso-stay"]
    assert "No day is left, even by air" in f.explanation
    alone = [g for g in check(case_from_yaml(COUNTRY + """
  - {id: tarso-stay, source: consulate, presence: kessler, where: tarso, throughout: 1936-09-20/1936-10-04}
  - {id: amsel, source: witness, presence: kessler, where: amsel, when: 1936-10-05}
"""), reason=False).findings if g.rule == "impossible-travel"]
    assert [g.severity for g in alone] == ["strained"]              # the pair the joint finding replaces


def test_the_rule_page_examples_give_the_findings_it_shows(case_from_yaml):
    # docs/rules/alibi.md: each ```yaml case is followed by the ```json findings it gives.
    import json
    import re
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "rules" / "alibi.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(yaml|json)\n(.*?)```", page, re.S)
    pairs = [(y, j) for (ky, y), (kj, j) in zip(blocks, blocks[1:]) if ky == "yaml" and kj == "json"]
    assert len(pairs) == 3
    for yaml_text, json_text in pairs:
        case = case_from_yaml(yaml_text)
        got = [f.to_dict() for f in check(case, rules=["alibi"], reason=False).findings]
        assert got == json.loads(json_text)


JOINT_THING = """
entities:
  barge:  {{type: object, names: [the barge]{speed}}}
  aport:  {{type: place, names: [Aport], at: [50.0, 10.0]}}
  bport:  {{type: place, names: [Bport], at: [50.0, 10.3]}}
  cport:  {{type: place, names: [Cport], at: [52.2, 10.15]}}
sources:
  log-a:  {{kind: record, said: 2021-06-01}}
  log-b:  {{kind: record, said: 2021-06-01}}
  report: {{kind: testimony, said: 2021-06-01}}
claims:
  - {{id: at-a, source: log-a, presence: barge, where: aport, throughout: 2021-05-01/2021-05-10}}
  - {{id: at-b, source: log-b, presence: barge, where: bport, throughout: 2021-05-12/2021-05-20}}
  - {{id: seen-c, source: report, presence: barge, where: cport, when: 2021-05-10/2021-05-12}}
"""


def test_a_things_own_top_speed_bounds_its_joint_window(case_from_yaml):
    # Cport is about 245 km from both ports. By the era's means the barge can be there on
    # the one free day, 11 May (a third of the claim: a note); at its own 10 km/h it needs
    # about a day each way, so no day is left at all.
    def joint(speed):
        case = case_from_yaml(JOINT_THING.format(speed=speed))
        return [f for f in check(case, reason=False).findings
                if f.rule == "alibi" and "seen-c" in f.claims]

    (free,) = joint("")
    assert free.severity == "note" and free.window == "2021-05-11"
    (slow,) = joint(", speed: 10")
    assert slow.severity == "impossible"
    assert "at-a" in slow.claims and "at-b" in slow.claims
