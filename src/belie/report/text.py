"""Human-readable renderings of a check: the terminal (rich) and Markdown."""
from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from belie.report.notes import WHERE_ALL, summarise_notes

SEVERITY_STYLE = {"impossible": "bold red", "strained": "yellow", "note": "cyan"}
SEVERITY_HEAD = {
    "impossible": "Impossible — cannot all be true",
    "strained": "Strained — true only under a narrow reading",
    "note": "Notes",
}


def _claim_lines(result, finding):
    case = result.case
    lines = []
    for cid in finding.claims:
        c = case.claim_by_id.get(cid)
        if c is None:
            continue
        src = case.sources.get(c.source)
        kind = f"{src.kind}" if src else "?"
        body = f"“{c.quote}”" if c.quote else c.summary(case.label)
        where = f"{c.file}:{c.line}" if c.file and c.line else (c.file or "")
        lines.append((cid, body, c.source, kind, where))
    return lines


def print_check(result, console: Console | None = None) -> None:
    console = console or Console()
    case = result.case
    stats = result.stats
    console.print(Text(f"belie check — {case.name}", style="bold"))
    counts = stats["by_severity"]
    console.print(f"{stats['claims']} claims from {stats['sources']} sources; "
                  f"[bold red]{counts['impossible']} impossible[/], [yellow]{counts['strained']} strained[/], "
                  f"[cyan]{counts['note']} notes[/]\n")
    groups = result.by_severity()
    for sev in ("impossible", "strained", "note"):
        if not groups[sev]:
            continue
        console.rule(Text(SEVERITY_HEAD[sev], style=SEVERITY_STYLE[sev]))
        summary = summarise_notes(groups[sev]) if sev == "note" else None
        if summary:
            console.print(f"{len(groups[sev]):,} notes, by rule ({WHERE_ALL}):")
            for r in summary:
                console.print(Text(f"  {r.line()}"))
            continue
        for f in groups[sev]:
            t = Table.grid(padding=(0, 1))
            t.add_column(style="dim", no_wrap=True)
            t.add_column()
            for cid, body, src, kind, where in _claim_lines(result, f):
                t.add_row(cid, Text(f"{body}\n— {src} ({kind}) {where}".rstrip()))
            parts = [t, Text(""), Text(f.explanation)]
            if f.window:
                parts.append(Text(f"Could still all be true only within: {f.window}", style="italic"))
            title = f"[{SEVERITY_STYLE[sev]}]{sev}[/] · {f.rule}" + (f" · {f.title}" if f.title else "")
            console.print(Panel(Group(*parts), title=title, title_align="left", expand=True))
    if result.conflicts:
        console.rule(Text("Smallest sets of claims that cannot all be true", style="bold"))
        for i, c in enumerate(result.conflicts, 1):
            d = c.to_dict() if hasattr(c, "to_dict") else c
            console.print(f"{i}. {{{', '.join(d['claims'])}}}  [dim]({', '.join(d.get('rules', []))})[/]")
    if result.reading is not None:
        d = result.reading.to_dict() if hasattr(result.reading, "to_dict") else result.reading
        rejected = d.get("rejected", [])
        if rejected:
            console.rule(Text("Most plausible reading", style="bold"))
            console.print("If the records hold, these claims must be false:")
            for r in rejected:
                if isinstance(r, dict):
                    console.print(f"  ✗ {r.get('claim')}  [dim]{r.get('source', '')} ({r.get('kind', '')})[/]")
                else:
                    console.print(f"  ✗ {r}")
    if not result.findings:
        console.print("No findings: nothing in this case contradicts anything else.")


def check_markdown(result) -> str:
    case = result.case
    stats = result.stats
    counts = stats["by_severity"]
    out = [f"# belie check — {case.name}", "",
           f"{stats['claims']} claims from {stats['sources']} sources: "
           f"**{counts['impossible']} impossible**, {counts['strained']} strained, {counts['note']} notes.", ""]
    groups = result.by_severity()
    for sev in ("impossible", "strained", "note"):
        if not groups[sev]:
            continue
        out += [f"## {SEVERITY_HEAD[sev]}", ""]
        summary = summarise_notes(groups[sev]) if sev == "note" else None
        if summary:
            out += [f"{len(groups[sev]):,} notes, by rule ({WHERE_ALL}):", ""]
            out += [f"- {r.line()}" for r in summary]
            out.append("")
            continue
        for f in groups[sev]:
            out.append(f"### {f.rule}" + (f": {f.title}" if f.title else ""))
            out.append("")
            for cid, body, src, kind, where in _claim_lines(result, f):
                out.append(f"- `{cid}` {body} — *{src}* ({kind})")
            out += ["", f.explanation, ""]
            if f.window:
                out += [f"Could still all be true only within `{f.window}`.", ""]
    if result.conflicts:
        out += ["## Smallest sets of claims that cannot all be true", ""]
        for i, c in enumerate(result.conflicts, 1):
            d = c.to_dict() if hasattr(c, "to_dict") else c
            out.append(f"{i}. " + ", ".join(f"`{x}`" for x in d["claims"]))
        out.append("")
    if result.reading is not None:
        d = result.reading.to_dict() if hasattr(result.reading, "to_dict") else result.reading
        if d.get("rejected"):
            out += ["## Most plausible reading", "", "If the records hold, these claims must be false:", ""]
            for r in d["rejected"]:
                out.append(f"- `{r.get('claim') if isinstance(r, dict) else r}`")
            out.append("")
    return "\n".join(out)
