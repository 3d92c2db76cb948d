"""What every rule shares: the Finding it gives, the Rule it is, and the Context it reads.

A rule is one module in ``belie.rules`` that defines ``RULE = Rule(...)``.  Its check
function takes a `Context` (the case plus indexes built once for all rules) and yields
`Finding`s.  Rules know nothing of output: the CLI and the report render findings.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, NamedTuple

from belie.model.case import Case
from belie.model.claims import Claim
from belie.model.dates import DateSpan
from belie.model.schema import ONE_PLACE_TYPES
from belie.util import paused_gc

SEVERITIES = ("impossible", "strained", "note")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass
class Finding:
    """One thing that cannot all be true (or strains belief, or is worth a note).

    ``claims`` and ``sources`` are ids; ``explanation`` states the reasoning in
    sentences with the computed dates and distances; ``window`` is the EDTF interval in
    which the claims could still all be true, when there is one; ``details`` keeps the
    computed figures (distance_km, gap_days, speeds...) for machine readers.
    """

    rule: str
    severity: str
    claims: list[str]
    sources: list[str]
    explanation: str
    title: str = ""
    window: str | None = None
    details: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    @property
    def key(self) -> tuple:
        return (self.rule, tuple(sorted(self.claims)))

    def to_dict(self) -> dict:
        # What dataclasses.asdict gives (a deep copy), four times faster on the plain values
        # findings hold: a large case gives tens of thousands of findings.
        d = {"rule": self.rule, "severity": self.severity, "claims": _plain(self.claims),
             "sources": _plain(self.sources), "explanation": self.explanation, "title": self.title,
             "window": self.window, "details": _plain(self.details)}
        if d["window"] is None:
            del d["window"]
        return d


_ATOMS = (str, int, float, bool, type(None))


def _plain(v):
    """A deep copy of *v* as `dataclasses.asdict` makes it (dataclasses become dicts)."""
    t = type(v)
    if t in _ATOMS:
        return v
    if t is dict:
        return {_plain(k): _plain(x) for k, x in v.items()}
    if t is list:
        return [_plain(x) for x in v]
    if t is tuple:
        return tuple(_plain(x) for x in v)
    from dataclasses import _asdict_inner          # anything else exactly as asdict treats it

    return _asdict_inner(v, dict)


@dataclass(frozen=True)
class Rule:
    name: str                 # kebab-case id shown in findings, e.g. "impossible-travel"
    title: str                # a short English name
    summary: str              # one sentence: what it finds
    check: Callable[["Context"], Iterable[Finding]]


class Stay(NamedTuple):
    """A person at a place at some moment (or throughout) an interval, implied by a claim.

    A presence claim gives one stay; a meeting gives one per participant; a travel gives
    one at its departure and one at its arrival (both within the travel's date).
    A named tuple: a large case makes millions of them, and a tuple is made four times
    faster than a frozen dataclass and takes a third of its memory.
    """

    person: str
    place: str
    lo: int
    hi: int
    throughout: bool
    claim: str
    role: str        # "presence" | "meeting" | "departure" | "arrival"
    when: DateSpan


class Context:
    """The case, with indexes that several rules need, built lazily and once."""

    def __init__(self, case: Case):
        self.case = case
        self.settings = case.settings
        self._source_speaker: dict[str, str] = {}

    @cached_property
    def places(self):
        return self.case.places

    @cached_property
    def claims(self) -> dict[str, Claim]:
        return self.case.claim_by_id

    @cached_property
    def movers(self) -> frozenset[str]:
        """The entities in one place at a time (persons and objects: the schema's
        ``one_place_types``): the whereabouts rules judge them alike."""
        return frozenset(eid for eid, e in self.case.entities.items() if e.type in ONE_PLACE_TYPES)

    @cached_property
    def speed_caps(self) -> dict[str, float]:
        """Entity id -> the fastest it can move (km/h), for the things whose `speed` is given."""
        return {eid: e.speed for eid, e in self.case.entities.items() if getattr(e, "speed", None)}

    def speed_cap(self, eid: str | None) -> float | None:
        """The fastest *eid* can move, by any means (km/h), or None when only the era limits it."""
        return self.speed_caps.get(eid) if eid is not None else None

    @cached_property
    def stays(self) -> list[Stay]:
        """Every dated, asserted whereabouts of a person or object, from presence, meeting and travel.

        Each participant of a meeting who is in one place at a time (a person, an object)
        is placed there; an organisation that takes part is not (it can be in many places).
        """
        self._scan()
        return self.__dict__["stays"]

    @cached_property
    def by_kind(self) -> dict[str, list[Claim]]:
        """The case's claims by kind, each list in the case's order."""
        self._scan()
        return self.__dict__["by_kind"]

    @cached_property
    def with_event(self) -> list[Claim]:
        """The claims that carry an ``event`` id, in the case's order."""
        self._scan()
        return self.__dict__["with_event"]

    @cached_property
    def denials(self) -> list[Claim]:
        """The claims that deny (``denies: true``), in the case's order."""
        self._scan()
        return self.__dict__["denials"]

    def _scan(self) -> None:
        """One pass over the claims that builds ``stays``, ``by_kind``, ``with_event`` and ``denials``:
        on a large case a pass costs more in reading the claims from memory than in what
        is done with them, so the rules share this one instead of each making its own."""
        d = self.__dict__
        if all(k in d for k in ("stays", "by_kind", "with_event", "denials")):
            return
        out: list[Stay] = []
        add = out.append
        by_kind: dict[str, list[Claim]] = {}
        with_event: list[Claim] = []
        denials: list[Claim] = []
        persons = self.movers
        with paused_gc():
            for c in self.case.claims:
                kind = c.kind
                lst = by_kind.get(kind)
                if lst is None:
                    lst = by_kind[kind] = []
                lst.append(c)
                if c.event is not None:
                    with_event.append(c)
                if c.denies:
                    denials.append(c)
                    continue
                w = c.when
                if w is None:
                    continue
                if kind == "presence":
                    if c.where and c.people:
                        add(Stay(c.people[0], c.where, w.lo, w.hi, c.throughout, c.id, "presence", w))
                elif kind == "meeting":
                    if c.where:
                        for p in c.people:
                            if p in persons:
                                add(Stay(p, c.where, w.lo, w.hi, c.throughout, c.id, "meeting", w))
                elif kind == "travel" and c.people:
                    if c.origin:
                        add(Stay(c.people[0], c.origin, w.lo, w.hi, False, c.id, "departure", w))
                    if c.destination:
                        add(Stay(c.people[0], c.destination, w.lo, w.hi, False, c.id, "arrival", w))
        d.setdefault("stays", out)
        d.setdefault("by_kind", by_kind)
        d.setdefault("with_event", with_event)
        d.setdefault("denials", denials)

    def of_kind(self, *kinds: str) -> list[Claim]:
        """The claims of one kind (in the case's order), or of several (kind by kind)."""
        if len(kinds) == 1:
            return self.by_kind.get(kinds[0], [])
        return [c for k in kinds for c in self.by_kind.get(k, ())]

    @cached_property
    def stays_by_person(self) -> dict[str, list[Stay]]:
        by: dict[str, list[Stay]] = defaultdict(list)
        for s in self.stays:
            by[s.person].append(s)
        for lst in by.values():
            lst.sort(key=lambda s: (s.lo, s.hi))
        return dict(by)

    def speaker(self, claim: Claim) -> str:
        """Who makes the claim (`Case.speaker`): its own ``speaker``, else its source's,
        memoised per source for the check (rules ask it millions of times on a large case)."""
        own = claim.speaker
        if own:
            return own
        memo = self._source_speaker
        got = memo.get(claim.source)
        if got is None:
            got = memo[claim.source] = self.case.speaker(claim)
        return got

    def source_ids(self, claim_ids: Iterable[str]) -> list[str]:
        seen: list[str] = []
        for cid in claim_ids:
            c = self.claims.get(cid)
            if c and c.source not in seen:
                seen.append(c.source)
        return seen

    def quote(self, claim: Claim) -> str:
        """How to cite a claim in an explanation: its quote, else its summary."""
        src = self.case.sources.get(claim.source)
        who = src.label if src else claim.source
        body = f"“{claim.quote}”" if claim.quote else claim.summary(self.case.label)
        return f"{body} ({who})"

    def finding(self, rule: str, severity: str, claims: list[str], explanation: str, **kw) -> Finding:
        return Finding(rule=rule, severity=severity, claims=list(claims),
                       sources=self.source_ids(claims), explanation=explanation, **kw)
