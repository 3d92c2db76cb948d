"""The map on `belie serve`'s review page, in a real browser: the candidate under review is
drawn with its neighbours in time, and a candidate that would put someone in two places
shows the alibi line at once.  Also the map's routes without a browser: the data, the
files, tiles off by default, a local MBTiles file, the policy for a tile URL.

Browser tests are skipped, with the reason, where /usr/bin/chromium or `playwright` is absent.
"""
from __future__ import annotations

import importlib.util
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from belie.store.db import CaseStore
from belie.store.ingest import ingest
from belie.web.app import create_app
from belie.web.maproutes import tile_setting

CHROMIUM = Path("/usr/bin/chromium")
IMG = Path(__file__).resolve().parents[2] / "docs" / "img"

CASE = """\
case: Review map
entities:
  trotsky: {type: person, names: [Leon Trotsky, Trotsky]}
  witness: {type: person, names: [A Witness]}
  copenhagen: {type: place, names: [Copenhagen], at: [55.676, 12.568]}
  berlin: {type: place, names: [Berlin], at: [52.52, 13.405]}
  paris: {type: place, names: [Paris], at: [48.857, 2.352]}
sources:
  visa: {kind: record, said: 1932-12-02}
  later: {kind: record, said: 1935-01-01}
  statement: {kind: testimony, speaker: witness, said: 1936-08-20, file: sources/statement.txt}
claims:
  - {id: trotsky-in-copenhagen, source: visa, presence: trotsky, where: copenhagen, throughout: 1932-11-23/1932-12-02}
  - {id: trotsky-in-paris, source: later, presence: trotsky, where: paris, throughout: 1934-06-01/1934-06-30}
"""
STATEMENT = "The witness said: I saw Trotsky in Berlin on 25 November 1932, at the station.\n"
BERLIN = {"source": "statement", "presence": "trotsky", "where": "berlin", "when": "1932-11-25",
          "quote": "I saw Trotsky in Berlin on 25 November 1932"}


def make_case(folder: Path) -> Path:
    (folder / "sources").mkdir(parents=True)
    (folder / "case.yaml").write_text(CASE, encoding="utf-8")
    (folder / "sources" / "statement.txt").write_text(STATEMENT, encoding="utf-8")
    with CaseStore.open(folder) as store:
        ingest(store, folder, [folder / "sources" / "statement.txt"])
    return folder


@pytest.fixture
def app_and_candidate(tmp_path):
    app = create_app(make_case(tmp_path / "case"))
    ws = app.extensions["belie"]
    (cid,) = ws.store.add_candidates([{"source_id": "statement", "data": BERLIN}])
    yield app, cid
    ws.close()


def test_the_map_data_of_a_candidate_and_its_neighbours(app_and_candidate):
    app, cid = app_and_candidate
    client = app.test_client()
    got = client.get(f"/api/map?candidate={cid}").get_json()
    data = got["map"]
    claims = {i["claim"] for i in data["items"]}
    # The candidate (not accepted yet) and the stay of the same days; not the stay of 1934.
    assert got["claim"] in claims and "trotsky-in-copenhagen" in claims
    assert "trotsky-in-paris" not in claims
    assert data["review"] == [got["claim"]]
    # Accepting it would make an alibi: Berlin and Copenhagen, with the distance.
    (f,) = [f for f in data["findings"] if f["rule"] == "alibi"]
    assert {f["a"], f["b"]} == {"berlin", "copenhagen"} and f["km"] > 300
    assert got["tiles"] is None
    # Without a candidate: the whole case, no tiles.
    whole = client.get("/api/map").get_json()["map"]
    assert {"trotsky-in-copenhagen", "trotsky-in-paris"} <= {i["claim"] for i in whole["items"]}
    assert client.get("/api/map?candidate=nope").status_code == 404


