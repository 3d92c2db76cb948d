"""Exports of a case and its check: FollowTheMoney, JSON, CSV and Markdown.

``export_case(case, "ftm" | "json" | "csv" | "markdown", result=None)`` returns the
text; `belie export` writes it.  Each format is documented, with examples, in
docs/export.md.  The helpers here (stable finding ids, date records, safe date
prefixes, the claims of each finding, the ingested files) are shared with the HTML
report (`belie.report.html`).

* **ftm** — FollowTheMoney entities, one JSON object a line (what ``ftm`` and Aleph
  read): Person, Organization, PublicBody (powers), Address (places, with latitude and
  longitude), Event / Trip (presence, meeting, travel and message claims), UnknownLink
  (accusations, stances), Document (sources), Documentation (each claim linked to the
  Document that makes it) and Note (findings).  Ids are stable: the same case gives the
  same ids run after run.
* **json** — the whole case (entities, sources, claims with their dates as text, EDTF
  and bounds) and the check (findings, conflicts, reading, statistics).
* **csv** — one claim a row, the columns named as the case-file keys, plus the EDTF and
  bounds of the claim's date and the ids of the findings that touch it.
* **markdown** — a dossier: the findings, then every claim grouped by source.
"""
from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import json
from collections import defaultdict
from pathlib import Path
from belie.model.dates import plural

from belie.model.schema import SCHEMA

FORMATS = ("ftm", "json", "csv", "markdown")
EXPORT_VERSION = 1

#: The order of columns in the CSV export: the case-file keys of the schema
#: (belie/data/schema.yaml: kind keys, the keys beside them, the common keys), then the
#: computed ones.
KIND_COLUMNS = tuple(k.key for k in SCHEMA.kinds.values())
FIELD_COLUMNS = SCHEMA.claim_keys
COMMON_COLUMNS = tuple(k for k in SCHEMA.claim_common_keys if k not in ("id", "source"))
CSV_COLUMNS = ("id", "source") + KIND_COLUMNS + FIELD_COLUMNS + COMMON_COLUMNS + (
    "edtf", "earliest", "latest", "findings")

SEVERITY_HEAD = {
    "impossible": "Impossible — cannot all be true",
    "strained": "Strained — true only under a narrow reading",
    "note": "Notes",
}


# ----------------------------------------------------------------------------------
# Shared helpers
# ----------------------------------------------------------------------------------

def finding_ids(findings) -> list[str]:
    """A stable id for each finding: its rule and a hash of its claims and title.

    The same case gives the same ids from run to run, whatever order the rules ran in;
    two findings that would share an id get ``-2``, ``-3``... in list order.
    """
    out: list[str] = []
    seen: dict[str, int] = {}
    for f in findings:
        canon = json.dumps([f.rule, sorted(f.claims), f.title or ""], ensure_ascii=False)
        base = f"{f.rule}-{hashlib.sha1(canon.encode('utf-8')).hexdigest()[:8]}"
        n = seen.get(base, 0) + 1
        seen[base] = n
        out.append(base if n == 1 else f"{base}-{n}")
    return out


def claim_findings(result) -> dict[str, list[str]]:
    """Claim id -> the ids of the findings that involve it."""
    by: dict[str, list[str]] = defaultdict(list)
    if result is None:
        return by
    for fid, f in zip(finding_ids(result.findings), result.findings):
        for cid in f.claims:
            if fid not in by[cid]:
                by[cid].append(fid)
    return by


def date_record(span) -> dict | None:
    """A DateSpan as ``{"text", "edtf", "earliest", "latest", "qualifier", "calendar"}``.

    ``earliest`` / ``latest`` are ISO days, or None for an open end; a time of day (or a
    date read in a time zone) adds ``read`` (with its offset), ``zone`` and ``utc_from`` /
    ``utc_to`` (ISO instants in UTC).
    """
    if span is None:
        return None
    return {**span.record(), "qualifier": span.qualifier, "calendar": span.calendar}


