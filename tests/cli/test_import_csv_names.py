"""import-csv: entities by name, mistakes at the sheet's own row and column, and a sheet
written by `belie export --to csv` read back as the same claims."""
from __future__ import annotations

import dataclasses
import shutil

from belie.model.loading import load_case

from .test_cli import run

CASE = """\
case: import by name
entities:
  vell:  {type: person, names: [Rhona Vell, Cllr Vell]}
  amis:  {type: person, names: [Dan Amis]}
  derby: {type: place, names: [Derby], at: [52.92, -1.48]}
  hall:  {type: place, names: [Town Hall], at: [53.02, -1.73]}
  inn:   {type: place, names: [Town Hall], at: [53.00, -1.70]}
sources:
  cams: {kind: record, said: 2024-03-14}
"""


def _case(tmp_path):
    folder = tmp_path / "case"
    (folder / "claims").mkdir(parents=True)
    (folder / "case.yaml").write_text(CASE, encoding="utf-8")
    return folder


def test_cells_may_name_entities_by_their_names(tmp_path):
    case = _case(tmp_path)
    sheet = tmp_path / "cams.csv"
    sheet.write_text("source,meeting,where,when\n"
                     "cams,\"Rhona Vell; dan amis\",DERBY,2024-03-14\n", encoding="utf-8")
    out = run("import-csv", str(sheet), "--case", str(case), "-o", str(case / "claims" / "cams.yaml"))
    assert out.returncode == 0, out.stderr
    (c,) = load_case(case).claims
    assert c.people == ("vell", "amis") and c.where == "derby"


def test_mistakes_are_reported_at_the_sheets_row_and_column(tmp_path):
    case = _case(tmp_path)
    sheet = tmp_path / "cams.csv"
    sheet.write_text("source,presence,where,when\n"
                     "cams,vell,derby,2024-03-14\n"
                     "cams,Rhona Vel,derby,2024-03-14\n"
                     "cams,vell,Town Hall,2024-03-14\n", encoding="utf-8")
    target = case / "claims" / "cams.yaml"
    out = run("import-csv", str(sheet), "--case", str(case), "-o", str(target))
    assert out.returncode == 2
    assert f"{sheet}:3:2: presence: unknown entity 'Rhona Vel' (did you mean 'vell', Rhona Vell?)" in out.stderr
    assert f"{sheet}:4:3: where: 'Town Hall' names 2 entities (hall, inn): write the id" in out.stderr
    assert "cams.yaml" not in out.stderr            # never the YAML that was not written
    assert not target.exists()


def _claims(case):
    skip = {"file", "line", "raw"}
    return {c.id: {f.name: getattr(c, f.name) for f in dataclasses.fields(c) if f.name not in skip}
            for c in case.claims}


def test_an_exported_sheet_reads_back_as_the_same_claims(tmp_path, example_case_dir):
    original = tmp_path / "a"
    shutil.copytree(example_case_dir, original, ignore=shutil.ignore_patterns(".belie"))
    sheet = tmp_path / "claims.csv"
    out = run("export", str(original), "--to", "csv", "-o", str(sheet))
    assert out.returncode == 0, out.stderr
    assert "edtf" in sheet.read_text(encoding="utf-8").splitlines()[0]
    again = tmp_path / "b"
    shutil.copytree(original, again)
    for f in (again / "claims").glob("*.yaml"):
        f.unlink()
    out = run("import-csv", str(sheet), "--case", str(again), "-o", str(again / "claims" / "all.yaml"))
    assert out.returncode == 0, out.stderr
    before, after = _claims(load_case(original)), _claims(load_case(again))
    assert len(before) > 100
    assert after == before
