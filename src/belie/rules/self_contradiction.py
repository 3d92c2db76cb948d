"""self-contradiction: a speaker's own claims that cannot all be true.

The speaker of a claim is its own ``speaker`` (a source that only reports what someone
else said), else its source's ``speaker``, else the source itself, so every text a person
gave (two interrogations, a statement, a letter) is read as one voice, and an allegation
that a text merely reports is not held against its author.
Two things are found:

* **a denial and an assertion** by one speaker: of one kind, naming the same people,
  at a place and date the denial covers (impossible), or that it covers only in part
  (strained, with the window where both can hold);
* **one person at two incompatible places** by the same speaker's word, where the
  times must overlap: a ``throughout`` stay and a claim dated wholly inside it, or two
  ``throughout`` stays that overlap (impossible); a claim that falls mostly inside
  such a stay, leaving less than half of its days outside (strained).

Pairs of claims that share an ``event`` id are left to ``conflicting-accounts``, which
reports them whoever made them and says when one speaker made both.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from typing import Iterator

from belie.model.claims import Claim
from belie.model.dates import DAY
from belie.rules.base import Context, Finding, Rule, Stay
from belie.rules.conflicting_accounts import (
    compare_denial, day, days, denial_pairs, describe, duration, n_days, pair_finding,
    pieces_outside, speaker_name, widest, window_of,
)

NAME = "self-contradiction"

#: A stay that leaves at most this share of another claim's days outside it strains it.
STRAINED_SHARE = 0.5


def _texts(ctx: Context, a: Claim, b: Claim) -> str:
    who = speaker_name(ctx, a)
    if a.source == b.source:
        return f"{who} says both, in {a.source}"
    srcs = ctx.case.sources
    said = []
    for c in (a, b):
        s = srcs.get(c.source)
        said.append(f"{c.source}" + (f", {s.said.text}" if s is not None and s.said is not None else ""))
    return f"{who} says both, in two texts ({'; '.join(said)})"


def _denials(ctx: Context) -> Iterator[Finding]:
    for d, a in denial_pairs(ctx):
        if ctx.speaker(d) != ctx.speaker(a):
            continue            # conflicting-accounts
        v = compare_denial(ctx, d, a, same_event=False)
        if v is None:
            continue
        v.title = ("A speaker denies what they assert" if v.severity == "impossible"
                   else "A speaker's denial leaves their own account only a narrow reading")
        yield pair_finding(ctx, NAME, d, a, v, f"{_texts(ctx, d, a)}: {v.reasons[0]}")


def _places(ctx: Context) -> Iterator[Finding]:
    by: dict[tuple[str, str], list[Stay]] = defaultdict(list)
    claims = ctx.claims
    for st in ctx.stays:
        by[(ctx.speaker(claims[st.claim]), st.person)].append(st)
    places = ctx.places
    seen: set[tuple[str, str]] = set()
    for (speaker, person), stays in by.items():
        if len(stays) < 2 or not any(st.throughout for st in stays):
            continue
        stays.sort(key=lambda st: (st.lo, st.hi))
        los = [st.lo for st in stays]
        for s in stays:
            if not s.throughout:
                continue
            # Every other stay that can clash with this one starts within it, or before
            # it by no more than its length (a claim mostly inside it); a stay that
            # starts earlier still is either itself `throughout` (and finds this one
            # from its own side) or lies mostly outside this stay.
            span = n_days(s.lo, s.hi)
            start = 0 if span is None else bisect_left(los, s.lo - span)
            for j in range(start, len(stays)):
                t = stays[j]
                if t.lo > s.hi:
                    break
                if t is s or t.hi < s.lo or s.claim == t.claim:
                    continue
                if t.throughout and (t.lo, t.hi, t.claim) < (s.lo, s.hi, s.claim):
                    continue        # the pair is judged from t's side
                ca, cb = claims[s.claim], claims[t.claim]
                if ca.event is not None and ca.event == cb.event:
                    continue
                if places.compatible(s.place, t.place):
                    continue
                key = (s.claim, t.claim) if s.claim < t.claim else (t.claim, s.claim)
                if key in seen:
                    continue
                f = _judge_places(ctx, s, t)
                if f is not None:
                    seen.add(key)
                    yield f


def _judge_places(ctx: Context, s: Stay, t: Stay) -> Finding | None:
    """Two stays of one person, overlapping, at incompatible places, one `throughout`."""
    claims, label = ctx.claims, ctx.case.label
    if s.throughout and t.throughout:
        lo, hi = max(s.lo, t.lo), min(s.hi, t.hi)
        sev, stay, other = "impossible", s, t
        how = (f"both are stays for their whole interval, and the two overlap in "
               f"{duration(n_days(lo, hi)) if n_days(lo, hi) else 'an open stretch'}, {day(lo)} .. {day(hi, end=True)}")
        window = None
        extra = {"overlap_days": days(n_days(lo, hi))}
    else:
        stay, other = (s, t) if s.throughout else (t, s)
        pieces = pieces_outside(other.lo, other.hi, [(stay.lo, stay.hi)])
        if not pieces:
            sev, window = "impossible", None
            how = f"the second date lies wholly within the stay"
            extra = {}
        else:
            total = n_days(other.lo, other.hi)
            free = sum(n_days(*p) or 0 for p in pieces)
            if total is None or free > STRAINED_SHARE * total:
                return None
            sev = "strained"
            window = window_of(*widest(pieces))
            whole = total % DAY == 0 and free % DAY == 0
            how = (f"{duration(total - free)} of the second date's {total // DAY if whole else duration(total)} "
                   f"lie within the stay; both hold only if it fell on "
                   + " or ".join(f"{day(p[0])} .. {day(p[1], end=True)}" for p in pieces))
            extra = {"days_inside": days(total - free), "days_outside": days(free),
                     "windows": [window_of(*p) for p in pieces]}
    a, b = claims[stay.claim], claims[other.claim]
    dist = ctx.places.min_distance_km(stay.place, other.place)
    far = f", at least {dist:,.0f} km apart" if dist else ""
    places = (f"{label(stay.place)} and {label(other.place)}" if other.role in ("presence", "meeting")
              else f"{label(stay.place)} and {'leaving' if other.role == 'departure' else 'arriving at'} "
                   f"{label(other.place)}")
    expl = (f"{_texts(ctx, a, b)}: {ctx.quote(a)}, a stay throughout {describe(a.when)}, and "
            f"{ctx.quote(b)}, {'a stay throughout' if other.throughout else 'at some moment of'} "
            f"{describe(b.when)}, put {label(stay.person)} at {places}{far}. {how[0].upper() + how[1:]}.")
    details = {"person": stay.person, "places": [stay.place, other.place],
               "distance_km": None if dist is None else round(dist, 1),
               "dates": {a.id: a.when.edtf, b.id: b.when.edtf}, **extra}
    title = ("A speaker puts one person in two places at once" if sev == "impossible"
             else "A speaker's own stay leaves another of their claims a narrow window")
    return ctx.finding(NAME, sev, [a.id, b.id], expl, title=title, window=window, details=details)


def _findings(ctx: Context) -> Iterator[Finding]:
    yield from _denials(ctx)
    yield from _places(ctx)


def check(ctx: Context) -> Iterator[Finding]:
    # belie.rules.check pauses the cyclic garbage collector for the whole run.
    return _findings(ctx)


RULE = Rule(
    name=NAME,
    title="Self-contradiction",
    summary="A speaker's own claims, across all their texts, that cannot all be true.",
    check=check,
)
