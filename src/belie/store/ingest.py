"""Source ingest: hash a file, extract its text, record it in the case store.

A source file is evidence: ingest opens it read-only and never writes to it.
Its SHA-256 (streamed), size, media type, time of ingest (UTC) and extracted
text go into the ``sources`` table, one transaction per file, so a run killed
part-way leaves every source it had acknowledged intact.

Re-adding an unchanged file is a no-op.  A file whose bytes changed under an
id already stored is re-read, reported as ``changed`` and the old and new
hashes are appended to the ``decisions`` log.

Supported: ``.txt`` and ``.md`` (kept as is), ``.html``/``.htm`` (visible text,
block breaks kept, scripts and styles dropped), ``.pdf`` (via pypdf; pages are
separated by a form feed, ``\\f``).
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, NamedTuple

from belie.errors import InputError, Problem
from belie.limits import MAX_SOURCE_BYTES, MAX_SOURCE_CHARS, human_bytes
from belie.store import formats as _formats
from belie.store.db import CaseStore, SourceRecord, utc_now
from belie.util import within

try:  # the full case loader; the minimal readers below stand in when it refuses a case
    from belie.model.loading import load_case as _load_case
except ImportError:  # pragma: no cover
    _load_case = None

CHUNK = 1 << 20

MEDIA_TYPES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "text/html",
    ".pdf": "application/pdf",
}
MEDIA_TYPES.update(_formats.MEDIA_TYPES)   # Word, e-mail, spreadsheets, photographs (store/formats.py)

#: progress(event, path, n, record): event is "start" (n = file size), "read"
#: (n = bytes just hashed) or "done" (the source is committed; record given).
ProgressFn = Callable[[str, Path, int, "SourceRecord | None"], None]


class IngestError(InputError):
    """Some files could not be ingested; ``records`` holds those that were."""

    def __init__(self, problems: list[Problem], records: list[SourceRecord]):
        super().__init__(problems)
        self.records = records


def _problem(path: Path | str, message: str, line: int | None = None) -> InputError:
    return InputError(Problem(str(path), line, None, message))


# --------------------------------------------------------------------------
# Text extraction


@dataclass
class Extracted:
    text: str
    media_type: str
    title: str | None = None
    meta: dict | None = None       # a format's own metadata (store/formats.py): sender, date...
    note: str | None = None     # what was assumed in reading it (an encoding), for the user


def media_type_for(path: str | Path) -> str:
    """The media type belie reads *path* as, from its extension."""
    path = Path(path)
    media_type = MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        known = ", ".join(sorted(MEDIA_TYPES))
        raise _problem(path, f"unsupported file type {path.suffix or '(no extension)'!r}; "
                             f"belie reads {known}")
    return media_type


def extract_text(path: str | Path) -> tuple[str, str]:
    """The text of *path* and its media type.  Raises InputError naming the
    file if the type is unknown or the file cannot be read."""
    ext = extract(path)
    return ext.text, ext.media_type


def check_size(path: Path, size: int | None = None) -> int:
    """The size of *path*, refused (before anything is read) beyond MAX_SOURCE_BYTES.
    A sparse file counts by the size it claims, so a gigabyte of nothing is never read."""
    if size is None:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise _problem(path, f"cannot read: {exc.strerror or exc}") from exc
    if size > MAX_SOURCE_BYTES:
        raise _problem(path, f"{human_bytes(size)}, more than belie reads in one source "
                             f"({human_bytes(MAX_SOURCE_BYTES)}); split the document")
    return size


def _check_text(path: Path, ext: "Extracted") -> "Extracted":
    if len(ext.text) > MAX_SOURCE_CHARS:
        raise _problem(path, f"its text runs to {len(ext.text):,} characters, more than belie keeps "
                             f"for one source ({MAX_SOURCE_CHARS:,}); split the document")
    return ext


def extract(path: str | Path) -> Extracted:
    """Like :func:`extract_text`, with the document's own title where it has one."""
    path = Path(path)
    media_type = media_type_for(path)
    check_size(path)
    if media_type == "application/pdf":
        return _check_text(path, _extract_pdf(path))
    if _formats.handles(path):
        got = _formats.read(path, lambda raw: _decode_text(raw)[0], html_to_text)
        return _check_text(path, Extracted(got.text, media_type, got.title, got.meta))
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise _problem(path, f"cannot read: {exc.strerror or exc}") from exc
    check_size(path, len(raw))
    if b"\0" in raw and _decode_bom(raw) is None:
        # UTF-16/32 text has a byte-order mark; a NUL byte without one means binary data.
        raise _problem(path, f"not a text file: it holds binary data, though its name ends in {path.suffix}")
    if media_type == "text/html":
        return _check_text(path, _extract_html(raw))
    text, note = _decode_text(raw)
    title = markdown_title(text) if media_type == "text/markdown" else None
    return _check_text(path, Extracted(text, media_type, title, note=note))


