"""The size of the HTML report, and what each way of carrying its charts would cost.

    .venv/bin/python benchmarks/report_size.py          # prints Markdown

For every case folder in examples/ and for a small case of 10 claims written here, runs
``belie report`` as a user does (the CLI, from files on disk) and measures the file and
its parts: plotly.js as carried (the basic bundle, gzip + base64), the chart specs, the
map's data and its Natural Earth TopoJSON, the rest (text, tables, CSS).  Then the
alternatives for plotly.js, measured on the files themselves: the whole bundle that the
pinned `plotly` package ships, inlined as text (what the report did before), and the
basic bundle (scatter and bar: all the report uses) as text and compressed.
"""
from __future__ import annotations

import base64
import gzip
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "src" / "belie" / "report" / "assets"

SMALL = """
case: Ten claims
entities:
  pryce: {type: person, names: [Councillor Pryce]}
  jones: {type: person, names: [Mair Jones]}
  cardiff: {type: place, names: [Cardiff], at: [51.48, -3.18]}
  newport: {type: place, names: [Newport], at: [51.58, -2.99]}
  swansea: {type: place, names: [Swansea], at: [51.62, -3.94]}
  bristol: {type: place, names: [Bristol], at: [51.45, -2.59]}
sources:
  minutes: {kind: record, said: 2024-03-05}
  pr1: {kind: press, said: 2024-03-06}
  pr2: {kind: press, said: 2024-03-06}
  witness: {kind: testimony, said: 2024-03-07}
claims:
  - {id: c1, source: minutes, presence: pryce, where: cardiff, throughout: 2024-03-05}
  - {id: c2, source: pr1, presence: pryce, where: newport, when: 2024-03-05}
  - {id: c3, source: pr2, presence: pryce, where: swansea, when: 2024-03-05}
  - {id: c4, source: witness, meeting: [jones, pryce], where: bristol, when: 2024-03-05}
  - {id: c5, source: witness, presence: jones, where: bristol, throughout: 2024-03-04/2024-03-06}
  - {id: c6, source: pr1, travel: pryce, from: cardiff, to: newport, when: 2024-03-05, by: road}
  - {id: c7, source: pr2, presence: jones, where: cardiff, when: 2024-03-04}
  - {id: c8, source: minutes, presence: jones, where: cardiff, throughout: 2024-03-03}
  - {id: c9, source: witness, presence: pryce, where: swansea, when: 2024-03-06}
  - {id: c10, source: pr1, presence: pryce, where: bristol, when: 2024-03-06}
"""


def mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def parts(page: str) -> dict[str, int]:
    def size(pattern: str) -> int:
        return sum(len(m.encode("utf-8")) for m in re.findall(pattern, page, flags=re.S))

    total = len(page.encode("utf-8"))
    out = {"plotly.js (basic, gzip+base64)": size(r'<script id="belie-plotly-gz"[^>]*>.*?</script>'),
           "chart specs (gzip+base64)": size(r'<script type="application/x-belie-plot" data-plot=[^>]*>.*?</script>'),
           "map data": size(r'<script type="application/json" id="belie-map-data">.*?</script>'),
           "map TopoJSON (Natural Earth 1:110m)": size(r'<script type="application/json" id="belie-world">.*?</script>')}
    out["everything else"] = total - sum(out.values())
    out["total"] = total
    return out


def main() -> int:
    cases = sorted(p for p in (ROOT / "examples").iterdir() if (p / "case.yaml").is_file())
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "ten-claims"
        small.mkdir()
        (small / "case.yaml").write_text(textwrap.dedent(SMALL), encoding="utf-8")
        rows = []
        for folder in [*cases, small]:
            out = Path(tmp) / f"{folder.name}.html"
            subprocess.run([sys.executable, "-m", "belie.cli", "report", str(folder), "-o", str(out)],
                           check=True, capture_output=True, cwd=ROOT)
            rows.append((folder.name, parts(out.read_text(encoding="utf-8"))))
    print("| part | " + " | ".join(name for name, _ in rows) + " |")
    print("|---|" + "---:|" * len(rows))
    for key in rows[0][1]:
        cells = [mb(p[key]) for _, p in rows]
        if key == "total":
            cells = [f"**{c}**" for c in cells]
        print(f"| {key} | " + " | ".join(cells) + " |")
    print()
    from plotly.offline import get_plotlyjs

    full = get_plotlyjs().encode("utf-8")
    basic = gzip.decompress((ASSETS / "plotly-basic.min.js.gz").read_bytes())
    print("| plotly.js as carried in the page | bytes |")
    print("|---|---:|")
    print(f"| whole bundle of the pinned plotly package, inlined as text (before) | {mb(len(full))} |")
    print(f"| whole bundle, gzip + base64 | {mb(len(base64.b64encode(gzip.compress(full, 9))))} |")
    print(f"| basic bundle (scatter, bar, pie), as text | {mb(len(basic))} |")
    print(f"| basic bundle, gzip + base64 (now) | {mb(len(base64.b64encode(gzip.compress(basic, 9))))} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
