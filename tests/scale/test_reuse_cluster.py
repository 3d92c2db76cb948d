"""`belie reuse` on a real Dask cluster (2 worker processes on loopback) writes what the
single-process run writes, also when a worker dies in the middle of the run."""
from __future__ import annotations

import json
import random

import pytest

pytest.importorskip("distributed")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from click.testing import CliRunner  # noqa: E402

from belie.cli import cli, main  # noqa: E402
from belie.scale.cluster import open_client  # noqa: E402
from belie.scale.reuse import cluster_reuse  # noqa: E402
from belie.sources.corpus import open_corpus, read_all, read_results  # noqa: E402
from belie.sources.reuse import find_reuse  # noqa: E402


def _corpus(n_docs: int = 240, seed: int = 7):
    """Documents of 120 made-up words; every fourth one carries a 30-word passage of
    another, with a word replaced, one dropped and one inserted."""
    rng = random.Random(seed)
    vocab = [f"w{rng.randrange(10**6):06d}" for _ in range(1500)]
    docs = [[rng.choice(vocab) for _ in range(120)] for _ in range(n_docs)]
    for d in range(0, n_docs, 4):
        src = rng.randrange(n_docs)
        if src == d:
            continue
        at = rng.randrange(0, 90)
        passage = docs[src][at:at + 30]
        passage[5] = rng.choice(vocab)
        del passage[12]
        passage.insert(20, rng.choice(vocab))
        to = rng.randrange(0, 90)
        docs[d][to:to + len(passage)] = passage
    # Boilerplate shared by many documents (above max_df for the test's parameters).
    for d in range(0, n_docs, 2):
        docs[d][:6] = ["By", "our", "own", "correspondent", "in", "Paris"]
    return [" ".join(w).capitalize() + "." for w in docs]


@pytest.fixture(scope="module")
def client():
    with open_client(workers=2) as c:
        yield c


@pytest.fixture(scope="module")
def texts():
    return _corpus()


def _write_parquet(path, texts, rows_per_group=50):
    table = pa.table({"id": [f"doc-{i}" for i in range(len(texts))],
                      "date": [f"19{i % 90 + 10:02d}-05-01" for i in range(len(texts))],
                      "text": texts,
                      "paper": ["Le Temps"] * len(texts)})
    pq.write_table(table, path, row_group_size=rows_per_group)
    return path


def _write_jsonl(path, texts):
    with open(path, "w", encoding="utf-8") as fh:
        for i, t in enumerate(texts):
            fh.write(json.dumps({"id": i, "text": t}) + "\n")
            if i % 37 == 0:
                fh.write("\n")          # blank lines are skipped
    return path


def _same(single, clustered):
    assert [p.to_json() for p in clustered] == [p.to_json() for p in single]
    assert [(p.coverage_a, p.coverage_b) for p in clustered] == \
        [(p.coverage_a, p.coverage_b) for p in single]


def test_parquet_corpus_on_the_cluster_gives_the_single_process_pairs(client, texts, tmp_path):
    corpus = open_corpus([str(_write_parquet(tmp_path / "press.parquet", texts))], part_docs=60)
    assert len(corpus.parts) == 5 and corpus.ndocs == len(texts)
    whole, dates = read_all(corpus)
    single = find_reuse(whole)
    assert len(single) >= 40            # the planted passages are there to be found
    pairs, got_dates = cluster_reuse(client, corpus)
    _same(single, pairs)
    assert got_dates == {i: dates[i] for p in pairs for i in (p.a, p.b)}


@pytest.mark.parametrize("params", [dict(n=5, min_words=15), dict(max_df=3, min_matches=2)])
def test_other_parameters_and_jsonl_give_the_same_pairs(client, texts, tmp_path, params):
    from belie.sources.reuse import ReuseParams

    p = ReuseParams(**params)
    corpus = open_corpus([str(_write_jsonl(tmp_path / "press.jsonl", texts))], part_docs=70)
    assert corpus.ndocs == len(texts)
    whole, _dates = read_all(corpus)
    single = find_reuse(whole, p)
    assert single
    _same(single, cluster_reuse(client, corpus, p, nbuckets=3)[0])


