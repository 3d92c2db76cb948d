"""escalation: a later statement repeats an earlier one's words and adds to it."""
from __future__ import annotations

import pytest

from belie.rules import check
from belie.rules.base import Context

HEAD = """
case: escalation tests
entities:
  trotsky:  {type: person, names: [Trotsky]}
  stalin:   {type: person, names: [Stalin]}
  a:        {type: person, names: [Mrachkovsky]}
  b:        {type: person, names: [Dreitzer]}
  c:        {type: person, names: [Reingold]}
  d:        {type: person, names: [Bakayev]}
  lille:    {type: place, names: [Lille]}
sources:
  a-aug:   {kind: confession, speaker: a, said: 1936-08-01}
  a-sep:   {kind: confession, speaker: a, said: 1936-09-01}
  b-sep:   {kind: confession, speaker: b, said: 1936-09-01}
  c-oct:   {kind: confession, speaker: c, said: 1936-10-01}
  d-nov:   {kind: testimony, speaker: d, said: 1936-11-01}
  b-trial: {kind: confession, speaker: b, said: 1936-07-20/1936-08-20}
  c-undated: {kind: confession, speaker: c}
claims:
"""


def run(case_from_yaml, claims: str):
    case = case_from_yaml(HEAD + claims)
    return check(case, rules=["escalation"], reason=False).findings


def escalation_findings(ctx):
    from belie.rules import escalation

    return list(escalation.RULE.check(ctx))


def test_a_chain_of_escalating_confessions_is_one_finding(case_from_yaml):
    [f] = run(case_from_yaml, """
  - {id: first, source: a-aug, statement: "Trotsky instructed me to organise terror against Stalin."}
  - {id: second, source: b-sep,
     statement: "Trotsky instructed me to organise terror against Stalin and Kirov through Smirnov."}
  - {id: third, source: c-oct,
     statement: "Trotsky instructed me to organise terror against Stalin and Kirov through Smirnov, with money from the Gestapo."}
""")
    assert f.rule == "escalation" and f.severity == "note"
    assert f.claims == ["first", "second", "third"]
    assert f.sources == ["a-aug", "b-sep", "c-oct"]
    assert f.details["chain"] == [["first"], ["second"], ["third"]]
    assert f.details["formula"] == "Trotsky instructed me to organise terror against Stalin"
    stages = f.details["stages"]
    assert stages[0][0]["added"] == []
    assert stages[1][0]["added"] == ["Kirov through Smirnov"]
    assert stages[1][0]["repeats"] == ["first"]
    # the third adds to both before it: only what neither said is its own addition
    assert stages[2][0]["repeats"] == ["first", "second"]
    assert stages[2][0]["added"] == ["money from the Gestapo"]
    assert "→" in f.explanation and "adds “money from the Gestapo”" in f.explanation
    assert "Mrachkovsky (first)" in f.explanation


def test_a_pair_names_earlier_and_later_with_shared_and_added_text(case_from_yaml):
    [f] = run(case_from_yaml, """
  - {id: early, source: a-aug, statement: "Trotsky gave me the instruction: terror against Stalin."}
  - {id: late, source: c-oct,
     statement: "Trotsky gave me the instruction: terror against Stalin, at a meeting in Copenhagen in November 1932."}
""")
    assert f.claims == ["early", "late"]
    d = f.details
    assert (d["earlier"], d["later"]) == ("early", "late")
    assert (d["earlier_said"], d["later_said"]) == ("1936-08-01", "1936-10-01")
    assert d["word_for_word"] and d["formula"] == "Trotsky gave me the instruction: terror against Stalin"
    assert d["added"] == ["meeting in Copenhagen in November 1932"]
    assert f.explanation.startswith("Standardised: Reingold (c-oct, said 1936-10-01")
    assert "repeats Mrachkovsky's formula word for word" in f.explanation


def test_nearly_word_for_word_is_a_repetition_too(case_from_yaml):
    # 4 of the 5 content words of the earlier statement, in order: "gave" is gone.
    [f] = run(case_from_yaml, """
  - {id: early, source: a-aug, statement: "Trotsky gave me the instruction: terror against Stalin."}
  - {id: late, source: c-oct,
     statement: "Trotsky's instruction on terror against Stalin was joined by wrecking and sabotage."}
""")
    assert not f.details["word_for_word"]
    assert (f.details["repeated"], f.details["of"]) == (4, 5)
    assert f.details["left_out"] == ["gave"]
    assert f.details["added"] == ["joined by wrecking and sabotage"]
    assert "4 of its 5 content words" in f.explanation


def test_unrelated_statements_give_nothing(case_from_yaml):
    assert run(case_from_yaml, """
  - {id: s1, source: a-aug, statement: "Trotsky gave me the instruction: terror against Stalin."}
  - {id: s2, source: b-sep, statement: "My passport was obtained with the help of the Gestapo."}
  - {id: s3, source: c-oct, statement: "There is no material proof of the confessions."}
  - {id: s4, source: d-nov, statement: "We therefore find the Moscow trials to be frame-ups."}
""") == []


def test_pure_repetition_is_a_copy_not_an_escalation(case_from_yaml):
    assert run(case_from_yaml, """
  - {id: s1, source: a-aug, statement: "Trotsky gave me the instruction: terror against Stalin."}
  - {id: s2, source: b-sep, statement: "Trotsky gave me the instruction: terror against Stalin!"}
  - {id: s3, source: c-oct, statement: "Trotsky gave me the instruction, terror against Stalin, himself."}
""") == []


