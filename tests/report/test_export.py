"""`belie export`: FollowTheMoney that the real followthemoney reads and validates,
JSON, CSV and Markdown that carry every claim, and dates that never claim more
precision than the case has."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import belie
from belie.report import export

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "moscow-1936"
SPEC_EXAMPLE = ROOT.parent / "shared" / "spec" / "example" / "case.yaml"

SMALL = """
case: Export test
entities:
  marchand: {type: person, names: [Paul Marchand, P. Marchand], lived: 1880-05-02/1950}
  dubois:   {type: person, names: [Dubois]}
  lyon:     {type: place, names: [Lyon, Lyons], at: [45.76, 4.84]}
  nice:     {type: place, names: [Nice], at: [43.70, 7.27]}
  cafe:     {type: place, names: [Grand Café], within: lyon, existed: ../1919-06}
  italy:    {type: power, names: [Italy]}
  gazette:  {type: organisation, names: [La Gazette]}
sources:
  hotel-register: {kind: record, said: 1921-03-21}
  dubois-statement: {kind: confession, speaker: dubois, said: 1923-02-14, file: sources/dubois.txt}
  gazette-1923: {kind: press, speaker: gazette, voice: italy, said: 1923}
claims:
  - {id: stay, source: hotel-register, presence: marchand, where: nice, throughout: 1932-11-23/1932-12-02}
  - {id: month, source: dubois-statement, presence: marchand, where: lyon, when: 1932-11}
  - {id: day, source: dubois-statement, meeting: [dubois, marchand], where: cafe, when: 1932-11-27,
     quote: "We met at the Grand Café, | *of course* <b>bold</b>"}
  - {id: vague, source: dubois-statement, travel: marchand, from: nice, to: lyon, when: end of July 1933, by: rail}
  - {id: across, source: dubois-statement, message: [marchand, dubois], by: letter, when: 1932-12-20/1933-01-10}
  - {id: charge, source: gazette-1923, accuses: marchand, serving: italy, during: 1921/1922}
  - {id: said, source: dubois-statement, statement: "Marchand ordered me to destroy the ledgers.", about: [marchand]}
  - {source: hotel-register, existed: cafe, during: 1890/1919-06}
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    d = tmp_path_factory.mktemp("export-case")
    (d / "case.yaml").write_text(textwrap.dedent(SMALL), encoding="utf-8")
    (d / "sources").mkdir()
    (d / "sources" / "dubois.txt").write_text("I met Marchand at the Grand Café.\n", encoding="utf-8")
    case = belie.load_case(d)
    return case, belie.check(case)


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    if (EXAMPLE / "case.yaml").is_file():
        folder = EXAMPLE
    elif SPEC_EXAMPLE.is_file():
        folder = tmp_path_factory.mktemp("spec-example")
        shutil.copy(SPEC_EXAMPLE, folder / "case.yaml")
    else:
        pytest.skip("no example case")
    case = belie.load_case(folder)
    return case, belie.check(case)


