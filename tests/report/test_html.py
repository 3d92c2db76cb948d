"""The HTML report as a reader gets it: one file, nothing loaded from outside, every
section there, case text shown as text, the charts holding what the case says."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest

import belie
from belie.report import html as report

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "moscow-1936"
SPEC_EXAMPLE = ROOT.parent / "shared" / "spec" / "example" / "case.yaml"

# A small case: two people, a documented stay, an alleged meeting that the stay rules
# out, a hostile quote, and a voice whose charges follow its diplomacy.
SMALL = """
case: "Report test <b>case</b>"
entities:
  marchand: {type: person, names: [Paul Marchand]}
  dubois:   {type: person, names: [Dubois]}
  lyon:     {type: place, names: [Lyon], at: [45.76, 4.84]}
  nice:     {type: place, names: [Nice], at: [43.70, 7.27]}
  cafe:     {type: place, names: [Grand Café], within: lyon}
  villa:    {type: place, names: [Villa Rose], within: nice, at: [43.70, 7.27]}
  italy:    {type: power, names: [Italy]}
  germany:  {type: power, names: [Germany]}
  france:   {type: power, names: [France]}
sources:
  hotel-register: {kind: record, said: 1921-03-21, title: "Hotel <img src=x onerror=alert(1)> register"}
  dubois-statement: {kind: confession, speaker: dubois, said: 1923-02-14}
  gazette-1921: {kind: press, voice: france, said: 1921-05-10}
  gazette-1922: {kind: press, voice: france, said: 1922-06-01}
  gazette-1923: {kind: press, voice: france, said: 1923-03-01}
  treaties: {kind: record, said: 1930}
claims:
  - {id: marchand-at-villa, source: hotel-register, presence: marchand, where: villa, throughout: 1921-03-01/1921-03-20}
  - {id: cafe-meeting, source: dubois-statement, meeting: [dubois, marchand], where: cafe, when: 1921-03-1X,
     quote: "I met him at the café <script>alert('pwned')</script> in March"}
  - {id: gazette-italy, source: gazette-1921, accuses: marchand, serving: italy, during: 1921}
  - {id: gazette-germany, source: gazette-1922, accuses: marchand, serving: germany, during: 1921}
  - {id: gazette-italy-2, source: gazette-1923, accuses: marchand, serving: italy}
  - {id: france-italy, source: treaties, stance: [france, italy], is: hostile, during: 1921/1922}
  - {id: france-germany, source: treaties, stance: [france, germany], is: hostile, during: 1919/1930}
  - {id: france-italy-later, source: treaties, stance: [france, italy], is: friendly, during: 1923/1930}
