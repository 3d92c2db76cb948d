"""Read a case folder (casefile.md) into a validated `Case`.

Every mistake found is collected and raised together as one InputError with one
Problem per mistake (file, line, column, what is wrong), so a user fixes them all in
one pass.  Nothing is written while loading but the parsed-claims cache of bulk claims
files (``.belie/claims/``, belie.model.claimcache), after a case has loaded without problems.
"""
from __future__ import annotations

import difflib
from pathlib import Path

from belie.errors import InputError, Problem
from belie.model.bulk import SUFFIXES as BULK_SUFFIXES
from belie.model.bulk import read_bulk
from belie.model.case import Case
from belie.model import claimcache
from belie.model.claimfast import SLOW, FastClaims
from belie.model.claims import Claim, stable_id
from belie.model.dates import DateError, DateSpan, NeedsZone, coerce_date, in_zone, time_zone
from belie.model.entities import Entity
from belie.model.schema import (CALENDARS, CASE_KEYS, CLAIMS_FILE_KEYS, COMMON_KEYS, ENTITY_KEYS,
                                ENTITY_TYPES, KEY_KIND, SCHEMA, SOURCE_KEYS, SOURCE_KINDS, KeySpec)
from belie.model.settings import Settings, settings_from_mapping
from belie.model.sources import Source
from belie.model.yamlfast import FastReadError, read_fast
from belie.model.yamlread import LDict, LList, plain, read_located
from belie.limits import MAX_ID_CHARS, MAX_QUOTE_CHARS
from belie.util import paused_gc, within, within_case

# Every key and kind comes from belie/data/schema.yaml (belie.model.schema).
ALL_CLAIM_KEYS = sorted(SCHEMA.all_claim_keys())
KIND_NAMES = [k for k in KEY_KIND if k not in {a for ks in SCHEMA.kinds.values() for a in ks.aliases}]
#: Entity and source keys that are free text kept as they are (``extra``).
_ENTITY_EXTRA = tuple(k for k, ks in SCHEMA.entity_keys.items() if ks.value == "text")
_SOURCE_EXTRA = tuple(k for k, ks in SCHEMA.source_keys.items() if ks.value == "text" and k != "title")
#: Entity keys that belong to some entity types only, checked in this order.
_PLACED_ENTITY_KEYS = tuple(k for k, ks in SCHEMA.entity_keys.items()
                            if ks.for_types is not None or ks.not_for)

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


