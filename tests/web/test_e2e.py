"""`belie serve` and the HTML report in a real browser (headless Chromium via Playwright).

Skipped, with the reason, where /usr/bin/chromium or the `playwright` package is absent
(`.ci/run` installs Debian's chromium).  With BELIE_SCREENSHOTS=1 the screenshots of the
report's timeline and charge chart and of the review page are saved to docs/img/.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import struct
import threading
import zlib
from pathlib import Path

import pytest

import belie
from belie.store.db import CaseStore
from belie.store.ingest import ingest
from belie.web.app import create_app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "moscow-1936"
SHARED = ROOT.parent / "shared"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = os.environ.get("BELIE_SCREENSHOTS") == "1"
IMG = ROOT / "docs" / "img"
TIMEOUT = 20_000   # ms

EVIL_SCRIPT = "<script>window.__pwned=1</script>"
EVIL_IMG = '<img src=x onerror="window.__pwned=2">'

CASE = """\
case: Review test
entities:
  trotsky: {type: person, names: [Leon Trotsky, Trotsky]}
  witness: {type: person, names: [A Witness]}
  copenhagen: {type: place, names: [Copenhagen]}
  berlin: {type: place, names: [Berlin]}
sources:
  visa: {kind: record, said: 1932-12-02}
  statement: {kind: testimony, speaker: witness, said: 1936-08-20, file: sources/statement.txt}
claims:
  - {id: trotsky-in-copenhagen, source: visa, presence: trotsky, where: copenhagen, throughout: 1932-11-23/1932-12-02}