"""

EVIL = "<script>alert('pwned')</script>"


# ------------------------------------------------------------------ fixtures


def _example_dir(tmp_path_factory) -> Path:
    if (EXAMPLE / "case.yaml").is_file():
        return EXAMPLE
    if SPEC_EXAMPLE.is_file():
        d = tmp_path_factory.mktemp("spec-example")
        shutil.copy(SPEC_EXAMPLE, d / "case.yaml")
        return d
    pytest.skip("neither examples/moscow-1936 nor the spec's example case is present")


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    case = belie.load_case(_example_dir(tmp_path_factory))
    result = belie.check(case)
    reuse = report.case_reuse(case)
    reliability = report.case_reliability(case)
    page = report.render_report(case, result, reuse=reuse, reliability=reliability)
    return case, result, page, reuse, reliability


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    d = tmp_path_factory.mktemp("small")
    (d / "case.yaml").write_text(textwrap.dedent(SMALL), encoding="utf-8")
    case = belie.load_case(d)
    result = belie.check(case)
    return case, result


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of style and script blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        d = {k: (v or "") for k, v in attrs}
        self.tags.append((tag, d))
        if "id" in d:
            self.ids.add(d["id"])
        self._in = tag if tag in ("style", "script") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.styles.append(data)
        elif self._in == "script":
            self.scripts.append(data)


def parse(page: str) -> Tags:
    p = Tags()
    p.feed(page)
    p.close()
    return p


REMOTE = re.compile(r"^\s*(https?:)?//", re.I)
URL_ATTRS = ("src", "href", "action", "data", "poster", "srcset", "background", "formaction",
             "xlink:href", "manifest", "ping")


# ------------------------------------------------------------------ self-contained


def test_report_loads_nothing_from_outside_the_file(example):
    _, _, page, _, _ = example
    tags = parse(page)
    for tag, attrs in tags.tags:
        for a in URL_ATTRS:
            if a in attrs:
                assert not REMOTE.match(attrs[a]), f"<{tag} {a}={attrs[a]!r}> loads from the network"
        assert not (tag == "script" and attrs.get("src")), "every script must be inline"
        assert tag not in ("link", "iframe", "object", "embed", "base"), f"<{tag}> would load something"
        assert "url(" not in attrs.get("style", ""), "inline styles must not load images or fonts"
    css = "\n".join(tags.styles)
    assert "@import" not in css and "@font-face" not in css
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", css)
    # plotly.js itself is inside the page, once (its basic bundle, compressed), and
    # every chart is a spec that the page draws.
    assert [t for t, a in tags.tags if a.get("id") == "belie-plotly-gz"] == ["script"]
    assert sum(1 for t, a in tags.tags if t == "script" and a.get("data-plot")) >= 2
    assert sum(1 for s in tags.scripts if len(s) > 300_000) == 1
    # The size budget of docs/report.md.
    assert len(page.encode("utf-8")) < 1_500_000


def test_report_has_every_section_on_the_example(example):
    case, result, page, reuse, reliability = example
    ids = parse(page).ids
    for section in ("summary", "findings", "global", "sources", "claims"):
        assert section in ids, f"section #{section} missing"
    assert "timeline" in ids and "belie-timeline" in ids       # the whereabouts chart
    has_charges = any(c.kind == "accusation" for c in case.claims)
    assert ("charges" in ids) == has_charges
    assert ("copying" in ids) == bool(report.reuse_edges(case, reuse))
    assert ("reliability" in ids) == bool(report.reliability_rows(case, reliability))
    # Every finding is there, under its severity, with its explanation; every claim is
    # in the appendix; the summary gives the severity totals.
    from belie.report.export import finding_ids

    for fid, f in zip(finding_ids(result.findings), result.findings):
        assert f"finding-{fid}" in ids
    for sev, n in result.stats["by_severity"].items():
        if n:
            assert f"severity-{sev}" in ids
    for c in case.claims:
        assert report._anchor("claim", c.id) in ids
    for s in case.sources:
        assert report._anchor("source", s) in ids
    assert f">{result.stats['by_severity']['impossible']}</span>impossible" in page


def test_windows_and_sources_of_findings_are_shown(tmp_path):
    # Dubois also puts Marchand in Lyon 15-22 March; the register keeps him at the Villa
    # Rose until the 20th, and Nice-Lyon (~300 km) is a few hours by rail: only 21 and 22
    # March are left, and the report must say so.
    d = tmp_path / "windowed"
    d.mkdir()
    (d / "case.yaml").write_text(textwrap.dedent(SMALL) + "  - {id: lyon-late, source: dubois-statement, "
                                 "presence: marchand, where: lyon, when: 1921-03-15/1921-03-22}\n",
                                 encoding="utf-8")
    case = belie.load_case(d)
    result = belie.check(case)
    page = report.render_report(case, result)
    [f] = [f for f in result.findings if f.window]
    assert set(f.claims) == {"lyon-late", "marchand-at-villa"}
    assert f.window == "1921-03-21/1921-03-22"
    assert "<code>1921-03-21/1921-03-22</code>" in page
    # The source of a claim in a finding is named with its kind and date.
    assert "(confession, said 1923-02-14)" in page


def test_case_text_is_escaped_never_markup(small):
    case, result = small
    page = report.render_report(case, result)
    tags = parse(page)
    assert EVIL not in page
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in page
    for s in tags.scripts:       # no script text holds the tag as markup
        assert "<script>alert" not in s
    # Chart specs hold it only as escaped text (plotly reads some HTML in labels); the
    # map's data holds the quote as it is, for the map writes it as text (textContent).
    import json as _json

    specs = [_json.dumps(report.chart_spec(s)) for (t, a), s in zip([x for x in tags.tags if x[0] == "script"],
                                                                     tags.scripts) if a.get("data-plot")]
    assert specs and any("&lt;script&gt;alert" in s for s in specs)
    assert all("<script>alert" not in s and "\\u003cscript\\u003ealert" not in s for s in specs)
    (map_json,) = [s for (t, a), s in zip([x for x in tags.tags if x[0] == "script"], tags.scripts)
                   if a.get("id") == "belie-map-data"]
    assert EVIL in _json.loads(map_json)["claims"]["cafe-meeting"]["quote"]
    assert not any(t == "img" for t, _ in tags.tags), "a source title became an <img>"
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>case</b>" not in page and "&lt;b&gt;case&lt;/b&gt;" in page
    # Chart labels escape it too (plotly reads some HTML in labels).
    fig = report.timeline_figure(case, result)
    hovers = " ".join(str(h) for t in fig.data for h in (t.hovertext or ()))
    assert "<script>" not in hovers and "&lt;script&gt;" in hovers


# ------------------------------------------------------------------ the timeline


def _throughout_stays(case):
    return [c for c in case.claims if c.kind in ("presence", "meeting") and c.throughout
            and not c.denies and c.when is not None]


def test_timeline_has_a_lane_per_person_and_a_bar_per_documented_stay(small):
    case, result = small
    fig = report.timeline_figure(case, result)
    lanes = list(fig.layout.yaxis.ticktext)
    assert sorted(lanes) == ["Dubois", "Paul Marchand"]
    bars = [(cid, y, base, x) for t in fig.data if t.type == "bar"
            for cid, y, base, x in zip(t.customdata, t.y, t.base, t.x)]
    assert len(bars) == 1
    cid, y, base, width_ms = bars[0]
    assert cid == "marchand-at-villa"
    assert lanes[y] == "Paul Marchand"
    assert base == "1921-03-01" and width_ms == 20 * 86_400_000     # 1 .. 20 March, inclusive
    # The alleged meeting is a mark on both lanes, outlined red: it is in an impossible finding.
    marks = [(cid, lanes[round(y)], t.marker.line.color[i]) for t in fig.data
             if t.type == "scatter" and t.meta == "alleged"
             for i, (cid, y) in enumerate(zip(t.customdata, t.y))]
    assert {(c, p) for c, p, _ in marks} == {("cafe-meeting", "Dubois"), ("cafe-meeting", "Paul Marchand")}
    assert all(col == report.CONFLICT_COLOR for _, _, col in marks)


def test_timeline_of_the_example_covers_every_documented_stay(example):
    case, result, _, _, _ = example
    fig = report.timeline_figure(case, result)
    assert fig is not None
    lanes = list(fig.layout.yaxis.ticktext)
    assert len(lanes) == len(set(lanes))
    assert _throughout_stays(case), "the example has no documented stay to draw"
    bars = {cid: lanes[y] for t in fig.data if t.type == "bar" for cid, y in zip(t.customdata, t.y)}
    for c in _throughout_stays(case):
        for p in c.people:
            if case.entities[p].type == "person":
                assert c.id in bars, f"no bar for the documented stay {c.id}"
                assert case.label(p) in lanes
    # Close-ups of the conflicts, each on its own scale.
    episodes = report.conflict_episodes(case, result)
    assert episodes, "the example's conflicts give no close-up"
    for ep in episodes:
        close = report.timeline_figure(case, result, window=(ep["lo"], ep["hi"]))
        assert close is not None
        lo, hi = (dt.date.fromisoformat(x[:10]) for x in close.layout.xaxis.range)
        assert lo <= dt.date.fromordinal(ep["lo"]) and dt.date.fromordinal(ep["hi"]) <= hi


# ------------------------------------------------------------------ the charge chart


def _dated_accusations(case):
    return [c for c in case.claims if c.kind == "accusation" and not c.denies
            and case.sources[c.source].said is not None]


def _charge_points(figs):
    pts = {}
    for ch in figs:
        fig = ch["figure"]
        lanes = list(fig.layout.yaxis.ticktext)
        for t in fig.data:
            if t.meta == "charge":
                for cid, x, y in zip(t.customdata, t.x, t.y):
                    pts[cid] = (ch["voice"], x, lanes[round(y)], t.name)
    return pts


def test_charge_chart_has_a_point_per_accusation_with_the_stance_of_the_day(small):
    case, result = small
    figs = report.charge_figures(case, result)
    pts = _charge_points(figs)
    assert set(pts) == {"gazette-italy", "gazette-germany", "gazette-italy-2"}
    assert pts["gazette-italy"] == ("france", "1921-05-10", "Italy", "charge; stance that day: hostile")
    assert pts["gazette-germany"][2:] == ("Germany", "charge; stance that day: hostile")
    assert pts["gazette-italy-2"][1:] == ("1923-03-01", "Italy", "charge; stance that day: friendly")
    # The stance periods are drawn as bands behind the points.
    shapes = figs[0]["figure"].layout.shapes
    assert len(shapes) == 3


def test_charge_chart_without_the_rule_details_is_computed_from_the_case(small):
    case, _ = small
    result = belie.check(case, rules=["alibi"], reason=False)     # no shifting-accusation details
    pts = _charge_points(report.charge_figures(case, result))
    assert set(pts) == {"gazette-italy", "gazette-germany", "gazette-italy-2"}
    assert pts["gazette-italy-2"][3].endswith("friendly")


def test_charge_rows_computed_without_the_rule_agree_with_the_rule(example, monkeypatch):
    case, _, _, _, _ = example
    from belie.rules import shifting_accusation

    with_rule = report.charge_rows(case)
    assert with_rule and all(with_rule.values()), "the example gives no charge rows to compare"

    def gone(*a, **k):
        raise RuntimeError("rule unavailable")

    monkeypatch.setattr(shifting_accusation, "charge_table", gone)
    alone = report.charge_rows(case)
    keys = ("date", "power", "stance", "source", "claim")
    assert {v: [[r[k] for k in keys] for r in rows] for v, rows in alone.items()} == \
        {v: [[r[k] for k in keys] for r in rows] for v, rows in with_rule.items()}


def test_charge_chart_of_the_example_has_every_dated_accusation(example):
    case, result, page, _, _ = example
    pts = _charge_points(report.charge_figures(case, result))
    accusations = _dated_accusations(case)
    assert accusations, "the example has no dated accusation"
    for c in accusations:
        assert c.id in pts, f"accusation {c.id} is not on the charge chart"
        assert pts[c.id][2] == case.label(c.serving)


# ------------------------------------------------------------------ reuse and reliability


def test_copying_graph_points_from_the_earlier_source(small):
    case, result = small
    reuse = [{"a": "gazette-1923", "b": "gazette-1921", "score": 0.8,
              "passages": [{"a_text": "served <i>Italy</i>", "b_text": "served Italy"}]}]
    edges = report.reuse_edges(case, reuse)
    assert edges == [{"a": "gazette-1921", "b": "gazette-1923", "score": 0.8, "passages": 1,
                      "sample": "served <i>Italy</i>", "directed": True}]
    page = report.render_report(case, result, reuse=reuse, reliability={"gazette-1921": 0.9})
    ids = parse(page).ids
    assert {"copying", "belie-copying", "reliability"} <= ids
    assert "<i>Italy</i>" not in page
    # Without them, the sections are simply absent.
    bare = parse(report.render_report(case, result)).ids
    assert not {"copying", "reliability"} & bare


# ------------------------------------------------------------------ writing it


def test_write_report_and_the_command(tmp_path, small):
    case, result = small
    out = report.write_report(case, tmp_path / "sub" / "r.html", result=result)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "temporary file left behind"

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.run([sys.executable, "-m", "belie.cli", "report", str(case.root), "-o",
                           str(tmp_path / "cli.html")], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert str(tmp_path / "cli.html") in proc.stdout
    assert 400_000 < (tmp_path / "cli.html").stat().st_size < 1_500_000    # plotly.js inside, in budget
    helped = subprocess.run([sys.executable, "-m", "belie.cli", "report", "--help"], capture_output=True,
                            text=True, env=env, timeout=120)
    assert "Example" in helped.stdout and "-o report.html" in helped.stdout


# ------------------------------------------------------------------ in a browser


def _chromium(p):
    try:
        return p.chromium.launch()
    except Exception:  # noqa: BLE001
        exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if exe is None:
            return None
        try:
            return p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        except Exception:  # noqa: BLE001
            return None


@pytest.mark.browser
@pytest.mark.slow
def test_report_renders_offline_in_a_browser(example, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    case, result, page, _, _ = example
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = _chromium(p)
        if browser is None:
            pytest.skip("no Chromium for Playwright")
        ctx = browser.new_context(offline=True)
        tab = ctx.new_page()
        requests, errors = [], []
        tab.on("request", lambda r: requests.append(r.url))
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto(path.as_uri())
        tab.wait_for_function("document.querySelectorAll('.js-plotly-plot').length > 0", timeout=20_000)
        n_plots = tab.locator(".js-plotly-plot").count()
        n_divs = tab.locator(".plotly-graph-div").count()
        browser.close()
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:", "about:"))] == []
    assert errors == []
    assert n_plots == n_divs >= 1


# ------------------------------------------------------------------ a case of one day

ONE_DAY = """
case: One day
entities:
  pryce: {type: person, names: [Councillor Pryce]}
  london: {type: place, names: [London], at: [51.507, -0.128]}
  hall: {type: place, names: [Town Hall], within: london, at: [51.52, -0.10]}
  court: {type: place, names: [Crown Court], within: london, at: [51.49, -0.15]}
  club: {type: place, names: [Reform Club], within: london, at: [51.506, -0.133]}
  office: {type: place, names: [The Office], within: london, at: [51.53, -0.08]}
