"""Truth discovery inside a case: disputed facts, source accuracy, copying.

`case_items(case)` turns the claims of a case into *disputed facts* — items that
several sources give a value for — and `case_reliability(case)` runs truth discovery
(:func:`belie.sources.truth.discover`) over them: which value of each fact to believe,
how accurate each source is, and which sources probably copy one another.  The
accuracies feed the reasoning core (`belie.check(case, reliability=True)`), and
``belie sources CASE`` prints them.  docs/truth.md, "Inside a case", says the same
with an example.

The items:

``where``
    "where was <person> <period>": presences, meetings (once per participant) and
    journeys (the destination) that place a person; the value is the place id, and a
    denied presence is ``not <place>``.  A fact is anchored on the claims that speak of
    *every* day of a period — a stay ``throughout``, a denial — which group by shared
    days (the fewest groups whose members share a day; the period named is that shared
    window).  A claim of *some moment* joins every group whose period it overlaps; two
    claims of some moment in a period can both be true, each at its own moment, so
    they make a fact on their own only when both name the same single day.  Claims of
    more than `max_days` (92) days join the groups they overlap only if they speak of
    every day (a long stay, a denial — and a denial only where someone in the group
    puts the person at the denied place, inside it or around it); a long claim of some
    moment ("in Berlin in 1932") is too vague to dispute any day and is left out.
    A denied *meeting* is not read as a denied presence (Trotsky denied meeting Fritz
    David in Copenhagen; he was in Copenhagen): it counts on the meeting (below).
``event-place``, ``event-date``, ``event-participants``
    "<event>: place" / "<event>: date" / "<event>: participants": the claims sharing an
    ``event`` id.  Denials count on the place only (``not <place>``).  The date and the
    participants are facts only where the sources disagree on them: where they agree,
    the place already counts their agreement.
``meeting``
    "where did <A> and <B> meet <period>": meetings without an ``event``, of the same
    people, grouped in time as above; denials are ``not <place>``.
``serving``
    "whom did <accused> serve <period>": accusations, value the power (``not <power>``
    for a denial), grouped in time; a charge speaks of its whole ``during`` period.
``existed``
    "did <entity> exist <period>": ``existed`` claims, value ``yes`` or ``no``.

A source gives one value per fact: its assertion over its denial, then its narrowest
claim, then its most specific place.  Only facts that two or more sources speak to are
kept; a ``where`` fact whose sources and values are exactly those of an
``event-place`` fact is left out, as it would count the same words twice.  Facts on
which every source gives the same value (*corroborated*) are listed, their value
believed, but take no part in the estimate: agreement that no one disputes cannot tell
an accurate source from a chorus (and `accucopy`, which counts one unseen false value
per undisputed fact, would read several weak sources agreeing as a sign of falsehood).

**The unit is the source** (the case's source ids): its kind, and so its prior, belong
to the source, and one speaker's confession and later testimony are different
evidence.  `Reliability.speakers` gives each speaker's accuracy as well (the mean over
its sources' disputed facts).  But sources that are not independent witnesses count
as **one voice** where they give the same value (`one_voice_groups`): the sources of one
``speaker`` (a man repeating himself is not corroborated), of one ``voice`` (a state's
press, prosecutor and court), and sources the case store knows to reuse one another's
text (below).  On each fact, of the members of a group that give one value, the
earliest said (then the weightier kind, then the first id) keeps the vote and the
others' claims are set aside; a set-aside claim is afterwards judged against the value
believed (1 for that value, else its similarity to it) and counted into its source's
accuracy.  ``merge=()`` (``belie sources --independent``) counts every source alone.

**Known copying.**  When the case store (``.belie/case.sqlite``) holds text-reuse
edges (``belie reuse``) scoring at least `reuse_threshold` (0.5) — between sources, or
between statements, which stand for their sources — the sources they join, directly or
through others, are known to copy one another.  `~belie.sources.truth.discover` takes
no list of known copiers, so their votes are merged as above rather than passed to its
copy detection, which still looks for further copying in what the sources claim.
Known pairs are listed in `copying` with their reuse score as probability and
``evidence="text reuse"``.

**Prior and similarity.**  Each source's prior is its kind's weight
(``Settings.weight``: record 0.95 … confession 0.3).  `CaseSimilarity`: places nest
as in the case (`~belie.sources.similarity.Places` over the case's `PlaceIndex`: a
city is right by half when the truth is a place inside it, a place inside the city
gets nothing from the city); a place where Q cannot be says ``not Q`` outright (1),
and ``not Q`` is right by half about any such place; a date supports a date inside
it by half; a list of participants supports a fuller one in proportion.
"""
from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from belie.model.dates import DAY, OPEN_END, OPEN_START, edtf_of, fmt_instant, grain, span_text
from belie.sources.similarity import Places
from belie.sources.truth import copy_clusters, discover

