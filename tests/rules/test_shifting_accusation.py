"""shifting-accusation: one voice names hostile paymasters, and its charges follow its enemies."""
from __future__ import annotations

import numpy as np
import pytest

from belie.rules import check
from belie.rules.shifting_accusation import (charge_table, permutation_test, shuffle_test,
                                             _hyper_draws, _perm_draws)

HEAD = """
case: shifting-accusation tests
entities:
  marchand: {type: person, names: [Paul Marchand, Marchand]}
  dubois:   {type: person, names: [Jean Dubois, Dubois]}
  vyshinsky: {type: person, names: [Vyshinsky]}
  italy:    {type: power, names: [Italy]}
  germany:  {type: power, names: [Germany]}
  france:   {type: power, names: [France]}
  japan:    {type: power, names: [Japan]}
  gazette:  {type: organisation, names: [La Gazette]}
  journal:  {type: organisation, names: [Le Journal]}
sources:
  gazette-1921:   {kind: press, speaker: gazette, voice: france, said: 1921-05-10}
  gazette-1923:   {kind: press, speaker: gazette, voice: france, said: 1923-02-20}
  journal-1923:   {kind: press, speaker: journal, voice: france, said: 1923-03-01}
  other-1923:     {kind: press, speaker: journal, said: 1923-03-02}
  speech-1:       {kind: testimony, speaker: vyshinsky, said: 1936-08-19}
  speech-2:       {kind: testimony, speaker: vyshinsky, said: 1937-01-23}
  treaty-archive: {kind: record, said: 1930}
  france-official: {kind: official, speaker: gazette, voice: france, said: 1924}
claims:
"""


def run(case_from_yaml, claims: str):
    case = case_from_yaml(HEAD + claims)
    return check(case, rules=["shifting-accusation"], reason=False).findings


def pairwise(findings):
    return [f for f in findings if "pairs" in f.details]


def per_voice(findings):
    return [f for f in findings if "rows" in f.details]


def one(findings):
    assert len(findings) == 1, [f.explanation for f in findings]
    return findings[0]


HOSTILE = """
  - {id: it-de, source: treaty-archive, stance: [italy, germany], is: hostile, during: 1915/1922}
"""


def test_one_voice_names_two_hostile_powers_for_one_year(case_from_yaml):
    f = one(pairwise(run(case_from_yaml, HOSTILE + """
  - {id: g-italy, source: gazette-1921, accuses: marchand, serving: italy, during: 1921}
  - {id: g-germany, source: gazette-1923, accuses: marchand, serving: germany, during: 1921}
""")))
    assert f.severity == "note"
    assert f.claims == ["g-italy", "g-germany", "it-de"]
    assert set(f.sources) == {"gazette-1921", "gazette-1923", "treaty-archive"}
    assert f.details["voice"] == "france" and f.details["powers"] == ["italy", "germany"]
    assert f.details["pairs"][0]["overlap_days"] == 365
    # The dates as written, read and bounded; the stance's source; no "impossible" claim.
    assert "1921 (1921: 1 Jan 1921 .. 31 Dec 1921)" in f.explanation
    assert "10 May 1921" in f.explanation and "20 Feb 1923" in f.explanation
    assert "treaty-archive" in f.explanation and "365 days" in f.explanation
    assert "not impossible" in f.explanation


def test_the_stance_counts_whichever_way_round_it_is_written(case_from_yaml):
    f = one(pairwise(run(case_from_yaml, """
  - {id: de-it, source: treaty-archive, stance: [germany, italy], is: hostile, during: 1915/1922}
  - {id: g-italy, source: gazette-1921, accuses: marchand, serving: italy, during: 1921}
  - {id: g-germany, source: gazette-1923, accuses: marchand, serving: germany, during: 1921}
""")))
    assert "de-it" in f.claims


def test_friendly_powers_are_no_finding(case_from_yaml):
    assert pairwise(run(case_from_yaml, """
  - {source: treaty-archive, stance: [italy, germany], is: friendly, during: 1915/1922}
  - {source: gazette-1921, accuses: marchand, serving: italy, during: 1921}
  - {source: gazette-1923, accuses: marchand, serving: germany, during: 1921}
""")) == []


