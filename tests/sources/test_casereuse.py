"""Reuse within a case: date order, clusters, stored edges, and `belie reuse CASE`."""
from __future__ import annotations

import json

from click.testing import CliRunner

from belie.cli import cli
from belie.sources.casereuse import (EARLIER_LATER, ORDER_UNKNOWN, case_reuse, case_texts,
                                     save_edges)
from belie.store.db import CaseStore, SourceRecord, store_path

FORMULA = "Trotsky's instruction on terror against Stalin"
DOCUMENT = ("I admit that in the autumn of 1932 I met Smirnov in Berlin, who handed me a letter from "
            "Trotsky containing direct instructions to organise terrorist acts against the leaders of "
            "the party, and I passed these instructions on to the members of our centre in Moscow.")

CASE = f"""
case: reuse in a case
entities:
  trotsky: {{type: person, names: [Trotsky]}}
sources:
  pravda:   {{kind: press, said: 1936-08-26, file: pravda.txt}}
  izvestia: {{kind: press, said: 1936-08-25, file: izvestia.txt}}
  zinoviev: {{kind: confession, said: 1936-08-19/1936-08-24}}
  kamenev:  {{kind: confession, said: 1936-08-21}}
  radek:    {{kind: confession, said: 1937-01-23/1937-01-30}}
  unknown:  {{kind: testimony}}
  dewey:    {{kind: finding, said: 1937-09-21}}
claims:
  - {{id: radek-f, source: radek, statement: "{FORMULA} was joined by wrecking and the defeat of the USSR in war."}}
  - {{id: zinoviev-f, source: zinoviev, statement: "{FORMULA} was accepted by the united centre."}}
  - {{id: kamenev-f, source: kamenev, statement: "{FORMULA} and Kirov was accepted by the united centre."}}
  - {{id: unknown-f, source: unknown, statement: "Sedov told me that {FORMULA} came from Oslo."}}
  - {{id: dewey-1, source: dewey, statement: "We therefore find the Moscow trials to be frame-ups."}}
  - {{id: dewey-2, source: dewey, statement: "We therefore find the Moscow trials to be frame-ups, and Trotsky not guilty."}}
  - {{id: zinoviev-other, source: zinoviev, statement: "My passport was obtained with the help of the Gestapo."}}
"""


def _case(tmp_path, case_from_yaml):
    folder = tmp_path / "case"
    folder.mkdir(exist_ok=True)
    (folder / "izvestia.txt").write_text("Izvestia reports the trial. " + DOCUMENT, encoding="utf-8")
    (folder / "pravda.txt").write_text("From our correspondent. " + DOCUMENT + " The court retired.",
                                       encoding="utf-8")
    return case_from_yaml(CASE)


def test_texts_per_source_and_per_statement(tmp_path, case_from_yaml):
    case = _case(tmp_path, case_from_yaml)
    texts = case_texts(case)
    assert texts.documents == {"pravda", "izvestia"}
    assert texts.sources["pravda"].startswith("From our correspondent.")
    # a source without a file: its statements, one a line
    assert texts.sources["zinoviev"].splitlines() == [
        f"{FORMULA} was accepted by the united centre.",
        "My passport was obtained with the help of the Gestapo."]
    assert texts.statements["radek-f"].startswith(FORMULA)
    assert texts.claim_source["kamenev-f"] == "kamenev"
    assert "pravda" not in texts.claim_source.values()


def test_ingested_text_is_preferred_to_the_file(tmp_path, case_from_yaml):
    case = _case(tmp_path, case_from_yaml)
    with CaseStore.open(case.root) as store:
        store.add_source(SourceRecord(id="pravda", file="pravda.txt", sha256="0" * 64, size=1,
                                      media_type="text/plain", ingested_at="2024-01-01T00:00:00",
                                      text="As ingested: " + DOCUMENT))
    assert case_texts(case).sources["pravda"].startswith("As ingested: ")


def test_pairs_are_put_in_date_order(tmp_path, case_from_yaml):
    case = _case(tmp_path, case_from_yaml)
    reuse = case_reuse(case)
    by = {frozenset((p.a, p.b)): p for p in reuse.pairs}
    # documents: Izvestia (25 Aug) before Pravda (26 Aug), whatever the input order
    docs = by[frozenset(("pravda", "izvestia"))]
    assert (docs.a, docs.b, docs.level, docs.direction) == ("izvestia", "pravda", "source", EARLIER_LATER)
    assert docs.pair.passages[0].a_text.startswith("I admit that in the autumn of 1932")
    # statements: Zinoviev's (August 1936) before Radek's (January 1937), though listed after
    zr = by[frozenset(("zinoviev-f", "radek-f"))]
    assert (zr.a, zr.b, zr.direction) == ("zinoviev-f", "radek-f", EARLIER_LATER)
    assert (zr.a_said, zr.b_said) == ("1936-08-19/1936-08-24", "1937-01-23/1937-01-30")
    assert zr.pair.passages[0].a_text.startswith(FORMULA)
    # 21 August lies inside 19-24 August: no order
    zk = by[frozenset(("zinoviev-f", "kamenev-f"))]
    assert zk.direction == ORDER_UNKNOWN and zk.reason == "the dates overlap"
    # an undated source: no order
    uk = by[frozenset(("unknown-f", "radek-f"))]
    assert uk.direction == ORDER_UNKNOWN and uk.reason == "undated: unknown"
    # two statements of one source are not a copy of each other
    assert frozenset(("dewey-1", "dewey-2")) not in by
    assert not any("zinoviev-other" in (p.a, p.b) for p in reuse.pairs)


