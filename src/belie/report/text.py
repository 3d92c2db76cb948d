"""Human-readable renderings of a check: the terminal (rich) and Markdown.

Both open with the verdict: the counts, the most plausible reading (what it gives up,
and why, by the weights of evidence) and the strongest finding of each conflict; the
details follow, every finding under the conflict it belongs to (`belie.reason.groups`),
then the smallest sets of claims that cannot all be true, each with the implied claims
(``via``) it goes through.  Nothing is cut: on a terminal long lines wrap; piped or
written to a file, every line is whole (ids, quotes and titles never truncated).
"""
from __future__ import annotations

import re

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text

from belie.limits import MAX_TERMINAL_TEXT, MAX_TERMINAL_WORD
from belie.model.dates import plural
from belie.reason.groups import key_findings
from belie.report.notes import WHERE_ALL, summarise_notes
from belie.util import HIDDEN_CHARS, escape_hidden

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
KEY_HEAD = "Key findings — those that carry the reading, the strongest of each conflict first"
#: The summary shows at most this many key findings (`belie.reason.groups.key_findings`).
KEY_FINDINGS = 8


# ------------------------------------------------------------------ what both renderings say


def _claim_lines(result, finding_or_ids):
    case = result.case
    ids = finding_or_ids.claims if hasattr(finding_or_ids, "claims") else finding_or_ids
    lines = []
    for cid in ids:
        c = case.claim_by_id.get(cid)
        if c is None:
            continue
        src = case.sources.get(c.source)
        kind = f"{src.kind}" if src else "?"
        body = f"“{' '.join(c.quote.split())}”" if c.quote else c.summary(case.label)
        where = f"{c.file}:{c.line}" if c.file and c.line else (c.file or "")
        lines.append((cid, body, c.source, kind, where))
    return lines


def counts_line(result) -> str:
    stats = result.stats
    counts = stats["by_severity"]
    n_conf = sum(1 for g in result.groups if g.severity == "impossible")
    line = (f"{plural(stats['claims'], 'claim')} from {plural(stats['sources'], 'source')}: "
            f"{counts['impossible']:,} impossible, {counts['strained']:,} strained, {plural(counts['note'], 'note')}")
    if n_conf:
        line += f", in {plural(n_conf, 'conflict')} (findings that share one story are grouped)"
    return line + "."


def _rows(reading, which: str) -> list[dict]:
    if reading is None:
        return []
    d = reading.to_dict() if hasattr(reading, "to_dict") else reading
    return [r if isinstance(r, dict) else {"claim": r} for r in d.get(which, [])]


def reading_summary(result) -> tuple[str, list[tuple[dict, list[dict]]]]:
    """(the reading's opening sentence, [(rejected row, kept rows it conflicts with)])."""
    rejected = _rows(result.reading, "rejected")
    if not rejected:
        return "", []
    kept = {r["claim"]: r for r in _rows(result.reading, "kept")}
    against: list[tuple[dict, list[dict]]] = []
    for r in rejected:
        others: dict[str, dict] = {}
        for k in result.conflicts:
            if r["claim"] in k.claims:
                for o in list(k.claims) + list(getattr(k, "via", []) or []):
                    if o in kept:
                        others.setdefault(o, kept[o])
        against.append((r, list(others.values())))
    records = [r for r in rejected if r.get("kind") == "record"]
    weighted = "weights of evidence" + (" and estimated accuracy" if any("accuracy" in r for r in rejected) else "")
    if records:
        head = (f"The records conflict with each other: no reading keeps them all. The most plausible reading "
                f"gives up {plural(len(records), 'record')} and {plural(len(rejected) - len(records), 'other claim')}, "
                f"the claims of least total weight whose loss lets the rest hold together ({weighted}, as in "
                f"`belie sources`):")
    else:
        head = (f"If the records hold, these {plural(len(rejected), 'claim')} must be false: the claims of least total "
                f"weight whose loss lets the rest hold together ({weighted}, as in `belie sources`):")
    return head, against


def _alone(result, cid: str) -> str:
    """The rules by which a claim cannot be true by itself (a conflicting set of one), or ''."""
    return ", ".join(r for k in result.conflicts if list(k.claims) == [cid] for r in k.rules)


def _weight(r: dict, short: bool = False) -> str:
    """'record, weight 0.95' (or 'record 0.95')."""
    w = r.get("weight")
    if not isinstance(w, (int, float)):
        return r.get("kind", "?")
    return f"{r.get('kind', '?')}{' ' if short else ', weight '}{w:.2f}"


def _finding_head(f) -> str:
    return f"{f.severity} · {f.rule}" + (f" · {f.title}" if f.title else "")


