"""The map in `belie serve`: the same component as the report's (belie/report/assets/map.js),
on the review page, for the claim under review and its neighbours in time.

* ``GET /map/<file>``: the map's script, style and Natural Earth TopoJSON (from the
  report's assets: nothing is fetched from elsewhere);
* ``GET /api/map?candidate=ID``: the map's data (`belie.report.mapdata.map_data`) for
  the case with that candidate's claim added — the claims near it in time, the findings
  it would take part in — or, without a candidate, for the whole case;
* ``GET /tiles/<z>/<x>/<y>``: raster tiles from a local MBTiles or PMTiles file, when
  ``belie serve --tiles FILE`` gave one (PMTiles read with the `pmtiles` package).

Tiles are off by default: the map draws the built-in coastlines and nothing leaves the
machine.  ``--tiles URL`` (an XYZ template such as ``https://tiles.example/{z}/{x}/{y}.png``)
makes the browser fetch tiles from there; the page's Content-Security-Policy then allows
images from that origin and no other.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from flask import Response, abort, request

from belie.errors import InputError

MAP_FILES = {"map.js": "text/javascript", "map.css": "text/css",
             "topojson-client.min.js": "text/javascript", "countries-110m.json": "application/json"}


def tile_setting(tiles: str | None) -> dict:
    """What the map is told about tiles: ``{"url": template or None, "mbtiles" or
    "pmtiles": the file or None, "origin": the URL's origin or None}``.  Raises ValueError
    for a value that is neither an http(s) URL template with {z}, {x} and {y} nor an
    existing .mbtiles or .pmtiles file of raster tiles."""
    if not tiles:
        return {"url": None, "mbtiles": None, "origin": None}
    parts = urlsplit(tiles)
    if parts.scheme in ("http", "https"):
        if not all(k in tiles for k in ("{z}", "{x}", "{y}")):
            raise ValueError(f"--tiles {tiles!r}: a tile URL must contain {{z}}, {{x}} and {{y}}")
        return {"url": tiles, "mbtiles": None, "origin": f"{parts.scheme}://{parts.netloc}"}
    path = Path(tiles)
    kind = path.suffix.lower()
    if kind not in (".mbtiles", ".pmtiles") or not path.is_file():
        raise ValueError(f"--tiles {tiles!r}: give an http(s) tile URL with {{z}}/{{x}}/{{y}} "
                         "or an existing .mbtiles or .pmtiles file")
    if kind == ".pmtiles":
        from pmtiles.reader import MmapSource, Reader
        from pmtiles.tile import TileType

        try:
            with open(path, "rb") as f:
                tile_type = Reader(MmapSource(f)).header()["tile_type"]
        except Exception as exc:  # noqa: BLE001 - any unreadable file gets one message
            raise ValueError(f"--tiles {tiles!r}: not a readable PMTiles file ({exc})") from None
        if tile_type not in (TileType.PNG, TileType.JPEG, TileType.WEBP):
            raise ValueError(f"--tiles {tiles!r}: its tiles are {tile_type.name}; the map draws raster "
                             "tiles (PNG, JPEG, WebP) only")
    local = str(path.resolve())
    return {"url": "/tiles/{z}/{x}/{y}", "origin": None,
            "mbtiles": local if kind == ".mbtiles" else None, "pmtiles": local if kind == ".pmtiles" else None}


def register(app, ws, tiles: str | None = None) -> dict:
    """Add the map's routes to the app; returns the tile setting (see `tile_setting`)."""
    from belie.report.html import ASSETS

    setting = tile_setting(tiles)
    app.config["BELIE_MAP"] = {"tiles": setting["url"]}

    @app.get("/map/<name>")
    def map_file(name: str):
        if name not in MAP_FILES:
            abort(404)
        return Response((ASSETS / name).read_bytes(), mimetype=MAP_FILES[name])

    @app.get("/api/map")
    def api_map():
        from belie.report.mapdata import map_data, neighbours_in_time
        from belie.review import claim_id_of
        from belie.web.app import api_error, json_response

        loaded = ws.load()
        case = loaded.case
        if case is None:
            return api_error(409, "the case files have problems; fix them to see the map")
        cid = request.args.get("candidate")
        if not cid:
            import belie

            return json_response({"map": map_data(case, belie.check(case)), "tiles": setting["url"]})
        cand = ws.store.get_candidate(cid)
        if cand is None:
            return api_error(404, f"no candidate {cid!r} in this case")
        claim_id = claim_id_of(cand)
        if claim_id not in case.claim_by_id:
            if not isinstance(cand.get("data"), dict):
                return api_error(400, f"candidate {cid!r} is not a claim")
            from belie.model.loading import with_claims

            try:
                # The claim that accepting it would write (belie.review), read as the loader reads it.
                edited = cand.get("status") == "edited"
                case = with_claims(case, [ws.review.claim_for(cand, edited=edited)[0]])
            except InputError as exc:
                return json_response({"map": None, "tiles": setting["url"],
                                      "problems": [str(p) for p in exc.problems]})
        claim = case.claim_by_id[claim_id]
        import belie

        result = belie.check(case)
        near = None
        if claim.when is not None:
            from belie.report.mapdata import interval_ms

            if interval_ms(claim.when.lo, claim.when.hi) is not None:
                near = neighbours_in_time(case, claim.when.lo, claim.when.hi) | {claim_id}
        out = map_data(case, result, claims=near, review={"claims": [claim_id]})
        out["findings"] = [f for f in out["findings"] if claim_id in f["claims"]]
        return json_response({"map": out, "tiles": setting["url"], "claim": claim_id})

    if setting["url"] and setting["url"].startswith("/tiles/"):
        mbtiles, pmtiles_path = setting.get("mbtiles"), setting.get("pmtiles")

        def from_mbtiles(z: int, x: int, y: int) -> bytes | None:
            with sqlite3.connect(f"file:{mbtiles}?mode=ro", uri=True) as db:
                # MBTiles rows count from the south (TMS); the map asks from the north.
                row = db.execute("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? "
                                 "AND tile_row = ?", (z, x, (1 << z) - 1 - y)).fetchone()
            return None if row is None else bytes(row[0])

        def from_pmtiles(z: int, x: int, y: int) -> bytes | None:
            import gzip

            from pmtiles.reader import MmapSource, Reader
            from pmtiles.tile import Compression

            with open(pmtiles_path, "rb") as f:
                reader = Reader(MmapSource(f))
                data = reader.get(z, x, y)
                compressed = reader.header()["tile_compression"] == Compression.GZIP
            if data is None:
                return None
            return gzip.decompress(data) if compressed else bytes(data)

        @app.get("/tiles/<int:z>/<int:x>/<int:y>")
        def tile(z: int, x: int, y: int):
            if not (0 <= z <= 30 and 0 <= x < (1 << z) and 0 <= y < (1 << z)):
                abort(404)
            blob = from_mbtiles(z, x, y) if mbtiles else from_pmtiles(z, x, y)
            if blob is None:
                abort(404)
            kind = "image/png" if blob[:4] == b"\x89PNG" else "image/jpeg" if blob[:2] == b"\xff\xd8" \
                else "image/webp" if blob[8:12] == b"WEBP" else "application/octet-stream"
            return Response(blob, mimetype=kind)

    if setting["origin"]:
        origin = setting["origin"]

        @app.after_request
        def allow_tiles(resp):
            # Runs before the app's own headers hook (Flask runs them last-registered
            # first), which only sets a policy where none is: this one, with the origin.
            from belie.web.app import CSP

            resp.headers.setdefault("Content-Security-Policy",
                                    CSP.replace("img-src 'self'", f"img-src 'self' {origin}", 1))
            return resp

    return setting

