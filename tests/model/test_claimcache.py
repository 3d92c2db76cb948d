"""The parsed-claims cache (.belie/claims/): an unchanged bulk claims file is not read
again; a changed file, a changed declaration, a stale or corrupt cache are read from the
file again; and the case read from the cache is the case read from the files."""
from __future__ import annotations

import dataclasses
import importlib.util
import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

from belie.errors import InputError  # noqa: E402
from belie.model import claimcache, loading  # noqa: E402
from belie.model.loading import load_case  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

HEAD = """case: Cached
entities:
  anna: {type: person}
  boris: {type: person}
  paris: {type: place, at: [48.85, 2.35]}
  lyon: {type: place, at: [45.76, 4.84]}
sources:
  reg: {kind: record, said: 1921-03-21}
  conf: {kind: confession, speaker: anna, said: 1923-02-14}
"""

CLAIMS = [
    {"id": "a1", "source": "reg", "presence": "anna", "where": "paris", "throughout": "1921-03-01/1921-03-20"},
    {"source": "conf", "meeting": ["anna", "boris"], "where": "lyon", "when": "1921-03-10", "note": {"n": [1]}},
    {"id": "a3", "source": "conf", "presence": "boris", "where": "paris", "when": "the next day", "denies": True},
    {"id": "a4", "source": "reg", "register": "arrivals", "at": "paris", "lists": ["anna"], "when": "1921-03"},
]


def write(folder: Path, claims=CLAIMS, head=HEAD) -> Path:
    (folder / "claims").mkdir(parents=True, exist_ok=True)
    (folder / "case.yaml").write_text(head, encoding="utf-8")
    (folder / "claims" / "c.jsonl").write_text("\n".join(json.dumps(c) for c in claims) + "\n", encoding="utf-8")
    return folder


def no_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a claims file was parsed")
    monkeypatch.setattr(loading, "read_bulk", refuse)


def uncached(folder):
    saved = claimcache.available
    claimcache.available = lambda: False
    try:
        return load_case(folder)
    finally:
        claimcache.available = saved


def same_case(a, b):
    assert [dataclasses.astuple(c) for c in a.claims] == [dataclasses.astuple(c) for c in b.claims]
    assert [c.raw for c in a.claims] == [c.raw for c in b.claims]


def cache_files(folder):
    return sorted((folder / ".belie" / "claims").glob("*.arrow"))


def test_an_unchanged_case_is_read_from_the_cache_and_is_the_same_case(tmp_path, monkeypatch):
    folder = write(tmp_path / "case")
    first = load_case(folder)
    assert len(cache_files(folder)) == 1
    no_parsing(monkeypatch)
    second = load_case(folder)
    same_case(second, first)
    monkeypatch.undo()
    same_case(second, uncached(folder))
    assert second.claims[1].generated_id and second.claims[1].note == {"n": [1]}


def test_a_changed_claims_file_is_parsed_again(tmp_path, monkeypatch):
    folder = write(tmp_path)
    load_case(folder)
    write(folder, [*CLAIMS[:2], {**CLAIMS[2], "where": "lyon"}])
    calls = []
    real = loading.read_bulk
    monkeypatch.setattr(loading, "read_bulk", lambda *a, **k: calls.append(a) or real(*a, **k))
    case = load_case(folder)
    assert len(calls) == 1 and case.claims[2].where == "lyon"
    calls.clear()
    assert load_case(folder).claims[2].where == "lyon" and calls == []     # and cached again


def test_a_changed_entity_or_source_rebuilds_the_claims(tmp_path, monkeypatch):
    folder = write(tmp_path)
    load_case(folder)
    # The source's date moves: "the next day" must be read again against it.
    write(folder, head=HEAD.replace("said: 1923-02-14", "said: 1925-06-01"))
    case = load_case(folder)
    assert case.claims[2].when.earliest.isoformat() == "1925-06-02"
    # An entity the claims name disappears: the cached claims must not be used, and the
    # message is the loader's.
    write(folder, head=HEAD.replace("  boris: {type: person}\n", ""))
    with pytest.raises(InputError) as exc:
        load_case(folder)
    assert any("unknown entity 'boris'" in p.message and p.file.endswith("c.jsonl") for p in exc.value.problems)