def test_clusters_group_texts_repeating_one_formula(tmp_path, case_from_yaml):
    case = _case(tmp_path, case_from_yaml)
    reuse = case_reuse(case)
    statements = [c for c in reuse.clusters if c.level == "statement"]
    [ring] = statements
    assert ring.members == ["zinoviev-f", "kamenev-f", "radek-f", "unknown-f"]   # date order, undated last
    assert ring.sources == ["zinoviev", "kamenev", "radek", "unknown"]
    assert ring.formula == FORMULA
    assert ring.pairs == 6
    by_first = {c.members[0]: c for c in reuse.clusters if c.level == "source"}
    assert by_first["izvestia"].members == ["izvestia", "pravda"]
    # Zinoviev's and Kamenev's texts share 11 words ("... was accepted by the united
    # centre"): a passage of the default minimum length (8 words) between the sources too.
    assert by_first["zinoviev"].members == ["zinoviev", "kamenev"]
    assert by_first["zinoviev"].formula.endswith("was accepted by the united centre")
    assert len(by_first) == 2


def test_edges_are_stored_and_read_back(tmp_path, case_from_yaml):
    case = _case(tmp_path, case_from_yaml)
    reuse = case_reuse(case)
    assert save_edges(case, reuse) == len(reuse.pairs)
    with CaseStore.open(case.root, create=False) as store:
        edges = {(e["a"], e["b"]): e for e in store.reuse_edges()}
    assert len(edges) == len(reuse.pairs)
    e = edges[("zinoviev-f", "radek-f")]
    assert e["data"]["direction"] == EARLIER_LATER and e["data"]["level"] == "statement"
    assert (e["data"]["a_source"], e["data"]["b_source"]) == ("zinoviev", "radek")
    assert e["data"]["passages"][0]["a_text"].startswith(FORMULA)
    assert 0 < e["score"] <= 1
    assert edges[("izvestia", "pravda")]["data"]["level"] == "source"
    # a second run replaces the edges rather than adding to them
    save_edges(case, reuse)
    with CaseStore.open(case.root, create=False) as store:
        assert len(store.reuse_edges()) == len(reuse.pairs)


def test_the_report_draws_the_stored_edges(tmp_path, case_from_yaml):
    from belie.report import html

    case = _case(tmp_path, case_from_yaml)
    save_edges(case, case_reuse(case))
    stored = html.case_reuse(case)
    edges = {(e["a"], e["b"]): e for e in html.reuse_edges(case, stored)}
    assert edges[("zinoviev", "radek")]["directed"]          # claim ids stand for their sources
    assert ("izvestia", "pravda") in edges


def test_cli_json_keeps_the_shape_and_adds_direction_and_clusters(tmp_path, case_from_yaml):
    case = _case(tmp_path, case_from_yaml)
    res = CliRunner().invoke(cli, ["reuse", str(case.root), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert list(data) == ["pairs", "clusters"]
    for pair in data["pairs"]:
        assert list(pair)[:4] == ["a", "b", "score", "passages"]
        assert pair["direction"] in (EARLIER_LATER, ORDER_UNKNOWN)
        assert pair["level"] in ("source", "statement")
    zr = next(p for p in data["pairs"] if {p["a"], p["b"]} == {"zinoviev-f", "radek-f"})
    assert (zr["a"], zr["b"], zr["direction"]) == ("zinoviev-f", "radek-f", EARLIER_LATER)
    assert list(zr["passages"][0]) == ["a_start", "a_end", "b_start", "b_end", "a_text", "b_text"]
    assert {"members", "sources", "formula", "level", "pairs"} <= set(data["clusters"][0])
    # stored for the report
    with CaseStore.open(case.root, create=False) as store:
        assert len(store.reuse_edges()) == len(data["pairs"])


def test_cli_no_store_and_text_output(tmp_path, case_from_yaml):
    case = _case(tmp_path, case_from_yaml)
    res = CliRunner().invoke(cli, ["reuse", str(case.root), "--no-store"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert not store_path(case.root).exists()
    assert "earlier → later" in res.output and "order unknown (the dates overlap)" in res.output
    assert "Clusters" in res.output and f"formula “{FORMULA}”" in res.output
    assert "in date order" in res.output


def test_cli_case_with_nothing_to_compare(case_from_yaml, capsys):
    from belie.cli import main

    case = case_from_yaml("case: empty\nsources:\n  a: {kind: record}\nclaims: []\n")
    assert main(["reuse", str(case.root)]) == 2
    assert "fewer than two texts to compare" in capsys.readouterr().err


def test_moscow_statements_pair_only_within_the_formula(example_case_dir):
    """STATEMENT_PARAMS on the example: its 10 formula statements pair, its 28 others
    (Trotsky's, the Commission's, the prosecution's, Olberg's passport) do not."""
    import belie

    reuse = case_reuse(belie.load_case(example_case_dir))
    paired = {x for p in reuse.pairs if p.level == "statement" for x in (p.a, p.b)}
    assert paired and all(x.endswith("-formula") for x in paired)
    assert len(paired) == 10
    assert [len(c.members) for c in reuse.clusters if c.level == "statement"] == [7, 3]
    # At the level of sources (the command's parameters: at least 8 words), only the
    # confessions that carry the formula pair, never Trotsky's or the Commission's texts.
    formula_sources = {belie.load_case(example_case_dir).claim_by_id[x].source for x in paired}
    by_source = {x for p in reuse.pairs if p.level == "source" for x in (p.a, p.b)}
    assert by_source and by_source <= formula_sources
    later = {(p.a, p.b) for p in reuse.pairs if p.direction == EARLIER_LATER}
    assert ("zinoviev-formula", "pyatakov-formula") in later
    assert all(b in ("pyatakov-formula", "radek-formula") for _, b in later)