def _a(word: str) -> str:
    """*word* with its indefinite article: "a person", "an object"."""
    word = str(word)      # an entity's type may be anything while its own error is reported
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _is_file(path: Path) -> bool:
    """Whether *path* is a file; False, not an OSError, for a name the system cannot look
    up at all (longer than it allows, say)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _did_you_mean(key, choices) -> str:
    close = difflib.get_close_matches(str(key), list(choices), n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    # Entities are also known by their names: "Rhona Vel" -> 'vell' (Rhona Vell).
    names = {str(n): eid for eid, e in (choices.items() if isinstance(choices, dict) else ())
             for n in (getattr(e, "names", None) or [])}
    close = difflib.get_close_matches(str(key), list(names), n=1, cutoff=0.6)
    return f" (did you mean {names[close[0]]!r}, {close[0]}?)" if close else ""


class _Reader:
    def __init__(self, root: Path | None, *, fast: bool = False):
        self.root = root
        #: How files are read: fast (libyaml, the positions a correct case needs) or
        #: located (every key's line and column, for the messages).
        self.read = read_fast if fast else read_located
        self.fast = fast
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
    def date(self, file, where, key, value, *, calendar="gregorian", anchor=None,
             zone_of=None) -> DateSpan | None:
        """Read a date; a time without an offset is read in ``zone_of()`` (the zone of its
        source, else of its place, else ``settings: timezone:``)."""
        try:
            try:
                return coerce_date(value, calendar=calendar, settings=self.settings.dates, anchor=anchor)
            except NeedsZone:
                zone = zone_of() if zone_of is not None else self.settings.timezone
                if zone is None:
                    raise
                return coerce_date(value, calendar=calendar, settings=self.settings.dates, anchor=anchor,
                                   zone=zone)
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
            # Keys that belong to some types only (schema: `for` / `not_for`).
            if etype != "unknown":
                for k in _PLACED_ENTITY_KEYS:
                    ks = SCHEMA.entity_keys[k]
                    if k in spec and not ks.allowed_for(etype):
                        self.err(file, spec, f"entity {eid_s!r}: {ks.wrong_type}", k)
            speed = spec.get("speed")
            if speed is not None:
                if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not 0 < speed < float("inf"):
                    self.err(file, spec, f"entity {eid_s!r}: `speed` must be a speed in km/h above zero, "
                             f"such as 120, got {speed!r}", "speed")
                    speed = None
                else:
                    speed = float(speed)
            existed = self.date(file, spec, "existed", spec["existed"]) if spec.get("existed") is not None else None
            lived = self.date(file, spec, "lived", spec["lived"]) if spec.get("lived") is not None else None
            line = block.pos(eid)[0] if isinstance(block, LDict) else None
            extra = {k: spec[k] for k in _ENTITY_EXTRA if k in spec}
            if spec.get("timezone") is not None:
                try:
                    time_zone(spec["timezone"])
                    extra["timezone"] = str(spec["timezone"]).strip()
                except DateError as exc:
                    extra.pop("timezone", None)
                    self.err(file, spec, f"entity {eid_s!r}: timezone: {exc}", "timezone")
            out[eid_s] = Entity(id=eid_s, type=etype, names=[str(n) for n in names],
                                within=str(spec["within"]) if spec.get("within") is not None else None,
                                at=at_t, existed=existed, lived=lived, speed=speed, extra=extra,
                                file=file, line=line)

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
            calendar = str(spec.get("calendar", CALENDARS[0]))
            if calendar not in CALENDARS:
                self.err(file, spec, f"source {sid_s!r}: calendar must be {' or '.join(CALENDARS)}, got {calendar!r}", "calendar")
                calendar = CALENDARS[0]
            zone = None
            if spec.get("timezone") is not None:
                try:
                    time_zone(spec["timezone"])
                    zone = str(spec["timezone"]).strip()
                except DateError as exc:
                    self.err(file, spec, f"source {sid_s!r}: timezone: {exc}", "timezone")
            said = self.date(file, spec, "said", spec["said"], calendar=calendar,
                             zone_of=lambda: zone or self.settings.timezone) if spec.get("said") is not None else None
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
                elif not _is_file(self.root / str(fpath)):
                    self.err(file, spec, f"source {sid_s!r}: file {fpath!r} not found in the case folder", "file")
            line = block.pos(sid)[0] if isinstance(block, LDict) else None
            extra = {k: spec[k] for k in _SOURCE_EXTRA if k in spec}
            if zone:
                extra["timezone"] = zone
            else:
                extra.pop("timezone", None)
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
    *boundary* when given (a copy of a case whose `sources/` links to the original).

    The files are first read fast (libyaml, belie.model.yamlfast); when anything is wrong,
    the case is read again with every key's line and column, and that reading's problems
    are the ones raised -- so the messages do not depend on the fast path.
    """
    path = Path(path)
    with paused_gc():
        try:
            return _load_case(path, fast=True, boundary=boundary)
        except (InputError, FastReadError):
            pass
        return _load_case(path, fast=False, boundary=boundary)


def _load_case(path: Path, *, fast: bool, boundary=None) -> Case:
    case_file = _find_case_file(path)
    root = case_file.parent
    r = _Reader(root, fast=fast)
    r.boundary = boundary
    disp = r.disp(case_file)
    doc = r.read(case_file, disp)
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
    files: list[Path] = []
    if claims_dir.is_dir():
        files = sorted(f for f in claims_dir.rglob("*")
                       if f.suffix.lower() in (".yaml", ".yml", ".json") + BULK_SUFFIXES and f.is_file())
        for f in files:
            fd = r.disp(f)
            if not within(root, f):
                r.err(fd, (None, None), "a link to a file outside the case folder; belie reads only "
                      "files inside it (copy the file into claims/ instead)")
                continue
            cache = r.fast and claimcache.available()
            if f.suffix.lower() in BULK_SUFFIXES:
                # Claims in bulk (JSON Lines, CSV, Parquet): a list of claims, nothing else.
                if cache:
                    raw_claims.append((_BULK, (f, fd, None)))     # read once every declaration is known
                    continue
                r.claim_list(fd, read_bulk(f, fd, located=not r.fast), raw_claims)
                continue
            cached_as = claimcache.cache_path(root, f.relative_to(root).as_posix()) if cache else None
            if cached_as is not None and within(root, cached_as) and claimcache.holds(cached_as, f):
                # A YAML file of claims only, cached as it is now: read it only if the cache is stale.
                raw_claims.append((_BULK, (f, fd, None)))
                continue
            sub = r.read(f, fd)
            if sub is None:
                continue
            if cache and (isinstance(sub, list) or (isinstance(sub, dict) and set(sub) <= {"claims"})):
                raw_claims.append((_BULK, (f, fd, sub)))           # claims only: cached once built
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
            elif parent.type not in SCHEMA.entity_keys["within"].refs:
                r.err(e.file, (e.line, None), f"entity {e.id!r}: `within` names {e.within!r}, which is {_a(parent.type)}, not a place")
    for s in sources.values():
        for key, val, types in (("speaker", s.speaker, SCHEMA.source_keys["speaker"].refs),
                                ("voice", s.voice, SCHEMA.source_keys["voice"].refs)):
            if val is None:
                continue
            ent = entities.get(val)
            if ent is None:
                r.err(s.origin, (s.line, None), f"source {s.id!r}: {key} {val!r} is not a declared entity{_did_you_mean(val, entities)}")
            elif ent.type not in types:
                r.err(s.origin, (s.line, None), f"source {s.id!r}: {key} {val!r} is {_a(ent.type)}, expected {' or '.join(types)}")

    r.zones = _Zones(entities, r.settings)
    pending: list = []
    claims = _build_claims(r, raw_claims, entities, sources, pending)
    _local_days(r, claims, sources)
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
    for cache_file, key, segment, ids, whens, texts in pending:
        claimcache.save(cache_file, key, segment, ids, whens, texts)
    name = str(doc.get("case") or root.name)
    case = Case(name=name, entities=entities, sources=sources, claims=claims, settings=r.settings,
                root=root, description=doc.get("description"), files=[case_file, *files])
    if r.zones.index is not None:
        case.__dict__["places"] = r.zones.index      # built once, for the zones: keep it
    return case