def _group_head(g, i: int) -> str:
    c = g.counts()
    parts = [f"{c[s]:,} {s}" if s != "note" else plural(c[s], "note") for s in ("impossible", "strained", "note") if c[s]]
    name = f"Conflict {i}" if g.is_conflict else f"Group {i} (nothing impossible)"
    return (f"{name}: {plural(len(g.findings), 'finding')} ({', '.join(parts)}) over {plural(len(g.claims), 'claim')}"
            + (f"; the reading gives up {', '.join(g.rejected)}" if g.rejected else ""))


def _key(result) -> list[tuple[int, object, bool]]:
    """(conflict number, finding, first of its conflict) for the summary."""
    out, seen = [], set()
    for i, f in key_findings(result.groups, KEY_FINDINGS):
        out.append((i + 1, f, i not in seen))
        seen.add(i)
    return out


def _untold(result, key) -> int:
    """Conflicts with an impossible (or strained) finding that the summary does not show."""
    shown = {i for i, _, _ in key}
    sev = "impossible" if any(g.severity == "impossible" for g in result.groups) else "strained"
    return sum(1 for i, g in enumerate(result.groups, 1) if g.severity == sev and i not in shown)


def _note_summary(result):
    """(how many notes stand in groups of notes only, their summary by rule or None when
    they are few enough to list: belie.report.notes)."""
    notes = [f for g in result.groups if g.severity == "note" for f in g.findings]
    return len(notes), summarise_notes(notes)


# ------------------------------------------------------------------ the terminal


class _Out:
    """Lines to a rich console: wrapped with a hanging indent on a terminal, whole otherwise."""

    def __init__(self, console: Console):
        self.con = console
        self.wrap = console.is_terminal

    def __call__(self, text="", indent: int = 0, style: str | None = None) -> None:
        t = text if isinstance(text, Text) else Text(text, style=style or "")
        t = self._shown(t)
        if self.wrap:
            self.con.print(Padding(t, (0, 0, 0, indent)))
        else:
            self.con.print(Text(" " * indent) + t, soft_wrap=True, crop=False)

    def _shown(self, t: Text) -> Text:
        """The line as it may be shown: hidden characters (controls, bidi overrides)
        escaped everywhere; on a terminal, where rich wraps, a word too long to wrap in
        linear time is shown by its two ends (terminal_text). Piped, every word is whole.
        A line that needs either loses its inner styles, not its text."""
        plain = t.plain
        if self.wrap:
            if not (HIDDEN_CHARS.search(plain) or _LONG_WORD.search(plain)):
                return t
            return Text(terminal_text(plain, limit=max(MAX_TERMINAL_TEXT, 4 * len(plain))), style=t.style)
        if not HIDDEN_CHARS.search(plain):
            return t
        return Text(escape_hidden(plain), style=t.style)

    def head(self, text: str, style: str = "bold") -> None:
        self()
        self(Text(text, style=style))

    def claims(self, result, ids, indent: int) -> None:
        for cid, body, src, kind, where in _claim_lines(result, ids):
            t = Text()
            t.append(cid, style="bold")
            t.append(f"  {body} — {src} ({kind})")
            if where:
                t.append(f"  {where}", style="dim")
            self(t, indent)

    def finding(self, result, f, indent: int, label: str = "") -> None:
        t = Text()
        t.append(label)
        t.append(_finding_head(f), style=SEVERITY_STYLE[f.severity])
        self(t, indent)
        self.claims(result, f, indent + 4)
        self(" ".join(f.explanation.split()), indent + 4)
        if f.window:
            self(Text(f"Could still all be true only within: {f.window}", style="italic"), indent + 4)