"""
STATEMENT = ("The witness said: I saw Trotsky in Berlin on 25 November 1932, at the station. "
             "He was reading a newspaper.\n")


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is absent (install Debian's chromium; .ci/run does)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is absent (pip install playwright; it is in the test extra)"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # launch() gives each run a fresh, temporary user-data-dir.
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    ctx.set_default_timeout(TIMEOUT)
    yield ctx
    ctx.close()


class Served:
    """The app on a free loopback port, in a thread (werkzeug's own server)."""

    def __init__(self, app):
        from werkzeug.serving import make_server

        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def store(self):
        return self.app.extensions["belie"].store

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
        self.app.extensions["belie"].close()


def make_case(folder: Path, case_text: str = CASE, files: dict[str, str] | None = None) -> Path:
    (folder / "sources").mkdir(parents=True)
    (folder / "case.yaml").write_text(case_text, encoding="utf-8")
    files = {"statement.txt": STATEMENT, **(files or {})}
    for name, text in files.items():
        (folder / "sources" / name).write_text(text, encoding="utf-8")
    with CaseStore.open(folder) as store:
        ingest(store, folder, [folder / "sources" / n for n in files])
    return folder


@pytest.fixture
def served(tmp_path):
    started = []

    def start(case_dir: Path, **kw) -> Served:
        s = Served(create_app(case_dir, **kw))
        started.append(s)
        return s

    yield start
    for s in started:
        s.close()


def propose(s: Served, *datas) -> list[str]:
    """Hand-made candidates: only for what extraction would never propose (hostile text)."""
    return s.store.add_candidates([{"source_id": d.get("source"), "data": d} for d in datas])


def extracted(s: Served) -> list[dict]:
    """The candidates `belie extract` proposes for the served case, stored as the command
    stores them (skips where the nlp extra is absent)."""
    from belie.errors import MissingExtra

    try:
        from belie.extract import candidates, extract

        result = extract(belie.load_case(s.app.extensions["belie"].case_dir))
    except MissingExtra as exc:
        pytest.skip(f"needs the nlp extra: {exc}")
    ids = s.store.add_candidates(candidates(result))
    return [s.store.get_candidate(i) for i in ids]


def berlin_candidate(s: Served) -> str:
    """The id of the candidate extraction proposes from the statement: Trotsky in Berlin."""
    hits = [c["id"] for c in extracted(s)
            if c["data"].get("where") == "berlin" and "trotsky" in str(c["data"])]
    assert len(hits) == 1, f"extraction proposed {len(hits)} candidates putting Trotsky in Berlin"
    return hits[0]


def card(page, cid):
    return page.locator(f"article.cand[data-id='{cid}']")


def wait_status(page, cid, status):
    page.wait_for_selector(f"article.cand[data-id='{cid}'][data-status='{status}']")


def wait_checked(page):
    page.wait_for_selector("#findings-status:not(.busy):has-text('Findings now')")


def alibi_articles(page):
    return page.locator("article.finding[data-rule='alibi']")


# --------------------------------------------------------------------------
# PNG: is a screenshot blank?


def png_stream(data: bytes) -> bytes:
    """The decompressed image data of a PNG (its scanlines, still filtered)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        if data[pos + 4:pos + 8] == b"IDAT":
            idat.append(data[pos + 8:pos + 8 + length])
        pos += 12 + length
    return zlib.decompress(b"".join(idat))


def assert_not_blank(shot: bytes, blank: bytes, what: str):
    """A screenshot with something drawn on it: far bigger than an empty page's of the same
    size, and its pixel data far from uniform (an empty page's filtered scanlines are
    nearly all zero bytes)."""
    assert len(shot) > 3 * len(blank), f"{what}: the screenshot is hardly bigger than an empty page's"
    raw, empty = png_stream(shot), png_stream(blank)
    assert len(set(empty)) <= 8
    assert len(set(raw)) > 64, f"{what}: the screenshot has almost no distinct pixel values: blank?"
    # A blank image is over 99.9% zero bytes; a chart of thin marks on white about 98%.
    assert raw.count(0) < 0.99 * len(raw), f"{what}: the screenshot is almost uniform: blank?"


# --------------------------------------------------------------------------
# The review workflow


def test_accepting_a_candidate_makes_an_alibi_finding_appear_and_undo_removes_it(context, served, tmp_path):
    case_dir = make_case(tmp_path / "case")
    s = served(case_dir)
    cid = berlin_candidate(s)
    page = context.new_page()

    page.goto(s.url + "/findings")
    assert page.locator("#no-findings").is_visible()
    assert alibi_articles(page).count() == 0

    page.goto(s.url + "/review")
    c = card(page, cid)
    # The quote is shown in its context in the source, marked.
    quote = s.store.get_candidate(cid)["data"]["quote"]
    assert "I saw Trotsky in Berlin on 25 November 1932" in quote
    assert c.locator("blockquote.context mark").inner_text() == quote
    assert "Leon Trotsky" in c.locator(".summary").inner_text()
    assert "Berlin" in c.locator(".summary").inner_text()
    # what extraction adds beside the claim is not in the claim the card offers to accept
    assert "confidence" not in c.locator("pre.claim-yaml").inner_text()
    wait_checked(page)
    page.fill("#reviewer", "Ann Archivist")
    c.get_by_role("button", name="Accept", exact=True).click()
    wait_status(page, cid, "accepted")
    assert "accepted by Ann Archivist" in card(page, cid).inner_text()
    page.wait_for_selector(".new-findings:has-text('alibi')")
    assert "Findings now: 1 impossible" in page.locator("#findings-status").inner_text()

    text = (case_dir / "claims" / "reviewed.yaml").read_text(encoding="utf-8")
    assert f"id: {cid}" in text and "Ann Archivist" in text
    assert belie.load_case(case_dir).claim_by_id[cid].where == "berlin"

    page.goto(s.url + "/findings")
    finding = alibi_articles(page)
    assert finding.count() == 1
    assert set(finding.get_attribute("data-claims").split()) == {cid, "trotsky-in-copenhagen"}
    assert "cannot have been at Berlin" in finding.inner_text()
    assert finding.locator(".badge.reviewed").count() == 1

    # Undo: the name is remembered, the claim leaves the case, the finding vanishes.
    page.goto(s.url + "/review")
    assert page.input_value("#reviewer") == "Ann Archivist"
    page.get_by_role("button", name="Decided").click()
    wait_checked(page)
    card(page, cid).get_by_role("button", name="Undo").click()
    wait_status(page, cid, "proposed")
    page.wait_for_selector(".gone-findings:has-text('alibi')")
    assert cid not in belie.load_case(case_dir).claim_by_id
    page.goto(s.url + "/findings")
    assert alibi_articles(page).count() == 0
    assert [(d["decision"], d["reviewer"]) for d in s.store.decisions(cid)] == [
        ("accepted", "Ann Archivist"), ("proposed", "Ann Archivist")]

    if SCREENSHOTS:
        page.goto(s.url + "/sources/statement")
        page.screenshot(path=str(tmp_path / "source.png"))


def test_a_bad_edit_is_refused_and_a_good_edit_makes_the_finding_vanish(context, served, tmp_path):
    case_dir = make_case(tmp_path / "case")
    s = served(case_dir, reviewer="Desk Editor")
    cid = berlin_candidate(s)
    page = context.new_page()
    page.goto(s.url + "/review")
    assert page.input_value("#reviewer") == "Desk Editor"       # from --reviewer
    wait_checked(page)
    card(page, cid).get_by_role("button", name="Accept", exact=True).click()
    wait_status(page, cid, "accepted")
    page.wait_for_selector(".new-findings:has-text('alibi')")

    c = card(page, cid)
    c.get_by_role("button", name="Edit").click()
    box = c.locator("textarea")
    box.fill(box.input_value().replace("where: berlin", "where: berlim"))
    c.get_by_role("button", name="Accept edited claim").click()
    msg = c.locator(".msg.error")
    msg.wait_for()
    assert "unknown entity 'berlim'" in msg.inner_text() and "did you mean 'berlin'" in msg.inner_text()
    assert "claims/reviewed.yaml:" in msg.inner_text()
    assert "where: berlin" in (case_dir / "claims" / "reviewed.yaml").read_text(encoding="utf-8")
    assert s.store.get_candidate(cid)["version"] == 2                 # nothing recorded

    box.fill(box.input_value().replace("where: berlim", "where: copenhagen"))
    c.get_by_role("button", name="Accept edited claim").click()
    wait_status(page, cid, "edited")
    page.wait_for_selector(".gone-findings:has-text('alibi')")
    assert belie.load_case(case_dir).claim_by_id[cid].where == "copenhagen"
    page.goto(s.url + "/findings")
    assert alibi_articles(page).count() == 0


def test_two_tabs_deciding_one_candidate_the_second_is_told_and_nothing_is_lost(context, served, tmp_path):
    case_dir = make_case(tmp_path / "case")
    s = served(case_dir)
    cid = berlin_candidate(s)
    one, two = context.new_page(), context.new_page()
    for p in (one, two):
        p.goto(s.url + "/review")
        p.fill("#reviewer", "Ann Archivist" if p is one else "Bob Checker")

    card(one, cid).get_by_role("button", name="Accept", exact=True).click()
    wait_status(one, cid, "accepted")
    card(two, cid).get_by_role("button", name="Reject").click()
    conflict = card(two, cid).locator(".msg.conflict")
    conflict.wait_for()
    assert "changed since you loaded it" in conflict.inner_text()
    assert "accepted by Ann Archivist" in conflict.inner_text()
    assert "Reload" in two.locator("#banner").inner_text()

    # Tab one's decision stands; tab two's was not silently applied.
    cand = s.store.get_candidate(cid)
    assert (cand["status"], cand["reviewer"], cand["version"]) == ("accepted", "Ann Archivist", 2)
    assert [d["reviewer"] for d in s.store.decisions(cid)] == ["Ann Archivist"]
    assert cid in belie.load_case(case_dir).claim_by_id

    # Reloading shows tab two what was decided; deciding again then works.
    card(two, cid).get_by_role("button", name="Reload").click()
    wait_status(two, cid, "accepted")
    card(two, cid).get_by_role("button", name="Undo").click()
    wait_status(two, cid, "proposed")
    assert [d["reviewer"] for d in s.store.decisions(cid)] == ["Ann Archivist", "Bob Checker"]


def test_hostile_text_stays_inert_everywhere(browser, served, tmp_path):
    evil_case = CASE.replace("case: Review test", f"case: '{EVIL_SCRIPT} case'").replace(
        "sources:\n", "sources:\n  evil: {kind: press, said: 1937, file: sources/evil.txt}\n"
    ) + f"  - {{id: evil-quote, source: evil, statement: 'x {EVIL_IMG}', quote: '{EVIL_SCRIPT}'}}\n"
    case_dir = make_case(tmp_path / "case", evil_case,
                         {"evil.txt": f"Before. {EVIL_SCRIPT} middle {EVIL_IMG} after.\n"})
    s = served(case_dir)
    propose(s, {"source": "evil", "statement": "<img src=x onerror=window.__pwned=3>",
                "quote": EVIL_IMG})
    # Bypass the Content-Security-Policy: escaping alone must keep the text inert.
    ctx = browser.new_context(bypass_csp=True)
    ctx.set_default_timeout(TIMEOUT)
    try:
        page = ctx.new_page()
        page.goto(s.url + "/sources/evil")
        text = page.locator("#source-text")
        assert EVIL_SCRIPT in text.inner_text() and EVIL_IMG in text.inner_text()
        assert page.locator("#source-text mark.claim").inner_text() == EVIL_SCRIPT
        assert page.locator("#source-text mark.candidate").inner_text() == EVIL_IMG
        assert page.locator("#source-text img, #source-text script").count() == 0
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert EVIL_SCRIPT in page.locator(".case-name").inner_text()

        page.goto(s.url + "/review")
        page.wait_for_selector("article.cand")
        assert "<img src=x onerror=window.__pwned=3>" in page.locator("article.cand .summary").inner_text()
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__pwned") == "undefined"

        for url in ("/", "/sources", "/findings"):
            page.goto(s.url + url)
            assert page.evaluate("typeof window.__pwned") == "undefined", url
            assert page.locator("main img").count() == 0, url
    finally:
        ctx.close()


def test_with_a_token_the_address_printed_opens_the_app(context, served, tmp_path):
    case_dir = make_case(tmp_path / "case")
    s = served(case_dir, token="t0ken-for-tests")
    cid = berlin_candidate(s)
    page = context.new_page()
    r = page.goto(s.url + "/review")
    assert r.status == 401 and "needs its token" in page.inner_text("body")
    page.goto(s.url + "/review?token=t0ken-for-tests")
    assert page.url == s.url + "/review"                      # the token leaves the address bar
    page.fill("#reviewer", "Ann Archivist")
    card(page, cid).get_by_role("button", name="Reject").click()
    wait_status(page, cid, "rejected")


# --------------------------------------------------------------------------
# The HTML report (belie report) and screenshots for the docs


def _example_case_dir(tmp_path) -> Path:
    """A copy of the example case (so that nothing touches the repository's own)."""
    if (EXAMPLE / "case.yaml").is_file():
        folder = tmp_path / "moscow-1936"
        shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".belie"))
        return folder
    spec = SHARED / "spec" / "example" / "case.yaml"
    if not spec.is_file():
        pytest.skip("neither examples/moscow-1936 nor ../shared/spec/example/case.yaml is here")
    folder = tmp_path / "example"
    folder.mkdir()
    shutil.copy(spec, folder / "case.yaml")
    return folder


