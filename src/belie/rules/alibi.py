"""alibi: one person at two incompatible places at times that must (or may) overlap.

Two stays of one person (presence, meeting participant, departure or arrival of a
travel; `Context.stays_by_person`) at places neither of which contains the other, whose
dates overlap:

* both *throughout* and sharing a day: **impossible**;
* a *throughout* stay covering every day of the other claim's *some moment*: **impossible**;
* a *throughout* stay covering part of it: the other claim can be true only on the days
  outside the stay, less the time needed to travel between the two places (rail, or the
  fastest means on the ground before railways).  No such day even at the fastest means of
  the era: **impossible**; days only at the fastest means: **strained**; days left, but at
  most a quarter of the claim's days (`NARROW_SHARE`): **strained**; more: **note**.  The
  window is the longest run of such days;
* two *some moment* claims: the dates leave at most the time from the start of the
  earliest day of one to the end of the latest day of the other; too short for the
  distance even at the fastest means of the era: **impossible**; only at a means faster
  than rail: **strained**.  Same day, a few km apart, is no finding.

A meeting with two or more participants is also judged whole (``joint_windows``): each
participant's stays throughout elsewhere take days out of its `when`, as above; no day left
to every participant (each still having some alone): **impossible**; none by rail but some
at a faster means: **strained**; fewer days than any participant had alone, at most
`NARROW_SHARE` of them: **strained**, the window being the days left to all.

Stays whose dates do not overlap are the business of ``impossible-travel``; a pair of
claims is reported by one of the two rules only (the more severe finding).  The pair
engine lives in :mod:`belie.rules.impossible_travel`.
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from operator import itemgetter

from belie.model.claims import Claim
from belie.model.dates import OPEN_START
from belie.model.places import EARTH_RADIUS_KM
from belie.rules.base import SEVERITY_RANK, Context, Finding, Rule, Stay, paused_gc
from belie.rules.impossible_travel import (
    ALIBI, NARROW_SHARE, Speeds, analyse, fastest_of, cite, days_text, era_year, hours, is_open, km, plural,
    show, speed, widest, window,
)

NAME = ALIBI


def _own_journey(ctx: Context, f: Finding) -> bool:
    """A journey set against a stay at one of its own ends, when only its dates narrow.

    Leaving Marseille for Saint-Palais on 24-25 July and staying at Saint-Palais from
    25 July only says the departure was on the 24th: the journey explains the two
    places, so it is no alibi.  (A journey wholly inside such a stay stays a finding:
    it is then impossible, not narrowed.)
    """
    if f.severity == "impossible" or len(f.claims) != 2:
        return False
    a, b = (ctx.claims.get(c) for c in f.claims)
    if a is None or b is None:
        return False
    if b.kind == "travel":
        a, b = b, a
    if a.kind != "travel" or b.kind == "travel" or not b.where:
        return False
    ends = [p for p in (a.origin, a.destination) if p]
    return any(ctx.places.compatible(b.where, p) for p in ends)


def check(ctx: Context):
    pairs = [f for f in analyse(ctx)[NAME] if not _own_journey(ctx, f)]
    joint = joint_windows(ctx)
    if joint:
        # A joint finding on the very claims of a pair's finding replaces it when more severe.
        rank = {f.key: SEVERITY_RANK[f.severity] for f in pairs}
        joint = [f for f in joint if SEVERITY_RANK[f.severity] < rank.get(f.key, len(SEVERITY_RANK))]
        over = {f.key for f in joint}
        if over & rank.keys():
            pairs = [f for f in pairs if f.key not in over]
    yield from pairs
    yield from joint


# ============================================================ the joint window of a meeting
#
# A meeting needs all its participants at its place on one day.  Each participant's stays
# *throughout* elsewhere (and the journey from them) take days out of the meeting's `when`,
# as in the pair judgement above (``pieces_outside``); the meeting can only have happened
# on a day left to every participant.  The pairs see one participant at a time; this sees
# them together.

#: A stay at most this many days long is found by bisecting its first day; longer stays
#: (few per person) are read one by one.
_SHORT = 64
_HALF_EARTH = math.pi * EARTH_RADIUS_KM


class _Thr:
    """One person's stays throughout, as (first day, last day, place, claim, stay) rows:
    the short ones sorted by first day, the long ones."""

    __slots__ = ("short", "los", "span", "long")

    def __init__(self, stays: list[Stay]):
        rows = [(s.lo, s.hi, s.place, s.claim, s) for s in stays]
        short = sorted((r for r in rows if r[1] - r[0] < _SHORT), key=itemgetter(0))
        self.short = short
        self.los = [r[0] for r in short]
        self.span = max((r[1] - r[0] for r in short), default=0)
        self.long = [r for r in rows if r[1] - r[0] >= _SHORT]

    def near(self, lo: int, hi: int) -> list[tuple]:
        """Rows that may reach [lo, hi]: every long one, the short ones starting in range."""
        i = bisect_left(self.los, lo - self.span)
        j = bisect_right(self.los, hi)
        return self.short[i:j] + self.long if self.long else self.short[i:j]


def _reach(t: float) -> int:
    """A stay throughout [a, b] takes out of a `when` elsewhere, ``t`` days of travel away,
    the days [a - k + 1, b + k - 1] with this k (the complement of ``pieces_outside``)."""
    return max(1, math.ceil(t))


def _left(c: int, d: int, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs of [c, d] outside every cut."""
    out, cur = [], c
    for lo, hi in sorted(cuts):
        if lo > cur:
            out.append((cur, min(lo - 1, d)))
        cur = max(cur, hi + 1)
        if cur > d:
            return out
    out.append((cur, d))
    return out


