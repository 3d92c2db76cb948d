"""The global view: smallest conflicting sets of claims, and the most plausible reading."""
from __future__ import annotations

import json

import pytest

from belie.reason import Conflict, Reading, claim_weight, global_view
from belie.rules import check
from belie.rules.base import Finding

HEAD = """
case: reasoning tests
entities:
  marchand: {type: person, names: [Marchand]}
  dubois:   {type: person, names: [Dubois]}
  lyon:     {type: place, names: [Lyon], at: [45.76, 4.84]}
  nice:     {type: place, names: [Nice], at: [43.70, 7.27]}
  villa:    {type: place, names: [Villa Rose], within: nice, at: [43.70, 7.27]}
sources:
  register:   {kind: record, said: 1921-03-21}
  register-2: {kind: record, said: 1921-03-22}
  confession: {kind: confession, speaker: dubois, said: 1923-02-14}
  witness:    {kind: testimony, speaker: dubois, said: 1923-02-15}
  witness-2:  {kind: testimony, speaker: marchand, said: 1923-02-16}
  letter:     {kind: letter, speaker: marchand, said: 1921-04-01}
claims:
"""

CLAIMS = """
  - {id: stay, source: register, presence: marchand, where: villa, throughout: 1921-03-01/1921-03-20}
  - {id: in-nice, source: confession, presence: marchand, where: nice, when: 1921-03-10}
  - {id: in-lyon, source: register-2, presence: marchand, where: lyon, when: 1921-03-10}
  - {id: t1, source: witness, presence: dubois, where: lyon, when: 1921-05-01}
  - {id: t2, source: witness-2, presence: dubois, where: lyon, when: 1921-05-02}
  - {id: l0, source: letter, presence: dubois, where: nice, when: 1921-05}
"""


def case_of(case_from_yaml, claims=CLAIMS, head=HEAD):
    return case_from_yaml(head + claims)


def imp(*claims, rule="alibi"):
    return Finding(rule=rule, severity="impossible", claims=list(claims), sources=[], explanation="")


def test_weights_follow_the_kind_of_source():
    assert claim_weight(0.95) > claim_weight(0.85) > claim_weight(0.6) > claim_weight(0.5) > claim_weight(0.3) >= 1
    assert claim_weight(0.0) >= 1 and claim_weight(1.0) < 10_000


def test_nothing_impossible_means_an_empty_view(case_from_yaml):
    case = case_of(case_from_yaml)
    note = Finding(rule="uncorroborated", severity="note", claims=["t1"], sources=[], explanation="")
    strained = Finding(rule="alibi", severity="strained", claims=["t1", "l0"], sources=[], explanation="")
    conflicts, reading = global_view(case, [note, strained])
    assert conflicts == []
    assert reading.rejected == [] and reading.cost == 0


def test_only_minimal_sets_are_conflicts(case_from_yaml):
    case = case_of(case_from_yaml)
    conflicts, _ = global_view(case, [imp("t1", "l0", "t2"), imp("t1", "l0", rule="register"), imp("t2", "l0")],
                               links=False)
    assert [sorted(c.claims) for c in conflicts] == [["l0", "t1"], ["l0", "t2"]]
    assert conflicts[0].rules == ["register"]
    assert set(conflicts[0].sources) == {"witness", "letter"}


def test_conflicts_are_sorted_by_size(case_from_yaml):
    case = case_of(case_from_yaml)
    conflicts, _ = global_view(case, [imp("t1", "t2", "l0"), imp("in-lyon", rule="nonexistent")], links=False)
    assert [c.size for c in conflicts] == [1, 3]


def test_the_reading_gives_up_the_weakest_evidence(case_from_yaml):
    case = case_of(case_from_yaml)
    _, reading = global_view(case, [imp("in-lyon", "in-nice")], links=False)
    assert reading.rejected_ids == ["in-nice"]                  # the confession, not the record
    assert reading.rejected[0]["kind"] == "confession"
    assert [k["claim"] for k in reading.kept] == ["in-lyon"]
    assert reading.cost == claim_weight(0.3)