_PLOT = "contains(concat(' ', normalize-space(@class), ' '), ' js-plotly-plot ')"


def _chart(page, names: tuple[str, ...], index: int):
    """The plot named by one of *names* (an element with that id which is, holds, or is
    followed by a plot); else the index-th plot of the page."""
    for name in names:
        anchor = page.locator(f"#{name}")
        if not anchor.count():
            continue
        for sel in (f"xpath=//*[@id='{name}'][{_PLOT}]", f"xpath=//*[@id='{name}']//div[{_PLOT}]",
                    f"xpath=//*[@id='{name}']/following::div[{_PLOT}]"):
            loc = page.locator(sel)
            if loc.count():
                return loc.first
    plots = page.locator(".js-plotly-plot")
    return plots.nth(index) if plots.count() > index else None


def test_the_html_report_draws_its_charts(browser, tmp_path):
    from belie.report.html import write_report

    case = belie.load_case(_example_case_dir(tmp_path))
    out = tmp_path / "report.html"
    write_report(case, out)
    assert out.is_file() and out.stat().st_size > 0

    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(60_000)
    try:
        blank = ctx.new_page()
        blank.set_content("<html><body></body></html>")
        blank_shot = blank.screenshot()

        page = ctx.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(out.as_uri())
        page.wait_for_selector(".plotly svg.main-svg, .js-plotly-plot svg.main-svg")
        assert page.locator("svg.main-svg").count() >= 1
        assert errors == [], f"the report's scripts failed: {errors}"
        assert_not_blank(page.screenshot(), blank_shot, "the report")

        timeline = _chart(page, ("timeline",), 0)
        assert timeline is not None, "no timeline chart in the report"
        timeline.scroll_into_view_if_needed()
        tl_shot = timeline.screenshot()
        box = timeline.bounding_box()
        blank_box = blank.screenshot(clip={"x": 0, "y": 0, "width": min(box["width"], 1280),
                                           "height": min(box["height"], 900)})
        assert_not_blank(tl_shot, blank_box, "the timeline chart")
        charges = _chart(page, ("charges", "charge"), 1)
        if SCREENSHOTS:
            IMG.mkdir(parents=True, exist_ok=True)
            (IMG / "report-timeline.png").write_bytes(tl_shot)
            if charges is not None:
                charges.scroll_into_view_if_needed()
                (IMG / "report-charges.png").write_bytes(charges.screenshot())
    finally:
        ctx.close()


