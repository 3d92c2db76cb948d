"""`belie check` on a real Dask cluster gives what the single-process check gives.

One `distributed.LocalCluster` of two worker processes on loopback serves the module.
Each test runs the same case both ways and compares the whole JSON output (findings,
smallest conflicting sets, most plausible reading, groups, counts), leaving out only
the seconds each rule took; and a worker killed in the middle of a run, whose tasks
the scheduler gives to another, changes nothing.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed")

import belie  # noqa: E402
from belie.report import jsonout  # noqa: E402
from belie.scale.check import check_on_cluster  # noqa: E402
from belie.scale.cluster import open_client  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [ROOT / "examples" / "moscow-1936", ROOT / "examples" / "karvonen-2022"]


@pytest.fixture(scope="module")
def client():
    with open_client(workers=2) as c:
        yield c


@pytest.fixture(scope="module")
def gen():
    name = "belie_benchmark_gen_case"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "gen_case.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


def _json(result) -> str:
    d = jsonout.check_to_dict(result)
    d["stats"].pop("seconds_by_rule")          # time, not output
    d["stats"].pop("seconds_reliability", None)
    return jsonout.dumps(d)


def _same(case, client, **kw):
    single = _json(belie.check(case, **kw))
    cluster = _json(check_on_cluster(case, client, **kw))
    assert cluster == single
    return json.loads(single)


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_examples_same_on_the_cluster(folder, client):
    out = _same(belie.load_case(folder), client)
    assert out["findings"] and out["conflicts"] and out["reading"]["rejected"]


def test_reliability_weighted_reading(client):
    """With --reliability the reading is weighed by truth discovery: the same on the cluster."""
    out = _same(belie.load_case(EXAMPLES[0]), client, reliability=True)
    assert all("accuracy" in r for r in out["reading"]["rejected"])


def test_rule_subset_and_no_reason(client):
    case = belie.load_case(EXAMPLES[0])
    out = _same(case, client, rules=["alibi", "register"], reason=False)
    assert {f["rule"] for f in out["findings"]} <= {"alibi", "register"}
    assert "reading" not in out


@pytest.mark.parametrize("seed", [1, 2])
def test_synthetic_same_on_the_cluster(seed, gen, client):
    syn = gen.generate(2500, seed=seed)
    out = _same(syn.case, client)
    rules = {f["rule"] for f in out["findings"]}
    assert {"alibi", "impossible-travel", "register", "conflicting-accounts", "nonexistent"} <= rules


def test_many_small_partitions(gen, client, monkeypatch):
    """Partitions far smaller than the rules' components are never cut through a component,
    and claims sent in many small chunks come back in the case's order."""
    import belie.scale.check as scale_check

    monkeypatch.setattr(scale_check, "CHUNK", 97)
    syn = gen.generate(1000, seed=3)
    single = _json(belie.check(syn.case))
    assert _json(check_on_cluster(syn.case, client, partitions=24)) == single


def _kill_once(marker: str):
    def hook(task):
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return
        os.close(fd)
        os._exit(1)                     # this worker process dies in the middle of the run
    return hook


def test_worker_killed_mid_run(tmp_path, client):
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    case = belie.load_case(EXAMPLES[0])
    marker = tmp_path / "killed"
    single = _json(belie.check(case))
    got = _json(check_on_cluster(case, client, hook=_kill_once(str(marker))))
    assert marker.exists()              # a worker did die
    assert got == single
    client.wait_for_workers(2, timeout=60)


def _store_findings(folder: Path) -> list[str]:
    with sqlite3.connect(folder / ".belie" / "case.sqlite") as db:
        return [r[0] for r in db.execute("SELECT data FROM findings ORDER BY id")]


def test_cli_workers_same_json_and_store(tmp_path):
    from tests.cli.test_cli import run

    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        shutil.copytree(EXAMPLES[1], d, ignore=shutil.ignore_patterns(".belie"))
    one = run("check", str(a), "--format", "json")
    two = run("check", str(b), "--format", "json", "--workers", "2")
    assert one.returncode == 0 and two.returncode == 0, two.stderr
    x, y = json.loads(one.stdout), json.loads(two.stdout)
    x["stats"].pop("seconds_by_rule")
    y["stats"].pop("seconds_by_rule")
    assert jsonout.dumps(x).replace(str(a), "") == jsonout.dumps(y).replace(str(b), "")
    assert _store_findings(a) == _store_findings(b) != []


def test_cli_cluster_address(client):
    """--cluster runs on a scheduler already there (here the module's) and leaves it running."""
    from tests.cli.test_cli import run

    folder = str(EXAMPLES[0])
    one = run("check", folder, "--format", "json", "--no-store")
    two = run("check", folder, "--format", "json", "--no-store", "--cluster", client.scheduler.address)
    assert two.returncode == 0, two.stderr
    x, y = json.loads(one.stdout), json.loads(two.stdout)
    x["stats"].pop("seconds_by_rule")
    y["stats"].pop("seconds_by_rule")
    assert x == y
    assert client.submit(sum, [1, 2]).result() == 3      # the scheduler is still there


def test_unreachable_scheduler_is_a_clear_error():
    from belie.errors import InputError

    with pytest.raises(InputError) as err:
        with open_client(cluster="tcp://127.0.0.1:9", connect_timeout="1s"):
            pass
    assert "cannot reach a Dask scheduler at 'tcp://127.0.0.1:9'" in str(err.value.problems[0])
