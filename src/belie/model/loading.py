"""Read a case folder (casefile.md) into a validated `Case`.

Every mistake found is collected and raised together as one InputError with one
Problem per mistake (file, line, column, what is wrong), so a user fixes them all in
one pass.  Nothing is written while loading.
"""
from __future__ import annotations

import difflib
from pathlib import Path

from belie.errors import InputError, Problem
from belie.model.case import Case
from belie.model.claims import (COMMON_KEYS, KEY_KIND, KIND_KEYS, MESSAGE_MEDIA,
                                REGISTER_SCOPES, STANCES, TRAVEL_MODES, Claim, stable_id)
from belie.model.dates import DateError, DateSpan, coerce_date
from belie.model.entities import ENTITY_TYPES, Entity
from belie.model.settings import Settings, settings_from_mapping
from belie.model.sources import SOURCE_KINDS, Source
from belie.model.yamlread import LDict, LList, read_located
from belie.limits import MAX_ID_CHARS, MAX_QUOTE_CHARS
from belie.util import within, within_case

CASE_KEYS = ("case", "description", "entities", "sources", "claims", "settings")
CLAIMS_FILE_KEYS = ("entities", "sources", "claims")
ENTITY_KEYS = ("type", "names", "within", "at", "existed", "lived", "note", "country")
SOURCE_KEYS = ("kind", "speaker", "voice", "said", "file", "calendar", "title", "note", "url")
ALL_CLAIM_KEYS = sorted(set(KEY_KIND) | set(COMMON_KEYS) | {k for v in KIND_KEYS.values() for k in v})
KIND_NAMES = [k for k in KEY_KIND if k != "accusation"]

CASE_FILENAMES = ("case.yaml", "case.yml", "case.json")


def _bad_id(value) -> str | None:
    """Why *value* cannot be an id (entity, source or claim), or None if it can."""
    if isinstance(value, bool) or value is None:
        word = {True: "true", False: "false", None: "null"}[value]
        return (f"YAML reads this id as {word} (yes/no/on/off/true/false/null are not names); "
                f"put it in quotes, such as 'yes'")
    if not isinstance(value, (str, int)):
        return f"an id must be a name or a number, got {_short(value)}"
    if len(str(value)) > MAX_ID_CHARS:
        return (f"an id of {len(str(value)):,} characters ({_short(value)}); belie takes ids of at "
                f"most {MAX_ID_CHARS} characters")
    return None


