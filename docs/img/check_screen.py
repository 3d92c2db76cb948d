"""Render the first screen of `belie check` (the summary, `--quiet`) as a PNG for the docs.

    python docs/img/check_screen.py CASE OUT.png [--width 110] [--lines 48]

rich records the terminal output and writes it as SVG; Chromium (through playwright,
/usr/bin/chromium) turns the SVG into the PNG.  Nothing is downloaded.
"""
from __future__ import annotations

import argparse
import io
import tempfile
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("case")
    ap.add_argument("out")
    ap.add_argument("--width", type=int, default=110)
    ap.add_argument("--lines", type=int, default=48, help="the screen's height in lines of text")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright
    from rich.console import Console
    from rich.text import Text

    import belie
    from belie.report.text import print_check

    result = belie.check(belie.load_case(args.case))
    # The summary as a terminal shows it (colours as ANSI codes), cut to the first screen...
    screen = Console(width=args.width, force_terminal=True, color_system="truecolor")
    with screen.capture() as cap:
        print_check(result, screen, quiet=True)
    first = "\n".join(cap.get().splitlines()[:args.lines])
    # ...and recorded again, for rich to write as SVG.
    console = Console(record=True, width=args.width, force_terminal=True, color_system="truecolor",
                      file=io.StringIO())
    console.print(Text.from_ansi(first), soft_wrap=True)
    svg = console.export_svg(title=f"belie check {Path(args.case).name} --quiet")
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "screen.html"
        page_file.write_text(f"<html><body style='margin:0;background:#fff'>{svg}</body></html>", encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium")
            page = browser.new_page(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
            page.goto(page_file.as_uri())
            page.locator("svg").first.screenshot(path=args.out)
            browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
