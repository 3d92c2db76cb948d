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
    the claims are also checked against that case's entities and sources.

    \b
    Example:
      belie import-csv sheet.csv --case examples/moscow-1936 -o examples/moscow-1936/claims/sheet.yaml
    """
    from belie.errors import InputError, Problem
    from belie.model.csvimport import claims_to_yaml, read_claims_csv

    claims = read_claims_csv(sheet)
    text = claims_to_yaml(claims)
    if case_dir:
        import shutil
        import tempfile

        from belie.model.loading import load_case

        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(case_dir, tmp, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".belie"))
            target = Path(tmp) / "claims" / (Path(output).name if output else "imported.yaml")
            target.parent.mkdir(exist_ok=True)
            target.write_text(text, encoding="utf-8")
            try:
                load_case(tmp)
            except InputError as exc:
                # Name the files the user knows, not the scratch copy.
                shown = output or f"{sheet} (as claims)"
                raise InputError([Problem(p.file.replace(str(target), shown).replace(tmp, str(case_dir)),
                                          p.line, p.column, p.message) for p in exc.problems])
    if output:
        from belie.util import atomic_write_text

        atomic_write_text(output, text)
        click.echo(f"wrote {len(claims)} claims to {output}", err=True)
    else:
        click.echo(text, nl=False)
