"""`belie extract CASE [SOURCE...]`: propose claims from the sources' text, for review."""
from __future__ import annotations

import click

KIND_ORDER = ("presence", "meeting", "travel", "message", "accusation", "existed", "stance")


@click.command("extract")
@click.argument("case", type=click.Path())
@click.argument("sources", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json prints {\"entities\": {...}, \"claims\": [...]}.")
@click.option("--no-store", is_flag=True,
              help="Do not record the candidates in the case store (print only).")
@click.option("--drop-hypothetical", is_flag=True,
              help="Drop claims of hypothetical or rhetorical sentences instead of marking them.")
@click.option("--min-confidence", type=float, default=0.0, show_default=True,
              help="Leave out candidates less sure than this (0..1).")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Parse the sources on a local Dask cluster of this many worker processes.")
@click.option("--cluster", "cluster", default=None, metavar="ADDRESS",
              help="Parse the sources on an existing Dask scheduler, e.g. tcp://host:8786.")
def command(case, sources, fmt, no_store, drop_hypothetical, min_confidence, workers, cluster):
    """Propose candidate claims from the text of a case's sources, for review.

    Reads every source of CASE that has a text (ingested with `belie add`, or a `file:`),
    or only the SOURCE ids given, and proposes presence, meeting, travel, message,
    accusation, existed and stance claims, each with its quote, character offsets, date
    phrase as written and as read, speaker and confidence.  Parties are linked to the
    case's entities or proposed as new ones.  Candidates are stored for review in the
    case store (<case>/.belie/case.sqlite) unless --no-store is given; running again does
    not duplicate them.

    With --workers N or --cluster ADDRESS the sources are parsed on a Dask cluster
    (the spaCy pipeline loaded once per worker) and linked here, in order: the
    candidates are the same as without.

    Needs the optional `nlp` extra: pip install -r requirements-nlp.lock

    \b
    Examples:
      belie extract examples/moscow-1936 trotsky-confessions-1936
      belie extract mycase --format json --no-store > candidates.json
    """
    import belie
    from belie.extract import candidates, extract

    from belie.scale.cluster import wanted

    loaded = belie.load_case(case)
    if wanted(workers, cluster):
        from belie.extract.nlp import load_parser
        from belie.scale.cluster import open_client
        from belie.scale.extract import cluster_extract

        load_parser()       # a missing `nlp` extra is said before a cluster is started
        with open_client(workers=workers, cluster=cluster) as client:
            result = cluster_extract(client, loaded, sources=list(sources) or None,
                                     keep_hypothetical=not drop_hypothetical)
    else:
        result = extract(loaded, sources=list(sources) or None,
                         keep_hypothetical=not drop_hypothetical)
    if min_confidence > 0:
        result.claims = [c for c in result.claims if c.get("confidence", 0) >= min_confidence]
    stored = 0
    if not no_store and result.claims:
        from belie.store.db import CaseStore

        with CaseStore.open(loaded.root) as store:
            stored = len(store.add_candidates(candidates(result)))
    if fmt == "json":
        click.echo(result.to_json())
        return
    _print_text(loaded, result, stored, no_store)


def _print_text(case, result, stored, no_store):
    from rich.console import Console
    from rich.table import Table

    from belie.extract import claim_kind

    con = Console()
    con.print(f"[bold]{case.name}[/]: {len(result.claims)} candidate claims from "
              f"{len(result.sources)} source(s), {result.words} words")
    if result.entities:
        con.print("New entities proposed: " + ", ".join(
            f"{eid} ({e['type']}: {', '.join(e['names'])})" for eid, e in result.entities.items()))
    t = Table(show_edge=False)
    for col in ("kind", "claim", "date", "speaker", "conf.", "at"):
        t.add_column(col)
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    for c in sorted(result.claims, key=lambda c: (order.get(claim_kind(c), 99), c["start"])):
        kind = claim_kind(c)
        body = {k: v for k, v in c.items() if k not in (
            "source", "quote", "start", "end", "date_text", "speaker", "confidence",
            "reported_by", "when", "during", "note", "why")}
        text = ", ".join(f"{k}: {v if not isinstance(v, list) else '[' + ', '.join(v) + ']'}"
                         for k, v in body.items())
        if c.get("hypothetical"):
            text += f" [{c.get('why')}]"
        date = c.get("when") or c.get("during") or ""
        if c.get("date_text"):
            date = f"{c['date_text']} → {date}"
        t.add_row(kind, text, date, str(c.get("speaker") or "?"), f"{c['confidence']:.2f}",
                  f"{c['source']}:{c['start']}")
    con.print(t)
    if no_store:
        con.print("(not stored: --no-store)")
    else:
        con.print(f"{stored} candidates in the case store for review.")