def _short(value, limit: int = 60) -> str:
    """*value* as written in a message, cut in the middle when long."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit // 2]}…{text[-limit // 2:]}"


def _did_you_mean(key, choices) -> str:
    close = difflib.get_close_matches(str(key), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Reader:
    def __init__(self, root: Path | None):
        self.root = root
        self.boundary = None   # the folder source files may not leave, when not the case's own
        self.problems: list[Problem] = []
        self.settings = Settings()

    def disp(self, path: Path) -> str:
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    def err(self, file, where, message, key=None):
        line = col = None
        if isinstance(where, (LDict, LList)):
            line, col = where.pos(key) if key is not None else (where.line, where.col)
        elif isinstance(where, tuple):
            line, col = where
        self.problems.append(Problem(file, line, col, message))

    # -- dates --------------------------------------------------------------------------
    def date(self, file, where, key, value, *, calendar="gregorian", anchor=None) -> DateSpan | None:
        try:
            return coerce_date(value, calendar=calendar, settings=self.settings.dates, anchor=anchor)
        except DateError as exc:
            self.err(file, where, f"{key}: {exc}", key)
        except (TypeError, ValueError) as exc:
            self.err(file, where, f"{key}: cannot read {value!r} as a date ({exc})", key)
        return None

    # -- entities -----------------------------------------------------------------------
    def entities(self, file, block, out: dict[str, Entity]):
        if block is None:
            return
        if not isinstance(block, dict):
            self.err(file, block, "entities: expected a mapping of entity id to its description")
            return
        for eid, spec in block.items():
            eid_s = str(eid)
            why = _bad_id(eid)
            if why:
                self.err(file, block, f"entity {eid_s!r}: {why}", eid)
                continue
            if eid_s in out:
                self.err(file, block, f"entity {eid_s!r} is declared twice (first in {out[eid_s].file})", eid)
                continue
            if not isinstance(spec, dict):
                self.err(file, block, f"entity {eid_s!r}: expected a mapping such as {{type: person, names: [...]}}", eid)
                continue
            for k in spec:
                if k not in ENTITY_KEYS:
                    self.err(file, spec, f"entity {eid_s!r}: unknown key {k!r}{_did_you_mean(k, ENTITY_KEYS)}", k)
            etype = spec.get("type")
            if etype is None:
                self.err(file, spec, f"entity {eid_s!r}: missing `type` (one of {', '.join(ENTITY_TYPES)})")
                etype = "unknown"
            elif etype not in ENTITY_TYPES:
                self.err(file, spec, f"entity {eid_s!r}: unknown type {etype!r}{_did_you_mean(etype, ENTITY_TYPES)}", "type")
            names = spec.get("names", [])
            if isinstance(names, str):
                names = [names]
            if not isinstance(names, list) or not all(isinstance(n, (str, int)) for n in names):
                self.err(file, spec, f"entity {eid_s!r}: `names` must be a list of names", "names")
                names = []
            at = spec.get("at")
            at_t = None
            if at is not None:
                if (isinstance(at, list) and len(at) == 2
                        and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in at)
                        and -90 <= at[0] <= 90 and -180 <= at[1] <= 180):
                    at_t = (float(at[0]), float(at[1]))
                else:
                    self.err(file, spec, f"entity {eid_s!r}: `at` must be [latitude, longitude] in degrees, got {at!r}", "at")
                if etype not in ("place", "unknown"):
                    self.err(file, spec, f"entity {eid_s!r}: only places have `at`", "at")
            if "existed" in spec and etype == "person":
                self.err(file, spec, f"entity {eid_s!r}: a person has `lived`, not `existed`", "existed")
            if "lived" in spec and etype not in ("person", "unknown"):
                self.err(file, spec, f"entity {eid_s!r}: only persons have `lived` (use `existed`)", "lived")
            if "within" in spec and etype not in ("place", "unknown"):
                self.err(file, spec, f"entity {eid_s!r}: only places can be `within` another place", "within")
            existed = self.date(file, spec, "existed", spec["existed"]) if spec.get("existed") is not None else None
            lived = self.date(file, spec, "lived", spec["lived"]) if spec.get("lived") is not None else None
            line = block.pos(eid)[0] if isinstance(block, LDict) else None
            extra = {k: spec[k] for k in ("note", "country") if k in spec}
            out[eid_s] = Entity(id=eid_s, type=etype, names=[str(n) for n in names],
                                within=str(spec["within"]) if spec.get("within") is not None else None,
                                at=at_t, existed=existed, lived=lived, extra=extra, file=file, line=line)

    # -- sources ------------------------------------------------------------------------
    def sources(self, file, block, out: dict[str, Source]):
        if block is None:
            return
        if not isinstance(block, dict):
            self.err(file, block, "sources: expected a mapping of source id to its description")
            return
        for sid, spec in block.items():
            sid_s = str(sid)
            why = _bad_id(sid)
            if why:
                self.err(file, block, f"source {sid_s!r}: {why}", sid)
                continue
            if sid_s in out:
                self.err(file, block, f"source {sid_s!r} is declared twice", sid)
                continue
            if not isinstance(spec, dict):
                self.err(file, block, f"source {sid_s!r}: expected a mapping such as {{kind: record, said: 1921}}", sid)
                continue
            for k in spec:
                if k not in SOURCE_KEYS:
                    self.err(file, spec, f"source {sid_s!r}: unknown key {k!r}{_did_you_mean(k, SOURCE_KEYS)}", k)
            kind = spec.get("kind")
            if kind is None:
                self.err(file, spec, f"source {sid_s!r}: missing `kind` (one of {', '.join(SOURCE_KINDS)})")
            elif kind not in SOURCE_KINDS:
                self.err(file, spec, f"source {sid_s!r}: unknown kind {kind!r}{_did_you_mean(kind, SOURCE_KINDS)}", "kind")
            calendar = str(spec.get("calendar", "gregorian"))
            if calendar not in ("gregorian", "julian"):
                self.err(file, spec, f"source {sid_s!r}: calendar must be gregorian or julian, got {calendar!r}", "calendar")
                calendar = "gregorian"
            said = self.date(file, spec, "said", spec["said"], calendar=calendar) if spec.get("said") is not None else None
            fpath = spec.get("file")
            if fpath is not None and not isinstance(fpath, str):
                self.err(file, spec, f"source {sid_s!r}: `file` must be a path such as sources/letter.txt, "
                         f"got {fpath!r}", "file")
                fpath = None
            if fpath is not None and self.root is not None:
                if not within_case(self.root, fpath, self.boundary):
                    self.err(file, spec, f"source {sid_s!r}: file {fpath!r} lies outside the case folder; "
                             "belie reads only files inside it (copy the file in with "
                             "`belie add CASE FILE`, which records where it came from)", "file")
                    fpath = None
                elif not (self.root / str(fpath)).is_file():
                    self.err(file, spec, f"source {sid_s!r}: file {fpath!r} not found in the case folder", "file")
            line = block.pos(sid)[0] if isinstance(block, LDict) else None
            extra = {k: spec[k] for k in ("note", "url") if k in spec}
            out[sid_s] = Source(id=sid_s, kind=str(kind or "testimony"),
                                speaker=str(spec["speaker"]) if spec.get("speaker") is not None else None,
                                voice=str(spec["voice"]) if spec.get("voice") is not None else None,
                                said=said, file=str(fpath) if fpath is not None else None, calendar=calendar,
                                title=spec.get("title"), extra=extra, line=line, origin=file)

    # -- claims: first pass keeps raw mappings; entities are checked once all are read ---
    def claim_list(self, file, block, out: list):
        if block is None:
            return
        if not isinstance(block, list):
            self.err(file, block, "claims: expected a list of claims")
            return
        for i, spec in enumerate(block):
            if not isinstance(spec, dict):
                self.err(file, block.pos(i) if isinstance(block, LList) else None,
                         "a claim must be a mapping such as {source: ..., presence: ..., where: ..., when: ...}")
                continue
            out.append((file, spec))


def _find_case_file(path: Path) -> Path:
    if path.is_file():
        return path
    if path.is_dir():
        for name in CASE_FILENAMES:
            if (path / name).is_file():
                return path / name
        raise InputError(Problem(str(path), None, None,
                                 "not a case folder: no case.yaml (or case.json) in it"))
    raise InputError(Problem(str(path), None, None, "no such file or folder"))


def load_case(path, *, boundary=None) -> Case:
    """Read and validate a case folder or case file.  Raises InputError listing every mistake.

    A source's `file:` must lie inside the case folder (links followed), or inside
    *boundary* when given (a copy of a case whose `sources/` links to the original)."""
    path = Path(path)
    case_file = _find_case_file(path)
    root = case_file.parent
    r = _Reader(root)
    r.boundary = boundary
    disp = r.disp(case_file)
    doc = read_located(case_file, disp)
    if doc is None:
        raise InputError(Problem(disp, 1, None, "the file is empty"))
    if not isinstance(doc, dict):
        raise InputError(Problem(disp, 1, None, "expected a mapping with keys such as case, entities, sources, claims"))
    for k in doc:
        if k not in CASE_KEYS:
            r.err(disp, doc, f"unknown top-level key {k!r}{_did_you_mean(k, CASE_KEYS)}", k)
    for k in ("case", "description"):
        if doc.get(k) is not None and not isinstance(doc[k], (str, int, float)):
            r.err(disp, doc, f"{k}: expected text, got {doc[k]!r}", k)
    try:
        r.settings = settings_from_mapping(doc.get("settings"))
    except (ValueError, DateError) as exc:
        r.err(disp, doc, f"settings: {exc}", "settings")

    entities: dict[str, Entity] = {}
    sources: dict[str, Source] = {}
    raw_claims: list = []
    r.entities(disp, doc.get("entities"), entities)
    r.sources(disp, doc.get("sources"), sources)
    r.claim_list(disp, doc.get("claims"), raw_claims)

    claims_dir = root / "claims"
    if claims_dir.is_dir():
        files = sorted(list(claims_dir.rglob("*.yaml")) + list(claims_dir.rglob("*.yml"))
                       + list(claims_dir.rglob("*.json")))
        for f in files:
            fd = r.disp(f)
            if not within(root, f):
                r.err(fd, (None, None), "a link to a file outside the case folder; belie reads only "
                      "files inside it (copy the file into claims/ instead)")
                continue
            sub = read_located(f, fd)
            if sub is None:
                continue
            if isinstance(sub, list):
                r.claim_list(fd, sub, raw_claims)
                continue
            if not isinstance(sub, dict):
                r.err(fd, (1, None), "expected a list of claims or a mapping with `claims:`")
                continue
            for k in sub:
                if k not in CLAIMS_FILE_KEYS:
                    r.err(fd, sub, f"unknown top-level key {k!r}{_did_you_mean(k, CLAIMS_FILE_KEYS)}", k)
            r.entities(fd, sub.get("entities"), entities)
            r.sources(fd, sub.get("sources"), sources)
            r.claim_list(fd, sub.get("claims"), raw_claims)

    # Cross-references of entities and sources.
    for e in entities.values():
        if e.within is not None:
            parent = entities.get(e.within)
            if parent is None:
                r.err(e.file, (e.line, None), f"entity {e.id!r}: `within` names unknown entity {e.within!r}"
                      f"{_did_you_mean(e.within, entities)}")
            elif parent.type != "place":
                r.err(e.file, (e.line, None), f"entity {e.id!r}: `within` names {e.within!r}, which is a {parent.type}, not a place")
    for s in sources.values():
        for key, val, types in (("speaker", s.speaker, ("person", "organisation", "power")),
                                ("voice", s.voice, ("power", "organisation"))):
            if val is None:
                continue
            ent = entities.get(val)
            if ent is None:
                r.err(s.origin, (s.line, None), f"source {s.id!r}: {key} {val!r} is not a declared entity{_did_you_mean(val, entities)}")
            elif ent.type not in types:
                r.err(s.origin, (s.line, None), f"source {s.id!r}: {key} {val!r} is a {ent.type}, expected {' or '.join(types)}")

    claims = [c for c in (_build_claim(r, f, spec, entities, sources) for f, spec in raw_claims) if c is not None]
    seen: dict[str, Claim] = {}
    for c in claims:
        if c.id in seen:
            prev = seen[c.id]
            if c.generated_id:
                # Two identical claims without ids: keep them apart by position.
                n = 2
                while f"{c.id}-{n}" in seen:
                    n += 1
                c.id = f"{c.id}-{n}"
            else:
                r.err(c.file, (c.line, None), f"claim id {c.id!r} is used twice (also at {prev.file}:{prev.line})")
                continue
        seen[c.id] = c

    if r.problems:
        raise InputError(r.problems)
    name = str(doc.get("case") or root.name)
    return Case(name=name, entities=entities, sources=sources, claims=claims, settings=r.settings,
                root=root, description=doc.get("description"))


# Which entity types each reference may name.
_PERSONISH = ("person", "organisation")
_PLACE = ("place",)


def _build_claim(r: _Reader, file: str, spec: LDict, entities, sources) -> Claim | None:
    line = spec.line if isinstance(spec, LDict) else None
    n_before = len(r.problems)
    keys = [k for k in KEY_KIND if k in spec]
    if not keys:
        unknown = [k for k in spec if k not in ALL_CLAIM_KEYS]
        hint = ""
        for k in unknown:
            close = difflib.get_close_matches(str(k), KIND_NAMES, n=1, cutoff=0.6)
            if close:
                hint = f" (did you mean {close[0]!r} for {k!r}?)"
                break
        r.err(file, spec, f"claim has no kind: give exactly one of {', '.join(KIND_NAMES)}{hint}")
        return None
    if len(keys) > 1:
        r.err(file, spec, f"claim has {len(keys)} kinds ({', '.join(keys)}): give exactly one")
        return None
    kkey = keys[0]
    kind = KEY_KIND[kkey]
    allowed = set(COMMON_KEYS) | set(KIND_KEYS[kind]) | {kkey}
    for k in spec:
        if k not in allowed:
            if k in ALL_CLAIM_KEYS:
                r.err(file, spec, f"key {k!r} does not belong in a {kind} claim "
                      f"(a {kind} claim takes {', '.join(KIND_KEYS[kind])})", k)
            else:
                r.err(file, spec, f"unknown key {k!r}{_did_you_mean(k, sorted(allowed))}", k)

    src_id = spec.get("source")
    source = None
    if src_id is None:
        r.err(file, spec, "claim has no `source`")
    elif _bad_id(src_id):
        r.err(file, spec, f"source: {_bad_id(src_id)}", "source")
    else:
        source = sources.get(str(src_id))
        if source is None:
            r.err(file, spec, f"source {src_id!r} is not declared{_did_you_mean(src_id, sources)}", "source")
    calendar = source.calendar if source else "gregorian"
    anchor = source.said.earliest if source and source.said and source.said.earliest == source.said.latest else None

    def ref(key, value, types) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool):
            r.err(file, spec, f"{key}: {_bad_id(value)}", key)
            return None
        if not isinstance(value, (str, int)):
            r.err(file, spec, f"{key}: expected an entity id, got {value!r}", key)
            return None
        v = str(value)
        ent = entities.get(v)
        if ent is None:
            r.err(file, spec, f"{key}: unknown entity {v!r}{_did_you_mean(v, entities)}", key)
        elif types and ent.type not in types:
            r.err(file, spec, f"{key}: {v!r} is a {ent.type}, expected a {' or '.join(types)}", key)
        return v

    def refs(key, value, types, *, n=None, needed=False) -> tuple[str, ...]:
        if value is None:
            if needed:
                r.err(file, spec, f"{key}: names no one (null); give "
                      f"{'an entity id' if n in (None, 1) else f'{n} entity ids'}", key)
            return ()
        if not isinstance(value, list):
            value = [value]
        if any(v is None for v in value):
            r.err(file, spec, f"{key}: an entity id is missing (null) in {_plain(value)!r}", key)
        if n is not None and len(value) != n:
            r.err(file, spec, f"{key}: expected {n} entities, got {len(value)}", key)
        return tuple(x for x in (ref(key, v, types) for v in value) if x is not None)

    def date(key, *, default=None):
        if spec.get(key) is None:
            return default
        return r.date(file, spec, key, spec[key], calendar=calendar, anchor=anchor)

    def require(*keys):
        for k in keys:
            if spec.get(k) is None:
                r.err(file, spec, f"a {kind} claim needs `{k}`")

    fields: dict = {}
    if kind == "presence":
        fields["people"] = refs("presence", spec["presence"], _PERSONISH, n=1, needed=True)
        fields["where"] = ref("where", spec.get("where"), _PLACE)
        require("where")
    elif kind == "meeting":
        ppl = spec["meeting"]
        if not isinstance(ppl, list) or len(ppl) < 2:
            r.err(file, spec, "meeting: expected a list of at least two participants", "meeting")
        fields["people"] = refs("meeting", ppl, _PERSONISH, needed=True)
        fields["where"] = ref("where", spec.get("where"), _PLACE)
    elif kind == "travel":
        fields["people"] = refs("travel", spec["travel"], _PERSONISH, n=1, needed=True)
        fields["origin"] = ref("from", spec.get("from"), _PLACE)
        fields["destination"] = ref("to", spec.get("to"), _PLACE)
        if spec.get("from") is None and spec.get("to") is None:
            r.err(file, spec, "a travel claim needs `from` or `to`")
    elif kind == "message":
        fields["people"] = refs("message", spec["message"], _PERSONISH, n=2, needed=True)
    elif kind == "register":
        scope = spec["register"]
        if scope not in REGISTER_SCOPES:
            r.err(file, spec, f"register: unknown scope {scope!r}{_did_you_mean(scope, REGISTER_SCOPES)} "
                  f"(one of {', '.join(REGISTER_SCOPES)})", "register")
        fields["scope"] = str(scope)
        fields["where"] = ref("at", spec.get("at"), _PLACE)
        fields["reg_to"] = ref("to", spec.get("to"), _PERSONISH)
        fields["reg_from"] = ref("from", spec.get("from"), _PERSONISH)
        fields["lists"] = refs("lists", spec.get("lists", []), _PERSONISH)
        if scope in ("arrivals", "departures"):
            require("at")
        elif scope == "messages" and spec.get("to") is None and spec.get("from") is None:
            r.err(file, spec, "a register of messages needs `to` and/or `from`")
        require("when")
    elif kind == "accusation":
        fields["people"] = refs(kkey, spec[kkey], _PERSONISH, n=1, needed=True)
        fields["serving"] = ref("serving", spec.get("serving"), ("power", "organisation"))
        require("serving")
    elif kind == "existed":
        fields["people"] = refs("existed", spec["existed"], None, n=1, needed=True)
    elif kind == "stance":
        fields["people"] = refs("stance", spec["stance"], ("power", "organisation"), n=2, needed=True)
        val = spec.get("is")
        if val not in STANCES:
            r.err(file, spec, f"is: expected one of {', '.join(STANCES)}, got {val!r}", "is" if "is" in spec else None)
        fields["stance"] = val
    elif kind == "statement":
        if not isinstance(spec["statement"], str) or not spec["statement"].strip():
            r.err(file, spec, "statement: expected the statement's text", "statement")
        fields["text"] = str(spec["statement"])
        fields["people"] = refs("about", spec.get("about"), None)

    # Time.
    if kind in ("presence", "meeting"):
        has_when, has_thr = spec.get("when") is not None, spec.get("throughout") is not None
        if has_when and has_thr:
            r.err(file, spec, f"a {kind} claim takes `when` (some moment) or `throughout` (the whole interval), not both")
        fields["throughout"] = has_thr
        fields["when"] = date("throughout") if has_thr else date("when")
    elif kind in ("travel", "message", "register", "statement"):
        fields["when"] = date("when")
    elif kind == "accusation":
        fields["when"] = date("during", default=source.said if source else None)
    elif kind in ("existed", "stance"):
        fields["when"] = date("during")
        if kind == "existed":
            require("during")

    by = spec.get("by")
    if by is not None:
        allowed_by = MESSAGE_MEDIA if kind == "message" else TRAVEL_MODES
        if kind == "register" and spec.get("register") == "messages":
            allowed_by = MESSAGE_MEDIA
        if by not in allowed_by:
            r.err(file, spec, f"by: unknown {'medium' if allowed_by is MESSAGE_MEDIA else 'mode'} {by!r}"
                  f"{_did_you_mean(by, allowed_by)} (one of {', '.join(allowed_by)})", "by")
        fields["by"] = str(by)
    denies = spec.get("denies", False)
    if not isinstance(denies, bool):
        r.err(file, spec, f"denies: expected true or false, got {denies!r}", "denies")
        denies = False
    quote = spec.get("quote")
    if quote is not None and not isinstance(quote, str):
        r.err(file, spec, "quote: expected text", "quote")
        quote = None
    elif quote is not None and len(quote) > MAX_QUOTE_CHARS:
        r.err(file, spec, f"quote: {len(quote):,} characters, more than belie takes in one quote "
              f"({MAX_QUOTE_CHARS:,}); quote the passage that bears on the claim", "quote")
        quote = None

    speaker = ref("speaker", spec.get("speaker"), ("person", "organisation", "power"))

    cid = spec.get("id")
    if "id" in spec and _bad_id(cid):
        r.err(file, spec, f"id: {_bad_id(cid)}", "id")
    event = spec.get("event")
    if event is not None and (isinstance(event, bool) or not isinstance(event, (str, int))):
        r.err(file, spec, f"event: expected a name for the event, got {event!r}", "event")

    if len(r.problems) > n_before:
        return None
    raw = {k: (v if not isinstance(v, (LDict, LList)) else _plain(v)) for k, v in spec.items()}
    cid = spec.get("id")
    generated = cid is None
    cid = stable_id(kind, raw) if generated else str(cid)
    return Claim(id=cid, kind=kind, source=str(src_id), quote=quote,
                 event=str(spec["event"]) if spec.get("event") is not None else None,
                 denies=denies, note=spec.get("note"), speaker=speaker, generated_id=generated,
                 file=file, line=line,
                 raw=raw, **fields)


def _plain(v):
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v