__all__ = ["Item", "Reliability", "CaseSimilarity", "case_items", "case_item_list", "case_reliability",
           "known_copying", "one_voice_groups", "value_label", "period_text", "MAX_DAYS", "MERGE", "NOT"]

#: A claim whose dates span more days than this is a "long" claim (see the module doc).
MAX_DAYS = 92
#: The prefix of a denied value.
NOT = "not "
#: How many claims' worth a source's kind weight counts when every disputed claim of
#: the source was set aside into another member's vote (one voice) and is judged alone.
_PRIOR_STRENGTH = 2.0


# ----------------------------------------------------------------------------- items

@dataclass
class Item:
    """One disputed (or corroborated) fact and what each source says of it.

    ``votes`` maps a source to ``(value, claim id)``; ``truth`` and ``confidence`` are
    filled in by `case_reliability`.
    """

    name: str
    kind: str                      # where | event-place | event-date | event-participants | serving | existed
    subject: str                   # the person, event, accused or entity the fact is about
    period: str | None = None      # EDTF of the days all its claims speak to (None for events)
    votes: dict[str, tuple[str, str]] = field(default_factory=dict)
    truth: str | None = None
    confidence: float | None = None

    @property
    def sources(self) -> list[str]:
        return list(self.votes)

    def triples(self) -> list[tuple[str, str, str]]:
        return [(s, self.name, v) for s, (v, _cid) in self.votes.items()]


@dataclass
class _Entry:
    """One claim's say on a subject over days lo..hi."""

    claim: object
    order: int
    value: str
    lo: int
    hi: int
    universal: bool        # speaks of every day of lo..hi (a stay throughout, a denial, a charge)
    depth: int = 0         # how deeply nested its place is (more specific wins within a source)

    @property
    def denial(self) -> bool:
        return self.value.startswith(NOT)

    @property
    def width(self) -> int:
        return self.hi - self.lo


def _bounds(span) -> tuple[int, int]:
    if span is None:
        return OPEN_START, OPEN_END
    return span.lo, span.hi


def _bounded(lo: int, hi: int) -> bool:
    return lo > OPEN_START and hi < OPEN_END


