"""nonexistent: a claim that needs a place, person or organisation outside its lifetime.

A lifetime statement is either the entity's own ``lived`` (persons) / ``existed``
(places, organisations, powers) in the case file, or an ``existed`` claim — a source's
word.  Each says the entity existed *only within* its interval (read at its widest: the
earliest possible start to the latest possible end).  An ``existed`` claim with
``denies: true`` says the entity did *not* exist during its interval.

A claim needs each entity it names to exist at the moment it happened:

============  ===========================================================
presence      the person, and the place (``where``)
meeting       every participant, and the place
travel        the traveller, the place of departure and the destination
message       the sender and the recipient
accusation    the accused, and the power or organisation served (``during``)
============  ===========================================================

Only the place named in the claim counts, not the places it lies within: a meeting at
a hotel needs the hotel, not the city's charter.  Denied claims are skipped.

For a claim at *some moment* in its interval, the days on which it can be true are its
interval less every day some lifetime statement excludes.  None left: **impossible**;
some left: **strained**, and the window is the (longest) run of days left.  A claim
*throughout* an interval needs every day of it: a single excluded day makes it
**impossible**.  One finding per claim, naming every lifetime statement it runs into.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from belie.model.claims import Claim
from belie.model.dates import DAY, OPEN_END, OPEN_START, DateSpan, duration, in_days
from belie.rules.base import Context, Finding, Rule
from belie.rules.whereabouts import cite, day, days_text, n_days, plural, show, widest, window
from belie.util import paused_gc

NAME = "nonexistent"


@dataclass(frozen=True)
class Lifetime:
    """One statement of when an entity existed (or, denied, did not)."""

    entity: str
    lo: int
    hi: int
    span: DateSpan
    denies: bool = False
    claim: Claim | None = None       # None: the entity's own lived/existed in the case file
    key: str = "existed"             # "lived" | "existed"


def lifetimes(ctx: Context) -> dict[str, list[Lifetime]]:
    """Every lifetime statement, by entity id."""
    out: dict[str, list[Lifetime]] = defaultdict(list)
    for eid, e in ctx.case.entities.items():
        span = e.lifetime
        if span is not None and (span.lo > OPEN_START or span.hi < OPEN_END):
            out[eid].append(Lifetime(eid, span.lo, span.hi, span,
                                     key="lived" if e.type == "person" else "existed"))
    for c in ctx.of_kind("existed"):
        if c.kind == "existed" and c.people and c.when is not None:
            out[c.people[0]].append(Lifetime(c.people[0], c.when.lo, c.when.hi, c.when,
                                             denies=c.denies, claim=c))
    return dict(out)


def involved(c: Claim) -> list[tuple[str, str]]:
    """(entity id, its role in the claim) for every entity the claim needs to exist."""
    k = c.kind
    if k == "presence":
        return [(c.people[0], "the person"), (c.where, "the place")] if c.people else []
    if k == "meeting":
        return [(p, "a participant") for p in c.people] + [(c.where, "the meeting place")]
    if k == "travel":
        return [(c.people[0], "the traveller") if c.people else (None, ""),
                (c.origin, "the place of departure"), (c.destination, "the destination")]
    if k == "message":
        return [(p, r) for p, r in zip(c.people, ("the sender", "the recipient"))]
    if k == "accusation":
        return [(c.people[0] if c.people else None, "the accused"), (c.serving, "the power served")]
    return []


def _subtract(pieces: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, int]]:
    out = []
    for lo, hi in pieces:
        if b < lo or a > hi:
            out.append((lo, hi))
            continue
        if lo < a:
            out.append((lo, a - 1))
        if hi > b:
            out.append((b + 1, hi))
    return out


def _intersect(pieces: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, int]]:
    return [(max(lo, a), min(hi, b)) for lo, hi in pieces if max(lo, a) <= min(hi, b)]


def _ago(d: int) -> str:
    """How far a claim's bound lies from a lifetime's (``lo - hi`` in seconds): in days
    when both are whole days (a day after the last day is 1 day), else as a duration."""
    if (d - 1) % DAY:
        return duration(d - 1)
    n = (d - 1) // DAY + 1
    if n < 60:
        return plural(n, "day")
    if n < 730:
        return f"{n:,} days (about {round(n / 30.44):,} months)"
    return f"{n:,} days (about {round(n / 365.25):,} years)"


def _unit(d: int) -> str:
    return "moment" if (d - 1) % DAY else "day"


def _said_by(ctx: Context, lt: Lifetime) -> str:
    if lt.claim is None:
        return f"the case file: {lt.key} {show(lt.span)}"
    return f"{ctx.quote(lt.claim)}, read as {lt.span.edtf}: {lt.span.describe()}"


def label_of(ctx: Context, lt: Lifetime) -> str:
    return ctx.case.label(lt.entity)


def _reason(ctx: Context, lt: Lifetime, role: str, lo: int, hi: int) -> str:
    """One sentence: what the statement says and how far the claim falls outside it."""
    label = ctx.case.label(lt.entity)
    ent = ctx.case.entities.get(lt.entity)
    person = ent is not None and ent.type == "person"
    if lt.denies:
        return (f"{label} ({role}) did not exist during {show(lt.span)}, "
                f"according to {ctx.quote(lt.claim)}")
    verb = "lived" if person else "existed"
    if lt.lo <= OPEN_START:
        bounds = f"only until {day(lt.hi)}"
    elif lt.hi >= OPEN_END:
        bounds = f"only from {day(lt.lo)}"
    else:
        bounds = f"only from {day(lt.lo)} to {day(lt.hi)}"
    text = f"{label} ({role}) {verb} {bounds} ({_said_by(ctx, lt)})"
    if lo > lt.hi:
        gone = "died" if person else "ceased to exist"
        text += f"; the claim's earliest {_unit(lo - lt.hi)} is {_ago(lo - lt.hi)} after {label} {gone}"
    elif hi < lt.lo:
        came = "was born" if person else "came to exist"
        text += f"; the claim's latest {_unit(lt.lo - hi)} is {_ago(lt.lo - hi)} before {label} {came}"
    return text


def _judge(ctx: Context, c: Claim, stmts: list[tuple[str, str, list[Lifetime]]]) -> Finding | None:
    lo, hi = c.when.lo, c.when.hi
    left = [(lo, hi)]
    hits: list[tuple[Lifetime, str]] = []
    for eid, role, lts in stmts:
        for lt in lts:
            if lt.denies:
                if lt.lo <= hi and lo <= lt.hi:
                    left = _subtract(left, lt.lo, lt.hi)
                    hits.append((lt, role))
            elif lo < lt.lo or hi > lt.hi:
                left = _intersect(left, lt.lo, lt.hi)
                hits.append((lt, role))
    if not hits:
        return None
    total = n_days(lo, hi)                       # seconds
    n_left = None if any(n_days(*p) is None for p in left) else sum(n_days(*p) for p in left)
    whole = total is not None and total % DAY == 0 and (n_left is None or n_left % DAY == 0)
    how = "throughout" if c.throughout else "at some moment in"
    by_entity: dict[str, list[tuple[Lifetime, str]]] = {}
    for lt, role in hits:
        by_entity.setdefault(lt.entity, []).append((lt, role))
    reasons = []
    for group in by_entity.values():
        (lt0, role0), rest = group[0], group[1:]
        text = _reason(ctx, lt0, role0, lo, hi)
        if rest:
            text += "; also " + "; ".join(
                (f"{label_of(ctx, lt)} did not exist during {show(lt.span)}, according to {ctx.quote(lt.claim)}"
                 if lt.denies else _said_by(ctx, lt)) for lt, _ in rest)
        reasons.append(text)
    head = f"{cite(ctx, c.id)} is dated {how} {show(c.when)}. But " + "; and ".join(reasons) + "."
    details = {"entities": sorted({lt.entity for lt, _ in hits}),
               "lifetimes": [{"entity": lt.entity, "edtf": lt.span.edtf, "from": day(lt.lo), "to": day(lt.hi),
                              "denies": lt.denies, "claim": lt.claim.id if lt.claim else None}
                             for lt, _ in hits],
               "claim_interval": window(lo, hi), "claim_days": in_days(total), "days_possible": in_days(n_left)}
    ids = [c.id] + [lt.claim.id for lt, _ in hits if lt.claim is not None]
    ids = list(dict.fromkeys(ids))
    if not left:
        return ctx.finding(NAME, "impossible", ids,
                           f"{head} No {'day' if whole else 'moment'} of the claim is left"
                           f"{' within that lifetime' if len(hits) == 1 else ''}, "
                           "so it cannot be true.",
                           title="Nonexistent place or party", details=details)
    if c.throughout:
        out = _subtract([(lo, hi)], *left[0]) if len(left) == 1 else None
        miss = f" ({', '.join(days_text(*p) for p in out)})" if out else ""
        return ctx.finding(NAME, "impossible", ids,
                           f"{head} The claim asserts every {'day' if whole else 'moment'} of its interval, and "
                           f"{'some fall' if total is None or n_left is None else duration(total - n_left) + ' fall'}"
                           f" outside{miss}, so it cannot be true.",
                           title="Nonexistent place or party", details=details)
    w = widest(left)
    if n_left is not None and total:
        share = (f"{plural(n_left // DAY, 'day')} of its {total // DAY:,}" if whole
                 else f"{duration(n_left)} of its {duration(total)}")
    else:
        share = "part of its interval"
    return ctx.finding(NAME, "strained", ids,
                       f"{head} It can be true only if it happened on "
                       f"{' or '.join(days_text(*p) for p in left)} ({share}).",
                       title="Nonexistent place or party", window=window(*w), details=details)


_KINDS = frozenset({"presence", "meeting", "travel", "message", "accusation"})


def check(ctx: Context):
    lts = lifetimes(ctx)
    if not lts:
        return
    has = lts.__contains__
    with paused_gc():     # many findings, no cyclic garbage
        out = []
        for c in ctx.case.claims:
            if c.denies or c.when is None or c.kind not in _KINDS:
                continue
            if not (has(c.where) or has(c.origin) or has(c.destination) or has(c.serving)
                    or any(map(has, c.people))):
                continue
            stmts = [(eid, role, lts[eid]) for eid, role in involved(c) if eid is not None and has(eid)]
            f = _judge(ctx, c, stmts)
            if f is not None:
                out.append(f)
    yield from out


RULE = Rule(
    name=NAME,
    title="Nonexistent place or party",
    summary="A presence, meeting, travel, message or accusation that needs a place, person or "
            "organisation outside the interval in which it lived or existed.",
    check=check,
)