def test_the_cli_writes_the_same_parquet_through_the_cluster(client, texts, tmp_path):
    src = _write_parquet(tmp_path / "press.parquet", texts)
    res = CliRunner().invoke(cli, ["reuse", str(src), "--partition-docs", "60",
                                   "--format", "json"])
    assert res.exit_code == 0, res.output
    written = tmp_path / "press.reuse.parquet"
    single = written.read_bytes()
    single_json = json.loads(res.output)
    written.unlink()
    address = client.scheduler.address
    res = CliRunner().invoke(cli, ["reuse", str(src), "--partition-docs", "60",
                                   "--cluster", address, "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == single_json
    assert written.read_bytes() == single
    rows = pq.read_table(written).to_pylist()
    assert rows[0]["a_date"] and rows[0]["a_text"] == \
        texts[int(rows[0]["a"].split("-")[1])][rows[0]["a_start"]:rows[0]["a_end"]]


def test_a_text_folder_on_the_cluster_gives_the_pairs_of_belie_reuse(client, texts, tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    for i, t in enumerate(texts[:80]):
        (folder / f"{i:03d}.txt").write_text(t, encoding="utf-8")
    plain = CliRunner().invoke(cli, ["reuse", str(folder), "--format", "json"])
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.output)["pairs"]
    res = CliRunner().invoke(cli, ["reuse", str(folder), "--cluster", client.scheduler.address,
                                   "--partition-docs", "25", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == json.loads(plain.output)


def test_a_worker_killed_mid_run_changes_nothing(client, texts, tmp_path):
    """The first alignment task kills its own worker process; the nanny starts a new
    worker and the scheduler recomputes what was lost."""
    marker = tmp_path / "killed"

    def arm(dask_worker=None):
        import os
        import signal

        import belie.scale.reuse as mod

        original = mod._align_bucket

        def align_or_die(*args, **kwargs):
            if not os.path.exists(marker):
                open(marker, "w").close()
                os.kill(os.getpid(), signal.SIGKILL)
            return original(*args, **kwargs)

        mod._align_bucket = align_or_die
        return True

    corpus = open_corpus([str(_write_parquet(tmp_path / "press.parquet", texts))], part_docs=60)
    single = find_reuse(read_all(corpus)[0])
    before = set(client.scheduler_info()["workers"])
    assert all(client.run(arm).values())
    pairs, _dates = cluster_reuse(client, corpus)
    assert marker.exists()                       # a worker did die
    assert set(client.scheduler_info()["workers"]) != before
    _same(single, pairs)


def test_a_bad_line_in_a_jsonl_corpus_is_named_on_the_cluster_too(client, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "one two three"}\n{"id": 2, "txt": "x"}\n', encoding="utf-8")
    for extra in ([], ["--cluster", client.scheduler.address]):
        assert main(["reuse", str(bad), *extra]) == 2
        err = capsys.readouterr().err
        assert f"{bad}:2" in err and "no `text`" in err and "Traceback" not in err
    assert not (tmp_path / "bad.reuse.parquet").exists()


def test_a_repeated_id_is_an_input_error_on_both_paths(client, tmp_path, capsys):
    dup = tmp_path / "dup.jsonl"
    dup.write_text('{"id": "a", "text": "one two three four"}\n'
                   '{"id": "a", "text": "five six seven"}\n', encoding="utf-8")
    for extra in ([], ["--cluster", client.scheduler.address]):
        assert main(["reuse", str(dup), *extra]) == 2
        assert "'a' is given to more than one document" in capsys.readouterr().err


def test_a_case_ingests_the_pairs_of_its_sources_from_a_corpus_run(texts, tmp_path):
    from belie.model.loading import load_case
    from belie.store.db import CaseStore

    src = _write_parquet(tmp_path / "press.parquet", texts)
    res = CliRunner().invoke(cli, ["reuse", str(src)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    results = tmp_path / "press.reuse.parquet"
    n_pairs = len({r["pair"] for r in pq.read_table(results).to_pylist()})
    assert f"{n_pairs} pairs of texts share passages (the 20 best are shown)" in res.output
    assert f"{len(texts)} documents; {n_pairs} pairs" in res.output
    assert res.output.count("score ") == 20
    first, _a_date, _b_date = next(read_results(results))
    case = tmp_path / "case"
    case.mkdir()
    (case / "case.yaml").write_text(
        "case: Two papers\nsources:\n"
        f"  {first.a}: {{kind: press, said: 1931-05-01}}\n"
        f"  {first.b}: {{kind: press, said: 1920-05-01}}\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["reuse", str(case), "--ingest", str(results)])
    assert res.exit_code == 0, res.output
    assert "Added 1 edge" in res.output
    with CaseStore.open(case, create=False) as store:
        edges = store.reuse_edges()
    assert len(edges) == 1
    edge = edges[0]
    # put in date order by the case's own dates: the 1920 source is the earlier
    assert (edge["a"], edge["b"]) == (first.b, first.a)
    assert edge["data"]["level"] == "corpus" and edge["data"]["direction"] == "earlier → later"
    assert edge["data"]["passages"][0]["a_text"] == first.passages[0].b_text
    load_case(case)


def test_cluster_options_on_a_case_folder_are_refused_before_any_work(capsys, example_case_dir):
    assert main(["reuse", str(example_case_dir), "--workers", "2"]) == 2
    assert "not to a case folder" in capsys.readouterr().err
