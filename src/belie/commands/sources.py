"""`belie sources CASE`: how accurate each source of a case is, and who copies whom."""
from __future__ import annotations

import json

import click

METHOD_NAMES = ("accucopy", "majority", "truthfinder", "pooled_investment")


def _pct(x) -> str:
    return "—" if x is None else f"{x:.2f}"


def _mark(credit: float) -> str:
    return "✓" if credit >= 1.0 else ("≈" if credit > 0 else "✗")


def _print(case, rel) -> None:
    from rich.console import Console
    from rich.table import Table

    from belie.sources.reliability import value_label

    console = Console()
    label = case.label
    disputed = [it for it in rel.items if it.confidence is not None]
    agreed = [it for it in rel.items if it.confidence is None]
    if not rel.items:
        console.print(f"{case.name}: no fact is spoken to by two sources, so there is nothing to weigh.")
        return
    console.print(f"[bold]{case.name}[/]: {rel.method} over {len(disputed)} disputed "
                  f"fact{'s' if len(disputed) != 1 else ''}"
                  + (f" ({len(agreed)} more on which all agree)" if agreed else ""))

    t = Table(title="Sources, most accurate first", title_justify="left")
    t.add_column("source", no_wrap=True, min_width=max(len(r["source"]) for r in rel.rows))
    t.add_column("kind")
    t.add_column("speaker")
    t.add_column("disputed", justify="right")
    t.add_column("accuracy", justify="right")
    t.add_column("kind weight", justify="right")
    for r in rel.rows:
        speaker = r["speaker"] if r["speaker"] != r["source"] else "—"
        t.add_row(r["source"], r["kind"], speaker, str(r["claims"]), _pct(r["accuracy"]), f"{r['weight']:.2f}")
    console.print(t)

    several = {}
    for r in rel.rows:
        several.setdefault(r["speaker"], []).append(r["source"])
    shared = {sp: srcs for sp, srcs in several.items() if len(srcs) > 1 and sp in rel.speakers}
    if shared:
        t = Table(title="Speakers with several sources", title_justify="left")
        t.add_column("speaker")
        t.add_column("sources")
        t.add_column("accuracy", justify="right")
        for sp, srcs in shared.items():
            t.add_row(label(sp), ", ".join(srcs), _pct(rel.speakers.get(sp)))
        console.print(t)

    if disputed:
        t = Table(title="Disputed facts", title_justify="left", show_lines=True)
        t.add_column("fact")
        t.add_column("believed")
        t.add_column("confidence", justify="right")
        t.add_column("who said what")
        for it in disputed:
            by_value: dict[str, list[str]] = {}
            for s, (v, _c) in it.votes.items():
                by_value.setdefault(v, []).append(s)
            order = sorted(by_value, key=lambda v: (v != it.truth, -len(by_value[v]), v))
            said = "\n".join(f"{_mark(rel.credit(it, v))} {value_label(case, v)}: {', '.join(by_value[v])}"
                             for v in order)
            t.add_row(it.name, value_label(case, it.truth), _pct(it.confidence), said)
        console.print(t)
        console.print("[dim]✓ the value believed · ≈ partly right, or consistent with it "
                      "(a coarser place or date; a place where a denied one cannot be) · ✗ wrong if it holds[/]")
    if agreed:
        console.print("[bold]Facts on which every source agrees[/] (not used to judge accuracy):")
        for it in agreed:
            console.print(f"  {it.name}: {value_label(case, it.truth)} ({', '.join(it.votes)})")

    if rel.voices:
        console.print("[bold]Counted as one voice[/] where they give the same value:")
        for members, why in rel.voices:
            console.print(f"  {', '.join(members)} [dim]({why})[/]")
    if rel.copying:
        t = Table(title="Probably copying (one voice, not many)", title_justify="left")
        t.add_column("copier", no_wrap=True)
        t.add_column("from", no_wrap=True)
        t.add_column("probability", justify="right")
        t.add_column("evidence")
        for a, b, p in rel.copying:
            t.add_row(a, b, f"{p:.2f}", rel.evidence.get((a, b), "claims"))
        console.print(t)
        for group in rel.clusters:
            console.print(f"copy cluster: {', '.join(group)}")
    elif rel.method == "accucopy":
        console.print("No pair of sources looks dependent from what they claim.")


@click.command(name="sources")
@click.argument("case", type=click.Path())
@click.option("--method", "-m", type=click.Choice(METHOD_NAMES, case_sensitive=False), default="accucopy",
              show_default=True,
              help="accucopy: accuracy-weighted vote that discounts copiers (Dong et al. 2009); "
                   "majority: one source, one vote, weighted by its kind; truthfinder: Yin et al. 2007; "
                   "pooled_investment: Pasternack & Roth 2010.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"], case_sensitive=False), default="text",
              show_default=True,
              help='text: readable tables; json: {"sources": {id: {kind, speaker, claims, accuracy, weight}}, '
                   '"items": [...], "copying": [...], "clusters": [...]}.')
@click.option("--independent", is_flag=True,
              help="Count every source on its own: do not merge the votes of one speaker's sources, of "
                   "sources of one voice, or of sources the case store knows to reuse one another's text.")
@click.option("--reuse-threshold", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Least text-reuse score (from `belie reuse` on the case) for two sources to count as one voice.")
def command(case, method, fmt, independent, reuse_threshold):
    """Weigh the sources of a case against one another by what they claim.

    The claims become disputed facts: where each person was over each
    period (presences, meetings, journeys, and denials as "not <place>"),
    the place, date and participants of each `event`, whom the accused
    served, whether a place existed.  Truth discovery then decides which
    value of each fact to believe and estimates each source's accuracy,
    starting from the weight of its kind (record > finding > testimony >
    confession); sources that share mistakes are taken for copies and
    count as about one voice.  `belie.check(case, reliability=True)` feeds
    these accuracies into the most plausible reading.

    \b
    Examples:
      belie sources examples/moscow-1936
      belie sources examples/moscow-1936 --method majority
      belie sources examples/moscow-1936 --format json > sources.json
    """
    import belie
    from belie.sources.reliability import MERGE, case_reliability

    loaded = belie.load_case(case)
    rel = case_reliability(loaded, method=method.lower(), merge=() if independent else MERGE,
                           reuse_threshold=reuse_threshold)
    if fmt.lower() == "json":
        out = {"case": loaded.name, **rel.to_json()}
        out["voices"] = [{"sources": members, "why": why} for members, why in rel.voices]
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _print(loaded, rel)
