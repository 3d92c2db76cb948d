"""`belie serve`: the local web app to read sources, review candidate claims and watch
the findings change.

``create_app(case_dir, token=None, reviewer=None)`` returns a Flask app over one case
folder.  Pages (server-rendered, Jinja autoescaped):

* ``/sources`` and ``/sources/<id>``: the ingested sources; a source's text with each
  claim's quote highlighted at the offsets stored in the case store (``<mark>``
  elements built here from the offsets, the text escaped piece by piece);
* ``/review``: the candidate claims proposed by extraction, to accept, reject, edit or
  undo (``static/review.js`` drives it through the JSON API);
* ``/findings``: ``belie.check(load_case(case))``, run again whenever the case files
  change (cached by a hash of their bytes).

The JSON API lives under ``/api/`` (docs/web.md lists it).  A decision names the
version of the candidate the reviewer saw; if it has moved on (another tab, another
reviewer) the answer is ``409`` with a message saying so, and nothing is written.
Accepted (or edited) claims are written to ``claims/reviewed.yaml`` in the case-file
format, checked first by the case loader: a claim the loader refuses gets ``400`` with
the loader's message (file, line, what is wrong) and nothing is written.

Security: with no token the app answers only requests from this machine (loopback
peer and a loopback ``Host``, which also defeats DNS rebinding).  With a token, every
request must carry it (``X-Belie-Token`` header, ``Authorization: Bearer``, or
``?token=`` once, which sets an HttpOnly SameSite=Strict cookie).  Requests that change
anything must be same-origin (``Origin`` or ``Sec-Fetch-Site``) or carry the token in a
header.  Every page is sent with a Content-Security-Policy that allows no inline script.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, abort, redirect, render_template, request
from markupsafe import Markup, escape

from belie.errors import InputError, Problem
from belie.review import DECISIONS, CandidateNotFound, Review, ReviewError, claim_id_of
from belie.review import reviewed as rv
from belie.review.claim import summarise
from belie.store.db import REVIEW_STATUSES, CaseStore, ConflictError
from belie.util import finalize_shown

log = logging.getLogger("belie.web")

CASE_FILENAMES = ("case.yaml", "case.yml", "case.json")
CLAIM_SUFFIXES = (".yaml", ".yml", ".json")
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
TOKEN_HEADER = "X-Belie-Token"
CACHE_SIZE = 8
CONTEXT_CHARS = 160
MAX_BODY = 1 << 20

SEVERITIES = ("impossible", "strained", "note")
SEVERITY_HEAD = {
    "impossible": "Impossible — cannot all be true",
    "strained": "Strained — true only under a narrow reading",
    "note": "Notes",
}
IN_CASE = ("accepted", "edited")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")


def is_loopback_host(host: str | None) -> bool:
    """True for ``localhost``, ``127.x.x.x`` and ``::1`` (a bind address or a Host name)."""
    if not host:
        return False
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str:
    """The name part of a ``Host`` header (``[::1]:8765`` -> ``::1``)."""
    h = host_header.strip()
    if h.startswith("["):
        return h[1:h.find("]")] if "]" in h else h
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


def _json_default(obj):
    if hasattr(obj, "item"):          # numpy scalars
        return obj.item()
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    return str(obj)


def json_response(obj, status: int = 200) -> Response:
    body = json.dumps(obj, ensure_ascii=False, default=_json_default)
    return Response(body, status=status, mimetype="application/json")


def api_error(status: int, message: str, **extra) -> Response:
    return json_response({"error": message, **extra}, status)


def problem_dict(p: Problem) -> dict:
    return {"file": p.file, "line": p.line, "column": p.column, "message": p.message, "text": str(p)}


# --------------------------------------------------------------------------
# Marking quotes in a text


def mark_text(text: str, spans: list[dict]) -> Markup:
    """*text* as HTML with ``<mark>`` around each span; every piece escaped.

    *spans*: dicts with ``start``, ``end`` (character offsets, end exclusive), ``id``
    and ``cls`` (the mark's class: ``claim`` or ``candidate``).  Overlapping spans split
    the text at every boundary; a piece covered by several spans names them all.
    A form feed (the page break of a PDF's text) is shown as a page rule.
    """
    n = len(text)
    good = [s for s in spans if s.get("start") is not None and s.get("end") is not None
            and 0 <= int(s["start"]) < int(s["end"]) <= n]
    cuts = sorted({0, n, *(int(s["start"]) for s in good), *(int(s["end"]) for s in good)})
    out: list[str] = []

    def piece(t: str) -> str:
        parts = t.split("\f")
        return '<span class="page-break" aria-label="page break"></span>'.join(str(escape(p)) for p in parts)

    for a, b in zip(cuts, cuts[1:]):
        if a >= b:
            continue
        covering = [s for s in good if int(s["start"]) <= a and int(s["end"]) >= b]
        body = piece(text[a:b])
        if not covering:
            out.append(body)
            continue
        ids = " ".join(str(s["id"]) for s in covering)
        classes = sorted({str(s.get("cls", "claim")) for s in covering})
        cls = " ".join(["q", *classes] + (["multi"] if len(covering) > 1 else []))
        starts = [str(s["id"]) for s in covering if int(s["start"]) == a]
        anchor = f' id="q-{escape(starts[0])}"' if starts else ""
        out.append(f'<mark class="{escape(cls)}" data-claims="{escape(ids)}" '
                   f'title="{escape(ids)}"{anchor}>{body}</mark>')
    return Markup("".join(out))


def quote_context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> dict:
    a = max(0, start - width)
    b = min(len(text), end + width)
    return {"before": ("…" if a > 0 else "") + text[a:start], "quote": text[start:end],
            "after": text[end:b] + ("…" if b < len(text) else ""), "start": start, "end": end}


# --------------------------------------------------------------------------
# The workspace: one case folder, its store, and cached loads and checks


@dataclass
class Loaded:
    hash: str
    case: Any
    problems: list[Problem]


@dataclass
class CheckView:
    hash: str
    case_name: str
    findings: list[dict] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    conflicts: list = field(default_factory=list)
    reading: dict | None = None
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None
    truth: dict | None = None
    seconds: float = 0.0
    checked_at: str = ""
    recorded: list = field(default_factory=list)   # the findings as the store records them

    @property
    def keys(self) -> set[str]:
        return {f["key"] for f in self.findings}

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in SEVERITIES}
        for f in self.findings:
            out[f["severity"]] = out.get(f["severity"], 0) + 1
        return out

    def to_dict(self) -> dict:
        return {"hash": self.hash, "case": self.case_name, "findings": self.findings,
                "stats": self.stats, "conflicts": self.conflicts, "reading": self.reading,
                "problems": [problem_dict(p) for p in self.problems], "error": self.error,
                "counts": self.counts(), "seconds": self.seconds, "checked_at": self.checked_at,
                "truth": self.truth}


def finding_key(d: dict) -> str:
    return f"{d.get('rule')}|{','.join(sorted(map(str, d.get('claims', []))))}|{d.get('title', '')}"


class Workspace:
    """What the app knows of one case folder."""

    def __init__(self, case_dir: str | Path, reviewer: str | None = None):
        self.case_dir = Path(case_dir).resolve()
        if not any((self.case_dir / n).is_file() for n in CASE_FILENAMES):
            raise InputError(Problem(str(case_dir), None, None,
                                     "not a case folder: no case.yaml (or case.json) in it"))
        self.reviewer = (reviewer or "").strip() or None
        self.store = CaseStore.open(self.case_dir, create=True)
        # finishes any decision a crash left half-done (its change to claims/reviewed.yaml)
        self.review = Review(self.case_dir, store=self.store,
                             load=lambda: (lambda ld: (ld.case, ld.problems))(self.load()))
        self.lock = threading.RLock()          # reviewed.yaml and the caches
        self.check_lock = threading.Lock()     # one check at a time
        self._loads: OrderedDict[str, Loaded] = OrderedDict()
        self._checks: OrderedDict[str, CheckView] = OrderedDict()
        self._synced: str | None = None
        self._reuse: tuple[Any, Any] | None = None
        self._last: Loaded | None = None

    def close(self) -> None:
        self.store.close()

    # -- paths ---------------------------------------------------------------
    @property
    def reviewed_path(self) -> Path:
        return self.case_dir / rv.REVIEWED_FILE

    def rel(self, file: str | None) -> str | None:
        """A path the loader printed, relative to the case folder when inside it."""
        return self.review.rel(file)

    def rel_problem(self, p: Problem) -> Problem:
        return self.review.rel_problem(p)

    # -- the case files ------------------------------------------------------
    def case_files(self) -> list[Path]:
        files = [self.case_dir / n for n in CASE_FILENAMES if (self.case_dir / n).is_file()][:1]
        claims = self.case_dir / "claims"
        if claims.is_dir():
            files += sorted(p for p in claims.rglob("*") if p.suffix.lower() in CLAIM_SUFFIXES and p.is_file())
        return files

    def case_hash(self) -> str:
        """SHA-256 over the case files' names and bytes: the key of every cache."""
        h = hashlib.sha256()
        for p in self.case_files():
            h.update(p.relative_to(self.case_dir).as_posix().encode("utf-8") + b"\0")
            try:
                h.update(p.read_bytes())
            except OSError:
                h.update(b"<unreadable>")
            h.update(b"\0")
        return h.hexdigest()[:16]

    def load(self) -> Loaded:
        """The case as the loader reads it now (cached by the hash of the case files)."""
        import belie

        h = self.case_hash()
        with self.lock:
            hit = self._loads.get(h)
        if hit is not None:
            self._last = hit
            return hit
        try:
            case, problems = belie.load_case(self.case_dir), []
        except InputError as exc:
            case, problems = None, [self.rel_problem(p) for p in exc.problems]
        loaded = Loaded(h, case, problems)
        self._last = loaded
        if self.case_hash() == h:        # the files did not change while being read
            with self.lock:
                self._loads[h] = loaded
                while len(self._loads) > CACHE_SIZE:
                    self._loads.popitem(last=False)
            if case is not None:
                self._sync_claims(loaded)
        return loaded

    def _sync_claims(self, loaded: Loaded) -> None:
        """Store the claims and where their quotes sit in the sources (for the source pages)."""
        if self._synced == loaded.hash:
            return
        try:
            try:
                from belie.store.sync import record_claims
            except ImportError:  # pragma: no cover - sync is part of belie
                record_claims = None
            if record_claims is not None:
                record_claims(self.store, loaded.case)
            else:  # pragma: no cover
                from belie.store.quotes import check_quotes

                self.store.replace_claims([{"id": c.id, "kind": c.kind, "source_id": c.source,
                                            "file": c.file, "line": c.line, "data": dict(c.raw)}
                                           for c in loaded.case.claims])
                check_quotes(self.store, [(c.id, c.source, c.quote) for c in loaded.case.claims if c.quote])
            self._synced = loaded.hash
        except Exception:  # noqa: BLE001 - the pages still work without highlights
            log.exception("could not record the claims in the case store")

    def label(self, entity_id: str) -> str:
        loaded = self._last or self.load()
        case = loaded.case
        return case.label(entity_id) if case is not None and entity_id in case.entities else entity_id

    # -- findings ------------------------------------------------------------
    def check(self) -> CheckView:
        """The findings for the case files as they are now (cached by their hash)."""
        loaded = self.load()
        with self.check_lock:
            with self.lock:
                hit = self._checks.get(loaded.hash)
            if hit is not None:
                return hit
            view = self._run_check(loaded)
            with self.lock:
                self._checks[loaded.hash] = view
                while len(self._checks) > CACHE_SIZE:
                    self._checks.popitem(last=False)
            return view

    def cached_check(self, h: str) -> CheckView | None:
        with self.lock:
            return self._checks.get(h)

    def _run_check(self, loaded: Loaded) -> CheckView:
        import belie

        t0 = time.perf_counter()
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        case = loaded.case
        if case is None:
            return CheckView(loaded.hash, self.case_dir.name, problems=loaded.problems, checked_at=stamp)
        try:
            result = belie.check(case)
        except Exception as exc:  # noqa: BLE001 - a rule that fails must not take the app down
            log.exception("belie check failed")
            return CheckView(loaded.hash, case.name, error=f"belie check failed: {type(exc).__name__}: {exc}",
                             checked_at=stamp)
        findings = [self._finding_view(case, f) for f in result.findings]
        conflicts = [c.to_dict() if hasattr(c, "to_dict") else c for c in (result.conflicts or [])]
        reading = result.reading
        if reading is not None and hasattr(reading, "to_dict"):
            reading = reading.to_dict()
        view = CheckView(loaded.hash, case.name, findings=findings, stats=dict(result.stats),
                         conflicts=conflicts, reading=reading, truth=truth_view(case),
                         seconds=round(time.perf_counter() - t0, 3), checked_at=stamp,
                         recorded=[f.to_dict() for f in result.findings])
        return view

    def record_check(self) -> None:
        """Record the findings of the case as it now is in the store's runs (after a
        decision changed it; a GET never writes)."""
        view = self.check()
        if view.error is None and not view.problems:
            try:
                self.store.save_findings("check", view.recorded)
            except Exception:  # noqa: BLE001
                log.exception("could not record the findings in the case store")

    def _finding_view(self, case, f) -> dict:
        d = f.to_dict()
        d["key"] = finding_key(d)
        claims = []
        for cid in f.claims:
            c = case.claim_by_id.get(cid)
            if c is None:
                claims.append({"id": cid})
                continue
            src = case.sources.get(c.source)
            claims.append({
                "id": cid, "summary": c.summary(case.label), "quote": c.quote, "source": c.source,
                "source_label": src.label if src else c.source, "kind": src.kind if src else None,
                "where": (f"{self.rel(c.file)}:{c.line}" if c.file and c.line else self.rel(c.file)),
                "reviewed": bool(c.file) and Path(c.file).as_posix().endswith(rv.REVIEWED_FILE.as_posix()),
            })
        d["claim_info"] = claims
        rows = (d.get("details") or {}).get("rows") if d.get("rule") == "shifting-accusation" else None
        d["charges"] = rows if isinstance(rows, list) and rows and isinstance(rows[0], dict) else None
        return d

    # -- reviewing (belie.review: the one decision path, shared with `belie review`) --
    def read_reviewed(self) -> str:
        return self.review.read_reviewed()

    def decide(self, cid: str, decision: str, reviewer: str, expected_version: int,
               edit: Any = None) -> Response:
        """Record one decision (belie.review.Review.decide); returns the API answer."""
        h_before = self.load().hash      # loaded (and its claims stored) before deciding
        try:
            done = self.review.decide(cid, decision, reviewer, expected_version, edit)
        except CandidateNotFound as exc:
            return api_error(404, str(exc))
        except ReviewError as exc:
            extra = {"note": exc.note} if exc.note else {}
            return api_error(400, exc.message, problems=[problem_dict(p) for p in exc.problems], **extra)
        view = self.candidate_view(done.candidate)
        return json_response({"candidate": view, "written": done.written, "file": done.file,
                              "claim": done.claim, "dropped": done.dropped,
                              "case_hash_before": h_before, "case_hash": self.case_hash()})

    # -- views ---------------------------------------------------------------
    def candidate_view(self, cand: dict, texts: dict | None = None) -> dict:
        data = cand["data"]
        view = dict(cand)
        view["claim_id"] = claim_id_of(cand)
        view["summary"] = summarise(data, self.label)
        view["in_case"] = cand["status"] in IN_CASE
        editable = self.review.claim_for(cand, edited=cand["status"] == "edited")[0] \
            if isinstance(data, dict) else data
        view["yaml"] = rv.dump_mapping(editable) if isinstance(editable, dict) \
            else json.dumps(editable, ensure_ascii=False)
        view["context"] = None
        quote = data.get("quote") if isinstance(data, dict) else None
        sid = cand.get("source_id")
        if quote and sid:
            texts = {} if texts is None else texts
            if sid not in texts:
                rec = self.store.get_source(sid)
                texts[sid] = rec.text if rec is not None else None
            text = texts[sid]
            if text:
                from belie.store.quotes import locate_quote

                m = locate_quote(str(quote), text)
                if m.found:
                    view["context"] = quote_context(text, m.start, m.end)
        return view

    def counts(self) -> dict:
        try:
            return self.store.counts()
        except Exception:  # noqa: BLE001
            return {}

    def sources_view(self) -> list[dict]:
        loaded = self.load()
        declared = loaded.case.sources if loaded.case is not None else {}
        stored = {r.id: r for r in self.store.sources()}
        claims_by_source: dict[str, int] = {}
        for c in (loaded.case.claims if loaded.case is not None else []):
            claims_by_source[c.source] = claims_by_source.get(c.source, 0) + 1
        cands: dict[str, int] = {}
        for c in self.store.candidates():
            if c["source_id"]:
                cands[c["source_id"]] = cands.get(c["source_id"], 0) + (c["status"] == "proposed")
        out = []
        for sid in sorted(set(declared) | set(stored)):
            s, r = declared.get(sid), stored.get(sid)
            out.append({
                "id": sid,
                "title": (r.title if r and r.title else None) or (s.title if s else None),
                "kind": (s.kind if s else None) or (r.kind if r else None),
                "said": s.said.text if s and s.said else None,
                "speaker": (self.label(s.speaker) if s and s.speaker else None),
                "file": (r.file if r else None) or (s.file if s else None),
                "ingested": r is not None,
                "sha256": r.sha256 if r else None,
                "size": r.size if r else None,
                "chars": r.chars if r else None,
                "media_type": r.media_type if r else None,
                "claims": claims_by_source.get(sid, 0),
                "proposed": cands.get(sid, 0),
                "declared": s is not None,
            })
        return out

    def source_view(self, sid: str) -> dict | None:
        loaded = self.load()
        s = loaded.case.sources.get(sid) if loaded.case is not None else None
        r = self.store.get_source(sid)
        if s is None and r is None:
            return None
        claims = []
        spans = []
        for row in self.store.claims(sid):
            data = row["data"] if isinstance(row["data"], dict) else {}
            c = loaded.case.claim_by_id.get(row["id"]) if loaded.case is not None else None
            item = {"id": row["id"], "kind": row["kind"], "quote": data.get("quote"),
                    "summary": c.summary(loaded.case.label) if c is not None else summarise(data, self.label),
                    "status": row["quote_status"], "start": row["quote_start"], "end": row["quote_end"],
                    "where": f"{self.rel(row['file'])}:{row['line']}" if row["file"] and row["line"] else None}
            claims.append(item)
            if row["quote_start"] is not None and row["quote_end"] is not None:
                spans.append({"start": row["quote_start"], "end": row["quote_end"], "id": row["id"], "cls": "claim"})
        candidates = []
        texts = {sid: r.text if r else None}
        for cand in self.store.candidates():
            if cand["source_id"] != sid or cand["status"] == "rejected":
                continue
            v = self.candidate_view(cand, texts)
            candidates.append(v)
            if v["context"] and cand["status"] == "proposed":
                spans.append({"start": v["context"]["start"], "end": v["context"]["end"], "id": cand["id"],
                              "cls": "candidate"})
        return {
            "id": sid,
            "title": (r.title if r and r.title else None) or (s.title if s else None) or sid,
            "kind": (s.kind if s else None) or (r.kind if r else None),
            "said": s.said.text if s and s.said else None,
            "speaker": self.label(s.speaker) if s and s.speaker else None,
            "declared": s is not None,
            "record": r.to_dict() if r is not None else None,
            "text": r.text if r is not None else None,
            "claims": claims,
            "candidates": candidates,
            "spans": spans,
            "reuse": [p for p in (self.reuse_view() or []) if sid in (p["a"], p["b"])],
        }

    def reuse_view(self) -> list[dict] | None:
        """Passages the ingested sources share (belie.sources.reuse), or None where that
        module is absent or there is nothing to compare."""
        try:
            from belie.sources.reuse import find_reuse
        except Exception:  # noqa: BLE001 - being written; the section is left out
            return None
        records = [r for r in self.store.sources() if r.text and r.text.strip()]
        if len(records) < 2:
            return None
        key = tuple((r.id, r.sha256) for r in records)
        with self.lock:
            if self._reuse is not None and self._reuse[0] == key:
                return self._reuse[1]
        try:
            pairs = find_reuse({r.id: r.text for r in records})
        except Exception:  # noqa: BLE001
            log.exception("text reuse failed")
            return None
        out = []
        for p in pairs:
            out.append({"a": p.a, "b": p.b, "score": round(float(p.score), 3),
                        "passages": [{"a_start": x.a_start, "a_end": x.a_end, "b_start": x.b_start,
                                      "b_end": x.b_end, "a_text": x.a_text, "b_text": x.b_text}
                                     for x in p.passages]})
        with self.lock:
            self._reuse = (key, out)
        return out


def truth_view(case) -> dict | None:
    """Which account of each contested event to believe (belie.sources.truth), from the
    claims that share an ``event``; None where the module is absent or nothing is contested."""
    try:
        from belie.sources.truth import discover
    except Exception:  # noqa: BLE001 - being written; the section is left out
        return None
    triples = []
    for c in case.claims:
        if not c.event:
            continue
        triples.append((c.source, f"{c.event}: happened", "no" if c.denies else "yes"))
        if c.denies:
            continue
        if c.where:
            triples.append((c.source, f"{c.event}: place", case.label(c.where)))
        if c.when is not None:
            triples.append((c.source, f"{c.event}: date", c.when.edtf))
        if c.kind == "meeting" and c.people:
            triples.append((c.source, f"{c.event}: who", ", ".join(sorted(case.label(p) for p in c.people))))
    values: dict[str, dict[str, list[str]]] = {}
    seen = set()
    for s, item, v in triples:
        if (s, item) in seen:
            continue
        seen.add((s, item))
        values.setdefault(item, {}).setdefault(v, []).append(s)
    contested = {i: vs for i, vs in values.items() if len(vs) > 1}
    if not contested:
        return None
    try:
        prior = {sid: case.settings.weight(src.kind) for sid, src in case.sources.items()}
        res = discover([t for t in triples if t[1] in values], method="accucopy", prior=prior)
    except Exception:  # noqa: BLE001
        log.exception("truth discovery failed")
        return None
    items = []
    for item in sorted(contested):
        items.append({"item": item, "believed": res.truths.get(item),
                      "confidence": round(float(res.confidence.get(item, 0.0)), 3),
                      "values": [{"value": v, "sources": srcs} for v, srcs in contested[item].items()]})
    sources = sorted(({"source": s, "accuracy": round(float(a), 3)} for s, a in res.accuracy.items()),
                     key=lambda x: (-x["accuracy"], x["source"]))
    copying = [{"copier": a, "original": b, "probability": round(float(p), 3)} for a, b, p in res.copying]
    return {"method": res.method, "items": items, "sources": sources, "copying": copying}


# --------------------------------------------------------------------------
# The app


def create_app(case_dir, *, token: str | None = None, reviewer: str | None = None,
               tiles: str | None = None) -> Flask:
    """The review app over the case in *case_dir*.

    *token*: when given, every request must carry it (see the module's documentation);
    without one, only requests from this machine are answered.  *reviewer*: the name
    recorded with decisions when the page sends none.  *tiles*: an XYZ tile URL or a
    local .mbtiles file for the map (belie.web.maproutes; off by default).
    """
    ws = Workspace(case_dir, reviewer=reviewer)
    here = Path(__file__).parent
    app = Flask("belie.web", template_folder=str(here / "templates"), static_folder=str(here / "static"))
    app.jinja_env.finalize = finalize_shown   # hidden characters in names and ids shown escaped
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.config["JSON_AS_ASCII"] = False
    app.extensions["belie"] = ws
    token = token or None

    # -- security ------------------------------------------------------------
    def cookie_name() -> str:
        port = request.host.rsplit(":", 1)[-1] if ":" in request.host.split("]")[-1] else "80"
        return f"belie_token_{port}"

    def token_ok(value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(str(value).encode("utf-8"), token.encode("utf-8"))

    def header_token() -> str | None:
        value = request.headers.get(TOKEN_HEADER)
        if value:
            return value
        auth = request.headers.get("Authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        return None

    def refuse(status: int, message: str) -> Response:
        if request.path.startswith("/api/"):
            return api_error(status, message)
        return Response(render_template("error.html", status=status, message=message, case_name=None,
                                        counts={}, page="error"), status=status)

    @app.before_request
    def guard():
        if token is None:
            if not is_loopback_host(request.remote_addr):
                return refuse(403, "this belie serve has no token, so it answers only on this machine; "
                                   "restart it with --token to share it")
            if not is_loopback_host(_host_name(request.host)):
                return refuse(403, f"unexpected Host {request.host!r}: open http://127.0.0.1:PORT/ "
                                   "(this guards against DNS rebinding)")
        else:
            via_header = token_ok(header_token())
            via_query = token_ok(request.args.get("token"))
            if not (via_header or via_query or token_ok(request.cookies.get(cookie_name()))):
                return refuse(401, "this belie serve needs its token: open the address it printed "
                                   "(…/?token=…), or send the header X-Belie-Token")
            if via_query and request.method == "GET" and not request.path.startswith("/api/"):
                args = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
                target = request.path + (("?" + urlencode(args)) if args else "")
                resp = redirect(target, 303)
                resp.set_cookie(cookie_name(), token, httponly=True, samesite="Strict",
                                secure=request.is_secure, path="/")
                return resp
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            if token is not None and token_ok(header_token()):
                return None
            origin = request.headers.get("Origin")
            own = f"{request.scheme}://{request.host}".lower()
            if origin is not None:
                if origin.lower() != own:
                    return refuse(403, f"cross-origin request refused (Origin {origin})")
            elif request.headers.get("Sec-Fetch-Site") != "same-origin":
                return refuse(403, "a request that changes the case must come from belie's own pages "
                                   "(a same-origin Origin or Sec-Fetch-Site header)"
                                   + (" or carry the token in X-Belie-Token" if token else ""))
        return None

    @app.after_request
    def headers(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        resp.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        if not request.path.startswith("/static/"):
            resp.headers["Cache-Control"] = "no-store"
        return resp

    @app.errorhandler(ConflictError)
    def conflict(exc: ConflictError):
        return api_error(409, f"Not saved: {exc}. Nothing was written.",
                         current=ws.candidate_view(exc.current), conflict=True)

    @app.errorhandler(404)
    def not_found(exc):
        return refuse(404, "no such page" if not request.path.startswith("/api/") else "no such thing")

    @app.errorhandler(413)
    def too_big(exc):
        return refuse(413, f"request too large (at most {MAX_BODY} bytes)")

    # -- helpers -------------------------------------------------------------
    def page(template: str, **kw):
        loaded = ws.load()
        name = loaded.case.name if loaded.case is not None else ws.case_dir.name
        return render_template(template, case_name=name, load_problems=loaded.problems,
                               counts=ws.counts(), case_dir=str(ws.case_dir), **kw)

    # -- pages ---------------------------------------------------------------
    from belie.web import maproutes

    maproutes.register(app, ws, tiles)

    @app.get("/")
    def index():
        loaded = ws.load()
        case = loaded.case
        summary = None
        if case is not None:
            summary = {"claims": len(case.claims), "sources": len(case.sources),
                       "entities": len(case.entities), "description": case.description}
        return page("index.html", page="index", summary=summary,
                    cached=ws.cached_check(loaded.hash))

    @app.get("/sources")
    def sources_page():
        return page("sources.html", page="sources", sources=ws.sources_view(), reuse=ws.reuse_view())

    @app.get("/sources/<sid>")
    def source_page(sid: str):
        view = ws.source_view(sid)
        if view is None:
            abort(404)
        marked = mark_text(view["text"], view["spans"]) if view["text"] is not None else None
        return page("source.html", page="sources", source=view, marked=marked)

    @app.get("/review")
    def review_page():
        status = request.args.get("status", "proposed")
        cands = ws.store.candidates()
        texts: dict = {}
        data = {"candidates": [ws.candidate_view(c, texts) for c in cands],
                "reviewer": ws.reviewer, "status": status if status in (*REVIEW_STATUSES, "all", "decided")
                else "proposed", "file": rv.REVIEWED_FILE.as_posix()}
        return page("review.html", page="review", data=data, reviewer=ws.reviewer)

    @app.get("/findings")
    def findings_page():
        view = ws.check()
        groups = {s: [f for f in view.findings if f["severity"] == s] for s in SEVERITIES}
        return page("findings.html", page="findings", view=view, groups=groups, heads=SEVERITY_HEAD)

    @app.get("/favicon.ico")
    def favicon():
        return Response(status=204)

    # -- API -----------------------------------------------------------------
    @app.get("/api/case")
    def api_case():
        loaded = ws.load()
        case = loaded.case
        return json_response({
            "case": case.name if case is not None else None, "folder": str(ws.case_dir),
            "hash": loaded.hash, "problems": [problem_dict(p) for p in loaded.problems],
            "counts": ws.counts(), "reviewer": ws.reviewer, "reviewed_file": rv.REVIEWED_FILE.as_posix()})

    @app.get("/api/sources")
    def api_sources():
        return json_response({"sources": ws.sources_view()})

    @app.get("/api/sources/<sid>")
    def api_source(sid: str):
        view = ws.source_view(sid)
        if view is None:
            return api_error(404, f"no source {sid!r} in this case")
        return json_response(view)

    @app.get("/api/candidates")
    def api_candidates():
        status = request.args.get("status") or None
        if status is not None and status not in REVIEW_STATUSES:
            return api_error(400, f"unknown status {status!r}; one of {', '.join(REVIEW_STATUSES)}")
        texts: dict = {}
        return json_response({"candidates": [ws.candidate_view(c, texts) for c in ws.store.candidates(status)]})

    @app.get("/api/candidates/<cid>")
    def api_candidate(cid: str):
        cand = ws.store.get_candidate(cid)
        if cand is None:
            return api_error(404, f"no candidate {cid!r} in this case")
        return json_response({"candidate": ws.candidate_view(cand),
                              "decisions": ws.store.decisions(cid)})

    @app.post("/api/candidates/<cid>/decision")
    def api_decide(cid: str):
        try:
            body = request.get_json(silent=True)
        except RecursionError:   # JSON nested deeper than Python's parser follows
            body = None
        if not isinstance(body, dict):
            return api_error(400, "send a JSON object: {decision, expected_version, reviewer, text?}")
        decision = DECISIONS.get(str(body.get("decision", "")).lower())
        if decision is None:
            return api_error(400, f"unknown decision {body.get('decision')!r}; one of accepted, rejected, "
                                  "edited, proposed (undo)")
        try:
            expected = int(body.get("expected_version"))
        except (TypeError, ValueError):
            return api_error(400, "expected_version is required: the version of the candidate you saw")
        reviewer = str(body.get("reviewer") or "").strip() or ws.reviewer
        if not reviewer:
            return api_error(400, "give your name (reviewer) so the decision says who took it")
        if len(reviewer) > 200:
            return api_error(400, "the reviewer's name is too long (200 characters at most)")
        edit = body.get("text", body.get("data"))
        if decision == "edited" and edit is None:
            return api_error(400, "an edit needs the edited claim as `text` (YAML or JSON) or `data`")
        resp = ws.decide(cid, decision, reviewer, expected, edit)
        if resp.status_code == 200:
            ws.record_check()
        return resp

    @app.get("/api/decisions")
    def api_decisions():
        return json_response({"decisions": ws.store.decisions(request.args.get("target") or None)})

    @app.get("/api/findings")
    def api_findings():
        return json_response(ws.check().to_dict())

    @app.get("/api/findings/summary")
    def api_findings_summary():
        view = ws.check()
        before = ws.cached_check(request.args.get("since", "")) if request.args.get("since") else None
        out = {"hash": view.hash, "counts": view.counts(), "total": len(view.findings),
               "problems": [problem_dict(p) for p in view.problems], "error": view.error,
               "seconds": view.seconds}
        if before is not None and before.hash != view.hash:
            old, now = before.keys, view.keys
            brief = lambda f: {k: f.get(k) for k in ("rule", "severity", "title", "claims", "explanation", "key")}  # noqa: E731
            out["new"] = [brief(f) for f in view.findings if f["key"] not in old]
            out["gone"] = [brief(f) for f in before.findings if f["key"] not in now]
        return json_response(out)

    @app.get("/api/reuse")
    def api_reuse():
        return json_response({"pairs": ws.reuse_view()})

    return app


def serve_url(host: str, port: int, token: str | None = None) -> str:
    h = f"[{host}]" if ":" in host and not host.startswith("[") else host
    if h in ("0.0.0.0", "[::]"):
        h = "127.0.0.1" if h == "0.0.0.0" else "[::1]"
    return f"http://{h}:{port}/" + (f"?token={token}" if token else "")
