"""`belie check CASE`: what cannot all be true, and why."""
from __future__ import annotations

import click

from belie.errors import InputError, Problem, UnknownRule


@click.command("check")
@click.argument("case", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="Output format: terminal text, JSON (casefile.md section 6), or Markdown.")
@click.option("--rule", "rules", multiple=True, help="Run only this rule (repeatable), e.g. --rule alibi.")
@click.option("--no-reason", is_flag=True, help="Skip the global view (minimal conflicting sets, most plausible reading).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically) instead of standard output.")
@click.option("--reliability", is_flag=True,
              help="Weigh claims in the most plausible reading by each source's estimated accuracy "
                   "(truth discovery, as in `belie sources`), not by its kind alone.")
@click.option("--no-store", is_flag=True, help="Do not record the claims and findings in the case store (.belie/case.sqlite).")
def command(case, fmt, rules, no_reason, output, reliability, no_store):
    """Run every rule over a case and print the findings, grouped by severity.

    Each finding names its rule, quotes the claims and sources involved, and
    explains the reasoning with the computed dates and distances. Findings are
    graded impossible (cannot all be true), strained (true only under a narrow
    reading, which is stated) or note. The exit status is 0 whatever is found,
    and 2 when the case cannot be read.

    \b
    Examples:
      belie check examples/moscow-1936
      belie check examples/moscow-1936 --format json > findings.json
      belie check examples/moscow-1936 --rule alibi --rule register
    """
    import belie
    from belie.report import jsonout, text

    if output:
        from belie.util import check_output_folder

        check_output_folder(output)
    loaded = belie.load_case(case)
    try:
        result = belie.check(loaded, rules=list(rules) or None, reason=not no_reason, reliability=reliability)
    except UnknownRule as exc:
        raise InputError(Problem("--rule", None, None, str(exc)))
    if not no_store:
        from belie.store.sync import record_run

        record_run(loaded, "check", [f.to_dict() for f in result.findings])
    if fmt == "json":
        body = jsonout.dumps(jsonout.check_to_dict(result))
    elif fmt == "markdown":
        body = text.check_markdown(result)
    else:
        if output:
            from io import StringIO

            from rich.console import Console

            buf = StringIO()
            text.print_check(result, Console(file=buf, width=100, force_terminal=False))
            body = buf.getvalue()
        else:
            text.print_check(result)
            return
    if output:
        from belie.util import atomic_write_text

        atomic_write_text(output, body + "\n")
    else:
        click.echo(body)
