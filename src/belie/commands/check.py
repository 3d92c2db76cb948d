"""`belie check CASE`: what cannot all be true, and why."""
from __future__ import annotations

import click

from belie.errors import InputError, Problem, UnknownRule
from belie.rules.base import SEVERITIES, SEVERITY_RANK


def _severities(ctx, param, value):
    """'impossible,strained' -> ('impossible', 'strained'); an unknown name is a usage error."""
    if not value:
        return ()
    names = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    wrong = [n for n in names if n not in SEVERITIES]
    if wrong:
        raise click.BadParameter(f"{', '.join(wrong)}: the severities are {', '.join(SEVERITIES)}")
    return names


def _full_run(case, rules, no_reason, reliability, no_store, options, workers=None, cluster=None):
    """Read and check the case (on a Dask cluster with *workers* or *cluster*); keep the
    run in the store (unless --no-store)."""
    import belie
    from belie.report.stored import snapshot
    from belie.store.inputs import files_hash

    files = None if no_store else files_hash(case)      # before reading: what the run is made from
    loaded = belie.load_case(case)
    try:
        if workers or cluster:
            from belie.scale.check import check_on_cluster
            from belie.scale.cluster import open_client

            with open_client(workers=workers, cluster=cluster) as client:
                result = check_on_cluster(loaded, client, rules=list(rules) or None, reason=not no_reason,
                                          reliability=reliability)
        else:
            result = belie.check(loaded, rules=list(rules) or None, reason=not no_reason, reliability=reliability)
    except UnknownRule as exc:
        raise InputError(Problem("--rule", None, None, str(exc)))
    if not no_store:
        from belie.store.sync import record_run

        record_run(loaded, "check", [f.to_dict() for f in result.findings],
                   snapshot=(options, files, snapshot(result)) if files else None)
    return result


def _render(result, fmt, output, severities, quiet):
    """The output's text, or None when it was printed to the terminal already."""
    from belie.report import jsonout, text

    shown = result.only(severities) if severities else result
    if fmt == "json":
        body = jsonout.dumps(jsonout.check_to_dict(shown))
    elif fmt == "markdown":
        body = text.check_markdown(shown, quiet=quiet)
    else:
        if output:
            from io import StringIO

            from rich.console import Console

            buf = StringIO()
            text.print_check(shown, Console(file=buf, width=100, force_terminal=False), quiet=quiet)
            body = buf.getvalue().rstrip("\n")
        else:
            text.print_check(shown, quiet=quiet)
            body = None
    return body


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
@click.option("--no-cache", is_flag=True,
              help="Read and check the case in full even when nothing changed since the last check "
                   "(by default an unchanged case's findings are printed again from the case store).")
@click.option("--severity", "severities", callback=_severities, metavar="LIST",
              help="Show only findings of these severities, e.g. --severity impossible,strained "
                   "(the reading and the counts still weigh them all).")
@click.option("-q", "--quiet", is_flag=True,
              help="The summary only: counts, the most plausible reading and the key findings.")
@click.option("--fail-on", type=click.Choice(["impossible", "strained", "note"]),
              help="Exit with status 1 when a finding of this severity or worse exists (for pipelines).")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Run on a local Dask cluster of N worker processes (the `dask` extra); the output is the same.")
@click.option("--cluster", metavar="ADDRESS",
              help="Run on the Dask scheduler at ADDRESS, e.g. tcp://host:8786 (docs/scale.md).")
def command(case, fmt, rules, no_reason, output, reliability, no_store, no_cache, severities, quiet, fail_on,
            workers, cluster):
    """Run every rule over a case: the verdict first, then every finding.

    The output opens with the counts, the most plausible reading (which
    claims it gives up, and why, by weight of evidence) and the strongest
    finding of each conflict; then every finding, grouped under the conflict
    it shares with others (the same story against the same records),
    strongest first. Each finding names its rule, quotes the claims and
    sources involved, and explains the reasoning with the computed dates and
    distances. Findings are graded impossible (cannot all be true), strained
    (true only under a narrow reading, which is stated) or note.

    A case checked before with the same options, whose files (case file,
    claims/, the sources' files) and store have not changed since, and this
    same belie, is not read again: its findings are printed again from the
    case store, exactly as they were (docs/store.md). --no-cache reads and
    checks it in full.

    The exit status is 0 whatever is found, 1 with --fail-on when a finding
    of that severity (or worse) exists, and 2 when the case cannot be read.

    \b
    Examples:
      belie check examples/moscow-1936
      belie check examples/moscow-1936 --quiet
      belie check examples/moscow-1936 --severity impossible,strained
      belie check examples/moscow-1936 --fail-on impossible || echo "cannot all be true"
      belie check examples/moscow-1936 --format json > findings.json
      belie check examples/moscow-1936 --rule alibi --rule register
      belie check examples/moscow-1936 --workers 2
    """
    if output:
        from belie.util import check_output_folder

        check_output_folder(output)
    from belie.report.stored import stored_check
    from belie.util import paused_gc
    from belie.store.inputs import options_key

    options = options_key(rules, not no_reason, reliability)
    # Reading, checking and storing a large case make millions of objects and no cyclic
    # garbage: the collector would rescan them all, again and again, for nothing.
    with paused_gc():
        result = None if no_cache else stored_check(case, options)
        if result is None:
            result = _full_run(case, rules, no_reason, reliability, no_store, options, workers, cluster)
        body = _render(result, fmt, output, severities, quiet)
    failed = bool(fail_on) and any(SEVERITY_RANK[f.severity] <= SEVERITY_RANK[fail_on] for f in result.findings)
    if output:
        from belie.util import atomic_write_text

        atomic_write_text(output, body + "\n")
    elif body is not None:
        click.echo(body)
    if failed:
        raise click.exceptions.Exit(1)