@pytest.mark.shared
def test_review_page_of_the_example_case(browser, served, tmp_path):
    """The review page over a copy of the example case, with the candidates `belie extract`
    proposes from the text of Trotsky's "The Moscow 'Confessions'" (seed 004)."""
    seed = SHARED / "seeds" / "004_0b230045bc0fdd81.txt"
    if not (EXAMPLE / "case.yaml").is_file() or not seed.is_file():
        pytest.skip("needs examples/moscow-1936 and ../shared/seeds/004_*.txt")
    case_dir = tmp_path / "moscow-1936"
    shutil.copytree(EXAMPLE, case_dir, ignore=shutil.ignore_patterns(".belie"))
    (case_dir / "sources").mkdir(exist_ok=True)
    shutil.copy(seed, case_dir / "sources" / "trotsky-confessions-1936.txt")
    with CaseStore.open(case_dir) as store:
        (rec,) = ingest(store, case_dir, [case_dir / "sources" / "trotsky-confessions-1936.txt"])
    assert rec.id == "trotsky-confessions-1936"
    s = served(case_dir)
    sid = rec.id
    cands = [c for c in extracted(s) if c["source_id"] == sid]
    assert len(cands) >= 3, "extraction proposed fewer than three candidates from the seed"
    ids = [c["id"] for c in cands]
    ctx = browser.new_context(viewport={"width": 1200, "height": 1000})
    ctx.set_default_timeout(90_000)
    try:
        page = ctx.new_page()
        page.goto(s.url + "/review")
        page.fill("#reviewer", "Ann Archivist")
        for cid in ids:      # every quote is found in the source and shown in context
            assert card(page, cid).locator("blockquote.context mark").count() == 1
        wait_checked(page)
        card(page, ids[2]).get_by_role("button", name="Edit").click()
        page.evaluate("window.scrollTo(0, 0)")
        if SCREENSHOTS:
            IMG.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(IMG / "review.png"))
        page.goto(s.url + f"/sources/{sid}")
        quotes = {c["data"]["quote"] for c in cands}
        marks = page.locator("#source-text mark.candidate")
        assert marks.count() >= len(quotes) // 2    # one mark per quoted passage (adjacent ones may merge)
        assert all(m in " ".join(quotes) for m in marks.all_inner_texts())
    finally:
        ctx.close()