def date_prefix(earliest: _dt.date | None, latest: _dt.date | None) -> str | None:
    """The most precise ISO date prefix true of every day in [earliest, latest].

    A day gives ``1932-11-27``; two days of one month ``1932-11``; two days of one year
    ``1932``; an open end or bounds in different years give None.  So 1933-07-21 ..
    1933-07-31 (``end of July 1933``) is written ``1933-07``: a reader of the export
    never takes an uncertain date for a precise one.
    """
    if earliest is None or latest is None:
        return None
    if earliest == latest:
        return earliest.isoformat()
    if earliest.year != latest.year:
        return None
    if earliest.month != latest.month:
        return f"{earliest.year:04d}"
    return f"{earliest.year:04d}-{earliest.month:02d}"


def span_prefix(span) -> str | None:
    return None if span is None else date_prefix(span.earliest, span.latest)


def _part_span(span, index: int):
    """The DateSpan of one end of an EDTF interval (``A/B``): 0 for A, 1 for B."""
    if span is None:
        return None
    parts = span.edtf.split("/")
    if len(parts) != 2:
        return span
    part = parts[index]
    if part in ("", ".."):
        return None
    from belie.model.dates import DateError, parse_date

    try:
        return parse_date(part, calendar="gregorian")
    except DateError:
        return None


def date_key(c) -> str | None:
    """The case-file key that carries a claim's date (None when it has none of its own)."""
    dates = SCHEMA.kinds[c.kind].date_keys
    if not dates:
        return None
    whole = [k.name for k in dates if k.moment == "whole"]
    if whole and c.throughout:
        return whole[0]
    return next((k.name for k in dates if k.moment != "whole"), dates[0].name)


def _key_value(c, k):
    """The value of claim key *k* (a schema KeySpec) of claim *c*, as the case file writes it."""
    v = getattr(c, k.field)
    if k.value == "entity":
        if k.is_list:
            return list(v)
        if isinstance(v, tuple):
            return v[0] if v else None
    return v


def claim_record(c) -> dict:
    """A claim as the case file writes it (its kind key and the keys beside it, in the
    schema's order), with the date as written; computed dates are added by the callers."""
    ks = SCHEMA.kinds[c.kind]
    d: dict = {"id": c.id, "source": c.source, ks.key: _key_value(c, ks.subject)}
    for k in ks.keys.values():
        if k.value != "date":
            d[k.name] = _key_value(c, k)
    key = date_key(c)
    if c.when is not None and key is not None and (key in c.raw or ks.keys[key].default is None):
        d[key] = c.when.text
    for name, k in SCHEMA.claim_common_keys.items():      # quote, event, denies, note...
        if name not in d:
            v = getattr(c, k.field or name)
            d[name] = (True if v else None) if k.value == "bool" else v
    # Empty values are left out, but a register's empty `lists` says it lists nobody.
    return {key2: v for key2, v in d.items()
            if (v is not None and v != []) or (key2 == "lists" and c.kind == "register")}


def _file_hash(path: Path, algorithm: str) -> str | None:
    """The hex digest of a file (sha256 for the notes, sha1 for FtM's contentHash), or None."""
    try:
        h = hashlib.new(algorithm)
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def _source_path(root: Path | None, file: str) -> Path | None:
    """The source's file, or None when it is unknown or lies outside the case folder
    (never read: see docs/security.md)."""
    from belie.util import within_case

    if root is None or not within_case(root, file):
        return None
    return root / file


