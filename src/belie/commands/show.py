"""`belie show CASE`: what a case holds."""
from __future__ import annotations

from collections import Counter

import click


def case_overview(case) -> dict:
    """Counts, entities, sources, claims by kind and date range, as plain data."""
    from belie.model.dates import fmt_day

    kinds = Counter(c.kind for c in case.claims)
    rng = case.date_range()
    return {
        "case": case.name,
        "counts": {"entities": len(case.entities), "sources": len(case.sources), "claims": len(case.claims)},
        "entities_by_type": dict(Counter(e.type for e in case.entities.values())),
        "claims_by_kind": dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
        "sources_by_kind": dict(Counter(s.kind for s in case.sources.values())),
        "date_range": [fmt_day(rng[0]), fmt_day(rng[1])] if rng else None,
    }


@click.command("show")
@click.argument("case", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def command(case, fmt):
    """Show what a case holds: counts, entities, sources, claims by kind, date range.

    \b
    Example:
      belie show examples/moscow-1936
    """
    import belie

    loaded = belie.load_case(case)
    ov = case_overview(loaded)
    stored = _stored_sources(loaded)
    if fmt == "json":
        import json

        ov["ingested"] = stored
        click.echo(json.dumps(ov, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    from belie.report.text import terminal_markup as tm
    from belie.report.text import terminal_text as tt

    con = Console()
    con.print(f"[bold]{tm(loaded.name)}[/]  ({tm(loaded.root)})")
    from belie.model.dates import plural

    c = ov["counts"]
    rng = ov["date_range"]
    con.print(f"{plural(c['entities'], 'entity', 'entities')} · {plural(c['sources'], 'source')} · "
              f"{plural(c['claims'], 'claim')}"
              + (f" · dates from {rng[0]} to {rng[1]}" if rng else ""))

    t = Table(title="Claims by kind", show_edge=False)
    t.add_column("kind")
    t.add_column("claims", justify="right")
    for k, n in ov["claims_by_kind"].items():
        t.add_row(tt(k), str(n))
    con.print(t)

    t = Table(title="Entities", show_edge=False)
    for col in ("id", "type", "names", "lifetime / nesting"):
        t.add_column(col)
    places = loaded.places
    for e in sorted(loaded.entities.values(), key=lambda e: (e.type, e.id)):
        extra = []
        if e.lifetime is not None:
            extra.append(f"{'lived' if e.type == 'person' else 'existed'} {e.lifetime.edtf}")
        if e.within:
            extra.append(f"within {tt(e.within)}")
        if e.type == "place":
            xy = places.coords(e.id)
            extra.append(f"{xy[0]:.2f}, {xy[1]:.2f} ({places.source_of(e.id)})" if xy else "no coordinates")
        t.add_row(tt(e.id), tt(e.type), tt(", ".join(str(n) for n in e.names)), "; ".join(extra))
    con.print(t)

    t = Table(title="Sources", show_edge=False)
    for col in ("id", "kind", "speaker", "said", "claims", "file"):
        t.add_column(col)
    per_source = Counter(cl.source for cl in loaded.claims)
    for s in sorted(loaded.sources.values(), key=lambda s: (s.said.lo if s.said else 0, s.id)):
        ing = stored.get(s.id)
        file = s.file or ""
        if ing:
            file += f" (sha256 {ing['sha256'][:12]}…)"
        t.add_row(tt(s.id), tt(s.kind), tt(loaded.label(s.speaker)) if s.speaker else "",
                  tt(s.said.text) if s.said else "", str(per_source.get(s.id, 0)), tt(file))
    con.print(t)
    problems = getattr(places, "problems", [])
    for p in problems:
        con.print(f"[yellow]warning[/]: {tm(getattr(p, 'message', p))}")


def _stored_sources(case) -> dict:
    """Sources already ingested into the case store, by id (empty when there is no store)."""
    if case.root is None or not (case.root / ".belie").exists():
        return {}
    try:
        from belie.store.db import CaseStore
    except ImportError:
        return {}
    try:
        with CaseStore.open(case.root, create=False) as store:
            return {s["id"] if isinstance(s, dict) else s.id: (s if isinstance(s, dict) else s.__dict__)
                    for s in store.sources()}
    except Exception:  # a store that cannot be read must not stop `show`
        return {}
