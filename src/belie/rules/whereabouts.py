"""Whereabouts shared by the ``impossible-travel`` and ``alibi`` rules: the pair engine,
the speeds of each era, and the wording of dates, distances and speeds.

Not a rule itself (it defines no ``RULE``): the two rules import it, and neither imports
the other.  What follows describes the impossible-travel reading it computes.

impossible-travel: two whereabouts of one person too far apart for the time between them.

Two stays of one person at incompatible places whose dates do *not* overlap leave some
time to get from the earlier place to the later one.  Days are whole days, so the most
time the dates allow runs from the earliest moment the person can have left the first
place to the latest moment he can have reached the second:

* leaving — a stay *at some moment* in ``[lo, hi]`` can be left from the start of day
  ``lo``; a stay *throughout* ``[lo, hi]`` only at the end of day ``hi``;
* arriving — a stay at some moment in ``[lo, hi]`` can be reached by the end of day
  ``hi``; a stay throughout ``[lo, hi]`` must be reached by the start of day ``lo``.

``available = arrive - leave`` in days (times 24 for hours).  The distance is the least
the two places can be apart (``PlaceIndex.min_distance_km``: great-circle distance less
both uncertainty radii).  The speeds are those of the era of the earlier date
(``Settings.speed_kmh`` / ``Settings.fastest``, docs/travel.md).  The pair is

* **impossible** when even the fastest means of the era cannot cover the distance in the
  time available;
* **strained** when rail (or, before railways, the fastest means on the ground) cannot,
  but a faster means could: the explanation says what it would take and the window
  gives the days in which the later claim can still be true.

A travel claim is also checked on its own: ``from A to B when D by M`` must cover A–B
within the days of D (start of the first to the end of the last) at the speed of M in
that era.  A mode that did not exist yet (no speed in the era) makes it impossible; a
mode the claim names (``by: foot``) that is too slow makes it impossible, as stated; with
no mode named, the reference mode too slow makes it strained when a faster one of the era
could, impossible when none could.

This module also holds the pair engine shared with the ``alibi`` rule: stays sorted per
person, candidate pairs found with numpy in one sweep, and each pair given to exactly one
of the two rules (overlapping dates: alibi; disjoint dates: impossible-travel).
"""
from __future__ import annotations

import math
from functools import lru_cache
from operator import attrgetter
from typing import Iterator

import numpy as np

from belie.model.claims import TRAVEL_MODES, Claim
from belie.model.dates import (
    DAY, OPEN_END, OPEN_START, duration, edtf_of, fmt_instant, grain, hours, is_open, plural, span_hours,
    span_text,
)
from belie.model.places import EARTH_RADIUS_KM
from belie.rules.base import SEVERITY_RANK, Context, Finding, Stay
from belie.util import paused_gc

NAME = "impossible-travel"
ALIBI = "alibi"

#: The reference mode when a claim names none: a journey that rail (or, before the
#: railway, the fastest means on the ground or at sea) could not make is called strained.
REFERENCE_MODE = "rail"
#: A `when` claim that can still be true on at most this share of its days, once the days
#: covered by another claim's `throughout` stay (and the journey to and from it) are taken
#: out, is *strained*; on at most `NOTE_SHARE` of them, a *note*; on more, no finding: a stay
#: that takes out less than half of a claim's days leaves it comfortably true.
NARROW_SHARE = 0.25
NOTE_SHARE = 0.5
#: Slack when comparing a needed time with an available one (hours), against rounding.
EPS_H = 1e-6
#: Hours in a second: every bound is a second (belie.model.dates), every speed km/h.
H_PER_S = 1 / 3600

_MIN_ORD, _MAX_ORD = 1, 3_652_059          # date.min / date.max ordinals
_KEY = 1 << 22                              # > _MAX_ORD: person * _KEY + day is a sort key
_UNIX_ORD = 719_163                         # ordinal of 1970-01-01
_HALF_EARTH_KM = math.pi * EARTH_RADIUS_KM
_CHUNK = 2_000_000


# ============================================================ small helpers (shared)


def n_days(lo: int, hi: int) -> int | None:
    """The length of [lo, hi] in units (see `Units`); None when open."""
    return None if is_open(lo, hi) else hi - lo + 1


class Units:
    """The unit a pair of claims is judged in: whole days when both are whole days (as
    every date without a time is), else minutes or seconds -- the coarsest that both
    claims' bounds fall on.  The day arithmetic of this module (``hi + 1`` is the end of
    the last unit) then holds at every scale, and a case of dates only is judged, and
    written, exactly as in days.  ``g`` is the unit in seconds."""

    __slots__ = ("g", "h")

    def __init__(self, g: int):
        self.g = g
        self.h = g * H_PER_S            # hours in one unit

    @classmethod
    def of(cls, *spans) -> "Units":
        g = DAY
        for lo, hi in spans:
            g = math.gcd(g, grain(lo, hi))
        return _UNITS[g] if g in _UNITS else cls(g)

    def lo(self, x: int) -> int:
        return x if x <= OPEN_START or x >= OPEN_END else x // self.g

    hi = lo

    def stay(self, s: Stay) -> Stay:
        return s if self.g == 1 else s._replace(lo=self.lo(s.lo), hi=self.hi(s.hi))

    def s_lo(self, x: int) -> int:
        """The first second of unit x."""
        return x if x <= OPEN_START or x >= OPEN_END else x * self.g

    def s_hi(self, x: int) -> int:
        """The last second of unit x."""
        return x if x <= OPEN_START or x >= OPEN_END else x * self.g + self.g - 1

    def start(self, x: int) -> str:
        """The start of unit x: '24 Jul 1933', '4 May 2021 09:05 UTC'."""
        return "the open past" if x <= OPEN_START else fmt_instant(self.s_lo(x), seconds=self.g == 1)

    def end(self, x: int) -> str:
        """Unit x, named by its end where it is a day ('24 Jul 1933')."""
        if x >= OPEN_END:
            return "the open future"
        return fmt_instant(self.s_hi(x), end=True, seconds=self.g == 1) if self.g == DAY else self.start(x)

    def text(self, lo: int, hi: int) -> str:
        return span_text(self.s_lo(lo), self.s_hi(hi))

    def window(self, lo: int, hi: int) -> str:
        return edtf_of(self.s_lo(lo), self.s_hi(hi))

    def count(self, n: int) -> str:
        """n units for a reader: '3 days', '25 min'."""
        return plural(n, "day") if self.g == DAY else duration(n * self.g)

    def of_all(self, n: int, total: int | None) -> str:
        """'3 days of the 10' / '25 min of the 1 h'."""
        if total is None:
            return self.count(n)
        return f"{self.count(n)} of the {total:,}" if self.g == DAY else f"{self.count(n)} of the {self.count(total)}"

    def htext(self, h: float) -> str:
        """Hours for a reader; at a scale finer than days, with minutes below an hour."""
        return hours(h, minutes=self.g != DAY)

    def hours(self, n: float):
        """n units in hours (an int where whole, as the days gave)."""
        h = n * self.g / 3600
        return int(h) if h == int(h) else h


