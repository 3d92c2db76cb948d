"""`belie import-csv SHEET.csv`: a spreadsheet of claims to claim YAML."""
from __future__ import annotations

from pathlib import Path

import click


@click.command("import-csv")
@click.argument("sheet", type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the YAML here (atomically), e.g. CASE/claims/sheet.yaml; default: standard output.")
@click.option("--case", "case_dir", type=click.Path(file_okay=False),
              help="Check the claims against this case (entities, sources) before writing.")
def command(sheet, output, case_dir):
    """Turn a spreadsheet of claims into claim YAML.

    One claim a row; the columns are named as the case-file keys (source, presence,
    where, when, meeting, event, quote, denies, ...). Several entities in one cell are
    written `[a, b]` or `a; b`. Every row must name exactly one claim kind. With --case,
    a cell may name an entity by one of its names as well as by its id, and the claims
    are checked against that case's entities and sources; a mistake is reported at the
    sheet's own row and column. A sheet written by `belie export --to csv` reads back
    (its computed columns edtf, earliest, latest and findings are skipped).

    \b
    Example:
      belie import-csv sheet.csv --case examples/moscow-1936 -o examples/moscow-1936/claims/sheet.yaml
    """
    from belie.errors import InputError, Problem
    from belie.model.dates import plural
    from belie.model.csvimport import claims_to_yaml, read_claims_csv_located, resolve_names, sheet_position

    claims, where = read_claims_csv_located(sheet)
    if case_dir:
        import shutil
        import tempfile

        from belie.model.loading import load_case

        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(case_dir, tmp, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".belie"))
            target = Path(tmp) / "claims" / (Path(output).name if output else "imported.yaml")
            if output and target.exists():
                target.unlink()                 # the sheet replaces its earlier import
            try:
                entities = load_case(tmp).entities
            except InputError:
                entities = None                 # the case's own problems are reported below
            ambiguous: list[Problem] = []
            if entities is not None:
                claims = resolve_names(claims, entities, where, str(sheet), ambiguous)
            target.parent.mkdir(exist_ok=True)
            target.write_text(claims_to_yaml(claims), encoding="utf-8")
            problems = list(ambiguous)
            taken = {(p.line, p.column) for p in ambiguous}
            try:
                load_case(tmp)
            except InputError as exc:
                # Name the files the user knows: the sheet's row and column for its claims,
                # the case's own files for the rest; never the scratch copy.
                for p in exc.problems:
                    if Path(p.file).resolve() == target.resolve():
                        line, col = sheet_position(claims, where, p.line, p.column, p.message) or (None, None)
                        if (line, col) not in taken:        # an ambiguous name, said once
                            problems.append(Problem(str(sheet), line, col, p.message))
                    else:
                        problems.append(Problem(p.file.replace(tmp, str(case_dir)), p.line, p.column, p.message))
            if problems:
                problems.sort(key=lambda p: (p.file != str(sheet), p.line or 0, p.column or 0))
                raise InputError(problems)
    text = claims_to_yaml(claims)
    if output:
        from belie.util import atomic_write_text

        atomic_write_text(output, text)
        click.echo(f"wrote {plural(len(claims), 'claim')} to {output}", err=True)
    else:
        click.echo(text, nl=False)