def entities(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def by_record(ents: list[dict], record_id: str, schema: str | None = None) -> dict:
    hits = [e for e in ents if record_id in e["properties"].get("recordId", [])
            and (schema is None or e["schema"] == schema)]
    assert len(hits) == 1, (record_id, schema, hits)
    return hits[0]


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize("lo, hi, expected", [
    ("1932-11-27", "1932-11-27", "1932-11-27"),
    ("1932-11-01", "1932-11-30", "1932-11"),
    ("1933-07-21", "1933-07-31", "1933-07"),       # "end of July 1933"
    ("1932-11-23", "1932-12-02", "1932"),
    ("1932-12-20", "1933-01-10", None),
    (None, "1917-12-31", None),
])
def test_date_prefix_never_claims_more_than_the_bounds(lo, hi, expected):
    d = (lambda s: None if s is None else dt.date.fromisoformat(s))
    assert export.date_prefix(d(lo), d(hi)) == expected


def test_ftm_dates_are_safe_prefixes_with_the_text_kept(small):
    case, result = small
    ents = entities(export.export_case(case, "ftm", result))
    month = by_record(ents, "month", "Event")["properties"]
    assert month["date"] == ["1932-11"] and "startDate" not in month
    day = by_record(ents, "day", "Event")["properties"]
    assert day["date"] == ["1932-11-27"]
    vague = by_record(ents, "vague", "Trip")["properties"]
    assert vague["date"] == ["1933-07"]
    assert "end of July 1933" in vague["description"][0]
    stay = by_record(ents, "stay", "Event")["properties"]       # a documented stay: its whole span
    assert (stay["date"], stay["startDate"], stay["endDate"]) == (["1932"], ["1932-11-23"], ["1932-12-02"])
    across = by_record(ents, "across", "Event")["properties"]   # no common prefix: the bounds
    assert "date" not in across
    assert (across["startDate"], across["endDate"]) == (["1932-12-20"], ["1933-01-10"])
    charge = by_record(ents, "charge", "UnknownLink")["properties"]
    assert (charge["startDate"], charge["endDate"]) == (["1921"], ["1922"])
    person = next(e for e in ents if e["schema"] == "Person" and "Paul Marchand" in e["properties"]["name"])
    assert person["properties"]["birthDate"] == ["1880-05-02"] and person["properties"]["deathDate"] == ["1950"]


# ------------------------------------------------------------------ FollowTheMoney


def test_ftm_lines_parse_in_followthemoney(small):
    pytest.importorskip("followthemoney")
    from followthemoney import model

    case, result = small
    text = export.export_case(case, "ftm", result)
    ents = entities(text)
    ids = [e["id"] for e in ents]
    assert len(ids) == len(set(ids))
    proxies = [model.get_proxy(e, cleaned=False) for e in ents]
    schemas = {p.schema.name for p in proxies}
    assert {"Person", "Address", "PublicBody", "Organization", "Document", "Documentation",
            "Event", "Note", "UnknownLink"} <= schemas
    known = set(ids)
    for p in proxies:
        for prop, value in p.itervalues():
            if prop.type.name == "entity":
                assert value in known, f"{p.schema.name}.{prop.name} points at nothing"
        for name in p.schema.required:
            assert p.get(name), f"{p.schema.name} lacks its required {name}"
    # Places keep their coordinates; every claim is documented by its source's Document.
    lyon = next(p for p in proxies if p.schema.name == "Address" and "Lyon" in p.get("name"))
    assert lyon.get("latitude") == ["45.760000"] and lyon.get("longitude") == ["4.840000"]
    docs = {p.id: p for p in proxies if p.schema.name == "Document"}
    documented = {v for p in proxies if p.schema.name == "Documentation" for v in p.get("recordId")}
    assert documented == {c.id for c in case.claims}
    dubois = next(d for d in docs.values() if d.get("title") == ["dubois-statement"])
    sha1 = __import__("hashlib").sha1((case.root / "sources" / "dubois.txt").read_bytes()).hexdigest()
    assert dubois.get("contentHash") == [sha1]
    assert any(n.startswith("SHA-256 ") for n in dubois.get("notes"))
    # Findings become notes on the claims they involve.
    notes = [p for p in proxies if p.schema.name == "Note" and p.get("name")]
    assert len([n for n in notes if n.get("summary") and "belie finding" in n.get("summary")[0]]) == len(result.findings)


def test_ftm_ids_are_stable(small):
    case, result = small
    assert export.export_case(case, "ftm", result) == export.export_case(case, "ftm", belie.check(case))


def _ftm_cli() -> str | None:
    here = Path(sys.executable).parent / "ftm"
    return str(here) if here.is_file() else shutil.which("ftm")


@pytest.mark.parametrize("which", ["small", "example"])
def test_ftm_validate_accepts_the_export_unchanged(which, request, tmp_path):
    ftm = _ftm_cli()
    if ftm is None:
        pytest.skip("the `ftm` command (followthemoney) is not installed")
    case, result = request.getfixturevalue(which)
    src = tmp_path / "case.ftm.json"
    src.write_text(export.export_case(case, "ftm", result), encoding="utf-8")
    out = tmp_path / "valid.ftm.json"
    proc = subprocess.run([ftm, "validate", "-i", str(src), "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    before, after = entities(src.read_text(encoding="utf-8")), entities(out.read_text(encoding="utf-8"))
    assert [e["id"] for e in after] == [e["id"] for e in before]
    for a, b in zip(before, after):
        assert a["schema"] == b["schema"]
        for prop, values in a["properties"].items():
            assert sorted(b["properties"].get(prop, [])) == sorted(values), \
                f"ftm validate changed or dropped {a['schema']}.{prop}: {values}"


# ------------------------------------------------------------------ JSON, CSV, Markdown


@pytest.mark.parametrize("which", ["small", "example"])
def test_json_carries_every_claim_with_its_dates_and_findings(which, request):
    case, result = request.getfixturevalue(which)
    d = json.loads(export.export_case(case, "json", result))
    assert d["format"] == "belie-export" and d["version"] == export.EXPORT_VERSION
    assert [c["id"] for c in d["claims"]] == [c.id for c in case.claims]
    assert {s["id"] for s in d["sources"]} == set(case.sources)
    assert {e["id"] for e in d["entities"]} == set(case.entities)
    assert len(d["findings"]) == len(result.findings)
    fids = {f["id"] for f in d["findings"]}
    for c, row in zip(case.claims, d["claims"]):
        if c.when is not None:
            assert row["date"]["text"] == c.when.text and row["date"]["edtf"] == c.when.edtf
            assert row["date"]["earliest"] == (c.when.earliest.isoformat() if c.when.earliest else None)
            assert row["date"]["latest"] == (c.when.latest.isoformat() if c.when.latest else None)
        assert set(row["findings"]) <= fids
    for f in d["findings"]:
        for cid in f["claims"]:
            row = next(r for r in d["claims"] if r["id"] == cid)
            assert f["id"] in row["findings"]


def test_json_claims_use_the_case_file_keys(small):
    case, result = small
    d = json.loads(export.export_case(case, "json", result))
    row = {r["id"]: r for r in d["claims"]}
    assert row["stay"]["presence"] == "marchand" and row["stay"]["throughout"] == "1932-11-23/1932-12-02"
    assert row["vague"]["from"] == "nice" and row["vague"]["when"] == "end of July 1933"
    assert row["vague"]["date"]["edtf"] == "1933-07-21/1933-07-31"
    assert row["charge"]["accuses"] == "marchand" and row["charge"]["serving"] == "italy"
    dub = next(s for s in d["sources"] if s["id"] == "dubois-statement")
    assert re.fullmatch(r"[0-9a-f]{64}", dub["sha256"])


@pytest.mark.parametrize("which", ["small", "example"])
def test_csv_has_one_row_a_claim(which, request):
    case, result = request.getfixturevalue(which)
    text = export.export_case(case, "csv", result)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0].keys()) == export.CSV_COLUMNS
    assert [r["id"] for r in rows] == [c.id for c in case.claims]
    for c, r in zip(case.claims, rows):
        assert r["source"] == c.source
        if c.when is not None:
            assert r["edtf"] == c.when.edtf
            assert r["earliest"] == (c.when.earliest.isoformat() if c.when.earliest else "")
    touched = {cid for f in result.findings for cid in f.claims}
    assert {r["id"] for r in rows if r["findings"]} == touched


def test_csv_values_read_back_as_the_case_file_writes_them(small):
    case, result = small
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(export.export_case(case, "csv", result)))}
    assert rows["day"]["meeting"] == "dubois; marchand"
    assert rows["day"]["quote"] == "We met at the Grand Café, | *of course* <b>bold</b>"
    assert rows["vague"]["when"] == "end of July 1933"
    assert (rows["vague"]["edtf"], rows["vague"]["earliest"], rows["vague"]["latest"]) == \
        ("1933-07-21/1933-07-31", "1933-07-21", "1933-07-31")