def test_the_reading_minimises_the_total_cost(case_from_yaml):
    # The letter conflicts with both testimonies: rejecting it (one letter) costs less
    # than rejecting the two testimonies, though each testimony weighs less than it.
    case = case_of(case_from_yaml)
    _, reading = global_view(case, [imp("l0", "t1"), imp("l0", "t2")], links=False)
    assert reading.rejected_ids == ["l0"]
    assert reading.optimal and reading.components == 1


def test_weights_come_from_the_case_settings(case_from_yaml):
    head = HEAD.replace("claims:\n", "settings:\n  weights: {confession: 0.99}\nclaims:\n")
    case = case_of(case_from_yaml, head=head)
    _, reading = global_view(case, [imp("in-lyon", "in-nice")], links=False)
    assert reading.rejected_ids == ["in-lyon"]


def test_an_implied_claim_carries_its_conflicts_to_what_implies_it(case_from_yaml):
    # The register's stay in the Villa Rose, 1-20 March, implies Marchand was in Nice on
    # 10 March: so a record of him in Lyon that day conflicts with the register too.
    case = case_of(case_from_yaml)
    conflicts, reading = global_view(case, [imp("in-nice", "in-lyon")])
    sets = [sorted(c.claims) for c in conflicts]
    assert ["in-lyon", "in-nice"] in sets
    via = [c for c in conflicts if sorted(c.claims) == ["in-lyon", "stay"]]
    assert via and via[0].via == ["in-nice"] and via[0].rules == ["alibi"]
    assert reading.links >= 1
    # Rejecting the confession alone is no reading while the register stands; the records
    # outweigh each other equally, so one of the two records has to go.
    assert "in-nice" not in reading.rejected_ids or "stay" in reading.rejected_ids
    assert len(set(reading.rejected_ids) & {"in-lyon", "stay"}) == 1


def test_without_links_the_confession_alone_is_given_up(case_from_yaml):
    case = case_of(case_from_yaml)
    _, reading = global_view(case, [imp("in-nice", "in-lyon")], links=False)
    assert reading.rejected_ids == ["in-nice"]


def test_identical_claims_stand_or_fall_together(case_from_yaml):
    claims = CLAIMS + """
  - {id: t1-again, source: register, presence: dubois, where: lyon, when: 1921-05-01}
"""
    case = case_of(case_from_yaml, claims)
    conflicts, reading = global_view(case, [imp("t1", "l0")])
    assert {frozenset(c.claims) for c in conflicts} == {frozenset({"t1", "l0"}), frozenset({"t1-again", "l0"})}
    # The record says what the testimony says: the letter goes.
    assert reading.rejected_ids == ["l0"]


@pytest.mark.shared
def test_the_example_case(shared_dir):
    from belie.model.loading import load_case

    case = load_case(shared_dir / "spec" / "example")
    result = check(case)
    sets = {frozenset(c.claims): c for c in result.conflicts}
    assert frozenset({"cafe-meeting-dubois", "marchand-at-villa"}) in sets
    assert frozenset({"marchand-flight", "lyon-arrivals"}) in sets
    assert "alibi" in sets[frozenset({"cafe-meeting-dubois", "marchand-at-villa"})].rules
    rejected = set(result.reading.rejected_ids)
    assert {"cafe-meeting-dubois", "marchand-flight", "letter-to-marchand"} <= rejected
    assert not rejected & {"marchand-at-villa", "lyon-arrivals", "mail-log", "cafe-closed"}
    assert all(r["kind"] == "confession" for r in result.reading.rejected)
    # What is written out as JSON reads back as the same conflicts and the same reading.
    *conflicts, reading = json.loads(json.dumps([c.to_dict() for c in result.conflicts]
                                                + [result.reading.to_dict()]))
    assert {frozenset(c["claims"]) for c in conflicts} == set(sets)
    assert {r["claim"] for r in reading["rejected"]} == rejected


def test_conflicts_are_capped(case_from_yaml):
    case = case_of(case_from_yaml)
    findings = [imp(f"x{i}", f"y{i}") for i in range(50)]
    conflicts, reading = global_view(case, findings, max_conflicts=10)
    assert len(conflicts) == 10
    assert not reading.conflicts_complete
    assert len(reading.rejected) == 50 and reading.components == 50


