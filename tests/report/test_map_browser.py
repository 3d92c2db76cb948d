"""The report's map in a real browser (headless Chromium via Playwright): points where the
coordinates say, a period brushed on the time strip hides what lies outside it, picking a
finding zooms the map and the timeline to it, and nothing is requested from anywhere.

Skipped, with the reason, where /usr/bin/chromium or the `playwright` package is absent.
With BELIE_SCREENSHOTS=1 the map of each bundled example and the report's top are saved
to docs/img/.
"""
from __future__ import annotations

import importlib.util
import os
import textwrap
from pathlib import Path

import pytest

import belie
from belie.report.html import write_report

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SCREENSHOTS = os.environ.get("BELIE_SCREENSHOTS") == "1"

# Four towns with explicit coordinates: Brest west of Strasbourg, Lille north of Marseille;
# a ship in mid-Atlantic; London for the coastline.  Stays in 1921 and in 1925.
CASE = """
case: Map in a browser
entities:
  anna:  {type: person, names: [Anna Roux]}
  ben:   {type: person, names: [Ben Aubry]}
  brest: {type: place, names: [Brest], at: [48.39, -4.49]}
  strasbourg: {type: place, names: [Strasbourg], at: [48.58, 7.75]}
  lille: {type: place, names: [Lille], at: [50.63, 3.06]}
  marseille: {type: place, names: [Marseille], at: [43.30, 5.37]}
  london: {type: place, names: [London], at: [51.507, -0.128]}
  ship:  {type: place, names: [Mid-Atlantic position], at: [40.0, -35.0]}
sources:
  log: {kind: record, said: 1926-01-01}
  witness: {kind: testimony, said: 1926-02-01}
claims:
  - {id: anna-brest, source: log, presence: anna, where: brest, throughout: 1921-02-01/1921-02-20}
  - {id: anna-strasbourg, source: witness, presence: anna, where: strasbourg, when: 1921-02-10}
  - {id: ben-lille, source: log, presence: ben, where: lille, throughout: 1921-03-01/1921-03-05}
  - {id: ben-marseille, source: log, presence: ben, where: marseille, throughout: 1925-06-01/1925-06-10}
  - {id: ben-london, source: log, presence: ben, where: london, throughout: 1925-07-01/1925-07-03}
  - {id: ben-ship, source: log, presence: ben, where: ship, throughout: 1925-08-01/1925-08-02}
"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (install Debian's chromium; .ci/run does)")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("the playwright package is absent (it is in the test extra)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    d = tmp_path_factory.mktemp("mapcase")
    (d / "case.yaml").write_text(textwrap.dedent(CASE), encoding="utf-8")
    out = d / "report.html"
    write_report(belie.load_case(d), out, reuse=None, reliability=None)
    return out


def _open(browser, path: Path, requests: list, errors: list, **ctx_kw):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, **ctx_kw)
    ctx.set_default_timeout(30_000)
    page = ctx.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_selector("#belie-map .bmap-pt")
    return ctx, page


def _point(page, claim: str) -> dict:
    loc = page.locator(f".bmap-pt[data-claim~='{claim}']")
    assert loc.count() == 1, f"one point for {claim}"
    return {k: float(loc.get_attribute(k)) for k in ("cx", "cy")}


def test_points_land_where_the_coordinates_say(browser, report_file):
    requests, errors = [], []
    ctx, page = _open(browser, report_file, requests, errors)
    try:
        brest, strasbourg = _point(page, "anna-brest"), _point(page, "anna-strasbourg")
        lille, marseille = _point(page, "ben-lille"), _point(page, "ben-marseille")
        # East is to the right, north is up.
        assert strasbourg["cx"] > brest["cx"] + 50
        assert lille["cy"] < marseille["cy"] - 50
        # Projection sanity: London is drawn on land, the ship in mid-Atlantic on sea
        # (the points and the Natural Earth coastline agree).
        london, ship = _point(page, "ben-london"), _point(page, "ben-ship")
        assert page.evaluate("([x, y]) => window.belieMap.onLand(x, y)", [london["cx"], london["cy"]]) is True
        assert page.evaluate("([x, y]) => window.belieMap.onLand(x, y)", [ship["cx"], ship["cy"]]) is False
        # Web Mercator: the same degrees of longitude span the same pixels at any latitude,
        # and a degree of latitude spans more pixels further north.
        dx = page.evaluate("() => window.belieMap.project(10, 40)[0] - window.belieMap.project(0, 40)[0]")
        dx60 = page.evaluate("() => window.belieMap.project(10, 60)[0] - window.belieMap.project(0, 60)[0]")
        assert dx == pytest.approx(dx60)
        dy = page.evaluate("() => window.belieMap.project(0, 40)[1] - window.belieMap.project(0, 41)[1]")
        dy60 = page.evaluate("() => window.belieMap.project(0, 60)[1] - window.belieMap.project(0, 61)[1]")
        assert dy60 > dy > 0
        assert errors == []
    finally:
        ctx.close()


def test_brushing_a_period_removes_the_claims_outside_it(browser, report_file):
    requests, errors = [], []
    ctx, page = _open(browser, report_file, requests, errors)
    try:
        for cid in ("anna-brest", "ben-lille", "ben-marseille", "ben-london"):
            assert page.locator(f".bmap-pt[data-claim~='{cid}']").count() == 1
        # Drag across the first third of the time strip (1921 of 1921-1925).
        strip = page.locator("svg.bmap-time")
        strip.scroll_into_view_if_needed()
        box = strip.bounding_box()
        left = box["x"] + 125                          # just right of the lane labels (110 px)
        y = box["y"] + box["height"] * 0.6
        page.mouse.move(left, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.3, y, steps=6)
        page.mouse.up()
        page.wait_for_function("() => window.belieMap.period() !== null")
        for cid in ("anna-brest", "anna-strasbourg", "ben-lille"):
            assert page.locator(f".bmap-pt[data-claim~='{cid}']").count() == 1, f"{cid} is in 1921"
        for cid in ("ben-marseille", "ben-london", "ben-ship"):
            assert page.locator(f".bmap-pt[data-claim~='{cid}']").count() == 0, f"{cid} is in 1925"
        assert "3 of 6 whereabouts" in page.locator(".bmap-status").text_content()
        # "All time" brings them back.
        page.get_by_role("button", name="All time").click()
        assert page.locator(".bmap-pt[data-claim~='ben-marseille']").count() == 1
        assert errors == []
    finally:
        ctx.close()


def test_picking_a_finding_zooms_the_map_and_the_timeline_to_it(browser, report_file):
    requests, errors = [], []
    ctx, page = _open(browser, report_file, requests, errors)
    try:
        page.wait_for_selector("#belie-timeline svg.main-svg")
        button = page.locator("ol.bmap-findings button").first
        assert "Alibi" in button.text_content()
        button.click()
        page.wait_for_function("() => window.belieMap.period() !== null")
        t0, t1 = page.evaluate("() => window.belieMap.period()")
        day = 86_400_000
        assert t1 - t0 < 40 * day                   # February 1921, not the whole case
        # Only Anna's February claims are left, and Brest and Strasbourg fill the map.
        assert page.locator(".bmap-pt").count() == 2
        brest, strasbourg = _point(page, "anna-brest"), _point(page, "anna-strasbourg")
        width = page.locator("svg.bmap-svg").bounding_box()["width"]
        assert strasbourg["cx"] - brest["cx"] > width / 3
        # The whereabouts timeline followed.
        rng = page.evaluate("() => document.getElementById('belie-timeline').layout.xaxis.range")
        assert rng[0].startswith("1921-0") and rng[1].startswith("1921-0")
        assert errors == []
    finally:
        ctx.close()


def test_the_report_with_its_map_requests_nothing(browser, report_file):
    requests, errors = [], []
    ctx, page = _open(browser, report_file, requests, errors, offline=True)
    try:
        page.wait_for_selector("#belie-timeline svg.main-svg")
        page.locator("ol.bmap-findings button").first.click()
        page.mouse.wheel(0, -300)
        assert page.locator(".bmap-land").count() == 1 and page.locator(".bmap-border").count() == 1
        assert [u for u in requests if u != report_file.as_uri()] == []
        assert errors == []
    finally:
        ctx.close()
    assert report_file.stat().st_size < 1_500_000


def _example(name: str) -> Path | None:
    d = ROOT / "examples" / name
    return d if (d / "case.yaml").is_file() else None


@pytest.mark.slow
@pytest.mark.parametrize("name", ["moscow-1936", "karvonen-2022"])
def test_the_map_of_a_bundled_example(browser, tmp_path, name):
    folder = _example(name)
    if folder is None:
        pytest.skip(f"examples/{name} is absent")
    out = tmp_path / "report.html"
    write_report(belie.load_case(folder), out)
    requests, errors = [], []
    ctx, page = _open(browser, out, requests, errors)
    try:
        page.wait_for_selector("#belie-timeline svg.main-svg")
        assert page.locator(".bmap-pt").count() >= 2
        assert errors == [] and [u for u in requests if u != out.as_uri()] == []
        if SCREENSHOTS:
            img = ROOT / "docs" / "img"
            img.mkdir(parents=True, exist_ok=True)
            page.locator("#map-section").screenshot(path=str(img / f"map-{name}.png"))
            # ... and with its first finding picked: the map and the strip zoomed to it.
            page.locator("ol.bmap-findings button").first.click()
            page.locator("#map-section").screenshot(path=str(img / f"map-{name}-finding.png"))
            if name == "moscow-1936":
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=str(img / "report-top.png"))
    finally:
        ctx.close()
    assert out.stat().st_size < 1_500_000


def test_the_time_strip_reads_from_minutes_to_decades(browser, report_file):
    requests, errors = [], []
    ctx, page = _open(browser, report_file, requests, errors)
    try:
        t0 = 1_700_000_000_000           # 14 Nov 2023, 22:13 UTC
        cases = {30 * 60_000: "minute", 20 * 3_600_000: "hour", 20 * 86_400_000: "day",
                 3 * 365 * 86_400_000: "month", 60 * 365 * 86_400_000: "year"}
        for span, unit in cases.items():
            got = page.evaluate("([a, b]) => window.BelieMap.ticks(a, b, 8)", [t0, t0 + span])
            assert got["unit"] == unit, (span, got)
            assert 2 <= len(got["at"]) <= 9
            assert all(t0 <= t <= t0 + span for t in got["at"])
            assert got["at"] == sorted(got["at"])
        # A brushed period of minutes is said in minutes under the map.
        page.evaluate("() => window.belieMap.setPeriod(Date.UTC(1921, 1, 10, 9, 5), Date.UTC(1921, 1, 10, 9, 50))")
        assert "10 Feb 1921 09:05 – 09:49" in page.locator(".bmap-status").text_content()
        assert errors == []
    finally:
        ctx.close()