def _meet(x: list[tuple[int, int]], y: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The days in both lists of runs."""
    out, i, j = [], 0, 0
    while i < len(x) and j < len(y):
        lo, hi = max(x[i][0], y[j][0]), min(x[i][1], y[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if x[i][1] < y[j][1]:
            i += 1
        else:
            j += 1
    return out


def _count(runs: list[tuple[int, int]]) -> int:
    return sum(hi - lo + 1 for lo, hi in runs)


def _runs_text(runs: list[tuple[int, int]]) -> str:
    return " or ".join(days_text(*r) for r in runs) if runs else "no day"


class _Joint:
    """The joint windows of the case's meetings, judged one meeting at a time."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.sp = Speeds(ctx.settings)
        self.persons = ctx.movers
        raw: dict[str, list[Stay]] = {}
        for s in ctx.stays:
            if s.throughout:
                lst = raw.get(s.person)
                if lst is None:
                    raw[s.person] = [s]
                else:
                    lst.append(s)
        self.raw = raw
        self.index: dict[str, _Thr] = {}
        self.horizon: dict[int, int] = {}
        self.years: dict[int, int | None] = {}
        self.gaps: dict[tuple, tuple | bool] = {}

    def era(self, lo: int, hi: int, default: int) -> int:
        """``era_year``, memoised by day."""
        o = lo if lo > OPEN_START else hi
        y = self.years.get(o)
        if y is None:
            y = self.years[o] = era_year(lo, hi) or default
        return y

    def gap(self, a: str, b: str, year: int, cap: float | None = None) -> tuple | bool:
        """(k fastest, k reference, least km, speeds) from place a to b in `year` (for a
        thing no faster than `cap` km/h); False when one is within the other."""
        key = (a, b, year, cap)
        got = self.gaps.get(key)
        if got is not None:
            return got
        pl = self.ctx.places
        got = False
        if not pl.compatible(a, b):
            dmin = pl.min_distance_km(a, b)
            sv = self.sp.capped(cap).of_year(year)
            if dmin is not None and dmin > 0:
                got = (_reach(dmin / sv[1] / 24), _reach(dmin / sv[3] / 24), dmin, sv)
            else:
                got = (1, 1, dmin, sv)
        self.gaps[key] = got
        return got

    def thr(self, p: str) -> _Thr:
        got = self.index.get(p)
        if got is None:
            got = self.index[p] = _Thr(self.raw[p])
        return got

    def reach(self, year: int, cap: float | None = None) -> int:
        """Days beyond which no stay's journey can reach a `when` of `year` (half the
        earth at the slowest reference speed of that year or the one before, no faster
        than `cap`)."""
        got = self.horizon.get((year, cap))
        if got is None:
            sp = self.sp.capped(cap)
            rv = min(sp.of_year(year)[3], sp.of_year(year - 1)[3])
            got = self.horizon[(year, cap)] = math.ceil(_HALF_EARTH / (24 * rv)) + 1 if rv > 0 else 1
        return got

    def findings(self):
        raw = self.raw
        if len(raw) < 2:
            return
        for m in self.ctx.case.claims:
            if m.kind != "meeting":
                continue
            n = 0
            for p in m.people:                      # two participants with a stay throughout
                if p in raw:
                    n += 1
                    if n == 2:
                        break
            else:
                continue
            if m.denies or m.throughout or m.when is None or not m.where or is_open(m.when.lo, m.when.hi):
                continue
            f = self.judge(m)
            if f is not None:
                yield f

    def judge(self, m: Claim):
        ctx, c, d = self.ctx, m.when.lo, m.when.hi
        year = era_year(c, d)
        people = [p for p in dict.fromkeys(m.people) if p in self.persons]
        caps = {p: ctx.speed_cap(p) for p in people}
        H = max(self.reach(year, caps[p]) for p in people) if people else self.reach(year)
        cuts: dict[str, list[tuple]] = {}           # person -> (fast cut, ref cut, stay, dmin, speeds)
        where, mid, raw, early = m.where, m.id, self.raw, c - H
        gaps, years = self.gaps, self.years
        for p in people:
            if p not in raw:
                continue
            got = []
            for a, b, place, claim, s in self.thr(p).near(early, d + H):
                if b < early or claim == mid:
                    continue
                y = year if a > c else (years.get(a) or self.era(a, b, year))
                g = gaps.get((where, place, y, caps[p])) or self.gap(where, place, y, caps[p])
                if not g:
                    continue
                kf, kr = g[0] - 1, g[1] - 1
                if a - kr <= d and c <= b + kr:
                    if a - kf <= c and d <= b + kf:
                        return None                 # one stay leaves him no day: the pair says so
                    got.append(((a - kf, b + kf), (a - kr, b + kr), s, g[2], g[3]))
            if got:
                cuts[p] = got
        if len(cuts) < 2:
            return None                             # one participant's window is the pairs' business
        fast = {p: _left(c, d, [g[0] for g in cuts[p]]) for p in cuts}
        if not all(fast.values()):
            return None                             # a participant alone has no day: the pairs say so
        ref = {p: _left(c, d, [g[1] for g in cuts[p]]) for p in cuts}
        j_fast, j_ref = [(c, d)], [(c, d)]
        for p in cuts:
            j_fast, j_ref = _meet(j_fast, fast[p]), _meet(j_ref, ref[p])
        n_all = d - c + 1
        fm, fv, rm, rv = self.sp.of_year(year)
        if not j_fast:
            return self.finding(m, people, cuts, fast, 0, "impossible", None, j_fast, year,
                                f"No day fits all {len(people)}, even by {fm} at {speed(fv)}.")
        if not all(ref.values()):
            return None                             # a participant alone only by a faster means: the pairs
        if not j_ref:
            flew = [ctx.case.label(p) for p in cuts if _meet(j_fast, ref[p]) != j_fast]
            return self.finding(m, people, cuts, ref, 1, "strained", widest(j_fast), j_fast, year,
                                f"By {rm} no day fits all {len(people)}; by {fm} at {speed(fv)} only "
                                f"{_runs_text(j_fast)} ({plural(_count(j_fast), 'day')} of {n_all:,}) "
                                f"does: the meeting can be true only then, and only if "
                                f"{' and '.join(flew)} came by {fm}.")
        n_ok = _count(j_ref)
        if n_ok > NARROW_SHARE * n_all or n_ok >= min(_count(r) for r in ref.values()):
            return None
        return self.finding(m, people, cuts, ref, 1, "strained", widest(j_ref), j_ref, year,
                            f"The days left to all {len(people)} are only {_runs_text(j_ref)} "
                            f"({plural(n_ok, 'day')} of {n_all:,}): the meeting can be true only then.")

    def finding(self, m, people, cuts, left, which, sev, win, joint, year, verdict):
        ctx, c, d = self.ctx, m.when.lo, m.when.hi
        place = ctx.case.label(m.where)
        names = ", ".join(ctx.case.label(p) for p in people)
        fm, fv, rm, rv = self.sp.of_year(year)
        parts, ids, used = [], [m.id], {}
        for p in people:
            who = ctx.case.label(p)
            why = []
            for g in cuts.get(p, ()):
                lo, hi = g[which]
                if lo > d or hi < c:
                    continue
                s, dmin, sv = g[2], g[3], g[4]
                if s.claim not in ids:
                    ids.append(s.claim)
                used.setdefault(p, []).append(s.claim)
                away = ""
                if dmin:
                    mode, v = (sv[0], sv[1]) if which == 0 else (sv[2], sv[3])
                    away = f", {km(dmin)} away, {hours(dmin / v)} by {mode}"
                why.append(f"at {ctx.case.label(s.place)} throughout {days_text(s.lo, s.hi)}{away}: "
                           f"{_per(ctx, s.claim)}")
            if why:
                parts.append(f"{who} only {_runs_text(left[p])} ({'; '.join(why)})")
            else:
                parts.append(f"{who} any day of it (no stay elsewhere that reaches it)")
        n_all = d - c + 1
        means = f"by {fm}, {fastest_of(fm, year)}" if which == 0 else f"by {rm}"
        text = (f"{cite(ctx, m.id)}: {names} at {place} at some moment in {show(m.when)}. "
                f"A meeting needs all of them at {place} on the same day. Their stays elsewhere, "
                f"allowing the journey from each {means}, leave " + "; ".join(parts) + f". {verdict}")
        details = {"people": people, "place": m.where, "claim_days": n_all,
                   "days_left": {p: [window(*r) for r in left[p]] for p in cuts},
                   "excluded_by": used, "days_possible": _count(joint),
                   "windows": [window(*r) for r in joint], "year": year,
                   "fastest_mode": fm, "fastest_kmh": fv, "reference_mode": rm, "reference_kmh": rv}
        return ctx.finding(NAME, sev, ids, text, title="Alibi (joint window of a meeting)",
                           window=None if win is None else window(*win), details=details)


def _per(ctx: Context, claim_id: str) -> str:
    """Whose word a stay rests on: its quote and source, else its source."""
    c = ctx.claims[claim_id]
    if c.quote:
        return cite(ctx, claim_id)
    src = ctx.case.sources.get(c.source)
    return src.label if src else c.source


def joint_windows(ctx: Context) -> list[Finding]:
    """Meetings that no day fits for all their participants together, or only a narrow one."""
    with paused_gc():
        return list(_Joint(ctx).findings())


RULE = Rule(
    name=NAME,
    title="Alibi",
    summary="One person at two incompatible places at times that must, or may, overlap.",
    check=check,
)