def markdown_title(text: str) -> str | None:
    """The text of the first level-one heading (``# Title``, closing ``#`` dropped).

    Read line by line with string methods: the regular expression it replaces took time
    cubic in the length of a line of spaces (a 12 KB file: 88 s)."""
    for line in text.splitlines():
        if not line.startswith("#") or line[1:2] not in (" ", "\t"):
            continue
        title = line[1:].strip().rstrip("#").rstrip()
        if title:
            return title
    return None


def _decode_bom(raw: bytes) -> str | None:
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            if enc == "utf-8":
                raw = raw[len(bom):]
            return raw.decode(enc, errors="replace")
    return None


def _cp1252_byte(err: UnicodeDecodeError) -> tuple[str, int]:
    """Decoding error handler: a byte that is not UTF-8 is read as Windows-1252 (whose
    five unassigned bytes as Latin-1)."""
    out = []
    for b in err.object[err.start:err.end]:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out), err.end


codecs.register_error("belie-cp1252", _cp1252_byte)


def _decode_text(raw: bytes) -> tuple[str, str | None]:
    """The text of *raw*, and a note of what was assumed where it is not plain UTF-8.

    A byte-order mark decides.  Else UTF-8 when the bytes are UTF-8.  Else, when some of
    them are UTF-8 (a file pasted together from two sources), those are read as UTF-8
    and the rest as Windows-1252.  Else the encoding charset-normalizer detects."""
    text = _decode_bom(raw)
    if text is not None:
        return text, None
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    mixed = raw.decode("utf-8", errors="belie-cp1252")
    bad = _count_bad_utf8(raw)
    multibyte = sum(1 for c in mixed if ord(c) > 0x7F) - bad
    if multibyte > 0:
        return mixed, (f"mixed encodings: read as UTF-8, but {bad:,} byte(s) are not UTF-8 "
                       f"(the first at byte {first_bad:,}) and were read as Windows-1252")
    enc = _detect(raw)
    if enc is not None:
        try:
            return raw.decode(enc), f"not UTF-8: read as {enc} (detected by charset-normalizer)"
        except (UnicodeDecodeError, LookupError):
            pass
    return mixed, "not UTF-8: read as Windows-1252 (charset-normalizer recognised no other encoding)"


def _count_bad_utf8(raw: bytes) -> int:
    """How many bytes of *raw* are not part of a UTF-8 character."""
    return len(re.findall("[\udc80-\udcff]", raw.decode("utf-8", errors="surrogateescape")))