@pytest.mark.parametrize("which", ["small", "example"])
def test_markdown_dossier_lists_findings_then_every_claim_by_source(which, request):
    case, result = request.getfixturevalue(which)
    text = export.export_case(case, "markdown", result)
    head, _, claims_part = text.partition("## Claims by source")
    assert claims_part, "no claims section"
    for fid in export.finding_ids(result.findings):
        assert f'<a id="{fid}"></a>' in head
    listed = re.findall(r"^- `([^`]+)`", claims_part, flags=re.M)
    assert sorted(listed) == sorted(c.id for c in case.claims)


def test_markdown_makes_case_text_inert(small):
    case, result = small
    text = export.export_case(case, "markdown", result)
    assert "<b>bold</b>" not in text
    assert r"\<b\>bold\</b\>" in text and r"\*of course\*" in text and r"\|" in text


# ------------------------------------------------------------------ the command


def test_export_command_writes_stdout_or_a_file(small, tmp_path):
    case, _ = small
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    run = lambda *a: subprocess.run([sys.executable, "-m", "belie.cli", "export", *a],  # noqa: E731
                                    capture_output=True, text=True, env=env, timeout=300)
    out = run(str(case.root), "--to", "csv")
    assert out.returncode == 0, out.stderr
    assert len(list(csv.DictReader(io.StringIO(out.stdout)))) == len(case.claims)
    target = tmp_path / "out" / "case.json"
    out = run(str(case.root), "--to", "json", "-o", str(target))
    assert out.returncode == 0, out.stderr
    assert len(json.loads(target.read_text(encoding="utf-8"))["claims"]) == len(case.claims)
    assert [p.name for p in target.parent.iterdir()] == ["case.json"]
    bad = run(str(case.root), "--to", "xml")
    assert bad.returncode == 2 and "xml" in bad.stderr
    helped = run("--help")
    assert "Example" in helped.stdout