@pytest.mark.parametrize("damage", ["garbage", "truncate", "other key", "empty"])
def test_a_corrupt_or_stale_cache_is_ignored_and_rewritten(tmp_path, damage):
    folder = write(tmp_path / "case")
    want = load_case(folder)
    [cache] = cache_files(folder)
    data = cache.read_bytes()
    if damage == "garbage":
        head = data.split(b"\n", 1)[0]
        cache.write_bytes(head + b"\n" + b"\x00not arrow at all" * 50)
    elif damage == "truncate":
        cache.write_bytes(data[: len(data) // 2])
    elif damage == "other key":
        cache.write_bytes(b"0" * 64 + data[64:])
    else:
        cache.write_bytes(b"")
    same_case(load_case(folder), want)
    assert cache.read_bytes() == data          # rebuilt as it was


def test_a_cache_naming_what_the_case_does_not_declare_is_ignored(tmp_path, monkeypatch):
    folder = write(tmp_path)
    load_case(folder)
    [cache] = cache_files(folder)
    key, data = cache.read_bytes().split(b"\n", 1)
    # A forged cache under the right key that names an undeclared person.
    forged = load_case(folder)
    forged.claims[0].people = ("zorro",)
    assert claimcache.save(cache, key.decode(), forged.claims, [c.id for c in forged.claims],
                           [c.when for c in forged.claims])
    assert load_case(folder).claims[0].people == ("anna",)


def test_a_folder_that_cannot_be_written_still_loads(tmp_path):
    folder = write(tmp_path)
    (folder / ".belie").write_text("not a folder", encoding="utf-8")
    assert len(load_case(folder).claims) == 4


@pytest.fixture(scope="module")
def gen():
    name = "belie_benchmark_gen_case_cache"
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "gen_case.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    yield mod
    sys.modules.pop(name, None)


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_a_synthetic_case_from_the_cache_is_the_case_from_the_files(gen, tmp_path, monkeypatch, fmt):
    folder = gen.write_case(gen.generate(1500, seed=4), tmp_path / fmt, claims_format=fmt)
    first = load_case(folder)
    assert len(cache_files(folder)) == 1
    no_parsing(monkeypatch)
    same_case(load_case(folder), first)
    monkeypatch.undo()
    same_case(uncached(folder), first)


def test_a_cache_with_a_date_the_reader_could_not_have_made_is_ignored(tmp_path):
    folder = write(tmp_path)
    want = load_case(folder)
    [cache] = cache_files(folder)
    key = cache.read_bytes().split(b"\n", 1)[0].decode()
    forged = load_case(folder)
    forged.claims[0].when = dataclasses.replace(forged.claims[0].when, precision="fortnight")
    assert claimcache.save(cache, key, forged.claims, [c.id for c in forged.claims],
                           [c.when for c in forged.claims])
    same_case(load_case(folder), want)


def test_a_cache_folder_that_links_outside_the_case_is_neither_read_nor_written(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = write(tmp_path / "case")
    (folder / ".belie").mkdir()
    (folder / ".belie" / "claims").symlink_to(outside, target_is_directory=True)
    assert len(load_case(folder).claims) == 4
    assert list(outside.iterdir()) == []


def test_a_yaml_file_of_claims_only_is_cached_and_one_with_declarations_is_not(tmp_path, monkeypatch):
    folder = write(tmp_path)
    (folder / "claims" / "c.jsonl").unlink()
    (folder / "claims" / "a.yaml").write_text(
        "- {id: y1, source: reg, presence: anna, where: paris, when: 1921-03-05}\n"
        "- {source: conf, meeting: [anna, boris], where: lyon, when: '1921-03-10'}\n", encoding="utf-8")
    (folder / "claims" / "b.yaml").write_text(
        "entities:\n  carl: {type: person}\n"
        "claims:\n  - {id: y3, source: reg, presence: carl, where: lyon, when: 1921-03-06}\n", encoding="utf-8")
    first = load_case(folder)
    assert len(cache_files(folder)) == 1
    read = []
    real = loading.read_fast
    monkeypatch.setattr(loading, "read_fast", lambda path, *a, **k: read.append(Path(path).name) or real(path, *a, **k))
    second = load_case(folder)
    assert sorted(read) == ["b.yaml", "case.yaml"]          # a.yaml came from the cache
    same_case(second, first)
    monkeypatch.undo()
    same_case(second, uncached(folder))
    (folder / "claims" / "a.yaml").write_text(
        "- {id: y1, source: reg, presence: anna, where: lyon, when: 1921-03-05}\n", encoding="utf-8")
    assert [c.where for c in load_case(folder).claims if c.id == "y1"] == ["lyon"]