def test_the_map_files_come_from_the_app_and_tiles_are_off_by_default(app_and_candidate):
    app, _ = app_and_candidate
    client = app.test_client()
    for name in ("map.js", "map.css", "topojson-client.min.js", "countries-110m.json"):
        assert client.get(f"/map/{name}").status_code == 200
    assert client.get("/map/secret.txt").status_code == 404
    assert client.get("/tiles/0/0/0").status_code == 404
    csp = client.get("/review").headers["Content-Security-Policy"]
    assert "img-src 'self' data:" in csp


def test_tiles_from_a_url_or_a_local_mbtiles_file(tmp_path):
    assert tile_setting(None)["url"] is None
    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert tile_setting(url)["origin"] == "https://tiles.example.org"
    (tmp_path / "junk.pmtiles").write_bytes(b"not a tile archive")
    for bad in ("https://tiles.example.org/tile.png", str(tmp_path / "nothere.mbtiles"),
                str(tmp_path / "a.pmtiles"), str(tmp_path / "junk.pmtiles")):
        with pytest.raises(ValueError):
            tile_setting(bad)
    mb = tmp_path / "europe.mbtiles"
    with sqlite3.connect(mb) as db:
        db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        png = b"\x89PNG\r\n\x1a\n" + b"x" * 20
        db.execute("INSERT INTO tiles VALUES (1, 1, 0, ?)", (png,))   # TMS row 0 = the southern row
    app = create_app(make_case(tmp_path / "case"), tiles=str(mb))
    try:
        client = app.test_client()
        r = client.get("/tiles/1/1/1")                                  # the map's row 1 = TMS row 0
        assert r.status_code == 200 and r.mimetype == "image/png" and r.data == png
        assert client.get("/tiles/1/1/0").status_code == 404
        assert client.get("/api/map").get_json()["tiles"] == "/tiles/{z}/{x}/{y}"
    finally:
        app.extensions["belie"].close()
    app = create_app(tmp_path / "case", tiles=url)
    try:
        csp = app.test_client().get("/review").headers["Content-Security-Policy"]
        assert "img-src 'self' https://tiles.example.org" in csp
    finally:
        app.extensions["belie"].close()


@pytest.mark.browser
def test_the_review_page_maps_the_candidate_under_review(app_and_candidate, tmp_path):
    if not CHROMIUM.exists() or importlib.util.find_spec("playwright") is None:
        pytest.skip("needs /usr/bin/chromium and the playwright package")
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    app, cid = app_and_candidate
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
            try:
                page = b.new_page(viewport={"width": 1200, "height": 1000})
                page.set_default_timeout(30_000)
                errors, outside = [], []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("request", lambda r: None if r.url.startswith(url) else outside.append(r.url))
                page.goto(url + "/review")
                page.wait_for_selector("#belie-map .bmap-pt.review")
                # The candidate in Berlin (outlined as under review) and the documented stay
                # in Copenhagen on the same days; the alibi line between them.
                berlin = page.locator(".bmap-pt.review")
                assert berlin.get_attribute("data-place") == "berlin"
                assert page.locator(".bmap-pt[data-claim~='trotsky-in-copenhagen']").count() == 1
                assert page.locator(".bmap-finding[data-finding^='alibi']").count() == 1
                assert page.locator(".bmap-pt[data-claim~='trotsky-in-paris']").count() == 0
                assert errors == [] and outside == []
                if os.environ.get("BELIE_SCREENSHOTS") == "1":
                    IMG.mkdir(parents=True, exist_ok=True)
                    page.locator("section.review-map").screenshot(path=str(IMG / "review-map.png"))
                # With local tiles the map asks this server for them, and for nothing else.
                mb = tmp_path / "tiles.mbtiles"
                with sqlite3.connect(mb) as db:
                    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
                               "tile_data BLOB)")
                tiled = create_app(tmp_path / "case", tiles=str(mb))
                server2 = make_server("127.0.0.1", 0, tiled, threaded=True)
                threading.Thread(target=server2.serve_forever, daemon=True).start()
                url2 = f"http://127.0.0.1:{server2.server_port}"
                try:
                    asked = []
                    page2 = b.new_page()
                    page2.on("request", lambda r: asked.append(r.url))
                    page2.goto(url2 + "/review")
                    page2.wait_for_selector("#belie-map .bmap-tiles image")
                    assert any(u.startswith(url2 + "/tiles/") for u in asked)
                    assert all(u.startswith(url2) for u in asked)
                    assert page2.locator(".bmap-land").count() == 0     # the tiles replace the outline
                finally:
                    server2.shutdown()
                    server2.server_close()
                    tiled.extensions["belie"].close()
            finally:
                b.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_serve_refuses_tiles_it_cannot_use_with_a_message(tmp_path):
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    case_dir = make_case(tmp_path / "case")
    env = dict(os.environ, PYTHONPATH=str(root / "src"))
    (tmp_path / "world.pmtiles").write_bytes(b"PMTiles? no")
    for bad, says in ((str(tmp_path / "world.pmtiles"), "PMTiles"), ("https://tiles.example.org/x.png", "{z}"),
                      (str(tmp_path / "none.mbtiles"), "existing .mbtiles")):
        out = subprocess.run([sys.executable, "-m", "belie.cli", "serve", str(case_dir), "--port", "0",
                              "--tiles", bad], capture_output=True, text=True, env=env, timeout=120)
        assert out.returncode == 2, out.stderr
        assert "--tiles" in out.stderr and says in out.stderr and "Traceback" not in out.stderr