def period_text(lo: int, hi: int) -> str:
    """'on 24 Jul 1933', 'from 23 Nov 1932 to 2 Dec 1932', 'until 18 Dec 1936', 'at any time'."""
    if lo <= OPEN_START and hi >= OPEN_END:
        return "at any time"
    if lo <= OPEN_START:
        return f"until {fmt_instant(hi, end=True)}"
    if hi >= OPEN_END:
        return f"from {fmt_instant(lo)}"
    if grain(lo, hi) != DAY:
        return f"at {span_text(lo, hi)}"
    if hi + 1 - lo == DAY:
        return f"on {fmt_instant(lo)}"
    a = _dt.date.fromordinal(lo // DAY)
    edtf = edtf_of(lo, hi)
    if len(edtf) == 7:                      # a whole month
        return f"in {a.strftime('%B')} {a.year}"
    if len(edtf) == 4:                      # a whole year
        return f"in {a.year}"
    return f"from {fmt_instant(lo)} to {fmt_instant(hi, end=True)}"


def _stab(entries: list[_Entry]) -> list[list]:
    """The fewest groups whose members all share a day: ``[lo, hi, members]`` each,
    lo..hi the shared window (greedy by start day, which is optimal for intervals)."""
    groups: list[list] = []
    for e in sorted(entries, key=lambda e: (e.lo, e.hi, e.order)):
        if groups and e.lo <= groups[-1][1]:
            g = groups[-1]
            g[0] = max(g[0], e.lo)
            g[1] = min(g[1], e.hi)
            g[2].append(e)
        else:
            groups.append([e.lo, e.hi, [e]])
    return groups


def _group_in_time(entries: list[_Entry], max_days: int, relevant, vague: bool = True) -> list[list]:
    """Short claims by shared days; long universal claims join every short group they
    overlap (where `relevant`); the other long claims group among themselves, except,
    unless `vague`, long claims of some moment only (too vague to dispute a day)."""
    short = [e for e in entries if _bounded(e.lo, e.hi) and e.hi - e.lo + 1 <= max_days * DAY]
    long_ = [e for e in entries if not (_bounded(e.lo, e.hi) and e.hi - e.lo + 1 <= max_days * DAY)]
    groups = _stab(short)
    left: list[_Entry] = []
    for e in long_:
        joined = False
        if e.universal:
            for g in groups:
                if e.lo <= g[1] and g[0] <= e.hi and relevant(e, g[2]):
                    g[2].append(e)
                    joined = True
        if not joined and (vague or e.universal):
            left.append(e)
    return groups + _stab(left)


def _anchored(entries: list[_Entry], max_days: int, relevant) -> list[list]:
    """Where-groups: claims that speak of every day of a period (stays throughout,
    denials) group by shared days; a claim of some moment joins every such group it
    overlaps; claims of some moment that join none group only with the same day's."""
    def short(e: _Entry) -> bool:
        return _bounded(e.lo, e.hi) and e.hi - e.lo + 1 <= max_days * DAY

    groups = _stab([e for e in entries if e.universal and short(e)])
    left: list[_Entry] = []
    for e in entries:
        if e.universal and not short(e):
            hit = [g for g in groups if e.lo <= g[1] and g[0] <= e.hi]
            for g in hit:
                g[2].append(e)
            if not hit:
                left.append(e)
    groups += _stab(left)
    lone: list[_Entry] = []
    for e in entries:
        if e.universal or not short(e):
            continue
        hit = [g for g in groups if e.lo <= g[1] and g[0] <= e.hi]
        for g in hit:
            g[2].append(e)
        if not hit and e.hi - e.lo + 1 <= DAY:
            lone.append(e)
    groups += _stab(lone)
    out = []
    for lo, hi, members in groups:
        kept = [e for e in members if short(e) or not e.denial or relevant(e, members)]
        out.append([lo, hi, kept])
    return out


def _pick(entries: list[_Entry]) -> dict[str, _Entry]:
    """One entry per source: an assertion over a denial, then the narrowest, then the
    most specific place, then the first in the case."""
    best: dict[str, _Entry] = {}
    for e in entries:
        src = e.claim.source
        cur = best.get(src)
        key = (e.denial, e.width, -e.depth, e.order)
        if cur is None or key < (cur.denial, cur.width, -cur.depth, cur.order):
            best[src] = e
    return best


def _depth(case, place: str | None) -> int:
    if not place:
        return 0
    try:
        return len(case.places.ancestors(place))
    except Exception:  # noqa: BLE001 - a place the index does not know
        return 0


def _compatible(case, a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        return case.places.compatible(a, b)
    except Exception:  # noqa: BLE001
        return False


def _participants(people) -> str:
    return " + ".join(sorted(dict.fromkeys(people)))


def _build(case, max_days: int = MAX_DAYS) -> tuple[list[Item], dict[str, tuple[int, int]], dict[str, frozenset]]:
    """The items of a case, the date values (value -> days) and the participant values."""
    label = case.label
    dates: dict[str, tuple[int, int]] = {}
    groups: dict[str, frozenset] = {}
    items: list[Item] = []
    names: set[str] = set()

    def unique(name: str) -> str:
        out, k = name, 2
        while out in names:
            out, k = f"{name} ({k})", k + 1
        names.add(out)
        return out

    def relevant_place(e: _Entry, members: list[_Entry]) -> bool:
        if not e.denial:
            return True
        denied = e.value[len(NOT):]
        return any(not m.denial and _compatible(case, m.value, denied) for m in members)

    def relevant_value(e: _Entry, members: list[_Entry]) -> bool:
        if not e.denial:
            return True
        denied = e.value[len(NOT):]
        return any(not m.denial and (m.value == denied or _compatible(case, m.value, denied)) for m in members)

    # -- events ----------------------------------------------------------------------
    by_event: dict[str, list[tuple[int, object]]] = defaultdict(list)
    for k, c in enumerate(case.claims):
        if c.event and c.kind in ("presence", "meeting", "travel", "message"):
            by_event[c.event].append((k, c))
    event_items: list[Item] = []
    for ev, lst in by_event.items():
        place_e: list[_Entry] = []
        date_e: list[_Entry] = []
        who_e: list[_Entry] = []
        for k, c in lst:
            lo, hi = _bounds(c.when)
            place = c.where if c.kind in ("presence", "meeting") else (
                (c.destination or c.origin) if c.kind == "travel" else None)
            if place:
                value = (NOT + place) if c.denies else place
                place_e.append(_Entry(c, k, value, lo, hi, True, _depth(case, place)))
            if c.denies:
                continue
            if c.when is not None:
                dates.setdefault(c.when.edtf, (lo, hi))
                date_e.append(_Entry(c, k, c.when.edtf, lo, hi, False))
            if c.people:
                v = _participants(c.people)
                groups.setdefault(v, frozenset(c.people))
                who_e.append(_Entry(c, k, v, lo, hi, False, len(set(c.people))))
        for kind, what, entries in (("event-place", "place", place_e), ("event-date", "date", date_e),
                                    ("event-participants", "participants", who_e)):
            chosen = _pick(entries)
            if len(chosen) < 2:
                continue
            if kind != "event-place" and len({e.value for e in chosen.values()}) < 2:
                continue        # agreement on a facet is already counted by the place
            item = Item(unique(f"{ev}: {what}"), kind, ev, None,
                        {s: (e.value, e.claim.id) for s, e in chosen.items()})
            event_items.append(item)
    event_sigs = {frozenset((s, v) for s, (v, _c) in it.votes.items()) for it in event_items
                  if it.kind == "event-place"}

    # -- where was a person ------------------------------------------------------------
    stays: dict[str, list[_Entry]] = defaultdict(list)
    meetings: dict[frozenset, list[_Entry]] = defaultdict(list)
    for k, c in enumerate(case.claims):
        lo, hi = _bounds(c.when)
        if c.kind == "presence" and c.where and c.people:
            value = (NOT + c.where) if c.denies else c.where
            stays[c.people[0]].append(_Entry(c, k, value, lo, hi, c.denies or c.throughout,
                                             _depth(case, c.where)))
        elif c.kind == "meeting" and c.where and c.people:
            if not c.denies:
                for p in dict.fromkeys(c.people):
                    stays[p].append(_Entry(c, k, c.where, lo, hi, c.throughout, _depth(case, c.where)))
            if not c.event and len(set(c.people)) > 1:
                value = (NOT + c.where) if c.denies else c.where
                meetings[frozenset(c.people)].append(_Entry(c, k, value, lo, hi, c.denies or c.throughout,
                                                            _depth(case, c.where)))
        elif c.kind == "travel" and not c.denies and c.people and (c.destination or c.origin):
            place = c.destination or c.origin
            stays[c.people[0]].append(_Entry(c, k, place, lo, hi, False, _depth(case, place)))
    where_items: list[Item] = []
    for person, entries in stays.items():
        for lo, hi, members in _anchored(entries, max_days, relevant_place):
            chosen = _pick(members)
            if len(chosen) < 2:
                continue
            votes = {s: (e.value, e.claim.id) for s, e in chosen.items()}
            if frozenset((s, v) for s, (v, _c) in votes.items()) in event_sigs:
                continue
            where_items.append(Item(unique(f"where was {label(person)} {period_text(lo, hi)}"), "where",
                                    person, edtf_of(lo, hi), votes))
    # meetings without an `event`: the same people, overlapping dates
    for people, entries in meetings.items():
        who = " and ".join(label(p) for p in sorted(people, key=lambda p: label(p)))
        for lo, hi, members in _group_in_time(entries, max_days, relevant_place, vague=False):
            chosen = _pick(members)
            if len(chosen) < 2:
                continue
            event_items.append(Item(unique(f"where did {who} meet {period_text(lo, hi)}"), "meeting",
                                    _participants(people), edtf_of(lo, hi),
                                    {s: (e.value, e.claim.id) for s, e in chosen.items()}))

    # -- accusations and existence -------------------------------------------------------
    charges: dict[str, list[_Entry]] = defaultdict(list)
    exists: dict[str, list[_Entry]] = defaultdict(list)
    for k, c in enumerate(case.claims):
        lo, hi = _bounds(c.when)
        if c.kind == "accusation" and c.people and c.serving:
            charges[c.people[0]].append(_Entry(c, k, (NOT + c.serving) if c.denies else c.serving, lo, hi, True))
        elif c.kind == "existed" and c.people:
            exists[c.people[0]].append(_Entry(c, k, "no" if c.denies else "yes", lo, hi, True))
    other_items: list[Item] = []
    for accused, entries in charges.items():
        for lo, hi, members in _group_in_time(entries, max_days, relevant_value):
            chosen = _pick(members)
            if len(chosen) >= 2:
                other_items.append(Item(unique(f"whom did {label(accused)} serve {period_text(lo, hi)}"),
                                        "serving", accused, edtf_of(lo, hi),
                                        {s: (e.value, e.claim.id) for s, e in chosen.items()}))
    for ent, entries in exists.items():
        for lo, hi, members in _group_in_time(entries, max_days, lambda e, m: True):
            chosen = _pick(members)
            if len(chosen) >= 2:
                other_items.append(Item(unique(f"did {label(ent)} exist {period_text(lo, hi)}"),
                                        "existed", ent, edtf_of(lo, hi),
                                        {s: (e.value, e.claim.id) for s, e in chosen.items()}))

    items = where_items + event_items + other_items
    return items, dates, groups


def case_item_list(case, max_days: int = MAX_DAYS) -> list[Item]:
    """The disputed (or corroborated) facts of a case, as `Item`s."""
    return _build(case, max_days)[0]


def case_items(case, max_days: int = MAX_DAYS) -> list[tuple[str, str, str]]:
    """The claims of a case as truth-discovery claims ``(source, item, value)``.

    Only items that two or more sources speak to; see the module doc for the items.
    """
    return [t for it in case_item_list(case, max_days) for t in it.triples()]


# ------------------------------------------------------------------------ similarity

class CaseSimilarity:
    """How far one value of a case's item supports another (see the module doc).

    ``partial``: how much a coarser place (or date) supports one inside it, per level;
    ``denial``: how much ``not Q`` and a place where Q cannot be support each other.
    """

    name = "case"
    trivial = False

    def __init__(self, case, dates: Mapping[str, tuple[int, int]] | None = None,
                 groups: Mapping[str, frozenset] | None = None, partial: float = 0.5, denial: float = 0.5,
                 implies: float = 1.0):
        parents: dict[str, str] = {}
        for eid, e in case.entities.items():
            if e.type in ("place", "power"):
                try:
                    anc = case.places.ancestors(eid)
                except Exception:  # noqa: BLE001
                    anc = []
                if anc:
                    parents[eid] = anc[0]
        self.places = Places(parents, partial=partial)
        self.case = case
        self.partial = partial
        self.denial = denial
        self.implies = implies
        self.dates = dict(dates or {})
        self.groups = dict(groups or {})

    def compatible(self, a: str, b: str) -> bool:
        return _compatible(self.case, a, b)

    def __call__(self, claimed: str, other: str) -> float:
        if claimed == other:
            return 1.0
        if claimed in self.dates and other in self.dates:
            (a0, a1), (b0, b1) = self.dates[claimed], self.dates[other]
            return self.partial if a0 <= b0 and b1 <= a1 else 0.0
        if claimed in self.groups and other in self.groups:
            a, b = self.groups[claimed], self.groups[other]
            return len(a) / len(b) if a < b else 0.0
        neg_c, neg_o = claimed.startswith(NOT), other.startswith(NOT)
        a = claimed[len(NOT):] if neg_c else claimed
        b = other[len(NOT):] if neg_o else other
        if neg_c and neg_o:                  # "not Q" implies "not R" for R inside Q
            return self.partial if self.places.contains(a, b) else 0.0
        if neg_c:                            # "not Q" is right, vaguely, wherever Q cannot be
            return 0.0 if self.compatible(a, b) else self.denial
        if neg_o:                            # a place where Q cannot be says "not Q" outright
            return 0.0 if self.compatible(a, b) else self.implies
        return self.places(a, b)

    def __repr__(self) -> str:
        return f"CaseSimilarity(partial={self.partial}, denial={self.denial})"


# ---------------------------------------------------------------------- known copying

def known_copying(case, threshold: float = 0.5) -> list[tuple[str, str, float]]:
    """Pairs of the case's sources that the case store's reuse edges join with a score
    of at least `threshold`, as ``(copier, original, score)`` (the later said first when
    the edge or the sources' dates tell; the best score per pair); [] without a store.

    An edge joins two sources, or two claims (statements that share a formula: ``belie
    reuse`` on a case), which stand for their sources; a source repeating itself is
    not copying."""
    root = getattr(case, "root", None)
    if root is None:
        return []
    try:
        from belie.store.db import CaseStore, store_path

        if not store_path(root).is_file():
            return []
        with CaseStore.open(root, create=False) as store:
            edges = store.reuse_edges()
    except Exception:  # noqa: BLE001 - a store that cannot be read gives no known copying
        return []

    def source_of(x, data: dict, side: str):
        if x in case.sources:
            return x
        s = data.get(f"{side}_source")
        if s in case.sources:
            return s
        c = case.claim_by_id.get(x)
        return c.source if c is not None else None

    prior = {sid: case.settings.weight(s.kind) for sid, s in case.sources.items()}
    best: dict[frozenset, tuple[str, str, float]] = {}
    for e in edges:
        data = e.get("data") if isinstance(e.get("data"), dict) else {}
        a, b = source_of(e.get("a"), data, "a"), source_of(e.get("b"), data, "b")
        score = float(e.get("score") or 0.0)
        if a is None or b is None or a == b or score < threshold:
            continue
        if str(data.get("direction", "")).startswith("earlier"):
            copier, original = b, a
        else:
            copier, original = sorted((a, b), key=lambda s: _said_key(case, s, prior), reverse=True)
        key = frozenset((a, b))
        if key not in best or best[key][2] < score:
            best[key] = (copier, original, score)
    return sorted(best.values(), key=lambda x: (-x[2], x[0], x[1]))


def _said_key(case, sid: str, prior: Mapping[str, float]):
    s = case.sources.get(sid)
    said = s.said.lo if s is not None and s.said is not None else OPEN_END
    return (said, -prior.get(sid, 0.5), sid)


MERGE = ("speaker", "voice", "reuse")


def one_voice_groups(case, known: list[tuple[str, str, float]] = (), merge=MERGE,
                     threshold: float = 0.5) -> list[tuple[list[str], str]]:
    """Groups of sources that are not independent witnesses, with why:
    ``"speaker <id>"`` (sources of one speaker), ``"voice <id>"`` (sources that speak
    for one power) and ``"text reuse"`` (sources joined, directly or through others,
    by `known` reuse pairs scoring at least `threshold`)."""
    parent: dict[str, str] = {}
    why: dict[str, list[str]] = defaultdict(list)

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(members: list[str], reason: str) -> None:
        if len(members) < 2:
            return
        r0 = find(members[0])
        for m in members[1:]:
            r = find(m)
            if r != r0:
                parent[r] = r0
        why[members[0]].append(reason)

    for attr in ("speaker", "voice"):
        if attr not in merge:
            continue
        by: dict[str, list[str]] = defaultdict(list)
        for sid, src in case.sources.items():
            v = getattr(src, attr, None)
            if v:
                by[v].append(sid)
        for v, members in by.items():
            join(members, f"{attr} {v}")
    if "reuse" in merge and known:
        for a, b, score in known:               # connected components, as `belie reuse` draws them
            if score >= threshold:
                join([a, b], "text reuse")
    groups: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        groups[find(x)].append(x)
    position = {sid: k for k, sid in enumerate(case.sources)}
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members = sorted(members, key=lambda s: position.get(s, 0))
        reasons = list(dict.fromkeys(r for m in members for r in why.get(m, ())))
        out.append((members, "; ".join(reasons)))
    return out


def _merge(case, items: list[Item], groups: list[list[str]], prior) -> dict[tuple[str, str], str]:
    """Set aside the repeated votes within each group: ``{(source, item): kept source}``."""
    if not groups:
        return {}
    group_of = {s: k for k, g in enumerate(groups) for s in g}
    aside: dict[tuple[str, str], str] = {}
    for it in items:
        by: dict[tuple[int, str], list[str]] = defaultdict(list)
        for s, (v, _c) in it.votes.items():
            if s in group_of:
                by[(group_of[s], v)].append(s)
        for members in by.values():
            if len(members) < 2:
                continue
            members.sort(key=lambda s: _said_key(case, s, prior))
            for s in members[1:]:
                aside[(s, it.name)] = members[0]
    return aside


# -------------------------------------------------------------------------- result

@dataclass
class Reliability:
    """What truth discovery concluded about a case.

    ``items``       the disputed facts (`Item`, with ``truth`` and ``confidence``);
    ``truths``      item name -> the value believed;
    ``confidence``  item name -> 0..1;
    ``accuracy``    source id -> estimated share of its claims (in the items) that are
                    right; only sources that speak to some item;
    ``copying``     ``(copier, original, probability)``: found by the engine from shared
                    false values, or known from text reuse (`evidence`);
    ``evidence``    ``{(a, b): "claims" | "text reuse"}`` for each pair of `copying`;
    ``clusters``    groups of sources that copy one another;
    ``speakers``    speaker (the source's ``speaker``, else the source id) -> accuracy;
    ``rows``        the table of sources that speak to some item, most accurate
                    first: ``{source, kind, speaker, claims, corroborated, accuracy,
                    weight}`` (``claims``: disputed items it speaks to;
                    ``corroborated``: items where all agree; ``accuracy`` None when it
                    speaks to no disputed item; ``weight``: its kind's weight);
    ``set_aside``   source -> how many of its claims were merged into the vote of
                    another source of its group (``voices``);
    ``voices``      ``(sources, why)``: the groups counted as one voice (one speaker,
                    one ``voice``, or text reuse), see `one_voice_groups`.
    """

    method: str
    items: list[Item] = field(default_factory=list)
    truths: dict[str, str] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    accuracy: dict[str, float] = field(default_factory=dict)
    copying: list[tuple[str, str, float]] = field(default_factory=list)
    evidence: dict[tuple[str, str], str] = field(default_factory=dict)
    clusters: list[list[str]] = field(default_factory=list)
    speakers: dict[str, float] = field(default_factory=dict)
    rows: list[dict] = field(default_factory=list)
    set_aside: dict[str, int] = field(default_factory=dict)
    voices: list[tuple[list[str], str]] = field(default_factory=list)
    prior: dict[str, float] = field(default_factory=dict)
    similarity: object = None

    def credit(self, item: Item, value: str) -> float:
        """How right `value` is about `item` if its believed value is true: 1 for that
        value, partly for a coarser place or date, a denial of somewhere else or a place
        that excludes a denied one (`CaseSimilarity`), else 0."""
        if item.truth is None:
            return 0.0
        if value == item.truth:
            return 1.0
        return float(self.similarity(value, item.truth)) if self.similarity is not None else 0.0

    def item(self, name: str) -> Item | None:
        for it in self.items:
            if it.name == name:
                return it
        return None

    def to_json(self, digits: int = 4) -> dict:
        """The ``belie sources --format json`` object."""
        r = lambda x: None if x is None else round(float(x), digits)  # noqa: E731
        return {
            "method": self.method,
            "sources": {row["source"]: {"kind": row["kind"], "speaker": row["speaker"], "claims": row["claims"],
                                        "corroborated": row["corroborated"], "accuracy": r(row["accuracy"]),
                                        "weight": r(row["weight"])}
                        for row in self.rows},
            "speakers": {s: r(a) for s, a in self.speakers.items()},
            "items": [{"item": it.name, "kind": it.kind, "subject": it.subject, "period": it.period,
                       "value": it.truth, "confidence": r(it.confidence),
                       "disputed": it.confidence is not None,
                       "said": [{"source": s, "value": v, "claim": c, "agrees": v == it.truth,
                                 "credit": r(self.credit(it, v))}
                                for s, (v, c) in it.votes.items()]}
                      for it in self.items],
            "copying": [{"copier": a, "original": b, "probability": r(p),
                         "evidence": self.evidence.get((a, b), "claims")} for a, b, p in self.copying],
            "clusters": [list(g) for g in self.clusters],
        }

    def to_report(self) -> dict:
        """The shape the HTML report reads: ``{method, accuracy, copying, items, truths}``
        (``items``: how many facts were disputed)."""
        return {"method": self.method, "accuracy": dict(self.accuracy), "copying": list(self.copying),
                "items": sum(1 for it in self.items if it.confidence is not None),
                "truths": dict(self.truths)}


def case_reliability(case, method: str = "accucopy", *, max_days: int = MAX_DAYS,
                     merge=MERGE, reuse_threshold: float = 0.5, copy_threshold: float = 0.5,
                     **options) -> Reliability:
    """Truth discovery over the disputed facts of a case (module doc).

    ``method``: ``accucopy`` (default), ``majority``, ``truthfinder`` or
    ``pooled_investment``; the prior of each source is its kind's weight of evidence
    (``Settings.weight``); the similarity is `CaseSimilarity` over the case's places.
    ``merge``: which sources count as one voice (`MERGE`: one ``speaker``, one
    ``voice``, text ``reuse`` in the case store scoring at least ``reuse_threshold``);
    ``()`` counts every source on its own.  ``copy_threshold``: the least probability
    of dependence listed, and that joins a cluster.  Other keyword arguments go to
    `belie.sources.truth.discover` (e.g. ``detect=False``, ``n_false=3``).

    Items on which every source gives the same value (*corroborated*) are listed, with
    that value believed, but take no part in the estimate (``confidence`` None):
    agreement that no one disputes cannot tell an accurate source from a chorus.
    """
    from belie.sources.truth import _norm_method

    method = _norm_method(method)
    items, dates, groups = _build(case, max_days)
    prior = {sid: case.settings.weight(s.kind) for sid, s in case.sources.items()}
    out = Reliability(method=method, items=items, prior=prior)
    if not items:
        return out
    sim = CaseSimilarity(case, dates, groups)
    out.similarity = sim

    merge = tuple(merge or ())
    known = known_copying(case, reuse_threshold) if "reuse" in merge else []
    voices = one_voice_groups(case, known, merge, reuse_threshold)
    out.voices = voices
    aside = _merge(case, items, [g for g, _why in voices], prior)

    disputed = [it for it in items if len({v for v, _c in it.votes.values()}) > 1]
    triples = [(s, it.name, v) for it in disputed for s, (v, _c) in it.votes.items()
               if (s, it.name) not in aside]
    if method == "accucopy" and "report_threshold" not in options:
        options["report_threshold"] = copy_threshold
    res = discover(triples, method=method, similarity=sim, prior=prior, **options) if triples else None
    for it in items:
        if res is not None and it.name in res.truths:
            it.truth, it.confidence = res.truths[it.name], float(res.confidence[it.name])
        else:                                      # corroborated: the one value said
            it.truth, it.confidence = next(iter(it.votes.values()))[0], None
    out.truths = {it.name: it.truth for it in items}
    out.confidence = {it.name: it.confidence for it in items if it.confidence is not None}

    # accuracy, with the set-aside claims of one voice judged against the truths
    kept_n: dict[str, int] = defaultdict(int)
    extra: dict[str, list[float]] = defaultdict(list)
    for it in disputed:
        for s, (v, _c) in it.votes.items():
            if (s, it.name) in aside:
                extra[s].append(float(sim(v, it.truth)) if it.truth is not None else 0.0)
            else:
                kept_n[s] += 1
    accuracy = dict(res.accuracy) if res is not None else {}
    for s, credits in extra.items():
        n = kept_n.get(s, 0)
        if n and s in accuracy:
            accuracy[s] = (accuracy[s] * n + sum(credits)) / (n + len(credits))
        else:
            p = prior.get(s, 0.5)
            accuracy[s] = (p * _PRIOR_STRENGTH + sum(credits)) / (_PRIOR_STRENGTH + len(credits))
    out.accuracy = {s: float(min(1.0, max(0.0, a))) for s, a in accuracy.items()}
    out.set_aside = {s: len(c) for s, c in extra.items()}

    # copying: found, and known
    pairs: dict[frozenset, tuple[str, str, float, str]] = {}
    for a, b, p in (res.copying if res is not None else []):
        if p >= copy_threshold:
            pairs[frozenset((a, b))] = (a, b, float(p), "claims")
    for a, b, score in known:
        key = frozenset((a, b))
        if key not in pairs or pairs[key][2] < score:
            pairs[key] = (a, b, float(score), "text reuse")
    ordered = sorted(pairs.values(), key=lambda x: (-x[2], x[0], x[1]))
    out.copying = [(a, b, p) for a, b, p, _e in ordered]
    out.evidence = {(a, b): e for a, b, _p, e in ordered}
    out.clusters = copy_clusters(out.copying, copy_threshold)

    # the table, and the speakers
    n_items: dict[str, int] = defaultdict(int)
    n_disputed: dict[str, int] = defaultdict(int)
    for it in items:
        for s in it.votes:
            n_items[s] += 1
            if it.confidence is not None:
                n_disputed[s] += 1
    rows = []
    for s in case.sources:
        if s not in n_items:
            continue
        src = case.sources[s]
        rows.append({"source": s, "kind": src.kind, "speaker": src.speaker or s,
                     "claims": n_disputed.get(s, 0), "corroborated": n_items[s] - n_disputed.get(s, 0),
                     "accuracy": out.accuracy.get(s), "weight": case.settings.weight(src.kind)})
    rows.sort(key=lambda r: (r["accuracy"] is None, -(r["accuracy"] or 0.0), r["source"]))
    out.rows = rows
    tot: dict[str, float] = defaultdict(float)
    cnt: dict[str, int] = defaultdict(int)
    for r in rows:
        if r["accuracy"] is not None and r["claims"]:
            tot[r["speaker"]] += r["accuracy"] * r["claims"]
            cnt[r["speaker"]] += r["claims"]
    out.speakers = dict(sorted(((sp, tot[sp] / cnt[sp]) for sp in tot if cnt[sp]),
                               key=lambda kv: (-kv[1], kv[0])))
    return out


def value_label(case, value: str | None) -> str:
    """A value as a reader sees it: entity names for ids, ``not`` for denials."""
    if value is None:
        return "?"
    if value.startswith(NOT) and value[len(NOT):] in case.entities:
        return NOT + case.label(value[len(NOT):])
    if value in case.entities:
        return case.label(value)
    if " + " in value and all(p in case.entities for p in value.split(" + ")):
        return ", ".join(case.label(p) for p in value.split(" + "))
    return value