def test_a_reported_allegation_accepted_in_the_browser_keeps_its_speaker(context, served, extracted_case):
    """Trotsky's reply reports Pyatakov's story and denies it (candidates from `belie
    extract`): accepted in the page, the story stays Pyatakov's, so the two disagree as two
    people and Trotsky is not made to contradict himself."""
    case_dir = extracted_case()
    s = served(case_dir)
    cands = s.store.candidates("proposed")
    story = [c["id"] for c in cands if c["data"].get("reported_by") == "trotsky"
             and c["data"].get("speaker") == "pyatakov" and "meeting" in c["data"]]
    denial = [c["id"] for c in cands if c["data"].get("denies") and "meeting" in c["data"]]
    assert len(story) == 1 and len(denial) == 1, "extraction no longer proposes the story and its denial"
    page = context.new_page()
    page.goto(s.url + "/review")
    page.fill("#reviewer", "Ann Archivist")
    assert "speaker: pyatakov" in card(page, story[0]).locator("pre.claim-yaml").inner_text()
    wait_checked(page)
    for cid in (story[0], denial[0]):
        card(page, cid).get_by_role("button", name="Accept", exact=True).click()
        wait_status(page, cid, "accepted")
    page.wait_for_selector(".new-findings:has-text('conflicting-accounts')")
    case = belie.load_case(case_dir)
    assert case.speaker(case.claim_by_id[story[0]]) == "pyatakov"
    page.goto(s.url + "/findings")
    assert page.locator("article.finding[data-rule='conflicting-accounts']").count() >= 1
    assert page.locator("article.finding[data-rule='self-contradiction']").count() == 0