def test_a_candidate_is_read_as_the_loader_reads_claims(tmp_path):
    import belie
    from belie.errors import InputError
    from belie.model.loading import with_claims

    case = belie.load_case(make_case(tmp_path / "case"))
    index = case.places
    more = with_claims(case, [{"id": "c1", **BERLIN}])
    assert [c.id for c in more.claims][-1] == "c1" and len(case.claims) == 2   # the case is unchanged
    assert more.claim_by_id["c1"].where == "berlin" and more.places is index
    with pytest.raises(InputError) as bad:
        with_claims(case, [{**BERLIN, "where": "berlim"}])
    assert "berlim" in str(bad.value) and "berlin" in str(bad.value)
    with pytest.raises(InputError, match="already in the case"):
        with_claims(case, [{**BERLIN, "id": "trotsky-in-paris"}])


def _pmtiles(path: Path, tiles: dict, tile_type) -> None:
    from pmtiles.tile import Compression, zxy_to_tileid
    from pmtiles.writer import write

    with write(str(path)) as w:
        for (z, x, y), data in sorted(tiles.items(), key=lambda kv: zxy_to_tileid(*kv[0])):
            w.write_tile(zxy_to_tileid(z, x, y), data)
        w.finalize({"tile_type": tile_type, "tile_compression": Compression.NONE, "min_lon_e7": -1800000000,
                    "min_lat_e7": -850000000, "max_lon_e7": 1800000000, "max_lat_e7": 850000000,
                    "center_zoom": 0, "center_lon_e7": 0, "center_lat_e7": 0}, {})


def test_tiles_from_a_local_pmtiles_file(tmp_path):
    from pmtiles.tile import TileType

    png, other = b"\x89PNG\r\n\x1a\n" + b"a" * 20, b"\x89PNG\r\n\x1a\n" + b"b" * 20
    pm = tmp_path / "europe.pmtiles"
    _pmtiles(pm, {(0, 0, 0): other, (1, 1, 0): png}, TileType.PNG)
    app = create_app(make_case(tmp_path / "case"), tiles=str(pm))
    try:
        client = app.test_client()
        r = client.get("/tiles/1/1/0")            # PMTiles count rows from the north, as the map does
        assert r.status_code == 200 and r.mimetype == "image/png" and r.data == png
        assert client.get("/tiles/0/0/0").data == other
        assert client.get("/tiles/1/0/1").status_code == 404
        assert client.get("/tiles/1/5/0").status_code == 404     # off the world
    finally:
        app.extensions["belie"].close()
    vector = tmp_path / "vector.pmtiles"
    _pmtiles(vector, {(0, 0, 0): b"\x1a\x00"}, TileType.MVT)
    with pytest.raises(ValueError, match="raster"):
        tile_setting(str(vector))
