"""The HTML report: one self-contained file, readable offline, printable.

``render_report(case, result, *, reuse=None, reliability=None)`` returns the page;
``write_report(case, path)`` runs the check (and, where available, the text-reuse and
source-reliability analyses) and writes it atomically.  docs/report.md describes each
section.

Everything the page needs is inside it: the CSS, plotly.js (its basic bundle, gzip +
base64, unpacked by the browser), the charts, and the map (``mapdata.map_data`` drawn by
``assets/map.js`` over Natural Earth's coastlines).  No request leaves the page: no CDN,
no web fonts, no external images, no tiles.  The page leads with the verdict (the most
plausible reading and the key findings) and the map; docs/report.md has the sizes.  The
template (``templates/report.html.j2``) is rendered by Jinja2 with autoescaping, and
case text that goes into a chart's hover labels is escaped as well, so a quote that
contains ``<script>`` shows as text.

The charts (plotly figures, also available to a notebook):

* `timeline_figure` — whereabouts: one lane per person, documented stays as bars,
  alleged moments as marks, coloured by place, claims in impossible or strained
  findings outlined red;
* `charge_figures` — for each voice, the power each charge named over time against the
  voice's own stance toward that power (bands) on the day;
* `copying_figure` — the sources that share passages, arrows from the earlier to the
  later.
"""
from __future__ import annotations

import datetime as _dt
import html as _html
import math
import re
import sqlite3
from collections import defaultdict
from pathlib import Path

from belie.errors import BelieError
from belie.model.dates import DAY
from belie.model.schema import ONE_PLACE_TYPES
from belie.util import finalize_shown
from belie.report.export import (
    SEVERITY_HEAD,
    claim_findings,
    finding_ids,
    ingested_files,
)

SEVERITIES = ("impossible", "strained", "note")
SEVERITY_COLOR = {"impossible": "#b3261e", "strained": "#b45309", "note": "#1d4ed8"}
CONFLICT_COLOR = "#d00000"
STANCE_COLOR = {"hostile": "#c62828", "friendly": "#2e7d32", "neutral": "#607d8b", "unknown": "#222222"}
STANCE_SYMBOL = {"hostile": "x", "friendly": "circle", "neutral": "square", "unknown": "circle-open"}
ROLE_SYMBOL = {"presence": "diamond", "meeting": "circle", "departure": "triangle-left",
               "arrival": "triangle-right", "denied": "x-thin-open"}
KIND_ORDER = ("record", "finding", "official", "study", "letter", "testimony", "press", "confession")
KIND_COLOR = {"record": "#1b5e20", "finding": "#2e7d32", "official": "#6a1b9a", "study": "#00838f",
              "letter": "#5d4037", "testimony": "#1565c0", "press": "#ef6c00", "confession": "#c62828"}
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
           "#7f7f7f", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d",
           "#31a354", "#756bb1", "#636363", "#6baed6")
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
                 "toImageButtonOptions": {"format": "png", "scale": 2}}
_MS_DAY = 86_400_000

# Where a report section's data comes from when nothing is passed: computed.
_AUTO = object()


# ----------------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------------

def esc(text) -> str:
    """Case text for a plotly label: escaped (plotly reads a few HTML tags in labels)."""
    return _html.escape(str(text), quote=False)


def _iso(day: float) -> str:
    # Clamped: a padded axis around 1 Jan 1 or 31 Dec 9999 would leave the calendar.
    day = min(max(day, 1), _dt.date.max.toordinal())
    if day == int(day):
        return _dt.date.fromordinal(int(day)).isoformat()
    base = _dt.datetime.fromordinal(int(day))
    return (base + _dt.timedelta(days=day - int(day))).isoformat(timespec="minutes")


def _d(x: int, *, end: bool = False):
    """A bound (seconds, belie.model.dates) as a day on the timeline's axis: the ordinal
    of its day (an int) where it is a whole day, else a fraction of a day (a float, UTC).
    With ``end`` the bound is a last second: a whole last day stays that day (an int,
    whose end is ``+ 1``); otherwise the float is the end itself (see `_end`)."""
    from belie.model.dates import OPEN_END, OPEN_START

    if x <= OPEN_START or x >= OPEN_END:
        return x
    if end:
        x += 1
        return x // DAY - 1 if x % DAY == 0 else x / DAY
    return x // DAY if x % DAY == 0 else x / DAY


def _end(hi):
    """Where a span drawn to `hi` (from `_d`) ends: the day after a whole last day, else hi."""
    return hi + 1 if isinstance(hi, int) else hi


def _bounded(lo: int, hi: int) -> bool:
    from belie.model.dates import OPEN_END, OPEN_START

    return lo > OPEN_START and hi < OPEN_END


def _wrap(text: str, width: int = 90) -> str:
    """Break a long hover line into `<br>`-joined lines (text already escaped)."""
    words, lines, cur = text.split(" "), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return "<br>".join(lines)


def _anchor(prefix: str, ident: str) -> str:
    return f"{prefix}-" + re.sub(r"[^A-Za-z0-9_.:-]+", "_", str(ident))


def _claim_body(case, c) -> str:
    return f"“{c.quote}”" if c.quote else c.summary(case.label)


def _conflict_map(case, result) -> dict[str, list[tuple[str, str, str]]]:
    """Claim id -> [(severity, rule, title)] of the impossible and strained findings."""
    out: dict[str, list] = defaultdict(list)
    for f in result.findings:
        if f.severity in ("impossible", "strained"):
            for cid in f.claims:
                out[cid].append((f.severity, f.rule, f.title or f.rule))
    return out


def _json_for_html(obj) -> str:
    """JSON that is safe inside a ``<script type="application/json">``: every ``<``,
    ``>`` and ``&`` is written as a JSON escape, so no text can close the element."""
    import json

    text = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _figure_html(fig, div_id: str) -> str:
    """A chart of the page: an empty element and the figure's spec (JSON, gzip-compressed
    and base64-encoded: hover texts repeat, and shrink about tenfold), which the page's
    script (assets/report.js) draws once plotly.js is unpacked."""
    import base64
    import gzip
    import json

    import plotly.io as pio

    spec = pio.to_json(fig, validate=False, engine="json")
    height = int(fig.layout.height or 450)
    spec = '{"config":' + json.dumps(PLOTLY_CONFIG) + "," + spec[spec.index("{") + 1:]
    packed = base64.b64encode(gzip.compress(spec.encode("utf-8"), 9, mtime=0)).decode("ascii")
    return (f'<div class="belie-plot plotly-graph-div" id="{div_id}" style="width:100%;height:{height}px"></div>'
            f'<script type="application/x-belie-plot" data-plot="{div_id}">{packed}</script>')


def chart_spec(script_text: str) -> dict:
    """The figure spec of one chart of a report page (the text of its
    ``<script data-plot>``), for tests and tools that read a report."""
    import base64
    import gzip
    import json

    return json.loads(gzip.decompress(base64.b64decode(script_text)).decode("utf-8"))


def _base_layout(**kw) -> dict:
    layout = dict(template="simple_white", font=dict(family="Helvetica, Arial, sans-serif", size=12),
                  margin=dict(l=10, r=10, t=40, b=40), hoverlabel=dict(align="left"),
                  legend=dict(orientation="h", yanchor="top", y=-0.12, x=0, xanchor="left"))
    layout.update(kw)
    return layout


# ----------------------------------------------------------------------------------
# The whereabouts timeline
# ----------------------------------------------------------------------------------

def _whereabouts(case) -> tuple[list, list]:
    """Asserted stays and denials (`belie.report.mapdata.whereabouts`, the one list the
    timeline and the map share), as ``(person, place, lo, hi, claim, role, throughout)``
    tuples in timeline days (`_d`)."""
    from belie.report.mapdata import whereabouts

    every = [(p, pl, _d(lo), _d(hi, end=True), cid, role, thr)
             for p, pl, lo, hi, cid, role, thr in whereabouts(case)]
    return [t for t in every if t[5] != "denied"], [t for t in every if t[5] == "denied"]


