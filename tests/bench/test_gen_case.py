"""The synthetic case of the reasoning-core benchmark (benchmarks/gen_case.py), small.

A correctness test of the rules over a generated case, not a timing: every planted
contradiction must be found by its rule, with exactly its claims and its severity, and
no *impossible* finding may touch a claim that no plant holds.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import belie
from belie.model.loading import load_case

ROOT = Path(__file__).resolve().parents[2]
SPEC_RULES = {"nonexistent", "alibi", "impossible-travel", "register", "conflicting-accounts",
              "self-contradiction", "shifting-accusation", "uncorroborated"}


@pytest.fixture(scope="module")
def gen():
    name = "belie_benchmark_gen_case"
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "gen_case.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod             # its dataclasses look their module up
    spec.loader.exec_module(mod)
    yield mod
    sys.modules.pop(name, None)


@pytest.fixture(scope="module", params=[7, 8])
def checked(gen, request):
    syn = gen.generate(2000, seed=request.param)
    return syn, belie.check(syn.case)


def test_one_plant_of_every_variant_over_every_rule(gen, checked):
    syn, _ = checked
    assert 1_700 <= len(syn.case.claims) <= 2_500
    assert sorted(p.variant for p in syn.plants) == sorted(v[0] for v in gen.VARIANTS)
    assert {p.rule for p in syn.plants} >= SPEC_RULES
    assert {p.severity for p in syn.plants} == {"impossible", "strained", "note"}
    for p in syn.plants:
        assert set(p.claims) <= syn.planted
        assert all(c in syn.case.claim_by_id for c in p.claims)


def test_every_planted_contradiction_is_found_by_its_rule(gen, checked):
    syn, result = checked
    score = gen.score(result.findings, syn)
    assert score["missed"] == []
    assert score["found"] == score["plants"] == len(syn.plants)
    # The strained plants carry the window in which their claims can still all be true.
    edge = next(p for p in syn.plants if p.variant == "alibi-edge")
    f = next(f for f in result.findings if f.rule == "alibi" and set(f.claims) == set(edge.claims))
    assert f.severity == "strained" and f.window == edge.window


def test_no_impossible_finding_touches_an_unplanted_claim(gen, checked):
    syn, result = checked
    score = gen.score(result.findings, syn)
    assert score["stray"] == []
    assert score["impossible"] >= 12                     # every impossible plant, at least
    assert score["precision_impossible"] == 1.0
    # The global view sees only the planted claims.
    assert {c for conflict in result.conflicts for c in conflict.claims} <= syn.planted


def test_the_background_is_consistent(checked):
    """Outside the plants, only notes (of section 5's rules: uncorroborated allegations
    and the per-voice tables of the press); nothing strained or impossible."""
    syn, result = checked
    outside = [f for f in result.findings if not set(f.claims) <= syn.planted]
    assert {f.severity for f in outside} <= {"note"}
    assert {f.rule for f in outside if f.rule in SPEC_RULES} <= {"uncorroborated", "shifting-accusation"}


def test_the_same_seed_gives_the_same_case(gen):
    a, b = gen.generate(2000, seed=3), gen.generate(2000, seed=3)
    assert [c.id for c in a.case.claims] == [c.id for c in b.case.claims]
    assert [(c.kind, c.people, c.where, c.when.edtf if c.when else None) for c in a.case.claims] == \
           [(c.kind, c.people, c.where, c.when.edtf if c.when else None) for c in b.case.claims]
    assert [p.to_dict() for p in a.plants] == [p.to_dict() for p in b.plants]


def test_the_written_case_folder_reads_back_with_the_same_findings(gen, tmp_path):
    syn = gen.generate(2000, seed=5)
    folder = gen.write_case(syn, tmp_path / "synthetic")
    case = load_case(folder)
    assert len(case.claims) == len(syn.case.claims)
    assert (folder / "planted.json").is_file()
    result = belie.check(case)
    score = gen.score(result.findings, syn)
    assert score["missed"] == [] and score["stray"] == []


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_the_case_written_in_bulk_gives_the_findings_of_its_yaml(gen, tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    syn = gen.generate(2000, seed=5)
    yaml_case = load_case(gen.write_case(syn, tmp_path / "yaml"))
    bulk = load_case(gen.write_case(syn, tmp_path / fmt, fmt))
    assert not (tmp_path / fmt / "case.yaml").read_text(encoding="utf-8").count("\nclaims:")
    assert [c.id for c in bulk.claims] == [c.id for c in yaml_case.claims]
    assert [f.to_dict() for f in belie.check(bulk).findings] == \
        [f.to_dict() for f in belie.check(yaml_case).findings]
