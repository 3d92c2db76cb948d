"""Human-readable renderings of a check: the terminal (rich) and Markdown."""
from __future__ import annotations

import re
import unicodedata

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from belie.limits import MAX_TERMINAL_TEXT, MAX_TERMINAL_WORD
from belie.util import escape_hidden

_LONG_WORD = re.compile(r"\S{%d,}" % (MAX_TERMINAL_WORD + 1))
def terminal_text(text, *, limit: int = MAX_TERMINAL_TEXT) -> str:
    """*text* as the terminal may show it: control, format and bidi characters (a
    right-to-left override that turns ``evil\\u202etxt.exe`` around, an escape sequence
    that clears the screen) written as escapes; a word longer than MAX_TERMINAL_WORD
    shown by its two ends; the whole cut in the middle beyond *limit* characters.
    Linear in the length of *text* (the renderer is not, on long words)."""
    text = str(text)
    if len(text) > 4 * limit:
        text = text[: 2 * limit] + text[-2 * limit:]
    text = escape_hidden(text)
    half = MAX_TERMINAL_WORD // 2 - 1
    text = _LONG_WORD.sub(lambda m: f"{m.group()[:half]}…{m.group()[-half:]}", text)
    if len(text) > limit:
        text = f"{text[: limit // 2]} … {text[-limit // 2:]}"
    return text


def terminal_markup(text) -> str:
    """:func:`terminal_text`, with rich's markup brackets escaped (a name such as
    ``[/bold]`` is shown, not obeyed)."""
    return escape(terminal_text(text))

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
        lines.append((terminal_text(cid), terminal_text(body), terminal_text(c.source), kind,
                      terminal_text(where)))
    return lines


def print_check(result, console: Console | None = None) -> None:
    console = console or Console()
    case = result.case
    stats = result.stats
    console.print(Text(f"belie check — {terminal_text(case.name)}", style="bold"))
    counts = stats["by_severity"]
    console.print(f"{stats['claims']} claims from {stats['sources']} sources; "
                  f"[bold red]{counts['impossible']} impossible[/], [yellow]{counts['strained']} strained[/], "
                  f"[cyan]{counts['note']} notes[/]\n")
    groups = result.by_severity()
    for sev in ("impossible", "strained", "note"):
        if not groups[sev]:
            continue
        console.rule(Text(SEVERITY_HEAD[sev], style=SEVERITY_STYLE[sev]))
        for f in groups[sev]:
            t = Table.grid(padding=(0, 1))
            t.add_column(style="dim", no_wrap=True)
            t.add_column()
            for cid, body, src, kind, where in _claim_lines(result, f):
                t.add_row(cid, Text(f"{body}\n— {src} ({kind}) {where}".rstrip()))
            parts = [t, Text(""), Text(terminal_text(f.explanation))]
            if f.window:
                parts.append(Text(f"Could still all be true only within: {f.window}", style="italic"))
            title = f"[{SEVERITY_STYLE[sev]}]{sev}[/] · {f.rule}" + (f" · {terminal_markup(f.title)}" if f.title else "")
            console.print(Panel(Group(*parts), title=title, title_align="left", expand=True))
    if result.conflicts:
        console.rule(Text("Smallest sets of claims that cannot all be true", style="bold"))
        for i, c in enumerate(result.conflicts, 1):
            d = c.to_dict() if hasattr(c, "to_dict") else c
            console.print(f"{i}. {{{terminal_markup(', '.join(d['claims']))}}}  [dim]({', '.join(d.get('rules', []))})[/]")
    if result.reading is not None:
        d = result.reading.to_dict() if hasattr(result.reading, "to_dict") else result.reading
        rejected = d.get("rejected", [])
        if rejected:
            console.rule(Text("Most plausible reading", style="bold"))
            console.print("If the records hold, these claims must be false:")
            for r in rejected:
                if isinstance(r, dict):
                    console.print(f"  ✗ {terminal_markup(r.get('claim'))}  "
                                  f"[dim]{terminal_markup(r.get('source', ''))} ({r.get('kind', '')})[/]")
                else:
                    console.print(f"  ✗ {terminal_markup(r)}")
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