_UNITS = {g: Units(g) for g in (DAY, 60, 1)}
DAYS = _UNITS[DAY]


@lru_cache(maxsize=1 << 16)
def day(o: int) -> str:
    """A bound (seconds) for a reader: its day, or its time of day in UTC."""
    if o <= OPEN_START:
        return "the open past"
    if o >= OPEN_END:
        return "the open future"
    return fmt_instant(o)


def days_text(lo: int, hi: int) -> str:
    """'24 Jul 1933', '21 Jul 1933 .. 31 Jul 1933' or '4 May 2021 09:05 UTC .. 09:19 UTC'."""
    return span_text(lo, hi)


@lru_cache(maxsize=1 << 16)
def show(span) -> str:
    """A date as written, the EDTF it reads as, and its bounds (``DateSpan.show``)."""
    if span is None:
        return "undated"
    return span.show()


def window(lo: int, hi: int) -> str:
    return edtf_of(lo, hi)


def km(x: float) -> str:
    return f"{x:,.1f} km" if x < 10 else f"{x:,.0f} km"


def speed(v: float) -> str:
    return f"{v:,.0f} km/h"


def year_of(o: int) -> int:
    """The year of an instant (seconds)."""
    import datetime as _dt
    return _dt.date.fromordinal(o // DAY).year


def era_year(lo: int, hi: int) -> int | None:
    """The year whose era of travel applies to a date: that of its first day."""
    if lo > OPEN_START:
        return year_of(lo)
    if hi < OPEN_END:
        return year_of(hi)
    return None


def pieces_outside(lo: int, hi: int, a: int, b: int, t_days: float = 0.0) -> list[tuple[int, int]]:
    """The days of [lo, hi] on which a moment can lie, given a stay throughout [a, b]
    elsewhere and ``t_days`` of travel between the two places.

    A day k before the stay works when the person can leave on k and arrive by the
    start of day a: ``k <= a - t``; a day after works when he can leave at the end of
    day b and arrive by the end of day k: ``k + 1 >= b + 1 + t``.
    """
    out = []
    end = min(hi, a - 1, math.floor(a - t_days))
    if end >= lo:
        out.append((lo, end))
    start = max(lo, b + 1, math.ceil(b + t_days))
    if start <= hi:
        out.append((start, hi))
    return out


def widest(pieces: list[tuple[int, int]]) -> tuple[int, int]:
    def size(p):
        n = n_days(*p)
        return float("inf") if n is None else n
    return max(pieces, key=lambda p: (size(p), -p[0]))


class Speeds:
    """Speeds of a case's era table, memoised per year."""

    def __init__(self, settings):
        self.settings = settings
        self._year: dict[int, tuple[str, float, str, float]] = {}

    def mode(self, year: int, mode: str) -> float | None:
        v = self.settings.speed_kmh(year, mode)
        return None if v is None else float(v)

    def modes(self, year: int) -> dict[str, float]:
        """The modes of the era of `year` and their speeds."""
        out = {}
        for m in TRAVEL_MODES:
            v = self.mode(year, m)
            if v:
                out[m] = v
        return out

    def able(self, year: int, dist_km: float, hours_: float, but: str | None = None) -> list[str]:
        """The modes of the era that cover `dist_km` within `hours_`, fastest first (air
        only beyond ``settings.air_min_km``)."""
        ms = sorted(self.modes(year).items(), key=lambda kv: -kv[1])
        if dist_km < self.settings.air_min_km:
            ms = [(m, v) for m, v in ms if m != "air"]
        return [m for m, v in ms if m != but and dist_km / v <= hours_ + EPS_H]

    def of_pair(self, year: int, dist_km: float | None) -> tuple[str, float, str, float]:
        """``of_year``, for a journey of `dist_km`: below ``settings.air_min_km`` no one
        flies door to door, so the fastest means is the road's (and the reference no faster)."""
        got = self.of_year(year)
        if dist_km is None or dist_km >= self.settings.air_min_km or got[0] != "air":
            return got
        rd = self.mode(year, "road")
        if rd is None:
            rd = max((self.mode(year, m) or 0.0) for m in TRAVEL_MODES if m != "air")
        fm, fv = "road", float(rd)
        rm, rv = got[2], got[3]
        if rv > fv:
            rm, rv = fm, fv
        return fm, fv, rm, rv

    def capped(self, cap: float | None) -> "Speeds":
        """These speeds with none above `cap` km/h (a thing's own ``speed``, whatever the
        means); the same object when there is no cap."""
        if cap is None:
            return self
        caps = self.__dict__.setdefault("_caps", {})
        got = caps.get(cap)
        if got is None:
            got = caps[cap] = _CappedSpeeds(self.settings, cap)
        return got

    def of_year(self, year: int) -> tuple[str, float, str, float]:
        """(fastest mode, its km/h, reference mode, its km/h) in `year`."""
        got = self._year.get(year)
        if got is None:
            fm, fv = self.settings.fastest(year)
            rv = self.mode(year, REFERENCE_MODE)
            rm = REFERENCE_MODE
            if rv is None:
                ground = [(self.mode(year, m) or 0.0, m) for m in TRAVEL_MODES if m != "air"]
                rv, rm = max(ground)
                if rv <= 0:
                    rm, rv = fm, fv
            got = self._year[year] = (fm, float(fv), rm, float(rv))
        return got


#: How a capped fastest means is named in explanations ("even by ... at 120 km/h").
CAPPED_MODE = "any means"


def fastest_of(fm: str, year) -> str:
    """"the fastest means of 1936", or, for a thing capped by its own `speed`, "its own top speed"."""
    return "its own top speed" if fm == CAPPED_MODE else f"the fastest means of {year}"


class _CappedSpeeds(Speeds):
    """The era's speeds, none above a thing's own `speed` (km/h), by any means."""

    def __init__(self, settings, cap: float):
        super().__init__(settings)
        self.cap = float(cap)
        self._capped_year: dict[int, tuple[str, float, str, float]] = {}

    def mode(self, year: int, mode: str) -> float | None:
        v = super().mode(year, mode)
        return None if v is None else min(v, self.cap)

    def of_year(self, year: int) -> tuple[str, float, str, float]:
        got = self._capped_year.get(year)
        if got is None:
            fm, fv, rm, rv = super().of_year(year)
            if fv > self.cap:
                fm, fv = CAPPED_MODE, self.cap
            got = self._capped_year[year] = (fm, fv, rm, min(rv, self.cap))
        return got


def cite(ctx: Context, claim_id: str) -> str:
    """``ctx.quote`` of a claim, memoised for the check (a claim may be in many findings)."""
    memo = ctx.__dict__.setdefault("_belie_cite", {})
    got = memo.get(claim_id)
    if got is None:
        got = memo[claim_id] = ctx.quote(ctx.claims[claim_id])
    return got


def place_gap(ctx: Context, a: str, b: str) -> tuple[float | None, str]:
    """The least distance between two places, and how to say it."""
    d = ctx.places.distance_km(a, b)
    dmin = ctx.places.min_distance_km(a, b)
    la, lb = ctx.case.label(a), ctx.case.label(b)
    if d is None or dmin is None:
        return None, f"{la} and {lb} are different places, neither within the other; {unlocated(ctx, a, b)}"
    if abs(d - dmin) < 0.05:
        return dmin, f"{la} and {lb} are {km(dmin)} apart, neither within the other"
    return dmin, (f"{la} and {lb} are at least {km(dmin)} apart ({km(d)} between their positions, "
                  f"less their uncertainty radii), neither within the other")


def unlocated(ctx: Context, a: str, b: str) -> str:
    """What is missing for a distance: 'Felixtowe has no coordinates, so ...'."""
    missing = [ctx.case.label(p) for p in dict.fromkeys((a, b)) if ctx.places.coords(p) is None]
    names = " and ".join(missing) or "one of them"
    return (f"{names} {'has' if len(missing) < 2 else 'have'} no coordinates (give {'it' if len(missing) < 2 else 'them'} "
            f"`at:` or `within:`), so the distance between them is not known")


def _how(s: Stay) -> str:
    return "throughout" if s.throughout else "at some moment in"


def _at(ctx: Context, s: Stay) -> str:
    """'at Lyon at some moment in 1921-03 (1 Mar 1921 .. 31 Mar 1921)'."""
    role = {"departure": " (leaving)", "arrival": " (arriving)"}.get(s.role, "")
    return f"at {ctx.case.label(s.place)}{role} {_how(s)} {show(s.when)}"


def _placed(ctx: Context, who: str, s: Stay, t: Stay, q_s: str, q_t: str) -> str:
    """Both claims, each cited and then read: where, how and when (as written, EDTF, bounds)."""
    return f"{q_s}: {who} {_at(ctx, s)}. {q_t}: {who} {_at(ctx, t)}."


def either(modes: list[str]) -> str:
    """'air', 'air or road', 'air, rail or road'."""
    return modes[0] if len(modes) == 1 else ", ".join(modes[:-1]) + " or " + modes[-1]


# ============================================================ the pair engine


class _Engine:
    """Every stay of every person as numpy arrays, sorted by (person, first day)."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.speeds = Speeds(ctx.settings)
        # The same stays as ``ctx.stays_by_person``, sorted the same way (person, lo, hi),
        # but read in the order they were made (memory order: reading a million objects
        # person by person is several times slower) and sorted by numpy.
        stays: list[Stay] = ctx.stays
        n = len(stays)
        self.n = n
        if n == 0:
            self.stays = stays
            return

        def ids(attr: str) -> np.ndarray:
            first: dict[str, int] = {}
            return np.fromiter(map(first.setdefault, map(attrgetter(attr), stays), range(n)), np.int64, n)

        raw_lo = np.fromiter(map(attrgetter("lo"), stays), np.int64, n)
        raw_hi = np.fromiter(map(attrgetter("hi"), stays), np.int64, n)
        thr = np.fromiter(map(attrgetter("throughout"), stays), bool, n)
        person = ids("person")
        claim = ids("claim")                  # index of the claim's first stay: equal iff same claim
        place = ids("place")
        order = np.lexsort((raw_hi, raw_lo, person))
        self.order = order                    # sorted position -> index in ctx.stays
        self.stays = stays
        _, self.person = np.unique(person[order], return_inverse=True)
        self.person = self.person.astype(np.int64).reshape(-1)
        raw_lo, raw_hi = raw_lo[order], raw_hi[order]
        self.open_lo = raw_lo <= OPEN_START
        self.open_hi = raw_hi >= OPEN_END
        self.lo = np.clip(raw_lo, _MIN_ORD * DAY, _MAX_ORD * DAY + DAY - 1)     # seconds
        self.hi = np.clip(raw_hi, _MIN_ORD * DAY, _MAX_ORD * DAY + DAY - 1)
        self.lo_d, self.hi_d = self.lo // DAY, self.hi // DAY                  # their days
        self.thr = thr[order]
        self.claim = claim[order]
        uniq, inv = np.unique(place[order], return_inverse=True)
        self.place = inv.astype(np.int64).reshape(-1)
        self._places([stays[i].place for i in uniq])
        self._years()

    def stay(self, i: int) -> Stay:
        return self.stays[int(self.order[i])]

    # -- places: coordinates, radii, ancestors
    def _places(self, ids: list[str]) -> None:
        pi = self.ctx.places
        m = len(ids)
        lat = np.full(m, np.nan)
        lon = np.full(m, np.nan)
        rad = np.zeros(m)
        index = {p: i for i, p in enumerate(ids)}
        ancs = []
        for i, p in enumerate(ids):
            c = pi.coords(p)
            if c is not None:
                lat[i], lon[i] = math.radians(c[0]), math.radians(c[1])
                rad[i] = pi.precision_km(p) or 0.0
            ancs.append([index[a] for a in pi.ancestors(p) if a in index])
        depth = max(1, max((len(a) for a in ancs), default=1))
        anc = np.full((m, depth), -1, dtype=np.int64)
        for i, a in enumerate(ancs):
            anc[i, :len(a)] = a
        self.lat, self.lon, self.rad, self.anc = lat, lon, rad, anc
        ok = ~np.isnan(lat)
        if ok.any():
            i0 = int(np.argmax(ok))
            far = _haversine(lat[i0], lon[i0], lat[ok], lon[ok]).max()
            self.diameter = float(min(2 * far, _HALF_EARTH_KM))
        else:
            self.diameter = 0.0

    # -- eras: speeds per stay (of the year of its first day)
    def _years(self) -> None:
        first = np.where(self.open_lo, self.hi_d, self.lo_d)
        dated = ~(self.open_lo & self.open_hi)
        years = (first - _UNIX_ORD).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
        self.fast_v = np.full(self.n, np.nan)
        self.ref_v = np.full(self.n, np.nan)
        uy, inv = np.unique(years, return_inverse=True)
        fv = np.array([self.speeds.of_year(int(y))[1] for y in uy])
        rv = np.array([self.speeds.of_year(int(y))[3] for y in uy])
        self.fast_v[dated] = fv[inv][dated]
        self.ref_v[dated] = rv[inv][dated]
        # the reference below ``air_min_km`` (Speeds.of_pair): never faster than the road
        sv = np.array([self.speeds.of_pair(int(y), 0.0)[3] for y in uy])
        self.short_v = np.full(self.n, np.nan)
        self.short_v[dated] = sv[inv][dated]
        self.air_min = float(self.ctx.settings.air_min_km)
        caps = self.ctx.speed_caps
        if caps:
            # A thing with its own `speed` never moves faster, by any means.
            cap = np.array([caps.get(self.stays[int(i)].person, np.inf) for i in self.order])
            self.fast_v = np.minimum(self.fast_v, cap)
            self.ref_v = np.minimum(self.ref_v, cap)
            self.short_v = np.minimum(self.short_v, cap)
        refs = self.ref_v[dated]
        slowest = float(refs.min()) if refs.size else 0.0
        # Horizon: beyond this many days apart, no two stays can strain even the reference mode.
        self.horizon = int(math.ceil(self.diameter / (24 * slowest))) + 1 if slowest > 0 else 1

    # -- candidate pairs
    def candidate_pairs(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        if self.n == 0:
            return
        H = self.horizon
        key = self.person * _KEY + self.lo_d
        reach = self.person * _KEY + np.minimum(self.hi_d + 1 + H, _KEY - 1)
        length = np.where(self.open_lo | self.open_hi, _MAX_ORD, self.hi_d - self.lo_d + 1)
        T = np.flatnonzero(self.thr)
        W = np.flatnonzero(~self.thr)
        S = np.flatnonzero(~self.thr & (length <= 2 * H + 1))
        kT, kW, kS = key[T], key[W], key[S]
        # 1. throughout x throughout (later in order)
        if T.size:
            yield from _expand(np.arange(1, T.size + 1), np.searchsorted(kT, reach[T], "right"), T, T)
        # 2. throughout x when starting on or after it
        if T.size and W.size:
            yield from _expand(np.searchsorted(kW, key[T], "left"), np.searchsorted(kW, reach[T], "right"), T, W)
        # 3. when x throughout starting after it
        if T.size and W.size:
            yield from _expand(np.searchsorted(kT, key[W], "right"), np.searchsorted(kT, reach[W], "right"), W, T)
        # 4. short when x short when (later in order); wide `when`s can always be reconciled
        if S.size:
            yield from _expand(np.arange(1, S.size + 1), np.searchsorted(kS, reach[S], "right"), S, S)

    def flagged(self) -> Iterator[tuple[int, int]]:
        """Pairs of stay indices (incompatible places, different claims) that may give a finding."""
        for a, b in self.candidate_pairs():
            keep = self.claim[a] != self.claim[b]
            pa, pb = self.place[a], self.place[b]
            keep &= pa != pb
            a, b, pa, pb = a[keep], b[keep], pa[keep], pb[keep]
            if not a.size:
                continue
            nested = (self.anc[pb] == pa[:, None]).any(axis=1) | (self.anc[pa] == pb[:, None]).any(axis=1)
            a, b, pa, pb = a[~nested], b[~nested], pa[~nested], pb[~nested]
            if not a.size:
                continue
            la, ha, lb, hb = self.lo[a], self.hi[a], self.lo[b], self.hi[b]
            ta, tb = self.thr[a], self.thr[b]
            d = _haversine(self.lat[pa], self.lon[pa], self.lat[pb], self.lon[pb])
            dmin = np.maximum(0.0, d - self.rad[pa] - self.rad[pb])
            overlap = (la <= hb) & (lb <= ha)
            first = np.where(la <= lb, a, b)
            short = dmin < self.air_min
            need_h = dmin / np.where(short, self.short_v[first], self.ref_v[first])   # NaN where unknown
            with np.errstate(invalid="ignore"):
                # overlapping dates (alibi): two stays throughout
                flag = overlap & ta & tb
                # a stay throughout and a moment: when it leaves at most NOTE_SHARE of the days
                mixed = overlap & (ta ^ tb)
                c = np.where(ta, lb, la)
                d_ = np.where(ta, hb, ha)
                st_lo = np.where(ta, la, lb)
                st_hi = np.where(ta, ha, hb)
                moment = np.where(ta, b, a)
                open_moment = self.open_lo[moment] | self.open_hi[moment]
                length = d_ - c + 1
                covered = np.minimum(st_hi, d_) - np.maximum(st_lo, c) + 1
                slack = 2 * (np.ceil(np.nan_to_num(need_h, nan=0.0) / 24) + 1) * DAY
                flag |= mixed & ((covered >= length)
                                 | (~open_moment & (length - covered - slack <= NOTE_SHARE * length)))
                # two moments
                gap = np.maximum(hb + 1 - la, ha + 1 - lb)
                flag |= overlap & ~ta & ~tb & (need_h > gap * H_PER_S + EPS_H)
                # ... and where a place has no coordinates, dates close enough for the
                # journey to matter: a note says what is missing (never more)
                flag |= overlap & ~ta & ~tb & np.isnan(d) & (_HALF_EARTH_KM / self.ref_v[first] > gap * H_PER_S)
                # disjoint dates (travel)
                a_first = ha < lb
                lA = np.where(a_first, la, lb)
                hA = np.where(a_first, ha, hb)
                tA = np.where(a_first, ta, tb)
                lB = np.where(a_first, lb, la)
                hB = np.where(a_first, hb, ha)
                tB = np.where(a_first, tb, ta)
                leave = np.where(tA, hA + 1, lA)
                arrive = np.where(tB, lB, hB + 1)
                ab = np.where(a_first, a, b)
                need_t = dmin / np.where(short, self.short_v[ab], self.ref_v[ab])
                flag |= ~overlap & (need_t > (arrive - leave) * H_PER_S + EPS_H)
            for i in np.flatnonzero(flag):
                yield int(a[i]), int(b[i])


def _haversine(lat1, lon1, lat2, lon2):
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def _expand(starts, ends, src, tgt) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """For each row r: pairs (src[r], tgt[k]) for k in [starts[r], ends[r]), in chunks."""
    counts = np.maximum(ends - starts, 0)
    cum = np.cumsum(counts)
    n = counts.size
    r0 = 0
    while r0 < n:
        base = int(cum[r0 - 1]) if r0 else 0
        r1 = int(np.searchsorted(cum, base + _CHUNK, "right"))
        r1 = max(r1, r0 + 1)
        c = counts[r0:r1]
        tot = int(c.sum())
        if tot:
            rep = np.repeat(np.arange(c.size), c)
            offs = np.arange(tot) - np.repeat(np.cumsum(c) - c, c)
            yield src[r0:r1][rep], tgt[starts[r0:r1][rep] + offs]
        r0 = r1


# ============================================================ judging one pair


def _judge(ctx: Context, sp: Speeds, s: Stay, t: Stay):
    """(rule, severity, explanation, window, details) for two stays, or None."""
    sp = sp.capped(ctx.speed_cap(s.person))
    if s.lo > t.lo or (s.lo == t.lo and t.throughout and not s.throughout):
        s, t = t, s
    dmin, apart = place_gap(ctx, s.place, t.place)
    overlap = s.lo <= t.hi and t.lo <= s.hi
    year = era_year(s.lo, s.hi)          # the earlier date (disjoint stays: s ends before t)
    if year is None:
        year = era_year(t.lo, t.hi)
    speeds = sp.of_pair(year, dmin) if year is not None else None
    u = Units.of((s.lo, s.hi), (t.lo, t.hi))
    s, t = u.stay(s), u.stay(t)
    who = ctx.case.label(s.person)
    details = {"person": s.person, "places": [s.place, t.place],
               "distance_km": None if dmin is None else round(dmin, 1)}
    if speeds is not None:
        fm, fv, rm, rv = speeds
        details.update({"year": year, "fastest_mode": fm, "fastest_kmh": fv,
                        "reference_mode": rm, "reference_kmh": rv})
    q_s, q_t = cite(ctx, s.claim), cite(ctx, t.claim)
    if overlap:
        return _alibi(ctx, s, t, dmin, apart, speeds, who, q_s, q_t, details, u)
    if dmin is None or dmin <= 0 or speeds is None:
        return None
    return _travel_pair(ctx, s, t, dmin, apart, speeds, who, q_s, q_t, details, u)


def _alibi(ctx, s, t, dmin, apart, speeds, who, q_s, q_t, details, u: Units = DAYS):
    """Two stays whose dates overlap; s, t and every bound here are in units ``u``."""
    both = f"{_placed(ctx, who, s, t, q_s, q_t)} {apart}."
    if s.throughout and t.throughout:
        lo, hi = max(s.lo, t.lo), min(s.hi, t.hi)
        n = n_days(lo, hi)
        details["shared_days"] = n if u.g == DAY or n is None else n * u.g // DAY
        return (ALIBI, "impossible",
                f"{both} The two stays share {u.count(n) if n else 'days'} ({u.text(lo, hi)}), "
                f"and {who} cannot be at both places at once.", None, details)
    if s.throughout or t.throughout:
        stay, moment = (s, t) if s.throughout else (t, s)
        a, b, c, d = stay.lo, stay.hi, moment.lo, moment.hi
        details["claim_days"] = n_days(c, d) if u.g == DAY else None
        if a <= c and d <= b:
            return (ALIBI, "impossible",
                    f"{both} The stay at {ctx.case.label(stay.place)} covers every "
                    f"{'day' if u.g == DAY else 'moment'} of "
                    f"{show(moment.when)}, so {who} cannot have been at "
                    f"{ctx.case.label(moment.place)} at any moment of it.", None, details)
        plain = pieces_outside(c, d, a, b)
        if speeds is None or dmin is None or dmin <= 0:
            t_fast = t_ref = 0.0
        else:
            fm, fv, rm, rv = speeds
            t_fast, t_ref = dmin / fv / u.h, dmin / rv / u.h
        fast = pieces_outside(c, d, a, b, t_fast)
        ref = pieces_outside(c, d, a, b, t_ref)
        cov_lo, cov_hi = max(a, c), min(b, d)
        head = (f"{both} The stay covers {u.text(cov_lo, cov_hi)}"
                + (f", {u.of_all(n_days(cov_lo, cov_hi), n_days(c, d))}" if n_days(c, d) else "")
                + ".")
        if not fast:
            details["days_outside_stay"] = [u.window(*p) for p in plain]
            fm, fv, _, _ = speeds
            outside = "days" if u.g == DAY else "moments"
            return (ALIBI, "impossible",
                    f"{head} The {outside} outside it ({', '.join(u.text(*p) for p in plain)}) are too close to it: "
                    f"covering the {km(dmin)} takes at least {u.htext(dmin / fv)} even by {fm} at {speed(fv)}, "
                    f"{fastest_of(fm, details['year'])}.", None, details)
        use = ref if ref else fast
        win = widest(use)
        n_all = n_days(c, d)
        n_ok = None if any(n_days(*p) is None for p in use) else sum(n_days(*p) for p in use)
        details["days_possible"] = n_ok if u.g == DAY or n_ok is None else round(n_ok * u.g / DAY, 4)
        details["windows"] = [u.window(*p) for p in use]
        reading = f"the {moment.role} fell {'on' if u.g == DAY else 'in'} " + \
                  " or ".join(u.text(*p) for p in use)
        if n_ok is not None:
            if u.g == DAY:
                reading += f" ({plural(n_ok, 'day')}" + (f" of {n_all:,})" if n_all else ")")
            else:
                reading += f" ({u.count(n_ok)}" + (f" of {u.count(n_all)})" if n_all else ")")
        if not ref:
            fm, fv, rm, rv = speeds
            sev = "strained"
            tail = (f" Both can be true only if {reading}, and only by {fm}: the {km(dmin)} take "
                    f"{u.htext(dmin / rv)} by {rm} at {speed(rv)}, {u.htext(dmin / fv)} by {fm} at {speed(fv)} "
                    f"({details['year']}).")
        else:
            if n_ok is None or n_all is None or n_ok > NOTE_SHARE * n_all:
                return None
            sev = "strained" if n_ok <= NARROW_SHARE * n_all else "note"
            tail = f" Both can be true only if {reading}"
            if speeds is not None and dmin and t_ref > 0:
                tail += f", allowing {u.htext(dmin / speeds[3])} to cover the {km(dmin)} by {speeds[2]}"
            tail += "."
        return (ALIBI, sev, head + tail, u.window(*win), details)
    # two moments: judged by the time the dates leave between them
    if dmin is None and speeds is not None:
        # Without a distance nothing can be judged: say what is missing, never more.
        return (ALIBI, "note",
                f"{both} Both can be true only if {who} had time to go from one to the other; without "
                f"the distance, belie cannot tell whether the dates leave that time.", None, details)
    if dmin is None or dmin <= 0 or speeds is None:
        return None
    fm, fv, rm, rv = speeds
    best = max(t.hi + 1 - s.lo, s.hi + 1 - t.lo)           # units, the better order
    best_h = u.hours(best)
    needs = _hours_needed(details, dmin, fv, rv, best_h)
    if needs is None:
        return None
    need_f, need_r = needs
    first, second = (s, t) if t.hi + 1 - s.lo >= s.hi + 1 - t.lo else (t, s)
    span = (f"The dates overlap, and leave at most {u.htext(best_h)} between the two moments "
            f"(from the start of {u.start(first.lo)} at {ctx.case.label(first.place)} to the end of "
            f"{u.end(second.hi)} at {ctx.case.label(second.place)})")
    if need_f > best_h + EPS_H:
        return (ALIBI, "impossible",
                f"{both} {span}, but covering {km(dmin)} takes at least {u.htext(need_f)} even by {fm} "
                f"at {speed(fv)}, {fastest_of(fm, year_text(details))}.", None, details)
    nd = need_f / u.h
    lo1, hi1 = first.lo, min(first.hi, math.floor(second.hi + 1 - nd))
    lo2, hi2 = max(second.lo, math.ceil(first.lo + nd) - 1), second.hi
    able = speeds_able(ctx, details["year"], dmin, best_h, rm, details["person"]) or [fm]
    details["modes_that_could"] = able
    return (ALIBI, "strained",
            f"{both} {span}: by {rm} at {speed(rv)} the {km(dmin)} take {u.htext(need_r)}, too long; "
            f"both can be true only if {who} went by {either(able)} ({fm}: {u.htext(need_f)} at {speed(fv)}), being at "
            f"{ctx.case.label(first.place)} by {u.end(hi1)} and at {ctx.case.label(second.place)} "
            f"from {u.start(lo2)}.", u.window(min(lo1, lo2), max(hi1, hi2)), details)


def _hours_needed(details: dict, dmin: float, fv: float, rv: float, avail_h: float):
    """The hours ``dmin`` km take at the fastest and at the reference speed, recorded in
    ``details`` beside the hours available; None when the reference speed is in time."""
    need_f, need_r = dmin / fv, dmin / rv
    details.update({"available_hours": avail_h, "needed_hours_fastest": round(need_f, 2),
                    "needed_hours_reference": round(need_r, 2)})
    if need_r <= avail_h + EPS_H:
        return None
    return need_f, need_r


def year_text(details: dict) -> str:
    return str(details.get("year", "the period"))


def _travel_pair(ctx, A, B, dmin, apart, speeds, who, q_a, q_b, details, u: Units = DAYS):
    """Two stays with disjoint dates, A before B; bounds in units ``u``."""
    fm, fv, rm, rv = speeds
    leave = A.hi + 1 if A.throughout else A.lo
    arrive = B.lo if B.throughout else B.hi + 1
    avail_h = u.hours(arrive - leave)
    needs = _hours_needed(details, dmin, fv, rv, avail_h)
    if needs is None:
        return None
    need_f, need_r = needs
    frm = f"the end of {u.end(A.hi)}" if A.throughout else f"the start of {u.start(A.lo)}"
    to = f"the start of {u.start(B.lo)}" if B.throughout else f"the end of {u.end(B.hi)}"
    head = (f"{_placed(ctx, who, A, B, q_a, q_b)} {apart}. "
            f"The dates leave at most {span_hours(avail_h, minutes=u.g != DAY)} to get from one to the other "
            f"(from {frm} to {to})")
    if need_f > avail_h + EPS_H:
        return (NAME, "impossible",
                f"{head}, but covering {km(dmin)} takes at least {u.htext(need_f)} even by {fm} at "
                f"{speed(fv)}, {fastest_of(fm, details['year'])}.", None, details)
    nd = need_f / u.h
    a_days = (A.lo, A.hi) if A.throughout else (A.lo, min(A.hi, math.floor(arrive - nd)))
    b_days = (B.lo, B.hi) if B.throughout else (max(B.lo, math.ceil(leave + nd) - 1), B.hi)
    details["earlier_days"] = u.window(*a_days)
    details["later_days"] = u.window(*b_days)
    narrowed = []
    on = "on" if u.g == DAY else "at"
    if not A.throughout and a_days != (A.lo, A.hi):
        narrowed.append(f"{ctx.case.label(A.place)} {on} {u.text(*a_days)}")
    if not B.throughout and b_days != (B.lo, B.hi):
        narrowed.append(f"{ctx.case.label(B.place)} {on} {u.text(*b_days)}")
    only = f", and only if {who} was at " + " and at ".join(narrowed) if narrowed else ""
    win = b_days if not B.throughout else (a_days if not A.throughout else (A.lo, B.hi))
    per_day = rv * 24
    able = speeds_able(ctx, details["year"], dmin, avail_h, rm, details["person"]) or [fm]
    details["modes_that_could"] = able
    return (NAME, "strained",
            f"{head}: covering at least {km(dmin)} in that time needs {speed(dmin / (avail_h or 1))} on "
            f"average, which in {details['year']} only {either(able)} could ({fm} {speed(fv)}); {rm} at most "
            f"{speed(rv)} ({km(per_day)} a day) takes {u.htext(need_r)}. Both can be true only if {who} went by "
            f"{either(able)}{only}.",
            u.window(*win), details)


def speeds_able(ctx: Context, year: int, dist_km: float, hours_: float, but: str,
                who: str | None = None) -> list[str]:
    sp = ctx.__dict__.get("_belie_speeds")
    if sp is None:
        sp = ctx.__dict__["_belie_speeds"] = Speeds(ctx.settings)
    return sp.capped(ctx.speed_cap(who)).able(year, dist_km, hours_, but)


# ============================================================ the analysis, shared with alibi


def analyse(ctx: Context) -> dict[str, list[Finding]]:
    """Findings of `alibi` and `impossible-travel`, computed once per check."""
    cached = ctx.__dict__.get("_belie_whereabouts")
    if cached is not None:
        return cached
    # Millions of small objects are made here and none is cyclic garbage: the cyclic
    # collector would only rescan them, so it is paused (and restored) meanwhile.
    with paused_gc():
        out = _analyse(ctx)
    ctx.__dict__["_belie_whereabouts"] = out
    return out


def _analyse(ctx: Context) -> dict[str, list[Finding]]:
    eng = _Engine(ctx)
    ctx.__dict__["_belie_pair_engine"] = eng      # alibi's joint windows read its arrays
    best: dict[tuple, tuple] = {}
    for i, j in eng.flagged():
        s, t = eng.stay(i), eng.stay(j)
        got = _judge(ctx, eng.speeds, s, t)
        if got is None:
            continue
        key = tuple(sorted((s.claim, t.claim)))
        prev = best.get(key)
        if prev is None or SEVERITY_RANK[got[1]] < SEVERITY_RANK[prev[1]]:
            best[key] = got
    out: dict[str, list[Finding]] = {ALIBI: [], NAME: []}
    for key, (rule, sev, text, win, details) in best.items():
        title = "Alibi" if rule == ALIBI else "Impossible travel"
        out[rule].append(ctx.finding(rule, sev, list(key), text, title=title, window=win, details=details))
    memo: dict = {}
    for c in ctx.of_kind("travel"):
        if c.kind == "travel" and not c.denies and c.when is not None and c.origin and c.destination:
            f = _own_journey(ctx, eng.speeds, c, memo)
            if f is not None:
                out[NAME].append(f)
    return out


_UNSEEN = object()


def _own_journey(ctx: Context, sp: Speeds, c: Claim, memo: dict | None = None) -> Finding | None:
    """A travel claim on its own: can its mode cover the distance within its dates?

    ``memo`` (one per check) keeps what many journeys share: the least distance of each
    pair of places, and the speeds of each (thing's cap, year, means, flight distance)."""
    if memo is None:
        memo = {}
    lo, hi = c.when.lo, c.when.hi
    if is_open(lo, hi):
        return None
    ends = (c.origin, c.destination)
    dmin = memo.get(ends, _UNSEEN)
    if dmin is _UNSEEN:
        pl = ctx.places
        dmin = None if pl.compatible(*ends) else pl.min_distance_km(*ends)
        if dmin is not None and dmin <= 0:
            dmin = None
        memo[ends] = dmin
    if dmin is None:
        return None                 # compatible places, or no distance
    cap = ctx.speed_cap(c.person)
    year = year_of(lo)
    key = (cap, year, c.by, dmin >= ctx.settings.air_min_km)
    got = memo.get(key)
    if got is None:
        capped = sp.capped(cap)
        fm, fv, rm, rv = capped.of_pair(year, dmin)
        mode = c.by or rm
        got = memo[key] = (fm, fv, rm, rv, mode, capped.mode(year, mode))
    fm, fv, rm, rv, mode, v = got
    avail_h = DAYS.hours((hi + 1 - lo) / DAY) if grain(lo, hi) == DAY else (hi + 1 - lo) * H_PER_S
    if v is not None and dmin / v <= avail_h + EPS_H:
        return None
    sp = sp.capped(cap)
    dmin, apart = place_gap(ctx, c.origin, c.destination)
    u = Units.of((lo, hi))
    need_f = dmin / fv
    who = ctx.case.label(c.person)
    details = {"person": c.person, "places": [c.origin, c.destination], "distance_km": round(dmin, 1),
               "available_hours": avail_h, "year": year, "mode": mode, "mode_kmh": v,
               "fastest_mode": fm, "fastest_kmh": fv, "needed_hours_fastest": round(need_f, 2)}
    head = (f"{cite(ctx, c.id)}: {who} travels from {ctx.case.label(c.origin)} to "
            f"{ctx.case.label(c.destination)}{' by ' + c.by if c.by else ''} within {show(c.when)}, which leaves "
            f"at most {span_hours(avail_h, minutes=u.g != DAY)}, from the start of its first "
            f"{'day' if u.g == DAY else 'minute'} to the end of its last. {apart}.")
    if v is None:
        return ctx.finding(NAME, "impossible", [c.id],
                           f"{head} There was no {mode} travel in {year} (the speed table of docs/travel.md "
                           f"has no {mode} in the era of {year}).", title="Impossible travel", details=details)
    need = dmin / v
    details["needed_hours"] = round(need, 2)
    if need <= avail_h + EPS_H:
        return None
    how = f"by {mode}" + ("" if c.by else f" (no mode is given; {mode} is the reference)")
    if need_f > avail_h + EPS_H:
        even = ("" if mode == fm else
                f", and even by {fm} at {speed(fv)} {u.htext(need_f)}")
        return ctx.finding(NAME, "impossible", [c.id],
                           f"{head} {how[0].upper() + how[1:]} at {speed(v)} it takes at least {u.htext(need)}{even}; "
                           f"{fm} was {fastest_of(fm, year)}.",
                           title="Impossible travel", details=details)
    able = sp.able(year, dmin, avail_h, mode) or [fm]
    details["modes_that_could"] = able
    if c.by:
        # The claim names its means: judged at that means' speed, it cannot be true as
        # stated; that another means could have made it is worth saying, not a reading.
        return ctx.finding(NAME, "impossible", [c.id],
                           f"{head} The claim names its means, {c.by}: at {speed(v)} that takes at least {u.htext(need)}, more "
                           f"than the dates allow, so the journey cannot have been made as stated (only by "
                           f"{either(able)} could it, {fm} in {u.htext(need_f)} at {speed(fv)}).",
                           title="Impossible travel", details=details)
    return ctx.finding(NAME, "strained", [c.id],
                       f"{head} {how[0].upper() + how[1:]} at {speed(v)} it takes at least {u.htext(need)}, more than the "
                       f"dates allow; only {either(able)} could make it in time ({fm} at {speed(fv)}: "
                       f"{u.htext(need_f)}), so the claim is true only if {who} went by {either(able)}.",
                       title="Impossible travel", window=window(lo, hi), details=details)