def ingested_files(case) -> dict[str, dict]:
    """For each source with a file: what the case store recorded at ingest, and whether
    the file on disk still has those bytes.

    ``{source_id: {"file", "sha256", "size", "media_type", "ingested_at", "ingested",
    "changed"}}``: ``ingested`` False when the file was never added to the store (then
    ``sha256`` is computed now); ``changed`` True when the bytes on disk no longer match
    the ingested hash, None when the file cannot be read.  The store is only read.
    """
    out: dict[str, dict] = {}
    with_files = [s for s in case.sources.values() if s.file]
    if not with_files:
        return out
    records: dict[str, object] = {}
    root = Path(case.root) if case.root is not None else None
    if root is not None:
        try:
            from belie.store.db import CaseStore, store_path

            if store_path(root).is_file():
                with CaseStore.open(root, create=False) as store:
                    for s in with_files:
                        rec = store.get_source(s.id)
                        if rec is None or (rec.file and Path(rec.file).as_posix() != Path(s.file).as_posix()):
                            rec = store.source_by_file(Path(s.file).as_posix()) or rec
                        if rec is not None:
                            records[s.id] = rec
        except Exception:  # noqa: BLE001 - a report never fails for want of a store
            records = {}
    for s in with_files:
        path = _source_path(root, s.file)
        now = _file_hash(path, "sha256") if path is not None else None
        rec = records.get(s.id)
        if rec is not None:
            out[s.id] = {"file": s.file, "sha256": rec.sha256, "size": rec.size,
                         "media_type": rec.media_type, "ingested_at": rec.ingested_at,
                         "ingested": True, "changed": None if now is None else now != rec.sha256}
        else:
            size = path.stat().st_size if now is not None and path is not None else None
            out[s.id] = {"file": s.file, "sha256": now, "size": size, "media_type": None,
                         "ingested_at": None, "ingested": False, "changed": None}
    return out


def _to_dict(x):
    return x.to_dict() if hasattr(x, "to_dict") else x


def run_check(case, result=None):
    if result is not None:
        return result
    import belie

    return belie.check(case)


# ----------------------------------------------------------------------------------
# JSON
# ----------------------------------------------------------------------------------

def _entity_record(e, places) -> dict:
    d: dict = {"id": e.id, "type": e.type, "names": list(e.names), "label": e.label}
    if e.within:
        d["within"] = e.within
    if e.type == "place":
        coords = places.coords(e.id) if e.id in places else None
        if coords is not None:
            d["at"] = [round(coords[0], 6), round(coords[1], 6)]
            d["at_from"] = places.source_of(e.id)
    if e.existed is not None:
        d["existed"] = date_record(e.existed)
    if e.lived is not None:
        d["lived"] = date_record(e.lived)
    if e.speed is not None:
        d["speed"] = e.speed
    for k, v in (e.extra or {}).items():
        d.setdefault(k, v)
    return d


def case_to_dict(case, result=None) -> dict:
    """The whole case and its check as one JSON-ready dict (schema in docs/export.md)."""
    result = run_check(case, result)
    fids = finding_ids(result.findings)
    by_claim = claim_findings(result)
    files = ingested_files(case)
    try:
        places = case.places
    except Exception:  # noqa: BLE001
        places = None

    sources = []
    for s in case.sources.values():
        d = {"id": s.id, "kind": s.kind, "label": s.label, "speaker": s.speaker, "voice": s.voice,
             "said": date_record(s.said), "calendar": s.calendar, "title": s.title, "file": s.file,
             "weight": case.settings.weight(s.kind)}
        if s.id in files:
            d["sha256"] = files[s.id]["sha256"]
            d["ingested"] = files[s.id]["ingested"]
        for k, v in (s.extra or {}).items():
            d.setdefault(k, v)
        sources.append({k: v for k, v in d.items() if v is not None})

    claims = []
    for c in case.claims:
        d = {"kind": c.kind, **claim_record(c)}
        d["date"] = date_record(c.when)
        d["findings"] = by_claim.get(c.id, [])
        if c.generated_id:
            d["generated_id"] = True
        if c.file:
            d["file"] = c.file
        if c.line:
            d["line"] = c.line
        claims.append(d)

    findings = []
    for fid, f in zip(fids, result.findings):
        findings.append({"id": fid, **f.to_dict()})

    out = {
        "format": "belie-export",
        "version": EXPORT_VERSION,
        "case": {"name": case.name, "description": case.description},
        "entities": [_entity_record(e, places) if places is not None else
                     {"id": e.id, "type": e.type, "names": list(e.names)} for e in case.entities.values()],
        "sources": sources,
        "claims": claims,
        "findings": findings,
        "conflicts": [_to_dict(c) for c in (result.conflicts or [])],
        "reading": _to_dict(result.reading) if result.reading is not None else None,
        "stats": result.stats,
    }
    return out