def timeline_data(case, window: tuple[int, int] | None = None) -> dict:
    """Lanes and marks of the whereabouts timeline, as plain data.

    ``{"lanes": [person ids], "bars": [...], "marks": [...], "range": (lo, hi)}`` where a
    bar is a documented stay (a ``throughout`` presence or meeting) and a mark an alleged
    moment (a ``when`` presence, a meeting, a travel's departure and arrival, or a
    denial), each ``{"person", "place", "lo", "hi", "claim", "role"}`` in ordinal days.
    With `window` (ordinal days), only what overlaps it, padded a little, is kept.
    """
    stays, denials = _whereabouts(case)
    everything = stays + denials
    if window is not None:
        w = window[1] - window[0] + 1
        # A close-up of a day or two is drawn in hours (plotly's date axis then ticks hours).
        pad = max(1, w // 4) if w >= 2 else max(1 / 24, w / 4)
        lo, hi = window[0] - pad, window[1] + pad
    else:
        bounded = [(t[2], t[3]) for t in everything if _bounded(t[2], t[3])]
        if not bounded:
            return {"lanes": [], "bars": [], "marks": [], "range": None}
        lo = min(b[0] for b in bounded)
        hi = max(b[1] for b in bounded)
        # A case within a day or two is drawn in hours; a longer one in days.
        pad = _pad_days(hi - lo + 1) if hi - lo >= 2 else max(1 / 24, (hi - lo + 1) / 8)
        lo, hi = lo - pad, hi + pad

    first: dict[str, int] = {}
    bars, marks = [], []
    for person, place, a0, b0, cid, role, throughout in everything:
        a, b = max(a0, lo), min(b0, hi)
        if a > b:
            continue
        first[person] = min(first.get(person, a), a)
        item = {"person": person, "place": place, "lo": a, "hi": b, "claim": cid, "role": role,
                "clipped": (a, b) != (a0, b0)}
        (bars if throughout else marks).append(item)
    if not first:
        return {"lanes": [], "bars": [], "marks": [], "range": None}
    lanes = sorted(first, key=lambda p: (first[p], case.label(p)))
    return {"lanes": lanes, "bars": bars, "marks": marks, "range": (lo, hi)}


def _pad_days(span: int) -> int:
    """Days added on each side of a span of `span` days: a day around a day or a week,
    a week around months, a fortieth of a long span."""
    if span <= 10:
        return 1
    if span < 280:
        return min(7, max(2, span // 10))
    return span // 40


def _spread_marks(marks: list[dict], lane_of: dict, slack: int) -> tuple[dict[int, float], int]:
    """The vertical offset of each mark within its lane (keyed by ``id(mark)``), and the
    largest number of marks that share a place in a lane: marks of one lane whose
    intervals overlap (within `slack` days) share the lane's height evenly, so that ten
    claims about one day stay ten marks."""
    by_lane: dict[int, list[dict]] = defaultdict(list)
    for m in marks:
        by_lane[lane_of[m["person"]]].append(m)
    out: dict[int, float] = {}
    largest = 1
    for lane_marks in by_lane.values():
        lane_marks.sort(key=lambda m: (m["lo"], m["hi"]))
        clusters: list[list[dict]] = []
        end = None
        for m in lane_marks:
            if clusters and m["lo"] <= end + slack:
                clusters[-1].append(m)
                end = max(end, m["hi"])
            else:
                clusters.append([m])
                end = m["hi"]
        for cl in clusters:
            n = len(cl)
            step = 0.22 if n <= 3 else min(0.22, 0.66 / (n - 1))
            for k, m in enumerate(cl):
                out[id(m)] = round((k - (n - 1) / 2) * step, 4)
            largest = max(largest, n)
    return out, largest


def overview_range(data: dict) -> tuple[int, int]:
    """The period the overview opens on: where the bulk of the whereabouts lie.

    A few claims far from all the others (one stay twenty years earlier) would squeeze
    everything else into a sliver: where a gap between the items' midpoints spans more
    than a third of the whole, the range is that of the largest group, padded.
    """
    items = [i for i in data["bars"] + data["marks"] if not i["clipped"]]
    lo, hi = data["range"]
    if len(items) < 5:
        return lo, hi
    items.sort(key=lambda i: (i["lo"] + i["hi"]) / 2)
    mids = [(i["lo"] + i["hi"]) / 2 for i in items]
    span = max(mids[-1] - mids[0], 1)
    groups, cur = [], [items[0]]
    for prev, i, m in zip(mids, items[1:], mids[1:]):
        if m - prev > span / 3:
            groups.append(cur)
            cur = []
        cur.append(i)
    groups.append(cur)
    if len(groups) == 1:
        return lo, hi
    best = max(groups, key=len)
    glo, ghi = min(i["lo"] for i in best), max(i["hi"] for i in best)
    pad = _pad_days(ghi - glo + 1)
    return glo - pad, ghi + pad


def outside_overview(data: dict) -> list[str]:
    """Claims of the timeline that lie wholly outside the period the overview opens on."""
    lo, hi = overview_range(data)
    return sorted({i["claim"] for i in data["bars"] + data["marks"] if i["hi"] < lo or i["lo"] > hi})


def conflict_episodes(case, result, *, gap: int = 30, limit: int = 8) -> list[dict]:
    """Short periods worth a close-up: where impossible or strained findings put people.

    For each such finding that involves whereabouts, its narrowest bounded interval;
    intervals within `gap` days of each other are merged.  At most `limit` episodes (those
    with most findings), in date order: ``{"lo", "hi", "findings", "places"}``.
    """
    stays, denials = _whereabouts(case)
    by_claim: dict[str, list] = defaultdict(list)
    for t in stays + denials:
        if _bounded(t[2], t[3]):
            by_claim[t[4]].append(t)
    found = []
    for f in result.findings:
        if f.severity not in ("impossible", "strained"):
            continue
        ts = [t for cid in f.claims for t in by_claim.get(cid, [])]
        if not ts:
            continue
        narrow = min(ts, key=lambda t: (t[3] - t[2], t[2]))
        found.append((narrow[2], narrow[3], f, {t[1] for t in ts}))
    # A wide window (a claim dated only by its year) that overlaps a narrower one adds
    # nothing to the close-up of the narrower one: it is left out.
    kept: list = []
    for item in sorted(found, key=lambda x: (x[1] - x[0], x[0])):
        lo, hi = item[0], item[1]
        if hi - lo > 92 and any(k[0] <= hi and lo <= k[1] for k in kept):
            for k in kept:
                if k[0] <= hi and lo <= k[1]:
                    k[4].append(item[2])
                    break
            continue
        kept.append([lo, hi, item[2], item[3], []])
    found = [(k[0], k[1], k[2], k[3], len(k[4])) for k in kept]
    found.sort(key=lambda x: (x[0], x[1]))
    episodes: list[dict] = []
    for lo, hi, f, places, extra in found:
        if episodes and lo <= episodes[-1]["hi"] + gap:
            e = episodes[-1]
            e["hi"] = max(e["hi"], hi)
            e["findings"] += 1 + extra
            e["places"] |= places
        else:
            episodes.append({"lo": lo, "hi": hi, "findings": 1 + extra, "places": set(places)})
    episodes = sorted(sorted(episodes, key=lambda e: -e["findings"])[:limit], key=lambda e: e["lo"])
    for e in episodes:
        groups = []
        for p in sorted(e["places"], key=case.label):
            g = _place_group(case, p)
            if g not in groups:
                groups.append(g)
        e["places"] = [case.label(g) for g in groups]
    return episodes


def _place_group(case, place: str) -> str:
    """The outermost place containing `place`."""
    try:
        anc = case.places.ancestors(place)
    except Exception:  # noqa: BLE001
        anc = []
    return anc[-1] if anc else place


def place_colour_groups(case, places) -> dict[str, str]:
    """Place -> the place whose colour it takes on the timeline: the outermost place
    containing it that not every place of the chart shares.  A hotel takes its city's
    colour; in a case whose places all lie in one city, each district or address has
    its own (the city is dropped, being common to all)."""
    chains = {}
    for p in places:
        try:
            anc = case.places.ancestors(p)
        except Exception:  # noqa: BLE001
            anc = []
        chains[p] = list(reversed(anc)) + [p]
    common = 0
    if len(chains) > 1:
        first = next(iter(chains.values()))
        while all(len(c) > common + 1 and c[common] == first[common] for c in chains.values()):
            common += 1
    return {p: c[min(common, len(c) - 1)] for p, c in chains.items()}


def group_colours(groups) -> dict[str, str]:
    """A colour per group, distinct past the palette's end."""
    from belie.report.mapdata import distinct_colour

    return {g: distinct_colour(i, PALETTE) for i, g in enumerate(groups)}


def _claim_hover(case, cid: str, conflicts) -> str:
    c = case.claim_by_id.get(cid)
    if c is None:
        return esc(cid)
    src = case.sources.get(c.source)
    lines = [f"<b>{esc(c.id)}</b>", _wrap(esc(c.summary(case.label)))]
    if c.quote:
        lines.append("<i>" + _wrap(esc(f"“{c.quote}”")) + "</i>")
    if c.when is not None:
        lines.append(esc(f"date: {c.when.show()}"))
    if src is not None:
        said = f", said {src.said.text}" if src.said is not None else ""
        lines.append(esc(f"source: {src.label} ({src.kind}{said})"))
    for sev, rule, title in conflicts.get(cid, []):
        lines.append(f"<b>{esc(sev)}</b>: " + _wrap(esc(f"{rule} — {title}")))
    return "<br>".join(lines)


def timeline_figure(case, result, window: tuple[int, int] | None = None):
    """The whereabouts timeline as a plotly Figure, or None when nobody has a dated place.

    Lanes are persons (y = lane index, labelled); each documented stay is a horizontal
    Bar (``customdata`` = claim id); alleged moments are Scatter marks at the middle of
    their interval with a thin line over the whole interval.  Colour: the outermost
    place (a hotel takes its city's colour, so compatible places look alike).  With
    `window` (ordinal days ``(lo, hi)``), a close-up of that period.
    """
    import plotly.graph_objects as go

    data = timeline_data(case, window)
    if not data["lanes"]:
        return None
    conflicts = _conflict_map(case, result)
    lane_of = {p: i for i, p in enumerate(data["lanes"])}
    group_of = place_colour_groups(case, {i["place"] for i in data["bars"] + data["marks"]})
    groups = []
    for item in data["bars"] + data["marks"]:
        g = group_of[item["place"]]
        if g not in groups:
            groups.append(g)
    color = group_colours(groups)
    fig = go.Figure()
    # Marks that share a lane and overlap in time are spread vertically a little.
    lo_r, hi_r = data["range"]
    spread, crowd = _spread_marks(data["marks"], lane_of, slack=max(0, (hi_r - lo_r) // 150))

    def offset(m) -> float:
        return spread[id(m)]

    for g in groups:
        name = case.label(g)
        bars = [b for b in data["bars"] if group_of[b["place"]] == g]
        marks = [m for m in data["marks"] if group_of[m["place"]] == g]
        if bars:
            line_c = [CONFLICT_COLOR if b["claim"] in conflicts else "rgba(0,0,0,0.35)" for b in bars]
            line_w = [3 if any(s == "impossible" for s, _, _ in conflicts.get(b["claim"], [])) else
                      2 if b["claim"] in conflicts else 0.5 for b in bars]
            fig.add_trace(go.Bar(
                orientation="h", name=esc(name), legendgroup=g, showlegend=True,
                base=[_iso(b["lo"]) for b in bars],
                x=[(_end(b["hi"]) - b["lo"]) * _MS_DAY for b in bars],
                y=[lane_of[b["person"]] for b in bars], width=0.5,
                marker=dict(color=color[g], opacity=0.75, line=dict(color=line_c, width=line_w)),
                customdata=[b["claim"] for b in bars],
                hovertext=[f"<b>documented stay</b> at {esc(case.label(b['place']))}<br>"
                           + _claim_hover(case, b["claim"], conflicts) for b in bars],
                hoverinfo="text", meta="stay"))
        role_text = {"presence": "alleged presence", "meeting": "alleged meeting",
                     "departure": "alleged departure", "arrival": "alleged arrival",
                     "denied": "DENIED by the source"}

        def hover(m, clipped=False):
            extra = "<br><i>(its interval runs beyond this chart)</i>" if clipped else ""
            return (f"<b>{esc(role_text[m['role']])}</b> at {esc(case.label(m['place']))}<br>"
                    + _claim_hover(case, m["claim"], conflicts) + extra)

        # A mark whose interval runs beyond the chart has no meaningful middle: it is drawn
        # as a dashed line across the chart, with invisible points along it for the hover.
        whole = [m for m in marks if not m["clipped"]]
        cut = [m for m in marks if m["clipped"]]
        if whole:
            xs, ys, seg_x, seg_y = [], [], [], []
            for m in whole:
                y = lane_of[m["person"]] + offset(m)
                mid = (m["lo"] + _end(m["hi"])) / 2
                xs.append((_dt.datetime.fromordinal(int(mid)) + _dt.timedelta(days=mid - int(mid))).isoformat())
                ys.append(y)
                if m["hi"] > m["lo"]:
                    seg_x += [_iso(m["lo"]), _iso(_end(m["hi"])), None]
                    seg_y += [y, y, None]
            if seg_x:
                fig.add_trace(go.Scatter(
                    x=seg_x, y=seg_y, mode="lines", legendgroup=g, showlegend=False, hoverinfo="skip",
                    line=dict(color=color[g], width=2), opacity=0.6, meta="interval"))
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="markers", name=esc(name), legendgroup=g, showlegend=not bars,
                marker=dict(color=color[g], size=[13 if m["claim"] in conflicts else 10 for m in whole],
                            symbol=[ROLE_SYMBOL[m["role"]] for m in whole],
                            line=dict(color=[CONFLICT_COLOR if m["claim"] in conflicts else "white"
                                             for m in whole],
                                      width=[2.5 if m["claim"] in conflicts else 1 for m in whole])),
                customdata=[m["claim"] for m in whole], hovertext=[hover(m) for m in whole],
                hoverinfo="text", meta="alleged"))
        if cut:
            lx, ly, px, py, ph, pc = [], [], [], [], [], []
            for m in cut:
                y = lane_of[m["person"]] + offset(m)
                lx += [_iso(m["lo"]), _iso(_end(m["hi"])), None]
                ly += [y, y, None]
                n_pts = 6
                for k in range(n_pts):
                    d = m["lo"] + (_end(m["hi"]) - m["lo"]) * (k + 0.5) / n_pts
                    px.append((_dt.datetime.fromordinal(int(d)) + _dt.timedelta(days=d - int(d))).isoformat())
                    py.append(y)
                    ph.append(hover(m, clipped=True))
                    pc.append(m["claim"])
            fig.add_trace(go.Scatter(
                x=lx, y=ly, mode="lines", legendgroup=g, showlegend=not bars and not whole, name=esc(name),
                hoverinfo="skip", line=dict(color=color[g], width=2, dash="dash"), opacity=0.7,
                meta="interval-beyond"))
            fig.add_trace(go.Scatter(
                x=px, y=py, mode="markers", legendgroup=g, showlegend=False, marker=dict(size=8, opacity=0),
                customdata=pc, hovertext=ph, hoverinfo="text", meta="alleged-beyond"))
    # A key to the symbols (on the overview only: the close-ups list their places).
    key = [] if window is not None else [("documented stay (bar)", "square", "#999999", "#999999"),
           ("presence at some moment", ROLE_SYMBOL["presence"], "#999999", "white"),
           ("meeting", ROLE_SYMBOL["meeting"], "#999999", "white"),
           ("departure / arrival", ROLE_SYMBOL["arrival"], "#999999", "white"),
           ("denied by the source", ROLE_SYMBOL["denied"], "#999999", "#999999"),
           ("in an impossible or strained finding", "circle", "white", CONFLICT_COLOR)]
    for i, (name, sym, fill, edge) in enumerate(key):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name, legendgroup="key",
                                 legendgrouptitle_text="Key" if i == 0 else None,
                                 marker=dict(symbol=sym, color=fill, size=10, line=dict(color=edge, width=2)),
                                 hoverinfo="skip", meta="key"))
    lo, hi = data["range"] if window is not None else overview_range(data)
    n = len(data["lanes"])
    # A lane is tall enough for the marks it stacks (a one-day case stacks them all).
    lane_px = max(56, min(18 * crowd, 110, 616 // max(n, 1)))
    n_legend = len(groups) + len(key) + (2 if key else 0)
    fig.update_layout(**_base_layout(
        height=max(320, 160 + lane_px * n, 80 + 24 * n_legend),
        barmode="overlay",
        xaxis=dict(type="date", range=[_iso(lo), _iso(_end(hi))], showgrid=True, gridcolor="#eeeeee",
                   title=None),
        yaxis=dict(tickmode="array", tickvals=list(range(n)),
                   ticktext=[esc(case.label(p)) for p in data["lanes"]],
                   range=[n - 0.5, -0.5], showgrid=False, title=None, zeroline=False),
        legend=(dict(orientation="v", x=1.01, y=1, xanchor="left", yanchor="top", font=dict(size=11))
                if window is None else
                dict(orientation="h", x=0, y=-0.12, xanchor="left", yanchor="top", font=dict(size=11))),
        margin=dict(l=10, r=10, t=20, b=40),
    ))
    if window is not None:
        # The close-up's key sits under the axis, below its two lines of tick labels
        # (the day and, under the first, the year), never over them.
        height = max(260, 150 + max(50, lane_px) * n)
        fig.update_layout(height=height, margin=dict(l=10, r=10, t=20, b=100),
                          legend=dict(y=-52 / (height - 120)))
    return fig


# ----------------------------------------------------------------------------------
# Charges against diplomacy
# ----------------------------------------------------------------------------------

def _voice_of(case, c) -> str:
    from belie.rules.shifting_accusation import voice_of

    return voice_of(case, c)


def _charge_day(case, c) -> int | None:
    src = case.sources.get(c.source)
    said = src.said if src is not None else None
    if said is None:
        return None
    lo, hi, b = _d(said.lo), _d(said.hi, end=True), _bounded(said.lo, said.hi)
    if b:
        return (lo + hi) // 2
    from belie.model.dates import OPEN_END, OPEN_START

    if said.lo <= OPEN_START and said.hi >= OPEN_END:
        return None
    return hi if said.lo <= OPEN_START else lo


def _stance_table(case) -> dict[frozenset, list]:
    """Asserted stance claims by unordered pair of parties, narrowest period first."""
    table: dict[frozenset, list] = defaultdict(list)
    for c in case.claims:
        if c.kind == "stance" and not c.denies and len(c.people) == 2 and c.people[0] != c.people[1] and c.stance:
            table[frozenset(c.people)].append(c)
    for lst in table.values():
        lst.sort(key=lambda c: 10**10 if c.when is None else c.when.hi - c.when.lo)
    return table


def _stance_on(table, a: str, b: str, day: int):
    """The most specific stance claim between a and b that covers `day`."""
    for c in table.get(frozenset((a, b)), []):
        if c.when is None or _d(c.when.lo) <= day <= _d(c.when.hi, end=True):
            return c
    return None


def charge_rows(case, result=None) -> dict[str, list[dict]]:
    """Voice -> its dated charges, as the shifting-accusation rule's table rows
    (``date, edtf, power, stance, source, claim`` and more).

    Rows come from the per-voice findings' ``details`` where the rule gave them, else
    from `belie.rules.shifting_accusation.charge_table`, else are computed here the same
    way (the day a charge was made is the middle of its source's ``said``; the stance is
    that of the most specific stance claim covering that day).
    """
    by_voice: dict[str, list] = defaultdict(list)
    for c in case.claims:
        if c.kind == "accusation" and not c.denies and c.serving and c.people:
            by_voice[_voice_of(case, c)].append(c)
    out: dict[str, list[dict]] = {}
    table = None
    if result is not None:
        for f in result.findings:
            if f.rule == "shifting-accusation" and isinstance(f.details, dict) and f.details.get("rows"):
                voice = f.details.get("voice")
                if voice is not None and voice not in out:
                    out[voice] = [dict(r) for r in f.details["rows"]]
    try:
        from belie.rules.shifting_accusation import charge_table
    except ImportError:  # pragma: no cover
        charge_table = None
    for voice in sorted(by_voice):
        if voice in out:
            continue
        if charge_table is not None:
            try:
                out[voice] = charge_table(case, voice, accusations=by_voice[voice])
                continue
            except Exception:  # noqa: BLE001 - fall back to the computation below
                pass
        rows = []
        if table is None:
            table = _stance_table(case)
        for c in by_voice[voice]:
            day = _charge_day(case, c)
            if day is None:
                continue
            st = _stance_on(table, voice, c.serving, day)
            said = case.sources[c.source].said
            rows.append({"date": _iso(day), "edtf": said.edtf, "said": said.text,
                         "accused": c.people[0], "power": c.serving,
                         "stance": st.stance if st is not None else "unknown",
                         "stance_claim": st.id if st is not None else None,
                         "stance_source": st.source if st is not None else None,
                         "source": c.source, "claim": c.id})
        rows.sort(key=lambda r: (r["date"], r["claim"]))
        out[voice] = rows
    return {v: rows for v, rows in out.items() if rows}


def charge_figures(case, result) -> list[dict]:
    """For each voice with dated charges: ``{"voice", "label", "figure", "rows",
    "summary", "undated"}`` where the figure plots each charge (x = the day it was
    made, y = the power named; marker = the voice's stance toward that power that
    day) over bands showing the voice's stance periods toward each power."""
    import plotly.graph_objects as go

    rows_by_voice = charge_rows(case, result)
    stances = _stance_table(case)
    details_by_voice = {}
    for f in result.findings if result is not None else []:
        if f.rule == "shifting-accusation" and isinstance(f.details, dict) and f.details.get("rows"):
            details_by_voice.setdefault(f.details.get("voice"), f.details)
    out = []
    for voice, rows in rows_by_voice.items():
        days = [_dt.date.fromisoformat(r["date"]).toordinal() for r in rows]
        lo, hi = min(days), max(days)
        pad = max(60, (hi - lo) // 12)
        x0, x1 = lo - pad, hi + pad
        powers: list[str] = []
        for r in rows:
            if r["power"] not in powers:
                powers.append(r["power"])
        lane = {p: i for i, p in enumerate(powers)}
        fig = go.Figure()
        shapes = []
        for p in powers:
            for st in stances.get(frozenset((voice, p)), []):
                a = _d(st.when.lo) if st.when is not None else x0
                b = _d(st.when.hi, end=True) if st.when is not None else x1
                a, b = max(a, x0), min(b, x1)
                if a > b:
                    continue
                shapes.append(dict(type="rect", xref="x", yref="y", layer="below",
                                   x0=_iso(a), x1=_iso(b + 1), y0=lane[p] - 0.42, y1=lane[p] + 0.42,
                                   fillcolor=STANCE_COLOR.get(st.stance, "#999"), opacity=0.13,
                                   line=dict(width=0)))
        seen: dict[tuple, int] = defaultdict(int)
        for stance in ("hostile", "friendly", "neutral", "unknown"):
            pts = [r for r in rows if r.get("stance", "unknown") == stance]
            if not pts:
                continue
            ys = []
            for r in pts:
                k = (r["power"], r["date"])
                ys.append(lane[r["power"]] + (0.0, 0.15, -0.15, 0.3, -0.3)[seen[k] % 5])
                seen[k] += 1
            hover = []
            for r in pts:
                src = case.sources.get(r["source"])
                said = src.said.show() if src is not None and src.said is not None else r.get("said", "")
                st_src = f" ({r['stance_source']})" if r.get("stance_source") else ""
                hover.append("<br>".join([
                    f"<b>{esc(r['claim'])}</b>",
                    esc(f"{case.label(r['accused'])} accused of serving {case.label(r['power'])}"),
                    esc(f"charge made {r['date']} — source {r['source']}, said {said}"),
                    esc(f"{case.label(voice)}'s stance toward {case.label(r['power'])} that day: "
                        f"{stance}{st_src}"),
                ]))
            fig.add_trace(go.Scatter(
                x=[r["date"] for r in pts], y=ys, mode="markers", name=f"charge; stance that day: {stance}",
                marker=dict(symbol=STANCE_SYMBOL[stance], color=STANCE_COLOR[stance], size=13,
                            line=dict(width=2, color=STANCE_COLOR[stance])),
                customdata=[r["claim"] for r in pts], hovertext=hover, hoverinfo="text", meta="charge"))
        for stance in ("hostile", "friendly", "neutral"):
            if any(s["fillcolor"] == STANCE_COLOR[stance] for s in shapes):
                fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"stance period: {stance}",
                                         marker=dict(symbol="square", size=14, color=STANCE_COLOR[stance],
                                                     opacity=0.25), hoverinfo="skip", meta="key"))
        n = len(powers)
        fig.update_layout(**_base_layout(
            height=max(260, 150 + 60 * n), shapes=shapes,
            xaxis=dict(type="date", range=[_iso(x0), _iso(x1 + 1)], showgrid=True, gridcolor="#eeeeee",
                       title="day the charge was made"),
            yaxis=dict(tickmode="array", tickvals=list(range(n)),
                       ticktext=[esc(case.label(p)) for p in powers], range=[n - 0.5, -0.5],
                       title="power named as paymaster", zeroline=False),
            legend=dict(orientation="h", yanchor="top", y=-0.25, x=0, xanchor="left"),
            margin=dict(l=10, r=10, t=20, b=60),
        ))
        counts = {"hostile": 0, "friendly": 0, "neutral": 0, "unknown": 0}
        for r in rows:
            counts[r.get("stance", "unknown")] = counts.get(r.get("stance", "unknown"), 0) + 1
        det = details_by_voice.get(voice) or {}
        summary = {"n": len(rows), "counts": counts, "share": det.get("share"),
                   "p_value": det.get("p_value"), "n_permutations": det.get("n_permutations")}
        dated = {r["claim"] for r in rows}
        undated = [c for c in case.claims if c.kind == "accusation" and not c.denies and c.serving
                   and c.people and _voice_of(case, c) == voice and c.id not in dated]
        out.append({"voice": voice, "label": case.label(voice), "figure": fig, "rows": rows,
                    "summary": summary, "undated": undated})
    return out


# ----------------------------------------------------------------------------------
# Text reuse (the copying graph) and source reliability
# ----------------------------------------------------------------------------------

def _said_day(case, sid: str) -> int | None:
    src = case.sources.get(sid)
    if src is None or src.said is None or not _bounded(src.said.lo, src.said.hi):
        return None
    return (_d(src.said.lo) + _d(src.said.hi, end=True)) // 2


def reuse_edges(case, reuse) -> list[dict]:
    """Normalise reuse results to edges between sources, earlier first.

    ``reuse`` may hold `belie.sources.reuse.ReusePair`s, or dicts ``{"a", "b", "score",
    "passages"?, "data"?}`` (the case store's ``reuse_edges``).  An endpoint that is a
    claim id stands for its source.  Each edge: ``{"a", "b", "score", "passages",
    "sample", "directed"}`` — ``directed`` when the two sources' dates tell which came
    first (``a`` is then the earlier).
    """
    if not reuse:
        return []
    edges: dict[tuple[str, str], dict] = {}
    for item in reuse:
        if isinstance(item, dict):
            a, b, score = item.get("a"), item.get("b"), float(item.get("score", 0.0))
            data = item.get("data") or {}
            passages = item.get("passages") or (data.get("passages") if isinstance(data, dict) else None) or []
        else:
            a, b, score = getattr(item, "a", None), getattr(item, "b", None), float(getattr(item, "score", 0.0))
            passages = list(getattr(item, "passages", []) or [])
        if a is None or b is None:
            continue
        a, b = str(a), str(b)
        a = a if a in case.sources else (case.claim_by_id[a].source if a in case.claim_by_id else a)
        b = b if b in case.sources else (case.claim_by_id[b].source if b in case.claim_by_id else b)
        if a == b:
            continue
        da, db = _said_day(case, a), _said_day(case, b)
        directed = da is not None and db is not None and da != db
        if directed and db < da:
            a, b = b, a
        sample = ""
        for p in passages:
            t = p.get("a_text") if isinstance(p, dict) else getattr(p, "a_text", "")
            if t:
                sample = t
                break
        key = (a, b) if directed else tuple(sorted((a, b)))
        old = edges.get(key)
        if old is None or score > old["score"]:
            edges[key] = {"a": key[0], "b": key[1], "score": score, "passages": len(passages),
                          "sample": sample, "directed": directed}
    return sorted(edges.values(), key=lambda e: (-e["score"], e["a"], e["b"]))


def copying_figure(case, edges):
    """The copying graph: nodes = sources (x = the day said, y = their kind), edges =
    shared passages, an arrow from the earlier source to the later one."""
    import plotly.graph_objects as go

    if not edges:
        return None
    nodes: list[str] = []
    for e in edges:
        for n in (e["a"], e["b"]):
            if n not in nodes:
                nodes.append(n)
    days = {n: _said_day(case, n) for n in nodes}
    known = [d for d in days.values() if d is not None]
    lo, hi = (min(known), max(known)) if known else (_dt.date(1900, 1, 1).toordinal(),) * 2
    span = max(hi - lo, 30)
    undated_x = hi + span // 8 + 1
    kinds = []
    for n in nodes:
        k = case.sources[n].kind if n in case.sources else "unknown"
        if k not in kinds:
            kinds.append(k)
    kinds.sort(key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER))

    def kind_of(n: str) -> str:
        return case.sources[n].kind if n in case.sources else "unknown"

    def xpos(n: str) -> float:
        return days[n] if days[n] is not None else undated_x

    # Within a kind's band, sources said close together are stacked one above another.
    pos: dict[str, tuple[float, float]] = {}
    ticks: list[float] = []
    base = 0.0
    for k in kinds:
        members = sorted((n for n in nodes if kind_of(n) == k), key=lambda n: (xpos(n), n))
        clusters: list[list[str]] = []
        for n in members:
            if clusters and xpos(n) - xpos(clusters[-1][0]) < span / 20:
                clusters[-1].append(n)
            else:
                clusters.append([n])
        height = max(len(c) for c in clusters)
        for c in clusters:
            top = base + (height - len(c)) / 2
            for j, n in enumerate(c):
                pos[n] = (xpos(n), top + j)
        ticks.append(base + (height - 1) / 2)
        base += height + 0.6
    total = base - 0.6

    def xdate(x: float) -> str:
        base = _dt.datetime.fromordinal(int(x))
        return (base + _dt.timedelta(days=x - int(x))).isoformat()

    fig = go.Figure()
    top = max(e["score"] for e in edges) or 1.0
    for e in edges:
        (xa, ya), (xb, yb) = pos[e["a"]], pos[e["b"]]
        t = 0.78
        xm, ym = xa + (xb - xa) * t, ya + (yb - ya) * t
        hover = (f"<b>{esc(e['a'])} → {esc(e['b'])}</b>" if e["directed"] else
                 f"<b>{esc(e['a'])} — {esc(e['b'])}</b> (order undecided)")
        hover += f"<br>shared: {e['score']:.0%} of the more-covered text; {e['passages']} passage(s)"
        if e["sample"]:
            sample = e["sample"] if len(e["sample"]) <= 240 else e["sample"][:237] + "…"
            hover += "<br><i>" + _wrap(esc(f"“{sample}”")) + "</i>"
        width = 1 + 5 * e["score"] / top
        if e["directed"]:
            xs, ys = [xa, xm, xb], [ya, ym, yb]
            symbols, sizes = ["circle", "arrow", "circle"], [0, 9 + 5 * e["score"] / top, 0]
            hovers = ["", hover, ""]
        else:
            # Sources said together sit in one column: an arc to its left joins them,
            # wider the further apart they sit, so that each pair stays visible.
            bulge = span / 14 * (0.35 + abs(yb - ya) * 0.3)
            cx, cy = min(xa, xb) - bulge, (ya + yb) / 2
            steps = 16
            xs, ys = [], []
            for k in range(steps + 1):
                t = k / steps
                xs.append((1 - t) ** 2 * xa + 2 * (1 - t) * t * cx + t * t * xb)
                ys.append((1 - t) ** 2 * ya + 2 * (1 - t) * t * cy + t * t * yb)
            symbols = ["circle"] * (steps + 1)
            sizes = [0] * (steps + 1)
            sizes[steps // 2] = 6
            hovers = [""] * (steps + 1)
            hovers[steps // 2] = hover
        fig.add_trace(go.Scatter(
            x=[xdate(x) for x in xs], y=ys, mode="lines+markers",
            line=dict(color="rgba(90,90,90,0.55)", width=width, shape="linear"),
            marker=dict(symbol=symbols, size=sizes, angleref="previous", color="rgba(60,60,60,0.9)"),
            hovertext=hovers, hoverinfo="text", showlegend=False,
            customdata=[[e["a"], e["b"]]] * len(xs), meta="edge"))
    for k in kinds:
        members = [n for n in nodes if kind_of(n) == k]
        hover = []
        for n in members:
            s = case.sources.get(n)
            if s is None:
                hover.append(f"<b>{esc(n)}</b>")
                continue
            bits = [f"<b>{esc(s.label)}</b>", esc(f"kind: {s.kind}")]
            if s.speaker:
                bits.append(esc(f"speaker: {case.label(s.speaker)}"))
            bits.append(esc(f"said: {s.said.show()}") if s.said is not None else "undated")
            hover.append("<br>".join(bits))
        fig.add_trace(go.Scatter(
            x=[xdate(pos[n][0]) for n in members], y=[pos[n][1] for n in members], mode="markers+text",
            name=esc(k), text=[esc(case.sources[n].label if n in case.sources else n) for n in members],
            textposition=["middle left" if pos[n][0] > lo + 0.7 * span else "middle right" for n in members],
            textfont=dict(size=10),
            marker=dict(size=14, color=KIND_COLOR.get(k, "#555"), line=dict(color="white", width=1.5)),
            customdata=members, hovertext=hover, hoverinfo="text", meta="source"))
    fig.update_layout(**_base_layout(
        height=max(300, 150 + 42 * total),
        xaxis=dict(type="date", showgrid=True, gridcolor="#eeeeee", title="day the source was said",
                   range=[xdate(lo - span / 4), xdate((undated_x if any(d is None for d in days.values())
                                                         else hi) + span / 15)]),
        yaxis=dict(tickmode="array", tickvals=ticks, ticktext=[esc(k) for k in kinds],
                   range=[total + 0.1, -0.9], title="kind of source", zeroline=False, showgrid=False),
        margin=dict(l=10, r=10, t=20, b=60),
    ))
    return fig


def case_texts(case) -> dict[str, str]:
    """The text of each source for reuse analysis: the ingested file's text where there
    is one, else the source's statements and quotes, one a line."""
    texts: dict[str, str] = {}
    root = Path(case.root) if case.root is not None else None
    if root is not None:
        try:
            from belie.store.db import CaseStore, store_path

            if store_path(root).is_file():
                with CaseStore.open(root, create=False) as store:
                    for s in case.sources.values():
                        rec = store.get_source(s.id)
                        if rec is not None and rec.text and rec.text.strip():
                            texts[s.id] = rec.text
        except Exception:  # noqa: BLE001
            pass
    parts: dict[str, list[str]] = defaultdict(list)
    for c in case.claims:
        if c.source in texts:
            continue
        for t in (c.text if c.kind == "statement" else None, c.quote):
            if t and t.strip() and t not in parts[c.source]:
                parts[c.source].append(t.strip())
    for sid, lst in parts.items():
        texts[sid] = "\n".join(lst)
    return texts


def case_reuse(case):
    """Text reuse between the case's sources, or None where the analysis is unavailable.

    The edges the last ``belie reuse`` stored in the case store, when there are any;
    else `belie.sources.reuse.find_reuse` over `case_texts`, with the parameters for
    short texts (shingles of 3 words, passages of 6 or more) when the texts are mostly
    single statements, the defaults otherwise.
    """
    root = Path(case.root) if case.root is not None else None
    if root is not None:
        try:
            from belie.store.db import CaseStore, store_path

            if store_path(root).is_file():
                with CaseStore.open(root, create=False) as store:
                    stored = store.reuse_edges()
                if stored:
                    return stored
        except (BelieError, sqlite3.Error):
            pass     # no readable store: compute the reuse below
    try:
        from belie.sources import reuse as _reuse
    except ImportError as exc:
        raise BelieError(f"text reuse needs the package {exc.name!r}, which is not installed") from exc
    texts = {k: v for k, v in case_texts(case).items() if v.strip()}
    if len(texts) < 2:
        return []
    words = sorted(len(t.split()) for t in texts.values())
    short = words[len(words) // 2] < 200
    return _reuse.find_reuse(texts, n=3, min_words=6, min_matches=1) if short else _reuse.find_reuse(texts)


def case_reliability(case):
    """Source reliability by truth discovery, or None where it is unavailable.

    `belie.sources.reliability.case_reliability` over the case's disputed facts (where
    each person was, each event's place, date and participants, whom the accused
    served, whether a place existed), with each source's kind's weight of evidence as
    its prior trust (docs/truth.md, "Inside a case").  Returns
    ``{"method", "accuracy": {source: 0..1}, "copying": [(a, b, p)], "items": n, "truths"}``.
    """
    from belie.sources.reliability import case_reliability as _case_reliability

    rel = _case_reliability(case)
    if not rel.items or not rel.accuracy:
        return None
    return rel.to_report()


def reliability_rows(case, reliability) -> list[dict]:
    """Rows of the reliability table from a TruthResult, its JSON, a dict of
    accuracies, or `case_reliability`'s dict."""
    if not reliability:
        return []
    acc = copying = None
    if hasattr(reliability, "accuracy"):
        acc, copying = reliability.accuracy, getattr(reliability, "copying", [])
    elif isinstance(reliability, dict):
        if "accuracy" in reliability:
            acc, copying = reliability["accuracy"], reliability.get("copying", [])
        elif "sources" in reliability and isinstance(reliability["sources"], dict):
            acc, copying = reliability["sources"], reliability.get("copying", [])
        else:
            acc, copying = reliability, []
    elif isinstance(reliability, (list, tuple)):
        acc = {r["source"]: r.get("accuracy", r.get("reliability")) for r in reliability if isinstance(r, dict)}
        copying = []
    if not acc:
        return []
    partners: dict[str, list[str]] = defaultdict(list)
    for item in copying or []:
        try:
            a, b, p = item[0], item[1], float(item[2])
        except (TypeError, IndexError, ValueError):
            continue
        partners[a].append(f"{b} ({p:.0%})")
        partners[b].append(f"{a} ({p:.0%})")
    rows = []
    for sid, a in acc.items():
        if a is None:
            continue
        s = case.sources.get(sid)
        rows.append({"id": sid, "label": s.label if s else sid, "kind": s.kind if s else "",
                     "prior": case.settings.weight(s.kind) if s else None, "accuracy": float(a),
                     "copying": ", ".join(partners.get(sid, []))})
    rows.sort(key=lambda r: (-r["accuracy"], r["id"]))
    return rows


# ----------------------------------------------------------------------------------
# The page
# ----------------------------------------------------------------------------------

def _date_view(span) -> dict | None:
    """A date as written, as read (a time: with the offset in force) and its bounds (UTC)."""
    if span is None:
        return None
    read = span.read or span.edtf
    return {"text": span.text, "edtf": read, "bounds": span.describe(),
            "same": span.text == read}


def _day_label(x: float, *, end: bool = False) -> str:
    """A timeline day (``_d``) for a reader: '24 Jul 1933', or with its time in UTC."""
    from belie.model.dates import fmt_instant

    if isinstance(x, int):
        return fmt_instant(x * DAY + (DAY - 1 if end else 0))
    return fmt_instant(int(round(x * DAY)) - (1 if end else 0))


def _claim_view(case, c, fids_by_claim, num_of) -> dict:
    src = case.sources.get(c.source)
    return {
        "id": c.id, "anchor": _anchor("claim", c.id), "kind": c.kind,
        "quote": c.quote, "summary": c.summary(case.label),
        "text": c.text if c.kind == "statement" else None,
        "source": c.source, "source_anchor": _anchor("source", c.source),
        "source_label": src.label if src else c.source, "source_kind": src.kind if src else "?",
        "source_said": _date_view(src.said) if src is not None else None,
        "date": _date_view(c.when), "throughout": c.throughout,
        "event": c.event, "denies": c.denies, "note": c.note,
        "where": f"{c.file}:{c.line}" if c.file and c.line else (c.file or ""),
        "findings": [{"id": fid, "anchor": _anchor("finding", fid), "num": num_of.get(fid)}
                     for fid in fids_by_claim.get(c.id, [])],
    }


def _window_view(window: str | None) -> dict | None:
    if not window:
        return None
    try:
        from belie.model.dates import parse_date

        return {"edtf": window, "bounds": parse_date(window).describe()}
    except Exception:  # noqa: BLE001
        return {"edtf": window, "bounds": ""}


# ----------------------------------------------------------------------------------
# Close-up of a person's lane for a joint-window finding (alibi)
# ----------------------------------------------------------------------------------

_CU_W, _CU_LEFT, _CU_ROW, _CU_TOP = 760, 210, 22, 30


def joint_closeup(case, finding) -> str | None:
    """An inline SVG of the lanes behind a joint-window finding, over the claimed interval:
    the claimed days and the window left (top row), then for each person each claim that cut
    it (a solid bar: throughout; an open bar: at some moment of), with the journey to and
    from it as a hatched margin (hours at the means of the verdict). ``None`` for any other
    finding. Self-contained: no script, escaped text."""
    d = finding.details or {}
    lanes, c_from, c_to = d.get("lane"), d.get("claim_from"), d.get("claim_to")
    if not lanes or not c_from or not c_to:
        return None
    day = lambda iso: _dt.date.fromisoformat(iso).toordinal()   # noqa: E731
    c_lo, c_hi = day(c_from), day(c_to) + 1
    margin = max((r.get("margin_hours") or 0) / 24 for rows in lanes.values() for r in rows)
    pad = max(1, math.ceil(margin)) + 1
    v_lo, v_hi = c_lo - pad, c_hi + pad
    span = v_hi - v_lo
    x = lambda t: _CU_LEFT + (min(max(t, v_lo), v_hi) - v_lo) * (_CU_W - _CU_LEFT - 10) / span   # noqa: E731
    rows = sum(len(v) for v in lanes.values()) + len(lanes)
    height = _CU_TOP + (rows + 1) * _CU_ROW + 24
    out = [f'<svg class="closeup" viewBox="0 0 {_CU_W} {height}" width="100%" role="img" '
           f'aria-label="{_html.escape("Close-up of the timeline behind this finding")}" '
           f'xmlns="http://www.w3.org/2000/svg" font-family="Helvetica, Arial, sans-serif" font-size="11">',
           '<defs><pattern id="cu-hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="5" stroke="#9aa4ad" stroke-width="2"/>'
           '</pattern></defs>']
    # day grid and labels
    step = 1 if span <= 45 else 7 if span <= 200 else 30
    for t in range(v_lo, v_hi + 1, step):
        xt = x(t)
        out.append(f'<line x1="{xt:.1f}" y1="{_CU_TOP - 6}" x2="{xt:.1f}" y2="{height - 20}" stroke="#e3e6e9"/>')
        if t < v_hi:
            lab = _dt.date.fromordinal(t).strftime("%-d %b") if step > 1 or t == v_lo or                 _dt.date.fromordinal(t).day == 1 else str(_dt.date.fromordinal(t).day)
            out.append(f'<text x="{x(t + 0.5) if step == 1 else xt:.1f}" y="{_CU_TOP - 10}" '
                       f'text-anchor="middle" fill="#555">{_html.escape(lab)}</text>')
    y = _CU_TOP
    claim_label = "claimed (" + ", ".join(case.label(p) for p in d.get("people", [])[:3]) + ")"
    out.append(f'<text x="6" y="{y + 15}" fill="#222">{_html.escape(claim_label)}</text>')
    out.append(f'<rect class="cu-claim" x="{x(c_lo):.1f}" y="{y + 4}" width="{x(c_hi) - x(c_lo):.1f}" '
               f'height="{_CU_ROW - 8}" fill="#f3e3b5" stroke="#b58900"/>')
    for lo_iso, hi_iso in d.get("window_days") or []:
        lo, hi = day(lo_iso), day(hi_iso) + 1
        out.append(f'<rect class="cu-window" x="{x(lo):.1f}" y="{y + 4}" width="{x(hi) - x(lo):.1f}" '
                   f'height="{_CU_ROW - 8}" fill="#2e8b57"><title>{_html.escape(f"left: {lo_iso} .. {hi_iso}")}'
                   f'</title></rect>')
    y += _CU_ROW
    for person, cuts in lanes.items():
        y += 4
        out.append(f'<text x="6" y="{y + 13}" font-weight="bold" fill="#222">{_html.escape(case.label(person))}</text>')
        y += _CU_ROW - 4
        for r in cuts:
            lo = day(r["from"]) if r.get("from") else v_lo
            hi = day(r["to"]) + 1 if r.get("to") else v_hi
            m = (r.get("margin_hours") or 0) / 24
            how = "throughout" if r.get("throughout") else "at some moment"
            name = f'{case.label(r["place"])} ({how})'
            tip = (f'{r["claim"]}: {case.label(r["place"])} {how} {r.get("from") or "…"} .. {r.get("to") or "…"}'
                   + (f'; {r["distance_km"]:,} km, {r["margin_hours"]} h of journey' if r.get("margin_hours") else ""))
            out.append(f'<text x="14" y="{y + 15}" fill="#333">{_html.escape(name[:34])}</text>')
            if m:
                out.append(f'<rect class="cu-margin" x="{x(lo - m):.1f}" y="{y + 6}" width="{x(hi + m) - x(lo - m):.1f}" '
                           f'height="{_CU_ROW - 12}" fill="url(#cu-hatch)" stroke="#9aa4ad"/>')
            solid = r.get("throughout")
            out.append(f'<rect class="cu-{"stay" if solid else "moment"}" x="{x(lo):.1f}" y="{y + 4}" '
                       f'width="{max(1.0, x(hi) - x(lo)):.1f}" height="{_CU_ROW - 8}" '
                       f'fill="{"#34495e" if solid else "#ffffff"}" stroke="#34495e" stroke-width="1.5">'
                       f'<title>{_html.escape(tip)}</title></rect>')
            y += _CU_ROW
    out.append(f'<text x="6" y="{height - 6}" fill="#555">{_html.escape("Green: the days left. Hatched: the journey to or from each record, in hours at the means of the verdict.")}</text>')
    out.append("</svg>")
    return "".join(out)


def _closeup_markup(case, f):
    from markupsafe import Markup

    svg = joint_closeup(case, f)
    return Markup(svg) if svg else None


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs


ASSETS = Path(__file__).with_name("assets")


def asset_text(name: str) -> str:
    """One of the files in ``report/assets`` (the map's script and style, the TopoJSON
    of coastlines and borders, the report's loader), as text."""
    return (ASSETS / name).read_text(encoding="utf-8")


def _plotly_js() -> str:
    """plotly.js for the page: its basic bundle (scatter and bar, all the report's
    charts use), gzip-compressed and base64-encoded; assets/report.js unpacks it in the
    browser.  About 0.53 MB against 4.8 MB for the whole of plotly.js inlined as text
    (docs/benchmarks.md)."""
    import base64

    return base64.b64encode((ASSETS / "plotly-basic.min.js.gz").read_bytes()).decode("ascii")


def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(Path(__file__).with_name("templates"))),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True, finalize=finalize_shown)
    env.filters["anchor"] = lambda ident, prefix: _anchor(prefix, ident)
    env.filters["pct"] = lambda x, d=0: "" if x is None else f"{100 * float(x):.{d}f}%"
    return env


def _key_findings(finding_groups, reading, limit: int = 6) -> list[dict]:
    """The few findings that carry the verdict: impossible, then strained, those that
    involve a claim the most plausible reading gives up first (the more such claims,
    the earlier); one per set of claims and rule."""
    rejected = {r["claim"] for r in (reading or {}).get("rejected", [])}
    pool = [f for g in finding_groups if g["severity"] in ("impossible", "strained") for f in g["findings"]]
    rank = {"impossible": 0, "strained": 1}

    def hits(f):
        return sum(1 for c in f["claims"] if c.get("id") in rejected)

    seen, out = set(), []
    for f in sorted(pool, key=lambda f: (rank[f["severity"]], -hits(f), f["num"])):
        sig = (f["rule"], frozenset(c.get("id") for c in f["claims"]))
        if sig in seen:
            continue
        seen.add(sig)
        out.append({**f, "rejected_claims": [c.get("id") for c in f["claims"] if c.get("id") in rejected]})
        if len(out) == limit:
            break
    return out


def render_report(case, result, *, reuse=None, reliability=None, omitted=()) -> str:
    """The report of a checked case as one self-contained HTML page.

    ``reuse``: text-reuse results (`belie.sources.reuse.ReusePair`s, or the store's
    edge dicts) for the copying graph; ``reliability``: source reliability (a
    `belie.sources.truth.TruthResult`, its JSON, or ``{source: accuracy}``).  Either
    section is left out when not given.
    """
    from markupsafe import Markup

    import belie

    fids = finding_ids(result.findings)
    num_of = {fid: i for i, fid in enumerate(fids, 1)}
    by_claim = claim_findings(result)
    label = case.label

    # -- findings ------------------------------------------------------------------
    from belie.rules import all_rules

    try:
        rule_titles = {r.name: r.title for r in all_rules()}
        rule_summaries = {r.name: r.summary for r in all_rules()}
    except Exception:  # noqa: BLE001
        rule_titles, rule_summaries = {}, {}
    groups = {s: [] for s in SEVERITIES}
    for fid, f in zip(fids, result.findings):
        claims = []
        for cid in f.claims:
            c = case.claim_by_id.get(cid)
            claims.append(_claim_view(case, c, by_claim, num_of) if c is not None else
                          {"id": cid, "anchor": _anchor("claim", cid), "missing": True})
        groups[f.severity].append({
            "id": fid, "num": num_of[fid], "anchor": _anchor("finding", fid), "rule": f.rule,
            "rule_title": rule_titles.get(f.rule, f.rule), "severity": f.severity,
            "title": f.title if f.title and f.title != rule_titles.get(f.rule, f.rule) else "", "explanation": f.explanation, "window": _window_view(f.window),
            "claims": claims, "sources": f.sources, "closeup": _closeup_markup(case, f),
        })
    finding_groups = [{"severity": s, "head": SEVERITY_HEAD[s], "findings": groups[s]}
                      for s in SEVERITIES if groups[s]]

    # -- charts --------------------------------------------------------------------
    figures = 0
    timeline_html = None
    tl = timeline_figure(case, result)
    tl_info = None
    if tl is not None:
        timeline_html = Markup(_figure_html(tl, "belie-timeline"))
        figures += 1
        data = timeline_data(case)
        persons = [e.id for e in case.entities.values() if e.type in ONE_PLACE_TYPES]
        tl_info = {"lanes": len(data["lanes"]), "stays": len(data["bars"]), "marks": len(data["marks"]),
                   "absent": [label(p) for p in persons if p not in data["lanes"]], "episodes": [],
                   "outside": outside_overview(data)}
        for i, ep in enumerate(conflict_episodes(case, result), 1):
            fig = timeline_figure(case, result, window=(ep["lo"], ep["hi"]))
            if fig is None:
                continue
            figures += 1
            tl_info["episodes"].append({
                "num": i, "html": Markup(_figure_html(fig, f"belie-timeline-{i}")),
                "lo": _day_label(ep["lo"]),
                "hi": _day_label(ep["hi"], end=True),
                "findings": ep["findings"], "places": ep["places"]})
    charges = []
    for i, ch in enumerate(charge_figures(case, result)):
        charges.append({**ch, "html": Markup(_figure_html(ch["figure"], f"belie-charges-{i + 1}")),
                        "rows": [{**r, "accused_label": label(r["accused"]), "power_label": label(r["power"])}
                                 for r in ch["rows"]],
                        "undated": [_claim_view(case, c, by_claim, num_of) for c in ch["undated"]]})
        figures += 1

    edges = reuse_edges(case, reuse) if reuse else []
    copying_html = None
    if edges:
        fig = copying_figure(case, edges)
        if fig is not None:
            copying_html = Markup(_figure_html(fig, "belie-copying"))
            figures += 1
    edge_rows = [{**e, "a_label": case.sources[e["a"]].label if e["a"] in case.sources else e["a"],
                  "b_label": case.sources[e["b"]].label if e["b"] in case.sources else e["b"]}
                 for e in edges]
    rel_rows = reliability_rows(case, reliability)
    rel_info = reliability if isinstance(reliability, dict) else {}

    # -- global view ---------------------------------------------------------------
    conflicts = []
    for i, c in enumerate(result.conflicts or [], 1):
        d = c.to_dict() if hasattr(c, "to_dict") else dict(c)
        conflicts.append({"num": i, "rules": d.get("rules", []),
                          "claims": [_claim_view(case, case.claim_by_id[x], by_claim, num_of)
                                     if x in case.claim_by_id else {"id": x, "missing": True}
                                     for x in d.get("claims", [])],
                          "via": d.get("via", [])})
    reading = None
    if result.reading is not None:
        d = result.reading.to_dict() if hasattr(result.reading, "to_dict") else dict(result.reading)

        def rows(key):
            out = []
            for r in d.get(key, []):
                r = r if isinstance(r, dict) else {"claim": r}
                c = case.claim_by_id.get(r.get("claim"))
                out.append({**r, "view": _claim_view(case, c, by_claim, num_of) if c is not None else None})
            return out
        reading = {"rejected": rows("rejected"), "kept": rows("kept"), "cost": d.get("cost"),
                   "optimal": d.get("optimal", True), "complete": d.get("conflicts_complete", True),
                   "components": d.get("components")}

    # -- sources and claims -------------------------------------------------------
    files = ingested_files(case)
    n_claims = defaultdict(int)
    for c in case.claims:
        n_claims[c.source] += 1
    sources = []
    for s in case.sources.values():
        sources.append({"id": s.id, "anchor": _anchor("source", s.id), "label": s.label, "kind": s.kind,
                        "weight": case.settings.weight(s.kind),
                        "speaker": label(s.speaker) if s.speaker else "", "voice": label(s.voice) if s.voice else "",
                        "said": _date_view(s.said), "calendar": s.calendar, "file": s.file,
                        "hash": files.get(s.id), "claims": n_claims.get(s.id, 0),
                        "note": (s.extra or {}).get("note"), "url": (s.extra or {}).get("url")})
    claims = [_claim_view(case, c, by_claim, num_of) for c in case.claims]

    # -- summary -------------------------------------------------------------------
    stats = result.stats or {}
    counts = stats.get("by_severity") or {s: len(groups[s]) for s in SEVERITIES}
    by_rule = []
    for rule, n in (stats.get("by_rule") or {}).items():
        sev = {s: sum(1 for f in groups[s] if f["rule"] == rule) for s in SEVERITIES}
        by_rule.append({"rule": rule, "title": rule_titles.get(rule, rule),
                        "summary": rule_summaries.get(rule, ""), "n": n, **sev})
    ents = defaultdict(int)
    for e in case.entities.values():
        ents[e.type] += 1
    rng = case.date_range()
    summary = {"claims": len(case.claims), "sources": len(case.sources), "entities": len(case.entities),
               "by_type": dict(ents), "counts": counts, "by_rule": by_rule,
               "range": (f"{_dt.date.fromordinal(rng[0] // DAY).isoformat()} .. "
                         f"{_dt.date.fromordinal(rng[1] // DAY).isoformat()}"
                         if rng and _bounded(*rng) else None),
               "rejected": len(reading["rejected"]) if reading else 0, "conflicts": len(conflicts)}

    # -- the verdict: the reading, and the findings that carry it -----------------
    key_findings = _key_findings(finding_groups, reading)

    # -- the map --------------------------------------------------------------------
    from belie.report.mapdata import map_data

    mdata = map_data(case, result)
    on_map = {f["id"] for f in mdata["findings"]}
    for g in finding_groups:
        for f in g["findings"]:
            f["on_map"] = f["id"] in on_map
    map_view = None
    if mdata["places"]:
        map_view = {"data": Markup(_json_for_html(mdata)), "world": Markup(_json_for_html(asset_text("countries-110m.json"))),
                    "js": Markup(asset_text("map.js")), "css": Markup(asset_text("map.css")),
                    "topojson": Markup(asset_text("topojson-client.min.js")),
                    "n_places": len(mdata["places"]), "n_items": len(mdata["items"]),
                    "n_journeys": len(mdata["journeys"])}

    env = _environment()
    tpl = env.get_template("report.html.j2")
    page = tpl.render(
        case={"name": case.name, "description": case.description,
              "root": str(case.root) if case.root is not None else ""},
        version=belie.__version__,
        generated=_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        summary=summary, finding_groups=finding_groups, n_findings=len(result.findings),
        timeline_html=timeline_html, timeline=tl_info, charges=charges,
        conflicts=conflicts, reading=reading,
        copying_html=copying_html, edges=edge_rows, reliability=rel_rows,
        reliability_info={"method": rel_info.get("method"), "n_items": rel_info.get("items")},
        show_reuse=bool(edges), show_reliability=bool(rel_rows), omitted=list(omitted),
        sources=sources, claims=claims,
        plotly_js=Markup(_plotly_js()) if figures else None,
        report_js=Markup(asset_text("report.js")),
        severity_color=SEVERITY_COLOR,
        key_findings=key_findings, map=map_view,
    )
    return page


def write_report(case, path, *, result=None, reuse=_AUTO, reliability=_AUTO) -> Path:
    """Check the case (unless `result` is given) and write its report to `path`, atomically.

    `case` is a loaded Case or a case folder.  Text reuse and source reliability are
    computed (`case_reuse`, `case_reliability`) unless given; pass None to leave a
    section out.  A section that cannot be computed (a typed error: a package missing,
    a store unreadable) is named, with the reason, under "Not in this report" -- never
    dropped silently.  Returns the path written.
    """
    import belie
    from belie.util import atomic_write_text

    if not hasattr(case, "claims"):
        case = belie.load_case(case)
    if result is None:
        result = belie.check(case)
    omitted: list[dict] = []
    if reuse is _AUTO:
        try:
            reuse = case_reuse(case)
        except BelieError as exc:
            reuse = None
            omitted.append({"section": "Copying: shared passages between sources", "why": str(exc)})
    if reliability is _AUTO:
        try:
            reliability = case_reliability(case)
        except BelieError as exc:
            reliability = None
            omitted.append({"section": "Source reliability", "why": str(exc)})
    page = render_report(case, result, reuse=reuse, reliability=reliability, omitted=omitted)
    path = Path(path)
    atomic_write_text(path, page)
    return path