def test_periods_that_do_not_overlap_are_no_finding(case_from_yaml):
    assert pairwise(run(case_from_yaml, HOSTILE + """
  - {source: gazette-1921, accuses: marchand, serving: italy, during: 1919}
  - {source: gazette-1923, accuses: marchand, serving: germany, during: 1921}
""")) == []


def test_hostility_outside_the_common_period_is_no_finding(case_from_yaml):
    assert pairwise(run(case_from_yaml, """
  - {source: treaty-archive, stance: [italy, germany], is: hostile, during: 1930/1935}
  - {source: gazette-1921, accuses: marchand, serving: italy, during: 1921}
  - {source: gazette-1923, accuses: marchand, serving: germany, during: 1921}
""")) == []


def test_different_voices_or_different_accused_are_no_finding(case_from_yaml):
    assert pairwise(run(case_from_yaml, HOSTILE + """
  - {source: gazette-1921, accuses: marchand, serving: italy, during: 1921}
  - {source: speech-1, accuses: marchand, serving: germany, during: 1921}
  - {source: gazette-1923, accuses: dubois, serving: germany, during: 1921}
""")) == []


def test_sources_of_one_voice_are_read_together(case_from_yaml):
    # La Gazette and Le Journal both speak for France; a Journal text with no voice does not.
    findings = pairwise(run(case_from_yaml, HOSTILE + """
  - {id: a, source: gazette-1921, accuses: marchand, serving: italy, during: 1921}
  - {id: b, source: journal-1923, accuses: marchand, serving: germany, during: 1921-06}
  - {id: c, source: other-1923, accuses: marchand, serving: germany, during: 1921-06}
"""))
    f = one(findings)
    assert {"a", "b"} <= set(f.claims) and "c" not in f.claims


def test_a_speaker_without_a_voice_is_its_own_voice(case_from_yaml):
    f = one(pairwise(run(case_from_yaml, """
  - {source: treaty-archive, stance: [japan, germany], is: hostile, during: 1936}
  - {id: s1, source: speech-1, accuses: marchand, serving: japan, during: 1936}
  - {id: s2, source: speech-2, accuses: marchand, serving: germany, during: 1936-06}
""")))
    assert f.details["voice"] == "vyshinsky"
    assert f.details["pairs"][0]["overlap_days"] == 30
    assert "Vyshinsky accuses" in f.explanation


def test_partial_hostility_gives_the_hostile_days(case_from_yaml):
    f = one(pairwise(run(case_from_yaml, """
  - {source: treaty-archive, stance: [italy, germany], is: hostile, during: 1921-07/1922}
  - {source: gazette-1921, accuses: marchand, serving: italy, during: 1921}
  - {source: gazette-1923, accuses: marchand, serving: germany, during: 1921}
""")))
    assert f.severity == "note"
    pair = f.details["pairs"][0]
    assert pair["overlap_days"] == 365 and pair["hostile_days"] == 184
    assert "184 days of them" in f.explanation


def test_the_voice_own_word_on_the_hostility_strains_the_charges(case_from_yaml):
    f = one(pairwise(run(case_from_yaml, """
  - {id: own, source: france-official, stance: [italy, germany], is: hostile, during: 1920/1922}
  - {source: gazette-1921, accuses: marchand, serving: italy, during: 1921}
  - {source: gazette-1923, accuses: marchand, serving: germany, during: 1921}
""")))
    assert f.severity == "strained"
    assert "double agent" in f.explanation and "own sources" in f.explanation
    assert f.details["pairs"][0]["own_voice_hostile_throughout"] is True


def test_denied_accusations_are_left_out(case_from_yaml):
    assert pairwise(run(case_from_yaml, HOSTILE + """
  - {source: gazette-1921, accuses: marchand, serving: italy, during: 1921}
  - {source: gazette-1923, accuses: marchand, serving: germany, during: 1921, denies: true}
""")) == []