sources:
  minutes: {kind: record, said: 2024-03-05}
  pr1: {kind: press, said: 2024-03-06}
  pr2: {kind: press, said: 2024-03-06}
claims:
  - {id: chairs, source: minutes, presence: pryce, where: hall, throughout: 2024-03-05}
  - {id: at-court, source: pr1, presence: pryce, where: court, when: 2024-03-05}
  - {id: at-club, source: pr2, presence: pryce, where: club, when: 2024-03-05}
  - {id: at-office, source: pr2, presence: pryce, where: office, when: 2024-03-05}
"""


def test_a_one_day_case_has_a_readable_timeline(tmp_path):
    (tmp_path / "case.yaml").write_text(textwrap.dedent(ONE_DAY), encoding="utf-8")
    case = belie.load_case(tmp_path)
    fig = report.timeline_figure(case, belie.check(case))
    # The chart opens on the day (and a day either side), not on a fortnight.
    lo, hi = (dt.date.fromisoformat(str(x)[:10]) for x in fig.layout.xaxis.range)
    assert (hi - lo).days <= 3
    # Three alleged moments of one day in one lane are three marks at three heights.
    ys = [y for t in fig.data if t.meta == "alleged" for y in t.y]
    assert len(ys) == 3 and len({round(y, 3) for y in ys}) == 3
    # The places all lie in London: each still gets a colour of its own (London, common
    # to all, is not the colour), and the chart is tall enough for its key.
    names = {t.name for t in fig.data if t.meta in ("stay", "alleged")}
    assert names == {"Town Hall", "Crown Court", "Reform Club", "The Office"}
    colours = {t.name: t.marker.color for t in fig.data if t.meta in ("stay", "alleged")}
    assert len(set(colours.values())) == 4
    assert fig.layout.height >= 80 + 24 * 10
    # Its close-up puts the key below the two lines of tick labels (day, then year),
    # not over them: at least 45 px under the plot, inside the bottom margin.
    result = belie.check(case)
    day = dt.date(2024, 3, 5).toordinal()
    close = report.timeline_figure(case, result, window=(day, day))
    lay = close.layout
    plot_h = lay.height - lay.margin.t - lay.margin.b
    assert lay.legend.y * plot_h <= -45 and lay.margin.b >= 90


def test_the_report_leads_with_the_verdict_and_the_key_findings(example):
    case, result, page, _, _ = example
    order = [page.index(f'id="{s}"') for s in ("verdict", "map", "summary", "findings", "global", "claims")]
    assert order == sorted(order), "verdict, map, summary, findings, sets and reading, appendix"
    verdict = page[page.index('id="verdict"'):page.index('id="summary"')]
    rejected = [r["claim"] for r in result.reading.to_dict()["rejected"]]
    assert rejected and all(f'href="#{report._anchor("claim", c)}"' in verdict for c in rejected)
    # The key findings: a few, impossible first, each a link to its full finding; the first
    # involves a claim that the reading gives up.
    from belie.report.export import finding_ids

    keys = re.findall(r'<li class="(impossible|strained)"><a href="#finding-([^"]+)"', verdict)
    assert 1 <= len(keys) <= 6 and keys[0][0] == "impossible"
    by_id = dict(zip(finding_ids(result.findings), result.findings))
    assert set(by_id[keys[0][1]].claims) & set(rejected)


# ------------------------------------------------------------------ close-up of a joint window

JOINT = """
case: A joint window
entities:
  kessler: {type: person, names: [Anton Kessler]}
  veltra:  {type: place, names: [Veltra], at: [50.0, 10.0]}
  amsel:   {type: place, names: [Amsel], at: [48.0, 16.0]}
  sallo:   {type: place, names: [Sallo], at: [37.0, 12.0]}
