"""The formats investigators have, beyond text, HTML and PDF: Word documents, e-mail,
spreadsheets and photographs.  Each is read with a maintained reader, never parsed by hand:

==========================  ==========================  =======================================
extension                   reader                      what becomes the source's text
==========================  ==========================  =======================================
``.docx``                   python-docx (extra)         paragraphs, then tables (cells by `` | ``)
``.eml``                    the standard ``email``      the headers (From, To, Cc, Date, Subject),
                                                        the body (plain, else HTML's text),
                                                        attachments by name
``.mbox``                   the standard ``mailbox``    each message as an ``.eml``, in order
``.csv``                    the standard ``csv``        one line per row, cells by `` | ``
``.xlsx``                   openpyxl (extra)            each sheet: its name, one line per row
``.jpg``/``.jpeg``/``.png`` Pillow (extra)              what the EXIF metadata says: camera,
``.heic``/``.heif``         pillow-heif (extra)         time taken (and offset), GPS position
==========================  ==========================  =======================================

Besides the text, each reader returns the document's metadata (:class:`Read.meta`): an
e-mail's sender and date, a document's author and creation date, a photograph's capture
time and position.  `belie add` offers them for the source's declaration in case.yaml,
and a photograph's EXIF as a candidate presence claim for review
(:func:`exif_candidates`).  The heavier readers are the optional extra ``formats``; a
missing one refuses the file (an InputError naming it) with what to install.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from belie.errors import InputError, MissingExtra, Problem

#: Extension -> media type, for the formats of this module.
MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".eml": "message/rfc822",
    ".mbox": "application/mbox",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".heic": "image/heic",
    ".heif": "image/heif",
}
IMAGE_TYPES = ("image/jpeg", "image/png", "image/heic", "image/heif")

#: Cells of a spreadsheet row, and of a table in a document, are joined by this.
CELL_SEP = " | "


@dataclass
class Read:
    """What a reader found in a file."""

    text: str
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def handles(path: str | Path) -> bool:
    return Path(path).suffix.lower() in MEDIA_TYPES


def read(path: str | Path, decode: Callable[[bytes], str] | None = None,
         html_to_text: Callable[[str], tuple[str, str | None]] | None = None) -> Read:
    """Read *path* with the reader of its extension.  *decode* turns bytes into text
    (ingest's decoder, BOM and encoding aware); *html_to_text* reads an HTML body.
    Raises InputError naming the file when it cannot be read."""
    path = Path(path)
    ext = path.suffix.lower()
    decode = decode or (lambda b: b.decode("utf-8", errors="replace"))
    try:
        if ext == ".docx":
            return _docx(path)
        if ext == ".eml":
            return _eml(path, html_to_text)
        if ext == ".mbox":
            return _mbox(path, html_to_text)
        if ext == ".csv":
            return _csv(path, decode)
        if ext == ".xlsx":
            return _xlsx(path)
        if MEDIA_TYPES.get(ext) in IMAGE_TYPES:
            return _image(path)
    except InputError:
        raise
    except MissingExtra as exc:    # this file is refused, with what to install; the others go on
        raise InputError(Problem(str(path), None, None, str(exc))) from exc
    except OSError as exc:
        raise InputError(Problem(str(path), None, None, f"cannot read: {exc.strerror or exc}")) from exc
    except Exception as exc:  # noqa: BLE001 - a reader's own error on a damaged file
        raise InputError(Problem(str(path), None, None,
                                 f"cannot read it as {ext[1:]}: {type(exc).__name__}: {exc}")) from exc
    raise InputError(Problem(str(path), None, None, f"no reader for {ext!r}"))


def _need(module: str, package: str, feature: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(feature, "formats", package) from None


def _day(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


# --------------------------------------------------------------------------
# Word


def _docx(path: Path) -> Read:
    docx = _need("docx", "python-docx", "Reading .docx files")
    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.append("")
        for row in table.rows:
            parts.append(CELL_SEP.join(_cell(c.text) for c in row.cells))
    text = "\n".join(parts).strip() + "\n"
    props = doc.core_properties
    # the author may name the speaker; the creation date is not when it was said (and is
    # often a template's), so it is kept apart
    meta = {k: v for k, v in (("author", (props.author or "").strip() or None),
                              ("created", _day(props.created))) if v}
    return Read(text, (props.title or "").strip() or None, meta)


# --------------------------------------------------------------------------
# E-mail


def _message_text(msg, html_to_text) -> tuple[str, dict]:
    from email.utils import getaddresses, parsedate_to_datetime

    lines, meta = [], {}
    for name in ("From", "To", "Cc", "Date", "Subject"):
        value = msg.get(name)
        if value is not None:
            lines.append(f"{name}: {' '.join(str(value).split())}")
    sender = getaddresses([str(msg.get("From", ""))])
    if sender and (sender[0][0] or sender[0][1]):
        meta["sender"] = sender[0][0] or sender[0][1]
        if sender[0][1]:
            meta["sender_address"] = sender[0][1]
    if msg.get("Date"):
        try:
            when = parsedate_to_datetime(str(msg["Date"]))
            meta["date"] = when.date().isoformat()
            meta["sent"] = when.isoformat()
        except (TypeError, ValueError):
            pass
    if msg.get("Subject"):
        meta["subject"] = " ".join(str(msg["Subject"]).split())
    body = msg.get_body(preferencelist=("plain", "html")) if hasattr(msg, "get_body") else None
    content = ""
    if body is not None:
        try:
            content = body.get_content()
        except (LookupError, ValueError):     # an unknown charset: bytes, decoded leniently
            content = (body.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
        if body.get_content_subtype() == "html" and html_to_text is not None:
            content = html_to_text(content)[0]
    names = [p.get_filename() for p in msg.iter_attachments()] if hasattr(msg, "iter_attachments") else []
    text = "\n".join(lines) + "\n\n" + content.strip() + "\n"
    if any(names):
        text += "\nAttachments: " + ", ".join(n for n in names if n) + "\n"
    return text, meta


def _eml(path: Path, html_to_text) -> Read:
    import email
    from email import policy

    with open(path, "rb") as fh:
        msg = email.message_from_binary_file(fh, policy=policy.default)
    text, meta = _message_text(msg, html_to_text)
    return Read(text, meta.get("subject"), meta)


def _mbox(path: Path, html_to_text) -> Read:
    import email
    import mailbox
    from email import policy

    box = mailbox.mbox(str(path), factory=lambda f: email.message_from_binary_file(f, policy=policy.default),
                       create=False)
    texts, dates, senders = [], [], []
    try:
        for msg in box:
            text, meta = _message_text(msg, html_to_text)
            texts.append(text)
            if meta.get("date"):
                dates.append(meta["date"])
            if meta.get("sender"):
                senders.append(meta["sender"])
    finally:
        box.close()
    meta: dict[str, Any] = {"messages": len(texts)}
    if dates:
        lo, hi = min(dates), max(dates)
        meta["date"] = lo if lo == hi else f"{lo}/{hi}"
    if senders and len(set(senders)) == 1:
        meta["sender"] = senders[0]
    return Read("\n\n".join(texts), None, meta)


# --------------------------------------------------------------------------
# Spreadsheets


def _csv(path: Path, decode) -> Read:
    text = decode(path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = [CELL_SEP.join(_cell(c) for c in row) for row in csv.reader(io.StringIO(text), dialect)]
    return Read("\n".join(r for r in rows if r.strip(" |")) + "\n", None, {"rows": len(rows)})


def _xlsx(path: Path) -> Read:
    openpyxl = _need("openpyxl", "openpyxl", "Reading .xlsx files")
    book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    parts = []
    try:
        for sheet in book.worksheets:
            parts.append(f"Sheet: {sheet.title}")
            for row in sheet.iter_rows(values_only=True):
                line = CELL_SEP.join(_cell(c) for c in row)
                if line.strip(" |"):
                    parts.append(line.rstrip(" |"))
            parts.append("")
        title = (book.properties.title or "").strip() or None
        meta = {k: v for k, v in (("author", (book.properties.creator or "").strip() or None),
                                  ("created", _day(book.properties.created))) if v}
    finally:
        book.close()
    return Read("\n".join(parts).strip() + "\n", title, meta)


# --------------------------------------------------------------------------
# Photographs: EXIF

_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_MAKE, _MODEL, _DATETIME = 271, 272, 306
_DATETIME_ORIGINAL, _OFFSET_ORIGINAL, _BODY_SERIAL = 36867, 36881, 42033
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4


def _image(path: Path) -> Read:
    pil = _need("PIL.Image", "Pillow", "Reading photographs' EXIF metadata")
    if path.suffix.lower() in (".heic", ".heif"):
        heif = _need("pillow_heif", "pillow-heif", "Reading HEIC photographs")
        heif.register_heif_opener()
    with pil.open(str(path)) as img:
        exif = img.getexif()
        size, fmt = img.size, img.format
    meta = exif_meta(exif)
    lines = [f"Image: {path.name}, {size[0]} x {size[1]} pixels, {fmt}"]
    if meta.get("device"):
        lines.append(f"Camera: {meta['device']}")
    if meta.get("taken"):
        lines.append(f"Taken: {meta['taken']}" + (f", offset {meta['offset']}" if meta.get("offset") else
                                                   ", no time zone recorded"))
    if meta.get("gps"):
        lines.append(f"GPS position: {meta['gps'][0]:.6f}, {meta['gps'][1]:.6f}")
    missing = [w for w, k in (("time", "taken"), ("position", "gps")) if not meta.get(k)]
    if missing:
        lines.append(f"No EXIF {' or '.join(missing)}: the file carries none (most platforms strip it).")
    return Read("\n".join(lines) + "\n", None, meta)


def _ratio(x) -> float:
    try:
        return float(x)
    except (TypeError, ValueError, ZeroDivisionError):
        num, den = x
        return float(num) / float(den)


def _dms(value, ref) -> float | None:
    try:
        d, m, s = (_ratio(v) for v in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    deg = d + m / 60 + s / 3600
    return -deg if str(ref).strip().upper() in ("S", "W") else deg


def exif_meta(exif) -> dict[str, Any]:
    """The capture time, offset, GPS position and device an EXIF block records."""
    meta: dict[str, Any] = {}
    sub = exif.get_ifd(_EXIF_IFD) if hasattr(exif, "get_ifd") else {}
    gps = exif.get_ifd(_GPS_IFD) if hasattr(exif, "get_ifd") else {}
    make = " ".join(str(exif.get(_MAKE) or "").split())
    model = " ".join(str(exif.get(_MODEL) or "").split())
    device = model if model.lower().startswith(make.lower()) else f"{make} {model}".strip()
    serial = " ".join(str(sub.get(_BODY_SERIAL) or "").split())
    if device or serial:
        meta["device"] = (device or "camera") + (f" (serial {serial})" if serial else "")
        meta["device_key"] = "-".join(x for x in (device, serial) if x)
    raw = sub.get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    if raw:
        try:
            taken = datetime.strptime(str(raw).strip().rstrip("\0"), "%Y:%m:%d %H:%M:%S")
            meta["taken"] = taken.isoformat()
        except ValueError:
            pass
    offset = str(sub.get(_OFFSET_ORIGINAL) or "").strip().rstrip("\0")
    if re.fullmatch(r"[+-]\d\d:\d\d", offset):
        meta["offset"] = offset
    if gps:
        lat = _dms(gps.get(_GPS_LAT), gps.get(_GPS_LAT_REF, "N")) if gps.get(_GPS_LAT) else None
        lon = _dms(gps.get(_GPS_LON), gps.get(_GPS_LON_REF, "E")) if gps.get(_GPS_LON) else None
        if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
            meta["gps"] = [round(lat, 6), round(lon, 6)]
    if meta.get("taken"):
        meta["date"] = meta["taken"][:10]
    return meta


def _slug(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "x"


EXIF_NOTE = ("from the image's EXIF metadata, which most platforms strip and anyone can forge; "
             "it places the device, not a person, until a reviewer says whose it was")


def exif_when(meta: dict, reads: Callable[[str], bool]) -> tuple[str | None, str | None]:
    """(the most precise date the case loader reads for the capture, what was left out).

    With an offset the instant is written with it (``2021-05-04T11:40:05+02:00``); the
    loader may not read times (then the day, and the time is said in the note)."""
    taken = meta.get("taken")
    if not taken:
        return None, None
    full = taken + (meta.get("offset") or "")
    for candidate in (full, taken[:16] + (meta.get("offset") or ""), taken[:10]):
        if reads(candidate):
            left = None if candidate == full else f"taken at {taken[11:]}" + (
                f" {meta['offset']}" if meta.get("offset") else " (no time zone recorded)")
            return candidate, left
    return None, None


def exif_candidates(source_id: str, meta: dict, reads: Callable[[str], bool]) -> list[dict]:
    """A photograph's EXIF as a candidate presence claim, for review: the device (an
    entity of type ``object``) at the GPS position (a new place) at the capture time.

    *reads(date)* says whether the case loader reads a date as written.  Nothing is
    proposed without both a time and a position."""
    if not meta.get("taken") or not meta.get("gps"):
        return []
    when, left = exif_when(meta, reads)
    if when is None:
        return []
    lat, lon = meta["gps"]
    device = meta.get("device") or "an unknown camera"
    device_id = "device-" + _slug(meta.get("device_key") or "unknown-camera")
    place_id = "gps-" + _slug(f"{'n' if lat >= 0 else 's'}{abs(lat):.4f}-{'e' if lon >= 0 else 'w'}{abs(lon):.4f}")
    note = EXIF_NOTE + (f"; {left}" if left else "")
    return [{
        "source": source_id,
        "presence": device_id,
        "where": place_id,
        "when": when,
        "note": note,
        "quote": f"GPS position: {lat:.6f}, {lon:.6f}",
        "entities": {
            device_id: {"type": "object", "names": [device],
                        "note": "the camera that recorded the photograph's EXIF"},
            place_id: {"type": "place", "names": [f"GPS {lat:.6f}, {lon:.6f}"], "at": [lat, lon],
                       "note": "the position recorded in a photograph's EXIF"},
        },
        "origin": "exif",
        "confidence": 0.5,
    }]


def utc_of(meta: dict) -> str | None:
    """The capture time in UTC, where the EXIF gives an offset."""
    if not meta.get("taken") or not meta.get("offset"):
        return None
    sign = 1 if meta["offset"][0] == "+" else -1
    hh, mm = meta["offset"][1:].split(":")
    local = datetime.fromisoformat(meta["taken"])
    return (local - sign * timedelta(hours=int(hh), minutes=int(mm))).replace(tzinfo=timezone.utc).isoformat()


__all__ = ["MEDIA_TYPES", "IMAGE_TYPES", "Read", "handles", "read", "exif_meta", "exif_candidates",
           "exif_when", "EXIF_NOTE", "utc_of"]
