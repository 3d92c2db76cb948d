"""Claims in bulk (JSON Lines, CSV, Parquet under claims/): read as the same claims as YAML,
and every problem named by file, line (row) and column (key)."""
from __future__ import annotations

import json
import sys

import pytest

from belie.errors import InputError
from belie.model.loading import load_case

HEAD = """case: Bulk
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
    {"id": "a2", "source": "conf", "meeting": ["anna", "boris"], "where": "lyon", "when": "1921-03-10"},
    {"id": "a3", "source": "conf", "presence": "boris", "where": "paris", "when": "1921-03-10",
     "denies": True},
]


def _folder(tmp_path, name: str, text: str | bytes | None = None):
    (tmp_path / "claims").mkdir(parents=True)
    (tmp_path / "case.yaml").write_text(HEAD, encoding="utf-8")
    if text is not None:
        target = tmp_path / "claims" / name
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
    return tmp_path


def _problems(folder):
    with pytest.raises(InputError) as exc:
        load_case(folder)
    return [(p.file.rsplit("/", 1)[-1], p.line, p.column, p.message) for p in exc.value.problems]


def _yaml_twin(tmp_path):
    twin = tmp_path / "yaml"
    twin.mkdir()
    (twin / "case.yaml").write_text(HEAD + "claims:\n" + "".join(
        f"  - {json.dumps(c)}\n" for c in CLAIMS), encoding="utf-8")
    return load_case(twin)


def _same_claims(a, b):
    key = lambda c: (c.id, c.kind, c.people, c.where, repr(c.when), c.throughout, c.denies, c.source)  # noqa: E731
    assert [key(c) for c in a.claims] == [key(c) for c in b.claims]


def test_json_lines_give_the_same_claims_as_yaml(tmp_path):
    folder = _folder(tmp_path / "j", "c.jsonl", "".join(json.dumps(c) + "\n\n" for c in CLAIMS))
    case = load_case(folder)
    _same_claims(case, _yaml_twin(tmp_path))
    assert [(c.file.rsplit("/", 1)[-1], c.line) for c in case.claims] == \
        [("c.jsonl", 1), ("c.jsonl", 3), ("c.jsonl", 5)]


def test_json_lines_problems_name_line_and_key_column(tmp_path):
    lines = [json.dumps(CLAIMS[0]),
             '{"id": "b2", "source": "reg", "presence": "anna", "where": "nowhere"}',
             '{"id": "b3", "source": "reg",, "presence": "anna"}',
             '{"id": "b4", "id": "b5"}']
    folder = _folder(tmp_path, "c.jsonl", "\n".join(lines) + "\n")
    assert _problems(folder) == [
        ("c.jsonl", 3, 30, "not valid JSON: Expecting property name enclosed in double quotes"),
        ("c.jsonl", 4, 14, "duplicate key 'id'"),
    ]
    (folder / "claims" / "c.jsonl").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    assert _problems(folder) == [("c.jsonl", 2, 51, "where: unknown entity 'nowhere'")]


def test_csv_gives_the_same_claims_as_yaml(tmp_path):
    sheet = ("id,source,presence,meeting,where,when,throughout,denies\n"
             "a1,reg,anna,,paris,,1921-03-01/1921-03-20,\n"
             "a2,conf,,[anna, boris],lyon,1921-03-10,,\n"
             ",,,,,,,\n"
             "a3,conf,boris,,paris,1921-03-10,,yes\n")
    # "[anna, boris]" unquoted would split in two cells: quote it as a sheet would.
    sheet = sheet.replace("[anna, boris]", '"[anna, boris]"')
    case = load_case(_folder(tmp_path / "c", "c.csv", sheet))
    _same_claims(case, _yaml_twin(tmp_path))
    assert [c.line for c in case.claims] == [2, 3, 5]


def test_csv_problems_name_the_row_line_and_cell_column(tmp_path):
    folder = _folder(tmp_path, "c.csv", "id,source,presence,where,denies\n"
                                        "a1,reg,anna,nowhere,\n"
                                        "a2,reg,anna,paris,perhaps\n")
    assert _problems(folder) == [("c.csv", 3, 5, "denies: expected yes or no, got 'perhaps'")]
    (folder / "claims" / "c.csv").write_text("id,source,presence,were\n", encoding="utf-8")
    assert _problems(folder) == [("c.csv", 1, 4, "unknown column 'were' (did you mean 'where'?)")]
    (folder / "claims" / "c.csv").write_text("id,source,presence,where\na1,reg,anna,nowhere\n",
                                             encoding="utf-8")
    assert _problems(folder) == [("c.csv", 2, 4, "where: unknown entity 'nowhere'")]


def test_parquet_gives_the_same_claims_and_names_row_and_column(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    keys = list(dict.fromkeys(k for c in CLAIMS for k in c))
    folder = _folder(tmp_path / "p", "c.parquet")
    pq.write_table(pa.table({k: [c.get(k) for c in CLAIMS] for k in keys}), folder / "claims" / "c.parquet")
    case = load_case(folder)
    _same_claims(case, _yaml_twin(tmp_path))
    assert [c.line for c in case.claims] == [1, 2, 3]

    bad = [dict(CLAIMS[0]), dict(CLAIMS[1], where="nowhere")]
    pq.write_table(pa.table({k: [c.get(k) for c in bad] for k in keys}), folder / "claims" / "c.parquet")
    assert _problems(folder) == [("c.parquet", 2, keys.index("where") + 1, "where: unknown entity 'nowhere'")]


def test_parquet_without_pyarrow_says_what_to_install(tmp_path, monkeypatch):
    folder = _folder(tmp_path, "c.parquet", b"PAR1 not really")
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    [(_, line, col, message)] = _problems(folder)
    assert "needs pyarrow" in message and "belie[bulk]" in message
