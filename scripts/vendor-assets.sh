#!/usr/bin/env bash
# Refresh the third-party files that the HTML report and the review app's map inline
# (src/belie/report/assets/, listed with their versions and licences in its README.md).
# Needs npm and the npm registry; run by hand when a version changes, never at run time.
# The plotly.js partial bundle must match the plotly.js that the pinned `plotly` Python
# package ships (tests/report/test_assets.py checks it).
set -euo pipefail
cd "$(dirname "$0")/.."
PLOTLY_JS=${PLOTLY_JS:-4.1.1}
WORLD_ATLAS=${WORLD_ATLAS:-2.0.2}
TOPOJSON_CLIENT=${TOPOJSON_CLIENT:-3.1.0}
dest=src/belie/report/assets
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack -q "plotly.js-basic-dist-min@$PLOTLY_JS" "world-atlas@$WORLD_ATLAS" \
   "topojson-client@$TOPOJSON_CLIENT" >/dev/null)
for p in "$tmp"/*.tgz; do d="$tmp/$(basename "$p" .tgz)"; mkdir -p "$d"; tar xzf "$p" -C "$d"; done
gzip -9nc "$tmp/plotly.js-basic-dist-min-$PLOTLY_JS/package/plotly-basic.min.js" > "$dest/plotly-basic.min.js.gz"
cp "$tmp/plotly.js-basic-dist-min-$PLOTLY_JS/package/LICENSE" "$dest/LICENSE-plotly.js.txt"
cp "$tmp/world-atlas-$WORLD_ATLAS/package/countries-110m.json" "$dest/countries-110m.json"
cp "$tmp/world-atlas-$WORLD_ATLAS/package/LICENSE" "$dest/LICENSE-world-atlas.txt"
cp "$tmp/topojson-client-$TOPOJSON_CLIENT/package/dist/topojson-client.min.js" "$dest/topojson-client.min.js"
cp "$tmp/topojson-client-$TOPOJSON_CLIENT/package/LICENSE" "$dest/LICENSE-topojson-client.txt"
ls -l "$dest"