def test_a_substitution_is_not_an_addition(case_from_yaml):
    # Another task in place of the first, another place, another year: other accounts.
    assert run(case_from_yaml, """
  - {id: s1, source: a-aug, statement: "Trotsky ordered me to destroy the ledgers in March 1934."}
  - {id: s2, source: b-sep, statement: "Trotsky ordered me to deliver money to the printing works in March 1934."}
  - {id: s3, source: c-oct, statement: "Trotsky ordered me to destroy the ledgers in March 1935, at night, with petrol."}
  - {id: m1, source: a-aug, statement: "I met Trotsky's son at the hotel in Lille to receive instructions."}
  - {id: m2, source: d-nov, statement: "I met Trotsky's son at the hotel in Copenhagen to receive instructions and money."}
""") == []


def test_no_order_no_finding(case_from_yaml):
    # b-trial overlaps a-aug; c-undated has no date: neither can be later.
    assert run(case_from_yaml, """
  - {id: s1, source: a-aug, statement: "Trotsky gave me the instruction: terror against Stalin."}
  - {id: s2, source: b-trial, statement: "Trotsky gave me the instruction: terror against Stalin and Kirov, in Berlin."}
  - {id: s3, source: c-undated, statement: "Trotsky gave me the instruction: terror against Stalin and Kirov, in Berlin."}
""") == []


def test_one_speaker_repeating_himself_is_not_standardisation(case_from_yaml):
    assert run(case_from_yaml, """
  - {id: s1, source: a-aug, statement: "Trotsky gave me the instruction: terror against Stalin."}
  - {id: s2, source: a-sep, statement: "Trotsky gave me the instruction: terror against Stalin and Kirov, in Berlin."}
""") == []


def test_quotes_count_and_denials_do_not(case_from_yaml):
    [f] = run(case_from_yaml, """
  - {id: q1, source: a-aug, meeting: [a, trotsky], where: lille, when: 1932-11,
     quote: "I met Trotsky in Lille, where he gave me the instruction on terror"}
  - {id: q2, source: c-oct, statement: "Met Trotsky in Lille.",
     quote: "I met Trotsky in Lille, where he gave me the instruction on terror against Stalin and Kirov"}
  - {id: denied, source: d-nov, denies: true,
     statement: "I met Trotsky in Lille, where he gave me the instruction on terror against Stalin and Kirov and Zinoviev"}
""")
    assert f.claims == ["q1", "q2"]
    assert f.details["added"] == ["Stalin and Kirov"]


def test_cheap_and_silent_without_statements(case_from_yaml):
    assert run(case_from_yaml, """
  - {id: p, source: a-aug, presence: a, where: lille, when: 1932-11}
  - {id: s, source: b-sep, statement: "Trotsky gave me the instruction: terror against Stalin."}
""") == []


def test_over_the_cap_the_rule_says_so_and_stops(case_from_yaml, monkeypatch, caplog):
    from belie.rules import escalation

    case = case_from_yaml(HEAD + """
  - {id: s1, source: a-aug, statement: "Trotsky gave me the instruction: terror against Stalin."}
  - {id: s2, source: c-oct, statement: "Trotsky gave me the instruction: terror against Stalin and Kirov, in Berlin."}
""")
    ctx = Context(case)
    assert len(list(escalation.RULE.check(ctx))) == 1
    monkeypatch.setattr(escalation, "MAX_TEXTS", 1)
    ctx = Context(case)
    with caplog.at_level("WARNING"):
        assert list(escalation.RULE.check(ctx)) == []
    assert "MAX_TEXTS" in ctx.stats_notes["escalation"]
    assert "MAX_TEXTS" in caplog.text


def test_one_escalation_among_many_unrelated_statements_is_found_alone(case_from_yaml):
    import random

    rng = random.Random(4)
    vocab = [f"word{i}" for i in range(3000)]
    lines = []
    for i in range(3000):
        src = ("a-aug", "b-sep", "c-oct", "d-nov")[i % 4]
        lines.append(f'  - {{id: s{i}, source: {src}, statement: "{" ".join(rng.sample(vocab, 12))}"}}')
    lines.append('  - {id: early, source: a-aug, statement: "Trotsky gave me the instruction: terror against Stalin."}')
    lines.append('  - {id: late, source: c-oct, statement: "Trotsky gave me the instruction: terror against '
                 'Stalin, at a meeting in Copenhagen in November 1932."}')
    case = case_from_yaml(HEAD + "\n".join(lines) + "\n")
    ctx = Context(case)
    [f] = escalation_findings(ctx)
    assert f.claims == ["early", "late"]
    assert f.details["added"] == ["meeting in Copenhagen in November 1932"]
    assert "escalation" not in getattr(ctx, "stats_notes", {})   # nothing skipped: all 3,002 texts read


def test_the_moscow_example(example_case_dir):
    from belie.model.loading import load_case

    case = load_case(example_case_dir)
    [f] = check(case, rules=["escalation"], reason=False).findings
    assert f.details["chain"] == [["goltzman-formula"], ["pyatakov-formula", "radek-formula"]]
    added = {s["claim"]: s["added"] for stage in f.details["stages"] for s in stage}
    assert added["pyatakov-formula"] == ["joined by wrecking and the defeat of the USSR in war"]


@pytest.mark.parametrize("text, expected", [
    ("I met him at Lille. Kamenev said", {"lille"}),
    ("Trotsky’s order of 1932", {"1932"}),
])
def test_names_and_figures_are_kept(text, expected):
    from belie.rules.escalation import prepare

    assert prepare(text).kept == expected
