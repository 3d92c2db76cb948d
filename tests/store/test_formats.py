"""The formats investigators have: Word, e-mail, spreadsheets, photographs (store/formats.py).

Every file here is made in the test with the format's own writer (python-docx, openpyxl,
Pillow, the standard library), then read back through belie's ingest.
"""
from __future__ import annotations

import datetime as dt
import email
import mailbox
import sys

import pytest

from belie.errors import InputError
from belie.store import formats
from belie.store.ingest import extract

EML = """\
From: Council Press Office <press@council.example>
To: newsdesk@paper.example
Date: Mon, 03 Apr 2023 09:15:00 +0100
Subject: Councillor Pryce chaired the meeting
Content-Type: text/html; charset=utf-8

<html><body><p>Councillor Pryce <b>chaired</b> the meeting all day.</p><script>x()</script></body></html>
"""


def jpeg_with_exif(path, *, taken="2023:04:02 12:10:00", offset="+01:00", lat=(51, 30, 0), lat_ref="N",
                   lon=(0, 7, 30), lon_ref="W", make="Canon", model="Canon EOS 5D", fmt="JPEG"):
    from PIL import Image

    img = Image.new("RGB", (32, 24), (10, 120, 200))
    exif = Image.Exif()
    exif[271], exif[272] = make, model
    sub = exif.get_ifd(0x8769)
    if taken:
        sub[36867] = taken
    if offset:
        sub[36881] = offset
    if lat is not None:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2], gps[3], gps[4] = lat_ref, tuple(float(x) for x in lat), lon_ref, tuple(float(x) for x in lon)
    img.save(path, fmt, exif=exif)
    return path


def test_docx_paragraphs_tables_and_author(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.core_properties.author = "Grace Okafor"
    d.core_properties.title = "Statement"
    d.add_paragraph("I saw Tom Pryce at the harbour on 2 April 2023.")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "12:00", "harbour"
    d.save(tmp_path / "s.docx")
    got = extract(tmp_path / "s.docx")
    assert "I saw Tom Pryce at the harbour on 2 April 2023." in got.text
    assert "12:00 | harbour" in got.text
    assert got.title == "Statement" and got.meta["author"] == "Grace Okafor"
    assert "date" not in got.meta            # a creation date is not when it was said


def test_eml_headers_become_text_and_metadata(tmp_path):
    (tmp_path / "m.eml").write_text(EML, encoding="utf-8")
    got = extract(tmp_path / "m.eml")
    assert got.media_type == "message/rfc822"
    assert "From: Council Press Office <press@council.example>" in got.text
    assert "Councillor Pryce chaired the meeting all day." in got.text and "x()" not in got.text
    assert got.meta["sender"] == "Council Press Office" and got.meta["date"] == "2023-04-03"
    assert got.title == "Councillor Pryce chaired the meeting"


def test_mbox_reads_every_message_and_their_dates(tmp_path):
    box = mailbox.mbox(tmp_path / "b.mbox")
    for day in (4, 6):
        box.add(email.message_from_string(f"From: A <a@x.org>\nDate: Tue, 0{day} Apr 2023 10:00:00 +0000\n"
                                          f"Subject: day {day}\n\nbody of day {day}\n"))
    box.close()
    got = extract(tmp_path / "b.mbox")
    assert "body of day 4" in got.text and "body of day 6" in got.text
    assert got.meta["date"] == "2023-04-04/2023-04-06" and got.meta["messages"] == 2


def test_csv_and_xlsx_rows(tmp_path):
    (tmp_path / "s.csv").write_text("camera;time;who\nC1;2023-04-02 12:05;Pryce\n", encoding="utf-8")
    assert "C1 | 2023-04-02 12:05 | Pryce" in extract(tmp_path / "s.csv").text
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.title = "Cameras"
    wb.active.append(["camera", "time"])
    wb.active.append(["C3", dt.datetime(2023, 4, 2, 13, 0)])
    wb.save(tmp_path / "c.xlsx")
    text = extract(tmp_path / "c.xlsx").text
    assert "Sheet: Cameras" in text and "C3 | 2023-04-02 13:00" in text


@pytest.mark.parametrize("fmt,ext", [("JPEG", "jpg"), ("PNG", "png")])
def test_exif_time_offset_gps_and_device(tmp_path, fmt, ext):
    pytest.importorskip("PIL")
    path = jpeg_with_exif(tmp_path / f"p.{ext}", lat=(33, 51, 36), lat_ref="S", lon=(151, 12, 36),
                          lon_ref="E", fmt=fmt)
    got = extract(path)
    assert got.meta["taken"] == "2023-04-02T12:10:00" and got.meta["offset"] == "+01:00"
    assert got.meta["gps"] == [-33.86, 151.21]
    assert got.meta["device"] == "Canon EOS 5D"
    assert "Taken: 2023-04-02T12:10:00, offset +01:00" in got.text
    assert formats.utc_of(got.meta) == "2023-04-02T11:10:00+00:00"


def test_exif_becomes_a_candidate_for_the_device_not_a_person(tmp_path):
    pytest.importorskip("PIL")
    meta = extract(jpeg_with_exif(tmp_path / "p.jpg")).meta
    (cand,) = formats.exif_candidates("photo", meta, reads=lambda d: len(d) == 10)
    device = cand["presence"]
    assert cand["entities"][device]["type"] == "object"
    assert cand["entities"][cand["where"]]["at"] == [51.5, -0.125]
    assert cand["when"] == "2023-04-02"                        # the loader reads days only here
    assert "taken at 12:10:00 +01:00" in cand["note"] and "forge" in cand["note"]
    (full,) = formats.exif_candidates("photo", meta, reads=lambda d: True)
    assert full["when"] == "2023-04-02T12:10:00+01:00" and "taken at" not in full["note"]


def test_no_exif_no_candidate(tmp_path):
    pytest.importorskip("PIL")
    got = extract(jpeg_with_exif(tmp_path / "p.jpg", taken=None, lat=None))
    assert formats.exif_candidates("photo", got.meta, reads=lambda d: True) == []
    assert "No EXIF time or position" in got.text


def test_a_missing_reader_names_what_to_install(tmp_path, monkeypatch):
    (tmp_path / "s.docx").write_bytes(b"PK\x03\x04")
    monkeypatch.setitem(sys.modules, "docx", None)            # as if python-docx were absent
    with pytest.raises(InputError) as err:
        extract(tmp_path / "s.docx")
    assert str(err.value).startswith(str(tmp_path / "s.docx"))
    assert "python-docx" in str(err.value) and "belie[formats]" in str(err.value)


def test_heic_exif_through_pillow_heif(tmp_path):
    heif = pytest.importorskip("pillow_heif", reason="the heic extra (pillow-heif) is not installed")
    from PIL import Image

    heif.register_heif_opener()
    img = Image.new("RGB", (64, 64), (10, 120, 200))
    exif = Image.Exif()
    exif[271], exif[272] = "Apple", "iPhone 12"
    exif.get_ifd(0x8769)[36867] = "2023:04:02 12:10:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (51.0, 30.0, 0.0), "W", (0.0, 7.0, 30.0)
    img.save(tmp_path / "p.heic", exif=exif.tobytes())
    got = extract(tmp_path / "p.heic")
    assert got.media_type == "image/heic"
    assert got.meta["taken"] == "2023-04-02T12:10:00" and got.meta["gps"] == [51.5, -0.125]
    assert "no time zone recorded" in got.text