def print_check(result, console: Console | None = None, *, quiet: bool = False) -> None:
    """The check for a reader: the verdict first, then (unless ``quiet``) every finding."""
    console = console or Console(soft_wrap=False)
    out = _Out(console)
    case = result.case
    out(Text(f"belie check — {case.name}", style="bold"))
    out(counts_line(result))
    for w in result.warnings:
        t = Text()
        t.append("warning", style="yellow")
        t.append(f": {w}")
        out(t)

    head, against = reading_summary(result)
    if head:
        out.head("Most plausible reading")
        out(head, 2)
        for r, kept in against:
            t = Text()
            t.append("✗ ", style="bold red")
            t.append(r["claim"], style="bold")
            t.append(f"  {r.get('source', '')} ({_weight(r)})")
            for _cid, body, _src, _kind, _where in _claim_lines(result, [r["claim"]]):
                t.append(f": {body}")
            out(t, 2)
            if kept:
                out("against " + ", ".join(f"{k['claim']} ({_weight(k, short=True)})" for k in kept), 6, style="dim")
            alone = _alone(result, r["claim"])
            if alone:
                out(f"cannot be true on its own ({alone})", 6, style="dim")
        d = result.reading.to_dict() if hasattr(result.reading, "to_dict") else result.reading
        if not d.get("optimal", True):
            out("(a very large group of conflicts was read greedily: this reading may not be the cheapest)", 2, "dim")

    key = _key(result)
    if key:
        out.head(KEY_HEAD if head else "Key findings — the strongest of each conflict")
        for i, f, first in key:
            if first:
                out(Text(_group_head(result.groups[i - 1], i), style="bold"), 2)
            out.finding(result, f, 4)
        if _untold(result, key):
            out(f"And {plural(_untold(result, key), 'more conflict')}, in the details below.", 2)
    if not result.findings:
        out()
        out("No findings: nothing in this case contradicts anything else.")
        return
    if quiet:
        return

    out.head("Details: every finding, by conflict, strongest first")
    notes, summary = _note_summary(result)
    for i, g in enumerate(result.groups, 1):
        if summary and g.severity == "note":
            continue
        out.head(_group_head(g, i), "bold")
        for j, f in enumerate(g.findings, 1):
            out.finding(result, f, 2, label=f"{i}.{j} ")
    if summary:
        out.head(f"{notes:,} notes, by rule ({WHERE_ALL})")
        for r in summary:
            out(r.line(), 2)
    if result.conflicts:
        out.head("Smallest sets of claims that cannot all be true")
        for i, k in enumerate(result.conflicts, 1):
            d = k.to_dict() if hasattr(k, "to_dict") else k
            out(Text(f"{i}. {{{', '.join(d['claims'])}}}  ({', '.join(d.get('rules', []))})"), 2)
            out.claims(result, d["claims"], 6)
            if d.get("via"):
                out(f"through the implied {'claim' if len(d['via']) == 1 else 'claims'} below (what a claim says "
                    f"implies what the implied claim says; the findings apply to the implied claim):", 6, "dim")
                for v in d["via"]:
                    out.claims(result, [v], 8)
                    by = [a for a, b in d.get("links", []) if b == v]
                    if by:
                        out(f"implied by {', '.join(by)}", 10, "dim")


# ------------------------------------------------------------------ Markdown


def check_markdown(result, *, quiet: bool = False) -> str:
    case = result.case
    out = [f"# belie check — {case.name}", "", counts_line(result), ""]
    for w in result.warnings:
        out += [f"- warning: {w}"]
    if result.warnings:
        out.append("")
    head, against = reading_summary(result)
    if head:
        out += ["## Most plausible reading", "", head, ""]
        for r, kept in against:
            body = " ".join(b for _, b, *_ in _claim_lines(result, [r["claim"]]))
            line = f"- ✗ `{r['claim']}` — *{r.get('source', '')}* ({_weight(r)}): {body}"
            if kept:
                line += " Against " + ", ".join(f"`{k['claim']}` ({_weight(k, short=True)})" for k in kept) + "."
            if _alone(result, r["claim"]):
                line += f" Cannot be true on its own ({_alone(result, r['claim'])})."
            out.append(line)
        out.append("")

    def finding(f, level: str) -> None:
        out.append(f"{level} {f.severity} · {f.rule}" + (f": {f.title}" if f.title else ""))
        out.append("")
        for cid, body, src, kind, _where in _claim_lines(result, f):
            out.append(f"- `{cid}` {body} — *{src}* ({kind})")
        out.extend(["", " ".join(f.explanation.split()), ""])
        if f.window:
            out.extend([f"Could still all be true only within `{f.window}`.", ""])

    key = _key(result)
    if key:
        out += [f"## {KEY_HEAD if head else 'Key findings — the strongest of each conflict'}", ""]
        for i, f, first in key:
            if first:
                out += [f"**{_group_head(result.groups[i - 1], i)}**", ""]
            finding(f, "###")
    if quiet or not result.findings:
        return "\n".join(out)
    out += ["## Details: every finding, by conflict", ""]
    notes, summary = _note_summary(result)
    for i, g in enumerate(result.groups, 1):
        if summary and g.severity == "note":
            continue
        out += [f"### {_group_head(g, i)}", ""]
        for f in g.findings:
            finding(f, "####")
    if summary:
        out += [f"### {notes:,} notes, by rule ({WHERE_ALL})", ""]
        out += [f"- {r.line()}" for r in summary]
        out.append("")
    if result.conflicts:
        out += ["## Smallest sets of claims that cannot all be true", ""]
        for i, k in enumerate(result.conflicts, 1):
            d = k.to_dict() if hasattr(k, "to_dict") else k
            out.append(f"{i}. " + ", ".join(f"`{x}`" for x in d["claims"]) + f" ({', '.join(d.get('rules', []))})")
            for cid, body, src, kind, _w in _claim_lines(result, d["claims"]):
                out.append(f"   - `{cid}` {body} — *{src}* ({kind})")
            for cid, body, src, kind, _w in _claim_lines(result, d.get("via", [])):
                by = [a for a, b in d.get("links", []) if b == cid]
                out.append(f"   - through the implied claim `{cid}` {body} — *{src}* ({kind})"
                           + (f", implied by {', '.join(f'`{a}`' for a in by)}" if by else ""))
        out.append("")
    return "\n".join(out)
