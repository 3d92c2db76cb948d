"""`belie export CASE --to ftm|json|csv|markdown`: the case and its findings for other tools."""
from __future__ import annotations

import click

from belie.report.export import FORMATS


@click.command("export")
@click.argument("case", type=click.Path())
@click.option("--to", "fmt", type=click.Choice(FORMATS), required=True,
              help="ftm: FollowTheMoney entities (JSON lines); json: the whole case and its check; "
                   "csv: one claim a row; markdown: a readable dossier.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
@click.option("--no-reason", is_flag=True,
              help="Skip the global view (smallest conflicting sets, most plausible reading).")
def command(case, fmt, output, no_reason):
    """Export a case, with the findings of its check, to another format.

    ftm writes FollowTheMoney entities, one JSON object a line, as `ftm` and
    Aleph read them (people, organisations, powers, places with coordinates,
    events and journeys, accusations, sources as documents, findings as notes);
    json the whole case with every date as written, as EDTF and as bounds; csv
    one claim a row with the case-file keys as columns; markdown a dossier of
    the findings and the claims by source. docs/export.md describes each.

    \b
    Examples:
      belie export examples/moscow-1936 --to ftm -o moscow.ftm.json
      belie export examples/moscow-1936 --to csv > claims.csv
      ftm validate -i moscow.ftm.json > /dev/null
    """
    import belie
    from belie.report.export import export_case

    if output:
        from belie.util import check_output_folder

        check_output_folder(output)
    loaded = belie.load_case(case)
    result = belie.check(loaded, reason=not no_reason)
    text = export_case(loaded, fmt, result)
    if output:
        from belie.util import atomic_write_text

        atomic_write_text(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