PHOTO_CASE = """\
case: A photograph
entities:
  pryce: {type: person, names: [Tom Pryce]}
  cardiff: {type: place, names: [Cardiff]}
sources:
  minutes: {kind: record, said: 2023-04-02}
claims:
  - {id: pryce-in-cardiff, source: minutes, presence: pryce, where: cardiff, throughout: 2023-04-02}
"""


def test_reviewing_a_photos_exif_candidate(context, served, tmp_path):
    """A JPEG with EXIF time and GPS (made here with Pillow), added with `belie add`: its
    candidate places the camera, not a person; the reviewer says whose it was, and the
    photograph in London contradicts the minutes that keep Pryce in Cardiff all day."""
    pytest.importorskip("PIL")
    import subprocess
    import sys

    from PIL import Image

    case_dir = tmp_path / "case"
    (case_dir / "sources").mkdir(parents=True)
    (case_dir / "case.yaml").write_text(PHOTO_CASE, encoding="utf-8")
    img = Image.new("RGB", (40, 30), (90, 140, 60))
    exif = Image.Exif()
    exif[271], exif[272] = "Canon", "Canon EOS 5D"
    exif.get_ifd(0x8769)[36867] = "2023:04:02 12:10:00"
    exif.get_ifd(0x8769)[36881] = "+01:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (51.0, 30.0, 0.0), "W", (0.0, 7.0, 30.0)
    img.save(case_dir / "sources" / "photo.jpg", exif=exif)
    add = subprocess.run([sys.executable, "-m", "belie.cli", "add", str(case_dir),
                          str(case_dir / "sources" / "photo.jpg"), "--kind", "record"],
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
                         timeout=120)
    assert add.returncode == 0, add.stderr
    s = served(case_dir)
    (cand,) = s.store.candidates("proposed")
    cid, device = cand["id"], cand["data"]["presence"]

    page = context.new_page()
    page.goto(s.url + "/review")
    page.fill("#reviewer", "Ann Archivist")
    c = card(page, cid)
    summary = c.locator(".summary").inner_text()
    assert "Canon EOS 5D (new)" in summary and "GPS 51.500000, -0.125000 (new)" in summary
    assert "forge" in c.locator("pre.claim-yaml").inner_text()        # the caution travels with it
    assert c.locator("blockquote.context mark").inner_text() == "GPS position: 51.500000, -0.125000"
    wait_checked(page)
    c.get_by_role("button", name="Edit").click()
    box = c.locator("textarea")
    box.fill(box.input_value().replace(f"presence: {device}", "presence: pryce"))
    c.get_by_role("button", name="Accept edited claim").click()
    wait_status(page, cid, "edited")
    page.wait_for_selector(".new-findings:has-text('alibi')")

    case = belie.load_case(case_dir)
    claim = case.claim_by_id[cid]
    assert claim.person == "pryce" and case.entities[claim.where].at == (51.5, -0.125)
    assert device not in case.entities             # the camera is not declared for a claim that does not name it
    page.goto(s.url + "/findings")
    assert set(alibi_articles(page).first.get_attribute("data-claims").split()) == {cid, "pryce-in-cardiff"}