def test_many_pairs_make_one_finding_per_pair_of_powers(case_from_yaml):
    claims = HOSTILE + "  - {id: de, source: gazette-1923, accuses: marchand, serving: germany, during: 1921}\n" + "".join(
        f"  - {{source: gazette-1921, accuses: marchand, serving: italy, during: 1921-{m:02d}}}\n"
        for m in range(1, 8))
    f = one(pairwise(run(case_from_yaml, claims)))
    assert f.details["n_pairs"] == 7 and len(f.claims) == 9
    assert "2 further such pairs" in f.explanation


# ------------------------------------------------------------------ per voice

TRACKING = """
  - {id: fr-de-1, source: treaty-archive, stance: [france, germany], is: hostile, during: 1920/1925}
  - {id: fr-de-2, source: treaty-archive, stance: [france, germany], is: friendly, during: 1926/1930}
  - {id: fr-it-1, source: treaty-archive, stance: [italy, france], is: friendly, during: 1920/1925}
  - {id: fr-it-2, source: treaty-archive, stance: [france, italy], is: hostile, during: 1926/1930}
"""

CHARGES = {
    "c21": ("1921-03-01", "germany"), "c22": ("1922-03-01", "germany"), "c23": ("1923-03-01", "germany"),
    "c27": ("1927-03-01", "italy"), "c28": ("1928-03-01", "italy"), "c29": ("1929-03-01", "italy"),
}


def charges_yaml(charges=CHARGES) -> tuple[str, str]:
    sources = "".join(f"  src-{cid}: {{kind: press, speaker: gazette, voice: france, said: {d}}}\n"
                      for cid, (d, _) in charges.items())
    claims = "".join(f"  - {{id: {cid}, source: src-{cid}, accuses: marchand, serving: {p}}}\n"
                     for cid, (_, p) in charges.items())
    return sources, claims


def tracking_case(case_from_yaml, stances=TRACKING, charges=CHARGES):
    sources, claims = charges_yaml(charges)
    head = HEAD.replace("claims:\n", "") .replace("sources:\n", "sources:\n" + sources)
    return case_from_yaml(head + "claims:\n" + stances + claims)


def test_charges_that_follow_the_voice_enemies(case_from_yaml):
    case = tracking_case(case_from_yaml)
    f = one(per_voice(check(case, rules=["shifting-accusation"], reason=False).findings))
    assert f.severity == "note"
    d = f.details
    assert d["voice"] == "france" and d["n_charges"] == 6
    assert d["share"] == 1.0 and d["hostile"] == 6
    assert d["counts"]["hostile"] == 6
    # Germany's three charges must draw the three early dates: 1 in C(6, 3) = 20.
    assert 0.04 <= d["p_value"] <= 0.06
    assert d["n_permutations"] == 10_000 and d["seed"] == 0
    assert [r["claim"] for r in d["rows"]] == list(CHARGES)
    assert set(d["rows"][0]) >= {"date", "edtf", "power", "stance", "source", "claim"}
    assert d["rows"][0]["stance"] == "hostile" and d["rows"][0]["stance_claim"] == "fr-de-1"
    assert f.claims == list(CHARGES)
    assert "6 of 6 (100%)" in f.explanation and "p = 0.0" in f.explanation
    assert "1921-03-01 (1921-03-01: 1 Mar 1921)" in f.explanation


def test_charges_that_ignore_the_voice_stance(case_from_yaml):
    charges = {k: (d, "germany" if i % 2 else "italy") for i, (k, (d, _)) in enumerate(CHARGES.items())}
    case = tracking_case(case_from_yaml, charges=charges)
    d = one(per_voice(check(case, rules=["shifting-accusation"], reason=False).findings)).details
    assert d["hostile"] < 6 and d["p_value"] > 0.2


def test_no_stance_known_means_unknown_and_p_of_one(case_from_yaml):
    case = tracking_case(case_from_yaml, stances="")
    d = one(per_voice(check(case, rules=["shifting-accusation"], reason=False).findings)).details
    assert d["counts"]["unknown"] == 6 and d["share"] == 0.0 and d["p_value"] == 1.0