sources:
  hotel:     {kind: record, title: Veltra hotel register, said: 1936-10-09}
  consulate: {kind: record, title: Sallo consulate file, said: 1936-12-01}
  witness:   {kind: testimony, said: 1937-02-01}
claims:
  - {id: hotel-stay, source: hotel, presence: kessler, where: veltra, throughout: 1936-09-01/1936-10-09}
  - {id: consulate-stay, source: consulate, presence: kessler, where: sallo, throughout: 1936-10-12/1936-11-30}
  - {id: amsel-meeting, source: witness, presence: kessler, where: amsel, when: 1936-10}
"""


def test_a_joint_window_finding_is_drawn_as_a_close_up_of_the_lane(case_from_yaml):
    case = case_from_yaml(JOINT)
    result = belie.check(case)
    (f,) = [f for f in result.findings if f.rule == "alibi"]
    page = report.render_report(case, result, reuse=None, reliability=None)
    svgs = re.findall(r'<svg class="closeup".*?</svg>', page, re.S)
    assert len(svgs) == 1
    tags = parse(svgs[0])
    rects = [d for t, d in tags.tags if t == "rect"]
    kinds = [d.get("class") for d in rects]
    # the claimed month, the two days left, both stays that cut it, each with its journey
    assert kinds.count("cu-claim") == 1 and kinds.count("cu-window") == 1
    assert kinds.count("cu-stay") == 2 and kinds.count("cu-margin") == 2
    claim = next(d for d in rects if d.get("class") == "cu-claim")
    win = next(d for d in rects if d.get("class") == "cu-window")
    # the window (10-11 Oct) is 2/31 of the claimed month's width, at its end
    assert abs(float(win["width"]) / float(claim["width"]) - 2 / 31) < 0.01
    assert float(win["x"]) > float(claim["x"]) + 0.25 * float(claim["width"])
    assert "Veltra (throughout)" in svgs[0] and "Sallo (throughout)" in svgs[0]
    assert "left: 1936-10-10 .. 1936-10-11" in svgs[0]


def test_other_findings_get_no_close_up(small):
    case, result = small
    assert [f for f in result.findings if f.rule == "alibi"]        # a pair alibi, no joint window
    page = report.render_report(case, result, reuse=None, reliability=None)
    assert '<svg class="closeup"' not in page
