"""`belie truth CLAIMS.csv` as a user runs it."""
from __future__ import annotations

import json

import pytest

from belie.cli import main

CLAIMS = """source,item,value
police_report,where_arrested,Moscow
witness_a,where_arrested,Moscow
witness_b,where_arrested,Moscow
confession_1,where_arrested,Copenhagen
confession_2,where_arrested,Copenhagen
police_report,when,1932
witness_a,when,1932
confession_1,when,1936
"""


@pytest.fixture
def claims_csv(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(CLAIMS, encoding="utf-8")
    return path


def run(capsys, *args):
    code = main(["truth", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_has_truths_sources_and_copying(capsys, claims_csv):
    code, out, err = run(capsys, claims_csv, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["truths"] == {"where_arrested": "Moscow", "when": "1932"}
    assert set(data["sources"]) == {"police_report", "witness_a", "witness_b", "confession_1", "confession_2"}
    assert data["sources"]["police_report"] > data["sources"]["confession_1"]
    assert isinstance(data["copying"], list)


@pytest.mark.parametrize("method", ["majority", "truthfinder", "pooled_investment", "accucopy"])
def test_every_method_can_be_chosen(capsys, claims_csv, method):
    code, out, _ = run(capsys, claims_csv, "--method", method, "--format", "json")
    assert code == 0
    truths = json.loads(out)["truths"]
    assert truths["when"] == "1932"
    if method != "pooled_investment":
        # PooledInvestment pays a claim's backers in proportion to their stake, so on a
        # handful of claims two single-claim backers can outbid three (its reference
        # implementation, PyPI truthdiscovery, does the same here).
        assert truths["where_arrested"] == "Moscow"


def test_default_output_is_a_readable_table(capsys, claims_csv):
    code, out, _ = run(capsys, claims_csv)
    assert code == 0
    assert "where_arrested" in out and "Moscow" in out
    assert "police_report" in out and "accuracy" in out


def test_a_copying_chorus_is_listed(capsys, tmp_path):
    rows = ["source,item,value"]
    for i in range(40):
        contested = i < 10
        for k in range(3 if contested else 7):
            rows.append(f"witness{k},q{i},{'slip-%d' % k if (i + 3 * k) % 9 == 0 else 'true'}")
        for j in range(5):
            rows.append(f"confession{j},q{i},{'story' if contested or i < 15 else 'true'}")
    path = tmp_path / "chorus.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, path, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert all(data["truths"][f"q{i}"] == "true" for i in range(40))
    pairs = {frozenset(p[:2]) for p in data["copying"] if p[2] > 0.9}
    assert frozenset(("confession0", "confession4")) in pairs
    code, out, _ = run(capsys, path)
    assert "copy cluster: confession0, confession1, confession2, confession3, confession4" in out
    code, out, _ = run(capsys, path, "--method", "majority", "--format", "json")
    assert json.loads(out)["truths"]["q0"] == "story"


def test_similarity_options(capsys, tmp_path):
    times = tmp_path / "times.csv"
    times.write_text("source,item,value\na,dep,09:30\nb,dep,09:30\nc,dep,14:07\nd,dep,14:07\ne,dep,14:09\n")
    _, out, _ = run(capsys, times, "--method", "majority", "--format", "json")
    assert json.loads(out)["truths"]["dep"] == "09:30"
    _, out, _ = run(capsys, times, "--method", "majority", "--similarity", "numbers", "--tolerance", "5",
                    "--format", "json")
    assert json.loads(out)["truths"]["dep"] == "14:07"

    births = tmp_path / "births.csv"
    births.write_text("source,item,value\na,born,Chicago\nb,born,Minneapolis\nc,born,Minnesota\n")
    places = tmp_path / "places.csv"
    places.write_text("place,parent\nMinneapolis,Minnesota\nMinnesota,USA\nChicago,Illinois\nIllinois,USA\n")
    _, out, _ = run(capsys, births, "--places", places, "--format", "json")
    assert json.loads(out)["truths"]["born"] == "Minneapolis"
    hierarchy = tmp_path / "hierarchy.csv"
    hierarchy.write_text("ID,name,parentID\n0,Root,-1\n1,USA,0\n2,Minnesota,1\n3,Minneapolis,2\n4,Illinois,1\n"
                         "5,Chicago,4\n")
    _, out, _ = run(capsys, births, "--places", hierarchy, "--format", "json")
    assert json.loads(out)["truths"]["born"] == "Minneapolis"


def test_a_prior_file_weights_the_sources(capsys, tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_text("source,item,value\nrecord,x,Moscow\nc1,x,Copenhagen\nc2,x,Copenhagen\n")
    prior = tmp_path / "prior.csv"
    prior.write_text("source,prior\nrecord,0.95\nc1,0.2\nc2,0.2\n")
    _, out, _ = run(capsys, claims, "--method", "majority", "--format", "json")
    assert json.loads(out)["truths"]["x"] == "Copenhagen"
    _, out, _ = run(capsys, claims, "--method", "majority", "--prior", prior, "--format", "json")
    assert json.loads(out)["truths"]["x"] == "Moscow"


# ------------------------------------------------------------------ bad input
def test_missing_column_names_file_and_line(capsys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("source,item\na,x\n")
    code, _, err = run(capsys, path)
    assert code == 2
    assert f"{path}:1:" in err and "missing column 'value'" in err


def test_short_row_and_empty_source_are_reported_by_line(capsys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("source,item,value\na,x,1\nb,x\n,x,2\n")
    code, _, err = run(capsys, path)
    assert code == 2
    assert f"{path}:3:" in err and f"{path}:4:" in err and "empty source" in err


def test_unreadable_files(capsys, tmp_path):
    code, _, err = run(capsys, tmp_path / "absent.csv")
    assert code == 2 and "absent.csv" in err and "cannot read" in err
    binary = tmp_path / "latin1.csv"
    binary.write_bytes("source,item,value\nS\xe9bastien,x,1\n".encode("latin-1"))
    code, _, err = run(capsys, binary)
    assert code == 2 and f"{binary}:2:" in err and "UTF-8" in err
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    code, _, err = run(capsys, empty)
    assert code == 2 and "header" in err


def test_bad_prior_file(capsys, tmp_path, claims_csv):
    prior = tmp_path / "prior.csv"
    prior.write_text("source,prior\npolice_report,high\n")
    code, _, err = run(capsys, claims_csv, "--prior", prior)
    assert code == 2 and f"{prior}:2:" in err and "not a number" in err


def test_help_shows_an_example(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "belie truth claims.csv" in out and "source,item,value" in out


def test_priors_expose_a_small_chorus_when_false_values_are_many(capsys, tmp_path):
    rows = ["source,item,value"]
    honest = {"meeting_place": "Hotel Metropol", "courier": "Gaven", "letter_handed_over": "no",
              "meeting_date": "1932-11"}
    story = {"meeting_place": "Hotel Bristol", "courier": "Holtzman", "letter_handed_over": "yes",
             "meeting_date": "1932-11"}
    for s in ("register", "witness_a", "witness_b"):
        rows += [f"{s},{k},{v}" for k, v in honest.items()]
    for s in ("confession_1", "confession_2", "confession_3", "confession_4"):
        rows += [f"{s},{k},{v}" for k, v in story.items()]
    claims = tmp_path / "claims.csv"
    claims.write_text("\n".join(rows) + "\n")
    prior = tmp_path / "prior.csv"
    prior.write_text("source,prior\nregister,0.95\nwitness_a,0.6\nwitness_b,0.6\n"
                     "confession_1,0.3\nconfession_2,0.3\nconfession_3,0.3\nconfession_4,0.3\n")
    _, out, _ = run(capsys, claims, "--method", "majority", "--format", "json")
    assert json.loads(out)["truths"]["meeting_place"] == "Hotel Bristol"
    code, out, _ = run(capsys, claims, "--prior", prior, "--false-values", "10", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["truths"] == honest
    chorus = {frozenset(p[:2]) for p in data["copying"]}
    assert frozenset(("confession_1", "confession_4")) in chorus
    assert not any(p[0].startswith(("register", "witness")) for p in data["copying"])
    code, _, err = run(capsys, claims, "--method", "majority", "--false-values", "10")
    assert code == 2 and "accucopy" in err
