"""The fast YAML path (libyaml) gives the loader what the located reader gives it on a
correct case, and hands every problem to the located reader so the messages stay exact."""
from __future__ import annotations

from pathlib import Path

import pytest

from belie.errors import InputError
from belie.model import loading, yamlfast
from belie.model.yamlread import parse_located

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not yamlfast.AVAILABLE, reason="PyYAML built without libyaml")


def _claims(case):
    return [(c.id, c.file, c.line, c.kind, repr(c.raw), repr(c.when), c.source) for c in case.claims]


@pytest.mark.parametrize("name", ["moscow-1936", "karvonen-2022"])
def test_fast_and_located_readings_load_the_same_case(name):
    folder = ROOT / "examples" / name
    fast = loading._load_case(folder, fast=True)
    slow = loading._load_case(folder, fast=False)
    assert _claims(fast) == _claims(slow)
    assert [(e.id, e.file, e.line, repr(e)) for e in fast.entities.values()] == \
        [(e.id, e.file, e.line, repr(e)) for e in slow.entities.values()]
    assert [(s.id, s.origin, s.line, repr(s)) for s in fast.sources.values()] == \
        [(s.id, s.origin, s.line, repr(s)) for s in slow.sources.values()]


def test_fast_reading_keeps_dates_as_text_and_mapping_lines():
    doc = yamlfast.parse_fast("a:\n  b: {when: 1921-03-01}\nc: [1, 2]\n", "t.yaml")
    assert doc["a"]["b"]["when"] == "1921-03-01"
    assert doc["a"]["b"].line == 2 and doc.pos("a") == (1, 1)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",                                   # duplicate key
    "a: [1, 2\n",                                      # syntax error
    "a: !!python/object:os.system {}\n",               # a Python tag
    "a: &x [*x]\n",                                    # an alias inside its own anchor
    "a: !!binary aGVsbG8=\n",                          # tags the located reader refuses
    "a: !!set {x}\n",
    "a: !!float x\n",                                  # a malformed tagged value
    'a: "\\uD800"\n',                                  # a lone surrogate
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [" + ", ".join([f"*{p}"] * 10) + "]\n"
        for p, n in zip("abcdefgh", "bcdefghi")),      # an alias bomb of 10^9 values
])
def test_fast_reading_refuses_what_the_located_reader_refuses(text):
    with pytest.raises(yamlfast.FastReadError):
        yamlfast.parse_fast(text, "t.yaml")
    with pytest.raises(InputError):
        parse_located(text, "t.yaml")


def test_a_small_anchor_is_read_on_the_fast_path():
    doc = yamlfast.parse_fast("a: &p [x, y]\nb: *p\n", "t.yaml")
    assert doc["b"] == ["x", "y"]


def test_a_problem_is_reported_with_the_located_key_position(tmp_path):
    # The fast reading does not keep a claim key's column; the message must still name it.
    (tmp_path / "case.yaml").write_text(
        "case: T\nentities:\n  anna: {type: person}\nsources:\n  s: {kind: record}\n"
        "claims:\n  - {source: s, presence: anna,\n     where: nowhere}\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        loading.load_case(tmp_path)
    assert [(p.line, p.column, p.message) for p in exc.value.problems] == \
        [(8, 6, "where: unknown entity 'nowhere'")]