def test_many_findings_are_solved_by_component(case_from_yaml):
    # 30,000 findings: five claims linked in a ring, 6,000 times over (6,000 components);
    # the solver must still return the optimum of each component.  No time limit: what is
    # listed must not depend on the speed of the machine.
    case = case_of(case_from_yaml)
    findings = []
    for k in range(6_000):
        names = [f"k{k}-{j}" for j in range(5)]
        for j in range(5):
            findings.append(imp(names[j], names[(j + 1) % 5]))
    conflicts, reading = global_view(case, findings, time_limit=float("inf"))
    # 30,000 minimal sets, capped at MAX_CONFLICTS (200), and the reading says so.
    assert len(conflicts) == 200 and all(c.size == 2 for c in conflicts)
    assert not reading.conflicts_complete
    assert reading.components == 6_000 and reading.optimal
    assert len(reading.rejected) == 6_000 * 3           # a vertex cover of a 5-ring has 3 nodes
    # No two neighbours on a ring are both kept: every finding has a claim rejected.
    rejected = set(reading.rejected_ids)
    assert all(rejected & set(f.claims) for f in findings)


def test_large_components_are_read_greedily_and_soundly(case_from_yaml, monkeypatch):
    import belie.reason.solve as solve

    monkeypatch.setattr(solve, "EXACT_MAX_VARS", 3)
    case = case_of(case_from_yaml)
    findings = [imp("l0", "t1"), imp("l0", "t2"), imp("t1", "t2", "in-lyon")]
    _, reading = global_view(case, findings, links=False)
    rejected = set(reading.rejected_ids)
    for f in findings:
        assert rejected & set(f.claims)
    assert not reading.optimal


def test_to_dict():
    c = Conflict(claims=["a"], sources=["s"], rules=["alibi"])
    assert c.to_dict() == {"claims": ["a"], "sources": ["s"], "rules": ["alibi"]}
    assert Reading().to_dict()["rejected"] == []


def test_solver_agrees_with_brute_force_on_small_problems():
    # Random small problems with findings and entailment links: the minimal sets are
    # exactly those found by trying every subset, the reading is a cheapest consistent
    # one, and the greedy reading of large components is at least consistent.
    import itertools
    import random

    from belie.reason.encode import Clause
    from belie.reason.solve import best_reading, minimal_sets

    def holds(assign, clauses):
        return all(any((lit > 0) == assign[abs(lit)] for lit in c.lits) for c in clauses)

    def can_all_be_true(chosen, clauses, vars_):
        rest = [v for v in vars_ if v not in chosen]
        return any(holds({**{v: True for v in chosen}, **dict(zip(rest, bits))}, clauses)
                   for bits in itertools.product([False, True], repeat=len(rest)))

    rng = random.Random(7)
    for _ in range(60):
        n = rng.randint(2, 6)
        vars_ = list(range(1, n + 1))
        clauses = [Clause(tuple(-v for v in rng.sample(vars_, rng.randint(1, min(3, n)))), rule="r")
                   for _ in range(rng.randint(1, 4))]
        for _ in range(rng.randint(0, 3)):
            a, b = rng.sample(vars_, 2)
            clauses.append(Clause((-a, b), link=(str(a), str(b))))
        expected: set[frozenset] = set()
        for r in range(1, n + 1):
            for sub in itertools.combinations(vars_, r):
                s = frozenset(sub)
                if not any(m <= s for m in expected) and not can_all_be_true(s, clauses, vars_):
                    expected.add(s)
        got, complete = minimal_sets([(vars_, clauses)], limit=1000, deadline=float("inf"))
        assert complete and sorted(got, key=sorted) == sorted(expected, key=sorted)
        weight = {v: rng.choice([6, 10, 405, 2944]) for v in vars_}
        best = min(sum(weight[v] for v in vars_ if not a[v])
                   for a in (dict(zip(vars_, bits)) for bits in itertools.product([False, True], repeat=n))
                   if holds(a, clauses))
        rejected, cost, optimal = best_reading([(vars_, clauses)], weight)
        assert optimal and cost == best and holds({v: v not in rejected for v in vars_}, clauses)
        rejected, _, optimal = best_reading([(vars_, clauses)], weight, exact_max_vars=0)
        assert holds({v: v not in rejected for v in vars_}, clauses)