class _Zones:
    """The time zone of a claim: its source's `timezone:`, else its place's (the place's
    own `timezone:`, else that of the nearest place it is within that has one, else the
    gazetteer town's), else `settings: timezone:` (casefile.md section 1a)."""

    def __init__(self, entities: dict[str, Entity], settings: Settings):
        self.entities, self.settings = entities, settings
        self.index = None
        self._memo: dict[str | None, str | None] = {}

    def place_zone(self, place: str | None) -> str | None:
        if place in self._memo:
            return self._memo[place]
        zone = None
        node, seen = place, set()
        while node is not None and node not in seen:          # own or an enclosing place's key
            seen.add(node)
            e = self.entities.get(node)
            if e is None:
                break
            if (e.extra or {}).get("timezone"):
                zone = e.extra["timezone"]
                break
            node = e.within
        if zone is None and place in self.entities:
            if self.index is None:
                from belie.model.places import PlaceIndex
                self.index = PlaceIndex.build(self.entities)
            zone = self.index.timezone(place)
        self._memo[place] = zone
        return zone

    def of(self, source: Source | None, place: str | None) -> str | None:
        if source is not None and (source.extra or {}).get("timezone"):
            return source.extra["timezone"]
        return self.place_zone(place) or self.settings.timezone


def _claim_place(c) -> str | None:
    return c.where or c.origin or c.destination


def _local_days(r: "_Reader", claims: list[Claim], sources: dict[str, Source]) -> None:
    """In a case with times of day, read every date without a time as whole local days
    in its claim's zone, where one is known (docs/dates.md); a case of dates only keeps
    whole days on the UTC clock, compared exactly as written."""
    if not any(c.when is not None and c.when.timed for c in claims):
        return
    for e in r.zones.entities.values():          # a place's own lifetime, in its own days
        if e.type == "place" and e.existed is not None and not e.existed.timed:
            zone = r.zones.place_zone(e.id)
            if zone is not None:
                try:
                    e.existed = in_zone(e.existed, zone)
                except DateError as exc:
                    r.err(e.file, (e.line, None), f"entity {e.id!r}: existed: {exc}")
    for c in claims:
        if c.when is None or c.when.timed:
            continue
        zone = r.zones.of(sources.get(c.source), _claim_place(c))
        if zone is None:
            continue
        try:
            c.when = in_zone(c.when, zone)
        except DateError as exc:
            r.err(c.file, (c.line, None), f"claim {c.id!r}: {exc}")


def _number(n: int) -> str:
    return {2: "two", 3: "three"}.get(n, str(n))


#: Whether claims go through the fast path first (belie.model.claimfast); the tests switch
#: it off to compare both ways.
FAST_CLAIMS = True


#: Marks a bulk claims file in the list of claims still to build (read from the cache or the file).
_BULK = object()


