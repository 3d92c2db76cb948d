"""The schema (src/belie/data/schema.yaml) is the one description of the case file: the
loader, `import-csv`, the exports and docs/casefile.md must all agree with it.

Every test here builds its input from the schema itself, so a key added to the schema but
not read (or not written) by one of them fails here, naming the kind and the key.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from belie.errors import InputError
from belie.model import schema as S
from belie.model.csvimport import KNOWN, claims_to_yaml, read_claims_csv
from belie.model.loading import load_case
from belie.report import export

ROOT = Path(__file__).resolve().parents[2]


# -- a case made from the schema: one entity of every type, one claim of every kind,
#    scope and optional key ------------------------------------------------------------

def _entities() -> dict[str, dict]:
    out = {}
    for t in S.SCHEMA.entity_types:
        for i in (1, 2, 3):
            spec: dict = {"type": t, "names": [f"{t} {i}"]}
            if t == "place":
                spec["at"] = [45.0 + i, 4.0 + i]
            out[f"{t}{i}"] = spec
    return out


def _entity_value(k: S.KeySpec, offset: int = 0):
    t = (k.refs or ("person",))[0]
    n = k.count if k.count and k.count > 1 else (k.min or (1 if k.is_list else None))
    if n is None:
        return f"{t}{1 + offset % 3}"
    return [f"{t}{1 + (i + offset) % 3}" for i in range(n)]


def _sample(k: S.KeySpec, enum_value=None, offset: int = 0):
    if k.value == "entity":
        return _entity_value(k, offset)
    if k.value == "date":
        return "1921-03"
    if k.value == "enum":
        return enum_value or S.SCHEMA.enum(k.enum)[0]
    if k.value == "text":
        return f"the {k.name}"
    raise AssertionError(f"no sample for value type {k.value!r} of {k.name!r}")


def _claims() -> list[dict]:
    """Every kind (and scope) with every key it takes, each key given a valid value."""
    out = []
    for kind in S.SCHEMA.kinds.values():
        scopes = list(kind.scopes) or [None]
        for scope in scopes:
            c: dict = {"id": f"{kind.name}-{scope or 'x'}", "source": "src",
                       kind.key: _sample(kind.subject, scope)}
            whole = [d.name for d in kind.date_keys if d.moment == "whole"]
            for i, (name, k) in enumerate(kind.keys.items()):
                if name in whole or name in (kind.scopes.get(scope) or {}).get("forbids", ()):
                    continue          # `when` or `throughout`, not both (below); nothing a scope refuses
                by = (kind.scopes.get(scope) or {}).get("by") if name == "by" else None
                c[name] = S.SCHEMA.enum(by)[0] if by else _sample(k, offset=i)
            # Every common key but the id and source, each with a valid value.
            for name, k in S.SCHEMA.claim_common_keys.items():
                if name not in c:
                    c[name] = {"bool": True, "id": f"event-{kind.name}"}.get(k.value) or _sample(k)
            out.append(c)
            if whole:
                d = {key: v for key, v in c.items() if key not in ("when", "denies")}
                d["id"] = c["id"] + "-whole"
                d[whole[0]] = "1921-04"
                out.append(d)
    return out


def _write_case(folder: Path, claims: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"case": "schema", "entities": _entities(),
           "sources": {"src": {"kind": S.SOURCE_KINDS[0], "said": "1922"}}, "claims": claims}
    (folder / "case.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def every_claim(tmp_path_factory):
    claims = _claims()
    case = load_case(_write_case(tmp_path_factory.mktemp("schema") / "case", claims))
    return claims, case


def test_the_schema_names_nothing_it_does_not_define():
    # parse_schema checks its own references; a broken copy must be refused.
    doc = yaml.safe_load((ROOT / "src/belie/data/schema.yaml").read_text(encoding="utf-8"))
    S.parse_schema(doc)
    doc["claim_kinds"]["presence"]["keys"]["where"]["refs"] = ["castle"]
    with pytest.raises(ValueError, match="castle"):
        S.parse_schema(doc)


def test_loader_reads_every_key_of_every_kind_into_its_field(every_claim):
    claims, case = every_claim
    by_id = {c.id: c for c in case.claims}
    assert set(by_id) == {c["id"] for c in claims}
    for spec in claims:
        c = by_id[spec["id"]]
        kind = S.SCHEMA.kinds[c.kind]
        assert spec[kind.key] is not None and c.kind == kind.name
        for name, k in [(kind.key, kind.subject), *kind.keys.items()]:
            if name not in spec or k.value == "date":
                continue
            got = getattr(c, k.field)
            want = spec[name]
            if k.value == "entity":
                want = tuple(want) if isinstance(want, list) else want
                got = got if not (isinstance(got, tuple) and not k.is_list) else got[0]
            assert got == want, (c.kind, name)
        dated = [d for d in kind.date_keys if d.name in spec]
        assert c.when is not None and c.when.text == spec[dated[0].name]
        assert c.throughout == (dated[0].moment == "whole")


@pytest.mark.parametrize("kind", list(S.SCHEMA.kinds))
def test_loader_refuses_a_key_of_another_kind_and_requires_what_the_schema_requires(tmp_path, kind):
    ks = S.SCHEMA.kinds[kind]
    full = next(c for c in _claims() if ks.key in c)
    foreign = next(k for k in S.SCHEMA.claim_keys if k not in ks.keys)
    with pytest.raises(InputError) as exc:
        load_case(_write_case(tmp_path / "a", [{**full, foreign: "x"}]))
    assert f"key {foreign!r} does not belong in a {kind} claim" in str(exc.value)
    for k in ks.keys.values():
        if not k.required:
            continue
        with pytest.raises(InputError) as exc:
            load_case(_write_case(tmp_path / k.name, [{x: v for x, v in full.items() if x != k.name}]))
        assert f"`{k.name}`" in str(exc.value) or f"{k.name}:" in str(exc.value), (kind, k.name)


def test_loader_refuses_references_to_the_wrong_entity_type(tmp_path):
    for c in _claims():
        ks = S.SCHEMA.kinds[next(k for k in S.SCHEMA.kinds if S.SCHEMA.kinds[k].key in c)]
        for name, k in ks.keys.items():
            if k.value != "entity" or not k.refs or name not in c:
                continue
            wrong = next(t for t in S.SCHEMA.entity_types if t not in k.refs)
            bad = dict(c, **{name: [f"{wrong}1"] if k.is_list else f"{wrong}1"})
            with pytest.raises(InputError) as exc:
                load_case(_write_case(tmp_path / f"{c['id']}-{name}", [bad]))
            an = "an" if wrong[0] in "aeiou" else "a"
            assert f"is {an} {wrong}, expected a {' or '.join(k.refs)}" in str(exc.value)


def test_a_scope_refuses_the_keys_the_schema_says(tmp_path):
    for c in _claims():
        kind = next(k for k in S.SCHEMA.kinds.values() if k.key in c)
        scope = kind.scopes.get(c[kind.key]) if kind.scopes else None
        for k in (scope or {}).get("forbids", ()):
            bad = dict(c, **{k: _sample(kind.keys[k])})
            with pytest.raises(InputError) as exc:
                load_case(_write_case(tmp_path / f"{c['id']}-{k}", [bad]))
            assert f"key {k!r} does not belong in a {kind.name} claim of scope {c[kind.key]!r}" in str(exc.value)


def test_entity_keys_belong_to_the_types_the_schema_says(tmp_path):
    for name, k in S.SCHEMA.entity_keys.items():
        if k.wrong_type is None:
            continue
        wrong = next(t for t in S.SCHEMA.entity_types if not k.allowed_for(t))
        value = {"coordinates": [1.0, 2.0], "date": "1900", "entity": "place1", "speed": 120,
                 "text": "Europe/Paris"}[k.value]
        folder = tmp_path / name
        _write_case(folder, [])
        doc = yaml.safe_load((folder / "case.yaml").read_text())
        doc["entities"]["x"] = {"type": wrong, name: value}
        (folder / "case.yaml").write_text(yaml.safe_dump(doc))
        with pytest.raises(InputError) as exc:
            load_case(folder)
        assert k.wrong_type in str(exc.value)


def test_export_writes_exactly_the_schema_keys_of_each_claim(every_claim):
    claims, case = every_claim
    by_id = {c["id"]: c for c in claims}
    for c in case.claims:
        rec = export.claim_record(c)
        assert rec == by_id[c.id], c.kind
    cols = set(export.CSV_COLUMNS)
    assert S.SCHEMA.all_claim_keys() - {a for k in S.SCHEMA.kinds.values() for a in k.aliases} <= cols
    assert set(KNOWN) == S.SCHEMA.all_claim_keys()


def test_csv_export_and_import_round_trip_every_kind(every_claim, tmp_path):
    claims, case = every_claim
    from belie.rules import CheckResult

    import csv
    import io

    # The export's computed columns (edtf, bounds, findings) are not case-file keys: drop them.
    rows = list(csv.reader(io.StringIO(export.to_csv(case, CheckResult(case=case, findings=[])))))
    keep = [i for i, h in enumerate(rows[0]) if h in S.SCHEMA.all_claim_keys()]
    assert len(keep) == len(rows[0]) - 4
    sheet = tmp_path / "claims.csv"
    with sheet.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([[r[i] for i in keep] for r in rows])
    back = read_claims_csv(sheet)
    # A register's empty `lists` is an empty cell in a sheet, which the import leaves out.
    want = [export.claim_record(c) for c in case.claims]
    assert [{k: v for k, v in w.items() if v != []} for w in want] == back
    folder = _write_case(tmp_path / "again", [])
    (folder / "claims").mkdir()
    (folder / "claims" / "sheet.yaml").write_text(claims_to_yaml(back), encoding="utf-8")
    again = load_case(folder)
    assert [export.claim_record(c) for c in again.claims] == [export.claim_record(c) for c in case.claims]


def test_docs_casefile_key_tables_match_the_schema():
    doc = (ROOT / "docs" / "casefile.md").read_text(encoding="utf-8")
    assert S.render_doc(doc) == doc, "docs/casefile.md is stale: run python -m belie.model.schema --write"
    for kind in S.SCHEMA.kinds.values():
        for name, k in kind.keys.items():
            assert f"| `{name}` |" in doc and k.doc in doc