def _detect(raw: bytes) -> str | None:
    """The encoding charset-normalizer finds most likely for *raw*, or None."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a core dependency
        return None
    best = from_bytes(raw[:1 << 20]).best()
    # Without a language recognised in the text (short or mostly ASCII), many single-byte
    # encodings read it equally well: Windows-1252, the commonest, is then assumed instead.
    if best is None or best.coherence <= 0:
        return None
    return best.encoding


_META_CHARSET = re.compile(rb"""<meta[^>]{1,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _decode_html(raw: bytes) -> tuple[str, str | None]:
    text = _decode_bom(raw)
    if text is not None:
        return text, None
    m = _META_CHARSET.search(raw[:8192])
    if m:
        declared = m.group(1).decode("ascii")
        try:
            enc = codecs.lookup(declared).name
        except LookupError:
            enc = None
        if enc and (enc.startswith("utf-16") or enc.startswith("utf-32")):
            # Bytes that show a <meta> tag as ASCII are no UTF-16; browsers read them as UTF-8.
            text, note = _decode_text(raw)
            return text, f"declares charset={declared}, which its bytes are not; " + (note or "read as UTF-8")
        if enc:
            try:
                return raw.decode(enc), None
            except UnicodeDecodeError as exc:
                return raw.decode(enc, errors="replace"), (
                    f"declares charset={declared}, but byte {exc.start:,} is not {enc}; "
                    "bytes that are not were replaced by \ufffd")
        text, note = _decode_text(raw)
        return text, f"declares an unknown charset={declared}; " + (note or "read as UTF-8")
    return _decode_text(raw)


class _HTMLText(HTMLParser):
    SKIP = {"script", "style", "template"}
    LINE = {"br", "li", "tr", "dt", "dd", "div", "option", "caption", "figcaption",
            "legend", "summary"}
    PARA = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dl",
            "table", "thead", "tbody", "tfoot", "section", "article", "aside", "header",
            "footer", "nav", "main", "figure", "hr", "address", "form", "fieldset",
            "details", "body", "center"}
    CELL = {"td", "th"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.title: list[str] = []
        self.skip = 0
        self.pre = 0
        self.in_title = False
        self.pending = 0          # newlines owed before the next text
        self.cell = False         # a cell separator owed before the next text
        self.line_start = True

    def _break(self, n: int) -> None:
        self.pending = max(self.pending, n)
        self.cell = False

    def handle_starttag(self, tag, attrs):
        if self.in_title and tag != "title":
            self.in_title = False      # a tag inside a title: the title was never closed
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "br":
            # A <br> is a line break even when the last one is still owed.
            self.pending = min(self.pending + 1, 2) if self.out else 0
            self.cell = False
        elif tag in self.PARA:
            self._break(2)
            if tag == "pre":
                self.pre += 1
        elif tag in self.LINE:
            self._break(1)
        elif tag in self.CELL:
            if not self.line_start:
                self.cell = True

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in self.PARA:
            self._break(2)
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
        elif tag in self.LINE:
            self._break(1)

    def handle_data(self, data):
        if self.skip:
            return
        if self.in_title:
            self.title.append(data)
            return
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
            if self.line_start or self.pending:
                data = data.lstrip(" ")
            if not data:
                return
        if self.pending:
            if self.out:
                self.out[-1] = self.out[-1].rstrip(" ")
                self.out.append("\n" * self.pending)
            self.pending = 0
        elif self.cell:
            if self.out:
                self.out[-1] = self.out[-1].rstrip(" ")
            self.out.append("\t")
        self.cell = False
        self.out.append(data)
        self.line_start = data.endswith("\n")

    def text(self) -> str:
        return "".join(self.out).rstrip()


#: How far a tag's closing ``>`` (a comment's ``-->``) may lie from its ``<``; a ``<``
#: with none that close is read as text.  Python's HTML parser retries an unclosed
#: construct from every ``<`` to the end of the document: 100 KB of ``<a `` took minutes.
MAX_TAG_CHARS = 4096
MAX_COMMENT_CHARS = 1 << 16


def _defuse_unclosed(html: str) -> str:
    """*html* with each ``<`` whose tag (or comment) does not close nearby escaped as
    ``&lt;``, so that the parser reads it as the text it would end up as anyway."""
    from bisect import bisect_left

    if "<" not in html:
        return html
    gts = [m.start() for m in re.finditer(">", html)]
    comment_ends = [m.start() for m in re.finditer("-->", html)]
    out, last = [], 0
    for m in re.finditer("<", html):
        p = m.start()
        ends, bound = (comment_ends, MAX_COMMENT_CHARS) if html.startswith("<!--", p) else (gts, MAX_TAG_CHARS)
        k = bisect_left(ends, p + 1)
        if k == len(ends) or ends[k] - p > bound:
            out.append(html[last:p])
            out.append("&lt;")
            last = p + 1
    out.append(html[last:])
    return "".join(out)


def html_to_text(html: str) -> tuple[str, str | None]:
    """The visible text of an HTML document, and its <title>.

    A <title> left open (no ``</title>``) ends at the next tag; one that runs to the
    end of a document without other text is the document's text, not its title."""
    parser = _HTMLText()
    parser.feed(_defuse_unclosed(html))
    parser.close()
    title = re.sub(r"\s+", " ", "".join(parser.title)).strip() or None
    text = parser.text()
    if parser.in_title and not text.strip() and title:
        return title, None
    return text, title


def _extract_html(raw: bytes) -> Extracted:
    decoded, note = _decode_html(raw)
    text, title = html_to_text(decoded)
    return Extracted(text, "text/html", title, note=note)


def _extract_pdf(path: Path) -> Extracted:
    try:
        from pypdf import PdfReader
    except ImportError as exc:  # pragma: no cover - pypdf is a core dependency
        raise _problem(path, "reading PDF needs the package 'pypdf' (pip install pypdf)") from exc
    import logging

    # pypdf logs its own complaints about a damaged file; belie's one message says it plainly.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        with open(path, "rb") as fh:
            try:
                reader = PdfReader(fh)
            except Exception as exc:
                raise _problem(path, f"not a readable PDF ({exc})") from exc
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except Exception:
                    ok = 0
                if not ok:
                    raise _problem(path, "the PDF is encrypted (password-protected); save a "
                                         "decrypted copy (e.g. qpdf --decrypt) and add that")
            try:
                pages = [page.extract_text() or "" for page in reader.pages]
            except Exception as exc:
                raise _problem(path, f"cannot extract the PDF's text ({type(exc).__name__}: {exc})") from exc
            title = None
            try:
                meta = reader.metadata
                title = (str(meta.title).strip() or None) if meta and meta.title else None
            except Exception:
                title = None
    except OSError as exc:
        raise _problem(path, f"cannot read: {exc.strerror or exc}") from exc
    return Extracted("\f".join(pages), "application/pdf", title)


# --------------------------------------------------------------------------
# Hashing


def hash_file(path: str | Path, progress: ProgressFn | None = None) -> tuple[str, int]:
    """SHA-256 (hex) and size of *path*, read in chunks, read-only."""
    path = Path(path)
    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                if progress:
                    progress("read", path, len(chunk), None)
    except OSError as exc:
        raise _problem(path, f"cannot read: {exc.strerror or exc}") from exc
    return digest.hexdigest(), size


# --------------------------------------------------------------------------
# Reading the case files, minimally


def slugify(text: str) -> str:
    """``Dubois — Statement (1923)`` -> ``dubois-statement-1923``."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text or "source"


def _norm_rel(file: str) -> str:
    return PurePosixPath(os.path.normpath(str(file).replace("\\", "/"))).as_posix()


def relative_file(case_dir: Path, path: Path) -> str:
    """*path* relative to the case folder (POSIX), or absolute if outside it."""
    full = path.resolve()
    try:
        return full.relative_to(Path(case_dir).resolve()).as_posix()
    except ValueError:
        return full.as_posix()


def case_files(case_dir: str | Path) -> list[Path]:
    """case.yaml (or .yml/.json) and the YAML/JSON files under claims/, in order."""
    case_dir = Path(case_dir)
    files = [case_dir / n for n in ("case.yaml", "case.yml", "case.json") if (case_dir / n).is_file()][:1]
    claims = case_dir / "claims"
    if claims.is_dir():
        files += sorted(p for p in claims.rglob("*")
                        if p.suffix.lower() in (".yaml", ".yml", ".json") and p.is_file()
                        and within(case_dir, p)
                        and not any(part.startswith(".") for part in p.relative_to(claims).parts))
    return files


def _load_yaml(path: Path):
    """A case file read as the full loader reads it (its limits on aliases, tags and
    nesting included), values carrying their line; refused with an InputError."""
    from belie.model.yamlread import read_located

    return read_located(path)


def load_case_leniently(case_dir: str | Path):
    """``(case, problems)``: the case as the full loader reads it, or ``None``
    with the loader's problems when it refuses the case (or is absent).

    Ingest does not need valid claims, so a case still being written never
    stops `belie add`; the minimal readers below take over."""
    if _load_case is None:  # pragma: no cover - the loader is part of belie
        return None, []
    try:
        return _load_case(Path(case_dir)), []
    except InputError as exc:
        return None, exc.problems


_UNSET = object()


def declared_sources(case_dir: str | Path, case=_UNSET) -> dict[str, dict]:
    """The sources the case declares: id -> {"file", "kind", "title"}.
    *case*: the first item of :func:`load_case_leniently`, if already loaded."""
    if case is _UNSET:
        case, _ = load_case_leniently(case_dir)
    if case is not None:
        return {sid: {"file": s.file, "kind": s.kind, "title": getattr(s, "title", None)}
                for sid, s in case.sources.items()}
    return read_declared_sources(case_dir)


def read_declared_sources(case_dir: str | Path) -> dict[str, dict]:
    """Minimal reader of the ``sources:`` blocks (YAML syntax only checked)."""
    out: dict[str, dict] = {}
    for path in case_files(case_dir):
        data = _load_yaml(path)
        sources = data.get("sources") if isinstance(data, dict) else None
        if not isinstance(sources, dict):
            continue
        for sid, spec in sources.items():
            spec = spec if isinstance(spec, dict) else {}
            out[str(sid)] = {"file": spec.get("file"), "kind": spec.get("kind"),
                             "title": spec.get("title")}
    return out


class QuoteRef(NamedTuple):
    claim_id: str
    source_id: str
    quote: str
    file: str | None = None
    line: int | None = None


def quotes_in_case(case_dir: str | Path, case=_UNSET) -> list[QuoteRef]:
    """Every claim with a ``quote``, as (claim_id, source_id, quote, file, line).
    *case*: the first item of :func:`load_case_leniently`, if already loaded."""
    if case is _UNSET:
        case, _ = load_case_leniently(case_dir)
    if case is not None:
        return [QuoteRef(c.id, c.source, c.quote, c.file, c.line)
                for c in case.claims if c.quote and c.source]
    return read_quotes(case_dir)


def read_quotes(case_dir: str | Path) -> list[QuoteRef]:
    """Minimal reader of the claims' quotes, for a case the loader refuses.
    A claim without an id is named ``<file>:<line>``."""
    case_dir = Path(case_dir)
    out = []
    for path in case_files(case_dir):
        data = _load_yaml(path)
        claims = data.get("claims") if isinstance(data, dict) else data
        if not isinstance(claims, list):
            continue
        rel = relative_file(case_dir, path)
        for i, claim in enumerate(claims):
            if not isinstance(claim, dict) or not claim.get("quote") or not claim.get("source"):
                continue
            line = claims.pos(i)[0] if hasattr(claims, "pos") else None
            cid = str(claim.get("id") or f"{rel}:{line or i + 1}")
            out.append(QuoteRef(cid, str(claim["source"]), str(claim["quote"]), rel, line))
    return out


# --------------------------------------------------------------------------
# Ingest


def _choose_id(rel: str, stem: str, declared: dict[str, dict], store: CaseStore,
               batch: dict[str, str]) -> str:
    for sid, spec in declared.items():
        if spec.get("file") and _norm_rel(spec["file"]) == rel:
            return sid
    existing = store.source_by_file(rel)
    if existing is not None:
        return existing.id

    def taken(candidate: str) -> bool:
        spec = declared.get(candidate)
        if spec is not None and spec.get("file") and _norm_rel(spec["file"]) != rel:
            return True
        if batch.get(candidate, rel) != rel:
            return True
        rec = store.get_source(candidate)
        return rec is not None and rec.file != rel

    base = slugify(stem)
    candidate, n = base, 2
    while taken(candidate):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _is_link(path: Path) -> bool:
    """Whether *path* or a folder above it is a symbolic link."""
    return any(p.is_symlink() for p in (path, *path.parents))


def ingest_one(store: CaseStore, case_dir: Path, path: Path, *, declared: dict[str, dict],
               batch: dict[str, str] | None = None,
               progress: ProgressFn | None = None) -> SourceRecord:
    """Ingest one file in its own transaction; see :func:`ingest`."""
    batch = {} if batch is None else batch
    if not path.exists():
        raise _problem(path, "no such file")
    if not within(case_dir, path):
        what = "a link to a file" if _is_link(path) else "a file"
        raise _problem(path, f"{what} outside the case folder; belie reads only files inside it "
                             "(name the file itself on the command line of `belie add`, which "
                             "copies it in and records where it came from)")
    if not path.is_file():
        raise _problem(path, "not a regular file")
    media_type = media_type_for(path)
    rel = relative_file(case_dir, path)
    before = path.stat()
    check_size(path, before.st_size)
    if progress:
        progress("start", path, before.st_size, None)
    sha256, size = hash_file(path, progress)
    sid = _choose_id(rel, path.stem, declared, store, batch)
    batch[sid] = rel
    spec = declared.get(sid, {})
    existing = store.get_source(sid)
    if existing is not None and existing.sha256 == sha256 and existing.file == rel:
        existing.status = "unchanged"
        return existing

    ext = extract(path)
    after = path.stat()
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or after.st_size != size:
        raise _problem(path, "the file changed while it was being read; add it again")
    record = SourceRecord(
        id=sid, file=rel, sha256=sha256, size=size, media_type=media_type,
        ingested_at=utc_now(), text=ext.text, kind=spec.get("kind"),
        title=spec.get("title") or ext.title, note=ext.note)
    with store.transaction():
        if existing is not None:
            record.status = "changed" if existing.sha256 != sha256 else "moved"
            record.previous_sha256 = existing.sha256
            store.log_decision(
                sid, f"source-{record.status}", "belie add",
                before={"file": existing.file, "sha256": existing.sha256, "size": existing.size,
                        "ingested_at": existing.ingested_at},
                after={"file": record.file, "sha256": record.sha256, "size": record.size,
                       "ingested_at": record.ingested_at})
        store.add_source(record)
    return record


def ingest(store: CaseStore, case_dir: str | Path, paths: Iterable[str | Path], *,
           progress: ProgressFn | None = None,
           declared: dict[str, dict] | None = None) -> list[SourceRecord]:
    """Ingest *paths* into *store*, each file in its own transaction.

    Returns one :class:`SourceRecord` per file, whose ``status`` says what
    happened: ``added``, ``unchanged`` (nothing written), ``changed`` (new
    bytes under a known id; ``previous_sha256`` holds the old hash) or
    ``moved`` (same bytes, new path).  ``progress`` is told of each file's
    start, each chunk hashed, and -- after its commit -- each acknowledged
    source.  Files that cannot be read are skipped; once all others are in,
    an :class:`IngestError` lists them (its ``records`` are the rest).
    *declared* (from :func:`declared_sources`) saves reading the case again.
    """
    case_dir = Path(case_dir)
    if declared is None:
        declared = declared_sources(case_dir)
    batch: dict[str, str] = {}
    records: list[SourceRecord] = []
    problems: list[Problem] = []
    for p in paths:
        path = Path(p)
        try:
            record = ingest_one(store, case_dir, path, declared=declared, batch=batch,
                                progress=progress)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        records.append(record)
        if progress:
            progress("done", path, 0, record)
    if problems:
        raise IngestError(problems, records)
    return records
