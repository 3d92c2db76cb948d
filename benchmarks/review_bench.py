"""Review and ingest on the path a user runs: `belie review --accept` and `belie add`.

    .venv/bin/python benchmarks/review_bench.py [--quick]

Prints Markdown: the wall time of one decision (the CLI, cold, and in one process, on a
copy of the example case, whose every decision reads the case twice: as it is, and with
the new claim), and of `belie add` on generated e-mails, a spreadsheet and photographs.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def cli(*args) -> float:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "belie.cli", *args], capture_output=True, text=True, env=ENV)
    if out.returncode != 0:
        raise SystemExit(f"belie {' '.join(args)} failed: {out.stderr}")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    n = 5 if ap.parse_args().quick else 20
    import belie
    from belie.review import Review

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "moscow-1936"
        shutil.copytree(ROOT / "examples" / "moscow-1936", case, ignore=shutil.ignore_patterns(".belie"))
        src = next(iter(belie.load_case(case).sources))
        with Review(case) as review:
            ids = review.store.add_candidates(
                [{"source_id": src, "data": {"source": src, "statement": f"candidate {i}", "confidence": 0.5}}
                 for i in range(2 * n + 1)])
            t = time.perf_counter()
            for cid in ids[:n]:
                review.decide(cid, "accepted", "bench", 1)
            rows.append(("one decision (accept), in one process", f"{(time.perf_counter() - t) / n:.2f} s",
                         f"mean of {n}, example case"))
        cold = [cli("review", str(case), cid, "--accept", "--reviewer", "bench") for cid in ids[n:n + 3]]
        rows.append(("`belie review CASE ID --accept` (cold CLI)", f"{min(cold):.2f} s", "best of 3"))

        mail = Path(tmp) / "mail"
        mail.mkdir()
        for i in range(10 * n):
            (mail / f"m{i:04d}.eml").write_text(
                f"From: Clerk {i} <c{i}@council.example>\nDate: Mon, 03 Apr 2023 09:{i % 60:02d}:00 +0100\n"
                f"Subject: minute {i}\n\n" + "The council met and resolved nothing. " * 40 + "\n", encoding="utf-8")
        fresh = Path(tmp) / "fresh"
        fresh.mkdir()
        (fresh / "case.yaml").write_text("case: bench\n", encoding="utf-8")
        secs = cli("add", str(fresh), str(mail), "--copy", "--kind", "letter")
        rows.append((f"`belie add` of {10 * n} .eml files (declared)", f"{secs:.2f} s",
                     f"{10 * n / secs:.0f} files/s"))
        try:
            import openpyxl
            from PIL import Image
        except ImportError:
            openpyxl = None
        if openpyxl is not None:
            wb = openpyxl.Workbook()
            for i in range(500 * n):
                wb.active.append([f"C{i % 7}", dt.datetime(2023, 4, 2, 12, i % 60), f"plate {i}"])
            xlsx = Path(tmp) / "cams.xlsx"
            wb.save(xlsx)
            secs = cli("add", str(fresh), str(xlsx), "--copy", "--kind", "record")
            rows.append((f"`belie add` of a {500 * n}-row .xlsx", f"{secs:.2f} s", ""))
            photos = Path(tmp) / "photos"
            photos.mkdir()
            for i in range(n):
                exif = Image.Exif()
                exif[271], exif[272] = "Canon", "Canon EOS 5D"
                exif.get_ifd(0x8769)[36867] = f"2023:04:02 12:{i:02d}:00"
                gps = exif.get_ifd(0x8825)
                gps[1], gps[2], gps[3], gps[4] = "N", (51.0, 30.0, float(i)), "W", (0.0, 7.0, 30.0)
                Image.new("RGB", (640, 480), (i, 100, 50)).save(photos / f"p{i}.jpg", exif=exif)
            secs = cli("add", str(fresh), str(photos), "--copy", "--kind", "record")
            rows.append((f"`belie add` of {n} JPEGs with EXIF (one candidate each)", f"{secs:.2f} s", ""))
    print("| what | time | note |\n|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