def to_json(case, result=None) -> str:
    return json.dumps(case_to_dict(case, result), indent=2, ensure_ascii=False, default=str) + "\n"


# ----------------------------------------------------------------------------------
# CSV
# ----------------------------------------------------------------------------------

def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else ""
    if isinstance(v, (list, tuple)):
        return "; ".join(str(x) for x in v)
    return str(v)


def to_csv(case, result=None) -> str:
    """One claim a row; columns in `CSV_COLUMNS` order; lists written ``a; b``."""
    result = run_check(case, result)
    by_claim = claim_findings(result)
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for c in case.claims:
        rec = claim_record(c)
        rec["edtf"] = c.when.edtf if c.when is not None else None
        rec["earliest"] = c.when.earliest.isoformat() if c.when is not None and c.when.earliest else None
        rec["latest"] = c.when.latest.isoformat() if c.when is not None and c.when.latest else None
        rec["findings"] = by_claim.get(c.id, [])
        w.writerow([_cell(rec.get(col)) for col in CSV_COLUMNS])
    return buf.getvalue()


# ----------------------------------------------------------------------------------
# Markdown
# ----------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|#"})


def md(text) -> str:
    """Case text made inert in Markdown: no emphasis, links, tables or raw HTML."""
    return str(text).translate(_MD_SPECIAL).replace("\n", " ")


def _md_date(span) -> str:
    if span is None:
        return "undated"
    if span.text == span.edtf:
        return f"{md(span.text)} ({span.describe()})"
    return f"“{md(span.text)}” (read as `{span.edtf}`: {span.describe()})"


def _md_claim(case, c, by_claim) -> str:
    body = f"“{md(c.quote)}”" if c.quote else md(c.summary(case.label))
    parts = [f"`{c.id}` {body}"]
    if c.quote and c.kind != "statement":
        parts.append(f"— {md(c.summary(case.label))}")
    elif c.quote and c.kind == "statement" and c.text and c.text != c.quote:
        parts.append(f"— {md(c.text)}")
    if c.when is not None:
        parts.append(f"· date {_md_date(c.when)}")
    if c.event:
        parts.append(f"· event `{c.event}`")
    if c.denies:
        parts.append("· **denied by the source**")
    fids = by_claim.get(c.id, [])
    if fids:
        parts.append("· findings " + ", ".join(f"[{f}](#{f})" for f in fids))
    return "- " + " ".join(parts)


def _rule_titles() -> dict[str, str]:
    try:
        from belie.rules import all_rules

        return {r.name: r.title for r in all_rules()}
    except Exception:  # noqa: BLE001
        return {}


