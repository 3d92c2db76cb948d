"""The fast path of claim building (belie.model.claimfast) makes exactly the claims the
general reader makes, and hands the general reader every claim it is not sure of -- so no
claim and no message changes."""
from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from belie.errors import InputError
from belie.model import loading
from belie.model.claimfast import SLOW, FastClaims
from belie.model.loading import _build_claim, _Reader, _Zones, load_case
from belie.model.yamlread import LDict

ROOT = Path(__file__).resolve().parents[2]


def both_ways(path):
    fast = load_case(path)
    loading.FAST_CLAIMS = False
    try:
        slow = load_case(path)
    finally:
        loading.FAST_CLAIMS = True
    return fast, slow


def same_claims(a, b):
    assert len(a.claims) == len(b.claims)
    for x, y in zip(a.claims, b.claims):
        assert dataclasses.astuple(x) == dataclasses.astuple(y)
        assert x.raw == y.raw and x.when == y.when


@pytest.mark.parametrize("name", ["moscow-1936", "karvonen-2022"])
def test_the_examples_load_the_same_both_ways(name):
    same_claims(*both_ways(ROOT / "examples" / name))


@pytest.fixture(scope="module")
def gen():
    name = "belie_benchmark_gen_case_fast"
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "gen_case.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    yield mod
    sys.modules.pop(name, None)


@pytest.mark.parametrize("fmt", ["yaml", "jsonl"])
def test_a_synthetic_case_loads_the_same_both_ways(gen, tmp_path, fmt):
    folder = gen.write_case(gen.generate(1500, seed=3), tmp_path / fmt, claims_format=fmt)
    fast, slow = both_ways(folder)
    assert len(fast.claims) > 1000
    same_claims(fast, slow)


HEAD = """case: Fast
settings: {timezone: Europe/Paris}
entities:
  anna: {type: person}
  boris: {type: person}
  acme: {type: organisation}
  reich: {type: power}
  paris: {type: place, at: [48.85, 2.35]}
  lyon: {type: place, at: [45.76, 4.84], timezone: Europe/Paris}
sources:
  reg: {kind: record, said: 1921-03-21}
  old: {kind: record, said: 1917-10-25, calendar: julian}
  conf: {kind: confession, speaker: anna}
"""

KINDS = ["presence", "meeting", "travel", "message", "register", "accuses", "accusation", "existed",
         "stance", "statement"]
KEYS = ["id", "source", "where", "at", "from", "to", "when", "throughout", "during", "by", "lists",
        "serving", "is", "about", "quote", "event", "denies", "note", "speaker", "wheer"]
VALUES = st.one_of(
    st.sampled_from(["anna", "boris", "acme", "reich", "paris", "lyon", "nobody", "reg", "old", "conf",
                     "1921-03-10", "1921-03-10/1921-03-12", "1921-03-12/1921-03-10", "1921", "1921-02-30",
                     "end of March 1921", "the next day", "1921-03-10T10:00", "1921-03-10T10:00Z",
                     "rail", "telegram", "hostile", "friendly", "arrivals", "x" * 201, "", " ", "a1"]),
    st.lists(st.sampled_from(["anna", "boris", "acme", "paris", "nobody", None, 3]), max_size=3),
    st.booleans(), st.none(), st.integers(-5, 2000), st.dates().map(lambda d: d))


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fast")
    (folder / "case.yaml").write_text(HEAD, encoding="utf-8")
    case = load_case(folder)
    r = _Reader(folder)
    r.settings = case.settings
    r.zones = _Zones(case.entities, case.settings)
    return r, case


#: One well-formed claim of each kind; the property test changes a few keys of one.
TEMPLATES = [
    {"presence": "anna", "where": "paris", "when": "1921-03-10"},
    {"presence": "anna", "where": "lyon", "throughout": "1921-03-10/1921-03-12", "id": "p2"},
    {"meeting": ["anna", "boris"], "where": "lyon", "when": "1921-03", "event": "e1"},
    {"travel": "boris", "from": "paris", "to": "lyon", "by": "rail", "when": "1921-03-10/1921-03-11"},
    {"message": ["anna", "acme"], "by": "telegram", "when": "end of March 1921"},
    {"register": "arrivals", "at": "paris", "lists": ["anna"], "when": "1921-03-10"},
    {"accuses": "anna", "serving": "reich", "during": "1921"},
    {"accusation": "acme", "serving": "reich"},
    {"existed": "paris", "during": "1800/1950"},
    {"stance": ["reich", "acme"], "is": "hostile", "during": "1921"},
    {"statement": "I was there", "about": ["anna"], "when": "1921-03-10T10:00", "quote": "there"},
]


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(TEMPLATES), st.dictionaries(st.sampled_from(KEYS + KINDS), VALUES, max_size=2),
       st.sampled_from([None, *KEYS]), st.sampled_from(["reg", "old", "conf"]))
def test_a_claim_the_fast_path_makes_is_the_claim_the_general_reader_makes(reader, template, change, drop,
                                                                           source):
    r, case = reader
    spec = LDict({"source": source, **template, **change})
    spec.pop(drop, None)
    spec.line, spec.col = 7, 1
    fast = FastClaims(r, case.entities, case.sources).build("f.yaml", spec)
    r.problems = []
    slow = _build_claim(r, "f.yaml", spec, case.entities, case.sources)
    if fast is SLOW:
        return
    assert r.problems == [] and slow is not None
    assert dataclasses.astuple(fast) == dataclasses.astuple(slow)


def test_most_well_formed_claims_take_the_fast_path(reader):
    r, case = reader
    fast = FastClaims(r, case.entities, case.sources)
    built = [fast.build("f.yaml", LDict({"source": "reg", **t})) for t in TEMPLATES]
    assert [c is SLOW for c in built].count(True) == 1      # the register claim only


def test_a_claim_with_a_problem_still_gets_its_message(tmp_path):
    (tmp_path / "claims").mkdir()
    (tmp_path / "case.yaml").write_text(HEAD, encoding="utf-8")
    (tmp_path / "claims" / "c.jsonl").write_text(
        '{"source": "reg", "presence": "anna", "where": "paris", "when": "1921-03-10"}\n'
        '{"source": "reg", "presence": "anna", "where": "nowhere", "when": "1921-03-10"}\n',
        encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_case(tmp_path)
    assert [(p.line, p.column) for p in exc.value.problems] == [(2, 39)]
    assert "where: unknown entity 'nowhere'" in exc.value.problems[0].message