def _build_claims(r: _Reader, raw_claims, entities, sources, pending=None) -> list[Claim]:
    """The claims of *raw_claims*, in order: by the fast path where it is sure, else by
    `_build_claim` (which also records every problem).  A bulk claims file (``_BULK``) is
    read from the parsed-claims cache when it holds it (belie.model.claimcache); else it is
    read, and what the cache should keep of it is added to *pending*."""
    out: list[Claim] = []
    fast = FastClaims(r, entities, sources).build if FAST_CLAIMS else None
    context = None

    def build(f, spec):
        c = fast(f, spec) if fast is not None else SLOW
        if c is SLOW:
            c = _build_claim(r, f, spec, entities, sources)
            if c is None:
                return
        out.append(c)

    for f, spec in raw_claims:
        if f is not _BULK:
            build(f, spec)
            continue
        path, fd, parsed = spec
        if context is None:
            context = claimcache.context_digest(entities, sources, r.settings)
        try:
            data = path.read_bytes()
        except OSError:
            data = None
        key = cache_file = None
        cache_file = (claimcache.cache_path(r.root, path.relative_to(r.root).as_posix())
                      if r.root is not None else None)
        if data is not None and cache_file is not None and within(r.root, cache_file):
            key = f"{context}:{claimcache.file_digest(data)}"
            data = None                   # the parser reads the file itself
            cached = claimcache.load(cache_file, key, fd, entities, sources)
            if cached is not None:
                out.extend(cached)
                continue
        rows: list = []
        start, problems = len(out), len(r.problems)
        if path.suffix.lower() in BULK_SUFFIXES:
            block = read_bulk(path, fd, located=False)
        else:                         # YAML (or JSON) of claims only: a list, or `claims:` alone
            block = parsed if parsed is not None else r.read(path, fd)
            if isinstance(block, dict):
                block = block.get("claims")
        r.claim_list(fd, block, rows)
        for f2, spec2 in rows:
            build(f2, spec2)
        if pending is not None and key is not None and len(r.problems) == problems:
            segment = out[start:]
            texts = getattr(block, "texts", None)          # JSON Lines: each claim's line as written
            if texts is not None and len(texts) != len(segment):
                texts = None
            pending.append((cache_file, key, segment, [c.id for c in segment], [c.when for c in segment],
                            texts))
    return out


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
    ks = SCHEMA.kinds[kind]
    allowed = set(COMMON_KEYS) | set(ks.keys) | {kkey}
    for k in spec:
        if k not in allowed:
            if k in ALL_CLAIM_KEYS:
                r.err(file, spec, f"key {k!r} does not belong in a {kind} claim "
                      f"(a {kind} claim takes {', '.join(ks.keys)})", k)
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
            r.err(file, spec, f"{key}: {v!r} is {_a(ent.type)}, expected {_a(' or '.join(types))}", key)
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
            r.err(file, spec, f"{key}: an entity id is missing (null) in {plain(value)!r}", key)
        if n is not None and len(value) != n:
            r.err(file, spec, f"{key}: expected {n} entities, got {len(value)}", key)
        return tuple(x for x in (ref(key, v, types) for v in value) if x is not None)

    def date(key, *, default=None):
        if spec.get(key) is None:
            return default
        place = next((str(spec[k]) for k in ("where", "at", "from", "to") if spec.get(k) is not None), None)
        return r.date(file, spec, key, spec[key], calendar=calendar, anchor=anchor,
                      zone_of=lambda: r.zones.of(source, place))

    def require(*keys):
        for k in keys:
            if spec.get(k) is None:
                r.err(file, spec, f"a {kind} claim needs `{k}`")

    fields: dict = {}
    # The kind key and the keys beside it, as the schema describes them: the kind key
    # first, then single references, then lists (so problems are reported in that order).
    keyed = sorted((k for k in ks.keys.values() if k.value != "date" and k.name != "by"),
                   key=lambda k: k.is_list)
    for k, key in [(ks.subject, kkey), *((k, k.name) for k in keyed)]:
        value = spec.get(key)
        if k.value == "entity":
            if k.min is not None and (not isinstance(value, list) or len(value) < k.min):
                r.err(file, spec, f"{key}: expected a list of at least {_number(k.min)} participants", key)
            if k.is_list:
                got = refs(key, value, k.refs, n=k.count if k.count and k.count > 1 else None,
                           needed=k is ks.subject)
            else:
                got = refs(key, value, k.refs, n=1, needed=True) if k is ks.subject else ref(key, value, k.refs)
            fields[k.field] = got
        elif k.value == "enum":
            values = SCHEMA.enum(k.enum)
            if k.required and value not in values:
                r.err(file, spec, f"{key}: expected one of {', '.join(values)}, got {value!r}",
                      key if key in spec else None)
            elif (value is not None or k is ks.subject) and value not in values:
                r.err(file, spec, f"{key}: unknown {SCHEMA.enums[k.enum].noun} {value!r}"
                      f"{_did_you_mean(value, values)} (one of {', '.join(values)})", key)
            fields[k.field] = str(value) if k is ks.subject else value
        elif k.value == "text":
            if k.nonempty and (not isinstance(value, str) or not value.strip()):
                r.err(file, spec, f"{key}: expected the {kind}'s text", key)
            fields[k.field] = str(value)

    # What the kind requires: per scope (register), then one of a group, then each key.
    scope = ks.scopes.get(fields.get("scope")) if ks.scopes else None
    if scope is not None:
        for k in scope.get("forbids", ()):
            if spec.get(k) is not None:
                r.err(file, spec, f"key {k!r} does not belong in a {kind} claim of scope "
                      f"{fields.get('scope')!r}", k)
        require(*scope.get("requires", ()))
        for group in scope.get("requires_one_of", ()):
            if all(spec.get(g) is None for g in group):
                r.err(file, spec, scope["message"])
    for group in ks.requires_one_of:
        if all(spec.get(g) is None for g in group):
            r.err(file, spec, f"a {kind} claim needs " + " or ".join(f"`{g}`" for g in group))
    require(*(k.name for k in ks.keys.values() if k.required and k.value not in ("enum", "date")))
    require(*(k.name for k in ks.date_keys if k.required))

    # Time: `when` (some moment) or `throughout` (the whole interval), or `during`.
    some = [k for k in ks.date_keys if k.moment == "some"]
    whole = [k for k in ks.date_keys if k.moment == "whole"]
    if some and whole:
        has_when, has_thr = spec.get(some[0].name) is not None, spec.get(whole[0].name) is not None
        if has_when and has_thr:
            r.err(file, spec, f"a {kind} claim takes `{some[0].name}` (some moment) or "
                  f"`{whole[0].name}` (the whole interval), not both")
        fields["throughout"] = has_thr
        fields["when"] = date(whole[0].name) if has_thr else date(some[0].name)
    elif ks.date_keys:
        dk = ks.date_keys[0]
        default = source.said if dk.default == "said" and source else None
        fields["when"] = date(dk.name, default=default)

    by = spec.get("by")
    if by is not None:
        # A kind without `by` has been told so above; its value is still read as a mode.
        by_enum = (scope or {}).get("by") or (ks.keys["by"].enum if "by" in ks.keys else "travel_modes")
        allowed_by = SCHEMA.enum(by_enum)
        if by not in allowed_by:
            r.err(file, spec, f"by: unknown {SCHEMA.enums[by_enum].noun} {by!r}"
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

    speaker = ref("speaker", spec.get("speaker"), SCHEMA.claim_common_keys["speaker"].refs)

    cid = spec.get("id")
    if "id" in spec and _bad_id(cid):
        r.err(file, spec, f"id: {_bad_id(cid)}", "id")
    event = spec.get("event")
    if event is not None and (isinstance(event, bool) or not isinstance(event, (str, int))):
        r.err(file, spec, f"event: expected a name for the event, got {event!r}", "event")

    if len(r.problems) > n_before:
        return None
    raw = {k: (v if not isinstance(v, (LDict, LList)) else plain(v)) for k, v in spec.items()}
    cid = spec.get("id")
    generated = cid is None
    cid = stable_id(kind, raw) if generated else str(cid)
    return Claim(id=cid, kind=kind, source=str(src_id), quote=quote,
                 event=str(spec["event"]) if spec.get("event") is not None else None,
                 denies=denies, note=spec.get("note"), speaker=speaker, generated_id=generated,
                 file=file, line=line,
                 raw=raw, **fields)


def with_claims(case: Case, specs, *, file: str = "(claim under review)") -> Case:
    """The case with more claims, given as case-file mappings (a claim under review),
    read and checked exactly as the loader reads claims.  Raises InputError naming what
    is wrong; the case itself is not changed.  The new case shares the case's place index."""
    import dataclasses

    r = _Reader(case.root)
    r.settings = case.settings
    new = [c for c in (_build_claim(r, file, spec, case.entities, case.sources) for spec in specs) if c is not None]
    taken = {c.id for c in case.claims}
    for c in new:
        if c.id in taken:
            r.err(file, (None, None), f"claim id {c.id!r} is already in the case")
        taken.add(c.id)
    if r.problems:
        raise InputError(r.problems)
    out = dataclasses.replace(case, claims=[*case.claims, *new])
    if "places" in case.__dict__:            # the cached PlaceIndex: the entities are the same
        out.__dict__["places"] = case.__dict__["places"]
    return out