def to_markdown(case, result=None) -> str:
    """A readable dossier: summary, findings by severity, the global view, then every
    claim grouped by source."""
    result = run_check(case, result)
    fids = finding_ids(result.findings)
    by_claim = claim_findings(result)
    stats = result.stats
    counts = stats.get("by_severity", {})
    label = case.label
    out = [f"# {md(case.name)}", ""]
    if case.description:
        out += [md(case.description), ""]
    n_notes = counts.get("note", 0)
    out += [f"{plural(len(case.claims), 'claim')} from {plural(len(case.sources), 'source')} about "
            f"{plural(len(case.entities), 'entity', 'entities')}. The check found **{counts.get('impossible', 0)} impossible**, "
            f"{counts.get('strained', 0)} strained and {plural(n_notes, 'note')}.", ""]
    titles = _rule_titles()

    out += ["## Findings", ""]
    if not result.findings:
        out += ["No findings: nothing in this case contradicts anything else.", ""]
    groups: dict[str, list] = {"impossible": [], "strained": [], "note": []}
    for fid, f in zip(fids, result.findings):
        groups[f.severity].append((fid, f))
    for sev in ("impossible", "strained", "note"):
        if not groups[sev]:
            continue
        out += [f"### {SEVERITY_HEAD[sev]}", ""]
        for fid, f in groups[sev]:
            rule_title = titles.get(f.rule, f.rule)
            extra = f": {md(f.title)}" if f.title and f.title != rule_title else ""
            out += [f'<a id="{fid}"></a>', "",
                    f"#### {md(rule_title)}{extra} (`{fid}`)", ""]
            for cid in f.claims:
                c = case.claim_by_id.get(cid)
                if c is None:
                    out.append(f"- `{cid}`")
                    continue
                src = case.sources.get(c.source)
                body = f"“{md(c.quote)}”" if c.quote else md(c.summary(label))
                said = f", {md(src.said.text)}" if src is not None and src.said is not None else ""
                kind = src.kind if src is not None else "?"
                out.append(f"- `{cid}` {body} — *{md(src.label if src else c.source)}* ({kind}{said})")
            out += ["", md(f.explanation), ""]
            if f.window:
                out += [f"Could still all be true only within `{f.window}`.", ""]

    if result.conflicts:
        out += ["## Smallest sets of claims that cannot all be true", ""]
        for i, c in enumerate(result.conflicts, 1):
            d = _to_dict(c)
            rules = ", ".join(d.get("rules", []))
            out.append(f"{i}. " + ", ".join(f"`{x}`" for x in d["claims"]) + (f" ({rules})" if rules else ""))
        out.append("")
    if result.reading is not None:
        d = _to_dict(result.reading)
        if d.get("rejected"):
            out += ["## Most plausible reading", "",
                    "If the stronger evidence holds, these claims must be false "
                    f"(total cost {d.get('cost', 0)}):", ""]
            for r in d["rejected"]:
                if isinstance(r, dict):
                    out.append(f"- `{r.get('claim')}` — {md(r.get('source') or '')} ({r.get('kind', '')}, "
                               f"weight {r.get('weight', '')})")
                else:
                    out.append(f"- `{r}`")
            out.append("")

    out += ["## Claims by source", ""]
    by_source: dict[str, list] = defaultdict(list)
    for c in case.claims:
        by_source[c.source].append(c)
    order = list(case.sources) + [s for s in by_source if s not in case.sources]
    for sid in order:
        claims = by_source.get(sid, [])
        if not claims:
            continue
        s = case.sources.get(sid)
        head = f"### {md(s.label if s else sid)}"
        out += [head, ""]
        if s is not None:
            bits = [f"kind: {s.kind}"]
            if s.speaker:
                bits.append(f"speaker: {md(label(s.speaker))}")
            if s.voice:
                bits.append(f"voice: {md(label(s.voice))}")
            if s.said is not None:
                bits.append(f"said: {_md_date(s.said)}")
            if s.file:
                bits.append(f"file: `{s.file}`")
            out += ["; ".join(bits) + ".", ""]
        for c in claims:
            out.append(_md_claim(case, c, by_claim))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# ----------------------------------------------------------------------------------
# FollowTheMoney
# ----------------------------------------------------------------------------------

def _ftm_model():
    try:
        from followthemoney import model
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from belie.errors import MissingExtra

        raise MissingExtra("exporting to FollowTheMoney", "ftm", "followthemoney") from exc
    return model