def test_fewer_than_three_charges_give_no_table(case_from_yaml):
    charges = dict(list(CHARGES.items())[:2])
    case = tracking_case(case_from_yaml, charges=charges)
    assert per_voice(check(case, rules=["shifting-accusation"], reason=False).findings) == []


def test_library_functions_for_a_notebook(case_from_yaml):
    case = tracking_case(case_from_yaml)
    rows = charge_table(case, "france")
    assert [r["power"] for r in rows] == ["germany"] * 3 + ["italy"] * 3
    assert rows[3]["date"] == "1927-03-01" and rows[3]["stance"] == "hostile"
    a = permutation_test(case, "france", n_permutations=2_000, seed=5)
    b = permutation_test(case, "france", n_permutations=2_000, seed=5)
    assert a == b and a["n_permutations"] == 2_000 and a["seed"] == 5
    assert charge_table(case, "nobody") == []


def test_the_two_ways_of_drawing_shuffles_agree():
    rng = np.random.default_rng(1)
    type_of = rng.integers(0, 4, 300)
    types = np.array([[0, 0, 1], [1, 0, 0], [1, 1, 0], [0, 1, 1]], dtype=bool)
    sizes = np.array([40, 70, 20])
    a = _perm_draws(np.random.default_rng(2), type_of, types, sizes, 20_000)
    b = _hyper_draws(np.random.default_rng(3), np.bincount(type_of, minlength=4), types, sizes, 20_000)
    assert abs(a.mean() - b.mean()) < 0.3 and abs(a.std() - b.std()) < 0.3
    assert abs((a >= 70).mean() - (b >= 70).mean()) < 0.02


def test_shuffle_test_on_arrays():
    hostile = np.array([[True, True, False, False], [False, False, True, True]])
    res = shuffle_test(hostile, np.array([0, 0, 1, 1]), np.array([0, 1, 2, 3]), n_permutations=5_000, seed=1)
    assert res["share"] == 1.0
    assert abs(res["p_value"] - 4 / 24) < 0.03      # 4 of the 24 orders keep every charge hostile


def test_many_charges_make_one_table_and_one_pair_finding(case_from_yaml):
    n = 3_000
    sources = "".join(f"  s{i}: {{kind: press, speaker: gazette, voice: france, said: {1920 + i % 10}-0{1 + i % 9}-1{i % 10}}}\n"
                      for i in range(n))
    claims = "".join(f"  - {{source: s{i}, accuses: {'marchand' if i % 3 else 'dubois'}, "
                     f"serving: {('italy', 'germany', 'japan')[i % 3]}, during: {1920 + i % 10}}}\n" for i in range(n))
    head = HEAD.replace("sources:\n", "sources:\n" + sources)
    hostile = "  - {source: treaty-archive, stance: [japan, germany], is: hostile, during: 1915/1945}\n"
    case = case_from_yaml(head + TRACKING + hostile + claims)
    findings = check(case, rules=["shifting-accusation"], reason=False).findings
    d = one(per_voice(findings)).details
    assert d["n_charges"] == n and len(d["rows"]) == n
    # Marchand is charged with serving Germany and Japan (i % 3 == 1, 2) in the same years,
    # and the two were hostile throughout; Dubois's charges (Italy) pair with nothing.
    f = one(pairwise(findings))
    assert f.details["voice"] == "france"
    assert sorted(f.details["powers"]) == ["germany", "japan"]
    assert f.details["n_pairs"] > 0


def test_a_charge_the_paper_only_reports_is_not_the_papers_voice(case_from_yaml):
    """La Gazette reports (`speaker:`, belie's extension) that Dubois accused Marchand of
    serving Germany: that is Dubois's charge, not a shift in the paper's own."""
    claims = HOSTILE + """
  - {id: g-italy, source: gazette-1921, accuses: marchand, serving: italy, during: 1921}
  - {id: g-germany, source: gazette-1923, speaker: dubois, accuses: marchand, serving: germany, during: 1921}
"""
    assert pairwise(run(case_from_yaml, claims)) == []
    assert len(pairwise(run(case_from_yaml, claims.replace("speaker: dubois, ", "")))) == 1
