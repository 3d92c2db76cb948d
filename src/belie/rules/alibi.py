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

Every dated claim that puts someone somewhere at some moment (a presence `when`, each
participant of a meeting, a journey's ends) is also read against *all* of that person's
other whereabouts from other sources at once (``joint_windows``; the interval algorithm is
:mod:`belie.rules.timeline`): stays throughout widened by the journey to and from them,
and moments elsewhere placed together in the best order.  A meeting's window is the days
left to every participant.  The same ladder judges what survives: nothing even at the
fastest means **impossible**; only at a faster means than the reference, or at most
`NARROW_SHARE` of the days, **strained**; at most `NOTE_SHARE`, **note**.  The finding
names every claim that cut the days, and replaces the pair findings it explains (alibi
and impossible-travel, by ``Finding.explains``); a result one claim gives alone, with a
pair finding of the same severity, is left to that pair finding.

Stays whose dates do not overlap are the business of ``impossible-travel``; a pair of
claims is reported by one of the two rules only (the more severe finding).  The pair
engine lives in :mod:`belie.rules.impossible_travel`.
"""
from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from typing import NamedTuple

import numpy as np

from belie.model.claims import Claim
from belie.model.dates import DAY, OPEN_END, OPEN_START
from belie.rules.base import SEVERITY_RANK, Context, Finding, Rule, Stay
from belie.rules.whereabouts import NAME as TRAVEL
from belie.rules.whereabouts import (
    _KEY, _MAX_ORD, ALIBI, DAYS, NARROW_SHARE, NOTE_SHARE, Speeds, _expand, _haversine, analyse, cite,
    era_year, hours,
    is_open, km, plural, show, speed, widest,
)
from belie.rules.timeline import Event, cells, count, cutters, intersect, some_window
from belie.rules.timeline import window as timeline_window
from belie.util import paused_gc

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
    found = analyse(ctx)
    pairs = [f for f in found[NAME] if not _own_journey(ctx, f)]
    joint = joint_windows(ctx, pairs + found[TRAVEL])
    # A pair finding that a joint finding explains is not repeated (``rules.check`` drops
    # those of impossible-travel the same way, by ``Finding.explains``).
    explained = {k for f in joint for k in f.explains}
    yield from (f for f in pairs if f.key not in explained)
    yield from joint


# ============================================================ the joint window: one timeline per person
#
# Every dated claim that puts someone somewhere at some moment (a presence `when`, each
# participant of a meeting, a journey's two ends) is read against all of that person's
# other asserted whereabouts from other sources at once (``belie.rules.timeline``): each
# stay *throughout* elsewhere, widened by the journey to and from it, and each moment
# elsewhere too close to travel between, the moments placed together in the best order.
# A meeting's window is the days left to every participant.

_TITLE = "Alibi (joint window)"
#: Stays shorter than this many days are found by bisecting their first day; longer ones
#: (few per person) are read one by one.
_SHORT = 64


class _Cut(NamedTuple):
    """A claim that took days out of a target's window, for one person."""

    person: str
    stay: Stay
    dmin: float | None


class _Reading(NamedTuple):
    claim: Claim
    people: list[str]
    year: int
    severity: str
    runs: list[tuple[int, int]]            # days left to all, at the deciding means
    which: int                             # 0: read at the fastest means of the era, 1: the reference
    left: dict                             # person -> (runs at the fastest means, runs at the reference)
    cuts: list[_Cut]
    explains: list[tuple]                  # keys of the pair findings this one makes redundant


def _worse(a: list, b: list) -> list:
    """Two ends of one journey: the days either can be on, none if one has none."""
    if not a or not b:
        return []
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(a + b):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


# The joint reading works in whole days (the unit of its day arithmetic and of its
# findings): ``_day_stay`` turns a stay's bounds (seconds, belie.model.dates) into days --
# a stay throughout counts only for the days it covers entirely, a moment for every day it
# touches -- so that a time of day can only make the joint reading more lenient; the pair
# rules judge times of day to the minute.


def _day_stay(s: Stay) -> Stay | None:
    """A stay in whole days (ordinals), or None for a stay throughout less than a day."""
    lo, hi = s.lo, s.hi
    if s.throughout:
        a = lo if lo <= OPEN_START else -(-lo // DAY)
        b = hi if hi >= OPEN_END else (hi + 1) // DAY - 1
    else:
        a = lo if lo <= OPEN_START else lo // DAY
        b = hi if hi >= OPEN_END else hi // DAY
    return None if a > b else s._replace(lo=a, hi=b)


def _days_of(span) -> tuple[int, int]:
    """Every day (ordinal) a claim's date touches."""
    return span.lo // DAY, span.hi // DAY


def days_text(lo: int, hi: int) -> str:
    """Whole days [lo, hi] (ordinals) for a reader."""
    return DAYS.text(lo, hi)


def window(lo: int, hi: int) -> str:
    """EDTF of whole days [lo, hi] (ordinals)."""
    return DAYS.window(lo, hi)


def _nested(eng, pa, pb):
    """Whether place pa lies within pb or pb within pa (engine place indices)."""
    return (eng.anc[pb] == pa[:, None]).any(axis=1) | (eng.anc[pa] == pb[:, None]).any(axis=1)


def _other_ends(eng) -> np.ndarray:
    """For each stay that is one end of a journey, the place of its other end; else -1.
    (A journey gives two stays of one person under one claim, the only claim that does.)"""
    out = np.full(eng.n, -1, dtype=np.int64)
    order = np.lexsort((eng.person, eng.claim))
    c, p = eng.claim[order], eng.person[order]
    twin = (c[1:] == c[:-1]) & (p[1:] == p[:-1]) & ~eng.thr[order[1:]]
    i, j = order[:-1][twin], order[1:][twin]
    out[i], out[j] = eng.place[j], eng.place[i]
    return out


def _wide_pairs(eng):
    """Pairs of a wide moment (longer than the engine's ``2 H + 1`` days, which its candidate
    pairs leave out) and a short one of the same person near it in time."""
    H = eng.horizon
    length = np.where(eng.open_lo | eng.open_hi, _MAX_ORD, eng.hi_d - eng.lo_d + 1)
    moment = ~eng.thr & ~(eng.open_lo | eng.open_hi)
    S = np.flatnonzero(moment & (length <= 2 * H + 1))
    W = np.flatnonzero(moment & (length > 2 * H + 1))
    if not S.size or not W.size:
        return
    key = eng.person * _KEY + eng.lo_d
    kS = key[S]
    first = np.searchsorted(kS, key[W] - 3 * H - 1, "left")
    last = np.searchsorted(kS, eng.person[W] * _KEY + eng.hi_d[W] + 1 + H, "right")
    yield from _expand(first, last, W, S)


class _Joint:
    """The joint windows of a case, judged one target claim at a time."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.sp = Speeds(ctx.settings)
        self.dist: dict[tuple[str, str], float | bool] = {}
        self.by_person: dict[str, list[Stay]] = {}
        self.by_claim: dict[str, dict[str, list[Stay]]] = {}
        self.horizon = 1
        self.index: dict[str, tuple] = {}

    # -- places and travel
    def gap(self, a: str, b: str) -> float | bool:
        """False when compatible (one within the other), else the least km (0.0 if unknown)."""
        key = (a, b) if a <= b else (b, a)
        got = self.dist.get(key)
        if got is None:
            pl = self.ctx.places
            got = False if pl.compatible(a, b) else max(0.0, pl.min_distance_km(a, b) or 0.0)
            self.dist[key] = got
        return got

    def speeds(self, person: str, year: int) -> tuple[str, float, str, float]:
        """(fastest mode, km/h, reference mode, km/h) for ``person`` in ``year``: the era's,
        no faster than a thing's own ``speed``."""
        return self.sp.capped(self.ctx.speed_cap(person)).of_year(year)

    def travel(self, kmh: float):
        """The timeline's travel callback in days (the unit of ``Stay.lo``) at ``kmh``."""
        def t(a, b):
            g = self.gap(a, b)
            if g is False:
                return None
            return g / kmh / 24 if kmh > 0 else 0.0
        return t

    # -- which claims to read
    def targets(self) -> list[str]:
        """Claims that stays of two or more other claims reach (or one moment that others
        narrow), found over the pair engine's candidate pairs with numpy. The rest have at
        most one claim against them, which their pair finding already judges."""
        ctx = self.ctx
        analyse(ctx)
        eng = ctx.__dict__.get("_belie_pair_engine")
        if eng is None or eng.n == 0:
            return []
        self.horizon = eng.horizon
        other_end = _other_ends(eng)
        got_a, got_b = [], []
        for a, b in itertools.chain(eng.candidate_pairs(), _wide_pairs(eng)):
            keep = (eng.claim[a] != eng.claim[b]) & (eng.place[a] != eng.place[b]) & ~(eng.thr[a] & eng.thr[b])
            a, b = a[keep], b[keep]
            if not a.size:
                continue
            pa, pb = eng.place[a], eng.place[b]
            nested = _nested(eng, pa, pb)
            # a journey's end and a stay at (or within, or around) its other end: the journey explains them
            for x, y in ((a, b), (b, a)):
                ox = other_end[x]
                has = ox >= 0
                if has.any():
                    py = eng.place[y]
                    nested |= has & ((ox == py) | _nested(eng, np.where(has, ox, py), py))
            a, b, pa, pb = a[~nested], b[~nested], pa[~nested], pb[~nested]
            if not a.size:
                continue
            d = _haversine(eng.lat[pa], eng.lon[pa], eng.lat[pb], eng.lon[pb])
            dmin = np.nan_to_num(np.maximum(0.0, d - eng.rad[pa] - eng.rad[pb]), nan=0.0)
            with np.errstate(invalid="ignore", divide="ignore"):
                t = np.nan_to_num(dmin / np.fmin(eng.fast_v[a], eng.fast_v[b]) / 24, nan=0.0, posinf=0.0)
            touch = (eng.lo_d[a] - t < eng.hi_d[b] + 1) & (eng.lo_d[b] - t < eng.hi_d[a] + 1)
            touch &= eng.thr[a] | eng.thr[b] | (t > 0)     # two moments with no journey: no constraint
            got_a.append(a[touch])
            got_b.append(b[touch])
        if not got_a:
            return []
        a, b = np.concatenate(got_a), np.concatenate(got_b)
        tgt, oth = np.concatenate([a, b]), np.concatenate([b, a])
        live = ~eng.thr[tgt]                            # only moments are read
        tgt, oth = tgt[live], oth[live]
        if not tgt.size:
            return []
        n = eng.n
        pairs = np.unique(eng.claim[tgt] * n + eng.claim[oth])
        per_claim = np.bincount(pairs // n, minlength=n)
        chosen = (per_claim[eng.claim[tgt]] >= 2) | (~eng.thr[oth] & (per_claim[eng.claim[oth]] >= 2))
        chosen = np.unique(tgt[chosen])
        if not chosen.size:
            return []
        people = np.unique(eng.person[chosen])
        starts = np.searchsorted(eng.person, people, "left").tolist()
        ends = np.searchsorted(eng.person, people, "right").tolist()
        for s0, s1 in zip(starts, ends):
            stays = [x for x in (_day_stay(eng.stay(k)) for k in range(s0, s1)) if x is not None]
            if not stays:
                continue
            self.by_person[stays[0].person] = stays
            for s in stays:
                self.by_claim.setdefault(s.claim, {}).setdefault(s.person, []).append(s)
        return list(dict.fromkeys(eng.stay(int(i)).claim for i in chosen))

    def _others(self, m: Claim, person: str, ends: list[str], own: list[Stay], reach) -> list[Event]:
        """The person's other whereabouts from other sources that bear on ``own`` (the
        claim's stays): every moment elsewhere within a journey (``reach``, the slower means)
        of it or of a moment already taken, link by link, and every stay throughout whose
        journey reaches one of them. A moment out of reach of all of these can be placed
        anywhere in its own interval without meeting them, so it cannot narrow the window."""
        ctx, src = self.ctx, m.source
        fixed, loose = [], []
        for s in self._near(person, min(e.lo for e in own), max(e.hi for e in own)):
            if s.claim == m.id or ctx.claims[s.claim].source == src:
                continue
            if ends and any(self.gap(s.place, e) is False for e in ends):
                continue                          # the journey itself explains a stay at one of its ends
            (fixed if s.throughout else loose).append(s)
        taken: list[Stay] = []
        frontier = list(own)
        while frontier and loose:
            e = frontier.pop()
            rest = []
            for s in loose:
                t = reach(e.place, s.place)
                if t and s.lo - t < e.hi + 1 and e.lo - t < s.hi + 1:
                    taken.append(s)
                    frontier.append(s)
                else:
                    rest.append(s)
            loose = rest
        out = [Event(s.lo, s.hi, s.place, False, s.claim) for s in taken]
        near = own + taken
        for s in fixed:
            for e in near:
                t = reach(e.place, s.place)
                if t is not None and s.lo - t < e.hi + 1 and e.lo < s.hi + 1 + t:
                    out.append(Event(s.lo, s.hi, s.place, True, s.claim))
                    break
        return out

    def _near(self, person: str, lo: int, hi: int) -> list[Stay]:
        """The person's stays that meet [lo - R, hi + R], R being the horizon of the case
        (no journey is longer) widened link by link by the moments met on the way."""
        idx = self.index.get(person)
        if idx is None:
            stays = self.by_person.get(person, [])
            short = [s for s in stays if s.hi - s.lo < _SHORT]
            idx = self.index[person] = (short, [s.lo for s in short],
                                        max((s.hi - s.lo for s in short), default=0),
                                        [s for s in stays if s.hi - s.lo >= _SHORT])
        short, los, span, long_ = idx
        H = self.horizon
        lo, hi = lo - H, hi + 1 + H
        while True:
            got = [s for s in short[bisect_left(los, lo - span):bisect_right(los, hi)] if s.hi + 1 >= lo]
            ext_lo = min((s.lo - H for s in got if not s.throughout), default=lo)
            ext_hi = max((s.hi + 1 + H for s in got if not s.throughout), default=hi)
            if ext_lo >= lo and ext_hi <= hi:
                break
            lo, hi = min(lo, ext_lo), max(hi, ext_hi)
        return got + [s for s in long_ if s.lo <= hi and s.hi + 1 >= lo]

    # -- one claim
    def read(self, cid: str, pairs: dict[tuple, str]) -> _Reading | None:
        ctx = self.ctx
        m = ctx.claims[cid]
        if m.when is None or m.throughout or m.denies or is_open(m.when.lo, m.when.hi):
            return None
        c, d = _days_of(m.when)
        year = era_year(m.when.lo, m.when.hi)
        ends = [p for p in (m.origin, m.destination) if p] if m.kind == "travel" else []
        mine = self.by_claim.get(cid, {})
        # each mover's (fastest, reference) travel callbacks: a thing with `speed:` no faster
        tr = {}
        for p in mine:
            _fm, fv, _rm, rv = self.speeds(p, year)
            tr[p] = (self.travel(fv), self.travel(rv))
        n_all = d - c + 1
        # Cheaply first: days that some placing of the other moments certainly leaves; when
        # they are more than NOTE_SHARE of the claim's, no finding can come of it.
        near: dict[str, list[Event]] = {}
        sure = [(c, d)]
        for p, own in mine.items():
            ref = tr[p][1]
            others = self._others(m, p, ends, own, ref)
            if not others:
                continue
            near[p] = others
            runs = None
            for s in own:
                r = cells(some_window(Event(s.lo, s.hi, s.place, False, cid), others, ref), c, d)
                runs = r if runs is None else _worse(runs, r)
            sure = intersect(sure, runs)
        if not near or count(sure) > NOTE_SHARE * n_all:
            return None
        left: dict[str, tuple] = {}
        got: dict[str, tuple] = {}
        for p, others in near.items():
            own = mine[p]
            fast, ref = tr[p]
            runs_f = runs_r = None
            wins = []
            for s in own:
                target = Event(s.lo, s.hi, s.place, False, cid)
                got_f, got_r = timeline_window(target, others, fast), timeline_window(target, others, ref)
                wins.append((target, got_f, got_r))
                rf, rr = cells(got_f, c, d), cells(got_r, c, d)
                runs_f = rf if runs_f is None else _worse(runs_f, rf)
                runs_r = rr if runs_r is None else _worse(runs_r, rr)
            if runs_r == [(c, d)]:
                continue                          # nothing cut
            left[p], got[p] = (runs_f, runs_r), (others, wins)
        if not left:
            return None
        j_f, j_r = [(c, d)], [(c, d)]
        for runs_f, runs_r in left.values():
            j_f, j_r = intersect(j_f, runs_f), intersect(j_r, runs_r)
        if not j_f:
            sev, runs, which = "impossible", [], 0
        elif not j_r:
            sev, runs, which = "strained", j_f, 0
        else:
            n_ok = count(j_r)
            if n_ok > NOTE_SHARE * n_all:
                return None
            sev, runs, which = ("strained" if n_ok <= NARROW_SHARE * n_all else "note"), j_r, 1
        # the claims that cut it, at either means: the fastest of the era, and the reference
        cuts: list[_Cut] = []
        for p, (others, wins) in got.items():
            fast, ref = tr[p]
            used: list[str] = []
            for target, got_f, got_r in wins:
                days = lambda w: cells(w, c, d)    # noqa: E731 - what a reader sees of a window
                for key in cutters(target, others, ref, got_r, days) + cutters(target, others, fast, got_f, days):
                    if key not in used:
                        used.append(key)
            for key in used:
                st = next(s for s in self.by_person[p] if s.claim == key)
                gs = [g for g in (self.gap(o.place, st.place) for o in mine[p]) if g is not False]
                cuts.append(_Cut(p, st, min(gs) if gs else None))
        explains = []
        for cut in cuts:
            key = tuple(sorted((cid, cut.stay.claim)))
            for rule in (ALIBI, TRAVEL):
                ps = pairs.get((rule, key))
                if ps is None:
                    continue
                if SEVERITY_RANK[ps] < SEVERITY_RANK[sev]:
                    return None                   # a pair alone is more severe: it says so itself
                if ps == sev and self._alone(m, cut, got[cut.person][0], tr[cut.person][which]) == runs:
                    return None                   # one claim says it all: its pair finding does
                explains.append((rule, key))
        people = list(mine)
        if m.kind == "meeting":
            ents = ctx.case.entities
            people = [p for p in dict.fromkeys(m.people) if p in mine or (p in ents and p in ctx.movers)]
        return _Reading(m, people, year, sev, runs, which, left, cuts, explains)

    def _alone(self, m: Claim, cut: _Cut, others: list[Event], tr) -> list:
        """The days ``cut`` alone leaves the claim."""
        c, d = _days_of(m.when)
        only = [o for o in others if o.key == cut.stay.claim]
        got = None
        for s in self.by_claim[m.id][cut.person]:
            r = cells(timeline_window(Event(s.lo, s.hi, s.place, False, m.id), only, tr), c, d)
            got = r if got is None else _worse(got, r)
        return got

    # -- the finding
    def finding(self, r: _Reading) -> Finding:
        ctx, m = self.ctx, r.claim
        c, d = _days_of(m.when)
        n_all = d - c + 1
        # the speeds said in the text: the era's, or a thing's own top speed when every
        # mover cut is capped alike
        caps = {ctx.speed_cap(p) for p in r.people}
        fm, fv, rm, rv = self.sp.capped(caps.pop() if len(caps) == 1 else None).of_year(r.year)
        show_which = 0 if r.severity == "impossible" else 1
        mode, v = (fm, fv) if show_which == 0 else (rm, rv)
        label = ctx.case.label
        parts, ids, used, lane = [], [m.id], {}, {}
        for p in r.people:
            who = label(p)
            why = []
            for cut in (x for x in r.cuts if x.person == p):
                s = cut.stay
                if s.claim not in ids:
                    ids.append(s.claim)
                used.setdefault(p, []).append(s.claim)
                away = ""
                hours_ = None
                if cut.dmin:
                    hours_ = cut.dmin / v
                    away = f", {km(cut.dmin)} away, {hours(hours_)} by {mode}"
                how = "throughout" if s.throughout else "at some moment in"
                role = {"departure": " (leaving)", "arrival": " (arriving)"}.get(s.role, "")
                why.append(f"at {label(s.place)}{role} {how} {days_text(s.lo, s.hi)}{away}: {_per(ctx, s.claim)}")
                lane.setdefault(p, []).append({
                    "claim": s.claim, "place": s.place, "throughout": s.throughout,
                    "from": None if s.lo <= OPEN_START else fmt_iso(s.lo),
                    "to": None if s.hi >= OPEN_END else fmt_iso(s.hi),
                    "distance_km": None if cut.dmin is None else round(cut.dmin, 1),
                    "margin_hours": None if hours_ is None else round(hours_, 2)})
            if why:
                runs = r.left[p][show_which]
                parts.append(f"{who} {'only ' + _runs_text(runs) if runs else 'no day'} ({'; '.join(why)})")
            elif m.kind == "meeting":
                parts.append(f"{who} any day of it (no stay elsewhere that reaches it)")
        many = m.kind == "meeting" and len(r.people) > 1
        place = label(m.where) if m.where else None
        if m.kind == "travel":
            head = (f"{cite(ctx, m.id)}: {label(m.person)} travels from {label(m.origin)} to "
                    f"{label(m.destination)} within {show(m.when)}.")
        elif many:
            head = (f"{cite(ctx, m.id)}: {', '.join(label(p) for p in r.people)} at {place} at some moment "
                    f"in {show(m.when)}. A meeting needs all of them at {place} on the same day.")
        else:
            head = f"{cite(ctx, m.id)}: {label(r.people[0])} at {place} at some moment in {show(m.when)}."
        means = f"by {fm}, the fastest means of {r.year}" if show_which == 0 else f"by {rm}"
        whose = "their" if many else f"{label(r.people[0])}'s"
        body = (f" Read together with all {whose} other whereabouts from other sources, allowing the "
                f"journey to and from each {means}, they leave " + "; ".join(parts) + ".")
        all_of = f"all {len(r.people)}" if many else None
        if r.severity == "impossible":
            verdict = (f"No day fits {all_of}, even by {fm} at {speed(fv)}." if many else
                       f"No day is left, even by {fm} at {speed(fv)}, the fastest means of {r.year}.")
        elif r.which == 0:
            flew = [label(p) for p in r.left if intersect(r.runs, r.left[p][1]) != r.runs] or \
                   [label(p) for p in r.left]
            verdict = (f"By {rm} no day is left{' to ' + all_of if all_of else ''}; by {fm} at {speed(fv)} only "
                       f"{_runs_text(r.runs)} ({plural(count(r.runs), 'day')} of {n_all:,}): the "
                       f"{'meeting' if many else 'claim'} can be true only then, and only if "
                       f"{' and '.join(flew)} came by {fm}.")
        else:
            verdict = (f"The days left{' to ' + all_of if all_of else ''} are only {_runs_text(r.runs)} "
                       f"({plural(count(r.runs), 'day')} of {n_all:,}): the "
                       f"{'meeting' if many else 'claim'} can be true only then.")
        details = {"people": r.people, "place": m.where, "claim_days": n_all,
                   "claim_from": fmt_iso(c), "claim_to": fmt_iso(d),
                   "days_left": {p: [window(*x) for x in r.left[p][show_which]] for p in r.left},
                   "excluded_by": used, "days_possible": count(r.runs),
                   "windows": [window(*x) for x in r.runs],
                   "window_days": [[fmt_iso(lo), fmt_iso(hi)] for lo, hi in r.runs], "year": r.year,
                   "fastest_mode": fm, "fastest_kmh": fv, "reference_mode": rm, "reference_kmh": rv,
                   "means": mode, "lane": lane}
        f = ctx.finding(NAME, r.severity, ids, head + body + " " + verdict, title=_TITLE,
                        window=window(*widest(r.runs)) if r.runs else None, details=details)
        f.explains = r.explains
        return f


def _runs_text(runs: list[tuple[int, int]]) -> str:
    return " or ".join(days_text(*r) for r in runs) if runs else "no day"


def _per(ctx: Context, claim_id: str) -> str:
    """Whose word a stay rests on: its quote and source, else its source."""
    c = ctx.claims[claim_id]
    if c.quote:
        return cite(ctx, claim_id)
    src = ctx.case.sources.get(c.source)
    return src.label if src else c.source


def fmt_iso(o: int) -> str:
    import datetime as _dt
    return _dt.date.fromordinal(o).isoformat()


def joint_windows(ctx: Context, pairs: list[Finding]) -> list[Finding]:
    """One finding per claim whose joint window is narrow, unless a pair finding says as much."""
    with paused_gc():
        j = _Joint(ctx)
        sev = {(f.rule, f.key[1]): f.severity for f in pairs}
        out = []
        for cid in j.targets():
            r = j.read(cid, sev)
            if r is not None:
                out.append(j.finding(r))
        return out


RULE = Rule(
    name=NAME,
    title="Alibi",
    summary="One person at two incompatible places at times that must, or may, overlap.",
    check=check,
)
