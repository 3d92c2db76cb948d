"""`belie report CASE -o report.html`: the self-contained HTML report."""
from __future__ import annotations

import click


@click.command("report")
@click.argument("case", type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="report.html", show_default=True,
              help="Where to write the report (atomically).")
@click.option("--no-reason", is_flag=True,
              help="Skip the global view (smallest conflicting sets, most plausible reading).")
@click.option("--no-reuse", is_flag=True, help="Leave out the copying graph (text reuse between sources).")
@click.option("--no-reliability", is_flag=True, help="Leave out the source-reliability table.")
def command(case, output, no_reason, no_reuse, no_reliability):
    """Write one self-contained HTML report of a case: readable offline, printable.

    The report holds the summary, the findings by severity with the quoted claims
    and their sources, a whereabouts timeline (one lane per person, conflicts in
    red), the charges each voice made against its diplomacy of the day, the
    smallest sets of claims that cannot all be true and the most plausible
    reading, the copying graph and source reliability where they can be
    computed, the sources with their SHA-256, and every claim. Everything is
    inside the one file (plotly.js included): it loads nothing from the network.

    \b
    Examples:
      belie report examples/moscow-1936 -o report.html
      belie report mycase -o /tmp/mycase.html --no-reuse
    """
    import belie
    from belie.report.html import write_report

    from belie.util import check_output_folder

    check_output_folder(output)
    loaded = belie.load_case(case)
    result = belie.check(loaded, reason=not no_reason)
    kw = {}
    if no_reuse:
        kw["reuse"] = None
    if no_reliability:
        kw["reliability"] = None
    path = write_report(loaded, output, result=result, **kw)
    counts = result.stats.get("by_severity", {})
    notes = counts.get("note", 0)
    click.echo(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB): {counts.get('impossible', 0)} impossible, "
               f"{counts.get('strained', 0)} strained, {notes} note{'' if notes == 1 else 's'}")