OBJECTS = """
case: A thing that moves
entities:
  ana:   {type: person, names: [Ana]}
  van:   {type: object, names: [the white van, the van], speed: 120}
  lyon:  {type: place, names: [Lyon], at: [45.76, 4.84]}
  nice:  {type: place, names: [Nice], at: [43.70, 7.27]}
sources:
  log: {kind: record, said: 2021-06-01}
claims:
  - {id: seen, source: log, presence: van, where: lyon, when: 2021-05-04}
  - {id: met, source: log, meeting: [ana, van], where: lyon, when: 2021-05-04}
  - {id: trip, source: log, travel: van, from: lyon, to: nice, when: 2021-05-05, by: road}
  - {id: gate, source: log, register: present, at: nice, when: 2021-05, lists: [van]}
"""


def test_ftm_gives_an_object_as_a_vehicle_and_a_journey_its_vehicle(case_from_yaml, tmp_path):
    pytest.importorskip("followthemoney")
    from followthemoney import model

    case = case_from_yaml(OBJECTS)
    text = export.export_case(case, "ftm", belie.check(case))
    proxies = [model.get_proxy(e, cleaned=False) for e in entities(text)]
    van = next(p for p in proxies if p.schema.name == "Vehicle")
    assert van.get("name") == ["the white van"] and van.get("alias") == ["the van"]
    assert "top speed 120 km/h" in van.get("description")[0]
    trip = next(p for p in proxies if p.schema.name == "Trip")
    assert trip.get("vehicle") == [van.id]
    for p in proxies:
        if p.schema.name in ("Event", "Trip"):
            assert van.id not in p.get("involved")      # `involved` takes legal entities only
    ftm = _ftm_cli()
    if ftm is not None:
        src = tmp_path / "o.ftm.json"
        src.write_text(text, encoding="utf-8")
        proc = subprocess.run([ftm, "validate", "-i", str(src), "-o", str(tmp_path / "v.json")],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert len(entities((tmp_path / "v.json").read_text(encoding="utf-8"))) == len(proxies)


def test_json_and_csv_carry_an_object_and_a_present_register(case_from_yaml):
    case = case_from_yaml(OBJECTS)
    d = json.loads(export.export_case(case, "json"))
    assert {"id": "van", "type": "object", "speed": 120.0}.items() <= next(
        e for e in d["entities"] if e["id"] == "van").items()
    gate = next(c for c in d["claims"] if c["id"] == "gate")
    assert (gate["register"], gate["at"], gate["lists"]) == ("present", "nice", ["van"])
    rows = list(csv.DictReader(io.StringIO(export.export_case(case, "csv"))))
    trip = next(r for r in rows if r["id"] == "trip")
    assert (trip["travel"], trip["from"], trip["to"], trip["by"]) == ("van", "lyon", "nice", "road")
