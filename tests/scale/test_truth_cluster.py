"""Truth discovery as map-reduce on a real Dask cluster: the same answer as `discover`.

The items are split over partitions on two worker processes; sources' accuracies and
the evidence of copying are summed across them each round.  Only the order of
floating-point additions differs, so every chosen value, every iteration count and
every copying pair must be the same, and every estimate equal within 1e-9.
"""
from __future__ import annotations

import json
import random

import pytest

pytest.importorskip("distributed")

from belie.scale.cluster import open_client  # noqa: E402
from belie.scale.truth import discover_on_cluster  # noqa: E402
from belie.sources.truth import METHODS, discover  # noqa: E402

TOL = 1e-9
NAMES = ["anna berg", "boris lind", "carl moss", "dora fink", "emil rask", "frida holm"]


def _triples(seed: int, n_sources: int = 20, n_items: int = 200) -> list[tuple[str, str, str]]:
    """Sources of rising accuracy, and a chorus of four that repeat one false value."""
    rng = random.Random(seed)
    out = []
    for i in range(n_items):
        truth = rng.randrange(len(NAMES))
        for s in range(n_sources):
            if rng.random() < 0.5:
                continue
            if s < 4:
                v = (truth + 1) % len(NAMES)
            else:
                v = truth if rng.random() < 0.6 + 0.015 * s else rng.randrange(len(NAMES))
            out.append((f"src{s}", f"item{i}", NAMES[v]))
    rng.shuffle(out)
    return out


@pytest.fixture(scope="module")
def client():
    with open_client(workers=2) as c:
        yield c


def _close(a, b):
    assert list(a.truths.items()) == list(b.truths.items())
    assert a.iterations == b.iterations
    assert list(a.accuracy) == list(b.accuracy)
    assert max(abs(a.accuracy[s] - b.accuracy[s]) for s in a.accuracy) < TOL
    assert max(abs(a.confidence[i] - b.confidence[i]) for i in a.confidence) < TOL
    assert [(x, y) for x, y, _ in a.copying] == [(x, y) for x, y, _ in b.copying]
    assert all(abs(p - q) < TOL for (_, _, p), (_, _, q) in zip(a.copying, b.copying))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("similarity", [None, "exact"])
def test_same_answer_on_the_cluster(method, similarity, client):
    claims = _triples(7)
    single = discover(claims, method=method, similarity=similarity)
    _close(single, discover_on_cluster(claims, client, method=method, similarity=similarity, partitions=5))
    if method == "accucopy":
        assert {frozenset((a, b)) for a, b, _ in single.copying} >= {frozenset(("src0", "src1"))}


def test_prior_and_options(client):
    claims = _triples(3)
    prior = {f"src{s}": 0.3 + 0.03 * s for s in range(20)}
    opts = dict(method="accucopy", prior=prior, n_false=2, report_threshold=0.3, true_weight=1.0)
    _close(discover(claims, **opts), discover_on_cluster(claims, client, partitions=4, **opts))


@pytest.mark.shared
def test_book_set(shared_dir, client):
    import csv

    with open(shared_dir / "data" / "truth" / "triples" / "book.csv", encoding="utf-8") as fh:
        claims = [(r["source"], r["item"], r["value"]) for r in csv.DictReader(fh)]
    _close(discover(claims), discover_on_cluster(claims, client))


def test_cli_cluster(tmp_path, client):
    from tests.cli.test_cli import run

    path = tmp_path / "claims.csv"
    path.write_text("source,item,value\n" + "".join(f"{s},{i},{v}\n" for s, i, v in _triples(5)),
                    encoding="utf-8")
    one = run("truth", str(path), "--format", "json")
    two = run("truth", str(path), "--format", "json", "--cluster", client.scheduler.address)
    assert one.returncode == 0 and two.returncode == 0, two.stderr
    assert json.loads(one.stdout)["truths"] == json.loads(two.stdout)["truths"]
    assert json.loads(one.stdout)["sources"] == json.loads(two.stdout)["sources"]