class _FtM:
    """Builds the entities of one case, with ids stable from run to run."""

    def __init__(self, case, result):
        self.model = _ftm_model()
        self.case = case
        self.result = result
        self.ns = ("belie", case.name)
        self.entities: list = []
        self.ids: dict[tuple[str, str], str] = {}
        try:
            self.places = case.places
        except Exception:  # noqa: BLE001
            self.places = None

    # -- plumbing ----------------------------------------------------------------
    def make(self, schema: str, *key: str):
        if self.model.get(schema) is None:   # an older schema without it (e.g. Trip)
            schema = "Event"
        e = self.model.make_entity(schema)
        e.make_id(*self.ns, *key)
        return e

    def add(self, e, prop: str, value) -> None:
        """Set a property; an unknown property name is an error (never silently dropped)."""
        if value is None or value == "" or value == []:
            return
        e.add(prop, value)

    def keep(self, e, key: tuple[str, str] | None = None):
        self.entities.append(e)
        if key is not None:
            self.ids[key] = e.id
        return e

    def ref(self, kind: str, eid: str | None) -> str | None:
        return None if eid is None else self.ids.get((kind, eid))

    def entity_ref(self, eid: str | None) -> str | None:
        return None if eid is None else self.ids.get(("entity", eid))

    def dates(self, e, span, *, throughout: bool) -> None:
        """date / startDate / endDate as safe prefixes (see `date_prefix`)."""
        if span is None:
            return
        prefix = span_prefix(span)
        if prefix is not None:
            self.add(e, "date", prefix)
        if throughout or prefix is None:
            if span.earliest is not None:
                self.add(e, "startDate", span.earliest.isoformat())
            if span.latest is not None:
                self.add(e, "endDate", span.latest.isoformat())

    def interval(self, e, span) -> None:
        """startDate / endDate of a `during` period: each end's own safe prefix."""
        if span is None:
            return
        if "/" not in span.edtf:
            p = span_prefix(span)
            if p is not None:
                self.add(e, "date", p)
            return
        a, b = _part_span(span, 0), _part_span(span, 1)
        if a is not None:
            self.add(e, "startDate", span_prefix(a) or (a.earliest.isoformat() if a.earliest else None))
        if b is not None:
            self.add(e, "endDate", span_prefix(b) or (b.latest.isoformat() if b.latest else None))

    @staticmethod
    def date_text(span) -> str:
        if span is None:
            return "undated"
        return f"{span.text} (EDTF {span.edtf}; {span.describe()})"

    # -- entities -----------------------------------------------------------------
    def build(self) -> list:
        case = self.case
        label = case.label
        for e in case.entities.values():
            if e.type == "person":
                x = self.make("Person", "entity", e.id)
                self.add(x, "name", e.label)
                for n in e.names[1:]:
                    self.add(x, "alias", n)
                if e.lived is not None:
                    born, died = _part_span(e.lived, 0), _part_span(e.lived, 1)
                    if "/" in e.lived.edtf:
                        self.add(x, "birthDate", span_prefix(born))
                        self.add(x, "deathDate", span_prefix(died))
                    self.add(x, "description", f"Lived: {self.date_text(e.lived)}")
            elif e.type == "place":
                x = self.make("Address", "entity", e.id)
                chain = [e.label] + [label(a) for a in (self.places.ancestors(e.id) if self.places else [])]
                self.add(x, "full", ", ".join(chain))
                self.add(x, "name", e.label)
                coords = self.places.coords(e.id) if self.places is not None and e.id in self.places else None
                if coords is not None:
                    self.add(x, "latitude", f"{coords[0]:.6f}")
                    self.add(x, "longitude", f"{coords[1]:.6f}")
                desc = []
                if len(e.names) > 1:
                    desc.append("Also: " + "; ".join(e.names[1:]))
                if e.existed is not None:
                    desc.append(f"Existed: {self.date_text(e.existed)}")
                self.add(x, "description", ". ".join(desc))
            elif e.type == "object" and self.model.get("Vehicle") is not None:
                # A thing that moves: FtM's Vehicle (its nearest schema; a ship or an
                # aircraft is a Vehicle too, and belie does not tell them apart).
                x = self.make("Vehicle", "entity", e.id)
                self.add(x, "name", e.label)
                for n in e.names[1:]:
                    self.add(x, "alias", n)
                desc = ["An object (a thing that moves, in one place at a time)"]
                if e.speed:
                    desc.append(f"top speed {e.speed:g} km/h")
                if e.existed is not None:
                    desc.append(f"existed: {self.date_text(e.existed)}")
                self.add(x, "description", "; ".join(desc) + ".")
            elif e.type == "power":
                x = self.make("PublicBody", "entity", e.id)
                self.add(x, "name", e.label)
                for n in e.names[1:]:
                    self.add(x, "alias", n)
                self.add(x, "description", "A power: a state that can be served or allied with.")
            else:
                x = self.make("Organization", "entity", e.id)
                self.add(x, "name", e.label)
                for n in e.names[1:]:
                    self.add(x, "alias", n)
                if e.existed is not None:
                    if "/" in e.existed.edtf:
                        self.add(x, "incorporationDate", span_prefix(_part_span(e.existed, 0)))
                        self.add(x, "dissolutionDate", span_prefix(_part_span(e.existed, 1)))
                    self.add(x, "description", f"Existed: {self.date_text(e.existed)}")
            self.add(x, "summary", (e.extra or {}).get("note"))
            self.keep(x, ("entity", e.id))

        files = ingested_files(case)
        root = Path(case.root) if case.root is not None else None
        for s in case.sources.values():
            d = self.make("Document", "source", s.id)
            self.add(d, "title", s.label)
            self.add(d, "name", s.label)
            self.add(d, "fileName", Path(s.file).name if s.file else s.id)
            if s.said is not None:
                self.add(d, "date", span_prefix(s.said))
                if span_prefix(s.said) is None:
                    self.add(d, "publishedAt", s.said.earliest.isoformat() if s.said.earliest else None)
            if s.speaker:
                self.add(d, "author", label(s.speaker))
            if s.voice:
                self.add(d, "publisher", label(s.voice))
            self.add(d, "sourceUrl", (s.extra or {}).get("url"))
            bits = [f"belie source {s.id}; kind: {s.kind} (weight of evidence "
                    f"{case.settings.weight(s.kind):.2f})"]
            if s.said is not None:
                bits.append(f"said: {self.date_text(s.said)}")
            if s.calendar != "gregorian":
                bits.append(f"calendar: {s.calendar}")
            self.add(d, "summary", "; ".join(bits))
            self.add(d, "description", (s.extra or {}).get("note"))
            f = files.get(s.id)
            if f is not None:
                self.add(d, "fileSize", str(f["size"]) if f.get("size") is not None else None)
                self.add(d, "mimeType", f.get("media_type"))
                if f.get("sha256"):
                    self.add(d, "notes", f"SHA-256 {f['sha256']}" + ("" if f["ingested"] else " (not ingested)"))
                path = _source_path(root, s.file)
                self.add(d, "contentHash", _file_hash(path, "sha1") if path is not None else None)
            self.keep(d, ("source", s.id))
            if s.speaker and self.entity_ref(s.speaker):
                link = self.make("Documentation", "speaker", s.id)
                self.add(link, "document", d.id)
                self.add(link, "entity", self.entity_ref(s.speaker))
                self.add(link, "role", "speaker")
                self.keep(link)

        for c in case.claims:
            self.claim(c)

        if self.result is not None:
            for fid, f in zip(finding_ids(self.result.findings), self.result.findings):
                n = self.make("Note", "finding", fid)
                for cid in f.claims:
                    self.add(n, "entity", self.ref("claim", cid))
                self.add(n, "name", f"{f.severity}: {f.rule}" + (f" — {f.title}" if f.title else ""))
                self.add(n, "description", f.explanation + (f" Could still all be true only within "
                                                            f"{f.window}." if f.window else ""))
                self.add(n, "summary", f"belie finding {fid}; claims: {', '.join(f.claims)}")
                self.keep(n)
        return self.entities

    def claim(self, c) -> None:
        case = self.case
        label = case.label
        summary = c.summary(label)
        k = c.kind
        x = None
        if k in ("presence", "meeting", "travel", "message"):
            travel_trip = k == "travel" and c.origin and c.destination and self.model.get("Trip") is not None
            x = self.make("Trip" if travel_trip else "Event", "claim", c.id)
            self.add(x, "name", summary)
            for p in c.people:
                ent = case.entities.get(p)
                if ent is not None and ent.type == "object" and self.model.get("Vehicle") is not None:
                    # FtM's `involved` takes legal entities; a journey's thing is its vehicle.
                    if travel_trip:
                        self.add(x, "vehicle", self.entity_ref(p))
                    continue
                self.add(x, "involved", self.entity_ref(p))
            if k in ("presence", "meeting") and c.where:
                self.add(x, "addressEntity", self.entity_ref(c.where))
                self.add(x, "location", label(c.where))
            if k == "travel":
                if travel_trip:
                    self.add(x, "startLocation", self.entity_ref(c.origin))
                    self.add(x, "endLocation", self.entity_ref(c.destination))
                for p in (c.origin, c.destination):
                    if p:
                        self.add(x, "location", label(p))
            if k == "message" and c.sender:
                self.add(x, "organizer", self.entity_ref(c.sender))
            self.dates(x, c.when, throughout=c.throughout)
        elif k in ("accusation", "stance") and len(c.people) >= 1:
            a = c.people[0]
            b = c.serving if k == "accusation" else (c.people[1] if len(c.people) > 1 else None)
            if self.entity_ref(a) and self.entity_ref(b):
                x = self.make("UnknownLink", "claim", c.id)
                self.add(x, "subject", self.entity_ref(a))
                self.add(x, "object", self.entity_ref(b))
                self.add(x, "role", ("accused of serving" if k == "accusation" else f"stance: {c.stance}"))
                self.interval(x, c.when)
        if x is not None:
            self.add(x, "summary", summary)
            self.add(x, "description", f"belie claim {c.id}; date as written: {self.date_text(c.when)}"
                     + (f"; event {c.event}" if c.event else "")
                     + ("; the source DENIES this" if c.denies else ""))
            if "recordId" in x.schema.properties:
                self.add(x, "recordId", c.id)
            self.keep(x, ("claim", c.id))
            target = x.id
        else:
            # existed, register, statement: the source documents an entity directly.
            subjects = list(c.people)
            if k == "register":
                subjects = [s for s in (c.where, c.reg_to, c.reg_from) if s]
            target = next((self.entity_ref(s) for s in subjects if self.entity_ref(s)), None)
            if target is None:
                src = case.sources.get(c.source)
                target = self.entity_ref(src.speaker) if src is not None and src.speaker else None
        doc = self.ref("source", c.source)
        if doc is None or target is None:
            if doc is not None:   # nothing to link to: a note on the document
                n = self.make("Note", "claim", c.id)
                self.add(n, "entity", doc)
                self.add(n, "name", f"claim {c.id}")
                self.add(n, "description", c.text or summary)
                self.add(n, "summary", f"belie claim {c.id} ({k}); date: {self.date_text(c.when)}")
                self.keep(n, ("claim", c.id))
            return
        link = self.make("Documentation", "asserts", c.id)
        self.add(link, "document", doc)
        self.add(link, "entity", target)
        self.add(link, "role", ("denies" if c.denies else "asserts") + f" ({k})")
        self.add(link, "summary", c.quote or (c.text if k == "statement" else summary))
        desc = f"belie claim {c.id}: {summary}"
        if c.quote and k == "statement" and c.text and c.text != c.quote:
            desc += f" — {c.text}"
        self.add(link, "description", desc + f"; date as written: {self.date_text(c.when)}")
        self.add(link, "recordId", c.id)
        if x is None:
            if k == "existed":
                self.interval(link, c.when)
            elif c.when is not None:
                self.add(link, "date", span_prefix(c.when))
        if ("claim", c.id) not in self.ids:
            self.ids[("claim", c.id)] = link.id
        self.keep(link)


def ftm_entities(case, result=None) -> list:
    """FollowTheMoney entity proxies for the case (and its findings, when `result` is given)."""
    return _FtM(case, result).build()


def to_ftm(case, result=None) -> str:
    """FollowTheMoney entities as JSON lines (``ftm validate -i FILE`` reads them)."""
    result = run_check(case, result)
    lines = [json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) for e in ftm_entities(case, result)]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------

def export_case(case, fmt: str, result=None) -> str:
    """The case (and its check: pass `result` to reuse one) in one of `FORMATS`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    fn = {"ftm": to_ftm, "json": to_json, "csv": to_csv, "markdown": to_markdown}[fmt]
    return fn(case, result)
